/*
 * The block module's disks (block_disk.h): opening one, and the checked
 * I/O that the block hypercalls and the block ring's thread share.  Once
 * the guest runs, nothing here makes a system call but pread64, pwrite64
 * and fdatasync on a disk and write(2) for an error line: the sandbox
 * allows nothing else.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "block_disk.h"
#include "error.h"

/* The host error behind an EUNSPEC, in one line to the host's log. */
static void report_io_error(const struct tender_vm *vm,
                            const struct block_disk *d, const char *what,
                            uint64_t offset, int errnum)
{
    vm_log(vm, "block device '%s' (%s): %s at byte %llu failed: %s", d->name,
           d->path, what, (unsigned long long)offset,
           errnum != 0 ? strerror(errnum) : "unexpected end of file");
}

struct block_disk *block_disk_of(struct block_disks *disks, uint64_t handle)
{
    if (handle >= HVT_MFT_MAX_ENTRIES || disks->disk[handle].fd < 0)
        return NULL;
    return &disks->disk[handle];
}

/* Whole sectors, at least one, wholly inside the disk; no overflow. */
static int request_fits(const struct block_disk *d, uint64_t offset,
                        uint64_t len)
{
    return len != 0 && offset % d->sector_size == 0 &&
           len % d->sector_size == 0 && offset <= d->capacity &&
           len <= d->capacity - offset;
}

/*
 * Transfer len bytes between buf and the disk at offset, continuing short
 * transfers.  Returns 0, or an errno value (0 in *errnum for an end of
 * file, when the file shrank under us).
 */
static int transfer(const struct block_disk *d, int writing, uint8_t *buf,
                    uint64_t offset, uint64_t len, int *errnum)
{
    while (len > 0) {
        ssize_t n = writing ? pwrite(d->fd, buf, len, (off_t)offset)
                            : pread(d->fd, buf, len, (off_t)offset);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            *errnum = n < 0 ? errno : 0;
            return -1;
        }
        buf += n;
        offset += (uint64_t)n;
        len -= (uint64_t)n;
    }
    return 0;
}

/*
 * A buffer outside guest memory is the guest's error (EINVAL); so is a
 * read into memory the host maps read-only (the guest's text).  EFAULT
 * from the kernel, which cannot happen after those checks, is treated the
 * same way.
 */
int32_t block_disk_io(struct tender_vm *vm, struct block_disk *d, int writing,
                      uint64_t offset, uint64_t data_gpa, uint64_t len)
{
    uint8_t *buf;
    int errnum;

    if (d == NULL || !request_fits(d, offset, len))
        return HVT_EINVAL;
    buf = writing ? guest_mem_ptr(&vm->mem, data_gpa, len)
                  : vm_guest_ptr_writable(vm, data_gpa, len);
    if (buf == NULL)
        return HVT_EINVAL;
    if (transfer(d, writing, buf, offset, len, &errnum) == 0)
        return HVT_OK;
    if (errnum == EFAULT)
        return HVT_EINVAL;
    report_io_error(vm, d, writing ? "write" : "read", offset, errnum);
    return HVT_EUNSPEC;
}

int32_t block_disk_flush(struct tender_vm *vm, struct block_disk *d)
{
    int failed;

    while (
        atomic_flag_test_and_set_explicit(&d->flushing, memory_order_acquire))
        __asm__ __volatile__("pause");
    if (!d->flush_failed && fdatasync(d->fd) < 0) {
        d->flush_failed = 1;
        report_io_error(vm, d, "flush", 0, errno);
    }
    failed = d->flush_failed;
    atomic_flag_clear_explicit(&d->flushing, memory_order_release);
    return failed ? HVT_EUNSPEC : HVT_OK;
}

static int disk_size(int fd, const struct stat *st, const char *path,
                     uint64_t *size, struct tender_error *err)
{
    if (S_ISREG(st->st_mode)) {
        *size = (uint64_t)st->st_size;
        return 0;
    }
    if (S_ISBLK(st->st_mode)) {
        if (ioctl(fd, BLKGETSIZE64, size) < 0)
            return tnd_fail_errno(err, TENDER_E_DEVICE, errno,
                                  "%s: cannot read the device's size", path);
        return 0;
    }
    return tnd_fail(err, TENDER_E_DEVICE,
                    "%s: not a regular file or block device", path);
}

/*
 * Two tenders writing one disk would corrupt it: hold an exclusive lock
 * for the VM's life.  The kernel drops it when the process dies, however
 * it dies.
 */
static int lock_disk(int fd, const char *path, struct tender_error *err)
{
    if (flock(fd, LOCK_EX | LOCK_NB) == 0)
        return 0;
    if (errno == EWOULDBLOCK)
        return tnd_fail(err, TENDER_E_DEVICE,
                        "%s is in use (by another tender or another device "
                        "of this guest)",
                        path);
    return tnd_fail_errno(err, TENDER_E_DEVICE, errno, "%s: cannot lock", path);
}

int block_disk_open(struct block_disk *d, const char *path,
                    struct tender_error *err)
{
    struct stat st;

    d->path = strdup(path);
    if (d->path == NULL)
        return tnd_fail(err, TENDER_E_SYSTEM, "out of memory");
    /* O_NONBLOCK: a FIFO must not hang us here; it is refused below. */
    d->fd = open(path, O_RDWR | O_CLOEXEC | O_NONBLOCK);
    if (d->fd < 0)
        return tnd_fail_errno(err, TENDER_E_DEVICE, errno, "%s", path);
    if (fstat(d->fd, &st) < 0)
        return tnd_fail_errno(err, TENDER_E_DEVICE, errno, "%s", path);
    if (disk_size(d->fd, &st, path, &d->capacity, err) < 0 ||
        lock_disk(d->fd, path, err) < 0)
        return -1;
    /* Back to blocking I/O for the disk itself. */
    if (fcntl(d->fd, F_SETFL, 0) < 0)
        return tnd_fail_errno(err, TENDER_E_DEVICE, errno, "%s", path);
    if (d->capacity == 0 || d->capacity % d->sector_size != 0)
        return tnd_fail(err, TENDER_E_DEVICE,
                        "%s: its size (%llu bytes) is not a whole, non-zero "
                        "number of %llu-byte sectors",
                        path, (unsigned long long)d->capacity,
                        (unsigned long long)d->sector_size);
    return 0;
}

void block_disk_close(struct block_disk *d)
{
    if (d->fd >= 0)
        close(d->fd);
    d->fd = -1;
    free(d->path);
    d->path = NULL;
}

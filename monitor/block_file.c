/*
 * The block module: file-backed disks.  Each block device in the guest's
 * manifest gets a regular file (or a host block device) opened read-write;
 * BLOCK_READ and BLOCK_WRITE move whole sectors between it and guest
 * memory, and BLOCK_FLUSH (an extension, TENDER_FEATURE_BLOCK_FLUSH) makes
 * the writes that completed before it durable.  docs/abi.md, "Block
 * devices", states what a guest may rely on.
 *
 * Options:
 *   --block=PATH                the guest's one block device
 *   --block:NAME=PATH           the block device NAME
 *   --block-sector-size[:NAME]=N  sector size, a power of two from 512
 *                               to 32768 (the manifest's field is 16 bits)
 *
 * Once the guest runs, the handlers make no system call but pread64,
 * pwrite64 and fdatasync on the disks and write(2) for an error line: the
 * sandbox allows nothing else.  Everything they check comes from this
 * module's own state, never from the manifest copy in guest memory, which
 * the guest can change.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "manifest.h"
#include "dev_args.h"
#include "module.h"
#include "number.h"

#define DEFAULT_SECTOR_SIZE 512
#define MIN_SECTOR_SIZE 512
#define MAX_SECTOR_SIZE 32768

struct block_disk {
    int fd; /* -1: this handle is not an attached block device */
    uint64_t capacity;
    uint64_t sector_size;
    /* A flush failed: the kernel may have dropped the dirty pages it could
     * not write, so no later flush can promise durability again. */
    int flush_failed;
    char name[HVT_MFT_NAME_SIZE];
    char *path;
};

/* Indexed by handle, that is, by manifest entry. */
struct block_state {
    struct block_disk disk[HVT_MFT_MAX_ENTRIES];
};

/*
 * Run-time errors
 */

/* The host error behind an EUNSPEC, in one line to the host's log. */
static void report_io_error(const struct tender_vm *vm,
                            const struct block_disk *d, const char *what,
                            uint64_t offset, int errnum)
{
    vm_log(vm, "block device '%s' (%s): %s at byte %llu failed: %s", d->name,
           d->path, what, (unsigned long long)offset,
           errnum != 0 ? strerror(errnum) : "unexpected end of file");
}

/* The disk behind handle, or NULL if the handle is not a block device. */
static struct block_disk *disk_of(struct block_state *st, uint64_t handle)
{
    if (handle >= HVT_MFT_MAX_ENTRIES || st->disk[handle].fd < 0)
        return NULL;
    return &st->disk[handle];
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
 * The common part of BLOCK_READ and BLOCK_WRITE.  A buffer outside guest
 * memory is the guest's error (EINVAL); so is a read into memory the host
 * maps read-only (the guest's text).  EFAULT from the kernel, which
 * cannot happen after those checks, is treated the same way.
 */
static int32_t block_io(struct tender_vm *vm, struct block_state *st,
                        int writing, uint64_t handle, uint64_t offset,
                        uint64_t data_gpa, uint64_t len)
{
    struct block_disk *d = disk_of(st, handle);
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

static enum hc_result hc_block_write(struct tender_vm *vm, void *argp,
                                     void *ctx)
{
    struct hvt_hc_block_write *arg = argp;

    arg->ret =
        block_io(vm, ctx, 1, arg->handle, arg->offset, arg->data_gpa, arg->len);
    return HC_CONTINUE;
}

static enum hc_result hc_block_read(struct tender_vm *vm, void *argp, void *ctx)
{
    struct hvt_hc_block_read *arg = argp;

    /* On success len stays as it was: every byte asked for was read. */
    arg->ret =
        block_io(vm, ctx, 0, arg->handle, arg->offset, arg->data_gpa, arg->len);
    return HC_CONTINUE;
}

static enum hc_result hc_block_flush(struct tender_vm *vm, void *argp,
                                     void *ctx)
{
    struct hvt_hc_block_flush *arg = argp;
    struct block_disk *d = disk_of(ctx, arg->handle);

    (void)vm;
    if (d == NULL) {
        arg->ret = HVT_EINVAL;
        return HC_CONTINUE;
    }
    if (!d->flush_failed && fdatasync(d->fd) < 0) {
        d->flush_failed = 1;
        report_io_error(vm, d, "flush", 0, errno);
    }
    arg->ret = d->flush_failed ? HVT_EUNSPEC : HVT_OK;
    return HC_CONTINUE;
}

/*
 * Set-up
 */

static const char *const block_option_keys[] = {"block", "block-sector-size",
                                                NULL};

static int parse_sector_size(const struct tender_dev_arg *a, uint64_t *size,
                             struct tender_error *err)
{
    uint64_t n = 0;

    *size = DEFAULT_SECTOR_SIZE;
    if (a == NULL)
        return 0;
    if (parse_decimal(a->value, MAX_SECTOR_SIZE, &n) != 0 ||
        n < MIN_SECTOR_SIZE || (n & (n - 1)) != 0)
        return tnd_fail(err, TENDER_E_CONFIG,
                        "--%s=%s: the sector size must be a power of two "
                        "from %d to %d",
                        a->key, a->value, MIN_SECTOR_SIZE, MAX_SECTOR_SIZE);
    *size = n;
    return 0;
}

/*
 * Set-up: opening a disk
 */

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

static int open_disk(struct block_disk *d, const char *path,
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

static int attach_disk(struct tender_vm *vm, struct block_state *st,
                       uint32_t handle, struct tender_error *err)
{
    struct hvt_mft_entry *e = &vm->mft->e[handle];
    struct block_disk *d = &st->disk[handle];
    const struct tender_dev_arg *path = dev_arg_for(vm, "block", e->name);

    memcpy(d->name, e->name, sizeof(d->name));
    d->name[sizeof(d->name) - 1] = '\0';
    if (path == NULL)
        return tnd_fail(err, TENDER_E_CONFIG,
                        "the guest declares block device '%s' but no disk "
                        "is given (use --block:%s=PATH)",
                        d->name, d->name);
    if (parse_sector_size(dev_arg_for(vm, "block-sector-size", e->name),
                          &d->sector_size, err) < 0 ||
        open_disk(d, path->value, err) < 0)
        return -1;
    if (vm_sandbox_allow(
            vm, d->fd, SANDBOX_PREAD | SANDBOX_PWRITE | SANDBOX_FDATASYNC) < 0)
        return tnd_fail(err, TENDER_E_DEVICE, "too many devices");
    e->u.block_basic.capacity = d->capacity;
    e->u.block_basic.block_size = (uint16_t)d->sector_size;
    e->attached = 1;
    return 0;
}

/*
 * BLOCK_READ and BLOCK_WRITE are served even to a guest with no disk, so
 * that every such guest gets EINVAL for a bad handle rather than a stop.
 */
static int register_hypercalls(struct tender_vm *vm, struct block_state *st,
                               struct tender_error *err)
{
    if (vm_register_hypercall(vm, HVT_HYPERCALL_BLOCK_WRITE,
                              sizeof(struct hvt_hc_block_write), hc_block_write,
                              st) < 0 ||
        vm_register_hypercall(vm, HVT_HYPERCALL_BLOCK_READ,
                              sizeof(struct hvt_hc_block_read), hc_block_read,
                              st) < 0 ||
        vm_register_hypercall(vm, HVT_HYPERCALL_BLOCK_FLUSH,
                              sizeof(struct hvt_hc_block_flush), hc_block_flush,
                              st) < 0)
        return tnd_fail(err, TENDER_E_STATE,
                        "block hypercalls registered twice");
    vm->host_features |= TENDER_FEATURE_BLOCK_FLUSH;
    return 0;
}

static int block_attach(struct tender_vm *vm, void **state,
                        struct tender_error *err)
{
    struct block_state *st;

    if (dev_args_check(vm, block_option_keys, HVT_MFT_DEV_BLOCK_BASIC, err) < 0)
        return -1;
    st = calloc(1, sizeof(*st));
    if (st == NULL)
        return tnd_fail(err, TENDER_E_SYSTEM, "out of memory");
    *state = st; /* From here on, detach cleans up whatever we opened. */
    for (size_t i = 0; i < HVT_MFT_MAX_ENTRIES; i++)
        st->disk[i].fd = -1;
    for (uint32_t i = 1; i < vm->mft->entries; i++)
        if (vm->mft->e[i].type == HVT_MFT_DEV_BLOCK_BASIC &&
            attach_disk(vm, st, i, err) < 0)
            return -1;
    return register_hypercalls(vm, st, err);
}

static void block_detach(struct tender_vm *vm, void *state)
{
    struct block_state *st = state;

    (void)vm;
    for (size_t i = 0; i < HVT_MFT_MAX_ENTRIES; i++) {
        if (st->disk[i].fd >= 0)
            close(st->disk[i].fd);
        free(st->disk[i].path);
    }
    free(st);
}

const struct tender_module tender_module_block = {
    .name = "block",
    .option_keys = block_option_keys,
    .usage = "  --block=PATH               the guest's block device: a file "
             "(or host block\n"
             "                             device) whose size is a whole "
             "number of sectors\n"
             "  --block:NAME=PATH          the block device NAME, when there "
             "are several\n"
             "  --block-sector-size[:NAME]=N\n"
             "                             sector size: a power of two from "
             "512 to 32768\n"
             "                             (default 512)\n",
    .attach = block_attach,
    .detach = block_detach,
};

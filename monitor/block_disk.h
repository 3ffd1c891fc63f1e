/*
 * A disk of the block module: the file (or host block device) behind one
 * block device, and the checked I/O on it that both the block hypercalls
 * (block_file.c) and the block ring's thread (block_ring.c) do.
 */
#ifndef TENDER_BLOCK_DISK_H
#define TENDER_BLOCK_DISK_H

#include <stdatomic.h>
#include <stdint.h>

#include "vm.h"

struct block_disk {
    int fd; /* -1: this handle is not an attached block device */
    uint64_t capacity;
    uint64_t sector_size;
    /* A flush failed: the kernel may have dropped the dirty pages it could
     * not write, so no later flush can promise durability again. */
    int flush_failed;
    /*
     * Held around a flush and flush_failed.  The kernel reports a failed
     * write-back to one fdatasync only: without the lock, the vCPU's
     * flush and the ring's could both run, one get the error and the
     * other, finishing first, answer OK.  A spin lock, as neither thread's
     * filter has futex.
     */
    atomic_flag flushing;
    char name[HVT_MFT_NAME_SIZE];
    char *path;
};

/* The disks, indexed by handle, that is, by manifest entry. */
struct block_disks {
    struct block_disk disk[HVT_MFT_MAX_ENTRIES];
};

/* The disk behind handle, or NULL if the handle is not a block device. */
struct block_disk *block_disk_of(struct block_disks *disks, uint64_t handle);

/*
 * Open path for d (whose sector_size is set), read-write and locked, and
 * check that it holds whole sectors.  0, or -1 with err set.
 */
int block_disk_open(struct block_disk *d, const char *path,
                    struct tender_error *err);
void block_disk_close(struct block_disk *d);

/*
 * A read or write of len bytes at byte offset, to or from the guest's
 * buffer at data_gpa: HVT_OK; HVT_EINVAL for a request that is not whole
 * sectors inside the disk or a buffer outside guest memory (or, for a
 * read, in the text the host maps read-only); HVT_EUNSPEC when the host
 * failed, with one line in the log.
 */
int32_t block_disk_io(struct tender_vm *vm, struct block_disk *d, int writing,
                      uint64_t offset, uint64_t data_gpa, uint64_t len);
/* Make the writes completed so far durable: HVT_OK or HVT_EUNSPEC. */
int32_t block_disk_flush(struct tender_vm *vm, struct block_disk *d);

#endif

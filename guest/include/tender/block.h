/*
 * The block API of the tender guest kernel: whole sectors in and out of
 * the disks the manifest declares (TENDER_BLOCK_DEVICE).
 *
 * Every call returns an enum hvt_result: HVT_OK, HVT_EINVAL (a bad
 * handle, a request that is not whole sectors inside the disk, a buffer
 * outside memory, or a flush the monitor does not offer) or HVT_EUNSPEC
 * (the host failed to do the I/O; the data read, or the disk range
 * written, is then undefined).  docs/abi.md, "Block devices", says what
 * survives a crash.
 *
 * Each read, write or flush is exactly one hypercall, whatever its length:
 * pass many sectors at once for speed.
 */
#ifndef TENDER_BLOCK_H
#define TENDER_BLOCK_H

#include <stddef.h>
#include <stdint.h>

/* What the monitor attached to a block device. */
struct tender_block_info {
    uint64_t handle;      /* for the calls below */
    uint64_t capacity;    /* bytes: a whole number of sectors */
    uint64_t sector_size; /* bytes: a power of two, at least 512 */
};

/*
 * Look up the block device called name in the manifest.  HVT_OK and info
 * filled, or HVT_EINVAL if the manifest has no attached block device of
 * that name.
 */
int tender_block_acquire(const char *name, struct tender_block_info *info);

/*
 * Read or write len bytes at byte offset: both multiples of the sector
 * size, len at least one sector, and the whole range inside the disk.
 */
int tender_block_read(uint64_t handle, uint64_t offset, void *buf, size_t len);
int tender_block_write(uint64_t handle, uint64_t offset, const void *buf,
                       size_t len);

/*
 * Does the monitor offer flushes (TENDER_FEATURE_BLOCK_FLUSH)?  Other hvt
 * tenders do not.
 */
int tender_block_can_flush(void);

/*
 * Make every write to this disk that returned HVT_OK before the call
 * durable: on the host's storage, so that it survives a host crash or
 * power loss.  HVT_EINVAL if the monitor offers no flush.  Once a flush
 * failed (HVT_EUNSPEC), every later one on that disk fails too.
 */
int tender_block_flush(uint64_t handle);

#endif /* TENDER_BLOCK_H */

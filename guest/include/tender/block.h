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
 * Each read, write or flush below is exactly one hypercall, whatever its
 * length: pass many sectors at once for speed.  They stay hypercalls when
 * the block ring is offered: one request is one VM exit either way, and
 * the hypercall is served on the vCPU's own thread, without the hop to the
 * monitor's I/O thread and back.  For many small requests, use the
 * asynchronous calls at the end of this file.
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

/*
 * Asynchronous requests: many in flight at once, handed over in batches.
 *
 * On tender they go through the block ring (TENDER_FEATURE_BLOCK_RING):
 * one submit of a batch costs at most one VM exit, and none while the
 * monitor's I/O thread is awake; completions are read from shared memory
 * without an exit.  Without the ring (another hvt tender, or tender
 * --no-block-ring) the same calls work: submit does each request at once
 * by hypercall and keeps its completion for reap and wait.
 *
 * A request's buffer belongs to the monitor until its completion has been
 * reaped.  Requests are carried out in the order submitted: a read sees
 * the writes submitted before it, and a flush makes them durable (as
 * tender_block_flush does).  A request that is malformed (see
 * tender_block_read, and len below 4 GiB, the most a ring entry holds)
 * completes at once with HVT_EINVAL, ahead of requests still in flight.
 * The synchronous calls above do not wait for requests in flight: reap
 * those first where the order matters.
 */
#define TENDER_BLOCK_READ 1
#define TENDER_BLOCK_WRITE 2
#define TENDER_BLOCK_FLUSH 3 /* handle only: the other fields are ignored */

/* Requests in flight, submitted and not yet reaped, at most. */
#define TENDER_BLOCK_MAX_INFLIGHT 1024

struct tender_block_req {
    int op; /* TENDER_BLOCK_READ, _WRITE or _FLUSH */
    uint64_t handle;
    uint64_t offset; /* bytes: whole sectors */
    void *buf;
    size_t len;   /* bytes: whole sectors */
    uint64_t tag; /* the caller's own, handed back in the completion */
};

struct tender_block_done {
    uint64_t tag;
    int result; /* enum hvt_result */
    size_t len; /* bytes moved: the request's len on HVT_OK, else 0 */
};

/*
 * Queue up to n requests, as many as fit under TENDER_BLOCK_MAX_INFLIGHT,
 * in order; returns how many were taken (the rest are the caller's to
 * submit again after reaping).
 */
size_t tender_block_submit(const struct tender_block_req *reqs, size_t n);

/* Up to max completions that have arrived: never waits, never exits. */
size_t tender_block_reap(struct tender_block_done *done, size_t max);

/*
 * Up to max completions, at least one unless nothing is in flight (then
 * 0): spins a while, then sleeps in short POLL hypercalls, so that on a
 * host with one CPU the monitor's I/O thread gets to run.
 */
size_t tender_block_wait(struct tender_block_done *done, size_t max);

/* Do the asynchronous calls use the block ring (1) or hypercalls (0)? */
int tender_block_ring_in_use(void);

#endif /* TENDER_BLOCK_H */

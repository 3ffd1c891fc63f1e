/*
 * The block ring (tender's extension, TENDER_FEATURE_BLOCK_RING), served
 * by an I/O thread of its own between the ring in guest memory and the
 * block module's disks.  docs/abi.md, "The block ring", has the protocol
 * and every check made here.
 */
#ifndef TENDER_BLOCK_RING_H
#define TENDER_BLOCK_RING_H

#include <stdint.h>

#include "block_disk.h"
#include "ring_thread.h"
#include "vm.h"

struct block_ring_stats {
    uint64_t entries; /* entries taken off the ring */
    uint64_t bad;     /* entries refused with EINVAL */
};

struct block_ring {
    struct tender_vm *vm;
    struct tender_block_ring *shared; /* in guest memory: all hostile */
    struct ring_thread io;
    /* Our own indices: the guest can rewrite the ring's copies. */
    uint32_t ent_head;
    uint32_t com_tail;
    struct block_disks *disks; /* the block module's */
    struct block_ring_stats stats;
};

/*
 * Set-up, at attach: when vm.c reserved the rings' region and some disk
 * is attached, the ring's eventfd on port 0x601 and the feature bit in
 * the boot info; else *ringp is NULL.  0, or -1 with err set.
 */
int block_ring_create(struct tender_vm *vm, struct block_disks *disks,
                      struct block_ring **ringp, struct tender_error *err);
int block_ring_start(struct block_ring *ring, struct tender_error *err);
/* Stops the thread and waits for it; callable inside the sandbox. */
void block_ring_stop(struct block_ring *ring);
void block_ring_destroy(struct block_ring *ring);

/*
 * The pure parts, for the unit tests.
 *
 * Serve one entry (a private copy): its commit's ret and len.
 */
int32_t block_ring_do(struct block_ring *ring,
                      const struct tender_block_ring_entry *e, uint32_t *len);
/*
 * Serve what the guest has queued: returns when the ring is empty (0),
 * the commit ring is full (1), or stop is set (0; not in the final pass).
 * -1 when the guest broke the protocol (the VM's ring_fault_detail says
 * how).
 */
int block_ring_serve(struct block_ring *ring);

#endif

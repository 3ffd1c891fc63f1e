/*
 * The block ring: tender's extension of hvt's ring to block requests
 * (TENDER_FEATURE_BLOCK_RING).  The guest queues READ, WRITE and FLUSH
 * entries in a ring 1 MiB into the rings' region above its memory and
 * kicks port 0x601 when the ring says the host sleeps; this file's I/O
 * thread (ring_thread.c) serves them in ring order, one commit each, so a
 * guest can keep many requests in flight and harvest their completions
 * without leaving the VM.
 *
 * As for the network ring, the thread keeps its own indices, reads the
 * guest's ent_tail and com_head once per look and bounds them, and copies
 * each entry before checking it; the request itself is checked as a
 * BLOCK_READ or BLOCK_WRITE hypercall is (block_disk.c): whole sectors
 * inside the disk, a buffer wholly inside guest memory (so never in a
 * ring) and, for a read, outside the read-only text.  A bad entry gets an
 * EINVAL commit; a tail more than a ring ahead, or commits consumed that
 * were never made, stop the guest (241).
 */
#include <stdlib.h>
#include <string.h>

#include "block_ring.h"
#include "error.h"

int32_t block_ring_do(struct block_ring *ring,
                      const struct tender_block_ring_entry *e, uint32_t *len)
{
    struct block_disk *d = block_disk_of(ring->disks, e->handle);
    int32_t ret;

    *len = 0;
    if (d == NULL)
        return HVT_EINVAL;
    switch (e->op) {
    case TENDER_BLOCK_RING_OP_READ:
    case TENDER_BLOCK_RING_OP_WRITE:
        ret = block_disk_io(ring->vm, d, e->op == TENDER_BLOCK_RING_OP_WRITE,
                            e->offset, e->data_gpa, e->len);
        if (ret == HVT_OK)
            *len = e->len;
        return ret;
    case TENDER_BLOCK_RING_OP_FLUSH:
        /* Every write before it in the ring is done: we serve in order. */
        return block_disk_flush(ring->vm, d);
    default:
        return HVT_EINVAL;
    }
}

static void fault(struct block_ring *ring, enum ring_fault_reason why,
                  uint32_t value)
{
    ring_fault(ring->vm, (uint64_t)why << 32 | value);
}

/* Room for one more commit: 1, 0 if none (wait for the guest), -1 if the
 * guest's com_head is impossible. */
static int commit_room(struct block_ring *ring)
{
    uint32_t com_head = ring_load(&ring->shared->com_head);
    int64_t room = ring_commit_room(ring->com_tail, com_head);

    if (room < 0) {
        fault(ring, BLOCK_RING_FAULT_COM_HEAD, com_head);
        return -1;
    }
    return room > 0;
}

static void post_commit(struct block_ring *ring, uint32_t id, int32_t ret,
                        uint32_t len)
{
    struct tender_block_ring *r = ring->shared;
    struct hvt_ring_commit c;

    memset(&c, 0, sizeof(c));
    c.id = id;
    c.ret = ret;
    c.len = len;
    memcpy((void *)&r->commits[ring->com_tail & HVT_RING_MASK], &c, sizeof(c));
    ring->com_tail++;
    ring_store(&r->com_tail, ring->com_tail);
}

int block_ring_serve(struct block_ring *ring)
{
    struct tender_block_ring *r = ring->shared;

    while (ring_thread_serving(&ring->io)) {
        uint32_t tail = ring_load(&r->ent_tail);
        int64_t pending = ring_pending(ring->ent_head, tail);
        struct tender_block_ring_entry e;
        uint32_t len;
        int32_t ret;
        int room;

        if (pending < 0) {
            fault(ring, BLOCK_RING_FAULT_ENT_TAIL, tail);
            return -1;
        }
        if (pending == 0)
            return 0;
        /* The commit's slot first: an entry is taken only with its
         * commit, so that no request is done twice or lost. */
        room = commit_room(ring);
        if (room <= 0)
            return room < 0 ? -1 : 1;
        /* Our copy, read once: the guest may change the slot meanwhile. */
        memcpy(&e, (const void *)&r->entries[ring->ent_head & HVT_RING_MASK],
               sizeof(e));
        /* A stopped guest reads nothing any more: its queued reads are
         * not done, so that a stop is not held up by them.  Its writes
         * are, as they would have been a moment later. */
        if (ring->io.final_pass && e.op == TENDER_BLOCK_RING_OP_READ) {
            ret = HVT_EUNSPEC;
            len = 0;
        } else {
            ret = block_ring_do(ring, &e, &len);
        }
        if (ret == HVT_EINVAL)
            ring->stats.bad++;
        post_commit(ring, e.id, ret, len);
        ring->stats.entries++;
        ring->ent_head++;
        ring_store(&r->ent_head, ring->ent_head);
    }
    return 0;
}

static int serve_cb(void *ctx)
{
    return block_ring_serve(ctx);
}

static int ready_cb(void *ctx)
{
    struct block_ring *ring = ctx;
    struct tender_block_ring *r = ring->shared;

    return ring_pending(ring->ent_head, ring_load(&r->ent_tail)) != 0 &&
           ring_commit_room(ring->com_tail, ring_load(&r->com_head)) != 0;
}

static int have_disk(const struct block_disks *disks)
{
    for (int h = 0; h < HVT_MFT_MAX_ENTRIES; h++)
        if (disks->disk[h].fd >= 0)
            return 1;
    return 0;
}

static const struct ring_kind block_ring_kind = {
    .what = "block ring",
    .kick_port = TENDER_BLOCK_RING_KICK_PIO,
    .filter = SANDBOX_BLOCK_IO,
    .owner = SANDBOX_FD_BLOCK_RING,
    .serve = serve_cb,
    .ready = ready_cb,
};

int block_ring_create(struct tender_vm *vm, struct block_disks *disks,
                      struct block_ring **ringp, struct tender_error *err)
{
    struct block_ring *ring;

    *ringp = NULL;
    if (vm->ring_gpa == 0 || vm->no_block_ring || !have_disk(disks))
        return 0;
    ring = calloc(1, sizeof(*ring));
    if (ring == NULL)
        return tnd_fail(err, TENDER_E_SYSTEM, "out of memory");
    ring->vm = vm;
    ring->shared = (struct tender_block_ring *)(vm->mem.base + vm->ring_gpa +
                                                TENDER_BLOCK_RING_OFFSET);
    ring->disks = disks;
    ring_thread_clear(&ring->io);
    *ringp = ring;
    if (ring_thread_init(&ring->io, vm, &block_ring_kind, ring,
                         &ring->shared->needs_kick, err) < 0)
        return -1;
    for (int h = 0; h < HVT_MFT_MAX_ENTRIES; h++)
        if (disks->disk[h].fd >= 0 &&
            vm_sandbox_allow_io(vm, disks->disk[h].fd,
                                SANDBOX_PREAD | SANDBOX_PWRITE |
                                    SANDBOX_FDATASYNC,
                                SANDBOX_FD_BLOCK_RING) < 0)
            return tnd_fail(err, TENDER_E_DEVICE, "too many devices");
    vm->host_features |= TENDER_FEATURE_BLOCK_RING;
    return 0;
}

int block_ring_start(struct block_ring *ring, struct tender_error *err)
{
    return ring == NULL ? 0 : ring_thread_start(&ring->io, err);
}

void block_ring_stop(struct block_ring *ring)
{
    if (ring != NULL)
        ring_thread_stop(&ring->io);
}

void block_ring_destroy(struct block_ring *ring)
{
    if (ring == NULL)
        return;
    ring_thread_close(&ring->io);
    free(ring);
}

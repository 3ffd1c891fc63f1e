/*
 * Asynchronous block requests (tender/block.h), through tender's block
 * ring when the monitor offers it (docs/abi.md, "The block ring"), else
 * through hypercalls.
 *
 * On the ring, the guest writes entries and ent_tail, reads commits and
 * writes com_head; the monitor's I/O thread does the rest, and is kicked
 * (port 0x601) only when it said it sleeps (needs_kick).  An entry's id is
 * its ring index, so the commit's id finds the caller's tag in tags[].
 * Keeping at most HVT_RING_SIZE requests in flight (entered and not yet
 * reaped) guarantees a free slot for every entry and every commit.
 *
 * Completions that need no ring (refused requests, and every request
 * without the ring) wait in a queue of our own, local[].
 */
#include <tender/block.h>
#include <tender/guest.h>

#include "hypercall.h"
#include "kernel.h"

/* How long wait spins before it sleeps, and how long each sleep lasts. */
#define WAIT_SPIN_NS 20000
#define WAIT_NAP_NS 50000

_Static_assert(TENDER_BLOCK_MAX_INFLIGHT == HVT_RING_SIZE, "in flight");
_Static_assert(TENDER_BLOCK_READ == TENDER_BLOCK_RING_OP_READ &&
                   TENDER_BLOCK_WRITE == TENDER_BLOCK_RING_OP_WRITE &&
                   TENDER_BLOCK_FLUSH == TENDER_BLOCK_RING_OP_FLUSH,
               "the API's ops are the ring's");

static struct tender_block_ring *ring;
static int ring_checked;
static uint32_t ent_tail; /* ours: next entry, published or not */
static uint32_t com_head; /* ours: next commit to reap */
static uint64_t tags[HVT_RING_SIZE];

static struct tender_block_done local[HVT_RING_SIZE];
static size_t local_head, local_count;

static inline void cpu_relax(void)
{
    __asm__ __volatile__("pause" ::: "memory");
}

static inline uint32_t load(const uint32_t *p)
{
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

/* The ring, accepted on first use; NULL if the monitor offers none. */
static struct tender_block_ring *block_ring(void)
{
    const struct hvt_boot_info *bi = kernel_boot_info;

    if (ring_checked)
        return ring;
    ring_checked = 1;
    /* Only where boot.c mapped it, in the 2 MiB above mem_size. */
    if (block_ring_offered(bi)) {
        ring =
            (struct tender_block_ring *)(uintptr_t)(bi->mem_size +
                                                    TENDER_BLOCK_RING_OFFSET);
        ent_tail = ring->ent_tail;
        com_head = ring->com_head;
        accept_feature(TENDER_FEATURE_BLOCK_RING);
    }
    return ring;
}

int tender_block_ring_in_use(void)
{
    return block_ring() != NULL;
}

static size_t in_flight(void)
{
    return (uint32_t)(ent_tail - com_head) + local_count;
}

static void complete_here(uint64_t tag, int result, size_t len)
{
    struct tender_block_done *d =
        &local[(local_head + local_count) % HVT_RING_SIZE];

    d->tag = tag;
    d->result = result;
    d->len = result == HVT_OK ? len : 0;
    local_count++;
}

/* One request by hypercall, now. */
static int do_now(const struct tender_block_req *q)
{
    switch (q->op) {
    case TENDER_BLOCK_READ:
        return tender_block_read(q->handle, q->offset, q->buf, q->len);
    case TENDER_BLOCK_WRITE:
        return tender_block_write(q->handle, q->offset, q->buf, q->len);
    case TENDER_BLOCK_FLUSH:
        return tender_block_flush(q->handle);
    }
    return HVT_EINVAL;
}

/* Checked here as the hypercalls are, so both paths refuse the same. */
static int well_formed(const struct tender_block_req *q)
{
    if (q->op == TENDER_BLOCK_FLUSH)
        return block_entry(q->handle) != NULL;
    return (q->op == TENDER_BLOCK_READ || q->op == TENDER_BLOCK_WRITE) &&
           block_request_fits(q->handle, q->offset, q->len) &&
           q->len <= UINT32_MAX;
}

static void enter(struct tender_block_ring *r, const struct tender_block_req *q)
{
    struct tender_block_ring_entry *e = &r->entries[ent_tail & HVT_RING_MASK];
    int flush = q->op == TENDER_BLOCK_FLUSH;

    e->op = (uint32_t)q->op;
    e->handle = (uint32_t)q->handle;
    e->data_gpa = flush ? 0 : gpa_of(q->buf);
    e->len = flush ? 0 : (uint32_t)q->len;
    e->id = ent_tail;
    e->offset = flush ? 0 : q->offset;
    tags[ent_tail & HVT_RING_MASK] = q->tag;
    ent_tail++;
}

/* Hand the new entries over with one store; kick if the thread sleeps. */
static void publish(struct tender_block_ring *r)
{
    if (r->ent_tail == ent_tail)
        return;
    __atomic_store_n(&r->ent_tail, ent_tail, __ATOMIC_RELEASE);
    /* Our store before our load of needs_kick, as the monitor's store of
     * needs_kick comes before its load of ent_tail: one of us sees the
     * other, so no entry is left asleep. */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (load(&r->needs_kick))
        __asm__ __volatile__("outl %0, %1"
                             :
                             : "a"(0),
                               "Nd"((uint16_t)TENDER_BLOCK_RING_KICK_PIO)
                             : "memory");
}

size_t tender_block_submit(const struct tender_block_req *reqs, size_t n)
{
    struct tender_block_ring *r = block_ring();
    size_t i;

    for (i = 0; i < n && in_flight() < HVT_RING_SIZE; i++) {
        const struct tender_block_req *q = &reqs[i];

        if (!well_formed(q))
            complete_here(q->tag, HVT_EINVAL, 0);
        else if (r != NULL)
            enter(r, q);
        else
            complete_here(q->tag, do_now(q), q->len);
    }
    if (r != NULL)
        publish(r);
    return i;
}

static size_t reap_here(struct tender_block_done *done, size_t max)
{
    size_t n = 0;

    for (; n < max && local_count > 0; n++) {
        done[n] = local[local_head];
        local_head = (local_head + 1) % HVT_RING_SIZE;
        local_count--;
    }
    return n;
}

static size_t reap_ring(struct tender_block_ring *r,
                        struct tender_block_done *done, size_t max)
{
    uint32_t tail = load(&r->com_tail);
    size_t n = 0;

    for (; n < max && com_head != tail; n++, com_head++) {
        const struct hvt_ring_commit *c = &r->commits[com_head & HVT_RING_MASK];

        done[n].tag = tags[c->id & HVT_RING_MASK];
        done[n].result = c->ret;
        done[n].len = c->ret == HVT_OK ? c->len : 0;
    }
    if (n > 0)
        __atomic_store_n(&r->com_head, com_head, __ATOMIC_RELEASE);
    return n;
}

size_t tender_block_reap(struct tender_block_done *done, size_t max)
{
    struct tender_block_ring *r = block_ring();
    size_t n = reap_here(done, max);

    if (r != NULL)
        n += reap_ring(r, done + n, max - n);
    return n;
}

/* Sleep a little in the monitor, whose I/O thread may then run here. */
static void nap(void)
{
    struct hvt_hc_poll arg = {WAIT_NAP_NS, 0, 0, 0};

    hypercall(HVT_HYPERCALL_POLL, &arg);
}

size_t tender_block_wait(struct tender_block_done *done, size_t max)
{
    uint64_t spin_until;
    size_t n;

    if (max == 0 || in_flight() == 0)
        return 0;
    n = tender_block_reap(done, max);
    spin_until = tender_clock_monotonic() + WAIT_SPIN_NS;
    while (n == 0) {
        if (tender_clock_monotonic() < spin_until)
            cpu_relax();
        else
            nap();
        n = tender_block_reap(done, max);
    }
    return n;
}

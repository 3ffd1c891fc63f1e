/*
 * What the network ring and the block ring share: an I/O thread of its
 * own per ring, woken by the guest's kick (a port wired to an eventfd by
 * KVM_IOEVENTFD), which serves the ring, looks at it a while longer, and
 * asks for a kick (needs_kick) before it sleeps.  The ring's own file
 * (net_ring.c, block_ring.c) checks and serves its entries.
 */
#ifndef TENDER_RING_THREAD_H
#define TENDER_RING_THREAD_H

#include <stdatomic.h>
#include <stdint.h>

#include "sandbox_policy.h"
#include "vm.h"

/* One kind of ring, as its thread sees it. */
struct ring_kind {
    const char *what; /* "network ring": for errors */
    uint16_t kick_port;
    enum sandbox_thread filter;
    unsigned owner; /* its descriptors' enum sandbox_fd_owner */
    /*
     * Serve what is queued: 0 when the ring is empty (or stop is set),
     * 1 when every commit slot is unconsumed, -1 when the guest broke the
     * protocol (after ring_fault()).
     */
    int (*serve)(void *ctx);
    /* An entry is queued that serve can take now (it has its commit
     * slot, if it needs one).  Only a hint: serve checks again. */
    int (*ready)(void *ctx);
};

struct ring_thread {
    struct tender_vm *vm;
    const struct ring_kind *kind;
    void *ctx;
    volatile uint32_t *needs_kick; /* in the ring */
    int efd;                       /* the kick's eventfd */
    atomic_int stop;
    atomic_int confined; /* 1 once the thread is, -1 if that failed */
    atomic_int done;
    int started;
    int final_pass; /* serving what a stopped guest left queued */
};

/* Before anything else: t belongs to nothing yet, and closes cleanly. */
void ring_thread_clear(struct ring_thread *t);
/*
 * Set-up, at attach (KVM's VM descriptor is still open): the eventfd,
 * wired to the kind's port with KVM_IOEVENTFD and allowed to its filter.
 * The thread will serve ctx and sleep until the first kick.  0, or -1
 * with err.
 */
int ring_thread_init(struct ring_thread *t, struct tender_vm *vm,
                     const struct ring_kind *kind, void *ctx,
                     volatile uint32_t *needs_kick, struct tender_error *err);
int ring_thread_start(struct ring_thread *t, struct tender_error *err);
/* Stops the thread and waits for it; callable inside the sandbox. */
void ring_thread_stop(struct ring_thread *t);
void ring_thread_close(struct ring_thread *t);

/* Go on serving?  Not once stopped, except in the final pass. */
static inline int ring_thread_serving(const struct ring_thread *t)
{
    return t->final_pass || !atomic_load(&t->stop);
}

/*
 * Why a ring's thread stopped the guest (the high half of the stop's
 * detail; the low half is the index the guest wrote).
 */
enum ring_fault_reason {
    NET_RING_FAULT_ENT_TAIL = 1,   /* more than HVT_RING_SIZE entries ahead */
    NET_RING_FAULT_COM_HEAD = 2,   /* commits consumed that were never made */
    BLOCK_RING_FAULT_ENT_TAIL = 3, /* the same, in the block ring */
    BLOCK_RING_FAULT_COM_HEAD = 4
};

/* The guest broke a ring's protocol: stop it (241), with detail. */
void ring_fault(struct tender_vm *vm, uint64_t detail);

/*
 * Index arithmetic, the same for both rings.  How many entries lie
 * between our head and the guest's tail, or -1 if the tail is more than a
 * ring ahead (it can never be honestly).
 */
int64_t ring_pending(uint32_t head, uint32_t tail);
/* Free commit slots, or -1 if com_head is ahead of com_tail or more than a
 * ring behind. */
int64_t ring_commit_room(uint32_t com_tail, uint32_t com_head);

static inline uint32_t ring_load(const volatile uint32_t *p)
{
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static inline void ring_store(volatile uint32_t *p, uint32_t v)
{
    __atomic_store_n(p, v, __ATOMIC_RELEASE);
}

#endif

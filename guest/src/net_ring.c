/*
 * hvt's network ring (RING_IO), when the monitor offers it: frames move
 * through a ring in shared memory, and the guest leaves to the monitor
 * only when the monitor's I/O thread sleeps (a kick on port 0x600), not
 * once per frame.  docs/abi.md, "The network ring", has the protocol.
 *
 * A write copies the frame into one of RING_WRITE_BUFS buffers of ours
 * and returns at once (hvt's ring gives writes no commit); a read waits
 * for its commit.  Frames longer than a ring slot take the hypercall.
 */
#include <tender/guest.h>
#include <tender/string.h>

#include "hypercall.h"
#include "kernel.h"

/* Write buffers in flight at most: 64 KiB of .bss, not Solo5's 2 MiB. */
#define RING_WRITE_BUFS 32

static struct hvt_ring *ring;
static int ring_checked;
static uint32_t ring_next_id;
static uint8_t write_bufs[RING_WRITE_BUFS][HVT_RING_BUF_SIZE];

static inline void cpu_relax(void)
{
    __asm__ __volatile__("pause" ::: "memory");
}

static inline uint32_t load(const volatile uint32_t *p)
{
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

struct hvt_ring *net_ring_get(void)
{
    const struct hvt_boot_info *bi = kernel_boot_info;

    if (ring_checked)
        return ring;
    ring_checked = 1;
    /* Only where boot.c mapped it: the 2 MiB right above mem_size. */
    if (net_ring_offered(bi)) {
        ring = (struct hvt_ring *)(uintptr_t)bi->net_ring_gpa;
        accept_feature(HVT_FEATURE_RING_IO);
    }
    return ring;
}

/* Queue the entry at ent_tail; kick if the monitor's thread sleeps. */
static void submit(struct hvt_ring *r)
{
    __atomic_store_n(&r->ent_tail, r->ent_tail + 1, __ATOMIC_RELEASE);
    /* Our store before its load of needs_kick: the store-load fence that
     * keeps both sides from missing each other. */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (load(&r->needs_kick))
        __asm__ __volatile__("outl %0, %1"
                             :
                             : "a"(0), "Nd"((uint16_t)HVT_RING_KICK_PIO)
                             : "memory");
}

int net_ring_write(struct hvt_ring *r, uint64_t handle, const void *buf,
                   size_t len)
{
    uint32_t tail = r->ent_tail;
    struct hvt_ring_entry *e;
    uint8_t *slot;

    /* The buffer we are about to reuse must have been taken. */
    while (tail - load(&r->ent_head) >= RING_WRITE_BUFS)
        cpu_relax();
    slot = write_bufs[tail % RING_WRITE_BUFS];
    memcpy(slot, buf, len);
    e = &r->entries[tail & HVT_RING_MASK];
    e->op = HVT_RING_OP_NET_WRITE;
    e->handle = (uint32_t)handle;
    e->data_gpa = gpa_of(slot);
    e->len = (uint32_t)len;
    e->id = ring_next_id++;
    submit(r);
    return HVT_OK;
}

int net_ring_read(struct hvt_ring *r, uint64_t handle, void *buf, size_t size,
                  size_t *len)
{
    uint32_t tail = r->ent_tail;
    uint32_t head = r->com_head;
    struct hvt_ring_entry *e;
    struct hvt_ring_commit *c;
    int ret;

    while (tail - load(&r->ent_head) >= HVT_RING_SIZE)
        cpu_relax();
    e = &r->entries[tail & HVT_RING_MASK];
    e->op = HVT_RING_OP_NET_READ;
    e->handle = (uint32_t)handle;
    e->data_gpa = gpa_of(buf);
    e->len = size > UINT32_MAX ? UINT32_MAX : (uint32_t)size;
    e->id = ring_next_id++;
    submit(r);
    while (load(&r->com_tail) == head)
        cpu_relax();
    c = &r->commits[head & HVT_RING_MASK];
    ret = c->ret;
    *len = ret == HVT_OK || ret == HVT_EINVAL ? c->len : 0;
    __atomic_store_n(&r->com_head, head + 1, __ATOMIC_RELEASE);
    return ret;
}

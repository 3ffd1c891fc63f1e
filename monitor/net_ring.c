/*
 * The network ring: hvt's RING_IO, wire-compatible with Solo5's tender.
 *
 * The guest queues NET_WRITE and NET_READ entries in a ring in the 2 MiB
 * above its memory (vm.c reserves them) and kicks port 0x600 when the
 * ring says the host sleeps.  KVM turns the kick into an eventfd signal
 * (KVM_IOEVENTFD) without leaving the kernel, and this file's I/O thread,
 * confined by a seccomp filter of its own (sandbox_policy.c), moves the
 * frames between the ring and the taps.
 *
 * The ring lies in guest memory, so the guest can write any of it at any
 * time.  The thread keeps its own indices and only ever writes the ring's
 * copies; it reads the guest's ent_tail and com_head once per look and
 * bounds them; it copies each entry before checking it; every data
 * pointer must lie wholly inside guest memory (below mem_size, so never in
 * the ring itself) and outside the read-only text; a write's length must
 * fit a frame and a ring slot.  A bad NET_READ gets an EINVAL commit; a bad
 * NET_WRITE, which has no commit in hvt's protocol, is dropped and
 * counted.  A tail more than a ring ahead, or commits consumed that were
 * never made, stop the guest (241): no honest guest does either.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "net_ring.h"

#define ETH_HEADER_LEN 14

static const struct net_ring_dev *ring_dev(const struct net_ring *ring,
                                           uint32_t handle)
{
    if (handle >= HVT_MFT_MAX_ENTRIES || ring->dev[handle].fd < 0)
        return NULL;
    return &ring->dev[handle];
}

int32_t net_ring_check_entry(const struct net_ring *ring,
                             const struct hvt_ring_entry *e, void **buf)
{
    const struct net_ring_dev *dev = ring_dev(ring, e->handle);

    *buf = NULL;
    if (dev == NULL)
        return HVT_EINVAL;
    switch (e->op) {
    case HVT_RING_OP_NET_WRITE:
        if (e->len < ETH_HEADER_LEN || e->len > dev->max_frame ||
            e->len > HVT_RING_BUF_SIZE)
            return HVT_EINVAL;
        break;
    case HVT_RING_OP_NET_READ:
        if (e->len == 0)
            return HVT_EINVAL;
        break;
    default:
        return HVT_EINVAL;
    }
    /* Inside guest memory (never the ring: it lies above mem_size) and
     * never in the text the host maps read-only. */
    *buf = vm_guest_ptr_writable(ring->vm, e->data_gpa, e->len);
    return *buf == NULL ? HVT_EINVAL : HVT_OK;
}

/*
 * A refused entry.  A NET_WRITE has no commit to carry EINVAL, so the
 * first of a run of them gets one line in the log; anything else is told
 * by its commit, as a hypercall would be.
 */
static void note_bad(struct net_ring *ring, const struct hvt_ring_entry *e,
                     uint32_t index)
{
    ring->stats.bad++;
    if (e->op != HVT_RING_OP_NET_WRITE || ring->bad_logged)
        return;
    ring->bad_logged = 1;
    vm_log(ring->vm,
           "net ring: refused NET_WRITE entry %u (handle %u, data 0x%llx, "
           "length %u): frame dropped",
           index, e->handle, (unsigned long long)e->data_gpa, e->len);
}

static void io_failed(struct net_ring *ring, struct net_ring_dev *dev,
                      int *failing, const char *op, int errnum)
{
    if (*failing)
        return;
    *failing = 1;
    vm_log(ring->vm, "net device '%s' (%s): %s failed: %s", dev->name,
           dev->ifname, op, errnum != 0 ? strerror(errnum) : "short transfer");
}

/* A NET_WRITE: no commit, whatever happens (hvt's protocol has none). */
static void serve_write(struct net_ring *ring, const struct hvt_ring_entry *e,
                        const void *frame)
{
    struct net_ring_dev *dev = &ring->dev[e->handle];
    ssize_t n = write(dev->fd, frame, e->len);

    if (n == (ssize_t)e->len) {
        dev->write_failing = 0;
        ring->stats.writes++;
    } else if (n >= 0 || (errno != EAGAIN && errno != EINTR)) {
        io_failed(ring, dev, &dev->write_failing, "write", n < 0 ? errno : 0);
    }
    /* EAGAIN: the tap's queue is full, and the frame is lost, as it
     * would be on a wire. */
}

/* A NET_READ's result, as for the hypercall (docs/abi.md, S7). */
static int32_t serve_read(struct net_ring *ring, const struct hvt_ring_entry *e,
                          void *buf, uint32_t *len)
{
    struct net_ring_dev *dev = &ring->dev[e->handle];
    ssize_t n = read(dev->fd, ring->rx_buf, ring->rx_size);

    *len = 0;
    if (n == 0 || (n < 0 && (errno == EAGAIN || errno == EINTR)))
        return HVT_AGAIN;
    if (n < 0) {
        io_failed(ring, dev, &dev->read_failing, "read", errno);
        return HVT_EUNSPEC;
    }
    dev->read_failing = 0;
    *len = (uint32_t)n;
    /* Too long for the guest's buffer (or ours): dropped, not cut. */
    if ((size_t)n >= ring->rx_size || (uint64_t)n > e->len)
        return HVT_EINVAL;
    memcpy(buf, ring->rx_buf, (size_t)n);
    ring->stats.reads++;
    return HVT_OK;
}

static void fault(struct net_ring *ring, enum ring_fault_reason why,
                  uint32_t value)
{
    ring_fault(ring->vm, (uint64_t)why << 32 | value);
}

int net_ring_serve(struct net_ring *ring)
{
    struct hvt_ring *r = ring->shared;

    while (ring_thread_serving(&ring->io)) {
        uint32_t tail = ring_load(&r->ent_tail);
        int64_t pending = ring_pending(ring->ent_head, tail);
        uint32_t index = ring->ent_head;
        struct hvt_ring_entry e;
        struct hvt_ring_commit c;
        void *buf;
        int32_t verdict;

        if (pending < 0) {
            fault(ring, NET_RING_FAULT_ENT_TAIL, tail);
            return -1;
        }
        if (pending == 0)
            return 0;
        /* Our copy, read once: the guest may change the slot meanwhile. */
        memcpy(&e, (const void *)&r->entries[index & HVT_RING_MASK], sizeof(e));
        verdict = net_ring_check_entry(ring, &e, &buf);
        if (e.op == HVT_RING_OP_NET_WRITE) {
            if (verdict == HVT_OK) {
                serve_write(ring, &e, buf);
                ring->bad_logged = 0;
            } else {
                note_bad(ring, &e, index);
            }
        } else {
            /* Every other entry gets one commit. */
            uint32_t com_head = ring_load(&r->com_head);
            int64_t room = ring_commit_room(ring->com_tail, com_head);

            if (room < 0) {
                fault(ring, NET_RING_FAULT_COM_HEAD, com_head);
                return -1;
            }
            if (room == 0)
                return 1; /* served again after the guest's next kick */
            memset(&c, 0, sizeof(c));
            c.id = e.id;
            if (verdict == HVT_OK) {
                c.ret = serve_read(ring, &e, buf, &c.len);
                ring->bad_logged = 0;
            } else {
                c.ret = HVT_EINVAL;
                note_bad(ring, &e, index);
            }
            memcpy((void *)&r->commits[ring->com_tail & HVT_RING_MASK], &c,
                   sizeof(c));
            ring->com_tail++;
            ring_store(&r->com_tail, ring->com_tail);
        }
        ring->stats.entries++;
        ring->ent_head++;
        ring_store(&r->ent_head, ring->ent_head);
    }
    return 0;
}

static int serve_cb(void *ctx)
{
    return net_ring_serve(ctx);
}

/* A NET_WRITE needs no commit slot; a NET_READ (or a refusal) does. */
static int ready_cb(void *ctx)
{
    struct net_ring *ring = ctx;
    struct hvt_ring *r = ring->shared;
    uint32_t op;

    if (ring_pending(ring->ent_head, ring_load(&r->ent_tail)) == 0)
        return 0;
    op = ((volatile struct hvt_ring_entry *)&r
              ->entries[ring->ent_head & HVT_RING_MASK])
             ->op;
    return op == HVT_RING_OP_NET_WRITE ||
           ring_commit_room(ring->com_tail, ring_load(&r->com_head)) != 0;
}

static const struct ring_kind net_ring_kind = {
    .what = "network ring",
    .kick_port = HVT_RING_KICK_PIO,
    .filter = SANDBOX_RING_IO,
    .owner = SANDBOX_FD_RING,
    .serve = serve_cb,
    .ready = ready_cb,
};

int net_ring_create(struct tender_vm *vm, const struct net_ring_dev *devs,
                    size_t rx_size, struct net_ring **ringp,
                    struct tender_error *err)
{
    struct net_ring *ring;

    *ringp = NULL;
    if (vm->ring_gpa == 0 || vm->no_net_ring)
        return 0;
    ring = calloc(1, sizeof(*ring));
    if (ring == NULL)
        return tnd_fail(err, TENDER_E_SYSTEM, "out of memory");
    ring->vm = vm;
    ring->shared = (struct hvt_ring *)(vm->mem.base + vm->ring_gpa);
    memcpy(ring->dev, devs, sizeof(ring->dev));
    ring->rx_size = rx_size;
    ring_thread_clear(&ring->io);
    *ringp = ring;
    ring->rx_buf = malloc(rx_size);
    if (ring->rx_buf == NULL)
        return tnd_fail(err, TENDER_E_SYSTEM, "out of memory");
    if (ring_thread_init(&ring->io, vm, &net_ring_kind, ring,
                         &ring->shared->needs_kick, err) < 0)
        return -1;
    for (int h = 0; h < HVT_MFT_MAX_ENTRIES; h++)
        if (ring->dev[h].fd >= 0 &&
            vm_sandbox_allow_io(vm, ring->dev[h].fd,
                                SANDBOX_READ | SANDBOX_WRITE,
                                SANDBOX_FD_RING) < 0)
            return tnd_fail(err, TENDER_E_DEVICE, "too many devices");
    vm->host_features |= HVT_FEATURE_RING_IO;
    return 0;
}

int net_ring_start(struct net_ring *ring, struct tender_error *err)
{
    return ring == NULL ? 0 : ring_thread_start(&ring->io, err);
}

void net_ring_stop(struct net_ring *ring)
{
    if (ring != NULL)
        ring_thread_stop(&ring->io);
}

void net_ring_destroy(struct net_ring *ring)
{
    if (ring == NULL)
        return;
    ring_thread_close(&ring->io);
    free(ring->rx_buf);
    free(ring);
}

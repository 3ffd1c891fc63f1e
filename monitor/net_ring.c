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
#include <poll.h>
#include <pthread.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "net_ring.h"
#include "sandbox.h"

#define ETH_HEADER_LEN 14
/* Looks at the ring before the thread sleeps, as Solo5's tender does. */
#define NET_RING_POLL_ITERS 4096
#define NET_RING_POLL_NS 50000

static inline uint32_t load_u32(const volatile uint32_t *p)
{
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static inline void store_u32(volatile uint32_t *p, uint32_t v)
{
    __atomic_store_n(p, v, __ATOMIC_RELEASE);
}

int64_t net_ring_pending(uint32_t head, uint32_t tail)
{
    uint32_t n = tail - head;

    return n > HVT_RING_SIZE ? -1 : (int64_t)n;
}

int64_t net_ring_commit_room(uint32_t com_tail, uint32_t com_head)
{
    uint32_t used = com_tail - com_head;

    return used > HVT_RING_SIZE ? -1 : (int64_t)(HVT_RING_SIZE - used);
}

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

static void fault(struct net_ring *ring, enum net_ring_fault why,
                  uint32_t value)
{
    struct tender_vm *vm = ring->vm;

    vm->ring_fault_detail = (uint64_t)why << 32 | value;
    atomic_store(&vm->ring_fault, 1);
    /* As tender_vm_request_stop(), with the one call our sandbox allows.
     * The vCPU thread waits for us (net_ring_stop) before it leaves
     * tender_vm_run, so its thread id is still its own. */
    vm->stop_requested = 1;
    if (vm->run != NULL)
        vm->run->immediate_exit = 1;
    if (vm->vcpu_tid > 0)
        syscall(SYS_tgkill, vm->vcpu_pid, vm->vcpu_tid, vm->kick_signal);
}

int net_ring_serve(struct net_ring *ring)
{
    struct hvt_ring *r = ring->shared;

    while (ring->final_pass || !atomic_load(&ring->stop)) {
        uint32_t tail = load_u32(&r->ent_tail);
        int64_t pending = net_ring_pending(ring->ent_head, tail);
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
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
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
            int64_t room =
                net_ring_commit_room(ring->com_tail, load_u32(&r->com_head));

            if (room < 0) {
                fault(ring, NET_RING_FAULT_COM_HEAD, load_u32(&r->com_head));
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
            store_u32(&r->com_tail, ring->com_tail);
        }
        ring->stats.entries++;
        ring->ent_head++;
        store_u32(&r->ent_head, ring->ent_head);
    }
    return 0;
}

static int ring_idle(struct net_ring *ring)
{
    return net_ring_pending(ring->ent_head,
                            load_u32(&ring->shared->ent_tail)) == 0;
}

static uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/*
 * Look at the ring for a while before sleeping: at least
 * NET_RING_POLL_ITERS times (Solo5's tender's count) and for at least
 * NET_RING_POLL_NS, so that a guest that keeps sending finds us awake
 * and needs no kick.  1 if an entry came.
 */
static int poll_ring(struct net_ring *ring)
{
    uint64_t start = 0;

    for (unsigned i = 0;; i++) {
        if (!ring_idle(ring))
            return 1;
        __asm__ __volatile__("pause");
        if (i < NET_RING_POLL_ITERS || i % 64 != 0)
            continue;
        if (start == 0)
            start = now_ns();
        else if (now_ns() - start >= NET_RING_POLL_NS)
            return 0;
    }
}

static void *io_thread(void *arg)
{
    struct net_ring *ring = arg;
    struct hvt_ring *r = ring->shared;
    struct tender_error err;
    int faulted = 0;

    /* Confined before it touches anything of the guest's; the thread
     * that started it waits for the verdict. */
    if (ring->vm->sandbox &&
        sandbox_apply(ring->vm, SANDBOX_RING_IO, &err) < 0) {
        atomic_store(&ring->ready, -1);
        atomic_store(&ring->done, 1);
        return NULL;
    }
    atomic_store(&ring->ready, 1);
    while (!atomic_load(&ring->stop)) {
        uint64_t v;
        int rc = net_ring_serve(ring), busy = 0;

        if (rc < 0) {
            faulted = 1;
            break;
        }
        /* With every commit slot unconsumed (rc 1), the entry left waits
         * for the guest's next kick, without spinning on it. */
        if (rc == 0)
            busy = poll_ring(ring);
        if (busy)
            continue;
        /* Ask for a kick, then look once more: the guest may have queued
         * an entry after our last look but before it saw needs_kick. */
        store_u32(&r->needs_kick, 1);
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        if ((rc == 1 || ring_idle(ring)) && !atomic_load(&ring->stop)) {
            if (read(ring->efd, &v, sizeof(v)) == (ssize_t)sizeof(v))
                ring->stats.wakeups++;
        }
        store_u32(&r->needs_kick, 0);
    }
    /*
     * The guest has stopped: what it queued before it halted is still
     * served (its last frames go out, as they would have a moment
     * later), once.  The vCPU no longer runs, so that is at most one
     * ring of entries.
     */
    if (!faulted) {
        ring->final_pass = 1;
        net_ring_serve(ring);
    }
    atomic_store(&ring->done, 1);
    return NULL;
}

int net_ring_create(struct tender_vm *vm, const struct net_ring_dev *devs,
                    size_t rx_size, struct net_ring **ringp,
                    struct tender_error *err)
{
    struct kvm_ioeventfd ioev;
    struct net_ring *ring;

    *ringp = NULL;
    if (vm->ring_gpa == 0)
        return 0;
    ring = calloc(1, sizeof(*ring));
    if (ring == NULL)
        return tnd_fail(err, TENDER_E_SYSTEM, "out of memory");
    ring->vm = vm;
    ring->shared = (struct hvt_ring *)(vm->mem.base + vm->ring_gpa);
    memcpy(ring->dev, devs, sizeof(ring->dev));
    ring->rx_size = rx_size;
    ring->efd = -1;
    *ringp = ring;
    ring->rx_buf = malloc(rx_size);
    if (ring->rx_buf == NULL)
        return tnd_fail(err, TENDER_E_SYSTEM, "out of memory");
    ring->efd = eventfd(0, EFD_CLOEXEC);
    if (ring->efd < 0)
        return tnd_fail_errno(err, TENDER_E_SYSTEM, errno,
                              "cannot create the network ring's eventfd");
    /* Any 4-byte OUT to the kick port, whatever its value. */
    memset(&ioev, 0, sizeof(ioev));
    ioev.addr = HVT_RING_KICK_PIO;
    ioev.len = 4;
    ioev.fd = ring->efd;
    ioev.flags = KVM_IOEVENTFD_FLAG_PIO;
    if (ioctl(vm->vm_fd, KVM_IOEVENTFD, &ioev) < 0)
        return tnd_fail_errno(err, TENDER_E_KVM, errno, "KVM_IOEVENTFD");
    /* The thread sleeps until the first kick. */
    ring->shared->needs_kick = 1;
    for (int h = 0; h < HVT_MFT_MAX_ENTRIES; h++)
        if (ring->dev[h].fd >= 0 &&
            vm_sandbox_allow_io(vm, ring->dev[h].fd,
                                SANDBOX_READ | SANDBOX_WRITE) < 0)
            return tnd_fail(err, TENDER_E_DEVICE, "too many devices");
    if (vm_sandbox_allow_io(vm, ring->efd, SANDBOX_READ) < 0 ||
        vm_sandbox_allow(vm, ring->efd, SANDBOX_WRITE) < 0)
        return tnd_fail(err, TENDER_E_DEVICE, "too many devices");
    vm->host_features |= HVT_FEATURE_RING_IO;
    return 0;
}

static void sleep_ms(void)
{
    struct timespec ms = {0, 1000000};

    ppoll(NULL, 0, &ms, NULL);
}

int net_ring_start(struct net_ring *ring, struct tender_error *err)
{
    pthread_attr_t attr;
    pthread_t thread;
    sigset_t all, old;
    int rc;

    if (ring == NULL || ring->started)
        return 0;
    atomic_store(&ring->ready, 0);
    atomic_store(&ring->done, 0);
    atomic_store(&ring->stop, 0);
    /* Signals are for the vCPU thread: the I/O thread takes none. */
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    rc = pthread_create(&thread, &attr, io_thread, ring);
    pthread_attr_destroy(&attr);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0)
        return tnd_fail_errno(err, TENDER_E_SYSTEM, rc,
                              "cannot start the network ring's thread");
    ring->started = 1;
    while (atomic_load(&ring->ready) == 0)
        sleep_ms();
    if (atomic_load(&ring->ready) < 0) {
        net_ring_stop(ring);
        return tnd_fail(err, TENDER_E_SYSTEM,
                        "cannot confine the network ring's thread");
    }
    return 0;
}

void net_ring_stop(struct net_ring *ring)
{
    const uint64_t one = 1;

    if (ring == NULL || !ring->started)
        return;
    atomic_store(&ring->stop, 1);
    /* The thread is detached, and the vCPU thread may be in the sandbox,
     * which has no futex for pthread_join: wake it, then wait for it to
     * say it is done with the VM. */
    while (!atomic_load(&ring->done)) {
        if (write(ring->efd, &one, sizeof(one)) < 0) {
            /* Only a full counter fails, and that wakes it too. */
        }
        sleep_ms();
    }
    ring->started = 0;
}

void net_ring_destroy(struct net_ring *ring)
{
    if (ring == NULL)
        return;
    net_ring_stop(ring);
    if (ring->efd >= 0)
        close(ring->efd);
    free(ring->rx_buf);
    free(ring);
}

/*
 * A ring's I/O thread (ring_thread.h).  The thread is confined by a
 * seccomp filter of its own before it touches guest memory, takes no
 * signals (they are the vCPU thread's), and is detached: the vCPU thread
 * may already be in its sandbox, which has no futex for pthread_join, when
 * it stops the thread, so it waits for the thread's "done" instead.
 */
#include <errno.h>
#include <linux/kvm.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "ring_thread.h"
#include "sandbox.h"

/*
 * Looks at the ring before the thread sleeps, as Solo5's tender does, and
 * for longer than a kick costs: a guest whose next entry comes after the
 * window pays a kick (a VM exit) for it, which delays the entry after it
 * past the window too.  With a window of about one exit (50 us in the
 * emulated host) both states held, and a run could fall into the slow
 * one for good; at four exits it does not.
 */
#define RING_POLL_ITERS 4096
#define RING_POLL_NS 200000

int64_t ring_pending(uint32_t head, uint32_t tail)
{
    uint32_t n = tail - head;

    return n > HVT_RING_SIZE ? -1 : (int64_t)n;
}

int64_t ring_commit_room(uint32_t com_tail, uint32_t com_head)
{
    uint32_t used = com_tail - com_head;

    return used > HVT_RING_SIZE ? -1 : (int64_t)(HVT_RING_SIZE - used);
}

void ring_fault(struct tender_vm *vm, uint64_t detail)
{
    unsigned long long none = 0;

    atomic_compare_exchange_strong(&vm->ring_fault_detail, &none, detail);
    atomic_store(&vm->ring_fault, 1);
    /* As tender_vm_request_stop(), with the one call our sandbox allows.
     * The vCPU thread waits for us (ring_thread_stop) before it leaves
     * tender_vm_run, so its thread id is still its own. */
    vm->stop_requested = 1;
    if (vm->run != NULL)
        vm->run->immediate_exit = 1;
    if (vm->vcpu_tid > 0)
        syscall(SYS_tgkill, vm->vcpu_pid, vm->vcpu_tid, vm->kick_signal);
}

static uint64_t now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/*
 * Look at the ring for a while before sleeping: at least RING_POLL_ITERS
 * times (Solo5's tender's count) and for at least RING_POLL_NS, so that a
 * guest that keeps queueing finds us awake and needs no kick.  1 if an
 * entry came.
 */
static int poll_ring(struct ring_thread *t)
{
    uint64_t start = 0;

    for (unsigned i = 0;; i++) {
        if (t->kind->ready(t->ctx))
            return 1;
        __asm__ __volatile__("pause");
        if (i < RING_POLL_ITERS || i % 64 != 0)
            continue;
        if (start == 0)
            start = now_ns();
        else if (now_ns() - start >= RING_POLL_NS)
            return 0;
    }
}

/*
 * Ask for a kick, then sleep until it comes (or until we are stopped).
 * Our store of needs_kick comes before our last look at the ring, as the
 * guest's store of ent_tail (or com_head) comes before its look at
 * needs_kick: one of us sees the other, and no entry is left asleep.
 */
static void sleep_until_kicked(struct ring_thread *t)
{
    uint64_t v;

    ring_store(t->needs_kick, 1);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (!t->kind->ready(t->ctx) && !atomic_load(&t->stop) &&
        read(t->efd, &v, sizeof(v)) < 0) {
        /* Interrupted or closed: look at the ring again either way. */
    }
    ring_store(t->needs_kick, 0);
}

static void *io_thread(void *arg)
{
    struct ring_thread *t = arg;
    struct tender_error err;
    int faulted = 0;

    if (t->vm->sandbox && sandbox_apply(t->vm, t->kind->filter, &err) < 0) {
        atomic_store(&t->confined, -1);
        atomic_store(&t->done, 1);
        return NULL;
    }
    atomic_store(&t->confined, 1);
    while (!atomic_load(&t->stop)) {
        int rc = t->kind->serve(t->ctx);

        if (rc < 0) {
            faulted = 1;
            break;
        }
        /* With every commit slot unconsumed (rc 1), the entry left waits
         * for the guest to consume one and kick, without spinning on it. */
        if (rc == 0 && poll_ring(t))
            continue;
        sleep_until_kicked(t);
    }
    /*
     * The guest has stopped: what it queued before is still served (as
     * it would have been a moment later), once.  The vCPU no longer runs,
     * so that is at most one ring of entries.
     */
    if (!faulted) {
        t->final_pass = 1;
        t->kind->serve(t->ctx);
    }
    atomic_store(&t->done, 1);
    return NULL;
}

void ring_thread_clear(struct ring_thread *t)
{
    memset(t, 0, sizeof(*t));
    t->efd = -1;
}

int ring_thread_init(struct ring_thread *t, struct tender_vm *vm,
                     const struct ring_kind *kind, void *ctx,
                     volatile uint32_t *needs_kick, struct tender_error *err)
{
    struct kvm_ioeventfd ioev;

    t->vm = vm;
    t->kind = kind;
    t->ctx = ctx;
    t->needs_kick = needs_kick;
    t->efd = eventfd(0, EFD_CLOEXEC);
    if (t->efd < 0)
        return tnd_fail_errno(err, TENDER_E_SYSTEM, errno,
                              "cannot create the %s's eventfd", t->kind->what);
    /* Any 4-byte OUT to the kick port, whatever its value. */
    memset(&ioev, 0, sizeof(ioev));
    ioev.addr = kind->kick_port;
    ioev.len = 4;
    ioev.fd = t->efd;
    ioev.flags = KVM_IOEVENTFD_FLAG_PIO;
    if (ioctl(vm->vm_fd, KVM_IOEVENTFD, &ioev) < 0)
        return tnd_fail_errno(err, TENDER_E_KVM, errno,
                              "KVM_IOEVENTFD for the %s", t->kind->what);
    *t->needs_kick = 1;
    /* Read by the thread; written by ring_thread_stop to wake it. */
    if (vm_sandbox_allow_io(vm, t->efd, SANDBOX_READ, kind->owner) < 0 ||
        vm_sandbox_allow(vm, t->efd, SANDBOX_WRITE) < 0)
        return tnd_fail(err, TENDER_E_DEVICE, "too many devices");
    return 0;
}

static void sleep_ms(void)
{
    struct timespec ms = {0, 1000000};

    ppoll(NULL, 0, &ms, NULL);
}

int ring_thread_start(struct ring_thread *t, struct tender_error *err)
{
    pthread_attr_t attr;
    pthread_t thread;
    sigset_t all, old;
    int rc;

    if (t->started)
        return 0;
    atomic_store(&t->confined, 0);
    atomic_store(&t->done, 0);
    atomic_store(&t->stop, 0);
    t->final_pass = 0;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    rc = pthread_create(&thread, &attr, io_thread, t);
    pthread_attr_destroy(&attr);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0)
        return tnd_fail_errno(err, TENDER_E_SYSTEM, rc,
                              "cannot start the %s's thread", t->kind->what);
    t->started = 1;
    while (atomic_load(&t->confined) == 0)
        sleep_ms();
    if (atomic_load(&t->confined) < 0) {
        ring_thread_stop(t);
        return tnd_fail(err, TENDER_E_SYSTEM, "cannot confine the %s's thread",
                        t->kind->what);
    }
    return 0;
}

void ring_thread_stop(struct ring_thread *t)
{
    const uint64_t one = 1;

    if (!t->started)
        return;
    atomic_store(&t->stop, 1);
    while (!atomic_load(&t->done)) {
        if (write(t->efd, &one, sizeof(one)) < 0) {
            /* Only a full counter fails, and that wakes it too. */
        }
        sleep_ms();
    }
    t->started = 0;
}

void ring_thread_close(struct ring_thread *t)
{
    ring_thread_stop(t);
    if (t->efd >= 0)
        close(t->efd);
    t->efd = -1;
}

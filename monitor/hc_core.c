/*
 * The core module: the hypercalls every guest has, with no device behind
 * them: WALLTIME, PUTS (the console), POLL and HALT.
 */
#include <errno.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>

#include "dumpcore.h"
#include "module.h"

static enum hc_result hc_walltime(struct tender_vm *vm, void *argp, void *ctx)
{
    struct hvt_hc_walltime *arg = argp;
    struct timespec ts;

    (void)vm;
    (void)ctx;
    clock_gettime(CLOCK_REALTIME, &ts);
    arg->nsecs = (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
    return HC_CONTINUE;
}

/*
 * The default console: standard output, unbuffered, whole writes.  A
 * reader that stops reading blocks the guest (its output is not dropped),
 * but a stop request still gets through: the signal that carries it
 * interrupts the write.
 */
static void console_stdout(struct tender_vm *vm, const char *data, size_t len)
{
    /* A stop may come between two writes, or before the first: a write
     * interrupted after part of its data returns that count, not EINTR. */
    while (len > 0 && !vm->stop_requested) {
        ssize_t n = write(STDOUT_FILENO, data, len);

        if (n < 0 && errno == EINTR && !vm->stop_requested)
            continue;
        if (n <= 0)
            return; /* A closed stdout must not stop the guest. */
        data += n;
        len -= (size_t)n;
    }
}

static enum hc_result hc_puts(struct tender_vm *vm, void *argp, void *ctx)
{
    struct hvt_hc_puts *arg = argp;
    const char *data = guest_mem_ptr(&vm->mem, arg->data_gpa, arg->len);

    (void)ctx;
    if (data == NULL)
        return arg->len == 0 ? HC_CONTINUE : HC_BAD_ARG;
    if (vm->console != NULL)
        vm->console(vm->console_opaque, data, arg->len);
    else
        console_stdout(vm, data, arg->len);
    return HC_CONTINUE;
}

/*
 * ts minus the time since start, or zero once it has passed.  Unsigned:
 * a guest's timeout may be up to 2^64 - 1 ns, which fits there.
 */
static void time_left(struct timespec *ts, const struct timespec *start)
{
    struct timespec now;
    uint64_t total, elapsed, left;

    clock_gettime(CLOCK_MONOTONIC, &now);
    total = (uint64_t)ts->tv_sec * 1000000000ULL + (uint64_t)ts->tv_nsec;
    elapsed = (uint64_t)(now.tv_sec - start->tv_sec) * 1000000000ULL +
              (uint64_t)now.tv_nsec - (uint64_t)start->tv_nsec;
    left = total > elapsed ? total - elapsed : 0;
    ts->tv_sec = (time_t)(left / 1000000000ULL);
    ts->tv_nsec = (long)(left % 1000000000ULL);
}

/*
 * ppoll for at most ts.  A signal that is not a stop request (one an
 * embedder handles) does not cut the guest's sleep short: the wait goes
 * on for what is left, as in Solo5's tender.  A stop request returns at
 * once, and the vCPU loop then ends the guest; so does the debugger's
 * interrupt, which the vCPU loop then reports to gdb.
 */
static int wait_for_input(struct tender_vm *vm, struct pollfd *fds,
                          struct timespec *ts)
{
    struct timespec start, left = *ts;
    int n;

    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        /* A stop whose signal came before this sleep began. */
        if (vm->stop_requested || atomic_load(&vm->vcpu_wanted))
            return 0;
        n = ppoll(fds, (nfds_t)vm->n_poll_fds, &left, NULL);
        if (n >= 0 || errno != EINTR || vm->stop_requested)
            return n;
        left = *ts;
        time_left(&left, &start);
    }
}

static enum hc_result hc_poll(struct tender_vm *vm, void *argp, void *ctx)
{
    struct hvt_hc_poll *arg = argp;
    struct pollfd fds[VM_MAX_POLL_FDS];
    struct timespec ts;
    uint64_t ready = 0;
    int n, count = 0;

    (void)ctx;
    ts.tv_sec = (time_t)(arg->timeout_nsecs / 1000000000ULL);
    ts.tv_nsec = (long)(arg->timeout_nsecs % 1000000000ULL);
    for (int i = 0; i < vm->n_poll_fds; i++) {
        fds[i].fd = vm->poll_fd[i];
        fds[i].events = POLLIN;
        fds[i].revents = 0;
    }
    n = wait_for_input(vm, fds, &ts);
    for (int i = 0; n > 0 && i < vm->n_poll_fds; i++) {
        /* A device in error is ready too: its read reports the error. */
        if (fds[i].revents & (POLLIN | POLLERR | POLLHUP)) {
            ready |= 1ULL << vm->poll_handle[i];
            count++;
        }
    }
    arg->ready_set = ready;
    arg->ret = count;
    return HC_CONTINUE;
}

static enum hc_result hc_halt(struct tender_vm *vm, void *argp, void *ctx)
{
    struct hvt_hc_halt *arg = argp;

    (void)ctx;
    /* Statuses above 255 are reserved by the ABI: treat them as abort. */
    if (arg->exit_status < 0 || arg->exit_status > 255)
        vm->exit.status = HVT_EXIT_ABORT;
    else
        vm->exit.status = arg->exit_status;
    if (vm->exit.status == HVT_EXIT_ABORT)
        dumpcore_note_halt(vm, arg->cookie_gpa);
    return HC_HALT;
}

static int core_attach(struct tender_vm *vm, void **state,
                       struct tender_error *err)
{
    (void)state;
    (void)err;
    vm_register_hypercall(vm, HVT_HYPERCALL_WALLTIME,
                          sizeof(struct hvt_hc_walltime), hc_walltime, NULL);
    vm_register_hypercall(vm, HVT_HYPERCALL_PUTS, sizeof(struct hvt_hc_puts),
                          hc_puts, NULL);
    vm_register_hypercall(vm, HVT_HYPERCALL_POLL, sizeof(struct hvt_hc_poll),
                          hc_poll, NULL);
    vm_register_hypercall(vm, HVT_HYPERCALL_HALT, sizeof(struct hvt_hc_halt),
                          hc_halt, NULL);
    return 0;
}

const struct tender_module tender_module_core = {
    .name = "core",
    .option_keys = NULL,
    .usage = NULL,
    .attach = core_attach,
    .detach = NULL,
};

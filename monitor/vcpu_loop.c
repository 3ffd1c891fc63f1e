/*
 * The vCPU loop: run the guest, turn each exit into a hypercall or a stop.
 * Anything the guest does that is not a well-formed hypercall stops it.
 */
#include <errno.h>
#include <linux/kvm.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "error.h"
#include "gdb_stub.h"
#include "vm.h"

static void stop(struct tender_vm *vm, enum tender_stop reason, uint64_t detail)
{
    vm->exit.reason = reason;
    vm->exit.detail = detail;
    /* Synced by KVM on every exit: no ioctl, which the sandbox forbids. */
    vm->exit.rip = vm->run->s.regs.regs.rip;
}

/* Returns 1 when the guest must stop (vm->exit says why), else 0. */
static int handle_io(struct tender_vm *vm)
{
    struct kvm_run *run = vm->run;
    unsigned nr = run->io.port - HVT_HYPERCALL_PIO_BASE;
    const struct hc_entry *hc;
    uint32_t gpa;
    void *arg;
    /* Handlers work on an aligned private copy of the argument struct:
     * the guest may place it anywhere, and it cannot change under us. */
    uint64_t copy[HC_MAX_ARG_SIZE / 8];
    enum hc_result result;

    if (run->io.direction != KVM_EXIT_IO_OUT || run->io.size != 4 ||
        run->io.count != 1 || run->io.port < HVT_HYPERCALL_PIO_BASE ||
        nr >= HVT_HYPERCALL_MAX || vm->hc[nr].fn == NULL) {
        stop(vm, TENDER_STOP_BAD_IO, run->io.port);
        return 1;
    }
    hc = &vm->hc[nr];
    memcpy(&gpa, (uint8_t *)run + run->io.data_offset, sizeof(gpa));
    arg = guest_mem_ptr(&vm->mem, gpa, hc->arg_size);
    if (arg == NULL) {
        stop(vm, TENDER_STOP_BAD_HYPERCALL, nr);
        return 1;
    }
    memcpy(copy, arg, hc->arg_size);
    result = hc->fn(vm, copy, hc->ctx);
    /* Write back only what changed, and never into read-only pages: a
     * guest may pass a const struct (PUTS) from its rodata. */
    if (memcmp(arg, copy, hc->arg_size) != 0) {
        if (vm_guest_ptr_writable(vm, gpa, hc->arg_size) == NULL) {
            stop(vm, TENDER_STOP_MEM_FAULT, gpa);
            return 1;
        }
        memcpy(arg, copy, hc->arg_size);
    }
    switch (result) {
    case HC_CONTINUE:
        return 0;
    case HC_HALT:
        stop(vm, TENDER_STOP_HALT, 0);
        return 1;
    case HC_BAD_ARG:
    default:
        stop(vm, TENDER_STOP_BAD_HYPERCALL, nr);
        return 1;
    }
}

/* The debugger has had the guest: 1 if it must stop, 0 to run it. */
static int debugger_stopped(struct tender_vm *vm, int must_stop)
{
    if (must_stop)
        stop(vm, TENDER_STOP_DEBUGGER, 0);
    return must_stop;
}

/* Returns 1 when the guest must stop, 0 to run it again. */
int vcpu_handle_exit(struct tender_vm *vm)
{
    struct kvm_run *run = vm->run;
    int rc;

    switch (run->exit_reason) {
    case KVM_EXIT_IO:
        return handle_io(vm);
    case KVM_EXIT_MMIO:
        /* Inside guest memory, only a page the host maps read-only (the
         * guest's text) can exit this way: the guest wrote to it. */
        if (run->mmio.phys_addr < vm->mem.size)
            stop(vm, TENDER_STOP_MEM_FAULT, run->mmio.phys_addr);
        else
            stop(vm, TENDER_STOP_BAD_MMIO, run->mmio.phys_addr);
        return 1;
    case KVM_EXIT_DEBUG:
        /* Only a debugged guest has guest debugging on. */
        if (vm->gdb == NULL)
            break;
        return debugger_stopped(vm, gdb_stub_debug_exit(vm));
    case KVM_EXIT_SHUTDOWN:
        stop(vm, TENDER_STOP_TRIPLE_FAULT, 0);
        return 1;
    case KVM_EXIT_HLT:
        /* gdb's breakpoints are HLT bytes; the guest's own HLT is an
         * error, as there is nothing to wake it. */
        rc = vm->gdb != NULL ? gdb_stub_halt_exit(vm) : -1;
        if (rc >= 0)
            return debugger_stopped(vm, rc);
        stop(vm, TENDER_STOP_KVM_ERROR, KVM_EXIT_HLT);
        return 1;
    case KVM_EXIT_FAIL_ENTRY:
        stop(vm, TENDER_STOP_KVM_ERROR,
             run->fail_entry.hardware_entry_failure_reason);
        return 1;
#ifdef KVM_EXIT_MEMORY_FAULT
    case KVM_EXIT_MEMORY_FAULT:
        stop(vm, TENDER_STOP_MEM_FAULT, run->memory_fault.gpa);
        return 1;
#endif
    case KVM_EXIT_INTERNAL_ERROR:
        stop(vm, TENDER_STOP_KVM_ERROR, run->internal.suberror);
        return 1;
    default:
        break;
    }
    stop(vm, TENDER_STOP_KVM_ERROR, run->exit_reason);
    return 1;
}

/* The guest's first instruction waits for the debugger, if there is one:
 * 1 if it must not run at all. */
static int wait_for_debugger(struct tender_vm *vm, struct tender_error *err)
{
    int rc;

    if (vm->gdb == NULL)
        return 0;
    rc = gdb_stub_start(vm, err);
    if (rc > 0)
        stop(vm,
             vm->stop_requested ? TENDER_STOP_REQUESTED : TENDER_STOP_DEBUGGER,
             0);
    return rc;
}

/* KVM_RUN was interrupted: 1 if gdb's interrupt ended in a kill. */
static int debugger_interrupt(struct tender_vm *vm)
{
    int kill = 0;

    if (vm->gdb == NULL || !gdb_stub_interrupted(vm, &kill) || !kill)
        return 0;
    stop(vm, vm->stop_requested ? TENDER_STOP_REQUESTED : TENDER_STOP_DEBUGGER,
         0);
    return 1;
}

int vcpu_loop(struct tender_vm *vm, struct tender_error *err)
{
    int rc = wait_for_debugger(vm, err);

    if (rc != 0)
        return rc < 0 ? -1 : 0;
    for (;;) {
        if (vm->stop_requested) {
            /* The ring's I/O thread asks for a stop only for a guest
             * that broke the ring's protocol. */
            if (atomic_load(&vm->ring_fault))
                stop(vm, TENDER_STOP_BAD_RING,
                     atomic_load(&vm->ring_fault_detail));
            else
                stop(vm, TENDER_STOP_REQUESTED, 0);
            return 0;
        }
        if (ioctl(vm->vcpu_fd, KVM_RUN, 0) < 0) {
            if (errno == EINTR || errno == EAGAIN) {
                vm->run->immediate_exit = 0;
                if (debugger_interrupt(vm))
                    return 0;
                continue;
            }
            if (errno == EFAULT) {
                /* The host mapping refused the access: a write to text. */
                stop(vm, TENDER_STOP_MEM_FAULT, 0);
                return 0;
            }
            return tnd_fail_errno(err, TENDER_E_KVM, errno, "KVM_RUN");
        }
        vm->exit.exits++;
        if (vm->test_forbidden_syscall)
            getppid(); /* test builds only: the sandbox must kill us */
        if (vcpu_handle_exit(vm))
            return 0;
    }
}

/*
 * The sandbox's policy table (sandbox_policy.h; docs/security.md lists it
 * with the reason for each line).
 */
#include <fcntl.h>
#include <linux/kvm.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "dumpcore.h"
#include "sandbox_policy.h"

#define VCPU SANDBOX_THREAD_VCPU
#define IO SANDBOX_THREAD_IO

const struct sandbox_rule sandbox_policy[] = {
    /* Syscalls that take no descriptor, or whose descriptors BPF cannot
     * see. */
    {.nr = SYS_ppoll, .threads = VCPU, .kind = SANDBOX_ANY}, /* POLL */
    {.nr = SYS_clock_gettime, .threads = VCPU | IO, .kind = SANDBOX_ANY},
    {.nr = SYS_rt_sigreturn, .threads = VCPU, .kind = SANDBOX_ANY},
    {.nr = SYS_exit_group, .threads = VCPU, .kind = SANDBOX_ANY},
    /* An embedder's vCPU thread may return once its guest has stopped:
     * the thread's own exit, and musl's unmapping of a detached thread's
     * stack on the way out.  The ring's detached I/O thread likewise. */
    {.nr = SYS_exit, .threads = VCPU | IO, .kind = SANDBOX_ANY},
    {.nr = SYS_munmap, .threads = VCPU | IO, .kind = SANDBOX_ANY},
    /* The same thread exit, with one argument pinned: blocking every
     * signal first (glibc and musl), and glibc giving its stack's pages
     * back. */
    {.nr = SYS_rt_sigprocmask,
     .threads = VCPU | IO,
     .kind = SANDBOX_PINNED,
     .arg = 0,
     .value = SIG_BLOCK},
    {.nr = SYS_madvise,
     .threads = VCPU | IO,
     .kind = SANDBOX_PINNED,
     .arg = 2,
     .value = MADV_DONTNEED},
    /* The I/O thread: the C library's locks (a thread exit may wait on
     * one), and the stop request it sends the vCPU thread when the guest
     * breaks the ring's protocol, with the VM's kick signal only. */
    {.nr = SYS_futex, .threads = IO, .kind = SANDBOX_ANY},
    {.nr = SYS_tgkill, .threads = IO, .kind = SANDBOX_KICK, .arg = 2},
    /* The devices' I/O, each on its own descriptors (for the I/O thread:
     * the taps and the kick's eventfd). */
    {.nr = SYS_read,
     .threads = VCPU | IO,
     .kind = SANDBOX_VM_FDS,
     .op = SANDBOX_READ},
    {.nr = SYS_write,
     .threads = VCPU | IO,
     .kind = SANDBOX_VM_FDS,
     .op = SANDBOX_WRITE},
    {.nr = SYS_pread64,
     .threads = VCPU,
     .kind = SANDBOX_VM_FDS,
     .op = SANDBOX_PREAD},
    {.nr = SYS_pwrite64,
     .threads = VCPU,
     .kind = SANDBOX_VM_FDS,
     .op = SANDBOX_PWRITE},
    {.nr = SYS_fdatasync,
     .threads = VCPU,
     .kind = SANDBOX_VM_FDS,
     .op = SANDBOX_FDATASYNC},
    /* Running the guest. */
    {.nr = SYS_ioctl,
     .threads = VCPU,
     .kind = SANDBOX_VCPU_IOCTL,
     .value = KVM_RUN},
    /* Core dumps, only when on: create a new file in the core directory
     * (O_EXCL: never an existing one), move it onto the reserved number,
     * whose pwrite64 is then allowed like a device's. */
    {.nr = SYS_openat,
     .threads = VCPU,
     .kind = SANDBOX_CORE,
     .arg = 0,
     .core_fd = SANDBOX_CORE_DIR,
     .value = DUMPCORE_OPEN_FLAGS},
    {.nr = SYS_dup3,
     .threads = VCPU,
     .kind = SANDBOX_CORE,
     .arg = 1,
     .core_fd = SANDBOX_CORE_SLOT,
     .value = O_CLOEXEC},
};

const size_t sandbox_policy_len =
    sizeof(sandbox_policy) / sizeof(sandbox_policy[0]);

int sandbox_core_fd_for(const struct tender_vm *vm,
                        const struct sandbox_rule *r)
{
    if (vm->core.dir_fd < 0)
        return -1;
    return r->core_fd == SANDBOX_CORE_DIR ? vm->core.dir_fd : vm->core.slot_fd;
}

size_t sandbox_fds_for(const struct tender_vm *vm, unsigned thread, unsigned op,
                       int *fds, size_t max)
{
    size_t n = 0;

    /* The console and the closing line; the I/O thread's log lines. */
    if (op == SANDBOX_WRITE && thread == SANDBOX_THREAD_VCPU && max >= 2) {
        fds[n++] = STDOUT_FILENO;
        fds[n++] = STDERR_FILENO;
    } else if (op == SANDBOX_WRITE && max >= 1) {
        fds[n++] = STDERR_FILENO;
    }
    for (int i = 0; i < vm->n_sandbox_fds && n < max; i++)
        if ((vm->sandbox_fd[i].ops & op) &&
            (vm->sandbox_fd[i].threads & thread))
            fds[n++] = vm->sandbox_fd[i].fd;
    return n;
}

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

static const struct sandbox_rule vcpu_rules[] = {
    /* Syscalls that take no descriptor, or whose descriptors BPF cannot
     * see. */
    {.nr = SYS_ppoll, .kind = SANDBOX_ANY}, /* POLL: its fds are in memory */
    {.nr = SYS_clock_gettime, .kind = SANDBOX_ANY}, /* without the vDSO */
    {.nr = SYS_rt_sigreturn, .kind = SANDBOX_ANY},  /* the stop handler */
    {.nr = SYS_exit_group, .kind = SANDBOX_ANY},
    /* An embedder's vCPU thread may return once its guest has stopped:
     * the thread's own exit, and musl's unmapping of a detached thread's
     * stack on the way out. */
    {.nr = SYS_exit, .kind = SANDBOX_ANY},
    {.nr = SYS_munmap, .kind = SANDBOX_ANY},
    /* The same thread exit, with one argument pinned: blocking every
     * signal first (glibc and musl), and glibc giving its stack's pages
     * back. */
    {.nr = SYS_rt_sigprocmask,
     .kind = SANDBOX_PINNED,
     .arg = 0,
     .value = SIG_BLOCK},
    {.nr = SYS_madvise,
     .kind = SANDBOX_PINNED,
     .arg = 2,
     .value = MADV_DONTNEED},
    /* The devices' I/O, each on its own descriptors. */
    {.nr = SYS_read, .kind = SANDBOX_VM_FDS, .op = SANDBOX_READ},
    {.nr = SYS_write, .kind = SANDBOX_VM_FDS, .op = SANDBOX_WRITE},
    {.nr = SYS_pread64, .kind = SANDBOX_VM_FDS, .op = SANDBOX_PREAD},
    {.nr = SYS_pwrite64, .kind = SANDBOX_VM_FDS, .op = SANDBOX_PWRITE},
    {.nr = SYS_fdatasync, .kind = SANDBOX_VM_FDS, .op = SANDBOX_FDATASYNC},
    /* Running the guest. */
    {.nr = SYS_ioctl, .kind = SANDBOX_VCPU_IOCTL, .value = KVM_RUN},
    /* Core dumps, only when on: create a new file in the core directory
     * (O_EXCL: never an existing one), move it onto the reserved number,
     * whose pwrite64 is then allowed like a device's. */
    {.nr = SYS_openat,
     .kind = SANDBOX_CORE,
     .arg = 0,
     .core_fd = SANDBOX_CORE_DIR,
     .value = DUMPCORE_OPEN_FLAGS},
    {.nr = SYS_dup3,
     .kind = SANDBOX_CORE,
     .arg = 1,
     .core_fd = SANDBOX_CORE_SLOT,
     .value = O_CLOEXEC},
    /*
     * A guest debugged with gdb (gdb_stub.c, gdb_kvm.c): the debugger's
     * socket (read above, as a VM descriptor), the vCPU's registers and
     * guest debugging, the watcher's lock, and mprotect to write a
     * breakpoint into the text the monitor maps read-only: read-write for
     * the write, then read-only again, never executable.
     */
    {.nr = SYS_sendto,
     .kind = SANDBOX_VM_FDS,
     .op = SANDBOX_SEND,
     .when = SANDBOX_WITH_GDB},
    {.nr = SYS_close,
     .kind = SANDBOX_VM_FDS,
     .op = SANDBOX_CLOSE,
     .when = SANDBOX_WITH_GDB},
    {.nr = SYS_ioctl,
     .kind = SANDBOX_VCPU_IOCTL,
     .value = KVM_GET_REGS,
     .when = SANDBOX_WITH_GDB},
    {.nr = SYS_ioctl,
     .kind = SANDBOX_VCPU_IOCTL,
     .value = KVM_SET_REGS,
     .when = SANDBOX_WITH_GDB},
    {.nr = SYS_ioctl,
     .kind = SANDBOX_VCPU_IOCTL,
     .value = KVM_GET_SREGS,
     .when = SANDBOX_WITH_GDB},
    {.nr = SYS_ioctl,
     .kind = SANDBOX_VCPU_IOCTL,
     .value = KVM_SET_SREGS,
     .when = SANDBOX_WITH_GDB},
    {.nr = SYS_ioctl,
     .kind = SANDBOX_VCPU_IOCTL,
     .value = KVM_GET_FPU,
     .when = SANDBOX_WITH_GDB},
    {.nr = SYS_ioctl,
     .kind = SANDBOX_VCPU_IOCTL,
     .value = KVM_SET_GUEST_DEBUG,
     .when = SANDBOX_WITH_GDB},
    {.nr = SYS_futex, .kind = SANDBOX_ANY, .when = SANDBOX_WITH_GDB},
    {.nr = SYS_mprotect,
     .kind = SANDBOX_PINNED,
     .arg = 2,
     .value = PROT_READ | PROT_WRITE,
     .when = SANDBOX_WITH_GDB},
    {.nr = SYS_mprotect,
     .kind = SANDBOX_PINNED,
     .arg = 2,
     .value = PROT_READ,
     .when = SANDBOX_WITH_GDB},
};

/*
 * The watcher polls the debugger's socket (poll's descriptors are in
 * memory), takes the stub's lock, kicks the vCPU thread with a signal,
 * and exits like any thread (see the vCPU's rules).
 */
static const struct sandbox_rule watcher_rules[] = {
    {.nr = SYS_poll, .kind = SANDBOX_ANY},
    {.nr = SYS_ppoll, .kind = SANDBOX_ANY},
    {.nr = SYS_futex, .kind = SANDBOX_ANY},
    {.nr = SYS_tkill, .kind = SANDBOX_ANY},  /* musl's pthread_kill */
    {.nr = SYS_tgkill, .kind = SANDBOX_ANY}, /* glibc's */
    {.nr = SYS_getpid, .kind = SANDBOX_ANY}, /* glibc's, for tgkill */
    {.nr = SYS_exit, .kind = SANDBOX_ANY},
    {.nr = SYS_munmap, .kind = SANDBOX_ANY},
    {.nr = SYS_rt_sigprocmask,
     .kind = SANDBOX_PINNED,
     .arg = 0,
     .value = SIG_BLOCK},
    /* pthread_kill puts the signal mask back as it found it. */
    {.nr = SYS_rt_sigprocmask,
     .kind = SANDBOX_PINNED,
     .arg = 0,
     .value = SIG_SETMASK},
    {.nr = SYS_madvise,
     .kind = SANDBOX_PINNED,
     .arg = 2,
     .value = MADV_DONTNEED},
};

/*
 * A ring's I/O thread, the network ring's or the block ring's: one table
 * for both, since each allows these calls only on its own descriptors
 * (sandbox_fds_for), and a call with none, such as pread64 in the
 * network ring's thread, has no rule at all.  The network ring reads and
 * writes its taps, the block ring uses pread64, pwrite64 and fdatasync on
 * its disks; each reads its kick's eventfd and writes standard error.
 * Then the C library's locks, the stop request it sends the vCPU thread
 * when the guest breaks the ring's protocol (a raw tgkill, with the VM's
 * kick signal only), its clock (the vDSO's fallback), and a detached
 * thread's exit (see the vCPU's rules).
 */
static const struct sandbox_rule io_thread_rules[] = {
    {.nr = SYS_read, .kind = SANDBOX_VM_FDS, .op = SANDBOX_READ},
    {.nr = SYS_write, .kind = SANDBOX_VM_FDS, .op = SANDBOX_WRITE},
    {.nr = SYS_pread64, .kind = SANDBOX_VM_FDS, .op = SANDBOX_PREAD},
    {.nr = SYS_pwrite64, .kind = SANDBOX_VM_FDS, .op = SANDBOX_PWRITE},
    {.nr = SYS_fdatasync, .kind = SANDBOX_VM_FDS, .op = SANDBOX_FDATASYNC},
    {.nr = SYS_futex, .kind = SANDBOX_ANY},
    {.nr = SYS_tgkill, .kind = SANDBOX_KICK, .arg = 2},
    {.nr = SYS_clock_gettime, .kind = SANDBOX_ANY},
    {.nr = SYS_exit, .kind = SANDBOX_ANY},
    {.nr = SYS_munmap, .kind = SANDBOX_ANY},
    {.nr = SYS_rt_sigprocmask,
     .kind = SANDBOX_PINNED,
     .arg = 0,
     .value = SIG_BLOCK},
    {.nr = SYS_madvise,
     .kind = SANDBOX_PINNED,
     .arg = 2,
     .value = MADV_DONTNEED},
};

const struct sandbox_rule *sandbox_rules(enum sandbox_thread t, size_t *n)
{
    if (t == SANDBOX_GDB_WATCHER) {
        *n = sizeof(watcher_rules) / sizeof(watcher_rules[0]);
        return watcher_rules;
    }
    if (t == SANDBOX_RING_IO || t == SANDBOX_BLOCK_IO) {
        *n = sizeof(io_thread_rules) / sizeof(io_thread_rules[0]);
        return io_thread_rules;
    }
    *n = sizeof(vcpu_rules) / sizeof(vcpu_rules[0]);
    return vcpu_rules;
}

int sandbox_rule_applies(const struct tender_vm *vm,
                         const struct sandbox_rule *r)
{
    return r->when == SANDBOX_ALWAYS || vm->gdb != NULL;
}

int sandbox_core_fd_for(const struct tender_vm *vm,
                        const struct sandbox_rule *r)
{
    if (vm->core.dir_fd < 0)
        return -1;
    return r->core_fd == SANDBOX_CORE_DIR ? vm->core.dir_fd : vm->core.slot_fd;
}

size_t sandbox_fds_for(const struct tender_vm *vm, enum sandbox_thread t,
                       unsigned op, int *fds, size_t max)
{
    unsigned owner = t == SANDBOX_RING_IO    ? SANDBOX_FD_RING
                     : t == SANDBOX_BLOCK_IO ? SANDBOX_FD_BLOCK_RING
                                             : SANDBOX_FD_VCPU;
    size_t n = 0;

    /* The console and the closing line; the rings' log lines. */
    if (op == SANDBOX_WRITE && owner == SANDBOX_FD_VCPU && max >= 2) {
        fds[n++] = STDOUT_FILENO;
        fds[n++] = STDERR_FILENO;
    } else if (op == SANDBOX_WRITE && max >= 1) {
        fds[n++] = STDERR_FILENO;
    }
    for (int i = 0; i < vm->n_sandbox_fds && n < max; i++)
        if ((vm->sandbox_fd[i].ops & op) && (vm->sandbox_fd[i].owners & owner))
            fds[n++] = vm->sandbox_fd[i].fd;
    return n;
}

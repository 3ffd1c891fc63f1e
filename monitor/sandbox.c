/*
 * The sandbox: a seccomp filter built for one VM from the descriptors its
 * devices declared (vm_sandbox_allow), installed on the vCPU thread just
 * before the first KVM_RUN.  Anything not listed kills the process.
 *
 * The filter is classic BPF written out here rather than with libseccomp:
 * it must know this VM's descriptor numbers, it must link into a static
 * musl binary, and a process may host several VMs, each with its own
 * thread and filter.  docs/security.md explains the choice.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/kvm.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "error.h"
#include "sandbox.h"

#define ARG0 offsetof(struct seccomp_data, args[0])
#define ARG1 offsetof(struct seccomp_data, args[1])
#define ARG2 offsetof(struct seccomp_data, args[2])

struct bpf_buf {
    struct sock_filter *insn;
    size_t len;
    size_t max;
    int overflow;
};

static void emit(struct bpf_buf *b, uint16_t code, uint32_t k, uint8_t jt,
                 uint8_t jf)
{
    if (b->len >= b->max) {
        b->overflow = 1;
        return;
    }
    b->insn[b->len].code = code;
    b->insn[b->len].k = k;
    b->insn[b->len].jt = jt;
    b->insn[b->len].jf = jf;
    b->len++;
}

static void emit_ret(struct bpf_buf *b, uint32_t action)
{
    emit(b, BPF_RET | BPF_K, action, 0, 0);
}

/* The descriptors of this VM that may be used with operation op. */
static size_t fds_for(const struct tender_vm *vm, unsigned op, int *fds,
                      size_t max)
{
    size_t n = 0;

    if (op == SANDBOX_WRITE) {
        fds[n++] = STDOUT_FILENO;
        fds[n++] = STDERR_FILENO;
    }
    for (int i = 0; i < vm->n_sandbox_fds && n < max; i++)
        if (vm->sandbox_fd[i].ops & op)
            fds[n++] = vm->sandbox_fd[i].fd;
    return n;
}

/*
 * A block that allows the call if its first argument (the descriptor,
 * whose low 32 bits are all the kernel reads) is one of fds, else kills.
 */
static void emit_fd_check(struct bpf_buf *b, const int *fds, size_t n)
{
    emit(b, BPF_LD | BPF_W | BPF_ABS, ARG0, 0, 0);
    for (size_t i = 0; i < n; i++)
        emit(b, BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)fds[i], (uint8_t)(n - i),
             0);
    emit_ret(b, SECCOMP_RET_KILL_PROCESS);
    emit_ret(b, SECCOMP_RET_ALLOW);
}

/* ioctl: only KVM_RUN, only on this VM's vCPU. */
static void emit_ioctl_check(struct bpf_buf *b, int vcpu_fd)
{
    emit(b, BPF_LD | BPF_W | BPF_ABS, ARG0, 0, 0);
    emit(b, BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)vcpu_fd, 0, 2);
    emit(b, BPF_LD | BPF_W | BPF_ABS, ARG1, 0, 0);
    emit(b, BPF_JMP | BPF_JEQ | BPF_K, KVM_RUN, 1, 0);
    emit_ret(b, SECCOMP_RET_KILL_PROCESS);
    emit_ret(b, SECCOMP_RET_ALLOW);
}

/* Syscalls that take no descriptor, or whose descriptors BPF cannot see. */
static const int plain_syscalls[] = {
    SYS_ppoll,         /* POLL: its descriptor array is in memory */
    SYS_clock_gettime, /* WALLTIME and POLL, when the vDSO is absent */
    SYS_rt_sigreturn,  /* returning from the stop-signal handler */
    SYS_exit_group,
    /* An embedder's vCPU thread may return once its guest has stopped:
     * the thread's own exit, and musl's unmapping of a detached thread's
     * stack on the way out. */
    SYS_exit,
    SYS_munmap,
};

/*
 * Syscalls allowed with one argument pinned, for the same thread exit:
 * blocking every signal first (glibc and musl), and glibc giving its
 * stack's pages back.
 */
static const struct {
    int nr;
    uint32_t arg_offset;
    uint32_t value;
} pinned_syscalls[] = {
    {SYS_rt_sigprocmask, ARG0, SIG_BLOCK},
    {SYS_madvise, ARG2, MADV_DONTNEED},
};

static const struct {
    int nr;
    unsigned op;
} fd_syscalls[] = {
    {SYS_read, SANDBOX_READ},           {SYS_write, SANDBOX_WRITE},
    {SYS_pread64, SANDBOX_PREAD},       {SYS_pwrite64, SANDBOX_PWRITE},
    {SYS_fdatasync, SANDBOX_FDATASYNC},
};

int sandbox_build(const struct tender_vm *vm, struct sock_filter *insn,
                  size_t max, size_t *len)
{
    struct bpf_buf b = {insn, 0, max, 0};
    int fds[VM_MAX_SANDBOX_FDS + 2];

    emit(&b, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch), 0,
         0);
    emit(&b, BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
    emit_ret(&b, SECCOMP_RET_KILL_PROCESS);
    emit(&b, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr), 0, 0);
    for (size_t i = 0; i < sizeof(plain_syscalls) / sizeof(int); i++) {
        emit(&b, BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)plain_syscalls[i], 0, 1);
        emit_ret(&b, SECCOMP_RET_ALLOW);
    }
    for (size_t i = 0; i < sizeof(pinned_syscalls) / sizeof(pinned_syscalls[0]);
         i++) {
        /* nr matches: load the argument, allow only the one value. */
        emit(&b, BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)pinned_syscalls[i].nr, 0,
             4);
        emit(&b, BPF_LD | BPF_W | BPF_ABS, pinned_syscalls[i].arg_offset, 0, 0);
        emit(&b, BPF_JMP | BPF_JEQ | BPF_K, pinned_syscalls[i].value, 0, 1);
        emit_ret(&b, SECCOMP_RET_ALLOW);
        emit_ret(&b, SECCOMP_RET_KILL_PROCESS);
    }
    /* Each checked syscall: if nr matches, fall into its block, else skip. */
    for (size_t i = 0; i < sizeof(fd_syscalls) / sizeof(fd_syscalls[0]); i++) {
        size_t n =
            fds_for(vm, fd_syscalls[i].op, fds, sizeof(fds) / sizeof(fds[0]));

        if (n == 0)
            continue;
        emit(&b, BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)fd_syscalls[i].nr, 0,
             (uint8_t)(n + 3));
        /* Skipping the block leaves A holding nr for the next test. */
        emit_fd_check(&b, fds, n);
    }
    emit(&b, BPF_JMP | BPF_JEQ | BPF_K, SYS_ioctl, 0, 6);
    emit_ioctl_check(&b, vm->vcpu_fd);
    emit_ret(&b, SECCOMP_RET_KILL_PROCESS);
    if (b.overflow)
        return -1;
    *len = b.len;
    return 0;
}

int sandbox_harden_process(struct tender_error *err)
{
    struct rlimit no_core = {0, 0};
    int persona = personality(0xffffffff);

    if (persona != -1 && (persona & READ_IMPLIES_EXEC))
        return tnd_fail(err, TENDER_E_SYSTEM,
                        "refusing to run with the READ_IMPLIES_EXEC "
                        "personality");
    if (getenv("TENDER_CORE_DUMP") == NULL) {
        setrlimit(RLIMIT_CORE, &no_core);
        prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    }
    return 0;
}

int sandbox_apply(const struct tender_vm *vm, struct tender_error *err)
{
    struct sock_filter insn[SANDBOX_MAX_INSNS];
    struct sock_fprog prog;
    size_t len;

    if (sandbox_build(vm, insn, SANDBOX_MAX_INSNS, &len) < 0)
        return tnd_fail(err, TENDER_E_SYSTEM, "sandbox filter too large");
    prog.len = (unsigned short)len;
    prog.filter = insn;
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        return tnd_fail_errno(err, TENDER_E_SYSTEM, errno,
                              "PR_SET_NO_NEW_PRIVS");
    /* No TSYNC flag: the filter confines this thread, not the process. */
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
        return tnd_fail_errno(err, TENDER_E_SYSTEM, errno,
                              "cannot install the seccomp filter");
    return 0;
}

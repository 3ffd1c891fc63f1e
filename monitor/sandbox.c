/*
 * The sandbox: a seccomp filter built for one VM from the descriptors its
 * devices declared (vm_sandbox_allow), installed on the vCPU thread just
 * before the first KVM_RUN.  Anything not listed kills the process.
 *
 * What the filter allows is the table of sandbox_policy.c.  Here it is
 * written out as classic BPF rather than with libseccomp: it must know
 * this VM's descriptor numbers, it must link into a static musl binary,
 * and a process may host several VMs, each with its own thread and
 * filter.  docs/security.md explains the choice.  libseccomp builds the
 * same table too (sandbox_libseccomp.c): the unit tests judge this
 * generator by it, and a build with TENDER_SECCOMP=libseccomp loads its
 * filter instead.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "error.h"
#include "sandbox.h"
#include "sandbox_policy.h"

/* The low half of argument i: x86_64 is little-endian. */
#define ARG(i) ((uint32_t)(offsetof(struct seccomp_data, args) + 8 * (i)))

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

/* Put the syscall number back into A: a block whose arguments did not
 * match hands the call on to the later rules, whose blocks test A. */
static void emit_reload_nr(struct bpf_buf *b)
{
    emit(b, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr), 0, 0);
}

/*
 * A block that allows the call if its first argument (the descriptor,
 * whose low 32 bits are all the kernel reads) is one of fds, else goes
 * on to the next rule.
 */
static void emit_fd_check(struct bpf_buf *b, const int *fds, size_t n)
{
    emit(b, BPF_LD | BPF_W | BPF_ABS, ARG(0), 0, 0);
    for (size_t i = 0; i < n; i++)
        emit(b, BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)fds[i],
             (uint8_t)(n - i + 1), 0);
    emit_reload_nr(b);
    emit(b, BPF_JMP | BPF_JA, 1, 0, 0);
    emit_ret(b, SECCOMP_RET_ALLOW);
}

/*
 * Each rule's block starts with A holding nr: if it is not the rule's
 * syscall, the block is skipped with A unchanged for the next rule.
 */
static void emit_any(struct bpf_buf *b, const struct sandbox_rule *r)
{
    emit(b, BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)r->nr, 0, 1);
    emit_ret(b, SECCOMP_RET_ALLOW);
}

/*
 * Every block below allows what its rule allows and hands anything else
 * on to the later rules (nr reloaded), since a later rule may allow
 * another value of the same call; the final kill takes what none allows.
 *
 * nr matches: load the argument, allow the one value.
 */
static void emit_pinned(struct bpf_buf *b, const struct sandbox_rule *r)
{
    emit(b, BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)r->nr, 0, 4);
    emit(b, BPF_LD | BPF_W | BPF_ABS, ARG(r->arg), 0, 0);
    emit(b, BPF_JMP | BPF_JEQ | BPF_K, r->value, 0, 1);
    emit_ret(b, SECCOMP_RET_ALLOW);
    emit_reload_nr(b);
}

/* A syscall no descriptor of this VM may use gets no block: the final
 * kill covers it. */
static void emit_vm_fds(struct bpf_buf *b, const struct tender_vm *vm,
                        enum sandbox_thread thread,
                        const struct sandbox_rule *r)
{
    int fds[SANDBOX_MAX_FDS_PER_OP];
    size_t n = sandbox_fds_for(vm, thread, r->op, fds, SANDBOX_MAX_FDS_PER_OP);

    if (n == 0)
        return;
    emit(b, BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)r->nr, 0, (uint8_t)(n + 4));
    emit_fd_check(b, fds, n);
}

/* ioctl: only the one request, only on this VM's vCPU. */
static void emit_vcpu_ioctl(struct bpf_buf *b, const struct tender_vm *vm,
                            const struct sandbox_rule *r)
{
    emit(b, BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)r->nr, 0, 6);
    emit(b, BPF_LD | BPF_W | BPF_ABS, ARG(0), 0, 0);
    emit(b, BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)vm->vcpu_fd, 0, 3);
    emit(b, BPF_LD | BPF_W | BPF_ABS, ARG(1), 0, 0);
    emit(b, BPF_JMP | BPF_JEQ | BPF_K, r->value, 0, 1);
    emit_ret(b, SECCOMP_RET_ALLOW);
    emit_reload_nr(b);
}

/* Core dumps: one descriptor argument and argument 2, both pinned. */
static void emit_core(struct bpf_buf *b, const struct tender_vm *vm,
                      const struct sandbox_rule *r)
{
    int fd = sandbox_core_fd_for(vm, r);

    if (fd < 0)
        return;
    emit(b, BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)r->nr, 0, 6);
    emit(b, BPF_LD | BPF_W | BPF_ABS, ARG(r->arg), 0, 0);
    emit(b, BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)fd, 0, 3);
    emit(b, BPF_LD | BPF_W | BPF_ABS, ARG(2), 0, 0);
    emit(b, BPF_JMP | BPF_JEQ | BPF_K, r->value, 0, 1);
    emit_ret(b, SECCOMP_RET_ALLOW);
    emit_reload_nr(b);
}

/* The VM's kick signal as argument arg. */
static void emit_kick(struct bpf_buf *b, const struct tender_vm *vm,
                      const struct sandbox_rule *r)
{
    emit(b, BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)r->nr, 0, 4);
    emit(b, BPF_LD | BPF_W | BPF_ABS, ARG(r->arg), 0, 0);
    emit(b, BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)vm->kick_signal, 0, 1);
    emit_ret(b, SECCOMP_RET_ALLOW);
    emit_reload_nr(b);
}

static void emit_rule(struct bpf_buf *b, const struct tender_vm *vm,
                      enum sandbox_thread thread, const struct sandbox_rule *r)
{
    if (!sandbox_rule_applies(vm, r))
        return;
    switch (r->kind) {
    case SANDBOX_ANY:
        emit_any(b, r);
        break;
    case SANDBOX_PINNED:
        emit_pinned(b, r);
        break;
    case SANDBOX_VM_FDS:
        emit_vm_fds(b, vm, thread, r);
        break;
    case SANDBOX_KICK:
        emit_kick(b, vm, r);
        break;
    case SANDBOX_VCPU_IOCTL:
        emit_vcpu_ioctl(b, vm, r);
        break;
    case SANDBOX_CORE:
        emit_core(b, vm, r);
        break;
    }
}

int sandbox_build(const struct tender_vm *vm, enum sandbox_thread thread,
                  struct sock_filter *insn, size_t max, size_t *len)
{
    struct bpf_buf b = {insn, 0, max, 0};
    size_t n;
    const struct sandbox_rule *rules = sandbox_rules(thread, &n);

    emit(&b, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch), 0,
         0);
    emit(&b, BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
    emit_ret(&b, SECCOMP_RET_KILL_PROCESS);
    emit(&b, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr), 0, 0);
    for (size_t i = 0; i < n; i++)
        emit_rule(&b, vm, thread, &rules[i]);
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

/* The generator this build loads the filter of (monitor/CMakeLists.txt). */
#ifdef TENDER_SECCOMP_LIBSECCOMP
#define SANDBOX_GENERATE sandbox_build_libseccomp
#else
#define SANDBOX_GENERATE sandbox_build
#endif

int sandbox_apply(const struct tender_vm *vm, enum sandbox_thread thread,
                  struct tender_error *err)
{
    struct sock_filter insn[SANDBOX_MAX_INSNS];
    struct sock_fprog prog;
    size_t len;

    if (SANDBOX_GENERATE(vm, thread, insn, SANDBOX_MAX_INSNS, &len) < 0)
        return tnd_fail(err, TENDER_E_SYSTEM,
                        "cannot build the sandbox filter");
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

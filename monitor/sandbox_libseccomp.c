/*
 * The sandbox's policy (sandbox_policy.h) built by libseccomp and exported
 * as classic BPF, for the same installation as sandbox.c's own filter.
 *
 * Two programs use it: the unit tests' judge, which proves that both
 * generators give the same verdict on every call it tries, and a tender
 * built with TENDER_SECCOMP=libseccomp (dynamic, against glibc), which
 * loads this filter instead of the hand-written one.
 *
 * The filter is exported, not loaded with seccomp_load(): the context is
 * released before the filter is installed, so that freeing it cannot make
 * a call (brk, say) that the filter would kill.
 */
#include <errno.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sandbox.h"
#include "sandbox_policy.h"

/*
 * Every comparison is of the low 32 bits, as in sandbox.c: the arguments
 * compared are int or unsigned int, and the kernel ignores the upper half
 * of their registers.  SCMP_CMP_EQ (even SCMP_A0_32) would also demand a
 * zero upper half, and kill a call that the kernel would run as allowed.
 */
static struct scmp_arg_cmp low32_eq(unsigned arg, uint32_t value)
{
    return SCMP_CMP(arg, SCMP_CMP_MASKED_EQ, 0xffffffffULL, value);
}

static int allow(scmp_filter_ctx ctx, int nr, unsigned n,
                 const struct scmp_arg_cmp *cmp)
{
    /* _exact: x86_64 is the native and only architecture, so nothing
     * needs rewriting, and anything libseccomp would rewrite is an
     * error rather than a silently different rule. */
    int rc = seccomp_rule_add_exact_array(ctx, SCMP_ACT_ALLOW, nr, n, cmp);

    /* A descriptor listed twice for one call is the same rule again:
     * libseccomp 2.5 accepts it, and -EEXIST would say just that. */
    return rc == -EEXIST ? 0 : rc;
}

static int add_vm_fds(scmp_filter_ctx ctx, const struct tender_vm *vm,
                      enum sandbox_thread thread, const struct sandbox_rule *r)
{
    int fds[SANDBOX_MAX_FDS_PER_OP];
    size_t n = sandbox_fds_for(vm, thread, r->op, fds, SANDBOX_MAX_FDS_PER_OP);

    for (size_t i = 0; i < n; i++) {
        struct scmp_arg_cmp fd = low32_eq(0, (uint32_t)fds[i]);

        if (allow(ctx, r->nr, 1, &fd) < 0)
            return -1;
    }
    return 0;
}

static int add_rule(scmp_filter_ctx ctx, const struct tender_vm *vm,
                    enum sandbox_thread thread, const struct sandbox_rule *r)
{
    struct scmp_arg_cmp cmp[2];

    if (!sandbox_rule_applies(vm, r))
        return 0;
    switch (r->kind) {
    case SANDBOX_ANY:
        return allow(ctx, r->nr, 0, NULL);
    case SANDBOX_PINNED:
        cmp[0] = low32_eq(r->arg, r->value);
        return allow(ctx, r->nr, 1, cmp);
    case SANDBOX_VM_FDS:
        return add_vm_fds(ctx, vm, thread, r);
    case SANDBOX_KICK:
        cmp[0] = low32_eq(r->arg, (uint32_t)vm->kick_signal);
        return allow(ctx, r->nr, 1, cmp);
    case SANDBOX_VCPU_IOCTL:
        cmp[0] = low32_eq(0, (uint32_t)vm->vcpu_fd);
        cmp[1] = low32_eq(1, r->value);
        return allow(ctx, r->nr, 2, cmp);
    case SANDBOX_CORE:
        if (sandbox_core_fd_for(vm, r) < 0)
            return 0;
        cmp[0] = low32_eq(r->arg, (uint32_t)sandbox_core_fd_for(vm, r));
        cmp[1] = low32_eq(2, r->value);
        return allow(ctx, r->nr, 2, cmp);
    }
    return -1;
}

static int add_policy(scmp_filter_ctx ctx, const struct tender_vm *vm,
                      enum sandbox_thread thread)
{
    size_t n;
    const struct sandbox_rule *rules = sandbox_rules(thread, &n);

    /* seccomp_init's only architecture is the native one, which the
     * policy's syscall numbers are for. */
    if (seccomp_arch_native() != SCMP_ARCH_X86_64)
        return -1;
    /* A 32-bit or x32 call: killed like any call not allowed, where
     * libseccomp's default would kill only the thread. */
    if (seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS) <
        0)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (add_rule(ctx, vm, thread, &rules[i]) < 0)
            return -1;
    return 0;
}

/* libseccomp exports only to a descriptor: a memfd, read back. */
static int export_bpf(scmp_filter_ctx ctx, struct sock_filter *insn, size_t max,
                      size_t *len)
{
    int fd = memfd_create("tender-seccomp", MFD_CLOEXEC);
    off_t size;
    int rc = -1;

    if (fd < 0)
        return -1;
    if (seccomp_export_bpf(ctx, fd) < 0)
        goto out;
    size = lseek(fd, 0, SEEK_END);
    if (size <= 0 || (size_t)size % sizeof(*insn) != 0 ||
        (size_t)size / sizeof(*insn) > max)
        goto out;
    if (pread(fd, insn, (size_t)size, 0) != size)
        goto out;
    *len = (size_t)size / sizeof(*insn);
    rc = 0;
out:
    close(fd);
    return rc;
}

int sandbox_build_libseccomp(const struct tender_vm *vm,
                             enum sandbox_thread thread,
                             struct sock_filter *insn, size_t max, size_t *len)
{
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
    int rc;

    if (ctx == NULL)
        return -1;
    rc = add_policy(ctx, vm, thread);
    if (rc == 0)
        rc = export_bpf(ctx, insn, max, len);
    seccomp_release(ctx);
    return rc;
}

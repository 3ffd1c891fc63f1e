/*
 * The sandbox's judge: libseccomp builds the same policy as sandbox.c's
 * hand-written generator (sandbox_libseccomp.c; both read the one table
 * of sandbox_policy.c), and the two programs, run on one classic-BPF
 * interpreter (tests/helpers/bpf_run.c), must return the same value for
 * every call tried: each syscall number from 0 to 511 and a few that no
 * syscall has, as x86_64, as x32 (nr | 0x40000000) and as i386, crossed
 * with first arguments (the VM's descriptors, its vCPU, standard input,
 * output and error, which are also SIG_BLOCK, SIG_UNBLOCK and
 * SIG_SETMASK, and descriptors the VM does not have), second arguments
 * (ioctl requests) and third arguments (madvise advice), some with a
 * dirty upper half.  A sample of verdicts is then checked against the
 * kernel, by installing each filter in a child and making the calls.
 *
 * Its own program, not a suite of unit_tests: it links libseccomp.
 */
#include <check.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bpf_run.h"
#include "dumpcore.h"
#include "sandbox.h"

#define X32_BIT 0x40000000u
#define MAX_VALUES (3 * (VM_MAX_SANDBOX_FDS + 7))
#define MAX_SHOWN 10

/* Upper halves: the kernel ignores them for the int arguments compared,
 * and so must both filters (sandbox_policy.h). */
#define DIRTY (1ULL << 32)
#define SIGN_EXTENDED 0xffffffff00000000ULL

/* The two programs for one VM. */
struct filters {
    struct sock_filter own[SANDBOX_MAX_INSNS];
    size_t own_len;
    struct sock_filter lib[SANDBOX_MAX_INSNS];
    size_t lib_len;
};

struct values {
    uint64_t v[MAX_VALUES];
    size_t n;
};

static void add_value(struct values *s, uint64_t v)
{
    ck_assert_uint_lt(s->n, MAX_VALUES);
    s->v[s->n++] = v;
}

/* Each value as it is, with a dirty upper half and sign-extended. */
static void add_with_upper_halves(struct values *s, uint32_t v)
{
    add_value(s, v);
    add_value(s, v | DIRTY);
    add_value(s, v | SIGN_EXTENDED);
}

static struct tender_vm *new_vm(int vcpu_fd)
{
    struct tender_vm *vm = calloc(1, sizeof(*vm));

    ck_assert_ptr_nonnull(vm);
    vm->vcpu_fd = vcpu_fd;
    return vm;
}

/* The tender command's VM with one tap and one disk. */
static struct tender_vm *vm_tap_and_disk(void)
{
    struct tender_vm *vm = new_vm(7);

    ck_assert_int_eq(vm_sandbox_allow(vm, 5, SANDBOX_READ | SANDBOX_WRITE), 0);
    ck_assert_int_eq(
        vm_sandbox_allow(vm, 6,
                         SANDBOX_PREAD | SANDBOX_PWRITE | SANDBOX_FDATASYNC),
        0);
    return vm;
}

/* No device: read, pread64, pwrite64 and fdatasync have no rule at all. */
static struct tender_vm *vm_no_devices(void)
{
    return new_vm(3);
}

/*
 * As many descriptors as a VM may declare, with every mix of operations,
 * and the last one a repeat of the first (a descriptor declared twice
 * must be allowed once, not refused): long jumps in sandbox.c's program,
 * shared blocks in libseccomp's.
 */
static struct tender_vm *vm_many_devices(void)
{
    static const unsigned ops[] = {
        SANDBOX_READ | SANDBOX_WRITE,
        SANDBOX_PREAD | SANDBOX_PWRITE | SANDBOX_FDATASYNC,
        SANDBOX_READ | SANDBOX_WRITE | SANDBOX_PREAD | SANDBOX_PWRITE |
            SANDBOX_FDATASYNC,
        SANDBOX_PREAD,
    };
    struct tender_vm *vm = new_vm(9);

    for (int i = 0; i < VM_MAX_SANDBOX_FDS - 1; i++)
        ck_assert_int_eq(vm_sandbox_allow(vm, 10 + i, ops[i % 4]), 0);
    ck_assert_int_eq(vm_sandbox_allow(vm, 10, ops[0]), 0);
    return vm;
}

/*
 * A guest debugged with gdb: the debugger's socket (12) is read, written
 * with sendto and closed.  Only the pointer's being set matters to the
 * policy; the stub itself is never reached.
 */
static struct gdb_stub *const some_stub = (struct gdb_stub *)&some_stub;

static struct tender_vm *vm_debugged(void)
{
    struct tender_vm *vm = vm_tap_and_disk();

    vm->gdb = some_stub;
    ck_assert_int_eq(
        vm_sandbox_allow(vm, 12, SANDBOX_READ | SANDBOX_SEND | SANDBOX_CLOSE),
        0);
    return vm;
}

/* Core dumps on: openat on the directory (4), dup3 onto the reserved
 * number (11), pwrite64 on it. */
static struct tender_vm *vm_dumpcore(void)
{
    struct tender_vm *vm = vm_tap_and_disk();

    vm->core.dir_fd = 4;
    vm->core.slot_fd = 11;
    ck_assert_int_eq(vm_sandbox_allow(vm, 11, SANDBOX_PWRITE), 0);
    return vm;
}

/*
 * Both rings, the kick signal 36: the network ring (the tap 5, its
 * eventfd 8) and the block ring (the disk 6, its eventfd 9).  The vCPU
 * thread writes the eventfds, each I/O thread reads its own and uses its
 * device.
 */
static struct tender_vm *vm_ring(void)
{
    struct tender_vm *vm = vm_tap_and_disk();

    vm->kick_signal = 36;
    ck_assert_int_eq(vm_sandbox_allow_io(vm, 5, SANDBOX_READ | SANDBOX_WRITE,
                                         SANDBOX_FD_RING),
                     0);
    ck_assert_int_eq(vm_sandbox_allow_io(vm, 8, SANDBOX_READ, SANDBOX_FD_RING),
                     0);
    ck_assert_int_eq(vm_sandbox_allow(vm, 8, SANDBOX_WRITE), 0);
    ck_assert_int_eq(
        vm_sandbox_allow_io(vm, 6,
                            SANDBOX_PREAD | SANDBOX_PWRITE | SANDBOX_FDATASYNC,
                            SANDBOX_FD_BLOCK_RING),
        0);
    ck_assert_int_eq(
        vm_sandbox_allow_io(vm, 9, SANDBOX_READ, SANDBOX_FD_BLOCK_RING), 0);
    ck_assert_int_eq(vm_sandbox_allow(vm, 9, SANDBOX_WRITE), 0);
    return vm;
}

static void build_both(const struct tender_vm *vm, enum sandbox_thread thread,
                       struct filters *f, const char *name)
{
    ck_assert_int_eq(
        sandbox_build(vm, thread, f->own, SANDBOX_MAX_INSNS, &f->own_len), 0);
    ck_assert_int_eq(sandbox_build_libseccomp(vm, thread, f->lib,
                                              SANDBOX_MAX_INSNS, &f->lib_len),
                     0);
    printf("sandbox judge: %s: sandbox.c %zu instructions, libseccomp %zu\n",
           name, f->own_len, f->lib_len);
}

/* First arguments: every descriptor the filters might know, and two
 * they must not (the next number, and a far one). */
static void first_args(const struct tender_vm *vm, struct values *s)
{
    int top = vm->vcpu_fd;

    for (uint32_t fd = 0; fd <= 2; fd++) /* also SIG_BLOCK.. SIG_SETMASK */
        add_with_upper_halves(s, fd);
    add_with_upper_halves(s, (uint32_t)vm->vcpu_fd);
    add_with_upper_halves(s, 4); /* vm_dumpcore's directory */
    for (int i = 0; i < vm->n_sandbox_fds; i++) {
        add_with_upper_halves(s, (uint32_t)vm->sandbox_fd[i].fd);
        if (vm->sandbox_fd[i].fd > top)
            top = vm->sandbox_fd[i].fd;
    }
    add_with_upper_halves(s, (uint32_t)top + 1);
    add_with_upper_halves(s, 1000);
}

static void second_args(struct values *s)
{
    add_value(s, 0);
    add_value(s, KVM_RUN);
    add_value(s, KVM_RUN | DIRTY);
    add_value(s, KVM_GET_REGS);
    add_value(s, 11); /* vm_dumpcore's reserved number, for dup3 */
    add_value(s, 11 | DIRTY);
    add_value(s, 12);
    add_value(s, KVM_SET_REGS);
    add_value(s, KVM_GET_SREGS);
    add_value(s, KVM_SET_SREGS);
    add_value(s, KVM_GET_FPU);
    add_value(s, KVM_SET_GUEST_DEBUG);
    add_value(s, KVM_SET_GUEST_DEBUG | DIRTY);
    add_value(s, KVM_SET_FPU);
}

static void third_args(struct values *s)
{
    add_value(s, MADV_NORMAL);
    add_value(s, MADV_DONTNEED);
    add_value(s, MADV_DONTNEED | DIRTY);
    add_value(s, MADV_WILLNEED);
    add_value(s, MADV_FREE);
    /* openat's and dup3's flags (dumpcore.h), right and nearly so. */
    add_value(s, DUMPCORE_OPEN_FLAGS);
    add_value(s, DUMPCORE_OPEN_FLAGS | DIRTY);
    add_value(s, DUMPCORE_OPEN_FLAGS & ~O_EXCL);
    add_value(s, O_RDONLY | O_CLOEXEC);
    /* mprotect's protections for a breakpoint, and executable ones. */
    add_value(s, PROT_READ);
    add_value(s, PROT_READ | PROT_WRITE | DIRTY);
    add_value(s, PROT_READ | PROT_EXEC);
    add_value(s, PROT_READ | PROT_WRITE | PROT_EXEC);
    /* tgkill's signal: vm_ring's kick signal, dirty, and another. */
    add_value(s, 36);
    add_value(s, 36 | DIRTY);
    add_value(s, 9);
}

/* How the call reaches the filter: its arch field and number. */
static const struct {
    uint32_t arch;
    uint32_t nr_bits;
} callers[] = {
    {AUDIT_ARCH_X86_64, 0},       /* x86_64 */
    {AUDIT_ARCH_X86_64, X32_BIT}, /* x32 */
    {AUDIT_ARCH_I386, 0},         /* i386 */
};

/*
 * The syscall numbers tried: 0 to 511, then numbers no syscall has, which
 * reach a filter all the same: -1 (what a tracer's skipped call shows) and
 * the edges of the x32 bit and the sign.
 */
static const uint32_t beyond[] = {0x3fffffff, 0x7fffffff, 0x80000000,
                                  0xffffffff};
#define N_NUMBERS (512 + sizeof(beyond) / sizeof(beyond[0]))

static uint32_t number(uint32_t n)
{
    return n < 512 ? n : beyond[n - 512];
}

struct tally {
    unsigned long verdicts, allowed, differ, refused;
    char first[160]; /* the first call they differ on */
};

/*
 * Both programs on one call.  No ck_assert here: Check reports every
 * passed assertion to its parent, and this runs millions of times.
 */
static void judge_one(const struct filters *f, const struct seccomp_data *d,
                      struct tally *t)
{
    uint32_t own = 0, lib = 0;
    char line[sizeof(t->first)];

    if (bpf_run(f->own, f->own_len, d, &own) < 0 ||
        bpf_run(f->lib, f->lib_len, d, &lib) < 0)
        t->refused++;
    t->verdicts++;
    t->allowed += own == SECCOMP_RET_ALLOW;
    if (own == lib)
        return;
    if (++t->differ > MAX_SHOWN)
        return;
    snprintf(line, sizeof(line),
             "nr %d (%#x) arch %#x args %#llx %#llx %#llx: sandbox.c %#x, "
             "libseccomp %#x",
             d->nr & ~(int)X32_BIT, (unsigned)d->nr, d->arch,
             (unsigned long long)d->args[0], (unsigned long long)d->args[1],
             (unsigned long long)d->args[2], own, lib);
    printf("DIFFER: %s\n", line);
    if (t->differ == 1)
        memcpy(t->first, line, sizeof(line));
}

/* Every syscall number, caller and argument triple, for one VM's thread. */
static void judge(const struct tender_vm *vm, enum sandbox_thread thread,
                  const char *name)
{
    static struct filters f;
    static struct values a0, a1, a2;
    struct seccomp_data d;
    struct tally t;

    memset(&t, 0, sizeof(t));
    memset(&a0, 0, sizeof(a0));
    memset(&a1, 0, sizeof(a1));
    memset(&a2, 0, sizeof(a2));
    build_both(vm, thread, &f, name);
    first_args(vm, &a0);
    second_args(&a1);
    third_args(&a2);
    memset(&d, 0, sizeof(d));
    for (size_t c = 0; c < sizeof(callers) / sizeof(callers[0]); c++)
        for (uint32_t n = 0; n < N_NUMBERS; n++)
            for (size_t i = 0; i < a0.n * a1.n * a2.n; i++) {
                d.arch = callers[c].arch;
                d.nr = (int)(number(n) | callers[c].nr_bits);
                d.args[0] = a0.v[i % a0.n];
                d.args[1] = a1.v[i / a0.n % a1.n];
                d.args[2] = a2.v[i / a0.n / a1.n];
                judge_one(&f, &d, &t);
            }
    printf("sandbox judge: %s: %lu verdicts, %lu allowed, %lu differ\n", name,
           t.verdicts, t.allowed, t.differ);
    fflush(stdout); /* a failed test's process leaves without flushing */
    ck_assert_msg(t.refused == 0, "%s: a program the kernel would refuse",
                  name);
    ck_assert_msg(t.allowed > 0 && t.allowed < t.verdicts,
                  "a filter that allows everything or nothing");
    ck_assert_msg(t.differ == 0, "%s: %lu of %lu verdicts differ, first: %s",
                  name, t.differ, t.verdicts, t.first);
}

START_TEST(judge_tap_and_disk)
{
    judge(vm_tap_and_disk(), SANDBOX_VCPU_THREAD, "a tap, a disk");
}
END_TEST

START_TEST(judge_dumpcore)
{
    judge(vm_dumpcore(), SANDBOX_VCPU_THREAD, "dumpcore");
}
END_TEST

START_TEST(judge_no_devices)
{
    judge(vm_no_devices(), SANDBOX_VCPU_THREAD, "no device");
}
END_TEST

START_TEST(judge_many_devices)
{
    judge(vm_many_devices(), SANDBOX_VCPU_THREAD, "130 descriptors");
}
END_TEST

START_TEST(judge_debugged)
{
    judge(vm_debugged(), SANDBOX_VCPU_THREAD, "debugged with gdb");
}
END_TEST

START_TEST(judge_gdb_watcher)
{
    judge(vm_debugged(), SANDBOX_GDB_WATCHER, "gdb's watcher");
}
END_TEST

START_TEST(judge_ring_vcpu)
{
    judge(vm_ring(), SANDBOX_VCPU_THREAD, "the ring, vCPU thread");
}
END_TEST

START_TEST(judge_ring_io)
{
    judge(vm_ring(), SANDBOX_RING_IO, "the ring, I/O thread");
}
END_TEST

START_TEST(judge_block_ring_io)
{
    judge(vm_ring(), SANDBOX_BLOCK_IO, "the block ring, I/O thread");
}
END_TEST

/* The interpreted verdict of filter f on one call. */
static uint32_t verdict(const struct filters *f, long nr, uint64_t a0,
                        uint64_t a1, uint64_t a2)
{
    struct seccomp_data d;
    uint32_t ret = 0;

    memset(&d, 0, sizeof(d));
    d.arch = AUDIT_ARCH_X86_64;
    d.nr = (int)nr;
    d.args[0] = a0;
    d.args[1] = a1;
    d.args[2] = a2;
    ck_assert_int_eq(bpf_run(f->own, f->own_len, &d, &ret), 0);
    return ret;
}

/*
 * Each I/O thread's filter, call by call: its own descriptors only, and
 * never the other ring's, the vCPU, or standard output.  (Both generators
 * read the same table, so the judge alone cannot see a rule that is too
 * wide.)
 */
START_TEST(ring_threads_keep_to_their_own)
{
    static struct filters net, block;
    static const struct {
        long nr;
        uint64_t a0, a2;
        uint32_t net, block;
    } calls[] = {
        {SYS_read, 5, 0, SECCOMP_RET_ALLOW, SECCOMP_RET_KILL_PROCESS},
        {SYS_write, 5, 0, SECCOMP_RET_ALLOW, SECCOMP_RET_KILL_PROCESS},
        {SYS_read, 8, 0, SECCOMP_RET_ALLOW, SECCOMP_RET_KILL_PROCESS},
        {SYS_read, 9, 0, SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_ALLOW},
        {SYS_pread64, 6, 0, SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_ALLOW},
        {SYS_pwrite64, 6, 0, SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_ALLOW},
        {SYS_fdatasync, 6, 0, SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_ALLOW},
        {SYS_pread64, 5, 0, SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_KILL_PROCESS},
        {SYS_write, 2, 0, SECCOMP_RET_ALLOW, SECCOMP_RET_ALLOW},
        {SYS_write, 1, 0, SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_KILL_PROCESS},
        {SYS_write, 8, 0, SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_KILL_PROCESS},
        {SYS_write, 9, 0, SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_KILL_PROCESS},
        {SYS_ioctl, 7, 0, SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_KILL_PROCESS},
        {SYS_ppoll, 0, 0, SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_KILL_PROCESS},
        {SYS_tgkill, 1, 36, SECCOMP_RET_ALLOW, SECCOMP_RET_ALLOW},
        {SYS_tgkill, 1, 9, SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_KILL_PROCESS},
    };

    build_both(vm_ring(), SANDBOX_RING_IO, &net, "net ring");
    build_both(vm_ring(), SANDBOX_BLOCK_IO, &block, "block ring");
    for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
        ck_assert_msg(verdict(&net, calls[i].nr, calls[i].a0, 0, calls[i].a2) ==
                          calls[i].net,
                      "network ring thread, call %zu", i);
        ck_assert_msg(verdict(&block, calls[i].nr, calls[i].a0, 0,
                              calls[i].a2) == calls[i].block,
                      "block ring thread, call %zu", i);
    }
}
END_TEST

/*
 * What gdb needs is allowed to a debugged guest's vCPU thread and to no
 * other: the default filter stays as it was.
 */
START_TEST(gdb_rules_only_when_debugged)
{
    static struct filters plain, debugged;
    static const struct {
        long nr;
        uint64_t a0, a1, a2;
    } gdb_calls[] = {
        {SYS_sendto, 12, 0, 0},
        {SYS_close, 12, 0, 0},
        {SYS_read, 12, 0, 0},
        {SYS_ioctl, 7, KVM_GET_REGS, 0},
        {SYS_ioctl, 7, KVM_SET_GUEST_DEBUG, 0},
        {SYS_ioctl, 7, KVM_GET_FPU, 0},
        {SYS_futex, 0, 0, 0},
        {SYS_mprotect, 0, 0, PROT_READ},
        {SYS_mprotect, 0, 0, PROT_READ | PROT_WRITE},
    };

    build_both(vm_tap_and_disk(), SANDBOX_VCPU_THREAD, &plain, "plain");
    build_both(vm_debugged(), SANDBOX_VCPU_THREAD, &debugged, "debugged");
    for (size_t i = 0; i < sizeof(gdb_calls) / sizeof(gdb_calls[0]); i++) {
        ck_assert_uint_eq(verdict(&plain, gdb_calls[i].nr, gdb_calls[i].a0,
                                  gdb_calls[i].a1, gdb_calls[i].a2),
                          SECCOMP_RET_KILL_PROCESS);
        ck_assert_uint_eq(verdict(&debugged, gdb_calls[i].nr, gdb_calls[i].a0,
                                  gdb_calls[i].a1, gdb_calls[i].a2),
                          SECCOMP_RET_ALLOW);
    }
    /* Never executable, never another descriptor, never another vCPU
     * request, even debugged. */
    ck_assert_uint_eq(
        verdict(&debugged, SYS_mprotect, 0, 0, PROT_READ | PROT_EXEC),
        SECCOMP_RET_KILL_PROCESS);
    ck_assert_uint_eq(verdict(&debugged, SYS_sendto, 5, 0, 0),
                      SECCOMP_RET_KILL_PROCESS);
    ck_assert_uint_eq(verdict(&debugged, SYS_close, 6, 0, 0),
                      SECCOMP_RET_KILL_PROCESS);
    ck_assert_uint_eq(verdict(&debugged, SYS_ioctl, 7, KVM_SET_FPU, 0),
                      SECCOMP_RET_KILL_PROCESS);
    ck_assert_uint_eq(verdict(&debugged, SYS_ioctl, 7, KVM_RUN, 0),
                      SECCOMP_RET_ALLOW);
}
END_TEST

/*
 * The kernel's verdict on one call: in a child that gives the VM's
 * descriptors a harmless target (/dev/null), installs the filter and
 * makes the call.  1 allowed, 0 killed, -1 neither.
 */
static int kernel_allows(const struct tender_vm *vm,
                         const struct sock_filter *insn, size_t len,
                         const struct seccomp_data *d)
{
    int status;
    pid_t pid = fork();

    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        struct sock_fprog prog = {(unsigned short)len,
                                  (struct sock_filter *)insn};
        int null = open("/dev/null", O_RDWR);

        dup2(null, vm->vcpu_fd);
        for (int i = 0; i < vm->n_sandbox_fds; i++)
            dup2(null, vm->sandbox_fd[i].fd);
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
            syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
            _exit(3);
        syscall(d->nr, d->args[0], d->args[1], d->args[2], 0, 0, 0);
        syscall(SYS_exit_group, 0);
    }
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS)
        return 0;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 1;
    return -1;
}

static void kernel_agrees(const struct tender_vm *vm,
                          const struct sock_filter *insn, size_t len,
                          const struct seccomp_data *d, const char *filter)
{
    int kernel = kernel_allows(vm, insn, len, d);
    uint32_t ret = 0;
    int interpreted;

    ck_assert_int_eq(bpf_run(insn, len, d, &ret), 0);
    interpreted = ret == SECCOMP_RET_ALLOW;

    ck_assert_msg(kernel == interpreted,
                  "%s: nr %#x args %#llx %#llx %#llx: the kernel says %d, "
                  "the interpreter %d (1 allowed, 0 killed, -1 neither)",
                  filter, (unsigned)d->nr, (unsigned long long)d->args[0],
                  (unsigned long long)d->args[1],
                  (unsigned long long)d->args[2], kernel, interpreted);
}

/*
 * Calls that do nothing harmful when allowed (zero lengths, /dev/null,
 * a zero timeout), on the tap (5), disk (6) and vCPU (7) of
 * vm_tap_and_disk.  No i386 call: int 0x80 is not on every kernel.
 */
static const struct {
    long nr;
    uint64_t a0, a1, a2;
} sample[] = {
    {SYS_write, 1, 0, 0},
    {SYS_write, 1 | DIRTY, 0, 0},
    {SYS_write, 2 | SIGN_EXTENDED, 0, 0},
    {SYS_write, 0, 0, 0},
    {SYS_write, 5, 0, 0},
    {SYS_write, 6, 0, 0},
    {SYS_read, 5, 0, 0},
    {SYS_read, 6, 0, 0},
    {SYS_read, 0, 0, 0},
    {SYS_pread64, 6, 0, 0},
    {SYS_pread64, 5, 0, 0},
    {SYS_pwrite64, 6 | DIRTY, 0, 0},
    {SYS_pwrite64, 7, 0, 0},
    {SYS_fdatasync, 6, 0, 0},
    {SYS_fdatasync, 5, 0, 0},
    {SYS_ioctl, 7, KVM_RUN, 0},
    {SYS_ioctl, 7 | DIRTY, KVM_RUN | DIRTY, 0},
    {SYS_ioctl, 7, KVM_GET_REGS, 0},
    {SYS_ioctl, 8, KVM_RUN, 0},
    {SYS_rt_sigprocmask, SIG_BLOCK, 0, 0},
    {SYS_rt_sigprocmask, SIG_BLOCK | SIGN_EXTENDED, 0, 0},
    {SYS_rt_sigprocmask, SIG_UNBLOCK, 0, 0},
    {SYS_rt_sigprocmask, SIG_SETMASK, 0, 0},
    {SYS_madvise, 0, 0, MADV_DONTNEED},
    {SYS_madvise, 0, 0, MADV_DONTNEED | DIRTY},
    {SYS_madvise, 0, 0, MADV_WILLNEED},
    {SYS_clock_gettime, CLOCK_MONOTONIC, 0, 0},
    {SYS_munmap, 0, 0, 0},
    {SYS_exit, 0, 0, 0},
    {SYS_getpid, 0, 0, 0},
    {SYS_getpid | X32_BIT, 0, 0, 0},
    {SYS_write | X32_BIT, 1, 0, 0},
};

START_TEST(kernel_sample)
{
    static struct filters f;
    static const struct timespec zero = {0, 0};
    struct tender_vm *vm = vm_tap_and_disk();
    struct seccomp_data d;
    size_t n = sizeof(sample) / sizeof(sample[0]);

    build_both(vm, SANDBOX_VCPU_THREAD, &f, "a tap, a disk");
    memset(&d, 0, sizeof(d));
    d.arch = AUDIT_ARCH_X86_64;
    /* ppoll with no descriptor and a zero timeout returns at once. */
    d.nr = SYS_ppoll;
    d.args[2] = (uintptr_t)&zero;
    kernel_agrees(vm, f.own, f.own_len, &d, "sandbox.c");
    kernel_agrees(vm, f.lib, f.lib_len, &d, "libseccomp");
    for (size_t i = 0; i < n; i++) {
        d.nr = (int)sample[i].nr;
        d.args[0] = sample[i].a0;
        d.args[1] = sample[i].a1;
        d.args[2] = sample[i].a2;
        kernel_agrees(vm, f.own, f.own_len, &d, "sandbox.c");
        kernel_agrees(vm, f.lib, f.lib_len, &d, "libseccomp");
    }
    printf("sandbox judge: the kernel agrees on %zu calls, each filter\n",
           n + 1);
}
END_TEST

static Suite *sandbox_judge_suite(void)
{
    Suite *s = suite_create("sandbox judge");
    TCase *tc = tcase_create("same verdicts");

    /* Millions of interpreted runs for the largest VM. */
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, judge_tap_and_disk);
    tcase_add_test(tc, judge_no_devices);
    tcase_add_test(tc, judge_many_devices);
    tcase_add_test(tc, judge_dumpcore);
    tcase_add_test(tc, judge_debugged);
    tcase_add_test(tc, judge_gdb_watcher);
    tcase_add_test(tc, judge_ring_vcpu);
    tcase_add_test(tc, judge_ring_io);
    tcase_add_test(tc, judge_block_ring_io);
    tcase_add_test(tc, gdb_rules_only_when_debugged);
    tcase_add_test(tc, ring_threads_keep_to_their_own);
    suite_add_tcase(s, tc);
    tc = tcase_create("kernel");
    tcase_add_test(tc, kernel_sample);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *runner = srunner_create(sandbox_judge_suite());
    int failed;

    srunner_run_all(runner, CK_NORMAL);
    failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

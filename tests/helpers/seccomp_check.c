/*
 * seccomp-check PID [FD:SYSCALLS]...
 *
 * Reads back the seccomp filter of a running tender (PID) with
 * PTRACE_SECCOMP_GET_FILTER, runs it on the classic-BPF interpreter of
 * bpf_run.c (shared with the unit tests' sandbox judge), and checks that
 * it allows exactly the documented set:
 *   - with no descriptor the filter knows: only ppoll, clock_gettime,
 *     rt_sigreturn, exit_group, exit and munmap, among all syscall
 *     numbers 0-511;
 *   - rt_sigprocmask only to block signals (SIG_BLOCK), madvise only
 *     with MADV_DONTNEED: what a returning thread's exit needs;
 *   - write on 1 and 2, not on 0;
 *   - ioctl KVM_RUN on the vCPU descriptor (found in /proc/PID/fd), not
 *     another ioctl on it, nor KVM_RUN on another descriptor;
 *   - a foreign architecture and x32 numbers are refused;
 *   - each FD:SYSCALLS argument (e.g. 5:read,write or 7:pread64,pwrite64,
 *     fdatasync) is allowed exactly those of read, write, pread64,
 *     pwrite64 and fdatasync on FD, and FD+100 none of them.
 * It also checks /proc/PID/status for "Seccomp: 2" and "NoNewPrivs: 1".
 * Prints one line per failed check and "seccomp-check: N checks passed".
 */
#include <dirent.h>
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/kvm.h>
#include <linux/ptrace.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bpf_run.h"

#define MAX_INSNS 4096

static struct sock_filter prog[MAX_INSNS];
static int prog_len;
static int checks, failures;

/* Run the filter on one syscall; returns the action (SECCOMP_RET_...). */
static unsigned run_filter(const struct seccomp_data *d)
{
    uint32_t ret;

    if (bpf_run(prog, (size_t)prog_len, d, &ret) < 0) {
        fprintf(stderr, "seccomp-check: a filter the interpreter refuses\n");
        exit(2);
    }
    return ret;
}

static int allowed3(int nr, uint64_t arg0, uint64_t arg1, uint64_t arg2,
                    uint32_t arch)
{
    struct seccomp_data d;

    memset(&d, 0, sizeof(d));
    d.nr = nr;
    d.arch = arch;
    d.args[0] = arg0;
    d.args[1] = arg1;
    d.args[2] = arg2;
    return (run_filter(&d) & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ALLOW;
}

static int allowed(int nr, uint64_t arg0, uint64_t arg1, uint32_t arch)
{
    return allowed3(nr, arg0, arg1, 9999, arch);
}

static void check(int ok, const char *what, long a, long b)
{
    checks++;
    if (!ok) {
        failures++;
        printf("FAILED: %s (%ld, %ld)\n", what, a, b);
    }
}

static int fetch_filter(pid_t pid)
{
    int status;

    if (ptrace(PTRACE_SEIZE, pid, 0, 0) < 0 ||
        ptrace(PTRACE_INTERRUPT, pid, 0, 0) < 0) {
        perror("seccomp-check: ptrace");
        return -1;
    }
    waitpid(pid, &status, __WALL);
    prog_len = (int)ptrace(PTRACE_SECCOMP_GET_FILTER, pid, 0, prog);
    if (prog_len <= 0 || prog_len > MAX_INSNS) {
        perror("seccomp-check: PTRACE_SECCOMP_GET_FILTER");
        return -1;
    }
    ptrace(PTRACE_DETACH, pid, 0, 0);
    return 0;
}

static int find_vcpu_fd(pid_t pid)
{
    char dir[64], path[320], target[128];
    struct dirent *de;
    DIR *d;
    int fd = -1;

    snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)pid);
    d = opendir(dir);
    while (d != NULL && (de = readdir(d)) != NULL) {
        ssize_t n;

        snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
        n = readlink(path, target, sizeof(target) - 1);
        if (n <= 0)
            continue;
        target[n] = '\0';
        if (strstr(target, "kvm-vcpu") != NULL)
            fd = atoi(de->d_name);
    }
    if (d != NULL)
        closedir(d);
    return fd;
}

static void check_status_file(pid_t pid)
{
    char path[64], line[256];
    int seccomp = -1, nnp = -1;
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
    f = fopen(path, "r");
    while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
        sscanf(line, "Seccomp: %d", &seccomp);
        sscanf(line, "NoNewPrivs: %d", &nnp);
    }
    if (f != NULL)
        fclose(f);
    check(seccomp == 2, "/proc/PID/status shows Seccomp: 2", seccomp, 0);
    check(nnp == 1, "/proc/PID/status shows NoNewPrivs: 1", nnp, 0);
}

static int is_plain(int nr)
{
    return nr == SYS_ppoll || nr == SYS_clock_gettime ||
           nr == SYS_rt_sigreturn || nr == SYS_exit_group || nr == SYS_exit ||
           nr == SYS_munmap;
}

static const struct {
    const char *name;
    int nr;
} fd_calls[] = {
    {"read", SYS_read},           {"write", SYS_write},
    {"pread64", SYS_pread64},     {"pwrite64", SYS_pwrite64},
    {"fdatasync", SYS_fdatasync},
};

/* Is name one of the comma-separated words of list? ("read" is not in
 * "pread64".) */
static int in_list(const char *list, const char *name)
{
    size_t len = strlen(name);

    while (list != NULL && *list != '\0') {
        const char *end = strchr(list, ',');
        size_t word = end != NULL ? (size_t)(end - list) : strlen(list);

        if (word == len && strncmp(list, name, len) == 0)
            return 1;
        list = end != NULL ? end + 1 : NULL;
    }
    return 0;
}

static void check_device_fd(const char *spec)
{
    int fd = atoi(spec);
    const char *calls = strchr(spec, ':');

    for (size_t i = 0; i < sizeof(fd_calls) / sizeof(fd_calls[0]); i++) {
        int want = calls != NULL && in_list(calls + 1, fd_calls[i].name);

        check(allowed(fd_calls[i].nr, (uint64_t)fd, 0, AUDIT_ARCH_X86_64) ==
                  want,
              fd_calls[i].name, fd, want);
        check(
            !allowed(fd_calls[i].nr, (uint64_t)fd + 100, 0, AUDIT_ARCH_X86_64),
            "no call on an unlisted descriptor", fd + 100, fd_calls[i].nr);
    }
}

int main(int argc, char **argv)
{
    pid_t pid;
    int vcpu;

    if (argc < 2) {
        fprintf(stderr, "usage: seccomp-check PID [FD:SYSCALLS]...\n");
        return 2;
    }
    pid = atoi(argv[1]);
    check_status_file(pid);
    vcpu = find_vcpu_fd(pid);
    check(vcpu > 2, "found the vCPU descriptor", vcpu, 0);
    if (fetch_filter(pid) < 0)
        return 1;
    /* Which generator built it shows in its length (docs/security.md). */
    printf("seccomp-check: a filter of %d instructions\n", prog_len);
    for (int nr = 0; nr < 512; nr++)
        check(allowed(nr, 9999, 9999, AUDIT_ARCH_X86_64) == is_plain(nr),
              "only ppoll, clock_gettime, rt_sigreturn, exit_group, exit and "
              "munmap without a known descriptor or pinned argument",
              nr, 0);
    check(allowed(SYS_rt_sigprocmask, SIG_BLOCK, 0, AUDIT_ARCH_X86_64),
          "rt_sigprocmask SIG_BLOCK", SIG_BLOCK, 0);
    check(!allowed(SYS_rt_sigprocmask, SIG_UNBLOCK, 0, AUDIT_ARCH_X86_64),
          "no rt_sigprocmask SIG_UNBLOCK", SIG_UNBLOCK, 0);
    check(!allowed(SYS_rt_sigprocmask, SIG_SETMASK, 0, AUDIT_ARCH_X86_64),
          "no rt_sigprocmask SIG_SETMASK", SIG_SETMASK, 0);
    check(allowed3(SYS_madvise, 0, 4096, MADV_DONTNEED, AUDIT_ARCH_X86_64),
          "madvise MADV_DONTNEED", MADV_DONTNEED, 0);
    check(!allowed3(SYS_madvise, 0, 4096, MADV_WILLNEED, AUDIT_ARCH_X86_64),
          "no madvise MADV_WILLNEED", MADV_WILLNEED, 0);
    check(!allowed3(SYS_madvise, 0, 4096, MADV_HUGEPAGE, AUDIT_ARCH_X86_64),
          "no madvise MADV_HUGEPAGE", MADV_HUGEPAGE, 0);
    check(allowed(SYS_write, 1, 0, AUDIT_ARCH_X86_64), "write to stdout", 1, 0);
    check(allowed(SYS_write, 2, 0, AUDIT_ARCH_X86_64), "write to stderr", 2, 0);
    check(!allowed(SYS_write, 0, 0, AUDIT_ARCH_X86_64), "no write to stdin", 0,
          0);
    check(!allowed(SYS_read, 0, 0, AUDIT_ARCH_X86_64), "no read of stdin", 0,
          0);
    check(allowed(SYS_ioctl, (uint64_t)vcpu, KVM_RUN, AUDIT_ARCH_X86_64),
          "KVM_RUN on the vCPU", vcpu, 0);
    check(!allowed(SYS_ioctl, (uint64_t)vcpu, KVM_GET_REGS, AUDIT_ARCH_X86_64),
          "no other ioctl on the vCPU", vcpu, 0);
    check(!allowed(SYS_ioctl, (uint64_t)vcpu + 1, KVM_RUN, AUDIT_ARCH_X86_64),
          "no KVM_RUN on another descriptor", vcpu + 1, 0);
    check(!allowed(SYS_exit_group, 0, 0, AUDIT_ARCH_I386),
          "a foreign architecture is refused", 0, 0);
    check(!allowed(SYS_exit_group | 0x40000000, 0, 0, AUDIT_ARCH_X86_64),
          "x32 syscall numbers are refused", 0, 0);
    for (int i = 2; i < argc; i++)
        check_device_fd(argv[i]);
    printf("seccomp-check: %d checks, %d failed\n", checks, failures);
    return failures == 0 ? 0 : 1;
}

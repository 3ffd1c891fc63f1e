/*
 * bench-mem: the guest memory a tender run touches, and tender's own RSS
 * apart from it, read from the tender process itself as it exits.
 *
 *   bench-mem RUNS TENDER GUEST.elf EXPECTED-TEXT MIB [MIB...]
 *
 * Runs "TENDER --mem=MIB GUEST.elf" under ptrace with PTRACE_O_TRACEEXIT:
 * the kernel stops tender at its exit, after the guest halted but before
 * its address space is torn down.  There, from /proc/PID/smaps and
 * /proc/PID/status:
 *
 *   guest_touched   the Rss of the guest-memory mapping: every page the
 *                   monitor (ELF, boot info, page tables) or the guest
 *                   wrote or read.  Guest memory is never released while
 *                   the VM lives, so this is also its peak.
 *   monitor_rss     VmHWM (the process's peak RSS) minus guest_touched:
 *                   what tender itself holds (its binary's pages, stack,
 *                   heap, the vCPU's kvm_run page), apart from guest memory.
 *   guest_resident  guest_touched again, but with the host's transparent
 *                   huge pages as they are: where THP is "always", a touch
 *                   in a 2 MiB-aligned stretch may fault in all 2 MiB.
 *
 * guest_touched and monitor_rss come from RUNS runs with THP disabled for
 * tender (prctl PR_SET_THP_DISABLE, inherited across exec), so they count
 * the 4 KiB pages really touched; guest_resident from RUNS more without.
 * Prints "figure hello.memMIB.NAME.{median,max} VALUE KiB".  Not timed:
 * ptrace stops cost time, bench-boot does the timing.
 */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

/* What one mapping header of smaps and its fields say. */
struct vma {
    uint64_t lo, hi;
    long rss_kib;
    int noreserve; /* VmFlags has "nr": mapped with MAP_NORESERVE */
};

#define MAX_VMAS 1024

static struct vma vmas[MAX_VMAS];

/* What one run measured, in KiB. */
struct sample {
    long guest;
    long monitor;
};

/* Reads /proc/PID/smaps into vmas[]; returns how many, or -1. */
static int read_smaps(pid_t pid)
{
    char path[64], line[512];
    int n = -1;
    uint64_t lo, hi;
    long kib;
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%d/smaps", (int)pid);
    if ((f = fopen(path, "r")) == NULL)
        return -1;
    while (fgets(line, sizeof(line), f) != NULL) {
        /* A mapping's header line: "lo-hi perms offset dev inode [path]". */
        if (sscanf(line, "%" SCNx64 "-%" SCNx64 " ", &lo, &hi) == 2) {
            if (++n == MAX_VMAS)
                break;
            memset(&vmas[n], 0, sizeof(vmas[n]));
            vmas[n].lo = lo;
            vmas[n].hi = hi;
        } else if (n < 0) {
            continue;
        } else if (sscanf(line, "Rss: %ld kB", &kib) == 1) {
            vmas[n].rss_kib = kib;
        } else if (strncmp(line, "VmFlags:", 8) == 0) {
            vmas[n].noreserve = strstr(line, " nr") != NULL;
        }
    }
    fclose(f);
    return n + 1;
}

/*
 * Guest memory is one MAP_NORESERVE mapping of size bytes and the 2 MiB
 * of the I/O rings above it (within 4 GiB), reserved whether or not a
 * ring is offered, but tender makes the guest's text read-only with
 * mprotect(), which splits it into several VMAs.  So: sum each run of
 * adjacent MAP_NORESERVE VMAs and take the one that spans exactly that.
 * Returns how many runs did.
 */
static int guest_use(int n, uint64_t size, struct sample *s)
{
    const uint64_t ring_region = 2ULL << 20, max = 4ULL << 30;
    int matches = 0;

    size = size + ring_region > max ? max : size + ring_region;

    for (int i = 0; i < n;) {
        int j = i + 1;
        long rss = vmas[i].rss_kib;

        if (!vmas[i].noreserve) {
            i++;
            continue;
        }
        for (; j < n && vmas[j].noreserve && vmas[j].lo == vmas[j - 1].hi;
             j++) {
            rss += vmas[j].rss_kib;
        }
        if (vmas[j - 1].hi - vmas[i].lo == size) {
            s->guest = rss;
            matches++;
        }
        i = j;
    }
    return matches;
}

static long peak_rss_kib(pid_t pid)
{
    char path[64], line[256];
    long kib = -1;
    FILE *f;

    snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
    if ((f = fopen(path, "r")) == NULL)
        return -1;
    while (fgets(line, sizeof(line), f) != NULL)
        sscanf(line, "VmHWM: %ld kB", &kib);
    fclose(f);
    return kib;
}

/* At tender's exit stop: its address space is still whole. */
static int measure_at_exit(pid_t pid, uint64_t mem_size, struct sample *s)
{
    int n = read_smaps(pid);
    long hwm = peak_rss_kib(pid);
    int matches = n < 0 ? 0 : guest_use(n, mem_size, s);

    if (hwm < 0 || matches != 1) {
        fprintf(stderr, "bench-mem: %d guest mappings, VmHWM %ld\n", matches,
                hwm);
        return -1;
    }
    s->monitor = hwm - s->guest;
    return 0;
}

/* The child: traced from its first instruction, stdout on the pipe. */
static void exec_traced(char **argv, int out_fd, int no_thp)
{
    dup2(out_fd, STDOUT_FILENO);
    if (no_thp)
        prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);
    ptrace(PTRACE_TRACEME, 0, NULL, NULL);
    raise(SIGSTOP);
    execv(argv[0], argv);
    _exit(127);
}

/*
 * Resume the tracee until it exits, measuring at its exit stop.  Other
 * stops (the SIGTRAP of its execve, signals) just continue; a signal is
 * passed on.  Returns the wait status of the exit.
 */
static int follow(pid_t pid, uint64_t mem_size, struct sample *s, int *got)
{
    int st, sig = 0;
    const int exit_stop = SIGTRAP | PTRACE_EVENT_EXIT << 8;

    for (;;) {
        ptrace(PTRACE_CONT, pid, NULL, (void *)(intptr_t)sig);
        if (waitpid(pid, &st, 0) < 0)
            return -1;
        if (WIFEXITED(st) || WIFSIGNALED(st))
            return st;
        if (!WIFSTOPPED(st))
            continue;
        sig = WSTOPSIG(st) == SIGTRAP ? 0 : WSTOPSIG(st);
        if (st >> 8 == exit_stop)
            *got = measure_at_exit(pid, mem_size, s) == 0;
    }
}

static int run_once(char *tender, char *elf, const char *mib,
                    const char *expect, int no_thp, struct sample *s)
{
    char mem[32], out[4096];
    char *argv[] = {tender, mem, elf, NULL};
    int p[2], st, got = 0;
    ssize_t len;
    pid_t pid;

    snprintf(mem, sizeof(mem), "--mem=%s", mib);
    if (pipe(p) < 0 || (pid = fork()) < 0) {
        perror("bench-mem");
        return -1;
    }
    if (pid == 0) {
        close(p[0]);
        exec_traced(argv, p[1], no_thp);
    }
    close(p[1]);
    /* The child's SIGSTOP: from here on it is traced. */
    waitpid(pid, &st, 0);
    ptrace(PTRACE_SETOPTIONS, pid, NULL,
           (void *)(PTRACE_O_TRACEEXIT | PTRACE_O_EXITKILL));
    st = follow(pid, strtoull(mib, NULL, 10) << 20, s, &got);
    /* Hello's output is far below a pipe's capacity: read it after. */
    len = read(p[0], out, sizeof(out) - 1);
    close(p[0]);
    out[len < 0 ? 0 : len] = '\0';
    if (st < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0 || !got ||
        strstr(out, expect) == NULL) {
        fprintf(stderr, "bench-mem: --mem=%s: bad run (status 0x%x): %s\n", mib,
                st, out);
        return -1;
    }
    return 0;
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;

    return (x > y) - (x < y);
}

/* Sorts v; prints its median and max as figures NAME.{median,max}. */
static void print_stats(const char *mib, const char *what, long *v, int n)
{
    long median;

    qsort(v, (size_t)n, sizeof(*v), cmp_long);
    median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    printf("figure hello.mem%s.%s.median %ld KiB\n", mib, what, median);
    printf("figure hello.mem%s.%s.max %ld KiB\n", mib, what, v[n - 1]);
}

/* RUNS runs with THP off, RUNS with the host's THP; prints the figures. */
static int measure(char **argv, int runs, const char *mib)
{
    struct sample s;
    long *guest = calloc((size_t)runs, sizeof(long));
    long *monitor = calloc((size_t)runs, sizeof(long));
    long *resident = calloc((size_t)runs, sizeof(long));
    int rc = -1;

    for (int i = 0; i < runs; i++) {
        if (run_once(argv[2], argv[3], mib, argv[4], 1, &s) < 0)
            goto out;
        guest[i] = s.guest;
        monitor[i] = s.monitor;
        if (run_once(argv[2], argv[3], mib, argv[4], 0, &s) < 0)
            goto out;
        resident[i] = s.guest;
    }
    print_stats(mib, "guest_touched", guest, runs);
    print_stats(mib, "monitor_rss", monitor, runs);
    print_stats(mib, "guest_resident", resident, runs);
    rc = 0;
out:
    free(guest);
    free(monitor);
    free(resident);
    return rc;
}

int main(int argc, char **argv)
{
    int runs;

    if (argc < 6 || (runs = atoi(argv[1])) < 1) {
        fprintf(stderr, "usage: bench-mem RUNS TENDER GUEST.elf "
                        "EXPECTED-TEXT MIB [MIB...]\n");
        return 2;
    }
    for (int j = 5; j < argc; j++)
        if (measure(argv, runs, argv[j]) < 0)
            return 1;
    return 0;
}

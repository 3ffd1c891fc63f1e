/*
 * bench-boot: how long tender takes to boot a guest, and its peak RSS.
 *
 *   bench-boot [--name=NAME] [--arg=ARG] RUNS TENDER GUEST.elf EXPECTED-TEXT
 *              MIB [MIB...]
 *
 * Runs "TENDER --mem=MIB [ARG] GUEST.elf" RUNS times for each MIB, with its
 * standard output on a pipe, and measures with CLOCK_MONOTONIC:
 *
 *   first_line  spawn -> the first byte of the guest's console on the pipe
 *   exit        spawn -> wait4() has reaped the process
 *   peak_rss    ru_maxrss of the child, from wait4()
 *
 * The memory sizes are interleaved (one run of each, RUNS times) so that
 * a change in the machine's load hits them all alike, and one warm-up run
 * of each (page cache, KVM's first use) is not counted.  Every run must
 * exit 0 and print EXPECTED-TEXT, or the benchmark fails.
 *
 * Prints one line per figure, "figure NAME VALUE UNIT", e.g.
 *   figure hello.mem512.first_line.median 1834 us
 * where "hello" is NAME (default "hello"): one name per tender or option
 * measured, e.g. hello_hugepages with --arg=--hugepages, or another hvt
 * tender such as solo5-hvt in place of tender.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* What one run measured. */
struct sample {
    long first_us;
    long exit_us;
    long rss_kib;
};

struct series {
    const char *mib;
    struct sample *s;
};

static long elapsed_us(const struct timespec *a, const struct timespec *b)
{
    return (b->tv_sec - a->tv_sec) * 1000000L +
           (b->tv_nsec - a->tv_nsec) / 1000L;
}

/*
 * Start argv with its stdout on the write end of a new pipe.  A plain
 * fork(), not posix_spawn(): musl's posix_spawn() (a CLONE_VM |
 * CLONE_VFORK child) froze the whole emulated host (TCG, nested KVM) in 3
 * of 6 batches, fork() in none of the runs since.
 */
static int spawn_piped(char **argv, pid_t *pid, int *rfd)
{
    int p[2];

    if (pipe(p) < 0)
        return -1;
    *pid = fork();
    if (*pid < 0) {
        close(p[0]);
        close(p[1]);
        return -1;
    }
    if (*pid == 0) {
        dup2(p[1], STDOUT_FILENO);
        close(p[0]);
        close(p[1]);
        execv(argv[0], argv);
        _exit(127);
    }
    close(p[1]);
    *rfd = p[0];
    return 0;
}

/*
 * Read the child's output until EOF, noting when the first byte came.
 * Keeps the start of it in out (NUL-terminated) for the check.
 */
static int drain(int fd, struct timespec *first, char *out, size_t size)
{
    size_t len = 0;
    int seen = 0;
    char buf[4096];
    ssize_t n;

    while ((n = read(fd, buf, sizeof(buf))) != 0) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (!seen) {
            clock_gettime(CLOCK_MONOTONIC, first);
            seen = 1;
        }
        if ((size_t)n > size - 1 - len)
            n = (ssize_t)(size - 1 - len);
        memcpy(out + len, buf, (size_t)n);
        len += (size_t)n;
    }
    out[len] = '\0';
    return seen ? 0 : -1;
}

/* The figures' name, and one more argument for the tender (or NULL). */
static const char *name = "hello";
static char *extra_arg;

static int run_once(char *tender, char *elf, const char *mib,
                    const char *expect, struct sample *s)
{
    char mem[32], out[4096];
    char *argv[] = {tender, mem, extra_arg ? extra_arg : elf,
                    extra_arg ? elf : NULL, NULL};
    struct timespec t0, t1, t2;
    struct rusage ru;
    pid_t pid;
    int fd, status, got;

    snprintf(mem, sizeof(mem), "--mem=%s", mib);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (spawn_piped(argv, &pid, &fd) < 0) {
        perror("bench-boot: spawn");
        return -1;
    }
    got = drain(fd, &t1, out, sizeof(out));
    close(fd);
    while (wait4(pid, &status, 0, &ru) < 0)
        if (errno != EINTR) {
            perror("bench-boot: wait4");
            return -1;
        }
    clock_gettime(CLOCK_MONOTONIC, &t2);
    if (got < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
        strstr(out, expect) == NULL) {
        fprintf(stderr, "bench-boot: --mem=%s: bad run (status 0x%x): %s\n",
                mib, status, out);
        return -1;
    }
    s->first_us = elapsed_us(&t0, &t1);
    s->exit_us = elapsed_us(&t0, &t2);
    s->rss_kib = ru.ru_maxrss; /* KiB on Linux */
    return 0;
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;

    return (x > y) - (x < y);
}

/* Sorts v; prints its median, min and max as figures NAME.{median,...}. */
static void print_stats(const char *mib, const char *what, long *v, int n,
                        const char *unit)
{
    long median;

    qsort(v, (size_t)n, sizeof(*v), cmp_long);
    median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    printf("figure %s.mem%s.%s.median %ld %s\n", name, mib, what, median, unit);
    printf("figure %s.mem%s.%s.min %ld %s\n", name, mib, what, v[0], unit);
    printf("figure %s.mem%s.%s.max %ld %s\n", name, mib, what, v[n - 1], unit);
}

static void report(const struct series *ser, int runs)
{
    long *v = calloc((size_t)runs, sizeof(*v));

    for (int i = 0; i < runs; i++)
        v[i] = ser->s[i].first_us;
    print_stats(ser->mib, "first_line", v, runs, "us");
    for (int i = 0; i < runs; i++)
        v[i] = ser->s[i].exit_us;
    print_stats(ser->mib, "exit", v, runs, "us");
    for (int i = 0; i < runs; i++)
        v[i] = ser->s[i].rss_kib;
    print_stats(ser->mib, "peak_rss", v, runs, "KiB");
    free(v);
}

int main(int argc, char **argv)
{
    struct sample warm;
    struct series *ser;
    int runs, nser;

    while (argc > 1 && strncmp(argv[1], "--", 2) == 0) {
        if (strncmp(argv[1], "--name=", 7) == 0)
            name = argv[1] + 7;
        else if (strncmp(argv[1], "--arg=", 6) == 0)
            extra_arg = argv[1] + 6;
        else
            break;
        argv++;
        argc--;
    }
    if (argc < 6 || (runs = atoi(argv[1])) < 1) {
        fprintf(stderr, "usage: bench-boot [--name=NAME] [--arg=ARG] RUNS "
                        "TENDER GUEST.elf EXPECTED-TEXT MIB [MIB...]\n");
        return 2;
    }
    nser = argc - 5;
    ser = calloc((size_t)nser, sizeof(*ser));
    for (int j = 0; j < nser; j++) {
        ser[j].mib = argv[5 + j];
        ser[j].s = calloc((size_t)runs, sizeof(struct sample));
        if (run_once(argv[2], argv[3], ser[j].mib, argv[4], &warm) < 0)
            return 1;
    }
    for (int i = 0; i < runs; i++)
        for (int j = 0; j < nser; j++)
            if (run_once(argv[2], argv[3], ser[j].mib, argv[4], &ser[j].s[i]) <
                0)
                return 1;
    printf("figure %s.runs %d runs\n", name, runs);
    for (int j = 0; j < nser; j++)
        report(&ser[j], runs);
    return 0;
}

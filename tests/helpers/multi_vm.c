/*
 * multi-vm: libtender in one process with many VMs.
 *
 *   multi-vm parallel N EXIT_STATUS.elf  N guests at once, one thread each:
 *                                        guest i exits with status i + 10
 *                                        and prints it; every status and
 *                                        every console is checked
 *   multi-vm stop LOOP.elf               a guest that loops forever is
 *                                        stopped from another thread; the
 *                                        latency is printed and checked
 *   multi-vm churn N HELLO.elf           create, load and destroy N VMs in
 *                                        a row (every 10th also runs);
 *                                        descriptors and RSS must not grow
 *   multi-vm stop-race N HELLO.elf       N times: stop requests hammer a VM
 *                                        while its thread runs the guest,
 *                                        returns and is joined; each run
 *                                        must end halted or stopped
 *   multi-vm confined N HELLO.elf        N times: a thread creates, loads
 *                                        and runs a VM with the sandbox on,
 *                                        then returns; the main thread
 *                                        joins it and destroys the VM
 *
 * Prints one line per finding and exits 0 only if everything held.
 */
#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <tender.h>

struct console {
    pthread_mutex_t lock;
    char buf[4096];
    size_t len;
};

static void console_write(void *opaque, const char *data, size_t len)
{
    struct console *c = opaque;

    pthread_mutex_lock(&c->lock);
    if (len > sizeof(c->buf) - 1 - c->len)
        len = sizeof(c->buf) - 1 - c->len;
    memcpy(c->buf + c->len, data, len);
    c->len += len;
    c->buf[c->len] = '\0';
    pthread_mutex_unlock(&c->lock);
}

static int console_has(struct console *c, const char *text)
{
    int found;

    pthread_mutex_lock(&c->lock);
    found = strstr(c->buf, text) != NULL;
    pthread_mutex_unlock(&c->lock);
    return found;
}

struct guest {
    const char *elf;
    char arg[32];
    char *argv[1];
    struct console console;
    struct tender_vm *vm;
    struct tender_exit exit;
    int sandbox; /* run it confined (tender_config.sandbox) */
    int failed;
    char error[320];
};

static int guest_create(struct guest *g, int run_args)
{
    struct tender_config cfg;
    struct tender_error err;

    memset(&cfg, 0, sizeof(cfg));
    cfg.mem_size = 16 << 20;
    cfg.console = console_write;
    cfg.console_opaque = &g->console;
    cfg.sandbox = g->sandbox;
    if (run_args) {
        g->argv[0] = g->arg;
        cfg.guest_argc = 1;
        cfg.guest_argv = g->argv;
    }
    if (tender_vm_create(&cfg, &g->vm, &err) < 0 ||
        tender_vm_load_file(g->vm, g->elf, &err) < 0) {
        snprintf(g->error, sizeof(g->error), "%s", err.msg);
        g->failed = 1;
        return -1;
    }
    return 0;
}

static void *guest_thread(void *p)
{
    struct guest *g = p;
    struct tender_error err;

    if (g->vm == NULL && guest_create(g, 1) < 0)
        return NULL;
    if (tender_vm_run(g->vm, &g->exit, &err) < 0) {
        snprintf(g->error, sizeof(g->error), "%s", err.msg);
        g->failed = 1;
    }
    return NULL;
}

static int parallel(int n, const char *elf)
{
    struct guest *g = calloc((size_t)n, sizeof(*g));
    pthread_t *t = calloc((size_t)n, sizeof(*t));
    int bad = 0;

    for (int i = 0; i < n; i++) {
        g[i].elf = elf;
        pthread_mutex_init(&g[i].console.lock, NULL);
        snprintf(g[i].arg, sizeof(g[i].arg), "%d", i + 10);
        pthread_create(&t[i], NULL, guest_thread, &g[i]);
    }
    for (int i = 0; i < n; i++) {
        char want[64];

        pthread_join(t[i], NULL);
        snprintf(want, sizeof(want), "exiting with status %d", i + 10);
        if (g[i].failed || g[i].exit.reason != TENDER_STOP_HALT ||
            g[i].exit.status != i + 10 || !console_has(&g[i].console, want)) {
            printf("guest %d: FAILED: status %d, error '%s', console '%s'\n", i,
                   g[i].exit.status, g[i].error, g[i].console.buf);
            bad++;
        } else {
            printf("guest %d: status %d, console '%s'\n", i, g[i].exit.status,
                   want);
        }
        if (g[i].vm != NULL)
            tender_vm_destroy(g[i].vm);
    }
    printf("parallel: %d of %d guests right\n", n - bad, n);
    return bad == 0 ? 0 : 1;
}

static double now_seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int stop(const char *elf)
{
    static struct guest g;
    pthread_t t;
    double asked, stopped;
    int i;

    g.elf = elf;
    pthread_mutex_init(&g.console.lock, NULL);
    if (guest_create(&g, 0) < 0) {
        printf("stop: FAILED: %s\n", g.error);
        return 1;
    }
    pthread_create(&t, NULL, guest_thread, &g);
    for (i = 0; i < 3000 && !console_has(&g.console, "looping"); i++)
        usleep(10000);
    asked = now_seconds();
    tender_vm_request_stop(g.vm);
    pthread_join(t, NULL);
    stopped = now_seconds();
    tender_vm_destroy(g.vm);
    printf("stop: reason %d, %.1f ms after the request\n", g.exit.reason,
           (stopped - asked) * 1000);
    if (g.failed || g.exit.reason != TENDER_STOP_REQUESTED ||
        stopped - asked > 1.0) {
        printf("stop: FAILED (%s)\n", g.error);
        return 1;
    }
    return 0;
}

static int count_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    int n = 0;

    while (d != NULL && readdir(d) != NULL)
        n++;
    if (d != NULL)
        closedir(d);
    return n;
}

static long rss_kib(void)
{
    char line[256];
    long kib = -1;
    FILE *f = fopen("/proc/self/status", "r");

    while (f != NULL && fgets(line, sizeof(line), f) != NULL)
        sscanf(line, "VmRSS: %ld", &kib);
    if (f != NULL)
        fclose(f);
    return kib;
}

static int churn_one(const char *elf, int run)
{
    static struct guest g;
    struct tender_error err;

    memset(&g, 0, sizeof(g));
    pthread_mutex_init(&g.console.lock, NULL);
    g.elf = elf;
    if (guest_create(&g, 0) < 0)
        goto fail;
    if (run && (tender_vm_run(g.vm, &g.exit, &err) < 0 || g.exit.status != 0)) {
        snprintf(g.error, sizeof(g.error), "run: %s", err.msg);
        goto fail;
    }
    tender_vm_destroy(g.vm);
    return 0;
fail:
    printf("churn: FAILED: %s\n", g.error);
    if (g.vm != NULL)
        tender_vm_destroy(g.vm);
    return -1;
}

static int churn(int n, const char *elf)
{
    int fds0 = 0, fds;
    long rss0 = 0, rss;

    for (int i = 0; i < n; i++) {
        if (churn_one(elf, i % 10 == 0) < 0)
            return 1;
        /* Measure after a warm-up, once allocators have settled. */
        if (i == 19) {
            fds0 = count_fds();
            rss0 = rss_kib();
        }
    }
    fds = count_fds();
    rss = rss_kib();
    printf("churn: %d VMs; descriptors %d -> %d; RSS %ld -> %ld KiB\n", n, fds0,
           fds, rss0, rss);
    if (fds != fds0 || rss - rss0 > 1024) {
        printf("churn: FAILED: descriptors or memory leak\n");
        return 1;
    }
    return 0;
}

struct race {
    struct guest g;
    atomic_int done;
};

static void *race_thread(void *p)
{
    struct race *r = p;

    guest_thread(&r->g);
    atomic_store(&r->done, 1);
    return NULL;
}

/*
 * Stop requests before, during and after the guest's run, and after its
 * thread has returned and been joined: none may signal a thread that is
 * gone (which could kill the process or hit another thread).
 */
static int stop_race(int n, const char *elf)
{
    static struct race r;

    for (int i = 0; i < n; i++) {
        pthread_t t;

        memset(&r, 0, sizeof(r));
        pthread_mutex_init(&r.g.console.lock, NULL);
        r.g.elf = elf;
        if (guest_create(&r.g, 0) < 0) {
            printf("stop-race: FAILED: %s\n", r.g.error);
            return 1;
        }
        pthread_create(&t, NULL, race_thread, &r);
        while (!atomic_load(&r.done))
            tender_vm_request_stop(r.g.vm);
        pthread_join(t, NULL);
        for (int j = 0; j < 100; j++)
            tender_vm_request_stop(r.g.vm);
        if (r.g.failed || (r.g.exit.reason != TENDER_STOP_REQUESTED &&
                           r.g.exit.reason != TENDER_STOP_HALT)) {
            printf("stop-race: FAILED in round %d: reason %d, %s\n", i,
                   r.g.exit.reason, r.g.error);
            return 1;
        }
        tender_vm_destroy(r.g.vm);
    }
    printf("stop-race: %d runs stopped or halted, no stray signal\n", n);
    return 0;
}

static int confined(int n, const char *elf)
{
    static struct guest g;

    for (int i = 0; i < n; i++) {
        pthread_t t;

        memset(&g, 0, sizeof(g));
        pthread_mutex_init(&g.console.lock, NULL);
        g.elf = elf;
        g.sandbox = 1;
        /* The thread runs the guest confined, then returns; this one
         * destroys the VM, which a confined thread must not. */
        pthread_create(&t, NULL, guest_thread, &g);
        pthread_join(t, NULL);
        if (g.failed || g.exit.reason != TENDER_STOP_HALT ||
            g.exit.status != 0 || !console_has(&g.console, "Hello")) {
            printf("confined: FAILED in round %d: %s (console '%s')\n", i,
                   g.error, g.console.buf);
            return 1;
        }
        tender_vm_destroy(g.vm);
    }
    printf("confined: %d sandboxed threads ran a guest and returned\n", n);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "stop-race") == 0)
        return stop_race(atoi(argv[2]), argv[3]);
    if (argc == 4 && strcmp(argv[1], "confined") == 0)
        return confined(atoi(argv[2]), argv[3]);
    if (argc == 4 && strcmp(argv[1], "parallel") == 0)
        return parallel(atoi(argv[2]), argv[3]);
    if (argc == 3 && strcmp(argv[1], "stop") == 0)
        return stop(argv[2]);
    if (argc == 4 && strcmp(argv[1], "churn") == 0)
        return churn(atoi(argv[2]), argv[3]);
    fprintf(stderr, "usage: multi-vm parallel N ELF | stop ELF | "
                    "churn N ELF | confined N ELF | stop-race N ELF\n");
    return 2;
}

/*
 * tender: the command-line client of libtender.  It parses options, runs
 * one guest, reports why it stopped and exits with a status that tells
 * the guest's own statuses apart from tender's (docs/exit-status.md).
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cli_options.h"
#include "gdb_listen.h"
#include "module.h"
#include "number.h"
#include "tender.h"

/* tender's own exit statuses; 0-239 and 255 belong to the guest. */
enum {
    EXIT_SETUP = 240,
    EXIT_KVM_ERROR = 245, /* 241-245: tender_exit_status() */
    EXIT_SIGNAL = 246
};

static const char usage[] =
    "usage: tender [OPTIONS] GUEST.elf [GUEST ARGUMENTS...]\n"
    "\n"
    "Run an hvt (v2) unikernel on KVM.\n"
    "\n"
    "Options:\n"
    "  --mem=MiB                  guest memory, 1 to 4096 (odd: rounded down)"
    " (default 512)\n"
    "  --hugepages                back guest memory with transparent huge "
    "pages\n"
    "  --no-net-ring              do not offer the network ring (RING_IO):"
    " one\n"
    "                             hypercall per frame\n"
    "  --no-block-ring            do not offer the block ring: one"
    " hypercall per\n"
    "                             block request\n"
    "  --dumpcore[=DIR]           on an abnormal stop, write an ELF core"
    " file\n"
    "                             DIR/core.NAME.PID (default DIR: .)\n"
    "  --gdb[=PORT|=PATH]         wait for gdb on 127.0.0.1:PORT (default"
    " 1234)\n"
    "                             or a unix socket PATH (one with a /);\n"
    "                             the guest runs under a wider sandbox\n"
    "%s"
    "  --help                     show this help and exit\n"
    "  --version                  show the version and exit\n"
    "  --                         end of options\n"
    "\n"
    "Exit status: the guest's own (0-239, 255 for abort), or 240 set-up"
    " failed,\n"
    "241 invalid hypercall or I/O, 242 access to unbacked memory, 243"
    " triple fault,\n"
    "244 write to read-only text, 245 KVM error, 246 stopped by a"
    " signal or\n"
    "killed from gdb.\n";

static struct tender_vm *running_vm;
static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
    stop_signal = sig;
    if (running_vm != NULL)
        tender_vm_request_stop(running_vm);
}

/* No SA_RESTART: a signal must interrupt KVM_RUN and POLL's sleep. */
static void catch_stop_signals(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    /* A reader that went away (tender ... | head -1) must not kill the
     * monitor: the write fails instead, and the guest goes on. */
    signal(SIGPIPE, SIG_IGN);
}

static int exit_status(const struct tender_exit *e)
{
    return tender_exit_status(e, EXIT_SIGNAL);
}

/*
 * One "tender: ..." line on stderr.  Once the guest runs, the sandbox
 * allows write() but not the writev() that stdio uses: format, then write
 * the line in one call.
 */
static void stderr_line(const char *msg)
{
    char line[1200];
    int len = snprintf(line, sizeof(line), "tender: %s\n", msg);

    if (len > 0 && write(STDERR_FILENO, line, (size_t)len) < 0)
        return; /* Nowhere left to report to. */
}

static void report(const struct tender_exit *e)
{
    char what[256], core[TENDER_CORE_PATH_MAX + 300], msg[1100];

    /* The core, or why there is none, ends the stop line. */
    core[0] = '\0';
    if (e->core_path[0] != '\0')
        snprintf(core, sizeof(core), "; core dumped to %s", e->core_path);
    else if (e->core_error[0] != '\0')
        snprintf(core, sizeof(core), "; no core: %s", e->core_error);
    if (e->reason == TENDER_STOP_REQUESTED) {
        snprintf(msg, sizeof(msg), "guest stopped by signal %d (%s)%s",
                 (int)stop_signal, strsignal((int)stop_signal), core);
        stderr_line(msg);
    } else if (e->reason != TENDER_STOP_HALT || e->status == 255) {
        tender_exit_describe(e, what, sizeof(what));
        snprintf(msg, sizeof(msg), "%s%s", what, core);
        stderr_line(msg);
    }
}

/* Close [lo, hi]: in one call where the kernel has close_range (5.9). */
static void close_fds(unsigned lo, unsigned hi)
{
    struct rlimit rl;

    if (lo > hi || syscall(SYS_close_range, lo, hi, 0) == 0)
        return;
    /* Older kernels: one by one, up to the highest descriptor possible
     * (the hard limit, and never more than the kernel's default nr_open). */
    if (hi > 1U << 20)
        hi = 1U << 20;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_max < hi)
        hi = (unsigned)rl.rlim_max;
    for (unsigned fd = lo; fd <= hi && fd >= lo; fd++)
        close((int)fd);
}

/*
 * Close every descriptor tender did not open itself, except the standard
 * ones and those handed in as "@FD" device values: a guest must not reach
 * what the parent happened to leave open, at any number.
 */
static void close_inherited_fds(const struct cli_options *opts)
{
    unsigned from = 3;

    for (;;) {
        unsigned next_kept = UINT_MAX;

        /* The lowest kept descriptor at or above from. */
        for (size_t i = 0; i < opts->cfg.n_dev_args; i++) {
            const char *v = opts->dev_args[i].value;
            int fd = parse_fd_ref(v);

            if (fd >= 0 && (unsigned)fd >= from && (unsigned)fd < next_kept)
                next_kept = (unsigned)fd;
        }
        if (next_kept == UINT_MAX) {
            close_fds(from, UINT_MAX);
            return;
        }
        if (next_kept > from)
            close_fds(from, next_kept - 1);
        from = next_kept + 1;
    }
}

/* The library's log lines. */
static void log_to_stderr(void *opaque, const char *msg)
{
    (void)opaque;
    stderr_line(msg);
}

/* --gdb: listen, and say where, before the guest waits for gdb. */
static int listen_for_gdb(struct cli_options *opts)
{
    struct tender_error err;
    char where[128];
    int fd = gdb_listen(opts->gdb, where, sizeof(where), &err);

    if (fd < 0) {
        fprintf(stderr, "tender: %s\n", err.msg);
        return -1;
    }
    opts->cfg.gdb = 1;
    opts->cfg.gdb_fd = fd;
    fprintf(stderr, "tender: waiting for gdb on %s\n", where);
    return 0;
}

int main(int argc, char **argv)
{
    struct cli_options opts;
    struct tender_error err;
    struct tender_exit e;
    struct tender_vm *vm;

    if (cli_parse(argc, argv, &opts, &err) < 0) {
        fprintf(stderr, "tender: %s\n", err.msg);
        return EXIT_SETUP;
    }
    if (opts.action == CLI_HELP) {
        char module_usage[2048];

        tender_modules_usage(module_usage, sizeof(module_usage));
        printf(usage, module_usage);
        return 0;
    }
    if (opts.action == CLI_VERSION) {
        printf("tender %s (hvt ABI version %d)\n", TENDER_VERSION, 2);
        return 0;
    }
    if (opts.mem_rounded)
        fprintf(stderr,
                "tender: guest memory rounded to %llu MiB (a multiple "
                "of 2 MiB)\n",
                (unsigned long long)(opts.cfg.mem_size >> 20));
    /* Name a bad guest file before any complaint about KVM. */
    if (tender_guest_check_file(opts.elf_path, opts.cfg.mem_size, &err) < 0) {
        fprintf(stderr, "tender: %s\n", err.msg);
        return EXIT_SETUP;
    }
    close_inherited_fds(&opts);
    catch_stop_signals();
    opts.cfg.sandbox = 1;
    if (opts.gdb != NULL && listen_for_gdb(&opts) < 0)
        return EXIT_SETUP;
    opts.cfg.log = log_to_stderr;
    if (tender_vm_create(&opts.cfg, &vm, &err) < 0) {
        fprintf(stderr, "tender: %s\n", err.msg);
        return EXIT_SETUP;
    }
    if (tender_vm_load_file(vm, opts.elf_path, &err) < 0) {
        fprintf(stderr, "tender: %s\n", err.msg);
        tender_vm_destroy(vm);
        return EXIT_SETUP;
    }
    running_vm = vm;
    if (stop_signal)
        tender_vm_request_stop(vm);
    if (tender_vm_run(vm, &e, &err) < 0) {
        stderr_line(err.msg);
        _exit(err.code == TENDER_E_KVM ? EXIT_KVM_ERROR : EXIT_SETUP);
    }
    /* The sandboxed thread may not unmap or close: just leave. */
    report(&e);
    _exit(exit_status(&e));
}

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cgroup.h"
#include "net.h"
#include "tender.h"
#include "vmproc.h"

enum {
    EXIT_KVM_ERROR = 245, /* as tender_exit_status() says of KVM's errors */
};

static struct tender_vm *the_vm;
static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
    if (stop_signal == 0)
        stop_signal = sig;
    if (the_vm != NULL)
        tender_vm_request_stop(the_vm);
}

/* The signals kill may send that stop the guest; the rest act as ever. */
static void catch_signals(void)
{
    static const int sigs[] = {SIGTERM, SIGINT,  SIGHUP,
                               SIGQUIT, SIGUSR1, SIGUSR2};
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
        sigaction(sigs[i], &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

/* Tell create why not, and leave. */
static _Noreturn void refuse(int fd, const char *msg)
{
    char line[1100];
    int n = snprintf(line, sizeof(line), "E%s\n", msg);

    if (n > 0 && write(fd, line, (size_t)n) < 0) {
        /* create is gone; nobody to tell. */
    }
    _exit(1);
}

/* One line on the container's stderr, in one write (the sandbox). */
static void stderr_line(const char *msg)
{
    char line[600];
    int n = snprintf(line, sizeof(line), "tender-oci: %s\n", msg);

    if (n > 0 && write(STDERR_FILENO, line, (size_t)n) < 0) {
        /* The engine closed it. */
    }
}

static void log_line(void *opaque, const char *msg)
{
    (void)opaque;
    stderr_line(msg);
}

/* As the tender command's, but a stop is the signal's 128 + N, as a
 * container engine expects of a process it signalled. */
static int exit_status(const struct tender_exit *e)
{
    return tender_exit_status(e,
                              128 + (stop_signal ? (int)stop_signal : SIGTERM));
}

static void use_console(int fd)
{
    setsid();
    ioctl(fd, TIOCSCTTY, 0);
    dup2(fd, 0);
    dup2(fd, 1);
    dup2(fd, 2);
    if (fd > 2)
        close(fd);
}

/*
 * The namespace and the network: the tap's fd with info, -1 for no
 * network, -2 with err.
 */
static int join_network(const struct vmproc_args *a, char *iface,
                        size_t iface_len, struct image_net_info *info,
                        char *err, size_t len)
{
    int fd;

    if (a->spec->has_netns && a->spec->netns_path != NULL) {
        if (net_join(a->spec->netns_path) < 0) {
            snprintf(err, len, "cannot join network namespace %s: %s",
                     a->spec->netns_path, strerror(errno));
            return -2;
        }
    } else if (a->spec->has_netns && unshare(CLONE_NEWNET) < 0) {
        snprintf(err, len, "cannot make a network namespace: %s",
                 strerror(errno));
        return -2;
    }
    if (!a->img->net)
        return -1;
    snprintf(iface, iface_len, "%s", a->img->net_iface);
    fd = net_setup(iface, iface_len, info, err, len);
    return fd < 0 ? -2 : fd;
}

/* Create the VM and load the ELF with the devices; exits on failure. */
static void load_vm(const struct vmproc_args *a, int tap,
                    const struct image_net_info *info)
{
    static struct tender_dev_arg devs[IMAGE_MAX_BLOCKS + 2];
    struct tender_config cfg;
    struct tender_error terr;
    char err[1024], tapref[16];
    char **argv;
    size_t n = 0;
    int argc;

    argv = image_guest_args(a->spec, tap >= 0 ? info : NULL, &argc, err,
                            sizeof(err));
    if (argv == NULL)
        refuse(a->ready_fd, err);
    for (unsigned i = 0; i < a->img->n_blocks; i++) {
        const struct image_block *b = &a->img->blocks[i];
        devs[n++] = (struct tender_dev_arg){
            "block", b->name[0] ? b->name : NULL, b->path};
    }
    if (tap >= 0) {
        const char *name = a->img->net_dev[0] ? a->img->net_dev : NULL;
        snprintf(tapref, sizeof(tapref), "@%d", tap);
        devs[n++] = (struct tender_dev_arg){"net", name, tapref};
        devs[n++] = (struct tender_dev_arg){"net-mac", name, info->mac};
    }
    memset(&cfg, 0, sizeof(cfg));
    cfg.mem_size = a->img->mem_mib << 20;
    cfg.guest_argc = argc;
    cfg.guest_argv = argv;
    cfg.dev_args = devs;
    cfg.n_dev_args = n;
    cfg.sandbox = 1;
    cfg.log = log_line;
    if (tender_vm_create(&cfg, &the_vm, &terr) < 0 ||
        tender_vm_load_file(the_vm, a->img->elf, &terr) < 0) {
        snprintf(err, sizeof(err), "%s: %s", a->spec->args[0], terr.msg);
        refuse(a->ready_fd, err);
    }
    /* libtender needs the strings only until the load has returned. */
    image_free_args(argv);
}

/*
 * Tell create we are ready (a line each: "OK", the cgroup, the veth, the
 * guest's network), then wait for its go-ahead, given once it has
 * recorded the state: if create dies first, so do we, and nothing is
 * left waiting on a fifo nobody will open.
 */
static void report_ready(const struct vmproc_args *a, const char *cg,
                         const char *iface, int tap,
                         const struct image_net_info *info)
{
    char ready[4400];
    int len = snprintf(ready, sizeof(ready), "OK\n%s\n%s\n", cg, iface);

    if (tap >= 0)
        len += snprintf(ready + len, sizeof(ready) - (size_t)len,
                        "%s/%u via %s mtu %u mac %s\n", info->ip, info->prefix,
                        info->gateway, info->mtu, info->mac);
    else
        len += snprintf(ready + len, sizeof(ready) - (size_t)len, "\n");
    if (write(a->ready_fd, ready, (size_t)len) != len ||
        shutdown(a->ready_fd, SHUT_WR) < 0)
        _exit(1);
    if (read(a->ready_fd, ready, 1) != 1 || ready[0] != 'G')
        _exit(1);
    close(a->ready_fd);
}

/* Block until start opens the fifo to read, and answer it. */
static void wait_for_start(const struct vmproc_args *a)
{
    int fd;

    do
        fd = open(a->fifo_path, O_WRONLY | O_CLOEXEC);
    while (fd < 0 && errno == EINTR && stop_signal == 0);
    if (fd < 0)
        _exit(stop_signal ? 128 + (int)stop_signal : 1);
    if (write(fd, "1", 1) != 1)
        _exit(1);
    close(fd);
}

_Noreturn void vmproc_main(const struct vmproc_args *a)
{
    struct image_net_info info;
    struct tender_error terr;
    struct tender_exit e;
    char err[1024], cg[4096], iface[16] = "";
    int tap;

    if (a->console_fd >= 0)
        use_console(a->console_fd);
    else
        setsid();
    catch_signals();
    if (cgroup_apply(a->spec, a->id, getpid(), cg, sizeof(cg), err,
                     sizeof(err)) < 0)
        refuse(a->ready_fd, err);
    err[0] = '\0';
    tap = join_network(a, iface, sizeof(iface), &info, err, sizeof(err));
    if (tap == -2)
        refuse(a->ready_fd, err);
    if (!a->img->pod_sandbox)
        load_vm(a, tap, &info);
    report_ready(a, cg, iface, tap, &info);
    wait_for_start(a);
    if (a->img->pod_sandbox) {
        /* A pod's sandbox only holds its namespaces, as pause does. */
        while (stop_signal == 0)
            pause();
        _exit(0);
    }
    if (stop_signal)
        tender_vm_request_stop(the_vm);
    if (tender_vm_run(the_vm, &e, &terr) < 0) {
        stderr_line(terr.msg);
        _exit(EXIT_KVM_ERROR);
    }
    if (e.reason != TENDER_STOP_HALT && e.reason != TENDER_STOP_REQUESTED) {
        tender_exit_describe(&e, err, sizeof(err));
        stderr_line(err);
    }
    /* The sandboxed thread may not close or unmap: just leave. */
    _exit(exit_status(&e));
}

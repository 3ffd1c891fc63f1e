/*
 * create: check the bundle, make the state directory, fork the VM
 * process and wait until it has its VM loaded (or says why not); then
 * record the state and the pid file, and leave the VM process waiting
 * for start.  On any failure nothing is left behind.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "commands.h"
#include "image.h"
#include "log.h"
#include "spec.h"
#include "state.h"
#include "vmproc.h"

/* A pty whose master goes to the engine's console socket; the slave. */
static int console_pty(const char *sock_path)
{
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    char buf[CMSG_SPACE(sizeof(int))], name[] = "/dev/pts/ptmx";
    struct iovec iov = {.iov_base = name, .iov_len = sizeof(name)};
    struct msghdr msg = {0};
    struct cmsghdr *cm;
    int master, slave = -1, sock;

    if (strlen(sock_path) >= sizeof(addr.sun_path)) {
        log_msg("error", "--console-socket %s: path too long", sock_path);
        return -1;
    }
    snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", sock_path);
    master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0) {
        log_msg("error", "cannot make a pty: %s", strerror(errno));
        return -1;
    }
    slave = open(ptsname(master), O_RDWR | O_NOCTTY | O_CLOEXEC);
    sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (slave < 0 || sock < 0 ||
        connect(sock, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
        log_msg("error", "--console-socket %s: %s", sock_path, strerror(errno));
        goto bad;
    }
    memset(buf, 0, sizeof(buf));
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = buf;
    msg.msg_controllen = sizeof(buf);
    cm = CMSG_FIRSTHDR(&msg);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cm), &master, sizeof(int));
    if (sendmsg(sock, &msg, 0) < 0) {
        log_msg("error", "--console-socket %s: %s", sock_path, strerror(errno));
        goto bad;
    }
    close(sock);
    close(master);
    return slave;
bad:
    if (sock >= 0)
        close(sock);
    if (slave >= 0)
        close(slave);
    close(master);
    return -1;
}

static int write_pid_file(const char *path, int pid)
{
    char tmp[PATH_MAX + 8];
    FILE *f;

    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    f = fopen(tmp, "we");
    if (f == NULL)
        return -1;
    fprintf(f, "%d", pid);
    if (fclose(f) != 0 || rename(tmp, path) < 0) {
        unlink(tmp);
        return -1;
    }
    return 0;
}

/* Line n (0-based) of text into dst; -1 if missing or too long. */
static int line_of(const char *text, int n, char *dst, size_t len)
{
    size_t l;

    for (; n > 0 && text != NULL; n--) {
        text = strchr(text, '\n');
        if (text != NULL)
            text++;
    }
    if (text == NULL)
        return -1;
    l = strcspn(text, "\n");
    if (l >= len)
        return -1;
    memcpy(dst, text, l);
    dst[l] = '\0';
    return 0;
}

/*
 * Read the VM process's answer: "OK", its cgroup, the veth and the guest's
 * network, a line each (0, into st), or "E" and why not (-1, reported).
 */
static int await_ready(int fd, int pid, struct oci_state *st)
{
    char buf[8192];
    size_t got = 0;
    ssize_t n;
    int status;

    while (got < sizeof(buf) - 1 &&
           (n = read(fd, buf + got, sizeof(buf) - 1 - got)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            break;
        got += (size_t)n;
    }
    buf[got] = '\0';
    if (strncmp(buf, "OK\n", 3) == 0 &&
        line_of(buf, 1, st->cgroup, sizeof(st->cgroup)) == 0 &&
        line_of(buf, 2, st->veth, sizeof(st->veth)) == 0 &&
        line_of(buf, 3, st->network, sizeof(st->network)) == 0)
        return 0;
    waitpid(pid, &status, 0);
    if (buf[0] == 'E') {
        buf[strcspn(buf, "\n")] = '\0';
        log_msg("error", "%s", buf + 1);
    } else if (WIFSIGNALED(status))
        log_msg("error", "the VM process died during set-up (signal %d)",
                WTERMSIG(status));
    else
        log_msg("error", "the VM process ended during set-up (status %d)",
                WEXITSTATUS(status));
    return -1;
}

/* In the child: only stdio, the ready pipe and the console stay open. */
static void child_fds(int *ready_fd, int *console_fd)
{
    if (dup2(*ready_fd, 3) < 0)
        _exit(1);
    *ready_fd = 3;
    fcntl(3, F_SETFD, FD_CLOEXEC);
    if (*console_fd >= 0) {
        if (dup2(*console_fd, 4) < 0)
            _exit(1);
        *console_fd = 4;
        fcntl(4, F_SETFD, FD_CLOEXEC);
    }
    syscall(SYS_close_range, *console_fd >= 0 ? 5 : 4, ~0U, 0);
}

static int load_state_annotations(const struct spec *s, struct json **out)
{
    /* state.json's annotations: the bundle's, as an object. */
    struct json *o = calloc(1, sizeof(*o)), **tail;

    if (o == NULL)
        return -1;
    o->type = JSON_OBJECT;
    tail = &o->child;
    for (size_t i = 0; i < s->n_annotations; i++) {
        struct json *e = calloc(1, sizeof(*e));
        if (e == NULL)
            break;
        e->type = JSON_STRING;
        e->key = strdup(s->annotations[i].key);
        e->str = strdup(s->annotations[i].value);
        *tail = e;
        tail = &e->next;
        o->count++;
    }
    *out = o;
    return 0;
}

static int spawn(const struct oci_cli *c, const struct spec *s,
                 const struct image *img, const char *bundle, int lock_fd)
{
    struct oci_state st;
    char fifo[PATH_MAX], err[1024], pstate;
    int sockfd[2], console = -1, pid;
    struct vmproc_args a;

    if (state_path(c->root, c->id, "start.fifo", fifo, sizeof(fifo)) < 0 ||
        mkfifo(fifo, 0600) < 0) {
        log_msg("error", "cannot make the start fifo %s: %s", fifo,
                strerror(errno));
        return -1;
    }
    if (c->console_socket != NULL) {
        console = console_pty(c->console_socket);
        if (console < 0)
            return -1;
    } else if (s->terminal) {
        log_msg("error", "process.terminal is true but there is no "
                         "--console-socket");
        return -1;
    }
    /* The VM process reports on it, then waits for create's go-ahead:
     * a create killed before recording the state takes its VM process
     * with it. */
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sockfd) < 0) {
        log_msg("error", "socketpair: %s", strerror(errno));
        return -1;
    }
    pid = fork();
    if (pid < 0) {
        log_msg("error", "fork: %s", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        close(lock_fd);
        close(sockfd[0]);
        a = (struct vmproc_args){c->id, s, img, fifo, sockfd[1], console};
        child_fds(&a.ready_fd, &a.console_fd);
        vmproc_main(&a);
    }
    close(sockfd[1]);
    if (console >= 0)
        close(console);
    memset(&st, 0, sizeof(st));
    if (await_ready(sockfd[0], pid, &st) < 0) {
        close(sockfd[0]);
        return -1;
    }
    snprintf(st.id, sizeof(st.id), "%s", c->id);
    snprintf(st.bundle, sizeof(st.bundle), "%s", bundle);
    snprintf(st.rootfs, sizeof(st.rootfs), "%s", img->rootfs);
    if (s->netns_path != NULL && st.veth[0] != '\0')
        snprintf(st.netns, sizeof(st.netns), "%s", s->netns_path);
    log_time(st.created, sizeof(st.created));
    st.pid = pid;
    err[0] = '\0';
    if (load_state_annotations(s, &st.annotations) < 0 ||
        proc_stat(pid, &st.starttime, &pstate) < 0 ||
        state_write(c->root, &st, err, sizeof(err)) < 0 ||
        (c->pid_file != NULL && write_pid_file(c->pid_file, pid) < 0)) {
        log_msg("error", "cannot record the container's state: %s",
                err[0] ? err : strerror(errno));
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        state_release(&st);
        close(sockfd[0]);
        return -1;
    }
    state_release(&st);
    if (write(sockfd[0], "G", 1) != 1) {
        log_msg("error", "the VM process is gone: %s", strerror(errno));
        close(sockfd[0]);
        return -1;
    }
    close(sockfd[0]);
    return 0;
}

int cmd_create(const struct oci_cli *c)
{
    char bundle[PATH_MAX], err[1024];
    static struct image img;
    struct spec s;
    int lock_fd, rc;

    if (realpath(c->bundle != NULL ? c->bundle : ".", bundle) == NULL) {
        log_msg("error", "bundle %s: %s", c->bundle ? c->bundle : ".",
                strerror(errno));
        return 1;
    }
    if (spec_load(bundle, &s, err, sizeof(err)) < 0) {
        log_msg("error", "%s", err);
        return 1;
    }
    if (image_resolve(bundle, &s, &img, err, sizeof(err)) < 0) {
        log_msg("error", "%s", err);
        spec_free(&s);
        return 1;
    }
    lock_fd = state_create(c->root, c->id, err, sizeof(err));
    if (lock_fd < 0) {
        log_msg("error", "%s", err);
        spec_free(&s);
        return 1;
    }
    rc = spawn(c, &s, &img, bundle, lock_fd);
    if (rc < 0 && state_remove(c->root, c->id, err, sizeof(err)) < 0)
        log_msg("warning", "%s", err);
    close(lock_fd);
    spec_free(&s);
    return rc < 0 ? 1 : 0;
}

/*
 * start, state, kill, delete and list: each looks at the state directory
 * and /proc, asks lifecycle.c whether the operation is allowed in the
 * container's status, and acts.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "commands.h"
#include "lifecycle.h"
#include "log.h"
#include "net.h"
#include "state.h"

/* The container as it is: 0 with st and *status, -1 (reported) if none. */
static int look(const struct oci_cli *c, const char *id, int *lock_fd,
                struct oci_state *st, enum oci_status *status)
{
    char err[1024];
    int has, locked = 0;

    /* A create holds the lock for as long as it works: never wait. */
    *lock_fd = state_lock(c->root, id, 1, err, sizeof(err));
    if (*lock_fd < 0 && errno == EWOULDBLOCK)
        locked = 1;
    else if (*lock_fd < 0) {
        log_msg("error", "%s", err);
        return -1;
    }
    has = state_read(c->root, id, st, err, sizeof(err));
    if (has < 0) {
        log_msg("error", "%s", err);
        if (*lock_fd >= 0)
            close(*lock_fd);
        return -1;
    }
    *status = state_status(c->root, id, st, has, locked);
    return 0;
}

static void done(int lock_fd, struct oci_state *st)
{
    state_release(st);
    if (lock_fd >= 0)
        close(lock_fd);
}

static int refuse(const struct oci_cli *c, enum oci_op op,
                  enum oci_status status)
{
    const char *why = lifecycle_check(op, status);

    if (why == NULL)
        return 0;
    log_msg("error", "container %s: %s", c->id, why);
    return -1;
}

int cmd_start(const struct oci_cli *c)
{
    struct oci_state st;
    enum oci_status status;
    char fifo[PATH_MAX], byte;
    struct pollfd p;
    int lock_fd, fd, rc = 1;

    if (look(c, c->id, &lock_fd, &st, &status) < 0)
        return 1;
    if (refuse(c, OP_START, status) < 0)
        goto out;
    state_path(c->root, c->id, "start.fifo", fifo, sizeof(fifo));
    fd = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        log_msg("error", "container %s: cannot open %s: %s", c->id, fifo,
                strerror(errno));
        goto out;
    }
    /* The VM process writes one byte once it sees a reader. */
    p = (struct pollfd){.fd = fd, .events = POLLIN};
    if (poll(&p, 1, 10000) == 1 && read(fd, &byte, 1) == 1) {
        unlink(fifo);
        rc = 0;
    } else
        log_msg("error",
                "container %s: the VM process did not start (it "
                "has exited)",
                c->id);
    close(fd);
out:
    done(lock_fd, &st);
    return rc;
}

int cmd_state(const struct oci_cli *c)
{
    struct oci_state st;
    enum oci_status status;
    int lock_fd;

    if (look(c, c->id, &lock_fd, &st, &status) < 0)
        return 1;
    state_print(stdout, &st, status);
    done(lock_fd, &st);
    return 0;
}

int cmd_kill(const struct oci_cli *c)
{
    struct oci_state st;
    enum oci_status status;
    int lock_fd, rc = 1;

    if (look(c, c->id, &lock_fd, &st, &status) < 0)
        return 1;
    if (refuse(c, OP_KILL, status) < 0)
        goto out;
    if (kill(st.pid, c->signal) < 0)
        log_msg("error", "container %s: kill %d: %s", c->id, st.pid,
                strerror(errno));
    else
        rc = 0;
out:
    done(lock_fd, &st);
    return rc;
}

/* Until pid is gone (dead or a zombie): up to 10 s. */
static int wait_gone(const struct oci_state *st)
{
    unsigned long long start;
    char pstate;

    for (int i = 0; i < 1000; i++) {
        if (proc_stat(st->pid, &start, &pstate) < 0 || start != st->starttime ||
            pstate == 'Z' || pstate == 'X')
            return 0;
        nanosleep(&(struct timespec){0, 10000000}, NULL);
    }
    return -1;
}

int cmd_delete(const struct oci_cli *c)
{
    struct oci_state st;
    enum oci_status status;
    char err[1024];
    int lock_fd, rc = 1;

    /* As runc: a forced delete of what is not there has nothing to do
     * (containerd's shim cleans up after a create that failed). */
    if (c->force && state_path(c->root, c->id, "", err, sizeof(err)) == 0 &&
        access(err, F_OK) < 0 && errno == ENOENT)
        return 0;
    if (look(c, c->id, &lock_fd, &st, &status) < 0)
        return 1;
    if (refuse(c, c->force ? OP_FORCE_DELETE : OP_DELETE, status) < 0)
        goto out;
    if (status != OCI_STOPPED) {
        kill(st.pid, SIGKILL);
        if (wait_gone(&st) < 0) {
            log_msg("error", "container %s: process %d does not die", c->id,
                    st.pid);
            goto out;
        }
    }
    net_cleanup(st.netns, st.veth);
    cgroup_remove(st.cgroup);
    if (state_remove(c->root, c->id, err, sizeof(err)) < 0)
        log_msg("error", "container %s: %s", c->id, err);
    else
        rc = 0;
out:
    done(lock_fd, &st);
    return rc;
}

int cmd_list(const struct oci_cli *c)
{
    struct dirent *d;
    DIR *dp = opendir(c->root);
    int first = 1;

    if (dp == NULL && errno != ENOENT) {
        log_msg("error", "%s: %s", c->root, strerror(errno));
        return 1;
    }
    if (c->list_json)
        printf("[");
    else if (!c->quiet)
        printf("%-24s %-8s %-10s %-40s %s\n", "ID", "PID", "STATUS", "BUNDLE",
               "CREATED");
    while (dp != NULL && (d = readdir(dp)) != NULL) {
        struct oci_state st;
        enum oci_status status;
        int lock_fd;

        if (d->d_name[0] == '.' ||
            (d->d_type != DT_DIR && d->d_type != DT_UNKNOWN))
            continue;
        struct oci_cli one = *c;
        one.id = d->d_name;
        if (look(&one, d->d_name, &lock_fd, &st, &status) < 0)
            continue;
        if (c->list_json) {
            if (!first)
                printf(",");
            state_print(stdout, &st, status);
        } else if (c->quiet)
            printf("%s\n", d->d_name);
        else
            printf("%-24s %-8d %-10s %-40s %s\n", d->d_name,
                   status == OCI_STOPPED ? 0 : st.pid,
                   lifecycle_status_name(status), st.bundle, st.created);
        first = 0;
        done(lock_fd, &st);
    }
    if (c->list_json)
        printf("]\n");
    if (dp != NULL)
        closedir(dp);
    return 0;
}

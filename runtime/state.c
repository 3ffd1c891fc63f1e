#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "state.h"

#define STATE_MAX (1 << 20)

int state_path(const char *root, const char *id, const char *name, char *buf,
               size_t len)
{
    int n = snprintf(buf, len, "%s/%s%s%s", root, id, name[0] ? "/" : "", name);

    return n < 0 || (size_t)n >= len ? -1 : 0;
}

static int mkdir_p(const char *path, mode_t mode)
{
    char buf[PATH_MAX];
    size_t n = strlen(path);

    if (n >= sizeof(buf))
        return -1;
    memcpy(buf, path, n + 1);
    for (char *p = buf + 1; *p != '\0'; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, mode) < 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return mkdir(buf, mode) < 0 && errno != EEXIST ? -1 : 0;
}

static int lock_dir(const char *dir, int nonblock)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    if (fd < 0)
        return -1;
    if (flock(fd, LOCK_EX | (nonblock ? LOCK_NB : 0)) < 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

int state_create(const char *root, const char *id, char *err, size_t len)
{
    char dir[PATH_MAX];
    int fd;

    if (state_path(root, id, "", dir, sizeof(dir)) < 0) {
        snprintf(err, len, "state directory name too long");
        return -1;
    }
    if (mkdir_p(root, 0711) < 0) {
        snprintf(err, len, "cannot make the state root %s: %s", root,
                 strerror(errno));
        return -1;
    }
    if (mkdir(dir, 0700) < 0) {
        snprintf(err, len,
                 errno == EEXIST ? "container %s already exists"
                                 : "cannot make %s: %s",
                 errno == EEXIST ? id : dir, strerror(errno));
        return -1;
    }
    fd = lock_dir(dir, 0);
    if (fd < 0) {
        snprintf(err, len, "cannot lock %s: %s", dir, strerror(errno));
        rmdir(dir);
    }
    return fd;
}

int state_lock(const char *root, const char *id, int nonblock, char *err,
               size_t len)
{
    char dir[PATH_MAX];
    int fd;

    if (state_path(root, id, "", dir, sizeof(dir)) < 0) {
        snprintf(err, len, "state directory name too long");
        return -1;
    }
    fd = lock_dir(dir, nonblock);
    if (fd < 0) {
        if (errno == ENOENT)
            snprintf(err, len, "container %s does not exist", id);
        else if (errno == EWOULDBLOCK)
            snprintf(err, len, "container %s is locked by another command", id);
        else
            snprintf(err, len, "cannot lock %s: %s", dir, strerror(errno));
    }
    return fd;
}

static void write_annotations(FILE *f, const struct json *a)
{
    int first = 1;

    fputc('{', f);
    for (const struct json *e = a != NULL ? a->child : NULL; e != NULL;
         e = e->next) {
        if (e->type != JSON_STRING)
            continue;
        if (!first)
            fputc(',', f);
        first = 0;
        json_write_str(f, e->key);
        fputc(':', f);
        json_write_str(f, e->str);
    }
    fputc('}', f);
}

static void field(FILE *f, const char *name, const char *value)
{
    fprintf(f, ",\"%s\":", name);
    json_write_str(f, value);
}

int state_write(const char *root, const struct oci_state *st, char *err,
                size_t len)
{
    char tmp[PATH_MAX], path[PATH_MAX];
    FILE *f;

    if (state_path(root, st->id, "state.json.tmp", tmp, sizeof(tmp)) < 0 ||
        state_path(root, st->id, "state.json", path, sizeof(path)) < 0) {
        snprintf(err, len, "state directory name too long");
        return -1;
    }
    f = fopen(tmp, "we");
    if (f == NULL) {
        snprintf(err, len, "cannot write %s: %s", tmp, strerror(errno));
        return -1;
    }
    fprintf(f, "{\"id\":");
    json_write_str(f, st->id);
    fprintf(f, ",\"pid\":%d,\"starttime\":%llu", st->pid, st->starttime);
    field(f, "bundle", st->bundle);
    field(f, "rootfs", st->rootfs);
    field(f, "created", st->created);
    field(f, "cgroup", st->cgroup);
    field(f, "netns", st->netns);
    field(f, "veth", st->veth);
    field(f, "network", st->network);
    fprintf(f, ",\"annotations\":");
    write_annotations(f, st->annotations);
    fprintf(f, "}\n");
    if (fflush(f) != 0 || fsync(fileno(f)) < 0) {
        snprintf(err, len, "cannot write %s: %s", tmp, strerror(errno));
        fclose(f);
        unlink(tmp);
        return -1;
    }
    fclose(f);
    if (rename(tmp, path) < 0) {
        snprintf(err, len, "cannot rename %s: %s", tmp, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

static void copy_str(const struct json *j, const char *key, char *dst,
                     size_t len)
{
    const char *v = json_get_str(j, key);

    snprintf(dst, len, "%s", v != NULL ? v : "");
}

int state_read(const char *root, const char *id, struct oci_state *st,
               char *err, size_t len)
{
    char path[PATH_MAX], jerr[128], *text;
    const struct json *e;
    struct json *j;
    ssize_t n;
    int fd;

    memset(st, 0, sizeof(*st));
    snprintf(st->id, sizeof(st->id), "%s", id);
    if (state_path(root, id, "state.json", path, sizeof(path)) < 0) {
        snprintf(err, len, "state directory name too long");
        return -1;
    }
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return 0;
        snprintf(err, len, "cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    text = malloc(STATE_MAX);
    n = text != NULL ? read(fd, text, STATE_MAX) : -1;
    close(fd);
    if (n < 0 || n == STATE_MAX) {
        free(text);
        snprintf(err, len, "cannot read %s", path);
        return -1;
    }
    j = json_parse(text, (size_t)n, jerr, sizeof(jerr));
    free(text);
    if (j == NULL) {
        snprintf(err, len, "%s: %s", path, jerr);
        return -1;
    }
    e = json_get(j, "pid");
    st->pid = e != NULL && e->is_int ? (int)e->integer : 0;
    e = json_get(j, "starttime");
    st->starttime = e != NULL && e->is_int ? (unsigned long long)e->integer : 0;
    copy_str(j, "bundle", st->bundle, sizeof(st->bundle));
    copy_str(j, "rootfs", st->rootfs, sizeof(st->rootfs));
    copy_str(j, "created", st->created, sizeof(st->created));
    copy_str(j, "cgroup", st->cgroup, sizeof(st->cgroup));
    copy_str(j, "netns", st->netns, sizeof(st->netns));
    copy_str(j, "veth", st->veth, sizeof(st->veth));
    copy_str(j, "network", st->network, sizeof(st->network));
    /* Keep only the annotations' subtree. */
    for (struct json **p = &j->child; *p != NULL; p = &(*p)->next) {
        if (strcmp((*p)->key, "annotations") == 0 &&
            (*p)->type == JSON_OBJECT) {
            st->annotations = *p;
            *p = (*p)->next;
            st->annotations->next = NULL;
            break;
        }
    }
    json_free(j);
    return 1;
}

void state_release(struct oci_state *st)
{
    json_free(st->annotations);
    st->annotations = NULL;
}

int proc_stat(int pid, unsigned long long *starttime, char *state)
{
    char path[64], buf[1024], *p;
    ssize_t n;
    int fd;

    snprintf(path, sizeof(path), "/proc/%d/stat", pid);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    /* The command name may hold spaces and parentheses: after the last. */
    p = strrchr(buf, ')');
    if (p == NULL || p[1] != ' ')
        return -1;
    *state = p[2];
    p += 2;
    /* state is field 3; starttime is field 22. */
    for (int field = 3; field < 22; field++) {
        p = strchr(p, ' ');
        if (p == NULL)
            return -1;
        p++;
    }
    *starttime = strtoull(p, NULL, 10);
    return 0;
}

enum oci_status state_status(const char *root, const char *id,
                             const struct oci_state *st, int has_state,
                             int lock_fd_held)
{
    struct oci_observed o = {0};
    unsigned long long start;
    char path[PATH_MAX], pstate;

    o.has_state = has_state;
    o.create_locked = lock_fd_held;
    if (has_state) {
        o.process_gone =
            st->pid <= 0 || proc_stat(st->pid, &start, &pstate) < 0 ||
            start != st->starttime || pstate == 'Z' || pstate == 'X';
        o.fifo_exists =
            state_path(root, id, "start.fifo", path, sizeof(path)) == 0 &&
            access(path, F_OK) == 0;
    }
    return lifecycle_status(&o);
}

void state_print(FILE *f, const struct oci_state *st, enum oci_status s)
{
    fprintf(f, "{\n  \"ociVersion\": \"%s\",\n  \"id\": ", OCI_SPEC_VERSION);
    json_write_str(f, st->id);
    fprintf(f, ",\n  \"status\": \"%s\",\n  \"pid\": %d,\n  \"bundle\": ",
            lifecycle_status_name(s), s == OCI_STOPPED ? 0 : st->pid);
    json_write_str(f, st->bundle);
    fprintf(f, ",\n  \"rootfs\": ");
    json_write_str(f, st->rootfs);
    fprintf(f, ",\n  \"created\": ");
    json_write_str(f, st->created);
    fprintf(f, ",\n  \"annotations\": ");
    write_annotations(f, st->annotations);
    fprintf(f, "\n}\n");
}

int state_remove(const char *root, const char *id, char *err, size_t len)
{
    char dir[PATH_MAX], path[PATH_MAX + 300];
    struct dirent *d;
    DIR *dp;

    if (state_path(root, id, "", dir, sizeof(dir)) < 0) {
        snprintf(err, len, "state directory name too long");
        return -1;
    }
    dp = opendir(dir);
    if (dp == NULL) {
        if (errno == ENOENT)
            return 0;
        snprintf(err, len, "cannot open %s: %s", dir, strerror(errno));
        return -1;
    }
    while ((d = readdir(dp)) != NULL) {
        if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
        unlink(path);
    }
    closedir(dp);
    if (rmdir(dir) < 0 && errno != ENOENT) {
        snprintf(err, len, "cannot remove %s: %s", dir, strerror(errno));
        return -1;
    }
    return 0;
}

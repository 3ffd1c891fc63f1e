#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "cgroup.h"

#define CGROUP_ROOT "/sys/fs/cgroup"
#define CGROUP2_MAGIC 0x63677270

int cgroup_dir(const char *path, const char *id, char *out, size_t len)
{
    char slice[256], prefix[256], name[512];
    int n;

    (void)id;
    if (path == NULL || path[0] == '\0') {
        out[0] = '\0';
        return 0;
    }
    if (path[0] == '/') {
        if (strstr(path, "/..") != NULL)
            return -1;
        n = snprintf(out, len, "%s%s", CGROUP_ROOT, path);
        return n < 0 || (size_t)n >= len ? -1 : 0;
    }
    if (sscanf(path, "%255[^:]:%255[^:]:%511s", slice, prefix, name) != 3 ||
        strchr(slice, '/') != NULL || strchr(prefix, '/') != NULL ||
        strchr(name, '/') != NULL || strstr(path, "..") != NULL)
        return -1;
    n = snprintf(out, len, "%s/%s/%s-%s.scope", CGROUP_ROOT, slice, prefix,
                 name);
    return n < 0 || (size_t)n >= len ? -1 : 0;
}

static int write_file(const char *dir, const char *file, const char *value)
{
    char path[4200];
    ssize_t n;
    int fd;

    snprintf(path, sizeof(path), "%s/%s", dir, file);
    fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    n = write(fd, value, strlen(value));
    close(fd);
    return n == (ssize_t)strlen(value) ? 0 : -1;
}

/* Make dir and its parents, enabling the controllers on the way down. */
static int make(const char *dir)
{
    char buf[4096];
    size_t root_len = strlen(CGROUP_ROOT);

    snprintf(buf, sizeof(buf), "%s", dir);
    for (char *p = buf + root_len + 1; *p != '\0'; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0755) < 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    /* Each parent hands the controllers down; best effort, as some may be
     * missing or already on. */
    for (char *p = buf + root_len; p != NULL; p = strchr(p + 1, '/')) {
        char c = *p;
        *p = '\0';
        write_file(buf, "cgroup.subtree_control", "+memory");
        write_file(buf, "cgroup.subtree_control", "+cpu");
        write_file(buf, "cgroup.subtree_control", "+pids");
        *p = c;
    }
    return mkdir(dir, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

int cgroup_apply(const struct spec *s, const char *id, int pid, char *dir,
                 size_t dir_len, char *err, size_t err_len)
{
    int limits =
        s->memory_limit >= 0 || s->cpu_quota >= 0 || s->pids_limit >= 0;
    char value[64];
    struct statfs fs;

    dir[0] = '\0';
    if (statfs(CGROUP_ROOT, &fs) < 0 || fs.f_type != CGROUP2_MAGIC) {
        if (!limits)
            return 0;
        snprintf(err, err_len,
                 "linux.resources sets limits, but there is no cgroup v2 "
                 "hierarchy at %s",
                 CGROUP_ROOT);
        return -1;
    }
    if (cgroup_dir(s->cgroups_path, id, dir, dir_len) < 0) {
        snprintf(err, err_len,
                 "linux.cgroupsPath %s: not /PATH or "
                 "slice:prefix:name",
                 s->cgroups_path);
        return -1;
    }
    if (dir[0] == '\0') {
        if (!limits)
            return 0;
        snprintf(dir, dir_len, "%s/tender-oci/%s", CGROUP_ROOT, id);
    }
    if (make(dir) < 0) {
        snprintf(err, err_len, "cannot make cgroup %s: %s", dir,
                 strerror(errno));
        dir[0] = '\0';
        return -1;
    }
    if (s->memory_limit >= 0) {
        snprintf(value, sizeof(value), "%lld", (long long)s->memory_limit);
        if (write_file(dir, "memory.max", value) < 0)
            goto bad;
    }
    if (s->cpu_quota >= 0) {
        snprintf(value, sizeof(value), "%lld %llu", (long long)s->cpu_quota,
                 (unsigned long long)(s->cpu_period ? s->cpu_period : 100000));
        if (write_file(dir, "cpu.max", value) < 0)
            goto bad;
    }
    if (s->pids_limit >= 0) {
        snprintf(value, sizeof(value), "%lld", (long long)s->pids_limit);
        if (write_file(dir, "pids.max", value) < 0)
            goto bad;
    }
    snprintf(value, sizeof(value), "%d", pid);
    if (write_file(dir, "cgroup.procs", value) < 0)
        goto bad;
    return 0;
bad:
    snprintf(err, err_len, "cannot set up cgroup %s: %s", dir, strerror(errno));
    rmdir(dir);
    dir[0] = '\0';
    return -1;
}

void cgroup_remove(const char *dir)
{
    if (dir[0] != '\0')
        rmdir(dir);
}

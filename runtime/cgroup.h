/*
 * The spec's linux.resources on the VM process, through cgroup v2 at
 * /sys/fs/cgroup: memory.max, cpu.max, pids.max.
 */
#ifndef TENDER_OCI_CGROUP_H
#define TENDER_OCI_CGROUP_H

#include <stddef.h>

#include "spec.h"

/*
 * The cgroup directory for spec's linux.cgroupsPath: "/a/b" as is (below
 * /sys/fs/cgroup), "slice:prefix:name" as systemd names it
 * (/slice/prefix-name.scope); "" when there is no path.
 */
int cgroup_dir(const char *cgroups_path, const char *id, char *out, size_t len);

/*
 * Put pid in its cgroup with the spec's limits.  With no cgroup v2 mounted:
 * an error if limits are asked for, else nothing.  dir receives the
 * directory made ("" if none).
 */
int cgroup_apply(const struct spec *s, const char *id, int pid, char *dir,
                 size_t dir_len, char *err, size_t err_len);

/* Remove the directory cgroup_apply made (it must be empty by then). */
void cgroup_remove(const char *dir);

#endif

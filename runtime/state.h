/*
 * A container's state directory, ROOT/ID: state.json (written by create
 * once the VM is loaded), the start fifo (there until start), and the
 * directory itself as the lock (flock) that create holds while it works
 * and the other commands take while they look or act.
 */
#ifndef TENDER_OCI_STATE_H
#define TENDER_OCI_STATE_H

#include <limits.h>
#include <stdio.h>

#include "json.h"
#include "lifecycle.h"

#define OCI_SPEC_VERSION "1.0.2"

struct oci_state {
    char id[1028];
    char bundle[PATH_MAX];
    char rootfs[PATH_MAX];
    char created[40];             /* RFC 3339, UTC */
    int pid;                      /* the VM process */
    unsigned long long starttime; /* its start time, against pid reuse */
    char cgroup[PATH_MAX];        /* the cgroup made for it, "" if none */
    char netns[PATH_MAX];         /* the namespace joined, "" if none */
    char veth[16];                /* the interface mirrored to the tap */
    char network[128];            /* what the guest was told, "" if none */
    struct json *annotations;     /* an object, or NULL */
};

/* ROOT/ID/NAME into buf (NAME may be ""). -1 if it does not fit. */
int state_path(const char *root, const char *id, const char *name, char *buf,
               size_t len);

/* Make ROOT (if need be) and ROOT/ID, and lock it: the lock's fd. */
int state_create(const char *root, const char *id, char *err, size_t len);
/* Lock an existing ROOT/ID; -1 with "container ID does not exist". */
int state_lock(const char *root, const char *id, int nonblock, char *err,
               size_t len);

int state_write(const char *root, const struct oci_state *st, char *err,
                size_t len);
/* 1 if read, 0 if there is no state.json (yet), -1 on error. */
int state_read(const char *root, const char *id, struct oci_state *st,
               char *err, size_t len);
void state_release(struct oci_state *st);

/* What the directory and /proc say; status from lifecycle_status(). */
enum oci_status state_status(const char *root, const char *id,
                             const struct oci_state *st, int has_state,
                             int lock_fd_held);

/* The spec's state JSON of a container. */
void state_print(FILE *f, const struct oci_state *st, enum oci_status s);

/* Remove everything in ROOT/ID and the directory. */
int state_remove(const char *root, const char *id, char *err, size_t len);

/* Field 22 of /proc/PID/stat, and its state letter; -1 if no process. */
int proc_stat(int pid, unsigned long long *starttime, char *state);

#endif

/*
 * The runtime-spec's state machine, apart from any file or process:
 * which status a container has, and which operation each status allows.
 */
#ifndef TENDER_OCI_LIFECYCLE_H
#define TENDER_OCI_LIFECYCLE_H

enum oci_status {
    OCI_CREATING, /* create has not finished (or died half way) */
    OCI_CREATED,  /* the VM is loaded and waits for start */
    OCI_RUNNING,  /* the guest runs */
    OCI_STOPPED   /* the VM process has exited */
};

enum oci_op { OP_START, OP_KILL, OP_DELETE, OP_FORCE_DELETE, OP_STATE };

struct oci_observed {
    int has_state;     /* state.json was written by create */
    int process_gone;  /* its pid is dead, a zombie, or another process */
    int fifo_exists;   /* the start fifo is still there */
    int create_locked; /* a create holds the container's lock */
};

enum oci_status lifecycle_status(const struct oci_observed *o);
const char *lifecycle_status_name(enum oci_status s);
/*
 * NULL if op is allowed in status s, else why not (one line, e.g. "cannot
 * start a container that is running").
 */
const char *lifecycle_check(enum oci_op op, enum oci_status s);

#endif

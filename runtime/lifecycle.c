#include <stddef.h>

#include "lifecycle.h"

enum oci_status lifecycle_status(const struct oci_observed *o)
{
    if (!o->has_state)
        return o->create_locked ? OCI_CREATING : OCI_STOPPED;
    if (o->process_gone)
        return OCI_STOPPED;
    return o->fifo_exists ? OCI_CREATED : OCI_RUNNING;
}

const char *lifecycle_status_name(enum oci_status s)
{
    static const char *const names[] = {"creating", "created", "running",
                                        "stopped"};

    return names[s];
}

const char *lifecycle_check(enum oci_op op, enum oci_status s)
{
    switch (op) {
    case OP_START:
        if (s == OCI_CREATED)
            return NULL;
        return s == OCI_RUNNING ? "cannot start a container that is running"
               : s == OCI_STOPPED
                   ? "cannot start a container that has stopped"
                   : "cannot start a container that is being created";
    case OP_KILL:
        if (s == OCI_CREATED || s == OCI_RUNNING)
            return NULL;
        return s == OCI_STOPPED
                   ? "cannot kill a container that is not running (stopped)"
                   : "cannot kill a container that is being created";
    case OP_DELETE:
        if (s == OCI_STOPPED)
            return NULL;
        return s == OCI_RUNNING
                   ? "cannot delete a container that is running (stop it, "
                     "or use --force)"
               : s == OCI_CREATED
                   ? "cannot delete a container that is created, not "
                     "stopped (kill it, or use --force)"
                   : "cannot delete a container that is being created";
    case OP_FORCE_DELETE:
        return s == OCI_CREATING
                   ? "cannot delete a container that is being created"
                   : NULL;
    case OP_STATE:
    default:
        return NULL;
    }
}

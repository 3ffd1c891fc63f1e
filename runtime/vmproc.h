/*
 * The VM process: the container's one process, forked by create.  It
 * joins the container's cgroup and network namespace, makes the tap,
 * creates and loads the VM with libtender, tells create it is ready (or
 * why not) on a socket, waits for create to record the state, then on
 * the start fifo, and runs the guest on the calling thread until it
 * stops.  Its exit status is the guest's: the
 * guest's own status when it halts, 128 + the signal when kill stopped
 * it, and tender's statuses (241-245, docs/exit-status.md) for a guest
 * stopped by the monitor.
 */
#ifndef TENDER_OCI_VMPROC_H
#define TENDER_OCI_VMPROC_H

#include "image.h"
#include "spec.h"

struct vmproc_args {
    const char *id;
    const struct spec *spec;
    const struct image *img;
    const char *fifo_path;
    int ready_fd;   /* create's socket: the report, then its go-ahead */
    int console_fd; /* a pty's slave to use as stdio, or -1 */
};

/* Never returns. */
_Noreturn void vmproc_main(const struct vmproc_args *a);

#endif

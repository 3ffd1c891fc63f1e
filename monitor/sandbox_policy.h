/*
 * The sandbox's policy, in one place: what a VM's vCPU thread, and the
 * network ring's I/O thread (net_ring.c), may each do once confined.  Both
 * filter generators read it, sandbox.c's own and sandbox_libseccomp.c's, so the
 * two cannot drift.
 *
 * Anything the table does not allow kills the process, and so does any
 * architecture other than x86_64 (32-bit calls) and any x32 number.
 * Every argument comparison reads the low 32 bits of the argument: the
 * arguments compared (descriptors, an ioctl request, a signal mask's
 * "how", an advice) are int or unsigned int, of which the kernel reads
 * only those 32 bits, whatever the upper half of the register holds.
 */
#ifndef TENDER_SANDBOX_POLICY_H
#define TENDER_SANDBOX_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "vm.h"

enum sandbox_rule_kind {
    SANDBOX_ANY,        /* allowed whatever its arguments */
    SANDBOX_PINNED,     /* allowed only with argument arg equal to value */
    SANDBOX_VM_FDS,     /* allowed only on the VM's descriptors for op */
    SANDBOX_VCPU_IOCTL, /* only request value, only on the VM's vCPU */
    /*
     * Only with core dumps on (dumpcore.c): argument arg equal to the
     * VM's core descriptor core_fd and argument 2 equal to value.
     * Without core dumps the rule adds nothing to the filter.
     */
    SANDBOX_CORE,
    /* Only with argument arg equal to the VM's kick signal (the stop
     * request that the ring's I/O thread sends the vCPU thread). */
    SANDBOX_KICK
};

enum sandbox_core_fd {
    SANDBOX_CORE_DIR, /* the core directory */
    SANDBOX_CORE_SLOT /* the number reserved for the core file */
};

struct sandbox_rule {
    int nr;           /* x86_64 syscall number */
    unsigned threads; /* enum sandbox_thread bits: whose filter has it */
    enum sandbox_rule_kind kind;
    unsigned arg;                 /* SANDBOX_PINNED: which argument (0-5) */
    uint32_t value;               /* SANDBOX_PINNED, SANDBOX_VCPU_IOCTL */
    unsigned op;                  /* SANDBOX_VM_FDS: one enum sandbox_op bit */
    enum sandbox_core_fd core_fd; /* SANDBOX_CORE */
};

/* The rules, in the order the hand-written filter tests them. */
extern const struct sandbox_rule sandbox_policy[];
extern const size_t sandbox_policy_len;

/*
 * The descriptors of vm that thread (one enum sandbox_thread bit) may use
 * with operation op (for SANDBOX_WRITE also standard error, and standard
 * output for the vCPU thread), at most max of them, into fds; returns how
 * many.
 */
size_t sandbox_fds_for(const struct tender_vm *vm, unsigned thread, unsigned op,
                       int *fds, size_t max);

/* SANDBOX_CORE: the VM's descriptor for rule r, or -1 (no core dumps). */
int sandbox_core_fd_for(const struct tender_vm *vm,
                        const struct sandbox_rule *r);

/* Room enough for sandbox_fds_for's answer. */
#define SANDBOX_MAX_FDS_PER_OP (VM_MAX_SANDBOX_FDS + 2)

#endif

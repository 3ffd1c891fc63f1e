/*
 * The sandbox's policy, in one place: what a VM's vCPU thread may do once
 * confined, what the gdb stub's watcher thread may do, and what the
 * network ring's I/O thread (net_ring.c) may do.  Both filter
 * generators read it, sandbox.c's own and sandbox_libseccomp.c's, so the
 * two cannot drift.
 *
 * Anything the table does not allow kills the process, and so does any
 * architecture other than x86_64 (32-bit calls) and any x32 number.
 * Every argument comparison reads the low 32 bits of the argument: the
 * arguments compared (descriptors, an ioctl request, a signal mask's
 * "how", an advice) are int or unsigned int, of which the kernel reads
 * only those 32 bits, whatever the upper half of the register holds.
 * mprotect's protection is an unsigned long, but the kernel refuses
 * (EINVAL) any bit above those it knows, so its low half decides.
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

/* Whose rules: each thread that runs confined has its own filter. */
enum sandbox_thread {
    SANDBOX_VCPU_THREAD, /* the guest's vCPU */
    SANDBOX_GDB_WATCHER, /* gdb_stub.c's watcher, while a debugger is on */
    SANDBOX_RING_IO,     /* net_ring.c's I/O thread, with a network ring */
    SANDBOX_BLOCK_IO     /* block_ring.c's I/O thread, with a block ring */
};

/* When a rule counts: always, or only for a guest debugged with gdb. */
enum sandbox_when { SANDBOX_ALWAYS, SANDBOX_WITH_GDB };

enum sandbox_core_fd {
    SANDBOX_CORE_DIR, /* the core directory */
    SANDBOX_CORE_SLOT /* the number reserved for the core file */
};

struct sandbox_rule {
    int nr; /* x86_64 syscall number */
    enum sandbox_rule_kind kind;
    unsigned arg;                 /* SANDBOX_PINNED: which argument (0-5) */
    uint32_t value;               /* SANDBOX_PINNED, SANDBOX_VCPU_IOCTL */
    unsigned op;                  /* SANDBOX_VM_FDS: one enum sandbox_op bit */
    enum sandbox_core_fd core_fd; /* SANDBOX_CORE */
    enum sandbox_when when;
};

/* Thread t's rules, in the order the hand-written filter tests them. */
const struct sandbox_rule *sandbox_rules(enum sandbox_thread t, size_t *n);

/* Does rule r belong in vm's filter (its when)? */
int sandbox_rule_applies(const struct tender_vm *vm,
                         const struct sandbox_rule *r);

/*
 * The descriptors of vm that thread t may use with operation op (for
 * SANDBOX_WRITE also standard error, and standard output for the vCPU
 * thread), at most max of them, into fds; returns how many.
 */
size_t sandbox_fds_for(const struct tender_vm *vm, enum sandbox_thread t,
                       unsigned op, int *fds, size_t max);

/* SANDBOX_CORE: the VM's descriptor for rule r, or -1 (no core dumps). */
int sandbox_core_fd_for(const struct tender_vm *vm,
                        const struct sandbox_rule *r);

/* Room enough for sandbox_fds_for's answer. */
#define SANDBOX_MAX_FDS_PER_OP (VM_MAX_SANDBOX_FDS + 2)

#endif

/*
 * The seccomp sandbox of a VM's vCPU thread (docs/security.md).
 */
#ifndef TENDER_SANDBOX_H
#define TENDER_SANDBOX_H

#include <linux/filter.h>
#include <stddef.h>

#include "vm.h"

#define SANDBOX_MAX_INSNS 1024

/* A built filter program, ready to install. */
struct sandbox_filter {
    struct sock_filter insn[SANDBOX_MAX_INSNS];
    size_t len;
};

/* Write the filter program of vm's vCPU thread into insn (max
 * instructions); 0 or -1. */
int sandbox_build(const struct tender_vm *vm, struct sock_filter *insn,
                  size_t max, size_t *len);
/* The same for thread, one enum sandbox_thread bit. */
int sandbox_build_thread(const struct tender_vm *vm, unsigned thread,
                         struct sock_filter *insn, size_t max, size_t *len);

/*
 * The same, built by libseccomp from the same policy (sandbox_policy.h);
 * only in what links sandbox_libseccomp.c and libseccomp: the unit tests'
 * judge and a tender built with TENDER_SECCOMP=libseccomp.  0 or -1.
 */
int sandbox_build_libseccomp(const struct tender_vm *vm,
                             struct sock_filter *insn, size_t max, size_t *len);
int sandbox_build_libseccomp_thread(const struct tender_vm *vm, unsigned thread,
                                    struct sock_filter *insn, size_t max,
                                    size_t *len);

/* Process-wide hardening: no READ_IMPLIES_EXEC, no core dumps. */
int sandbox_harden_process(struct tender_error *err);

/* Confine the calling (vCPU) thread to what vm needs: no new privileges,
 * then the filter.  Irreversible. */
int sandbox_apply(const struct tender_vm *vm, struct tender_error *err);

/* The same in two steps, for a thread that cannot build its own filter:
 * build thread's filter into f (no system call), then, on the thread,
 * install it (prctl and seccomp only; 0 or -1). */
int sandbox_prepare(const struct tender_vm *vm, unsigned thread,
                    struct sandbox_filter *f, struct tender_error *err);
int sandbox_install(const struct sandbox_filter *f);

#endif

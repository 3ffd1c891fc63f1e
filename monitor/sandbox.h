/*
 * The seccomp sandbox of a VM's vCPU thread (docs/security.md).
 */
#ifndef TENDER_SANDBOX_H
#define TENDER_SANDBOX_H

#include <linux/filter.h>
#include <stddef.h>

#include "sandbox_policy.h"
#include "vm.h"

#define SANDBOX_MAX_INSNS 1024

/* Write the filter program of vm's thread into insn (max instructions);
 * 0 or -1. */
int sandbox_build(const struct tender_vm *vm, enum sandbox_thread thread,
                  struct sock_filter *insn, size_t max, size_t *len);

/*
 * The same, built by libseccomp from the same policy (sandbox_policy.h);
 * only in what links sandbox_libseccomp.c and libseccomp: the unit tests'
 * judge and a tender built with TENDER_SECCOMP=libseccomp.  0 or -1.
 */
int sandbox_build_libseccomp(const struct tender_vm *vm,
                             enum sandbox_thread thread,
                             struct sock_filter *insn, size_t max, size_t *len);

/* Process-wide hardening: no READ_IMPLIES_EXEC, no core dumps. */
int sandbox_harden_process(struct tender_error *err);

/* Confine the calling thread, which is vm's thread, to what it needs: no
 * new privileges, then the filter.  Irreversible. */
int sandbox_apply(const struct tender_vm *vm, enum sandbox_thread thread,
                  struct tender_error *err);

#endif

/*
 * A classic-BPF interpreter for seccomp filters, shared by the tests that
 * judge tender's filter: seccomp-check (a live tender's filter) and the
 * unit tests' sandbox judge (sandbox.c's filter against libseccomp's).
 */
#ifndef TENDER_TEST_BPF_RUN_H
#define TENDER_TEST_BPF_RUN_H

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Run prog (len instructions) on d as the kernel would.  Returns 0 with
 * the filter's return value in *ret, or -1 for a program the kernel would
 * refuse to load (an opcode seccomp does not allow or that this
 * interpreter does not know, a load outside seccomp_data or unaligned, a
 * jump or fall past the end).
 */
int bpf_run(const struct sock_filter *prog, size_t len,
            const struct seccomp_data *d, uint32_t *ret);

#endif

/*
 * The gdb remote stub of one VM (gdb_stub.c): gdb's remote serial
 * protocol over one connection, on the vCPU thread while the guest is
 * stopped, and a watcher thread that turns gdb's interrupt byte into a
 * stop while it runs.  docs/debugging.md shows a session.
 */
#ifndef TENDER_GDB_STUB_H
#define TENDER_GDB_STUB_H

#include "tender.h"

struct tender_vm;

/* Set up a stub on fd (listening, or already connected to gdb). */
int gdb_stub_create(struct tender_vm *vm, int fd, struct tender_error *err);
void gdb_stub_destroy(struct tender_vm *vm);

/* Wait for gdb to connect, and start the watcher thread, before the
 * vCPU thread is confined: 0 (also when a stop was requested meanwhile,
 * which gdb_stub_start then reports), -1 with err filled. */
int gdb_stub_connect(struct tender_vm *vm, struct tender_error *err);

/* Hold the guest before its first instruction for gdb: returns 0 to run
 * it, 1 if it must stop (gdb killed it or a stop was requested). */
int gdb_stub_start(struct tender_vm *vm, struct tender_error *err);

/* After KVM_EXIT_DEBUG: 0 to run on, 1 to stop. */
int gdb_stub_debug_exit(struct tender_vm *vm);

/* After KVM_EXIT_HLT: -1 if the HLT was not one of gdb's breakpoints,
 * else 0 to run on, 1 to stop. */
int gdb_stub_halt_exit(struct tender_vm *vm);

/* After KVM_RUN was interrupted: was it gdb's interrupt?  If so, serve
 * gdb; *stop becomes 1 if the guest must stop. */
int gdb_stub_interrupted(struct tender_vm *vm, int *stop);

/* The guest has stopped for good (vm->exit): tell gdb, end the session. */
void gdb_stub_finish(struct tender_vm *vm);

/* Did the debugger kill the guest? */
int gdb_stub_killed(const struct tender_vm *vm);

#endif

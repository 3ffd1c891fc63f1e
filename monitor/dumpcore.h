/*
 * Core dumps of a VM (tender --dumpcore, tender_config.core_dir): set up
 * before the sandbox, written inside it when the guest stops abnormally.
 */
#ifndef TENDER_DUMPCORE_H
#define TENDER_DUMPCORE_H

#include <fcntl.h>

#include "vm.h"

/* The one way the sandbox lets the vCPU thread open a file: a new core
 * file, never an existing file or a link (sandbox_policy.c). */
#define DUMPCORE_OPEN_FLAGS                                                    \
    (O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC)

/* Open dir (NULL: core dumps stay off) for vm; 0 or -1. */
int dumpcore_init(struct tender_vm *vm, const char *dir, const char *guest_name,
                  struct tender_error *err);

/* The guest's name from its ELF file's path, unless one was given. */
void dumpcore_name_from_path(struct tender_vm *vm, const char *path);

/* Before the sandbox: the file's name and its reserved descriptor. */
int dumpcore_prepare(struct tender_vm *vm, struct tender_error *err);

/* HALT: keep the trap frame of a tender trap cookie at cookie_gpa. */
void dumpcore_note_halt(struct tender_vm *vm, uint64_t cookie_gpa);

/* After the guest stopped (vm->exit filled): write the core if due. */
void dumpcore_after_stop(struct tender_vm *vm);

/* Close the descriptors (tender_vm_destroy). */
void dumpcore_release(struct tender_vm *vm);

#endif

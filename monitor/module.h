/*
 * Device modules.  A module is one file: it names the options it accepts,
 * and its attach() gives host resources to the manifest's devices of its
 * kind and registers the hypercalls and poll descriptors that serve them.
 */
#ifndef TENDER_MODULE_H
#define TENDER_MODULE_H

#include "vm.h"

struct tender_module {
    const char *name;
    const char *const *option_keys; /* NULL-terminated; NULL for none */
    const char *usage; /* lines for --help describing the options, or NULL */
    int (*attach)(struct tender_vm *vm, void **state, struct tender_error *err);
    void (*detach)(struct tender_vm *vm, void *state);
    /* Optional: just before the guest's first instruction (before the
     * sandbox), and once it has stopped (maybe inside the sandbox). */
    int (*run_start)(struct tender_vm *vm, void *state,
                     struct tender_error *err);
    void (*run_end)(struct tender_vm *vm, void *state);
};

/* The modules, in attach order; NULL-terminated (modules.c). */
extern const struct tender_module *const tender_modules[];

extern const struct tender_module tender_module_core;
extern const struct tender_module tender_module_block;
extern const struct tender_module tender_module_net;

/* The options of every module, for --help. */
void tender_modules_usage(char *buf, size_t len);

#endif

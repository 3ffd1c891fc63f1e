/*
 * Which device a device option names: one rule for every module.
 *
 * "--KEY:NAME=VALUE" names the declared device NAME, which must be of the
 * module's type.  "--KEY=VALUE" names the guest's one device of that
 * type, and is refused when it declares none or several.  No device may
 * get the same KEY twice, whether named or not.
 */
#ifndef TENDER_DEV_ARGS_H
#define TENDER_DEV_ARGS_H

#include <stddef.h>
#include <stdint.h>

#include "vm.h"

/*
 * Check every option whose key is in keys (NULL-terminated) against the
 * manifest's devices of the given type (HVT_MFT_DEV_*).
 */
int dev_args_check(const struct tender_vm *vm, const char *const *keys,
                   uint32_t type, struct tender_error *err);

/*
 * The option key for device name: its own, or the unnamed one.  Only
 * after dev_args_check() has passed, which makes the unnamed one mean the
 * guest's only device of the type.
 */
const struct tender_dev_arg *dev_arg_for(const struct tender_vm *vm,
                                         const char *key, const char *name);

/* "--KEY:NAME=VALUE" or "--KEY=VALUE", as the user typed it. */
void dev_arg_label(const struct tender_dev_arg *a, char *buf, size_t len);

#endif

#include <stdio.h>
#include <string.h>

#include "dev_args.h"
#include "error.h"
#include "manifest.h"

static int has_key(const char *const *keys, const char *key)
{
    for (; *keys != NULL; keys++)
        if (strcmp(*keys, key) == 0)
            return 1;
    return 0;
}

void dev_arg_label(const struct tender_dev_arg *a, char *buf, size_t len)
{
    if (a->name != NULL)
        snprintf(buf, len, "--%s:%s=%s", a->key, a->name, a->value);
    else
        snprintf(buf, len, "--%s=%s", a->key, a->value);
}

/* The number of devices of type, and the name of the last one. */
static unsigned count_devices(const struct hvt_mft *mft, uint32_t type,
                              const char **name)
{
    unsigned n = 0;

    for (uint32_t i = 1; i < mft->entries; i++) {
        if (mft->e[i].type == type) {
            *name = mft->e[i].name;
            n++;
        }
    }
    return n;
}

/* The device option a names, or NULL with err set. */
static const char *target_of(const struct tender_vm *vm,
                             const struct tender_dev_arg *a, uint32_t type,
                             struct tender_error *err)
{
    const char *only = "NAME";
    unsigned n = count_devices(vm->mft, type, &only);
    const struct hvt_mft_entry *e;
    char label[160];

    dev_arg_label(a, label, sizeof(label));
    if (a->name == NULL) {
        if (n == 1)
            return only;
        if (n == 0)
            tnd_fail(err, TENDER_E_CONFIG,
                     "%s: the guest declares no %s device", label,
                     manifest_type_name(type));
        else
            tnd_fail(err, TENDER_E_CONFIG,
                     "%s: the guest declares %u %s devices: name one, as "
                     "in --%s:%s=...",
                     label, n, manifest_type_name(type), a->key, only);
        return NULL;
    }
    e = manifest_find(vm->mft, a->name);
    if (e == NULL) {
        tnd_fail(err, TENDER_E_CONFIG, "%s: the guest declares no device '%s'",
                 label, a->name);
        return NULL;
    }
    if (e->type != type) {
        tnd_fail(err, TENDER_E_CONFIG,
                 "%s: '%s' is a %s device, not a %s device", label, a->name,
                 manifest_type_name(e->type), manifest_type_name(type));
        return NULL;
    }
    return e->name;
}

int dev_args_check(const struct tender_vm *vm, const char *const *keys,
                   uint32_t type, struct tender_error *err)
{
    const char *target[TENDER_MAX_DEV_ARGS];
    char label[160];

    for (size_t i = 0; i < vm->n_dev_args && i < TENDER_MAX_DEV_ARGS; i++) {
        const struct tender_dev_arg *a = &vm->dev_args[i];

        target[i] = NULL;
        if (!has_key(keys, a->key))
            continue;
        target[i] = target_of(vm, a, type, err);
        if (target[i] == NULL)
            return -1;
        /* The same key for one device twice is a mistake, not an override. */
        for (size_t j = 0; j < i; j++) {
            if (target[j] == NULL || strcmp(vm->dev_args[j].key, a->key) != 0 ||
                strcmp(target[j], target[i]) != 0)
                continue;
            dev_arg_label(a, label, sizeof(label));
            return tnd_fail(err, TENDER_E_CONFIG,
                            "%s: device '%s' already has a --%s option", label,
                            target[i], a->key);
        }
    }
    return 0;
}

const struct tender_dev_arg *dev_arg_for(const struct tender_vm *vm,
                                         const char *key, const char *name)
{
    const struct tender_dev_arg *a = vm_dev_arg(vm, key, name);

    return a != NULL ? a : vm_dev_arg(vm, key, NULL);
}

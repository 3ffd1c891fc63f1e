/* The table of device modules: adding a device adds one line here. */
#include <stdio.h>
#include <string.h>

#include "module.h"

const struct tender_module *const tender_modules[] = {
    &tender_module_core,
    &tender_module_block,
    &tender_module_net,
    NULL,
};

int tender_dev_key_known(const char *key)
{
    for (size_t i = 0; tender_modules[i] != NULL; i++) {
        const char *const *keys = tender_modules[i]->option_keys;

        for (size_t k = 0; keys != NULL && keys[k] != NULL; k++)
            if (strcmp(keys[k], key) == 0)
                return 1;
    }
    return 0;
}

void tender_modules_usage(char *buf, size_t len)
{
    size_t used = 0;

    buf[0] = '\0';
    for (size_t i = 0; tender_modules[i] != NULL && used < len; i++) {
        if (tender_modules[i]->usage == NULL)
            continue;
        snprintf(buf + used, len - used, "%s", tender_modules[i]->usage);
        used += strlen(buf + used);
    }
}

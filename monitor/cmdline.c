#include <string.h>

#include "cmdline.h"
#include "error.h"

int cmdline_build(char *buf, size_t size, int argc, char *const *argv,
                  struct tender_error *err)
{
    size_t used = 0;

    if (size == 0)
        return tnd_fail(err, TENDER_E_CONFIG, "no room for a command line");
    buf[0] = '\0';
    for (int i = 0; i < argc; i++) {
        size_t len = strlen(argv[i]);
        size_t need = len + (i > 0 ? 1 : 0);

        if (need >= size - used)
            return tnd_fail(err, TENDER_E_CONFIG,
                            "guest command line is longer than %zu bytes",
                            size - 1);
        if (i > 0)
            buf[used++] = ' ';
        memcpy(buf + used, argv[i], len);
        used += len;
        buf[used] = '\0';
    }
    return 0;
}

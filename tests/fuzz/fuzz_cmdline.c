/*
 * fuzz_cmdline: the guest command line builder.  The input's first two
 * bytes give the buffer's size (little-endian, 0 to 65535); the rest are
 * the guest's arguments separated by NUL bytes.
 *
 * cmdline_build() must stay inside a buffer of exactly that size (it is
 * malloc'd so, for AddressSanitizer), accept exactly the command lines
 * that fit with their NUL, and leave there the arguments joined by single
 * spaces.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"
#include "fuzz_argv.h"

static void fail(const char *what)
{
    fprintf(stderr, "fuzz_cmdline: %s\n", what);
    abort();
}

/* Is buf exactly argv[0..argc) joined by single spaces? */
static int joined(const char *buf, int argc, char *const *argv)
{
    for (int i = 0; i < argc; i++) {
        size_t len = strlen(argv[i]);

        if (i > 0 && *buf++ != ' ')
            return 0;
        if (strncmp(buf, argv[i], len) != 0)
            return 0;
        buf += len;
    }
    return *buf == '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_argv a;
    size_t buf_size, total = 0;
    char *buf;
    int rc;

    if (size < 2)
        return 0;
    buf_size = (size_t)data[0] | (size_t)data[1] << 8;
    fuzz_argv_split(data + 2, size - 2, NULL, &a);
    /* malloc(0) may return NULL; keep one byte so the pointer is real. */
    buf = malloc(buf_size > 0 ? buf_size : 1);
    if (buf == NULL)
        abort();
    rc = cmdline_build(buf, buf_size, a.argc, a.argv, NULL);
    /* It fits, NUL included, exactly when it must be accepted. */
    for (int i = 0; i < a.argc; i++)
        total += strlen(a.argv[i]) + (i > 0 ? 1 : 0);
    if ((rc == 0) != (buf_size > 0 && total < buf_size))
        fail(rc == 0 ? "accepted a command line that does not fit"
                     : "refused a command line that fits");
    if (rc == 0) {
        if (buf_size == 0 || strnlen(buf, buf_size) == buf_size)
            fail("accepted, but the result is not NUL-terminated in the "
                 "buffer");
        if (!joined(buf, a.argc, a.argv))
            fail("accepted, but the result is not the joined arguments");
    }
    free(buf);
    fuzz_argv_free(&a);
    return 0;
}

/*
 * fuzz_guest_strtol: the guest libc's number parser, against glibc's.
 * The input's first byte picks the base (byte % 36: 0 for base 0, else
 * that plus 1, so 0 and 2 to 36); the rest is the string, cut at its
 * first NUL.
 *
 * The guest's strtol() and strtoul() (guest/libc, built for the host with
 * their names prefixed guest_) must agree with glibc's, in the C locale,
 * on the value and on where the number ends, for every string and base;
 * glibc is the reference for what C11 7.22.1.4 asks.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

long guest_strtol(const char *s, char **endptr, int base);
unsigned long guest_strtoul(const char *s, char **endptr, int base);

static void fail(const char *func, const char *s, int base)
{
    fprintf(stderr,
            "fuzz_guest_strtol: %s(\"%s\", base %d) differs from "
            "glibc's\n",
            func, s, base);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s, *end, *guest_end;
    int base;

    if (size < 1)
        return 0;
    base = data[0] % 36 == 0 ? 0 : data[0] % 36 + 1;
    /* Exactly the string and its NUL: a read past it is reported. */
    s = malloc(size);
    if (s == NULL)
        abort();
    memcpy(s, data + 1, size - 1);
    s[size - 1] = '\0';

    if (strtol(s, &end, base) != guest_strtol(s, &guest_end, base) ||
        end != guest_end)
        fail("strtol", s, base);
    if (strtoul(s, &end, base) != guest_strtoul(s, &guest_end, base) ||
        end != guest_end)
        fail("strtoul", s, base);
    /* Without an end pointer, the same value. */
    if (strtoul(s, NULL, base) != guest_strtoul(s, NULL, base))
        fail("strtoul", s, base);
    free(s);
    return 0;
}

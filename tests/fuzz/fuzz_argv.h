/*
 * Shared by the command-line fuzzers: an input split on NUL bytes into an
 * argument vector, each argument a separate exact-size allocation so that
 * AddressSanitizer catches a read past any one of them.
 */
#ifndef TENDER_FUZZ_ARGV_H
#define TENDER_FUZZ_ARGV_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct fuzz_argv {
    int argc;
    char **argv; /* argc pointers, then NULL, as main() gets them */
};

/* first (if non-NULL) becomes argv[0]; the input's pieces follow it. */
static inline void fuzz_argv_split(const uint8_t *data, size_t size,
                                   const char *first, struct fuzz_argv *out)
{
    size_t pieces = 1, start = 0, n = 0;

    for (size_t i = 0; i < size; i++)
        pieces += data[i] == '\0';
    out->argv = calloc(pieces + 2, sizeof(char *));
    if (out->argv == NULL)
        abort();
    if (first != NULL) {
        out->argv[n] = strdup(first);
        if (out->argv[n++] == NULL)
            abort();
    }
    /* An empty input is no argument; a trailing NUL ends the last one. */
    for (size_t i = 0; size > 0 && i <= size; i++) {
        if (i < size && data[i] != '\0')
            continue;
        if (i == size && start == size && size > 0 && data[size - 1] == '\0')
            break;
        out->argv[n] = malloc(i - start + 1);
        if (out->argv[n] == NULL)
            abort();
        memcpy(out->argv[n], data + start, i - start);
        out->argv[n][i - start] = '\0';
        n++;
        start = i + 1;
    }
    out->argv[n] = NULL;
    out->argc = (int)n;
}

static inline void fuzz_argv_free(struct fuzz_argv *a)
{
    for (int i = 0; i < a->argc; i++)
        free(a->argv[i]);
    free(a->argv);
}

#endif

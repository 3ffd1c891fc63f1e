/*
 * Conversions and exit of the tender guest libc subset.  There is no errno:
 * strtol and strtoul clamp on overflow as the standard says, but the caller
 * can only tell through endptr and the clamped value.
 */
#ifndef TENDER_STDLIB_H
#define TENDER_STDLIB_H

#include <stddef.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1

long strtol(const char *restrict s, char **restrict endptr, int base);
unsigned long strtoul(const char *restrict s, char **restrict endptr, int base);
int atoi(const char *s);

/* Stop the guest with status (see tender_exit in <tender/guest.h>). */
_Noreturn void exit(int status);

/* Stop the guest with status 255. */
_Noreturn void abort(void);

#endif /* TENDER_STDLIB_H */

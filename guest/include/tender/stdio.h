/*
 * Formatted output of the tender guest libc subset: everything goes to the
 * console.  The formats understood are %d %i %u %x %X %o %p %s %c and %%,
 * with the flags '-' and '0', a field width, a precision (digits for
 * numbers, bytes for %s; either may be '*') and the length modifiers hh, h,
 * l, ll, z, j and t.  There is no floating point.
 */
#ifndef TENDER_STDIO_H
#define TENDER_STDIO_H

#include <stdarg.h>
#include <stddef.h>

#define EOF (-1)

int printf(const char *restrict fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *restrict fmt, va_list ap)
    __attribute__((format(printf, 1, 0)));
int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
    __attribute__((format(printf, 3, 4)));
int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt,
              va_list ap) __attribute__((format(printf, 3, 0)));

/* Write s and a newline to the console. */
int puts(const char *s);

/* Write the character c to the console. */
int putchar(int c);

#endif /* TENDER_STDIO_H */

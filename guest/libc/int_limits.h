/*
 * The integer limits the libc code needs.  The compiler's <limits.h>
 * chains to the C library's own, which a freestanding build does not
 * have, so they are derived from the compiler's predefined macros.
 */
#ifndef TENDER_INT_LIMITS_H
#define TENDER_INT_LIMITS_H

#define INT_MAX __INT_MAX__
#define INT_MIN (-__INT_MAX__ - 1)
#define LONG_MAX __LONG_MAX__
#define LONG_MIN (-__LONG_MAX__ - 1L)
#define ULONG_MAX (__LONG_MAX__ * 2UL + 1UL)

#endif /* TENDER_INT_LIMITS_H */

#include <tender/stdlib.h>

#include "int_limits.h"
#include "parse_number.h"

long strtol(const char *restrict s, char **restrict endptr, int base)
{
    int negative;
    unsigned long limit = (unsigned long)LONG_MAX;
    unsigned long v;

    /* Peek at the sign first: the negative range is one larger. */
    v = tender_parse_number(s, endptr, base, limit + 1, &negative);
    if (!negative && v > limit)
        return LONG_MAX;
    if (negative)
        return v > limit ? LONG_MIN : -(long)v;
    return (long)v;
}

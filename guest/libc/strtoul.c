#include <tender/stdlib.h>

#include "int_limits.h"
#include "parse_number.h"

unsigned long strtoul(const char *restrict s, char **restrict endptr, int base)
{
    int negative;
    unsigned long v =
        tender_parse_number(s, endptr, base, ULONG_MAX, &negative);

    /* As the standard says: "-1" is ULONG_MAX, negated in unsigned. */
    return negative ? -v : v;
}

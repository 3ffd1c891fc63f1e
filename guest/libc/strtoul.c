#include <tender/stdlib.h>

#include "int_limits.h"
#include "parse_number.h"

unsigned long strtoul(const char *restrict s, char **restrict endptr, int base)
{
    struct parsed_number pn;
    unsigned long v = tender_parse_number(s, endptr, base, ULONG_MAX, &pn);

    if (pn.overflow)
        return ULONG_MAX;
    /* As the standard says: "-1" is ULONG_MAX, negated in unsigned. */
    return pn.negative ? -v : v;
}

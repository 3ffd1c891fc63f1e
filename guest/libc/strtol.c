#include <tender/stdlib.h>

#include "int_limits.h"
#include "parse_number.h"

long strtol(const char *restrict s, char **restrict endptr, int base)
{
    struct parsed_number pn;
    unsigned long limit = (unsigned long)LONG_MAX;
    unsigned long v;

    /* The negative range is one larger: parse up to that, then clamp. */
    v = tender_parse_number(s, endptr, base, limit + 1, &pn);
    if (!pn.negative)
        return v > limit ? LONG_MAX : (long)v;
    return v > limit ? LONG_MIN : -(long)v;
}

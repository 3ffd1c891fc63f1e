#include <stdbool.h>
#include <stddef.h>

#include "parse_number.h"

static bool is_space(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* The value of the digit c, or 36 (too big for any base) if it is none. */
static int digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    return 36;
}

/* Skip a "0x" prefix, but only when a hex digit follows it. */
static const char *skip_hex_prefix(const char *p)
{
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && digit_value(p[2]) < 16)
        return p + 2;
    return p;
}

static int guess_base(const char *p)
{
    if (skip_hex_prefix(p) != p)
        return 16;
    return p[0] == '0' ? 8 : 10;
}

unsigned long tender_parse_number(const char *s, char **endptr, int base,
                                  unsigned long limit, struct parsed_number *pn)
{
    const char *p = s;
    unsigned long v = 0;
    bool any = false;
    int d;

    pn->negative = 0;
    pn->overflow = 0;
    while (is_space(*p))
        p++;
    if (*p == '+' || *p == '-')
        pn->negative = *p++ == '-';
    if (base == 0)
        base = guess_base(p);
    if (base == 16)
        p = skip_hex_prefix(p);
    if (base < 2 || base > 36) {
        if (endptr != NULL)
            *endptr = (char *)s;
        return 0;
    }
    for (; (d = digit_value(*p)) < base; p++) {
        any = true;
        if (v > (limit - (unsigned long)d) / (unsigned long)base)
            pn->overflow = 1;
        else
            v = v * (unsigned long)base + (unsigned long)d;
    }
    if (endptr != NULL)
        *endptr = (char *)(any ? p : s);
    return pn->overflow ? limit : v;
}

#include <limits.h>

#include "number.h"

int parse_decimal(const char *text, uint64_t max, uint64_t *value)
{
    uint64_t n = 0;

    if (*text == '\0')
        return NUMBER_NOT_DECIMAL;
    for (const char *p = text; *p != '\0'; p++) {
        if (*p < '0' || *p > '9')
            return NUMBER_NOT_DECIMAL;
        uint64_t digit = (uint64_t)(*p - '0');

        /* n * 10 + digit <= max, tested without overflow. */
        if (digit > max || n > (max - digit) / 10) {
            for (p++; *p != '\0'; p++)
                if (*p < '0' || *p > '9')
                    return NUMBER_NOT_DECIMAL;
            return NUMBER_TOO_LARGE;
        }
        n = n * 10 + (uint64_t)(*p - '0');
    }
    *value = n;
    return 0;
}

int hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int parse_fd_ref(const char *value)
{
    uint64_t fd;

    if (value[0] != '@' || parse_decimal(value + 1, INT_MAX, &fd) != 0)
        return -1;
    return (int)fd;
}

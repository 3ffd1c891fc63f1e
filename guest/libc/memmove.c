#include <stdint.h>
#include <tender/string.h>

void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    /* Copy backwards when dst overlaps the tail of src. */
    if ((uintptr_t)d - (uintptr_t)s < n) {
        while (n-- > 0)
            d[n] = s[n];
        return dst;
    }
    while (n-- > 0)
        *d++ = *s++;
    return dst;
}

#include <tender/stdio.h>

#include "format.h"

/* A sink that fills a buffer and silently drops what does not fit. */
struct buffer_sink {
    struct format_sink sink;
    char *buf;
    size_t room; /* bytes left, keeping one for the NUL */
};

static void buffer_put(struct format_sink *sink, const char *s, size_t len)
{
    struct buffer_sink *b = (struct buffer_sink *)sink;

    for (; len > 0 && b->room > 0; len--, b->room--)
        *b->buf++ = *s++;
}

int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt,
              va_list ap)
{
    struct buffer_sink b = {{buffer_put}, buf, size > 0 ? size - 1 : 0};
    int n = tender_format(&b.sink, fmt, ap);

    if (size > 0)
        *b.buf = '\0';
    return n;
}

#include <tender/guest.h>
#include <tender/stdio.h>

#include "format.h"

/*
 * A sink that collects output and writes it to the console in chunks:
 * one hypercall per chunk rather than per piece.
 */
struct console_sink {
    struct format_sink sink;
    size_t used;
    char buf[256];
};

static void console_flush(struct console_sink *c)
{
    tender_console_write(c->buf, c->used);
    c->used = 0;
}

static void console_put(struct format_sink *sink, const char *s, size_t len)
{
    struct console_sink *c = (struct console_sink *)sink;

    for (; len > 0; len--) {
        if (c->used == sizeof(c->buf))
            console_flush(c);
        c->buf[c->used++] = *s++;
    }
}

int vprintf(const char *restrict fmt, va_list ap)
{
    struct console_sink c = {{console_put}, 0, {0}};
    int n = tender_format(&c.sink, fmt, ap);

    if (c.used > 0)
        console_flush(&c);
    return n;
}

/* The printf engine shared by printf and vsnprintf. */
#ifndef TENDER_FORMAT_H
#define TENDER_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/* Where formatted output goes: put() receives it piece by piece. */
struct format_sink {
    void (*put)(struct format_sink *sink, const char *s, size_t len);
};

/*
 * Format as printf does and send the output to sink.  Returns the number of
 * characters produced, or -1 if it does not fit in an int.
 */
int tender_format(struct format_sink *sink, const char *fmt, va_list ap);

#endif /* TENDER_FORMAT_H */

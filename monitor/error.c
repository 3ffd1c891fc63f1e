#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error.h"

static void vset(struct tender_error *err, enum tender_errcode code,
                 const char *fmt, va_list ap)
{
    if (err == NULL)
        return;
    err->code = code;
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
}

int tnd_fail(struct tender_error *err, enum tender_errcode code,
             const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vset(err, code, fmt, ap);
    va_end(ap);
    return -1;
}

int tnd_fail_errno(struct tender_error *err, enum tender_errcode code,
                   int errnum, const char *fmt, ...)
{
    va_list ap;
    size_t len;

    va_start(ap, fmt);
    vset(err, code, fmt, ap);
    va_end(ap);
    if (err != NULL) {
        len = strlen(err->msg);
        snprintf(err->msg + len, sizeof(err->msg) - len, ": %s",
                 strerror(errnum));
    }
    return -1;
}

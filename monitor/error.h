/*
 * Errors: libtender never prints or exits; it fills one of these and
 * returns -1, and its caller decides what to tell the user.
 */
#ifndef TENDER_ERROR_H
#define TENDER_ERROR_H

#include "tender.h"

/* Fill err (if non-NULL) with a printf-style message; returns -1. */
int tnd_fail(struct tender_error *err, enum tender_errcode code,
             const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* As tnd_fail, appending ": strerror(errnum)". */
int tnd_fail_errno(struct tender_error *err, enum tender_errcode code,
                   int errnum, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif

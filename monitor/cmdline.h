/* The guest's command line: its arguments joined by single spaces. */
#ifndef TENDER_CMDLINE_H
#define TENDER_CMDLINE_H

#include <stddef.h>

#include "tender.h"

/*
 * Join argv[0..argc) with spaces into buf (size bytes, at most
 * HVT_CMDLINE_MAX), NUL-terminated.  Fails if it does not fit.
 */
int cmdline_build(char *buf, size_t size, int argc, char *const *argv,
                  struct tender_error *err);

#endif

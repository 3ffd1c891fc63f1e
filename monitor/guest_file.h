/*
 * Reading a guest's ELF file.  The loader checks the bytes it is given
 * and then uses them: they must be a private copy that nobody else can
 * change in between (a writer of the file, or a truncation that would
 * turn a mapping into SIGBUS).
 */
#ifndef TENDER_GUEST_FILE_H
#define TENDER_GUEST_FILE_H

#include <stddef.h>

#include "tender.h"

/* Files larger than this are refused rather than read into memory. */
#define GUEST_FILE_MAX (256UL << 20)

/*
 * Read the whole regular file at path into memory of the monitor's own;
 * the caller frees the result.  NULL, with err set, on any failure.
 */
void *guest_file_read(const char *path, size_t *len, struct tender_error *err);

#endif

/* The tender command's --gdb socket (gdb_listen.c). */
#ifndef TENDER_GDB_LISTEN_H
#define TENDER_GDB_LISTEN_H

#include <stddef.h>

#include "tender.h"

#define GDB_DEFAULT_PORT 1234

/*
 * A listening socket for --gdb's value: "" for the default port, a port
 * number (TCP on 127.0.0.1 only), or a path with a '/' (a unix socket,
 * which must not exist yet).  *where names it for the user.
 */
int gdb_listen(const char *spec, char *where, size_t where_len,
               struct tender_error *err);

#endif

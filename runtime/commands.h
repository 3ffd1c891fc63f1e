/* The runtime's commands; each returns the process's exit status. */
#ifndef TENDER_OCI_COMMANDS_H
#define TENDER_OCI_COMMANDS_H

#include "cli.h"

int cmd_create(const struct oci_cli *c);
int cmd_start(const struct oci_cli *c);
int cmd_state(const struct oci_cli *c);
int cmd_kill(const struct oci_cli *c);
int cmd_delete(const struct oci_cli *c);
int cmd_list(const struct oci_cli *c);

#endif

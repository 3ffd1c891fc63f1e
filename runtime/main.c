/*
 * tender-oci: an OCI runtime (runtime-spec 1.0) that runs each container
 * as one hvt unikernel in a VM of libtender's, in the container's own
 * process (docs/oci.md).
 */
#include <stdio.h>

#include "cli.h"
#include "commands.h"
#include "log.h"
#include "state.h"
#include "tender.h"

static const char usage[] =
    "usage: tender-oci [--root DIR] [--log FILE] [--log-format text|json] "
    "COMMAND\n"
    "\n"
    "Run hvt unikernels as OCI containers, one VM per container.\n"
    "\n"
    "Commands:\n"
    "  create [--bundle DIR] [--pid-file FILE] [--console-socket SOCKET] "
    "ID\n"
    "  start ID\n"
    "  state ID\n"
    "  kill [--all] ID [SIGNAL]     (default SIGTERM)\n"
    "  delete [--force] ID\n"
    "  list [--format table|json] [--quiet]\n"
    "\n"
    "Global options:\n"
    "  --root DIR          state directory (default " OCI_DEFAULT_ROOT ")\n"
    "  --log FILE          also append errors to FILE\n"
    "  --log-format FMT    text (default) or json\n"
    "  --help, --version\n";

int main(int argc, char **argv)
{
    struct oci_cli c;
    char err[512];

    if (oci_cli_parse(argc, argv, &c, err, sizeof(err)) < 0) {
        log_init(c.log_path, c.log_json);
        log_msg("error", "%s", err);
        return 1;
    }
    log_init(c.log_path, c.log_json);
    switch (c.cmd) {
    case OCI_HELP:
        fputs(usage, stdout);
        return 0;
    case OCI_VERSION:
        printf("tender-oci version %s\nspec: %s\nlibtender: %s\n",
               TENDER_VERSION, OCI_SPEC_VERSION, TENDER_VERSION);
        return 0;
    case OCI_CREATE:
        return cmd_create(&c);
    case OCI_START:
        return cmd_start(&c);
    case OCI_STATE:
        return cmd_state(&c);
    case OCI_KILL:
        return cmd_kill(&c);
    case OCI_DELETE:
        return cmd_delete(&c);
    case OCI_LIST:
        return cmd_list(&c);
    case OCI_NONE:
    default:
        return 1;
    }
}

/*
 * tender-oci's command line, as runc has it (what containerd's runc shim
 * and podman's conmon call):
 *
 *   tender-oci [--root DIR] [--log FILE] [--log-format text|json] COMMAND
 *   create [--bundle DIR] [--pid-file F] [--console-socket S] ID
 *   start ID | state ID | kill [--all] ID [SIGNAL] | delete [--force] ID
 *   list [--format table|json] [--quiet]
 *
 * Options may come before or after ID.  Flags runc has that do not apply
 * (--no-pivot, --systemd-cgroup, ...) are accepted and ignored.
 */
#ifndef TENDER_OCI_CLI_H
#define TENDER_OCI_CLI_H

#define OCI_DEFAULT_ROOT "/run/tender-oci"

enum oci_command {
    OCI_NONE,
    OCI_CREATE,
    OCI_START,
    OCI_STATE,
    OCI_KILL,
    OCI_DELETE,
    OCI_LIST,
    OCI_HELP,
    OCI_VERSION
};

struct oci_cli {
    enum oci_command cmd;
    const char *root;
    const char *log_path;
    int log_json;
    const char *id;
    const char *bundle;         /* create; NULL: the current directory */
    const char *pid_file;       /* create */
    const char *console_socket; /* create */
    int signal;                 /* kill; SIGTERM by default */
    int force;                  /* delete */
    int all;                    /* kill --all */
    int list_json, quiet;       /* list */
};

/* Parse argv; -1 with a one-line message in err. */
int oci_cli_parse(int argc, char **argv, struct oci_cli *c, char *err,
                  unsigned long err_len);
/* A signal's number from "TERM", "SIGTERM" or "15"; -1 if none. */
int oci_signal_parse(const char *s);
/* A container ID is [A-Za-z0-9_+.-]+, at most 1024 bytes, not . or .. */
int oci_id_valid(const char *id);

#endif

/* The tender command's options, parsed into a libtender configuration. */
#ifndef TENDER_CLI_OPTIONS_H
#define TENDER_CLI_OPTIONS_H

#include "tender.h"

enum cli_action { CLI_RUN, CLI_HELP, CLI_VERSION };

struct cli_options {
    enum cli_action action;
    const char *elf_path;
    struct tender_config cfg;
    int mem_rounded; /* --mem was odd: cfg.mem_size is the even size near */
    const char *gdb; /* --gdb's value ("" for the default port), or NULL */
    struct tender_dev_arg dev_args[TENDER_MAX_DEV_ARGS];
    /* Copies of the "key:name" of each "--key:name=value", split. */
    char dev_arg_text[TENDER_MAX_DEV_ARGS][128];
};

/*
 * Parse argv.  Device options are accepted for any key some module knows
 * (tender_dev_key_known); their values are checked when they are attached.
 */
int cli_parse(int argc, char *const *argv, struct cli_options *opts,
              struct tender_error *err);

#endif

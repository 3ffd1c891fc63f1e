#include <stdlib.h>
#include <string.h>

#include "cli_options.h"
#include "error.h"
#include "number.h"

/*
 * A whole number of MiB from 1 to 4096.  Guest memory comes in 2 MiB
 * pages, so an odd number is rounded down (1 up to 2), as Solo5's tender
 * rounds it; the caller says so.
 */
static int parse_mem(const char *text, struct cli_options *opts,
                     struct tender_error *err)
{
    uint64_t mib = 0;
    int rc;

    if (*text == '\0')
        return tnd_fail(err, TENDER_E_CONFIG, "--mem needs a size in MiB");
    rc = parse_decimal(text, 4096, &mib);
    if (rc == NUMBER_NOT_DECIMAL)
        return tnd_fail(err, TENDER_E_CONFIG,
                        "--mem=%s: not a whole number of MiB", text);
    if (rc == NUMBER_TOO_LARGE)
        return tnd_fail(err, TENDER_E_CONFIG, "--mem=%s: more than 4096 MiB",
                        text);
    if (mib == 0)
        return tnd_fail(err, TENDER_E_CONFIG,
                        "--mem=%s: must be from 1 to 4096 MiB", text);
    opts->mem_rounded = mib % 2 != 0;
    if (mib == 1)
        mib = 2;
    opts->cfg.mem_size = (mib & ~1ULL) << 20;
    return 0;
}

/*
 * "--key=value" or "--key:name=value", for a key that a module knows.  The
 * key and name are copied (to split them); the value, a path that may be
 * as long as the system allows, stays where it is in argv.
 */
static int parse_dev_arg(const char *opt, struct cli_options *opts,
                         struct tender_error *err)
{
    size_t i = opts->cfg.n_dev_args, len;
    const char *eq = strchr(opt, '=');
    char *text, *colon;

    if (i >= TENDER_MAX_DEV_ARGS)
        return tnd_fail(err, TENDER_E_CONFIG, "too many device options");
    if (eq == NULL)
        return tnd_fail(err, TENDER_E_CONFIG, "unknown option --%s", opt);
    len = (size_t)(eq - opt);
    if (len >= sizeof(opts->dev_arg_text[i]))
        return tnd_fail(err, TENDER_E_CONFIG,
                        "option name too long: --%.40s...", opt);
    text = opts->dev_arg_text[i];
    memcpy(text, opt, len);
    text[len] = '\0';
    colon = strchr(text, ':');
    if (colon != NULL) {
        *colon = '\0';
        if (colon[1] == '\0')
            return tnd_fail(err, TENDER_E_CONFIG, "--%s: empty device name",
                            opt);
    }
    if (!tender_dev_key_known(text))
        return tnd_fail(err, TENDER_E_CONFIG, "unknown option --%s", text);
    opts->dev_args[i].key = text;
    opts->dev_args[i].name = colon != NULL ? colon + 1 : NULL;
    opts->dev_args[i].value = eq + 1;
    opts->cfg.n_dev_args = i + 1;
    return 0;
}

static int parse_option(const char *arg, struct cli_options *opts,
                        struct tender_error *err)
{
    if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
        opts->action = CLI_HELP;
        return 0;
    }
    if (strcmp(arg, "--version") == 0) {
        opts->action = CLI_VERSION;
        return 0;
    }
    if (strcmp(arg, "--hugepages") == 0) {
        opts->cfg.hugepages = 1;
        return 0;
    }
    if (strcmp(arg, "--no-net-ring") == 0) {
        opts->cfg.no_net_ring = 1;
        return 0;
    }
    if (strcmp(arg, "--no-block-ring") == 0) {
        opts->cfg.no_block_ring = 1;
        return 0;
    }
    /* Core files: in the current directory unless a directory is given. */
    if (strcmp(arg, "--dumpcore") == 0) {
        opts->cfg.core_dir = ".";
        return 0;
    }
    if (strncmp(arg, "--dumpcore=", 11) == 0) {
        if (arg[11] == '\0')
            return tnd_fail(err, TENDER_E_CONFIG,
                            "--dumpcore= needs a directory");
        opts->cfg.core_dir = arg + 11;
        return 0;
    }
    if (strcmp(arg, "--gdb") == 0 || strncmp(arg, "--gdb=", 6) == 0) {
        opts->gdb = arg[5] == '=' ? arg + 6 : "";
        return 0;
    }
    if (strncmp(arg, "--mem=", 6) == 0)
        return parse_mem(arg + 6, opts, err);
    if (strncmp(arg, "--", 2) == 0 && arg[2] != '\0')
        return parse_dev_arg(arg + 2, opts, err);
    return tnd_fail(err, TENDER_E_CONFIG, "unknown option %s", arg);
}

int cli_parse(int argc, char *const *argv, struct cli_options *opts,
              struct tender_error *err)
{
    int i;

    memset(opts, 0, sizeof(*opts));
    opts->action = CLI_RUN;
    opts->cfg.dev_args = opts->dev_args;
    for (i = 1; i < argc; i++) {
        const char *arg = argv[i];

        if (strcmp(arg, "--") == 0) {
            i++;
            break;
        }
        if (arg[0] != '-' || arg[1] == '\0')
            break;
        if (parse_option(arg, opts, err) < 0)
            return -1;
        if (opts->action != CLI_RUN)
            return 0;
    }
    if (i >= argc)
        return tnd_fail(err, TENDER_E_CONFIG,
                        "no guest ELF given (try --help)");
    opts->elf_path = argv[i];
    opts->cfg.guest_argc = argc - i - 1;
    opts->cfg.guest_argv = argv + i + 1;
    return 0;
}

/*
 * fuzz_cli: the tender command's option parser.  The input is the
 * command line after "tender", its arguments separated by NUL bytes.
 *
 * cli_parse() must not read past any argument, and a command line it
 * accepts must describe a run that the rest of main() can use: the ELF
 * path and the guest's arguments taken from argv, each device option
 * split into a known key, an optional non-empty name and a value.  The
 * guest's arguments then go through cmdline_build() as
 * tender_vm_create() would pass them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_options.h"
#include "cmdline.h"
#include "hvt_abi.h"
#include "fuzz_argv.h"

static void fail(const char *what)
{
    fprintf(stderr, "fuzz_cli: accepted command line breaks a promise: %s\n",
            what);
    abort();
}

static void check_run(const struct fuzz_argv *a, const struct cli_options *o)
{
    const struct tender_config *cfg = &o->cfg;
    char cmdline[HVT_CMDLINE_MAX];
    int elf_index;

    if (o->elf_path == NULL)
        fail("no ELF path");
    /* The path is one of the arguments, not a copy: find which. */
    for (elf_index = 1; elf_index < a->argc; elf_index++)
        if (a->argv[elf_index] == o->elf_path)
            break;
    if (elf_index == a->argc)
        fail("ELF path is not an argument");
    if (cfg->guest_argv != a->argv + elf_index + 1 ||
        cfg->guest_argc != a->argc - elf_index - 1)
        fail("guest arguments are not the ones after the ELF");
    if (cfg->mem_size != 0 && (cfg->mem_size < HVT_GUEST_MIN_MEM ||
                               cfg->mem_size > HVT_GUEST_MAX_MEM ||
                               cfg->mem_size % HVT_GUEST_MEM_ALIGN != 0))
        fail("memory size out of range");
    if (cfg->n_dev_args > TENDER_MAX_DEV_ARGS || cfg->dev_args != o->dev_args)
        fail("device options");
    for (size_t i = 0; i < cfg->n_dev_args; i++) {
        const struct tender_dev_arg *d = &cfg->dev_args[i];

        if (d->key == NULL || d->value == NULL || !tender_dev_key_known(d->key))
            fail("device option with an unknown key");
        if (d->name != NULL && d->name[0] == '\0')
            fail("device option with an empty name");
    }
    (void)cmdline_build(cmdline, sizeof(cmdline), cfg->guest_argc,
                        cfg->guest_argv, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_argv a;
    /* Large (256 device options of 128 bytes): not on the stack. */
    static struct cli_options opts;
    struct tender_error err;

    fuzz_argv_split(data, size, "tender", &a);
    if (cli_parse(a.argc, a.argv, &opts, &err) == 0 && opts.action == CLI_RUN)
        check_run(&a, &opts);
    fuzz_argv_free(&a);
    return 0;
}

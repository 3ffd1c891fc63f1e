/* The tender command line: options, the ELF path and guest arguments. */
#include <string.h>

#include "cli_options.h"
#include "unit_suites.h"

#define ARGC(argv) ((int)(sizeof(argv) / sizeof((argv)[0])))

/* Parse and expect success; the options struct is large, so static. */
static struct cli_options opts;

static void parse_ok(int argc, char *const *argv)
{
    struct tender_error err = {0};

    ck_assert_msg(cli_parse(argc, argv, &opts, &err) == 0, "refused: %s",
                  err.msg);
}

static void parse_refused(int argc, char *const *argv, const char *expect)
{
    struct tender_error err = {0};

    ck_assert_msg(cli_parse(argc, argv, &opts, &err) != 0,
                  "accepted, expected \"%s\"", expect);
    ck_assert_int_eq(err.code, TENDER_E_CONFIG);
    ck_assert_msg(strstr(err.msg, expect) != NULL,
                  "message \"%s\" lacks \"%s\"", err.msg, expect);
}

START_TEST(test_elf_and_guest_args)
{
    char *argv[] = {"tender", "app.elf", "a", "b"};

    parse_ok(ARGC(argv), argv);
    ck_assert_int_eq(opts.action, CLI_RUN);
    ck_assert_str_eq(opts.elf_path, "app.elf");
    ck_assert_int_eq(opts.cfg.guest_argc, 2);
    ck_assert_str_eq(opts.cfg.guest_argv[0], "a");
    ck_assert_str_eq(opts.cfg.guest_argv[1], "b");
    ck_assert_uint_eq(opts.cfg.mem_size, 0);
    ck_assert_uint_eq(opts.cfg.n_dev_args, 0);
}
END_TEST

START_TEST(test_no_guest_args)
{
    char *argv[] = {"tender", "app.elf"};

    parse_ok(ARGC(argv), argv);
    ck_assert_str_eq(opts.elf_path, "app.elf");
    ck_assert_int_eq(opts.cfg.guest_argc, 0);
}
END_TEST

static const struct {
    const char *arg;
    uint64_t bytes;
    int rounded;
} good_mem[] = {{"--mem=2", 2ULL << 20, 0},
                {"--mem=4096", 4096ULL << 20, 0},
                {"--mem=0512", 512ULL << 20, 0},
                /* Odd sizes are rounded down to 2 MiB pages, as Solo5 does. */
                {"--mem=1", 2ULL << 20, 1},
                {"--mem=3", 2ULL << 20, 1},
                {"--mem=4095", 4094ULL << 20, 1}};

START_TEST(test_mem_ok)
{
    char *argv[] = {"tender", (char *)good_mem[_i].arg, "app.elf"};

    parse_ok(ARGC(argv), argv);
    ck_assert_uint_eq(opts.cfg.mem_size, good_mem[_i].bytes);
    ck_assert_int_eq(opts.mem_rounded, good_mem[_i].rounded);
    ck_assert_str_eq(opts.elf_path, "app.elf");
}
END_TEST

static const struct {
    const char *arg;
    const char *expect;
} bad_opts[] = {
    {"--mem=", "--mem needs a size"},
    {"--mem=abc", "--mem=abc: not a whole number"},
    {"--mem=0", "--mem=0: must be from 1 to 4096 MiB"},
    {"--mem=4098", "--mem=4098: more than 4096"},
    {"--mem=99999999999999999999", "more than 4096"},
    {"--mem=-2", "--mem=-2: not a whole number"},
    {"--mem=2M", "not a whole number"},
    {"--mem= 2", "not a whole number"},
    {"--bogus", "unknown option --bogus"},
    {"-x", "unknown option -x"},
    {"---", "unknown option"},
    {"--nonexistent-device=foo", "unknown option --nonexistent-device"},
    {"--nonexistent-device:dev0=foo", "unknown option --nonexistent-device"},
    {"--anykey:=foo", "empty device name"},
};

START_TEST(test_refused)
{
    char *argv[] = {"tender", (char *)bad_opts[_i].arg, "app.elf"};

    parse_refused(ARGC(argv), argv, bad_opts[_i].expect);
}
END_TEST

START_TEST(test_option_too_long)
{
    char arg[200];
    char *argv[] = {"tender", arg, "app.elf"};

    memset(arg, 'k', sizeof(arg));
    memcpy(arg, "--", 2);
    strcpy(arg + sizeof(arg) - 3, "=v");
    parse_refused(ARGC(argv), argv, "option name too long");
}
END_TEST

START_TEST(test_hugepages)
{
    char *plain[] = {"tender", "app.elf"};
    char *huge[] = {"tender", "--hugepages", "app.elf"};

    parse_ok(ARGC(plain), plain);
    ck_assert_int_eq(opts.cfg.hugepages, 0);
    parse_ok(ARGC(huge), huge);
    ck_assert_int_eq(opts.cfg.hugepages, 1);
}
END_TEST

START_TEST(test_no_net_ring)
{
    char *plain[] = {"tender", "app.elf"};
    char *off[] = {"tender", "--no-net-ring", "app.elf"};

    parse_ok(ARGC(plain), plain);
    ck_assert_int_eq(opts.cfg.no_net_ring, 0);
    parse_ok(ARGC(off), off);
    ck_assert_int_eq(opts.cfg.no_net_ring, 1);
}
END_TEST

START_TEST(test_no_block_ring)
{
    char *plain[] = {"tender", "app.elf"};
    char *off[] = {"tender", "--no-block-ring", "app.elf"};

    parse_ok(ARGC(plain), plain);
    ck_assert_int_eq(opts.cfg.no_block_ring, 0);
    parse_ok(ARGC(off), off);
    ck_assert_int_eq(opts.cfg.no_block_ring, 1);
    ck_assert_int_eq(opts.cfg.no_net_ring, 0);
}
END_TEST

/* A value (a path) may be as long as the system allows: 4095 bytes. */
START_TEST(test_long_value)
{
    static char arg[4200];
    char *argv[] = {"tender", arg, "app.elf"};
    size_t prefix = strlen("--block:disk=");

    memcpy(arg, "--block:disk=", prefix);
    memset(arg + prefix, 'p', 4095);
    arg[prefix + 4095] = '\0';
    parse_ok(ARGC(argv), argv);
    ck_assert_uint_eq(opts.cfg.n_dev_args, 1);
    ck_assert_str_eq(opts.dev_args[0].key, "block");
    ck_assert_str_eq(opts.dev_args[0].name, "disk");
    ck_assert_uint_eq(strlen(opts.dev_args[0].value), 4095);
}
END_TEST

START_TEST(test_missing_elf)
{
    char *alone[] = {"tender"};
    char *only_opts[] = {"tender", "--mem=2"};
    char *dashes[] = {"tender", "--"};

    parse_refused(ARGC(alone), alone, "no guest ELF");
    parse_refused(ARGC(only_opts), only_opts, "no guest ELF");
    parse_refused(ARGC(dashes), dashes, "no guest ELF");
}
END_TEST

static const struct {
    const char *arg;
    enum cli_action action;
} actions[] = {
    {"--help", CLI_HELP}, {"-h", CLI_HELP}, {"--version", CLI_VERSION}};

/* These win even without an ELF, and before a later bad option. */
START_TEST(test_actions)
{
    char *argv[] = {"tender", (char *)actions[_i].arg, "--bogus"};

    parse_ok(ARGC(argv), argv);
    ck_assert_int_eq(opts.action, actions[_i].action);
}
END_TEST

START_TEST(test_double_dash)
{
    char *argv[] = {"tender", "--", "--weird.elf", "x"};

    parse_ok(ARGC(argv), argv);
    ck_assert_str_eq(opts.elf_path, "--weird.elf");
    ck_assert_int_eq(opts.cfg.guest_argc, 1);
    ck_assert_str_eq(opts.cfg.guest_argv[0], "x");
}
END_TEST

/* Everything after the ELF belongs to the guest, options included. */
START_TEST(test_options_after_elf)
{
    char *argv[] = {"tender", "app.elf", "--mem=4", "--help", "--"};

    parse_ok(ARGC(argv), argv);
    ck_assert_int_eq(opts.action, CLI_RUN);
    ck_assert_uint_eq(opts.cfg.mem_size, 0);
    ck_assert_int_eq(opts.cfg.guest_argc, 3);
    ck_assert_str_eq(opts.cfg.guest_argv[0], "--mem=4");
    ck_assert_str_eq(opts.cfg.guest_argv[1], "--help");
    ck_assert_str_eq(opts.cfg.guest_argv[2], "--");
}
END_TEST

/*
 * --net=tap0 is accepted exactly when some module registers "net": the
 * test holds before and after the network module exists.
 */
START_TEST(test_dev_key_follows_registry)
{
    char *plain[] = {"tender", "--net=tap0", "app.elf"};
    char *named[] = {"tender", "--net:service=tap1", "app.elf"};

    if (!tender_dev_key_known("net")) {
        parse_refused(ARGC(plain), plain, "unknown option --net");
        parse_refused(ARGC(named), named, "unknown option --net");
        return;
    }
    parse_ok(ARGC(plain), plain);
    ck_assert_uint_eq(opts.cfg.n_dev_args, 1);
    ck_assert_str_eq(opts.cfg.dev_args[0].key, "net");
    ck_assert_ptr_null(opts.cfg.dev_args[0].name);
    ck_assert_str_eq(opts.cfg.dev_args[0].value, "tap0");
    parse_ok(ARGC(named), named);
    ck_assert_str_eq(opts.cfg.dev_args[0].name, "service");
    ck_assert_str_eq(opts.cfg.dev_args[0].value, "tap1");
}
END_TEST

START_TEST(test_unknown_key_not_registered)
{
    ck_assert_int_eq(tender_dev_key_known("nonexistent-device"), 0);
    ck_assert_int_eq(tender_dev_key_known(""), 0);
}
END_TEST

Suite *options_suite(void)
{
    Suite *s = suite_create("options");
    TCase *tc = tcase_create("cli_parse");

    tcase_add_test(tc, test_elf_and_guest_args);
    tcase_add_test(tc, test_no_guest_args);
    tcase_add_loop_test(tc, test_mem_ok, 0,
                        sizeof(good_mem) / sizeof(good_mem[0]));
    tcase_add_loop_test(tc, test_refused, 0,
                        sizeof(bad_opts) / sizeof(bad_opts[0]));
    tcase_add_test(tc, test_option_too_long);
    tcase_add_test(tc, test_long_value);
    tcase_add_test(tc, test_hugepages);
    tcase_add_test(tc, test_no_net_ring);
    tcase_add_test(tc, test_no_block_ring);
    tcase_add_test(tc, test_missing_elf);
    tcase_add_loop_test(tc, test_actions, 0,
                        sizeof(actions) / sizeof(actions[0]));
    tcase_add_test(tc, test_double_dash);
    tcase_add_test(tc, test_options_after_elf);
    tcase_add_test(tc, test_dev_key_follows_registry);
    tcase_add_test(tc, test_unknown_key_not_registered);
    suite_add_tcase(s, tc);
    return s;
}

/* tender-oci's command line (runtime/cli.c). */
#include <check.h>
#include <signal.h>
#include <string.h>

#include "cli.h"
#include "oci_suites.h"

static int parse(struct oci_cli *c, char *err, const char *const *args)
{
    char *argv[32];
    int argc = 0;

    argv[argc++] = (char *)"tender-oci";
    for (; *args != NULL; args++)
        argv[argc++] = (char *)*args;
    argv[argc] = NULL;
    return oci_cli_parse(argc, argv, c, err, 256);
}

#define PARSE(c, err, ...)                                                     \
    parse(c, err, (const char *const[]){__VA_ARGS__, NULL})

START_TEST(test_create_as_shims_call_it)
{
    struct oci_cli c;
    char err[256];

    ck_assert_int_eq(PARSE(&c, err, "--root", "/r", "--log", "/l.json",
                           "--log-format", "json", "--systemd-cgroup", "create",
                           "--bundle", "/b", "--pid-file", "/p",
                           "--console-socket", "/s", "--no-pivot", "c1"),
                     0);
    ck_assert_int_eq(c.cmd, OCI_CREATE);
    ck_assert_str_eq(c.root, "/r");
    ck_assert_str_eq(c.log_path, "/l.json");
    ck_assert_int_eq(c.log_json, 1);
    ck_assert_str_eq(c.bundle, "/b");
    ck_assert_str_eq(c.pid_file, "/p");
    ck_assert_str_eq(c.console_socket, "/s");
    ck_assert_str_eq(c.id, "c1");
    /* The order: ID first, then the options; "=" forms. */
    ck_assert_int_eq(PARSE(&c, err, "--root=/x", "create", "c2", "--bundle=/b2",
                           "-b", "/b3"),
                     0);
    ck_assert_str_eq(c.root, "/x");
    ck_assert_str_eq(c.id, "c2");
    ck_assert_str_eq(c.bundle, "/b3");
    ck_assert_ptr_null(c.pid_file);
}
END_TEST

START_TEST(test_defaults)
{
    struct oci_cli c;
    char err[256];

    ck_assert_int_eq(PARSE(&c, err, "kill", "c1"), 0);
    ck_assert_str_eq(c.root, OCI_DEFAULT_ROOT);
    ck_assert_int_eq(c.signal, SIGTERM);
    ck_assert_int_eq(c.log_json, 0);
    ck_assert_int_eq(PARSE(&c, err, "kill", "c1", "KILL"), 0);
    ck_assert_int_eq(c.signal, SIGKILL);
    ck_assert_int_eq(PARSE(&c, err, "kill", "--all", "c1", "SIGINT"), 0);
    ck_assert_int_eq(c.signal, SIGINT);
    ck_assert_int_eq(c.all, 1);
    ck_assert_int_eq(PARSE(&c, err, "kill", "c1", "9"), 0);
    ck_assert_int_eq(c.signal, 9);
    ck_assert_int_eq(PARSE(&c, err, "delete", "-f", "c1"), 0);
    ck_assert_int_eq(c.force, 1);
    ck_assert_int_eq(PARSE(&c, err, "list", "--format", "json"), 0);
    ck_assert_int_eq(c.list_json, 1);
    ck_assert_int_eq(PARSE(&c, err, "list", "-q"), 0);
    ck_assert_int_eq(c.quiet, 1);
    ck_assert_int_eq(PARSE(&c, err, "--version"), 0);
    ck_assert_int_eq(c.cmd, OCI_VERSION);
    ck_assert_int_eq(PARSE(&c, err, "state", "a.b_c-d+e"), 0);
}
END_TEST

static const struct {
    const char *args[6];
    const char *msg;
} bad[] = {
    {{NULL}, "no command"},
    {{"run", "c1"}, "unknown command run"},
    {{"start"}, "start needs a container ID"},
    {{"start", "a/b"}, "bad container ID 'a/b'"},
    {{"start", ".."}, "bad container ID '..'"},
    {{"start", "c1", "c2"}, "unexpected argument c2"},
    {{"kill", "c1", "NOPE"}, "unknown signal NOPE"},
    {{"kill", "c1", "65"}, "unknown signal 65"},
    {{"kill", "c1", "9", "x"}, "unexpected argument x"},
    {{"create", "c1", "--bundle"}, "--bundle needs a value"},
    {{"create", "--force", "c1"}, "unknown option --force"},
    {{"--root"}, "--root needs a value"},
    {{"--log-format", "xml", "list"}, "--log-format xml: not text or json"},
    {{"--bogus", "list"}, "unknown global option --bogus"},
    {{"list", "c1"}, "list takes no argument"},
    {{"list", "--format", "yaml"}, "not table or json"},
};

START_TEST(test_bad)
{
    struct oci_cli c;
    char err[256] = "";
    char *argv[8] = {(char *)"tender-oci"};
    int argc = 1;

    for (int i = 0; bad[_i].args[i] != NULL; i++)
        argv[argc++] = (char *)bad[_i].args[i];
    ck_assert_int_eq(oci_cli_parse(argc, argv, &c, err, sizeof(err)), -1);
    ck_assert_msg(strstr(err, bad[_i].msg) != NULL, "'%s' lacks '%s'", err,
                  bad[_i].msg);
}
END_TEST

START_TEST(test_signals)
{
    ck_assert_int_eq(oci_signal_parse("TERM"), SIGTERM);
    ck_assert_int_eq(oci_signal_parse("sigkill"), SIGKILL);
    ck_assert_int_eq(oci_signal_parse("SIGUSR1"), SIGUSR1);
    ck_assert_int_eq(oci_signal_parse("15"), 15);
    ck_assert_int_eq(oci_signal_parse("0"), -1);
    ck_assert_int_eq(oci_signal_parse("15x"), -1);
    ck_assert_int_eq(oci_signal_parse("SIG"), -1);
}
END_TEST

Suite *oci_cli_suite(void)
{
    Suite *s = suite_create("oci_cli");
    TCase *tc = tcase_create("cli");

    tcase_add_test(tc, test_create_as_shims_call_it);
    tcase_add_test(tc, test_defaults);
    tcase_add_loop_test(tc, test_bad, 0, sizeof(bad) / sizeof(bad[0]));
    tcase_add_test(tc, test_signals);
    suite_add_tcase(s, tc);
    return s;
}

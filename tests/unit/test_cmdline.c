/* The guest command line: arguments joined by spaces, bounded. */
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"
#include "hvt_abi.h"
#include "unit_suites.h"

/* Build into a buffer malloc'd at exactly size bytes (for ASan). */
static int build(size_t size, int argc, char *const *argv, char **out,
                 struct tender_error *err)
{
    *out = malloc(size != 0 ? size : 1);
    ck_assert_ptr_nonnull(*out);
    /* Not NUL: the result must be terminated by cmdline_build itself. */
    memset(*out, 'X', size);
    return cmdline_build(*out, size, argc, argv, err);
}

/* A malloc'd string of len copies of c. */
static char *repeat(char c, size_t len)
{
    char *s = malloc(len + 1);

    ck_assert_ptr_nonnull(s);
    memset(s, c, len);
    s[len] = '\0';
    return s;
}

START_TEST(test_join)
{
    char *argv[] = {"a", "bb", "", "ccc"};
    struct tender_error err = {0};
    char *buf;

    ck_assert_int_eq(build(HVT_CMDLINE_MAX, 4, argv, &buf, &err), 0);
    /* The empty argument still gets its separator. */
    ck_assert_str_eq(buf, "a bb  ccc");
    free(buf);
}
END_TEST

START_TEST(test_empty)
{
    struct tender_error err = {0};
    char *buf;

    ck_assert_int_eq(build(HVT_CMDLINE_MAX, 0, NULL, &buf, &err), 0);
    ck_assert_str_eq(buf, "");
    free(buf);
}
END_TEST

START_TEST(test_exactly_full)
{
    char *arg = repeat('a', HVT_CMDLINE_MAX - 1);
    char *argv[] = {arg};
    struct tender_error err = {0};
    char *buf;

    ck_assert_int_eq(build(HVT_CMDLINE_MAX, 1, argv, &buf, &err), 0);
    ck_assert_uint_eq(strlen(buf), HVT_CMDLINE_MAX - 1);
    ck_assert_int_eq(memcmp(buf, arg, HVT_CMDLINE_MAX - 1), 0);
    free(buf);
    free(arg);
}
END_TEST

/* Two halves and the space between them fill the buffer exactly. */
START_TEST(test_exactly_full_two_args)
{
    char *half = repeat('h', (HVT_CMDLINE_MAX - 2) / 2);
    char *argv[] = {half, half};
    struct tender_error err = {0};
    char *buf;

    ck_assert_int_eq(build(HVT_CMDLINE_MAX, 2, argv, &buf, &err), 0);
    ck_assert_uint_eq(strlen(buf), HVT_CMDLINE_MAX - 1);
    ck_assert_int_eq(buf[(HVT_CMDLINE_MAX - 2) / 2], ' ');
    free(buf);
    free(half);
}
END_TEST

START_TEST(test_one_too_long)
{
    char *arg = repeat('a', HVT_CMDLINE_MAX);
    char *argv[] = {arg};
    struct tender_error err = {0};
    char *buf;

    ck_assert_int_ne(build(HVT_CMDLINE_MAX, 1, argv, &buf, &err), 0);
    ck_assert_int_eq(err.code, TENDER_E_CONFIG);
    ck_assert_msg(strstr(err.msg, "longer than 8191 bytes") != NULL,
                  "message: %s", err.msg);
    free(buf);
    free(arg);
}
END_TEST

/*
 * n one-byte arguments need 2n - 1 bytes and a NUL: 4096 fit in 8192,
 * 4097 do not, and the failure leaves a terminated string in bounds.
 */
static int build_many(int n, struct tender_error *err, size_t *len)
{
    char **argv = malloc((size_t)n * sizeof(*argv));
    char *buf;
    int rc;

    ck_assert_ptr_nonnull(argv);
    for (int i = 0; i < n; i++)
        argv[i] = "z";
    rc = build(HVT_CMDLINE_MAX, n, argv, &buf, err);
    *len = strnlen(buf, HVT_CMDLINE_MAX);
    free(buf);
    free(argv);
    return rc;
}

START_TEST(test_many_small_args)
{
    struct tender_error err = {0};
    size_t len;

    ck_assert_int_eq(build_many(HVT_CMDLINE_MAX / 2, &err, &len), 0);
    ck_assert_uint_eq(len, HVT_CMDLINE_MAX - 1);
    ck_assert_int_ne(build_many(HVT_CMDLINE_MAX / 2 + 1, &err, &len), 0);
    ck_assert_msg(strstr(err.msg, "longer than 8191") != NULL, "message: %s",
                  err.msg);
    ck_assert_uint_lt(len, HVT_CMDLINE_MAX);
}
END_TEST

START_TEST(test_tiny_buffers)
{
    char *argv[] = {"a"};
    struct tender_error err = {0};
    char *buf;

    ck_assert_int_eq(build(1, 0, argv, &buf, &err), 0);
    ck_assert_str_eq(buf, "");
    free(buf);
    ck_assert_int_ne(build(1, 1, argv, &buf, &err), 0);
    free(buf);
    ck_assert_int_ne(build(0, 0, argv, &buf, &err), 0);
    ck_assert_msg(strstr(err.msg, "no room") != NULL, "message: %s", err.msg);
    free(buf);
}
END_TEST

Suite *cmdline_suite(void)
{
    Suite *s = suite_create("cmdline");
    TCase *tc = tcase_create("cmdline");

    tcase_add_test(tc, test_join);
    tcase_add_test(tc, test_empty);
    tcase_add_test(tc, test_exactly_full);
    tcase_add_test(tc, test_exactly_full_two_args);
    tcase_add_test(tc, test_one_too_long);
    tcase_add_test(tc, test_many_small_args);
    tcase_add_test(tc, test_tiny_buffers);
    suite_add_tcase(s, tc);
    return s;
}

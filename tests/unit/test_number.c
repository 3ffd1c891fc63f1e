/* The one decimal parser of the command line, and "@FD" values. */
#include <check.h>
#include <stdint.h>

#include "number.h"
#include "unit_suites.h"

static const struct {
    const char *text;
    uint64_t max;
    int rc;
    uint64_t value;
} cases[] = {
    {"0", 10, 0, 0},
    {"10", 10, 0, 10},
    {"0010", 10, 0, 10},
    {"11", 10, NUMBER_TOO_LARGE, 0},
    {"4096", 4096, 0, 4096},
    {"4097", 4096, NUMBER_TOO_LARGE, 0},
    {"18446744073709551615", UINT64_MAX, 0, UINT64_MAX},
    {"18446744073709551616", UINT64_MAX, NUMBER_TOO_LARGE, 0},
    {"99999999999999999999999", 4096, NUMBER_TOO_LARGE, 0},
    {"99999999999999999999x", 4096, NUMBER_NOT_DECIMAL, 0},
    {"", 10, NUMBER_NOT_DECIMAL, 0},
    {"-1", 10, NUMBER_NOT_DECIMAL, 0},
    {"+1", 10, NUMBER_NOT_DECIMAL, 0},
    {" 1", 10, NUMBER_NOT_DECIMAL, 0},
    {"1 ", 10, NUMBER_NOT_DECIMAL, 0},
    {"2M", 10, NUMBER_NOT_DECIMAL, 0},
    {"0x10", 100, NUMBER_NOT_DECIMAL, 0},
    /* A maximum below 9: a digit alone may exceed it. */
    {"9", 5, NUMBER_TOO_LARGE, 0},
    {"5", 5, 0, 5},
    {"0", 0, 0, 0},
    {"1", 0, NUMBER_TOO_LARGE, 0},
};

START_TEST(test_decimal)
{
    uint64_t value = 12345;
    int rc = parse_decimal(cases[_i].text, cases[_i].max, &value);

    ck_assert_msg(rc == cases[_i].rc, "\"%s\": %d, expected %d", cases[_i].text,
                  rc, cases[_i].rc);
    if (rc == 0)
        ck_assert_uint_eq(value, cases[_i].value);
    else
        ck_assert_uint_eq(value, 12345); /* untouched on failure */
}
END_TEST

START_TEST(test_hex_digit)
{
    ck_assert_int_eq(hex_digit('0'), 0);
    ck_assert_int_eq(hex_digit('9'), 9);
    ck_assert_int_eq(hex_digit('a'), 10);
    ck_assert_int_eq(hex_digit('F'), 15);
    ck_assert_int_eq(hex_digit('g'), -1);
    ck_assert_int_eq(hex_digit(':'), -1);
    ck_assert_int_eq(hex_digit('\0'), -1);
}
END_TEST

START_TEST(test_fd_ref)
{
    ck_assert_int_eq(parse_fd_ref("@0"), 0);
    ck_assert_int_eq(parse_fd_ref("@5"), 5);
    ck_assert_int_eq(parse_fd_ref("@2147483647"), 2147483647);
    ck_assert_int_eq(parse_fd_ref("@2147483648"), -1);
    ck_assert_int_eq(parse_fd_ref("@"), -1);
    ck_assert_int_eq(parse_fd_ref("@-1"), -1);
    ck_assert_int_eq(parse_fd_ref("@5x"), -1);
    ck_assert_int_eq(parse_fd_ref("5"), -1);
    ck_assert_int_eq(parse_fd_ref("tap0"), -1);
}
END_TEST

Suite *number_suite(void)
{
    Suite *s = suite_create("number");
    TCase *tc = tcase_create("parse");

    tcase_add_loop_test(tc, test_decimal, 0,
                        (int)(sizeof(cases) / sizeof(cases[0])));
    tcase_add_test(tc, test_fd_ref);
    tcase_add_test(tc, test_hex_digit);
    suite_add_tcase(s, tc);
    return s;
}

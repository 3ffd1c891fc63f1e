/* tender-oci's JSON reader (runtime/json.c). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "oci_suites.h"

static struct json *parse(const char *text)
{
    char err[128];

    return json_parse(text, strlen(text), err, sizeof(err));
}

START_TEST(test_values)
{
    struct json *j = parse(" {\"a\": [1, -2.5e3, true, false, null],"
                           " \"s\": \"x\\\"\\\\\\/\\n\\u00e9\\ud83d\\ude00\","
                           " \"o\": {}, \"big\": 9223372036854775807} ");
    const struct json *a, *e;

    ck_assert_ptr_nonnull(j);
    ck_assert_int_eq(j->count, 4);
    a = json_get(j, "a");
    ck_assert_int_eq(a->type, JSON_ARRAY);
    ck_assert_int_eq(a->count, 5);
    e = a->child;
    ck_assert(e->is_int && e->integer == 1);
    e = e->next;
    ck_assert(!e->is_int && e->num == -2500.0);
    ck_assert_int_eq(e->next->type, JSON_TRUE);
    ck_assert_int_eq(e->next->next->type, JSON_FALSE);
    ck_assert_int_eq(e->next->next->next->type, JSON_NULL);
    ck_assert_str_eq(json_get_str(j, "s"), "x\"\\/\n\xc3\xa9\xf0\x9f\x98\x80");
    ck_assert_int_eq(json_get(j, "o")->type, JSON_OBJECT);
    ck_assert(json_get(j, "big")->integer == 9223372036854775807LL);
    ck_assert_ptr_null(json_get(j, "missing"));
    ck_assert_ptr_null(json_get_str(j, "a"));
    json_free(j);
}
END_TEST

START_TEST(test_duplicate_last_wins)
{
    struct json *j = parse("{\"k\":\"1\",\"k\":\"2\"}");

    ck_assert_str_eq(json_get_str(j, "k"), "2");
    json_free(j);
}
END_TEST

static const char *const bad[] = {
    "",
    "{",
    "{\"a\":1,}",
    "[1,]",
    "[1 2]",
    "{\"a\" 1}",
    "{a:1}",
    "\"unterminated",
    "\"bad \\x escape\"",
    "\"\\u12\"",
    "\"\\u0000\"",
    "\"\\ud800\"",
    "\"\\udc00\"",
    "\"\\ud800\\u0041\"",
    "\"tab\there\"",
    "01",
    "1.",
    "-",
    "1e",
    "tru",
    "nul",
    "{} x",
    "[][]",
};

START_TEST(test_bad)
{
    char err[128] = "";
    const char *t = bad[_i];

    ck_assert_msg(json_parse(t, strlen(t), err, sizeof(err)) == NULL,
                  "accepted: %s", t);
    ck_assert_msg(strstr(err, "at byte") != NULL, "no offset: %s", err);
}
END_TEST

START_TEST(test_depth)
{
    char text[200];
    char err[128];
    struct json *j;

    memset(text, '[', 64);
    memset(text + 64, ']', 64);
    j = json_parse(text, 128, err, sizeof(err));
    ck_assert_ptr_nonnull(j);
    json_free(j);
    memset(text, '[', 65);
    memset(text + 65, ']', 65);
    ck_assert_ptr_null(json_parse(text, 130, err, sizeof(err)));
    ck_assert(strstr(err, "nested too deeply") != NULL);
}
END_TEST

START_TEST(test_embedded_nul)
{
    char err[128];

    ck_assert_ptr_null(json_parse("\"a\0b\"", 5, err, sizeof(err)));
}
END_TEST

START_TEST(test_write_round_trip)
{
    const char *s = "q\"b\\n\nt\tc\x01\xc3\xa9";
    char *buf = NULL, err[128];
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    struct json *j;

    json_write_str(f, s);
    fclose(f);
    j = json_parse(buf, len, err, sizeof(err));
    ck_assert_ptr_nonnull(j);
    ck_assert_str_eq(j->str, s);
    json_free(j);
    free(buf);
}
END_TEST

Suite *oci_json_suite(void)
{
    Suite *s = suite_create("oci_json");
    TCase *tc = tcase_create("json");

    tcase_add_test(tc, test_values);
    tcase_add_test(tc, test_duplicate_last_wins);
    tcase_add_loop_test(tc, test_bad, 0, sizeof(bad) / sizeof(bad[0]));
    tcase_add_test(tc, test_depth);
    tcase_add_test(tc, test_embedded_nul);
    tcase_add_test(tc, test_write_round_trip);
    suite_add_tcase(s, tc);
    return s;
}

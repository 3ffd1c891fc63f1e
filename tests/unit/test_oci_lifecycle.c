/* The runtime-spec state machine (runtime/lifecycle.c): every operation in
 * every status. */
#include <check.h>
#include <string.h>

#include "lifecycle.h"
#include "oci_suites.h"

START_TEST(test_status)
{
    struct oci_observed o = {0};

    o.create_locked = 1;
    ck_assert_int_eq(lifecycle_status(&o), OCI_CREATING);
    o.create_locked = 0; /* a create that died before state.json */
    ck_assert_int_eq(lifecycle_status(&o), OCI_STOPPED);
    o.has_state = 1;
    o.fifo_exists = 1;
    ck_assert_int_eq(lifecycle_status(&o), OCI_CREATED);
    o.fifo_exists = 0;
    ck_assert_int_eq(lifecycle_status(&o), OCI_RUNNING);
    o.process_gone = 1;
    ck_assert_int_eq(lifecycle_status(&o), OCI_STOPPED);
    o.fifo_exists = 1; /* killed before start */
    ck_assert_int_eq(lifecycle_status(&o), OCI_STOPPED);
    ck_assert_str_eq(lifecycle_status_name(OCI_RUNNING), "running");
    ck_assert_str_eq(lifecycle_status_name(OCI_CREATED), "created");
    ck_assert_str_eq(lifecycle_status_name(OCI_STOPPED), "stopped");
    ck_assert_str_eq(lifecycle_status_name(OCI_CREATING), "creating");
}
END_TEST

/* NULL: allowed; else a piece of the refusal. */
static const struct {
    enum oci_op op;
    enum oci_status status;
    const char *refusal;
} table[] = {
    {OP_START, OCI_CREATING, "being created"},
    {OP_START, OCI_CREATED, NULL},
    {OP_START, OCI_RUNNING, "cannot start a container that is running"},
    {OP_START, OCI_STOPPED, "cannot start a container that has stopped"},
    {OP_KILL, OCI_CREATING, "being created"},
    {OP_KILL, OCI_CREATED, NULL},
    {OP_KILL, OCI_RUNNING, NULL},
    {OP_KILL, OCI_STOPPED, "not running"},
    {OP_DELETE, OCI_CREATING, "being created"},
    {OP_DELETE, OCI_CREATED, "--force"},
    {OP_DELETE, OCI_RUNNING, "cannot delete a container that is running"},
    {OP_DELETE, OCI_STOPPED, NULL},
    {OP_FORCE_DELETE, OCI_CREATING, "being created"},
    {OP_FORCE_DELETE, OCI_CREATED, NULL},
    {OP_FORCE_DELETE, OCI_RUNNING, NULL},
    {OP_FORCE_DELETE, OCI_STOPPED, NULL},
    {OP_STATE, OCI_CREATING, NULL},
    {OP_STATE, OCI_CREATED, NULL},
    {OP_STATE, OCI_RUNNING, NULL},
    {OP_STATE, OCI_STOPPED, NULL},
};

START_TEST(test_transitions)
{
    const char *why = lifecycle_check(table[_i].op, table[_i].status);

    if (table[_i].refusal == NULL)
        ck_assert_msg(why == NULL, "op %d in %s refused: %s", table[_i].op,
                      lifecycle_status_name(table[_i].status), why);
    else
        ck_assert_msg(why != NULL && strstr(why, table[_i].refusal) != NULL,
                      "op %d in %s: %s", table[_i].op,
                      lifecycle_status_name(table[_i].status),
                      why ? why : "allowed");
}
END_TEST

Suite *oci_lifecycle_suite(void)
{
    Suite *s = suite_create("oci_lifecycle");
    TCase *tc = tcase_create("lifecycle");

    tcase_add_test(tc, test_status);
    tcase_add_loop_test(tc, test_transitions, 0,
                        sizeof(table) / sizeof(table[0]));
    suite_add_tcase(s, tc);
    return s;
}

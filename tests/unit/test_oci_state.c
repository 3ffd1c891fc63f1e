/* The state directory (runtime/state.c): made once, locked, written and
 * read back, judged against /proc, removed. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "oci_suites.h"
#include "state.h"

static char root[64];

static void setup(void)
{
    snprintf(root, sizeof(root), "/tmp/oci-state.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(root));
}

static void teardown(void)
{
    char cmd[128];

    snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
    ck_assert_int_eq(system(cmd), 0);
}

START_TEST(test_create_lock_remove)
{
    char err[512], sub[128];
    int fd, fd2;

    snprintf(sub, sizeof(sub), "%s/deeper/root", root);
    fd = state_create(sub, "c1", err, sizeof(err));
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(state_create(sub, "c1", err, sizeof(err)), -1);
    ck_assert_str_eq(err, "container c1 already exists");
    /* create holds the lock: others see it taken without waiting. */
    ck_assert_int_eq(state_lock(sub, "c1", 1, err, sizeof(err)), -1);
    ck_assert(strstr(err, "locked") != NULL);
    close(fd);
    fd2 = state_lock(sub, "c1", 1, err, sizeof(err));
    ck_assert_int_ge(fd2, 0);
    close(fd2);
    ck_assert_int_eq(state_remove(sub, "c1", err, sizeof(err)), 0);
    ck_assert_int_eq(state_lock(sub, "c1", 1, err, sizeof(err)), -1);
    ck_assert_str_eq(err, "container c1 does not exist");
}
END_TEST

START_TEST(test_write_read_status)
{
    struct oci_state st, back;
    char err[512], path[256], pstate;
    char ann[] = "{\"k\":\"v \\\"q\\\"\"}";
    int fd;

    fd = state_create(root, "c2", err, sizeof(err));
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(state_read(root, "c2", &back, err, sizeof(err)), 0);
    /* No state.json: creating while locked, stopped (a dead create) once
     * not. */
    ck_assert_int_eq(state_status(root, "c2", &back, 0, 1), OCI_CREATING);
    ck_assert_int_eq(state_status(root, "c2", &back, 0, 0), OCI_STOPPED);
    memset(&st, 0, sizeof(st));
    snprintf(st.id, sizeof(st.id), "c2");
    snprintf(st.bundle, sizeof(st.bundle), "/b\"x");
    snprintf(st.cgroup, sizeof(st.cgroup), "/sys/fs/cgroup/t");
    st.pid = getpid();
    ck_assert_int_eq(proc_stat(st.pid, &st.starttime, &pstate), 0);
    st.annotations = json_parse(ann, strlen(ann), err, sizeof(err));
    ck_assert_int_eq(state_write(root, &st, err, sizeof(err)), 0);
    ck_assert_int_eq(state_read(root, "c2", &back, err, sizeof(err)), 1);
    ck_assert_str_eq(back.bundle, "/b\"x");
    ck_assert_str_eq(back.cgroup, "/sys/fs/cgroup/t");
    ck_assert_int_eq(back.pid, st.pid);
    ck_assert(back.starttime == st.starttime);
    ck_assert_str_eq(json_get_str(back.annotations, "k"), "v \"q\"");
    /* This process is alive: running, or created while the fifo is
     * there. */
    ck_assert_int_eq(state_status(root, "c2", &back, 1, 0), OCI_RUNNING);
    state_path(root, "c2", "start.fifo", path, sizeof(path));
    ck_assert_int_eq(mkfifo(path, 0600), 0);
    ck_assert_int_eq(state_status(root, "c2", &back, 1, 0), OCI_CREATED);
    /* Another process under the same pid is not ours. */
    back.starttime++;
    ck_assert_int_eq(state_status(root, "c2", &back, 1, 0), OCI_STOPPED);
    back.pid = 0;
    ck_assert_int_eq(state_status(root, "c2", &back, 1, 0), OCI_STOPPED);
    state_release(&back);
    state_release(&st);
    close(fd);
    ck_assert_int_eq(state_remove(root, "c2", err, sizeof(err)), 0);
    ck_assert_int_eq(access(path, F_OK), -1);
}
END_TEST

START_TEST(test_print)
{
    struct oci_state st;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    memset(&st, 0, sizeof(st));
    snprintf(st.id, sizeof(st.id), "c3");
    snprintf(st.bundle, sizeof(st.bundle), "/b");
    st.pid = 42;
    state_print(f, &st, OCI_RUNNING);
    state_print(f, &st, OCI_STOPPED);
    fclose(f);
    ck_assert(strstr(buf, "\"ociVersion\": \"1.0.2\"") != NULL);
    ck_assert(strstr(buf, "\"status\": \"running\",\n  \"pid\": 42,") != NULL);
    ck_assert(strstr(buf, "\"status\": \"stopped\",\n  \"pid\": 0,") != NULL);
    ck_assert(strstr(buf, "\"annotations\": {}") != NULL);
    free(buf);
}
END_TEST

Suite *oci_state_suite(void)
{
    Suite *s = suite_create("oci_state");
    TCase *tc = tcase_create("state");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_create_lock_remove);
    tcase_add_test(tc, test_write_read_status);
    tcase_add_test(tc, test_print);
    suite_add_tcase(s, tc);
    return s;
}

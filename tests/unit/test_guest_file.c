/*
 * Reading the guest's file: the monitor works on a private copy, so that
 * what the loader checked is what it loads even if the file is written or
 * truncated meanwhile.
 */
#include <check.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "guest_file.h"
#include "unit_suites.h"

static char path[] = "/tmp/tender-guest-file-XXXXXX";

static int make_file(const void *data, size_t len)
{
    int fd = mkstemp(path);

    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
    return fd;
}

START_TEST(test_private_copy)
{
    struct tender_error err = {0};
    char data[8192];
    size_t len = 0;
    char *copy;
    int fd;

    memset(data, 'a', sizeof(data));
    fd = make_file(data, sizeof(data));
    copy = guest_file_read(path, &len, &err);
    ck_assert_ptr_nonnull(copy);
    ck_assert_uint_eq(len, sizeof(data));
    /* Rewrite the file, then cut it short: the copy must not change. */
    memset(data, 'b', sizeof(data));
    ck_assert_int_eq(pwrite(fd, data, sizeof(data), 0), (ssize_t)sizeof(data));
    ck_assert_int_eq(ftruncate(fd, 1), 0);
    for (size_t i = 0; i < len; i++)
        ck_assert_int_eq(copy[i], 'a');
    free(copy);
    close(fd);
    unlink(path);
}
END_TEST

START_TEST(test_refusals)
{
    struct tender_error err = {0};
    size_t len;
    int fd = make_file("", 0);

    ck_assert_ptr_null(guest_file_read(path, &len, &err));
    ck_assert_ptr_nonnull(strstr(err.msg, "empty"));
    ck_assert_int_eq(ftruncate(fd, GUEST_FILE_MAX + 1), 0);
    ck_assert_ptr_null(guest_file_read(path, &len, &err));
    ck_assert_ptr_nonnull(strstr(err.msg, "larger than 256 MiB"));
    close(fd);
    unlink(path);
    ck_assert_ptr_null(guest_file_read("/", &len, &err));
    ck_assert_ptr_nonnull(strstr(err.msg, "not a regular file"));
    ck_assert_ptr_null(guest_file_read("/nonexistent/x.elf", &len, &err));
    ck_assert_ptr_nonnull(strstr(err.msg, "No such file"));
    ck_assert_int_eq(err.code, TENDER_E_ELF);
}
END_TEST

Suite *guest_file_suite(void)
{
    Suite *s = suite_create("guest_file");
    TCase *tc = tcase_create("read");

    tcase_add_test(tc, test_private_copy);
    tcase_add_test(tc, test_refusals);
    suite_add_tcase(s, tc);
    return s;
}

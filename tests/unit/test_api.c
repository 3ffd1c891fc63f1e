/*
 * libtender's public API on its error paths, none of which needs KVM:
 * a bad configuration, a missing file and a bad ELF are refused before
 * /dev/kvm is opened.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "elf_builder.h"
#include "tender.h"
#include "unit_suites.h"

START_TEST(test_create_bad_mem)
{
    static const uint64_t bad[] = {1, 3ULL << 20, 6ULL << 30, 5ULL << 19};
    struct tender_config cfg;

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct tender_error err = {0};
        struct tender_vm *vm = (struct tender_vm *)&cfg;

        memset(&cfg, 0, sizeof(cfg));
        cfg.mem_size = bad[i];
        ck_assert_int_eq(tender_vm_create(&cfg, &vm, &err), -1);
        ck_assert_ptr_null(vm);
        ck_assert_int_eq(err.code, TENDER_E_CONFIG);
        ck_assert_ptr_nonnull(strstr(err.msg, "multiple of 2 MiB"));
    }
}
END_TEST

/* More device arguments than the checks look at: refused, not half-read. */
START_TEST(test_create_too_many_dev_args)
{
    static struct tender_dev_arg args[TENDER_MAX_DEV_ARGS + 1];
    struct tender_config cfg;
    struct tender_error err = {0};
    struct tender_vm *vm = (struct tender_vm *)&cfg;

    for (size_t i = 0; i < TENDER_MAX_DEV_ARGS + 1; i++)
        args[i] = (struct tender_dev_arg){"block", NULL, "disk.img"};
    memset(&cfg, 0, sizeof(cfg));
    cfg.dev_args = args;
    cfg.n_dev_args = TENDER_MAX_DEV_ARGS + 1;
    ck_assert_int_eq(tender_vm_create(&cfg, &vm, &err), -1);
    ck_assert_ptr_null(vm);
    ck_assert_int_eq(err.code, TENDER_E_CONFIG);
    ck_assert_ptr_nonnull(strstr(err.msg, "device arguments"));
}
END_TEST

START_TEST(test_check_missing_file)
{
    struct tender_error err = {0};

    ck_assert_int_eq(tender_guest_check_file("/nonexistent/guest.elf", 0, &err),
                     -1);
    ck_assert_int_eq(err.code, TENDER_E_ELF);
    ck_assert_str_eq(err.msg,
                     "/nonexistent/guest.elf: No such file or directory");
}
END_TEST

START_TEST(test_check_directory)
{
    struct tender_error err = {0};

    ck_assert_int_eq(tender_guest_check_file("/", 0, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, "not a regular file"));
}
END_TEST

START_TEST(test_check_bad_buffer)
{
    static const char junk[] = "this is no ELF file";
    struct tender_error err = {0};

    ck_assert_int_eq(tender_guest_check_buffer(junk, sizeof(junk), 0, &err),
                     -1);
    ck_assert_int_eq(err.code, TENDER_E_ELF);
    ck_assert_str_eq(err.msg, "not an ELF file");
}
END_TEST

START_TEST(test_check_good_buffer)
{
    struct tender_error err = {0};
    struct elf_buf elf;

    elf_build_default(&elf);
    ck_assert_int_eq(tender_guest_check_buffer(elf.data, elf.size, 0, &err), 0);
    /* The same image does not fit a guest of 2 MiB? It does: 1 MiB up. */
    ck_assert_int_eq(
        tender_guest_check_buffer(elf.data, elf.size, 2 << 20, &err), 0);
    ck_assert_int_eq(
        tender_guest_check_buffer(elf.data, elf.size, 3 << 20, &err), -1);
    ck_assert_int_eq(err.code, TENDER_E_CONFIG);
    elf_buf_free(&elf);
}
END_TEST

START_TEST(test_check_bad_file)
{
    char path[] = "/tmp/tender-api-XXXXXX";
    struct tender_error err = {0};
    struct elf_buf elf;
    int fd = mkstemp(path);

    ck_assert_int_ge(fd, 0);
    elf_build_default(&elf);
    elf.data[18] = 183; /* e_machine: AArch64 */
    ck_assert_int_eq(write(fd, elf.data, elf.size), (ssize_t)elf.size);
    close(fd);
    ck_assert_int_eq(tender_guest_check_file(path, 0, &err), -1);
    ck_assert_ptr_nonnull(strstr(err.msg, path));
    ck_assert_ptr_nonnull(strstr(err.msg, "not x86_64"));
    unlink(path);
    elf_buf_free(&elf);
}
END_TEST

START_TEST(test_exit_describe)
{
    struct tender_exit e = {
        .reason = TENDER_STOP_HALT, .status = 3, .rip = 0x100000};
    char line[256];

    tender_exit_describe(&e, line, sizeof(line));
    ck_assert_str_eq(line, "guest exited with status 3");
    e.status = 255;
    tender_exit_describe(&e, line, sizeof(line));
    ck_assert_str_eq(line, "guest aborted (status 255)");
    e.reason = TENDER_STOP_TRIPLE_FAULT;
    tender_exit_describe(&e, line, sizeof(line));
    ck_assert_str_eq(line, "guest stopped: triple fault (rip=0x100000)");
    e.reason = TENDER_STOP_BAD_MMIO;
    e.detail = 0xc0000000;
    tender_exit_describe(&e, line, sizeof(line));
    ck_assert_ptr_nonnull(strstr(line, "unbacked address 0xc0000000"));
    e.reason = TENDER_STOP_BAD_RING;
    e.detail = 3ULL << 32 | 5000;
    tender_exit_describe(&e, line, sizeof(line));
    ck_assert_ptr_nonnull(strstr(line, "block ring's protocol (ent_tail"));
    e.detail = 2ULL << 32;
    tender_exit_describe(&e, line, sizeof(line));
    ck_assert_ptr_nonnull(strstr(line, "network ring's protocol (com_head"));
}
END_TEST

/* docs/exit-status.md's table, which tender and tender-oci share. */
START_TEST(test_exit_status)
{
    struct tender_exit e = {.reason = TENDER_STOP_HALT, .status = 7};

    ck_assert_int_eq(tender_exit_status(&e, 246), 7);
    e.status = 255;
    ck_assert_int_eq(tender_exit_status(&e, 246), 255);
    e.reason = TENDER_STOP_BAD_HYPERCALL;
    ck_assert_int_eq(tender_exit_status(&e, 246), 241);
    e.reason = TENDER_STOP_BAD_RING;
    ck_assert_int_eq(tender_exit_status(&e, 246), 241);
    e.reason = TENDER_STOP_BAD_MMIO;
    ck_assert_int_eq(tender_exit_status(&e, 246), 242);
    e.reason = TENDER_STOP_TRIPLE_FAULT;
    ck_assert_int_eq(tender_exit_status(&e, 246), 243);
    e.reason = TENDER_STOP_MEM_FAULT;
    ck_assert_int_eq(tender_exit_status(&e, 246), 244);
    e.reason = TENDER_STOP_KVM_ERROR;
    ck_assert_int_eq(tender_exit_status(&e, 246), 245);
    e.reason = TENDER_STOP_REQUESTED;
    ck_assert_int_eq(tender_exit_status(&e, 246), 246);
    ck_assert_int_eq(tender_exit_status(&e, 143), 143);
    e.reason = TENDER_STOP_DEBUGGER;
    ck_assert_int_eq(tender_exit_status(&e, 137), 137);
}
END_TEST

Suite *api_suite(void)
{
    Suite *s = suite_create("api");
    TCase *tc = tcase_create("errors");

    tcase_add_test(tc, test_create_bad_mem);
    tcase_add_test(tc, test_create_too_many_dev_args);
    tcase_add_test(tc, test_check_missing_file);
    tcase_add_test(tc, test_check_directory);
    tcase_add_test(tc, test_check_bad_buffer);
    tcase_add_test(tc, test_check_good_buffer);
    tcase_add_test(tc, test_check_bad_file);
    tcase_add_test(tc, test_exit_describe);
    tcase_add_test(tc, test_exit_status);
    suite_add_tcase(s, tc);
    return s;
}

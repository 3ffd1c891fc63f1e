/* The MFT1 manifest validator and lookup. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf_builder.h"
#include "manifest.h"
#include "unit_suites.h"

/* A descriptor under test: malloc'd at its exact size for ASan. */
struct mft_buf {
    uint8_t *data;
    size_t size;
};

static struct mft_buf mft_from(const struct hvt_mft_entry *devs, uint32_t n)
{
    struct mft_buf m;

    m.data = eb_mft_build(devs, n, &m.size);
    return m;
}

static struct mft_buf mft_with_net_and_block(void)
{
    struct hvt_mft_entry devs[2] = {
        eb_mft_entry("net0", HVT_MFT_DEV_NET_BASIC),
        eb_mft_entry("blk0", HVT_MFT_DEV_BLOCK_BASIC)};

    return mft_from(devs, 2);
}

static struct hvt_mft *as_mft(struct mft_buf *m)
{
    return (struct hvt_mft *)m->data;
}

/* Change the descriptor's size, reallocating to keep the bound exact. */
static void mft_resize(struct mft_buf *m, size_t size)
{
    uint8_t *data = calloc(1, size);

    ck_assert_ptr_nonnull(data);
    memcpy(data, m->data, size < m->size ? size : m->size);
    free(m->data);
    m->data = data;
    m->size = size;
}

static void expect_ok(struct mft_buf *m)
{
    struct tender_error err = {0};
    int rc = manifest_validate(m->data, m->size, &err);

    ck_assert_msg(rc == 0, "valid manifest refused: %s", err.msg);
}

static void expect_refused(struct mft_buf *m, const char *expect)
{
    struct tender_error err = {0};
    int rc = manifest_validate(m->data, m->size, &err);

    ck_assert_msg(rc != 0, "manifest accepted, expected \"%s\"", expect);
    ck_assert_int_eq(err.code, TENDER_E_ELF);
    ck_assert_msg(strstr(err.msg, expect) != NULL,
                  "message \"%s\" lacks \"%s\"", err.msg, expect);
    free(m->data);
}

START_TEST(test_only_reserved)
{
    struct mft_buf m = mft_from(NULL, 0);

    ck_assert_uint_eq(m.size, 8 + 104);
    expect_ok(&m);
    free(m.data);
}
END_TEST

START_TEST(test_63_devices)
{
    struct hvt_mft_entry devs[HVT_MFT_MAX_ENTRIES - 1];
    struct mft_buf m;
    char name[16];

    for (uint32_t i = 0; i < HVT_MFT_MAX_ENTRIES - 1; i++) {
        snprintf(name, sizeof(name), "dev%u", i);
        devs[i] = eb_mft_entry(name, i % 2 ? HVT_MFT_DEV_NET_BASIC
                                           : HVT_MFT_DEV_BLOCK_BASIC);
    }
    m = mft_from(devs, HVT_MFT_MAX_ENTRIES - 1);
    ck_assert_uint_eq(as_mft(&m)->entries, 64);
    expect_ok(&m);
    ck_assert_ptr_eq(manifest_find(as_mft(&m), "dev62"), &as_mft(&m)->e[63]);
    free(m.data);
}
END_TEST

/* Device info in the file is the guest's business, not refused. */
START_TEST(test_net_and_block_with_info)
{
    struct mft_buf m = mft_with_net_and_block();
    struct hvt_mft *mft = as_mft(&m);

    mft->e[1].u.net_basic.mtu = 1500;
    mft->e[1].u.net_basic.mac[0] = 0x02;
    mft->e[2].u.block_basic.capacity = 1 << 20;
    mft->e[2].u.block_basic.block_size = 512;
    expect_ok(&m);
    free(m.data);
}
END_TEST

START_TEST(test_name_of_67_chars)
{
    struct mft_buf m = mft_with_net_and_block();

    memset(as_mft(&m)->e[1].name, 'n', HVT_MFT_NAME_MAX);
    expect_ok(&m);
    free(m.data);
}
END_TEST

START_TEST(test_find)
{
    struct mft_buf m = mft_with_net_and_block();
    struct hvt_mft *mft = as_mft(&m);

    expect_ok(&m);
    ck_assert_ptr_eq(manifest_find(mft, "net0"), &mft->e[1]);
    ck_assert_ptr_eq(manifest_find(mft, "blk0"), &mft->e[2]);
    ck_assert_ptr_null(manifest_find(mft, "net1"));
    ck_assert_ptr_null(manifest_find(mft, "net"));
    /* The reserved entry has the empty name but is no device. */
    ck_assert_ptr_null(manifest_find(mft, ""));
    free(m.data);
}
END_TEST

START_TEST(test_version_2)
{
    struct mft_buf m = mft_from(NULL, 0);

    as_mft(&m)->version = 2;
    expect_refused(&m, "version 2");
}
END_TEST

START_TEST(test_zero_entries)
{
    struct mft_buf m = mft_from(NULL, 0);

    as_mft(&m)->entries = 0;
    mft_resize(&m, 8);
    expect_refused(&m, "0 entries");
}
END_TEST

START_TEST(test_65_entries)
{
    struct hvt_mft_entry devs[HVT_MFT_MAX_ENTRIES];
    char name[16];

    for (uint32_t i = 0; i < HVT_MFT_MAX_ENTRIES; i++) {
        snprintf(name, sizeof(name), "d%u", i);
        devs[i] = eb_mft_entry(name, HVT_MFT_DEV_BLOCK_BASIC);
    }
    struct mft_buf m = mft_from(devs, HVT_MFT_MAX_ENTRIES);
    expect_refused(&m, "65 entries");
}
END_TEST

/* An entry count whose size would overflow 32-bit arithmetic. */
START_TEST(test_huge_entry_count)
{
    struct mft_buf m = mft_from(NULL, 0);

    as_mft(&m)->entries = UINT32_MAX;
    expect_refused(&m, "4294967295 entries");
}
END_TEST

/* Sizes that are not 8 + 104 * entries, around one entry of two. */
static const long size_deltas[] = {1, -1, 104, -104, 4};

START_TEST(test_size_mismatch)
{
    struct mft_buf m = mft_with_net_and_block();

    mft_resize(&m, (size_t)((long)m.size + size_deltas[_i]));
    expect_refused(&m, "does not match its 3 entries");
}
END_TEST

START_TEST(test_entry0_not_reserved)
{
    struct mft_buf m = mft_with_net_and_block();

    as_mft(&m)->e[0].type = HVT_MFT_DEV_NET_BASIC;
    expect_refused(&m, "entry 0 is not the reserved entry");
}
END_TEST

START_TEST(test_entry0_named)
{
    struct mft_buf m = mft_with_net_and_block();

    strcpy(as_mft(&m)->e[0].name, "x");
    expect_refused(&m, "entry 0 is not the reserved entry");
}
END_TEST

START_TEST(test_empty_device_name)
{
    struct mft_buf m = mft_with_net_and_block();

    memset(as_mft(&m)->e[2].name, 0, HVT_MFT_NAME_SIZE);
    expect_refused(&m, "entry 2 has an invalid name");
}
END_TEST

static const char *const bad_names[] = {
    "net-0", "net.0", "net 0", "net_0", "caf\xc3\xa9", "-", "\t"};

START_TEST(test_bad_name_chars)
{
    struct mft_buf m = mft_with_net_and_block();

    strcpy(as_mft(&m)->e[1].name, bad_names[_i]);
    expect_refused(&m, "entry 1 has an invalid name");
}
END_TEST

START_TEST(test_name_without_nul)
{
    struct mft_buf m = mft_with_net_and_block();

    memset(as_mft(&m)->e[1].name, 'n', HVT_MFT_NAME_SIZE);
    expect_refused(&m, "entry 1 has an invalid name");
}
END_TEST

/* Byte 67 must be 0 even when an earlier NUL ends the name. */
START_TEST(test_byte_67_set_after_nul)
{
    struct mft_buf m = mft_with_net_and_block();

    as_mft(&m)->e[1].name[HVT_MFT_NAME_MAX] = 'x';
    expect_refused(&m, "entry 1 has an invalid name");
}
END_TEST

START_TEST(test_unknown_type)
{
    struct mft_buf m = mft_with_net_and_block();

    as_mft(&m)->e[2].type = 3;
    expect_refused(&m, "entry 2 (blk0) has unknown type 3");
}
END_TEST

START_TEST(test_reserved_type_later)
{
    struct mft_buf m = mft_with_net_and_block();

    as_mft(&m)->e[1].type = HVT_MFT_RESERVED_FIRST;
    expect_refused(&m, "unknown type 1073741824");
}
END_TEST

static const uint32_t attached_index[] = {0, 1, 2};

START_TEST(test_attached_in_file)
{
    struct mft_buf m = mft_with_net_and_block();
    char expect[64];

    as_mft(&m)->e[attached_index[_i]].attached = 1;
    snprintf(expect, sizeof(expect), "entry %u is marked attached",
             attached_index[_i]);
    expect_refused(&m, expect);
}
END_TEST

START_TEST(test_duplicate_names)
{
    struct hvt_mft_entry devs[3] = {
        eb_mft_entry("net0", HVT_MFT_DEV_NET_BASIC),
        eb_mft_entry("blk0", HVT_MFT_DEV_BLOCK_BASIC),
        eb_mft_entry("net0", HVT_MFT_DEV_BLOCK_BASIC)};
    struct mft_buf m = mft_from(devs, 3);

    expect_refused(&m, "declares device net0 twice");
}
END_TEST

static const size_t truncated_sizes[] = {0, 1, 7};

START_TEST(test_truncated)
{
    struct mft_buf m = mft_from(NULL, 0);

    mft_resize(&m, truncated_sizes[_i]);
    expect_refused(&m, "truncated");
}
END_TEST

Suite *manifest_suite(void)
{
    Suite *s = suite_create("manifest");
    TCase *valid = tcase_create("valid");
    TCase *bad = tcase_create("refused");

    tcase_add_test(valid, test_only_reserved);
    tcase_add_test(valid, test_63_devices);
    tcase_add_test(valid, test_net_and_block_with_info);
    tcase_add_test(valid, test_name_of_67_chars);
    tcase_add_test(valid, test_find);
    tcase_add_test(bad, test_version_2);
    tcase_add_test(bad, test_zero_entries);
    tcase_add_test(bad, test_65_entries);
    tcase_add_test(bad, test_huge_entry_count);
    tcase_add_loop_test(bad, test_size_mismatch, 0,
                        sizeof(size_deltas) / sizeof(size_deltas[0]));
    tcase_add_test(bad, test_entry0_not_reserved);
    tcase_add_test(bad, test_entry0_named);
    tcase_add_test(bad, test_empty_device_name);
    tcase_add_loop_test(bad, test_bad_name_chars, 0,
                        sizeof(bad_names) / sizeof(bad_names[0]));
    tcase_add_test(bad, test_name_without_nul);
    tcase_add_test(bad, test_byte_67_set_after_nul);
    tcase_add_test(bad, test_unknown_type);
    tcase_add_test(bad, test_reserved_type_later);
    tcase_add_loop_test(bad, test_attached_in_file, 0,
                        sizeof(attached_index) / sizeof(attached_index[0]));
    tcase_add_test(bad, test_duplicate_names);
    tcase_add_loop_test(bad, test_truncated, 0,
                        sizeof(truncated_sizes) / sizeof(truncated_sizes[0]));
    suite_add_tcase(s, valid);
    suite_add_tcase(s, bad);
    return s;
}

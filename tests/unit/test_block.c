/*
 * The block module without KVM: its option checks and its hypercall
 * handlers, on a hand-made VM whose "guest memory" is a heap buffer and
 * whose disks are temporary files.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "module.h"
#include "unit_suites.h"

#define MEM_SIZE (1ULL << 20)
#define DISK_SIZE 8192
#define MAX_ENTRIES 4

/* A VM as attach sees it: a manifest, options and guest memory. */
struct fake_vm {
    struct tender_vm *vm;
    struct hvt_mft *mft;
    struct tender_dev_arg args[8];
    void *state;
    struct tender_error err;
    char disk[64];
};

static void add_entry(struct fake_vm *f, const char *name, uint32_t type)
{
    struct hvt_mft_entry *e = &f->mft->e[f->mft->entries++];

    strcpy(e->name, name);
    e->type = type;
}

/* A VM with the manifest "disk" (block) and "net" (net). */
static void fake_vm_init(struct fake_vm *f)
{
    int fd;

    memset(f, 0, sizeof(*f));
    f->vm = calloc(1, sizeof(*f->vm));
    f->mft =
        calloc(1, sizeof(*f->mft) + MAX_ENTRIES * sizeof(struct hvt_mft_entry));
    ck_assert(f->vm != NULL && f->mft != NULL);
    f->vm->mem.base = calloc(1, MEM_SIZE);
    f->vm->mem.size = MEM_SIZE;
    f->vm->mft = f->mft;
    f->vm->dev_args = f->args;
    f->mft->version = HVT_MFT_VERSION;
    add_entry(f, "", HVT_MFT_RESERVED_FIRST);
    add_entry(f, "disk", HVT_MFT_DEV_BLOCK_BASIC);
    add_entry(f, "net", HVT_MFT_DEV_NET_BASIC);
    strcpy(f->disk, "/tmp/tender-block-test.XXXXXX");
    fd = mkstemp(f->disk);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(ftruncate(fd, DISK_SIZE), 0);
    close(fd);
}

static void fake_vm_free(struct fake_vm *f)
{
    if (f->state != NULL)
        tender_module_block.detach(f->vm, f->state);
    unlink(f->disk);
    free(f->vm->mem.base);
    free(f->vm);
    free(f->mft);
}

static void add_arg(struct fake_vm *f, const char *key, const char *name,
                    const char *value)
{
    struct tender_dev_arg *a = &f->args[f->vm->n_dev_args++];

    a->key = key;
    a->name = name;
    a->value = value;
}

static int attach(struct fake_vm *f)
{
    return tender_module_block.attach(f->vm, &f->state, &f->err);
}

static void expect_refused(struct fake_vm *f, const char *text)
{
    ck_assert_int_eq(attach(f), -1);
    ck_assert_msg(strstr(f->err.msg, text) != NULL, "'%s' lacks '%s'",
                  f->err.msg, text);
}

START_TEST(test_attach)
{
    struct fake_vm f;

    fake_vm_init(&f);
    add_arg(&f, "block", NULL, f.disk);
    ck_assert_int_eq(attach(&f), 0);
    ck_assert_int_eq(f.mft->e[1].attached, 1);
    ck_assert_uint_eq(f.mft->e[1].u.block_basic.capacity, DISK_SIZE);
    ck_assert_uint_eq(f.mft->e[1].u.block_basic.block_size, 512);
    ck_assert_int_eq(f.mft->e[2].attached, 0);
    ck_assert(f.vm->host_features & TENDER_FEATURE_BLOCK_FLUSH);
    ck_assert(f.vm->hc[HVT_HYPERCALL_BLOCK_FLUSH].fn != NULL);
    ck_assert_int_eq(f.vm->n_sandbox_fds, 1);
    fake_vm_free(&f);
}
END_TEST

START_TEST(test_sector_size)
{
    struct fake_vm f;

    fake_vm_init(&f);
    add_arg(&f, "block", "disk", f.disk);
    add_arg(&f, "block-sector-size", "disk", "4096");
    ck_assert_int_eq(attach(&f), 0);
    ck_assert_uint_eq(f.mft->e[1].u.block_basic.block_size, 4096);
    fake_vm_free(&f);
}
END_TEST

static const struct {
    const char *key, *name, *value; /* value NULL: the disk's path */
    const char *error;
} refused[] = {
    {"block", NULL, "/nonexistent/disk.img", "No such file or directory"},
    {"block", NULL, "/tmp", "Is a directory"},
    {"block", NULL, "/dev/null", "not a regular file or block device"},
    {"block", "nosuch", NULL, "the guest declares no device 'nosuch'"},
    {"block", "net", NULL, "'net' is a network device, not a block device"},
    {"block-sector-size", NULL, "1000", "power of two from 512 to 32768"},
    {"block-sector-size", NULL, "256", "power of two from 512 to 32768"},
    {"block-sector-size", NULL, "65536", "power of two from 512 to 32768"},
    {"block-sector-size", NULL, "", "power of two from 512 to 32768"},
    {"block-sector-size", NULL, "512x", "power of two from 512 to 32768"},
    {"block-sector-size", NULL, "99999999999999999999999", "power of two"},
    {"block-sector-size", NULL, "16384", "not a whole, non-zero number"},
    {"block", NULL, NULL, "device 'disk' already has a --block option"},
    {"block", "disk", NULL, "device 'disk' already has a --block option"},
};

/* Each bad option after a good --block=DISK. */
START_TEST(test_refused)
{
    struct fake_vm f;
    const char *value;

    fake_vm_init(&f);
    add_arg(&f, "block", NULL, f.disk);
    value = refused[_i].value != NULL ? refused[_i].value : f.disk;
    if (strcmp(refused[_i].key, "block") == 0 && refused[_i].name == NULL &&
        refused[_i].value != NULL)
        f.args[0].value = value; /* replace the disk itself */
    else
        add_arg(&f, refused[_i].key, refused[_i].name, value);
    expect_refused(&f, refused[_i].error);
    fake_vm_free(&f);
}
END_TEST

START_TEST(test_refused_manifests)
{
    struct fake_vm f;

    fake_vm_init(&f);
    expect_refused(&f, "no disk is given (use --block:disk=PATH)");
    fake_vm_free(&f);

    fake_vm_init(&f);
    add_entry(&f, "other", HVT_MFT_DEV_BLOCK_BASIC);
    add_arg(&f, "block", NULL, f.disk);
    expect_refused(&f, "the guest declares 2 block devices");
    fake_vm_free(&f);

    fake_vm_init(&f);
    f.mft->entries = 1;
    add_arg(&f, "block", NULL, f.disk);
    expect_refused(&f, "the guest declares no block device");
    fake_vm_free(&f);

    /* One file for two devices: the second cannot take the lock. */
    fake_vm_init(&f);
    add_entry(&f, "other", HVT_MFT_DEV_BLOCK_BASIC);
    add_arg(&f, "block", "disk", f.disk);
    add_arg(&f, "block", "other", f.disk);
    expect_refused(&f, "is in use");
    fake_vm_free(&f);
}
END_TEST

/* A hypercall as the vCPU loop makes it: on a private copy of the struct. */
static int32_t block_call(struct fake_vm *f, unsigned nr, uint64_t handle,
                          uint64_t offset, uint64_t gpa, uint64_t len)
{
    struct hvt_hc_block_read arg = {handle, offset, gpa, len, -1, 0};
    const struct hc_entry *hc = &f->vm->hc[nr];

    ck_assert_int_eq(hc->fn(f->vm, &arg, hc->ctx), HC_CONTINUE);
    return arg.ret;
}

static int32_t flush_call(struct fake_vm *f, uint64_t handle)
{
    struct hvt_hc_block_flush arg = {handle, -1, 0};
    const struct hc_entry *hc = &f->vm->hc[HVT_HYPERCALL_BLOCK_FLUSH];

    ck_assert_int_eq(hc->fn(f->vm, &arg, hc->ctx), HC_CONTINUE);
    return arg.ret;
}

static const struct {
    uint64_t handle, offset, gpa, len;
} bad_requests[] = {
    {0, 0, 0x1000, 512},                 /* the reserved entry */
    {2, 0, 0x1000, 512},                 /* the network device */
    {3, 0, 0x1000, 512},                 /* past the manifest */
    {64, 0, 0x1000, 512},                /* past any manifest */
    {UINT64_MAX, 0, 0x1000, 512},        /* far past */
    {1, 0, 0x1000, 0},                   /* zero length */
    {1, 1, 0x1000, 512},                 /* misaligned offset */
    {1, 0, 0x1000, 100},                 /* a partial sector */
    {1, 0, 0x1000, 513},                 /* a sector and a byte */
    {1, DISK_SIZE, 0x1000, 512},         /* at the end */
    {1, DISK_SIZE - 512, 0x1000, 1024},  /* across the end */
    {1, UINT64_MAX - 511, 0x1000, 1024}, /* offset + len overflows */
    {1, 512, 0x1000, UINT64_MAX - 511},  /* wraps to exactly 0 */
    {1, 0, MEM_SIZE - 256, 512},         /* buffer across the end of memory */
    {1, 0, MEM_SIZE, 512},               /* buffer past memory */
    {1, 0, UINT64_MAX - 255, 512},       /* buffer address wraps */
};

static void read_disk(const char *path, uint8_t *buf)
{
    FILE *fp = fopen(path, "rb");

    ck_assert(fp != NULL);
    ck_assert_uint_eq(fread(buf, 1, DISK_SIZE, fp), DISK_SIZE);
    fclose(fp);
}

START_TEST(test_bad_requests)
{
    static uint8_t before[DISK_SIZE], after[DISK_SIZE];
    struct fake_vm f;

    fake_vm_init(&f);
    add_arg(&f, "block", NULL, f.disk);
    ck_assert_int_eq(attach(&f), 0);
    memset(f.vm->mem.base, 0x5a, MEM_SIZE);
    read_disk(f.disk, before);
    ck_assert_int_eq(block_call(&f, HVT_HYPERCALL_BLOCK_WRITE,
                                bad_requests[_i].handle,
                                bad_requests[_i].offset, bad_requests[_i].gpa,
                                bad_requests[_i].len),
                     HVT_EINVAL);
    ck_assert_int_eq(block_call(&f, HVT_HYPERCALL_BLOCK_READ,
                                bad_requests[_i].handle,
                                bad_requests[_i].offset, bad_requests[_i].gpa,
                                bad_requests[_i].len),
                     HVT_EINVAL);
    read_disk(f.disk, after);
    ck_assert_mem_eq(before, after, DISK_SIZE);
    fake_vm_free(&f);
}
END_TEST

START_TEST(test_io)
{
    static uint8_t disk[DISK_SIZE];
    struct fake_vm f;
    uint8_t *mem;

    fake_vm_init(&f);
    add_arg(&f, "block", NULL, f.disk);
    ck_assert_int_eq(attach(&f), 0);
    mem = f.vm->mem.base;
    for (int i = 0; i < DISK_SIZE; i++)
        mem[0x2000 + i] = (uint8_t)(i * 13 + 7);
    /* The whole disk in one request, then its last sector alone. */
    ck_assert_int_eq(
        block_call(&f, HVT_HYPERCALL_BLOCK_WRITE, 1, 0, 0x2000, DISK_SIZE),
        HVT_OK);
    ck_assert_int_eq(flush_call(&f, 1), HVT_OK);
    read_disk(f.disk, disk);
    ck_assert_mem_eq(disk, mem + 0x2000, DISK_SIZE);
    ck_assert_int_eq(block_call(&f, HVT_HYPERCALL_BLOCK_READ, 1,
                                DISK_SIZE - 512, 0x10000, 512),
                     HVT_OK);
    ck_assert_mem_eq(mem + 0x10000, disk + DISK_SIZE - 512, 512);
    ck_assert_int_eq(flush_call(&f, 0), HVT_EINVAL);
    ck_assert_int_eq(flush_call(&f, 2), HVT_EINVAL);
    ck_assert_int_eq(flush_call(&f, UINT64_MAX), HVT_EINVAL);
    fake_vm_free(&f);
}
END_TEST

/* The handlers trust their own records, not the guest's manifest copy. */
START_TEST(test_manifest_changed_by_guest)
{
    struct fake_vm f;

    fake_vm_init(&f);
    add_arg(&f, "block", NULL, f.disk);
    ck_assert_int_eq(attach(&f), 0);
    f.mft->e[1].u.block_basic.capacity = UINT64_MAX;
    f.mft->e[1].u.block_basic.block_size = 1;
    f.mft->e[2].type = HVT_MFT_DEV_BLOCK_BASIC;
    ck_assert_int_eq(
        block_call(&f, HVT_HYPERCALL_BLOCK_READ, 1, DISK_SIZE, 0x1000, 512),
        HVT_EINVAL);
    ck_assert_int_eq(
        block_call(&f, HVT_HYPERCALL_BLOCK_READ, 1, 1, 0x1000, 512),
        HVT_EINVAL);
    ck_assert_int_eq(
        block_call(&f, HVT_HYPERCALL_BLOCK_READ, 2, 0, 0x1000, 512),
        HVT_EINVAL);
    fake_vm_free(&f);
}
END_TEST

Suite *block_suite(void)
{
    Suite *s = suite_create("block");
    TCase *tc = tcase_create("block_file");

    tcase_add_test(tc, test_attach);
    tcase_add_test(tc, test_sector_size);
    tcase_add_loop_test(tc, test_refused, 0,
                        sizeof(refused) / sizeof(refused[0]));
    tcase_add_test(tc, test_refused_manifests);
    tcase_add_loop_test(tc, test_bad_requests, 0,
                        sizeof(bad_requests) / sizeof(bad_requests[0]));
    tcase_add_test(tc, test_io);
    tcase_add_test(tc, test_manifest_changed_by_guest);
    suite_add_tcase(s, tc);
    return s;
}

/* config.json (runtime/spec.c) and the image contract (runtime/image.c),
 * on bundles made in a temporary directory: no KVM needed. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elf_builder.h"
#include "image.h"
#include "oci_suites.h"
#include "spec.h"

static char dir[64];

static int load(const char *json, struct spec *s, char *err)
{
    return spec_parse(json, strlen(json), s, err, 512);
}

START_TEST(test_spec_fields)
{
    struct spec s;
    char err[512];

    ck_assert_int_eq(
        load("{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"},"
             "\"process\":{\"terminal\":true,\"args\":[\"/a.elf\",\"x\"],"
             "\"env\":[\"TENDER_MEM=64\",\"A=b=c\"]},\"hostname\":\"h\","
             "\"mounts\":[{\"destination\":\"/data\",\"source\":\"/srv\","
             "\"type\":\"bind\"}],\"annotations\":{\"k\":\"v\"},"
             "\"linux\":{\"cgroupsPath\":\"/x/y\",\"namespaces\":[{\"type\":"
             "\"pid\"},{\"type\":\"network\",\"path\":\"/run/netns/n\"}],"
             "\"resources\":{\"memory\":{\"limit\":1048576},\"cpu\":{"
             "\"quota\":5000,\"period\":10000},\"pids\":{\"limit\":4}}}}",
             &s, err),
        0);
    ck_assert_str_eq(s.root_path, "rootfs");
    ck_assert_int_eq(s.terminal, 1);
    ck_assert_int_eq(s.n_args, 2);
    ck_assert_str_eq(s.args[1], "x");
    ck_assert_ptr_null(s.args[2]);
    ck_assert_str_eq(spec_env(&s, "TENDER_MEM"), "64");
    ck_assert_str_eq(spec_env(&s, "A"), "b=c");
    ck_assert_ptr_null(spec_env(&s, "TENDER"));
    ck_assert_str_eq(spec_annotation(&s, "k"), "v");
    ck_assert_str_eq(s.mounts[0].source, "/srv");
    ck_assert_str_eq(s.cgroups_path, "/x/y");
    ck_assert_int_eq(s.has_netns, 1);
    ck_assert_str_eq(s.netns_path, "/run/netns/n");
    ck_assert(s.memory_limit == 1048576 && s.cpu_quota == 5000 &&
              s.cpu_period == 10000 && s.pids_limit == 4);
    spec_free(&s);
    ck_assert_int_eq(
        load("{\"ociVersion\":\"1.0.0\",\"root\":{\"path\":\"/r\"},"
             "\"process\":{\"args\":[\"a\"]}}",
             &s, err),
        0);
    ck_assert(s.memory_limit == -1 && s.pids_limit == -1 && !s.has_netns);
    spec_free(&s);
}
END_TEST

static const struct {
    const char *json, *msg;
} bad_specs[] = {
    {"[]", "not a JSON object"},
    {"{\"root\":{\"path\":\"r\"},\"process\":{\"args\":[\"a\"]}}",
     "no ociVersion"},
    {"{\"ociVersion\":\"2.0\",\"root\":{\"path\":\"r\"}}", "not 1.x"},
    {"{\"ociVersion\":\"1.0\",\"process\":{\"args\":[\"a\"]}}", "no root.path"},
    {"{\"ociVersion\":\"1.0\",\"root\":{\"path\":\"r\"}}", "no process"},
    {"{\"ociVersion\":\"1.0\",\"root\":{\"path\":\"r\"},\"process\":{}}",
     "process.args is empty"},
    {"{\"ociVersion\":\"1.0\",\"root\":{\"path\":\"r\"},\"process\":{"
     "\"args\":[\"a\",3]}}",
     "process.args[1] is not a string"},
    {"{\"ociVersion\":\"1.0\",\"root\":{\"path\":\"r\"},\"process\":{"
     "\"args\":[\"a\"]},\"annotations\":{\"k\":1}}",
     "annotation's value is not a string"},
    {"{\"ociVersion\":\"1.0\",\"root\":{\"path\":\"r\"},\"process\":{"
     "\"args\":[\"a\"]},\"linux\":{\"resources\":{\"memory\":{\"limit\":"
     "1.5}}}}",
     "memory.limit is not an integer"},
    {"{\"ociVersion\":\"1.0\",",
     "config.json: expected a member name at byte 20"},
};

START_TEST(test_spec_bad)
{
    struct spec s;
    char err[512] = "";

    ck_assert_int_eq(load(bad_specs[_i].json, &s, err), -1);
    ck_assert_msg(strstr(err, bad_specs[_i].msg) != NULL, "'%s' lacks '%s'",
                  err, bad_specs[_i].msg);
}
END_TEST

static void put(const char *name, const void *data, size_t len)
{
    char path[256];
    FILE *f;

    snprintf(path, sizeof(path), "%s/rootfs/%s", dir, name);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fwrite(data, 1, len, f), len);
    fclose(f);
}

static void setup(void)
{
    struct elf_buf elf;
    char path[128];

    snprintf(dir, sizeof(dir), "/tmp/oci-unit.XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/rootfs", dir);
    ck_assert_int_eq(mkdir(path, 0755), 0);
    elf_build_default(&elf);
    put("app.elf", elf.data, elf.size);
    elf_buf_free(&elf);
    put("text", "hello\n", 6);
    put("disk.img", "\0\0\0\0", 4);
    snprintf(path, sizeof(path), "%s/rootfs/escape", dir);
    ck_assert_int_eq(symlink("/etc", path), 0);
}

static void teardown(void)
{
    char cmd[128];

    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
}

/* Resolve a bundle of the given args and extra config; rc, err. */
static int resolve(const char *args, const char *extra, struct image *img,
                   char *err)
{
    char json[2048];
    struct spec s;
    int rc;

    snprintf(json, sizeof(json),
             "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"},"
             "\"process\":{\"args\":%s,\"env\":[\"TENDER_MEM=8\"]}%s}",
             args, extra);
    ck_assert_int_eq(load(json, &s, err), 0);
    rc = image_resolve(dir, &s, img, err, 512);
    spec_free(&s);
    return rc;
}

START_TEST(test_image_good)
{
    static struct image img;
    char err[512] = "", want[256];

    ck_assert_msg(resolve("[\"/app.elf\"]",
                          ",\"annotations\":{\"org.tender.block\":"
                          "\"data=disk.img,/disk.img\",\"org.tender.net\":"
                          "\"service\",\"org.tender.net.interface\":\"eth1\","
                          "\"io.other\":\"x\"}",
                          &img, err) == 0,
                  "%s", err);
    snprintf(want, sizeof(want), "%s/rootfs/app.elf", dir);
    ck_assert_str_eq(img.elf, want);
    ck_assert_int_eq(img.mem_mib, 8); /* from the env */
    ck_assert_int_eq(img.n_blocks, 2);
    ck_assert_str_eq(img.blocks[0].name, "data");
    ck_assert_str_eq(img.blocks[1].name, "");
    ck_assert_int_eq(img.net, 1);
    ck_assert_str_eq(img.net_dev, "service");
    ck_assert_str_eq(img.net_iface, "eth1");
    /* The annotation overrides the environment. */
    ck_assert_int_eq(resolve("[\"app.elf\"]",
                             ",\"annotations\":{\"org.tender.mem\":\"64\"}",
                             &img, err),
                     0);
    ck_assert_int_eq(img.mem_mib, 64);
    ck_assert_int_eq(img.net, 0);
}
END_TEST

static const struct {
    const char *args, *extra, *msg;
} bad_images[] = {
    {"[\"/missing.elf\"]", "",
     "process.args[0] /missing.elf: No such file or directory"},
    {"[\"/text\"]", "",
     "process.args[0] /text is not an hvt unikernel tender can run"},
    {"[\"/../app.elf\"]", "", "'..' is not allowed"},
    {"[\"/escape/hostname\"]", "", "leads out of the root filesystem"},
    {"[\"/app.elf\"]", ",\"annotations\":{\"org.tender.memory\":\"1\"}",
     "annotation org.tender.memory: unknown"},
    {"[\"/app.elf\"]", ",\"annotations\":{\"org.tender.mem\":\"1\"}",
     "'1': not a number of MiB from 2 to 4096"},
    {"[\"/app.elf\"]", ",\"annotations\":{\"org.tender.mem\":\"4097\"}",
     "not a number of MiB"},
    {"[\"/app.elf\"]", ",\"annotations\":{\"org.tender.block\":\"/no.img\"}",
     "block device /no.img: No such file or directory"},
    {"[\"/app.elf\"]", ",\"annotations\":{\"org.tender.block\":\"=disk.img\"}",
     "bad device name"},
    {"[\"/app.elf\"]", ",\"annotations\":{\"org.tender.net\":\"a b\"}",
     "not none, default or a device name"},
    {"[\"/app.elf\"]",
     ",\"annotations\":{\"org.tender.net\":\"default\","
     "\"org.tender.net.interface\":\"a/b\"}",
     "not an interface name"},
};

START_TEST(test_image_bad)
{
    static struct image img;
    char err[512] = "";

    ck_assert_int_eq(
        resolve(bad_images[_i].args, bad_images[_i].extra, &img, err), -1);
    ck_assert_msg(strstr(err, bad_images[_i].msg) != NULL, "'%s' lacks '%s'",
                  err, bad_images[_i].msg);
}
END_TEST

START_TEST(test_pod_sandbox)
{
    static struct image img;
    char err[512] = "";

    /* pause is no unikernel, and need not be one. */
    ck_assert_msg(resolve("[\"/pause\"]",
                          ",\"annotations\":{\"io.kubernetes.cri."
                          "container-type\":\"sandbox\"}",
                          &img, err) == 0,
                  "%s", err);
    ck_assert_int_eq(img.pod_sandbox, 1);
    ck_assert_int_eq(resolve("[\"/pause\"]",
                             ",\"annotations\":{\"io.kubernetes.cri."
                             "container-type\":\"container\"}",
                             &img, err),
                     -1);
}
END_TEST

START_TEST(test_block_through_mount)
{
    static struct image img;
    char err[512] = "", extra[512], want[256];

    snprintf(extra, sizeof(extra),
             ",\"mounts\":[{\"destination\":\"/data\",\"source\":"
             "\"%s/rootfs\",\"type\":\"bind\"}],\"annotations\":{"
             "\"org.tender.block\":\"/data/disk.img\"}",
             dir);
    ck_assert_msg(resolve("[\"/app.elf\"]", extra, &img, err) == 0, "%s", err);
    snprintf(want, sizeof(want), "%s/rootfs/disk.img", dir);
    ck_assert_str_eq(img.blocks[0].path, want);
}
END_TEST

START_TEST(test_guest_args)
{
    struct image_net_info net = {"10.88.0.2", "10.88.0.1", "02:00:00:00:00:01",
                                 16, 1400};
    const char *json = "{\"ociVersion\":\"1.0\",\"root\":{\"path\":\"r\"},"
                       "\"process\":{\"args\":[\"/a.elf\",\"{ip}\",\"{cidr}"
                       "\",\"gw={gateway}\",\"{mtu}{mac}\",\"{prefix}\","
                       "\"{nope}\",\"{ip\"]}}";
    struct spec s;
    char err[512], **argv;
    int argc;

    ck_assert_int_eq(load(json, &s, err), 0);
    argv = image_guest_args(&s, &net, &argc, err, sizeof(err));
    ck_assert_ptr_nonnull(argv);
    ck_assert_int_eq(argc, 7);
    ck_assert_str_eq(argv[0], "10.88.0.2");
    ck_assert_str_eq(argv[1], "10.88.0.2/16");
    ck_assert_str_eq(argv[2], "gw=10.88.0.1");
    ck_assert_str_eq(argv[3], "140002:00:00:00:00:01");
    ck_assert_str_eq(argv[4], "16");
    ck_assert_str_eq(argv[5], "{nope}");
    ck_assert_str_eq(argv[6], "{ip");
    ck_assert_ptr_null(argv[7]);
    image_free_args(argv);
    ck_assert_ptr_null(image_guest_args(&s, NULL, &argc, err, sizeof(err)));
    ck_assert(strstr(err, "process.args uses {ip}") != NULL);
    spec_free(&s);
}
END_TEST

Suite *oci_bundle_suite(void)
{
    Suite *s = suite_create("oci_bundle");
    TCase *tc = tcase_create("spec");
    TCase *img = tcase_create("image");

    tcase_add_test(tc, test_spec_fields);
    tcase_add_loop_test(tc, test_spec_bad, 0,
                        sizeof(bad_specs) / sizeof(bad_specs[0]));
    tcase_add_test(tc, test_guest_args);
    suite_add_tcase(s, tc);
    tcase_add_checked_fixture(img, setup, teardown);
    tcase_add_test(img, test_image_good);
    tcase_add_loop_test(img, test_image_bad, 0,
                        sizeof(bad_images) / sizeof(bad_images[0]));
    tcase_add_test(img, test_block_through_mount);
    tcase_add_test(img, test_pod_sandbox);
    suite_add_tcase(s, img);
    return s;
}

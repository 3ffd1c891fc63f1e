/*
 * make_seeds: write the fuzzers' seed corpora (tests/fuzz/corpus/).  The
 * seeds are committed; this program is how they were made, and remakes
 * them when a format changes:
 *
 *   cc -std=gnu11 -Imonitor -Iabi -Itests/unit tests/fuzz/make_seeds.c \
 *      tests/unit/elf_builder.c -o /tmp/make_seeds
 *   /tmp/make_seeds tests/fuzz/corpus
 *
 * Each seed is one well-formed input of its target (and a few near
 * misses), small, so the fuzzer starts from the accepting paths.  Files
 * named regress-* are inputs that once found a bug; this program leaves
 * them alone.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "elf_builder.h"
#include "hvt_abi.h"

static const char *top;

static void write_seed(const char *target, const char *name, const void *data,
                       size_t size)
{
    char path[4096];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", top, target);
    if (mkdir(path, 0755) < 0 && errno != EEXIST) {
        perror(path);
        exit(1);
    }
    snprintf(path, sizeof(path), "%s/%s/%s", top, target, name);
    f = fopen(path, "wb");
    if (f == NULL || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
        perror(path);
        exit(1);
    }
}

/*
 * ELF images and manifests
 */

static void elf_seeds(void)
{
    struct hvt_mft_entry devs[3] = {
        eb_mft_entry("disk", HVT_MFT_DEV_BLOCK_BASIC),
        eb_mft_entry("net0", HVT_MFT_DEV_NET_BASIC),
        eb_mft_entry("scratch", HVT_MFT_DEV_BLOCK_BASIC),
    };
    struct elf_spec spec;
    struct elf_buf buf;

    elf_build_default(&buf);
    write_seed("elf", "default", buf.data, buf.size);
    elf_buf_free(&buf);

    elf_spec_init(&spec);
    spec.devices = devs;
    spec.n_devices = 3;
    elf_build(&spec, &buf);
    write_seed("elf", "devices", buf.data, buf.size);
    elf_buf_free(&buf);

    elf_spec_init(&spec);
    spec.note_align = 8;
    spec.foreign_note = 1;
    elf_build(&spec, &buf);
    write_seed("elf", "align8-foreign-note", buf.data, buf.size);
    elf_buf_free(&buf);

    /* A read-only data segment and a zero-sized one beside the others. */
    elf_spec_init(&spec);
    spec.extra[0] = (Elf64_Phdr){.p_type = PT_LOAD,
                                 .p_flags = PF_R,
                                 .p_offset = 0,
                                 .p_vaddr = 0x110000,
                                 .p_paddr = 0x110000,
                                 .p_filesz = 0x40,
                                 .p_memsz = 0x2000,
                                 .p_align = 0x1000};
    spec.extra[1] = (Elf64_Phdr){.p_type = PT_LOAD,
                                 .p_flags = PF_R | PF_W,
                                 .p_paddr = 0x120000,
                                 .p_align = 0x1000};
    spec.n_extra = 2;
    elf_build(&spec, &buf);
    write_seed("elf", "rodata-empty-segment", buf.data, buf.size);
    elf_buf_free(&buf);
}

static void manifest_seeds(void)
{
    struct hvt_mft_entry devs[HVT_MFT_MAX_ENTRIES - 1];
    uint8_t *mft;
    size_t size;
    char name[HVT_MFT_NAME_SIZE];

    mft = eb_mft_build(NULL, 0, &size);
    write_seed("manifest", "empty", mft, size);
    free(mft);

    devs[0] = eb_mft_entry("disk", HVT_MFT_DEV_BLOCK_BASIC);
    devs[1] = eb_mft_entry("net0", HVT_MFT_DEV_NET_BASIC);
    mft = eb_mft_build(devs, 2, &size);
    write_seed("manifest", "block-net", mft, size);
    free(mft);

    /* The longest name, and every entry in use. */
    for (uint32_t i = 0; i < HVT_MFT_MAX_ENTRIES - 1; i++) {
        memset(name, 'a' + (char)(i % 26), HVT_MFT_NAME_MAX);
        name[HVT_MFT_NAME_MAX] = '\0';
        snprintf(name, 4, "d%02u", i);
        name[3] = 'x'; /* snprintf's NUL, overwritten: one long name */
        devs[i] = eb_mft_entry(name, i % 2 ? HVT_MFT_DEV_NET_BASIC
                                           : HVT_MFT_DEV_BLOCK_BASIC);
    }
    mft = eb_mft_build(devs, HVT_MFT_MAX_ENTRIES - 1, &size);
    write_seed("manifest", "full", mft, size);
    free(mft);
}

/*
 * Command lines: arguments separated by NUL bytes
 */

static void args_seed(const char *target, const char *name,
                      const uint8_t *prefix, size_t prefix_len, ...)
{
    uint8_t buf[1024];
    size_t used = prefix_len;
    const char *arg;
    va_list ap;

    memcpy(buf, prefix, prefix_len);
    va_start(ap, prefix_len);
    for (int first = 1; (arg = va_arg(ap, const char *)) != NULL; first = 0) {
        size_t len = strlen(arg);

        if (!first)
            buf[used++] = '\0';
        memcpy(buf + used, arg, len);
        used += len;
    }
    va_end(ap);
    write_seed(target, name, buf, used);
}

static void cli_seeds(void)
{
    args_seed("cli", "run", NULL, 0, "app.elf", NULL);
    args_seed("cli", "mem-args", NULL, 0, "--mem=64", "app.elf", "-v",
              "hello world", NULL);
    args_seed("cli", "devices", NULL, 0, "--block=disk.img",
              "--block-sector-size=4096", "--net:net0=tap0",
              "--net-mac:net0=02:00:00:00:00:01", "--net:net1=@3", "app.elf",
              NULL);
    args_seed("cli", "dashdash", NULL, 0, "--", "-odd.elf", "--mem=2", NULL);
    args_seed("cli", "help", NULL, 0, "--help", NULL);
    args_seed("cli", "version", NULL, 0, "--version", "app.elf", NULL);
    args_seed("cli", "bad-option", NULL, 0, "--block:=x", "app.elf", NULL);
}

static void cmdline_seeds(void)
{
    static const uint8_t size_8192[2] = {0x00, 0x20};
    static const uint8_t size_12[2] = {12, 0};
    static const uint8_t size_1[2] = {1, 0};

    args_seed("cmdline", "three-args", size_8192, 2, "one", "two", "three",
              NULL);
    args_seed("cmdline", "exact-fit", size_12, 2, "hello", "world", NULL);
    args_seed("cmdline", "one-too-many", size_12, 2, "hello", "world!", NULL);
    args_seed("cmdline", "empty-args", size_1, 2, "", "", NULL);
}

/*
 * Hypercall records (fuzz_hypercall.c): op, gpa, len, struct bytes
 */

struct records {
    uint8_t data[2048];
    size_t used;
};

static void record(struct records *r, uint8_t op, uint32_t gpa, const void *arg,
                   size_t len)
{
    uint8_t *p = r->data + r->used;

    p[0] = op;
    memcpy(p + 1, &gpa, 4);
    p[5] = (uint8_t)len;
    memcpy(p + 6, arg, len);
    r->used += 6 + len;
}

#define ARG_GPA 0x200000u
#define DATA_GPA 0x180000u

static void hypercall_seeds(void)
{
    const char text[] = "hello, console\n";
    struct hvt_hc_puts puts = {DATA_GPA, sizeof(text) - 1};
    struct hvt_hc_walltime walltime = {0};
    struct hvt_hc_poll poll = {0, 0, 0, 0};
    struct hvt_hc_halt halt = {0, 7, 0};
    struct hvt_hc_block_write bw = {1, 512, DATA_GPA, 1024, 0, 0};
    struct hvt_hc_block_read br = {2, 4096, DATA_GPA, 4096, 0, 0};
    struct hvt_hc_block_flush bf = {1, 0, 0};
    struct hvt_hc_net_write nw = {3, DATA_GPA, 60, 0, 0};
    struct hvt_hc_net_read nr = {3, DATA_GPA, 1514, 0, 0};
    struct records r;

    /* The struct goes just below 2 MiB: gpa is taken modulo it. */
    memset(&r, 0, sizeof(r));
    record(&r, 0, DATA_GPA, text, sizeof(text) - 1);
    record(&r, HVT_HYPERCALL_PUTS, ARG_GPA - 64, &puts, sizeof(puts));
    record(&r, HVT_HYPERCALL_WALLTIME, ARG_GPA - 64, &walltime,
           sizeof(walltime));
    record(&r, HVT_HYPERCALL_POLL, ARG_GPA - 64, &poll, sizeof(poll));
    record(&r, HVT_HYPERCALL_HALT, ARG_GPA - 64, &halt, sizeof(halt));
    write_seed("hypercall", "core", r.data, r.used);

    memset(&r, 0, sizeof(r));
    record(&r, HVT_HYPERCALL_BLOCK_WRITE, ARG_GPA - 64, &bw, sizeof(bw));
    record(&r, HVT_HYPERCALL_BLOCK_READ, ARG_GPA - 64, &br, sizeof(br));
    record(&r, HVT_HYPERCALL_BLOCK_FLUSH, ARG_GPA - 64, &bf, sizeof(bf));
    write_seed("hypercall", "block", r.data, r.used);

    memset(&r, 0, sizeof(r));
    record(&r, HVT_HYPERCALL_NET_WRITE, ARG_GPA - 64, &nw, sizeof(nw));
    record(&r, HVT_HYPERCALL_NET_READ, ARG_GPA - 64, &nr, sizeof(nr));
    write_seed("hypercall", "net", r.data, r.used);

    /* The struct's last byte is guest memory's last: still accepted. */
    memset(&r, 0, sizeof(r));
    record(&r, HVT_HYPERCALL_PUTS | 0x20, ARG_GPA - sizeof(puts), &puts,
           sizeof(puts));
    record(&r, HVT_HYPERCALL_PUTS | 0x20, ARG_GPA - sizeof(puts) + 1, &puts,
           sizeof(puts));
    write_seed("hypercall", "edge", r.data, r.used);
}

/*
 * Number strings for the guest's strtol: a base byte (byte % 36: 0 is
 * base 0, else the base less one), then the string
 */

static void number_seed(const char *name, uint8_t base_byte, const char *s)
{
    uint8_t buf[64];
    size_t len = strlen(s);

    buf[0] = base_byte;
    memcpy(buf + 1, s, len);
    write_seed("guest_strtol", name, buf, len + 1);
}

static void guest_strtol_seeds(void)
{
    number_seed("hex-base0", 0, "  -0x7fffffffffffffff");
    number_seed("decimal", 9, "+123456789 tail");
    number_seed("octal", 7, "-0777");
    number_seed("hex-prefix-no-digit", 15, "0xg");
    number_seed("overflow", 9, "99999999999999999999999");
    number_seed("long-min", 9, "-9223372036854775808");
    number_seed("base36", 35, "\t zZ9");
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: make_seeds CORPUS-DIR\n");
        return 2;
    }
    top = argv[1];
    if (mkdir(top, 0755) < 0 && errno != EEXIST) {
        perror(top);
        return 1;
    }
    elf_seeds();
    manifest_seeds();
    cli_seeds();
    cmdline_seeds();
    hypercall_seeds();
    guest_strtol_seeds();
    return 0;
}

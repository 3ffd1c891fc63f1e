/*
 * bench-mem: the guest memory a run touches, and its VM exits.
 *
 *   bench-mem GUEST.elf EXPECTED-TEXT MIB [MIB...]
 *
 * For each MIB, runs the guest through libtender in this process with
 * MIB of guest memory and, after it halted but before the VM is destroyed,
 * reads /proc/self/smaps: guest memory is one anonymous mapping of exactly
 * MIB, so that mapping's Rss is the guest memory resident after the run,
 * i.e. every page the monitor (loading the ELF, boot info, page tables) or
 * the guest wrote or read.  Guest memory is never unmapped or shrunk while
 * the VM exists, so this is also the peak.  Prints
 *
 *   figure hello.memMIB.guest_touched KIB KiB
 *   figure hello.memMIB.vm_exits N exits      (struct tender_exit.exits)
 *
 * and a "note" line with the mapping's AnonHugePages (transparent huge
 * pages make a touch cost 2 MiB instead of 4 KiB).  Exits 1 if a run fails,
 * prints the wrong text, or the mapping cannot be found.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tender.h>

struct capture {
    char buf[4096];
    size_t len;
};

static void capture_console(void *opaque, const char *data, size_t len)
{
    struct capture *c = opaque;

    if (len > sizeof(c->buf) - 1 - c->len)
        len = sizeof(c->buf) - 1 - c->len;
    memcpy(c->buf + c->len, data, len);
    c->len += len;
    c->buf[c->len] = '\0';
}

struct mapping_use {
    long rss_kib;
    long thp_kib;
    int matches;
};

/*
 * Find the mappings of exactly size bytes in /proc/self/smaps and note the
 * Rss and AnonHugePages of the last; counts them, since only one may match.
 */
static int guest_mapping_use(uint64_t size, struct mapping_use *u)
{
    char line[512];
    int in_guest = 0;
    uint64_t lo, hi;
    long kib;
    FILE *f = fopen("/proc/self/smaps", "r");

    if (f == NULL)
        return -1;
    memset(u, 0, sizeof(*u));
    while (fgets(line, sizeof(line), f) != NULL) {
        /* A mapping's header line: "lo-hi perms offset dev inode [path]". */
        if (sscanf(line, "%" SCNx64 "-%" SCNx64 " ", &lo, &hi) == 2) {
            in_guest = hi - lo == size;
            u->matches += in_guest;
        } else if (in_guest && sscanf(line, "Rss: %ld kB", &kib) == 1) {
            u->rss_kib = kib;
        } else if (in_guest &&
                   sscanf(line, "AnonHugePages: %ld kB", &kib) == 1) {
            u->thp_kib = kib;
        }
    }
    fclose(f);
    return 0;
}

static int measure(const char *elf, const char *expect, const char *mib)
{
    static struct capture cap;
    struct tender_config cfg;
    struct tender_error err;
    struct tender_exit ex;
    struct mapping_use use;
    struct tender_vm *vm;

    memset(&cfg, 0, sizeof(cfg));
    memset(&cap, 0, sizeof(cap));
    cfg.mem_size = strtoull(mib, NULL, 10) << 20;
    cfg.console = capture_console;
    cfg.console_opaque = &cap;
    if (tender_vm_create(&cfg, &vm, &err) < 0) {
        fprintf(stderr, "bench-mem: %s\n", err.msg);
        return -1;
    }
    if (tender_vm_load_file(vm, elf, &err) < 0 ||
        tender_vm_run(vm, &ex, &err) < 0) {
        fprintf(stderr, "bench-mem: %s\n", err.msg);
        tender_vm_destroy(vm);
        return -1;
    }
    if (guest_mapping_use(cfg.mem_size, &use) < 0 || use.matches != 1) {
        fprintf(stderr, "bench-mem: no single %s MiB mapping in smaps\n", mib);
        tender_vm_destroy(vm);
        return -1;
    }
    tender_vm_destroy(vm);
    if (ex.reason != TENDER_STOP_HALT || ex.status != 0 ||
        strstr(cap.buf, expect) == NULL) {
        fprintf(stderr, "bench-mem: bad run (reason %d, status %d): %s\n",
                ex.reason, ex.status, cap.buf);
        return -1;
    }
    printf("figure hello.mem%s.guest_touched %ld KiB\n", mib, use.rss_kib);
    printf("figure hello.mem%s.vm_exits %" PRIu64 " exits\n", mib, ex.exits);
    printf("note hello.mem%s: guest mapping AnonHugePages %ld KiB\n", mib,
           use.thp_kib);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: bench-mem GUEST.elf EXPECTED-TEXT MIB...\n");
        return 2;
    }
    for (int i = 3; i < argc; i++)
        if (measure(argv[1], argv[2], argv[i]) < 0)
            return 1;
    return 0;
}

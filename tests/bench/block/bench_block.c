/*
 * Block throughput: sequential reads or writes over the disk "disk" with
 * one request size, timed by the guest's monotonic clock.
 *
 *   bench_block.elf write|read REQUEST_BYTES [TOTAL_MIB]
 *   bench_block.elf idle        boot, acquire the disk and halt
 *
 * Moves TOTAL_MIB (default: the whole disk, rounded down to whole
 * requests) in requests of REQUEST_BYTES, each one hypercall; a write
 * run ends with one flush, included in its time, when the monitor
 * offers it.  Prints
 *
 *   bench_block: MODE REQUEST bytes B ns T hypercalls H
 *
 * where H counts every block hypercall made (each is one VM exit).
 */
#include <tender/guest.h>
#include <tender/stdio.h>
#include <tender/stdlib.h>
#include <tender/string.h>

TENDER_MANIFEST(TENDER_BLOCK_DEVICE("disk"));

#define MAX_REQUEST (1 << 20)

static uint8_t buf[MAX_REQUEST] __attribute__((aligned(4096)));

static _Noreturn void fail(const char *what, int rc)
{
    printf("bench_block: FAIL %s (result %d)\n", what, rc);
    exit(1);
}

int tender_app_main(const struct tender_start_info *si)
{
    struct tender_block_info disk;
    int writing;
    uint64_t request, total, hypercalls = 0, start, ns;

    if (si->argc < 2)
        fail("usage: write|read REQUEST_BYTES [TOTAL_MIB] | idle", 0);
    if (tender_block_acquire("disk", &disk) != HVT_OK)
        fail("no block device 'disk'", 0);
    if (strcmp(si->argv[1], "idle") == 0)
        return 0;
    if (si->argc < 3)
        fail("no request size", 0);
    writing = strcmp(si->argv[1], "write") == 0;
    request = strtoul(si->argv[2], NULL, 10);
    if (request == 0 || request > MAX_REQUEST ||
        request % disk.sector_size != 0)
        fail("the request size must be whole sectors, at most 1 MiB", 0);
    total = si->argc > 3 ? strtoul(si->argv[3], NULL, 10) << 20 : 0;
    if (total == 0 || total > disk.capacity)
        total = disk.capacity;
    total -= total % request;
    for (uint64_t i = 0; i < request; i++)
        buf[i] = (uint8_t)(i * 7 + 1);

    start = tender_clock_monotonic();
    for (uint64_t off = 0; off < total; off += request) {
        int rc = writing ? tender_block_write(disk.handle, off, buf, request)
                         : tender_block_read(disk.handle, off, buf, request);

        hypercalls++;
        if (rc != HVT_OK)
            fail(writing ? "write" : "read", rc);
    }
    if (writing && tender_block_can_flush()) {
        int rc = tender_block_flush(disk.handle);

        hypercalls++;
        if (rc != HVT_OK)
            fail("flush", rc);
    }
    ns = tender_clock_monotonic() - start;
    printf("bench_block: %s %llu bytes %llu ns %llu hypercalls %llu\n",
           writing ? "write" : "read", (unsigned long long)request,
           (unsigned long long)total, (unsigned long long)ns,
           (unsigned long long)hypercalls);
    return 0;
}

/*
 * Block throughput: sequential reads or writes over the disk "disk" with
 * one request size, timed by the guest's monotonic clock.
 *
 *   bench_block.elf write|read REQUEST_BYTES [TOTAL_MIB]
 *   bench_block.elf randread REQUEST_BYTES DEPTH COUNT [HOLD_MS]
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
 *
 * randread makes COUNT reads of REQUEST_BYTES at random offsets aligned
 * to the request size, DEPTH of them in flight at a time through the
 * asynchronous calls (tender_block_submit, _reap, _wait): through the
 * block ring where the monitor offers it, else hypercalls.  Prints
 *
 *   bench_block: randread REQUEST bytes B ns T requests N depth D ring R
 *
 * with R 1 for the ring, 0 for hypercalls.  The guest cannot count its
 * exits there (kicks, naps): the host reads KVM's counter, which counts
 * only VMs that still exist.  So with HOLD_MS the guest prints
 * "bench_block: ready" and sleeps that long before its first request, and
 * sleeps as long again after its line, for the host to read it.
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

/* xorshift64*: cheap, and the same offsets on every run and tender. */
static uint64_t next_random(uint64_t *state)
{
    uint64_t x = *state;

    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 0x2545f4914f6cdd1dULL;
}

static void hold(uint64_t ms)
{
    uint64_t until = tender_clock_monotonic() + ms * 1000000;

    while (tender_clock_monotonic() < until)
        tender_yield(until, NULL);
}

static void randread(const struct tender_block_info *disk, uint64_t request,
                     uint64_t depth, uint64_t count, uint64_t hold_ms)
{
    struct tender_block_req reqs[256];
    struct tender_block_done done[256];
    uint64_t slots = disk->capacity / request, seed = 0x9e3779b97f4a7c15ULL;
    uint64_t issued = 0, finished = 0, start, ns;
    size_t nfree = depth, free_slots[256];

    if (depth == 0 || depth > 256 || depth * request > MAX_REQUEST ||
        slots == 0)
        fail("randread: DEPTH 1-256, DEPTH x REQUEST at most 1 MiB", 0);
    for (size_t i = 0; i < depth; i++)
        free_slots[i] = i;
    if (hold_ms > 0) {
        printf("bench_block: ready\n");
        hold(hold_ms);
    }
    start = tender_clock_monotonic();
    while (finished < count) {
        size_t n = 0, got;

        /* Refill: every free buffer gets a request, submitted at once. */
        while (nfree > 0 && issued + n < count) {
            size_t slot = free_slots[--nfree];

            reqs[n].op = TENDER_BLOCK_READ;
            reqs[n].handle = disk->handle;
            reqs[n].offset = next_random(&seed) % slots * request;
            reqs[n].buf = buf + slot * request;
            reqs[n].len = request;
            reqs[n].tag = slot;
            n++;
        }
        if (n > 0 && tender_block_submit(reqs, n) != n)
            fail("randread: submit took fewer than DEPTH", 0);
        issued += n;
        got = tender_block_wait(done, depth);
        for (size_t i = 0; i < got; i++) {
            if (done[i].result != HVT_OK || done[i].len != request)
                fail("randread: read", done[i].result);
            free_slots[nfree++] = done[i].tag;
        }
        finished += got;
        if (got == 0)
            fail("randread: nothing in flight", 0);
    }
    ns = tender_clock_monotonic() - start;
    printf("bench_block: randread %llu bytes %llu ns %llu requests %llu "
           "depth %llu ring %d\n",
           (unsigned long long)request, (unsigned long long)(count * request),
           (unsigned long long)ns, (unsigned long long)count,
           (unsigned long long)depth, tender_block_ring_in_use());
    hold(hold_ms);
}

int tender_app_main(const struct tender_start_info *si)
{
    struct tender_block_info disk;
    int writing;
    uint64_t request, total, hypercalls = 0, start, ns;

    if (si->argc < 2)
        fail("usage: write|read|randread REQUEST_BYTES ... | idle", 0);
    if (tender_block_acquire("disk", &disk) != HVT_OK)
        fail("no block device 'disk'", 0);
    if (strcmp(si->argv[1], "idle") == 0)
        return 0;
    if (si->argc < 3)
        fail("no request size", 0);
    if (strcmp(si->argv[1], "randread") == 0) {
        request = strtoul(si->argv[2], NULL, 10);
        if (si->argc < 5 || request == 0 || request % disk.sector_size != 0)
            fail("usage: randread REQUEST_BYTES DEPTH COUNT", 0);
        randread(&disk, request, strtoul(si->argv[3], NULL, 10),
                 strtoul(si->argv[4], NULL, 10),
                 si->argc > 5 ? strtoul(si->argv[5], NULL, 10) : 0);
        return 0;
    }
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

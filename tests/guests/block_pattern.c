/*
 * Block pattern tester: writes patterns to the disk "disk" and reads them
 * back, with requests of many sizes.  Every sector holds a readable header
 * ("tender sector N seed S") that a shell test can check with dd, then
 * bytes from a generator seeded by (seed, sector).
 *
 *   block_pattern.elf sizes        requests of 1 to 256 sectors, each
 *                                  written and read back at once
 *   block_pattern.elf fill SEED    the whole disk, requests cycling through
 *                                  1..256 sectors, then flushed
 *   block_pattern.elf verify SEED  read the whole disk back with other
 *                                  request sizes; print a digest of it
 *   block_pattern.elf last SEED    the last sector alone
 *   block_pattern.elf survive SEED write the whole disk in 64-sector
 *                                  requests, carrying on past failures
 *                                  (EUNSPEC), then check that the first
 *                                  request's sectors read back
 *
 * Exit status 0 when every check held; the line "FAIL ..." says what not.
 */
#include <tender/guest.h>
#include <tender/stdio.h>
#include <tender/stdlib.h>
#include <tender/string.h>

TENDER_MANIFEST(TENDER_BLOCK_DEVICE("disk"));

#define MAX_SECTORS 256
#define MAX_SECTOR_SIZE 4096

static uint8_t wbuf[MAX_SECTORS * MAX_SECTOR_SIZE];
static uint8_t rbuf[MAX_SECTORS * MAX_SECTOR_SIZE];
static struct tender_block_info disk;
static uint64_t n_sectors;

static _Noreturn void fail(const char *what, uint64_t sector, int rc)
{
    printf("FAIL %s at sector %llu (result %d)\n", what,
           (unsigned long long)sector, rc);
    exit(1);
}

static uint64_t xorshift(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* The contents of one sector for this seed. */
static void make_sector(uint8_t *p, uint64_t sector, uint64_t seed)
{
    uint64_t s = (seed * 0x9e3779b97f4a7c15ULL) ^ (sector + 1) ^ 0x1234567;
    int head = snprintf((char *)p, 64, "tender sector %08llu seed %08llu\n",
                        (unsigned long long)sector, (unsigned long long)seed);

    memset(p + head, ' ', 64 - (size_t)head);
    for (uint64_t i = 64; i < disk.sector_size; i += 8) {
        uint64_t v = xorshift(&s);

        memcpy(p + i, &v, 8);
    }
}

static void make_sectors(uint8_t *p, uint64_t first, uint64_t n, uint64_t seed)
{
    for (uint64_t i = 0; i < n; i++)
        make_sector(p + i * disk.sector_size, first + i, seed);
}

/* Check n sectors read into rbuf against the pattern. */
static void check_sectors(uint64_t first, uint64_t n, uint64_t seed)
{
    for (uint64_t i = 0; i < n; i++) {
        make_sector(wbuf, first + i, seed);
        if (memcmp(wbuf, rbuf + i * disk.sector_size, disk.sector_size) != 0)
            fail("pattern mismatch", first + i, 0);
    }
}

static void write_sectors(uint64_t first, uint64_t n, const uint8_t *buf)
{
    int rc = tender_block_write(disk.handle, first * disk.sector_size, buf,
                                n * disk.sector_size);

    if (rc != HVT_OK)
        fail("write", first, rc);
}

static void read_sectors(uint64_t first, uint64_t n)
{
    int rc;

    memset(rbuf, 0xa5, n * disk.sector_size);
    rc = tender_block_read(disk.handle, first * disk.sector_size, rbuf,
                           n * disk.sector_size);
    if (rc != HVT_OK)
        fail("read", first, rc);
}

static void flush_disk(void)
{
    int rc;

    if (!tender_block_can_flush())
        return;
    rc = tender_block_flush(disk.handle);
    if (rc != HVT_OK)
        fail("flush", 0, rc);
}

/* Requests of every size from 1 to 256 sectors, spread over the disk. */
static void test_sizes(void)
{
    for (uint64_t n = 1; n <= MAX_SECTORS && n <= n_sectors; n++) {
        uint64_t first = (n * 7919) % (n_sectors - n + 1);

        make_sectors(wbuf, first, n, n);
        write_sectors(first, n, wbuf);
        read_sectors(first, n);
        check_sectors(first, n, n);
    }
    printf("sizes ok: 1 to %d sectors of %llu bytes\n", MAX_SECTORS,
           (unsigned long long)disk.sector_size);
}

static void fill(uint64_t seed)
{
    uint64_t first = 0, n = 1, requests = 0;

    while (first < n_sectors) {
        uint64_t count = n <= n_sectors - first ? n : n_sectors - first;

        make_sectors(wbuf, first, count, seed);
        write_sectors(first, count, wbuf);
        first += count;
        n = n % MAX_SECTORS + 1;
        requests++;
    }
    flush_disk();
    printf("fill ok: %llu sectors in %llu requests\n",
           (unsigned long long)n_sectors, (unsigned long long)requests);
}

/* FNV-1a, 64 bits: a digest of the disk for the test's log. */
static uint64_t fnv1a(uint64_t h, const uint8_t *p, uint64_t len)
{
    for (uint64_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* Read back in steps of 97 sectors: boundaries unlike fill's. */
static void verify(uint64_t seed)
{
    uint64_t first = 0, digest = 0xcbf29ce484222325ULL;

    while (first < n_sectors) {
        uint64_t count = n_sectors - first < 97 ? n_sectors - first : 97;

        read_sectors(first, count);
        check_sectors(first, count, seed);
        digest = fnv1a(digest, rbuf, count * disk.sector_size);
        first += count;
    }
    printf("verify ok: %llu sectors, digest %016llx\n",
           (unsigned long long)n_sectors, (unsigned long long)digest);
}

static void last(uint64_t seed)
{
    uint64_t sector = n_sectors - 1;

    make_sector(wbuf, sector, seed);
    write_sectors(sector, 1, wbuf);
    flush_disk();
    read_sectors(sector, 1);
    check_sectors(sector, 1, seed);
    if (tender_block_read(disk.handle, n_sectors * disk.sector_size, rbuf,
                          disk.sector_size) != HVT_EINVAL)
        fail("a read past the end was not refused", n_sectors, 0);
    printf("last ok: sector %llu\n", (unsigned long long)sector);
}

/* A disk whose host runs out of space: errors, then service as before. */
static void survive(uint64_t seed)
{
    uint64_t failed = 0, n = 64 < n_sectors ? 64 : n_sectors;

    for (uint64_t first = 0; first + n <= n_sectors; first += n) {
        int rc;

        make_sectors(wbuf, first, n, seed);
        rc = tender_block_write(disk.handle, first * disk.sector_size, wbuf,
                                n * disk.sector_size);
        if (rc == HVT_EUNSPEC)
            failed++;
        else if (rc != HVT_OK)
            fail("write: neither OK nor EUNSPEC", first, rc);
    }
    read_sectors(0, n);
    check_sectors(0, n, seed);
    printf("survive ok: %llu writes failed, then a read was served\n",
           (unsigned long long)failed);
}

int tender_app_main(const struct tender_start_info *si)
{
    const char *cmd = si->argc > 1 ? si->argv[1] : "";
    uint64_t seed = si->argc > 2 ? strtoul(si->argv[2], NULL, 10) : 1;

    if (tender_block_acquire("disk", &disk) != HVT_OK)
        fail("no block device 'disk'", 0, 0);
    if (disk.sector_size > MAX_SECTOR_SIZE)
        fail("sector size too large for this test", 0, 0);
    n_sectors = disk.capacity / disk.sector_size;
    printf("disk: %llu sectors of %llu bytes, flush %s\n",
           (unsigned long long)n_sectors, (unsigned long long)disk.sector_size,
           tender_block_can_flush() ? "offered" : "not offered");
    if (strcmp(cmd, "sizes") == 0)
        test_sizes();
    else if (strcmp(cmd, "fill") == 0)
        fill(seed);
    else if (strcmp(cmd, "verify") == 0)
        verify(seed);
    else if (strcmp(cmd, "last") == 0)
        last(seed);
    else if (strcmp(cmd, "survive") == 0)
        survive(seed);
    else
        fail("usage: sizes | fill | verify | last | survive SEED", 0, 0);
    return 0;
}

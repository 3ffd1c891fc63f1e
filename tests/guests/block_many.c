/*
 * 63 block devices at once, the most a manifest holds: d1 ... d63.  The
 * test gives device dN a file of N * 4096 bytes.  For each device the
 * guest checks its handle and capacity, writes its first and last sectors
 * with a tag naming the device, then reads every device back, so that
 * two devices sharing one file or one handle would show.
 *
 * Prints "many ok: 63 devices" and exits 0, or "FAIL ..." and exits 1.
 */
#include <tender/guest.h>
#include <tender/stdio.h>
#include <tender/string.h>

/* Written out in full: the manifest is data, and a macro to generate it
 * would be harder to read than the list. */
TENDER_MANIFEST(TENDER_BLOCK_DEVICE("d1"), TENDER_BLOCK_DEVICE("d2"),
                TENDER_BLOCK_DEVICE("d3"), TENDER_BLOCK_DEVICE("d4"),
                TENDER_BLOCK_DEVICE("d5"), TENDER_BLOCK_DEVICE("d6"),
                TENDER_BLOCK_DEVICE("d7"), TENDER_BLOCK_DEVICE("d8"),
                TENDER_BLOCK_DEVICE("d9"), TENDER_BLOCK_DEVICE("d10"),
                TENDER_BLOCK_DEVICE("d11"), TENDER_BLOCK_DEVICE("d12"),
                TENDER_BLOCK_DEVICE("d13"), TENDER_BLOCK_DEVICE("d14"),
                TENDER_BLOCK_DEVICE("d15"), TENDER_BLOCK_DEVICE("d16"),
                TENDER_BLOCK_DEVICE("d17"), TENDER_BLOCK_DEVICE("d18"),
                TENDER_BLOCK_DEVICE("d19"), TENDER_BLOCK_DEVICE("d20"),
                TENDER_BLOCK_DEVICE("d21"), TENDER_BLOCK_DEVICE("d22"),
                TENDER_BLOCK_DEVICE("d23"), TENDER_BLOCK_DEVICE("d24"),
                TENDER_BLOCK_DEVICE("d25"), TENDER_BLOCK_DEVICE("d26"),
                TENDER_BLOCK_DEVICE("d27"), TENDER_BLOCK_DEVICE("d28"),
                TENDER_BLOCK_DEVICE("d29"), TENDER_BLOCK_DEVICE("d30"),
                TENDER_BLOCK_DEVICE("d31"), TENDER_BLOCK_DEVICE("d32"),
                TENDER_BLOCK_DEVICE("d33"), TENDER_BLOCK_DEVICE("d34"),
                TENDER_BLOCK_DEVICE("d35"), TENDER_BLOCK_DEVICE("d36"),
                TENDER_BLOCK_DEVICE("d37"), TENDER_BLOCK_DEVICE("d38"),
                TENDER_BLOCK_DEVICE("d39"), TENDER_BLOCK_DEVICE("d40"),
                TENDER_BLOCK_DEVICE("d41"), TENDER_BLOCK_DEVICE("d42"),
                TENDER_BLOCK_DEVICE("d43"), TENDER_BLOCK_DEVICE("d44"),
                TENDER_BLOCK_DEVICE("d45"), TENDER_BLOCK_DEVICE("d46"),
                TENDER_BLOCK_DEVICE("d47"), TENDER_BLOCK_DEVICE("d48"),
                TENDER_BLOCK_DEVICE("d49"), TENDER_BLOCK_DEVICE("d50"),
                TENDER_BLOCK_DEVICE("d51"), TENDER_BLOCK_DEVICE("d52"),
                TENDER_BLOCK_DEVICE("d53"), TENDER_BLOCK_DEVICE("d54"),
                TENDER_BLOCK_DEVICE("d55"), TENDER_BLOCK_DEVICE("d56"),
                TENDER_BLOCK_DEVICE("d57"), TENDER_BLOCK_DEVICE("d58"),
                TENDER_BLOCK_DEVICE("d59"), TENDER_BLOCK_DEVICE("d60"),
                TENDER_BLOCK_DEVICE("d61"), TENDER_BLOCK_DEVICE("d62"),
                TENDER_BLOCK_DEVICE("d63"));

#define N_DEVICES 63
#define SECTOR 512

static uint8_t buf[SECTOR];
static uint8_t expected[SECTOR];

static _Noreturn void fail(const char *what, int device)
{
    printf("FAIL %s (device d%d)\n", what, device);
    tender_exit(1);
}

static void make_tag(uint8_t *p, int device, const char *where)
{
    memset(p, 0, SECTOR);
    snprintf((char *)p, SECTOR, "tender device %02d %s sector\n", device,
             where);
}

static void acquire(int device, struct tender_block_info *info)
{
    char name[8];

    snprintf(name, sizeof(name), "d%d", device);
    if (tender_block_acquire(name, info) != HVT_OK)
        fail("cannot acquire", device);
    if (info->handle != (uint64_t)device)
        fail("wrong handle", device);
    if (info->capacity != (uint64_t)device * 4096 ||
        info->sector_size != SECTOR)
        fail("wrong capacity or sector size", device);
}

static void write_tags(int device)
{
    struct tender_block_info info;

    acquire(device, &info);
    make_tag(buf, device, "first");
    if (tender_block_write(info.handle, 0, buf, SECTOR) != HVT_OK)
        fail("write of the first sector", device);
    make_tag(buf, device, "last");
    if (tender_block_write(info.handle, info.capacity - SECTOR, buf, SECTOR) !=
        HVT_OK)
        fail("write of the last sector", device);
    if (tender_block_can_flush() && tender_block_flush(info.handle) != HVT_OK)
        fail("flush", device);
}

static void check_sector(int device, uint64_t handle, uint64_t offset,
                         const char *where)
{
    make_tag(expected, device, where);
    if (tender_block_read(handle, offset, buf, SECTOR) != HVT_OK)
        fail("read", device);
    if (memcmp(buf, expected, SECTOR) != 0)
        fail("read back something else", device);
}

static void check_tags(int device)
{
    struct tender_block_info info;

    acquire(device, &info);
    check_sector(device, info.handle, 0, "first");
    check_sector(device, info.handle, info.capacity - SECTOR, "last");
}

int tender_app_main(const struct tender_start_info *si)
{
    (void)si;
    for (int d = 1; d <= N_DEVICES; d++)
        write_tags(d);
    for (int d = 1; d <= N_DEVICES; d++)
        check_tags(d);
    printf("many ok: %d devices\n", N_DEVICES);
    return 0;
}

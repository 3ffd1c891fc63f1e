/*
 * A hostile block guest: makes BLOCK_READ, BLOCK_WRITE and BLOCK_FLUSH
 * hypercalls by hand (bypassing the library's own checks) with bad
 * handles, offsets, lengths and buffers, and checks that each one gets
 * EINVAL and that the monitor keeps serving.  No request it makes is
 * valid except reads and flushes, so the disk must come out unchanged.
 *
 * Built twice: block_hostile.elf declares one block device "disk";
 * block_hostile_net.elf adds a network device "net" (handle 2) so that a
 * network handle can be tried as well.
 *
 * Prints "hostile ok: N checks" and exits 0, or "FAIL ..." and exits 1.
 */
#include <tender/guest.h>
#include <tender/stdio.h>
#include <tender/stdlib.h>

#ifdef WITH_NET_DEVICE
TENDER_MANIFEST(TENDER_BLOCK_DEVICE("disk"), TENDER_NET_DEVICE("net"));
#define NET_HANDLE 2
#else
TENDER_MANIFEST(TENDER_BLOCK_DEVICE("disk"));
#endif

#define DISK_HANDLE 1

static uint8_t buf[8192] __attribute__((aligned(4096)));
static int checks;
static int failures;

static void outl_hypercall(enum hvt_hypercall nr, void *arg)
{
    uint16_t port = (uint16_t)(HVT_HYPERCALL_PIO_BASE + nr);
    uint32_t gpa = (uint32_t)(uintptr_t)arg;

    __asm__ __volatile__("outl %0, %1" : : "a"(gpa), "Nd"(port) : "memory");
}

static int raw_io(enum hvt_hypercall nr, uint64_t handle, uint64_t offset,
                  uint64_t data_gpa, uint64_t len)
{
    struct hvt_hc_block_read arg = {handle, offset, data_gpa, len, -1, 0};

    outl_hypercall(nr, &arg);
    return arg.ret;
}

static int raw_flush(uint64_t handle)
{
    struct hvt_hc_block_flush arg = {handle, -1, 0};

    outl_hypercall(HVT_HYPERCALL_BLOCK_FLUSH, &arg);
    return arg.ret;
}

static void expect(const char *what, int got, int want)
{
    checks++;
    if (got == want)
        return;
    failures++;
    printf("FAIL %s: result %d, expected %d\n", what, got, want);
}

/* The same bad request as a read and as a write: both refused. */
static void expect_both(const char *what, uint64_t handle, uint64_t offset,
                        uint64_t data_gpa, uint64_t len)
{
    expect(what,
           raw_io(HVT_HYPERCALL_BLOCK_READ, handle, offset, data_gpa, len),
           HVT_EINVAL);
    expect(what,
           raw_io(HVT_HYPERCALL_BLOCK_WRITE, handle, offset, data_gpa, len),
           HVT_EINVAL);
}

static void bad_handles(uint64_t b)
{
    expect_both("reserved handle 0", 0, 0, b, 512);
    expect_both("handle 2", 2, 0, b, 512);
    expect_both("handle 63", 63, 0, b, 512);
    expect_both("handle 64", 64, 0, b, 512);
    expect_both("handle 2^32+1", (1ULL << 32) + 1, 0, b, 512);
    expect_both("handle 2^63", 1ULL << 63, 0, b, 512);
    expect("flush of handle 0", raw_flush(0), HVT_EINVAL);
    expect("flush of handle 64", raw_flush(64), HVT_EINVAL);
#ifdef NET_HANDLE
    expect_both("network handle", NET_HANDLE, 0, b, 512);
    expect("flush of a network handle", raw_flush(NET_HANDLE), HVT_EINVAL);
#endif
}

static void bad_ranges(uint64_t b, uint64_t cap, uint64_t ss)
{
    expect_both("offset at the end", DISK_HANDLE, cap, b, ss);
    expect_both("last sector and one more", DISK_HANDLE, cap - ss, b, 2 * ss);
    expect_both("offset past the end", DISK_HANDLE, cap + ss, b, ss);
    expect_both("misaligned offset", DISK_HANDLE, 1, b, ss);
    expect_both("misaligned offset by half a sector", DISK_HANDLE, ss / 2, b,
                ss);
    expect_both("partial sector", DISK_HANDLE, 0, b, 100);
    expect_both("a sector and a byte", DISK_HANDLE, 0, b, ss + 1);
    expect_both("zero length", DISK_HANDLE, 0, b, 0);
    expect_both("zero length at the end", DISK_HANDLE, cap, b, 0);
    expect_both("offset+len overflows", DISK_HANDLE, 0ULL - ss, b, 2 * ss);
    expect_both("len wraps offset to 0", DISK_HANDLE, ss, b, 0ULL - ss);
    expect_both("huge len", DISK_HANDLE, 0, b, 1ULL << 63);
}

static void bad_buffers(uint64_t mem, uint64_t ss)
{
    extern char __tender_text_start[];

    expect_both("buffer crosses the end of memory", DISK_HANDLE, 0,
                mem - ss / 2, ss);
    expect_both("buffer at the end of memory", DISK_HANDLE, 0, mem, ss);
    expect_both("buffer far past memory", DISK_HANDLE, 0, 1ULL << 40, ss);
    expect_both("buffer wraps the address space", DISK_HANDLE, 0, 0ULL - 256,
                ss);
    /* The monitor maps our text read-only: a read into it must fail
     * cleanly.  (Writing from it is allowed but would change the disk.) */
    expect("read into the guest's text",
           raw_io(HVT_HYPERCALL_BLOCK_READ, DISK_HANDLE, 0,
                  (uint64_t)(uintptr_t)__tender_text_start, ss),
           HVT_EINVAL);
}

/* Good requests still work after all the bad ones. */
static void still_serving(uint64_t b, uint64_t cap, uint64_t ss)
{
    expect("read of sector 0",
           raw_io(HVT_HYPERCALL_BLOCK_READ, DISK_HANDLE, 0, b, ss), HVT_OK);
    expect("read of the last sector",
           raw_io(HVT_HYPERCALL_BLOCK_READ, DISK_HANDLE, cap - ss, b, ss),
           HVT_OK);
    if (tender_block_can_flush())
        expect("flush", raw_flush(DISK_HANDLE), HVT_OK);
}

int tender_app_main(const struct tender_start_info *si)
{
    const struct hvt_boot_info *bi =
        (const struct hvt_boot_info *)(uintptr_t)HVT_BOOT_INFO_GPA;
    struct tender_block_info disk;
    uint64_t b = (uint64_t)(uintptr_t)buf;

    (void)si;
    if (tender_block_acquire("disk", &disk) != HVT_OK ||
        disk.handle != DISK_HANDLE || disk.sector_size > sizeof(buf) / 2) {
        printf("FAIL no usable block device 'disk'\n");
        return 1;
    }
    still_serving(b, disk.capacity, disk.sector_size);
    bad_handles(b);
    bad_ranges(b, disk.capacity, disk.sector_size);
    bad_buffers(bi->mem_size, disk.sector_size);
    still_serving(b, disk.capacity, disk.sector_size);
    if (failures != 0) {
        printf("FAIL %d of %d checks\n", failures, checks);
        return 1;
    }
    printf("hostile ok: %d checks\n", checks);
    return 0;
}

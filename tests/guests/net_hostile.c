/*
 * A guest that abuses NET_WRITE and NET_READ: zero-length and over-long
 * frames, handles out of range or of a block device, buffers that cross
 * the end of guest memory, wrap around or lie in the read-only text.  Each must
 * get EINVAL, and the monitor must go on serving valid calls.  Then, with the
 * test's help, a frame too long for the buffer must be dropped with EINVAL and
 * its size, never cut short.
 *
 * Devices: "net0" (network) and "disk" (block).  Prints PASS or FAIL and
 * exits 0 or 1.
 */
#include <tender/guest.h>
#include <tender/stdio.h>
#include <tender/string.h>

TENDER_MANIFEST(TENDER_NET_DEVICE("net0"), TENDER_BLOCK_DEVICE("disk"));

#define SEC 1000000000ULL

static int failures;
static uint8_t frame[65536];

static void expect(const char *what, int got, int want)
{
    if (got == want)
        return;
    printf("net_hostile: FAIL: %s: result %d, expected %d\n", what, got, want);
    failures++;
}

/* Guest memory's size: the boot info is at a fixed address (the ABI). */
static uint64_t mem_size(void)
{
    const struct hvt_boot_info *bi =
        (const struct hvt_boot_info *)(uintptr_t)HVT_BOOT_INFO_GPA;

    return bi->mem_size;
}

static const void *at(uint64_t gpa)
{
    return (const void *)(uintptr_t)gpa;
}

/* A broadcast frame of len bytes from mac, of an unused EtherType. */
static void make_frame(const uint8_t mac[6], size_t len)
{
    memset(frame, 0, len);
    memset(frame, 0xff, 6);
    memcpy(frame + 6, mac, 6);
    frame[12] = 0x88;
    frame[13] = 0xb5; /* local experimental EtherType */
}

static void bad_lengths(const struct tender_net_info *net)
{
    size_t max = (size_t)net->mtu + TENDER_NET_HEADER_LEN;

    make_frame(net->mac, max + 1);
    expect("write 0 bytes", tender_net_write(net->handle, frame, 0),
           HVT_EINVAL);
    expect("write 13 bytes", tender_net_write(net->handle, frame, 13),
           HVT_EINVAL);
    expect("write mtu+15 bytes", tender_net_write(net->handle, frame, max + 1),
           HVT_EINVAL);
    expect("write 2^63 bytes", tender_net_write(net->handle, frame, 1ULL << 63),
           HVT_EINVAL);
    expect("write 14 bytes", tender_net_write(net->handle, frame, 14), HVT_OK);
    expect("write mtu+14 bytes", tender_net_write(net->handle, frame, max),
           HVT_OK);
}

static void bad_handles(const struct tender_net_info *net)
{
    static const uint64_t handles[] = {0,  2,          3,          62,   63,
                                       64, 1ULL << 32, 1ULL << 63, ~0ULL};
    size_t len;

    make_frame(net->mac, 60);
    for (size_t i = 0; i < sizeof(handles) / sizeof(handles[0]); i++) {
        char what[64];

        snprintf(what, sizeof(what), "write to handle %llx",
                 (unsigned long long)handles[i]);
        expect(what, tender_net_write(handles[i], frame, 60), HVT_EINVAL);
        snprintf(what, sizeof(what), "read from handle %llx",
                 (unsigned long long)handles[i]);
        expect(what, tender_net_read(handles[i], frame, sizeof(frame), &len),
               HVT_EINVAL);
    }
}

static void bad_buffers(const struct tender_net_info *net)
{
    uint64_t end = mem_size();
    size_t len;

    expect("write across the end of memory",
           tender_net_write(net->handle, at(end - 8), 60), HVT_EINVAL);
    expect("write past the end of memory",
           tender_net_write(net->handle, at(end), 60), HVT_EINVAL);
    expect("write wrapping around",
           tender_net_write(net->handle, at(~0ULL - 7), 60), HVT_EINVAL);
    expect(
        "read across the end of memory",
        tender_net_read(net->handle, (void *)(uintptr_t)(end - 8), 1514, &len),
        HVT_EINVAL);
    expect("read wrapping around",
           tender_net_read(net->handle, (void *)(uintptr_t)(~0ULL - 7), 1514,
                           &len),
           HVT_EINVAL);
    expect("read into 0 bytes", tender_net_read(net->handle, frame, 0, &len),
           HVT_EINVAL);
    /* The host maps the guest's text read-only: never written for it. */
    expect("read into the guest's text",
           tender_net_read(net->handle, (void *)(uintptr_t)tender_app_main,
                           1514, &len),
           HVT_EINVAL);
}

/* Sleep until net0 has input; 0 if it never came. */
static int wait_for_frame(const struct tender_net_info *net)
{
    uint64_t ready = 0;

    tender_yield(tender_clock_monotonic() + 20 * SEC, &ready);
    return (ready & (1ULL << net->handle)) != 0;
}

static void short_buffer(const struct tender_net_info *net)
{
    size_t len = 0, first;

    printf("net_hostile: ready for a frame\n");
    if (!wait_for_frame(net)) {
        expect("a frame arrived", 0, 1);
        return;
    }
    expect("read into 16 bytes", tender_net_read(net->handle, frame, 16, &len),
           HVT_EINVAL);
    printf("net_hostile: a %zu-byte frame was dropped\n", len);
    expect("dropped frame's size is told", len > 16, 1);
    first = len;
    expect("the dropped frame is gone",
           tender_net_read(net->handle, frame, sizeof(frame), &len), HVT_AGAIN);
    printf("net_hostile: ready for another frame\n");
    if (!wait_for_frame(net)) {
        expect("another frame arrived", 0, 1);
        return;
    }
    expect("read it whole",
           tender_net_read(net->handle, frame, sizeof(frame), &len), HVT_OK);
    expect("same size as the dropped one", len == first, 1);
}

int tender_app_main(const struct tender_start_info *si)
{
    struct tender_net_info net;

    (void)si;
    if (tender_net_acquire("net0", &net) != HVT_OK) {
        printf("net_hostile: no network device 'net0'\n");
        return 1;
    }
    expect("acquire the block device as a network device",
           tender_net_acquire("disk", &net), HVT_EINVAL);
    tender_net_acquire("net0", &net);
    bad_lengths(&net);
    bad_handles(&net);
    bad_buffers(&net);
    short_buffer(&net);
    printf("net_hostile: %s (%d failures)\n", failures ? "FAIL" : "PASS",
           failures);
    return failures ? 1 : 0;
}

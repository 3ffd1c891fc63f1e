/*
 * Network throughput from inside a guest, on the device "net0":
 *
 *   bench_net.elf tx SIZE COUNT  write COUNT frames of SIZE bytes, as fast
 *                                as NET_WRITE takes them
 *   bench_net.elf rx SIZE COUNT  receive frames (the host sends COUNT of
 *                                SIZE bytes) until COUNT came or none came
 *                                for 3 s
 *
 * Prints one line "bench_net: DIR SIZE frames N ns T hypercalls H": the
 * time is from the first frame to the last, and every hypercall made in
 * that time (each is one VM exit) is counted.  tx starts when a frame
 * arrives, and both modes stay up 2 s after that line, so that the host
 * can read KVM's exit counter around the run while the VM still exists.
 */
#include <tender/guest.h>
#include <tender/stdio.h>
#include <tender/stdlib.h>
#include <tender/string.h>

TENDER_MANIFEST(TENDER_NET_DEVICE("net0"));

#define SEC 1000000000ULL

static uint8_t frame[65536];
static struct tender_net_info net;

static void report(const char *dir, size_t size, uint64_t frames, uint64_t ns,
                   uint64_t hypercalls, uint64_t errors)
{
    printf("bench_net: %s %zu frames %llu ns %llu hypercalls %llu errors "
           "%llu\n",
           dir, size, (unsigned long long)frames, (unsigned long long)ns,
           (unsigned long long)hypercalls, (unsigned long long)errors);
}

/* Sleep until a frame arrives (and drop it), or the deadline. */
static void wait_for_frame(uint64_t deadline)
{
    uint64_t ready = 0;
    size_t len;

    while (ready == 0 && tender_clock_monotonic() < deadline)
        tender_yield(deadline, &ready);
    while (tender_net_read(net.handle, frame, sizeof(frame), &len) != HVT_AGAIN)
        ;
}

static void linger(void)
{
    uint64_t end = tender_clock_monotonic() + 2 * SEC;

    while (tender_clock_monotonic() < end)
        tender_yield(end, NULL);
}

static void transmit(size_t size, uint64_t count)
{
    uint64_t sent = 0, calls = 0, errors = 0, start;

    printf("bench_net: ready\n");
    wait_for_frame(tender_clock_monotonic() + 30 * SEC);

    memset(frame, 0xff, 6); /* broadcast, from us, local EtherType */
    memcpy(frame + 6, net.mac, 6);
    frame[12] = 0x88;
    frame[13] = 0xb5;
    start = tender_clock_monotonic();
    while (sent < count) {
        int rc = tender_net_write(net.handle, frame, size);

        calls++;
        if (rc == HVT_OK)
            sent++;
        else if (rc != HVT_AGAIN && ++errors > 1000)
            break;
    }
    report("tx", size, sent, tender_clock_monotonic() - start, calls, errors);
}

static void receive(size_t size, uint64_t count)
{
    uint64_t got = 0, calls = 0, errors = 0, first = 0, last = 0;
    size_t room = (size_t)net.mtu + TENDER_NET_HEADER_LEN + 4;

    printf("bench_net: receiving\n");
    while (got < count) {
        uint64_t ready = 0, now = tender_clock_monotonic();
        size_t len;

        if (got > 0 && now - last > 3 * SEC)
            break;
        tender_yield(now + SEC, &ready);
        calls++;
        while (ready != 0) {
            int rc = tender_net_read(net.handle, frame, room, &len);

            calls++;
            if (rc == HVT_AGAIN)
                break;
            if (rc != HVT_OK || len != size) {
                errors++;
                continue;
            }
            last = tender_clock_monotonic();
            if (got++ == 0) {
                first = last;
                calls = 0; /* count from the first frame on */
            }
        }
    }
    report("rx", size, got, last - first, calls, errors);
}

int tender_app_main(const struct tender_start_info *si)
{
    size_t size;
    uint64_t count;

    if (si->argc != 4) {
        printf("usage: bench_net.elf tx|rx SIZE COUNT\n");
        return 2;
    }
    if (tender_net_acquire("net0", &net) != HVT_OK) {
        printf("bench_net: no network device 'net0'\n");
        return 1;
    }
    size = strtoul(si->argv[2], NULL, 10);
    count = strtoul(si->argv[3], NULL, 10);
    if (size < 14 || size > (size_t)net.mtu + TENDER_NET_HEADER_LEN) {
        printf("bench_net: SIZE must be 14 to %u\n",
               (unsigned)net.mtu + TENDER_NET_HEADER_LEN);
        return 2;
    }
    if (strcmp(si->argv[1], "tx") == 0)
        transmit(size, count);
    else
        receive(size, count);
    linger();
    return 0;
}

/*
 * A guest with one network and one block device that says "ready" and
 * then sleeps in POLL until it is stopped: a live tender holding both
 * kinds of descriptor, for tests that inspect it (its sandbox).
 */
#include <tender/guest.h>
#include <tender/stdio.h>

TENDER_MANIFEST(TENDER_NET_DEVICE("net0"), TENDER_BLOCK_DEVICE("disk0"));

int tender_app_main(const struct tender_start_info *si)
{
    struct tender_net_info net;
    struct tender_block_info disk;
    static uint8_t frame[9216 + 18];
    uint64_t ready;
    size_t len;

    (void)si;
    if (tender_net_acquire("net0", &net) != 0 ||
        tender_block_acquire("disk0", &disk) != 0) {
        printf("FAIL: devices missing\n");
        return 1;
    }
    printf("ready\n");
    for (;;) {
        /* Drain what arrives, so that a frame does not keep POLL awake. */
        if (tender_yield(tender_clock_monotonic() + 1000000000ULL, &ready))
            while (tender_net_read(net.handle, frame, sizeof(frame), &len) ==
                   0)
                ;
    }
}

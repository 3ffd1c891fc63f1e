/*
 * Conformance guest "dev": the manifest as the guest sees it (rules N*),
 * the block and network hypercalls and every result code (H5-H8, R*).
 * Devices: 1 "disk" (block), 2 "nic" (net), 3 "small" (block, on a file
 * system too small for it, so that writes fail on the host: EUNSPEC).
 * Command line, from the driver: cap=BYTES mtu=N [eunspec=1] [ours=1]
 * The driver prepares the disk with MARKER at byte 512, gives the tap
 * the address 10.77.0.1/24, and afterwards looks for SECTOR0 in the file.
 * Checks of what only tender does (its block units, flush, its answers to
 * bad frame lengths and host I/O errors) run with ours=1 and are skipped
 * as tender-only otherwise: solo5-hvt, for one, stops the guest for some.
 */
#include "rt.h"

CONF_MANIFEST(4, CONF_DEVICE("disk", MFT_BLOCK_BASIC),
              CONF_DEVICE("nic", MFT_NET_BASIC),
              CONF_DEVICE("small", MFT_BLOCK_BASIC));

enum { H_DISK = 1, H_NIC = 2, H_SMALL = 3 };

#define MARKER "tender-conformance-marker"
#define SECTOR0 "tender-conformance-sector0"

static const struct w_mft *mft;
static uint64_t block_size, capacity;

static void check_manifest(const char *cmdline)
{
    const struct w_mft_entry *e = mft->e;
    int same = 1;

    check(mft->version == 1 && mft->entries == 4, "N5",
          "the manifest copy has version 1 and the 4 entries declared "
          "(%u, %u)",
          mft->version, mft->entries);
    check(e[0].type == MFT_RESERVED_FIRST && e[0].name[0] == '\0', "N5",
          "entry 0 is the reserved one");
    for (int i = 1; i < 4; i++)
        same &= memcmp(e[i].name, conf_manifest.e[i].name, 68) == 0 &&
                e[i].type == conf_manifest.e[i].type;
    check(same, "N5", "names and types are those of the ELF note");
    check(e[1].attached == 1 && e[2].attached == 1 && e[3].attached == 1, "N6",
          "every device is marked attached");
    check(e[1].u.block.capacity == arg_u64(cmdline, "cap", 0), "N6",
          "the block capacity is the disk's size (%lu)", e[1].u.block.capacity);
    check(block_size >= 512 && (block_size & (block_size - 1)) == 0 &&
              capacity % block_size == 0,
          "N6",
          "the block size is a power of two >= 512 dividing the "
          "capacity (%lu)",
          block_size);
    check(e[2].u.net.mtu == arg_u64(cmdline, "mtu", 0), "N6",
          "the net MTU is the interface's (%u)", e[2].u.net.mtu);
    check(!(e[2].u.net.mac[0] & 1) &&
              (e[2].u.net.mac[0] | e[2].u.net.mac[1] | e[2].u.net.mac[5]) != 0,
          "N6", "the MAC is a unicast address (%02x:%02x:%02x:%02x:%02x:%02x)",
          e[2].u.net.mac[0], e[2].u.net.mac[1], e[2].u.net.mac[2],
          e[2].u.net.mac[3], e[2].u.net.mac[4], e[2].u.net.mac[5]);
}

static struct w_block block_call(int nr, uint64_t handle, uint64_t offset,
                                 void *data, uint64_t len)
{
    struct w_block b = {handle, offset, (uint64_t)(uintptr_t)data, len, -1, 0};

    hc(nr, &b);
    return b;
}

static uint8_t buf[4][32768] __attribute__((aligned(4096)));

static void fill(uint8_t *p, uint64_t len, unsigned seed)
{
    for (uint64_t i = 0; i < len; i++)
        p[i] = (uint8_t)(i * 7 + seed);
}

static void check_block_io(void)
{
    uint64_t bs = block_size, last = capacity - bs;
    struct w_block b;

    memset(buf[0], 0, bs);
    memcpy(buf[0], SECTOR0, sizeof(SECTOR0));
    b = block_call(HC_BLOCK_WRITE, H_DISK, 0, buf[0], bs);
    check(b.ret == R_OK, "H5", "BLOCK_WRITE of block 0 answers OK (%d)", b.ret);
    b = block_call(HC_BLOCK_READ, H_DISK, 0, buf[1], bs);
    check(b.ret == R_OK && b.len == bs && memcmp(buf[0], buf[1], bs) == 0, "H6",
          "BLOCK_READ reads back what was written, len unchanged");
    b = block_call(HC_BLOCK_READ, H_DISK, bs, buf[1], bs);
    check(b.ret == R_OK && memcmp(buf[1], MARKER, sizeof(MARKER) - 1) == 0,
          "H6", "BLOCK_READ of block 1 finds the host's data");
    fill(buf[0], bs, 3);
    b = block_call(HC_BLOCK_WRITE, H_DISK, last, buf[0], bs);
    check(b.ret == R_OK, "H5", "BLOCK_WRITE of the last block answers OK");
    b = block_call(HC_BLOCK_READ, H_DISK, last, buf[1], bs);
    check(b.ret == R_OK && memcmp(buf[0], buf[1], bs) == 0, "H6",
          "BLOCK_READ of the last block reads it back");
    fill(buf[2], 4 * bs, 5);
    b = block_call(HC_BLOCK_WRITE, H_DISK, 2 * bs, buf[2], 4 * bs);
    check(b.ret == R_OK, "H5", "BLOCK_WRITE of 4 blocks in one call is OK");
    b = block_call(HC_BLOCK_READ, H_DISK, 2 * bs, buf[0], 4 * bs);
    check(b.ret == R_OK && memcmp(buf[0], buf[2], 4 * bs) == 0, "H6",
          "BLOCK_READ of 4 blocks in one call reads them back");
}

static void check_block_einval(void)
{
    uint64_t bs = block_size;
    static const struct {
        uint64_t handle, offset_blocks_from_end, len_blocks;
        const char *what;
    } bad[] = {
        {H_DISK, 0, 1, "at the capacity"},
        {H_DISK, 1, 2, "across the capacity"},
        {0, 1, 1, "to handle 0, the reserved entry"},
        {H_NIC, 1, 1, "to a net device's handle"},
        {64, 1, 1, "to handle 64"},
    };

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        uint64_t off = capacity - bad[i].offset_blocks_from_end * bs;
        struct w_block r = block_call(HC_BLOCK_READ, bad[i].handle, off, buf[0],
                                      bad[i].len_blocks * bs);
        struct w_block w = block_call(HC_BLOCK_WRITE, bad[i].handle, off,
                                      buf[0], bad[i].len_blocks * bs);

        check(r.ret == R_EINVAL && w.ret == R_EINVAL, "R3",
              "BLOCK_READ and BLOCK_WRITE %s answer EINVAL (%d, %d)",
              bad[i].what, r.ret, w.ret);
    }
}

/* B1: tender serves whole sectors only; Solo5's tender serves any range. */
static void check_block_units(void)
{
    uint64_t bs = block_size;
    const struct {
        uint64_t offset, len;
        const char *what;
    } bad[] = {
        {bs + 1, bs, "at an offset that is not sector-aligned"},
        {0, bs + 1, "of a sector and one byte"},
        {0, bs / 2, "of half a sector"},
        {0, 0, "of length 0"},
    };

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct w_block r, w;

        if (!tender_only("B1", "hvt lets a tender serve any byte range",
                         "BLOCK_READ and BLOCK_WRITE %s answer EINVAL",
                         bad[i].what))
            continue;
        r = block_call(HC_BLOCK_READ, H_DISK, bad[i].offset, buf[0],
                       bad[i].len);
        w = block_call(HC_BLOCK_WRITE, H_DISK, bad[i].offset, buf[0],
                       bad[i].len);
        check(r.ret == R_EINVAL && w.ret == R_EINVAL, "B1",
              "BLOCK_READ and BLOCK_WRITE %s answer EINVAL (%d, %d) "
              "[tender-only]",
              bad[i].what, r.ret, w.ret);
    }
}

static int32_t block_flush(uint64_t handle)
{
    struct w_block_flush f = {handle, -1, 0};

    hc(HC_BLOCK_FLUSH, &f);
    return f.ret;
}

/* B9: the flush extension behind feature bit 16. */
static void check_block_flush(void)
{
    static const uint64_t bad[] = {0, H_NIC, 64, ~0ULL};
    int bad_ok = 1;

    if (!tender_only("B9",
                     "bit 16 and hypercall 9 are tender's extension; "
                     "hvt has no flush",
                     "host_features offers BLOCK_FLUSH, which answers OK"))
        return;
    check(boot->host_features & FEATURE_BLOCK_FLUSH, "B9",
          "host_features has bit 16, BLOCK_FLUSH (0x%x) [tender-only]",
          boot->host_features);
    if (!(boot->host_features & FEATURE_BLOCK_FLUSH))
        return;
    check(block_flush(H_DISK) == R_OK, "B9",
          "BLOCK_FLUSH of the disk answers OK [tender-only]");
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        bad_ok &= block_flush(bad[i]) == R_EINVAL;
    check(bad_ok, "B9",
          "BLOCK_FLUSH of handle 0, a net device, 64 and 2^64-1 answers "
          "EINVAL [tender-only]");
}

/* Queue n entries, kick if asked, and wait (in POLLs) for n commits. */
static int bring_run(volatile struct w_bring *r, const struct w_bring_entry *e,
                     uint32_t n)
{
    uint32_t tail = r->ent_tail, head = r->com_head;

    for (uint32_t i = 0; i < n; i++)
        *(volatile struct w_bring_entry *)&r
             ->entries[(tail + i) % BRING_SLOTS] = e[i];
    __atomic_store_n(&r->ent_tail, tail + n, __ATOMIC_RELEASE);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    if (__atomic_load_n(&r->needs_kick, __ATOMIC_ACQUIRE))
        __asm__ __volatile__("outl %0, %1"
                             :
                             : "a"(0), "Nd"((uint16_t)BLOCK_RING_KICK_PORT)
                             : "memory");
    for (int naps = 0; naps < 5000; naps++) {
        struct w_poll p = {1000000, 0, 0, 0};

        if (__atomic_load_n(&r->com_tail, __ATOMIC_ACQUIRE) - head == n)
            return 1;
        hc(HC_POLL, &p);
    }
    return 0;
}

/* D1-D5: tender's block ring, read and written as the rules say. */
static void check_block_ring(void)
{
    volatile struct w_bring *r;
    uint64_t bs = block_size, mem = boot->mem_size;
    uint32_t head;
    int ids = 1;

    if (!tender_only("D1", "bit 17 and the block ring are tender's extension",
                     "host_features offers the block ring"))
        return;
    check(boot->host_features & FEATURE_BLOCK_RING, "D1",
          "host_features has bit 17, the block ring (0x%x) [tender-only]",
          boot->host_features);
    if (!(boot->host_features & FEATURE_BLOCK_RING))
        return;
    r = (volatile struct w_bring *)(uintptr_t)(mem + BLOCK_RING_OFFSET);
    check(r->ent_head == r->ent_tail && r->com_tail == r->com_head, "D1",
          "the ring at mem_size + 1 MiB starts with nothing in it "
          "[tender-only]");
    head = r->com_head;
    fill(buf[0], 2 * bs, 9);
    memset(buf[1], 0, 2 * bs);
    {
        const struct w_bring_entry e[] = {
            {BRING_WRITE, H_DISK, (uintptr_t)buf[0], 2 * bs, 70, 4 * bs},
            {BRING_READ, H_DISK, (uintptr_t)buf[1], 2 * bs, 71, 4 * bs},
            {BRING_FLUSH, H_DISK, 0, 0, 72, 0},
            {BRING_READ, 64, (uintptr_t)buf[1], bs, 73, 0},
            {BRING_READ, H_DISK, (uintptr_t)buf[1], bs, 74, capacity},
            {BRING_READ, H_DISK, mem + BLOCK_RING_OFFSET, bs, 75, 0},
            {7, H_DISK, (uintptr_t)buf[1], bs, 76, 0},
        };
        const int32_t want[] = {R_OK,     R_OK,     R_OK,    R_EINVAL,
                                R_EINVAL, R_EINVAL, R_EINVAL};

        if (!bring_run(r, e, 7)) {
            check(0, "D3", "7 entries get their commits [tender-only]");
            return;
        }
        for (uint32_t i = 0; i < 7; i++) {
            const volatile struct w_bring_commit *c =
                &r->commits[(head + i) % BRING_SLOTS];

            ids &= c->id == 70 + i && c->ret == want[i] &&
                   c->len == (want[i] == R_OK && i < 2 ? 2 * bs : 0);
        }
    }
    check(ids, "D3",
          "7 entries handed over at once get 7 commits in order, with "
          "their ids, results and lengths [tender-only]");
    check(memcmp(buf[0], buf[1], 2 * bs) == 0, "D4",
          "a READ queued after a WRITE reads its data [tender-only]");
    __atomic_store_n(&r->com_head, head + 7, __ATOMIC_RELEASE);
    check(block_call(HC_BLOCK_READ, H_DISK, 4 * bs, buf[2], 2 * bs).ret ==
                  R_OK &&
              memcmp(buf[0], buf[2], 2 * bs) == 0,
          "D3", "the hypercall reads what the ring wrote [tender-only]");
}

/* Writes to "small" fail on the host once its file system is full. */
static void check_block_eunspec(const char *cmdline)
{
    uint64_t cap = mft->e[H_SMALL].u.block.capacity, off;
    int32_t ret = R_OK;

    if (!tender_only("R4",
                     "solo5-hvt exits 1 on a failed host write "
                     "(hvt_module_blk.c)",
                     "a BLOCK_WRITE that fails on the host answers EUNSPEC"))
        return;
    if (arg_value(cmdline, "eunspec") == NULL) {
        check(0, "R4",
              "a BLOCK_WRITE that fails on the host answers EUNSPEC: the "
              "driver could not set up a small file system");
        return;
    }
    memset(buf[3], 0x5a, sizeof(buf[3]));
    for (off = 0; off + 4096 <= cap && ret == R_OK; off += 4096)
        ret = block_call(HC_BLOCK_WRITE, H_SMALL, off, buf[3], 4096).ret;
    check(ret == R_EUNSPEC, "R4",
          "BLOCK_WRITE that fails on the host answers EUNSPEC (%d after %lu "
          "bytes) [tender-only]",
          ret, off);
}

static struct w_net net_call(int nr, uint64_t handle, void *data, uint64_t len)
{
    struct w_net n = {handle, (uint64_t)(uintptr_t)data, len, -1, 0};

    hc(nr, &n);
    return n;
}

static uint8_t frame[9216 + 64];

/* Read until AGAIN: whatever the host sent before we looked. */
static void check_net_again(uint64_t mtu)
{
    struct w_net n;
    int reads = 0;

    do
        n = net_call(HC_NET_READ, H_NIC, frame, mtu + 14);
    while (n.ret == R_OK && ++reads < 1000);
    check(n.ret == R_AGAIN, "R2",
          "NET_READ with nothing queued answers AGAIN (%d, after %d frames)",
          n.ret, reads);
}

static const uint8_t host_ip[4] = {10, 77, 0, 1}, guest_ip[4] = {10, 77, 0, 2};

/* An ARP request for the host's address, from ours. */
static uint64_t arp_request(uint8_t *f, const uint8_t *mac)
{
    static const uint8_t head[] = {0x08, 0x06, 0, 1, 0x08, 0, 6, 4, 0, 1};

    memset(f, 0xff, 6);
    memcpy(f + 6, mac, 6);
    memcpy(f + 12, head, sizeof(head));
    memcpy(f + 22, mac, 6);
    memcpy(f + 28, guest_ip, 4);
    memset(f + 32, 0, 6);
    memcpy(f + 38, host_ip, 4);
    return 42;
}

static int is_arp_reply(const uint8_t *f, uint64_t len, const uint8_t *mac)
{
    return len >= 42 && memcmp(f, mac, 6) == 0 && f[12] == 0x08 &&
           f[13] == 0x06 && f[21] == 2 && memcmp(f + 28, host_ip, 4) == 0;
}

/* POLL until the nic has input, 3 s at most. */
static struct w_poll poll_nic(void)
{
    struct w_poll p = {0, 0, 0, 0};

    for (int i = 0; i < 30; i++) {
        p.timeout_nsecs = 100000000ULL;
        hc(HC_POLL, &p);
        if (p.ready_set & (1ULL << H_NIC))
            break;
    }
    return p;
}

static void check_net_exchange(uint64_t mtu, const uint8_t *mac)
{
    uint8_t req[64];
    struct w_net n = net_call(HC_NET_WRITE, H_NIC, req, arp_request(req, mac));
    struct w_poll p;
    int found = 0;

    check(n.ret == R_OK, "H7", "NET_WRITE of an ARP request answers OK (%d)",
          n.ret);
    p = poll_nic();
    check(p.ready_set == (1ULL << H_NIC) && p.ret == 1, "H3",
          "POLL reports the nic's input as bit 1 << 2, ret 1 (0x%lx, %d)",
          p.ready_set, p.ret);
    for (int i = 0; i < 50 && !found; i++) {
        n = net_call(HC_NET_READ, H_NIC, frame, mtu + 14);
        if (n.ret == R_AGAIN)
            p = poll_nic();
        found = n.ret == R_OK && is_arp_reply(frame, n.len, mac);
    }
    check(found, "H8", "NET_READ returns the host's ARP reply");
    check(found && n.len >= 42 && n.len <= mtu + 14, "H8",
          "NET_READ sets len to the frame's size (%lu)", n.len);
}

static void check_net_einval(uint64_t mtu)
{
    static const uint64_t handles[] = {0, H_DISK, 64, 1ULL << 63};
    uint8_t req[64];

    memset(req, 0, sizeof(req));
    for (size_t i = 0; i < sizeof(handles) / sizeof(handles[0]); i++) {
        struct w_net w = net_call(HC_NET_WRITE, handles[i], req, 60);
        struct w_net r = net_call(HC_NET_READ, handles[i], frame, mtu + 14);

        check(w.ret == R_EINVAL && r.ret == R_EINVAL, "R3",
              "NET_WRITE and NET_READ to handle %lu answer EINVAL (%d, %d)",
              handles[i], w.ret, r.ret);
    }
}

/*
 * tender's stricter answers: a frame shorter than the Ethernet header or
 * longer than MTU + 14 is EINVAL (solo5-hvt hands it to the tap, whose
 * write fails, and exits 1), and a frame longer than the guest's buffer
 * is dropped with EINVAL and its size in len (solo5-hvt cuts it short).
 */
static void check_net_lengths(uint64_t mtu, const uint8_t *mac)
{
    static uint8_t small[20];
    uint8_t req[64];
    struct w_net n;
    int untouched = 1;

    if (tender_only("H7", "solo5-hvt exits 1 when the tap refuses a frame",
                    "NET_WRITE of 0, 13 and MTU + 15 bytes answers EINVAL")) {
        int32_t r0 = net_call(HC_NET_WRITE, H_NIC, frame, 0).ret;
        int32_t r1 = net_call(HC_NET_WRITE, H_NIC, frame, 13).ret;
        int32_t r2 = net_call(HC_NET_WRITE, H_NIC, frame, mtu + 15).ret;

        check(r0 == R_EINVAL && r1 == R_EINVAL && r2 == R_EINVAL, "H7",
              "NET_WRITE of 0, 13 and MTU + 15 bytes answers EINVAL (%d, %d, "
              "%d) [tender-only]",
              r0, r1, r2);
    }
    if (!tender_only("H8", "solo5-hvt cuts a long frame short",
                     "NET_READ of a frame longer than the buffer drops it: "
                     "EINVAL, len = the frame's size, buffer untouched"))
        return;
    for (int i = 0; i < 1000; i++) /* what came before: not ours to judge */
        if (net_call(HC_NET_READ, H_NIC, frame, mtu + 14).ret != R_OK)
            break;
    (void)net_call(HC_NET_WRITE, H_NIC, req, arp_request(req, mac));
    (void)poll_nic();
    memset(small, 0xa5, sizeof(small));
    n = net_call(HC_NET_READ, H_NIC, small, sizeof(small));
    for (size_t i = 0; i < sizeof(small); i++)
        untouched &= small[i] == 0xa5;
    check(n.ret == R_EINVAL && n.len >= 42 && n.len <= mtu + 14 && untouched,
          "H8",
          "NET_READ of a frame longer than the buffer drops it: EINVAL (%d), "
          "len = the frame's size (%lu), buffer untouched (%d) [tender-only]",
          n.ret, n.len, untouched);
    n = net_call(HC_NET_READ, H_NIC, frame, mtu + 14);
    check(n.ret == R_AGAIN ||
              (n.ret == R_OK && !is_arp_reply(frame, n.len, mac)),
          "H8",
          "the dropped frame is gone: the next NET_READ does not return it "
          "(%d) [tender-only]",
          n.ret);
}

int conf_main(const char *cmdline)
{
    uint64_t mtu;

    mft = (const struct w_mft *)(uintptr_t)boot->mft;
    if (mft->entries != 4) {
        say("Bail out! the manifest has %u entries, not 4\n", mft->entries);
        return 1;
    }
    block_size = mft->e[H_DISK].u.block.block_size;
    capacity = mft->e[H_DISK].u.block.capacity;
    mtu = mft->e[H_NIC].u.net.mtu;
    check_manifest(cmdline);
    if (mtu < 68 || mtu + 14 > sizeof(frame)) {
        say("Bail out! MTU %lu does not fit the frame buffer\n", mtu);
        return 1;
    }
    if (block_size < 512 || block_size > sizeof(buf[0]) ||
        capacity < 8 * block_size) {
        say("Bail out! block size %lu, capacity %lu\n", block_size, capacity);
        return 1;
    }
    check_block_io();
    check_block_einval();
    check_block_units();
    check_block_flush();
    check_block_ring();
    check_net_again(mtu);
    check_net_exchange(mtu, mft->e[H_NIC].u.net.mac);
    check_net_einval(mtu);
    check_net_lengths(mtu, mft->e[H_NIC].u.net.mac);
    /* Last: on a tender that stops the guest for it, nothing is lost. */
    check_block_eunspec(cmdline);
    return 0;
}

/*
 * tender's block ring (TENDER_FEATURE_BLOCK_RING), abused and used.  One
 * case per run, named by the argument:
 *
 *   entries   raw entries written into the ring: bad handles, offsets
 *             and lengths that are not whole sectors inside the disk,
 *             buffers outside memory, in the ring region or (for a READ)
 *             in the read-only text, unknown operations, a FLUSH of no
 *             disk: each must get exactly one EINVAL commit with its id,
 *             in order.  A FLUSH's other fields are ignored (OK).  Good
 *             entries then work, a kick storm changes nothing, and the
 *             library's calls still work.  Prints "block_ring_hostile:
 *             PASS" and exits 0.
 *   tail      ent_tail more than a ring ahead, then a kick: the monitor
 *             must stop the guest (241).
 *   comhead   com_head ahead of com_tail, then an entry: likewise.
 *   inflight  a full ring of reads and writes queued, then HALT at once:
 *             exits 7, whatever was still in flight.
 *   wedge     fills the commit ring and never consumes it, with entries
 *             still queued, then spins forever: the monitor must still
 *             stop on SIGTERM.
 *   kick      one kick (run with --no-block-ring: the port is not served).
 *   pattern   through the library (tender_block_submit/reap/wait): every
 *             4 KiB block of the disk written once, in a random order, in
 *             batches, with a read of the same block behind each write in
 *             the same batch (which must see it), then a flush; all read
 *             back at random through the ring and in order through the
 *             hypercalls.  Block b holds 256 lines "block %05u ok.\n"
 *             (16 bytes each), so the host can check the file.  Runs on
 *             any hvt tender (without the ring: by hypercalls).
 *
 * Device: "disk" (at least 64 KiB; pattern wants a multiple of 4 KiB).
 * Built as block_ring_hostile_net.elf, it has a network device "net0" as
 * well, and pattern sends a frame through it after its reads.
 */
#include <tender/guest.h>
#include <tender/stdio.h>
#include <tender/string.h>

#ifdef WITH_NET_DEVICE
/* Both rings, in the same 2 MiB: the block ring must not trip the other. */
TENDER_MANIFEST(TENDER_BLOCK_DEVICE("disk"), TENDER_NET_DEVICE("net0"));
#else
TENDER_MANIFEST(TENDER_BLOCK_DEVICE("disk"));
#endif

#define BLOCK 4096

static int failures;
static uint8_t buf[2 * BLOCK] __attribute__((aligned(BLOCK)));

static const struct hvt_boot_info *boot(void)
{
    return (const struct hvt_boot_info *)(uintptr_t)HVT_BOOT_INFO_GPA;
}

static volatile struct tender_block_ring *the_ring;

static void check(int ok, const char *what)
{
    if (!ok) {
        printf("block_ring_hostile: FAIL: %s\n", what);
        failures++;
    }
}

static void kick(void)
{
    __asm__ __volatile__("outl %0, %1"
                         :
                         : "a"(0), "Nd"((uint16_t)TENDER_BLOCK_RING_KICK_PIO)
                         : "memory");
}

/* Queue one raw entry and kick (always: the monitor may sleep or not). */
static void put(uint32_t op, uint32_t handle, uint64_t offset, uint64_t gpa,
                uint32_t len, uint32_t id)
{
    volatile struct tender_block_ring *r = the_ring;
    volatile struct tender_block_ring_entry *e =
        &r->entries[r->ent_tail & HVT_RING_MASK];

    e->op = op;
    e->handle = handle;
    e->data_gpa = gpa;
    e->len = len;
    e->id = id;
    e->offset = offset;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    r->ent_tail = r->ent_tail + 1;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    kick();
}

/* Wait for the commit of every entry; 0 if it never comes. */
static int committed(void)
{
    volatile struct tender_block_ring *r = the_ring;
    uint64_t until = tender_clock_monotonic() + 5000000000ULL;

    while (r->com_tail != r->ent_tail) {
        if (tender_clock_monotonic() > until)
            return 0;
        __asm__ __volatile__("pause");
    }
    return 1;
}

/* The next commit: its id, result and length. */
static void expect_commit(uint32_t id, int32_t ret, uint32_t len,
                          const char *what)
{
    volatile struct tender_block_ring *r = the_ring;
    volatile struct hvt_ring_commit *c;

    check(r->com_tail != r->com_head, what);
    if (r->com_tail == r->com_head)
        return;
    c = &r->commits[r->com_head & HVT_RING_MASK];
    if (c->id != id || c->ret != ret || c->len != len) {
        printf("block_ring_hostile: FAIL: %s: commit id %u ret %d len %u, "
               "expected id %u ret %d len %u\n",
               what, c->id, c->ret, c->len, id, ret, len);
        failures++;
    }
    r->com_head = r->com_head + 1;
}

extern char __tender_text_start[];

/* As the library does: guest_features, read-only, with CR0.WP clear. */
static void accept_ring(void)
{
    volatile struct hvt_boot_info *bi = (struct hvt_boot_info *)boot();
    uint64_t cr0;

    __asm__ __volatile__("mov %%cr0, %0" : "=r"(cr0));
    __asm__ __volatile__("mov %0, %%cr0" : : "r"(cr0 & ~(1ULL << 16)));
    bi->guest_features |= TENDER_FEATURE_BLOCK_RING;
    __asm__ __volatile__("mov %0, %%cr0" : : "r"(cr0) : "memory");
}

/* Where a bad entry's buffer goes. */
enum where { GOOD, PAST_END, NET_AREA, IN_RING, TEXT, WRAPS, ZERO };

static int entries(const struct tender_block_info *disk)
{
    const uint64_t cap = disk->capacity, ss = disk->sector_size;
    static const struct bad {
        uint32_t op, handle; /* handle 1: the disk's */
        int offset;          /* 0: 0; 1: ss/2; 2: cap; 3: cap - ss;
                                4: 2^64 - ss */
        int where;
        uint32_t len; /* 1: ss; 2: 2 ss; 3: ss/2; 4: ss+1; 0: 0 */
        const char *what;
    } bad[] = {
        {TENDER_BLOCK_RING_OP_READ, 0, 0, GOOD, 1, "read, handle 0"},
        {TENDER_BLOCK_RING_OP_READ, 5, 0, GOOD, 1, "read, no device 5"},
        {TENDER_BLOCK_RING_OP_WRITE, 0xffffffffU, 0, GOOD, 1,
         "write, handle 2^32-1"},
        {TENDER_BLOCK_RING_OP_READ, 1, 1, GOOD, 1, "read, unaligned offset"},
        {TENDER_BLOCK_RING_OP_WRITE, 1, 1, GOOD, 1, "write, unaligned offset"},
        {TENDER_BLOCK_RING_OP_READ, 1, 0, GOOD, 3, "read, half a sector"},
        {TENDER_BLOCK_RING_OP_WRITE, 1, 0, GOOD, 4, "write, a sector and 1"},
        {TENDER_BLOCK_RING_OP_READ, 1, 0, GOOD, 0, "read, length 0"},
        {TENDER_BLOCK_RING_OP_WRITE, 1, 0, GOOD, 0, "write, length 0"},
        {TENDER_BLOCK_RING_OP_READ, 1, 2, GOOD, 1, "read at the capacity"},
        {TENDER_BLOCK_RING_OP_WRITE, 1, 3, GOOD, 2, "write across the end"},
        {TENDER_BLOCK_RING_OP_READ, 1, 4, GOOD, 2, "read, offset+len wraps"},
        {TENDER_BLOCK_RING_OP_READ, 1, 0, PAST_END, 1, "read across memory"},
        {TENDER_BLOCK_RING_OP_WRITE, 1, 0, PAST_END, 1,
         "write from across memory"},
        {TENDER_BLOCK_RING_OP_READ, 1, 0, NET_AREA, 1,
         "read into the network ring's area"},
        {TENDER_BLOCK_RING_OP_READ, 1, 0, IN_RING, 1, "read into the ring"},
        {TENDER_BLOCK_RING_OP_WRITE, 1, 0, IN_RING, 1, "write from the ring"},
        {TENDER_BLOCK_RING_OP_READ, 1, 0, TEXT, 1, "read into the text"},
        {TENDER_BLOCK_RING_OP_READ, 1, 0, WRAPS, 1, "read, buffer wraps"},
        {0, 1, 0, GOOD, 1, "operation 0"},
        {99, 1, 0, GOOD, 1, "operation 99"},
        {TENDER_BLOCK_RING_OP_FLUSH, 0, 0, ZERO, 0, "flush, handle 0"},
        {TENDER_BLOCK_RING_OP_FLUSH, 7, 0, ZERO, 0, "flush, no device 7"},
    };
    const uint64_t mem = boot()->mem_size;
    const uint64_t offsets[] = {0, ss / 2, cap, cap - ss, 0 - ss};
    const uint32_t lens[] = {0, (uint32_t)ss, (uint32_t)(2 * ss),
                             (uint32_t)(ss / 2), (uint32_t)(ss + 1)};
    uint64_t gpas[] = {(uint64_t)(uintptr_t)buf,
                       mem - 16,
                       mem + 4096,
                       mem + TENDER_BLOCK_RING_OFFSET + 256,
                       (uint64_t)(uintptr_t)__tender_text_start,
                       UINT64_MAX - 8,
                       0};
    struct tender_block_req req = {
        TENDER_BLOCK_WRITE, disk->handle, 0, buf, BLOCK, 42};
    struct tender_block_done done;
    uint32_t id = 100;

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        const struct bad *b = &bad[i];

        put(b->op, b->handle == 1 ? (uint32_t)disk->handle : b->handle,
            offsets[b->offset], gpas[b->where], lens[b->len], id);
        check(committed(), "the monitor commits every entry");
        expect_commit(id, HVT_EINVAL, 0, b->what);
        id++;
    }
    /* The same again, all at once: one commit each, in order. */
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        const struct bad *b = &bad[i];

        put(b->op, b->handle == 1 ? (uint32_t)disk->handle : b->handle,
            offsets[b->offset], gpas[b->where], lens[b->len], id + i);
    }
    check(committed(), "the monitor commits a batch of bad entries");
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        expect_commit(id + i, HVT_EINVAL, 0, bad[i].what);
    id += sizeof(bad) / sizeof(bad[0]);

    /* Good entries: a write, a read of it, a flush with junk in the
     * fields it ignores. */
    memset(buf, 0x5a, BLOCK);
    put(TENDER_BLOCK_RING_OP_WRITE, (uint32_t)disk->handle, cap - BLOCK,
        gpas[GOOD], BLOCK, id);
    put(TENDER_BLOCK_RING_OP_READ, (uint32_t)disk->handle, cap - BLOCK,
        gpas[GOOD] + BLOCK, BLOCK, id + 1);
    put(TENDER_BLOCK_RING_OP_FLUSH, (uint32_t)disk->handle, 12345, mem - 1, 7,
        id + 2);
    check(committed(), "the monitor commits good entries");
    expect_commit(id, HVT_OK, BLOCK, "a good write");
    expect_commit(id + 1, HVT_OK, BLOCK, "a good read");
    expect_commit(id + 2, HVT_OK, 0, "a flush with junk in ignored fields");
    check(memcmp(buf, buf + BLOCK, BLOCK) == 0, "the read sees the write");
    id += 3;

    /* A kick storm. */
    for (int i = 0; i < 100000; i++)
        kick();
    put(TENDER_BLOCK_RING_OP_READ, (uint32_t)disk->handle, 0, gpas[GOOD], BLOCK,
        id);
    check(committed(), "the ring is served after a kick storm");
    expect_commit(id, HVT_OK, BLOCK, "a read after a kick storm");

    /* And the library, which takes the ring on from here. */
    check(tender_block_ring_in_use(), "the library uses the ring");
    check(tender_block_submit(&req, 1) == 1, "the library submits");
    check(tender_block_wait(&done, 1) == 1 && done.tag == 42 &&
              done.result == HVT_OK && done.len == BLOCK,
          "the library's write completes");
    printf("block_ring_hostile: %s\n", failures ? "FAIL" : "PASS");
    return failures ? 1 : 0;
}

/* Line l of block b of the pattern: 16 bytes. */
static void pattern_block(uint8_t *p, uint64_t b)
{
    char line[20];

    for (int l = 0; l < BLOCK / 16; l++) {
        snprintf(line, sizeof(line), "block %05u ok.\n", (unsigned)b);
        memcpy(p + l * 16, line, 16);
    }
}

/* xorshift64*. */
static uint64_t next_random(uint64_t *state)
{
    uint64_t x = *state;

    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 0x2545f4914f6cdd1dULL;
}

#define PATTERN_MAX_BLOCKS 1024
#define PATTERN_BATCH 32

static uint8_t pbufs[PATTERN_BATCH][BLOCK] __attribute__((aligned(BLOCK)));
static uint8_t rbufs[PATTERN_BATCH][BLOCK] __attribute__((aligned(BLOCK)));
static uint8_t expect_buf[BLOCK];
static uint16_t order[PATTERN_MAX_BLOCKS];

/* Submit all n, waiting for room; gather the completions' results. */
static void run_batch(const struct tender_block_req *reqs, size_t n)
{
    struct tender_block_done done[2 * PATTERN_BATCH];
    size_t sent = 0, got = 0;

    while (got < n) {
        sent += tender_block_submit(reqs + sent, n - sent);
        for (size_t k = tender_block_wait(done, 2 * PATTERN_BATCH), i = 0;
             i < k; i++, got++)
            if (done[i].result != HVT_OK || done[i].len != reqs[0].len) {
                printf("block_ring_hostile: FAIL: request %llu: result %d "
                       "len %llu\n",
                       (unsigned long long)done[i].tag, done[i].result,
                       (unsigned long long)done[i].len);
                failures++;
            }
    }
}

/*
 * A full ring of writes of 'I' to blocks 0-15 and reads of them, queued
 * without a kick (the monitor's thread sleeps until the first one), then
 * HALT: only the monitor's last pass over the ring can write the 'I's.
 */
static int inflight(const struct tender_block_info *disk)
{
    volatile struct tender_block_ring *r = the_ring;
    uint64_t gpa = (uint64_t)(uintptr_t)buf;

    memset(buf, 'I', BLOCK);
    for (uint32_t i = 0; i < HVT_RING_SIZE; i++) {
        volatile struct tender_block_ring_entry *e =
            &r->entries[(r->ent_tail + i) & HVT_RING_MASK];
        int reading = i % 2;

        e->op =
            reading ? TENDER_BLOCK_RING_OP_READ : TENDER_BLOCK_RING_OP_WRITE;
        e->handle = (uint32_t)disk->handle;
        e->data_gpa = reading ? gpa + BLOCK : gpa;
        e->len = BLOCK;
        e->id = i;
        e->offset = (i / 2 % 16) * BLOCK;
    }
    __atomic_store_n(&r->ent_tail, r->ent_tail + HVT_RING_SIZE,
                     __ATOMIC_RELEASE);
    return 7;
}

static int pattern(const struct tender_block_info *disk)
{
    uint64_t blocks = disk->capacity / BLOCK, seed = 0x1234567887654321ULL;
    struct tender_block_req reqs[2 * PATTERN_BATCH];
    struct tender_block_req flush = {
        TENDER_BLOCK_FLUSH, disk->handle, 0, NULL, 0, 999999};
    struct tender_block_done done;

    if (blocks > PATTERN_MAX_BLOCKS)
        blocks = PATTERN_MAX_BLOCKS;
    for (uint64_t b = 0; b < blocks; b++)
        order[b] = (uint16_t)b;
    for (uint64_t b = blocks - 1; b > 0; b--) { /* Fisher-Yates */
        uint64_t j = next_random(&seed) % (b + 1);
        uint16_t t = order[b];

        order[b] = order[j];
        order[j] = t;
    }
    /* Writes in random order, each followed in its batch by a read of the
     * same block: served in order, the read must see the write. */
    for (uint64_t b = 0; b < blocks; b += PATTERN_BATCH) {
        size_t n = 0;

        for (uint64_t i = b; i < blocks && i < b + PATTERN_BATCH; i++) {
            size_t k = i - b;
            uint64_t off = (uint64_t)order[i] * BLOCK;

            pattern_block(pbufs[k], order[i]);
            memset(rbufs[k], 0, BLOCK);
            reqs[n++] = (struct tender_block_req){
                TENDER_BLOCK_WRITE, disk->handle, off, pbufs[k], BLOCK, i};
            reqs[n++] = (struct tender_block_req){
                TENDER_BLOCK_READ, disk->handle, off, rbufs[k], BLOCK, i};
        }
        run_batch(reqs, n);
        for (size_t k = 0; k < n / 2; k++)
            check(memcmp(pbufs[k], rbufs[k], BLOCK) == 0,
                  "a read behind a write in the same batch sees it");
    }
    if (tender_block_can_flush() || tender_block_ring_in_use()) {
        check(tender_block_submit(&flush, 1) == 1, "flush submitted");
        check(tender_block_wait(&done, 1) == 1 && done.tag == 999999 &&
                  done.result == HVT_OK,
              "the flush completes");
    }
    /* Read back at random through the ring (or hypercalls). */
    for (uint64_t b = 0; b < blocks; b += PATTERN_BATCH) {
        size_t n = 0;

        for (uint64_t i = b; i < blocks && i < b + PATTERN_BATCH; i++) {
            uint64_t blk = next_random(&seed) % blocks;

            order[i - b] = (uint16_t)blk;
            reqs[n++] = (struct tender_block_req){
                TENDER_BLOCK_READ, disk->handle, blk * BLOCK,
                rbufs[i - b],      BLOCK,        i};
        }
        run_batch(reqs, n);
        for (size_t k = 0; k < n; k++) {
            pattern_block(expect_buf, order[k]);
            check(memcmp(expect_buf, rbufs[k], BLOCK) == 0,
                  "a random read back through the asynchronous calls");
        }
    }
    /* And every block in order through the hypercalls. */
    for (uint64_t b = 0; b < blocks; b++) {
        check(tender_block_read(disk->handle, b * BLOCK, rbufs[0], BLOCK) ==
                  HVT_OK,
              "a read through the hypercall");
        pattern_block(expect_buf, b);
        check(memcmp(expect_buf, rbufs[0], BLOCK) == 0,
              "the hypercall reads what the ring wrote");
    }
#ifdef WITH_NET_DEVICE
    {
        struct tender_net_info net;
        uint8_t frame[64] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

        frame[12] = 0x88;
        frame[13] = 0xb5;
        check(tender_net_acquire("net0", &net) == HVT_OK &&
                  tender_net_write(net.handle, frame, sizeof(frame)) == HVT_OK,
              "a frame beside the block ring");
    }
#endif
    printf("block ring: %s\n",
           tender_block_ring_in_use() ? "in use" : "not offered");
    if (failures)
        printf("block_ring_hostile: pattern FAIL\n");
    else
        printf("block_ring_hostile: pattern ok: %llu blocks written at "
               "random, read back both ways\n",
               (unsigned long long)blocks);
    return failures ? 1 : 0;
}

int tender_app_main(const struct tender_start_info *si)
{
    struct tender_block_info disk;
    volatile struct tender_block_ring *r;
    const char *mode = si->argc > 1 ? si->argv[1] : "";
    uint64_t gpa = (uint64_t)(uintptr_t)buf;

    if (tender_block_acquire("disk", &disk) != HVT_OK)
        return 2;
    if (strcmp(mode, "pattern") == 0)
        return pattern(&disk);
    if (strcmp(mode, "kick") == 0) {
        kick();
        return 3;
    }
    if (!(boot()->host_features & TENDER_FEATURE_BLOCK_RING)) {
        printf("block_ring_hostile: FAIL: no ring offered\n");
        return 1;
    }
    /* The library is left alone until entries' end, where it takes the
     * ring over as it then is. */
    accept_ring();
    the_ring = (volatile struct tender_block_ring
                    *)(uintptr_t)(boot()->mem_size + TENDER_BLOCK_RING_OFFSET);
    r = the_ring;
    printf("block_ring_hostile: %s\n", mode);
    if (strcmp(mode, "entries") == 0)
        return entries(&disk);
    if (strcmp(mode, "tail") == 0) {
        r->ent_tail = r->ent_tail + HVT_RING_SIZE + 1;
        kick();
        for (;;)
            __asm__ __volatile__("pause");
    }
    if (strcmp(mode, "comhead") == 0) {
        r->com_head = r->com_tail + 10;
        put(TENDER_BLOCK_RING_OP_READ, (uint32_t)disk.handle, 0, gpa, BLOCK, 1);
        for (;;)
            __asm__ __volatile__("pause");
    }
    if (strcmp(mode, "inflight") == 0)
        return inflight(&disk);
    if (strcmp(mode, "wedge") == 0) {
        /* Commits for HVT_RING_SIZE only: the last 10 cannot come. */
        for (uint32_t i = 0; i < HVT_RING_SIZE + 10; i++) {
            while (r->ent_tail - r->ent_head >= HVT_RING_SIZE)
                __asm__ __volatile__("pause");
            put(TENDER_BLOCK_RING_OP_READ, (uint32_t)disk.handle, 0, gpa, BLOCK,
                i);
        }
        printf("block_ring_hostile: wedged\n");
        for (;;)
            __asm__ __volatile__("pause");
    }
    return 1;
}

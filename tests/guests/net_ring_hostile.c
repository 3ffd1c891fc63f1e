/*
 * A guest that abuses hvt's network ring (RING_IO) by writing its entries
 * and indices itself.  One misbehaviour per run, named by the argument:
 *
 *   entries   bad NET_READ entries (bad handles, no buffer, buffers past
 *             memory, wrapping, in the ring itself, in the read-only text)
 *             and unknown operations must each get one EINVAL commit with
 *             their id; bad NET_WRITE entries (too long for a slot or the
 *             MTU, too short, outside memory) are consumed, dropped and
 *             reported on the monitor's log; a kick storm
 *             changes nothing; a fake ring named in a rewritten boot info
 *             is ignored.  Then a frame through the library still goes.
 *             Prints "net_ring_hostile: PASS" and exits 0.
 *   tail      ent_tail more than a ring ahead, then a kick: the monitor
 *             must stop the guest (241).
 *   comhead   com_head ahead of com_tail, then a read: likewise.
 *   inflight  a full ring of writes and reads queued, then HALT at once:
 *             exits 7, whatever was still in flight.
 *   wedge     fills the commit ring and never consumes it, then waits
 *             forever for a commit: the monitor must still stop on
 *             SIGTERM.
 *   kick      one kick (run with --no-net-ring: the port is not served).
 *
 * Device: "net0".
 */
#include <tender/guest.h>
#include <tender/stdio.h>
#include <tender/string.h>

TENDER_MANIFEST(TENDER_NET_DEVICE("net0"));

static int failures;
static uint8_t buf[2048];
static uint8_t frame[64];

static const struct hvt_boot_info *boot(void)
{
    return (const struct hvt_boot_info *)(uintptr_t)HVT_BOOT_INFO_GPA;
}

/* The ring the monitor offered, as boot info said at start. */
static volatile struct hvt_ring *the_ring;

static volatile struct hvt_ring *ring(void)
{
    return the_ring;
}

static void kick(void)
{
    __asm__ __volatile__("outl %0, %1"
                         :
                         : "a"(0), "Nd"((uint16_t)HVT_RING_KICK_PIO)
                         : "memory");
}

static void check(int ok, const char *what)
{
    if (!ok) {
        printf("net_ring_hostile: FAIL: %s\n", what);
        failures++;
    }
}

/* Queue an entry and kick (always: the monitor may be awake or not). */
static void put(uint32_t op, uint32_t handle, uint64_t gpa, uint32_t len,
                uint32_t id)
{
    volatile struct hvt_ring *r = ring();
    volatile struct hvt_ring_entry *e =
        &r->entries[r->ent_tail & HVT_RING_MASK];

    e->op = op;
    e->handle = handle;
    e->data_gpa = gpa;
    e->len = len;
    e->id = id;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    r->ent_tail = r->ent_tail + 1;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    kick();
}

/* Wait for the monitor to take every entry; 0 if it never does. */
static int drained(void)
{
    volatile struct hvt_ring *r = ring();
    uint64_t until = tender_clock_monotonic() + 5000000000ULL;

    while (r->ent_head != r->ent_tail) {
        if (tender_clock_monotonic() > until)
            return 0;
        __asm__ __volatile__("pause");
    }
    return 1;
}

/* The next commit: its id and result. */
static void expect_commit(uint32_t id, int32_t ret, const char *what)
{
    volatile struct hvt_ring *r = ring();
    volatile struct hvt_ring_commit *c;

    check(r->com_tail != r->com_head, what);
    if (r->com_tail == r->com_head)
        return;
    c = &r->commits[r->com_head & HVT_RING_MASK];
    if (c->id != id || c->ret != ret) {
        printf("net_ring_hostile: FAIL: %s: commit id %u ret %d, expected "
               "id %u ret %d\n",
               what, c->id, c->ret, id, ret);
        failures++;
    }
    r->com_head = r->com_head + 1;
}

extern char __tender_text_start[];

static int entries(uint64_t handle)
{
    uint64_t mem = boot()->mem_size, ring_gpa = boot()->net_ring_gpa;
    uint64_t text = (uint64_t)(uintptr_t)__tender_text_start;
    uint64_t good = (uint64_t)(uintptr_t)buf;
    static const struct {
        uint32_t op, handle;
        int64_t gpa; /* -1 past memory, -2 the ring, -3 text, -4 wraps */
        uint32_t len;
        const char *what;
    } bad[] = {
        {HVT_RING_OP_NET_READ, 0, 0, 1514, "read, handle 0"},
        {HVT_RING_OP_NET_READ, 5, 0, 1514, "read, no device 5"},
        {HVT_RING_OP_NET_READ, 0xffffffffU, 0, 1514, "read, handle 2^32-1"},
        {HVT_RING_OP_NET_READ, 1, 0, 0, "read, no buffer"},
        {HVT_RING_OP_NET_READ, 1, -1, 1514, "read across the end"},
        {HVT_RING_OP_NET_READ, 1, -2, 1514, "read into the ring"},
        {HVT_RING_OP_NET_READ, 1, -3, 1514, "read into the text"},
        {HVT_RING_OP_NET_READ, 1, -4, 1514, "read, wrapping buffer"},
        {0, 1, 0, 64, "operation 0"},
        {99, 1, 0, 64, "operation 99"},
    };
    volatile struct hvt_ring *r = ring();
    struct hvt_boot_info *bi = (struct hvt_boot_info *)boot();
    uint32_t id = 100;
    size_t len;
    uint64_t cr0;
    int ret;

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        uint64_t gpa = bad[i].gpa == -1   ? mem - 16
                       : bad[i].gpa == -2 ? ring_gpa + 256
                       : bad[i].gpa == -3 ? text
                       : bad[i].gpa == -4 ? UINT64_MAX - 8
                                          : good;
        uint32_t h = bad[i].handle == 1 ? (uint32_t)handle : bad[i].handle;

        put(bad[i].op, h, gpa, bad[i].len, id);
        check(drained(), "the monitor takes every entry");
        expect_commit(id, HVT_EINVAL, bad[i].what);
        id++;
    }
    /* Bad writes: consumed, no commit (hvt's writes have none). */
    put(HVT_RING_OP_NET_WRITE, (uint32_t)handle, good, HVT_RING_BUF_SIZE + 1,
        id++);
    put(HVT_RING_OP_NET_WRITE, (uint32_t)handle, good, 13, id++);
    put(HVT_RING_OP_NET_WRITE, (uint32_t)handle, good, 1515 + 100, id++);
    put(HVT_RING_OP_NET_WRITE, (uint32_t)handle, mem - 10, 64, id++);
    put(HVT_RING_OP_NET_WRITE, (uint32_t)handle, ring_gpa, 64, id++);
    put(HVT_RING_OP_NET_WRITE, 0, good, 64, id++);
    check(drained(), "the monitor takes the bad writes");
    check(r->com_tail == r->com_head, "bad writes get no commit");
    /* A kick storm. */
    for (int i = 0; i < 100000; i++)
        kick();
    /* A fake ring named in boot info (rewritten with CR0.WP clear): the
     * monitor keeps using its own. */
    __asm__ __volatile__("mov %%cr0, %0" : "=r"(cr0));
    __asm__ __volatile__("mov %0, %%cr0" : : "r"(cr0 & ~(1ULL << 16)));
    bi->net_ring_gpa = good;
    bi->mem_size = mem / 2;
    __asm__ __volatile__("mov %0, %%cr0" : : "r"(cr0) : "memory");
    memset(buf, 0xff, sizeof(buf));
    kick();
    /* Still served: a read through the real ring (nothing queued). */
    put(HVT_RING_OP_NET_READ, (uint32_t)handle, good, 1514, id);
    check(drained(), "the monitor still serves the ring");
    expect_commit(id, HVT_AGAIN, "a good read after all that");
    /* And through the library (the boot info put back first). */
    __asm__ __volatile__("mov %0, %%cr0" : : "r"(cr0 & ~(1ULL << 16)));
    bi->net_ring_gpa = ring_gpa;
    bi->mem_size = mem;
    __asm__ __volatile__("mov %0, %%cr0" : : "r"(cr0) : "memory");
    memset(frame, 0xff, 6);
    frame[12] = 0x88;
    frame[13] = 0xb5;
    check(tender_net_write(handle, frame, sizeof(frame)) == HVT_OK,
          "a frame through the library");
    ret = tender_net_read(handle, buf, sizeof(buf), &len);
    check(ret == HVT_AGAIN || ret == HVT_OK, "a read through the library");
    check(drained(), "the monitor takes the library's entries");
    printf("net_ring_hostile: %s\n", failures ? "FAIL" : "PASS");
    return failures ? 1 : 0;
}

int tender_app_main(const struct tender_start_info *si)
{
    struct tender_net_info net;
    volatile struct hvt_ring *r;
    const char *mode = si->argc > 1 ? si->argv[1] : "";

    if (tender_net_acquire("net0", &net) != HVT_OK)
        return 2;
    if (strcmp(mode, "kick") == 0) {
        kick();
        return 3;
    }
    if (!(boot()->host_features & HVT_FEATURE_RING_IO) ||
        boot()->net_ring_gpa != boot()->mem_size) {
        printf("net_ring_hostile: FAIL: no ring offered\n");
        return 1;
    }
    the_ring = (volatile struct hvt_ring *)(uintptr_t)boot()->net_ring_gpa;
    r = ring();
    printf("net_ring_hostile: %s\n", mode);
    if (strcmp(mode, "entries") == 0)
        return entries(net.handle);
    if (strcmp(mode, "tail") == 0) {
        r->ent_tail = r->ent_tail + HVT_RING_SIZE + 1;
        kick();
        for (;;)
            __asm__ __volatile__("pause");
    }
    if (strcmp(mode, "comhead") == 0) {
        r->com_head = r->com_tail + 10;
        put(HVT_RING_OP_NET_READ, (uint32_t)net.handle,
            (uint64_t)(uintptr_t)buf, 1514, 1);
        for (;;)
            __asm__ __volatile__("pause");
    }
    if (strcmp(mode, "inflight") == 0) {
        for (uint32_t i = 0; i < HVT_RING_SIZE - 1; i++) {
            while (r->ent_tail - r->ent_head >= HVT_RING_SIZE - 1)
                __asm__ __volatile__("pause");
            put(i % 2 ? HVT_RING_OP_NET_READ : HVT_RING_OP_NET_WRITE,
                (uint32_t)net.handle, (uint64_t)(uintptr_t)buf, 64, i);
        }
        return 7;
    }
    if (strcmp(mode, "wedge") == 0) {
        for (uint32_t i = 0; i <= HVT_RING_SIZE + 10; i++) {
            while (r->ent_tail - r->ent_head >= HVT_RING_SIZE)
                __asm__ __volatile__("pause");
            if (i == HVT_RING_SIZE + 10)
                break;
            put(HVT_RING_OP_NET_READ, (uint32_t)net.handle,
                (uint64_t)(uintptr_t)buf, 1514, i);
        }
        printf("net_ring_hostile: wedged\n");
        for (;;)
            __asm__ __volatile__("pause");
    }
    return 1;
}

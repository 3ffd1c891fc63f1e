/*
 * The network ring's checks without KVM (monitor/net_ring.c): index
 * bounds, entry checks, and serving a ring that a hostile guest wrote, on
 * a hand-made VM whose "guest memory" is a heap buffer with the ring right
 * above it, and whose "taps" are SOCK_SEQPACKET socket pairs (one frame
 * per message, as a tap).
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net_ring.h"
#include "unit_suites.h"

#define MEM_SIZE (1ULL << 20)
#define MTU 1500
#define NET 2 /* the one network handle */

struct fake {
    struct tender_vm *vm;
    struct net_ring *ring;
    struct hvt_ring *r;
    int tap[2]; /* [0] the monitor's end, [1] the "host network" */
};

static struct fake f;

static void fake_init(void)
{
    memset(&f, 0, sizeof(f));
    f.vm = calloc(1, sizeof(*f.vm));
    f.ring = calloc(1, sizeof(*f.ring));
    ck_assert(f.vm != NULL && f.ring != NULL);
    /* Guest memory, then the ring's region above it. */
    f.vm->mem.base = calloc(1, MEM_SIZE + sizeof(struct hvt_ring));
    ck_assert(f.vm->mem.base != NULL);
    f.vm->mem.size = MEM_SIZE;
    f.vm->ring_gpa = MEM_SIZE;
    /* "Text" the host maps read-only: 64 KiB from 0x80000. */
    f.vm->ro_range[0].start = 0x80000;
    f.vm->ro_range[0].end = 0x90000;
    f.vm->n_ro_ranges = 1;
    f.r = (struct hvt_ring *)(f.vm->mem.base + MEM_SIZE);
    f.ring->vm = f.vm;
    f.ring->shared = f.r;
    for (int h = 0; h < HVT_MFT_MAX_ENTRIES; h++)
        f.ring->dev[h].fd = -1;
    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, f.tap), 0);
    fcntl(f.tap[0], F_SETFL, O_NONBLOCK);
    fcntl(f.tap[1], F_SETFL, O_NONBLOCK);
    f.ring->dev[NET].fd = f.tap[0];
    f.ring->dev[NET].max_frame = MTU + 14;
    f.ring->dev[NET].name = "net";
    f.ring->dev[NET].ifname = "tap0";
    f.ring->rx_size = MTU + 14 + 4 + 1;
    f.ring->rx_buf = malloc(f.ring->rx_size);
    ck_assert(f.ring->rx_buf != NULL);
}

static void fake_fini(void)
{
    close(f.tap[0]);
    close(f.tap[1]);
    free(f.ring->rx_buf);
    free(f.vm->mem.base);
    free(f.ring);
    free(f.vm);
}

/* Queue an entry as a guest would. */
static void put(uint32_t op, uint32_t handle, uint64_t gpa, uint32_t len)
{
    struct hvt_ring_entry *e = &f.r->entries[f.r->ent_tail & HVT_RING_MASK];

    e->op = op;
    e->handle = handle;
    e->data_gpa = gpa;
    e->len = len;
    e->id = f.r->ent_tail + 1000;
    f.r->ent_tail++;
}

static const struct hvt_ring_commit *commit(uint32_t i)
{
    return &f.r->commits[i & HVT_RING_MASK];
}

START_TEST(test_pending)
{
    ck_assert_int_eq(ring_pending(0, 0), 0);
    ck_assert_int_eq(ring_pending(5, 10), 5);
    ck_assert_int_eq(ring_pending(0xfffffffeU, 2), 4); /* wraps */
    ck_assert_int_eq(ring_pending(7, 7 + HVT_RING_SIZE), HVT_RING_SIZE);
    ck_assert_int_eq(ring_pending(7, 8 + HVT_RING_SIZE), -1);
    ck_assert_int_eq(ring_pending(10, 5), -1); /* behind our head */
    ck_assert_int_eq(ring_pending(0, 0xffffffffU), -1);
}
END_TEST

START_TEST(test_commit_room)
{
    ck_assert_int_eq(ring_commit_room(0, 0), HVT_RING_SIZE);
    ck_assert_int_eq(ring_commit_room(HVT_RING_SIZE, 0), 0);
    ck_assert_int_eq(ring_commit_room(3, 1), HVT_RING_SIZE - 2);
    ck_assert_int_eq(ring_commit_room(1, 0xffffffffU), HVT_RING_SIZE - 2);
    ck_assert_int_eq(ring_commit_room(0, 1), -1); /* consumed too many */
    ck_assert_int_eq(ring_commit_room(HVT_RING_SIZE + 1, 0), -1);
}
END_TEST

/* Entries every check must refuse. */
static const struct hvt_ring_entry bad_entries[] = {
    {0, NET, 0x20000, 64, 0, 0},                    /* no operation */
    {3, NET, 0x20000, 64, 0, 0},                    /* unknown one */
    {HVT_RING_OP_NET_WRITE, 0, 0x20000, 64, 0, 0},  /* the reserved entry */
    {HVT_RING_OP_NET_WRITE, 1, 0x20000, 64, 0, 0},  /* no device */
    {HVT_RING_OP_NET_WRITE, 63, 0x20000, 64, 0, 0}, /* none either */
    {HVT_RING_OP_NET_WRITE, 64, 0x20000, 64, 0, 0}, /* past the manifest */
    {HVT_RING_OP_NET_READ, 0xffffffffU, 0x20000, 64, 0, 0},
    {HVT_RING_OP_NET_WRITE, NET, 0x20000, 13, 0, 0},   /* shorter than 14 */
    {HVT_RING_OP_NET_WRITE, NET, 0x20000, 1515, 0, 0}, /* past MTU + 14 */
    {HVT_RING_OP_NET_WRITE, NET, 0x20000, 0xffffffffU, 0, 0},
    {HVT_RING_OP_NET_READ, NET, 0x20000, 0, 0, 0},         /* no buffer */
    {HVT_RING_OP_NET_WRITE, NET, MEM_SIZE - 10, 64, 0, 0}, /* across end */
    {HVT_RING_OP_NET_READ, NET, MEM_SIZE - 10, 64, 0, 0},
    {HVT_RING_OP_NET_WRITE, NET, MEM_SIZE, 64, 0, 0}, /* into the ring */
    {HVT_RING_OP_NET_READ, NET, MEM_SIZE + 128, 64, 0, 0},
    {HVT_RING_OP_NET_READ, NET, UINT64_MAX - 5, 64, 0, 0}, /* wraps */
    {HVT_RING_OP_NET_READ, NET, 1ULL << 40, 64, 0, 0},     /* far out */
    {HVT_RING_OP_NET_READ, NET, 0x80000, 64, 0, 0},        /* into text */
    {HVT_RING_OP_NET_READ, NET, 0x7ffc0, 0x100, 0, 0},     /* across it */
    {HVT_RING_OP_NET_WRITE, NET, 0x8fff0, 64, 0, 0},       /* from text */
};

START_TEST(test_bad_entry)
{
    void *buf = (void *)1;

    fake_init();
    ck_assert_int_eq(net_ring_check_entry(f.ring, &bad_entries[_i], &buf),
                     HVT_EINVAL);
    ck_assert_ptr_null(buf);
    fake_fini();
}
END_TEST

START_TEST(test_good_entry)
{
    struct hvt_ring_entry w = {HVT_RING_OP_NET_WRITE, NET, 0x20000, 14, 0, 0};
    struct hvt_ring_entry r = {HVT_RING_OP_NET_READ, NET, 0x30000, 9000, 0, 0};
    void *buf;

    fake_init();
    ck_assert_int_eq(net_ring_check_entry(f.ring, &w, &buf), HVT_OK);
    ck_assert_ptr_eq(buf, f.vm->mem.base + 0x20000);
    w.len = MTU + 14;
    ck_assert_int_eq(net_ring_check_entry(f.ring, &w, &buf), HVT_OK);
    /* A read's buffer may be larger than any frame, up to memory's end. */
    ck_assert_int_eq(net_ring_check_entry(f.ring, &r, &buf), HVT_OK);
    r.data_gpa = MEM_SIZE - 1;
    r.len = 1;
    ck_assert_int_eq(net_ring_check_entry(f.ring, &r, &buf), HVT_OK);
    /* A ring write never takes more than a slot, whatever the MTU. */
    f.ring->dev[NET].max_frame = 9014;
    w.len = HVT_RING_BUF_SIZE;
    ck_assert_int_eq(net_ring_check_entry(f.ring, &w, &buf), HVT_OK);
    w.len = HVT_RING_BUF_SIZE + 1;
    ck_assert_int_eq(net_ring_check_entry(f.ring, &w, &buf), HVT_EINVAL);
    fake_fini();
}
END_TEST

START_TEST(test_serve)
{
    uint8_t frame[64], got[128];
    uint8_t *mem;

    fake_init();
    mem = f.vm->mem.base;
    memset(frame, 0xab, sizeof(frame));
    memcpy(mem + 0x20000, frame, sizeof(frame));
    /* The guest scribbles over the host's indices: ignored. */
    f.r->ent_head = 777;
    f.r->com_tail = 999;
    put(HVT_RING_OP_NET_WRITE, NET, 0x20000, 64);      /* 0: sent */
    put(HVT_RING_OP_NET_WRITE, NET, MEM_SIZE - 8, 64); /* 1: dropped */
    put(HVT_RING_OP_NET_READ, NET, 0x30000, 1514);     /* 2: AGAIN */
    put(HVT_RING_OP_NET_READ, NET, 0x80000, 1514);     /* 3: into text */
    put(7, NET, 0x30000, 64);                          /* 4: unknown */
    ck_assert_int_eq(net_ring_serve(f.ring), 0);
    ck_assert_uint_eq(f.r->ent_head, 5);
    ck_assert_uint_eq(f.r->com_tail, 3);
    ck_assert_int_eq(read(f.tap[1], got, sizeof(got)), 64);
    ck_assert_mem_eq(got, frame, 64);
    ck_assert_int_eq(read(f.tap[1], got, sizeof(got)), -1); /* one frame */
    ck_assert_int_eq(commit(0)->ret, HVT_AGAIN);
    ck_assert_uint_eq(commit(0)->id, 1002);
    ck_assert_int_eq(commit(1)->ret, HVT_EINVAL);
    ck_assert_uint_eq(commit(1)->id, 1003);
    ck_assert_int_eq(commit(2)->ret, HVT_EINVAL);
    ck_assert_uint_eq(f.ring->stats.bad, 3);
    ck_assert_uint_eq(f.ring->stats.writes, 1);
    /* A frame waiting: read whole into the guest's buffer. */
    memset(frame, 0x5c, sizeof(frame));
    ck_assert_int_eq(write(f.tap[1], frame, 60), 60);
    put(HVT_RING_OP_NET_READ, NET, 0x30000, 1514);
    ck_assert_int_eq(net_ring_serve(f.ring), 0);
    ck_assert_int_eq(commit(3)->ret, HVT_OK);
    ck_assert_uint_eq(commit(3)->len, 60);
    ck_assert_mem_eq(mem + 0x30000, frame, 60);
    /* Longer than the guest's buffer: dropped whole, its size told. */
    ck_assert_int_eq(write(f.tap[1], frame, 60), 60);
    mem[0x40000] = 0x11;
    put(HVT_RING_OP_NET_READ, NET, 0x40000, 20);
    ck_assert_int_eq(net_ring_serve(f.ring), 0);
    ck_assert_int_eq(commit(4)->ret, HVT_EINVAL);
    ck_assert_uint_eq(commit(4)->len, 60);
    ck_assert_uint_eq(mem[0x40000], 0x11);
    ck_assert_int_eq(f.vm->ring_fault, 0);
    fake_fini();
}
END_TEST

/* A tail more than a ring ahead stops the guest; nothing is served. */
START_TEST(test_tail_too_far)
{
    fake_init();
    f.r->ent_tail = HVT_RING_SIZE + 1;
    ck_assert_int_eq(net_ring_serve(f.ring), -1);
    ck_assert_int_eq(f.vm->ring_fault, 1);
    ck_assert_uint_eq(f.vm->ring_fault_detail >> 32, NET_RING_FAULT_ENT_TAIL);
    ck_assert_uint_eq(f.ring->stats.entries, 0);
    fake_fini();
}
END_TEST

/* A full commit ring: reads wait, nothing is overwritten. */
START_TEST(test_commits_full)
{
    fake_init();
    for (int i = 0; i < HVT_RING_SIZE; i++)
        put(HVT_RING_OP_NET_READ, NET, 0x30000, 1514);
    ck_assert_int_eq(net_ring_serve(f.ring), 0);
    ck_assert_uint_eq(f.r->com_tail, HVT_RING_SIZE);
    put(HVT_RING_OP_NET_READ, NET, 0x30000, 1514);
    ck_assert_int_eq(net_ring_serve(f.ring), 1);
    ck_assert_uint_eq(f.r->ent_head, HVT_RING_SIZE); /* the last waits */
    f.r->com_head = 1;
    ck_assert_int_eq(net_ring_serve(f.ring), 0);
    ck_assert_uint_eq(f.r->ent_head, HVT_RING_SIZE + 1);
    /* Consuming commits never made stops the guest. */
    f.r->com_head = HVT_RING_SIZE + 5;
    put(HVT_RING_OP_NET_READ, NET, 0x30000, 1514);
    ck_assert_int_eq(net_ring_serve(f.ring), -1);
    ck_assert_uint_eq(f.vm->ring_fault_detail >> 32, NET_RING_FAULT_COM_HEAD);
    fake_fini();
}
END_TEST

/* Writes only, around the ring many times: indices wrap freely. */
START_TEST(test_wrap)
{
    uint8_t got[128];

    fake_init();
    f.ring->ent_head = f.r->ent_tail = 0xffffff00U;
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 600; i++) {
            put(HVT_RING_OP_NET_WRITE, NET, 0x20000, 64);
            if (i % 100 == 99) {
                ck_assert_int_eq(net_ring_serve(f.ring), 0);
                while (read(f.tap[1], got, sizeof(got)) > 0)
                    ;
            }
        }
    }
    ck_assert_uint_eq(f.r->ent_head, 0xffffff00U + 1800);
    ck_assert_uint_eq(f.ring->stats.writes, 1800);
    fake_fini();
}
END_TEST

Suite *net_ring_suite(void)
{
    Suite *s = suite_create("net_ring");
    TCase *tc = tcase_create("net_ring");

    tcase_add_test(tc, test_pending);
    tcase_add_test(tc, test_commit_room);
    tcase_add_loop_test(tc, test_bad_entry, 0,
                        sizeof(bad_entries) / sizeof(bad_entries[0]));
    tcase_add_test(tc, test_good_entry);
    tcase_add_test(tc, test_serve);
    tcase_add_test(tc, test_tail_too_far);
    tcase_add_test(tc, test_commits_full);
    tcase_add_test(tc, test_wrap);
    suite_add_tcase(s, tc);
    return s;
}

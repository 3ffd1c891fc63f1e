/*
 * The block ring without KVM (monitor/block_ring.c): serving a ring that
 * a hostile guest wrote, on a hand-made VM whose "guest memory" is a heap
 * buffer with the rings' region right above it, and whose disk is a real
 * temporary file.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "block_ring.h"
#include "unit_suites.h"

#define MEM_SIZE (1ULL << 20)
#define DISK 3 /* the one block handle */
#define SECTOR 512
#define CAPACITY (64 * SECTOR)

struct fake {
    struct tender_vm *vm;
    struct block_ring *ring;
    struct block_disks disks;
    struct tender_block_ring *r;
    char path[32];
};

static struct fake f;

static void fake_init(void)
{
    int fd;

    memset(&f, 0, sizeof(f));
    f.vm = calloc(1, sizeof(*f.vm));
    f.ring = calloc(1, sizeof(*f.ring));
    ck_assert(f.vm != NULL && f.ring != NULL);
    f.vm->mem.base = calloc(1, MEM_SIZE + HVT_RING_REGION_SIZE);
    ck_assert(f.vm->mem.base != NULL);
    f.vm->mem.size = MEM_SIZE;
    f.vm->ring_gpa = MEM_SIZE;
    /* "Text" the host maps read-only: 64 KiB from 0x80000. */
    f.vm->ro_range[0].start = 0x80000;
    f.vm->ro_range[0].end = 0x90000;
    f.vm->n_ro_ranges = 1;
    f.r = (struct tender_block_ring *)(f.vm->mem.base + MEM_SIZE +
                                       TENDER_BLOCK_RING_OFFSET);
    for (int h = 0; h < HVT_MFT_MAX_ENTRIES; h++)
        f.disks.disk[h].fd = -1;
    strcpy(f.path, "/tmp/tender-bring-XXXXXX");
    fd = mkstemp(f.path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(ftruncate(fd, CAPACITY), 0);
    f.disks.disk[DISK].fd = fd;
    f.disks.disk[DISK].capacity = CAPACITY;
    f.disks.disk[DISK].sector_size = SECTOR;
    strcpy(f.disks.disk[DISK].name, "disk");
    f.ring->vm = f.vm;
    f.ring->shared = f.r;
    f.ring->disks = &f.disks;
}

static void fake_fini(void)
{
    close(f.disks.disk[DISK].fd);
    unlink(f.path);
    free(f.vm->mem.base);
    free(f.ring);
    free(f.vm);
}

/* Queue an entry as a guest would; its id is its index + 1000. */
static void put(uint32_t op, uint32_t handle, uint64_t offset, uint64_t gpa,
                uint32_t len)
{
    struct tender_block_ring_entry *e =
        &f.r->entries[f.r->ent_tail & HVT_RING_MASK];

    e->op = op;
    e->handle = handle;
    e->offset = offset;
    e->data_gpa = gpa;
    e->len = len;
    e->id = f.r->ent_tail + 1000;
    f.r->ent_tail++;
}

/* Nothing was ever written to the disk. */
static int disk_is_zero(void)
{
    static uint8_t all[CAPACITY];

    if (pread(f.disks.disk[DISK].fd, all, CAPACITY, 0) != CAPACITY)
        return 0;
    for (size_t i = 0; i < CAPACITY; i++)
        if (all[i] != 0)
            return 0;
    return 1;
}

static const struct hvt_ring_commit *commit(uint32_t i)
{
    return &f.r->commits[i & HVT_RING_MASK];
}

#define RD TENDER_BLOCK_RING_OP_READ
#define WR TENDER_BLOCK_RING_OP_WRITE
#define RING_GPA (MEM_SIZE + TENDER_BLOCK_RING_OFFSET)

/* Each gets its own EINVAL commit, and touches neither disk nor memory. */
static const struct tender_block_ring_entry bad_entries[] = {
    {.op = RD, .handle = 0, .offset = 0, .data_gpa = 0x20000, .len = SECTOR},
    {.op = RD, .handle = 2, .offset = 0, .data_gpa = 0x20000, .len = SECTOR},
    {.op = RD, .handle = 64, .offset = 0, .data_gpa = 0x20000, .len = SECTOR},
    {.op = RD, .handle = 0xffffffffU, .data_gpa = 0x20000, .len = SECTOR},
    {.op = RD, .handle = DISK, .offset = 1, .data_gpa = 0x20000, .len = SECTOR},
    {.op = RD, .handle = DISK, .offset = 0, .data_gpa = 0x20000, .len = 100},
    {.op = RD, .handle = DISK, .offset = 0, .data_gpa = 0x20000, .len = 0},
    {.op = RD,
     .handle = DISK,
     .offset = CAPACITY,
     .data_gpa = 0x20000,
     .len = SECTOR},
    {.op = RD,
     .handle = DISK,
     .offset = CAPACITY - SECTOR,
     .data_gpa = 0x20000,
     .len = 2 * SECTOR},
    {.op = RD,
     .handle = DISK,
     .offset = 0xfffffffffffffe00ULL,
     .data_gpa = 0x20000,
     .len = 1024},
    {.op = RD, .handle = DISK, .data_gpa = MEM_SIZE - SECTOR, .len = 1024},
    {.op = RD, .handle = DISK, .data_gpa = RING_GPA, .len = SECTOR},
    {.op = WR, .handle = DISK, .data_gpa = RING_GPA, .len = SECTOR},
    {.op = RD,
     .handle = DISK,
     .data_gpa = 0xffffffffffffff00ULL,
     .len = SECTOR},
    {.op = RD, .handle = DISK, .data_gpa = 0x80000, .len = SECTOR}, /* text */
    {.op = RD, .handle = DISK, .data_gpa = 0x7ff00, .len = SECTOR}, /* half */
    {.op = 0, .handle = DISK, .data_gpa = 0x20000, .len = SECTOR},
    {.op = 4, .handle = DISK, .data_gpa = 0x20000, .len = SECTOR},
    {.op = TENDER_BLOCK_RING_OP_FLUSH, .handle = 1},
};

START_TEST(test_bad_entry)
{
    const struct tender_block_ring_entry *b = &bad_entries[_i];
    uint8_t *mem;

    fake_init();
    mem = f.vm->mem.base;
    memset(mem + 0x20000, 0x77, SECTOR);
    put(b->op, b->handle, b->offset, b->data_gpa, b->len);
    ck_assert_int_eq(block_ring_serve(f.ring), 0);
    ck_assert_uint_eq(f.r->ent_head, 1);
    ck_assert_uint_eq(f.r->com_tail, 1);
    ck_assert_uint_eq(commit(0)->id, 1000);
    ck_assert_int_eq(commit(0)->ret, HVT_EINVAL);
    ck_assert_uint_eq(commit(0)->len, 0);
    ck_assert_uint_eq(f.ring->stats.bad, 1);
    ck_assert_uint_eq(mem[0x20000], 0x77);
    ck_assert(disk_is_zero());
    fake_fini();
}
END_TEST

/* In ring order: a read queued after a write sees its data. */
START_TEST(test_serve_in_order)
{
    uint8_t *mem;
    uint8_t sector[SECTOR];

    fake_init();
    mem = f.vm->mem.base;
    memset(mem + 0x20000, 0xab, 4 * SECTOR);
    /* The guest scribbles over the host's indices: ignored. */
    f.r->ent_head = 777;
    f.r->com_tail = 999;
    put(WR, DISK, 8 * SECTOR, 0x20000, 4 * SECTOR);
    put(RD, DISK, 9 * SECTOR, 0x30000, SECTOR);
    put(TENDER_BLOCK_RING_OP_FLUSH, DISK, 0, 0, 0);
    /* Writing from the text is fine: the host only reads it. */
    put(WR, DISK, 0, 0x80000, SECTOR);
    ck_assert_int_eq(block_ring_serve(f.ring), 0);
    ck_assert_uint_eq(f.r->ent_head, 4);
    ck_assert_uint_eq(f.r->com_tail, 4);
    for (uint32_t i = 0; i < 4; i++) {
        ck_assert_uint_eq(commit(i)->id, 1000 + i);
        ck_assert_int_eq(commit(i)->ret, HVT_OK);
    }
    ck_assert_uint_eq(commit(0)->len, 4 * SECTOR);
    ck_assert_uint_eq(commit(1)->len, SECTOR);
    ck_assert_uint_eq(commit(2)->len, 0);
    memset(sector, 0xab, sizeof(sector));
    ck_assert_mem_eq(mem + 0x30000, sector, SECTOR);
    ck_assert_int_eq(pread(f.disks.disk[DISK].fd, sector, SECTOR, 11 * SECTOR),
                     SECTOR);
    ck_assert_uint_eq(sector[0], 0xab);
    ck_assert_uint_eq(f.ring->stats.bad, 0);
    ck_assert_int_eq(f.vm->ring_fault, 0);
    fake_fini();
}
END_TEST

/* What a stopped guest left queued: its writes land, its reads are not
 * done (EUNSPEC, memory untouched). */
START_TEST(test_final_pass)
{
    uint8_t *mem;
    uint8_t sector[SECTOR];

    fake_init();
    mem = f.vm->mem.base;
    memset(mem + 0x20000, 0xcd, SECTOR);
    memset(mem + 0x30000, 0x11, SECTOR);
    put(WR, DISK, 5 * SECTOR, 0x20000, SECTOR);
    put(RD, DISK, 5 * SECTOR, 0x30000, SECTOR);
    put(TENDER_BLOCK_RING_OP_FLUSH, DISK, 0, 0, 0);
    f.ring->io.final_pass = 1;
    atomic_store(&f.ring->io.stop, 1);
    ck_assert_int_eq(block_ring_serve(f.ring), 0);
    ck_assert_uint_eq(f.r->com_tail, 3);
    ck_assert_int_eq(commit(0)->ret, HVT_OK);
    ck_assert_int_eq(commit(1)->ret, HVT_EUNSPEC);
    ck_assert_uint_eq(commit(1)->len, 0);
    ck_assert_int_eq(commit(2)->ret, HVT_OK);
    ck_assert_uint_eq(mem[0x30000], 0x11);
    ck_assert_int_eq(pread(f.disks.disk[DISK].fd, sector, SECTOR, 5 * SECTOR),
                     SECTOR);
    ck_assert_uint_eq(sector[0], 0xcd);
    fake_fini();
}
END_TEST

/* Stopped, and not in the final pass: nothing is taken. */
START_TEST(test_stopped)
{
    fake_init();
    put(RD, DISK, 0, 0x20000, SECTOR);
    atomic_store(&f.ring->io.stop, 1);
    ck_assert_int_eq(block_ring_serve(f.ring), 0);
    ck_assert_uint_eq(f.r->ent_head, 0);
    fake_fini();
}
END_TEST

/* The disk shrank under us: EUNSPEC in the commit, not a crash. */
START_TEST(test_host_error)
{
    fake_init();
    ck_assert_int_eq(ftruncate(f.disks.disk[DISK].fd, SECTOR), 0);
    put(RD, DISK, 4 * SECTOR, 0x20000, SECTOR);
    ck_assert_int_eq(block_ring_serve(f.ring), 0);
    ck_assert_int_eq(commit(0)->ret, HVT_EUNSPEC);
    ck_assert_uint_eq(commit(0)->len, 0);
    fake_fini();
}
END_TEST

/* A tail more than a ring ahead stops the guest; nothing is served. */
START_TEST(test_tail_too_far)
{
    fake_init();
    f.r->ent_tail = HVT_RING_SIZE + 1;
    ck_assert_int_eq(block_ring_serve(f.ring), -1);
    ck_assert_int_eq(f.vm->ring_fault, 1);
    ck_assert_uint_eq(f.vm->ring_fault_detail >> 32, BLOCK_RING_FAULT_ENT_TAIL);
    ck_assert_uint_eq((uint32_t)f.vm->ring_fault_detail, HVT_RING_SIZE + 1);
    ck_assert_uint_eq(f.ring->stats.entries, 0);
    fake_fini();
}
END_TEST

/* A full commit ring: the next entry waits, nothing is overwritten or
 * done twice; consuming commits never made stops the guest. */
START_TEST(test_commits_full)
{
    fake_init();
    for (int i = 0; i < HVT_RING_SIZE; i++)
        put(RD, DISK, 0, 0x20000, SECTOR);
    ck_assert_int_eq(block_ring_serve(f.ring), 0);
    ck_assert_uint_eq(f.r->com_tail, HVT_RING_SIZE);
    put(RD, DISK, 0, 0x20000, SECTOR);
    ck_assert_int_eq(block_ring_serve(f.ring), 1);
    ck_assert_uint_eq(f.r->ent_head, HVT_RING_SIZE);
    ck_assert_uint_eq(f.ring->stats.entries, HVT_RING_SIZE);
    f.r->com_head = 1;
    ck_assert_int_eq(block_ring_serve(f.ring), 0);
    ck_assert_uint_eq(f.r->ent_head, HVT_RING_SIZE + 1);
    ck_assert_uint_eq(commit(HVT_RING_SIZE)->id, 1000 + HVT_RING_SIZE);
    f.r->com_head = HVT_RING_SIZE + 5;
    put(RD, DISK, 0, 0x20000, SECTOR);
    ck_assert_int_eq(block_ring_serve(f.ring), -1);
    ck_assert_uint_eq(f.vm->ring_fault_detail >> 32, BLOCK_RING_FAULT_COM_HEAD);
    fake_fini();
}
END_TEST

/* Around the ring many times: indices wrap freely. */
START_TEST(test_wrap)
{
    fake_init();
    f.ring->ent_head = f.r->ent_tail = 0xffffff00U;
    f.ring->com_tail = f.r->com_head = 0xffffff00U;
    for (int i = 0; i < 3000; i++) {
        put(RD, DISK, (uint64_t)(i % 64) * SECTOR, 0x20000, SECTOR);
        if (i % 100 == 99) {
            ck_assert_int_eq(block_ring_serve(f.ring), 0);
            f.r->com_head = f.r->com_tail;
        }
    }
    ck_assert_uint_eq(f.r->ent_head, 0xffffff00U + 3000);
    ck_assert_uint_eq(f.ring->stats.entries, 3000);
    ck_assert_uint_eq(f.ring->stats.bad, 0);
    fake_fini();
}
END_TEST

Suite *block_ring_suite(void)
{
    Suite *s = suite_create("block_ring");
    TCase *tc = tcase_create("block_ring");

    tcase_add_loop_test(tc, test_bad_entry, 0,
                        sizeof(bad_entries) / sizeof(bad_entries[0]));
    tcase_add_test(tc, test_serve_in_order);
    tcase_add_test(tc, test_host_error);
    tcase_add_test(tc, test_final_pass);
    tcase_add_test(tc, test_stopped);
    tcase_add_test(tc, test_tail_too_far);
    tcase_add_test(tc, test_commits_full);
    tcase_add_test(tc, test_wrap);
    suite_add_tcase(s, tc);
    return s;
}

/*
 * A ring's I/O thread without KVM (monitor/ring_thread.c): a fake kind
 * whose "ring" is a counter of queued entries, served by a real thread
 * woken through a real eventfd, as KVM's ioeventfd would wake it.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "ring_thread.h"
#include "unit_suites.h"

struct fake_ring {
    volatile uint32_t needs_kick;
    atomic_uint queued;       /* entries the "guest" queued */
    atomic_uint served;       /* entries the thread served */
    atomic_uint final_served; /* of those, in the final pass */
    struct ring_thread io;
};

static int fake_serve(void *ctx)
{
    struct fake_ring *f = ctx;

    while (ring_thread_serving(&f->io) &&
           atomic_load(&f->served) < atomic_load(&f->queued)) {
        atomic_fetch_add(&f->served, 1);
        if (f->io.final_pass)
            atomic_fetch_add(&f->final_served, 1);
    }
    return 0;
}

static int fake_ready(void *ctx)
{
    struct fake_ring *f = ctx;

    return atomic_load(&f->served) < atomic_load(&f->queued);
}

static const struct ring_kind fake_kind = {
    .what = "fake ring",
    .serve = fake_serve,
    .ready = fake_ready,
};

static struct tender_vm vm; /* sandbox 0: the thread runs unconfined */

static void fake_init(struct fake_ring *f)
{
    memset(f, 0, sizeof(*f));
    ring_thread_clear(&f->io);
    f->io.vm = &vm;
    f->io.kind = &fake_kind;
    f->io.ctx = f;
    f->io.needs_kick = &f->needs_kick;
    f->io.efd = eventfd(0, EFD_CLOEXEC);
    ck_assert_int_ge(f->io.efd, 0);
    f->needs_kick = 1;
}

/* Wait up to 5 s for cond; 1 if it came. */
static int eventually(int (*cond)(struct fake_ring *), struct fake_ring *f)
{
    struct timespec ms = {0, 1000000};

    for (int i = 0; i < 5000; i++) {
        if (cond(f))
            return 1;
        nanosleep(&ms, NULL);
    }
    return 0;
}

static int asleep(struct fake_ring *f)
{
    return f->needs_kick == 1;
}

static int all_served(struct fake_ring *f)
{
    return atomic_load(&f->served) == atomic_load(&f->queued);
}

static void kick(struct fake_ring *f)
{
    const uint64_t one = 1;

    ck_assert_int_eq(write(f->io.efd, &one, sizeof(one)), sizeof(one));
}

/* A kick wakes the sleeping thread, which serves and sleeps again. */
START_TEST(test_kick_wakes)
{
    static struct fake_ring f;

    fake_init(&f);
    ck_assert_int_eq(ring_thread_start(&f.io, NULL), 0);
    ck_assert(eventually(asleep, &f));
    atomic_store(&f.queued, 3);
    kick(&f);
    ck_assert(eventually(all_served, &f));
    ck_assert(eventually(asleep, &f));
    ck_assert_uint_eq(atomic_load(&f.final_served), 0);
    ring_thread_close(&f.io);
    ck_assert_int_eq(f.io.efd, -1);
}
END_TEST

/* Entries queued with no kick are served only by the final pass. */
START_TEST(test_final_pass)
{
    static struct fake_ring f;

    fake_init(&f);
    ck_assert_int_eq(ring_thread_start(&f.io, NULL), 0);
    ck_assert(eventually(asleep, &f));
    /* Past its last look (microseconds after needs_kick), into read(). */
    nanosleep(&(struct timespec){0, 50000000}, NULL);
    /* Queued with no kick: the thread sleeps on until the stop. */
    atomic_store(&f.queued, 5);
    ring_thread_stop(&f.io);
    ck_assert_uint_eq(atomic_load(&f.served), 5);
    ck_assert_uint_eq(atomic_load(&f.final_served), 5);
    ck_assert_int_eq(atomic_load(&f.io.done), 1);
    ring_thread_close(&f.io);
}
END_TEST

/* Stopping a thread that was never started, twice, and closing: no-ops. */
START_TEST(test_stop_unstarted)
{
    static struct fake_ring f;

    fake_init(&f);
    ring_thread_stop(&f.io);
    ring_thread_stop(&f.io);
    ring_thread_close(&f.io);
    ring_thread_close(&f.io);
    ck_assert_int_eq(f.io.efd, -1);
}
END_TEST

/* Index arithmetic at the wrap and at the bounds. */
START_TEST(test_indices)
{
    ck_assert_int_eq(ring_pending(0xfffffff0U, 0x10), 0x20);
    ck_assert_int_eq(ring_pending(0, HVT_RING_SIZE + 1), -1);
    ck_assert_int_eq(ring_commit_room(5, 5), HVT_RING_SIZE);
    ck_assert_int_eq(ring_commit_room(4, 5), -1);
}
END_TEST

Suite *ring_thread_suite(void)
{
    Suite *s = suite_create("ring_thread");
    TCase *tc = tcase_create("ring_thread");

    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_kick_wakes);
    tcase_add_test(tc, test_final_pass);
    tcase_add_test(tc, test_stop_unstarted);
    tcase_add_test(tc, test_indices);
    suite_add_tcase(s, tc);
    return s;
}

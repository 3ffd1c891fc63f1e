/*
 * Conformance guest "hcall": the device-less hypercalls (WALLTIME, PUTS,
 * POLL, HALT) and the clocks.  The first word of the command line picks a
 * mode:
 *   check [long=XXXX...]  the H*, K* and I4 checks, as TAP
 *   console               the console pattern of rule H2 (console.sh
 *                         compares it byte for byte)
 *   halt N [cookie]       HALT with status N (and a 512-byte cookie)
 */
#include "rt.h"

CONF_MANIFEST(1);

#define MS (1000000ULL)
/* Epoch nanoseconds of 2020-01-01 and 2100-01-01. */
#define NS_2020 1577836800000000000ULL
#define NS_2100 4102444800000000000ULL

static void check_walltime(void)
{
    uint64_t prev = wall_ns(), now;
    int backwards = 0;

    check(prev > NS_2020 && prev < NS_2100, "H1",
          "WALLTIME gives nanoseconds since the epoch (%lu s)",
          (uint64_t)(prev / 1000000000ULL));
    for (int i = 0; i < 1000; i++) {
        now = wall_ns();
        backwards += now < prev;
        prev = now;
    }
    check(backwards == 0, "K4", "WALLTIME did not go back in 1000 calls");
}

/*
 * What PUTS wrote is judged by the driver, which sees the console: these
 * two lines must arrive exactly as the comments in conformance.sh say.
 */
static void check_puts(const char *cmdline)
{
    struct w_puts empty = {(uint64_t)(uintptr_t) "LEAKED", 0};

    say("# PUTS of length 0 between the brackets: [");
    hc(HC_PUTS, &empty);
    say("]\n");
    say("# PUTS from the read-only low area follows: ");
    con_write(cmdline, strlen(cmdline) > 40 ? 40 : strlen(cmdline));
    say("\n");
}

static uint64_t tsc_to_ns(uint64_t ticks)
{
    uint64_t f = boot->cpu_cycle_freq;

    /* Microsecond steps, so no product overflows below 18 GHz. */
    return (ticks / f * 1000000 + ticks % f * 1000000 / f) * 1000;
}

/* POLL for ms milliseconds; returns the wall and TSC time it took. */
static struct w_poll poll_for(uint64_t ms, uint64_t *wall, uint64_t *tsc)
{
    struct w_poll p = {ms * MS, ~0ULL, -1, 0};
    uint64_t w0 = wall_ns(), t0 = rdtsc();

    hc(HC_POLL, &p);
    *tsc = tsc_to_ns(rdtsc() - t0);
    *wall = wall_ns() - w0;
    return p;
}

/*
 * late: how late a POLL may wake, in ns.  The driver measures how late
 * the test host itself wakes from the same sleeps and passes twice that
 * plus a margin ("late=US"), so a loaded machine does not fail K3; with
 * no measurement, half the timeout plus 50 ms.
 */
static void check_poll(uint64_t late)
{
    static const uint64_t asks[] = {10, 100, 300};
    uint64_t wall, tsc;
    struct w_poll p = poll_for(0, &wall, &tsc);

    check(p.ret == 0 && p.ready_set == 0, "H3",
          "POLL without devices answers ret 0, ready_set 0 (%d, 0x%lx)", p.ret,
          p.ready_set);
    check(wall < (late != 0 ? late : 50 * MS), "H3",
          "POLL with timeout 0 returns at once (%lu us)", wall / 1000);
    for (size_t i = 0; i < sizeof(asks) / sizeof(asks[0]); i++) {
        uint64_t want = asks[i] * MS;
        uint64_t allowed = late != 0 ? late : want / 2 + 50 * MS;

        p = poll_for(asks[i], &wall, &tsc);
        check(wall >= want, "K3",
              "POLL of %lu ms sleeps at least that long "
              "(%lu us)",
              asks[i], wall / 1000);
        check(wall <= want + allowed, "K3",
              "POLL of %lu ms wakes at most %lu us late, as late as the "
              "host allows (%lu us)",
              asks[i], allowed / 1000, wall / 1000);
        if (asks[i] == 300)
            check(tsc + tsc / 10 + 5 * MS >= wall &&
                      tsc <= wall + wall / 10 + 5 * MS,
                  "K2",
                  "TSC / cpu_cycle_freq agrees with WALLTIME within 10%% "
                  "(%lu us vs %lu us)",
                  tsc / 1000, wall / 1000);
    }
}

static void check_tsc_monotonic(void)
{
    uint64_t prev = rdtsc(), now;
    int backwards = 0;

    for (int i = 0; i < 100000; i++) {
        now = rdtsc();
        backwards += now < prev;
        prev = now;
    }
    check(backwards == 0, "K1", "the TSC did not go back in 100000 reads");
    for (int i = 0; i < 300; i++) {
        (void)wall_ns();
        now = rdtsc();
        backwards += now < prev;
        prev = now;
    }
    check(backwards == 0, "K1", "the TSC did not go back across 300 exits");
}

/* A command line of the longest allowed size arrives whole. */
static void check_long_cmdline(const char *cmdline)
{
    const char *v = arg_value(cmdline, "long");
    size_t n = 0;

    if (v == NULL) {
        check(0, "I4", "a command line of 8191 bytes: no long= argument");
        return;
    }
    while (v[n] == 'x')
        n++;
    check(v[n] == '\0' && strlen(cmdline) == CMDLINE_MAX - 1, "I4",
          "a command line of 8191 bytes arrives whole (%lu)",
          (uint64_t)strlen(cmdline));
}

static uint8_t pattern[256];
static uint8_t long_write[1 << 20];

/* Every byte value, then 1 MiB of them, in two PUTS calls. */
static int console_pattern(void)
{
    for (int i = 0; i < 256; i++)
        pattern[i] = (uint8_t)i;
    for (size_t i = 0; i < sizeof(long_write); i++)
        long_write[i] = (uint8_t)i;
    con_write(pattern, sizeof(pattern));
    con_write(long_write, sizeof(long_write));
    return 0;
}

static uint8_t cookie[COOKIE_MAX];

static int halt_with(const char *cmdline)
{
    const char *p = cmdline + 5;
    struct w_halt h = {0, 0, 0};

    while (*p >= '0' && *p <= '9')
        h.status = h.status * 10 + (*p++ - '0');
    if (arg_value(cmdline, "cookie") != NULL) {
        memset(cookie, 0xa5, sizeof(cookie));
        h.cookie = (uint64_t)(uintptr_t)cookie;
    }
    hc(HC_HALT, &h);
    say("HALT RETURNED\n");
    return 99;
}

int conf_main(const char *cmdline)
{
    if (first_word_is(cmdline, "console"))
        return console_pattern();
    if (first_word_is(cmdline, "halt"))
        return halt_with(cmdline);
    check_walltime();
    check_puts(cmdline);
    check_tsc_monotonic();
    check_poll(arg_u64(cmdline, "late", 0) * 1000);
    check_long_cmdline(cmdline);
    return 0;
}

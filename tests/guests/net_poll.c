/*
 * POLL timing, on the network device "net0":
 *
 *   net_poll.elf quiet AVG_US MAX_US
 *                        with no traffic, sleeps of 1 ms, 10 ms and 1 s
 *                        must last at least their timeout, and be late
 *                        by at most AVG_US on average and MAX_US at
 *                        worst; prints each measurement.  The test
 *                        derives both bounds from how late the test host
 *                        itself wakes, measured in the same run
 *   net_poll.elf wake    a 10 s sleep must end as soon as a frame arrives
 *                        (the test sends one about a second after the
 *                        guest says "waiting")
 *
 * Exits 0 when every measurement is within bounds.
 */
#include <tender/guest.h>
#include <tender/stdio.h>
#include <tender/stdlib.h>
#include <tender/string.h>

TENDER_MANIFEST(TENDER_NET_DEVICE("net0"));

#define MS 1000000ULL

/* Lateness allowed, on average and at worst (from the command line). */
static uint64_t avg_slack_ns, max_slack_ns;

static struct tender_net_info net;

/* Sleep for timeout_ns with nothing arriving; the time actually slept. */
static uint64_t timed_sleep(uint64_t timeout_ns, uint64_t *ready)
{
    uint64_t start = tender_clock_monotonic();

    tender_yield(start + timeout_ns, ready);
    return tender_clock_monotonic() - start;
}

static int check_timeout(uint64_t timeout_ns, int rounds)
{
    uint64_t min = ~0ULL, max = 0, sum = 0;
    int ok = 1;

    for (int i = 0; i < rounds; i++) {
        uint64_t ready = 0;
        uint64_t slept = timed_sleep(timeout_ns, &ready);

        if (ready != 0) {
            printf("net_poll: unexpected input (ready set %llx)\n",
                   (unsigned long long)ready);
            ok = 0;
        }
        min = slept < min ? slept : min;
        max = slept > max ? slept : max;
        sum += slept;
    }
    printf("net_poll: timeout %llu us: min %llu us, avg %llu us, max %llu us "
           "over %d\n",
           (unsigned long long)(timeout_ns / 1000),
           (unsigned long long)(min / 1000),
           (unsigned long long)(sum / (uint64_t)rounds / 1000),
           (unsigned long long)(max / 1000), rounds);
    if (min < timeout_ns ||
        sum / (uint64_t)rounds > timeout_ns + avg_slack_ns ||
        max > timeout_ns + max_slack_ns) {
        printf("net_poll: FAIL: min below %llu us, or average above %llu us, "
               "or max above %llu us\n",
               (unsigned long long)(timeout_ns / 1000),
               (unsigned long long)((timeout_ns + avg_slack_ns) / 1000),
               (unsigned long long)((timeout_ns + max_slack_ns) / 1000));
        ok = 0;
    }
    return ok;
}

static int quiet(void)
{
    int ok = check_timeout(1 * MS, 50);

    ok &= check_timeout(10 * MS, 20);
    ok &= check_timeout(1000 * MS, 3);
    return ok;
}

static int wake(void)
{
    uint64_t ready = 0, slept;

    printf("net_poll: waiting\n");
    slept = timed_sleep(10000 * MS, &ready);
    printf("net_poll: woke after %llu ms, ready set %llx\n",
           (unsigned long long)(slept / MS), (unsigned long long)ready);
    return ready == 1ULL << net.handle && slept < 5000 * MS;
}

int tender_app_main(const struct tender_start_info *si)
{
    int ok;

    if (tender_net_acquire("net0", &net) != HVT_OK) {
        printf("net_poll: no network device 'net0'\n");
        return 1;
    }
    if (si->argc == 4 && strcmp(si->argv[1], "quiet") == 0) {
        avg_slack_ns = strtoul(si->argv[2], NULL, 10) * 1000;
        max_slack_ns = strtoul(si->argv[3], NULL, 10) * 1000;
        ok = quiet();
    } else if (si->argc == 2 && strcmp(si->argv[1], "wake") == 0)
        ok = wake();
    else {
        printf("usage: net_poll.elf quiet AVG_US MAX_US | wake\n");
        return 2;
    }
    printf("net_poll: %s\n", ok ? "PASS" : "FAIL");
    return ok ? 0 : 1;
}

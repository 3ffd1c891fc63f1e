/*
 * sleep-lateness TIMEOUT_US ROUNDS [TIMEOUT_US ROUNDS]...
 *
 * How late this host wakes from a sleep, right now: for each pair, ROUNDS
 * ppoll() sleeps of TIMEOUT_US with nothing to wait for, measured with
 * CLOCK_MONOTONIC.  Prints one line per pair,
 *   lateness TIMEOUT_US AVG_US MAX_US
 * so that a test can judge a guest's sleeps against what the host itself
 * achieves under the same load, instead of against a fixed bound.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long long now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static void measure(long long timeout_us, int rounds)
{
    long long sum = 0, max = 0;

    for (int i = 0; i < rounds; i++) {
        struct timespec ts = {timeout_us / 1000000,
                              (timeout_us % 1000000) * 1000};
        long long start = now_us(), late;

        ppoll(NULL, 0, &ts, NULL);
        late = now_us() - start - timeout_us;
        if (late < 0)
            late = 0;
        sum += late;
        max = late > max ? late : max;
    }
    printf("lateness %lld %lld %lld\n", timeout_us, sum / rounds, max);
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc % 2 == 0) {
        fprintf(stderr, "usage: sleep-lateness TIMEOUT_US ROUNDS...\n");
        return 2;
    }
    for (int i = 1; i + 1 < argc; i += 2) {
        long long timeout_us = atoll(argv[i]);
        int rounds = atoi(argv[i + 1]);

        if (timeout_us <= 0 || rounds <= 0) {
            fprintf(stderr, "sleep-lateness: bad pair %s %s\n", argv[i],
                    argv[i + 1]);
            return 2;
        }
        measure(timeout_us, rounds);
    }
    return 0;
}

/*
 * Clocks.  The monotonic clock counts TSC ticks since boot and converts
 * them to nanoseconds with the frequency the monitor measured; the wall
 * clock is the host's time at boot plus the monotonic time since.
 */
#include <stdint.h>
#include <tender/guest.h>

#include "hypercall.h"
#include "kernel.h"

#define NSEC_PER_SEC 1000000000ULL
#define SCALE_SHIFT 32

static uint64_t tsc_at_boot;
/* Nanoseconds per tick as a 32.32 fixed-point number. */
static uint64_t ns_per_tick_scaled;
static uint64_t wall_at_boot;

static uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

/*
 * ticks * ns_per_tick without overflow: the 128-bit product (which the
 * compiler does in one MUL, without a libgcc call) is at most 2^96.
 */
static uint64_t ticks_to_ns(uint64_t ticks)
{
    unsigned __int128 product = (unsigned __int128)ticks * ns_per_tick_scaled;

    return (uint64_t)(product >> SCALE_SHIFT);
}

static uint64_t read_host_wall_clock(void)
{
    struct hvt_hc_walltime arg = {0};

    hypercall(HVT_HYPERCALL_WALLTIME, &arg);
    return arg.nsecs;
}

void clock_init(const struct hvt_boot_info *bi)
{
    if (bi->cpu_cycle_freq == 0)
        tender_panic("the monitor gave no TSC frequency");
    tsc_at_boot = rdtsc();
    /*
     * 10^9 << 32 < 2^62, so this fits.  Truncating costs less than one
     * part in 10^9 (1 ns per second) for any TSC below 4 GHz.
     */
    ns_per_tick_scaled = (NSEC_PER_SEC << SCALE_SHIFT) / bi->cpu_cycle_freq;
    wall_at_boot = read_host_wall_clock();
}

uint64_t tender_clock_monotonic(void)
{
    return ticks_to_ns(rdtsc() - tsc_at_boot);
}

uint64_t tender_clock_wall(void)
{
    return wall_at_boot + tender_clock_monotonic();
}

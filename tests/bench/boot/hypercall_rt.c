/*
 * hypercall_rt: the round trip of one hypercall, guest -> monitor -> guest.
 *
 *   tender hypercall_rt.elf [CALLS]      (default 100000)
 *
 * Makes CALLS WALLTIME hypercalls (the cheapest: the monitor reads its
 * clock and writes 8 bytes) and times each one alone with the TSC-based
 * monotonic clock, then sorts the samples and prints
 *
 *   figure hypercall.walltime.{median,min,p99,max,mean} NS ns
 *
 * Integer arithmetic only.  The samples live on the heap, not in .bss, so
 * the image stays small.  The clock read itself (RDTSC and a multiply, a
 * few ns) is inside each sample.
 */
#include <tender/guest.h>
#include <tender/stdio.h>
#include <tender/stdlib.h>

#define DEFAULT_CALLS 100000UL

/* Static, so its address (the GPA the OUT carries) is low and fixed. */
static struct hvt_hc_walltime walltime_arg;

/* The guest kernel's transport, written out: one OUT per hypercall. */
static void walltime_hypercall(void)
{
    uint16_t port = HVT_HYPERCALL_PIO_BASE + HVT_HYPERCALL_WALLTIME;
    uint32_t gpa = (uint32_t)(uintptr_t)&walltime_arg;

    __asm__ __volatile__("outl %0, %1" : : "a"(gpa), "Nd"(port) : "memory");
}

static void sift_down(uint32_t *v, size_t root, size_t n)
{
    for (size_t child; (child = 2 * root + 1) < n; root = child) {
        uint32_t t;

        if (child + 1 < n && v[child + 1] > v[child])
            child++;
        if (v[root] >= v[child])
            return;
        t = v[root];
        v[root] = v[child];
        v[child] = t;
    }
}

/* Heapsort: no recursion, no extra memory, n log n whatever the input. */
static void sort(uint32_t *v, size_t n)
{
    for (size_t i = n / 2; i-- > 0;)
        sift_down(v, i, n);
    for (size_t end = n; end-- > 1;) {
        uint32_t t = v[0];

        v[0] = v[end];
        v[end] = t;
        sift_down(v, 0, end);
    }
}

/* Samples are capped at 2^32-1 ns (4 s): far beyond any round trip. */
static uint32_t time_one(void)
{
    uint64_t t0 = tender_clock_monotonic();
    uint64_t ns;

    walltime_hypercall();
    ns = tender_clock_monotonic() - t0;
    return ns > UINT32_MAX ? UINT32_MAX : (uint32_t)ns;
}

static void report(uint32_t *v, size_t n)
{
    uint64_t sum = 0;

    for (size_t i = 0; i < n; i++)
        sum += v[i];
    sort(v, n);
    printf("figure hypercall.calls %lu calls\n", (unsigned long)n);
    printf("figure hypercall.walltime.median %lu ns\n",
           (unsigned long)(n % 2 ? v[n / 2]
                                 : ((uint64_t)v[n / 2 - 1] + v[n / 2]) / 2));
    printf("figure hypercall.walltime.min %lu ns\n", (unsigned long)v[0]);
    printf("figure hypercall.walltime.p99 %lu ns\n",
           (unsigned long)v[n - 1 - n / 100]);
    printf("figure hypercall.walltime.max %lu ns\n", (unsigned long)v[n - 1]);
    printf("figure hypercall.walltime.mean %lu ns\n", (unsigned long)(sum / n));
}

int tender_app_main(const struct tender_start_info *si)
{
    size_t n = si->argc > 1 ? strtoul(si->argv[1], NULL, 10) : DEFAULT_CALLS;
    uint32_t *v = (uint32_t *)si->heap_start;

    if (n == 0 || n > si->heap_size / sizeof(*v)) {
        printf("hypercall_rt: %lu calls do not fit the heap\n",
               (unsigned long)n);
        return 1;
    }
    for (size_t i = 0; i < n; i++)
        v[i] = time_one();
    if (walltime_arg.nsecs == 0) {
        printf("hypercall_rt: the monitor never wrote the wall time\n");
        return 1;
    }
    report(v, n);
    return 0;
}

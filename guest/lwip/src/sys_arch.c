/*
 * lwIP's system glue for tender guests (NO_SYS=1): the millisecond clock,
 * random numbers, diagnostics and assertions, and the pointer to the
 * block of guest heap that lwIP's heap (mem.c) lives in.
 */
#include <stdarg.h>
#include <stdint.h>
#include <tender/guest.h>
#include <tender/stdio.h>

#include "lwip/arch.h"
#include "lwip/sys.h"

/* Set by tn_init to the start of the guest heap, before lwip_init. */
unsigned char *tender_lwip_heap;

u32_t sys_now(void)
{
    return (u32_t)(tender_clock_monotonic() / 1000000u);
}

/*
 * xorshift64*, seeded from the wall and monotonic clocks at first use:
 * enough to vary ephemeral ports and initial sequence numbers from one
 * boot to the next (nothing here is meant to resist a predicting attacker).
 */
unsigned int tender_lwip_rand(void)
{
    static uint64_t x;

    if (x == 0)
        x = (tender_clock_wall() ^ (tender_clock_monotonic() << 17)) | 1u;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    return (unsigned int)((x * 0x2545F4914F6CDD1DULL) >> 32);
}

void tender_lwip_platform_diag(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
}

_Noreturn void tender_lwip_assert(const char *msg, const char *file, int line)
{
    printf("lwip: assertion \"%s\" failed at %s:%d\n", msg, file, line);
    tender_panic("lwIP assertion failed");
}

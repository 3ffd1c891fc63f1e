/*
 * For core dumps (tests/kvm/dumpcore.sh): divides by zero three calls
 * deep (tender_app_main -> outer -> inner), with a global of known value,
 * built with symbols and frame pointers so that gdb can show all of it.
 */
#include <tender/guest.h>
#include <tender/stdio.h>

long the_global = 4242;
volatile long divisor;

__attribute__((noinline)) static long inner(long x)
{
    return x / divisor;
}

__attribute__((noinline)) static long outer(long x)
{
    return inner(x + 1) + 1;
}

int tender_app_main(const struct tender_start_info *si)
{
    (void)si;
    printf("dividing by zero\n");
    return (int)outer(the_global);
}

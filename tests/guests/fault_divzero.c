/*
 * Divide by zero: the guest must report #DE (0) and abort with 255.
 */
#include <tender/guest.h>
#include <tender/stdio.h>

/*
 * Volatile, both of them, so that the compiler emits a real IDIV: with a
 * constant dividend it may replace 1 / x by a comparison.
 */
static volatile int one = 1;
static volatile int zero = 0;

int tender_app_main(const struct tender_start_info *si)
{
    (void)si;
    printf("dividing by zero\n");
    return one / zero;
}

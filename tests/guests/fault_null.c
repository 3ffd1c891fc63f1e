/*
 * Read through a NULL pointer.  Pages below 0x10000 are not mapped, so the
 * guest must report #PF with cr2=0x0 and abort with status 255.
 */
#include <stdint.h>
#include <tender/guest.h>
#include <tender/stdio.h>

/* Volatile so that the compiler cannot see the NULL and replace the load. */
static volatile uintptr_t null_address = 0;

int tender_app_main(const struct tender_start_info *si)
{
    (void)si;
    printf("reading address 0x0\n");
    return *(volatile int *)null_address;
}

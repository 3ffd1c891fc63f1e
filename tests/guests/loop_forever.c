/*
 * Print "looping" and spin forever, for tests that stop a guest from the
 * outside (timeouts, signals).
 */
#include <tender/guest.h>
#include <tender/stdio.h>

int tender_app_main(const struct tender_start_info *si)
{
    (void)si;
    printf("looping\n");
    for (;;)
        __asm__ __volatile__("pause");
}

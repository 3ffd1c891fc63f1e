/*
 * Write to the application's own code.  Text is mapped read-only, so the
 * guest must report #PF (error 0x3: present, write) and abort with 255.
 */
#include <stdint.h>
#include <tender/guest.h>
#include <tender/stdio.h>

int tender_app_main(const struct tender_start_info *si)
{
    volatile uint8_t *text = (volatile uint8_t *)(uintptr_t)&tender_app_main;

    (void)si;
    printf("writing to text at %p\n", (void *)(uintptr_t)text);
    *text = 0xc3;
    return 0;
}

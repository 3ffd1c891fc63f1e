/*
 * Jump into writable data.  Data is mapped no-execute, so the guest must
 * report #PF (error 0x11: present, instruction fetch) and abort with 255.
 */
#include <stdint.h>
#include <tender/guest.h>
#include <tender/stdio.h>

/* A lone RET: harmless if it ever ran. */
static uint8_t code_in_data[16] = {0xc3};

int tender_app_main(const struct tender_start_info *si)
{
    void (*fn)(void) = (void (*)(void))(uintptr_t)code_in_data;

    (void)si;
    printf("calling data at %p\n", (void *)code_in_data);
    fn();
    return 0;
}

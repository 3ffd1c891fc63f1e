/* Stopping the guest: the HALT hypercall. */
#include <tender/guest.h>

#include "hypercall.h"
#include "kernel.h"

void halt(int status, void *cookie)
{
    struct hvt_hc_halt arg = {cookie != NULL ? gpa_of(cookie) : 0, status, 0};

    hypercall(HVT_HYPERCALL_HALT, &arg);
    /* A monitor never resumes a halted guest; if one does, stay put. */
    for (;;)
        __asm__ __volatile__("cli; hlt");
}

void tender_exit(int status)
{
    halt(status & 0xff, NULL);
}

void tender_abort(void)
{
    halt(HVT_EXIT_ABORT, NULL);
}

void tender_panic(const char *msg)
{
    console_puts("tender-guest: ");
    console_puts(msg);
    console_puts("\n");
    tender_abort();
}

/* The console: the PUTS hypercall. */
#include <tender/guest.h>
#include <tender/string.h>

#include "hypercall.h"
#include "kernel.h"

void tender_console_write(const char *buf, size_t len)
{
    struct hvt_hc_puts arg = {gpa_of(buf), len};

    hypercall(HVT_HYPERCALL_PUTS, &arg);
}

void console_puts(const char *s)
{
    tender_console_write(s, strlen(s));
}

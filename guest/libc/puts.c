#include <tender/guest.h>
#include <tender/stdio.h>
#include <tender/string.h>

int puts(const char *s)
{
    tender_console_write(s, strlen(s));
    tender_console_write("\n", 1);
    return 0;
}

#include <tender/guest.h>
#include <tender/stdio.h>

int putchar(int c)
{
    char ch = (char)c;

    tender_console_write(&ch, 1);
    return (unsigned char)ch;
}

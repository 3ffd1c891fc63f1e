/* The stack protector's failure path; the guard is set up in boot.c. */
#include <tender/guest.h>

_Noreturn void __stack_chk_fail(void);

void __stack_chk_fail(void)
{
    tender_panic("stack smashing detected");
}

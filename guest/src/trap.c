/*
 * Exceptions.  A guest kernel without processes has nothing to recover
 * from: every exception is fatal.  Report it in one line and stop with
 * exit status 255, handing the monitor the trap frame as the halt cookie
 * so that it can show or dump the guest's state.
 */
#include <stdint.h>
#include <tender/stdio.h>

#include "kernel.h"

/*
 * The frame that trap_common in boot.S builds, lowest address first: what
 * it pushed, then what the stub pushed, then what the CPU pushed.  Its
 * layout is the ABI's struct tender_trap_frame (abi/hvt_abi.h), which the
 * monitor reads from the halt cookie.
 */
#define trap_frame tender_trap_frame

#define VECTOR_PAGE_FAULT 14

static const char *const vector_names[32] = {
    "#DE", "#DB",  "NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
    "#DF", "#CSO", "#TS", "#NP", "#SS", "#GP", "#PF", "#15",
    "#MF", "#AC",  "#MC", "#XM", "#VE", "#CP", "#22", "#23",
    "#24", "#25",  "#26", "#27", "#HV", "#VC", "#SX", "#31"};

/*
 * The cookie handed to the monitor: a copy of the frame in a full-sized
 * buffer, so that a monitor reading all HVT_HALT_COOKIE_MAX bytes stays
 * inside guest memory even when the frame sits at the very top of it.
 */
static union {
    struct tender_trap_cookie c;
    uint8_t bytes[HVT_HALT_COOKIE_MAX];
} cookie;

/* Set on the first exception, to catch one inside the handler. */
static volatile int in_trap;

_Noreturn void trap_handler(struct trap_frame *tf);

void trap_handler(struct trap_frame *tf)
{
    char line[160];
    int n;

    /* A fault while reporting one: stop without trying to print again. */
    if (in_trap)
        halt(HVT_EXIT_ABORT, tf);
    in_trap = 1;

    n = snprintf(line, sizeof(line),
                 "tender-guest: exception %s (%lu) error=0x%lx rip=0x%lx "
                 "rsp=0x%lx",
                 vector_names[tf->vector & 31], tf->vector, tf->error, tf->rip,
                 tf->rsp);
    if (tf->vector == VECTOR_PAGE_FAULT && n > 0 && (size_t)n < sizeof(line))
        snprintf(line + n, sizeof(line) - (size_t)n, " cr2=0x%lx", tf->cr2);
    console_puts(line);
    console_puts("\n");
    cookie.c.magic = TENDER_TRAP_COOKIE_MAGIC;
    cookie.c.size = sizeof(cookie.c.frame);
    cookie.c.frame = *tf;
    halt(HVT_EXIT_ABORT, &cookie);
}

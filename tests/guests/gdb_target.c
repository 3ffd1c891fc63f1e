/*
 * A guest for the gdb tests (tests/kvm/gdb_*.sh), built with -g -O0:
 * compute() calls square() and sets a global, then the guest exits with
 * status 7.  With the argument "loop" it spins in spin() instead, and with
 * "sleep" it waits in POLL in doze(), for an interrupt to stop; "divide"
 * divides by zero in divide(), for a breakpoint in the trap handler.
 */
#include <tender/guest.h>
#include <tender/net.h>
#include <tender/stdio.h>
#include <tender/string.h>

volatile int counter;

__attribute__((noinline)) static int square(int x)
{
    return x * x;
}

__attribute__((noinline)) int compute(int n)
{
    int s = square(n);

    counter = s + 1;
    return s;
}

__attribute__((noinline)) static void spin(void)
{
    for (;;) {
        counter++;
        __asm__ __volatile__("pause");
    }
}

__attribute__((noinline)) static void doze(void)
{
    for (;;) {
        uint64_t ready;

        tender_yield(tender_clock_monotonic() + 10000000000ULL, &ready);
        counter++;
    }
}

__attribute__((noinline)) static int divide(int a, int b)
{
    return a / b;
}

static int arg_is(const struct tender_start_info *si, const char *word)
{
    return si->argc > 1 && strcmp(si->argv[1], word) == 0;
}

int tender_app_main(const struct tender_start_info *si)
{
    if (arg_is(si, "loop")) {
        printf("looping\n");
        spin();
    }
    if (arg_is(si, "sleep")) {
        printf("sleeping\n");
        doze();
    }
    if (arg_is(si, "divide"))
        return divide(si->argc, 0);
    printf("result %d\n", compute(6));
    return 7;
}

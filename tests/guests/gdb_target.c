/*
 * A guest for the gdb tests (tests/kvm/gdb_*.sh), built with -g -O0:
 * compute() calls square() and sets a global, then the guest exits with
 * status 7.  With the argument "loop" it spins in spin() instead, for an
 * interrupt to stop.
 */
#include <tender/guest.h>
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

int tender_app_main(const struct tender_start_info *si)
{
    if (si->argc > 1 && strcmp(si->argv[1], "loop") == 0) {
        printf("looping\n");
        spin();
    }
    printf("result %d\n", compute(6));
    return 7;
}

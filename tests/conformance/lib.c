/*
 * Conformance guest "lib", built on the guest library: the rules that the
 * guest kernel, not the tender, provides (its own page tables).  The hvt
 * entry state has no NX (EFER.NXE is clear) and maps the image writable;
 * the guest library replaces those tables with W^X ones.  Modes:
 *   nx    call into writable data: must fault (#PF, instruction fetch)
 *   text  write to its own text: must fault (#PF, write to a present page)
 *   sse   floating point in an application: TAP lines
 * The faults end in the library's exception report and exit status 255,
 * which the driver checks.
 */
#include <stdint.h>
#include <tender/guest.h>
#include <tender/stdio.h>
#include <tender/string.h>

static uint8_t code_in_data[16] = {0xc3}; /* a lone RET */

void call_data(void);
__attribute__((noinline)) void call_data(void)
{
    void (*fn)(void) = (void (*)(void))(uintptr_t)code_in_data;

    fn();
    printf("SURVIVED: data was executable\n");
}

static void write_text(void)
{
    *(volatile uint8_t *)(uintptr_t)&call_data = 0xc3;
    printf("SURVIVED: text was writable\n");
}

static int sse(void)
{
    volatile double a = 0.1, b = 0.2;
    volatile float third = 1.0f / 3.0f;
    double sum = a + b;
    uint64_t bits;
    uint32_t fbits;
    float f = third;

    memcpy(&bits, &sum, sizeof(bits));
    memcpy(&fbits, &f, sizeof(fbits));
    printf("%sok 1 - U3 double arithmetic in a guest-library application\n",
           bits == 0x3fd3333333333334ULL ? "" : "not ");
    printf("%sok 2 - U3 float arithmetic in a guest-library application\n",
           fbits == 0x3eaaaaabU ? "" : "not ");
    return 0;
}

int tender_app_main(const struct tender_start_info *si)
{
    if (si->argc < 2)
        return 2;
    if (strcmp(si->argv[1], "nx") == 0)
        call_data();
    else if (strcmp(si->argv[1], "text") == 0)
        write_text();
    else if (strcmp(si->argv[1], "sse") == 0)
        return sse();
    return 0;
}

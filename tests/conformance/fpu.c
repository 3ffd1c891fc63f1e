/*
 * The FPU and SSE as a guest sees them (rule U3).  The hvt entry state has
 * CR4.OSFXSR and CR4.OSXMMEXCPT set and CR0.EM and CR0.TS clear, so both
 * units work from the first instruction; the tender must also keep their
 * registers intact across every exit.  Results are compared bit for bit
 * with IEEE 754 values worked out by hand.
 */
#include "fpu.h"
#include "rt.h"

uint32_t fpu_read_mxcsr(void)
{
    uint32_t v;

    __asm__ __volatile__("stmxcsr %0" : "=m"(v));
    return v;
}

static uint64_t bits_of(double d)
{
    uint64_t b;

    memcpy(&b, &d, sizeof(b));
    return b;
}

static uint32_t bits_of_float(float f)
{
    uint32_t b;

    memcpy(&b, &f, sizeof(b));
    return b;
}

static void check_sse_arithmetic(void)
{
    volatile double tenth = 0.1, fifth = 0.2, two = 2.0, big = 1e16;
    volatile float one = 1.0f, three = 3.0f;
    volatile int64_t n = -7;
    double root;

    __asm__("sqrtsd %1, %0" : "=x"(root) : "x"((double)two));
    check(bits_of(tenth + fifth) == 0x3fd3333333333334ULL, "U3",
          "SSE double addition rounds as IEEE 754 says (0.1 + 0.2)");
    check(bits_of(root) == 0x3ff6a09e667f3bcdULL, "U3",
          "SQRTSD of 2 is correctly rounded");
    check(bits_of_float(one / three) == 0x3eaaaaabU, "U3",
          "SSE float division rounds to nearest (1/3)");
    check(big + 1.0 == big && (double)n == -7.0 && (int64_t)(tenth * -70) == -7,
          "U3", "double rounding and integer conversions");
}

static void check_x87(void)
{
    volatile long double one = 1.0L, tiny = 1e-18L;
    long double root;

    __asm__ __volatile__("fninit");
    __asm__("fsqrt" : "=t"(root) : "0"((long double)2.0L));
    check(one + tiny != one, "U3",
          "x87 arithmetic has 64-bit precision (1 + 1e-18 != 1)");
    check(bits_of((double)root) == 0x3ff6a09e667f3bcdULL, "U3",
          "x87 FSQRT of 2, rounded to double, is right");
}

/* Distinct patterns into all 16 XMM registers, a hypercall, and back. */
static void check_xmm_survive_exit(void)
{
    static uint8_t in[16][16] __attribute__((aligned(16)));
    static uint8_t out[16][16] __attribute__((aligned(16)));
    struct w_walltime w;

    for (int r = 0; r < 16; r++)
        for (int i = 0; i < 16; i++)
            in[r][i] = (uint8_t)(r * 37 + i * 11 + 1);
    __asm__ __volatile__(
        "movdqa 0(%0), %%xmm0\n\t movdqa 16(%0), %%xmm1\n\t"
        "movdqa 32(%0), %%xmm2\n\t movdqa 48(%0), %%xmm3\n\t"
        "movdqa 64(%0), %%xmm4\n\t movdqa 80(%0), %%xmm5\n\t"
        "movdqa 96(%0), %%xmm6\n\t movdqa 112(%0), %%xmm7\n\t"
        "movdqa 128(%0), %%xmm8\n\t movdqa 144(%0), %%xmm9\n\t"
        "movdqa 160(%0), %%xmm10\n\t movdqa 176(%0), %%xmm11\n\t"
        "movdqa 192(%0), %%xmm12\n\t movdqa 208(%0), %%xmm13\n\t"
        "movdqa 224(%0), %%xmm14\n\t movdqa 240(%0), %%xmm15\n\t"
        "outl %%eax, %%dx\n\t"
        "movdqa %%xmm0, 0(%1)\n\t movdqa %%xmm1, 16(%1)\n\t"
        "movdqa %%xmm2, 32(%1)\n\t movdqa %%xmm3, 48(%1)\n\t"
        "movdqa %%xmm4, 64(%1)\n\t movdqa %%xmm5, 80(%1)\n\t"
        "movdqa %%xmm6, 96(%1)\n\t movdqa %%xmm7, 112(%1)\n\t"
        "movdqa %%xmm8, 128(%1)\n\t movdqa %%xmm9, 144(%1)\n\t"
        "movdqa %%xmm10, 160(%1)\n\t movdqa %%xmm11, 176(%1)\n\t"
        "movdqa %%xmm12, 192(%1)\n\t movdqa %%xmm13, 208(%1)\n\t"
        "movdqa %%xmm14, 224(%1)\n\t movdqa %%xmm15, 240(%1)\n\t"
        :
        : "r"(in), "r"(out), "a"((uint32_t)(uintptr_t)&w),
          "d"((uint16_t)(HC_PORT_BASE + HC_WALLTIME))
        : "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6",
          "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14",
          "xmm15");
    check(memcmp(in, out, sizeof(in)) == 0, "U3",
          "all 16 XMM registers survive a hypercall");
}

static void check_x87_survive_exit(void)
{
    volatile long double third = 1.0L / 3.0L;
    long double before = third, after;
    struct w_walltime w;

    __asm__ __volatile__("outl %%eax, %%dx"
                         : "=t"(after)
                         : "0"(before), "a"((uint32_t)(uintptr_t)&w),
                           "d"((uint16_t)(HC_PORT_BASE + HC_WALLTIME))
                         : "memory");
    check(memcmp(&before, &after, 10) == 0, "U3",
          "an x87 register survives a hypercall");
}

static void check_fxsave(void)
{
    static uint8_t area[512] __attribute__((aligned(16)));
    uint32_t mxcsr = 0x1f80 | (3u << 13); /* round toward zero */
    uint32_t saved;

    __asm__ __volatile__("ldmxcsr %0" : : "m"(mxcsr));
    __asm__ __volatile__("fxsave %0" : "=m"(area));
    memcpy(&saved, area + 24, sizeof(saved));
    mxcsr = 0x1f80;
    __asm__ __volatile__("ldmxcsr %0" : : "m"(mxcsr));
    check(saved == (0x1f80 | (3u << 13)), "U3", "FXSAVE stores MXCSR (0x%x)",
          saved);
    __asm__ __volatile__("fxrstor %0" : : "m"(area));
    check(fpu_read_mxcsr() == (0x1f80 | (3u << 13)), "U3",
          "FXRSTOR restores MXCSR");
    __asm__ __volatile__("ldmxcsr %0" : : "m"(mxcsr));
}

void fpu_checks(void)
{
    check_sse_arithmetic();
    check_x87();
    check_xmm_survive_exit();
    check_x87_survive_exit();
    check_fxsave();
}

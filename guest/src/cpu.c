/*
 * Descriptor tables (GDT, TSS, IDT) and the FPU/SSE unit.
 *
 * The monitor's GDT sits in the low area, which our page tables map
 * read-only, and it has no TSS; a kernel that wants the double fault
 * handler to run on a known-good stack needs its own GDT with a TSS, whose
 * interrupt stack table (IST) gives that stack.
 */
#include <stdint.h>

#include "kernel.h"

#define SEL_CODE 0x08
#define SEL_DATA 0x10
#define SEL_TSS 0x18

/* IST slots (1-based, 0 meaning "no IST") for the exceptions that need one. */
#define IST_DOUBLE_FAULT 1
#define IST_NMI 2
#define IST_MACHINE_CHECK 3
#define IST_STACK_SIZE 8192

#define VECTOR_NMI 2
#define VECTOR_DOUBLE_FAULT 8
#define VECTOR_MACHINE_CHECK 18
#define NUM_VECTORS 32

#define CR0_MP (1UL << 1)
#define CR0_EM (1UL << 2)
#define CR0_TS (1UL << 3)
#define CR4_OSFXSR (1UL << 9)
#define CR4_OSXMMEXCPT (1UL << 10)

/* The 64-bit TSS: only the IST entries matter to us. */
struct tss {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} __attribute__((packed));
_Static_assert(sizeof(struct tss) == 104, "TSS size");

/* An IDT entry: a 64-bit interrupt gate. */
struct idt_gate {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attr;
    uint16_t offset_mid;
    uint32_t offset_high;
    uint32_t reserved;
};
_Static_assert(sizeof(struct idt_gate) == 16, "IDT gate size");

/* The operand of LGDT and LIDT. */
struct gdt_pointer {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

/* null, code, data, then the TSS descriptor, which takes two slots. */
static uint64_t gdt[5] __attribute__((aligned(16)));
static struct tss tss __attribute__((aligned(16)));
static struct idt_gate idt[NUM_VECTORS] __attribute__((aligned(16)));
static uint8_t ist_stacks[3][IST_STACK_SIZE] __attribute__((aligned(16)));

/* Flat 64-bit code: present, DPL 0, execute/read, long mode (L). */
static const uint64_t GDT_CODE64 = 0x00209a0000000000ULL;
/* Flat data: present, DPL 0, read/write, 4 GiB limit. */
static const uint64_t GDT_DATA = 0x00cf92000000ffffULL;

static void gdt_set_tss(uint64_t base, uint32_t limit)
{
    /* Type 9 (available 64-bit TSS), present, DPL 0. */
    gdt[3] = (limit & 0xffffULL) | ((base & 0xffffffULL) << 16) |
             (0x89ULL << 40) | ((uint64_t)(limit >> 16 & 0xf) << 48) |
             ((base >> 24 & 0xffULL) << 56);
    gdt[4] = base >> 32;
}

static void tss_init(void)
{
    tss.ist[IST_DOUBLE_FAULT - 1] =
        (uint64_t)(uintptr_t)&ist_stacks[0][IST_STACK_SIZE];
    tss.ist[IST_NMI - 1] = (uint64_t)(uintptr_t)&ist_stacks[1][IST_STACK_SIZE];
    tss.ist[IST_MACHINE_CHECK - 1] =
        (uint64_t)(uintptr_t)&ist_stacks[2][IST_STACK_SIZE];
    /* An I/O bitmap offset past the limit means "no bitmap". */
    tss.iomap_base = sizeof(tss);
}

static void gdt_init(void)
{
    struct gdt_pointer p = {sizeof(gdt) - 1, (uint64_t)(uintptr_t)gdt};

    gdt[0] = 0;
    gdt[SEL_CODE / 8] = GDT_CODE64;
    gdt[SEL_DATA / 8] = GDT_DATA;
    gdt_set_tss((uint64_t)(uintptr_t)&tss, sizeof(tss) - 1);
    cpu_load_gdt(&p, SEL_CODE, SEL_DATA);
    __asm__ __volatile__("ltr %w0" : : "r"(SEL_TSS));
}

static uint8_t ist_for_vector(int vector)
{
    switch (vector) {
    case VECTOR_DOUBLE_FAULT:
        return IST_DOUBLE_FAULT;
    case VECTOR_NMI:
        return IST_NMI;
    case VECTOR_MACHINE_CHECK:
        return IST_MACHINE_CHECK;
    default:
        return 0;
    }
}

static void idt_set_gate(int vector, uint64_t handler)
{
    struct idt_gate *g = &idt[vector];

    g->offset_low = handler & 0xffff;
    g->selector = SEL_CODE;
    g->ist = ist_for_vector(vector);
    g->type_attr = 0x8e; /* present, DPL 0, 64-bit interrupt gate */
    g->offset_mid = handler >> 16 & 0xffff;
    g->offset_high = (uint32_t)(handler >> 32);
    g->reserved = 0;
}

static void idt_init(void)
{
    struct gdt_pointer p = {sizeof(idt) - 1, (uint64_t)(uintptr_t)idt};

    for (int v = 0; v < NUM_VECTORS; v++)
        idt_set_gate(v, trap_stubs[v]);
    __asm__ __volatile__("lidt %0" : : "m"(p));
}

void cpu_init(void)
{
    tss_init();
    gdt_init();
    idt_init();
}

static uint64_t read_cr0(void)
{
    uint64_t v;

    __asm__ __volatile__("mov %%cr0, %0" : "=r"(v));
    return v;
}

static uint64_t read_cr4(void)
{
    uint64_t v;

    __asm__ __volatile__("mov %%cr4, %0" : "=r"(v));
    return v;
}

/*
 * Let applications use the FPU and SSE: no emulation (EM), no lazy
 * switching (TS), WAIT honours TS (MP), and the OS supports FXSAVE and
 * SIMD exceptions.  The x87 unit is reset with FNINIT.  MXCSR is left as
 * the vCPU reset made it, 0x1f80 (all exceptions masked, round to
 * nearest), which every KVM-based tender provides: the kernel itself runs
 * no SSE instruction at all, not even LDMXCSR, because some hosts (the
 * kvm_pvm software backend) cannot run one; only applications that use
 * SSE need a host that can.
 */
void cpu_enable_sse(void)
{
    uint64_t cr0 = (read_cr0() & ~(CR0_EM | CR0_TS)) | CR0_MP;
    /* The monitor sets these; set them anyway for other hvt tenders. */
    uint64_t cr4 = read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT;

    __asm__ __volatile__("mov %0, %%cr0" : : "r"(cr0));
    __asm__ __volatile__("mov %0, %%cr4" : : "r"(cr4));
    __asm__ __volatile__("fninit");
}

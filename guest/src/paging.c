/*
 * The guest's own page tables.
 *
 * The monitor's identity map lets the guest write and execute everything
 * above 1 MiB.  We replace it with one that enforces W^X on the image:
 * text read-only and executable, everything else no-execute, rodata and
 * the low area read-only, and nothing at all below 0x10000 (so a NULL
 * dereference faults) nor at the guard page under the stack.  Guest memory
 * is identity-mapped with 2 MiB pages; the few 2 MiB regions where
 * permissions change within the region are split into 4 KiB pages.
 */
#include <stdbool.h>
#include <stdint.h>

#include "kernel.h"

#define PTE_PRESENT (1ULL << 0)
#define PTE_WRITE (1ULL << 1)
#define PTE_LARGE (1ULL << 7)
#define PTE_NX (1ULL << 63)
#define PTE_ADDR_MASK 0x000ffffffffff000ULL

#define LARGE_PAGE_SIZE (2ULL << 20)
#define ENTRIES 512
#define MAX_PDS 4 /* 4 GiB of guest memory at most */
#define PT_POOL_SIZE 8

#define MSR_EFER 0xc0000080
#define EFER_NXE (1ULL << 11)

typedef uint64_t table[ENTRIES];

static table pml4 __attribute__((aligned(PAGE_SIZE)));
static table pdpt __attribute__((aligned(PAGE_SIZE)));
static table pds[MAX_PDS] __attribute__((aligned(PAGE_SIZE)));
/*
 * Page tables for split regions: the first 2 MiB, and the regions holding
 * the image's inner boundaries, the guard page and a partial last region.
 */
static table pt_pool[PT_POOL_SIZE] __attribute__((aligned(PAGE_SIZE)));
static int pt_used;

/* PTE_NX, or 0 on a CPU without NX (where the bit would be reserved). */
static uint64_t nx_bit;

/* What a mapping allows; NONE leaves the page not present. */
enum access { NONE, READ, READ_WRITE, READ_EXEC };

static uint64_t access_bits(enum access a)
{
    switch (a) {
    case READ:
        return PTE_PRESENT | nx_bit;
    case READ_WRITE:
        return PTE_PRESENT | PTE_WRITE | nx_bit;
    case READ_EXEC:
        return PTE_PRESENT;
    default:
        return 0;
    }
}

static bool cpu_has_nx(void)
{
    uint32_t eax = 0x80000001, ebx, ecx, edx;

    __asm__ __volatile__("cpuid" : "+a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx));
    return (edx >> 20) & 1;
}

static uint64_t *pde_for(uint64_t addr)
{
    return &pds[addr >> 30][(addr >> 21) & (ENTRIES - 1)];
}

/*
 * Replace the 2 MiB mapping holding addr by a page table of 4 KiB pages
 * with the same permissions, unless that was done already.
 */
static uint64_t *pt_for(uint64_t addr)
{
    uint64_t *pde = pde_for(addr);
    uint64_t *pt;
    uint64_t base;
    uint64_t bits;

    if (*pde & PTE_PRESENT && !(*pde & PTE_LARGE))
        return (uint64_t *)(uintptr_t)(*pde & PTE_ADDR_MASK);
    if (pt_used == PT_POOL_SIZE)
        tender_panic("out of page tables");
    pt = pt_pool[pt_used++];
    base = addr & ~(LARGE_PAGE_SIZE - 1);
    bits = *pde & (PTE_PRESENT | PTE_WRITE | PTE_NX);
    for (int i = 0; i < ENTRIES; i++)
        pt[i] = bits != 0 ? (base + (uint64_t)i * PAGE_SIZE) | bits : 0;
    *pde = (uint64_t)(uintptr_t)pt | PTE_PRESENT | PTE_WRITE;
    return pt;
}

static bool is_large_mapping(uint64_t addr)
{
    uint64_t pde = *pde_for(addr);

    return !(pde & PTE_PRESENT) || (pde & PTE_LARGE);
}

/* Map [start, end) (page-aligned) identity with the access given. */
static void map_range(uint64_t start, uint64_t end, enum access a)
{
    uint64_t bits = access_bits(a);
    uint64_t addr = start;

    while (addr < end) {
        bool aligned = (addr & (LARGE_PAGE_SIZE - 1)) == 0;

        if (aligned && end - addr >= LARGE_PAGE_SIZE &&
            is_large_mapping(addr)) {
            *pde_for(addr) = bits != 0 ? addr | bits | PTE_LARGE : 0;
            addr += LARGE_PAGE_SIZE;
        } else {
            pt_for(addr)[(addr >> 12) & (ENTRIES - 1)] =
                bits != 0 ? addr | bits : 0;
            addr += PAGE_SIZE;
        }
    }
}

/* Link the upper levels: one PML4 entry, one PDPT entry per 1 GiB. */
static void link_tables(uint64_t mem_size)
{
    pml4[0] = (uint64_t)(uintptr_t)pdpt | PTE_PRESENT | PTE_WRITE;
    for (uint64_t i = 0; i < MAX_PDS && (i << 30) < mem_size; i++)
        pdpt[i] = (uint64_t)(uintptr_t)pds[i] | PTE_PRESENT | PTE_WRITE;
}

static void enable_nx(void)
{
    uint32_t lo, hi;

    __asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(MSR_EFER));
    lo |= (uint32_t)EFER_NXE;
    __asm__ __volatile__("wrmsr" : : "a"(lo), "d"(hi), "c"(MSR_EFER));
}

static void load_cr3(uint64_t root)
{
    __asm__ __volatile__("mov %0, %%cr3" : : "r"(root) : "memory");
}

static uint64_t addr_of(const char *symbol)
{
    return (uint64_t)(uintptr_t)symbol;
}

void paging_init(uint64_t mem_size, uint64_t guard_page)
{
    if (mem_size > (uint64_t)MAX_PDS << 30)
        mem_size = (uint64_t)MAX_PDS << 30;
    mem_size &= ~(uint64_t)(PAGE_SIZE - 1);
    nx_bit = cpu_has_nx() ? PTE_NX : 0;

    link_tables(mem_size);
    /* Everything read-write, no-execute; then carve out the exceptions. */
    map_range(0, mem_size, READ_WRITE);
    map_range(0, HVT_LOW_RO_START, NONE);
    map_range(HVT_LOW_RO_START, HVT_LOW_RO_END, READ);
    map_range(addr_of(__tender_text_start), addr_of(__tender_text_end),
              READ_EXEC);
    map_range(addr_of(__tender_rodata_start), addr_of(__tender_rodata_end),
              READ);
    if (guard_page != 0)
        map_range(guard_page, guard_page + PAGE_SIZE, NONE);

    /* NX bits are reserved (a fault) until EFER.NXE is set. */
    if (nx_bit != 0)
        enable_nx();
    load_cr3((uint64_t)(uintptr_t)pml4);
}

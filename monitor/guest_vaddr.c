/*
 * The page walk of guest_vaddr.h.  Every table entry is read through
 * guest_mem_ptr(): the tables are the guest's, so as hostile as the rest
 * of its memory.
 */
#include <string.h>

#include "guest_vaddr.h"

#define PTE_PRESENT (1ULL << 0)
#define PTE_LARGE (1ULL << 7)
#define PTE_ADDR_MASK 0x000ffffffffff000ULL

static int read_entry(const struct guest_mem *mem, uint64_t table,
                      unsigned index, uint64_t *entry)
{
    const void *p = guest_mem_ptr(mem, table + index * 8ULL, 8);

    if (p == NULL)
        return -1;
    memcpy(entry, p, 8);
    return (*entry & PTE_PRESENT) ? 0 : -1;
}

/* Bits 48-63 must copy bit 47, or the CPU itself would fault. */
static int canonical(uint64_t va)
{
    uint64_t top = va >> 47;

    return top == 0 || top == 0x1ffff;
}

int guest_vaddr_translate(const struct guest_mem *mem, uint64_t cr3,
                          uint64_t va, uint64_t *gpa, uint64_t *room)
{
    uint64_t table = cr3 & PTE_ADDR_MASK;
    uint64_t entry = 0;

    if (!canonical(va))
        return -1;
    /* Levels PML4, PDPT, PD, PT: index shifts 39, 30, 21, 12. */
    for (int shift = 39; shift >= 12; shift -= 9) {
        uint64_t page = 1ULL << shift;

        if (read_entry(mem, table, (unsigned)(va >> shift) & 511, &entry) < 0)
            return -1;
        /* A 1 GiB or 2 MiB page ends the walk at the PDPT or PD. */
        if (shift == 12 ||
            ((shift == 30 || shift == 21) && (entry & PTE_LARGE))) {
            uint64_t base = entry & PTE_ADDR_MASK & ~(page - 1);

            *gpa = base + (va & (page - 1));
            *room = page - (va & (page - 1));
            return 0;
        }
        table = entry & PTE_ADDR_MASK;
    }
    return -1;
}

/* The hypercall transport: one 32-bit OUT per call. */
#ifndef TENDER_GUEST_HYPERCALL_H
#define TENDER_GUEST_HYPERCALL_H

#include <stdint.h>

#include "hvt_abi.h"

/*
 * Make hypercall nr with the argument struct at arg.  Guest memory is
 * identity-mapped and at most 4 GiB, so the struct's address is its GPA
 * and fits in the 32 bits the OUT carries.  The "memory" clobber makes the
 * compiler store the struct before the OUT and reload it afterwards, since
 * the monitor reads and writes it behind the compiler's back.
 */
static inline void hypercall(enum hvt_hypercall nr, void *arg)
{
    uint16_t port = (uint16_t)(HVT_HYPERCALL_PIO_BASE + nr);
    uint32_t gpa = (uint32_t)(uintptr_t)arg;

    __asm__ __volatile__("outl %0, %1" : : "a"(gpa), "Nd"(port) : "memory");
}

/* The guest-physical address of a guest pointer (identity mapping). */
static inline uint64_t gpa_of(const void *p)
{
    return (uint64_t)(uintptr_t)p;
}

#endif /* TENDER_GUEST_HYPERCALL_H */

/*
 * Guest memory as the monitor sees it.  Every guest-physical address that
 * arrives from the guest goes through guest_mem_ptr(), which checks the
 * whole range against the memory's size without overflowing.
 */
#ifndef TENDER_GUEST_MEM_H
#define TENDER_GUEST_MEM_H

#include <stddef.h>
#include <stdint.h>

struct guest_mem {
    uint8_t *base;
    uint64_t size;
};

/*
 * The host address of [gpa, gpa + len), or NULL if any byte of it lies
 * outside guest memory.  A zero-length range must still start inside.
 */
static inline void *guest_mem_ptr(const struct guest_mem *mem, uint64_t gpa,
                                  uint64_t len)
{
    if (gpa >= mem->size || len > mem->size - gpa)
        return NULL;
    return mem->base + gpa;
}

#endif

/*
 * Guest-virtual to guest-physical translation through the guest's own
 * 4-level page tables, read from guest memory: what a debugger's address
 * means once the guest kernel has installed its tables (guest/src/
 * paging.c), which need not be the identity map tender starts it with.
 */
#ifndef TENDER_GUEST_VADDR_H
#define TENDER_GUEST_VADDR_H

#include <stdint.h>

#include "guest_mem.h"

/*
 * Translate va with the tables rooted at cr3.  On success, *gpa is its
 * guest-physical address and *room the bytes from there to the end of its
 * page (1 to 1 GiB); returns -1 if va is not canonical, not mapped, or a
 * table lies outside guest memory.
 */
int guest_vaddr_translate(const struct guest_mem *mem, uint64_t cr3,
                          uint64_t va, uint64_t *gpa, uint64_t *room);

#endif

/*
 * The guest ELF loader.  It trusts nothing in the file: every header,
 * note and segment is checked, without overflow, before a single byte is
 * copied into guest memory.
 */
#ifndef TENDER_ELF_LOAD_H
#define TENDER_ELF_LOAD_H

#include <stddef.h>
#include <stdint.h>

#include "guest_mem.h"
#include "hvt_abi.h"
#include "tender.h"

#define ELF_MAX_PHDRS 64

struct elf_segment {
    uint64_t gpa;
    uint64_t memsz;
    uint64_t offset; /* in the file */
    uint64_t filesz;
    int writable;
    int executable;
};

/* The largest manifest: its header and 64 entries. */
#define ELF_MFT_MAX_SIZE                                                       \
    (sizeof(struct hvt_mft) +                                                  \
     HVT_MFT_MAX_ENTRIES * sizeof(struct hvt_mft_entry))

struct elf_image {
    uint64_t entry;
    uint64_t kernel_end; /* first byte after the image, rounded up */
    /*
     * The manifest, copied out of the file before it was checked: what
     * was checked is what is used, whatever happens to the file later.
     */
    _Alignas(8) uint8_t mft[ELF_MFT_MAX_SIZE];
    size_t mft_size;
    struct elf_segment seg[ELF_MAX_PHDRS];
    size_t n_seg;
};

/*
 * Check file (size bytes) as an hvt v2 guest for a memory of mem_size
 * bytes, and describe it in img.  Nothing is loaded.
 */
int elf_check(const uint8_t *file, size_t size, uint64_t mem_size,
              struct elf_image *img, struct tender_error *err);

/* Copy the checked image's segments into mem and zero their tails. */
void elf_copy_segments(const uint8_t *file, const struct elf_image *img,
                       const struct guest_mem *mem);

#endif

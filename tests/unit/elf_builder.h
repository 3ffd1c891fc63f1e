/*
 * In-memory ELF64 images for the loader tests.
 *
 * elf_build() lays out a valid hvt v2 guest; each test then breaks one
 * thing, either through a knob in struct elf_spec (for changes that move
 * the layout, such as extra notes) or by patching the built bytes.
 *
 * Layout, in this order: ELF header, program headers, text, data, notes.
 * The notes come last so that a truncated note is also a truncated file:
 * the image is malloc'd at its exact size, so AddressSanitizer reports
 * any read past the end.
 */
#ifndef TENDER_TEST_ELF_BUILDER_H
#define TENDER_TEST_ELF_BUILDER_H

#include <elf.h>
#include <stddef.h>
#include <stdint.h>

#include "hvt_abi.h"

#define EB_TEXT_GPA 0x100000ULL
#define EB_TEXT_SIZE 0x40
#define EB_ENTRY (EB_TEXT_GPA + 0x10)
#define EB_DATA_GPA 0x101000ULL
#define EB_DATA_FILESZ 0x20
#define EB_DATA_MEMSZ 0x1000
#define EB_KERNEL_END (EB_DATA_GPA + EB_DATA_MEMSZ)
#define EB_MAX_EXTRA_PHDRS 4
#define EB_MAX_ABI_DESC 32

/* The program headers every image starts with, by index. */
enum { EB_PH_TEXT, EB_PH_DATA, EB_PH_NOTE, EB_N_BASE_PHDRS };

struct elf_spec {
    int n_abi_notes;     /* 1; 0 omits the ABI note, 2 duplicates it */
    uint32_t abi_target; /* HVT_ABI_TARGET_HVT */
    uint32_t abi_version;
    uint32_t abi_descsz; /* 16; at most EB_MAX_ABI_DESC */
    int n_mft_notes;     /* 1; 0 omits the manifest, 2 duplicates it */
    const struct hvt_mft_entry *devices; /* entries after the reserved one */
    uint32_t n_devices;
    int foreign_note;  /* put a GNU note first, which must be skipped */
    size_t note_align; /* 4; or 8, which pads name and descriptor to 8 */
    int unpadded_mft;  /* the wrong, packed MFT1 layout: no 4-byte pad */
    Elf64_Phdr extra[EB_MAX_EXTRA_PHDRS]; /* appended program headers */
    size_t n_extra;
};

struct elf_buf {
    uint8_t *data; /* malloc'd, exactly size bytes */
    size_t size;
    size_t text_off;
    size_t data_off;
    size_t notes_off;    /* the PT_NOTE segment, up to the end of the file */
    size_t abi_note_off; /* header of the first ABI note */
    size_t mft_note_off; /* header of the first manifest note */
    size_t mft_desc_off; /* its descriptor: 20 bytes on, or 24 if 8-aligned */
    size_t mft_off;      /* the manifest: the descriptor, past its pad */
};

void elf_spec_init(struct elf_spec *spec);
void elf_build(const struct elf_spec *spec, struct elf_buf *out);
void elf_build_default(struct elf_buf *out);
void elf_buf_free(struct elf_buf *buf);

/* Reallocate to exactly size bytes, keeping the prefix. */
void elf_truncate(struct elf_buf *buf, size_t size);

/* Views into the built image; malloc's alignment makes these safe. */
Elf64_Ehdr *elf_ehdr(struct elf_buf *buf);
Elf64_Phdr *elf_phdr(struct elf_buf *buf, size_t index);
Elf64_Nhdr *elf_note(struct elf_buf *buf, size_t off);

/* The bytes the builder puts in the text and data segments. */
uint8_t eb_text_byte(size_t i);
uint8_t eb_data_byte(size_t i);

/* A manifest entry with the given name and type, all else zero. */
struct hvt_mft_entry eb_mft_entry(const char *name, uint32_t type);

/*
 * A malloc'd MFT1 descriptor: version 1, the reserved entry 0, then
 * devices.  Its size (exact) goes to *size.
 */
uint8_t *eb_mft_build(const struct hvt_mft_entry *devices, uint32_t n_devices,
                      size_t *size);

#endif

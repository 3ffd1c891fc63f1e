/*
 * fuzz_elf: the guest ELF loader.  The input is a whole ELF file.
 *
 * elf_check() must never read outside the file, and what it accepts must
 * be safe to load: every segment inside guest memory and above the low
 * area, its file bytes inside the file, the entry point in an executable
 * segment and the manifest a valid one inside the file.  Those promises
 * are checked here, then elf_copy_segments() copies the image into a
 * guest memory allocated at its exact size, so that AddressSanitizer sees
 * any write past its end.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf_load.h"
#include "hvt_abi.h"
#include "manifest.h"

/* Memories small enough to load into, and the largest, checked only. */
static const uint64_t load_sizes[] = {HVT_GUEST_MIN_MEM, 3 * HVT_GUEST_MIN_MEM};
#define N_LOAD_SIZES (sizeof(load_sizes) / sizeof(load_sizes[0]))

static uint8_t *memories[N_LOAD_SIZES];

static void fail(const char *what)
{
    fprintf(stderr, "fuzz_elf: accepted image breaks a promise: %s\n", what);
    abort();
}

/* What every accepted image must satisfy, whatever the memory size. */
static void check_image(const uint8_t *file, size_t size, uint64_t mem_size,
                        const struct elf_image *img)
{
    int entry_ok = 0;

    if (img->n_seg == 0 || img->n_seg > ELF_MAX_PHDRS)
        fail("segment count");
    for (size_t i = 0; i < img->n_seg; i++) {
        const struct elf_segment *s = &img->seg[i];

        if (s->gpa < HVT_LOW_RO_END)
            fail("segment in the low area");
        if (s->memsz == 0 || s->gpa > mem_size || s->memsz > mem_size - s->gpa)
            fail("segment outside guest memory");
        if (s->filesz > s->memsz)
            fail("file size above memory size");
        if (s->offset > size || s->filesz > size - s->offset)
            fail("segment bytes outside the file");
        if (s->writable && s->executable)
            fail("writable and executable segment");
        if (s->gpa + s->memsz > img->kernel_end)
            fail("kernel_end below a segment");
        if (s->executable && img->entry >= s->gpa &&
            img->entry - s->gpa < s->memsz)
            entry_ok = 1;
        for (size_t j = 0; j < i; j++) {
            const struct elf_segment *t = &img->seg[j];

            if (s->gpa < t->gpa + t->memsz && t->gpa < s->gpa + s->memsz)
                fail("overlapping segments");
        }
    }
    if (!entry_ok)
        fail("entry point outside executable segments");
    if (img->kernel_end > mem_size)
        fail("kernel_end beyond guest memory");
    if (img->mft_size > sizeof(img->mft))
        fail("manifest larger than its copy");
    if (manifest_validate(img->mft, img->mft_size, NULL) != 0)
        fail("invalid manifest");
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    for (size_t i = 0; i < N_LOAD_SIZES; i++) {
        memories[i] = malloc(load_sizes[i]);
        if (memories[i] == NULL)
            abort();
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct elf_image img;
    struct tender_error err;

    for (size_t i = 0; i < N_LOAD_SIZES; i++) {
        struct guest_mem mem = {memories[i], load_sizes[i]};

        if (elf_check(data, size, mem.size, &img, &err) != 0)
            continue;
        check_image(data, size, mem.size, &img);
        elf_copy_segments(data, &img, &mem);
    }
    if (elf_check(data, size, HVT_GUEST_MAX_MEM, &img, &err) == 0)
        check_image(data, size, HVT_GUEST_MAX_MEM, &img);
    return 0;
}

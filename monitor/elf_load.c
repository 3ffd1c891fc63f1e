#include <elf.h>
#include <string.h>

#include "elf_load.h"
#include "error.h"
#include "hvt_abi.h"
#include "manifest.h"

#define GUEST_PAGE 4096ULL

/* Does [off, off + len) lie within a buffer of size bytes? */
static int in_bounds(uint64_t off, uint64_t len, uint64_t size)
{
    return off <= size && len <= size - off;
}

static int check_header(const uint8_t *file, size_t size, Elf64_Ehdr *eh,
                        struct tender_error *err)
{
    if (size < EI_NIDENT || memcmp(file, ELFMAG, SELFMAG) != 0)
        return tnd_fail(err, TENDER_E_ELF, "not an ELF file");
    if (file[EI_CLASS] != ELFCLASS64)
        return tnd_fail(err, TENDER_E_ELF, "not a 64-bit ELF file");
    if (file[EI_DATA] != ELFDATA2LSB)
        return tnd_fail(err, TENDER_E_ELF, "not a little-endian ELF file");
    if (size < sizeof(Elf64_Ehdr))
        return tnd_fail(err, TENDER_E_ELF, "truncated ELF header");
    /* A copy: the caller's buffer need not be aligned for Elf64_Ehdr. */
    memcpy(eh, file, sizeof(*eh));
    if (file[EI_VERSION] != EV_CURRENT || eh->e_version != EV_CURRENT)
        return tnd_fail(err, TENDER_E_ELF, "unknown ELF version");
    if (eh->e_machine != EM_X86_64)
        return tnd_fail(err, TENDER_E_ELF, "ELF machine is not x86_64");
    if (eh->e_type != ET_EXEC)
        return tnd_fail(err, TENDER_E_ELF, "not a static ELF executable");
    if (eh->e_phentsize != sizeof(Elf64_Phdr))
        return tnd_fail(err, TENDER_E_ELF, "bad program header size");
    if (eh->e_phnum == 0)
        return tnd_fail(err, TENDER_E_ELF, "no program headers");
    if (eh->e_phnum > ELF_MAX_PHDRS)
        return tnd_fail(err, TENDER_E_ELF, "too many program headers (%u)",
                        eh->e_phnum);
    if (!in_bounds(eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr),
                   size))
        return tnd_fail(err, TENDER_E_ELF,
                        "program headers lie outside the file");
    return 0;
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
    return (v + a - 1) & ~(a - 1);
}

/*
 * Look through one PT_NOTE segment for Solo5 notes of the ABI and
 * manifest types.  A second note of either type is refused: a hostile
 * file must not be able to show one manifest to a checker and another to
 * the loader.
 */
static int scan_notes(const uint8_t *notes, uint64_t len, uint64_t align,
                      const uint8_t **abi, uint64_t *abi_size,
                      const uint8_t **mft, uint64_t *mft_size,
                      struct tender_error *err)
{
    uint64_t off = 0;

    while (off < len) {
        Elf64_Nhdr nh;
        uint64_t name_off, desc_off, next;

        /* Fewer bytes than a note header are padding, not a note. */
        if (len - off < sizeof(nh))
            break;
        memcpy(&nh, notes + off, sizeof(nh));
        name_off = off + sizeof(nh);
        if (!in_bounds(name_off, nh.n_namesz, len))
            return tnd_fail(err, TENDER_E_ELF, "ELF note name overruns");
        desc_off = align_up(name_off + nh.n_namesz, align);
        if (!in_bounds(desc_off, nh.n_descsz, len))
            return tnd_fail(err, TENDER_E_ELF, "ELF note overruns");
        next = align_up(desc_off + nh.n_descsz, align);

        if (nh.n_namesz == HVT_NOTE_NAME_SIZE &&
            memcmp(notes + name_off, HVT_NOTE_NAME, HVT_NOTE_NAME_SIZE) == 0) {
            const uint8_t **slot = NULL;
            uint64_t *slot_size = NULL;

            if (nh.n_type == HVT_NOTE_TYPE_ABI) {
                slot = abi;
                slot_size = abi_size;
            } else if (nh.n_type == HVT_NOTE_TYPE_MFT) {
                slot = mft;
                slot_size = mft_size;
            }
            if (slot != NULL) {
                if (*slot != NULL)
                    return tnd_fail(err, TENDER_E_ELF,
                                    "duplicate Solo5 %s note",
                                    slot == abi ? "ABI" : "manifest");
                /* Solo5 reads a descriptor at a fixed offset, whatever the
                 * segment's alignment says: refuse what it would misread. */
                if (desc_off - off != HVT_NOTE_DESC_OFFSET || desc_off % 4 != 0)
                    return tnd_fail(err, TENDER_E_ELF, "misaligned Solo5 note");
                *slot = notes + desc_off;
                *slot_size = nh.n_descsz;
            }
        }
        off = next;
    }
    return 0;
}

static int find_notes(const uint8_t *file, size_t size, const Elf64_Phdr *ph,
                      unsigned phnum, struct elf_image *img,
                      struct tender_error *err)
{
    const uint8_t *abi = NULL, *mft = NULL;
    uint64_t abi_size = 0, mft_size = 0;
    struct hvt_abi_note_desc desc;

    for (unsigned i = 0; i < phnum; i++) {
        uint64_t align = ph[i].p_align == 8 ? 8 : 4;

        if (ph[i].p_type != PT_NOTE)
            continue;
        if (!in_bounds(ph[i].p_offset, ph[i].p_filesz, size))
            return tnd_fail(err, TENDER_E_ELF,
                            "note segment lies outside the file");
        if (ph[i].p_offset % 4 != 0)
            return tnd_fail(err, TENDER_E_ELF, "misaligned note segment");
        if (scan_notes(file + ph[i].p_offset, ph[i].p_filesz, align, &abi,
                       &abi_size, &mft, &mft_size, err) < 0)
            return -1;
    }
    if (abi == NULL)
        return tnd_fail(err, TENDER_E_ELF,
                        "no Solo5 ABI note: not an hvt guest");
    if (abi_size != sizeof(desc))
        return tnd_fail(err, TENDER_E_ELF, "bad Solo5 ABI note size (%llu)",
                        (unsigned long long)abi_size);
    memcpy(&desc, abi, sizeof(desc));
    if (desc.target != HVT_ABI_TARGET_HVT)
        return tnd_fail(err, TENDER_E_ELF,
                        "guest is built for ABI target %u, not hvt (1)",
                        desc.target);
    if (desc.version != HVT_ABI_VERSION)
        return tnd_fail(err, TENDER_E_ELF,
                        "guest is built for hvt ABI version %u, not %u",
                        desc.version, HVT_ABI_VERSION);
    if (mft == NULL)
        return tnd_fail(err, TENDER_E_ELF, "no Solo5 manifest note");
    /* The manifest proper follows the descriptor's alignment padding. */
    if (mft_size < HVT_MFT_NOTE_PAD + sizeof(struct hvt_mft) ||
        (mft_size - HVT_MFT_NOTE_PAD - sizeof(struct hvt_mft)) %
                sizeof(struct hvt_mft_entry) !=
            0)
        return tnd_fail(err, TENDER_E_ELF,
                        "manifest note of %llu bytes is not 4 + 8 + 104 per "
                        "entry (the MFT1 layout)",
                        (unsigned long long)mft_size);
    mft_size -= HVT_MFT_NOTE_PAD;
    if (mft_size > sizeof(img->mft))
        return tnd_fail(err, TENDER_E_ELF, "manifest has more than %u entries",
                        HVT_MFT_MAX_ENTRIES);
    memcpy(img->mft, mft + HVT_MFT_NOTE_PAD, mft_size);
    img->mft_size = mft_size;
    return manifest_validate(img->mft, img->mft_size, err);
}

static int check_segment(const Elf64_Phdr *ph, size_t size, uint64_t mem_size,
                         struct elf_segment *seg, struct tender_error *err)
{
    if (ph->p_filesz > ph->p_memsz)
        return tnd_fail(err, TENDER_E_ELF,
                        "segment's file size exceeds its memory size");
    if (!in_bounds(ph->p_offset, ph->p_filesz, size))
        return tnd_fail(err, TENDER_E_ELF, "segment lies outside the file");
    /* Loaded at p_vaddr, as Solo5 loads: with the identity map of the
     * entry state it is the GPA, and p_paddr is not read. */
    if (ph->p_vaddr < HVT_LOW_RO_END)
        return tnd_fail(err, TENDER_E_ELF,
                        "segment at 0x%llx overlaps the low area "
                        "(below 0x%x)",
                        (unsigned long long)ph->p_vaddr, HVT_LOW_RO_END);
    if (!in_bounds(ph->p_vaddr, ph->p_memsz, mem_size))
        return tnd_fail(err, TENDER_E_ELF,
                        "segment at 0x%llx (0x%llx bytes) lies outside "
                        "guest memory",
                        (unsigned long long)ph->p_vaddr,
                        (unsigned long long)ph->p_memsz);
    if (ph->p_align > 1 && (ph->p_align & (ph->p_align - 1)) != 0)
        return tnd_fail(err, TENDER_E_ELF,
                        "segment at 0x%llx has an alignment (0x%llx) that "
                        "is not a power of two",
                        (unsigned long long)ph->p_vaddr,
                        (unsigned long long)ph->p_align);
    if ((ph->p_flags & (PF_W | PF_X)) == (PF_W | PF_X))
        return tnd_fail(err, TENDER_E_ELF,
                        "segment at 0x%llx is both writable and executable",
                        (unsigned long long)ph->p_vaddr);
    seg->gpa = ph->p_vaddr;
    seg->memsz = ph->p_memsz;
    seg->offset = ph->p_offset;
    seg->filesz = ph->p_filesz;
    seg->writable = (ph->p_flags & PF_W) != 0;
    seg->executable = (ph->p_flags & PF_X) != 0;
    return 0;
}

static int segments_overlap(const struct elf_segment *a,
                            const struct elf_segment *b)
{
    return a->gpa < b->gpa + b->memsz && b->gpa < a->gpa + a->memsz;
}

/*
 * Where the image ends: past every segment, each rounded up to its own
 * alignment as Solo5 rounds it, and to a whole page, so that the free
 * memory the boot info announces never shares a page with the image.
 */
static uint64_t segment_end(const Elf64_Phdr *ph)
{
    uint64_t align = ph->p_align > GUEST_PAGE ? ph->p_align : GUEST_PAGE;

    return align_up(ph->p_vaddr + ph->p_memsz, align);
}

static int check_segments(const Elf64_Ehdr *eh, size_t size,
                          const Elf64_Phdr *ph, uint64_t mem_size,
                          struct elf_image *img, struct tender_error *err)
{
    unsigned phnum = eh->e_phnum;
    int entry_ok = 0;

    img->n_seg = 0;
    img->kernel_end = 0;
    for (unsigned i = 0; i < phnum; i++) {
        struct elf_segment *seg = &img->seg[img->n_seg];

        if (ph[i].p_type == PT_DYNAMIC)
            return tnd_fail(err, TENDER_E_ELF,
                            "dynamically linked: guests must be static");
        if (ph[i].p_type != PT_LOAD || ph[i].p_memsz == 0)
            continue;
        if (check_segment(&ph[i], size, mem_size, seg, err) < 0)
            return -1;
        /* The ELF specification sorts PT_LOADs by address; Solo5 refuses
         * an image that does not, and so does tender. */
        if (img->n_seg > 0 && seg->gpa < img->seg[img->n_seg - 1].gpa)
            return tnd_fail(err, TENDER_E_ELF,
                            "segment at 0x%llx is out of ascending address "
                            "order",
                            (unsigned long long)seg->gpa);
        for (size_t j = 0; j < img->n_seg; j++)
            if (segments_overlap(seg, &img->seg[j]))
                return tnd_fail(err, TENDER_E_ELF, "segments overlap");
        if (seg->executable && eh->e_entry >= seg->gpa &&
            eh->e_entry - seg->gpa < seg->memsz)
            entry_ok = 1;
        if (segment_end(&ph[i]) > img->kernel_end)
            img->kernel_end = segment_end(&ph[i]);
        img->n_seg++;
    }
    if (img->n_seg == 0)
        return tnd_fail(err, TENDER_E_ELF, "no loadable segments");
    if (img->kernel_end > mem_size)
        return tnd_fail(err, TENDER_E_ELF,
                        "the image, rounded up to its segments' alignment, "
                        "ends at 0x%llx, outside guest memory",
                        (unsigned long long)img->kernel_end);
    if (!entry_ok)
        return tnd_fail(err, TENDER_E_ELF,
                        "entry point 0x%llx is not in an executable segment",
                        (unsigned long long)eh->e_entry);
    img->entry = eh->e_entry;
    return 0;
}

int elf_check(const uint8_t *file, size_t size, uint64_t mem_size,
              struct elf_image *img, struct tender_error *err)
{
    Elf64_Ehdr eh;
    Elf64_Phdr ph[ELF_MAX_PHDRS];

    memset(img, 0, sizeof(*img));
    if (check_header(file, size, &eh, err) < 0)
        return -1;
    /* check_header() fills eh whenever it returns 0; the analyzer cannot
     * see that tnd_fail(), in another file, always returns -1. */
    /* NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult) */
    memcpy(ph, file + eh.e_phoff, eh.e_phnum * sizeof(Elf64_Phdr));
    if (find_notes(file, size, ph, eh.e_phnum, img, err) < 0)
        return -1;
    return check_segments(&eh, size, ph, mem_size, img, err);
}

void elf_copy_segments(const uint8_t *file, const struct elf_image *img,
                       const struct guest_mem *mem)
{
    for (size_t i = 0; i < img->n_seg; i++) {
        const struct elf_segment *seg = &img->seg[i];
        uint8_t *dst = mem->base + seg->gpa;

        memcpy(dst, file + seg->offset, seg->filesz);
        memset(dst + seg->filesz, 0, seg->memsz - seg->filesz);
    }
}

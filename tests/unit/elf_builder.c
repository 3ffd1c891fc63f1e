#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf_builder.h"

#define GNU_NOTE_DESC_SIZE 8

static void *xmalloc(size_t size)
{
    void *p = malloc(size);

    /* malloc(0) may return NULL; an empty image still needs a pointer. */
    if (p == NULL && size == 0)
        p = malloc(1);

    if (p == NULL) {
        perror("elf_builder");
        abort();
    }
    return p;
}

static size_t align_up(size_t v, size_t a)
{
    return (v + a - 1) & ~(a - 1);
}

/*
 * Write one note at dst (or only measure it when dst is NULL); returns
 * its size.  The name and descriptor are padded to align, as a PT_NOTE
 * of that alignment lays them out; dst itself must be so aligned.
 */
static size_t put_note(uint8_t *dst, size_t align, const char *name,
                       uint32_t type, const void *desc, uint32_t descsz)
{
    uint32_t namesz = (uint32_t)strlen(name) + 1;
    size_t desc_off = align_up(sizeof(Elf64_Nhdr) + namesz, align);
    size_t total = align_up(desc_off + descsz, align);

    if (dst == NULL)
        return total;
    Elf64_Nhdr nh = {.n_namesz = namesz, .n_descsz = descsz, .n_type = type};
    memset(dst, 0, total);
    memcpy(dst, &nh, sizeof(nh));
    memcpy(dst + sizeof(nh), name, namesz);
    memcpy(dst + desc_off, desc, descsz);
    return total;
}

struct hvt_mft_entry eb_mft_entry(const char *name, uint32_t type)
{
    struct hvt_mft_entry e;

    memset(&e, 0, sizeof(e));
    /* Up to the whole field: a test may want a name without a NUL. */
    memcpy(e.name, name, strnlen(name, sizeof(e.name)));
    e.type = type;
    return e;
}

uint8_t *eb_mft_build(const struct hvt_mft_entry *devices, uint32_t n_devices,
                      size_t *size)
{
    struct hvt_mft hdr = {.version = HVT_MFT_VERSION, .entries = n_devices + 1};
    struct hvt_mft_entry reserved = eb_mft_entry("", HVT_MFT_RESERVED_FIRST);
    size_t entry_size = sizeof(struct hvt_mft_entry);
    uint8_t *desc;

    *size = sizeof(hdr) + (size_t)hdr.entries * entry_size;
    desc = xmalloc(*size);
    memcpy(desc, &hdr, sizeof(hdr));
    memcpy(desc + sizeof(hdr), &reserved, entry_size);
    if (n_devices > 0)
        memcpy(desc + sizeof(hdr) + entry_size, devices,
               n_devices * entry_size);
    return desc;
}

uint8_t eb_text_byte(size_t i)
{
    return (uint8_t)(0x90 + i * 7);
}

uint8_t eb_data_byte(size_t i)
{
    return (uint8_t)(0x11 + i * 13);
}

void elf_spec_init(struct elf_spec *spec)
{
    memset(spec, 0, sizeof(*spec));
    spec->n_abi_notes = 1;
    spec->abi_target = HVT_ABI_TARGET_HVT;
    spec->abi_version = HVT_ABI_VERSION;
    spec->abi_descsz = sizeof(struct hvt_abi_note_desc);
    spec->n_mft_notes = 1;
    spec->note_align = 4;
}

/* The MFT1 descriptor: pad zero bytes, then the manifest. */
static uint8_t *eb_mft_note_desc(const struct elf_spec *spec, size_t pad,
                                 size_t *size)
{
    size_t mft_size;
    uint8_t *mft = eb_mft_build(spec->devices, spec->n_devices, &mft_size);
    uint8_t *desc = xmalloc(pad + mft_size);

    memset(desc, 0, pad);
    memcpy(desc + pad, mft, mft_size);
    free(mft);
    *size = pad + mft_size;
    return desc;
}

/* Write (or, with dst NULL, measure) the whole note segment. */
static size_t put_notes(uint8_t *dst, const struct elf_spec *spec, size_t base,
                        struct elf_buf *out)
{
    static const uint8_t gnu_desc[GNU_NOTE_DESC_SIZE] = {1, 2, 3, 4, 5, 6, 7};
    uint32_t abi_desc[EB_MAX_ABI_DESC / 4] = {spec->abi_target,
                                              spec->abi_version};
    size_t mft_size, off = 0;
    size_t pad = spec->unpadded_mft ? 0 : HVT_MFT_NOTE_PAD;
    uint8_t *mft = eb_mft_note_desc(spec, pad, &mft_size);

    if (spec->abi_descsz > EB_MAX_ABI_DESC)
        abort();
    if (spec->foreign_note)
        off += put_note(dst ? dst + off : NULL, spec->note_align, "GNU",
                        NT_GNU_BUILD_ID, gnu_desc, sizeof(gnu_desc));
    out->abi_note_off = base + off;
    for (int i = 0; i < spec->n_abi_notes; i++)
        off += put_note(dst ? dst + off : NULL, spec->note_align, HVT_NOTE_NAME,
                        HVT_NOTE_TYPE_ABI, abi_desc, spec->abi_descsz);
    out->mft_note_off = base + off;
    out->mft_desc_off =
        out->mft_note_off +
        align_up(sizeof(Elf64_Nhdr) + HVT_NOTE_NAME_SIZE, spec->note_align);
    out->mft_off = out->mft_desc_off + pad;
    for (int i = 0; i < spec->n_mft_notes; i++)
        off += put_note(dst ? dst + off : NULL, spec->note_align, HVT_NOTE_NAME,
                        HVT_NOTE_TYPE_MFT, mft, (uint32_t)mft_size);
    free(mft);
    return off;
}

static void put_ehdr(struct elf_buf *buf, size_t n_phdrs)
{
    Elf64_Ehdr *eh = elf_ehdr(buf);

    memset(eh, 0, sizeof(*eh));
    memcpy(eh->e_ident, ELFMAG, SELFMAG);
    eh->e_ident[EI_CLASS] = ELFCLASS64;
    eh->e_ident[EI_DATA] = ELFDATA2LSB;
    eh->e_ident[EI_VERSION] = EV_CURRENT;
    eh->e_ident[EI_OSABI] = ELFOSABI_NONE;
    eh->e_type = ET_EXEC;
    eh->e_machine = EM_X86_64;
    eh->e_version = EV_CURRENT;
    eh->e_entry = EB_ENTRY;
    eh->e_phoff = sizeof(Elf64_Ehdr);
    eh->e_ehsize = sizeof(Elf64_Ehdr);
    eh->e_phentsize = sizeof(Elf64_Phdr);
    eh->e_phnum = (Elf64_Half)n_phdrs;
}

static Elf64_Phdr make_phdr(uint32_t type, uint32_t flags, uint64_t off,
                            uint64_t gpa, uint64_t filesz, uint64_t memsz)
{
    Elf64_Phdr ph = {.p_type = type,
                     .p_flags = flags,
                     .p_offset = off,
                     .p_vaddr = gpa,
                     .p_paddr = gpa,
                     .p_filesz = filesz,
                     .p_memsz = memsz,
                     .p_align = type == PT_NOTE ? 4 : 0x1000};
    return ph;
}

static void put_phdrs(struct elf_buf *buf, const struct elf_spec *spec)
{
    *elf_phdr(buf, EB_PH_TEXT) =
        make_phdr(PT_LOAD, PF_R | PF_X, buf->text_off, EB_TEXT_GPA,
                  EB_TEXT_SIZE, EB_TEXT_SIZE);
    *elf_phdr(buf, EB_PH_DATA) =
        make_phdr(PT_LOAD, PF_R | PF_W, buf->data_off, EB_DATA_GPA,
                  EB_DATA_FILESZ, EB_DATA_MEMSZ);
    *elf_phdr(buf, EB_PH_NOTE) = make_phdr(PT_NOTE, PF_R, buf->notes_off, 0,
                                           buf->size - buf->notes_off, 0);
    elf_phdr(buf, EB_PH_NOTE)->p_align = spec->note_align;
    for (size_t i = 0; i < spec->n_extra; i++)
        *elf_phdr(buf, EB_N_BASE_PHDRS + i) = spec->extra[i];
}

void elf_build(const struct elf_spec *spec, struct elf_buf *out)
{
    size_t n_phdrs = EB_N_BASE_PHDRS + spec->n_extra;
    size_t phdrs_end = sizeof(Elf64_Ehdr) + n_phdrs * sizeof(Elf64_Phdr);

    if (spec->n_extra > EB_MAX_EXTRA_PHDRS ||
        (spec->note_align != 4 && spec->note_align != 8))
        abort();
    memset(out, 0, sizeof(*out));
    out->text_off = align_up(phdrs_end, 16);
    out->data_off = align_up(out->text_off + EB_TEXT_SIZE, 16);
    out->notes_off = align_up(out->data_off + EB_DATA_FILESZ, 8);
    out->size = out->notes_off + put_notes(NULL, spec, out->notes_off, out);
    out->data = xmalloc(out->size);
    memset(out->data, 0, out->size);

    put_ehdr(out, n_phdrs);
    put_phdrs(out, spec);
    for (size_t i = 0; i < EB_TEXT_SIZE; i++)
        out->data[out->text_off + i] = eb_text_byte(i);
    for (size_t i = 0; i < EB_DATA_FILESZ; i++)
        out->data[out->data_off + i] = eb_data_byte(i);
    put_notes(out->data + out->notes_off, spec, out->notes_off, out);
}

void elf_build_default(struct elf_buf *out)
{
    struct elf_spec spec;

    elf_spec_init(&spec);
    elf_build(&spec, out);
}

void elf_buf_free(struct elf_buf *buf)
{
    free(buf->data);
    buf->data = NULL;
    buf->size = 0;
}

void elf_truncate(struct elf_buf *buf, size_t size)
{
    /* A fresh block rather than realloc, so ASan sees the new bound. */
    uint8_t *data = xmalloc(size);

    if (size <= buf->size) {
        memcpy(data, buf->data, size);
    } else {
        memcpy(data, buf->data, buf->size);
        memset(data + buf->size, 0, size - buf->size);
    }
    free(buf->data);
    buf->data = data;
    buf->size = size;
}

Elf64_Ehdr *elf_ehdr(struct elf_buf *buf)
{
    return (Elf64_Ehdr *)buf->data;
}

Elf64_Phdr *elf_phdr(struct elf_buf *buf, size_t index)
{
    /* The builder's offset, not e_phoff, which tests may have broken. */
    return (Elf64_Phdr *)(buf->data + sizeof(Elf64_Ehdr)) + index;
}

Elf64_Nhdr *elf_note(struct elf_buf *buf, size_t off)
{
    return (Elf64_Nhdr *)(buf->data + off);
}

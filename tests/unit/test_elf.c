/*
 * The ELF loader: valid images load as described, and malformed or
 * hostile ones are refused with a message that names the problem.
 */
#include <stdlib.h>
#include <string.h>

#include "elf_builder.h"
#include "elf_load.h"
#include "unit_suites.h"

#define TEST_MEM (4ULL << 20)

/* Check the image and expect success; err.msg helps when it fails. */
static void check_ok(struct elf_buf *buf, struct elf_image *img)
{
    struct tender_error err = {0};
    int rc = elf_check(buf->data, buf->size, TEST_MEM, img, &err);

    ck_assert_msg(rc == 0, "valid image refused: %s", err.msg);
}

START_TEST(test_valid_image)
{
    struct elf_buf buf;
    struct elf_image img;

    elf_build_default(&buf);
    check_ok(&buf, &img);
    ck_assert_uint_eq(img.entry, EB_ENTRY);
    ck_assert_uint_eq(img.kernel_end, EB_KERNEL_END);
    ck_assert_uint_eq(img.n_seg, 2);
    ck_assert_uint_eq(img.seg[0].gpa, EB_TEXT_GPA);
    ck_assert_uint_eq(img.seg[0].memsz, EB_TEXT_SIZE);
    ck_assert_uint_eq(img.seg[0].offset, buf.text_off);
    ck_assert_uint_eq(img.seg[0].filesz, EB_TEXT_SIZE);
    ck_assert(img.seg[0].executable && !img.seg[0].writable);
    ck_assert_uint_eq(img.seg[1].gpa, EB_DATA_GPA);
    ck_assert_uint_eq(img.seg[1].memsz, EB_DATA_MEMSZ);
    ck_assert_uint_eq(img.seg[1].offset, buf.data_off);
    ck_assert_uint_eq(img.seg[1].filesz, EB_DATA_FILESZ);
    ck_assert(!img.seg[1].executable && img.seg[1].writable);
    /* The manifest descriptor follows the 20-byte note header, and the
     * manifest its 4 bytes of padding. */
    ck_assert_uint_eq(buf.mft_desc_off, buf.mft_note_off + 20);
    ck_assert_uint_eq(buf.mft_off, buf.mft_note_off + 24);
    ck_assert_uint_eq(img.mft_size, 8 + 104);
    ck_assert_mem_eq(img.mft, buf.data + buf.mft_off, img.mft_size);
    elf_buf_free(&buf);
}
END_TEST

START_TEST(test_valid_with_devices)
{
    struct hvt_mft_entry devs[2] = {
        eb_mft_entry("net0", HVT_MFT_DEV_NET_BASIC),
        eb_mft_entry("disk", HVT_MFT_DEV_BLOCK_BASIC)};
    struct elf_spec spec;
    struct elf_buf buf;
    struct elf_image img;
    struct hvt_mft_entry e;

    elf_spec_init(&spec);
    spec.devices = devs;
    spec.n_devices = 2;
    elf_build(&spec, &buf);
    check_ok(&buf, &img);
    ck_assert_uint_eq(img.mft_size, 8 + 3 * 104);
    memcpy(&e, img.mft + 8 + 2 * 104, sizeof(e));
    ck_assert_str_eq(e.name, "disk");
    elf_buf_free(&buf);
}
END_TEST

/* Notes of other owners (a GNU build id) and a PT_INTERP are ignored. */
START_TEST(test_valid_foreign_note_and_interp)
{
    struct elf_spec spec;
    struct elf_buf buf;
    struct elf_image img;

    elf_spec_init(&spec);
    spec.foreign_note = 1;
    spec.extra[0] = (Elf64_Phdr){.p_type = PT_INTERP, .p_flags = PF_R};
    spec.n_extra = 1;
    elf_build(&spec, &buf);
    check_ok(&buf, &img);
    ck_assert_mem_eq(img.mft, buf.data + buf.mft_off, img.mft_size);
    ck_assert_uint_eq(img.n_seg, 2);
    elf_buf_free(&buf);
}
END_TEST

/* The loader must copy headers out rather than cast the caller's bytes. */
START_TEST(test_valid_unaligned_buffer)
{
    struct elf_buf buf;
    struct elf_image img;
    struct tender_error err = {0};
    uint8_t *odd;

    elf_build_default(&buf);
    odd = malloc(buf.size + 1);
    ck_assert_ptr_nonnull(odd);
    memcpy(odd + 1, buf.data, buf.size);
    ck_assert_int_eq(elf_check(odd + 1, buf.size, TEST_MEM, &img, &err), 0);
    ck_assert_uint_eq(img.entry, EB_ENTRY);
    free(odd);
    elf_buf_free(&buf);
}
END_TEST

/* Boundaries that are still fine: last byte of memory, last text byte. */
START_TEST(test_valid_at_limits)
{
    struct elf_buf buf;
    struct elf_image img;

    elf_build_default(&buf);
    elf_phdr(&buf, EB_PH_DATA)->p_vaddr = TEST_MEM - EB_DATA_MEMSZ;
    elf_ehdr(&buf)->e_entry = EB_TEXT_GPA + EB_TEXT_SIZE - 1;
    check_ok(&buf, &img);
    ck_assert_uint_eq(img.kernel_end, TEST_MEM);
    ck_assert_uint_eq(img.entry, EB_TEXT_GPA + EB_TEXT_SIZE - 1);
    elf_buf_free(&buf);
}
END_TEST

/* Segments load at p_vaddr, as in Solo5's tender; p_paddr is not read. */
START_TEST(test_valid_paddr_ignored)
{
    struct elf_buf buf;
    struct elf_image img;

    elf_build_default(&buf);
    elf_phdr(&buf, EB_PH_TEXT)->p_paddr = 0;
    elf_phdr(&buf, EB_PH_DATA)->p_paddr = UINT64_MAX;
    check_ok(&buf, &img);
    ck_assert_uint_eq(img.seg[0].gpa, EB_TEXT_GPA);
    ck_assert_uint_eq(img.seg[1].gpa, EB_DATA_GPA);
    elf_buf_free(&buf);
}
END_TEST

/*
 * kernel_end is rounded up to each segment's alignment (as Solo5 rounds
 * it) and at least to a page, so free memory starts on a page of its own.
 */
START_TEST(test_valid_kernel_end_rounded)
{
    struct elf_buf buf;
    struct elf_image img;

    elf_build_default(&buf);
    elf_phdr(&buf, EB_PH_DATA)->p_filesz = 0x10;
    elf_phdr(&buf, EB_PH_DATA)->p_memsz = 0x10;
    check_ok(&buf, &img);
    ck_assert_uint_eq(img.kernel_end, EB_DATA_GPA + 0x1000);
    elf_phdr(&buf, EB_PH_DATA)->p_align = 0x200000;
    check_ok(&buf, &img);
    ck_assert_uint_eq(img.kernel_end, 0x200000);
    /* A segment with memory but no file bytes (a .bss) counts too. */
    elf_phdr(&buf, EB_PH_DATA)->p_filesz = 0;
    elf_phdr(&buf, EB_PH_DATA)->p_memsz = 0x200000;
    check_ok(&buf, &img);
    ck_assert_uint_eq(img.kernel_end, 0x400000);
    elf_buf_free(&buf);
}
END_TEST

/*
 * The loader uses a copy of the manifest taken before it was checked: a
 * change to the caller's bytes afterwards (a writer of the file) changes
 * nothing the monitor uses.
 */
START_TEST(test_manifest_copied_before_check)
{
    struct hvt_mft_entry dev = eb_mft_entry("net0", HVT_MFT_DEV_NET_BASIC);
    struct elf_spec spec;
    struct elf_buf buf;
    struct elf_image img;
    uint32_t entries = HVT_MFT_MAX_ENTRIES + 100, got;

    elf_spec_init(&spec);
    spec.devices = &dev;
    spec.n_devices = 1;
    elf_build(&spec, &buf);
    check_ok(&buf, &img);
    memcpy(buf.data + buf.mft_off + 4, &entries, sizeof(entries));
    memcpy(&got, img.mft + 4, sizeof(got));
    ck_assert_uint_eq(got, 2);
    elf_buf_free(&buf);
}
END_TEST

/* 1 to 11 bytes after the last note are padding, not a truncated note. */
START_TEST(test_valid_note_segment_padding)
{
    struct elf_buf buf;
    struct elf_image img;

    for (size_t pad = 1; pad < sizeof(Elf64_Nhdr); pad++) {
        elf_build_default(&buf);
        elf_truncate(&buf, buf.size + pad);
        memset(buf.data + buf.size - pad, 0xee, pad);
        elf_phdr(&buf, EB_PH_NOTE)->p_filesz += pad;
        check_ok(&buf, &img);
        elf_buf_free(&buf);
    }
}
END_TEST

START_TEST(test_copy_segments)
{
    struct elf_buf buf;
    struct elf_image img;
    struct guest_mem mem = {.base = malloc(TEST_MEM), .size = TEST_MEM};

    ck_assert_ptr_nonnull(mem.base);
    /* Not zero: so that zeroing the bss is visible. */
    memset(mem.base, 0xaa, TEST_MEM);
    elf_build_default(&buf);
    check_ok(&buf, &img);
    elf_copy_segments(buf.data, &img, &mem);
    ck_assert_uint_eq(mem.base[EB_TEXT_GPA - 1], 0xaa);
    for (size_t i = 0; i < EB_TEXT_SIZE; i++)
        ck_assert_uint_eq(mem.base[EB_TEXT_GPA + i], eb_text_byte(i));
    ck_assert_uint_eq(mem.base[EB_TEXT_GPA + EB_TEXT_SIZE], 0xaa);
    for (size_t i = 0; i < EB_DATA_FILESZ; i++)
        ck_assert_uint_eq(mem.base[EB_DATA_GPA + i], eb_data_byte(i));
    for (size_t i = EB_DATA_FILESZ; i < EB_DATA_MEMSZ; i++)
        ck_assert_uint_eq(mem.base[EB_DATA_GPA + i], 0);
    ck_assert_uint_eq(mem.base[EB_KERNEL_END], 0xaa);
    free(mem.base);
    elf_buf_free(&buf);
}
END_TEST

/* ---- hostile images: each maker breaks one thing in a valid image ---- */

static void build_with(struct elf_buf *buf, void (*tweak)(struct elf_spec *))
{
    struct elf_spec spec;

    elf_spec_init(&spec);
    tweak(&spec);
    elf_build(&spec, buf);
}

static void make_empty(struct elf_buf *b)
{
    elf_build_default(b);
    elf_truncate(b, 0);
}

static void make_short_ident(struct elf_buf *b)
{
    elf_build_default(b);
    elf_truncate(b, 15);
}

static void make_truncated_header(struct elf_buf *b)
{
    elf_build_default(b);
    elf_truncate(b, 20);
}

static void make_bad_magic(struct elf_buf *b)
{
    elf_build_default(b);
    b->data[EI_MAG1] = 'X';
}

static void make_class32(struct elf_buf *b)
{
    elf_build_default(b);
    b->data[EI_CLASS] = ELFCLASS32;
}

static void make_big_endian(struct elf_buf *b)
{
    elf_build_default(b);
    b->data[EI_DATA] = ELFDATA2MSB;
}

static void make_bad_version(struct elf_buf *b)
{
    elf_build_default(b);
    elf_ehdr(b)->e_version = 2;
}

static void make_aarch64(struct elf_buf *b)
{
    elf_build_default(b);
    elf_ehdr(b)->e_machine = EM_AARCH64;
}

static void make_dyn(struct elf_buf *b)
{
    elf_build_default(b);
    elf_ehdr(b)->e_type = ET_DYN;
}

static void make_bad_phentsize(struct elf_buf *b)
{
    elf_build_default(b);
    elf_ehdr(b)->e_phentsize = sizeof(Elf32_Phdr);
}

static void make_no_phdrs(struct elf_buf *b)
{
    elf_build_default(b);
    elf_ehdr(b)->e_phnum = 0;
}

static void make_65_phdrs(struct elf_buf *b)
{
    elf_build_default(b);
    elf_ehdr(b)->e_phnum = ELF_MAX_PHDRS + 1;
}

static void make_phdrs_past_end(struct elf_buf *b)
{
    elf_build_default(b);
    elf_ehdr(b)->e_phoff = b->size - sizeof(Elf64_Phdr);
}

static void make_phdrs_cut(struct elf_buf *b)
{
    elf_build_default(b);
    elf_truncate(b, sizeof(Elf64_Ehdr) + sizeof(Elf64_Phdr) + 10);
}

static void make_phoff_overflow(struct elf_buf *b)
{
    elf_build_default(b);
    elf_ehdr(b)->e_phoff = UINT64_MAX - 8;
}

static void make_filesz_over_memsz(struct elf_buf *b)
{
    elf_build_default(b);
    elf_phdr(b, EB_PH_TEXT)->p_filesz = EB_TEXT_SIZE + 1;
}

static void make_segment_past_file(struct elf_buf *b)
{
    elf_build_default(b);
    elf_phdr(b, EB_PH_DATA)->p_offset = b->size - 8;
}

static void make_segment_offset_overflow(struct elf_buf *b)
{
    elf_build_default(b);
    elf_phdr(b, EB_PH_DATA)->p_offset = UINT64_MAX - 8;
}

/* paddr + memsz wraps around to a small address inside memory. */
static void make_vaddr_overflow(struct elf_buf *b)
{
    elf_build_default(b);
    elf_phdr(b, EB_PH_DATA)->p_vaddr = 0x200000;
    elf_phdr(b, EB_PH_DATA)->p_memsz = UINT64_MAX - 0x100000;
}

static void make_outside_memory(struct elf_buf *b)
{
    elf_build_default(b);
    elf_phdr(b, EB_PH_DATA)->p_vaddr = TEST_MEM - EB_DATA_MEMSZ + 1;
}

static void make_low_area(struct elf_buf *b)
{
    elf_build_default(b);
    elf_phdr(b, EB_PH_DATA)->p_vaddr = 0x8000;
}

static void make_just_below_limit(struct elf_buf *b)
{
    elf_build_default(b);
    elf_phdr(b, EB_PH_DATA)->p_vaddr = HVT_LOW_RO_END - 1;
}

static void make_align_not_pow2(struct elf_buf *b)
{
    elf_build_default(b);
    elf_phdr(b, EB_PH_DATA)->p_align = 0x3000;
}

/* The data segment ends in the last page, but its 2 MiB alignment
 * carries the image's end past the end of memory. */
static void make_aligned_end_outside(struct elf_buf *b)
{
    elf_build_default(b);
    elf_phdr(b, EB_PH_DATA)->p_vaddr = TEST_MEM - EB_DATA_MEMSZ;
    elf_phdr(b, EB_PH_DATA)->p_align = TEST_MEM * 2;
}

/* Program headers out of address order: data first, then text. */
static void make_descending(struct elf_buf *b)
{
    Elf64_Phdr text;

    elf_build_default(b);
    text = *elf_phdr(b, EB_PH_TEXT);
    *elf_phdr(b, EB_PH_TEXT) = *elf_phdr(b, EB_PH_DATA);
    *elf_phdr(b, EB_PH_DATA) = text;
}

static void make_wx(struct elf_buf *b)
{
    elf_build_default(b);
    elf_phdr(b, EB_PH_TEXT)->p_flags = PF_R | PF_W | PF_X;
}

static void make_overlap(struct elf_buf *b)
{
    elf_build_default(b);
    elf_phdr(b, EB_PH_DATA)->p_vaddr = EB_TEXT_GPA + EB_TEXT_SIZE - 1;
}

static void tweak_twin_text(struct elf_spec *s)
{
    /* Filled in after the build, when the text offset is known. */
    s->extra[0] = (Elf64_Phdr){.p_type = PT_NULL};
    s->n_extra = 1;
}

static void make_twin_segments(struct elf_buf *b)
{
    build_with(b, tweak_twin_text);
    *elf_phdr(b, EB_N_BASE_PHDRS) = *elf_phdr(b, EB_PH_TEXT);
}

static void make_entry_in_data(struct elf_buf *b)
{
    elf_build_default(b);
    elf_ehdr(b)->e_entry = EB_DATA_GPA;
}

static void make_entry_past_text(struct elf_buf *b)
{
    elf_build_default(b);
    elf_ehdr(b)->e_entry = EB_TEXT_GPA + EB_TEXT_SIZE;
}

static void make_no_load(struct elf_buf *b)
{
    elf_build_default(b);
    elf_phdr(b, EB_PH_TEXT)->p_type = PT_NULL;
    elf_phdr(b, EB_PH_DATA)->p_type = PT_NULL;
}

static void tweak_dynamic(struct elf_spec *s)
{
    s->extra[0] = (Elf64_Phdr){.p_type = PT_DYNAMIC, .p_flags = PF_R};
    s->n_extra = 1;
}

static void make_dynamic(struct elf_buf *b)
{
    build_with(b, tweak_dynamic);
}

static void tweak_no_abi(struct elf_spec *s)
{
    s->n_abi_notes = 0;
}

static void make_no_abi(struct elf_buf *b)
{
    build_with(b, tweak_no_abi);
}

static void tweak_spt(struct elf_spec *s)
{
    s->abi_target = HVT_ABI_TARGET_SPT;
}

static void make_spt(struct elf_buf *b)
{
    build_with(b, tweak_spt);
}

static void tweak_abi_v1(struct elf_spec *s)
{
    s->abi_version = 1;
}

static void make_abi_v1(struct elf_buf *b)
{
    build_with(b, tweak_abi_v1);
}

static void tweak_abi_short(struct elf_spec *s)
{
    s->abi_descsz = 12;
}

static void make_abi_short(struct elf_buf *b)
{
    build_with(b, tweak_abi_short);
}

static void tweak_abi_long(struct elf_spec *s)
{
    s->abi_descsz = 20;
}

static void make_abi_long(struct elf_buf *b)
{
    build_with(b, tweak_abi_long);
}

static void tweak_two_abi(struct elf_spec *s)
{
    s->n_abi_notes = 2;
}

static void make_two_abi(struct elf_buf *b)
{
    build_with(b, tweak_two_abi);
}

static void tweak_no_mft(struct elf_spec *s)
{
    s->n_mft_notes = 0;
}

static void make_no_mft(struct elf_buf *b)
{
    build_with(b, tweak_no_mft);
}

static void tweak_two_mft(struct elf_spec *s)
{
    s->n_mft_notes = 2;
}

static void make_two_mft(struct elf_buf *b)
{
    build_with(b, tweak_two_mft);
}

/* The file, and the note segment with it, ends inside a note header. */
static void make_note_header_cut(struct elf_buf *b)
{
    elf_build_default(b);
    elf_truncate(b, b->mft_note_off + 6);
    elf_phdr(b, EB_PH_NOTE)->p_filesz = b->size - b->notes_off;
}

static void make_namesz_overrun(struct elf_buf *b)
{
    elf_build_default(b);
    elf_note(b, b->mft_note_off)->n_namesz = UINT32_MAX;
}

static void make_descsz_overrun(struct elf_buf *b)
{
    elf_build_default(b);
    elf_note(b, b->mft_note_off)->n_descsz = UINT32_MAX - 3;
}

/* One byte too many: the descriptor would end just past the file. */
static void make_descsz_plus_one(struct elf_buf *b)
{
    elf_build_default(b);
    elf_note(b, b->mft_note_off)->n_descsz += 1;
}

static void make_note_segment_past_file(struct elf_buf *b)
{
    elf_build_default(b);
    elf_phdr(b, EB_PH_NOTE)->p_offset = b->size;
}

static void make_note_segment_misaligned(struct elf_buf *b)
{
    elf_build_default(b);
    elf_phdr(b, EB_PH_NOTE)->p_offset += 2;
    elf_phdr(b, EB_PH_NOTE)->p_filesz -= 2;
}

static const struct hvt_mft_entry bad_name_dev[1] = {
    {.name = "a-b", .type = HVT_MFT_DEV_NET_BASIC}};

static void tweak_bad_device(struct elf_spec *s)
{
    s->devices = bad_name_dev;
    s->n_devices = 1;
}

static void make_bad_manifest(struct elf_buf *b)
{
    build_with(b, tweak_bad_device);
}

static void make_manifest_v2(struct elf_buf *b)
{
    uint32_t version = 2;

    elf_build_default(b);
    memcpy(b->data + b->mft_off, &version, sizeof(version));
}

/* The layout an earlier tender wrongly used: no pad before the manifest. */
static void tweak_unpadded_mft(struct elf_spec *s)
{
    s->unpadded_mft = 1;
}

static void make_unpadded_mft(struct elf_buf *b)
{
    build_with(b, tweak_unpadded_mft);
}

/*
 * An 8-aligned PT_NOTE puts a descriptor 24 bytes into its note, where
 * Solo5 reads it at 20 whatever the alignment: the two would disagree.
 */
static void tweak_notes_aligned_8(struct elf_spec *s)
{
    s->note_align = 8;
}

static void make_notes_aligned_8(struct elf_buf *b)
{
    build_with(b, tweak_notes_aligned_8);
}

struct hostile_case {
    const char *what;
    void (*make)(struct elf_buf *buf);
    const char *expect; /* a substring of the error message */
};

static const struct hostile_case hostile[] = {
    {"empty file", make_empty, "not an ELF"},
    {"15 bytes", make_short_ident, "not an ELF"},
    {"20 bytes", make_truncated_header, "truncated ELF header"},
    {"bad magic", make_bad_magic, "not an ELF"},
    {"32-bit", make_class32, "64-bit"},
    {"big-endian", make_big_endian, "little-endian"},
    {"e_version 2", make_bad_version, "ELF version"},
    {"aarch64", make_aarch64, "x86_64"},
    {"ET_DYN", make_dyn, "static"},
    {"phentsize", make_bad_phentsize, "program header size"},
    {"no phdrs", make_no_phdrs, "no program headers"},
    {"65 phdrs", make_65_phdrs, "too many program headers (65)"},
    {"phdrs past end", make_phdrs_past_end, "program headers lie outside"},
    {"phdrs cut", make_phdrs_cut, "program headers lie outside"},
    {"phoff overflow", make_phoff_overflow, "program headers lie outside"},
    {"filesz > memsz", make_filesz_over_memsz, "file size exceeds"},
    {"segment past file", make_segment_past_file, "outside the file"},
    {"offset overflow", make_segment_offset_overflow, "outside the file"},
    {"vaddr overflow", make_vaddr_overflow, "outside guest memory"},
    {"outside memory", make_outside_memory, "outside guest memory"},
    {"low area", make_low_area, "0x8000 overlaps the low area"},
    {"below 0x100000", make_just_below_limit, "overlaps the low area"},
    {"align 0x3000", make_align_not_pow2, "not a power of two"},
    {"aligned end outside", make_aligned_end_outside, "outside guest memory"},
    {"descending", make_descending, "ascending address order"},
    {"W+X", make_wx, "writable and executable"},
    {"overlap", make_overlap, "segments overlap"},
    {"twin segments", make_twin_segments, "ascending address order"},
    {"entry in data", make_entry_in_data, "not in an executable segment"},
    {"entry past text", make_entry_past_text, "not in an executable"},
    {"no PT_LOAD", make_no_load, "no loadable segments"},
    {"PT_DYNAMIC", make_dynamic, "dynamically linked"},
    {"no ABI note", make_no_abi, "no Solo5 ABI note"},
    {"spt target", make_spt, "ABI target 2"},
    {"ABI version 1", make_abi_v1, "version 1"},
    {"ABI descsz 12", make_abi_short, "ABI note size (12)"},
    {"ABI descsz 20", make_abi_long, "ABI note size (20)"},
    {"two ABI notes", make_two_abi, "duplicate Solo5 ABI note"},
    {"no manifest", make_no_mft, "no Solo5 manifest note"},
    {"two manifests", make_two_mft, "duplicate Solo5 manifest note"},
    {"note header cut", make_note_header_cut, "no Solo5 manifest note"},
    {"namesz overrun", make_namesz_overrun, "name overruns"},
    {"descsz overrun", make_descsz_overrun, "note overruns"},
    {"descsz + 1", make_descsz_plus_one, "note overruns"},
    {"note seg past file", make_note_segment_past_file, "note segment"},
    {"note seg misaligned", make_note_segment_misaligned, "misaligned note"},
    {"bad device name", make_bad_manifest, "invalid name"},
    {"manifest version 2", make_manifest_v2, "manifest version 2"},
    {"unpadded manifest", make_unpadded_mft, "is not 4 + 8 + 104 per entry"},
    {"notes aligned to 8", make_notes_aligned_8, "misaligned Solo5 note"},
};

#define N_HOSTILE (sizeof(hostile) / sizeof(hostile[0]))

START_TEST(test_hostile)
{
    const struct hostile_case *c = &hostile[_i];
    struct elf_buf buf;
    struct elf_image img;
    struct tender_error err = {0};
    int rc;

    c->make(&buf);
    rc = elf_check(buf.data, buf.size, TEST_MEM, &img, &err);
    ck_assert_msg(rc != 0, "%s: image accepted", c->what);
    ck_assert_msg(err.code == TENDER_E_ELF, "%s: error code %d", c->what,
                  err.code);
    ck_assert_msg(strstr(err.msg, c->expect) != NULL,
                  "%s: message \"%s\" lacks \"%s\"", c->what, err.msg,
                  c->expect);
    elf_buf_free(&buf);
}
END_TEST

Suite *elf_suite(void)
{
    Suite *s = suite_create("elf");
    TCase *valid = tcase_create("valid");
    TCase *bad = tcase_create("hostile");

    tcase_add_test(valid, test_valid_image);
    tcase_add_test(valid, test_valid_with_devices);
    tcase_add_test(valid, test_valid_foreign_note_and_interp);
    tcase_add_test(valid, test_valid_unaligned_buffer);
    tcase_add_test(valid, test_valid_at_limits);
    tcase_add_test(valid, test_valid_paddr_ignored);
    tcase_add_test(valid, test_valid_kernel_end_rounded);
    tcase_add_test(valid, test_manifest_copied_before_check);
    tcase_add_test(valid, test_valid_note_segment_padding);
    tcase_add_test(valid, test_copy_segments);
    tcase_add_loop_test(bad, test_hostile, 0, (int)N_HOSTILE);
    suite_add_tcase(s, valid);
    suite_add_tcase(s, bad);
    return s;
}

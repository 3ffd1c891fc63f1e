/*
 * The ELF core writer on a fake guest memory, no KVM: the headers are
 * valid, all-zero pages have no bytes in the file, the note is an
 * NT_PRSTATUS whose registers sit where gdb reads them.
 */
#define _GNU_SOURCE
#include <check.h>
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core_elf.h"
#include "unit_suites.h"

#define PAGES 16
#define PAGE CORE_PAGE_SIZE

static uint8_t mem[PAGES * PAGE] __attribute__((aligned(4096)));
static uint8_t file[PAGES * PAGE * 2];
static size_t file_len;

/* Write the core of mem into a memfd and read it back into file. */
static void write_core(void)
{
    struct core_image img = {.mem = mem, .size = sizeof(mem), .signo = 8};
    int fd = memfd_create("core", 0);
    ssize_t n;

    img.regs.rip = 0x100037;
    img.regs.rsp = 0x7fff68;
    img.regs.r15 = 15;
    img.regs.gs = 0x33;
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(core_elf_write(fd, &img), 0);
    n = pread(fd, file, sizeof(file), 0);
    ck_assert_int_gt(n, 0);
    file_len = (size_t)n;
    close(fd);
}

static const Elf64_Phdr *phdr(unsigned i)
{
    const Elf64_Ehdr *eh = (const void *)file;

    return (const Elf64_Phdr *)(const void *)(file + eh->e_phoff +
                                              i * eh->e_phentsize);
}

/* Pages 1, 2 and 9 hold data; the rest of memory is zero. */
static void fill(void)
{
    memset(mem, 0, sizeof(mem));
    mem[1 * PAGE] = 1;
    mem[3 * PAGE - 1] = 2;
    mem[9 * PAGE + 100] = 3;
}

START_TEST(header_is_a_core)
{
    const Elf64_Ehdr *eh = (const void *)file;

    fill();
    write_core();
    ck_assert_int_eq(memcmp(eh->e_ident, ELFMAG, SELFMAG), 0);
    ck_assert_int_eq(eh->e_ident[EI_CLASS], ELFCLASS64);
    ck_assert_int_eq(eh->e_ident[EI_DATA], ELFDATA2LSB);
    ck_assert_int_eq(eh->e_type, ET_CORE);
    ck_assert_int_eq(eh->e_machine, EM_X86_64);
    ck_assert_int_eq(eh->e_phentsize, sizeof(Elf64_Phdr));
    ck_assert_int_eq(eh->e_shnum, 0);
    /* The note, then zero, data, zero, data, zero. */
    ck_assert_int_eq(eh->e_phnum, 6);
    ck_assert_int_eq(phdr(0)->p_type, PT_NOTE);
}
END_TEST

START_TEST(zero_pages_are_skipped)
{
    static const struct {
        uint64_t addr, pages;
        int data;
    } want[] = {{0, 1, 0}, {1, 2, 1}, {3, 6, 0}, {9, 1, 1}, {10, 6, 0}};
    uint64_t data_bytes = 0;

    fill();
    write_core();
    for (unsigned i = 0; i < 5; i++) {
        const Elf64_Phdr *ph = phdr(i + 1);

        ck_assert_int_eq(ph->p_type, PT_LOAD);
        ck_assert_uint_eq(ph->p_vaddr, want[i].addr * PAGE);
        ck_assert_uint_eq(ph->p_paddr, want[i].addr * PAGE);
        ck_assert_uint_eq(ph->p_memsz, want[i].pages * PAGE);
        ck_assert_uint_eq(ph->p_filesz,
                          want[i].data ? want[i].pages * PAGE : 0);
        if (!want[i].data)
            continue;
        ck_assert_uint_eq(ph->p_offset % PAGE, 0);
        ck_assert_uint_le(ph->p_offset + ph->p_filesz, file_len);
        ck_assert_int_eq(
            memcmp(file + ph->p_offset, mem + ph->p_vaddr, ph->p_filesz), 0);
        data_bytes += ph->p_filesz;
    }
    /* Only the three data pages after the headers' page. */
    ck_assert_uint_eq(data_bytes, 3 * PAGE);
    ck_assert_uint_eq(file_len, PAGE + 3 * PAGE);
}
END_TEST

START_TEST(note_is_prstatus)
{
    const Elf64_Phdr *ph;
    const Elf64_Nhdr *nh;
    const uint8_t *desc;
    uint64_t reg;

    fill();
    write_core();
    ph = phdr(0);
    ck_assert_uint_eq(ph->p_filesz, 12 + 8 + 336);
    nh = (const void *)(file + ph->p_offset);
    ck_assert_uint_eq(nh->n_namesz, 5);
    ck_assert_uint_eq(nh->n_descsz, 336);
    ck_assert_uint_eq(nh->n_type, NT_PRSTATUS);
    ck_assert_str_eq((const char *)(nh + 1), "CORE");
    desc = file + ph->p_offset + 12 + 8;
    ck_assert_int_eq(*(const int16_t *)(desc + 12), 8); /* pr_cursig */
    /* pr_reg at 112: r15 first, rip 16th, gs last. */
    memcpy(&reg, desc + 112, 8);
    ck_assert_uint_eq(reg, 15);
    memcpy(&reg, desc + 112 + 16 * 8, 8);
    ck_assert_uint_eq(reg, 0x100037);
    memcpy(&reg, desc + 112 + 19 * 8, 8);
    ck_assert_uint_eq(reg, 0x7fff68);
    memcpy(&reg, desc + 112 + 26 * 8, 8);
    ck_assert_uint_eq(reg, 0x33);
}
END_TEST

START_TEST(all_zero_memory_has_no_data)
{
    memset(mem, 0, sizeof(mem));
    write_core();
    ck_assert_int_eq(((const Elf64_Ehdr *)(const void *)file)->e_phnum, 2);
    ck_assert_uint_eq(phdr(1)->p_filesz, 0);
    ck_assert_uint_eq(phdr(1)->p_memsz, sizeof(mem));
}
END_TEST

START_TEST(full_disk_is_an_error)
{
    struct core_image img = {.mem = mem, .size = sizeof(mem)};

    /* Writes to /dev/full fail with ENOSPC. */
    FILE *f = fopen("/dev/full", "w");

    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(core_elf_write(fileno(f), &img), ENOSPC);
    fclose(f);
}
END_TEST

Suite *core_elf_suite(void)
{
    Suite *s = suite_create("core_elf");
    TCase *tc = tcase_create("core_elf");

    tcase_add_test(tc, header_is_a_core);
    tcase_add_test(tc, zero_pages_are_skipped);
    tcase_add_test(tc, note_is_prstatus);
    tcase_add_test(tc, all_zero_memory_has_no_data);
    tcase_add_test(tc, full_disk_is_an_error);
    suite_add_tcase(s, tc);
    return s;
}

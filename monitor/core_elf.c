/*
 * The ELF core writer (core_elf.h).  The file is laid out as:
 *
 *   ELF header | program headers (PT_NOTE, then one PT_LOAD per run of
 *   pages) | the NT_PRSTATUS note | page-aligned memory of the data runs
 *
 * Memory is cut into runs of pages that are all zero ("holes") and runs
 * that hold data.  A hole gets a PT_LOAD with p_filesz 0 (gdb reads it as
 * zeros), a data run its bytes.  Zero detection is the sparseness test:
 * it needs no system call (the sandbox allows none for it) and no help
 * from KVM, and a page the guest never touched reads as zeros.
 */
#include <elf.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include "core_elf.h"

/* What Linux and gdb call struct elf_prstatus on x86_64. */
struct core_prstatus {
    int32_t si_signo, si_code, si_errno;
    int16_t cursig;
    uint16_t pad0;
    uint64_t sigpend, sighold;
    int32_t pid, ppid, pgrp, sid;
    uint64_t utime[2], stime[2], cutime[2], cstime[2];
    struct core_regs regs;
    int32_t fpvalid;
    uint32_t pad1;
};
_Static_assert(sizeof(struct core_regs) == 27 * 8, "user_regs_struct");
_Static_assert(sizeof(struct core_prstatus) == 336, "elf_prstatus size");
_Static_assert(offsetof(struct core_prstatus, regs) == 112, "pr_reg");

/* The note: header, "CORE" padded to 8, then the descriptor at 20, not
 * at the 24 that the descriptor's own alignment would give it. */
struct __attribute__((packed)) core_note {
    Elf64_Nhdr hdr;
    char name[8];
    struct core_prstatus desc;
};
_Static_assert(sizeof(struct core_note) == 12 + 8 + 336, "note layout");

/* e_phnum is 16 bits; PN_XNUM and above would need section header 0. */
#define MAX_LOADS (PN_XNUM - 2)
#define PHDR_BATCH 32

struct run {
    uint64_t start; /* guest-physical, page-aligned */
    uint64_t len;
    int data;
};

static int page_is_zero(const uint8_t *p)
{
    const uint64_t *w = (const uint64_t *)(const void *)p;

    for (size_t i = 0; i < CORE_PAGE_SIZE / 8; i++)
        if (w[i] != 0)
            return 0;
    return 1;
}

/* Pages from pos that are all zero, up to the end of memory. */
static uint64_t zero_pages_at(const struct core_image *img, uint64_t pos)
{
    uint64_t n = 0;

    while (pos + n * CORE_PAGE_SIZE < img->size &&
           page_is_zero(img->mem + pos + n * CORE_PAGE_SIZE))
        n++;
    return n;
}

/*
 * The run at pos.  A hole shorter than min_gap pages is taken into the
 * data around it, which bounds the number of runs.  0 at the end.
 */
static int next_run(const struct core_image *img, uint64_t min_gap,
                    uint64_t pos, struct run *r)
{
    uint64_t z, end = pos;

    if (pos >= img->size)
        return 0;
    z = zero_pages_at(img, pos);
    r->start = pos;
    if (z >= min_gap || pos + z * CORE_PAGE_SIZE >= img->size) {
        r->len = z * CORE_PAGE_SIZE;
        r->data = 0;
        return 1;
    }
    while (end < img->size) {
        z = zero_pages_at(img, end);
        if (z >= min_gap && z > 0)
            break;
        end += (z > 0 ? z : 1) * CORE_PAGE_SIZE;
    }
    r->len = end - pos;
    r->data = 1;
    return 1;
}

static uint64_t count_runs(const struct core_image *img, uint64_t min_gap)
{
    struct run r;
    uint64_t n = 0;

    for (uint64_t pos = 0; next_run(img, min_gap, pos, &r); pos += r.len)
        n++;
    return n;
}

/* The whole of buf at off, or an errno value; 0 bytes written: ENOSPC. */
static int put(int fd, const void *buf, uint64_t len, uint64_t off)
{
    const uint8_t *p = buf;

    while (len > 0) {
        size_t chunk = len > (1U << 30) ? (1U << 30) : (size_t)len;
        ssize_t n = pwrite(fd, p, chunk, (off_t)off);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errno;
        if (n == 0)
            return ENOSPC;
        p += n;
        off += (uint64_t)n;
        len -= (uint64_t)n;
    }
    return 0;
}

static int put_header(int fd, uint16_t phnum)
{
    Elf64_Ehdr eh;

    memset(&eh, 0, sizeof(eh));
    memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS64;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_ident[EI_OSABI] = ELFOSABI_NONE;
    eh.e_type = ET_CORE;
    eh.e_machine = EM_X86_64;
    eh.e_version = EV_CURRENT;
    eh.e_phoff = sizeof(eh);
    eh.e_ehsize = sizeof(eh);
    eh.e_phentsize = sizeof(Elf64_Phdr);
    eh.e_phnum = phnum;
    return put(fd, &eh, sizeof(eh), 0);
}

static int put_note(int fd, const struct core_image *img, uint64_t off)
{
    struct core_note note;

    memset(&note, 0, sizeof(note));
    note.hdr.n_namesz = sizeof("CORE");
    note.hdr.n_descsz = sizeof(note.desc);
    note.hdr.n_type = NT_PRSTATUS;
    memcpy(note.name, "CORE", sizeof("CORE"));
    note.desc.si_signo = img->signo;
    note.desc.cursig = (int16_t)img->signo;
    note.desc.pid = 1; /* the guest's one vCPU: gdb's "LWP 1" */
    note.desc.regs = img->regs;
    return put(fd, &note, sizeof(note), off);
}

static void set_phdr(Elf64_Phdr *ph, uint32_t type, uint64_t off, uint64_t addr,
                     uint64_t filesz, uint64_t memsz)
{
    memset(ph, 0, sizeof(*ph));
    ph->p_type = type;
    ph->p_flags = type == PT_LOAD ? PF_R | PF_W | PF_X : 0;
    ph->p_offset = off;
    ph->p_vaddr = addr;
    ph->p_paddr = addr;
    ph->p_filesz = filesz;
    ph->p_memsz = memsz;
    ph->p_align = type == PT_LOAD ? CORE_PAGE_SIZE : 4;
}

/*
 * The PT_LOAD headers (in batches, without allocating: the sandbox would
 * kill a malloc that maps memory) and each data run's bytes.
 */
static int put_loads(int fd, const struct core_image *img, uint64_t min_gap,
                     uint64_t data_off)
{
    Elf64_Phdr batch[PHDR_BATCH];
    uint64_t ph_off = sizeof(Elf64_Ehdr) + sizeof(Elf64_Phdr), pos = 0;
    size_t n = 0;
    struct run r;
    int rc = 0;

    while (rc == 0 && next_run(img, min_gap, pos, &r)) {
        /* A hole's offset is where data would go, as in Linux's cores:
         * BFD takes every segment at offset 0 for one more copy of the
         * register note, and gdb then lists a thread for each. */
        set_phdr(&batch[n++], PT_LOAD, data_off, r.start, r.data ? r.len : 0,
                 r.len);
        if (r.data) {
            rc = put(fd, img->mem + r.start, r.len, data_off);
            data_off += r.len;
        }
        if (rc == 0 && n == PHDR_BATCH) {
            rc = put(fd, batch, n * sizeof(batch[0]), ph_off);
            ph_off += n * sizeof(batch[0]);
            n = 0;
        }
        pos += r.len;
    }
    if (rc == 0 && n > 0)
        rc = put(fd, batch, n * sizeof(batch[0]), ph_off);
    return rc;
}

int core_elf_write(int fd, const struct core_image *img)
{
    uint64_t min_gap = 1, loads, note_off, data_off;
    Elf64_Phdr note_ph;
    int rc;

    if (img->size % CORE_PAGE_SIZE != 0)
        return EINVAL;
    loads = count_runs(img, min_gap);
    while (loads > MAX_LOADS) {
        min_gap *= 2;
        loads = count_runs(img, min_gap);
    }
    note_off = sizeof(Elf64_Ehdr) + (loads + 1) * sizeof(Elf64_Phdr);
    data_off = (note_off + sizeof(struct core_note) + CORE_PAGE_SIZE - 1) &
               ~(CORE_PAGE_SIZE - 1);
    set_phdr(&note_ph, PT_NOTE, note_off, 0, sizeof(struct core_note), 0);
    rc = put_header(fd, (uint16_t)(loads + 1));
    if (rc == 0)
        rc = put(fd, &note_ph, sizeof(note_ph), sizeof(Elf64_Ehdr));
    if (rc == 0)
        rc = put_note(fd, img, note_off);
    if (rc == 0)
        rc = put_loads(fd, img, min_gap, data_off);
    return rc;
}

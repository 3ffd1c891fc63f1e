/*
 * Conformance guest "entry": the machine state the tender hands over
 * (rules E*), the memory it sets up (M*), the boot info (I*), and what
 * the CPU offers a guest (U*: CPUID, thread-local storage through the FS
 * base, the FPU and SSE).  Run as: conf_entry.elf mem=MiB (with the
 * tender's memory set to the same number of MiB).
 */
#include "fpu.h"
#include "rt.h"

CONF_MANIFEST(1);

#define CR0_PE (1ULL << 0)
#define CR0_EM (1ULL << 2)
#define CR0_TS (1ULL << 3)
#define CR0_NE (1ULL << 5)
#define CR0_NW (1ULL << 29)
#define CR0_CD (1ULL << 30)
#define CR0_PG (1ULL << 31)
#define CR0_ET (1ULL << 4) /* hard-wired to 1 on modern CPUs: ignored */
#define CR4_PAE (1ULL << 5)
#define CR4_OSFXSR (1ULL << 9)
#define CR4_OSXMMEXCPT (1ULL << 10)
#define EFER_LME (1ULL << 8)
#define EFER_LMA (1ULL << 10)

#define PTE_P 1ULL
#define PTE_W 2ULL
#define PTE_PS (1ULL << 7)
#define PTE_ADDR 0x000ffffffffff000ULL

#define MSR_FS_BASE 0xc0000100
#define MSR_GS_BASE 0xc0000101

static void check_control_registers(void)
{
    uint64_t cr0_must = CR0_PE | CR0_NE | CR0_WP | CR0_PG;
    uint64_t cr4_want = CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT;

    check((conf_entry_cr0 & ~CR0_ET) == cr0_must, "E2",
          "CR0 is PE|NE|WP|PG at entry (0x%lx)", conf_entry_cr0);
    check((conf_entry_cr0 & (CR0_EM | CR0_TS)) == 0, "E2",
          "CR0.EM and CR0.TS are clear: the FPU is usable at once");
    check(conf_entry_cr4 == cr4_want, "E3",
          "CR4 is PAE|OSFXSR|OSXMMEXCPT at entry (0x%lx)", conf_entry_cr4);
    check(conf_entry_efer == (EFER_LME | EFER_LMA), "E4",
          "EFER is LME|LMA at entry, NXE clear (0x%lx)", conf_entry_efer);
    check(conf_entry_cr3 == PML4_GPA, "E5", "CR3 is 0x2000 at entry (0x%lx)",
          conf_entry_cr3);
    check(conf_entry_rflags == 0x2, "E6", "RFLAGS is 0x2 at entry (0x%lx)",
          conf_entry_rflags);
}

static void check_registers(void)
{
    check(!conf_entry_before_start && conf_entry_dec_probe == 0 &&
              (conf_entry_efer & EFER_LMA) && (conf_entry_sel[0] & 3) == 0,
          "E1",
          "the guest starts at the ELF entry point, not the text's first "
          "byte (%u), in 64-bit mode (0x48 is REX: %d, EFER.LMA) and ring 0",
          conf_entry_before_start, conf_entry_dec_probe == 0);
    check(conf_entry_gpr[GPR_RSP] == boot->mem_size - 8, "E7",
          "RSP is mem_size - 8 at entry (0x%lx)", conf_entry_gpr[GPR_RSP]);
    check(conf_entry_gpr[GPR_RDI] == BOOT_INFO_GPA, "E8",
          "RDI is 0x10000, the boot info, at entry (0x%lx)",
          conf_entry_gpr[GPR_RDI]);
}

static void check_segments(void)
{
    uint64_t gdt_base;
    uint16_t gdt_limit;
    int data_ok = 1;

    for (int i = 1; i < 6; i++)
        data_ok &= conf_entry_sel[i] == 0x10;
    check(conf_entry_sel[0] == 0x08, "E9", "CS is selector 0x08 (0x%x)",
          conf_entry_sel[0]);
    check(data_ok, "E9",
          "DS, ES, FS, GS and SS are selector 0x10 (0x%x 0x%x 0x%x 0x%x 0x%x)",
          conf_entry_sel[1], conf_entry_sel[2], conf_entry_sel[3],
          conf_entry_sel[4], conf_entry_sel[5]);
    memcpy(&gdt_limit, conf_entry_gdtr, 2);
    memcpy(&gdt_base, conf_entry_gdtr + 2, 8);
    check(gdt_base == GDT_GPA && gdt_limit >= 23, "E10",
          "the GDT is at 0x1000 with at least 3 entries (base 0x%lx limit %u)",
          gdt_base, gdt_limit);
    check(conf_entry_fs_base == 0 && conf_entry_gs_base == 0, "E11",
          "the FS and GS bases are 0 at entry (0x%lx 0x%lx)",
          conf_entry_fs_base, conf_entry_gs_base);
}

/*
 * The tender's page tables and GDT live below 0x10000, which its own
 * mapping leaves out.  To read them we switch to page tables of our own,
 * identity-mapping all of the first 4 GiB, copy what we need and switch
 * back before any other check runs.
 */
typedef uint64_t table[512];
static table own_pml4 __attribute__((aligned(4096)));
static table own_pdpt __attribute__((aligned(4096)));
static table own_pd[4] __attribute__((aligned(4096)));
static table own_pt __attribute__((aligned(4096)));

static struct {
    uint64_t gdt[3];
    table pml4, pdpt, pd[4], pt;
} seen;

static void build_own_tables(void)
{
    own_pml4[0] = (uint64_t)(uintptr_t)own_pdpt | PTE_P | PTE_W;
    for (uint64_t i = 0; i < 4; i++)
        own_pdpt[i] = (uint64_t)(uintptr_t)own_pd[i] | PTE_P | PTE_W;
    for (uint64_t i = 0; i < 2048; i++)
        own_pd[i / 512][i % 512] = (i << 21) | PTE_P | PTE_W | PTE_PS;
    own_pd[0][0] = (uint64_t)(uintptr_t)own_pt | PTE_P | PTE_W;
    for (uint64_t i = 0; i < 512; i++)
        own_pt[i] = (i << 12) | PTE_P | PTE_W;
}

static void copy_tender_tables(void)
{
    build_own_tables();
    write_cr3((uint64_t)(uintptr_t)own_pml4);
    memcpy(seen.gdt, (void *)GDT_GPA, sizeof(seen.gdt));
    memcpy(seen.pml4, (void *)PML4_GPA, sizeof(table));
    memcpy(seen.pdpt, (void *)PDPT_GPA, sizeof(table));
    memcpy(seen.pd, (void *)PD_GPA, sizeof(seen.pd));
    memcpy(seen.pt, (void *)PT_GPA, sizeof(table));
    write_cr3(PML4_GPA);
}

static void check_gdt_entries(void)
{
    uint64_t code = seen.gdt[1], data = seen.gdt[2];
    int code_ok = (code >> 47 & 1) && (code >> 44 & 1) && (code >> 43 & 1) &&
                  (code >> 53 & 1) && !(code >> 54 & 1) && !(code >> 45 & 3);
    int data_ok = (data >> 47 & 1) && (data >> 44 & 1) && !(data >> 43 & 1) &&
                  (data >> 41 & 1) && !(data >> 45 & 3);

    check(seen.gdt[0] == 0, "E10", "GDT entry 0 is null");
    check(code_ok, "E10", "GDT entry 1 is present 64-bit DPL-0 code (0x%016lx)",
          code);
    check(data_ok, "E10",
          "GDT entry 2 is present writable DPL-0 data "
          "(0x%016lx)",
          data);
}

/*
 * The upper levels: one PML4 entry, four PDPT entries, 2 MiB pages for
 * guest memory and nothing above it.
 */
static void check_upper_tables(void)
{
    uint64_t mem = boot->mem_size;
    int pdpt_ok = 1, pd_ok = 1, above_ok = 1;

    check((seen.pml4[0] & (PTE_ADDR | PTE_P)) == (PDPT_GPA | PTE_P), "M2",
          "PML4[0] points to the PDPT at 0x3000 (0x%lx)", seen.pml4[0]);
    for (uint64_t i = 0; i < 4; i++)
        pdpt_ok &= (seen.pdpt[i] & (PTE_ADDR | PTE_P)) ==
                   ((PD_GPA + i * 0x1000) | PTE_P);
    check(pdpt_ok, "M2", "PDPT[0..3] point to page directories 0x4000-0x7000");
    for (uint64_t i = 1; i < 2048; i++) {
        uint64_t e = seen.pd[i / 512][i % 512];

        if ((i << 21) < mem)
            pd_ok &= (e & (PTE_ADDR | PTE_P | PTE_W | PTE_PS)) ==
                     ((i << 21) | PTE_P | PTE_W | PTE_PS);
        else
            above_ok &= !(e & PTE_P);
    }
    check(pd_ok, "M2",
          "the page directories identity-map 2 MiB to mem_size with writable "
          "2 MiB pages");
    check(above_ok, "M2",
          "the page directories map nothing from mem_size (0x%lx) to 4 GiB",
          mem);
    check((seen.pd[0][0] & (PTE_ADDR | PTE_P | PTE_PS)) == (PT_GPA | PTE_P),
          "M2", "the first 2 MiB use the page table at 0x8000 (0x%lx)",
          seen.pd[0][0]);
}

static void check_first_page_table(void)
{
    int low_ok = 1, ro_ok = 1, rw_ok = 1;

    for (uint64_t i = 0; i < 512; i++) {
        uint64_t e = seen.pt[i], addr = i << 12;

        if (addr < LOW_RO_START)
            low_ok &= !(e & PTE_P);
        else if (addr < LOW_RO_END)
            ro_ok &= (e & (PTE_ADDR | PTE_P | PTE_W)) == (addr | PTE_P);
        else
            rw_ok &= (e & (PTE_ADDR | PTE_P | PTE_W)) == (addr | PTE_P | PTE_W);
    }
    check(low_ok, "M3", "the page table maps nothing below 0x10000");
    check(ro_ok, "M4", "the page table maps 0x10000-0xfffff read-only");
    check(rw_ok, "M5", "the page table maps 0x100000-0x1fffff read-write");
}

/* What the mapping does, seen through faults rather than table entries. */
static void check_null_pages(void)
{
    static const uint64_t addrs[] = {0,      8,      0xfff, 0x1000,
                                     0x2000, 0x8000, 0xfff8};

    for (size_t i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
        int r = probe_read(addrs[i]);

        check(r == VEC_PF + 1 && !(conf_fault.error & PF_PRESENT) &&
                  conf_fault.cr2 == addrs[i],
              "M3", "reading 0x%lx faults (#PF, not present)", addrs[i]);
    }
}

static void check_low_area(void)
{
    static const uint64_t addrs[] = {LOW_RO_START, 0x80000, LOW_RO_END - 1};

    for (size_t i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
        int r = probe_read(addrs[i]);

        check(r == 0, "M4", "0x%lx can be read", addrs[i]);
        r = probe_write(addrs[i]);
        check(r == VEC_PF + 1 &&
                  (conf_fault.error & (PF_PRESENT | PF_WRITE)) ==
                      (PF_PRESENT | PF_WRITE) &&
                  conf_fault.cr2 == addrs[i],
              "M4", "writing 0x%lx faults (#PF, present, write)", addrs[i]);
    }
}

/* Memory above the image is writable, and GPA = virtual address. */
static void check_high_memory(void)
{
    uint64_t top = boot->mem_size;
    uint64_t addrs[] = {(uint64_t)(uintptr_t)conf_image_end + 4096, top / 2,
                        top - 4096, top - 1};
    uint64_t beyond[] = {top, top + 4096, 0xc0000000ULL, 0xfffff000ULL};
    struct w_walltime *w = (void *)(uintptr_t)(top / 2 + 64);

    for (size_t i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++)
        check(probe_read(addrs[i]) == 0 && probe_write(addrs[i]) == 0, "M5",
              "0x%lx can be read and written", addrs[i]);
    /* Past the end of memory the entry page tables map nothing (M2). */
    for (size_t i = 0; i < sizeof(beyond) / sizeof(beyond[0]); i++) {
        if (beyond[i] < top)
            continue;
        check(probe_read(beyond[i]) == VEC_PF + 1 &&
                  !(conf_fault.error & PF_PRESENT) &&
                  conf_fault.cr2 == beyond[i],
              "M2", "reading 0x%lx, past mem_size, faults (#PF, not present)",
              beyond[i]);
    }
    w->nsecs = 0;
    hc(HC_WALLTIME, w);
    check(w->nsecs != 0, "M6",
          "identity map: WALLTIME at GPA 0x%lx lands at that address",
          (uint64_t)(uintptr_t)w);
}

static void check_boot_info_memory(uint64_t want_mib)
{
    uint64_t mem = boot->mem_size;
    uint64_t end = boot->kernel_end,
             image = (uint64_t)(uintptr_t)conf_image_end;

    check(mem % (2ULL << 20) == 0 && mem >= (2ULL << 20) && mem <= (4ULL << 30),
          "M1", "mem_size is a multiple of 2 MiB, at most 4 GiB (0x%lx)", mem);
    if (want_mib != 0)
        check(mem == want_mib << 20, "I1",
              "mem_size is the memory asked for (%lu MiB)", mem >> 20);
    else
        check(0, "I1", "mem_size is the memory asked for: no mem= argument");
    check(end >= image && end <= ((image + 4095) & ~4095ULL), "I2",
          "kernel_end is the end of the loaded image (0x%lx, image 0x%lx)", end,
          image);
    check(boot->cpu_cycle_freq >= 100000000ULL &&
              boot->cpu_cycle_freq <= 20000000000ULL,
          "I3", "cpu_cycle_freq is a plausible TSC frequency (%lu Hz)",
          boot->cpu_cycle_freq);
}

static int in_low_area(uint64_t gpa, uint64_t len)
{
    return gpa >= BOOT_INFO_GPA + sizeof(struct w_boot_info) &&
           gpa < LOW_RO_END && len <= LOW_RO_END - gpa;
}

static void check_boot_info_pointers(const char *cmdline)
{
    size_t len = strlen(cmdline);
    const struct w_mft *mft = (const void *)(uintptr_t)boot->mft;

    check(in_low_area(boot->cmdline, len + 1), "I4",
          "the command line lies in the low area after the boot info "
          "(0x%lx)",
          boot->cmdline);
    check(len < CMDLINE_MAX, "I4",
          "the command line is NUL-terminated within "
          "8192 bytes");
    check(in_low_area(boot->mft, 8 + 104 * (uint64_t)mft->entries), "I5",
          "the manifest lies in the low area after the boot info (0x%lx)",
          boot->mft);
    check(boot->cmdline >= boot->mft + 8 + 104 * (uint64_t)mft->entries ||
              boot->cmdline + len + 1 <= boot->mft,
          "I5", "the manifest and the command line do not overlap");
    check((boot->host_features & FEATURE_RING_IO) ? boot->net_ring != 0
                                                  : boot->net_ring == 0,
          "I6", "net_ring is 0 unless RING_IO is offered (features 0x%x)",
          boot->host_features);
    check(boot->guest_features == 0, "I7", "guest_features is 0 at entry");
}

static void check_cpuid(void)
{
    uint32_t a, b, c, d;

    __asm__ __volatile__("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1));
    check((d >> 4 & 1) && (d >> 24 & 1) && (d >> 25 & 1) && (d >> 26 & 1), "U1",
          "CPUID.1 reports TSC, FXSR, SSE and SSE2 (edx 0x%x)", d);
    __asm__ __volatile__("cpuid"
                         : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
                         : "a"(0x80000001));
    check(d >> 29 & 1, "U1", "CPUID.80000001 reports long mode (edx 0x%x)", d);
}

static uint64_t fs_load(uint64_t off)
{
    uint64_t v;

    __asm__ __volatile__("movq %%fs:(%1), %0" : "=r"(v) : "r"(off));
    return v;
}

static void fs_store(uint64_t off, uint64_t v)
{
    __asm__ __volatile__("movq %1, %%fs:(%0)" : : "r"(off), "r"(v) : "memory");
}

static uint64_t gs_load(uint64_t off)
{
    uint64_t v;

    __asm__ __volatile__("movq %%gs:(%1), %0" : "=r"(v) : "r"(off));
    return v;
}

static uint64_t tls_a[4] = {0x1111222233334444ULL, 0x5555666677778888ULL};
static uint64_t tls_b[4] = {0x9999aaaabbbbccccULL, 0xddddeeeeffff0000ULL};

/* Thread-local storage as compilers emit it: %fs-relative loads. */
static void check_tls(void)
{
    wrmsr(MSR_FS_BASE, (uint64_t)(uintptr_t)tls_a);
    check(rdmsr(MSR_FS_BASE) == (uint64_t)(uintptr_t)tls_a, "U2",
          "the FS base MSR keeps the value written");
    check(fs_load(0) == tls_a[0] && fs_load(8) == tls_a[1], "U2",
          "%%fs-relative loads read through the FS base");
    fs_store(16, 0x1234);
    check(tls_a[2] == 0x1234, "U2", "%%fs-relative stores land at the FS base");
    wrmsr(MSR_FS_BASE, (uint64_t)(uintptr_t)tls_b);
    (void)wall_ns();
    check(fs_load(0) == tls_b[0], "U2",
          "a new FS base takes effect and survives a hypercall");
    wrmsr(MSR_GS_BASE, (uint64_t)(uintptr_t)tls_a);
    check(gs_load(8) == tls_a[1], "U2",
          "%%gs-relative loads read through "
          "the GS base");
    wrmsr(MSR_FS_BASE, 0);
    wrmsr(MSR_GS_BASE, 0);
}

int conf_main(const char *cmdline)
{
    /* First, before any SSE instruction can change it. */
    uint32_t mxcsr = fpu_read_mxcsr();

    check_control_registers();
    check_registers();
    check_segments();
    copy_tender_tables();
    check_gdt_entries();
    check_upper_tables();
    check_first_page_table();
    check_null_pages();
    check_low_area();
    check_high_memory();
    check_boot_info_memory(arg_u64(cmdline, "mem", 0));
    check_boot_info_pointers(cmdline);
    check_cpuid();
    check_tls();
    check(conf_entry_fcw == 0x37f, "E12",
          "the x87 control word is 0x37f at "
          "entry (0x%x)",
          conf_entry_fcw);
    check(mxcsr == 0x1f80, "E12", "MXCSR is 0x1f80 at entry (0x%x)", mxcsr);
    fpu_checks();
    return 0;
}

/*
 * x86_64 set-up: CPUID, the identity-mapped page tables and GDT of the
 * hvt entry state, and the vCPU's registers at entry.
 */
#include <errno.h>
#include <linux/kvm.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "error.h"
#include "vm.h"

#define X86_CR0_PE (1ULL << 0)
#define X86_CR0_NE (1ULL << 5)
#define X86_CR0_WP (1ULL << 16)
#define X86_CR0_PG (1ULL << 31)
#define X86_CR4_PAE (1ULL << 5)
#define X86_CR4_OSFXSR (1ULL << 9)
#define X86_CR4_OSXMMEXCPT (1ULL << 10)
#define X86_EFER_LME (1ULL << 8)
#define X86_EFER_LMA (1ULL << 10)

#define PTE_PRESENT (1ULL << 0)
#define PTE_WRITABLE (1ULL << 1)
#define PTE_LARGE (1ULL << 7)

#define GDT_NULL 0
#define GDT_CODE64 0x00af9b000000ffffULL /* present, DPL 0, L, exec/read */
#define GDT_DATA 0x00cf93000000ffffULL   /* present, DPL 0, read/write */

int x86_setup_cpuid(struct tender_vm *vm, struct tender_error *err)
{
    struct kvm_cpuid2 *cpuid = NULL;
    int nent = 64;

    /* The kernel says E2BIG until the table is large enough. */
    for (;;) {
        free(cpuid);
        cpuid = calloc(1, sizeof(*cpuid) +
                              (size_t)nent * sizeof(struct kvm_cpuid_entry2));
        if (cpuid == NULL)
            return tnd_fail(err, TENDER_E_SYSTEM, "out of memory");
        cpuid->nent = (uint32_t)nent;
        if (ioctl(vm->kvm_fd, KVM_GET_SUPPORTED_CPUID, cpuid) == 0)
            break;
        if (errno != E2BIG || nent >= 4096) {
            free(cpuid);
            return tnd_fail_errno(err, TENDER_E_KVM, errno,
                                  "KVM_GET_SUPPORTED_CPUID");
        }
        nent *= 2;
    }
    if (ioctl(vm->vcpu_fd, KVM_SET_CPUID2, cpuid) < 0) {
        free(cpuid);
        return tnd_fail_errno(err, TENDER_E_KVM, errno, "KVM_SET_CPUID2");
    }
    free(cpuid);
    return 0;
}

static void put_u64(struct tender_vm *vm, uint64_t gpa, uint64_t value)
{
    memcpy(vm->mem.base + gpa, &value, sizeof(value));
}

/*
 * Identity-map guest memory with 2 MiB pages, except the first 2 MiB,
 * which get 4 KiB pages: nothing below HVT_LOW_RO_START (so NULL faults),
 * the boot data read-only, the rest writable.  Nothing above guest memory
 * is mapped, as in Solo5's tender: an access there is a page fault that
 * the guest's own handler reports (docs/abi.md, E5).  The network ring's
 * 2 MiB above mem_size are mapped, as in Solo5's tender (docs/abi.md, I1).
 */
void x86_write_page_tables(struct tender_vm *vm)
{
    put_u64(vm, HVT_PML4_GPA, HVT_PDPT_GPA | PTE_PRESENT | PTE_WRITABLE);
    for (uint64_t i = 0; i < 4; i++)
        put_u64(vm, HVT_PDPT_GPA + i * 8,
                (HVT_PD_GPA + i * 0x1000) | PTE_PRESENT | PTE_WRITABLE);
    for (uint64_t i = 0; i < 4 * 512; i++) {
        uint64_t pde = (i << 21) | PTE_PRESENT | PTE_WRITABLE | PTE_LARGE;

        if (i == 0)
            pde = HVT_PT_GPA | PTE_PRESENT | PTE_WRITABLE;
        else if ((i << 21) >= vm->mem.size && (i << 21) >= vm->backed_size)
            pde = 0;
        put_u64(vm, HVT_PD_GPA + i * 8, pde);
    }
    for (uint64_t i = 0; i < 512; i++) {
        uint64_t addr = i << 12;
        uint64_t pte = addr | PTE_PRESENT;

        if (addr < HVT_LOW_RO_START)
            pte = 0;
        else if (addr >= HVT_LOW_RO_END)
            pte |= PTE_WRITABLE;
        put_u64(vm, HVT_PT_GPA + i * 8, pte);
    }
    put_u64(vm, HVT_GDT_GPA + 0, GDT_NULL);
    put_u64(vm, HVT_GDT_GPA + 8, GDT_CODE64);
    put_u64(vm, HVT_GDT_GPA + 16, GDT_DATA);
}

static void flat_segment(struct kvm_segment *seg, uint16_t selector, int code)
{
    memset(seg, 0, sizeof(*seg));
    seg->base = 0;
    seg->limit = 0xffffffff;
    seg->selector = selector;
    seg->present = 1;
    seg->dpl = 0;
    seg->s = 1;
    seg->g = 1;
    if (code) {
        seg->type = 11; /* execute/read, accessed */
        seg->l = 1;
    } else {
        seg->type = 3; /* read/write, accessed */
        seg->db = 1;
    }
}

int x86_setup_vcpu(struct tender_vm *vm, struct tender_error *err)
{
    struct kvm_sregs sregs;
    struct kvm_regs regs;

    if (ioctl(vm->vcpu_fd, KVM_GET_SREGS, &sregs) < 0)
        return tnd_fail_errno(err, TENDER_E_KVM, errno, "KVM_GET_SREGS");
    flat_segment(&sregs.cs, HVT_GDT_CODE_SEL, 1);
    flat_segment(&sregs.ds, HVT_GDT_DATA_SEL, 0);
    sregs.es = sregs.fs = sregs.gs = sregs.ss = sregs.ds;
    sregs.gdt.base = HVT_GDT_GPA;
    sregs.gdt.limit = 3 * 8 - 1;
    sregs.cr0 = X86_CR0_PE | X86_CR0_NE | X86_CR0_WP | X86_CR0_PG;
    sregs.cr3 = HVT_PML4_GPA;
    sregs.cr4 = X86_CR4_PAE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT;
    sregs.efer = X86_EFER_LME | X86_EFER_LMA;
    if (ioctl(vm->vcpu_fd, KVM_SET_SREGS, &sregs) < 0)
        return tnd_fail_errno(err, TENDER_E_KVM, errno, "KVM_SET_SREGS");

    memset(&regs, 0, sizeof(regs));
    regs.rip = vm->entry;
    regs.rsp = vm->mem.size - 8;
    regs.rdi = HVT_BOOT_INFO_GPA;
    regs.rflags = 0x2;
    if (ioctl(vm->vcpu_fd, KVM_SET_REGS, &regs) < 0)
        return tnd_fail_errno(err, TENDER_E_KVM, errno, "KVM_SET_REGS");
    return 0;
}

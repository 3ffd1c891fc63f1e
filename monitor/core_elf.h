/*
 * An ELF core file of a guest, as gdb reads one: an NT_PRSTATUS note with
 * the x86_64 registers, then guest memory as PT_LOAD segments at the
 * guest's own addresses.  Pure: no KVM, no allocation, one pwrite() after
 * another on a descriptor, so that it runs inside the sandbox.
 */
#ifndef TENDER_CORE_ELF_H
#define TENDER_CORE_ELF_H

#include <stdint.h>

/* The registers, in the order of Linux's struct user_regs_struct. */
struct core_regs {
    uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
    uint64_t rax, rcx, rdx, rsi, rdi, orig_rax;
    uint64_t rip, cs, eflags, rsp, ss;
    uint64_t fs_base, gs_base, ds, es, fs, gs;
};

struct core_image {
    const uint8_t *mem; /* guest-physical address 0 */
    uint64_t size;      /* a multiple of CORE_PAGE_SIZE */
    struct core_regs regs;
    int signo; /* the signal gdb reports the guest "terminated with" */
};

#define CORE_PAGE_SIZE 4096ULL

/*
 * Write img as an ELF core file into fd, from offset 0.  Pages that hold
 * only zeros get no bytes in the file: they lie in PT_LOAD segments whose
 * file size is 0, which gdb reads as zeros.  Returns 0, or an errno value.
 */
int core_elf_write(int fd, const struct core_image *img);

#endif

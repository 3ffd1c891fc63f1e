/*
 * The gdb stub's hands on the vCPU (gdb_kvm.c): registers in gdb's amd64
 * order, guest memory by virtual address, breakpoints and watchpoints,
 * and KVM's guest-debug controls.  The protocol is gdb_stub.c's.
 */
#ifndef TENDER_GDB_KVM_H
#define TENDER_GDB_KVM_H

#include <stddef.h>
#include <stdint.h>

#include "vm.h"

/*
 * gdb's amd64 registers, in its numbering (and target.xml's order):
 * 0-15 rax rbx rcx rdx rsi rdi rbp rsp r8-r15, 16 rip, 17 eflags,
 * 18-23 cs ss ds es fs gs, 24-31 st0-7, 32-39 x87 control, 40-55
 * xmm0-15, 56 mxcsr, 57 fs_base, 58 gs_base.
 */
#define GDB_NUM_REGS 59
#define GDB_REG_RIP 16
#define GDB_REG_EFLAGS 17
#define GDB_REG_CS 18
#define GDB_REG_ST0 24
#define GDB_REG_FCTRL                                                          \
    32 /* then fstat, ftag, fiseg, fioff, foseg, fooff, fop                    \
        */
#define GDB_REG_XMM0 40
#define GDB_REG_MXCSR 56
#define GDB_REG_FS_BASE 57
#define GDB_REG_GS_BASE 58

/* Bytes of register regno in the g packet. */
unsigned gdb_reg_size(int regno);

/* Z and z packet types. */
enum gdb_bp_type {
    GDB_BP_SW = 0,
    GDB_BP_HW = 1,
    GDB_WP_WRITE = 2,
    GDB_WP_READ = 3,
    GDB_WP_ACCESS = 4
};

#define GDB_MAX_SW_BP 64
#define GDB_MAX_HW_BP 4 /* x86's DR0-DR3 */
#define GDB_MAX_STEP_WATCH 4
#define GDB_STEP_WATCH_LEN 64 /* bytes one stepped watchpoint covers */

/* gdb_kvm_insert's answer for what this host cannot do. */
#define GDB_KVM_UNSUPPORTED (-2)

struct gdb_sw_bp {
    uint64_t addr; /* where gdb put it, a virtual address */
    uint64_t gpa;  /* where its byte is, whatever the page tables become */
    uint8_t orig;
    /* Which of Z0 and Z1 placed it (1 << type): one of each may share
     * it, and inserting one twice is one; 0: a free slot. */
    unsigned types;
};

struct gdb_hw_bp {
    uint64_t addr;
    enum gdb_bp_type type;
    unsigned len;
    int used;
};

/* A write watchpoint kept by single-stepping: the bytes last seen. */
struct gdb_step_watch {
    uint64_t addr;
    unsigned len;
    uint8_t seen[GDB_STEP_WATCH_LEN];
    int used;
};

struct gdb_kvm {
    struct gdb_sw_bp sw[GDB_MAX_SW_BP];
    struct gdb_hw_bp hw[GDB_MAX_HW_BP];
    struct gdb_step_watch step_watch[GDB_MAX_STEP_WATCH];
    int debugregs_work; /* debugregs_honoured() said so */
    int gdb_step;       /* gdb asked for one step, not a continue */
};

/*
 * Why the vCPU left with KVM_EXIT_DEBUG.  GDB_TRAP_NONE: a step that
 * only tender wanted (to check stepped watchpoints), nothing to report.
 */
enum gdb_trap { GDB_TRAP_NONE, GDB_TRAP_STEP, GDB_TRAP_HWBP, GDB_TRAP_WATCH };

/* Every register, little-endian, in the first gdb_reg_size() bytes. */
struct gdb_regs {
    uint8_t raw[GDB_NUM_REGS][16];
};

int gdb_kvm_get_regs(struct tender_vm *vm, struct gdb_regs *regs);
/* Write one register; -1 for one tender cannot change (x87, SSE). */
int gdb_kvm_set_reg(struct tender_vm *vm, int regno, uint64_t value);

/* Guest memory at virtual address va; -1 if any byte is not mapped. */
int gdb_kvm_read(struct tender_vm *vm, uint64_t va, uint8_t *buf, size_t len);
int gdb_kvm_write(struct tender_vm *vm, uint64_t va, const uint8_t *buf,
                  size_t len);

/*
 * Software breakpoints are a HLT byte written over the instruction: HLT
 * exits to the monitor on every KVM (int3 does not where KVM is nested in
 * QEMU's emulator).  Hardware breakpoints and watchpoints use DR0-DR3
 * where they work; where they do not (debugregs_work 0), a hardware
 * breakpoint is a software one, a write watchpoint is checked after each
 * single step, and read or access watchpoints are GDB_KVM_UNSUPPORTED.
 */
int gdb_kvm_insert(struct tender_vm *vm, struct gdb_kvm *k,
                   enum gdb_bp_type type, uint64_t addr, uint64_t len);
int gdb_kvm_remove(struct tender_vm *vm, struct gdb_kvm *k,
                   enum gdb_bp_type type, uint64_t addr, uint64_t len);
/* Take every breakpoint out of guest memory (detach, kill). */
void gdb_kvm_remove_all(struct tender_vm *vm, struct gdb_kvm *k);

/* Arm KVM's guest debugging for the next KVM_RUN; off with enable 0.
 * step: gdb asked for one instruction. */
int gdb_kvm_arm(struct tender_vm *vm, struct gdb_kvm *k, int enable, int step);

/* Decode vm->run's debug exit; *addr is a watchpoint's address. */
enum gdb_trap gdb_kvm_trap(struct tender_vm *vm, struct gdb_kvm *k,
                           enum gdb_bp_type *type, uint64_t *addr);

/* After KVM_EXIT_HLT: 1 if the HLT was one of our breakpoints, with RIP
 * moved back onto it; 0 if it was the guest's own; -1 on error. */
int gdb_kvm_hit_breakpoint(struct tender_vm *vm, struct gdb_kvm *k);

#endif

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

struct gdb_sw_bp {
    uint64_t addr;
    uint8_t orig;
    int used;
};

struct gdb_hw_bp {
    uint64_t addr;
    enum gdb_bp_type type;
    unsigned len;
    int used;
};

struct gdb_kvm {
    struct gdb_sw_bp sw[GDB_MAX_SW_BP];
    struct gdb_hw_bp hw[GDB_MAX_HW_BP];
};

/* Why the vCPU left with KVM_EXIT_DEBUG. */
enum gdb_trap { GDB_TRAP_STEP, GDB_TRAP_SWBP, GDB_TRAP_HWBP, GDB_TRAP_WATCH };

/* Registers: values zero-extended; the x87 and SSE ones read as 0. */
int gdb_kvm_get_regs(struct tender_vm *vm, uint64_t vals[GDB_NUM_REGS]);
/* Write one register; -1 for one tender cannot change (x87, SSE). */
int gdb_kvm_set_reg(struct tender_vm *vm, int regno, uint64_t value);

/* Guest memory at virtual address va; -1 if any byte is not mapped. */
int gdb_kvm_read(struct tender_vm *vm, uint64_t va, uint8_t *buf, size_t len);
int gdb_kvm_write(struct tender_vm *vm, uint64_t va, const uint8_t *buf,
                  size_t len);

int gdb_kvm_insert(struct tender_vm *vm, struct gdb_kvm *k,
                   enum gdb_bp_type type, uint64_t addr, uint64_t len);
int gdb_kvm_remove(struct tender_vm *vm, struct gdb_kvm *k,
                   enum gdb_bp_type type, uint64_t addr, uint64_t len);
/* Take every breakpoint out of guest memory (detach, kill). */
void gdb_kvm_remove_all(struct tender_vm *vm, struct gdb_kvm *k);

/* Arm KVM's guest debugging for the next KVM_RUN; off with enable 0. */
int gdb_kvm_arm(struct tender_vm *vm, const struct gdb_kvm *k, int enable,
                int step);

/* Decode vm->run's debug exit; *addr is a watchpoint's address. */
enum gdb_trap gdb_kvm_trap(const struct tender_vm *vm, const struct gdb_kvm *k,
                           enum gdb_bp_type *type, uint64_t *addr);

#endif

/*
 * KVM glue of the gdb stub: registers, memory through the guest's page
 * tables, and breakpoints.
 *
 * Hardware breakpoints (Z1) and watchpoints (Z2-Z4) use DR0-DR3 through
 * KVM_SET_GUEST_DEBUG.  So do software breakpoints (Z0) while one of the
 * four is free: nothing is written into the guest, and they work where
 * int3 does not reach us (KVM nested in QEMU's TCG, as in the emulated
 * test host, delivers a guest's int3 to the guest whatever the exception
 * intercepts say).  Beyond four, a Z0 is an int3 byte written into guest
 * memory, with KVM_GUESTDBG_USE_SW_BP so that it exits to us rather than
 * to the guest's #BP handler.  The guest's text is mapped read-only in
 * the monitor (vm.c, protect_segments), so such a write makes its one
 * host page writable for the copy and read-only again at once; the guest
 * never sees the window, since its vCPU is stopped.
 */
#include <errno.h>
#include <linux/kvm.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "gdb_kvm.h"
#include "guest_vaddr.h"

#define HOST_PAGE 4096ULL
#define INT3 0xcc
#define DR7_LE (1ULL << 8)
#define DR7_GE (1ULL << 9)
#define BP_VECTOR 3

unsigned gdb_reg_size(int regno)
{
    if (regno < 0 || regno >= GDB_NUM_REGS)
        return 0;
    if (regno <= GDB_REG_RIP || regno >= GDB_REG_FS_BASE)
        return 8;
    if (regno >= 24 && regno <= 31)
        return 10; /* st0-st7 */
    if (regno >= 40 && regno <= 55)
        return 16; /* xmm0-xmm15 */
    return 4;
}

int gdb_kvm_get_regs(struct tender_vm *vm, uint64_t vals[GDB_NUM_REGS])
{
    struct kvm_regs r;
    struct kvm_sregs s;

    if (ioctl(vm->vcpu_fd, KVM_GET_REGS, &r) < 0 ||
        ioctl(vm->vcpu_fd, KVM_GET_SREGS, &s) < 0)
        return -1;
    memset(vals, 0, GDB_NUM_REGS * sizeof(vals[0]));
    const uint64_t gpr[16] = {r.rax, r.rbx, r.rcx, r.rdx, r.rsi, r.rdi,
                              r.rbp, r.rsp, r.r8,  r.r9,  r.r10, r.r11,
                              r.r12, r.r13, r.r14, r.r15};
    memcpy(vals, gpr, sizeof(gpr));
    vals[GDB_REG_RIP] = r.rip;
    vals[GDB_REG_EFLAGS] = r.rflags;
    vals[18] = s.cs.selector;
    vals[19] = s.ss.selector;
    vals[20] = s.ds.selector;
    vals[21] = s.es.selector;
    vals[22] = s.fs.selector;
    vals[23] = s.gs.selector;
    vals[GDB_REG_FS_BASE] = s.fs.base;
    vals[GDB_REG_GS_BASE] = s.gs.base;
    return 0;
}

/* The kvm_regs field of gdb register regno (0-17), or NULL. */
static __u64 *gpr_field(struct kvm_regs *r, int regno)
{
    __u64 *const map[18] = {&r->rax, &r->rbx, &r->rcx,   &r->rdx, &r->rsi,
                            &r->rdi, &r->rbp, &r->rsp,   &r->r8,  &r->r9,
                            &r->r10, &r->r11, &r->r12,   &r->r13, &r->r14,
                            &r->r15, &r->rip, &r->rflags};

    return regno >= 0 && regno < 18 ? map[regno] : NULL;
}

static int set_segment_base(struct tender_vm *vm, int regno, uint64_t value)
{
    struct kvm_sregs s;

    if (ioctl(vm->vcpu_fd, KVM_GET_SREGS, &s) < 0)
        return -1;
    if (regno == GDB_REG_FS_BASE)
        s.fs.base = value;
    else
        s.gs.base = value;
    return ioctl(vm->vcpu_fd, KVM_SET_SREGS, &s);
}

int gdb_kvm_set_reg(struct tender_vm *vm, int regno, uint64_t value)
{
    struct kvm_regs r;
    __u64 *field;

    if (regno == GDB_REG_FS_BASE || regno == GDB_REG_GS_BASE)
        return set_segment_base(vm, regno, value);
    if (ioctl(vm->vcpu_fd, KVM_GET_REGS, &r) < 0)
        return -1;
    field = gpr_field(&r, regno);
    if (field == NULL)
        return -1;
    *field = regno == GDB_REG_EFLAGS ? (value & 0xffffffffULL) | 2 : value;
    return ioctl(vm->vcpu_fd, KVM_SET_REGS, &r);
}

/*
 * The host address of the part of [va, va + len) that lies in one host
 * page, and its length; NULL if va is not mapped.
 */
static uint8_t *host_chunk(struct tender_vm *vm, uint64_t va, size_t len,
                           size_t *chunk, uint64_t *gpa)
{
    struct kvm_sregs s;
    uint64_t room;

    if (ioctl(vm->vcpu_fd, KVM_GET_SREGS, &s) < 0 ||
        guest_vaddr_translate(&vm->mem, s.cr3, va, gpa, &room) < 0)
        return NULL;
    if (room > HOST_PAGE - (*gpa & (HOST_PAGE - 1)))
        room = HOST_PAGE - (*gpa & (HOST_PAGE - 1));
    *chunk = len < room ? len : (size_t)room;
    return guest_mem_ptr(&vm->mem, *gpa, *chunk);
}

int gdb_kvm_read(struct tender_vm *vm, uint64_t va, uint8_t *buf, size_t len)
{
    while (len > 0) {
        size_t n;
        uint64_t gpa;
        const uint8_t *p = host_chunk(vm, va, len, &n, &gpa);

        if (p == NULL)
            return -1;
        memcpy(buf, p, n);
        buf += n;
        va += n;
        len -= n;
    }
    return 0;
}

/* Copy into one host page, lifting the monitor's read-only mapping of
 * the guest's text for the copy alone. */
static int write_page(struct tender_vm *vm, uint64_t gpa, uint8_t *p,
                      const uint8_t *buf, size_t n)
{
    uint8_t *page = vm->mem.base + (gpa & ~(HOST_PAGE - 1));

    if (vm_guest_ptr_writable(vm, gpa, n) != NULL) {
        memcpy(p, buf, n);
        return 0;
    }
    if (mprotect(page, HOST_PAGE, PROT_READ | PROT_WRITE) < 0)
        return -1;
    memcpy(p, buf, n);
    return mprotect(page, HOST_PAGE, PROT_READ);
}

int gdb_kvm_write(struct tender_vm *vm, uint64_t va, const uint8_t *buf,
                  size_t len)
{
    while (len > 0) {
        size_t n;
        uint64_t gpa;
        uint8_t *p = host_chunk(vm, va, len, &n, &gpa);

        if (p == NULL || write_page(vm, gpa, p, buf, n) < 0)
            return -1;
        buf += n;
        va += n;
        len -= n;
    }
    return 0;
}

static int insert_sw(struct tender_vm *vm, struct gdb_kvm *k, uint64_t addr)
{
    struct gdb_sw_bp *free_slot = NULL;
    const uint8_t int3 = INT3;

    for (int i = 0; i < GDB_MAX_SW_BP; i++) {
        if (k->sw[i].used && k->sw[i].addr == addr)
            return 0;
        if (!k->sw[i].used && free_slot == NULL)
            free_slot = &k->sw[i];
    }
    if (free_slot == NULL || gdb_kvm_read(vm, addr, &free_slot->orig, 1) < 0 ||
        gdb_kvm_write(vm, addr, &int3, 1) < 0)
        return -1;
    free_slot->addr = addr;
    free_slot->used = 1;
    return 0;
}

static int remove_sw(struct tender_vm *vm, struct gdb_kvm *k, uint64_t addr)
{
    for (int i = 0; i < GDB_MAX_SW_BP; i++) {
        if (k->sw[i].used && k->sw[i].addr == addr) {
            k->sw[i].used = 0;
            return gdb_kvm_write(vm, addr, &k->sw[i].orig, 1);
        }
    }
    return 0;
}

static int is_exec(enum gdb_bp_type type)
{
    return type == GDB_BP_SW || type == GDB_BP_HW;
}

/* x86 debug registers watch 1, 2, 4 or 8 aligned bytes. */
static int hw_len_ok(enum gdb_bp_type type, uint64_t addr, uint64_t len)
{
    if (is_exec(type))
        return 1;
    return (len == 1 || len == 2 || len == 4 || len == 8) &&
           (addr & (len - 1)) == 0;
}

static int insert_hw(struct gdb_kvm *k, enum gdb_bp_type type, uint64_t addr,
                     uint64_t len)
{
    if (!hw_len_ok(type, addr, len))
        return -1;
    for (int i = 0; i < GDB_MAX_HW_BP; i++) {
        if (!k->hw[i].used) {
            k->hw[i].used = 1;
            k->hw[i].type = type;
            k->hw[i].addr = addr;
            k->hw[i].len = is_exec(type) ? 1 : (unsigned)len;
            return 0;
        }
    }
    return -1; /* All four in use. */
}

int gdb_kvm_insert(struct tender_vm *vm, struct gdb_kvm *k,
                   enum gdb_bp_type type, uint64_t addr, uint64_t len)
{
    if (type == GDB_BP_SW && insert_hw(k, type, addr, len) == 0)
        return 0;
    if (type == GDB_BP_SW)
        return insert_sw(vm, k, addr);
    return insert_hw(k, type, addr, len);
}

int gdb_kvm_remove(struct tender_vm *vm, struct gdb_kvm *k,
                   enum gdb_bp_type type, uint64_t addr, uint64_t len)
{
    for (int i = 0; i < GDB_MAX_HW_BP; i++) {
        struct gdb_hw_bp *h = &k->hw[i];

        if (h->used && h->type == type && h->addr == addr &&
            (is_exec(type) || h->len == len)) {
            h->used = 0;
            return 0;
        }
    }
    return type == GDB_BP_SW ? remove_sw(vm, k, addr) : 0;
}

void gdb_kvm_remove_all(struct tender_vm *vm, struct gdb_kvm *k)
{
    for (int i = 0; i < GDB_MAX_SW_BP; i++)
        if (k->sw[i].used)
            remove_sw(vm, k, k->sw[i].addr);
    memset(k->hw, 0, sizeof(k->hw));
}

/* DR7's enable, R/W and LEN bits for slot i. */
static uint64_t dr7_bits(const struct gdb_hw_bp *h, int i)
{
    uint64_t rw = is_exec(h->type) ? 0 : h->type == GDB_WP_WRITE ? 1 : 3;
    uint64_t len = h->len == 8 ? 2 : h->len == 4 ? 3 : h->len == 2 ? 1 : 0;

    if (is_exec(h->type))
        len = 0;
    return (1ULL << (2 * i)) | rw << (16 + 4 * i) | len << (18 + 4 * i);
}

int gdb_kvm_arm(struct tender_vm *vm, const struct gdb_kvm *k, int enable,
                int step)
{
    struct kvm_guest_debug dbg;

    memset(&dbg, 0, sizeof(dbg));
    if (enable) {
        dbg.control = KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_SW_BP |
                      KVM_GUESTDBG_USE_HW_BP;
        if (step)
            dbg.control |= KVM_GUESTDBG_SINGLESTEP;
        for (int i = 0; i < GDB_MAX_HW_BP; i++) {
            if (!k->hw[i].used)
                continue;
            dbg.arch.debugreg[i] = k->hw[i].addr;
            dbg.arch.debugreg[7] |= dr7_bits(&k->hw[i], i) | DR7_LE | DR7_GE;
        }
    }
    return ioctl(vm->vcpu_fd, KVM_SET_GUEST_DEBUG, &dbg);
}

enum gdb_trap gdb_kvm_trap(const struct tender_vm *vm, const struct gdb_kvm *k,
                           enum gdb_bp_type *type, uint64_t *addr)
{
    const struct kvm_debug_exit_arch *d = &vm->run->debug.arch;

    if (d->exception == BP_VECTOR)
        return GDB_TRAP_SWBP;
    for (int i = 0; i < GDB_MAX_HW_BP; i++) {
        if (!(d->dr6 & (1ULL << i)) || !k->hw[i].used)
            continue;
        *type = k->hw[i].type;
        *addr = k->hw[i].addr;
        if (k->hw[i].type == GDB_BP_SW)
            return GDB_TRAP_SWBP;
        return k->hw[i].type == GDB_BP_HW ? GDB_TRAP_HWBP : GDB_TRAP_WATCH;
    }
    /* Anything else (DR6.BS, single step) is a step. */
    return GDB_TRAP_STEP;
}

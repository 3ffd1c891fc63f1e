/*
 * KVM glue of the gdb stub: registers, memory through the guest's page
 * tables, and breakpoints.
 *
 * A software breakpoint (Z0) is a HLT byte written into guest memory.
 * HLT leaves the guest for the monitor on any KVM, since tender has no
 * in-kernel interrupt controller.  int3 is the usual choice, but KVM
 * nested in QEMU's emulator (tender's test host) hands a guest's int3 to
 * the guest whatever the exception intercepts say; and a guest's own HLT
 * is an error in tender anyway, so nothing is lost.  The guest's text is
 * mapped read-only in the monitor (vm.c, protect_segments), so such a
 * write makes its one host page writable for the copy and read-only again
 * at once; the guest never sees the window, since its vCPU is stopped.
 *
 * Hardware breakpoints (Z1) and watchpoints (Z2-Z4) use DR0-DR3 through
 * KVM_SET_GUEST_DEBUG where a probe (debugreg_probe.c) found that they
 * fire.  Where they do not, Z1 becomes a software breakpoint and Z2 a
 * watchpoint checked after every single step, slow but true; Z3 and Z4
 * cannot be done that way and are refused.
 */
#include <errno.h>
#include <linux/kvm.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "gdb_kvm.h"
#include "guest_vaddr.h"

#define HOST_PAGE 4096ULL
#define HLT 0xf4
#define DR7_LE (1ULL << 8)
#define DR7_GE (1ULL << 9)

unsigned gdb_reg_size(int regno)
{
    if (regno < 0 || regno >= GDB_NUM_REGS)
        return 0;
    if (regno <= GDB_REG_RIP || regno >= GDB_REG_FS_BASE)
        return 8;
    if (regno >= GDB_REG_ST0 && regno < GDB_REG_FCTRL)
        return 10; /* st0-st7 */
    if (regno >= GDB_REG_XMM0 && regno < GDB_REG_MXCSR)
        return 16; /* xmm0-xmm15 */
    return 4;
}

static void put_u64(struct gdb_regs *regs, int regno, uint64_t value)
{
    memcpy(regs->raw[regno], &value, sizeof(value));
}

/* The full x87 tag word from FXSAVE's abridged one: a clear bit is an
 * empty register (tag 3); a set bit is called valid (tag 0), since gdb
 * only tells empty from not. */
static uint64_t full_tag_word(uint8_t abridged)
{
    uint64_t tags = 0;

    for (int i = 0; i < 8; i++)
        if (!(abridged & (1u << i)))
            tags |= 3ULL << (2 * i);
    return tags;
}

static void put_fpu(struct gdb_regs *regs, const struct kvm_fpu *f)
{
    for (int i = 0; i < 8; i++)
        memcpy(regs->raw[GDB_REG_ST0 + i], f->fpr[i], 10);
    put_u64(regs, GDB_REG_FCTRL, f->fcw);
    put_u64(regs, GDB_REG_FCTRL + 1, f->fsw);
    put_u64(regs, GDB_REG_FCTRL + 2, full_tag_word(f->ftwx));
    /* fiseg and foseg: 64-bit FXSAVE keeps no selectors; they read 0. */
    put_u64(regs, GDB_REG_FCTRL + 4, f->last_ip & 0xffffffffULL);
    put_u64(regs, GDB_REG_FCTRL + 6, f->last_dp & 0xffffffffULL);
    put_u64(regs, GDB_REG_FCTRL + 7, f->last_opcode);
    for (int i = 0; i < 16; i++)
        memcpy(regs->raw[GDB_REG_XMM0 + i], f->xmm[i], 16);
    put_u64(regs, GDB_REG_MXCSR, f->mxcsr);
}

int gdb_kvm_get_regs(struct tender_vm *vm, struct gdb_regs *regs)
{
    struct kvm_regs r;
    struct kvm_sregs s;
    struct kvm_fpu f;

    if (ioctl(vm->vcpu_fd, KVM_GET_REGS, &r) < 0 ||
        ioctl(vm->vcpu_fd, KVM_GET_SREGS, &s) < 0 ||
        ioctl(vm->vcpu_fd, KVM_GET_FPU, &f) < 0)
        return -1;
    memset(regs, 0, sizeof(*regs));
    const uint64_t gpr[18] = {r.rax, r.rbx, r.rcx, r.rdx, r.rsi, r.rdi,
                              r.rbp, r.rsp, r.r8,  r.r9,  r.r10, r.r11,
                              r.r12, r.r13, r.r14, r.r15, r.rip, r.rflags};
    for (int i = 0; i < 18; i++)
        put_u64(regs, i, gpr[i]);
    const uint16_t seg[6] = {s.cs.selector, s.ss.selector, s.ds.selector,
                             s.es.selector, s.fs.selector, s.gs.selector};
    for (int i = 0; i < 6; i++)
        put_u64(regs, GDB_REG_CS + i, seg[i]);
    put_u64(regs, GDB_REG_FS_BASE, s.fs.base);
    put_u64(regs, GDB_REG_GS_BASE, s.gs.base);
    put_fpu(regs, &f);
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

static struct gdb_sw_bp *find_sw(struct gdb_kvm *k, uint64_t addr)
{
    for (int i = 0; i < GDB_MAX_SW_BP; i++)
        if (k->sw[i].types != 0 && k->sw[i].addr == addr)
            return &k->sw[i];
    return NULL;
}

/* One byte at guest-physical gpa, through the text's read-only mapping. */
static int write_byte_at(struct tender_vm *vm, uint64_t gpa, uint8_t byte)
{
    uint8_t *p = guest_mem_ptr(&vm->mem, gpa, 1);

    return p == NULL ? -1 : write_page(vm, gpa, p, &byte, 1);
}

static int insert_sw(struct tender_vm *vm, struct gdb_kvm *k,
                     enum gdb_bp_type type, uint64_t addr)
{
    struct gdb_sw_bp *bp = find_sw(k, addr);
    size_t n;
    uint8_t *p;

    if (bp != NULL) {
        bp->types |= 1u << type;
        return 0;
    }
    for (int i = 0; i < GDB_MAX_SW_BP && bp == NULL; i++)
        if (k->sw[i].types == 0)
            bp = &k->sw[i];
    if (bp == NULL)
        return -1; /* all in use */
    p = host_chunk(vm, addr, 1, &n, &bp->gpa);
    if (p == NULL)
        return -1;
    bp->orig = *p;
    if (write_byte_at(vm, bp->gpa, HLT) < 0)
        return -1;
    bp->addr = addr;
    bp->types = 1u << type;
    return 0;
}

/* Its byte goes back where it was taken from, even if the guest has
 * remapped the virtual address since. */
static int remove_sw(struct tender_vm *vm, struct gdb_kvm *k,
                     enum gdb_bp_type type, uint64_t addr)
{
    struct gdb_sw_bp *bp = find_sw(k, addr);

    if (bp == NULL || (bp->types &= ~(1u << type)) != 0)
        return 0;
    return write_byte_at(vm, bp->gpa, bp->orig);
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

static int remove_hw(struct gdb_kvm *k, enum gdb_bp_type type, uint64_t addr,
                     uint64_t len)
{
    for (int i = 0; i < GDB_MAX_HW_BP; i++) {
        struct gdb_hw_bp *h = &k->hw[i];

        if (h->used && h->type == type && h->addr == addr &&
            (is_exec(type) || h->len == len)) {
            h->used = 0;
            return 0;
        }
    }
    return 0;
}

static int insert_step_watch(struct tender_vm *vm, struct gdb_kvm *k,
                             uint64_t addr, uint64_t len)
{
    if (len == 0 || len > GDB_STEP_WATCH_LEN)
        return -1;
    for (int i = 0; i < GDB_MAX_STEP_WATCH; i++) {
        struct gdb_step_watch *w = &k->step_watch[i];

        if (w->used)
            continue;
        if (gdb_kvm_read(vm, addr, w->seen, (size_t)len) < 0)
            return -1;
        w->addr = addr;
        w->len = (unsigned)len;
        w->used = 1;
        return 0;
    }
    return -1;
}

static int remove_step_watch(struct gdb_kvm *k, uint64_t addr, uint64_t len)
{
    for (int i = 0; i < GDB_MAX_STEP_WATCH; i++) {
        struct gdb_step_watch *w = &k->step_watch[i];

        if (w->used && w->addr == addr && w->len == len) {
            w->used = 0;
            return 0;
        }
    }
    return 0;
}

int gdb_kvm_insert(struct tender_vm *vm, struct gdb_kvm *k,
                   enum gdb_bp_type type, uint64_t addr, uint64_t len)
{
    if (type == GDB_BP_SW || (type == GDB_BP_HW && !k->debugregs_work))
        return insert_sw(vm, k, type, addr);
    if (k->debugregs_work)
        return insert_hw(k, type, addr, len);
    if (type == GDB_WP_WRITE)
        return insert_step_watch(vm, k, addr, len);
    return GDB_KVM_UNSUPPORTED;
}

int gdb_kvm_remove(struct tender_vm *vm, struct gdb_kvm *k,
                   enum gdb_bp_type type, uint64_t addr, uint64_t len)
{
    if (type == GDB_BP_SW || (type == GDB_BP_HW && !k->debugregs_work))
        return remove_sw(vm, k, type, addr);
    if (k->debugregs_work)
        return remove_hw(k, type, addr, len);
    if (type == GDB_WP_WRITE)
        return remove_step_watch(k, addr, len);
    return GDB_KVM_UNSUPPORTED;
}

void gdb_kvm_remove_all(struct tender_vm *vm, struct gdb_kvm *k)
{
    for (int i = 0; i < GDB_MAX_SW_BP; i++) {
        if (k->sw[i].types != 0) {
            k->sw[i].types = 1u << GDB_BP_SW;
            remove_sw(vm, k, GDB_BP_SW, k->sw[i].addr);
        }
    }
    memset(k->hw, 0, sizeof(k->hw));
    memset(k->step_watch, 0, sizeof(k->step_watch));
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

static int step_watches(const struct gdb_kvm *k)
{
    for (int i = 0; i < GDB_MAX_STEP_WATCH; i++)
        if (k->step_watch[i].used)
            return 1;
    return 0;
}

/* What the watched bytes hold as the guest resumes: gdb may have written
 * them while it was stopped, which is no hit. */
static void refresh_step_watches(struct tender_vm *vm, struct gdb_kvm *k)
{
    for (int i = 0; i < GDB_MAX_STEP_WATCH; i++) {
        struct gdb_step_watch *w = &k->step_watch[i];

        if (w->used && gdb_kvm_read(vm, w->addr, w->seen, w->len) < 0)
            w->used = 0; /* unmapped by the guest: nothing to watch */
    }
}

int gdb_kvm_arm(struct tender_vm *vm, struct gdb_kvm *k, int enable, int step)
{
    struct kvm_guest_debug dbg;

    memset(&dbg, 0, sizeof(dbg));
    k->gdb_step = step;
    if (enable) {
        refresh_step_watches(vm, k);
        dbg.control = KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_HW_BP;
        if (step || step_watches(k))
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

/* A stepped watchpoint whose bytes changed: its address, and the new
 * bytes become the ones seen. */
static int step_watch_hit(struct tender_vm *vm, struct gdb_kvm *k,
                          uint64_t *addr)
{
    for (int i = 0; i < GDB_MAX_STEP_WATCH; i++) {
        struct gdb_step_watch *w = &k->step_watch[i];
        uint8_t now[GDB_STEP_WATCH_LEN];

        if (!w->used || gdb_kvm_read(vm, w->addr, now, w->len) < 0 ||
            memcmp(now, w->seen, w->len) == 0)
            continue;
        memcpy(w->seen, now, w->len);
        *addr = w->addr;
        return 1;
    }
    return 0;
}

enum gdb_trap gdb_kvm_trap(struct tender_vm *vm, struct gdb_kvm *k,
                           enum gdb_bp_type *type, uint64_t *addr)
{
    const struct kvm_debug_exit_arch *d = &vm->run->debug.arch;

    for (int i = 0; i < GDB_MAX_HW_BP; i++) {
        if (!(d->dr6 & (1ULL << i)) || !k->hw[i].used)
            continue;
        *type = k->hw[i].type;
        *addr = k->hw[i].addr;
        return k->hw[i].type == GDB_BP_HW ? GDB_TRAP_HWBP : GDB_TRAP_WATCH;
    }
    if (step_watch_hit(vm, k, addr)) {
        *type = GDB_WP_WRITE;
        return GDB_TRAP_WATCH;
    }
    /* Anything else (DR6.BS) is a step, reported if gdb asked for it. */
    return k->gdb_step ? GDB_TRAP_STEP : GDB_TRAP_NONE;
}

int gdb_kvm_hit_breakpoint(struct tender_vm *vm, struct gdb_kvm *k)
{
    struct kvm_regs r;

    if (ioctl(vm->vcpu_fd, KVM_GET_REGS, &r) < 0)
        return -1;
    if (find_sw(k, r.rip - 1) == NULL)
        return 0;
    r.rip -= 1;
    return ioctl(vm->vcpu_fd, KVM_SET_REGS, &r) < 0 ? -1 : 1;
}

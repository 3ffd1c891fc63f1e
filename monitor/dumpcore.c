/*
 * Core dumps: the file is created by the vCPU thread inside its sandbox,
 * which therefore allows, only when core dumps are on, three more calls
 * (docs/security.md): openat() on the directory opened here at set-up,
 * with DUMPCORE_OPEN_FLAGS; dup3() onto the descriptor number reserved
 * here (BPF cannot know the number openat() returns, but it can pin the
 * target of dup3); and pwrite64() on that reserved number.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core_elf.h"
#include "dumpcore.h"
#include "error.h"

#define VECTOR_DE 0
#define VECTOR_DB 1
#define VECTOR_BP 3
#define VECTOR_UD 6
#define VECTOR_MF 16
#define VECTOR_XM 19

int dumpcore_init(struct tender_vm *vm, const char *dir, const char *guest_name,
                  struct tender_error *err)
{
    struct vm_core *c = &vm->core;

    c->dir_fd = c->slot_fd = c->file_fd = -1;
    snprintf(c->guest_name, sizeof(c->guest_name), "%s",
             guest_name != NULL ? guest_name : "guest");
    if (dir == NULL)
        return 0;
    if (*dir == '\0')
        dir = ".";
    if (strlen(dir) >= sizeof(c->dir) - sizeof(c->file_name))
        return tnd_fail(err, TENDER_E_CONFIG, "core directory name too long");
    snprintf(c->dir, sizeof(c->dir), "%s", dir);
    c->dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (c->dir_fd < 0)
        return tnd_fail_errno(err, TENDER_E_CONFIG, errno, "core directory %s",
                              dir);
    /* Root passes this check whatever the mode; others learn early. */
    if (faccessat(c->dir_fd, ".", W_OK | X_OK, AT_EACCESS) < 0)
        return tnd_fail_errno(err, TENDER_E_CONFIG, errno,
                              "core directory %s is not writable", dir);
    return 0;
}

void dumpcore_name_from_path(struct tender_vm *vm, const char *path)
{
    const char *base = strrchr(path, '/');
    size_t len;

    base = base != NULL ? base + 1 : path;
    len = strlen(base);
    if (len > 4 && strcmp(base + len - 4, ".elf") == 0)
        len -= 4;
    if (len == 0 || strcmp(vm->core.guest_name, "guest") != 0)
        return;
    snprintf(vm->core.guest_name, sizeof(vm->core.guest_name), "%.*s", (int)len,
             base);
}

int dumpcore_prepare(struct tender_vm *vm, struct tender_error *err)
{
    struct vm_core *c = &vm->core;

    if (c->dir_fd < 0)
        return 0;
    snprintf(c->file_name, sizeof(c->file_name), "core.%s.%ld", c->guest_name,
             (long)getpid());
    /* Any descriptor will do to hold the number until dup3 replaces it. */
    c->slot_fd = fcntl(c->dir_fd, F_DUPFD_CLOEXEC, 0);
    if (c->slot_fd < 0 || vm_sandbox_allow(vm, c->slot_fd, SANDBOX_PWRITE) < 0)
        return tnd_fail_errno(err, TENDER_E_SYSTEM, errno,
                              "cannot reserve a descriptor for the core");
    return 0;
}

void dumpcore_note_halt(struct tender_vm *vm, uint64_t cookie_gpa)
{
    struct tender_trap_cookie ck;
    const void *p;

    if (vm->core.dir_fd < 0 || cookie_gpa == 0)
        return;
    /* A copy: the guest may place the cookie at any address, aligned or
     * not, and change it from another vCPU while we read it. */
    p = guest_mem_ptr(&vm->mem, cookie_gpa, sizeof(ck));
    if (p == NULL)
        return;
    memcpy(&ck, p, sizeof(ck));
    if (ck.magic != TENDER_TRAP_COOKIE_MAGIC || ck.size != sizeof(ck.frame))
        return;
    vm->core.frame = ck.frame;
    vm->core.have_frame = 1;
}

/* The guest's own status other than an abort is a normal exit. */
static int core_due(const struct tender_exit *e)
{
    return e->reason != TENDER_STOP_HALT || e->status == HVT_EXIT_ABORT;
}

/* What gdb shows as "terminated with signal ...". */
static int stop_signal(const struct tender_vm *vm)
{
    if (vm->exit.reason == TENDER_STOP_REQUESTED)
        return SIGTERM;
    if (vm->exit.reason == TENDER_STOP_BAD_IO ||
        vm->exit.reason == TENDER_STOP_BAD_HYPERCALL ||
        vm->exit.reason == TENDER_STOP_BAD_RING)
        return SIGSYS;
    if (vm->exit.reason == TENDER_STOP_HALT && !vm->core.have_frame)
        return SIGABRT;
    if (vm->exit.reason != TENDER_STOP_HALT)
        return SIGSEGV;
    switch (vm->core.frame.vector) {
    case VECTOR_DE:
    case VECTOR_MF:
    case VECTOR_XM:
        return SIGFPE;
    case VECTOR_DB:
    case VECTOR_BP:
        return SIGTRAP;
    case VECTOR_UD:
        return SIGILL;
    default:
        return SIGSEGV;
    }
}

/* The vCPU's registers as KVM synced them on the last exit. */
static void regs_from_vcpu(const struct tender_vm *vm, struct core_regs *r)
{
    const struct kvm_regs *k = &vm->run->s.regs.regs;
    const struct kvm_sregs *s = &vm->run->s.regs.sregs;

    *r = (struct core_regs){.r15 = k->r15,
                            .r14 = k->r14,
                            .r13 = k->r13,
                            .r12 = k->r12,
                            .rbp = k->rbp,
                            .rbx = k->rbx,
                            .r11 = k->r11,
                            .r10 = k->r10,
                            .r9 = k->r9,
                            .r8 = k->r8,
                            .rax = k->rax,
                            .rcx = k->rcx,
                            .rdx = k->rdx,
                            .rsi = k->rsi,
                            .rdi = k->rdi,
                            .orig_rax = ~0ULL,
                            .rip = k->rip,
                            .cs = s->cs.selector,
                            .eflags = k->rflags,
                            .rsp = k->rsp,
                            .ss = s->ss.selector,
                            .fs_base = s->fs.base,
                            .gs_base = s->gs.base,
                            .ds = s->ds.selector,
                            .es = s->es.selector,
                            .fs = s->fs.selector,
                            .gs = s->gs.selector};
}

/* The faulting context from the trap frame; the rest from the vCPU. */
static void regs_from_frame(const struct tender_trap_frame *f,
                            struct core_regs *r)
{
    r->r15 = f->r15, r->r14 = f->r14, r->r13 = f->r13, r->r12 = f->r12;
    r->rbp = f->rbp, r->rbx = f->rbx, r->r11 = f->r11, r->r10 = f->r10;
    r->r9 = f->r9, r->r8 = f->r8, r->rax = f->rax, r->rcx = f->rcx;
    r->rdx = f->rdx, r->rsi = f->rsi, r->rdi = f->rdi;
    r->rip = f->rip, r->cs = f->cs, r->eflags = f->rflags;
    r->rsp = f->rsp, r->ss = f->ss;
}

/*
 * A message or path, cut short if need be: dumpcore_init keeps the
 * directory short enough for the path, an error may lose its end.
 */
static void set_line(char *buf, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_line(char *buf, size_t len, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, len, fmt, ap);
    va_end(ap);
}

/* Create the file and move it onto the reserved number; 0 or errno. */
static int open_core(struct vm_core *c)
{
    long fd =
        syscall(SYS_openat, c->dir_fd, c->file_name, DUMPCORE_OPEN_FLAGS, 0600);

    if (fd < 0)
        return errno;
    c->file_fd = (int)fd;
    if (syscall(SYS_dup3, c->file_fd, c->slot_fd, O_CLOEXEC) < 0)
        return errno;
    return 0;
}

void dumpcore_after_stop(struct tender_vm *vm)
{
    struct vm_core *c = &vm->core;
    struct core_image img;
    int rc;

    if (c->dir_fd < 0 || c->slot_fd < 0 || !core_due(&vm->exit))
        return;
    img.mem = vm->mem.base;
    img.size = vm->mem.size;
    img.signo = stop_signal(vm);
    regs_from_vcpu(vm, &img.regs);
    if (c->have_frame)
        regs_from_frame(&c->frame, &img.regs);
    rc = c->file_fd >= 0 ? EEXIST : open_core(c);
    if (rc == 0)
        rc = core_elf_write(c->slot_fd, &img);
    if (rc != 0) {
        set_line(vm->exit.core_error, sizeof(vm->exit.core_error),
                 "cannot write core %s/%s: %s", c->dir, c->file_name,
                 strerror(rc));
        return;
    }
    set_line(vm->exit.core_path, sizeof(vm->exit.core_path), "%s/%s", c->dir,
             c->file_name);
}

void dumpcore_release(struct tender_vm *vm)
{
    struct vm_core *c = &vm->core;

    if (c->file_fd >= 0)
        close(c->file_fd);
    if (c->slot_fd >= 0)
        close(c->slot_fd);
    if (c->dir_fd >= 0)
        close(c->dir_fd);
    c->dir_fd = c->slot_fd = c->file_fd = -1;
}

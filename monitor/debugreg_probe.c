/*
 * Does this host's KVM honour the debug registers it is given through
 * KVM_SET_GUEST_DEBUG?  Hardware does; KVM nested inside QEMU's software
 * emulator (tender's test host) accepts them and never fires.  The gdb
 * stub asks once, so that where they are dead it offers what it can do
 * without them instead of watchpoints that silently never trigger.
 *
 * The question is put to a throw-away VM of one page: in real mode, one
 * byte store to a watched address, then HLT.  A debug exit answers yes;
 * reaching the HLT answers no.
 */
#include <linux/kvm.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "debugreg_probe.h"

#define PROBE_MEM 4096
#define WATCHED 0x100
#define DR7_L0 1ULL
#define DR7_RW0_WRITE (1ULL << 16)

/* mov byte [WATCHED], 1; hlt (16-bit code) */
static const uint8_t probe_code[] = {0xc6,         0x06, WATCHED & 0xff,
                                     WATCHED >> 8, 0x01, 0xf4};

static int start_at_zero(int vcpu_fd)
{
    struct kvm_sregs s;
    struct kvm_regs r;

    if (ioctl(vcpu_fd, KVM_GET_SREGS, &s) < 0)
        return -1;
    s.cs.base = 0;
    s.cs.selector = 0;
    s.ds.base = 0;
    s.ds.selector = 0;
    if (ioctl(vcpu_fd, KVM_SET_SREGS, &s) < 0)
        return -1;
    memset(&r, 0, sizeof(r));
    r.rflags = 2;
    return ioctl(vcpu_fd, KVM_SET_REGS, &r);
}

static int watch_probe_byte(int vcpu_fd)
{
    struct kvm_guest_debug dbg;

    memset(&dbg, 0, sizeof(dbg));
    dbg.control = KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_HW_BP;
    dbg.arch.debugreg[0] = WATCHED;
    dbg.arch.debugreg[7] = DR7_L0 | DR7_RW0_WRITE; /* LEN0 0: one byte */
    return ioctl(vcpu_fd, KVM_SET_GUEST_DEBUG, &dbg);
}

/* Run the probe on vcpu_fd: 1, 0 or -1 as debugregs_honoured(). */
static int run_probe(int kvm_fd, int vcpu_fd)
{
    int size = ioctl(kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
    struct kvm_run *run;
    int answer = -1;

    if (size <= 0)
        return -1;
    run = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu_fd,
               0);
    if (run == MAP_FAILED)
        return -1;
    if (start_at_zero(vcpu_fd) == 0 && watch_probe_byte(vcpu_fd) == 0 &&
        ioctl(vcpu_fd, KVM_RUN, 0) == 0) {
        if (run->exit_reason == KVM_EXIT_DEBUG)
            answer = (run->debug.arch.dr6 & 1) != 0;
        else if (run->exit_reason == KVM_EXIT_HLT)
            answer = 0;
    }
    munmap(run, (size_t)size);
    return answer;
}

int debugregs_honoured(int kvm_fd)
{
    struct kvm_userspace_memory_region region;
    int vm_fd, vcpu_fd = -1, answer = -1;
    uint8_t *mem;

    vm_fd = ioctl(kvm_fd, KVM_CREATE_VM, 0);
    if (vm_fd < 0)
        return -1;
    mem = mmap(NULL, PROBE_MEM, PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED)
        goto out_vm;
    memcpy(mem, probe_code, sizeof(probe_code));
    memset(&region, 0, sizeof(region));
    region.memory_size = PROBE_MEM;
    region.userspace_addr = (uint64_t)(uintptr_t)mem;
    if (ioctl(vm_fd, KVM_SET_USER_MEMORY_REGION, &region) == 0)
        vcpu_fd = ioctl(vm_fd, KVM_CREATE_VCPU, 0);
    if (vcpu_fd >= 0) {
        answer = run_probe(kvm_fd, vcpu_fd);
        close(vcpu_fd);
    }
    munmap(mem, PROBE_MEM);
out_vm:
    close(vm_fd);
    return answer;
}

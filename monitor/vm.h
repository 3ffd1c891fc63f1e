/*
 * The VM object and the narrow interface that device modules use: they
 * register hypercalls and poll descriptors on the VM they are attached to.
 */
#ifndef TENDER_VM_H
#define TENDER_VM_H

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>

#include "elf_load.h"
#include "guest_mem.h"
#include "hvt_abi.h"
#include "tender.h"

#define VM_MAX_POLL_FDS 64
#define VM_MAX_SANDBOX_FDS 130
#define VM_MAX_MODULES 8

/* What a hypercall handler tells the vCPU loop. */
enum hc_result {
    HC_CONTINUE, /* resume the guest */
    HC_HALT,     /* the guest asked to stop; vm->exit is filled */
    HC_BAD_ARG   /* a malformed request that has no ret field to carry it */
};

/*
 * A handler gets the host address of the argument struct, already checked
 * to lie wholly in guest memory.  It must treat every field as hostile.
 */
typedef enum hc_result (*hc_handler)(struct tender_vm *vm, void *arg,
                                     void *ctx);

#define HC_MAX_ARG_SIZE 64

struct hc_entry {
    hc_handler fn;
    uint64_t arg_size;
    void *ctx;
};

/* What a device's descriptor may be used for once the guest runs. */
enum sandbox_op {
    SANDBOX_READ = 1 << 0,
    SANDBOX_WRITE = 1 << 1,
    SANDBOX_PREAD = 1 << 2,
    SANDBOX_PWRITE = 1 << 3,
    SANDBOX_FDATASYNC = 1 << 4,
    SANDBOX_SEND = 1 << 5, /* the debugger's socket */
    SANDBOX_CLOSE = 1 << 6 /* the debugger's socket, when gdb leaves */
};

/* Which of a VM's threads may use a descriptor. */
enum sandbox_fd_owner {
    SANDBOX_FD_VCPU = 1 << 0,      /* the thread that runs the guest */
    SANDBOX_FD_RING = 1 << 1,      /* the network ring's I/O thread */
    SANDBOX_FD_BLOCK_RING = 1 << 2 /* the block ring's I/O thread */
};

struct sandbox_fd {
    int fd;
    unsigned ops;    /* enum sandbox_op bits */
    unsigned owners; /* enum sandbox_fd_owner bits */
};

/* A range of guest-physical addresses, [start, end). */
struct gpa_range {
    uint64_t start;
    uint64_t end;
};

#define VM_MAX_RO_RANGES 64

enum vm_run_state { RUN_IDLE, RUN_STARTING, RUN_ACTIVE, RUN_KICKING };

/* Core dumps (dumpcore.c); dir_fd is -1 when they are off. */
struct vm_core {
    int dir_fd;  /* the directory, opened at set-up */
    int slot_fd; /* a number reserved at set-up for the core file */
    int file_fd; /* what openat() returned, dup3()'d onto slot_fd */
    char dir[TENDER_CORE_PATH_MAX];
    char guest_name[64];
    char file_name[128];
    int have_frame; /* frame came with an abort's halt cookie */
    struct tender_trap_frame frame;
};

struct tender_vm {
    int kvm_fd;
    int vm_fd;
    int vcpu_fd;
    struct kvm_run *run;
    size_t run_size;
    struct guest_mem mem;
    uint64_t tsc_hz;
    uint64_t entry;
    int loaded;

    tender_console_fn console;
    void *console_opaque;
    tender_log_fn log;
    void *log_opaque;
    const struct tender_dev_arg *dev_args;
    size_t n_dev_args;
    char cmdline[HVT_CMDLINE_MAX];

    /* Pages the host maps read-only (the guest's text and rodata). */
    struct gpa_range ro_range[VM_MAX_RO_RANGES];
    int n_ro_ranges;

    /*
     * The manifest, the monitor's own copy: checked once, filled in by the
     * modules, then copied to the guest, whose copy is never read back.
     */
    _Alignas(8) uint8_t mft_store[ELF_MFT_MAX_SIZE];
    struct hvt_mft *mft; /* mft_store */
    size_t mft_size;
    uint32_t host_features;

    struct hc_entry hc[HVT_HYPERCALL_MAX];
    int poll_fd[VM_MAX_POLL_FDS];
    uint64_t poll_handle[VM_MAX_POLL_FDS];
    int n_poll_fds;
    void *module_state[VM_MAX_MODULES];
    struct sandbox_fd sandbox_fd[VM_MAX_SANDBOX_FDS];
    int n_sandbox_fds;

    int sandbox;
    int kick_signal;
    int test_forbidden_syscall; /* test builds: make one after sandboxing */
    volatile sig_atomic_t stop_requested;
    /* The debugger wants the vCPU thread back: a POLL returns early. */
    atomic_int vcpu_wanted;
    /*
     * RUN_IDLE; RUN_STARTING while tender_vm_run prepares; RUN_ACTIVE while
     * vcpu_thread runs the guest; RUN_KICKING while a stop request signals
     * that thread, which does not return from tender_vm_run (and so cannot
     * exit) meanwhile.  leaving: the thread is on its way out, so stop
     * requests no longer signal it.  Atomic, so a signal handler may
     * request a stop.
     */
    atomic_int run_state;
    atomic_int leaving;
    atomic_ullong last_kick_ns; /* CLOCK_MONOTONIC of the last signal sent */
    int finished;
    pthread_t vcpu_thread;
    struct tender_exit exit;
    struct vm_core core;
    struct gdb_stub *gdb; /* NULL unless a debugger is wanted */

    /*
     * The rings' region, when a ring may be offered (a network or block
     * device): its 2 MiB sit at ring_gpa, between mem.size (what the
     * guest is told it may use) and backed_size (what KVM and the page
     * tables map).  The network ring (net_ring.c) is at its start, the
     * block ring (block_ring.c) TENDER_BLOCK_RING_OFFSET above.
     */
    uint64_t backed_size;
    uint64_t map_size; /* the host mapping at mem.base */
    uint64_t ring_gpa; /* 0: no ring region */
    int no_net_ring;   /* tender_config.no_net_ring */
    int no_block_ring; /* tender_config.no_block_ring */
    /* Set by a ring's I/O thread before it asks the guest to stop. */
    atomic_int ring_fault;
    /* The first fault's detail (never 0), kept when both rings fault. */
    atomic_ullong ring_fault_detail;
    /* The running vCPU thread, for the I/O thread's stop signal (a raw
     * tgkill: pthread_kill makes calls its sandbox does not allow). */
    int vcpu_pid;
    int vcpu_tid;
};

int vm_register_hypercall(struct tender_vm *vm, unsigned nr, uint64_t arg_size,
                          hc_handler fn, void *ctx);
int vm_register_poll_fd(struct tender_vm *vm, int fd, uint64_t handle);

/*
 * The host address of [gpa, gpa + len) for the monitor to write into on
 * the guest's behalf, or NULL if any of it lies outside guest memory or in
 * a page tender maps read-only: writing there would fault the monitor.
 */
void *vm_guest_ptr_writable(const struct tender_vm *vm, uint64_t gpa,
                            uint64_t len);

/*
 * Declare the system calls a device module makes on fd while the guest
 * runs; the sandbox allows those and nothing else on it.
 */
int vm_sandbox_allow(struct tender_vm *vm, int fd, unsigned ops);
/* The same for a ring's I/O thread (owner: enum sandbox_fd_owner). */
int vm_sandbox_allow_io(struct tender_vm *vm, int fd, unsigned ops,
                        unsigned owner);

/*
 * Hand one line, formatted as printf() does, to the host's log callback
 * (if any).  No allocation and no system call of its own: callable from
 * hypercall handlers inside the sandbox.
 */
void vm_log(const struct tender_vm *vm, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Arguments of the guest's manifest entry key/name, in order of use. */
const struct tender_dev_arg *vm_dev_arg(const struct tender_vm *vm,
                                        const char *key, const char *name);

/* x86 set-up (x86_setup.c). */
int x86_setup_cpuid(struct tender_vm *vm, struct tender_error *err);
void x86_write_page_tables(struct tender_vm *vm);
int x86_setup_vcpu(struct tender_vm *vm, struct tender_error *err);

/* The vCPU loop (vcpu_loop.c). */
int vcpu_loop(struct tender_vm *vm, struct tender_error *err);

/*
 * Act on the exit that vm->run describes: serve a hypercall, or fill
 * vm->exit and return 1 when the guest must stop.  The loop's one step
 * after KVM_RUN; separate so the hypercall fuzzer (tests/fuzz) can drive
 * it with a fake kvm_run and no KVM.
 */
int vcpu_handle_exit(struct tender_vm *vm);

#endif

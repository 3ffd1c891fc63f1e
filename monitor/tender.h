/*
 * libtender: a minimal KVM monitor for hvt (v2) unikernels, as a library.
 *
 * One struct tender_vm holds everything about one guest: there is no
 * global state, so a process may run many VMs.  The library never prints
 * and never exits; each call that can fail returns 0 or -1 and fills a
 * struct tender_error that the caller reports.
 *
 * Life of a VM:
 *   tender_vm_create()  opens /dev/kvm, creates the VM, its memory, a vCPU
 *   tender_vm_load_*()  checks and loads the guest ELF, attaches devices
 *   tender_vm_run()     runs the guest until it halts or is stopped
 *   tender_vm_destroy() releases it all
 */
#ifndef TENDER_H
#define TENDER_H

#include <stddef.h>
#include <stdint.h>

#define TENDER_VERSION "0.1.0"

/* The shared library exports these functions and nothing else. */
#define TENDER_API __attribute__((visibility("default")))

enum tender_errcode {
    TENDER_OK = 0,
    TENDER_E_CONFIG, /* a bad configuration value or option */
    TENDER_E_KVM,    /* /dev/kvm missing, refused or lacking a feature */
    TENDER_E_ELF,    /* the guest image is not a loadable hvt v2 ELF */
    TENDER_E_DEVICE, /* a device could not be attached */
    TENDER_E_SYSTEM, /* the host refused something (memory, files) */
    TENDER_E_STATE   /* a call made at the wrong point in the VM's life */
};

struct tender_error {
    enum tender_errcode code;
    char msg[256];
};

/* Why tender_vm_run() returned. */
enum tender_stop {
    TENDER_STOP_HALT,          /* the guest called HALT: status is its own */
    TENDER_STOP_BAD_IO,        /* an I/O exit that is not a valid hypercall */
    TENDER_STOP_BAD_HYPERCALL, /* a hypercall with an unusable argument */
    TENDER_STOP_BAD_MMIO,      /* an access to unbacked guest-physical memory */
    TENDER_STOP_TRIPLE_FAULT,  /* the vCPU shut down */
    TENDER_STOP_MEM_FAULT,     /* a write to memory the host maps read-only */
    TENDER_STOP_KVM_ERROR, /* internal error, failed entry or unknown exit */
    TENDER_STOP_REQUESTED, /* tender_vm_request_stop() was called */
    TENDER_STOP_DEBUGGER,  /* the debugger (gdb's kill) ended the guest */
    TENDER_STOP_BAD_RING   /* the guest broke an I/O ring's protocol */
};

#define TENDER_CORE_PATH_MAX 512

/* What tender_vm_run() reports; status is valid for TENDER_STOP_HALT. */
struct tender_exit {
    enum tender_stop reason;
    int status;      /* the guest's exit status, 0-255 */
    uint64_t rip;    /* where the vCPU was when it stopped */
    uint64_t detail; /* reason-specific: port, address or KVM exit code */
    uint64_t exits;  /* VM exits while it ran (each hypercall is one) */
    /*
     * With tender_config.core_dir: the core file written for this stop
     * ("" if none was due), or why none could be (one line, "" if none
     * failed).  The stop itself is reported as ever either way.
     */
    char core_path[TENDER_CORE_PATH_MAX];
    char core_error[256];
};

/* Receives the guest's console output; must not call back into the VM. */
typedef void (*tender_console_fn)(void *opaque, const char *data, size_t len);

/*
 * Receives one line (no newline) about something the guest cannot be
 * told in full, such as the host error behind an EUNSPEC.  Runs on the
 * vCPU thread or the network ring's I/O thread, inside the sandbox when it
 * is on: it may only use memory and write() to standard error (the vCPU
 * thread: also standard output).  Must not call back into the VM.
 */
typedef void (*tender_log_fn)(void *opaque, const char *line);

/*
 * A device argument: attaches a host resource to a device that the
 * guest's manifest declares.  key names the option ("net", "block",
 * "net-mac", "block-sector-size", ...); name is the manifest entry, or
 * NULL to mean "the one device of this kind"; value is the option's text.
 */
struct tender_dev_arg {
    const char *key;
    const char *name;
    const char *value;
};

#define TENDER_MAX_DEV_ARGS 256

struct tender_config {
    uint64_t mem_size; /* bytes; 0 means the default, 512 MiB */
    int guest_argc;    /* arguments handed to the guest */
    char *const *guest_argv;
    const struct tender_dev_arg *dev_args;
    size_t n_dev_args;
    tender_console_fn console; /* NULL: write to standard output */
    void *console_opaque;
    /*
     * Non-zero: tender_vm_run() confines its calling thread with a seccomp
     * filter before the guest's first instruction (docs/security.md).  The
     * thread stays confined: it may return, but another thread must destroy
     * the VM.
     */
    int sandbox;
    /*
     * The signal that tender_vm_request_stop() sends to interrupt the
     * vCPU thread; 0 means SIGRTMIN + 2.  If it has no handler when the
     * guest starts, libtender installs one that does nothing.
     */
    int kick_signal;
    /*
     * Non-zero: back guest memory with transparent huge pages where the
     * host allows them.  0 (the default) asks the kernel not to
     * (MADV_NOHUGEPAGE): a small guest then costs the 4 KiB pages it
     * touches, not 2 MiB for each region it touches.
     */
    int hugepages;
    tender_log_fn log; /* NULL: such lines are dropped */
    void *log_opaque;
    /*
     * Non-NULL: when the guest stops abnormally (any stop but a HALT with
     * a status other than 255), write an ELF core file of it into this
     * directory, named core.NAME.PID (docs/debugging.md).  The directory
     * is opened by tender_vm_create(); the file is created only then.
     */
    const char *core_dir;
    /* NAME in the core's file name; NULL: the ELF file's name without
     * ".elf", or "guest" for an image loaded from a buffer. */
    const char *guest_name;
    /*
     * Non-zero: debug the guest with gdb (docs/debugging.md) over gdb_fd,
     * a listening stream socket (tender_vm_run accepts one connection) or
     * one already connected to gdb.  tender_vm_run then waits for gdb and
     * holds the guest before its first instruction.  The caller keeps
     * gdb_fd and closes it; the library closes the connection it accepted.
     * With sandbox non-zero too, the connection is accepted before the
     * filter, which is a wider one, and the stub's watcher thread has a
     * filter of its own (docs/security.md).
     */
    int gdb;
    int gdb_fd;
    /*
     * Non-zero: do not offer hvt's network ring (RING_IO, docs/abi.md
     * "The network ring") to a guest with a network device: it then moves
     * every frame with a hypercall (and gets all of its memory, unless the
     * block ring takes the same 2 MiB).  For comparing the two paths; 0
     * (the default) offers the ring.
     */
    int no_net_ring;
    /*
     * The same for tender's block ring (TENDER_FEATURE_BLOCK_RING,
     * docs/abi.md "The block ring"), offered to a guest with a block
     * device unless this is non-zero.
     */
    int no_block_ring;
};

struct tender_vm;

/*
 * Check a guest image without KVM: what tender_vm_load_*() would refuse,
 * for a VM of mem_size bytes (0: the default).
 */
TENDER_API int tender_guest_check_buffer(const void *elf, size_t len,
                                         uint64_t mem_size,
                                         struct tender_error *err);
TENDER_API int tender_guest_check_file(const char *path, uint64_t mem_size,
                                       struct tender_error *err);

TENDER_API int tender_vm_create(const struct tender_config *cfg,
                                struct tender_vm **vmp,
                                struct tender_error *err);
TENDER_API int tender_vm_load_file(struct tender_vm *vm, const char *path,
                                   struct tender_error *err);
TENDER_API int tender_vm_load_buffer(struct tender_vm *vm, const void *elf,
                                     size_t len, struct tender_error *err);
TENDER_API int tender_vm_run(struct tender_vm *vm, struct tender_exit *exit,
                             struct tender_error *err);
/*
 * Ask a VM to stop: tender_vm_run() returns TENDER_STOP_REQUESTED soon
 * after, or the VM does not start.  Async-signal-safe, callable from any
 * thread or signal handler, while the VM exists, except from a thread
 * another VM's sandbox confines (docs/embedding.md).
 */
TENDER_API void tender_vm_request_stop(struct tender_vm *vm);
TENDER_API void tender_vm_destroy(struct tender_vm *vm);

/* Describe an exit in one line for a user, e.g. "guest halted (status 0)". */
TENDER_API void tender_exit_describe(const struct tender_exit *exit, char *buf,
                                     size_t len);

/*
 * The process exit status the tender command gives this exit
 * (docs/exit-status.md): the guest's own for a halt, 241 to 245 for the
 * stops the monitor imposes, and stopped_status for a stop that was asked
 * for (a request or the debugger), which each host chooses.
 */
TENDER_API int tender_exit_status(const struct tender_exit *exit,
                                  int stopped_status);

/* Does some device module accept option key? */
TENDER_API int tender_dev_key_known(const char *key);

#endif

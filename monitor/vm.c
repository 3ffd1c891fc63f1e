/*
 * The VM object: KVM descriptors, guest memory and the vCPU, and the steps
 * of a guest's life (create, load, run, destroy).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <linux/kvm.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "cmdline.h"
#include "dumpcore.h"
#include "elf_load.h"
#include "error.h"
#include "gdb_stub.h"
#include "guest_file.h"
#include "manifest.h"
#include "module.h"
#include "sandbox.h"
#include "vm.h"

#define DEFAULT_MEM_SIZE (512ULL << 20)

/* Capabilities the monitor relies on, each checked before use. */
static const struct {
    int cap;
    const char *name;
} required_caps[] = {
    {KVM_CAP_USER_MEMORY, "KVM_CAP_USER_MEMORY"},
    {KVM_CAP_EXT_CPUID, "KVM_CAP_EXT_CPUID"},
    {KVM_CAP_GET_TSC_KHZ, "KVM_CAP_GET_TSC_KHZ"},
    {KVM_CAP_IMMEDIATE_EXIT, "KVM_CAP_IMMEDIATE_EXIT"},
    {KVM_CAP_SYNC_REGS, "KVM_CAP_SYNC_REGS"},
};

static int open_kvm(struct tender_vm *vm, struct tender_error *err)
{
    int version;

    vm->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (vm->kvm_fd < 0) {
        if (errno == ENOENT)
            return tnd_fail(err, TENDER_E_KVM,
                            "/dev/kvm does not exist: KVM is not available "
                            "on this host");
        if (errno == EACCES || errno == EPERM)
            return tnd_fail(err, TENDER_E_KVM,
                            "no permission to open /dev/kvm (join the kvm "
                            "group or ask an administrator)");
        return tnd_fail_errno(err, TENDER_E_KVM, errno, "cannot open /dev/kvm");
    }
    version = ioctl(vm->kvm_fd, KVM_GET_API_VERSION, 0);
    if (version != KVM_API_VERSION)
        return tnd_fail(err, TENDER_E_KVM, "KVM API version %d, expected %d",
                        version, KVM_API_VERSION);
    for (size_t i = 0; i < sizeof(required_caps) / sizeof(required_caps[0]);
         i++)
        if (ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, required_caps[i].cap) <= 0)
            return tnd_fail(err, TENDER_E_KVM,
                            "KVM lacks a required capability: %s",
                            required_caps[i].name);
    return 0;
}

static int check_mem_size(uint64_t size, struct tender_error *err)
{
    if (size < HVT_GUEST_MIN_MEM || size > HVT_GUEST_MAX_MEM ||
        size % HVT_GUEST_MEM_ALIGN != 0)
        return tnd_fail(err, TENDER_E_CONFIG,
                        "guest memory must be a multiple of 2 MiB from "
                        "2 MiB to 4096 MiB, not %llu bytes",
                        (unsigned long long)size);
    return 0;
}

static int add_memory_slot(struct tender_vm *vm, uint32_t slot, uint64_t gpa,
                           uint64_t size, struct tender_error *err)
{
    struct kvm_userspace_memory_region region;

    memset(&region, 0, sizeof(region));
    region.slot = slot;
    region.guest_phys_addr = gpa;
    region.memory_size = size;
    region.userspace_addr = (uint64_t)(uintptr_t)(vm->mem.base + gpa);
    if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &region) < 0)
        return tnd_fail_errno(err, TENDER_E_KVM, errno,
                              "KVM_SET_USER_MEMORY_REGION");
    return 0;
}

/*
 * Guest memory is reserved, not committed: MAP_NORESERVE and no touching,
 * so a 4 GiB guest costs what it uses and nothing more.
 */
static int create_memory(struct tender_vm *vm, uint64_t size, int hugepages,
                         struct tender_error *err)
{
    /* Room for the network ring above the guest's memory too, in case
     * the image turns out to have a network device (reserve_ring). */
    uint64_t map_size = size + HVT_RING_REGION_SIZE > HVT_GUEST_MAX_MEM
                            ? HVT_GUEST_MAX_MEM
                            : size + HVT_RING_REGION_SIZE;
    void *p;

    p = mmap(NULL, map_size, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        return tnd_fail_errno(err, TENDER_E_SYSTEM, errno,
                              "cannot reserve %llu MiB of guest memory",
                              (unsigned long long)(size >> 20));
    vm->mem.base = p;
    vm->mem.size = size;
    vm->map_size = map_size;
    vm->backed_size = size;
    /* Without huge pages a guest's touch costs 4 KiB, not 2 MiB.  Only
     * advice: a host without THP has nothing to turn off. */
    if (!hugepages)
        madvise(p, map_size, MADV_NOHUGEPAGE);
    return add_memory_slot(vm, 0, 0, size, err);
}

/*
 * With a network device, the top 2 MiB hold the network ring, as in
 * Solo5's tender: guest memory grows by 2 MiB (4 GiB at most) and the
 * guest is told the old size (less 2 MiB at 4 GiB).  A block device
 * reserves the same 2 MiB for the block ring.  The rings lie outside what
 * guest_mem_ptr() accepts, so no hypercall or ring entry can point into
 * them; the page tables map them (x86_write_page_tables).
 */
static int reserve_ring(struct tender_vm *vm, uint64_t kernel_end,
                        struct tender_error *err)
{
    uint64_t total = vm->mem.size + HVT_RING_REGION_SIZE > HVT_GUEST_MAX_MEM
                         ? HVT_GUEST_MAX_MEM
                         : vm->mem.size + HVT_RING_REGION_SIZE;

    int net =
        !vm->no_net_ring && manifest_has_type(vm->mft, HVT_MFT_DEV_NET_BASIC);
    int block = !vm->no_block_ring &&
                manifest_has_type(vm->mft, HVT_MFT_DEV_BLOCK_BASIC);

    if (!net && !block)
        return 0;
    if (total > vm->map_size)
        return tnd_fail(err, TENDER_E_STATE, "no room for the I/O rings");
    if (total > vm->backed_size &&
        add_memory_slot(vm, 1, vm->backed_size, total - vm->backed_size, err) <
            0)
        return -1;
    vm->backed_size = total;
    vm->ring_gpa = total - HVT_RING_REGION_SIZE;
    vm->mem.size = vm->ring_gpa;
    if (kernel_end > vm->mem.size)
        return tnd_fail(err, TENDER_E_ELF,
                        "the image reaches into the top 2 MiB of guest "
                        "memory, which hold the I/O rings");
    memset(vm->mem.base + vm->ring_gpa, 0, HVT_RING_REGION_SIZE);
    return 0;
}

static int create_vcpu(struct tender_vm *vm, struct tender_error *err)
{
    int size;
    void *run;
    int khz;

    vm->vcpu_fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, 0);
    if (vm->vcpu_fd < 0)
        return tnd_fail_errno(err, TENDER_E_KVM, errno, "KVM_CREATE_VCPU");
    size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
    if (size < (int)sizeof(struct kvm_run))
        return tnd_fail(err, TENDER_E_KVM, "bad KVM_GET_VCPU_MMAP_SIZE");
    run = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED,
               vm->vcpu_fd, 0);
    if (run == MAP_FAILED)
        return tnd_fail_errno(err, TENDER_E_KVM, errno,
                              "cannot map the vCPU's run area");
    vm->run = run;
    vm->run_size = (size_t)size;
    /* Synced on every exit, so the sandboxed thread needs no ioctl to
     * read them; a core dump needs the segments (FS base) too. */
    vm->run->kvm_valid_regs = KVM_SYNC_X86_REGS;
    if (vm->core.dir_fd >= 0)
        vm->run->kvm_valid_regs |= KVM_SYNC_X86_SREGS;
    khz = ioctl(vm->vcpu_fd, KVM_GET_TSC_KHZ, 0);
    if (khz <= 0)
        return tnd_fail_errno(err, TENDER_E_KVM, errno, "KVM_GET_TSC_KHZ");
    vm->tsc_hz = (uint64_t)khz * 1000;
    return 0;
}

static struct tender_vm *vm_alloc(void)
{
    struct tender_vm *vm = calloc(1, sizeof(*vm));

    if (vm == NULL)
        return NULL;
    vm->kvm_fd = vm->vm_fd = vm->vcpu_fd = -1;
    vm->core.dir_fd = vm->core.slot_fd = vm->core.file_fd = -1;
    return vm;
}

int tender_vm_create(const struct tender_config *cfg, struct tender_vm **vmp,
                     struct tender_error *err)
{
    struct tender_vm *vm;
    uint64_t mem_size = cfg->mem_size ? cfg->mem_size : DEFAULT_MEM_SIZE;

    *vmp = NULL;
    if (check_mem_size(mem_size, err) < 0)
        return -1;
    if (cfg->n_dev_args > TENDER_MAX_DEV_ARGS)
        return tnd_fail(err, TENDER_E_CONFIG,
                        "%zu device arguments, more than %d", cfg->n_dev_args,
                        TENDER_MAX_DEV_ARGS);
    vm = vm_alloc();
    if (vm == NULL)
        return tnd_fail(err, TENDER_E_SYSTEM, "out of memory");
    vm->console = cfg->console;
    vm->console_opaque = cfg->console_opaque;
    vm->log = cfg->log;
    vm->log_opaque = cfg->log_opaque;
    vm->dev_args = cfg->dev_args;
    vm->n_dev_args = cfg->n_dev_args;
    vm->sandbox = cfg->sandbox;
    vm->no_net_ring = cfg->no_net_ring;
    vm->no_block_ring = cfg->no_block_ring;
    vm->kick_signal = cfg->kick_signal ? cfg->kick_signal : SIGRTMIN + 2;
#ifdef TENDER_TEST_HOOKS
    vm->test_forbidden_syscall = getenv("TENDER_TEST_FORBIDDEN_SYSCALL") != 0;
#endif
    if (cfg->gdb && gdb_stub_create(vm, cfg->gdb_fd, err) < 0)
        goto fail;
    if (cmdline_build(vm->cmdline, sizeof(vm->cmdline), cfg->guest_argc,
                      cfg->guest_argv, err) < 0 ||
        dumpcore_init(vm, cfg->core_dir, cfg->guest_name, err) < 0 ||
        open_kvm(vm, err) < 0)
        goto fail;
    vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
    if (vm->vm_fd < 0) {
        tnd_fail_errno(err, TENDER_E_KVM, errno, "KVM_CREATE_VM");
        goto fail;
    }
    if (create_memory(vm, mem_size, cfg->hugepages, err) < 0 ||
        create_vcpu(vm, err) < 0 || x86_setup_cpuid(vm, err) < 0)
        goto fail;
    *vmp = vm;
    return 0;
fail:
    tender_vm_destroy(vm);
    return -1;
}

/* Does any writable segment touch the page at addr? */
static int page_has_writable(const struct elf_image *img, uint64_t addr)
{
    for (size_t i = 0; i < img->n_seg; i++) {
        const struct elf_segment *seg = &img->seg[i];

        if (seg->writable && seg->gpa < addr + 4096 &&
            addr < seg->gpa + seg->memsz)
            return 1;
    }
    return 0;
}

/*
 * Map loaded text and read-only data read-only on the host side too, so
 * that a guest write to them faults out of KVM_RUN instead of landing.
 * A page shared with a writable segment stays writable.
 */
static int protect_segments(struct tender_vm *vm, const struct elf_image *img,
                            struct tender_error *err)
{
    const uint64_t page = 4096;

    for (size_t i = 0; i < img->n_seg; i++) {
        const struct elf_segment *seg = &img->seg[i];
        uint64_t start = seg->gpa & ~(page - 1);
        uint64_t end = (seg->gpa + seg->memsz + page - 1) & ~(page - 1);

        if (seg->writable)
            continue;
        if (page_has_writable(img, start))
            start += page;
        if (end > start && page_has_writable(img, end - page))
            end -= page;
        if (end <= start)
            continue;
        if (mprotect(vm->mem.base + start, end - start, PROT_READ) < 0)
            return tnd_fail_errno(err, TENDER_E_SYSTEM, errno,
                                  "cannot protect the guest's text");
        /* n_seg is at most ELF_MAX_PHDRS, the size of ro_range. */
        vm->ro_range[vm->n_ro_ranges].start = start;
        vm->ro_range[vm->n_ro_ranges].end = end;
        vm->n_ro_ranges++;
    }
    return 0;
}

/*
 * Boot info, then the manifest as the modules filled it in, then the
 * command line, in the low area.  The guest owns that copy; the monitor
 * keeps using its own (vm->mft).
 */
static int place_boot_info(struct tender_vm *vm, const struct elf_image *img,
                           struct tender_error *err)
{
    uint64_t mft_gpa = HVT_BOOT_INFO_GPA + sizeof(struct hvt_boot_info);
    uint64_t cmdline_gpa = (mft_gpa + vm->mft_size + 7) & ~7ULL;
    size_t cmdline_len = strlen(vm->cmdline) + 1;
    struct hvt_boot_info *bi;

    if (cmdline_gpa + cmdline_len > HVT_LOW_RO_END)
        return tnd_fail(err, TENDER_E_ELF, "boot data overflows low memory");
    bi = (struct hvt_boot_info *)(vm->mem.base + HVT_BOOT_INFO_GPA);
    memcpy(vm->mem.base + mft_gpa, vm->mft, vm->mft_size);
    memcpy(vm->mem.base + cmdline_gpa, vm->cmdline, cmdline_len);
    memset(bi, 0, sizeof(*bi));
    bi->mem_size = vm->mem.size;
    bi->kernel_end = img->kernel_end;
    bi->cpu_cycle_freq = vm->tsc_hz;
    bi->cmdline_gpa = cmdline_gpa;
    bi->mft_gpa = mft_gpa;
    bi->host_features = vm->host_features;
    if (vm->host_features & HVT_FEATURE_RING_IO)
        bi->net_ring_gpa = vm->ring_gpa;
    return 0;
}

static int attach_modules(struct tender_vm *vm, struct tender_error *err)
{
    for (size_t i = 0; tender_modules[i] != NULL; i++) {
        if (i >= VM_MAX_MODULES)
            return tnd_fail(err, TENDER_E_STATE, "too many modules");
        if (tender_modules[i]->attach(vm, &vm->module_state[i], err) < 0)
            return -1;
    }
    for (uint32_t i = 1; i < vm->mft->entries; i++) {
        const struct hvt_mft_entry *e = &vm->mft->e[i];

        if (!e->attached)
            return tnd_fail(err, TENDER_E_DEVICE,
                            "the guest declares %s device '%s' but nothing "
                            "is attached to it (use --%s:%s=...)",
                            manifest_type_name(e->type), e->name,
                            e->type == HVT_MFT_DEV_NET_BASIC ? "net" : "block",
                            e->name);
    }
    return 0;
}

int tender_vm_load_buffer(struct tender_vm *vm, const void *elf, size_t len,
                          struct tender_error *err)
{
    struct elf_image img;

    if (vm->loaded)
        return tnd_fail(err, TENDER_E_STATE, "a guest is already loaded");
    if (elf_check(elf, len, vm->mem.size, &img, err) < 0)
        return -1;
    /* From here on the VM holds a guest: it can only be destroyed. */
    vm->loaded = 1;
    memcpy(vm->mft_store, img.mft, img.mft_size);
    vm->mft = (struct hvt_mft *)vm->mft_store;
    vm->mft_size = img.mft_size;
    if (reserve_ring(vm, img.kernel_end, err) < 0)
        return -1;
    elf_copy_segments(elf, &img, &vm->mem);
    vm->entry = img.entry;
    x86_write_page_tables(vm);
    if (attach_modules(vm, err) < 0 || place_boot_info(vm, &img, err) < 0 ||
        protect_segments(vm, &img, err) < 0 || x86_setup_vcpu(vm, err) < 0)
        return -1;
    return 0;
}

/* Prefix an ELF error with the file's name. */
static void name_file(const char *path, struct tender_error *err)
{
    char msg[2 * sizeof(err->msg)];

    if (err == NULL || err->code != TENDER_E_ELF ||
        strncmp(err->msg, path, strlen(path)) == 0)
        return;
    snprintf(msg, sizeof(msg), "%s: %s", path, err->msg);
    msg[sizeof(err->msg) - 1] = '\0';
    memcpy(err->msg, msg, sizeof(err->msg));
}

/* Read path, then load it into vm or, with vm NULL, only check it. */
static int use_file(struct tender_vm *vm, const char *path, uint64_t mem_size,
                    struct tender_error *err)
{
    size_t len;
    void *file = guest_file_read(path, &len, err);
    int rc;

    if (file == NULL)
        return -1;
    if (vm != NULL) {
        dumpcore_name_from_path(vm, path);
        rc = tender_vm_load_buffer(vm, file, len, err);
    } else
        rc = tender_guest_check_buffer(file, len, mem_size, err);
    free(file);
    if (rc < 0)
        name_file(path, err);
    return rc;
}

int tender_vm_load_file(struct tender_vm *vm, const char *path,
                        struct tender_error *err)
{
    return use_file(vm, path, 0, err);
}

int tender_guest_check_buffer(const void *elf, size_t len, uint64_t mem_size,
                              struct tender_error *err)
{
    struct elf_image img;

    if (mem_size == 0)
        mem_size = DEFAULT_MEM_SIZE;
    if (check_mem_size(mem_size, err) < 0)
        return -1;
    return elf_check(elf, len, mem_size, &img, err);
}

int tender_guest_check_file(const char *path, uint64_t mem_size,
                            struct tender_error *err)
{
    return use_file(NULL, path, mem_size, err);
}

/* The modules' work for the run itself (the ring's I/O thread). */
static int modules_run_start(struct tender_vm *vm, struct tender_error *err)
{
    for (size_t i = 0; i < VM_MAX_MODULES && tender_modules[i] != NULL; i++)
        if (vm->module_state[i] != NULL && tender_modules[i]->run_start &&
            tender_modules[i]->run_start(vm, vm->module_state[i], err) < 0)
            return -1;
    return 0;
}

static void modules_run_end(struct tender_vm *vm)
{
    for (size_t i = 0; i < VM_MAX_MODULES && tender_modules[i] != NULL; i++)
        if (vm->module_state[i] != NULL && tender_modules[i]->run_end)
            tender_modules[i]->run_end(vm, vm->module_state[i]);
}

static void kick_handler(int sig)
{
    (void)sig;
}

/*
 * A stop request interrupts KVM_RUN with a signal, which must neither
 * kill the process nor be blocked on this thread.
 */
static void prepare_kick_signal(struct tender_vm *vm)
{
    struct sigaction old, sa;
    sigset_t set;

    if (sigaction(vm->kick_signal, NULL, &old) == 0 &&
        old.sa_handler == SIG_DFL) {
        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = kick_handler;
        sigemptyset(&sa.sa_mask);
        sigaction(vm->kick_signal, &sa, NULL);
    }
    sigemptyset(&set);
    sigaddset(&set, vm->kick_signal);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
}

/* A running guest needs neither /dev/kvm nor the VM descriptor. */
static int confine(struct tender_vm *vm, struct tender_error *err)
{
    if (sandbox_harden_process(err) < 0)
        return -1;
    close(vm->kvm_fd);
    close(vm->vm_fd);
    vm->kvm_fd = vm->vm_fd = -1;
    return sandbox_apply(vm, SANDBOX_VCPU_THREAD, err);
}

/*
 * Back to idle, once no stop request is signalling this thread.  Saying
 * that it is leaving first ends new signals, so a host that keeps asking
 * cannot hold the thread here.
 */
static void leave_run_state(struct tender_vm *vm)
{
    int active = RUN_ACTIVE;

    atomic_store(&vm->leaving, 1);
    while (!atomic_compare_exchange_weak(&vm->run_state, &active, RUN_IDLE))
        active = RUN_ACTIVE;
}

int tender_vm_run(struct tender_vm *vm, struct tender_exit *exit,
                  struct tender_error *err)
{
    int idle = RUN_IDLE, rc;

    if (!vm->loaded)
        return tnd_fail(err, TENDER_E_STATE, "no guest is loaded");
    if (vm->finished)
        return tnd_fail(err, TENDER_E_STATE, "the guest has already stopped");
    if (!atomic_compare_exchange_strong(&vm->run_state, &idle, RUN_STARTING))
        return tnd_fail(err, TENDER_E_STATE, "the VM is already running");
    /* One run per VM, even one whose confinement failed half-way. */
    vm->finished = 1;
    vm->vcpu_thread = pthread_self();
    vm->vcpu_pid = getpid();
    vm->vcpu_tid = (int)syscall(SYS_gettid);
    atomic_store(&vm->leaving, 0);
    prepare_kick_signal(vm);
    if (dumpcore_prepare(vm, err) < 0) {
        atomic_store(&vm->run_state, RUN_IDLE);
        return -1;
    }
    /* Active already: a stop request must reach a wait for gdb. */
    atomic_store(&vm->run_state, RUN_ACTIVE);
    if (gdb_stub_connect(vm, err) < 0 || modules_run_start(vm, err) < 0 ||
        (vm->sandbox && confine(vm, err) < 0)) {
        modules_run_end(vm);
        leave_run_state(vm);
        return -1;
    }
    rc = vcpu_loop(vm, err);
    modules_run_end(vm);
    if (rc == 0)
        gdb_stub_finish(vm);
    leave_run_state(vm);
    if (rc == 0)
        dumpcore_after_stop(vm);
    if (rc == 0 && exit != NULL)
        *exit = vm->exit;
    return rc;
}

#define KICK_INTERVAL_NS 1000000ULL

/* Async-signal-safe (clock_gettime is), for tender_vm_request_stop. */
static unsigned long long monotonic_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (unsigned long long)ts.tv_sec * 1000000000ULL +
           (unsigned long long)ts.tv_nsec;
}

void tender_vm_request_stop(struct tender_vm *vm)
{
    int active = RUN_ACTIVE;

    vm->stop_requested = 1;
    if (vm->run != NULL)
        vm->run->immediate_exit = 1;
    /*
     * Signal the vCPU thread only while it runs the guest, and hold it in
     * tender_vm_run meanwhile: a thread that has returned, and perhaps
     * exited, must never be signalled.  A later request signals again (a
     * signal that lands just before a blocking call begins is lost), but
     * at most once a millisecond: the kick signal is a real-time one, and
     * a host that asks in a loop must not queue thousands of them.  On the
     * vCPU thread itself (a signal handler there), KVM_RUN is already
     * interrupted.
     */
    if (atomic_load(&vm->leaving) ||
        monotonic_ns() - atomic_load(&vm->last_kick_ns) < KICK_INTERVAL_NS ||
        !atomic_compare_exchange_strong(&vm->run_state, &active, RUN_KICKING))
        return;
    atomic_store(&vm->last_kick_ns, monotonic_ns());
    if (!pthread_equal(pthread_self(), vm->vcpu_thread))
        pthread_kill(vm->vcpu_thread, vm->kick_signal);
    atomic_store(&vm->run_state, RUN_ACTIVE);
}

void tender_vm_destroy(struct tender_vm *vm)
{
    if (vm == NULL)
        return;
    for (size_t i = 0; i < VM_MAX_MODULES && tender_modules[i] != NULL; i++)
        if (vm->module_state[i] != NULL && tender_modules[i]->detach)
            tender_modules[i]->detach(vm, vm->module_state[i]);
    gdb_stub_destroy(vm);
    if (vm->run != NULL)
        munmap(vm->run, vm->run_size);
    if (vm->mem.base != NULL)
        munmap(vm->mem.base, vm->map_size ? vm->map_size : vm->mem.size);
    if (vm->vcpu_fd >= 0)
        close(vm->vcpu_fd);
    if (vm->vm_fd >= 0)
        close(vm->vm_fd);
    if (vm->kvm_fd >= 0)
        close(vm->kvm_fd);
    dumpcore_release(vm);
    free(vm);
}

int vm_register_hypercall(struct tender_vm *vm, unsigned nr, uint64_t arg_size,
                          hc_handler fn, void *ctx)
{
    if (nr == 0 || nr >= HVT_HYPERCALL_MAX || vm->hc[nr].fn != NULL ||
        arg_size == 0 || arg_size > HC_MAX_ARG_SIZE || arg_size % 8 != 0)
        return -1;
    vm->hc[nr].fn = fn;
    vm->hc[nr].arg_size = arg_size;
    vm->hc[nr].ctx = ctx;
    return 0;
}

int vm_register_poll_fd(struct tender_vm *vm, int fd, uint64_t handle)
{
    if (vm->n_poll_fds >= VM_MAX_POLL_FDS)
        return -1;
    vm->poll_fd[vm->n_poll_fds] = fd;
    vm->poll_handle[vm->n_poll_fds] = handle;
    vm->n_poll_fds++;
    return 0;
}

void *vm_guest_ptr_writable(const struct tender_vm *vm, uint64_t gpa,
                            uint64_t len)
{
    void *p = guest_mem_ptr(&vm->mem, gpa, len);

    if (p == NULL)
        return NULL;
    for (int i = 0; i < vm->n_ro_ranges; i++)
        if (gpa < vm->ro_range[i].end && vm->ro_range[i].start < gpa + len)
            return NULL;
    return p;
}

void vm_log(const struct tender_vm *vm, const char *fmt, ...)
{
    char line[512];
    va_list ap;

    if (vm->log == NULL)
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    vm->log(vm->log_opaque, line);
}

static int sandbox_allow(struct tender_vm *vm, int fd, unsigned ops,
                         unsigned owners)
{
    /* A tap that both threads use the same way is one entry. */
    for (int i = 0; i < vm->n_sandbox_fds; i++)
        if (vm->sandbox_fd[i].fd == fd && vm->sandbox_fd[i].ops == ops &&
            !(vm->sandbox_fd[i].owners & owners)) {
            vm->sandbox_fd[i].owners |= owners;
            return 0;
        }
    if (vm->n_sandbox_fds >= VM_MAX_SANDBOX_FDS)
        return -1;
    vm->sandbox_fd[vm->n_sandbox_fds].fd = fd;
    vm->sandbox_fd[vm->n_sandbox_fds].ops = ops;
    vm->sandbox_fd[vm->n_sandbox_fds].owners = owners;
    vm->n_sandbox_fds++;
    return 0;
}

int vm_sandbox_allow(struct tender_vm *vm, int fd, unsigned ops)
{
    return sandbox_allow(vm, fd, ops, SANDBOX_FD_VCPU);
}

int vm_sandbox_allow_io(struct tender_vm *vm, int fd, unsigned ops,
                        unsigned owner)
{
    return sandbox_allow(vm, fd, ops, owner);
}

const struct tender_dev_arg *vm_dev_arg(const struct tender_vm *vm,
                                        const char *key, const char *name)
{
    for (size_t i = 0; i < vm->n_dev_args; i++) {
        const struct tender_dev_arg *a = &vm->dev_args[i];

        if (strcmp(a->key, key) != 0)
            continue;
        if ((name == NULL && a->name == NULL) ||
            (name != NULL && a->name != NULL && strcmp(name, a->name) == 0))
            return a;
    }
    return NULL;
}

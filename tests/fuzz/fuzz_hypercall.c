/*
 * fuzz_hypercall: the hypercall handlers, reached the way a guest reaches
 * them.  There is no KVM here: a calloc'd struct tender_vm with a 2 MiB
 * guest memory, a fake kvm_run that each record of the input fills as
 * KVM would on an exit, and vcpu_handle_exit(), the vCPU loop's own step.
 *
 * Every module in tender_modules[] is attached as tender_vm_load_*()
 * would, to a manifest in guest memory: two block devices on temporary
 * files (512- and 4096-byte sectors) and a network device left without a
 * tap, whose handlers then see only bad handles (a tap needs privileges
 * that the fuzzer does not have).
 *
 * The input is a sequence of records, at most MAX_RECORDS:
 *
 *   op     1 byte  bits 0-4: hypercall number, port 0x500 + it (16-31
 *                  are not hypercalls); bit 5: gpa is used as it is,
 *                  else it is taken modulo the memory size; bit 7: a
 *                  malformed or non-I/O exit, whose kind is the next byte
 *   [kind] 1 byte  only with bit 7 (see odd_exit())
 *   gpa    4 bytes little-endian: the argument struct's address
 *   len    1 byte  how many struct bytes follow (modulo 65)
 *   bytes  len     written to guest memory at gpa (clipped at its end)
 *
 * Guest memory, manifest included, starts each input as attach left it:
 * an input may rewrite the manifest, which the handlers must not trust.
 */
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "module.h"
#include "vm.h"

#define MEM_SIZE HVT_GUEST_MIN_MEM
#define RUN_SIZE 8192
#define IO_DATA_OFFSET 4096
#define DISK_SIZE (64 * 1024)
#define MAX_RECORDS 64

static struct tender_vm *vm;
static uint8_t *pristine_low; /* guest memory below HVT_LOW_RO_END */
static volatile uint8_t console_sink;

static void fail(const char *what)
{
    fprintf(stderr, "fuzz_hypercall: %s\n", what);
    abort();
}

/* The console: every byte handed out must be guest memory. */
static void console(void *opaque, const char *data, size_t len)
{
    const struct tender_vm *v = opaque;
    const uint8_t *p = (const uint8_t *)data;
    uint8_t sum = 0;

    if (p < v->mem.base || p > v->mem.base + v->mem.size ||
        len > (size_t)(v->mem.base + v->mem.size - p))
        fail("PUTS handed the console bytes outside guest memory");
    for (size_t i = 0; i < len; i++)
        sum = (uint8_t)(sum + p[i]);
    console_sink = sum;
}

/* A temporary disk of DISK_SIZE zero bytes, unlinked once attached. */
static char *make_disk(void)
{
    const char *dir = getenv("TMPDIR");
    char *path;
    int fd;

    if (dir == NULL || dir[0] == '\0')
        dir = "/tmp";
    if (asprintf(&path, "%s/fuzz_hypercall.XXXXXX", dir) < 0)
        fail("out of memory");
    fd = mkstemp(path);
    if (fd < 0 || ftruncate(fd, DISK_SIZE) < 0)
        fail("cannot create a temporary disk");
    close(fd);
    return path;
}

static struct hvt_mft_entry mft_entry(const char *name, uint32_t type)
{
    struct hvt_mft_entry e;

    memset(&e, 0, sizeof(e));
    e.type = type;
    snprintf(e.name, sizeof(e.name), "%s", name);
    return e;
}

/* The monitor's own copy of the manifest, as tender_vm_load_buffer() (vm.c)
 * makes it before the modules attach. */
static void make_manifest(void)
{
    struct hvt_mft *mft = (struct hvt_mft *)vm->mft_store;

    mft->version = HVT_MFT_VERSION;
    mft->entries = 4;
    mft->e[0] = mft_entry("", HVT_MFT_RESERVED_FIRST);
    mft->e[1] = mft_entry("disk", HVT_MFT_DEV_BLOCK_BASIC);
    mft->e[2] = mft_entry("big", HVT_MFT_DEV_BLOCK_BASIC);
    mft->e[3] = mft_entry("net0", HVT_MFT_DEV_NET_BASIC);
    vm->mft = mft;
    vm->mft_size = sizeof(*mft) + 4 * sizeof(mft->e[0]);
}

/* The boot info and the guest's copy of the manifest, where
 * place_boot_info() (vm.c) puts them once the modules have attached. */
static void place_boot_info(void)
{
    uint64_t mft_gpa = HVT_BOOT_INFO_GPA + sizeof(struct hvt_boot_info);
    struct hvt_boot_info *bi =
        (struct hvt_boot_info *)(vm->mem.base + HVT_BOOT_INFO_GPA);

    memcpy(vm->mem.base + mft_gpa, vm->mft, vm->mft_size);
    bi->mem_size = vm->mem.size;
    bi->mft_gpa = mft_gpa;
    bi->host_features = vm->host_features;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static struct tender_dev_arg args[3];
    char *disk = make_disk(), *big = make_disk();
    struct tender_error err;

    (void)argc;
    (void)argv;
    vm = calloc(1, sizeof(*vm));
    if (vm == NULL)
        fail("out of memory");
    vm->kvm_fd = vm->vm_fd = vm->vcpu_fd = -1;
    /* Exact sizes: AddressSanitizer flags any access past either. */
    vm->mem.base = calloc(1, MEM_SIZE);
    vm->mem.size = MEM_SIZE;
    vm->run = calloc(1, RUN_SIZE);
    vm->run_size = RUN_SIZE;
    pristine_low = malloc(HVT_LOW_RO_END);
    if (vm->mem.base == NULL || vm->run == NULL || pristine_low == NULL)
        fail("out of memory");
    vm->console = console;
    vm->console_opaque = vm;

    args[0] = (struct tender_dev_arg){"block", "disk", disk};
    args[1] = (struct tender_dev_arg){"block", "big", big};
    args[2] = (struct tender_dev_arg){"block-sector-size", "big", "4096"};
    vm->dev_args = args;
    vm->n_dev_args = 3;
    make_manifest();
    for (size_t i = 0; tender_modules[i] != NULL; i++) {
        if (i >= VM_MAX_MODULES)
            fail("too many modules");
        if (tender_modules[i]->attach(vm, &vm->module_state[i], &err) < 0) {
            fprintf(stderr, "fuzz_hypercall: module %s: %s\n",
                    tender_modules[i]->name, err.msg);
            fail("cannot attach a module without KVM");
        }
    }
    place_boot_info();
    unlink(disk);
    unlink(big);
    free(disk);
    free(big);
    memcpy(pristine_low, vm->mem.base, HVT_LOW_RO_END);
    return 0;
}

/* The kinds of exit that are not a well-formed hypercall: never one. */
static void odd_exit(struct kvm_run *run, uint8_t kind, uint32_t gpa)
{
    static const uint8_t bad_sizes[] = {1, 2, 8};

    switch (kind % 8) {
    case 0:
        run->io.direction = KVM_EXIT_IO_IN;
        break;
    case 1:
        run->io.size = bad_sizes[(kind >> 3) % 3];
        break;
    case 2:
        run->io.count = 2 + (kind >> 3);
        break;
    case 3:
        /* Any port but a hypercall's. */
        run->io.port = (uint16_t)(gpa >> 16);
        if (run->io.port >= HVT_HYPERCALL_PIO_BASE &&
            run->io.port < HVT_HYPERCALL_PIO_BASE + HVT_HYPERCALL_MAX)
            run->io.port = HVT_RING_KICK_PIO;
        break;
    case 4:
        run->exit_reason = KVM_EXIT_MMIO;
        run->mmio.phys_addr = gpa;
        break;
    case 5:
        run->exit_reason = KVM_EXIT_SHUTDOWN;
        break;
    case 6:
        run->exit_reason = KVM_EXIT_HLT;
        break;
    default:
        run->exit_reason = (kind >> 3) % 2 ? KVM_EXIT_INTERNAL_ERROR
                                           : KVM_EXIT_UNKNOWN + 100 + kind;
        break;
    }
}

/* Copy a record's struct bytes to guest memory at gpa, clipped. */
static void write_guest(uint64_t gpa, const uint8_t *bytes, size_t len)
{
    if (gpa >= vm->mem.size)
        return;
    if (len > vm->mem.size - gpa)
        len = (size_t)(vm->mem.size - gpa);
    memcpy(vm->mem.base + gpa, bytes, len);
}

/* One record: returns the bytes consumed, or 0 at the end of the input. */
static size_t run_record(const uint8_t *data, size_t size)
{
    struct kvm_run *run = vm->run;
    size_t used = 0, len;
    uint8_t op, kind = 0;
    uint32_t gpa;
    unsigned nr;
    int stopped, odd;

    if (size < 6)
        return 0;
    op = data[used++];
    odd = (op & 0x80) != 0;
    if (odd)
        kind = data[used++];
    if (size - used < 5)
        return 0;
    gpa = (uint32_t)data[used] | (uint32_t)data[used + 1] << 8 |
          (uint32_t)data[used + 2] << 16 | (uint32_t)data[used + 3] << 24;
    used += 4;
    if (!(op & 0x20))
        gpa = (uint32_t)(gpa % vm->mem.size);
    len = data[used++] % (HC_MAX_ARG_SIZE + 1);
    if (len > size - used)
        len = size - used;
    write_guest(gpa, data + used, len);
    used += len;

    nr = op & 0x1f;
    /* POLL would sleep for its timeout: make it zero. */
    if (nr == HVT_HYPERCALL_POLL && gpa <= vm->mem.size - 8)
        memset(vm->mem.base + gpa, 0, 8);

    memset(run, 0, sizeof(*run));
    run->exit_reason = KVM_EXIT_IO;
    run->io.direction = KVM_EXIT_IO_OUT;
    run->io.size = 4;
    run->io.port = (uint16_t)(HVT_HYPERCALL_PIO_BASE + nr);
    run->io.count = 1;
    run->io.data_offset = IO_DATA_OFFSET;
    memcpy((uint8_t *)run + IO_DATA_OFFSET, &gpa, sizeof(gpa));
    if (odd)
        odd_exit(run, kind, gpa);

    memset(&vm->exit, 0, sizeof(vm->exit));
    stopped = vcpu_handle_exit(vm);
    if (stopped != 0 && stopped != 1)
        fail("vcpu_handle_exit returned neither 0 nor 1");
    if (!stopped && (odd || nr >= HVT_HYPERCALL_MAX || vm->hc[nr].fn == NULL))
        fail("an exit that is no hypercall let the guest go on");
    if (stopped && vm->exit.reason > TENDER_STOP_REQUESTED)
        fail("a stop with an unknown reason");
    if (stopped && vm->exit.reason == TENDER_STOP_HALT &&
        (vm->exit.status < 0 || vm->exit.status > 255))
        fail("a halt with a status outside 0-255");
    return used;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t used;

    /* Each input starts from the guest memory that attach left. */
    memcpy(vm->mem.base, pristine_low, HVT_LOW_RO_END);
    memset(vm->mem.base + HVT_LOW_RO_END, 0, MEM_SIZE - HVT_LOW_RO_END);
    for (int i = 0; i < MAX_RECORDS; i++) {
        used = run_record(data, size);
        if (used == 0)
            break;
        data += used;
        size -= used;
    }
    return 0;
}

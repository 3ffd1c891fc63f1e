/*
 * The block module: file-backed disks.  Each block device in the guest's
 * manifest gets a regular file (or a host block device) opened read-write;
 * BLOCK_READ and BLOCK_WRITE move whole sectors between it and guest
 * memory, and BLOCK_FLUSH (an extension, TENDER_FEATURE_BLOCK_FLUSH) makes
 * the writes that completed before it durable.  docs/abi.md, "Block
 * devices", states what a guest may rely on.  The disks themselves are
 * block_disk.c's; the block ring (an extension, TENDER_FEATURE_BLOCK_RING)
 * serves the same requests from a thread of its own (block_ring.c).
 *
 * Options:
 *   --block=PATH                the guest's one block device
 *   --block:NAME=PATH           the block device NAME
 *   --block-sector-size[:NAME]=N  sector size, a power of two from 512
 *                               to 32768 (the manifest's field is 16 bits)
 *
 * Once the guest runs, the handlers make no system call but pread64,
 * pwrite64 and fdatasync on the disks and write(2) for an error line: the
 * sandbox allows nothing else.  Everything they check comes from this
 * module's own state, never from the manifest copy in guest memory, which
 * the guest can change.
 */
#include <stdlib.h>
#include <string.h>

#include "block_disk.h"
#include "block_ring.h"
#include "error.h"
#include "manifest.h"
#include "dev_args.h"
#include "module.h"
#include "number.h"

#define DEFAULT_SECTOR_SIZE 512
#define MIN_SECTOR_SIZE 512
#define MAX_SECTOR_SIZE 32768

struct block_state {
    struct block_disks disks;
    struct block_ring *ring; /* NULL: the guest has no block ring */
};

static enum hc_result hc_block_write(struct tender_vm *vm, void *argp,
                                     void *ctx)
{
    struct hvt_hc_block_write *arg = argp;
    struct block_state *st = ctx;

    arg->ret = block_disk_io(vm, block_disk_of(&st->disks, arg->handle), 1,
                             arg->offset, arg->data_gpa, arg->len);
    return HC_CONTINUE;
}

static enum hc_result hc_block_read(struct tender_vm *vm, void *argp, void *ctx)
{
    struct hvt_hc_block_read *arg = argp;
    struct block_state *st = ctx;

    /* On success len stays as it was: every byte asked for was read. */
    arg->ret = block_disk_io(vm, block_disk_of(&st->disks, arg->handle), 0,
                             arg->offset, arg->data_gpa, arg->len);
    return HC_CONTINUE;
}

static enum hc_result hc_block_flush(struct tender_vm *vm, void *argp,
                                     void *ctx)
{
    struct hvt_hc_block_flush *arg = argp;
    struct block_state *st = ctx;
    struct block_disk *d = block_disk_of(&st->disks, arg->handle);

    arg->ret = d == NULL ? HVT_EINVAL : block_disk_flush(vm, d);
    return HC_CONTINUE;
}

/*
 * Set-up
 */

static const char *const block_option_keys[] = {"block", "block-sector-size",
                                                NULL};

static int parse_sector_size(const struct tender_dev_arg *a, uint64_t *size,
                             struct tender_error *err)
{
    uint64_t n = 0;

    *size = DEFAULT_SECTOR_SIZE;
    if (a == NULL)
        return 0;
    if (parse_decimal(a->value, MAX_SECTOR_SIZE, &n) != 0 ||
        n < MIN_SECTOR_SIZE || (n & (n - 1)) != 0)
        return tnd_fail(err, TENDER_E_CONFIG,
                        "--%s=%s: the sector size must be a power of two "
                        "from %d to %d",
                        a->key, a->value, MIN_SECTOR_SIZE, MAX_SECTOR_SIZE);
    *size = n;
    return 0;
}

static int attach_disk(struct tender_vm *vm, struct block_state *st,
                       uint32_t handle, struct tender_error *err)
{
    struct hvt_mft_entry *e = &vm->mft->e[handle];
    struct block_disk *d = &st->disks.disk[handle];
    const struct tender_dev_arg *path = dev_arg_for(vm, "block", e->name);

    memcpy(d->name, e->name, sizeof(d->name));
    d->name[sizeof(d->name) - 1] = '\0';
    if (path == NULL)
        return tnd_fail(err, TENDER_E_CONFIG,
                        "the guest declares block device '%s' but no disk "
                        "is given (use --block:%s=PATH)",
                        d->name, d->name);
    if (parse_sector_size(dev_arg_for(vm, "block-sector-size", e->name),
                          &d->sector_size, err) < 0 ||
        block_disk_open(d, path->value, err) < 0)
        return -1;
    if (vm_sandbox_allow(
            vm, d->fd, SANDBOX_PREAD | SANDBOX_PWRITE | SANDBOX_FDATASYNC) < 0)
        return tnd_fail(err, TENDER_E_DEVICE, "too many devices");
    e->u.block_basic.capacity = d->capacity;
    e->u.block_basic.block_size = (uint16_t)d->sector_size;
    e->attached = 1;
    return 0;
}

/*
 * BLOCK_READ and BLOCK_WRITE are served even to a guest with no disk, so
 * that every such guest gets EINVAL for a bad handle rather than a stop.
 */
static int register_hypercalls(struct tender_vm *vm, struct block_state *st,
                               struct tender_error *err)
{
    if (vm_register_hypercall(vm, HVT_HYPERCALL_BLOCK_WRITE,
                              sizeof(struct hvt_hc_block_write), hc_block_write,
                              st) < 0 ||
        vm_register_hypercall(vm, HVT_HYPERCALL_BLOCK_READ,
                              sizeof(struct hvt_hc_block_read), hc_block_read,
                              st) < 0 ||
        vm_register_hypercall(vm, HVT_HYPERCALL_BLOCK_FLUSH,
                              sizeof(struct hvt_hc_block_flush), hc_block_flush,
                              st) < 0)
        return tnd_fail(err, TENDER_E_STATE,
                        "block hypercalls registered twice");
    vm->host_features |= TENDER_FEATURE_BLOCK_FLUSH;
    return 0;
}

static int block_attach(struct tender_vm *vm, void **state,
                        struct tender_error *err)
{
    struct block_state *st;

    if (dev_args_check(vm, block_option_keys, HVT_MFT_DEV_BLOCK_BASIC, err) < 0)
        return -1;
    st = calloc(1, sizeof(*st));
    if (st == NULL)
        return tnd_fail(err, TENDER_E_SYSTEM, "out of memory");
    *state = st; /* From here on, detach cleans up whatever we opened. */
    for (size_t i = 0; i < HVT_MFT_MAX_ENTRIES; i++)
        st->disks.disk[i].fd = -1;
    for (uint32_t i = 1; i < vm->mft->entries; i++)
        if (vm->mft->e[i].type == HVT_MFT_DEV_BLOCK_BASIC &&
            attach_disk(vm, st, i, err) < 0)
            return -1;
    if (register_hypercalls(vm, st, err) < 0)
        return -1;
    return block_ring_create(vm, &st->disks, &st->ring, err);
}

static void block_detach(struct tender_vm *vm, void *state)
{
    struct block_state *st = state;

    (void)vm;
    /* The ring's thread first: it uses the disks. */
    block_ring_destroy(st->ring);
    for (size_t i = 0; i < HVT_MFT_MAX_ENTRIES; i++)
        block_disk_close(&st->disks.disk[i]);
    free(st);
}

static int block_run_start(struct tender_vm *vm, void *state,
                           struct tender_error *err)
{
    struct block_state *st = state;

    (void)vm;
    return block_ring_start(st->ring, err);
}

static void block_run_end(struct tender_vm *vm, void *state)
{
    struct block_state *st = state;

    (void)vm;
    block_ring_stop(st->ring);
}

const struct tender_module tender_module_block = {
    .name = "block",
    .option_keys = block_option_keys,
    .usage = "  --block=PATH               the guest's block device: a file "
             "(or host block\n"
             "                             device) whose size is a whole "
             "number of sectors\n"
             "  --block:NAME=PATH          the block device NAME, when there "
             "are several\n"
             "  --block-sector-size[:NAME]=N\n"
             "                             sector size: a power of two from "
             "512 to 32768\n"
             "                             (default 512)\n",
    .attach = block_attach,
    .detach = block_detach,
    .run_start = block_run_start,
    .run_end = block_run_end,
};

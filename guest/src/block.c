/*
 * Block devices: the BLOCK_READ, BLOCK_WRITE and BLOCK_FLUSH hypercalls,
 * and the manifest lookup that turns a disk's name into its handle.
 *
 * Requests are checked here against the manifest too, not only by the
 * monitor: other hvt tenders check less (some accept a partial sector),
 * and a guest should behave the same on all of them.
 */
#include <tender/block.h>
#include <tender/guest.h>
#include <tender/string.h>

#include "hypercall.h"
#include "kernel.h"

/* The manifest as the monitor attached it, in the read-only low area. */
static const struct hvt_mft *attached_manifest(void)
{
    return (const struct hvt_mft *)(uintptr_t)kernel_boot_info->mft_gpa;
}

/* The attached block device behind handle, or NULL. */
const struct hvt_mft_entry *block_entry(uint64_t handle)
{
    const struct hvt_mft *mft = attached_manifest();
    const struct hvt_mft_entry *e;

    if (handle == 0 || handle >= mft->entries || handle >= HVT_MFT_MAX_ENTRIES)
        return NULL;
    e = &mft->e[handle];
    if (e->type != HVT_MFT_DEV_BLOCK_BASIC || !e->attached)
        return NULL;
    return e;
}

int tender_block_acquire(const char *name, struct tender_block_info *info)
{
    const struct hvt_mft *mft = attached_manifest();

    for (uint32_t i = 1; i < mft->entries && i < HVT_MFT_MAX_ENTRIES; i++) {
        const struct hvt_mft_entry *e = block_entry(i);

        if (e == NULL || strncmp(e->name, name, HVT_MFT_NAME_SIZE) != 0)
            continue;
        info->handle = i;
        info->capacity = e->u.block_basic.capacity;
        info->sector_size = e->u.block_basic.block_size;
        return HVT_OK;
    }
    return HVT_EINVAL;
}

/* Whole sectors, at least one, inside the disk; no overflow. */
int block_request_fits(uint64_t handle, uint64_t offset, uint64_t len)
{
    const struct hvt_mft_entry *e = block_entry(handle);
    uint64_t sector, capacity;

    if (e == NULL)
        return 0;
    sector = e->u.block_basic.block_size;
    capacity = e->u.block_basic.capacity;
    return sector != 0 && len != 0 && offset % sector == 0 &&
           len % sector == 0 && offset <= capacity && len <= capacity - offset;
}

int tender_block_read(uint64_t handle, uint64_t offset, void *buf, size_t len)
{
    struct hvt_hc_block_read arg = {handle, offset, gpa_of(buf), len, 0, 0};

    if (!block_request_fits(handle, offset, len))
        return HVT_EINVAL;
    hypercall(HVT_HYPERCALL_BLOCK_READ, &arg);
    return arg.ret;
}

int tender_block_write(uint64_t handle, uint64_t offset, const void *buf,
                       size_t len)
{
    struct hvt_hc_block_write arg = {handle, offset, gpa_of(buf), len, 0, 0};

    if (!block_request_fits(handle, offset, len))
        return HVT_EINVAL;
    hypercall(HVT_HYPERCALL_BLOCK_WRITE, &arg);
    return arg.ret;
}

int tender_block_can_flush(void)
{
    return (kernel_boot_info->host_features & TENDER_FEATURE_BLOCK_FLUSH) != 0;
}

int tender_block_flush(uint64_t handle)
{
    struct hvt_hc_block_flush arg = {handle, 0, 0};

    /* Without the feature bit the port is not served: never touch it. */
    if (!tender_block_can_flush() || block_entry(handle) == NULL)
        return HVT_EINVAL;
    hypercall(HVT_HYPERCALL_BLOCK_FLUSH, &arg);
    return arg.ret;
}

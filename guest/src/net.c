/*
 * Network devices: the NET_WRITE, NET_READ and POLL hypercalls, and the
 * manifest lookup that turns a device's name into its handle.
 */
#include <tender/guest.h>
#include <tender/string.h>

#include "hypercall.h"
#include "kernel.h"

/* The manifest as the monitor attached it, in the read-only low area. */
static const struct hvt_mft *attached_manifest(void)
{
    return (const struct hvt_mft *)(uintptr_t)kernel_boot_info->mft_gpa;
}

int tender_net_acquire(const char *name, struct tender_net_info *info)
{
    const struct hvt_mft *mft = attached_manifest();
    uint32_t entries = mft->entries;

    if (entries > HVT_MFT_MAX_ENTRIES)
        entries = HVT_MFT_MAX_ENTRIES;
    for (uint32_t i = 1; i < entries; i++) {
        const struct hvt_mft_entry *e = &mft->e[i];

        if (e->type != HVT_MFT_DEV_NET_BASIC || !e->attached ||
            strncmp(e->name, name, HVT_MFT_NAME_SIZE) != 0)
            continue;
        info->handle = i;
        memcpy(info->mac, e->u.net_basic.mac, sizeof(info->mac));
        info->mtu = e->u.net_basic.mtu;
        return HVT_OK;
    }
    return HVT_EINVAL;
}

/* Is handle an attached network device, and what is its MTU? */
static int net_mtu(uint64_t handle, uint16_t *mtu)
{
    const struct hvt_mft *mft = attached_manifest();
    const struct hvt_mft_entry *e;

    if (handle == 0 || handle >= mft->entries || handle >= HVT_MFT_MAX_ENTRIES)
        return 0;
    e = &mft->e[handle];
    if (e->type != HVT_MFT_DEV_NET_BASIC || !e->attached)
        return 0;
    *mtu = e->u.net_basic.mtu;
    return 1;
}

/*
 * Can we copy len bytes from buf into a ring buffer?  Not from the
 * unmapped first pages or past the end of memory: the hypercall answers
 * those (EINVAL, or a frame from the low area) without a fault.
 */
static int copyable(const void *buf, size_t len)
{
    uint64_t gpa = gpa_of(buf), mem = kernel_boot_info->mem_size;

    return gpa >= HVT_LOW_RO_START && gpa < mem && len <= mem - gpa;
}

int tender_net_write(uint64_t handle, const void *buf, size_t len)
{
    struct hvt_hc_net_write arg = {handle, gpa_of(buf), len, 0, 0};
    struct hvt_ring *ring = net_ring_get();
    uint16_t mtu;

    /*
     * Through the ring when it can take the frame.  A ring write has no
     * commit, so what the hypercall would refuse is refused here (S8):
     * a bad handle, a frame shorter than a header or longer than MTU +
     * 14.  A full tap queue or a host error is then a lost frame.
     */
    if (ring != NULL && len <= HVT_RING_BUF_SIZE && copyable(buf, len)) {
        if (!net_mtu(handle, &mtu) || len < TENDER_NET_HEADER_LEN ||
            len > (size_t)mtu + TENDER_NET_HEADER_LEN)
            return HVT_EINVAL;
        return net_ring_write(ring, handle, buf, len);
    }

    hypercall(HVT_HYPERCALL_NET_WRITE, &arg);
    return arg.ret;
}

int tender_net_read(uint64_t handle, void *buf, size_t size, size_t *len)
{
    struct hvt_hc_net_read arg = {handle, gpa_of(buf), size, 0, 0};
    struct hvt_ring *ring = net_ring_get();

    if (ring != NULL && size <= UINT32_MAX)
        return net_ring_read(ring, handle, buf, size, len);

    hypercall(HVT_HYPERCALL_NET_READ, &arg);
    /* A dropped frame's size is worth knowing; AGAIN's len means nothing. */
    *len = arg.ret == HVT_OK || arg.ret == HVT_EINVAL ? arg.len : 0;
    return arg.ret;
}

uint64_t tender_yield(uint64_t deadline_ns, uint64_t *ready_set)
{
    uint64_t now = tender_clock_monotonic();
    struct hvt_hc_poll arg = {deadline_ns > now ? deadline_ns - now : 0, 0, 0,
                              0};

    hypercall(HVT_HYPERCALL_POLL, &arg);
    if (ready_set != NULL)
        *ready_set = arg.ready_set;
    return arg.ret > 0 ? (uint64_t)arg.ret : 0;
}

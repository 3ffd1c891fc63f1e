/*
 * The network API of the tender guest kernel: Ethernet frames in and out
 * of the devices the manifest declares (TENDER_NET_DEVICE), and a way to
 * sleep until one of them has input.
 *
 * Every call returns an enum hvt_result: HVT_OK, HVT_AGAIN (nothing to
 * read now), HVT_EINVAL (a bad handle, buffer or frame length) or
 * HVT_EUNSPEC (the host failed to move the frame).
 */
#ifndef TENDER_NET_H
#define TENDER_NET_H

#include <stddef.h>
#include <stdint.h>

/* What the monitor attached to a network device. */
struct tender_net_info {
    uint64_t handle; /* for tender_net_read/write and tender_yield's set */
    uint8_t mac[6];  /* the device's own address */
    uint16_t mtu;    /* bytes of payload; frames add a 14-byte header */
};

/* The Ethernet header that every frame starts with. */
#define TENDER_NET_HEADER_LEN 14

/*
 * Look up the network device called name in the manifest.  HVT_OK and
 * info filled, or HVT_EINVAL if the manifest has no attached network
 * device of that name.
 */
int tender_net_acquire(const char *name, struct tender_net_info *info);

/*
 * Send one whole frame of len bytes (header included): at least the
 * header and at most mtu + TENDER_NET_HEADER_LEN bytes, else HVT_EINVAL.
 */
int tender_net_write(uint64_t handle, const void *buf, size_t len);

/*
 * Receive one frame into buf (size bytes).  HVT_OK with *len the frame's
 * size; HVT_AGAIN if none is queued.  A frame longer than size is dropped,
 * never cut short: HVT_EINVAL with *len its size (any other EINVAL leaves
 * *len at most size: a bad handle or buffer).  A buffer of
 * mtu + TENDER_NET_HEADER_LEN bytes holds any untagged frame (add 4 bytes
 * for VLAN tags).
 */
int tender_net_read(uint64_t handle, void *buf, size_t size, size_t *len);

/*
 * Sleep until a device has input or the monotonic clock
 * (tender_clock_monotonic) reaches deadline_ns, whichever comes first.
 * Returns the number of devices with input, and sets *ready_set (if not
 * NULL) to their handles' bits: 1 << handle.  A deadline in the past
 * checks without sleeping.
 */
uint64_t tender_yield(uint64_t deadline_ns, uint64_t *ready_set);

#endif /* TENDER_NET_H */

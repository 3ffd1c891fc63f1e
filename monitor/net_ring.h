/*
 * The network ring (RING_IO, hvt feature bit 0), served by an I/O thread
 * of its own between the ring in guest memory and the taps of the network
 * module (net_tap.c).  docs/abi.md, "The network ring", has the protocol
 * and every check made here.
 */
#ifndef TENDER_NET_RING_H
#define TENDER_NET_RING_H

#include <stdint.h>

#include "ring_thread.h"
#include "vm.h"

/* One network device as the ring's thread sees it. */
struct net_ring_dev {
    int fd; /* -1: this handle is not an attached network device */
    uint64_t max_frame;
    int read_failing;
    int write_failing;
    const char *name;
    const char *ifname;
};

struct net_ring_stats {
    uint64_t entries; /* entries taken off the ring */
    uint64_t writes;  /* frames written to a tap */
    uint64_t reads;   /* frames read into the guest */
    uint64_t bad;     /* entries refused (EINVAL, or dropped writes) */
};

struct net_ring {
    struct tender_vm *vm;
    struct hvt_ring *shared; /* in guest memory: every field is hostile */
    struct ring_thread io;
    /* Our own indices: the guest can rewrite the ring's copies. */
    uint32_t ent_head;
    uint32_t com_tail;
    struct net_ring_dev dev[HVT_MFT_MAX_ENTRIES];
    uint8_t *rx_buf; /* a frame is read here whole, then copied out */
    size_t rx_size;
    int bad_logged; /* in a run of bad writes, already reported */
    struct net_ring_stats stats;
};

/*
 * Set-up, at attach (KVM's VM descriptor is still open): the eventfd,
 * wired to port 0x600 with KVM_IOEVENTFD; offers RING_IO in the boot
 * info.  devs are the attached network devices, by handle.  0, or -1
 * with err set.
 */
int net_ring_create(struct tender_vm *vm, const struct net_ring_dev *devs,
                    size_t rx_size, struct net_ring **ringp,
                    struct tender_error *err);
int net_ring_start(struct net_ring *ring, struct tender_error *err);
/* Stops the thread and waits for it; callable inside the sandbox. */
void net_ring_stop(struct net_ring *ring);
void net_ring_destroy(struct net_ring *ring);

/*
 * The pure parts, for the unit tests.
 *
 * Check one entry (a private copy): HVT_OK with *buf the host address of
 * its data, or HVT_EINVAL.  NET_WRITE: a network handle, a frame of 14
 * to min(MTU + 14, HVT_RING_BUF_SIZE) bytes wholly inside guest memory
 * and outside its read-only text.  NET_READ: a network handle, a buffer
 * of 1 byte or more wholly inside writable guest memory.  Anything else
 * is EINVAL.
 */
int32_t net_ring_check_entry(const struct net_ring *ring,
                             const struct hvt_ring_entry *e, void **buf);
/*
 * Serve what the guest has queued: returns when the ring is empty (0),
 * the commit ring is full (1), or stop is set (0; not in the final pass).
 * -1 when the guest broke the protocol (ring->vm->ring_fault_detail says
 * how).
 */
int net_ring_serve(struct net_ring *ring);

#endif

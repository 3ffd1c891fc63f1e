/*
 * The lwIP network interface over one tender network device
 * (<tender/net.h>): frames in by polling tender_net_read, frames out by
 * tender_net_write, the MAC and MTU from the device.
 */
#ifndef TENDER_NETIF_H
#define TENDER_NETIF_H

#include <stddef.h>
#include <stdint.h>

#include "lwip/netif.h"

/* What tender_netif keeps per interface (netif->state). */
struct tender_netif {
    uint64_t handle;
    uint8_t mac[6];
    uint16_t mtu;
    uint64_t frames_in, frames_out;
    uint64_t bytes_in, bytes_out;
    uint64_t drops_in;   /* too long, or no pbuf for it */
    uint64_t errors_out; /* tender_net_write failed */
    /* If set, called with each frame before lwIP sees it. */
    void (*rx_hook)(const uint8_t *frame, size_t len);
    /* Frames are read into, and chained pbufs copied into, these. */
    uint8_t rx[65536 + 18];
    uint8_t tx[65536 + 18];
};

/*
 * Open the device devname and add it as an lwIP interface with address
 * addr, netmask and gateway gw (netif_add, with tender_netif_init as its
 * init function; the interface is set up and its link up).  ERR_OK, ERR_ARG
 * if the device does not exist, ERR_IF if lwIP refused it.
 */
err_t tender_netif_add(struct netif *netif, struct tender_netif *tn,
                       const char *devname, const ip4_addr_t *addr,
                       const ip4_addr_t *netmask, const ip4_addr_t *gw);

/*
 * Hand up to max queued frames to lwIP (netif->input); returns how many
 * frames were read (dropped ones included), 0 when none was queued.
 */
unsigned tender_netif_poll(struct netif *netif, unsigned max);

#endif /* TENDER_NETIF_H */

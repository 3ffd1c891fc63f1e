/*
 * The lwIP network interface over a tender network device: see
 * tender_netif.h.
 */
#include "tender_netif.h"

#include <string.h>
#include <tender/net.h>

#include "hvt_abi.h"
#include "lwip/etharp.h"
#include "lwip/pbuf.h"
#include "lwip/snmp.h"
#include "lwip/stats.h"
#include "netif/ethernet.h"

/* netif->linkoutput: one whole frame to the device. */
static err_t tender_netif_output(struct netif *netif, struct pbuf *p)
{
    struct tender_netif *tn = netif->state;
    const void *frame = p->payload;
    size_t len = p->tot_len;

    if (len > (size_t)tn->mtu + TENDER_NET_HEADER_LEN || len > sizeof(tn->tx)) {
        tn->errors_out++;
        LINK_STATS_INC(link.lenerr);
        return ERR_BUF;
    }
    if (p->next != NULL) {
        /* A chain (headers and payload apart): one copy into tx. */
        if (pbuf_copy_partial(p, tn->tx, p->tot_len, 0) != p->tot_len) {
            tn->errors_out++;
            return ERR_BUF;
        }
        frame = tn->tx;
    }
    if (tender_net_write(tn->handle, frame, len) != HVT_OK) {
        tn->errors_out++;
        LINK_STATS_INC(link.err);
        return ERR_IF;
    }
    tn->frames_out++;
    tn->bytes_out += len;
    LINK_STATS_INC(link.xmit);
    return ERR_OK;
}

/* netif_add's init function: what lwIP needs to know of the device. */
static err_t tender_netif_init(struct netif *netif)
{
    struct tender_netif *tn = netif->state;

    netif->name[0] = 't';
    netif->name[1] = 'n';
    netif->output = etharp_output;
    netif->linkoutput = tender_netif_output;
    netif->hwaddr_len = ETH_HWADDR_LEN;
    memcpy(netif->hwaddr, tn->mac, ETH_HWADDR_LEN);
    netif->mtu = tn->mtu;
    netif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP |
                   NETIF_FLAG_ETHERNET | NETIF_FLAG_LINK_UP;
    return ERR_OK;
}

err_t tender_netif_add(struct netif *netif, struct tender_netif *tn,
                       const char *devname, const ip4_addr_t *addr,
                       const ip4_addr_t *netmask, const ip4_addr_t *gw)
{
    struct tender_net_info info;

    memset(tn, 0, sizeof(*tn));
    if (tender_net_acquire(devname, &info) != HVT_OK)
        return ERR_ARG;
    tn->handle = info.handle;
    tn->mtu = info.mtu;
    memcpy(tn->mac, info.mac, sizeof(tn->mac));
    memset(netif, 0, sizeof(*netif));
    if (netif_add(netif, addr, netmask, gw, tn, tender_netif_init,
                  ethernet_input) == NULL)
        return ERR_IF;
    netif_set_up(netif);
    return ERR_OK;
}

unsigned tender_netif_poll(struct netif *netif, unsigned max)
{
    struct tender_netif *tn = netif->state;
    unsigned n;

    for (n = 0; n < max; n++) {
        size_t len = 0;
        int r = tender_net_read(tn->handle, tn->rx, sizeof(tn->rx), &len);
        struct pbuf *p;

        if (r == HVT_AGAIN)
            break;
        if (r != HVT_OK || len < TENDER_NET_HEADER_LEN ||
            len > sizeof(tn->rx)) {
            /* Too long for rx (dropped by the monitor), or a failed
             * read: counted, and the next frame is tried. */
            tn->drops_in++;
            LINK_STATS_INC(link.drop);
            if (r != HVT_OK && r != HVT_EINVAL)
                break;
            continue;
        }
        tn->frames_in++;
        tn->bytes_in += len;
        LINK_STATS_INC(link.recv);
        if (tn->rx_hook != NULL)
            tn->rx_hook(tn->rx, len);
        p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_POOL);
        if (p == NULL) {
            tn->drops_in++;
            LINK_STATS_INC(link.memerr);
            continue;
        }
        pbuf_take(p, tn->rx, (u16_t)len);
        if (netif->input(p, netif) != ERR_OK)
            pbuf_free(p);
    }
    return n;
}

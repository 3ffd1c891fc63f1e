/*
 * Two network devices, "a" and "b", each answering ARP and ping for its
 * own IPv4 address: "net_two.elf ADDR-A ADDR-B".
 */
#include <tender/guest.h>
#include <tender/stdio.h>

#include "ipv4.h"

TENDER_MANIFEST(TENDER_NET_DEVICE("a"), TENDER_NET_DEVICE("b"));

static int open_iface(struct ipv4_iface *ifc, const char *dev,
                      const char *addr_text)
{
    uint8_t addr[4];

    if (ipv4_parse(addr_text, addr) < 0) {
        printf("net_two: bad address %s\n", addr_text);
        return -1;
    }
    if (ipv4_iface_open(ifc, dev, addr) != HVT_OK) {
        printf("net_two: no network device '%s'\n", dev);
        return -1;
    }
    printf("net_two: %s on '%s' (handle %u), mac %02x:%02x:%02x:%02x:%02x:"
           "%02x, mtu %u\n",
           addr_text, dev, (unsigned)ifc->net.handle, ifc->net.mac[0],
           ifc->net.mac[1], ifc->net.mac[2], ifc->net.mac[3], ifc->net.mac[4],
           ifc->net.mac[5], (unsigned)ifc->net.mtu);
    return 0;
}

int tender_app_main(const struct tender_start_info *si)
{
    static struct ipv4_iface a, b;
    struct ipv4_iface *ifcs[2] = {&a, &b};

    if (si->argc != 3) {
        printf("usage: net_two.elf ADDR-A ADDR-B\n");
        return 2;
    }
    if (open_iface(&a, "a", si->argv[1]) < 0 ||
        open_iface(&b, "b", si->argv[2]) < 0)
        return 1;
    ipv4_serve(ifcs, 2);
}

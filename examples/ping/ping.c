/*
 * Answers ARP and ICMP echo (ping) for one IPv4 address on the network
 * device "service", until it is stopped from outside.
 *
 *     # ip tuntap add tap0 mode tap
 *     # ip addr add 10.0.0.1/24 dev tap0 && ip link set tap0 up
 *     $ tender --net=tap0 ping.elf 10.0.0.2 &
 *     $ ping 10.0.0.2
 */
#include <tender/guest.h>
#include <tender/stdio.h>

#include "ipv4.h"

TENDER_MANIFEST(TENDER_NET_DEVICE("service"));

static void print_mac(const uint8_t mac[6])
{
    printf("%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
           mac[4], mac[5]);
}

int tender_app_main(const struct tender_start_info *si)
{
    static struct ipv4_iface ifc;
    struct ipv4_iface *ifcs[1] = {&ifc};
    uint8_t addr[4];

    if (si->argc != 2 || ipv4_parse(si->argv[1], addr) < 0) {
        printf("usage: ping.elf IPV4-ADDRESS\n");
        return 2;
    }
    if (ipv4_iface_open(&ifc, "service", addr) != HVT_OK) {
        printf("ping: no network device 'service'\n");
        return 1;
    }
    printf("ping: answering for %s on 'service', mac ", si->argv[1]);
    print_mac(ifc.net.mac);
    printf(", mtu %u\n", (unsigned)ifc.net.mtu);
    ipv4_serve(ifcs, 1);
}

/*
 * Echoes every UDP datagram sent to one port of its IPv4 address, on the
 * network device "service", back to its sender; answers ARP and ping too.
 *
 *     $ tender --net=tap0 udp-echo.elf 10.0.0.2 7
 *     $ echo hello | nc -u -w1 10.0.0.2 7
 */
#include <tender/guest.h>
#include <tender/stdio.h>
#include <tender/stdlib.h>

#include "ipv4.h"

TENDER_MANIFEST(TENDER_NET_DEVICE("service"));

static uint16_t echo_port;

static void on_udp(struct ipv4_iface *ifc, uint8_t *frame, size_t frame_len,
                   uint16_t dst_port, const uint8_t *payload,
                   size_t payload_len)
{
    (void)payload;
    (void)payload_len;
    if (dst_port == echo_port)
        ipv4_udp_echo(ifc, frame, frame_len);
    else
        ifc->stats.dropped++;
}

static int parse_port(const char *text, uint16_t *port)
{
    char *end;
    unsigned long value = strtoul(text, &end, 10);

    if (*text < '0' || *text > '9' || *end != '\0' || value == 0 ||
        value > 65535)
        return -1;
    *port = (uint16_t)value;
    return 0;
}

int tender_app_main(const struct tender_start_info *si)
{
    static struct ipv4_iface ifc;
    struct ipv4_iface *ifcs[1] = {&ifc};
    uint8_t addr[4];

    if (si->argc != 3 || ipv4_parse(si->argv[1], addr) < 0 ||
        parse_port(si->argv[2], &echo_port) < 0) {
        printf("usage: udp-echo.elf IPV4-ADDRESS PORT\n");
        return 2;
    }
    if (ipv4_iface_open(&ifc, "service", addr) != HVT_OK) {
        printf("udp-echo: no network device 'service'\n");
        return 1;
    }
    ifc.on_udp = on_udp;
    printf("udp-echo: echoing UDP port %u of %s, mtu %u\n", (unsigned)echo_port,
           si->argv[1], (unsigned)ifc.net.mtu);
    ipv4_serve(ifcs, 1);
}

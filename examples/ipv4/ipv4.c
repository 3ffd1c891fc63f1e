/*
 * The IPv4 responder of ipv4.h.  Frames are parsed by byte offset with
 * explicit big-endian loads and stores, so nothing depends on structure
 * packing or alignment; replies are built in place in the received frame.
 */
#include <tender/guest.h>
#include <tender/stdio.h>
#include <tender/string.h>

#include "ipv4.h"

#define ETH_DST 0
#define ETH_SRC 6
#define ETH_TYPE 12
#define ETH_HLEN 14
#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_ARP 0x0806

/* ARP for IPv4 over Ethernet, offsets from the end of the Ethernet header. */
#define ARP_HTYPE 0
#define ARP_PTYPE 2
#define ARP_HLEN 4
#define ARP_PLEN 5
#define ARP_OPER 6
#define ARP_SHA 8
#define ARP_SPA 14
#define ARP_THA 18
#define ARP_TPA 24
#define ARP_LEN 28
#define ARP_REQUEST 1
#define ARP_REPLY 2

#define IP_VER_IHL 0
#define IP_TOTAL_LEN 2
#define IP_FRAG 6
#define IP_TTL 8
#define IP_PROTO 9
#define IP_CSUM 10
#define IP_SRC 12
#define IP_DST 16
#define IP_MIN_HLEN 20
#define IP_FRAG_MASK 0x3fff /* more-fragments flag and offset */
#define IPPROTO_ICMP 1
#define IPPROTO_UDP 17

#define ICMP_TYPE 0
#define ICMP_CSUM 2
#define ICMP_MIN_LEN 8
#define ICMP_ECHO_REPLY 0
#define ICMP_ECHO_REQUEST 8

#define UDP_SPORT 0
#define UDP_DPORT 2
#define UDP_LEN 4
#define UDP_HLEN 8

/* Room for any frame a tap can carry: MTU up to 65535, a VLAN tag. */
#define FRAME_MAX (65535 + ETH_HLEN + 4)

static uint8_t frame_buf[FRAME_MAX];

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void swap_bytes(uint8_t *a, uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint8_t t = a[i];

        a[i] = b[i];
        b[i] = t;
    }
}

uint16_t ipv4_checksum_fold(const uint8_t *data, size_t len)
{
    uint64_t sum = 0;
    size_t i;

    for (i = 0; i + 1 < len; i += 2)
        sum += get16(data + i);
    if (i < len)
        sum += (uint64_t)data[i] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)sum;
}

static uint16_t checksum(const uint8_t *data, size_t len)
{
    return (uint16_t)~ipv4_checksum_fold(data, len);
}

int ipv4_parse(const char *text, uint8_t addr[4])
{
    for (int i = 0; i < 4; i++) {
        unsigned value = 0;
        int digits = 0;

        while (*text >= '0' && *text <= '9' && digits < 4) {
            value = value * 10 + (unsigned)(*text++ - '0');
            digits++;
        }
        if (digits == 0 || digits > 3 || value > 255)
            return -1;
        addr[i] = (uint8_t)value;
        if (*text != (i < 3 ? '.' : '\0'))
            return -1;
        text++;
    }
    return 0;
}

int ipv4_iface_open(struct ipv4_iface *ifc, const char *devname,
                    const uint8_t addr[4])
{
    memset(ifc, 0, sizeof(*ifc));
    memcpy(ifc->addr, addr, 4);
    return tender_net_acquire(devname, &ifc->net);
}

static void send_frame(struct ipv4_iface *ifc, const uint8_t *frame, size_t len)
{
    if (tender_net_write(ifc->net.handle, frame, len) == HVT_OK)
        ifc->stats.frames_out++;
    else
        ifc->stats.write_errors++;
}

/* Reply to the frame's sender, from us: the Ethernet part of any answer. */
static void turn_ethernet_around(struct ipv4_iface *ifc, uint8_t *frame)
{
    memcpy(frame + ETH_DST, frame + ETH_SRC, 6);
    memcpy(frame + ETH_SRC, ifc->net.mac, 6);
}

static int handle_arp(struct ipv4_iface *ifc, uint8_t *frame, size_t len)
{
    uint8_t *arp = frame + ETH_HLEN;

    if (len < ETH_HLEN + ARP_LEN || get16(arp + ARP_HTYPE) != 1 ||
        get16(arp + ARP_PTYPE) != ETHERTYPE_IPV4 || arp[ARP_HLEN] != 6 ||
        arp[ARP_PLEN] != 4 || get16(arp + ARP_OPER) != ARP_REQUEST ||
        memcmp(arp + ARP_TPA, ifc->addr, 4) != 0)
        return -1;
    turn_ethernet_around(ifc, frame);
    put16(arp + ARP_OPER, ARP_REPLY);
    memcpy(arp + ARP_THA, arp + ARP_SHA, 10); /* their MAC and address */
    memcpy(arp + ARP_SHA, ifc->net.mac, 6);
    memcpy(arp + ARP_SPA, ifc->addr, 4);
    send_frame(ifc, frame, ETH_HLEN + ARP_LEN);
    ifc->stats.arp_replies++;
    return 0;
}

/* The same packet, back to its sender: addresses swapped, header redone. */
static void turn_ip_around(uint8_t *ip, size_t hlen)
{
    swap_bytes(ip + IP_SRC, ip + IP_DST, 4);
    ip[IP_TTL] = 64;
    put16(ip + IP_CSUM, 0);
    put16(ip + IP_CSUM, checksum(ip, hlen));
}

static int handle_icmp(struct ipv4_iface *ifc, uint8_t *frame, uint8_t *ip,
                       size_t hlen, size_t total)
{
    uint8_t *icmp = ip + hlen;
    size_t icmp_len = total - hlen;

    if (icmp_len < ICMP_MIN_LEN || icmp[ICMP_TYPE] != ICMP_ECHO_REQUEST ||
        checksum(icmp, icmp_len) != 0)
        return -1;
    icmp[ICMP_TYPE] = ICMP_ECHO_REPLY;
    put16(icmp + ICMP_CSUM, 0);
    put16(icmp + ICMP_CSUM, checksum(icmp, icmp_len));
    turn_ip_around(ip, hlen);
    turn_ethernet_around(ifc, frame);
    send_frame(ifc, frame, ETH_HLEN + total);
    ifc->stats.echo_replies++;
    return 0;
}

static int handle_udp(struct ipv4_iface *ifc, uint8_t *frame, uint8_t *ip,
                      size_t hlen, size_t total)
{
    uint8_t *udp = ip + hlen;
    size_t udp_len;

    if (ifc->on_udp == NULL || total - hlen < UDP_HLEN)
        return -1;
    udp_len = get16(udp + UDP_LEN);
    if (udp_len < UDP_HLEN || udp_len > total - hlen)
        return -1;
    ifc->stats.udp_in++;
    ifc->on_udp(ifc, frame, ETH_HLEN + hlen + udp_len, get16(udp + UDP_DPORT),
                udp + UDP_HLEN, udp_len - UDP_HLEN);
    return 0;
}

static int handle_ipv4(struct ipv4_iface *ifc, uint8_t *frame, size_t len)
{
    uint8_t *ip = frame + ETH_HLEN;
    size_t hlen, total;

    if (len < ETH_HLEN + IP_MIN_HLEN || ip[IP_VER_IHL] >> 4 != 4)
        return -1;
    hlen = (size_t)(ip[IP_VER_IHL] & 0xf) * 4;
    total = get16(ip + IP_TOTAL_LEN);
    /* Ethernet may pad a short packet: the IP length is the truth. */
    if (hlen < IP_MIN_HLEN || total < hlen || total > len - ETH_HLEN ||
        checksum(ip, hlen) != 0 || memcmp(ip + IP_DST, ifc->addr, 4) != 0 ||
        (get16(ip + IP_FRAG) & IP_FRAG_MASK) != 0)
        return -1;
    switch (ip[IP_PROTO]) {
    case IPPROTO_ICMP:
        return handle_icmp(ifc, frame, ip, hlen, total);
    case IPPROTO_UDP:
        return handle_udp(ifc, frame, ip, hlen, total);
    default:
        return -1;
    }
}

static void handle_frame(struct ipv4_iface *ifc, uint8_t *frame, size_t len)
{
    int rc = -1;

    ifc->stats.frames_in++;
    if (len >= ETH_HLEN && get16(frame + ETH_TYPE) == ETHERTYPE_ARP)
        rc = handle_arp(ifc, frame, len);
    else if (len >= ETH_HLEN && get16(frame + ETH_TYPE) == ETHERTYPE_IPV4)
        rc = handle_ipv4(ifc, frame, len);
    if (rc < 0)
        ifc->stats.dropped++;
}

/*
 * Swapping source and destination (addresses and ports) leaves the UDP
 * and IP checksums as they were: a one's-complement sum ignores order.
 */
void ipv4_udp_echo(struct ipv4_iface *ifc, uint8_t *frame, size_t frame_len)
{
    uint8_t *ip = frame + ETH_HLEN;
    size_t hlen = (size_t)(ip[IP_VER_IHL] & 0xf) * 4;
    uint8_t *udp = ip + hlen;

    swap_bytes(ip + IP_SRC, ip + IP_DST, 4);
    swap_bytes(udp + UDP_SPORT, udp + UDP_DPORT, 2);
    turn_ethernet_around(ifc, frame);
    send_frame(ifc, frame, frame_len);
}

int ipv4_iface_receive(struct ipv4_iface *ifc)
{
    size_t room = (size_t)ifc->net.mtu + ETH_HLEN + 4;
    size_t len;
    int rc = tender_net_read(ifc->net.handle, frame_buf, room, &len);

    if (rc == HVT_OK)
        handle_frame(ifc, frame_buf, len);
    else if (rc != HVT_AGAIN)
        ifc->stats.dropped++; /* too long, or the host failed (it says) */
    return rc;
}

/*
 * One frame per device per POLL: with one frame in flight at a time (a
 * ping, a request and its answer) that is three exits per frame (POLL,
 * read, write) where reading until AGAIN would take four; with many
 * queued, POLL returns at once.
 */
void ipv4_serve(struct ipv4_iface *const *ifcs, int n)
{
    uint64_t ready = ~0ULL; /* look at every device once at first */

    for (;;) {
        for (int i = 0; i < n; i++)
            if (ready & (1ULL << ifcs[i]->net.handle))
                ipv4_iface_receive(ifcs[i]);
        tender_yield(tender_clock_monotonic() + 1000000000ULL, &ready);
    }
}

/*
 * A very small IPv4 responder for example guests: one address per network
 * device, answering ARP requests and ICMP echo requests for it, and
 * handing UDP datagrams for it to the application.  No routing, no
 * fragments, no ARP cache: every reply goes back to the frame's sender.
 */
#ifndef EXAMPLES_IPV4_H
#define EXAMPLES_IPV4_H

#include <stddef.h>
#include <stdint.h>
#include <tender/guest.h>

struct ipv4_iface;

/*
 * Called for each UDP datagram to the interface's address.  frame is the
 * whole Ethernet frame (writable, frame_len bytes), payload points into it.
 * ipv4_udp_echo() answers one.
 */
typedef void (*ipv4_udp_fn)(struct ipv4_iface *ifc, uint8_t *frame,
                            size_t frame_len, uint16_t dst_port,
                            const uint8_t *payload, size_t payload_len);

struct ipv4_stats {
    uint64_t frames_in;
    uint64_t frames_out;
    uint64_t arp_replies;
    uint64_t echo_replies;
    uint64_t udp_in;
    uint64_t dropped; /* malformed, not for us, or unhandled */
    uint64_t write_errors;
};

struct ipv4_iface {
    struct tender_net_info net;
    uint8_t addr[4];
    ipv4_udp_fn on_udp; /* NULL: UDP is dropped */
    struct ipv4_stats stats;
};

/* Parse "a.b.c.d"; 0, or -1 if text is not a dotted-quad address. */
int ipv4_parse(const char *text, uint8_t addr[4]);

/* Acquire device devname and give it address addr; an hvt_result. */
int ipv4_iface_open(struct ipv4_iface *ifc, const char *devname,
                    const uint8_t addr[4]);

/* Read one frame from ifc and answer it; the hvt_result of the read. */
int ipv4_iface_receive(struct ipv4_iface *ifc);

/* Answer frame (a UDP datagram given to on_udp) with its own payload. */
void ipv4_udp_echo(struct ipv4_iface *ifc, uint8_t *frame, size_t frame_len);

/* Serve the interfaces until the guest is stopped from outside. */
_Noreturn void ipv4_serve(struct ipv4_iface *const *ifcs, int n);

/* The Internet checksum of len bytes, folded, not complemented. */
uint16_t ipv4_checksum_fold(const uint8_t *data, size_t len);

#endif /* EXAMPLES_IPV4_H */

/*
 * TCP/IP for tender guests: lwIP (Debian's lwip 2.1.3 source, see
 * guest/lwip/README.md) behind a small socket-like API without threads.
 *
 * One network device, one static IPv4 address.  Nothing blocks: every
 * call returns at once, TN_EAGAIN when it would have to wait, and the
 * application's loop calls tn_poll(), which moves frames in and out, runs
 * lwIP's timers and sleeps (tender_yield) until something happens or the
 * timeout passes.  A typical server:
 *
 *     tn_init("service", "10.0.0.2/24", NULL);
 *     int l = tn_tcp_listen(80);
 *     for (;;) {
 *         tn_poll(1000000000);            // up to 1 s
 *         int c;
 *         while ((c = tn_accept(l)) >= 0)
 *             ...remember c...
 *         for each remembered c:
 *             if (tn_events(c) & TN_READABLE) n = tn_read(c, buf, size);
 *             ...tn_write(c, ...), tn_close(c)...
 *     }
 *
 * Sockets are small integers (0 to TN_MAX_SOCKETS - 1).  Errors are
 * negative TN_E* values.
 */
#ifndef TENDER_TCPIP_H
#define TENDER_TCPIP_H

#include <stddef.h>
#include <stdint.h>

#define TN_MAX_SOCKETS 1024

/* Errors: negative return values. */
#define TN_EAGAIN (-1)  /* nothing now: poll and try again */
#define TN_EINVAL (-2)  /* a bad argument or socket */
#define TN_ENOMEM (-3)  /* out of sockets or lwIP memory */
#define TN_ERESET (-4)  /* the connection was reset or failed */
#define TN_ECLOSED (-5) /* the peer closed (write), or closed here */
#define TN_EINUSE (-6)  /* the port is taken */
#define TN_ENODEV (-7)  /* no such network device */

/* tn_events() bits. */
#define TN_READABLE 1u /* tn_read/tn_recvfrom has data (or the EOF) */
#define TN_WRITABLE 2u /* tn_write would take bytes now */
#define TN_ACCEPT 4u   /* a listener has a connection to accept */
#define TN_HUP 8u      /* the peer sent FIN: reads end after the data */
#define TN_ERROR 16u   /* reset or failed: only tn_close is left */

/*
 * Start lwIP on network device devname (a TENDER_NET_DEVICE of the
 * manifest) with address addr, "A.B.C.D" or "A.B.C.D/PREFIX" (default
 * prefix 24), and gateway gw ("A.B.C.D", or NULL for none).  lwIP takes
 * TN_HEAP_BYTES from the start of the guest heap.  0, TN_EINVAL (a bad
 * address, or called twice), TN_ENOMEM (a heap smaller than TN_HEAP_BYTES)
 * or TN_ENODEV.
 */
#define TN_HEAP_BYTES (32u * 1024 * 1024 + 4096)
int tn_init(const char *devname, const char *addr, const char *gw);

/* The first byte of the guest heap after lwIP's, and how many are left. */
void tn_heap_rest(uintptr_t *start, size_t *size);

/*
 * Process queued input and due timers; if that changed the state of no
 * socket, sleep until a frame arrives or a timer is due, and again, for at
 * most timeout_ns in all.  Returns the number of socket events seen.
 */
unsigned tn_poll(uint64_t timeout_ns);

/* TCP: listen on port (all addresses); a listening socket. */
int tn_tcp_listen(uint16_t port);

/* A connection accepted on listener, or TN_EAGAIN. */
int tn_accept(int listener);

/*
 * Up to len bytes received on s: their number, 0 at the end of the stream
 * (the peer closed), TN_EAGAIN, or TN_ERESET.
 */
long tn_read(int s, void *buf, size_t len);

/*
 * Queue up to len bytes of buf (copied) for sending on s: the number
 * taken (maybe fewer than len, when the send buffer is full), TN_EAGAIN if
 * none, TN_ERESET, or TN_ECLOSED.  What is queued goes out at the next
 * tn_poll, or at tn_flush.
 */
long tn_write(int s, const void *buf, size_t len);

/* Bytes tn_write would take now. */
size_t tn_write_space(int s);

/* Send what tn_write queued now, without waiting for tn_poll. */
void tn_flush(int s);

/*
 * Close s: a connection is shut down cleanly (its queued bytes still go
 * out), a listener or UDP socket closed.  The socket number is free again
 * at once.  0 or TN_EINVAL.
 */
int tn_close(int s);

/* Reset a connection (RST) and free s. */
int tn_abort(int s);

/* The TN_* event bits of s now (0 for a bad socket). */
unsigned tn_events(int s);

/* The peer's address and port of a connection or last UDP datagram. */
int tn_peer(int s, uint8_t addr[4], uint16_t *port);

/* UDP: a socket bound to port (0: any). */
int tn_udp_bind(uint16_t port);

/* Send one datagram to addr:port; len, or TN_ENOMEM, TN_EINVAL. */
long tn_sendto(int s, const void *buf, size_t len, const uint8_t addr[4],
               uint16_t port);

/*
 * Receive one datagram: its length (cut to len if longer), TN_EAGAIN if
 * none; addr and port (may be NULL) get the sender's.
 */
long tn_recvfrom(int s, void *buf, size_t len, uint8_t addr[4], uint16_t *port);

/* Counters of the stack since tn_init. */
struct tn_stats {
    uint64_t frames_in, frames_out, bytes_in, bytes_out;
    uint64_t drops_in, errors_out;
    uint64_t tcp_accepted, tcp_open; /* connections: accepted; open now */
    uint64_t tcp_refused;            /* no socket free: reset at once */
    uint64_t mem_used, mem_max;      /* lwIP heap bytes: now; highest */
    uint64_t mem_errors;             /* lwIP heap allocations refused */
    uint64_t tcp_segments_out;       /* sent, retransmissions included */
    uint64_t tcp_segments_in;        /* received */
    uint64_t tcp_drops;              /* received and dropped by lwIP */
};
void tn_get_stats(struct tn_stats *st);

#endif /* TENDER_TCPIP_H */

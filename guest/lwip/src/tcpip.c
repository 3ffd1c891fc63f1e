/*
 * The socket-like API of <tender/tcpip.h> over lwIP's raw callback API.
 *
 * lwIP calls back (recv, sent, err, accept, UDP recv) from inside
 * tn_poll only: from netif input, its timers, or the output this file
 * starts.  The callbacks queue what they get on the socket and count an
 * event; the application takes it with tn_read, tn_accept, tn_recvfrom.
 */
#include <stdint.h>
#include <string.h>
#include <tender/guest.h>
#include <tender/tcpip.h>

#include "lwip/init.h"
#include "lwip/mem.h"
#include "lwip/pbuf.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/prot/ethernet.h"
#include "lwip/prot/ip4.h"
#include "lwip/prot/tcp.h"
#include "lwip/stats.h"
#include "lwip/tcp.h"
#include "lwip/timeouts.h"
#include "lwip/udp.h"
#include "tender_netif.h"

_Static_assert(MEM_SIZE + 1024 <= TN_HEAP_BYTES,
               "TN_HEAP_BYTES must hold lwIP's heap (MEM_SIZE)");

enum tn_kind { TN_FREE, TN_LISTEN, TN_CONN, TN_UDP };

/* Datagrams a UDP socket holds before it drops new ones. */
#define TN_UDP_QUEUE 64

struct tn_datagram {
    struct pbuf *p;
    ip_addr_t addr;
    u16_t port;
};

struct tn_sock {
    struct tcp_pcb *tcp;
    struct udp_pcb *udp;
    struct pbuf *rx; /* TCP: received bytes not yet read */
    /* UDP: received datagrams, a ring. */
    struct tn_datagram *dgrams;
    /* Listener: its queue of accepted connections (socket numbers). */
    int queue_head, queue_tail;
    int next; /* in a listener's queue */
    unsigned dgram_head, dgram_count;
    ip_addr_t peer;
    u16_t peer_port;
    uint8_t kind;
    uint8_t hup;     /* FIN received */
    uint8_t failed;  /* reset or aborted: the pcb is gone */
    uint8_t dirty;   /* written since the last output */
    uint8_t pending; /* accepted by lwIP, not yet by the application */
};

static struct tn_sock socks[TN_MAX_SOCKETS];
static int dirty_list[TN_MAX_SOCKETS];
static int dirty_count;
static unsigned event_count;
static struct netif tn_netif;
static struct tender_netif tn_dev;
static int started;
static uintptr_t rest_start;
static size_t rest_size;
static uint64_t n_accepted, n_open, n_refused;

/* "A.B.C.D", with an optional "/PREFIX" when prefix is not NULL. */
static int parse_addr(const char *s, ip4_addr_t *addr, int *prefix)
{
    uint32_t v = 0;
    int part;

    for (part = 0; part < 4; part++) {
        unsigned n = 0, digits = 0;

        while (*s >= '0' && *s <= '9' && digits < 4) {
            n = n * 10 + (unsigned)(*s++ - '0');
            digits++;
        }
        if (digits == 0 || digits > 3 || n > 255)
            return -1;
        v = (v << 8) | n;
        if (part < 3 && *s++ != '.')
            return -1;
    }
    if (prefix != NULL && *s == '/') {
        unsigned n = 0, digits = 0;

        s++;
        while (*s >= '0' && *s <= '9' && digits < 3) {
            n = n * 10 + (unsigned)(*s++ - '0');
            digits++;
        }
        if (digits == 0 || n > 32)
            return -1;
        *prefix = (int)n;
    }
    if (*s != '\0')
        return -1;
    ip4_addr_set_u32(addr, lwip_htonl(v));
    return 0;
}

static struct tn_sock *sock_get(int s, enum tn_kind kind)
{
    if (s < 0 || s >= TN_MAX_SOCKETS || socks[s].kind != kind ||
        socks[s].pending)
        return NULL;
    return &socks[s];
}

static int sock_alloc(enum tn_kind kind)
{
    /* Round-robin from the last one given, so that a number just freed
     * is not handed out again at once. */
    static int last = -1;
    int i;

    for (i = 1; i <= TN_MAX_SOCKETS; i++) {
        int s = (last + i) % TN_MAX_SOCKETS;

        if (socks[s].kind == TN_FREE) {
            memset(&socks[s], 0, sizeof(socks[s]));
            socks[s].kind = (uint8_t)kind;
            socks[s].queue_head = socks[s].queue_tail = socks[s].next = -1;
            last = s;
            return s;
        }
    }
    return TN_ENOMEM;
}

static void sock_free(struct tn_sock *so)
{
    if (so->rx != NULL)
        pbuf_free(so->rx);
    if (so->dgrams != NULL) {
        while (so->dgram_count > 0) {
            pbuf_free(so->dgrams[so->dgram_head].p);
            so->dgram_head = (so->dgram_head + 1) % TN_UDP_QUEUE;
            so->dgram_count--;
        }
        mem_free(so->dgrams);
    }
    memset(so, 0, sizeof(*so));
    so->kind = TN_FREE;
}

static void mark_dirty(int s)
{
    if (socks[s].dirty)
        return;
    /* A socket closed while on the list leaves a stale entry there (skipped
     * by flush_dirty); should the list fill up, output at once instead. */
    if (dirty_count == TN_MAX_SOCKETS) {
        if (socks[s].tcp != NULL)
            tcp_output(socks[s].tcp);
        return;
    }
    socks[s].dirty = 1;
    dirty_list[dirty_count++] = s;
}

/*
 * Whether the device may have frames queued: cleared when a read found
 * none, set when tender_yield says it has input.  Saves the read (a VM
 * exit) that would only find nothing.
 */
static int input_maybe = 1;

/* Frames sent since the last look at the input, and the most before one. */
static uint64_t out_mark;
#define OUT_BURST 128

static void flush_dirty(void)
{
    while (dirty_count > 0) {
        int s = dirty_list[--dirty_count];

        socks[s].dirty = 0;
        if (socks[s].kind == TN_CONN && socks[s].tcp != NULL)
            tcp_output(socks[s].tcp);
        /*
         * Many connections with full windows send thousands of frames in
         * one flush, while the host's acknowledgements queue up on the
         * tap (1,000 frames by default) and the rest are dropped, which
         * costs retransmission timeouts.  Take the input in between.
         */
        if (tn_dev.frames_out - out_mark >= OUT_BURST) {
            out_mark = tn_dev.frames_out;
            input_maybe =
                tender_netif_poll(&tn_netif, 4 * OUT_BURST) == 4 * OUT_BURST;
        }
    }
}

/* lwIP callbacks: arg is the socket number. */

static err_t on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
    struct tn_sock *so = &socks[(intptr_t)arg];

    (void)pcb;
    event_count++;
    if (p == NULL) {
        so->hup = 1;
        return ERR_OK;
    }
    if (err != ERR_OK) {
        pbuf_free(p);
        return ERR_OK;
    }
    if (so->rx == NULL)
        so->rx = p;
    else
        pbuf_cat(so->rx, p);
    return ERR_OK;
}

static err_t on_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
    (void)arg;
    (void)pcb;
    (void)len;
    event_count++;
    return ERR_OK;
}

static void on_err(void *arg, err_t err)
{
    struct tn_sock *so = &socks[(intptr_t)arg];

    (void)err;
    event_count++;
    /* The pcb is freed already. */
    so->tcp = NULL;
    so->failed = 1;
    if (n_open > 0)
        n_open--;
}

static void conn_detach(struct tn_sock *so)
{
    tcp_arg(so->tcp, NULL);
    tcp_recv(so->tcp, NULL);
    tcp_sent(so->tcp, NULL);
    tcp_err(so->tcp, NULL);
}

static err_t on_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
    int l = (int)(intptr_t)arg, s;
    struct tn_sock *lso = &socks[l], *so;

    if (err != ERR_OK || pcb == NULL)
        return ERR_VAL;
    s = sock_alloc(TN_CONN);
    if (s < 0) {
        n_refused++;
        tcp_abort(pcb);
        return ERR_ABRT;
    }
    so = &socks[s];
    so->tcp = pcb;
    so->pending = 1;
    ip_addr_copy(so->peer, pcb->remote_ip);
    so->peer_port = pcb->remote_port;
    tcp_arg(pcb, (void *)(intptr_t)s);
    tcp_recv(pcb, on_recv);
    tcp_sent(pcb, on_sent);
    tcp_err(pcb, on_err);
    tcp_nagle_disable(pcb);
    if (lso->queue_tail < 0)
        lso->queue_head = s;
    else
        socks[lso->queue_tail].next = s;
    lso->queue_tail = s;
    n_accepted++;
    n_open++;
    event_count++;
    return ERR_OK;
}

static void on_udp_recv(void *arg, struct udp_pcb *pcb, struct pbuf *p,
                        const ip_addr_t *addr, u16_t port)
{
    struct tn_sock *so = &socks[(intptr_t)arg];
    struct tn_datagram *d;

    (void)pcb;
    if (so->dgram_count == TN_UDP_QUEUE) {
        pbuf_free(p);
        return;
    }
    d = &so->dgrams[(so->dgram_head + so->dgram_count) % TN_UDP_QUEUE];
    d->p = p;
    ip_addr_copy(d->addr, *addr);
    d->port = port;
    so->dgram_count++;
    event_count++;
}

/*
 * A new connection's SYN whose addresses and ports are those of a
 * connection lwIP holds in TIME-WAIT: lwIP would answer it with an ACK (or
 * a RST if it lies in the old window) for up to 2 MSL, so that a client
 * reusing the port could not connect.  The old connection is forgotten
 * instead, as RFC 6191 allows a server to do, and the SYN then reaches the
 * listener.  Called with each received frame before lwIP sees it.
 */
static void forget_time_wait(const uint8_t *frame, size_t len)
{
    const struct ip_hdr *ip;
    const struct tcp_hdr *tcp;
    size_t ihl;
    uint16_t src_port, dst_port;
    struct tcp_pcb *pcb;

    if (tcp_tw_pcbs == NULL || len < SIZEOF_ETH_HDR + IP_HLEN + TCP_HLEN ||
        frame[12] != 0x08 || frame[13] != 0x00)
        return;
    ip = (const struct ip_hdr *)(frame + SIZEOF_ETH_HDR);
    ihl = (size_t)IPH_HL_BYTES(ip);
    if (IPH_V(ip) != 4 || IPH_PROTO(ip) != IP_PROTO_TCP || ihl < IP_HLEN ||
        len < SIZEOF_ETH_HDR + ihl + TCP_HLEN ||
        (IPH_OFFSET(ip) & PP_HTONS(IP_OFFMASK | IP_MF)) != 0)
        return;
    tcp = (const struct tcp_hdr *)(frame + SIZEOF_ETH_HDR + ihl);
    if ((TCPH_FLAGS(tcp) & (TCP_SYN | TCP_ACK | TCP_RST)) != TCP_SYN)
        return;
    src_port = lwip_ntohs(tcp->src);
    dst_port = lwip_ntohs(tcp->dest);
    for (pcb = tcp_tw_pcbs; pcb != NULL; pcb = pcb->next) {
        if (pcb->remote_port == src_port && pcb->local_port == dst_port &&
            ip4_addr_cmp(ip_2_ip4(&pcb->remote_ip), &ip->src) &&
            ip4_addr_cmp(ip_2_ip4(&pcb->local_ip), &ip->dest)) {
            tcp_abort(pcb); /* a TIME-WAIT pcb is just freed */
            return;
        }
    }
}

/* The API */

int tn_init(const char *devname, const char *addr, const char *gw)
{
    ip4_addr_t a, mask, g;
    int prefix = 24;
    uintptr_t heap;
    size_t size;
    err_t e;

    if (started || devname == NULL || addr == NULL ||
        parse_addr(addr, &a, &prefix) < 0)
        return TN_EINVAL;
    ip4_addr_set_zero(&g);
    if (gw != NULL && parse_addr(gw, &g, NULL) < 0)
        return TN_EINVAL;
    ip4_addr_set_u32(
        &mask, prefix == 0 ? 0 : lwip_htonl(0xffffffffu << (32 - prefix)));
    tender_heap_bounds(&heap, &size);
    if (size < TN_HEAP_BYTES)
        return TN_ENOMEM;
    tender_lwip_heap = (unsigned char *)heap;
    rest_start = heap + TN_HEAP_BYTES;
    rest_size = size - TN_HEAP_BYTES;
    lwip_init();
    e = tender_netif_add(&tn_netif, &tn_dev, devname, &a, &mask, &g);
    if (e == ERR_ARG)
        return TN_ENODEV;
    if (e != ERR_OK)
        return TN_ENOMEM;
    netif_set_default(&tn_netif);
    tn_dev.rx_hook = forget_time_wait;
    started = 1;
    return 0;
}

void tn_heap_rest(uintptr_t *start, size_t *size)
{
    *start = rest_start;
    *size = rest_size;
}

unsigned tn_poll(uint64_t timeout_ns)
{
    uint64_t now = tender_clock_monotonic();
    uint64_t deadline =
        timeout_ns > UINT64_MAX - now ? UINT64_MAX : now + timeout_ns;
    unsigned before = event_count;

    if (!started)
        return 0;
    for (;;) {
        uint64_t wake, ready = 0;
        u32_t ms;

        flush_dirty();
        /* Input first, in bounded rounds, so that a flood cannot keep
         * the timers (and the application) from running. */
        if (input_maybe) {
            int rounds;

            for (rounds = 0; rounds < 8; rounds++) {
                unsigned n = tender_netif_poll(&tn_netif, 64);

                flush_dirty();
                if (n < 64) {
                    input_maybe = 0;
                    break;
                }
            }
        }
        sys_check_timeouts();
        flush_dirty();
        if (event_count != before)
            break;
        /* Sleep until input, the next lwIP timer or the deadline; a
         * deadline already past only checks for input. */
        now = tender_clock_monotonic();
        wake = deadline;
        ms = sys_timeouts_sleeptime();
        if (ms != SYS_TIMEOUTS_SLEEPTIME_INFINITE && now < wake &&
            (uint64_t)ms * 1000000u < wake - now)
            wake = now + (uint64_t)ms * 1000000u;
        tender_yield(wake, &ready);
        if (ready & (1ull << tn_dev.handle)) {
            input_maybe = 1;
            continue;
        }
        if (tender_clock_monotonic() >= deadline)
            break;
    }
    return event_count - before;
}

int tn_tcp_listen(uint16_t port)
{
    struct tcp_pcb *pcb, *lpcb;
    int s;
    err_t e;

    if (!started)
        return TN_EINVAL;
    s = sock_alloc(TN_LISTEN);
    if (s < 0)
        return s;
    pcb = tcp_new();
    if (pcb == NULL) {
        sock_free(&socks[s]);
        return TN_ENOMEM;
    }
    e = tcp_bind(pcb, IP_ANY_TYPE, port);
    if (e != ERR_OK) {
        tcp_close(pcb);
        sock_free(&socks[s]);
        return e == ERR_USE ? TN_EINUSE : TN_EINVAL;
    }
    lpcb = tcp_listen_with_backlog(pcb, TCP_DEFAULT_LISTEN_BACKLOG);
    if (lpcb == NULL) {
        tcp_close(pcb);
        sock_free(&socks[s]);
        return TN_ENOMEM;
    }
    socks[s].tcp = lpcb;
    tcp_arg(lpcb, (void *)(intptr_t)s);
    tcp_accept(lpcb, on_accept);
    return s;
}

int tn_accept(int listener)
{
    struct tn_sock *lso = sock_get(listener, TN_LISTEN);
    int s;

    if (lso == NULL)
        return TN_EINVAL;
    s = lso->queue_head;
    if (s < 0)
        return TN_EAGAIN;
    lso->queue_head = socks[s].next;
    if (lso->queue_head < 0)
        lso->queue_tail = -1;
    socks[s].next = -1;
    socks[s].pending = 0;
    return s;
}

long tn_read(int s, void *buf, size_t len)
{
    struct tn_sock *so = sock_get(s, TN_CONN);
    u16_t n;

    if (so == NULL)
        return TN_EINVAL;
    if (so->rx == NULL) {
        if (so->failed)
            return TN_ERESET;
        return so->hup ? 0 : TN_EAGAIN;
    }
    if (len > 0xffff)
        len = 0xffff;
    n = pbuf_copy_partial(so->rx, buf, (u16_t)len, 0);
    so->rx = pbuf_free_header(so->rx, n);
    if (so->tcp != NULL && n > 0) {
        tcp_recved(so->tcp, n);
        mark_dirty(s); /* the window update */
    }
    return n;
}

size_t tn_write_space(int s)
{
    struct tn_sock *so = sock_get(s, TN_CONN);

    if (so == NULL || so->tcp == NULL ||
        tcp_sndqueuelen(so->tcp) >= TCP_SND_QUEUELEN - 2)
        return 0;
    return tcp_sndbuf(so->tcp);
}

long tn_write(int s, const void *buf, size_t len)
{
    struct tn_sock *so = sock_get(s, TN_CONN);
    size_t n;
    err_t e;

    if (so == NULL)
        return TN_EINVAL;
    if (so->failed)
        return TN_ERESET;
    if (so->tcp == NULL)
        return TN_ECLOSED;
    n = tn_write_space(s);
    if (n > len)
        n = len;
    if (n > 0xffff)
        n = 0xffff;
    if (n == 0)
        return len == 0 ? 0 : TN_EAGAIN;
    e = tcp_write(so->tcp, buf, (u16_t)n, TCP_WRITE_FLAG_COPY);
    if (e == ERR_MEM)
        return TN_EAGAIN;
    if (e != ERR_OK)
        return TN_ECLOSED;
    mark_dirty(s);
    return (long)n;
}

void tn_flush(int s)
{
    struct tn_sock *so = sock_get(s, TN_CONN);

    if (so != NULL && so->tcp != NULL)
        tcp_output(so->tcp);
}

/* Close or abort a connection's pcb and free the socket. */
static void conn_close(struct tn_sock *so, int reset)
{
    if (so->tcp != NULL) {
        struct tcp_pcb *pcb = so->tcp;

        conn_detach(so);
        /* Bytes received and never read count as read: lwIP closes a
         * connection with unread bytes by a reset, which would lose the
         * response still queued. */
        if (so->rx != NULL && !reset)
            tcp_recved(pcb, so->rx->tot_len);
        if (reset || tcp_close(pcb) != ERR_OK)
            tcp_abort(pcb);
        if (n_open > 0)
            n_open--;
    }
    sock_free(so);
}

static int sock_close(int s, int reset)
{
    struct tn_sock *so;

    if (s < 0 || s >= TN_MAX_SOCKETS || socks[s].kind == TN_FREE ||
        socks[s].pending)
        return TN_EINVAL;
    so = &socks[s];
    switch (so->kind) {
    case TN_CONN:
        conn_close(so, reset);
        break;
    case TN_LISTEN: {
        int q = so->queue_head;

        while (q >= 0) {
            int next = socks[q].next;

            conn_close(&socks[q], 1);
            q = next;
        }
        tcp_arg(so->tcp, NULL);
        tcp_accept(so->tcp, NULL);
        tcp_close(so->tcp);
        sock_free(so);
        break;
    }
    case TN_UDP:
        udp_remove(so->udp);
        sock_free(so);
        break;
    }
    return 0;
}

int tn_close(int s)
{
    return sock_close(s, 0);
}

int tn_abort(int s)
{
    return sock_close(s, 1);
}

unsigned tn_events(int s)
{
    struct tn_sock *so;
    unsigned ev = 0;

    if (s < 0 || s >= TN_MAX_SOCKETS || socks[s].pending)
        return 0;
    so = &socks[s];
    switch (so->kind) {
    case TN_LISTEN:
        if (so->queue_head >= 0)
            ev |= TN_ACCEPT;
        break;
    case TN_CONN:
        if (so->rx != NULL || so->hup || so->failed)
            ev |= TN_READABLE;
        if (so->hup)
            ev |= TN_HUP;
        if (so->failed)
            ev |= TN_ERROR;
        else if (tn_write_space(s) > 0)
            ev |= TN_WRITABLE;
        break;
    case TN_UDP:
        if (so->dgram_count > 0)
            ev |= TN_READABLE;
        ev |= TN_WRITABLE;
        break;
    }
    return ev;
}

int tn_peer(int s, uint8_t addr[4], uint16_t *port)
{
    uint32_t a;

    if (s < 0 || s >= TN_MAX_SOCKETS || socks[s].kind == TN_FREE)
        return TN_EINVAL;
    a = lwip_ntohl(ip4_addr_get_u32(ip_2_ip4(&socks[s].peer)));
    addr[0] = (uint8_t)(a >> 24);
    addr[1] = (uint8_t)(a >> 16);
    addr[2] = (uint8_t)(a >> 8);
    addr[3] = (uint8_t)a;
    *port = socks[s].peer_port;
    return 0;
}

int tn_udp_bind(uint16_t port)
{
    struct tn_sock *so;
    int s;
    err_t e;

    if (!started)
        return TN_EINVAL;
    s = sock_alloc(TN_UDP);
    if (s < 0)
        return s;
    so = &socks[s];
    so->dgrams = mem_malloc(sizeof(*so->dgrams) * TN_UDP_QUEUE);
    so->udp = udp_new();
    if (so->dgrams == NULL || so->udp == NULL) {
        if (so->udp != NULL)
            udp_remove(so->udp);
        sock_free(so);
        return TN_ENOMEM;
    }
    e = udp_bind(so->udp, IP_ANY_TYPE, port);
    if (e != ERR_OK) {
        udp_remove(so->udp);
        sock_free(so);
        return e == ERR_USE ? TN_EINUSE : TN_EINVAL;
    }
    udp_recv(so->udp, on_udp_recv, (void *)(intptr_t)s);
    return s;
}

long tn_sendto(int s, const void *buf, size_t len, const uint8_t addr[4],
               uint16_t port)
{
    struct tn_sock *so = sock_get(s, TN_UDP);
    struct pbuf *p;
    ip_addr_t to;
    err_t e;

    if (so == NULL || len > 65507)
        return TN_EINVAL;
    IP_ADDR4(&to, addr[0], addr[1], addr[2], addr[3]);
    p = pbuf_alloc(PBUF_TRANSPORT, (u16_t)len, PBUF_RAM);
    if (p == NULL)
        return TN_ENOMEM;
    pbuf_take(p, buf, (u16_t)len);
    e = udp_sendto(so->udp, p, &to, port);
    pbuf_free(p);
    if (e == ERR_MEM)
        return TN_ENOMEM;
    return e == ERR_OK ? (long)len : TN_EINVAL;
}

long tn_recvfrom(int s, void *buf, size_t len, uint8_t addr[4], uint16_t *port)
{
    struct tn_sock *so = sock_get(s, TN_UDP);
    struct tn_datagram *d;
    u16_t n;

    if (so == NULL)
        return TN_EINVAL;
    if (so->dgram_count == 0)
        return TN_EAGAIN;
    d = &so->dgrams[so->dgram_head];
    n = pbuf_copy_partial(d->p, buf, (u16_t)(len > 0xffff ? 0xffff : len), 0);
    ip_addr_copy(so->peer, d->addr);
    so->peer_port = d->port;
    pbuf_free(d->p);
    so->dgram_head = (so->dgram_head + 1) % TN_UDP_QUEUE;
    so->dgram_count--;
    if (addr != NULL || port != NULL) {
        uint8_t a[4];
        uint16_t pt = 0;

        tn_peer(s, a, &pt);
        if (addr != NULL)
            memcpy(addr, a, 4);
        if (port != NULL)
            *port = pt;
    }
    return n;
}

void tn_get_stats(struct tn_stats *st)
{
    memset(st, 0, sizeof(*st));
    st->frames_in = tn_dev.frames_in;
    st->frames_out = tn_dev.frames_out;
    st->bytes_in = tn_dev.bytes_in;
    st->bytes_out = tn_dev.bytes_out;
    st->drops_in = tn_dev.drops_in;
    st->errors_out = tn_dev.errors_out;
    st->tcp_accepted = n_accepted;
    st->tcp_open = n_open;
    st->tcp_refused = n_refused;
    st->mem_used = lwip_stats.mem.used;
    st->mem_max = lwip_stats.mem.max;
    st->mem_errors = lwip_stats.mem.err;
    st->tcp_segments_out = lwip_stats.tcp.xmit;
    st->tcp_segments_in = lwip_stats.tcp.recv;
    st->tcp_drops = lwip_stats.tcp.drop;
}

/*
 * An HTTP/1.1 server on lwIP (<tender/tcpip.h>): serves the files of a
 * ustar archive on its block device "site" (read whole into memory at
 * start), and /stats, on port 80 of the address given.
 *
 *     tender --net=tap0 --block=site.img http.elf 10.0.0.2[/24] [PORT]
 *
 * GET and HEAD; keep-alive (HTTP/1.1 by default, 1.0 on request) and
 * pipelining; up to TN_MAX_SOCKETS connections at once.  A request head
 * must fit in HEAD_MAX bytes and arrive within HEAD_TIMEOUT of its first
 * byte; anything malformed gets 400 and the connection is closed, a
 * missing file 404, another method 501.  Idle connections are closed
 * after IDLE_TIMEOUT, stalled responses reset after SEND_TIMEOUT.
 */
#include <stddef.h>
#include <tender/guest.h>
#include <tender/stdio.h>
#include <tender/stdlib.h>
#include <tender/string.h>
#include <tender/tcpip.h>

#include "site.h"

TENDER_MANIFEST(TENDER_NET_DEVICE("service"), TENDER_BLOCK_DEVICE("site"));

#define HEAD_MAX 8192
#define SEC 1000000000ull
#define HEAD_TIMEOUT (10 * SEC)
#define IDLE_TIMEOUT (30 * SEC)
#define SEND_TIMEOUT (30 * SEC)

enum conn_state { C_FREE, C_READ, C_SEND };

struct conn {
    uint8_t state;
    uint8_t keep_alive;
    uint8_t head_only;
    uint16_t head_len;  /* bytes in head[] */
    uint64_t since;     /* the first byte of the head, or idle since */
    uint64_t last_sent; /* progress while sending */
    const char *hdr;    /* response header still to send */
    size_t hdr_left;
    const uint8_t *body; /* response body still to send */
    size_t body_left;
    char hdr_buf[512];
    char page[1536]; /* generated bodies (/stats, errors) */
    char head[HEAD_MAX];
};

static struct conn conns[TN_MAX_SOCKETS];
static struct site site;
static uint64_t started_ns;

static struct {
    uint64_t requests, bytes, status[6]; /* status[n]: nxx answers */
    uint64_t bad_requests, timeouts, resets;
} stats;

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Does [s, s+n) start with the word w, case-insensitively? */
static int starts_ci(const char *s, size_t n, const char *w)
{
    size_t i;

    for (i = 0; w[i] != '\0'; i++)
        if (i >= n || lower((unsigned char)s[i]) != lower((unsigned char)w[i]))
            return 0;
    return 1;
}

/* Is the word w anywhere in [s, s+n), case-insensitively? */
static int contains_ci(const char *s, size_t n, const char *w)
{
    size_t i, wl = strlen(w);

    for (i = 0; i + wl <= n; i++)
        if (starts_ci(s + i, n - i, w))
            return 1;
    return 0;
}

/* Is the header value [s, s+n) (after the colon) the number 0? */
static int zero_value(const char *s, size_t n)
{
    size_t i = 0, zeros = 0;

    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    while (i < n && s[i] == '0') {
        i++;
        zeros++;
    }
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    return zeros > 0 && i == n;
}

static const char *reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 404:
        return "Not Found";
    case 408:
        return "Request Timeout";
    case 431:
        return "Request Header Fields Too Large";
    case 501:
        return "Not Implemented";
    default:
        return "Error";
    }
}

/* Set c up to send status, a content type and body (len bytes). */
static void respond(struct conn *c, int status, const char *type,
                    const void *body, size_t len)
{
    int n = snprintf(c->hdr_buf, sizeof(c->hdr_buf),
                     "HTTP/1.1 %d %s\r\n"
                     "Server: tender-http\r\n"
                     "Content-Type: %s\r\n"
                     "Content-Length: %zu\r\n"
                     "Connection: %s\r\n\r\n",
                     status, reason(status), type, len,
                     c->keep_alive ? "keep-alive" : "close");

    c->hdr = c->hdr_buf;
    c->hdr_left = (size_t)n;
    c->body = body;
    c->body_left = c->head_only ? 0 : len;
    c->state = C_SEND;
    stats.requests++;
    stats.status[status / 100]++;
}

/* An error page; errors other than 404 close the connection. */
static void respond_error(struct conn *c, int status)
{
    int n;

    if (status != 404)
        c->keep_alive = 0;
    if (status == 400 || status == 431)
        stats.bad_requests++;
    n = snprintf(c->page, sizeof(c->page), "%d %s\n", status, reason(status));
    respond(c, status, "text/plain", c->page, (size_t)n);
}

static void respond_stats(struct conn *c)
{
    struct tn_stats ts;
    uint64_t up = tender_clock_monotonic() - started_ns;
    int n;

    tn_get_stats(&ts);
    n = snprintf(
        c->page, sizeof(c->page),
        "requests %llu\n"
        "bytes %llu\n"
        "uptime_ms %llu\n"
        "status_2xx %llu\n"
        "status_4xx %llu\n"
        "status_5xx %llu\n"
        "bad_requests %llu\n"
        "timeouts %llu\n"
        "resets %llu\n"
        "connections_accepted %llu\n"
        "connections_open %llu\n"
        "connections_refused %llu\n"
        "frames_in %llu\n"
        "frames_out %llu\n"
        "lwip_heap_used %llu\n"
        "lwip_heap_max %llu\n"
        "lwip_heap_errors %llu\n"
        "tcp_segments_out %llu\n"
        "tcp_segments_in %llu\n"
        "tcp_drops %llu\n"
        "files %u\n",
        (unsigned long long)stats.requests, (unsigned long long)stats.bytes,
        (unsigned long long)(up / 1000000), (unsigned long long)stats.status[2],
        (unsigned long long)stats.status[4],
        (unsigned long long)stats.status[5],
        (unsigned long long)stats.bad_requests,
        (unsigned long long)stats.timeouts, (unsigned long long)stats.resets,
        (unsigned long long)ts.tcp_accepted, (unsigned long long)ts.tcp_open,
        (unsigned long long)ts.tcp_refused, (unsigned long long)ts.frames_in,
        (unsigned long long)ts.frames_out, (unsigned long long)ts.mem_used,
        (unsigned long long)ts.mem_max, (unsigned long long)ts.mem_errors,
        (unsigned long long)ts.tcp_segments_out,
        (unsigned long long)ts.tcp_segments_in,
        (unsigned long long)ts.tcp_drops, site.count);
    respond(c, 200, "text/plain", c->page, (size_t)n);
}

static const char *content_type(const char *path)
{
    const char *dot = strrchr(path, '.');

    if (dot == NULL)
        return "application/octet-stream";
    if (strcmp(dot, ".html") == 0 || strcmp(dot, ".htm") == 0)
        return "text/html";
    if (strcmp(dot, ".txt") == 0)
        return "text/plain";
    if (strcmp(dot, ".css") == 0)
        return "text/css";
    if (strcmp(dot, ".js") == 0)
        return "application/javascript";
    if (strcmp(dot, ".png") == 0)
        return "image/png";
    return "application/octet-stream";
}

/*
 * Answer the request head in c->head[0, len) (len includes the blank
 * line): sets c up to send.
 */
static void handle_request(struct conn *c, size_t len)
{
    const char *h = c->head, *end = c->head + len, *sp1, *sp2, *eol, *line;
    char path[256];
    size_t plen;
    const struct site_file *f;
    int http10;

    c->keep_alive = 1;
    c->head_only = 0;
    eol = memchr(h, '\n', len);
    sp1 = memchr(h, ' ', (size_t)(eol - h));
    if (sp1 == NULL || sp1 == h) {
        respond_error(c, 400);
        return;
    }
    sp2 = memchr(sp1 + 1, ' ', (size_t)(eol - sp1 - 1));
    if (sp2 == NULL || sp2 == sp1 + 1 || sp1[1] != '/') {
        respond_error(c, 400);
        return;
    }
    /* The version: exactly HTTP/1.0 or HTTP/1.1, then CRLF or LF. */
    if ((size_t)(eol - sp2) < 9 || memcmp(sp2 + 1, "HTTP/1.", 7) != 0 ||
        (sp2[8] != '0' && sp2[8] != '1') ||
        !(sp2 + 9 == eol || (sp2 + 10 == eol && sp2[9] == '\r'))) {
        respond_error(c, 400);
        return;
    }
    http10 = sp2[8] == '0';
    if (http10)
        c->keep_alive = 0;
    /* The header lines: each "name: value", no body allowed. */
    for (line = eol + 1; line < end; line = eol + 1) {
        const char *colon;
        size_t n;

        eol = memchr(line, '\n', (size_t)(end - line));
        if (eol == NULL)
            break;
        n = (size_t)(eol - line);
        if (n > 0 && line[n - 1] == '\r')
            n--;
        if (n == 0)
            break; /* the blank line */
        colon = memchr(line, ':', n);
        if (colon == NULL || colon == line || line[0] == ' ' ||
            line[0] == '\t') {
            respond_error(c, 400);
            return;
        }
        if (starts_ci(line, n, "connection:")) {
            if (contains_ci(line, n, "close"))
                c->keep_alive = 0;
            else if (contains_ci(line, n, "keep-alive"))
                c->keep_alive = 1;
        } else if (starts_ci(line, n, "transfer-encoding:") ||
                   (starts_ci(line, n, "content-length:") &&
                    !zero_value(line + 15, n - 15))) {
            /* Request bodies are not taken: refused rather than
             * misread as the next request. */
            respond_error(c, 400);
            return;
        }
    }
    if ((size_t)(sp1 - h) == 4 && memcmp(h, "HEAD", 4) == 0) {
        c->head_only = 1;
    } else if (!((size_t)(sp1 - h) == 3 && memcmp(h, "GET", 3) == 0)) {
        for (line = h; line < sp1; line++)
            if (*line < 'A' || *line > 'Z') {
                respond_error(c, 400);
                return;
            }
        respond_error(c, 501);
        return;
    }
    /* The path, without its query, and / for index.html. */
    plen = (size_t)(sp2 - sp1 - 1);
    {
        const char *q = memchr(sp1 + 1, '?', plen);

        if (q != NULL)
            plen = (size_t)(q - sp1 - 1);
    }
    if (plen >= sizeof(path)) {
        respond_error(c, 404);
        return;
    }
    memcpy(path, sp1 + 1, plen);
    path[plen] = '\0';
    if (strcmp(path, "/stats") == 0) {
        respond_stats(c);
        return;
    }
    f = site_find(&site, strcmp(path, "/") == 0 ? "index.html" : path + 1);
    if (f == NULL) {
        respond_error(c, 404);
        return;
    }
    respond(c, 200, content_type(f->name), f->data, f->size);
}

static void conn_close(int s, int reset)
{
    if (reset)
        tn_abort(s);
    else
        tn_close(s);
    conns[s].state = C_FREE;
}

/* The end of a request head in c->head, or 0 if not there yet. */
static size_t head_end(const struct conn *c)
{
    size_t i;

    for (i = 0; i + 1 < c->head_len; i++) {
        if (c->head[i] != '\n')
            continue;
        if (c->head[i + 1] == '\n')
            return i + 2;
        if (i + 2 < c->head_len && c->head[i + 1] == '\r' &&
            c->head[i + 2] == '\n')
            return i + 3;
    }
    return 0;
}

/*
 * Can the bytes buffered so far not start a request head?  The method
 * (1 to 16 capital letters, then a space), and no control bytes other
 * than CR, LF and tab: garbage gets its 400 at once instead of waiting
 * for a head end that may never come.
 */
static int head_garbage(const struct conn *c)
{
    size_t i;

    for (i = 0; i < c->head_len && c->head[i] != ' '; i++)
        if (i == 16 || c->head[i] < 'A' || c->head[i] > 'Z')
            return 1;
    if (i == 0 && c->head_len > 0)
        return 1;
    for (i = 0; i < c->head_len; i++) {
        unsigned char b = (unsigned char)c->head[i];

        if ((b < 0x20 && b != '\r' && b != '\n' && b != '\t') || b == 0x7f)
            return 1;
    }
    return 0;
}

/* Move c as far as it goes now; 1 if it did anything. */
static int serve(int s, uint64_t now)
{
    struct conn *c = &conns[s];
    unsigned ev = tn_events(s);
    int progress = 0;

    if (ev & TN_ERROR) {
        stats.resets++;
        conn_close(s, 0);
        return 1;
    }
    for (;;) {
        if (c->state == C_SEND) {
            long n;

            if (c->hdr_left > 0) {
                n = tn_write(s, c->hdr, c->hdr_left);
                if (n > 0) {
                    c->hdr += n;
                    c->hdr_left -= (size_t)n;
                }
            } else if (c->body_left > 0) {
                n = tn_write(s, c->body, c->body_left);
                if (n > 0) {
                    c->body += n;
                    c->body_left -= (size_t)n;
                }
            } else {
                /* Done: the next request, or the end. */
                if (!c->keep_alive) {
                    conn_close(s, 0);
                    return 1;
                }
                c->state = C_READ;
                c->since = now;
                progress = 1;
                continue;
            }
            if (n == TN_EAGAIN) {
                if (now - c->last_sent > SEND_TIMEOUT) {
                    stats.timeouts++;
                    conn_close(s, 1);
                    return 1;
                }
                return progress;
            }
            if (n < 0) {
                stats.resets++;
                conn_close(s, 1);
                return 1;
            }
            stats.bytes += (uint64_t)n;
            c->last_sent = now;
            progress = 1;
            continue;
        }
        /* C_READ: a whole head already buffered (pipelined)? */
        size_t end = head_end(c);

        if (end > 0) {
            handle_request(c, end);
            memmove(c->head, c->head + end, c->head_len - end);
            c->head_len = (uint16_t)(c->head_len - end);
            c->since = now;
            c->last_sent = now;
            progress = 1;
            continue;
        }
        if (c->head_len > 0 && head_garbage(c)) {
            c->head_len = 0;
            respond_error(c, 400);
            c->last_sent = now;
            progress = 1;
            continue;
        }
        if (c->head_len == sizeof(c->head)) {
            c->head_len = 0;
            respond_error(c, 431);
            c->last_sent = now;
            progress = 1;
            continue;
        }
        long n =
            tn_read(s, c->head + c->head_len, sizeof(c->head) - c->head_len);
        if (n == TN_EAGAIN) {
            uint64_t limit = c->head_len > 0 ? HEAD_TIMEOUT : IDLE_TIMEOUT;

            if (now - c->since > limit) {
                stats.timeouts++;
                conn_close(s, 0);
                return 1;
            }
            return progress;
        }
        if (n <= 0) {
            /* The peer closed (or reset) between requests. */
            conn_close(s, n < 0);
            return 1;
        }
        if (c->head_len == 0)
            c->since = now;
        c->head_len = (uint16_t)(c->head_len + n);
        progress = 1;
    }
}

int tender_app_main(const struct tender_start_info *si)
{
    uintptr_t heap;
    size_t heap_size;
    int port = 80, l, r, s;

    if (si->argc < 2 || si->argc > 3) {
        printf("usage: http.elf ADDRESS[/PREFIX] [PORT]\n");
        return 2;
    }
    if (si->argc == 3) {
        port = atoi(si->argv[2]);
        if (port < 1 || port > 65535) {
            printf("http: bad port %s\n", si->argv[2]);
            return 2;
        }
    }
    r = tn_init("service", si->argv[1], NULL);
    if (r < 0) {
        printf("http: cannot start the network on 'service' as %s (%d)\n",
               si->argv[1], r);
        return 1;
    }
    tn_heap_rest(&heap, &heap_size);
    r = site_load(&site, "site", (void *)heap, heap_size);
    if (r < 0) {
        printf("http: cannot read the site from block device 'site' (%s)\n",
               site_error(r));
        return 1;
    }
    l = tn_tcp_listen((uint16_t)port);
    if (l < 0) {
        printf("http: cannot listen on port %d (%d)\n", port, l);
        return 1;
    }
    started_ns = tender_clock_monotonic();
    printf("http: serving %u files (%zu bytes) on %s port %d\n", site.count,
           site.bytes, si->argv[1], port);
    for (;;) {
        uint64_t now;

        tn_poll(SEC);
        now = tender_clock_monotonic();
        while ((s = tn_accept(l)) >= 0) {
            memset(&conns[s], 0, offsetof(struct conn, hdr_buf));
            conns[s].state = C_READ;
            conns[s].since = now;
            conns[s].last_sent = now;
        }
        for (s = 0; s < TN_MAX_SOCKETS; s++)
            if (conns[s].state != C_FREE)
                serve(s, now);
    }
}

/*
 * http-client: test clients for examples/http.
 *
 *   http-client conns ADDR PORT N PATH SIZE
 *       open N connections, and only once all N are established send a
 *       GET of PATH on each; every one must answer 200 with SIZE bytes.
 *       /stats, fetched while all N are open, must count N open.
 *   http-client hostile ADDR PORT
 *       malformed requests (each must get its own status), a partial
 *       head, a 64 KiB header, slowloris connections, resets in the middle
 *       of a response, garbage bytes, idle connections; a good request
 *       must be answered during and after all of it.
 *
 * Prints what it checked; exits 0 if everything held, 1 otherwise.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static struct sockaddr_in server;
static int failures;

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double start_s;

static void fail(const char *what)
{
    printf("FAIL: [%.1f s] %s\n", now_s() - start_s, what);
    failures++;
}

/* Receive timeout of new connections: 10 s, 60 s for conns. */
static time_t timeout_s = 10;

/* A blocking connection with 10 s timeouts, or -1. */
static int dial(void)
{
    struct timeval tv = {timeout_s, 0};
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    if (fd < 0)
        return -1;
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    if (connect(fd, (struct sockaddr *)&server, sizeof(server)) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static int send_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;

    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);

        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/*
 * Read one response: its status, and its body length into *body_len (if
 * not NULL).  -1 if the connection ended or timed out first.
 */
static int read_response(int fd, long *body_len)
{
    static char buf[1 << 16];
    size_t have = 0;
    char *end = NULL, *cl;
    long want, got;
    int status;

    while (end == NULL) {
        ssize_t n;

        if (have == sizeof(buf) - 1)
            return -1;
        n = recv(fd, buf + have, sizeof(buf) - 1 - have, 0);
        if (n <= 0)
            return -1;
        have += (size_t)n;
        buf[have] = '\0';
        end = strstr(buf, "\r\n\r\n");
    }
    if (sscanf(buf, "HTTP/1.1 %d", &status) != 1)
        return -1;
    cl = strstr(buf, "Content-Length: ");
    if (cl == NULL || cl > end)
        return -1;
    want = atol(cl + 16);
    got = (long)(have - (size_t)(end + 4 - buf));
    while (got < want) {
        ssize_t n =
            recv(fd, buf,
                 sizeof(buf) < (size_t)(want - got) ? sizeof(buf)
                                                    : (size_t)(want - got),
                 0);
        if (n <= 0)
            return -1;
        got += n;
    }
    if (body_len != NULL)
        *body_len = got;
    return status;
}

/* One request on a new connection: the status, or -1. */
static int request(const char *req, size_t len, long *body_len)
{
    int fd = dial(), status;

    if (fd < 0)
        return -1;
    if (send_all(fd, req, len) < 0) {
        close(fd);
        return -1;
    }
    status = read_response(fd, body_len);
    close(fd);
    return status;
}

/* A good request must be answered, and quickly (within 5 s). */
static void check_alive(const char *when)
{
    static const char req[] = "GET / HTTP/1.1\r\nHost: t\r\n\r\n";
    double t0 = now_s();
    long len = 0;
    int status = request(req, sizeof(req) - 1, &len);
    char what[200];

    snprintf(what, sizeof(what), "a good request %s: status %d in %.2f s", when,
             status, now_s() - t0);
    if (status != 200 || len <= 0 || now_s() - t0 > 5)
        fail(what);
    else
        printf("ok: [%.1f s] %s\n", now_s() - start_s, what);
}

static void expect_status(const char *name, const char *req, size_t len,
                          int want)
{
    int status = request(req, len, NULL);
    char what[200];

    snprintf(what, sizeof(what), "%s: status %d, expected %d", name, status,
             want);
    if (status != want)
        fail(what);
    else
        printf("ok: [%.1f s] %s\n", now_s() - start_s, what);
}

static void reset_close(int fd)
{
    struct linger lg = {1, 0};

    setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
    close(fd);
}

static int hostile(void)
{
    static char big[70000];
    char garbage[4096];
    int slow[20], idle[50], i, n;
    size_t len;

    check_alive("first");
    expect_status("no version", "GET /\r\n\r\n", 9, 400);
    expect_status("HTTP/9.9", "GET / HTTP/9.9\r\n\r\n", 18, 400);
    expect_status("lower-case method", "get / HTTP/1.1\r\n\r\n", 18, 400);
    expect_status("unknown method", "BREW / HTTP/1.1\r\n\r\n", 19, 501);
    expect_status("relative path", "GET index.html HTTP/1.1\r\n\r\n", 27, 400);
    expect_status("header without colon", "GET / HTTP/1.1\r\nHost t\r\n\r\n",
                  26, 400);
    expect_status("request body",
                  "GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello", 42, 400);
    expect_status("missing file", "GET /nope HTTP/1.1\r\n\r\n", 22, 404);

    /* Partial heads, then the connection closed. */
    for (i = 0; i < 20; i++) {
        int fd = dial();

        if (fd >= 0) {
            send_all(fd, "GET / HTTP/1.1\r\nHo", 18);
            close(fd);
        }
    }
    check_alive("after 20 partial heads");

    /* A 64 KiB header: 431 (or a reset once the server stops reading). */
    len = (size_t)snprintf(big, sizeof(big), "GET / HTTP/1.1\r\nX-Big: ");
    memset(big + len, 'a', 65536);
    len += 65536;
    memcpy(big + len, "\r\n\r\n", 4);
    len += 4;
    n = request(big, len, NULL);
    printf("ok: [%.1f s] a 64 KiB header: status %d (431, or -1: reset)\n",
           now_s() - start_s, n);
    if (n != 431 && n != -1)
        fail("a 64 KiB header got neither 431 nor a reset");
    check_alive("after a 64 KiB header");

    /* Slowloris: 20 connections sending a head one byte at a time. */
    for (i = 0; i < 20; i++)
        slow[i] = dial();
    for (n = 0; n < 6; n++) {
        for (i = 0; i < 20; i++)
            if (slow[i] >= 0 &&
                send_all(slow[i], &"GET / HTTP/1.1\r\n"[n], 1) < 0)
                slow[i] = -1;
        usleep(300000);
    }
    check_alive("while 20 slowloris connections trickle");
    for (i = 0; i < 20; i++)
        if (slow[i] >= 0)
            close(slow[i]);

    /* Resets in the middle of a 1 MiB response. */
    for (i = 0; i < 20; i++) {
        static const char req[] = "GET /1m.txt HTTP/1.1\r\n\r\n";
        char buf[8192];
        int fd = dial();

        if (fd < 0 || send_all(fd, req, sizeof(req) - 1) < 0) {
            fail("a request for 1m.txt could not be sent");
            break;
        }
        recv(fd, buf, sizeof(buf), MSG_WAITALL);
        reset_close(fd);
    }
    check_alive("after 20 resets mid-response");

    /* Garbage bytes (NULs and all), with and without a line end. */
    srand(14);
    for (i = 0; i < 10; i++) {
        int fd = dial();
        size_t k;

        for (k = 0; k < sizeof(garbage); k++)
            garbage[k] = (char)rand();
        if (fd < 0)
            continue;
        send_all(fd, garbage, sizeof(garbage) - (size_t)(i % 2) * 100);
        if (i % 2)
            send_all(fd, "\r\n\r\n", 4);
        n = read_response(fd, NULL);
        if (n != 400 && n != 431 && n != -1) {
            char what[80];

            snprintf(what, sizeof(what), "garbage got status %d", n);
            fail(what);
        }
        close(fd);
    }
    check_alive("after garbage");

    /* Connections opened and left idle. */
    for (i = 0; i < 50; i++)
        idle[i] = dial();
    check_alive("with 50 idle connections");
    for (i = 0; i < 50; i++)
        if (idle[i] >= 0)
            reset_close(idle[i]);
    check_alive("last");
    return failures == 0 ? 0 : 1;
}

/* The value of name in a /stats page, or -1. */
static long stat_value(const char *page, const char *name)
{
    const char *p = strstr(page, name);

    return p == NULL ? -1 : atol(p + strlen(name) + 1);
}

static int conns(int count, const char *path, long size)
{
    int *fds = calloc((size_t)count, sizeof(int));
    char req[512], page[4096];
    int i, ok = 0, open_now, fd;
    size_t len;
    ssize_t n;

    if (fds == NULL)
        return 1;
    for (i = 0; i < count; i++) {
        fds[i] = dial();
        if (fds[i] < 0) {
            printf("FAIL: connection %d: %s\n", i, strerror(errno));
            return 1;
        }
    }
    /* All are open: the server must count them (and this one). */
    fd = dial();
    len = (size_t)snprintf(req, sizeof(req),
                           "GET /stats HTTP/1.1\r\nConnection: close\r\n\r\n");
    if (fd < 0 || send_all(fd, req, len) < 0) {
        printf("FAIL: /stats\n");
        return 1;
    }
    len = 0;
    while ((n = recv(fd, page + len, sizeof(page) - 1 - len, 0)) > 0)
        len += (size_t)n;
    page[len] = '\0';
    close(fd);
    open_now = (int)stat_value(page, "connections_open");
    printf("%d connections established; the server counts %d open\n", count,
           open_now);
    if (open_now < count + 1) {
        printf("FAIL: the server has fewer open\n");
        return 1;
    }
    len = (size_t)snprintf(req, sizeof(req),
                           "GET %s HTTP/1.1\r\nHost: t\r\n\r\n", path);
    for (i = 0; i < count; i++)
        if (send_all(fds[i], req, len) < 0)
            printf("FAIL: request %d not sent\n", i);
    for (i = 0; i < count; i++) {
        long got = -1;
        int status = read_response(fds[i], &got);

        if (status == 200 && got == size)
            ok++;
        else
            printf("FAIL: connection %d: status %d, %ld bytes (%s)\n", i,
                   status, got, strerror(errno));
        close(fds[i]);
    }
    printf("%d of %d connections answered 200 with %ld bytes\n", ok, count,
           size);
    return ok == count ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: http-client conns|hostile ADDR PORT ...\n");
        return 2;
    }
    server.sin_family = AF_INET;
    server.sin_port = htons((unsigned short)atoi(argv[3]));
    if (inet_pton(AF_INET, argv[2], &server.sin_addr) != 1) {
        fprintf(stderr, "http-client: bad address %s\n", argv[2]);
        return 2;
    }
    start_s = now_s();
    if (strcmp(argv[1], "conns") == 0 && argc == 7) {
        timeout_s = 60;
        return conns(atoi(argv[4]), argv[5], atol(argv[6]));
    }
    if (strcmp(argv[1], "hostile") == 0 && argc == 4)
        return hostile();
    fprintf(stderr, "http-client: bad arguments\n");
    return 2;
}

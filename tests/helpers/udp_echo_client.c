/*
 * udp-echo-client ADDR PORT COUNT MAXSIZE: send COUNT datagrams to an echo
 * server, one at a time, of sizes 1, 2, ... MAXSIZE, 1, 2, ..., each with
 * its own byte pattern, and check that each comes back byte for byte.
 * Exits 0 if all did.  Fragmentation is forbidden, so a datagram that
 * does not fit the path's MTU fails instead of being split.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define MAX_DATAGRAM 65507

static unsigned char sent[MAX_DATAGRAM], got[MAX_DATAGRAM + 1];

static int open_socket(const char *addr, const char *port)
{
    struct sockaddr_in sa;
    struct timeval tv = {2, 0};
    int pmtu = IP_PMTUDISC_DO;
    int fd = socket(AF_INET, SOCK_DGRAM, 0);

    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons((unsigned short)atoi(port));
    if (fd < 0 || inet_pton(AF_INET, addr, &sa.sin_addr) != 1 ||
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
        setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &pmtu, sizeof(pmtu)) < 0 ||
        connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        perror("udp-echo-client: socket");
        return -1;
    }
    return fd;
}

/* Bytes that differ between datagrams and along each one. */
static void fill(unsigned char *buf, size_t len, unsigned long seq)
{
    for (size_t j = 0; j < len; j++)
        buf[j] = (unsigned char)(seq * 131 + j * 7 + (j >> 8));
}

static int echo_one(int fd, unsigned long seq, size_t len)
{
    ssize_t n;

    fill(sent, len, seq);
    if (send(fd, sent, len, 0) != (ssize_t)len) {
        fprintf(stderr, "udp-echo-client: send %zu bytes: %s\n", len,
                strerror(errno));
        return -1;
    }
    n = recv(fd, got, sizeof(got), 0);
    if (n < 0) {
        fprintf(stderr, "udp-echo-client: datagram %lu (%zu bytes): %s\n", seq,
                len, errno == EAGAIN ? "no echo in 2 s" : strerror(errno));
        return -1;
    }
    if ((size_t)n != len || memcmp(sent, got, len) != 0) {
        fprintf(stderr,
                "udp-echo-client: datagram %lu: sent %zu bytes, got %zd "
                "that differ\n",
                seq, len, n);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    unsigned long count, max;
    struct timespec t0, t1;
    int fd;

    if (argc != 5) {
        fprintf(stderr, "usage: udp-echo-client ADDR PORT COUNT MAXSIZE\n");
        return 2;
    }
    count = strtoul(argv[3], NULL, 10);
    max = strtoul(argv[4], NULL, 10);
    if (max == 0 || max > MAX_DATAGRAM) {
        fprintf(stderr, "udp-echo-client: MAXSIZE must be 1 to %d\n",
                MAX_DATAGRAM);
        return 2;
    }
    fd = open_socket(argv[1], argv[2]);
    if (fd < 0)
        return 1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (unsigned long i = 0; i < count; i++)
        if (echo_one(fd, i, 1 + i % max) < 0)
            return 1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("udp-echo-client: %lu datagrams of 1 to %lu bytes echoed byte for "
           "byte in %ld ms\n",
           count, max,
           (long)((t1.tv_sec - t0.tv_sec) * 1000 +
                  (t1.tv_nsec - t0.tv_nsec) / 1000000));
    return 0;
}

/*
 * bench-net-send IFACE SIZE COUNT: transmit COUNT broadcast frames of SIZE
 * bytes on IFACE (a tap: they go to the guest behind it) as fast as the
 * kernel takes them, through a packet socket.  Root only.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static unsigned char frame[65536];

int main(int argc, char **argv)
{
    struct sockaddr_ll sll;
    unsigned long size, count, sent = 0, retries = 0;
    int fd;

    if (argc != 4) {
        fprintf(stderr, "usage: bench-net-send IFACE SIZE COUNT\n");
        return 2;
    }
    size = strtoul(argv[2], NULL, 10);
    count = strtoul(argv[3], NULL, 10);
    if (size < 14 || size > sizeof(frame)) {
        fprintf(stderr, "bench-net-send: bad SIZE\n");
        return 2;
    }
    memset(&sll, 0, sizeof(sll));
    sll.sll_family = AF_PACKET;
    sll.sll_ifindex = (int)if_nametoindex(argv[1]);
    fd = socket(AF_PACKET, SOCK_RAW, 0);
    if (fd < 0 || sll.sll_ifindex == 0 ||
        bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
        perror("bench-net-send");
        return 1;
    }
    memset(frame, 0xff, 6);
    memset(frame + 6, 0x02, 6);
    frame[12] = 0x88;
    frame[13] = 0xb5;
    while (sent < count) {
        if (send(fd, frame, size, 0) == (ssize_t)size) {
            sent++;
        } else if (errno == ENOBUFS || errno == EAGAIN) {
            retries++; /* the device queue is full: the guest is behind */
            usleep(50);
        } else {
            perror("bench-net-send: send");
            return 1;
        }
    }
    printf("bench-net-send: %lu frames of %lu bytes (%lu retries)\n", sent,
           size, retries);
    return 0;
}

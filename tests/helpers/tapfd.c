/*
 * tapfd IFACE FD COMMAND [ARGS...]: open tap IFACE (IFF_TAP | IFF_NO_PI),
 * place it on descriptor FD, and run COMMAND with it.  What a privileged
 * parent does so that tender can run unprivileged with --net:NAME=@FD.
 */
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    struct ifreq ifr;
    int fd, target;

    if (argc < 4 || strlen(argv[1]) >= IFNAMSIZ) {
        fprintf(stderr, "usage: tapfd IFACE FD COMMAND [ARGS...]\n");
        return 2;
    }
    target = atoi(argv[2]);
    fd = open("/dev/net/tun", O_RDWR);
    memset(&ifr, 0, sizeof(ifr));
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    memcpy(ifr.ifr_name, argv[1], strlen(argv[1]));
    if (fd < 0 || ioctl(fd, TUNSETIFF, &ifr) < 0) {
        perror("tapfd");
        return 1;
    }
    if (fd != target && (dup2(fd, target) < 0 || close(fd) < 0)) {
        perror("tapfd: dup2");
        return 1;
    }
    execv(argv[3], argv + 3);
    perror(argv[3]);
    return 127;
}

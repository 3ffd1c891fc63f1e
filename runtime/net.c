#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "net.h"

static const char *const tc_paths[] = {"/usr/sbin/tc", "/sbin/tc",
                                       "/usr/bin/tc", NULL};

/* Run tc with args; 0 if it exits 0, else -1 with its stderr in err. */
static int tc(const char *const *args, char *err, size_t err_len)
{
    const char *path = NULL;
    char *argv[24], out[256];
    int pipefd[2], status;
    ssize_t n = 0;
    size_t i;
    pid_t pid;

    for (const char *const *p = tc_paths; *p != NULL && path == NULL; p++)
        if (access(*p, X_OK) == 0)
            path = *p;
    if (path == NULL) {
        snprintf(err, err_len,
                 "no tc program (iproute2) in /usr/sbin or "
                 "/sbin: it mirrors the veth to the tap");
        return -1;
    }
    argv[0] = (char *)"tc";
    for (i = 0; i < 22 && args[i] != NULL; i++)
        argv[i + 1] = (char *)args[i];
    argv[i + 1] = NULL;
    if (pipe2(pipefd, O_CLOEXEC) < 0)
        return -1;
    pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        dup2(null, 0);
        dup2(null, 1);
        dup2(pipefd[1], 2);
        execv(path, argv);
        _exit(127);
    }
    close(pipefd[1]);
    if (pid > 0) {
        n = read(pipefd[0], out, sizeof(out) - 1);
        waitpid(pid, &status, 0);
    }
    close(pipefd[0]);
    if (pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    out[n > 0 ? n : 0] = '\0';
    out[strcspn(out, "\n")] = '\0';
    snprintf(err, err_len, "tc %s %s %s %s: %s", args[0], args[1], args[2],
             args[3], pid < 0 ? strerror(errno) : out);
    return -1;
}

static int pick_iface(char *iface, size_t len)
{
    struct if_nameindex *ifs = if_nameindex(), *p;
    int found = -1;

    if (ifs == NULL)
        return -1;
    for (p = ifs; p->if_index != 0 && found < 0; p++)
        if (strcmp(p->if_name, "lo") != 0 &&
            strcmp(p->if_name, NET_TAP_NAME) != 0) {
            snprintf(iface, len, "%s", p->if_name);
            found = 0;
        }
    if_freenameindex(ifs);
    return found;
}

/* Field n (0-based) of a /proc/net/route line, as hex. */
static unsigned long route_field(const char *line, int n)
{
    const char *p = line;

    for (int i = 0; i < n && p != NULL; i++) {
        p = strpbrk(p, " \t");
        if (p != NULL)
            p += strspn(p, " \t");
    }
    return p != NULL ? strtoul(p, NULL, 16) : ~0UL;
}

static void gateway_of(const char *iface, char *gw, size_t len)
{
    char line[512];
    size_t n = strlen(iface);
    FILE *f = fopen("/proc/net/route", "re");

    snprintf(gw, len, "0.0.0.0");
    if (f == NULL)
        return;
    /* Iface Destination Gateway Flags RefCnt Use Metric Mask ... */
    while (fgets(line, sizeof(line), f) != NULL) {
        if (strncmp(line, iface, n) != 0 || (line[n] != ' ' && line[n] != '\t'))
            continue;
        if (route_field(line, 1) == 0 && route_field(line, 7) == 0 &&
            (route_field(line, 3) & 2) != 0) {
            struct in_addr a = {.s_addr = (in_addr_t)route_field(line, 2)};
            inet_ntop(AF_INET, &a, gw, (socklen_t)len);
            break;
        }
    }
    fclose(f);
}

static int read_iface(int sock, const char *iface, struct image_net_info *info,
                      char *err, size_t err_len)
{
    struct ifreq ifr;
    struct sockaddr_in *sin = (struct sockaddr_in *)&ifr.ifr_addr;
    uint32_t mask;
    unsigned char *m;

    memset(&ifr, 0, sizeof(ifr));
    snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", iface);
    if (ioctl(sock, SIOCGIFADDR, &ifr) < 0) {
        snprintf(err, err_len, "interface %s: no IPv4 address (%s)", iface,
                 strerror(errno));
        return -1;
    }
    inet_ntop(AF_INET, &sin->sin_addr, info->ip, sizeof(info->ip));
    if (ioctl(sock, SIOCGIFNETMASK, &ifr) < 0)
        return -1;
    mask = ntohl(sin->sin_addr.s_addr);
    info->prefix = 0;
    while (mask & 0x80000000u) {
        info->prefix++;
        mask <<= 1;
    }
    if (ioctl(sock, SIOCGIFMTU, &ifr) < 0)
        return -1;
    info->mtu = (unsigned)ifr.ifr_mtu;
    if (ioctl(sock, SIOCGIFHWADDR, &ifr) < 0)
        return -1;
    m = (unsigned char *)ifr.ifr_hwaddr.sa_data;
    snprintf(info->mac, sizeof(info->mac), "%02x:%02x:%02x:%02x:%02x:%02x",
             m[0], m[1], m[2], m[3], m[4], m[5]);
    gateway_of(iface, info->gateway, sizeof(info->gateway));
    return 0;
}

static int open_tap(int sock, unsigned mtu, char *err, size_t err_len)
{
    struct ifreq ifr;
    char path[128];
    int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);

    if (fd < 0) {
        snprintf(err, err_len, "cannot open /dev/net/tun: %s", strerror(errno));
        return -1;
    }
    memset(&ifr, 0, sizeof(ifr));
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", NET_TAP_NAME);
    if (ioctl(fd, TUNSETIFF, &ifr) < 0)
        goto bad;
    /* No IPv6 chatter from the host side to wake the guest. */
    snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6",
             NET_TAP_NAME);
    int v6 = open(path, O_WRONLY | O_CLOEXEC);
    if (v6 >= 0) {
        if (write(v6, "1", 1) < 0) {
            /* A kernel without IPv6 has no chatter to silence. */
        }
        close(v6);
    }
    ifr.ifr_mtu = (int)mtu;
    if (ioctl(sock, SIOCSIFMTU, &ifr) < 0)
        goto bad;
    if (ioctl(sock, SIOCGIFFLAGS, &ifr) < 0)
        goto bad;
    ifr.ifr_flags |= IFF_UP;
    if (ioctl(sock, SIOCSIFFLAGS, &ifr) < 0)
        goto bad;
    return fd;
bad:
    snprintf(err, err_len, "cannot set up tap %s: %s", NET_TAP_NAME,
             strerror(errno));
    close(fd);
    return -1;
}

/* Every frame in at from goes out of to. */
static int mirror(const char *from, const char *to, char *err, size_t len)
{
    const char *del[] = {"qdisc", "del", "dev", from, "ingress", NULL};
    const char *add[] = {"qdisc", "add", "dev", from, "ingress", NULL};
    const char *filter[] = {"filter",   "add",    "dev",      from,
                            "parent",   "ffff:",  "protocol", "all",
                            "matchall", "action", "mirred",   "egress",
                            "redirect", "dev",    NULL};
    const char *f2[24];
    char ignored[256];
    size_t i;

    tc(del, ignored, sizeof(ignored));
    if (tc(add, err, len) < 0)
        return -1;
    for (i = 0; filter[i] != NULL; i++)
        f2[i] = filter[i];
    f2[i++] = to;
    f2[i] = NULL;
    return tc(f2, err, len);
}

int net_setup(char *iface, size_t iface_len, struct image_net_info *info,
              char *err, size_t err_len)
{
    int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), tap = -1;

    if (sock < 0) {
        snprintf(err, err_len, "socket: %s", strerror(errno));
        return -1;
    }
    if (iface[0] == '\0' && pick_iface(iface, iface_len) < 0) {
        snprintf(err, err_len,
                 "org.tender.net: the container's network namespace has no "
                 "interface but lo");
        goto out;
    }
    if (read_iface(sock, iface, info, err, err_len) < 0) {
        if (err[0] == '\0')
            snprintf(err, err_len, "interface %s: %s", iface, strerror(errno));
        goto out;
    }
    tap = open_tap(sock, info->mtu, err, err_len);
    if (tap < 0)
        goto out;
    if (mirror(iface, NET_TAP_NAME, err, err_len) < 0 ||
        mirror(NET_TAP_NAME, iface, err, err_len) < 0) {
        close(tap);
        tap = -1;
    }
out:
    close(sock);
    return tap;
}

int net_join(const char *netns_path)
{
    int fd = open(netns_path, O_RDONLY | O_CLOEXEC);
    int rc;

    if (fd < 0)
        return -1;
    rc = setns(fd, CLONE_NEWNET);
    close(fd);
    return rc;
}

void net_cleanup(const char *netns_path, const char *iface)
{
    const char *del[] = {"qdisc", "del", "dev", iface, "ingress", NULL};
    char ignored[256];
    pid_t pid;

    if (netns_path[0] == '\0' || iface[0] == '\0')
        return;
    pid = fork();
    if (pid == 0) {
        if (net_join(netns_path) == 0)
            tc(del, ignored, sizeof(ignored));
        _exit(0);
    }
    if (pid > 0)
        waitpid(pid, NULL, 0);
}

/*
 * The network module: every NET_BASIC device of the guest's manifest is
 * backed by a Linux tap interface, and the NET_WRITE and NET_READ
 * hypercalls move one whole Ethernet frame per call.
 *
 *   --net=IFACE           the guest's one network device, on tap IFACE
 *   --net:NAME=IFACE      the device NAME, on tap IFACE
 *   --net:NAME=@FD        the device NAME, on a tap the parent already
 *                         opened (so tender itself needs no privilege)
 *   --net-mac[:NAME]=MAC  its MAC (default: random, locally administered)
 *
 * The MTU is the interface's.  Taps are used with IFF_TAP | IFF_NO_PI and
 * non-blocking, so a hypercall never sleeps: POLL (hc_core.c) does that.
 *
 * What the guest gets:
 *   NET_WRITE  OK; EINVAL for a bad handle, a buffer outside guest memory,
 *              or a frame shorter than the Ethernet header or longer than
 *              MTU + 14 bytes; AGAIN if the host queue is full; EUNSPEC for
 *              a host I/O error (one line to the host's log for each run of
 * them). NET_READ   OK with len set to the frame's size; AGAIN if nothing is
 *              queued; EINVAL for a bad handle or a buffer outside guest
 *              memory or in its read-only text (nothing is consumed then).  A
 * frame longer than the guest's buffer is never cut short: it is dropped, and
 * the guest gets EINVAL with len set to the frame's size.  A buffer of MTU + 14
 * bytes (MTU + 18 with VLAN tags) always suffices.  EUNSPEC for a host I/O
 * error, as for writes.
 *
 * Run-time paths call only read(), write() and memcpy(): the sandbox
 * allows nothing else on the tap descriptors, and no allocation.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "error.h"
#include "manifest.h"
#include "dev_args.h"
#include "module.h"
#include "net_ring.h"
#include "number.h"

/* <net/if.h> clashes with <linux/if.h>: declare the one call we need. */
extern unsigned int if_nametoindex(const char *ifname);

#define ETH_HEADER_LEN 14
#define VLAN_TAG_LEN 4

struct net_dev {
    int fd;      /* -1: this handle is not an attached network device */
    int owns_fd; /* opened here, so closed here; an @FD is the parent's */
    uint64_t max_frame; /* the longest frame the guest may write */
    uint8_t *rx_buf;    /* a frame is read here whole, then copied out */
    size_t rx_size;
    char name[HVT_MFT_NAME_SIZE]; /* our copy: the guest can rewrite its own */
    char ifname[IFNAMSIZ];
    int read_failing;  /* in a run of read errors, already reported */
    int write_failing; /* likewise for writes */
};

/* Indexed by handle, that is by manifest entry. */
struct net_state {
    struct net_dev dev[HVT_MFT_MAX_ENTRIES];
    struct net_ring *ring; /* NULL: no ring (no network device) */
};

static const char *const net_option_keys[] = {"net", "net-mac", NULL};

/*
 * Set-up: the tap
 */

static int open_tap_by_name(struct net_dev *dev, const char *ifname,
                            const char *label, struct tender_error *err)
{
    struct ifreq ifr;

    if (ifname[0] == '\0')
        return tnd_fail(err, TENDER_E_CONFIG, "%s: no interface named", label);
    if (strlen(ifname) >= IFNAMSIZ)
        return tnd_fail(err, TENDER_E_CONFIG,
                        "%s: interface name longer than %d characters", label,
                        IFNAMSIZ - 1);
    /* With CAP_NET_ADMIN, TUNSETIFF on a missing name would create a
     * fresh tap that nothing routes to: insist that it exists. */
    if (if_nametoindex(ifname) == 0)
        return tnd_fail(err, TENDER_E_DEVICE, "%s: no such interface %s", label,
                        ifname);
    dev->fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (dev->fd < 0 && (errno == EACCES || errno == EPERM))
        return tnd_fail(err, TENDER_E_DEVICE,
                        "%s: no permission to open /dev/net/tun (a "
                        "privileged parent can pass the tap as @FD)",
                        label);
    if (dev->fd < 0)
        return tnd_fail_errno(err, TENDER_E_DEVICE, errno,
                              "%s: cannot open /dev/net/tun", label);
    dev->owns_fd = 1;
    memset(&ifr, 0, sizeof(ifr));
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    memcpy(ifr.ifr_name, ifname, strlen(ifname));
    if (ioctl(dev->fd, TUNSETIFF, &ifr) == 0)
        return 0;
    if (errno == EBUSY)
        return tnd_fail(err, TENDER_E_DEVICE, "%s: %s is in use", label,
                        ifname);
    if (errno == EINVAL)
        return tnd_fail(err, TENDER_E_DEVICE,
                        "%s: %s is not a single-queue tap device", label,
                        ifname);
    if (errno == EPERM)
        return tnd_fail(err, TENDER_E_DEVICE,
                        "%s: no permission to attach %s (it belongs to "
                        "another user, or needs CAP_NET_ADMIN)",
                        label, ifname);
    return tnd_fail_errno(err, TENDER_E_DEVICE, errno, "%s: TUNSETIFF %s",
                          label, ifname);
}

/* A tap the parent opened: check that it is one, in the mode we speak. */
static int adopt_tap_fd(struct net_dev *dev, const char *text,
                        const char *label, struct tender_error *err)
{
    struct ifreq ifr;
    int fd, flags;

    fd = parse_fd_ref(text);
    if (fd < 0)
        return tnd_fail(err, TENDER_E_CONFIG,
                        "%s: not a descriptor number after '@'", label);
    flags = fcntl(fd, F_GETFL);
    if (flags < 0)
        return tnd_fail(err, TENDER_E_DEVICE, "%s: descriptor %d is not open",
                        label, fd);
    memset(&ifr, 0, sizeof(ifr));
    if (ioctl(fd, TUNGETIFF, &ifr) < 0 || !(ifr.ifr_flags & IFF_TAP))
        return tnd_fail(err, TENDER_E_DEVICE,
                        "%s: descriptor %d is not a tap device", label, fd);
    if (!(ifr.ifr_flags & IFF_NO_PI) || (ifr.ifr_flags & IFF_VNET_HDR))
        return tnd_fail(err, TENDER_E_DEVICE,
                        "%s: tap %.*s on descriptor %d must be set up with "
                        "IFF_NO_PI and without IFF_VNET_HDR",
                        label, IFNAMSIZ, ifr.ifr_name, fd);
    if (fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
        return tnd_fail_errno(err, TENDER_E_DEVICE, errno,
                              "%s: cannot make descriptor %d non-blocking",
                              label, fd);
    dev->fd = fd;
    dev->owns_fd = 0;
    memcpy(dev->ifname, ifr.ifr_name, IFNAMSIZ);
    dev->ifname[IFNAMSIZ - 1] = '\0';
    return 0;
}

static int read_mtu(const char *ifname, unsigned *mtu, const char *label,
                    struct tender_error *err)
{
    struct ifreq ifr;
    int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    int rc;

    if (sock < 0)
        return tnd_fail_errno(err, TENDER_E_SYSTEM, errno,
                              "%s: cannot open a socket to read the MTU",
                              label);
    memset(&ifr, 0, sizeof(ifr));
    memcpy(ifr.ifr_name, ifname, strnlen(ifname, IFNAMSIZ - 1));
    rc = ioctl(sock, SIOCGIFMTU, &ifr);
    close(sock);
    if (rc < 0)
        return tnd_fail_errno(err, TENDER_E_DEVICE, errno,
                              "%s: cannot read the MTU of %s", label, ifname);
    if (ifr.ifr_mtu < 68 || ifr.ifr_mtu > UINT16_MAX)
        return tnd_fail(err, TENDER_E_DEVICE, "%s: %s has an MTU of %d", label,
                        ifname, ifr.ifr_mtu);
    *mtu = (unsigned)ifr.ifr_mtu;
    return 0;
}

/*
 * Set-up: the MAC
 */

/* Exactly "xx:xx:xx:xx:xx:xx" in hexadecimal. */
static int parse_mac(const char *text, uint8_t mac[6])
{
    for (int i = 0; i < 6; i++) {
        int hi = hex_digit(text[0]);
        int lo = hi < 0 ? -1 : hex_digit(text[1]);

        if (lo < 0)
            return -1;
        mac[i] = (uint8_t)(hi << 4 | lo);
        text += 2;
        if (*text != (i < 5 ? ':' : '\0'))
            return -1;
        text++;
    }
    return 0;
}

/* Locally administered (bit 1 set) and unicast (bit 0 clear). */
static int random_mac(uint8_t mac[6])
{
    size_t got = 0;

    while (got < 6) {
        ssize_t n = getrandom(mac + got, 6 - got, 0);

        if (n < 0 && errno != EINTR)
            return -1;
        if (n > 0)
            got += (size_t)n;
    }
    mac[0] = (uint8_t)((mac[0] & 0xfe) | 0x02);
    return 0;
}

static int choose_mac(const struct tender_dev_arg *mac_arg, uint8_t mac[6],
                      struct tender_error *err)
{
    char label[200];

    if (mac_arg == NULL) {
        if (random_mac(mac) < 0)
            return tnd_fail_errno(err, TENDER_E_SYSTEM, errno,
                                  "cannot draw a random MAC address");
        return 0;
    }
    dev_arg_label(mac_arg, label, sizeof(label));
    if (parse_mac(mac_arg->value, mac) < 0)
        return tnd_fail(err, TENDER_E_CONFIG,
                        "%s: not a MAC address (expected "
                        "xx:xx:xx:xx:xx:xx in hexadecimal)",
                        label);
    if (mac[0] & 0x01)
        return tnd_fail(err, TENDER_E_CONFIG,
                        "%s: a multicast address cannot be a device's MAC",
                        label);
    return 0;
}

/*
 * Set-up: one device
 */

/* An @FD already given to another device would share its frames. */
static int check_fd_unique(const struct net_state *st, uint64_t handle,
                           const char *label, struct tender_error *err)
{
    for (uint64_t h = 0; h < HVT_MFT_MAX_ENTRIES; h++)
        if (h != handle && st->dev[h].fd == st->dev[handle].fd)
            return tnd_fail(err, TENDER_E_CONFIG,
                            "%s: descriptor %d is already attached to device "
                            "'%s'",
                            label, st->dev[h].fd, st->dev[h].name);
    return 0;
}

static int open_backend(struct net_state *st, uint64_t handle,
                        const struct tender_dev_arg *a,
                        struct tender_error *err)
{
    struct net_dev *dev = &st->dev[handle];
    char label[200];

    dev_arg_label(a, label, sizeof(label));
    if (a->value[0] == '@')
        return adopt_tap_fd(dev, a->value, label, err) < 0
                   ? -1
                   : check_fd_unique(st, handle, label, err);
    if (open_tap_by_name(dev, a->value, label, err) < 0)
        return -1;
    memcpy(dev->ifname, a->value, strlen(a->value) + 1);
    return 0;
}

static int attach_device(struct tender_vm *vm, struct net_state *st,
                         uint64_t handle, const struct tender_dev_arg *a,
                         struct tender_error *err)
{
    struct hvt_mft_entry *e = &vm->mft->e[handle];
    struct net_dev *dev = &st->dev[handle];
    char label[200];
    unsigned mtu = 0;

    memcpy(dev->name, e->name, sizeof(dev->name));
    dev->name[sizeof(dev->name) - 1] = '\0';
    if (open_backend(st, handle, a, err) < 0)
        return -1;
    dev_arg_label(a, label, sizeof(label));
    if (read_mtu(dev->ifname, &mtu, label, err) < 0 ||
        choose_mac(dev_arg_for(vm, "net-mac", dev->name), e->u.net_basic.mac,
                   err) < 0)
        return -1;
    dev->max_frame = mtu + ETH_HEADER_LEN;
    /* One byte beyond the longest frame we accept: a read that fills the
     * buffer may have been cut short by the kernel, and is refused. */
    dev->rx_size = mtu + ETH_HEADER_LEN + VLAN_TAG_LEN + 1;
    dev->rx_buf = malloc(dev->rx_size);
    if (dev->rx_buf == NULL)
        return tnd_fail(err, TENDER_E_SYSTEM, "out of memory");
    if (vm_register_poll_fd(vm, dev->fd, handle) < 0 ||
        vm_sandbox_allow(vm, dev->fd, SANDBOX_READ | SANDBOX_WRITE) < 0)
        return tnd_fail(err, TENDER_E_DEVICE, "%s: too many devices", label);
    e->u.net_basic.mtu = (uint16_t)mtu;
    e->attached = 1;
    return 0;
}

/*
 * Run time: the hypercalls
 */

static struct net_dev *dev_of(struct net_state *st, uint64_t handle)
{
    if (handle >= HVT_MFT_MAX_ENTRIES || st->dev[handle].fd < 0)
        return NULL;
    return &st->dev[handle];
}

/*
 * The result for a failed tap read or write.  One log line for the first
 * error of a run: a tap that went away fails every call, and the log must
 * not fill up.
 */
static int32_t io_failed(const struct tender_vm *vm, struct net_dev *dev,
                         int *failing, const char *op, int errnum)
{
    if (errnum == EAGAIN || errnum == EWOULDBLOCK || errnum == EINTR)
        return HVT_AGAIN;
    if (!*failing)
        vm_log(vm, "net device '%s' (%s): %s failed: %s", dev->name,
               dev->ifname, op,
               errnum != 0 ? strerror(errnum) : "short transfer");
    *failing = 1;
    return HVT_EUNSPEC;
}

static enum hc_result hc_net_write(struct tender_vm *vm, void *argp, void *ctx)
{
    struct hvt_hc_net_write *arg = argp;
    struct net_dev *dev = dev_of(ctx, arg->handle);
    const void *frame;
    ssize_t n;

    if (dev == NULL || arg->len < ETH_HEADER_LEN || arg->len > dev->max_frame) {
        arg->ret = HVT_EINVAL;
        return HC_CONTINUE;
    }
    frame = guest_mem_ptr(&vm->mem, arg->data_gpa, arg->len);
    if (frame == NULL) {
        arg->ret = HVT_EINVAL;
        return HC_CONTINUE;
    }
    n = write(dev->fd, frame, arg->len);
    if (n == (ssize_t)arg->len) {
        dev->write_failing = 0;
        arg->ret = HVT_OK;
    } else {
        arg->ret =
            io_failed(vm, dev, &dev->write_failing, "write", n < 0 ? errno : 0);
    }
    return HC_CONTINUE;
}

static enum hc_result hc_net_read(struct tender_vm *vm, void *argp, void *ctx)
{
    struct hvt_hc_net_read *arg = argp;
    struct net_dev *dev = dev_of(ctx, arg->handle);
    void *buf;
    ssize_t n;

    /* Never into pages the host maps read-only (the guest's text). */
    buf = arg->len == 0 ? NULL
                        : vm_guest_ptr_writable(vm, arg->data_gpa, arg->len);
    if (dev == NULL || buf == NULL) {
        arg->ret = HVT_EINVAL;
        return HC_CONTINUE;
    }
    n = read(dev->fd, dev->rx_buf, dev->rx_size);
    if (n <= 0) {
        arg->ret = n == 0
                       ? HVT_AGAIN
                       : io_failed(vm, dev, &dev->read_failing, "read", errno);
        return HC_CONTINUE;
    }
    dev->read_failing = 0;
    /* Too long for the guest (or for us): dropped, never cut short. */
    if ((size_t)n >= dev->rx_size || (uint64_t)n > arg->len) {
        arg->len = (uint64_t)n;
        arg->ret = HVT_EINVAL;
        return HC_CONTINUE;
    }
    memcpy(buf, dev->rx_buf, (size_t)n);
    arg->len = (uint64_t)n;
    arg->ret = HVT_OK;
    return HC_CONTINUE;
}

/*
 * The module
 */

static void net_detach(struct tender_vm *vm, void *state)
{
    struct net_state *st = state;

    (void)vm;
    /* The ring's thread first: it uses the taps. */
    net_ring_destroy(st->ring);
    for (int h = 0; h < HVT_MFT_MAX_ENTRIES; h++) {
        if (st->dev[h].fd >= 0 && st->dev[h].owns_fd)
            close(st->dev[h].fd);
        free(st->dev[h].rx_buf);
    }
    free(st);
}

static int attach_ring(struct tender_vm *vm, struct net_state *st,
                       struct tender_error *err);

static int net_attach(struct tender_vm *vm, void **state,
                      struct tender_error *err)
{
    struct net_state *st;

    if (dev_args_check(vm, net_option_keys, HVT_MFT_DEV_NET_BASIC, err) < 0)
        return -1;
    if (!manifest_has_type(vm->mft, HVT_MFT_DEV_NET_BASIC))
        return 0;
    st = calloc(1, sizeof(*st));
    if (st == NULL)
        return tnd_fail(err, TENDER_E_SYSTEM, "out of memory");
    for (int h = 0; h < HVT_MFT_MAX_ENTRIES; h++)
        st->dev[h].fd = -1;
    /* From here on, detach releases whatever was opened. */
    *state = st;
    for (uint32_t h = 1; h < vm->mft->entries; h++) {
        const struct tender_dev_arg *a;

        if (vm->mft->e[h].type != HVT_MFT_DEV_NET_BASIC)
            continue;
        a = dev_arg_for(vm, "net", vm->mft->e[h].name);
        /* None: the VM reports the device as unattached. */
        if (a != NULL && attach_device(vm, st, h, a, err) < 0)
            return -1;
    }
    if (vm_register_hypercall(vm, HVT_HYPERCALL_NET_WRITE,
                              sizeof(struct hvt_hc_net_write), hc_net_write,
                              st) < 0 ||
        vm_register_hypercall(vm, HVT_HYPERCALL_NET_READ,
                              sizeof(struct hvt_hc_net_read), hc_net_read,
                              st) < 0)
        return tnd_fail(err, TENDER_E_STATE,
                        "the network hypercalls are already taken");
    return attach_ring(vm, st, err);
}

/*
 * The ring (net_ring.c), when vm.c reserved its memory: it sees the same
 * taps, and reads into a buffer of its own, as long as the longest.
 */
static int attach_ring(struct tender_vm *vm, struct net_state *st,
                       struct tender_error *err)
{
    struct net_ring_dev devs[HVT_MFT_MAX_ENTRIES];
    size_t rx_size = 0;

    for (int h = 0; h < HVT_MFT_MAX_ENTRIES; h++) {
        devs[h].fd = st->dev[h].fd;
        devs[h].max_frame = st->dev[h].max_frame;
        devs[h].read_failing = devs[h].write_failing = 0;
        devs[h].name = st->dev[h].name;
        devs[h].ifname = st->dev[h].ifname;
        if (st->dev[h].fd >= 0 && st->dev[h].rx_size > rx_size)
            rx_size = st->dev[h].rx_size;
    }
    if (rx_size == 0)
        return 0;
    if (net_ring_create(vm, devs, rx_size, &st->ring, err) < 0)
        return -1;
    return 0;
}

static int net_run_start(struct tender_vm *vm, void *state,
                         struct tender_error *err)
{
    struct net_state *st = state;

    (void)vm;
    return net_ring_start(st->ring, err);
}

static void net_run_end(struct tender_vm *vm, void *state)
{
    struct net_state *st = state;

    (void)vm;
    net_ring_stop(st->ring);
}

const struct tender_module tender_module_net = {
    .name = "net",
    .option_keys = net_option_keys,
    .usage = "  --net[:NAME]=IFACE         attach network device NAME (or the"
             " only one) to tap IFACE\n"
             "  --net[:NAME]=@FD           ... or to an open tap descriptor"
             " (IFF_TAP|IFF_NO_PI)\n"
             "  --net-mac[:NAME]=MAC       its MAC, xx:xx:xx:xx:xx:xx"
             " (default: random, local)\n",
    .attach = net_attach,
    .detach = net_detach,
    .run_start = net_run_start,
    .run_end = net_run_end,
};

/*
 * Check tests of guest/lwip's network interface (tender_netif.c), built
 * for this machine with lwIP, against a fake <tender/net.h>: a device
 * "service" whose received frames the tests queue and whose written
 * frames they read back.
 */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tender/net.h>

#include "hvt_abi.h"
#include "lwip/init.h"
#include "lwip/pbuf.h"
#include "lwip/timeouts.h"
#include "tender_netif.h"

/* The port's hooks (sys_arch.c on the guest). */
unsigned char *tender_lwip_heap;
static u32_t fake_now;

u32_t sys_now(void)
{
    return fake_now;
}

unsigned int tender_lwip_rand(void)
{
    return 4; /* chosen by a fair dice roll */
}

void tender_lwip_platform_diag(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
}

void tender_lwip_assert(const char *msg, const char *file, int line)
{
    fprintf(stderr, "lwip assertion \"%s\" at %s:%d\n", msg, file, line);
    abort();
}

/* The fake device. */
#define HANDLE 3
#define MAX_FRAMES 16
#define FRAME_MAX 9100

static const uint8_t our_mac[6] = {0x02, 0, 0, 0, 0, 0x01};
static const uint8_t host_mac[6] = {0x02, 0, 0, 0, 0, 0x99};
static uint16_t fake_mtu = 1500;
static int write_result = HVT_OK;

struct frame {
    uint8_t data[FRAME_MAX];
    size_t len;
};
static struct frame rxq[MAX_FRAMES], txq[MAX_FRAMES];
static int rx_head, rx_count, tx_count, reads;

int tender_net_acquire(const char *name, struct tender_net_info *info)
{
    if (strcmp(name, "service") != 0)
        return HVT_EINVAL;
    info->handle = HANDLE;
    memcpy(info->mac, our_mac, 6);
    info->mtu = fake_mtu;
    return HVT_OK;
}

int tender_net_read(uint64_t handle, void *buf, size_t size, size_t *len)
{
    struct frame *f;

    reads++;
    if (handle != HANDLE)
        return HVT_EINVAL;
    if (rx_count == 0)
        return HVT_AGAIN;
    f = &rxq[rx_head];
    rx_head = (rx_head + 1) % MAX_FRAMES;
    rx_count--;
    *len = f->len;
    if (f->len > size)
        return HVT_EINVAL; /* dropped whole, as tender does */
    memcpy(buf, f->data, f->len);
    return HVT_OK;
}

int tender_net_write(uint64_t handle, const void *buf, size_t len)
{
    if (handle != HANDLE || len < TENDER_NET_HEADER_LEN ||
        len > (size_t)fake_mtu + TENDER_NET_HEADER_LEN)
        return HVT_EINVAL;
    if (write_result != HVT_OK)
        return write_result;
    ck_assert_int_lt(tx_count, MAX_FRAMES);
    memcpy(txq[tx_count].data, buf, len);
    txq[tx_count].len = len;
    tx_count++;
    return HVT_OK;
}

static void queue_frame(const uint8_t *data, size_t len)
{
    struct frame *f = &rxq[(rx_head + rx_count) % MAX_FRAMES];

    ck_assert_int_lt(rx_count, MAX_FRAMES);
    ck_assert_uint_le(len, FRAME_MAX);
    memcpy(f->data, data, len);
    f->len = len;
    rx_count++;
}

/* The interface under test: 10.0.0.2/24 on "service". */
static struct netif netif;
static struct tender_netif tn;
static struct frame gratuitous;

static void setup(void)
{
    ip4_addr_t addr, mask, gw;

    tender_lwip_heap = malloc(MEM_SIZE + 1024);
    ck_assert_ptr_nonnull(tender_lwip_heap);
    lwip_init();
    IP4_ADDR(&addr, 10, 0, 0, 2);
    IP4_ADDR(&mask, 255, 255, 255, 0);
    IP4_ADDR(&gw, 0, 0, 0, 0);
    ck_assert_int_eq(
        tender_netif_add(&netif, &tn, "service", &addr, &mask, &gw), ERR_OK);
    /* Coming up, it announced itself (a gratuitous ARP); the tests count
     * from after that. */
    gratuitous = txq[0];
    ck_assert_int_eq(tx_count, 1);
    tx_count = 0;
    tn.frames_out = 0;
    tn.bytes_out = 0;
}

/* Ethernet + ARP request from the host (10.0.0.1) for 10.0.0.2. */
static size_t arp_request(uint8_t *f)
{
    static const uint8_t arp[] = {0, 1, 8, 0, 6, 4, 0, 1};

    memset(f, 0xff, 6);
    memcpy(f + 6, host_mac, 6);
    f[12] = 0x08;
    f[13] = 0x06;
    memcpy(f + 14, arp, 8);
    memcpy(f + 22, host_mac, 6);
    memcpy(f + 28, (uint8_t[]){10, 0, 0, 1}, 4);
    memset(f + 32, 0, 6);
    memcpy(f + 38, (uint8_t[]){10, 0, 0, 2}, 4);
    memset(f + 42, 0, 18); /* padded to 60 bytes */
    return 60;
}

static uint16_t checksum(const uint8_t *p, size_t n)
{
    uint32_t sum = 0;
    size_t i;

    for (i = 0; i + 1 < n; i += 2)
        sum += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (n & 1)
        sum += (uint32_t)(p[n - 1] << 8);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

/* An ICMP echo request from the host with payload_len bytes. */
static size_t echo_request(uint8_t *f, size_t payload_len)
{
    uint8_t *ip = f + 14, *icmp = f + 34;
    size_t i, ip_len = 20 + 8 + payload_len;
    uint16_t c;

    memcpy(f, our_mac, 6);
    memcpy(f + 6, host_mac, 6);
    f[12] = 0x08;
    f[13] = 0x00;
    memset(ip, 0, 20);
    ip[0] = 0x45;
    ip[2] = (uint8_t)(ip_len >> 8);
    ip[3] = (uint8_t)ip_len;
    ip[8] = 64;
    ip[9] = 1;
    memcpy(ip + 12, (uint8_t[]){10, 0, 0, 1}, 4);
    memcpy(ip + 16, (uint8_t[]){10, 0, 0, 2}, 4);
    c = checksum(ip, 20);
    ip[10] = (uint8_t)(c >> 8);
    ip[11] = (uint8_t)c;
    memset(icmp, 0, 8);
    icmp[0] = 8;
    icmp[5] = 7; /* id 7 */
    icmp[7] = 1; /* seq 1 */
    for (i = 0; i < payload_len; i++)
        icmp[8 + i] = (uint8_t)(i * 7 + 3);
    c = checksum(icmp, 8 + payload_len);
    icmp[2] = (uint8_t)(c >> 8);
    icmp[3] = (uint8_t)c;
    return 14 + ip_len;
}

START_TEST(acquire_takes_mac_and_mtu)
{
    ck_assert_mem_eq(netif.hwaddr, our_mac, 6);
    ck_assert_int_eq(netif.hwaddr_len, 6);
    ck_assert_int_eq(netif.mtu, 1500);
    ck_assert(netif.flags & NETIF_FLAG_UP);
    ck_assert(netif.flags & NETIF_FLAG_LINK_UP);
    ck_assert(netif.flags & NETIF_FLAG_ETHARP);
    ck_assert_uint_eq(tn.handle, HANDLE);
}
END_TEST

START_TEST(gratuitous_arp_on_up)
{
    const uint8_t *r = gratuitous.data;

    ck_assert_mem_eq(r, ((uint8_t[]){0xff, 0xff, 0xff, 0xff, 0xff, 0xff}), 6);
    ck_assert_mem_eq(r + 6, our_mac, 6);
    ck_assert_int_eq(r[12] << 8 | r[13], 0x0806);
    ck_assert_mem_eq(r + 28, ((uint8_t[]){10, 0, 0, 2}), 4);
    ck_assert_mem_eq(r + 38, ((uint8_t[]){10, 0, 0, 2}), 4);
}
END_TEST

START_TEST(acquire_mtu_9000)
{
    struct netif n2;
    struct tender_netif t2;
    ip4_addr_t a;

    fake_mtu = 9000;
    IP4_ADDR(&a, 10, 0, 1, 2);
    ck_assert_int_eq(tender_netif_add(&n2, &t2, "service", &a, &a, &a), ERR_OK);
    ck_assert_int_eq(n2.mtu, 9000);
    fake_mtu = 1500;
}
END_TEST

START_TEST(acquire_unknown_device)
{
    struct netif n2;
    struct tender_netif t2;
    ip4_addr_t a;

    IP4_ADDR(&a, 10, 0, 1, 2);
    ck_assert_int_eq(tender_netif_add(&n2, &t2, "nosuch", &a, &a, &a), ERR_ARG);
}
END_TEST

START_TEST(poll_empty)
{
    ck_assert_uint_eq(tender_netif_poll(&netif, 64), 0);
    ck_assert_int_eq(reads, 1);
    ck_assert_int_eq(tx_count, 0);
}
END_TEST

START_TEST(arp_request_answered)
{
    uint8_t f[64];
    const uint8_t *r;

    queue_frame(f, arp_request(f));
    ck_assert_uint_eq(tender_netif_poll(&netif, 64), 1);
    ck_assert_int_eq(tx_count, 1);
    r = txq[0].data;
    ck_assert_mem_eq(r, host_mac, 6);    /* to the host */
    ck_assert_mem_eq(r + 6, our_mac, 6); /* from us */
    ck_assert_int_eq(r[12] << 8 | r[13], 0x0806);
    ck_assert_int_eq(r[20] << 8 | r[21], 2); /* reply */
    ck_assert_mem_eq(r + 22, our_mac, 6);
    ck_assert_mem_eq(r + 28, ((uint8_t[]){10, 0, 0, 2}), 4);
    ck_assert_mem_eq(r + 32, host_mac, 6);
    ck_assert_uint_eq(tn.frames_in, 1);
    ck_assert_uint_eq(tn.frames_out, 1);
    ck_assert_uint_eq(tn.bytes_in, 60);
}
END_TEST

START_TEST(echo_answered_byte_for_byte)
{
    uint8_t f[1600], req[1600];
    size_t len, payload = 1472;
    const uint8_t *r;

    queue_frame(f, arp_request(f));
    len = echo_request(req, payload);
    queue_frame(req, len);
    ck_assert_uint_eq(tender_netif_poll(&netif, 64), 2);
    ck_assert_int_eq(tx_count, 2);
    r = txq[1].data;
    ck_assert_uint_eq(txq[1].len, len);
    ck_assert_mem_eq(r, host_mac, 6);
    ck_assert_mem_eq(r + 14 + 12, ((uint8_t[]){10, 0, 0, 2}), 4);
    ck_assert_mem_eq(r + 14 + 16, ((uint8_t[]){10, 0, 0, 1}), 4);
    ck_assert_int_eq(checksum(r + 14, 20), 0);
    ck_assert_int_eq(r[34], 0); /* echo reply */
    ck_assert_int_eq(checksum(r + 34, 8 + payload), 0);
    ck_assert_mem_eq(r + 34 + 4, req + 34 + 4, 4 + payload);
}
END_TEST

START_TEST(too_long_frame_dropped_next_read)
{
    uint8_t f[FRAME_MAX];

    memset(f, 0, sizeof(f));
    /* Longer than the driver's buffer: the fake drops it with EINVAL. */
    queue_frame(f, sizeof(tn.rx) < FRAME_MAX ? sizeof(tn.rx) + 1 : FRAME_MAX);
    rxq[(rx_head + rx_count - 1) % MAX_FRAMES].len = sizeof(tn.rx) + 1;
    queue_frame(f, arp_request(f));
    ck_assert_uint_eq(tender_netif_poll(&netif, 64), 2);
    ck_assert_uint_eq(tn.drops_in, 1);
    ck_assert_uint_eq(tn.frames_in, 1);
    ck_assert_int_eq(tx_count, 1); /* the ARP request still answered */
}
END_TEST

START_TEST(runt_frames_dropped)
{
    uint8_t f[64];

    memset(f, 0xab, sizeof(f));
    queue_frame(f, 10);
    queue_frame(f, 14); /* a header of an unknown type */
    ck_assert_uint_eq(tender_netif_poll(&netif, 64), 2);
    ck_assert_uint_eq(tn.drops_in, 1);
    ck_assert_int_eq(tx_count, 0);
}
END_TEST

START_TEST(poll_stops_at_max)
{
    uint8_t f[64];
    int i;

    for (i = 0; i < 3; i++)
        queue_frame(f, arp_request(f));
    ck_assert_uint_eq(tender_netif_poll(&netif, 2), 2);
    ck_assert_uint_eq(tender_netif_poll(&netif, 2), 1);
    ck_assert_uint_eq(tender_netif_poll(&netif, 2), 0);
    ck_assert_int_eq(tx_count, 3);
}
END_TEST

START_TEST(chained_pbuf_sent_whole)
{
    struct pbuf *a = pbuf_alloc(PBUF_RAW, 14, PBUF_RAM);
    struct pbuf *b = pbuf_alloc(PBUF_RAW, 1000, PBUF_RAM);
    uint8_t want[1014];
    size_t i;

    for (i = 0; i < sizeof(want); i++)
        want[i] = (uint8_t)(i * 13);
    memcpy(a->payload, want, 14);
    memcpy(b->payload, want + 14, 1000);
    pbuf_cat(a, b);
    ck_assert_int_eq(netif.linkoutput(&netif, a), ERR_OK);
    ck_assert_int_eq(tx_count, 1);
    ck_assert_uint_eq(txq[0].len, sizeof(want));
    ck_assert_mem_eq(txq[0].data, want, sizeof(want));
    ck_assert_uint_eq(tn.bytes_out, sizeof(want));
    pbuf_free(a);
}
END_TEST

START_TEST(frame_over_mtu_refused)
{
    struct pbuf *p = pbuf_alloc(PBUF_RAW, 1515, PBUF_RAM);

    memset(p->payload, 0, 1515);
    ck_assert_int_eq(netif.linkoutput(&netif, p), ERR_BUF);
    ck_assert_int_eq(tx_count, 0);
    ck_assert_uint_eq(tn.errors_out, 1);
    pbuf_free(p);
}
END_TEST

START_TEST(write_error_counted)
{
    struct pbuf *p = pbuf_alloc(PBUF_RAW, 60, PBUF_RAM);

    memset(p->payload, 0, 60);
    write_result = HVT_EUNSPEC;
    ck_assert_int_eq(netif.linkoutput(&netif, p), ERR_IF);
    ck_assert_uint_eq(tn.errors_out, 1);
    ck_assert_uint_eq(tn.frames_out, 0);
    write_result = HVT_OK;
    pbuf_free(p);
}
END_TEST

static size_t hook_calls, hook_last_len;

static void hook(const uint8_t *frame, size_t len)
{
    (void)frame;
    hook_calls++;
    hook_last_len = len;
}

START_TEST(rx_hook_sees_each_frame)
{
    uint8_t f[64];

    tn.rx_hook = hook;
    queue_frame(f, arp_request(f));
    queue_frame(f, 10); /* a runt: dropped before the hook */
    queue_frame(f, arp_request(f));
    ck_assert_uint_eq(tender_netif_poll(&netif, 64), 3);
    ck_assert_uint_eq(hook_calls, 2);
    ck_assert_uint_eq(hook_last_len, 60);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("netif");
    TCase *tc = tcase_create("tender_netif");
    SRunner *sr;
    int failed;

    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, acquire_takes_mac_and_mtu);
    tcase_add_test(tc, gratuitous_arp_on_up);
    tcase_add_test(tc, acquire_mtu_9000);
    tcase_add_test(tc, acquire_unknown_device);
    tcase_add_test(tc, poll_empty);
    tcase_add_test(tc, arp_request_answered);
    tcase_add_test(tc, echo_answered_byte_for_byte);
    tcase_add_test(tc, too_long_frame_dropped_next_read);
    tcase_add_test(tc, runt_frames_dropped);
    tcase_add_test(tc, poll_stops_at_max);
    tcase_add_test(tc, chained_pbuf_sent_whole);
    tcase_add_test(tc, frame_over_mtu_refused);
    tcase_add_test(tc, write_error_counted);
    tcase_add_test(tc, rx_hook_sees_each_frame);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}

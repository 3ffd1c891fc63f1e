/*
 * lwIP's options for tender guests: no operating system (NO_SYS=1, the
 * raw callback API driven by one poll loop), IPv4 with ARP, ICMP, UDP and
 * TCP, and enough of everything for at least 256 TCP connections open at
 * once.  All of lwIP's memory (its heap and, with MEMP_MEM_MALLOC, its
 * pools) is one block taken from the start of the guest heap
 * (tender_tcpip_init); see src/sys_arch.c.
 */
#ifndef TENDER_LWIPOPTS_H
#define TENDER_LWIPOPTS_H

#define NO_SYS 1
#define SYS_LIGHTWEIGHT_PROT 0
#define LWIP_NETCONN 0
#define LWIP_SOCKET 0
#define LWIP_NETIF_API 0

/* Protocols. */
#define LWIP_IPV4 1
#define LWIP_IPV6 0
#define LWIP_ARP 1
#define LWIP_ETHERNET 1
#define LWIP_ICMP 1
#define LWIP_RAW 0
#define LWIP_UDP 1
#define LWIP_TCP 1
#define LWIP_DHCP 0
#define LWIP_AUTOIP 0
#define LWIP_IGMP 0
#define LWIP_DNS 0
#define IP_REASSEMBLY 1
#define IP_FRAG 1
#define LWIP_ALTCP 0

/*
 * Memory: lwIP's own first-fit heap over a block of the guest heap, and
 * every pool allocated from that heap, so that the limits below are the
 * only ones and no pool is carved out of the image's .bss.
 */
#define MEM_LIBC_MALLOC 0
#define MEMP_MEM_MALLOC 1
#define MEM_ALIGNMENT 8
#define MEM_SIZE (32 * 1024 * 1024)
extern unsigned char *tender_lwip_heap;
#define LWIP_RAM_HEAP_POINTER tender_lwip_heap
#define MEMP_NUM_PBUF 4096
#define MEMP_NUM_UDP_PCB 64
#define MEMP_NUM_TCP_PCB 1024
#define MEMP_NUM_TCP_PCB_LISTEN 16
#define MEMP_NUM_TCP_SEG 16384
#define MEMP_NUM_REASSDATA 16
#define MEMP_NUM_FRAG_PBUF 64
#define MEMP_NUM_ARP_QUEUE 64
#define MEMP_NUM_SYS_TIMEOUT 16
#define PBUF_POOL_SIZE 2048
#define ARP_TABLE_SIZE 64
#define ARP_QUEUEING 1
#define ETHARP_SUPPORT_STATIC_ENTRIES 0

/* TCP: a 1460-byte MSS on a 1500-byte MTU, 32 KiB windows. */
#define TCP_MSS 1460
#define TCP_WND (22 * TCP_MSS)
#define TCP_SND_BUF (22 * TCP_MSS)
#define TCP_SND_QUEUELEN (4 * TCP_SND_BUF / TCP_MSS)
#define TCP_SNDLOWAT (TCP_SND_BUF / 2)
#define TCP_LISTEN_BACKLOG 1
#define TCP_DEFAULT_LISTEN_BACKLOG 255
#define TCP_OVERSIZE TCP_MSS
#define TCP_QUEUE_OOSEQ 1
#define TCP_OOSEQ_MAX_BYTES (4 * TCP_WND)
#define TCP_OOSEQ_MAX_PBUFS 64
#define LWIP_TCP_KEEPALIVE 1
#define LWIP_WND_SCALE 0
#define LWIP_TCP_TIMESTAMPS 0
#define LWIP_TCP_SACK_OUT 0

/* Checksums: computed and checked in software (a tap offloads nothing). */
#define LWIP_CHECKSUM_ON_COPY 1

/* Interfaces: one per device, no callbacks, no loopback. */
#define LWIP_NETIF_STATUS_CALLBACK 0
#define LWIP_NETIF_LINK_CALLBACK 0
#define LWIP_NETIF_LOOPBACK 0
#define LWIP_HAVE_LOOPIF 0
#define LWIP_SINGLE_NETIF 0

/* Statistics: lwIP's own counters, read by tender_tcpip_stats. */
#define LWIP_STATS 1
#define LWIP_STATS_DISPLAY 0
#define LWIP_STATS_LARGE 1 /* 32-bit counters: 16 bits wrap in seconds */
#define LINK_STATS 1
#define ETHARP_STATS 1
#define IP_STATS 1
#define TCP_STATS 1
#define UDP_STATS 1
#define ICMP_STATS 1
#define MEM_STATS 1
#define MEMP_STATS 0
#define SYS_STATS 0

/* Random numbers for ports and initial sequence numbers (sys_arch.c). */
unsigned int tender_lwip_rand(void);
#define LWIP_RAND() ((u32_t)tender_lwip_rand())

#endif /* TENDER_LWIPOPTS_H */

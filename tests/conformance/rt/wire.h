/*
 * The hvt v2 wire format, written down again for the conformance suite from
 * the published facts alone (docs/abi.md), on purpose without including
 * abi/hvt_abi.h: the suite must catch a mistake in that header too, and
 * it must be usable against any tender that serves hvt v2.
 */
#ifndef CONF_WIRE_H
#define CONF_WIRE_H

#include <stdint.h>

#define HC_PORT_BASE 0x500
#define HC_KICK_PORT 0x600

enum {
    HC_WALLTIME = 1,
    HC_PUTS = 2,
    HC_POLL = 3,
    HC_BLOCK_WRITE = 4,
    HC_BLOCK_READ = 5,
    HC_NET_WRITE = 6,
    HC_NET_READ = 7,
    HC_HALT = 8
};

enum { R_OK = 0, R_AGAIN = 1, R_EINVAL = 2, R_EUNSPEC = 3 };

struct w_walltime {
    uint64_t nsecs;
};

struct w_puts {
    uint64_t data;
    uint64_t len;
};

struct w_poll {
    uint64_t timeout_nsecs;
    uint64_t ready_set;
    int32_t ret;
    uint32_t pad;
};

/* BLOCK_WRITE and BLOCK_READ share one layout. */
struct w_block {
    uint64_t handle;
    uint64_t offset;
    uint64_t data;
    uint64_t len;
    int32_t ret;
    uint32_t pad;
};

/* NET_WRITE and NET_READ share one layout. */
struct w_net {
    uint64_t handle;
    uint64_t data;
    uint64_t len;
    int32_t ret;
    uint32_t pad;
};

struct w_halt {
    uint64_t cookie;
    int32_t status;
    uint32_t pad;
};

#define COOKIE_MAX 512

#define BOOT_INFO_GPA 0x10000
#define CMDLINE_MAX 8192

struct w_boot_info {
    uint64_t mem_size;
    uint64_t kernel_end;
    uint64_t cpu_cycle_freq;
    uint64_t cmdline;
    uint64_t mft;
    uint32_t host_features;
    uint32_t guest_features;
    uint64_t net_ring;
};

#define FEATURE_RING_IO 1u

/*
 * tender's own extension (docs/abi.md B9): BLOCK_FLUSH, hypercall 9,
 * offered when bit 16 of host_features is set.  Not hvt.
 */
#define FEATURE_BLOCK_FLUSH (1u << 16)
#define HC_BLOCK_FLUSH 9

struct w_block_flush {
    uint64_t handle;
    int32_t ret;
    uint32_t pad;
};

/*
 * tender's block ring (docs/abi.md D1-D8): bit 17, at mem_size + 1 MiB,
 * kicked on port 0x601.  Not hvt.
 */
#define FEATURE_BLOCK_RING (1u << 17)
#define BLOCK_RING_KICK_PORT 0x601
#define BLOCK_RING_OFFSET (1ul << 20)
#define BRING_SLOTS 1024
enum { BRING_READ = 1, BRING_WRITE = 2, BRING_FLUSH = 3 };

struct w_bring_entry {
    uint32_t op;
    uint32_t handle;
    uint64_t data;
    uint32_t len;
    uint32_t id;
    uint64_t offset;
};

struct w_bring_commit {
    uint32_t id;
    int32_t ret;
    uint32_t len;
    uint32_t reserved;
};

struct w_bring {
    uint32_t ent_tail;
    uint32_t com_head;
    uint8_t pad0[56];
    uint32_t ent_head;
    uint32_t com_tail;
    uint32_t needs_kick;
    uint8_t pad1[52];
    struct w_bring_entry entries[BRING_SLOTS];
    struct w_bring_commit commits[BRING_SLOTS];
};

struct w_note_header {
    uint32_t namesz;
    uint32_t descsz;
    uint32_t type;
    char name[8];
};

#define NOTE_TYPE_ABI 0x31494241u
#define NOTE_TYPE_MFT 0x3154464du

#define MFT_BLOCK_BASIC 1u
#define MFT_NET_BASIC 2u
#define MFT_RESERVED_FIRST (1u << 30)
#define MFT_MAX_ENTRIES 64

struct w_mft_entry {
    char name[68];
    uint32_t type;
    union {
        struct {
            uint64_t capacity;
            uint16_t block_size;
        } block;
        struct {
            uint8_t mac[6];
            uint16_t mtu;
        } net;
        uint8_t raw[16];
    } u;
    uint64_t host_private;
    uint8_t attached;
    uint8_t pad[7];
};

struct w_mft {
    uint32_t version;
    uint32_t entries;
    struct w_mft_entry e[];
};

/* Memory layout at entry. */
#define GDT_GPA 0x1000
#define PML4_GPA 0x2000
#define PDPT_GPA 0x3000
#define PD_GPA 0x4000
#define PT_GPA 0x8000
#define LOW_RO_START 0x10000
#define LOW_RO_END 0x100000

#define WIRE_OFFSET(type, field, off)                                          \
    _Static_assert(__builtin_offsetof(type, field) == (off), #type "." #field)

_Static_assert(sizeof(struct w_poll) == 24, "poll");
WIRE_OFFSET(struct w_poll, ret, 16);
_Static_assert(sizeof(struct w_block) == 40, "block");
WIRE_OFFSET(struct w_block, ret, 32);
_Static_assert(sizeof(struct w_net) == 32, "net");
WIRE_OFFSET(struct w_net, ret, 24);
_Static_assert(sizeof(struct w_halt) == 16, "halt");
_Static_assert(sizeof(struct w_block_flush) == 16, "block flush");
WIRE_OFFSET(struct w_block_flush, ret, 8);
_Static_assert(sizeof(struct w_bring_entry) == 32, "block ring entry");
WIRE_OFFSET(struct w_bring_entry, offset, 24);
WIRE_OFFSET(struct w_bring, ent_head, 64);
WIRE_OFFSET(struct w_bring, needs_kick, 72);
WIRE_OFFSET(struct w_bring, entries, 128);
WIRE_OFFSET(struct w_bring, commits, 128 + 32 * 1024);
_Static_assert(sizeof(struct w_bring) == 49280, "block ring");
WIRE_OFFSET(struct w_halt, status, 8);
_Static_assert(sizeof(struct w_boot_info) == 56, "boot info");
WIRE_OFFSET(struct w_boot_info, host_features, 40);
WIRE_OFFSET(struct w_boot_info, net_ring, 48);
_Static_assert(sizeof(struct w_mft_entry) == 104, "manifest entry");
WIRE_OFFSET(struct w_mft_entry, type, 68);
WIRE_OFFSET(struct w_mft_entry, u.block.block_size, 80);
WIRE_OFFSET(struct w_mft_entry, u.net.mtu, 78);
WIRE_OFFSET(struct w_mft_entry, host_private, 88);
WIRE_OFFSET(struct w_mft_entry, attached, 96);

#endif /* CONF_WIRE_H */

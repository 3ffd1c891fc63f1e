/*
 * The tender hypercall ABI: the contract between the monitor and a guest.
 *
 * Wire-compatible with version 2 of the "hvt" ABI, so guests built for other
 * hvt tenders boot on tender and ours boot on theirs.  This header is the
 * only code that both sides include.  It is freestanding: it needs nothing
 * but <stdint.h>.
 *
 * Every guest address is a plain 64-bit integer (a guest-physical address,
 * "GPA"), never a C pointer, so host code cannot dereference one by mistake:
 * the monitor has to translate it through its bounds-checked accessors.
 *
 * docs/abi.md describes the rules in prose; the numbers live here.
 */
#ifndef TENDER_HVT_ABI_H
#define TENDER_HVT_ABI_H

#include <stdint.h>

#define HVT_ABI_VERSION 2

/* Transport: a 4-byte OUT of the argument struct's GPA to port BASE + N. */
#define HVT_HYPERCALL_PIO_BASE 0x500
#define HVT_RING_KICK_PIO 0x600

enum hvt_hypercall {
    HVT_HYPERCALL_RESERVED = 0,
    HVT_HYPERCALL_WALLTIME = 1,
    HVT_HYPERCALL_PUTS = 2,
    HVT_HYPERCALL_POLL = 3,
    HVT_HYPERCALL_BLOCK_WRITE = 4,
    HVT_HYPERCALL_BLOCK_READ = 5,
    HVT_HYPERCALL_NET_WRITE = 6,
    HVT_HYPERCALL_NET_READ = 7,
    HVT_HYPERCALL_HALT = 8,
    /* Extensions; each is served only when its feature bit is offered. */
    HVT_HYPERCALL_BLOCK_FLUSH = 9,
    HVT_HYPERCALL_MAX = 16
};

/* Written back in a struct's ret field. */
enum hvt_result { HVT_OK = 0, HVT_AGAIN = 1, HVT_EINVAL = 2, HVT_EUNSPEC = 3 };

/*
 * Feature bits in boot_info.host_features.  Bit 0 is hvt's network ring
 * (struct hvt_ring below), offered when the guest has a network device.
 * Bits from 16 up are tender's own extensions and are never set by other
 * hvt tenders.
 */
#define HVT_FEATURE_RING_IO (1U << 0)
#define TENDER_FEATURE_BLOCK_FLUSH (1U << 16)
#define TENDER_FEATURE_BLOCK_RING (1U << 17)

/*
 * The network ring (RING_IO, feature bit 0), as Solo5's hvt tender lays it
 * out (docs/abi.md, "The network ring").  It sits at boot_info.net_ring_gpa,
 * in the 2 MiB just above mem_size.  The guest produces entries (ent_tail)
 * and consumes commits (com_head); the tender consumes entries (ent_head),
 * produces commits (com_tail) and sets needs_kick before it sleeps, after
 * which the guest must OUT any 32-bit value to HVT_RING_KICK_PIO.  Indices
 * run freely over 32 bits; slot = index & HVT_RING_MASK.  A NET_WRITE entry
 * gets no commit; a NET_READ entry gets exactly one.
 */
#define HVT_RING_SIZE 1024
#define HVT_RING_MASK (HVT_RING_SIZE - 1)
#define HVT_RING_BUF_SIZE 2048 /* the longest frame a ring NET_WRITE takes */
#define HVT_RING_REGION_SIZE (2ULL << 20) /* the ring, rounded to a page */

enum hvt_ring_op { HVT_RING_OP_NET_WRITE = 1, HVT_RING_OP_NET_READ = 2 };

struct hvt_ring_entry { /* written by the guest */
    uint32_t op;
    uint32_t handle;
    uint64_t data_gpa;
    uint32_t len;
    uint32_t id;
    uint64_t reserved;
};

struct hvt_ring_commit { /* written by the tender */
    uint32_t id;
    int32_t ret;
    uint32_t len;
    uint32_t reserved;
};

struct hvt_ring {
    /* Written by the guest only (its own 64-byte line). */
    uint32_t ent_tail;
    uint32_t com_head;
    uint8_t pad0[56];
    /* Written by the tender only. */
    uint32_t ent_head;
    uint32_t com_tail;
    uint32_t needs_kick;
    uint8_t pad1[52];
    struct hvt_ring_entry entries[HVT_RING_SIZE];
    struct hvt_ring_commit commits[HVT_RING_SIZE];
};

/*
 * The block ring (tender's extension, TENDER_FEATURE_BLOCK_RING; docs/abi.md,
 * "The block ring").  Offered when the manifest has a block device.  It
 * sits TENDER_BLOCK_RING_OFFSET above boot_info.mem_size, in the same
 * reserved 2 MiB as the network ring (which, if offered, is at mem_size),
 * and is kicked on its own port.  Its indices, needs_kick and memory order
 * are the network ring's; unlike there, every entry gets exactly one
 * commit, in ring order, and entries are served in ring order: a READ
 * queued after a WRITE sees its data, and a FLUSH makes every WRITE
 * committed before it durable.  A commit's len is the bytes moved (the
 * entry's len on HVT_OK, else 0).
 */
#define TENDER_BLOCK_RING_KICK_PIO 0x601
#define TENDER_BLOCK_RING_OFFSET (1ULL << 20)

enum tender_block_ring_op {
    TENDER_BLOCK_RING_OP_READ = 1,
    TENDER_BLOCK_RING_OP_WRITE = 2,
    TENDER_BLOCK_RING_OP_FLUSH = 3 /* handle only; the rest must be 0 */
};

struct tender_block_ring_entry { /* written by the guest */
    uint32_t op;
    uint32_t handle;
    uint64_t data_gpa;
    uint32_t len;    /* bytes: whole sectors */
    uint32_t id;     /* copied into the commit */
    uint64_t offset; /* bytes: whole sectors */
};

struct tender_block_ring {
    /* Written by the guest only (its own 64-byte line). */
    uint32_t ent_tail;
    uint32_t com_head;
    uint8_t pad0[56];
    /* Written by the tender only. */
    uint32_t ent_head;
    uint32_t com_tail;
    uint32_t needs_kick;
    uint8_t pad1[52];
    struct tender_block_ring_entry entries[HVT_RING_SIZE];
    struct hvt_ring_commit commits[HVT_RING_SIZE];
};

/* Exit status 255 is an abort; statuses above 255 are reserved. */
#define HVT_EXIT_ABORT 255

struct hvt_hc_walltime {
    uint64_t nsecs; /* out: nanoseconds since the Unix epoch */
};

struct hvt_hc_puts {
    uint64_t data_gpa; /* in */
    uint64_t len;      /* in */
};

struct hvt_hc_poll {
    uint64_t timeout_nsecs; /* in: relative */
    uint64_t ready_set;     /* out: bit (1 << handle) per device with input */
    int32_t ret;            /* out: number of ready devices */
    uint32_t pad_;
};

struct hvt_hc_block_write {
    uint64_t handle;   /* in */
    uint64_t offset;   /* in: bytes */
    uint64_t data_gpa; /* in */
    uint64_t len;      /* in */
    int32_t ret;       /* out: enum hvt_result */
    uint32_t pad_;
};

struct hvt_hc_block_read {
    uint64_t handle;   /* in */
    uint64_t offset;   /* in: bytes */
    uint64_t data_gpa; /* in */
    uint64_t len;      /* in/out */
    int32_t ret;       /* out: enum hvt_result */
    uint32_t pad_;
};

/* Extension (TENDER_FEATURE_BLOCK_FLUSH): make completed writes durable. */
struct hvt_hc_block_flush {
    uint64_t handle; /* in */
    int32_t ret;     /* out: enum hvt_result */
    uint32_t pad_;
};

struct hvt_hc_net_write {
    uint64_t handle;   /* in */
    uint64_t data_gpa; /* in */
    uint64_t len;      /* in: one whole frame */
    int32_t ret;       /* out: enum hvt_result */
    uint32_t pad_;
};

struct hvt_hc_net_read {
    uint64_t handle;   /* in */
    uint64_t data_gpa; /* in */
    uint64_t len;      /* in: buffer size; out: frame size */
    int32_t ret;       /* out: enum hvt_result */
    uint32_t pad_;
};

#define HVT_HALT_COOKIE_MAX 512

struct hvt_hc_halt {
    uint64_t cookie_gpa; /* in: 0, or up to HVT_HALT_COOKIE_MAX bytes */
    int32_t exit_status; /* in */
    uint32_t pad_;
};

/*
 * Extension (tender's own, not hvt's): the trap-frame cookie.  A guest
 * that aborts (exit status HVT_EXIT_ABORT) from an exception handler may
 * pass this struct as HALT's cookie, so that the monitor can report the
 * registers of the faulting context rather than those of the handler
 * (tender --dumpcore writes them into the core file).  The magic tells it
 * apart from any other cookie; a monitor that does not know it, such as
 * solo5-hvt, ignores it.  tender's guest kernel builds the frame in
 * boot.S (trap_common) and passes it from trap.c.
 */
#define TENDER_TRAP_COOKIE_MAGIC 0x50415254524e4454ULL /* "TDNRTRAP" */

struct tender_trap_frame {
    uint64_t cr2;
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector;
    uint64_t error; /* 0 for vectors without an error code */
    uint64_t rip, cs, rflags, rsp, ss;
};

struct tender_trap_cookie {
    uint64_t magic; /* TENDER_TRAP_COOKIE_MAGIC */
    uint64_t size;  /* sizeof(struct tender_trap_frame): the layout's version */
    struct tender_trap_frame frame;
};

/* Boot information, placed at HVT_BOOT_INFO_GPA; RDI holds its address. */
#define HVT_BOOT_INFO_GPA 0x10000
#define HVT_CMDLINE_MAX 8192 /* bytes, with the terminating NUL */

struct hvt_boot_info {
    uint64_t mem_size;       /* bytes the guest may use */
    uint64_t kernel_end;     /* first address after the loaded image */
    uint64_t cpu_cycle_freq; /* TSC frequency in Hz */
    uint64_t cmdline_gpa;    /* NUL-terminated command line */
    uint64_t mft_gpa;        /* the manifest, as attached by the tender */
    uint32_t host_features;  /* offered by the tender */
    uint32_t guest_features; /* accepted by the guest */
    uint64_t net_ring_gpa;   /* 0: no network ring */
};

/* Guest-physical layout at entry. */
#define HVT_GDT_GPA 0x1000
#define HVT_PML4_GPA 0x2000
#define HVT_PDPT_GPA 0x3000
#define HVT_PD_GPA 0x4000 /* four page directories, 0x4000-0x7fff */
#define HVT_PT_GPA 0x8000 /* 4 KiB pages for the first 2 MiB */
#define HVT_LOW_RO_START 0x10000
#define HVT_LOW_RO_END 0x100000 /* also the lowest address an ELF may use */
#define HVT_GDT_CODE_SEL 0x08
#define HVT_GDT_DATA_SEL 0x10
#define HVT_GUEST_MIN_MEM (2ULL << 20)
#define HVT_GUEST_MAX_MEM (4ULL << 30)
#define HVT_GUEST_MEM_ALIGN (2ULL << 20)

/* ELF notes: a standard note header followed by the name "Solo5\0\0\0". */
#define HVT_NOTE_NAME "Solo5"
#define HVT_NOTE_NAME_SIZE 6   /* with the NUL */
#define HVT_NOTE_NAME_PADDED 8 /* as stored */

struct hvt_note_header {
    uint32_t namesz;
    uint32_t descsz;
    uint32_t type;
    char name[HVT_NOTE_NAME_PADDED];
};

#define HVT_NOTE_TYPE_ABI 0x31494241 /* "ABI1" */
#define HVT_NOTE_TYPE_MFT 0x3154464d /* "MFT1" */

/*
 * A Solo5 note's descriptor starts right after its 20-byte header.  The
 * MFT1 descriptor then holds 4 bytes of padding, because the manifest
 * itself (which has 8-byte fields) is 8-byte aligned in the note:
 * n_descsz = HVT_MFT_NOTE_PAD + 8 + 104 x entries.
 */
#define HVT_NOTE_DESC_OFFSET 20
#define HVT_MFT_NOTE_PAD 4
#define HVT_ABI_NOTE_SECTION ".note.solo5.abi"
#define HVT_MFT_NOTE_SECTION ".note.solo5.manifest"

enum hvt_abi_target {
    HVT_ABI_TARGET_HVT = 1,
    HVT_ABI_TARGET_SPT = 2,
    HVT_ABI_TARGET_VIRTIO = 3,
    HVT_ABI_TARGET_MUEN = 4,
    HVT_ABI_TARGET_GENODE = 5,
    HVT_ABI_TARGET_XEN = 6
};

struct hvt_abi_note_desc {
    uint32_t target;  /* enum hvt_abi_target */
    uint32_t version; /* HVT_ABI_VERSION */
    uint32_t reserved0;
    uint32_t reserved1;
};

/* Manifest (MFT1). */
#define HVT_MFT_VERSION 1
#define HVT_MFT_MAX_ENTRIES 64
#define HVT_MFT_NAME_SIZE 68 /* 1-67 characters and a NUL */
#define HVT_MFT_NAME_MAX (HVT_MFT_NAME_SIZE - 1)

enum hvt_mft_type {
    HVT_MFT_DEV_BLOCK_BASIC = 1,
    HVT_MFT_DEV_NET_BASIC = 2,
    HVT_MFT_RESERVED_FIRST = (1U << 30)
};

struct hvt_mft_block_basic {
    uint64_t capacity;   /* bytes */
    uint16_t block_size; /* bytes */
};

struct hvt_mft_net_basic {
    uint8_t mac[6];
    uint16_t mtu;
};

struct hvt_mft_entry {
    char name[HVT_MFT_NAME_SIZE];
    uint32_t type; /* enum hvt_mft_type */
    union {
        struct hvt_mft_block_basic block_basic;
        struct hvt_mft_net_basic net_basic;
    } u;
    uint64_t host_private; /* the tender's own; opaque to the guest */
    uint8_t attached;      /* 0 in the file; 1 once the tender attached it */
    uint8_t pad_[7];
};

struct hvt_mft {
    uint32_t version; /* HVT_MFT_VERSION */
    uint32_t entries;
    struct hvt_mft_entry e[]; /* e[0] is always RESERVED_FIRST */
};

/* The wire format must not drift: check every size and offset it fixes. */
#define HVT_ABI_CHECK(type, field, off)                                        \
    _Static_assert(__builtin_offsetof(type, field) == (off),                   \
                   #type "." #field " is off the wire format")

_Static_assert(sizeof(struct hvt_hc_walltime) == 8, "walltime size");
HVT_ABI_CHECK(struct hvt_hc_walltime, nsecs, 0);
_Static_assert(sizeof(struct hvt_hc_puts) == 16, "puts size");
HVT_ABI_CHECK(struct hvt_hc_puts, data_gpa, 0);
HVT_ABI_CHECK(struct hvt_hc_puts, len, 8);
_Static_assert(sizeof(struct hvt_hc_poll) == 24, "poll size");
HVT_ABI_CHECK(struct hvt_hc_poll, timeout_nsecs, 0);
HVT_ABI_CHECK(struct hvt_hc_poll, ready_set, 8);
HVT_ABI_CHECK(struct hvt_hc_poll, ret, 16);
_Static_assert(sizeof(struct hvt_hc_block_write) == 40, "block_write size");
HVT_ABI_CHECK(struct hvt_hc_block_write, handle, 0);
HVT_ABI_CHECK(struct hvt_hc_block_write, offset, 8);
HVT_ABI_CHECK(struct hvt_hc_block_write, data_gpa, 16);
HVT_ABI_CHECK(struct hvt_hc_block_write, len, 24);
HVT_ABI_CHECK(struct hvt_hc_block_write, ret, 32);
_Static_assert(sizeof(struct hvt_hc_block_read) == 40, "block_read size");
HVT_ABI_CHECK(struct hvt_hc_block_read, handle, 0);
HVT_ABI_CHECK(struct hvt_hc_block_read, offset, 8);
HVT_ABI_CHECK(struct hvt_hc_block_read, data_gpa, 16);
HVT_ABI_CHECK(struct hvt_hc_block_read, len, 24);
HVT_ABI_CHECK(struct hvt_hc_block_read, ret, 32);
_Static_assert(sizeof(struct hvt_hc_block_flush) == 16, "block_flush size");
HVT_ABI_CHECK(struct hvt_hc_block_flush, handle, 0);
HVT_ABI_CHECK(struct hvt_hc_block_flush, ret, 8);
_Static_assert(sizeof(struct hvt_hc_net_write) == 32, "net_write size");
HVT_ABI_CHECK(struct hvt_hc_net_write, handle, 0);
HVT_ABI_CHECK(struct hvt_hc_net_write, data_gpa, 8);
HVT_ABI_CHECK(struct hvt_hc_net_write, len, 16);
HVT_ABI_CHECK(struct hvt_hc_net_write, ret, 24);
_Static_assert(sizeof(struct hvt_hc_net_read) == 32, "net_read size");
HVT_ABI_CHECK(struct hvt_hc_net_read, handle, 0);
HVT_ABI_CHECK(struct hvt_hc_net_read, data_gpa, 8);
HVT_ABI_CHECK(struct hvt_hc_net_read, len, 16);
HVT_ABI_CHECK(struct hvt_hc_net_read, ret, 24);
_Static_assert(sizeof(struct hvt_hc_halt) == 16, "halt size");
HVT_ABI_CHECK(struct hvt_hc_halt, cookie_gpa, 0);
HVT_ABI_CHECK(struct hvt_hc_halt, exit_status, 8);

_Static_assert(sizeof(struct hvt_boot_info) == 56, "boot_info size");
HVT_ABI_CHECK(struct hvt_boot_info, mem_size, 0);
HVT_ABI_CHECK(struct hvt_boot_info, kernel_end, 8);
HVT_ABI_CHECK(struct hvt_boot_info, cpu_cycle_freq, 16);
HVT_ABI_CHECK(struct hvt_boot_info, cmdline_gpa, 24);
HVT_ABI_CHECK(struct hvt_boot_info, mft_gpa, 32);
HVT_ABI_CHECK(struct hvt_boot_info, host_features, 40);
HVT_ABI_CHECK(struct hvt_boot_info, guest_features, 44);
HVT_ABI_CHECK(struct hvt_boot_info, net_ring_gpa, 48);

_Static_assert(sizeof(struct tender_trap_frame) == 184, "trap frame size");
HVT_ABI_CHECK(struct tender_trap_frame, rip, 144);
HVT_ABI_CHECK(struct tender_trap_cookie, frame, 16);
_Static_assert(sizeof(struct tender_trap_cookie) <= HVT_HALT_COOKIE_MAX,
               "trap cookie size");

_Static_assert(sizeof(struct hvt_note_header) == 20, "note header size");
_Static_assert(sizeof(struct hvt_abi_note_desc) == 16, "abi note size");
_Static_assert(sizeof(struct hvt_mft_entry) == 104, "manifest entry size");
HVT_ABI_CHECK(struct hvt_mft_entry, name, 0);
HVT_ABI_CHECK(struct hvt_mft_entry, type, 68);
HVT_ABI_CHECK(struct hvt_mft_entry, u.block_basic.capacity, 72);
HVT_ABI_CHECK(struct hvt_mft_entry, u.block_basic.block_size, 80);
HVT_ABI_CHECK(struct hvt_mft_entry, u.net_basic.mac, 72);
HVT_ABI_CHECK(struct hvt_mft_entry, u.net_basic.mtu, 78);
HVT_ABI_CHECK(struct hvt_mft_entry, host_private, 88);
HVT_ABI_CHECK(struct hvt_mft_entry, attached, 96);
_Static_assert(sizeof(struct hvt_mft) == 8, "manifest header size");
HVT_ABI_CHECK(struct hvt_mft, e, 8);

_Static_assert(sizeof(struct hvt_ring_entry) == 32, "ring entry size");
_Static_assert(sizeof(struct hvt_ring_commit) == 16, "ring commit size");
HVT_ABI_CHECK(struct hvt_ring_entry, data_gpa, 8);
HVT_ABI_CHECK(struct hvt_ring_entry, len, 16);
HVT_ABI_CHECK(struct hvt_ring_entry, id, 20);
HVT_ABI_CHECK(struct hvt_ring, com_head, 4);
HVT_ABI_CHECK(struct hvt_ring, ent_head, 64);
HVT_ABI_CHECK(struct hvt_ring, com_tail, 68);
HVT_ABI_CHECK(struct hvt_ring, needs_kick, 72);
HVT_ABI_CHECK(struct hvt_ring, entries, 128);
HVT_ABI_CHECK(struct hvt_ring, commits, 128 + 32 * HVT_RING_SIZE);
_Static_assert(sizeof(struct hvt_ring) == 128 + 48 * HVT_RING_SIZE,
               "ring size");
_Static_assert(sizeof(struct hvt_ring) <= HVT_RING_REGION_SIZE, "ring region");

_Static_assert(sizeof(struct tender_block_ring_entry) == 32,
               "block ring entry size");
HVT_ABI_CHECK(struct tender_block_ring_entry, data_gpa, 8);
HVT_ABI_CHECK(struct tender_block_ring_entry, len, 16);
HVT_ABI_CHECK(struct tender_block_ring_entry, id, 20);
HVT_ABI_CHECK(struct tender_block_ring_entry, offset, 24);
HVT_ABI_CHECK(struct tender_block_ring, ent_head, 64);
HVT_ABI_CHECK(struct tender_block_ring, entries, 128);
_Static_assert(sizeof(struct tender_block_ring) == sizeof(struct hvt_ring),
               "block ring size");
_Static_assert(sizeof(struct hvt_ring) <= TENDER_BLOCK_RING_OFFSET &&
                   TENDER_BLOCK_RING_OFFSET +
                           sizeof(struct tender_block_ring) <=
                       HVT_RING_REGION_SIZE,
               "both rings fit the ring region");

#endif /* TENDER_HVT_ABI_H */

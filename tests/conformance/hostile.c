/*
 * Conformance guest "hostile": one misbehaviour per run, named by the
 * first word of the command line (the table below).  What a tender must
 * do with each is in docs/abi.md, rules G*; the driver checks it.  A case
 * the tender lets the guest survive prints "RESULT n" where a hypercall
 * answered n, then "SURVIVED", and halts with 0.  "fine" does nothing
 * wrong: the driver runs it after every case to see the tender still works.
 *
 * Built as conf_hostile.elf without devices, conf_hostile_dev.elf
 * (HOSTILE_DEVICES) with 1 "disk" (block) and 2 "nic" (net), and as the
 * images that a tender must refuse to load (conf_refuse_*.elf, rules N*;
 * their "fine" case shows whether they ran).
 */
#include "rt.h"

#if defined(HOSTILE_DEVICES)
CONF_MANIFEST(3, CONF_DEVICE("disk", MFT_BLOCK_BASIC),
              CONF_DEVICE("nic", MFT_NET_BASIC));
#elif defined(HOSTILE_BAD_NAME)
/* N4: a name outside [A-Za-z0-9]; a tender must refuse the image. */
CONF_MANIFEST(2, CONF_DEVICE("bad-name", MFT_BLOCK_BASIC));
#else
CONF_MANIFEST(1);
#endif

enum { H_DISK = 1, H_NIC = 2 };

static uint64_t mem_end(void)
{
    return boot->mem_size;
}

static void result(int32_t ret)
{
    say("RESULT %d\n", ret);
}

/*
 * The transport
 */

static uint8_t scratch[4096] __attribute__((aligned(4096)));

static uint32_t scratch_gpa(void)
{
    return (uint32_t)(uintptr_t)scratch;
}

static void port_0x500(void)
{
    out32(0x500, scratch_gpa());
}

static void port_0x50f(void)
{
    out32(0x50f, scratch_gpa());
}

static void port_0x5ff(void)
{
    out32(0x5ff, scratch_gpa());
}

static void port_0x4ff(void)
{
    out32(0x4ff, scratch_gpa());
}

static void port_0x600(void)
{
    out32(0x600, scratch_gpa());
}

static void port_0x80(void)
{
    out32(0x80, 0);
}

static void port_0x3f8(void)
{
    out32(0x3f8, 'A');
}

static void outb_puts(void)
{
    __asm__ __volatile__("outb %b0, %w1" : : "a"(0), "Nd"(0x502));
}

static void outw_puts(void)
{
    __asm__ __volatile__("outw %w0, %w1" : : "a"(0), "Nd"(0x502));
}

static void inl_puts(void)
{
    uint32_t v;

    __asm__ __volatile__("inl %w1, %0" : "=a"(v) : "Nd"(0x502));
    (void)v;
}

static void inb_0x60(void)
{
    uint8_t v;

    __asm__ __volatile__("inb %w1, %b0" : "=a"(v) : "Nd"(0x60));
    (void)v;
}

/* A string OUT of two 4-byte values: two argument addresses at once. */
static void outsl_puts(void)
{
    static struct w_puts p = {0, 0};
    uint32_t values[2] = {(uint32_t)(uintptr_t)&p, (uint32_t)(uintptr_t)&p};
    const void *src = values;
    uint64_t count = 2;

    __asm__ __volatile__("rep outsl"
                         : "+S"(src), "+c"(count)
                         : "d"((uint16_t)0x502)
                         : "memory");
}

/*
 * Argument structs out of place
 */

static void arg_beyond(void)
{
    out32(HC_PORT_BASE + HC_PUTS, 0xfffffff0u);
}

static void arg_at_end(void)
{
    out32(HC_PORT_BASE + HC_WALLTIME, (uint32_t)mem_end());
}

static void arg_straddle_walltime(void)
{
    out32(HC_PORT_BASE + HC_WALLTIME, (uint32_t)(mem_end() - 4));
}

static void arg_straddle_poll(void)
{
    out32(HC_PORT_BASE + HC_POLL, (uint32_t)(mem_end() - 16));
}

static void arg_straddle_puts(void)
{
    out32(HC_PORT_BASE + HC_PUTS, (uint32_t)(mem_end() - 8));
}

static void arg_straddle_halt(void)
{
    out32(HC_PORT_BASE + HC_HALT, (uint32_t)(mem_end() - 8));
}

/* In the loaded text, which a tender may map read-only on its side. */
static const struct w_walltime text_walltime = {0};

static void arg_in_text(void)
{
    hc(HC_WALLTIME, (void *)&text_walltime);
}

/*
 * PUTS data out of place
 */

static void puts_range(uint64_t data, uint64_t len)
{
    struct w_puts p = {data, len};

    hc(HC_PUTS, &p);
}

static void puts_beyond(void)
{
    puts_range(mem_end(), 1);
}

static void puts_straddle(void)
{
    puts_range(mem_end() - 4, 64);
}

static void puts_len_overflow(void)
{
    puts_range(0x100000, ~0ULL);
}

static void puts_wrap(void)
{
    puts_range(~0ULL - 15, 32);
}

static void puts_huge_data(void)
{
    puts_range(1ULL << 63, 1);
}

/*
 * HALT
 */

static void halt_raw(uint64_t cookie, int32_t status)
{
    struct w_halt h = {cookie, status, 0};

    hc(HC_HALT, &h);
}

static void cookie_straddle(void)
{
    halt_raw(mem_end() - 16, 7);
}

static void cookie_beyond(void)
{
    halt_raw(~0ULL, 7);
}

static void cookie_null_page(void)
{
    halt_raw(8, 7);
}

static void halt_256(void)
{
    halt_raw(0, 256);
}

static void halt_negative(void)
{
    halt_raw(0, -1);
}

static void halt_big(void)
{
    halt_raw(0, 0x7fffffff);
}

/*
 * Memory outside the guest's, and the guest's own structures
 */

/*
 * The entry page tables map guest memory and nothing above it (M2): an
 * access there would be a page fault in the guest.  To reach an address
 * that is not memory (G5), a guest maps it itself: here all of the first
 * 4 GiB, identity, with writable 2 MiB pages.
 */
static uint64_t own_pml4[512] __attribute__((aligned(4096)));
static uint64_t own_pdpt[512] __attribute__((aligned(4096)));
static uint64_t own_pd[4][512] __attribute__((aligned(4096)));

static void map_4gib(void)
{
    for (uint64_t i = 0; i < 4; i++) {
        for (uint64_t j = 0; j < 512; j++)
            own_pd[i][j] = (i << 30 | j << 21) | 0x83; /* P, W, 2 MiB */
        own_pdpt[i] = (uint64_t)(uintptr_t)own_pd[i] | 0x3;
    }
    own_pml4[0] = (uint64_t)(uintptr_t)own_pdpt | 0x3;
    write_cr3((uint64_t)(uintptr_t)own_pml4);
}

static void mmio_read(uint64_t addr)
{
    map_4gib();
    (void)*(volatile uint32_t *)(uintptr_t)addr;
}

static void mmio_read_3g(void)
{
    mmio_read(0xc0000000ULL);
}

static void mmio_write_end(void)
{
    map_4gib();
    *(volatile uint32_t *)(uintptr_t)mem_end() = 0x12345678;
}

static void mmio_lapic(void)
{
    mmio_read(0xfee00030ULL);
}

static void mmio_top(void)
{
    mmio_read(0xfffffff0ULL);
}

static void exec_beyond(void)
{
    map_4gib();
    ((void (*)(void))(uintptr_t)0xc0000000ULL)();
}

static void write_text(void)
{
    *(volatile uint8_t *)(uintptr_t)conf_text_start = 0xcc;
}

/* The low area is read-only only in the tender's page tables. */
static void scribble_low_area(void)
{
    write_cr0(read_cr0() & ~CR0_WP);
    memset((void *)(uintptr_t)(BOOT_INFO_GPA + sizeof(struct w_boot_info)),
           0xff, 0x1000);
    memset((void *)(uintptr_t)BOOT_INFO_GPA, 0xee, sizeof(struct w_boot_info));
    write_cr0(read_cr0() | CR0_WP);
}

static void low_area_write(void)
{
    uint64_t t;

    scribble_low_area();
    t = wall_ns();
    say("# still served after the low area was overwritten: %lu\n", t);
}

/* Page tables of the guest's own with nothing mapped: the CPU cannot
 * even deliver the fault. */
static uint64_t empty_pml4[512] __attribute__((aligned(4096)));

static void page_tables_wiped(void)
{
    write_cr3((uint64_t)(uintptr_t)empty_pml4);
}

static void triple_fault(void)
{
    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) none = {0, 0};

    __asm__ __volatile__("lidt %0\n\tint3" : : "m"(none));
}

static void hlt(void)
{
    __asm__ __volatile__("cli\n\thlt");
}

/*
 * Floods
 */

static void flood_walltime(void)
{
    for (int i = 0; i < 20000; i++)
        (void)wall_ns();
}

static void flood_puts(void)
{
    for (int i = 0; i < 5000; i++)
        con_write(".", 1);
    con_write("\n", 1);
}

static void flood_poll(void)
{
    for (int i = 0; i < 5000; i++) {
        struct w_poll p = {0, 0, 0, 0};

        hc(HC_POLL, &p);
    }
}

/*
 * Block and network devices (conf_hostile_dev.elf)
 */

static int32_t block(int nr, uint64_t handle, uint64_t offset, uint64_t data,
                     uint64_t len)
{
    struct w_block b = {handle, offset, data, len, -1, 0};

    hc(nr, &b);
    return b.ret;
}

static int32_t block_read(uint64_t handle, uint64_t offset, uint64_t len)
{
    return block(HC_BLOCK_READ, handle, offset, scratch_gpa(), len);
}

static void blk_handle_0(void)
{
    result(block_read(0, 0, 512));
}

static void blk_handle_63(void)
{
    result(block_read(63, 0, 512));
}

static void blk_handle_max(void)
{
    result(block_read(~0ULL, 0, 512));
}

static void blk_handle_net(void)
{
    result(block_read(H_NIC, 0, 512));
}

static void blk_offset_overflow(void)
{
    result(block_read(H_DISK, ~0ULL - 511, 1024));
}

static void blk_len_overflow(void)
{
    result(block_read(H_DISK, 512, ~0ULL - 511));
}

static void blk_offset_huge(void)
{
    result(block(HC_BLOCK_WRITE, H_DISK, 1ULL << 63, scratch_gpa(), 512));
}

static void blk_data_beyond(void)
{
    result(block(HC_BLOCK_WRITE, H_DISK, 0, mem_end(), 512));
}

static void blk_data_straddle(void)
{
    result(block(HC_BLOCK_READ, H_DISK, 0, mem_end() - 256, 512));
}

static void blk_data_wrap(void)
{
    result(block(HC_BLOCK_READ, H_DISK, 0, ~0ULL - 255, 512));
}

static void blk_read_into_text(void)
{
    result(block(HC_BLOCK_READ, H_DISK, 0,
                 (uint64_t)(uintptr_t)conf_text_start + 4096, 512));
}

static void blk_arg_straddle(void)
{
    out32(HC_PORT_BASE + HC_BLOCK_READ, (uint32_t)(mem_end() - 16));
}

/* The manifest copy says the disk is huge; the tender must not care. */
static void blk_low_area_capacity(void)
{
    struct w_mft *mft = (void *)(uintptr_t)boot->mft;
    uint64_t real = mft->e[H_DISK].u.block.capacity;

    write_cr0(read_cr0() & ~CR0_WP);
    mft->e[H_DISK].u.block.capacity = ~0ULL;
    mft->e[H_NIC].type = MFT_BLOCK_BASIC;
    write_cr0(read_cr0() | CR0_WP);
    result(block_read(H_DISK, real, 512));
}

static void blk_flood_einval(void)
{
    int bad = 0;

    for (int i = 0; i < 5000; i++)
        bad += block_read(0, 0, 512) != R_EINVAL;
    say("# %d of 5000 answers were not EINVAL\n", bad);
    result(bad == 0 ? block_read(H_DISK, 0, 512) : -bad);
}

static int32_t net(int nr, uint64_t handle, uint64_t data, uint64_t len)
{
    struct w_net n = {handle, data, len, -1, 0};

    hc(nr, &n);
    return n.ret;
}

static void net_handle_0(void)
{
    result(net(HC_NET_WRITE, 0, scratch_gpa(), 60));
}

static void net_handle_block(void)
{
    result(net(HC_NET_READ, H_DISK, scratch_gpa(), 1514));
}

static void net_handle_max(void)
{
    result(net(HC_NET_WRITE, ~0ULL, scratch_gpa(), 60));
}

static void net_write_len_huge(void)
{
    result(net(HC_NET_WRITE, H_NIC, scratch_gpa(), ~0ULL));
}

static void net_write_data_beyond(void)
{
    result(net(HC_NET_WRITE, H_NIC, mem_end(), 60));
}

static void net_read_data_straddle(void)
{
    result(net(HC_NET_READ, H_NIC, mem_end() - 100, 1514));
}

static void net_arg_straddle(void)
{
    out32(HC_PORT_BASE + HC_NET_WRITE, (uint32_t)(mem_end() - 8));
}

/*
 * A frame is waiting (the host answered our ARP request for 10.77.0.1),
 * and the buffer is the guest's text.
 */
static void net_read_into_text(void)
{
    static const uint8_t head[] = {0x08, 0x06, 0, 1, 0x08, 0, 6, 4, 0, 1};
    const struct w_mft *mft = (const void *)(uintptr_t)boot->mft;
    const uint8_t *mac = mft->e[H_NIC].u.net.mac;
    uint8_t *f = scratch;
    struct w_poll p = {2000000000ULL, 0, 0, 0};

    memset(f, 0xff, 6);
    memcpy(f + 6, mac, 6);
    memcpy(f + 12, head, sizeof(head));
    memcpy(f + 22, mac, 6);
    memcpy(f + 28, (const uint8_t[]){10, 77, 0, 2}, 4);
    memset(f + 32, 0, 6);
    memcpy(f + 38, (const uint8_t[]){10, 77, 0, 1}, 4);
    (void)net(HC_NET_WRITE, H_NIC, scratch_gpa(), 42);
    hc(HC_POLL, &p);
    result(net(HC_NET_READ, H_NIC, (uint64_t)(uintptr_t)conf_text_start + 4096,
               1514));
}

static void fine(void)
{
}

static const struct {
    const char *name;
    void (*fn)(void);
} cases[] = {
    {"fine", fine},
    {"port-0x500", port_0x500},
    {"port-0x50f", port_0x50f},
    {"port-0x5ff", port_0x5ff},
    {"port-0x4ff", port_0x4ff},
    {"port-0x600", port_0x600},
    {"port-0x80", port_0x80},
    {"port-0x3f8", port_0x3f8},
    {"outb-puts", outb_puts},
    {"outw-puts", outw_puts},
    {"inl-puts", inl_puts},
    {"inb-0x60", inb_0x60},
    {"outsl-puts", outsl_puts},
    {"arg-beyond", arg_beyond},
    {"arg-at-end", arg_at_end},
    {"arg-straddle-walltime", arg_straddle_walltime},
    {"arg-straddle-poll", arg_straddle_poll},
    {"arg-straddle-puts", arg_straddle_puts},
    {"arg-straddle-halt", arg_straddle_halt},
    {"arg-in-text", arg_in_text},
    {"puts-beyond", puts_beyond},
    {"puts-straddle", puts_straddle},
    {"puts-len-overflow", puts_len_overflow},
    {"puts-wrap", puts_wrap},
    {"puts-huge-data", puts_huge_data},
    {"cookie-straddle", cookie_straddle},
    {"cookie-beyond", cookie_beyond},
    {"cookie-null-page", cookie_null_page},
    {"halt-256", halt_256},
    {"halt-negative", halt_negative},
    {"halt-big", halt_big},
    {"mmio-read-3g", mmio_read_3g},
    {"mmio-write-end", mmio_write_end},
    {"mmio-lapic", mmio_lapic},
    {"mmio-top", mmio_top},
    {"exec-beyond", exec_beyond},
    {"write-text", write_text},
    {"low-area-write", low_area_write},
    {"page-tables-wiped", page_tables_wiped},
    {"triple-fault", triple_fault},
    {"hlt", hlt},
    {"flood-walltime", flood_walltime},
    {"flood-puts", flood_puts},
    {"flood-poll", flood_poll},
    {"blk-handle-0", blk_handle_0},
    {"blk-handle-63", blk_handle_63},
    {"blk-handle-max", blk_handle_max},
    {"blk-handle-net", blk_handle_net},
    {"blk-offset-overflow", blk_offset_overflow},
    {"blk-len-overflow", blk_len_overflow},
    {"blk-offset-huge", blk_offset_huge},
    {"blk-data-beyond", blk_data_beyond},
    {"blk-data-straddle", blk_data_straddle},
    {"blk-data-wrap", blk_data_wrap},
    {"blk-read-into-text", blk_read_into_text},
    {"blk-arg-straddle", blk_arg_straddle},
    {"blk-low-area-capacity", blk_low_area_capacity},
    {"blk-flood-einval", blk_flood_einval},
    {"net-handle-0", net_handle_0},
    {"net-handle-block", net_handle_block},
    {"net-handle-max", net_handle_max},
    {"net-write-len-huge", net_write_len_huge},
    {"net-write-data-beyond", net_write_data_beyond},
    {"net-read-data-straddle", net_read_data_straddle},
    {"net-arg-straddle", net_arg_straddle},
    {"net-read-into-text", net_read_into_text},
};

int conf_main(const char *cmdline)
{
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        if (first_word_is(cmdline, cases[i].name)) {
            cases[i].fn();
            say("SURVIVED\n");
            return 0;
        }
    }
    say("Bail out! no hostile case '%s'\n", cmdline);
    return 2;
}

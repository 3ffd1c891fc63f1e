/*
 * A raw hvt v2 guest: no guest library, no shared header, only the numbers
 * of the wire format.  It proves that the ABI stands on its own, and its
 * first command-line word picks a misbehaviour for the monitor's tests:
 *   (none)      print a line and exit 0
 *   status N    exit with status N
 *   write-text  write to its own text (the host maps it read-only)
 *   bad-port    a 4-byte OUT to a port that is no hypercall
 *   bad-size    a 2-byte OUT to the PUTS port
 *   bad-nr      a hypercall with number 0x50 (not served)
 *   bad-arg     PUTS with a data pointer past the end of memory
 *   mmio        map all 4 GiB in page tables of its own, then read from
 *               3 GiB (unbacked unless memory is 4 GiB)
 *   beyond      a read just past the end of memory, through the tender's
 *               page tables (which map memory only: a page fault, and
 *               with no IDT a triple fault)
 *   hlt         HLT with interrupts disabled
 *   chatter     print 20000 lines, then exit 0
 *   sleep       POLL for 2 s; exit 0 if at least 2 s of wall-clock time
 *               passed, 1 if the sleep was cut short
 */
typedef unsigned long u64;
typedef unsigned int u32;
typedef int i32;

struct solo5_note {
    u32 namesz, descsz, type;
    char name[8];
};

__attribute__((section(".note.solo5.abi"), used,
               aligned(4))) static const struct {
    struct solo5_note h;
    u32 desc[4];
} abi_note = {{6, 16, 0x31494241, "Solo5"}, {1, 2, 0, 0}};

/* One entry: the reserved first one (type 1 << 30, empty name). */
__attribute__((section(".note.solo5.manifest"), used,
               aligned(4))) static const struct {
    struct solo5_note h;
    u32 pad, version, entries;
    unsigned char entry[104];
} mft_note = {{6, 4 + 8 + 104, 0x3154464d, "Solo5"},
              0,
              1,
              1,
              {[68] = 0, [69] = 0, [70] = 0, [71] = 0x40}};

static void hypercall(unsigned nr, void *arg)
{
    __asm__ __volatile__("outl %0, %1"
                         :
                         : "a"((u32)(u64)arg), "d"((unsigned short)(0x500 + nr))
                         : "memory");
}

static u64 length(const char *s)
{
    u64 n = 0;

    while (s[n])
        n++;
    return n;
}

static void puts_raw(const char *s)
{
    struct {
        u64 data, len;
    } arg = {(u64)s, length(s)};

    hypercall(2, &arg);
}

static void halt(i32 status)
{
    struct {
        u64 cookie;
        i32 status;
        u32 pad;
    } arg = {0, status, 0};

    hypercall(8, &arg);
    for (;;)
        ;
}

static u64 walltime(void)
{
    struct {
        u64 nsecs;
    } arg = {0};

    hypercall(1, &arg);
    return arg.nsecs;
}

static void poll_ns(u64 timeout)
{
    struct {
        u64 timeout, ready_set;
        i32 ret;
        u32 pad;
    } arg = {timeout, 0, 0, 0};

    hypercall(3, &arg);
}

static int word_is(const char *s, const char *w)
{
    while (*w && *s == *w)
        s++, w++;
    return *w == 0 && (*s == 0 || *s == ' ');
}

static i32 number_after(const char *s)
{
    i32 n = 0;

    while (*s && *s != ' ')
        s++;
    while (*s == ' ')
        s++;
    while (*s >= '0' && *s <= '9')
        n = n * 10 + (*s++ - '0');
    return n;
}

static volatile int data_word;

/*
 * The tender maps guest memory and nothing more, as Solo5's does: to reach
 * an unbacked address a guest must map it itself.  2 MiB pages, present
 * and writable, identity over 4 GiB.
 */
static u64 own_pml4[512] __attribute__((aligned(4096)));
static u64 own_pdpt[512] __attribute__((aligned(4096)));
static u64 own_pd[4][512] __attribute__((aligned(4096)));

static void map_4gib(void)
{
    for (u64 i = 0; i < 4; i++) {
        for (u64 j = 0; j < 512; j++)
            own_pd[i][j] = (i << 30 | j << 21) | 0x83;
        own_pdpt[i] = (u64)own_pd[i] | 0x3;
    }
    own_pml4[0] = (u64)own_pdpt | 0x3;
    __asm__ __volatile__("mov %0, %%cr3" : : "r"(own_pml4) : "memory");
}

void _start(const u64 *boot_info);

void _start(const u64 *boot_info)
{
    const char *cmdline = (const char *)boot_info[3];
    u64 mem_size = boot_info[0];

    if (word_is(cmdline, "status"))
        halt(number_after(cmdline));
    if (word_is(cmdline, "write-text"))
        *(volatile unsigned char *)(u64)&_start = 0xc3;
    if (word_is(cmdline, "bad-port"))
        __asm__ __volatile__("outl %0, %1"
                             :
                             : "a"(0), "d"((unsigned short)0x700));
    if (word_is(cmdline, "bad-size"))
        __asm__ __volatile__("outw %w0, %1"
                             :
                             : "a"(0), "d"((unsigned short)0x502));
    if (word_is(cmdline, "bad-nr"))
        hypercall(0x50, (void *)&data_word);
    if (word_is(cmdline, "bad-arg")) {
        struct {
            u64 data, len;
        } arg = {mem_size - 4, 64};
        hypercall(2, &arg);
    }
    if (word_is(cmdline, "mmio")) {
        map_4gib();
        data_word = *(volatile int *)0xc0000000UL;
    }
    if (word_is(cmdline, "beyond"))
        data_word = *(volatile int *)mem_size;
    if (word_is(cmdline, "chatter")) {
        for (int i = 0; i < 20000; i++)
            puts_raw("raw hvt guest: chatter, chatter, chatter\n");
        halt(0);
    }
    if (word_is(cmdline, "sleep")) {
        u64 start = walltime();

        poll_ns(2000000000ULL);
        halt(walltime() - start >= 2000000000ULL ? 0 : 1);
    }
    if (word_is(cmdline, "hlt"))
        __asm__ __volatile__("cli; hlt");
    puts_raw("raw hvt guest: hello\n");
    halt(0);
}

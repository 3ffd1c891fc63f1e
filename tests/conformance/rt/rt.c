/* The conformance runtime: see rt.h. */
#include "rt.h"

/*
 * The ABI note: an hvt image (target 1), ABI version 2.  The N2 checks
 * build variants with another target or version, or none at all.
 */
#ifndef CONF_ABI_TARGET
#define CONF_ABI_TARGET 1
#endif
#ifndef CONF_ABI_VERSION
#define CONF_ABI_VERSION 2
#endif
#ifndef CONF_NO_ABI_NOTE
__attribute__((section(".note.solo5.abi"), used,
               aligned(4))) static const struct {
    struct w_note_header h;
    uint32_t desc[4];
} abi_note = {{6, 16, NOTE_TYPE_ABI, CONF_NOTE_NAME},
              {CONF_ABI_TARGET, CONF_ABI_VERSION, 0, 0}};
#endif

const struct w_boot_info *boot;
int conf_failed;
int conf_ours;
static int tap_number;

/*
 * Hypercalls
 */

void out32(uint16_t port, uint32_t value)
{
    __asm__ __volatile__("outl %0, %1" : : "a"(value), "Nd"(port) : "memory");
}

/* Memory is identity-mapped at entry, so a pointer is its own GPA. */
void hc(unsigned nr, void *arg)
{
    out32((uint16_t)(HC_PORT_BASE + nr), (uint32_t)(uintptr_t)arg);
}

void halt(int status)
{
    struct w_halt h = {0, status, 0};

    hc(HC_HALT, &h);
    for (;;)
        __asm__ __volatile__("pause");
}

uint64_t wall_ns(void)
{
    struct w_walltime w = {0};

    hc(HC_WALLTIME, &w);
    return w.nsecs;
}

void con_write(const void *data, uint64_t len)
{
    struct w_puts p = {(uint64_t)(uintptr_t)data, len};

    hc(HC_PUTS, &p);
}

void con_puts(const char *s)
{
    con_write(s, strlen(s));
}

/*
 * Formatting: %s %c %d %u %x %p with l, ll, z, a width and 0 padding.
 */

struct out {
    char *buf;
    size_t size, len;
};

static void put(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void put_number(struct out *o, uint64_t v, unsigned base, int neg,
                       int width, char pad)
{
    char digits[24];
    int n = 0;

    do {
        digits[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v != 0);
    if (neg)
        digits[n++] = '-';
    while (width-- > n)
        put(o, pad);
    while (n > 0)
        put(o, digits[--n]);
}

static uint64_t take_unsigned(va_list *ap, int longs)
{
    return longs ? va_arg(*ap, uint64_t) : va_arg(*ap, unsigned);
}

static int64_t take_signed(va_list *ap, int longs)
{
    return longs ? va_arg(*ap, int64_t) : va_arg(*ap, int);
}

static void convert(struct out *o, char c, int longs, int width, char pad,
                    va_list *ap)
{
    const char *s;
    int64_t sv;

    switch (c) {
    case 's':
        s = va_arg(*ap, const char *);
        for (s = s ? s : "(null)"; *s; s++)
            put(o, *s);
        break;
    case 'c':
        put(o, (char)va_arg(*ap, int));
        break;
    case 'd':
    case 'i':
        sv = take_signed(ap, longs);
        put_number(o, sv < 0 ? -(uint64_t)sv : (uint64_t)sv, 10, sv < 0, width,
                   pad);
        break;
    case 'u':
        put_number(o, take_unsigned(ap, longs), 10, 0, width, pad);
        break;
    case 'x':
        put_number(o, take_unsigned(ap, longs), 16, 0, width, pad);
        break;
    case 'p':
        put(o, '0');
        put(o, 'x');
        put_number(o, (uint64_t)(uintptr_t)va_arg(*ap, void *), 16, 0, 0, 0);
        break;
    default:
        put(o, c);
    }
}

int vfmt(char *buf, size_t size, const char *f, va_list ap)
{
    struct out o = {buf, size, 0};
    va_list aq;

    va_copy(aq, ap);
    for (; *f; f++) {
        int longs = 0, width = 0;
        char pad = ' ';

        if (*f != '%') {
            put(&o, *f);
            continue;
        }
        if (*++f == '0')
            pad = '0';
        while (*f >= '0' && *f <= '9')
            width = width * 10 + (*f++ - '0');
        while (*f == 'l' || *f == 'z')
            longs = 1, f++;
        if (*f == '\0')
            break;
        convert(&o, *f, longs, width, pad, &aq);
    }
    va_end(aq);
    if (size > 0)
        buf[o.len < size ? o.len : size - 1] = '\0';
    return (int)o.len;
}

int fmt(char *buf, size_t size, const char *f, ...)
{
    va_list ap;
    int n;

    va_start(ap, f);
    n = vfmt(buf, size, f, ap);
    va_end(ap);
    return n;
}

/*
 * TAP: each line goes out in one PUTS so lines never interleave.
 */

static void vline(const char *prefix, const char *f, va_list ap,
                  const char *suffix)
{
    char line[400];
    size_t n = (size_t)fmt(line, sizeof(line), "%s", prefix);

    if (n < sizeof(line))
        n += (size_t)vfmt(line + n, sizeof(line) - n, f, ap);
    if (n < sizeof(line))
        n += (size_t)fmt(line + n, sizeof(line) - n, "%s\n", suffix);
    if (n >= sizeof(line)) {
        n = sizeof(line) - 1;
        line[n - 1] = '\n';
    }
    con_write(line, n);
}

void check(int ok, const char *rule, const char *f, ...)
{
    char prefix[64];
    va_list ap;

    tap_number++;
    if (!ok)
        conf_failed++;
    fmt(prefix, sizeof(prefix), "%sok %d - %s ", ok ? "" : "not ", tap_number,
        rule);
    va_start(ap, f);
    vline(prefix, f, ap, "");
    va_end(ap);
}

int tender_only(const char *rule, const char *why, const char *f, ...)
{
    char prefix[64], suffix[200];
    va_list ap;

    if (conf_ours)
        return 1;
    tap_number++;
    fmt(prefix, sizeof(prefix), "ok %d - %s ", tap_number, rule);
    fmt(suffix, sizeof(suffix), " # SKIP tender-only: %s", why);
    va_start(ap, f);
    vline(prefix, f, ap, suffix);
    va_end(ap);
    return 0;
}

void diag(const char *f, ...)
{
    va_list ap;

    va_start(ap, f);
    vline("# ", f, ap, "");
    va_end(ap);
}

void say(const char *f, ...)
{
    char line[400];
    va_list ap;
    int n;

    va_start(ap, f);
    n = vfmt(line, sizeof(line), f, ap);
    va_end(ap);
    con_write(line,
              (uint64_t)n < sizeof(line) ? (uint64_t)n : sizeof(line) - 1);
}

/*
 * Descriptor tables: the tender's GDT at 0x1000 is not mapped (nothing
 * below 0x10000 is), and delivering an exception reads the GDT, so we
 * bring our own before the first exception can happen.
 */

struct table_pointer {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

struct idt_gate {
    uint16_t offset_low, selector;
    uint8_t ist, type_attr;
    uint16_t offset_mid;
    uint32_t offset_high, reserved;
};

static const uint64_t gdt[3] __attribute__((aligned(16))) = {
    0, 0x00af9b000000ffffULL, 0x00cf93000000ffffULL};
static struct idt_gate idt[32] __attribute__((aligned(16)));
extern const uint64_t conf_trap_stubs[32];

static void load_gdt(void)
{
    struct table_pointer p = {sizeof(gdt) - 1, (uint64_t)(uintptr_t)gdt};

    __asm__ __volatile__("lgdt %0\n\t"
                         "movw $0x10, %%ax\n\t"
                         "movw %%ax, %%ds\n\t"
                         "movw %%ax, %%es\n\t"
                         "movw %%ax, %%ss\n\t"
                         "movw %%ax, %%fs\n\t"
                         "movw %%ax, %%gs\n\t"
                         "pushq $0x08\n\t"
                         "leaq 1f(%%rip), %%rax\n\t"
                         "pushq %%rax\n\t"
                         "lretq\n"
                         "1:"
                         :
                         : "m"(p)
                         : "rax", "memory");
}

static void load_idt(void)
{
    struct table_pointer p = {sizeof(idt) - 1, (uint64_t)(uintptr_t)idt};

    for (int v = 0; v < 32; v++) {
        uint64_t h = conf_trap_stubs[v];

        idt[v].offset_low = (uint16_t)h;
        idt[v].selector = 0x08;
        idt[v].type_attr = 0x8e; /* present 64-bit interrupt gate */
        idt[v].offset_mid = (uint16_t)(h >> 16);
        idt[v].offset_high = (uint32_t)(h >> 32);
    }
    __asm__ __volatile__("lidt %0" : : "m"(p));
}

void conf_unexpected_trap(void);
void conf_unexpected_trap(void)
{
    say("Bail out! unexpected exception %lu error=0x%lx rip=0x%lx "
        "cr2=0x%lx\n",
        conf_fault.vector, conf_fault.error, conf_fault.rip, conf_fault.cr2);
    halt(3);
}

void conf_start(const struct w_boot_info *bi);
void conf_start(const struct w_boot_info *bi)
{
    boot = bi;
    conf_ours = arg_u64((const char *)(uintptr_t)bi->cmdline, "ours", 0) == 1;
    load_gdt();
    load_idt();
    halt(conf_main((const char *)(uintptr_t)bi->cmdline) != 0 ||
                 conf_failed != 0
             ? 1
             : 0);
}

/*
 * Probes
 */

static void read_byte(void *p)
{
    (void)*(volatile uint8_t *)p;
}

static void write_byte(void *p)
{
    volatile uint8_t *b = p;

    /* Same value back: a probe that succeeds changes nothing. */
    *b = *b;
}

int probe_read(uint64_t addr)
{
    return conf_call_catching(read_byte, (void *)(uintptr_t)addr);
}

int probe_write(uint64_t addr)
{
    return conf_call_catching(write_byte, (void *)(uintptr_t)addr);
}

/*
 * The CPU
 */

uint64_t rdtsc(void)
{
    uint32_t lo, hi;

    __asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

uint64_t rdmsr(uint32_t msr)
{
    uint32_t lo, hi;

    __asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
    return (uint64_t)hi << 32 | lo;
}

void wrmsr(uint32_t msr, uint64_t value)
{
    __asm__ __volatile__("wrmsr"
                         :
                         : "c"(msr), "a"((uint32_t)value),
                           "d"((uint32_t)(value >> 32))
                         : "memory");
}

uint64_t read_cr0(void)
{
    uint64_t v;

    __asm__ __volatile__("mov %%cr0, %0" : "=r"(v));
    return v;
}

void write_cr0(uint64_t v)
{
    __asm__ __volatile__("mov %0, %%cr0" : : "r"(v) : "memory");
}

void write_cr3(uint64_t v)
{
    __asm__ __volatile__("mov %0, %%cr3" : : "r"(v) : "memory");
}

/*
 * Small helpers; the compiler may call the mem* ones on its own.
 */

void *memset(void *d, int c, size_t n)
{
    uint8_t *p = d;

    while (n--)
        *p++ = (uint8_t)c;
    return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
    return memmove(d, s, n);
}

void *memmove(void *d, const void *s, size_t n)
{
    uint8_t *dp = d;
    const uint8_t *sp = s;

    if (dp < sp)
        while (n--)
            *dp++ = *sp++;
    else
        while (n--)
            dp[n] = sp[n];
    return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const uint8_t *x = a, *y = b;

    for (; n--; x++, y++)
        if (*x != *y)
            return *x < *y ? -1 : 1;
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;

    while (s[n])
        n++;
    return n;
}

int streq(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

const char *arg_value(const char *cmdline, const char *key)
{
    size_t klen = strlen(key);
    const char *p = cmdline;

    while (*p) {
        while (*p == ' ')
            p++;
        if (memcmp(p, key, klen) == 0 && p[klen] == '=')
            return p + klen + 1;
        while (*p && *p != ' ')
            p++;
    }
    return NULL;
}

uint64_t arg_u64(const char *cmdline, const char *key, uint64_t fallback)
{
    const char *v = arg_value(cmdline, key);
    uint64_t n = 0;

    if (v == NULL || *v < '0' || *v > '9')
        return fallback;
    while (*v >= '0' && *v <= '9')
        n = n * 10 + (uint64_t)(*v++ - '0');
    return n;
}

int first_word_is(const char *cmdline, const char *word)
{
    size_t n = strlen(word);

    return memcmp(cmdline, word, n) == 0 &&
           (cmdline[n] == '\0' || cmdline[n] == ' ');
}

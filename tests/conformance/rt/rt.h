/*
 * The conformance runtime: a few hundred lines that let a guest talk to a
 * tender through the hvt wire format alone, print TAP, and survive the
 * exceptions it provokes on purpose.  No guest library is involved, so what
 * the checks see is the tender's doing.
 */
#ifndef CONF_RT_H
#define CONF_RT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "wire.h"

/*
 * Every guest defines its manifest with this, listing its devices.  The
 * descriptor starts with 4 bytes of padding, as in every Solo5-built image.
 */
#define CONF_NOTE_NAME "Solo5"
#define CONF_MANIFEST(n, ...)                                                  \
    __attribute__((section(".note.solo5.manifest"), used, aligned(4)))         \
    const struct {                                                             \
        struct w_note_header h;                                                \
        uint32_t pad, version, entries;                                        \
        struct w_mft_entry e[(n)];                                             \
    } __attribute__((packed))                                                  \
    conf_manifest = {{6, 4 + 8 + 104 * (n), NOTE_TYPE_MFT, CONF_NOTE_NAME},    \
                     0,                                                        \
                     1,                                                        \
                     (n),                                                      \
                     {{.name = "", .type = MFT_RESERVED_FIRST}, __VA_ARGS__}}

#define CONF_DEVICE(devname, devtype)                                          \
    {                                                                          \
        .name = devname, .type = devtype                                       \
    }

/* Defined by each guest: its checks.  The boot info is also in `boot`. */
int conf_main(const char *cmdline);

extern const struct w_boot_info *boot;

/* The machine state at entry, recorded by start.S. */
enum { GPR_RAX, GPR_RBX, GPR_RCX, GPR_RDX, GPR_RSI, GPR_RDI, GPR_RBP, GPR_RSP };
extern uint64_t conf_entry_gpr[16];
extern uint64_t conf_entry_rflags, conf_entry_cr0, conf_entry_cr3;
extern uint64_t conf_entry_cr4, conf_entry_efer;
extern uint64_t conf_entry_fs_base, conf_entry_gs_base;
extern uint16_t conf_entry_sel[6]; /* cs ds es fs gs ss */
extern uint16_t conf_entry_fcw;
/* 0 if "0x48 0x90" ran as REX.W NOP (64-bit mode), -1 if as DEC EAX; 1 if
 * the tender started the guest at the text's first byte, not at _start. */
extern uint32_t conf_entry_dec_probe, conf_entry_before_start;
extern uint8_t conf_entry_gdtr[10], conf_entry_idtr[10];

/* Linker-script symbols. */
extern char conf_text_start[], conf_text_end[], conf_image_end[];

/*
 * Hypercalls
 */
void hc(unsigned nr, void *arg);
/* A 4-byte OUT of any value to any port: for the hostile cases. */
void out32(uint16_t port, uint32_t value);
_Noreturn void halt(int status);
uint64_t wall_ns(void);
void con_write(const void *data, uint64_t len);
void con_puts(const char *s);

/*
 * TAP
 */
/* One TAP line; rule is the rule's number in docs/abi.md. */
void check(int ok, const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/*
 * A check of a rule that only tender keeps (an extension or a stricter
 * answer, docs/abi.md): on tender (the driver passed "ours=1") it returns
 * 1 and the caller makes the check; on any other tender it prints the TAP
 * line "ok N - RULE TEXT # SKIP tender-only: WHY" and returns 0, and the
 * caller must not even try (another tender may stop the guest for it).
 */
int tender_only(const char *rule, const char *why, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Set by the driver's "ours=1" argument: the tender under test is ours. */
extern int conf_ours;
/* A TAP comment line ("# ..."). */
void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* printf to the console, no TAP decoration. */
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int fmt(char *buf, size_t size, const char *f, ...)
    __attribute__((format(printf, 3, 4)));
int vfmt(char *buf, size_t size, const char *f, va_list ap);
extern int conf_failed;

/*
 * Exceptions
 */
struct fault {
    uint64_t vector, error, rip, cr2;
};
extern struct fault conf_fault;
#define VEC_GP 13
#define VEC_PF 14
#define PF_PRESENT 1u
#define PF_WRITE 2u
#define PF_FETCH 16u
/* fn(arg); returns 0, or the vector + 1 of the exception it raised. */
int conf_call_catching(void (*fn)(void *), void *arg);
/* Read or write one byte at addr; return as conf_call_catching does. */
int probe_read(uint64_t addr);
int probe_write(uint64_t addr);

/*
 * The CPU
 */
uint64_t rdtsc(void);
uint64_t rdmsr(uint32_t msr);
void wrmsr(uint32_t msr, uint64_t value);
uint64_t read_cr0(void);
void write_cr0(uint64_t v);
void write_cr3(uint64_t v);
#define CR0_WP (1ULL << 16)

/*
 * Small helpers
 */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int streq(const char *a, const char *b);
/* The value of "key=VALUE" among the command line's words, or NULL. */
const char *arg_value(const char *cmdline, const char *key);
uint64_t arg_u64(const char *cmdline, const char *key, uint64_t fallback);
/* Is word (up to a space) the command line's first word? */
int first_word_is(const char *cmdline, const char *word);

#endif /* CONF_RT_H */

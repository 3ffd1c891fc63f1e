/*
 * The tender guest API: what the guest kernel offers an application.
 *
 * An application is a freestanding C program linked with libtender_guest
 * and the tender-guest.ld linker script.  Instead of main() it defines
 * tender_app_main(), which the kernel calls once the machine is set up.
 * The small libc subset lives in <tender/string.h>, <tender/stdio.h> and
 * <tender/stdlib.h>.
 */
#ifndef TENDER_GUEST_H
#define TENDER_GUEST_H

#include <stddef.h>
#include <stdint.h>

#include "hvt_abi.h"

/*
 * Start-up
 */

/* What the kernel hands the application at start-up. */
struct tender_start_info {
    /* The command line exactly as the monitor passed it (read-only). */
    const char *cmdline;
    /*
     * The command line split at spaces and tabs.  argv[0] is always
     * "tender-guest" (the image does not know its file name), so the first
     * argument given to the monitor is argv[1]; argv[argc] is NULL.
     */
    int argc;
    char **argv;
    /* Free memory the application may use as it likes: [start, start+size). */
    uintptr_t heap_start;
    size_t heap_size;
};

/*
 * Defined by the application: its entry point.  The return value becomes
 * the exit status, as if passed to tender_exit().
 */
int tender_app_main(const struct tender_start_info *si);

/*
 * Console and exit
 */

/* Write len bytes of buf to the console, as they are (no newline added). */
void tender_console_write(const char *buf, size_t len);

/*
 * Stop the guest with an exit status.  Only the low 8 bits are kept, as
 * with POSIX exit(); 255 means abort.
 */
_Noreturn void tender_exit(int status);

/* Stop the guest at once with exit status 255. */
_Noreturn void tender_abort(void);

/*
 * Print "tender-guest: " and the message to the console, then abort.  For
 * fatal errors the application cannot recover from.
 */
_Noreturn void tender_panic(const char *msg);

/*
 * Clocks
 */

/* Nanoseconds since boot; never goes backwards.  Based on the TSC. */
uint64_t tender_clock_monotonic(void);

/*
 * Nanoseconds since the Unix epoch: the host's wall clock read once at
 * boot, advanced by the monotonic clock since then.
 */
uint64_t tender_clock_wall(void);

/*
 * Environment
 */

/* The command line, as in tender_start_info.cmdline. */
const char *tender_cmdline(void);

/* The heap bounds, as in tender_start_info. */
void tender_heap_bounds(uintptr_t *start, size_t *size);

/*
 * The manifest: the devices the application needs.
 *
 * Declare it once, at file scope, in one source file of the application:
 *
 *     TENDER_MANIFEST(TENDER_NET_DEVICE("service"),
 *                     TENDER_BLOCK_DEVICE("storage"));
 *
 * A device's name is 1-67 characters of [A-Za-z0-9]; the monitor attaches a
 * host resource to every declared device before the guest starts.  The
 * device's handle (used by the net and block calls) is its position in the
 * list, counting from 1.  At most 63 devices.  An application that declares
 * no manifest gets an empty one from the library.
 */

/* A manifest entry for a network device called devname. */
#define TENDER_NET_DEVICE(devname)                                             \
    {                                                                          \
        .name = devname, .type = HVT_MFT_DEV_NET_BASIC                         \
    }

/* A manifest entry for a block device called devname. */
#define TENDER_BLOCK_DEVICE(devname)                                           \
    {                                                                          \
        .name = devname, .type = HVT_MFT_DEV_BLOCK_BASIC                       \
    }

/*
 * The layout of an ELF note "Solo5"/MFT1 holding n entries (entry 0 being
 * the reserved one), as Solo5 lays it out: the descriptor follows the
 * 20-byte note header and starts with 4 bytes of padding, which put the
 * manifest 8-byte aligned within the note.  Packed, with the padding
 * spelled out, so that the compiler adds none of its own; 4-byte aligned,
 * as a note section must be for the notes' readers.
 */
#define TENDER_MANIFEST_NOTE(n)                                                \
    struct __attribute__((packed, aligned(4))) {                               \
        struct hvt_note_header header;                                         \
        uint32_t pad;                                                          \
        uint32_t version;                                                      \
        uint32_t entries;                                                      \
        struct hvt_mft_entry entry[(n)];                                       \
    }

/* The number of entries, with the reserved one, for the devices given. */
#define TENDER_MANIFEST_ENTRIES(...)                                           \
    (1 + sizeof((struct hvt_mft_entry[]){__VA_ARGS__}) /                       \
             sizeof(struct hvt_mft_entry))

/* The note header and entry 0 of a manifest with n entries. */
#define TENDER_MANIFEST_HEADER(n)                                              \
    .header = {HVT_NOTE_NAME_SIZE,                                             \
               (uint32_t)(HVT_MFT_NOTE_PAD + 8 +                               \
                          sizeof(struct hvt_mft_entry) * (n)),                 \
               HVT_NOTE_TYPE_MFT, HVT_NOTE_NAME},                              \
    .pad = 0, .version = HVT_MFT_VERSION, .entries = (n)

/* Declare the application's manifest with the devices listed. */
#define TENDER_MANIFEST(...)                                                   \
    _Static_assert(TENDER_MANIFEST_ENTRIES(__VA_ARGS__) <=                     \
                       HVT_MFT_MAX_ENTRIES,                                    \
                   "too many devices in the manifest");                        \
    __attribute__((section(HVT_MFT_NOTE_SECTION), used, aligned(4)))           \
    const TENDER_MANIFEST_NOTE(                                                \
        TENDER_MANIFEST_ENTRIES(__VA_ARGS__)) tender_manifest = {              \
        TENDER_MANIFEST_HEADER(TENDER_MANIFEST_ENTRIES(__VA_ARGS__)),          \
        .entry = {{.name = "", .type = HVT_MFT_RESERVED_FIRST}, __VA_ARGS__},  \
    }

#include <tender/block.h>
#include <tender/net.h>

#endif /* TENDER_GUEST_H */

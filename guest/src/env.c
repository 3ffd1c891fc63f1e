/*
 * The application's environment: its command line, split into arguments,
 * and the bounds of its heap.
 */
#include <stdbool.h>
#include <tender/guest.h>
#include <tender/string.h>

#include "kernel.h"

/*
 * The command line lives in the read-only low area, so it is split in a
 * copy; another copy, left whole, is what the application sees, so that a
 * line the monitor failed to terminate stays within bounds.  A line of
 * HVT_CMDLINE_MAX bytes holds at most half as many arguments, each one
 * character and a separator.
 */
static char cmdline[HVT_CMDLINE_MAX];
static char cmdline_copy[HVT_CMDLINE_MAX];
static char *argv[HVT_CMDLINE_MAX / 2 + 2];
static uintptr_t heap_start;
static size_t heap_size;

static bool is_separator(char c)
{
    return c == ' ' || c == '\t';
}

/* Split cmdline_copy in place; return the number of arguments found. */
static int split_arguments(void)
{
    int argc = 0;
    char *p = cmdline_copy;

    argv[argc++] = "tender-guest";
    for (;;) {
        while (is_separator(*p))
            *p++ = '\0';
        if (*p == '\0')
            break;
        argv[argc++] = p;
        while (*p != '\0' && !is_separator(*p))
            p++;
    }
    argv[argc] = NULL;
    return argc;
}

void env_init(const struct hvt_boot_info *bi, uint64_t heap_lo,
              uint64_t heap_hi, struct tender_start_info *si)
{
    if (bi->cmdline_gpa != 0) {
        const char *src = (const char *)(uintptr_t)bi->cmdline_gpa;
        size_t len = strnlen(src, sizeof(cmdline) - 1);

        memcpy(cmdline, src, len);
        cmdline[len] = '\0';
    }
    memcpy(cmdline_copy, cmdline, sizeof(cmdline));
    heap_start = (uintptr_t)heap_lo;
    heap_size = heap_hi > heap_lo ? (size_t)(heap_hi - heap_lo) : 0;

    si->cmdline = cmdline;
    si->argc = split_arguments();
    si->argv = argv;
    si->heap_start = heap_start;
    si->heap_size = heap_size;
}

const char *tender_cmdline(void)
{
    return cmdline;
}

void tender_heap_bounds(uintptr_t *start, size_t *size)
{
    *start = heap_start;
    *size = heap_size;
}

/*
 * lwIP's compiler and platform glue for tender guests: x86_64, little
 * endian, the guest libc subset (no inttypes.h, limits.h, ctype.h or
 * errno), and assertions that stop the guest through tender_panic.
 */
#ifndef TENDER_LWIP_ARCH_CC_H
#define TENDER_LWIP_ARCH_CC_H

#include <stddef.h>
#include <stdint.h>

/* x86_64 is little endian: lwIP's own default BYTE_ORDER. */

/*
 * The guest libc has none of these headers.  (tests/unit builds lwIP for
 * the build machine with TENDER_LWIP_HOSTED, where they exist.)
 */
#ifndef TENDER_LWIP_HOSTED
#define LWIP_NO_INTTYPES_H 1
#define LWIP_NO_LIMITS_H 1
#define LWIP_NO_CTYPE_H 1
#define LWIP_NO_UNISTD_H 1
#endif

/* printf formats for lwIP's types (the guest printf knows these). */
#define X8_F "02x"
#define U16_F "u"
#define S16_F "d"
#define X16_F "x"
#define U32_F "u"
#define S32_F "d"
#define X32_F "x"
#define SZT_F "zu"

/* A random number source and the clock come from sys_arch.c. */
#define LWIP_ERR_T int

void tender_lwip_platform_diag(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
_Noreturn void tender_lwip_assert(const char *msg, const char *file, int line);

#define LWIP_PLATFORM_DIAG(x)                                                  \
    do {                                                                       \
        tender_lwip_platform_diag x;                                           \
    } while (0)
#define LWIP_PLATFORM_ASSERT(x) tender_lwip_assert((x), __FILE__, __LINE__)

#endif /* TENDER_LWIP_ARCH_CC_H */

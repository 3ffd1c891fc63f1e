/*
 * String and memory functions of the tender guest libc subset.  They
 * behave as the C standard says; strlcpy behaves as on OpenBSD.
 */
#ifndef TENDER_STRING_H
#define TENDER_STRING_H

#include <stddef.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);

size_t strlen(const char *s);
size_t strnlen(const char *s, size_t maxlen);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strcpy(char *restrict dst, const char *restrict src);

/*
 * Copy src into dst, which has room for size bytes, and always NUL-terminate
 * it when size > 0.  Returns strlen(src): truncation happened if that is
 * size or more.
 */
size_t strlcpy(char *restrict dst, const char *restrict src, size_t size);

#endif /* TENDER_STRING_H */

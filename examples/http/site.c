/* A ustar archive as a read-only file system: see site.h. */
#include "site.h"

#include <tender/guest.h>
#include <tender/string.h>

#define TAR_BLOCK 512

/* An octal field of a tar header: its value, or -1 if malformed. */
static long long octal(const uint8_t *f, size_t n)
{
    long long v = 0;
    size_t i = 0;

    while (i < n && f[i] == ' ')
        i++;
    if (i == n || f[i] < '0' || f[i] > '7')
        return -1;
    for (; i < n && f[i] >= '0' && f[i] <= '7'; i++) {
        if (v > (1ll << 40))
            return -1;
        v = v * 8 + (f[i] - '0');
    }
    for (; i < n; i++)
        if (f[i] != ' ' && f[i] != '\0')
            return -1;
    return v;
}

static int checksum_ok(const uint8_t *h)
{
    long long want = octal(h + 148, 8);
    long long sum = 0;
    int i;

    for (i = 0; i < TAR_BLOCK; i++)
        sum += (i >= 148 && i < 156) ? ' ' : h[i];
    return want == sum;
}

static int all_zero(const uint8_t *h)
{
    int i;

    for (i = 0; i < TAR_BLOCK; i++)
        if (h[i] != 0)
            return 0;
    return 1;
}

int site_parse(struct site *st, const uint8_t *data, size_t len)
{
    size_t off = 0;

    st->count = 0;
    st->bytes = len;
    while (off + TAR_BLOCK <= len) {
        const uint8_t *h = data + off;
        char name[SITE_NAME_MAX];
        size_t plen, nlen;
        long long size;
        const char *n;

        if (all_zero(h))
            return 0; /* the end-of-archive blocks */
        if (memcmp(h + 257, "ustar", 5) != 0 || !checksum_ok(h))
            return SITE_EFORMAT;
        size = octal(h + 124, 12);
        if (size < 0 || (size_t)size > len - off - TAR_BLOCK)
            return SITE_EFORMAT;
        /* The name: prefix "/" name, each NUL-padded. */
        plen = strnlen((const char *)h + 345, 155);
        nlen = strnlen((const char *)h, 100);
        if (plen + 1 + nlen >= sizeof(name))
            return SITE_EFORMAT;
        name[0] = '\0';
        if (plen > 0) {
            memcpy(name, h + 345, plen);
            name[plen++] = '/';
        }
        memcpy(name + plen, h, nlen);
        name[plen + nlen] = '\0';
        n = name;
        while (n[0] == '.' && n[1] == '/')
            n += 2;
        if ((h[156] == '0' || h[156] == '\0') && n[0] != '\0') {
            struct site_file *f;

            if (st->count == SITE_MAX_FILES)
                return SITE_E2BIG;
            f = &st->files[st->count++];
            strlcpy(f->name, n, sizeof(f->name));
            f->data = h + TAR_BLOCK;
            f->size = (size_t)size;
        }
        off +=
            TAR_BLOCK + ((size_t)size + TAR_BLOCK - 1) / TAR_BLOCK * TAR_BLOCK;
    }
    return 0;
}

int site_load(struct site *st, const char *devname, void *mem, size_t size)
{
    struct tender_block_info info;
    uint64_t off;

    if (tender_block_acquire(devname, &info) != HVT_OK)
        return SITE_ENODEV;
    if (info.capacity > size)
        return SITE_ENOMEM;
    for (off = 0; off < info.capacity;) {
        size_t chunk = 1024 * 1024;

        if (chunk > info.capacity - off)
            chunk = (size_t)(info.capacity - off);
        if (tender_block_read(info.handle, off, (uint8_t *)mem + off, chunk) !=
            HVT_OK)
            return SITE_EIO;
        off += chunk;
    }
    return site_parse(st, mem, (size_t)info.capacity);
}

const struct site_file *site_find(const struct site *st, const char *name)
{
    unsigned i;

    for (i = 0; i < st->count; i++)
        if (strcmp(st->files[i].name, name) == 0)
            return &st->files[i];
    return NULL;
}

const char *site_error(int err)
{
    switch (err) {
    case SITE_ENODEV:
        return "no such block device";
    case SITE_ENOMEM:
        return "larger than the memory left";
    case SITE_EIO:
        return "read error";
    case SITE_EFORMAT:
        return "not a ustar archive";
    case SITE_E2BIG:
        return "too many files";
    default:
        return "unknown error";
    }
}

/* The key-value log on disk: see kvlog.h for the format. */
#include <tender/guest.h>
#include <tender/stdio.h>
#include <tender/string.h>

#include "kvlog.h"

#define KV_MAGIC 0x3152564bU /* "KVR1" */
#define MAX_SECTOR 32768
/* The largest record fits in the window whatever the sector size. */
#define WINDOW_SIZE (2 * MAX_SECTOR)

struct kv_header {
    uint32_t magic;
    uint32_t crc;
    uint64_t seq;
    uint64_t offset;
    uint32_t key_len;
    uint32_t value_len;
};

_Static_assert(sizeof(struct kv_header) == 32, "the header is 32 bytes");
_Static_assert(sizeof(struct kv_header) + KV_KEY_MAX + KV_VALUE_MAX <=
                   WINDOW_SIZE,
               "a record fits in the window");

/* Reads go through one window of the disk, refilled as the scan moves. */
static uint8_t window[WINDOW_SIZE];
static uint64_t window_offset;
static uint64_t window_len;
static uint8_t record_buf[WINDOW_SIZE];
static uint32_t crc_table[256];

/* CRC-32 (IEEE 802.3, reflected), table-driven. */
static void crc32_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;

        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xedb88320U ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
}

static uint32_t crc32(uint32_t crc, const uint8_t *p, size_t len)
{
    crc = ~crc;
    while (len-- > 0)
        crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}

static uint32_t record_crc(const struct kv_header *h, const uint8_t *payload)
{
    struct kv_header copy = *h;

    copy.crc = 0;
    return crc32(crc32(0, (const uint8_t *)&copy, sizeof(copy)), payload,
                 (size_t)h->key_len + h->value_len);
}

static uint64_t round_up(uint64_t x, uint64_t to)
{
    return (x + to - 1) / to * to;
}

int kv_log_open(struct kv_log *log, const char *name)
{
    struct tender_block_info info;

    memset(log, 0, sizeof(*log));
    crc32_init();
    if (tender_block_acquire(name, &info) != HVT_OK) {
        printf("kv: no block device '%s'\n", name);
        return -1;
    }
    if (info.sector_size > MAX_SECTOR) {
        printf("kv: sectors of %llu bytes are too large\n",
               (unsigned long long)info.sector_size);
        return -1;
    }
    log->handle = info.handle;
    log->capacity = info.capacity;
    log->sector_size = info.sector_size;
    log->can_flush = tender_block_can_flush();
    log->next_seq = 1;
    window_len = 0;
    return 0;
}

/*
 * The bytes [offset, offset + len) of the disk, len <= MAX_SECTOR + a
 * record; NULL past the end of the disk or on an I/O error (*ioerr).
 */
static const uint8_t *disk_bytes(const struct kv_log *log, uint64_t offset,
                                 uint64_t len, int *ioerr)
{
    uint64_t start;

    if (offset > log->capacity || len > log->capacity - offset)
        return NULL;
    if (offset >= window_offset && offset + len <= window_offset + window_len)
        return window + (offset - window_offset);
    /* Refill from the sector holding offset, as much as fits. */
    start = offset / log->sector_size * log->sector_size;
    window_len = log->capacity - start < WINDOW_SIZE ? log->capacity - start
                                                     : WINDOW_SIZE;
    window_len = window_len / log->sector_size * log->sector_size;
    window_offset = start;
    if (tender_block_read(log->handle, start, window, window_len) != HVT_OK) {
        window_len = 0;
        *ioerr = 1;
        return NULL;
    }
    return window + (offset - start);
}

static int all_zero(const uint8_t *p, uint64_t len)
{
    for (uint64_t i = 0; i < len; i++)
        if (p[i] != 0)
            return 0;
    return 1;
}

/* Why the bytes at the tail are not the next record; NULL if they are. */
static const char *check_header(const struct kv_log *log,
                                const struct kv_header *h)
{
    if (h->magic != KV_MAGIC)
        return "no record magic";
    if (h->offset != log->tail)
        return "a record written elsewhere";
    if (h->seq != log->next_seq)
        return "out of sequence";
    if (h->key_len == 0 || h->key_len > KV_KEY_MAX ||
        h->value_len > KV_VALUE_MAX)
        return "impossible lengths";
    return NULL;
}

/* Read the record at the tail into r; 0, or -1 with log->end set. */
static int read_record(struct kv_log *log, struct kv_record *r)
{
    struct kv_header h;
    const uint8_t *p;
    uint64_t size;
    int ioerr = 0;

    p = disk_bytes(log, log->tail, log->sector_size, &ioerr);
    if (p == NULL || all_zero(p, log->sector_size)) {
        log->end = ioerr ? KV_END_IOERR : KV_END_CLEAN;
        return -1;
    }
    memcpy(&h, p, sizeof(h));
    log->end = KV_END_TORN;
    log->end_reason = check_header(log, &h);
    if (log->end_reason != NULL)
        return -1;
    size = round_up(sizeof(h) + h.key_len + h.value_len, log->sector_size);
    p = disk_bytes(log, log->tail, size, &ioerr);
    if (p == NULL) {
        log->end = ioerr ? KV_END_IOERR : KV_END_TORN;
        log->end_reason = "a record past the end of the disk";
        return -1;
    }
    if (record_crc(&h, p + sizeof(h)) != h.crc) {
        log->end_reason = "bad checksum";
        return -1;
    }
    r->seq = h.seq;
    r->offset = log->tail;
    r->key = (const char *)p + sizeof(h);
    r->key_len = h.key_len;
    r->value = r->key + h.key_len;
    r->value_len = h.value_len;
    log->tail += size;
    log->next_seq++;
    return 0;
}

uint64_t kv_log_scan(struct kv_log *log,
                     void (*fn)(const struct kv_record *r, void *opaque),
                     void *opaque)
{
    struct kv_record r;
    uint64_t n = 0;

    log->tail = 0;
    log->next_seq = 1;
    log->end_reason = NULL;
    while (read_record(log, &r) == 0) {
        n++;
        if (fn != NULL)
            fn(&r, opaque);
    }
    return n;
}

/* Lay the record out in record_buf; returns its padded size. */
static uint64_t build_record(const struct kv_log *log, const char *key,
                             size_t key_len, const char *value,
                             size_t value_len)
{
    struct kv_header h = {KV_MAGIC,          0,
                          log->next_seq,     log->tail,
                          (uint32_t)key_len, (uint32_t)value_len};
    uint64_t size = round_up(sizeof(h) + key_len + value_len, log->sector_size);

    memset(record_buf, 0, size);
    memcpy(record_buf + sizeof(h), key, key_len);
    memcpy(record_buf + sizeof(h) + key_len, value, value_len);
    h.crc = record_crc(&h, record_buf + sizeof(h));
    memcpy(record_buf, &h, sizeof(h));
    return size;
}

uint64_t kv_log_append(struct kv_log *log, const char *key, const char *value,
                       int *durable)
{
    size_t key_len = strlen(key), value_len = strlen(value);
    uint64_t size, seq = log->next_seq;
    int rc;

    *durable = 0;
    if (key_len == 0 || key_len > KV_KEY_MAX || value_len > KV_VALUE_MAX) {
        printf("kv: keys are 1 to %d bytes, values at most %d\n", KV_KEY_MAX,
               KV_VALUE_MAX);
        return 0;
    }
    size = build_record(log, key, key_len, value, value_len);
    if (size > log->capacity - log->tail) {
        printf("kv: the disk is full\n");
        return 0;
    }
    rc = tender_block_write(log->handle, log->tail, record_buf, size);
    if (rc != HVT_OK) {
        printf("kv: write failed (result %d)\n", rc);
        return 0;
    }
    /* The window may hold the old bytes of this range. */
    window_len = 0;
    log->tail += size;
    log->next_seq++;
    if (log->can_flush) {
        rc = tender_block_flush(log->handle);
        if (rc != HVT_OK) {
            printf("kv: flush failed (result %d)\n", rc);
            return 0;
        }
        *durable = 1;
    }
    return seq;
}

/*
 * The key-value log on disk: records back to back from byte 0, each
 * padded to whole sectors and written with one request:
 *
 *   u32 magic "KVR1" | u32 crc32 | u64 seq | u64 offset |
 *   u32 key_len | u32 value_len | key | value | zero padding
 *
 * The CRC-32 covers the header (with the crc field zero) and the key and
 * value.  seq counts from 1 and offset is the record's own position, so a
 * record is only accepted where it was written and in order: leftovers of
 * an older, longer record beyond a rewritten tail do not pass for new ones.
 *
 * Reading stops at the first record that fails any check: the log's end.
 * After a crash that is where a torn record, if any, lies; the next append
 * overwrites it.
 */
#ifndef KVLOG_H
#define KVLOG_H

#include <stddef.h>
#include <stdint.h>

#define KV_KEY_MAX 255
#define KV_VALUE_MAX 4096

struct kv_record {
    uint64_t seq;
    uint64_t offset;
    const char *key; /* not NUL-terminated; valid until the next read */
    uint32_t key_len;
    const char *value;
    uint32_t value_len;
};

/* Why a scan stopped. */
enum kv_end {
    KV_END_CLEAN, /* an all-zero sector, or the end of the disk */
    KV_END_TORN,  /* a record that fails its checks: torn or corrupt */
    KV_END_IOERR  /* the disk could not be read */
};

struct kv_log {
    uint64_t handle;
    uint64_t capacity;
    uint64_t sector_size;
    int can_flush;
    /* Where the next record goes, and its seq, once kv_log_scan is done. */
    uint64_t tail;
    uint64_t next_seq;
    enum kv_end end;
    const char *end_reason; /* for KV_END_TORN */
};

/* Open the log on the block device called name; 0, or -1 with a message. */
int kv_log_open(struct kv_log *log, const char *name);

/*
 * Read every valid record in order, calling fn for each (fn may be NULL),
 * and set tail, next_seq and end.  Returns the number of records.
 */
uint64_t kv_log_scan(struct kv_log *log,
                     void (*fn)(const struct kv_record *r, void *opaque),
                     void *opaque);

/*
 * Append a record after the last valid one (kv_log_scan first) and, when
 * the monitor offers it, flush.  Returns its seq; 0 when the disk is full,
 * the key or value too long, or the I/O failed (a message says which).
 * *durable says whether it was flushed.
 */
uint64_t kv_log_append(struct kv_log *log, const char *key, const char *value,
                       int *durable);

#endif

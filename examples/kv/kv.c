/*
 * kv: a small persistent key-value store, an append-only log on the block
 * device "storage" (format in kvlog.h).  Each command runs once per boot:
 *
 *     $ dd if=/dev/zero of=kv.img bs=1M count=4
 *     $ tender --block=kv.img kv.elf set colour blue
 *     $ tender --block=kv.img kv.elf get colour
 *     colour=blue
 *     $ tender --block=kv.img kv.elf list
 *
 *   set KEY VALUE  append a record and flush it: once "set" is printed it
 *                  survives a crash of tender or of the host
 *   get KEY        the latest value (exit status 1 if there is none)
 *   list           every key with its latest value, in order of first set
 *   stream N       append N records of key "stream", each flushed and then
 *                  reported as "flushed SEQ" (for crash tests)
 *   check          read the whole log, and check that every "stream"
 *                  record holds the value stream wrote for its seq
 *
 * Every command first reads the log and reports its state on lines that
 * start with "kv:", including a torn or corrupt record where it ends.
 */
#include <tender/guest.h>
#include <tender/stdio.h>
#include <tender/stdlib.h>
#include <tender/string.h>

#include "kvlog.h"

TENDER_MANIFEST(TENDER_BLOCK_DEVICE("storage"));

#define MAX_KEYS 1024
#define STREAM_KEY "stream"

struct key_slot {
    char key[KV_KEY_MAX + 1];
    char value[KV_VALUE_MAX + 1];
};

/* The latest value of every key, in order of first set. */
static struct key_slot keys[MAX_KEYS];
static int n_keys;
static int too_many_keys;

static void copy_field(char *dst, const char *src, uint32_t len)
{
    memcpy(dst, src, len);
    dst[len] = '\0';
}

static void remember(const struct kv_record *r, void *opaque)
{
    char key[KV_KEY_MAX + 1];
    int i;

    (void)opaque;
    copy_field(key, r->key, r->key_len);
    for (i = 0; i < n_keys && strcmp(keys[i].key, key) != 0; i++)
        continue;
    if (i == MAX_KEYS) {
        too_many_keys = 1;
        return;
    }
    if (i == n_keys)
        copy_field(keys[n_keys++].key, r->key, r->key_len);
    copy_field(keys[i].value, r->value, r->value_len);
}

/* Scan the log, say what it holds and how it ends. */
static void open_log(struct kv_log *log,
                     void (*fn)(const struct kv_record *r, void *opaque))
{
    uint64_t n;

    if (kv_log_open(log, "storage") < 0)
        exit(2);
    n = kv_log_scan(log, fn, NULL);
    printf("kv: %llu records, %llu bytes\n", (unsigned long long)n,
           (unsigned long long)log->tail);
    if (log->end == KV_END_TORN)
        printf("kv: ignoring a torn or corrupt record at byte %llu (%s)\n",
               (unsigned long long)log->tail, log->end_reason);
    if (log->end == KV_END_IOERR) {
        printf("kv: cannot read the disk at byte %llu\n",
               (unsigned long long)log->tail);
        exit(2);
    }
}

static int cmd_set(const char *key, const char *value)
{
    struct kv_log log;
    int durable;
    uint64_t seq;

    open_log(&log, NULL);
    seq = kv_log_append(&log, key, value, &durable);
    if (seq == 0)
        return 1;
    printf("set %s (record %llu%s)\n", key, (unsigned long long)seq,
           durable ? "" : ", not flushed: the monitor offers no flush");
    return 0;
}

static int cmd_get(const char *key)
{
    struct kv_log log;

    open_log(&log, remember);
    for (int i = 0; i < n_keys; i++) {
        if (strcmp(keys[i].key, key) == 0) {
            printf("%s=%s\n", key, keys[i].value);
            return 0;
        }
    }
    printf("%s: not found\n", key);
    return 1;
}

static int cmd_list(void)
{
    struct kv_log log;

    open_log(&log, remember);
    if (too_many_keys)
        printf("kv: more than %d keys; listing the first\n", MAX_KEYS);
    for (int i = 0; i < n_keys; i++)
        printf("%s=%s\n", keys[i].key, keys[i].value);
    return 0;
}

/*
 * The value that stream writes for seq: its number, then filler of a
 * length that varies with it, so that records span one to several sectors.
 */
static void stream_value(uint64_t seq, char *buf, size_t size)
{
    int n = snprintf(buf, size, "v%llu:", (unsigned long long)seq);
    size_t len = (size_t)n + (size_t)(seq * 37 % 1500);

    if (len >= size)
        len = size - 1;
    for (size_t i = (size_t)n; i < len; i++)
        buf[i] = (char)('a' + (seq + i) % 26);
    buf[len] = '\0';
}

static int cmd_stream(uint64_t count)
{
    static char value[KV_VALUE_MAX + 1];
    struct kv_log log;
    int durable;

    open_log(&log, NULL);
    for (uint64_t i = 0; i < count; i++) {
        uint64_t seq;

        stream_value(log.next_seq, value, sizeof(value));
        seq = kv_log_append(&log, STREAM_KEY, value, &durable);
        if (seq == 0)
            return 1;
        printf("%s %llu\n", durable ? "flushed" : "written",
               (unsigned long long)seq);
    }
    return 0;
}

static uint64_t stream_records, stream_bad, last_seq;

static void check_record(const struct kv_record *r, void *opaque)
{
    static char expected[KV_VALUE_MAX + 1];

    (void)opaque;
    last_seq = r->seq;
    if (r->key_len != strlen(STREAM_KEY) ||
        memcmp(r->key, STREAM_KEY, r->key_len) != 0)
        return;
    stream_records++;
    stream_value(r->seq, expected, sizeof(expected));
    if (r->value_len != strlen(expected) ||
        memcmp(r->value, expected, r->value_len) != 0) {
        stream_bad++;
        printf("kv: record %llu holds the wrong value\n",
               (unsigned long long)r->seq);
    }
}

static int cmd_check(void)
{
    struct kv_log log;

    open_log(&log, check_record);
    printf("check: last record %llu, %llu stream records, %llu wrong\n",
           (unsigned long long)last_seq, (unsigned long long)stream_records,
           (unsigned long long)stream_bad);
    return stream_bad == 0 ? 0 : 1;
}

static int usage(void)
{
    printf("usage: kv.elf set KEY VALUE | get KEY | list | stream N | "
           "check\n");
    return 2;
}

int tender_app_main(const struct tender_start_info *si)
{
    const char *cmd = si->argc > 1 ? si->argv[1] : "";

    if (strcmp(cmd, "set") == 0 && si->argc == 4)
        return cmd_set(si->argv[2], si->argv[3]);
    if (strcmp(cmd, "set") == 0 && si->argc == 3)
        return cmd_set(si->argv[2], "");
    if (strcmp(cmd, "get") == 0 && si->argc == 3)
        return cmd_get(si->argv[2]);
    if (strcmp(cmd, "list") == 0 && si->argc == 2)
        return cmd_list();
    if (strcmp(cmd, "stream") == 0 && si->argc == 3)
        return cmd_stream(strtoul(si->argv[2], NULL, 10));
    if (strcmp(cmd, "check") == 0 && si->argc == 2)
        return cmd_check();
    return usage();
}

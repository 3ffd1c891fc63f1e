#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

#define JSON_MAX_DEPTH 64

struct reader {
    const char *p, *start, *end;
    char *err;
    size_t err_len;
    int failed;
};

static void fail(struct reader *r, const char *what)
{
    if (!r->failed)
        snprintf(r->err, r->err_len, "%s at byte %zu", what,
                 (size_t)(r->p - r->start));
    r->failed = 1;
}

static void skip_ws(struct reader *r)
{
    while (r->p < r->end &&
           (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
        r->p++;
}

static struct json *node(enum json_type type)
{
    struct json *j = calloc(1, sizeof(*j));

    if (j != NULL)
        j->type = type;
    return j;
}

static int hex4(struct reader *r, unsigned *out)
{
    unsigned v = 0;

    if (r->end - r->p < 4) {
        fail(r, "short \\u escape");
        return -1;
    }
    for (int i = 0; i < 4; i++) {
        char c = *r->p++;
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned)(c - 'A' + 10);
        else {
            fail(r, "bad \\u escape");
            return -1;
        }
    }
    *out = v;
    return 0;
}

static size_t put_utf8(char *o, unsigned cp)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xc0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xe0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        o[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    o[0] = (char)(0xf0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    o[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

/* One escape after the backslash; appends its UTF-8 to o, returns length. */
static size_t escape(struct reader *r, char *o)
{
    unsigned cp, lo;
    char c;

    if (r->p >= r->end) {
        fail(r, "unterminated string");
        return 0;
    }
    c = *r->p++;
    switch (c) {
    case '"':
    case '\\':
    case '/':
        *o = c;
        return 1;
    case 'b':
        *o = '\b';
        return 1;
    case 'f':
        *o = '\f';
        return 1;
    case 'n':
        *o = '\n';
        return 1;
    case 'r':
        *o = '\r';
        return 1;
    case 't':
        *o = '\t';
        return 1;
    case 'u':
        if (hex4(r, &cp) < 0)
            return 0;
        if (cp >= 0xd800 && cp < 0xdc00) {
            if (r->end - r->p < 2 || r->p[0] != '\\' || r->p[1] != 'u') {
                fail(r, "lone surrogate");
                return 0;
            }
            r->p += 2;
            if (hex4(r, &lo) < 0)
                return 0;
            if (lo < 0xdc00 || lo > 0xdfff) {
                fail(r, "bad surrogate pair");
                return 0;
            }
            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
        } else if (cp >= 0xdc00 && cp <= 0xdfff) {
            fail(r, "lone surrogate");
            return 0;
        } else if (cp == 0) {
            fail(r, "\\u0000 in a string");
            return 0;
        }
        return put_utf8(o, cp);
    default:
        r->p--;
        fail(r, "bad escape");
        return 0;
    }
}

/* A string at r->p (its opening quote); malloc'd, or NULL. */
static char *string(struct reader *r)
{
    const char *q;
    char *out, *o;

    r->p++;
    /* The decoded string is never longer than the encoded one. */
    for (q = r->p; q < r->end && *q != '"'; q++)
        if (*q == '\\')
            q++;
    if (q >= r->end) {
        fail(r, "unterminated string");
        return NULL;
    }
    out = malloc((size_t)(q - r->p) + 1);
    if (out == NULL) {
        fail(r, "out of memory");
        return NULL;
    }
    o = out;
    while (*r->p != '"') {
        unsigned char c = (unsigned char)*r->p;
        if (c < 0x20) {
            fail(r, "control character in a string");
            free(out);
            return NULL;
        }
        if (c == '\\') {
            size_t n;
            r->p++;
            n = escape(r, o);
            if (n == 0) {
                free(out);
                return NULL;
            }
            o += n;
            continue;
        }
        if (c == 0) {
            fail(r, "NUL in a string");
            free(out);
            return NULL;
        }
        *o++ = (char)c;
        r->p++;
    }
    r->p++;
    *o = '\0';
    return out;
}

static struct json *number(struct reader *r)
{
    const char *s = r->p;
    int is_int = 1;
    char buf[64];
    struct json *j;
    size_t n;

    if (r->p < r->end && *r->p == '-')
        r->p++;
    if (r->p < r->end && *r->p == '0')
        r->p++;
    else if (r->p < r->end && *r->p >= '1' && *r->p <= '9')
        while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
            r->p++;
    else {
        fail(r, "bad number");
        return NULL;
    }
    if (r->p < r->end && *r->p == '.') {
        is_int = 0;
        r->p++;
        if (r->p >= r->end || *r->p < '0' || *r->p > '9') {
            fail(r, "bad number");
            return NULL;
        }
        while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
            r->p++;
    }
    if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
        is_int = 0;
        r->p++;
        if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
            r->p++;
        if (r->p >= r->end || *r->p < '0' || *r->p > '9') {
            fail(r, "bad number");
            return NULL;
        }
        while (r->p < r->end && *r->p >= '0' && *r->p <= '9')
            r->p++;
    }
    n = (size_t)(r->p - s);
    if (n >= sizeof(buf)) {
        fail(r, "number too long");
        return NULL;
    }
    memcpy(buf, s, n);
    buf[n] = '\0';
    j = node(JSON_NUMBER);
    if (j == NULL) {
        fail(r, "out of memory");
        return NULL;
    }
    j->num = strtod(buf, NULL);
    if (is_int) {
        errno = 0;
        j->integer = strtoll(buf, NULL, 10);
        j->is_int = errno == 0;
    }
    return j;
}

static int literal(struct reader *r, const char *word)
{
    size_t n = strlen(word);

    if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n) != 0) {
        fail(r, "unexpected character");
        return -1;
    }
    r->p += n;
    return 0;
}

/*
 * value() and container() call each other once a level, and json_free()
 * itself once a level: the recursion is bounded by JSON_MAX_DEPTH.
 */
static struct json *value(struct reader *r, int depth);

/* Elements of an array or members of an object, up to the closing c. */
// NOLINTNEXTLINE(misc-no-recursion): bounded by JSON_MAX_DEPTH
static struct json *container(struct reader *r, int depth, int is_object)
{
    struct json *j = node(is_object ? JSON_OBJECT : JSON_ARRAY);
    struct json **tail;
    char close = is_object ? '}' : ']';

    if (j == NULL) {
        fail(r, "out of memory");
        return NULL;
    }
    if (depth >= JSON_MAX_DEPTH) {
        fail(r, "nested too deeply");
        return j;
    }
    tail = &j->child;
    r->p++;
    skip_ws(r);
    if (r->p < r->end && *r->p == close) {
        r->p++;
        return j;
    }
    for (;;) {
        char *key = NULL;
        struct json *e;

        skip_ws(r);
        if (is_object) {
            if (r->p >= r->end || *r->p != '"') {
                fail(r, "expected a member name");
                return j;
            }
            key = string(r);
            if (key == NULL)
                return j;
            skip_ws(r);
            if (r->p >= r->end || *r->p != ':') {
                free(key);
                fail(r, "expected ':'");
                return j;
            }
            r->p++;
        }
        e = value(r, depth + 1);
        if (e == NULL) {
            free(key);
            return j;
        }
        e->key = key;
        *tail = e;
        tail = &e->next;
        j->count++;
        if (r->failed)
            return j;
        skip_ws(r);
        if (r->p < r->end && *r->p == ',') {
            r->p++;
            continue;
        }
        if (r->p < r->end && *r->p == close) {
            r->p++;
            return j;
        }
        fail(r, is_object ? "expected ',' or '}'" : "expected ',' or ']'");
        return j;
    }
}

// NOLINTNEXTLINE(misc-no-recursion): bounded by JSON_MAX_DEPTH
static struct json *value(struct reader *r, int depth)
{
    struct json *j = NULL;

    skip_ws(r);
    if (r->p >= r->end) {
        fail(r, "unexpected end");
        return NULL;
    }
    switch (*r->p) {
    case '{':
        return container(r, depth, 1);
    case '[':
        return container(r, depth, 0);
    case '"': {
        char *s = string(r);
        if (s == NULL)
            return NULL;
        j = node(JSON_STRING);
        if (j == NULL) {
            free(s);
            fail(r, "out of memory");
            return NULL;
        }
        j->str = s;
        return j;
    }
    case 't':
        return literal(r, "true") < 0 ? NULL : node(JSON_TRUE);
    case 'f':
        return literal(r, "false") < 0 ? NULL : node(JSON_FALSE);
    case 'n':
        return literal(r, "null") < 0 ? NULL : node(JSON_NULL);
    default:
        return number(r);
    }
}

struct json *json_parse(const char *text, size_t len, char *err, size_t err_len)
{
    struct reader r = {text, text, text + len, err, err_len, 0};
    struct json *j = value(&r, 0);

    if (!r.failed) {
        skip_ws(&r);
        if (r.p != r.end)
            fail(&r, "trailing characters");
    }
    if (j == NULL && !r.failed)
        fail(&r, "out of memory");
    if (r.failed) {
        json_free(j);
        return NULL;
    }
    return j;
}

// NOLINTNEXTLINE(misc-no-recursion): one call a level, as parsed
void json_free(struct json *j)
{
    while (j != NULL) {
        struct json *next = j->next;
        json_free(j->child);
        free(j->key);
        free(j->str);
        free(j);
        j = next;
    }
}

const struct json *json_get(const struct json *o, const char *key)
{
    const struct json *e;

    if (o == NULL || o->type != JSON_OBJECT)
        return NULL;
    /* The last of duplicate members wins, as in most readers. */
    const struct json *found = NULL;
    for (e = o->child; e != NULL; e = e->next)
        if (strcmp(e->key, key) == 0)
            found = e;
    return found;
}

const char *json_get_str(const struct json *o, const char *key)
{
    const struct json *e = json_get(o, key);

    return e != NULL && e->type == JSON_STRING ? e->str : NULL;
}

void json_write_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", f);
        else if (c == '\t')
            fputs("\\t", f);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

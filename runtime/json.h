/*
 * A small JSON reader (RFC 8259) for config.json and state.json, and the
 * escaping that writing JSON needs.  The parser builds a tree of nodes;
 * every string is NUL-terminated UTF-8 (a string holding \u0000 is
 * refused, as no runtime-spec field may hold one).
 */
#ifndef TENDER_OCI_JSON_H
#define TENDER_OCI_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum json_type {
    JSON_NULL,
    JSON_FALSE,
    JSON_TRUE,
    JSON_NUMBER,
    JSON_STRING,
    JSON_ARRAY,
    JSON_OBJECT
};

struct json {
    enum json_type type;
    char *key;          /* the member's name, in an object; else NULL */
    char *str;          /* JSON_STRING */
    double num;         /* JSON_NUMBER */
    int is_int;         /* JSON_NUMBER with no fraction or exponent that fits */
    int64_t integer;    /* ... in an int64_t */
    struct json *child; /* JSON_ARRAY, JSON_OBJECT: the first element */
    struct json *next;  /* the next element of the parent */
    size_t count;       /* JSON_ARRAY, JSON_OBJECT: the number of elements */
};

/*
 * Parse text (len bytes); NULL on error, with a message naming the byte
 * offset in err.  Nesting deeper than 64 levels is refused.
 */
struct json *json_parse(const char *text, size_t len, char *err,
                        size_t err_len);
void json_free(struct json *j);

/* The member key of object o, or NULL (also when o is not an object). */
const struct json *json_get(const struct json *o, const char *key);
/* The member's string, or NULL if it is absent or not a string. */
const char *json_get_str(const struct json *o, const char *key);

/* Write s as a JSON string, quotes included. */
void json_write_str(FILE *f, const char *s);

#endif

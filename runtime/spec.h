/*
 * The parts of a bundle's config.json (runtime-spec 1.0) that tender-oci
 * uses.  Paths are as written; image.c resolves them.
 */
#ifndef TENDER_OCI_SPEC_H
#define TENDER_OCI_SPEC_H

#include <stddef.h>
#include <stdint.h>

#define SPEC_MAX_LIST 256

struct spec_kv {
    char *key, *value;
};

struct spec_mount {
    char *destination, *source, *type;
};

struct spec {
    char *oci_version;
    char *root_path;
    int terminal;
    char **args; /* NULL-terminated */
    size_t n_args;
    char **env; /* NULL-terminated, "KEY=VALUE" */
    size_t n_env;
    char *cwd;
    struct spec_kv *annotations;
    size_t n_annotations;
    struct spec_mount *mounts;
    size_t n_mounts;
    char *hostname;
    char *cgroups_path;   /* NULL: none given */
    int has_netns;        /* a "network" namespace entry */
    char *netns_path;     /* its path, NULL for a new one */
    int64_t memory_limit; /* bytes; -1: none */
    int64_t cpu_quota;    /* microseconds; -1: none */
    uint64_t cpu_period;  /* microseconds; 0: none */
    int64_t pids_limit;   /* -1: none */
};

/*
 * Read BUNDLE/config.json into s.  -1 on error with a one-line message in
 * err; s is then freed already.
 */
int spec_load(const char *bundle, struct spec *s, char *err, size_t err_len);
/* The same from text, for the tests. */
int spec_parse(const char *text, size_t len, struct spec *s, char *err,
               size_t err_len);
void spec_free(struct spec *s);

/* The annotation's value, or NULL. */
const char *spec_annotation(const struct spec *s, const char *key);
/* The value of process.env's KEY, or NULL. */
const char *spec_env(const struct spec *s, const char *key);

#endif

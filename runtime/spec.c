#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json.h"
#include "spec.h"

#define CONFIG_MAX (4 << 20)

static int bad(char *err, size_t len, const char *what)
{
    snprintf(err, len, "config.json: %s", what);
    return -1;
}

static char *dup_or_null(const char *s)
{
    return s != NULL ? strdup(s) : NULL;
}

/* An array of strings into a NULL-terminated vector. */
static int str_array(const struct json *a, const char *name, char ***out,
                     size_t *n, char *err, size_t err_len)
{
    char msg[128];
    size_t i = 0;

    *out = NULL;
    *n = 0;
    if (a == NULL)
        return 0;
    if (a->type != JSON_ARRAY || a->count > SPEC_MAX_LIST) {
        snprintf(msg, sizeof(msg), "%s is not an array of at most %d strings",
                 name, SPEC_MAX_LIST);
        return bad(err, err_len, msg);
    }
    *out = calloc(a->count + 1, sizeof(char *));
    if (*out == NULL)
        return bad(err, err_len, "out of memory");
    for (const struct json *e = a->child; e != NULL; e = e->next) {
        if (e->type != JSON_STRING) {
            snprintf(msg, sizeof(msg), "%s[%zu] is not a string", name, i);
            return bad(err, err_len, msg);
        }
        (*out)[i++] = strdup(e->str);
        *n = i;
    }
    return 0;
}

static int get_int(const struct json *o, const char *key, int64_t *v,
                   const char *name, char *err, size_t err_len)
{
    const struct json *e = json_get(o, key);
    char msg[128];

    if (e == NULL || e->type == JSON_NULL)
        return 0;
    if (e->type != JSON_NUMBER || !e->is_int) {
        snprintf(msg, sizeof(msg), "%s is not an integer", name);
        return bad(err, err_len, msg);
    }
    *v = e->integer;
    return 0;
}

static int parse_linux(const struct json *lx, struct spec *s, char *err,
                       size_t err_len)
{
    const struct json *ns, *res, *mem, *cpu, *pids;
    int64_t period = 0;

    if (lx == NULL)
        return 0;
    if (lx->type != JSON_OBJECT)
        return bad(err, err_len, "linux is not an object");
    s->cgroups_path = dup_or_null(json_get_str(lx, "cgroupsPath"));
    ns = json_get(lx, "namespaces");
    if (ns != NULL && ns->type != JSON_ARRAY)
        return bad(err, err_len, "linux.namespaces is not an array");
    for (const struct json *e = ns != NULL ? ns->child : NULL; e != NULL;
         e = e->next) {
        const char *type = json_get_str(e, "type");
        if (type == NULL)
            return bad(err, err_len, "a namespace has no type");
        if (strcmp(type, "network") == 0) {
            s->has_netns = 1;
            free(s->netns_path);
            s->netns_path = dup_or_null(json_get_str(e, "path"));
        }
    }
    res = json_get(lx, "resources");
    mem = json_get(res, "memory");
    cpu = json_get(res, "cpu");
    pids = json_get(res, "pids");
    if (get_int(mem, "limit", &s->memory_limit, "memory.limit", err, err_len) <
            0 ||
        get_int(cpu, "quota", &s->cpu_quota, "cpu.quota", err, err_len) < 0 ||
        get_int(cpu, "period", &period, "cpu.period", err, err_len) < 0 ||
        get_int(pids, "limit", &s->pids_limit, "pids.limit", err, err_len) < 0)
        return -1;
    if (period < 0)
        return bad(err, err_len, "cpu.period is negative");
    s->cpu_period = (uint64_t)period;
    return 0;
}

static int parse_mounts(const struct json *m, struct spec *s, char *err,
                        size_t err_len)
{
    size_t i = 0;

    if (m == NULL)
        return 0;
    if (m->type != JSON_ARRAY || m->count > SPEC_MAX_LIST)
        return bad(err, err_len, "mounts is not an array");
    s->mounts = calloc(m->count + 1, sizeof(*s->mounts));
    if (s->mounts == NULL)
        return bad(err, err_len, "out of memory");
    for (const struct json *e = m->child; e != NULL; e = e->next) {
        const char *dst = json_get_str(e, "destination");
        if (dst == NULL)
            return bad(err, err_len, "a mount has no destination");
        s->mounts[i].destination = strdup(dst);
        s->mounts[i].source = dup_or_null(json_get_str(e, "source"));
        s->mounts[i].type = dup_or_null(json_get_str(e, "type"));
        s->n_mounts = ++i;
    }
    return 0;
}

static int parse_annotations(const struct json *a, struct spec *s, char *err,
                             size_t err_len)
{
    size_t i = 0;

    if (a == NULL)
        return 0;
    if (a->type != JSON_OBJECT || a->count > SPEC_MAX_LIST)
        return bad(err, err_len, "annotations is not an object");
    s->annotations = calloc(a->count + 1, sizeof(*s->annotations));
    if (s->annotations == NULL)
        return bad(err, err_len, "out of memory");
    for (const struct json *e = a->child; e != NULL; e = e->next) {
        if (e->type != JSON_STRING)
            return bad(err, err_len, "an annotation's value is not a string");
        s->annotations[i].key = strdup(e->key);
        s->annotations[i].value = strdup(e->str);
        s->n_annotations = ++i;
    }
    return 0;
}

static int parse(const struct json *j, struct spec *s, char *err,
                 size_t err_len)
{
    const struct json *proc, *root, *term;
    const char *v;

    if (j->type != JSON_OBJECT)
        return bad(err, err_len, "not a JSON object");
    v = json_get_str(j, "ociVersion");
    if (v == NULL)
        return bad(err, err_len, "no ociVersion");
    if (strncmp(v, "1.", 2) != 0)
        return bad(err, err_len, "ociVersion is not 1.x");
    s->oci_version = strdup(v);
    root = json_get(j, "root");
    if (json_get_str(root, "path") == NULL)
        return bad(err, err_len, "no root.path");
    s->root_path = strdup(json_get_str(root, "path"));
    proc = json_get(j, "process");
    if (proc == NULL || proc->type != JSON_OBJECT)
        return bad(err, err_len, "no process");
    term = json_get(proc, "terminal");
    s->terminal = term != NULL && term->type == JSON_TRUE;
    s->cwd = dup_or_null(json_get_str(proc, "cwd"));
    if (str_array(json_get(proc, "args"), "process.args", &s->args, &s->n_args,
                  err, err_len) < 0 ||
        str_array(json_get(proc, "env"), "process.env", &s->env, &s->n_env, err,
                  err_len) < 0)
        return -1;
    if (s->n_args == 0)
        return bad(err, err_len,
                   "process.args is empty: it must name the "
                   "unikernel ELF in the root filesystem");
    s->hostname = dup_or_null(json_get_str(j, "hostname"));
    return parse_linux(json_get(j, "linux"), s, err, err_len) < 0 ||
                   parse_mounts(json_get(j, "mounts"), s, err, err_len) < 0 ||
                   parse_annotations(json_get(j, "annotations"), s, err,
                                     err_len) < 0
               ? -1
               : 0;
}

int spec_parse(const char *text, size_t len, struct spec *s, char *err,
               size_t err_len)
{
    char jerr[128];
    struct json *j;
    int rc;

    memset(s, 0, sizeof(*s));
    s->memory_limit = s->cpu_quota = s->pids_limit = -1;
    j = json_parse(text, len, jerr, sizeof(jerr));
    if (j == NULL)
        return bad(err, err_len, jerr);
    rc = parse(j, s, err, err_len);
    json_free(j);
    if (rc < 0)
        spec_free(s);
    return rc;
}

int spec_load(const char *bundle, struct spec *s, char *err, size_t err_len)
{
    char path[4096], *text;
    struct stat st;
    ssize_t n;
    int fd, rc;

    snprintf(path, sizeof(path), "%s/config.json", bundle);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, err_len, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > CONFIG_MAX) {
        close(fd);
        snprintf(err, err_len, "%s: not a regular file of at most 4 MiB", path);
        return -1;
    }
    text = malloc((size_t)st.st_size + 1);
    if (text == NULL) {
        close(fd);
        snprintf(err, err_len, "%s: out of memory", path);
        return -1;
    }
    n = read(fd, text, (size_t)st.st_size);
    close(fd);
    if (n != st.st_size) {
        free(text);
        snprintf(err, err_len, "%s: short read", path);
        return -1;
    }
    rc = spec_parse(text, (size_t)n, s, err, err_len);
    free(text);
    return rc;
}

static void free_vec(char **v, size_t n)
{
    for (size_t i = 0; v != NULL && i < n; i++)
        free(v[i]);
    free(v);
}

void spec_free(struct spec *s)
{
    free(s->oci_version);
    free(s->root_path);
    free_vec(s->args, s->n_args);
    free_vec(s->env, s->n_env);
    free(s->cwd);
    for (size_t i = 0; i < s->n_annotations; i++) {
        free(s->annotations[i].key);
        free(s->annotations[i].value);
    }
    free(s->annotations);
    for (size_t i = 0; i < s->n_mounts; i++) {
        free(s->mounts[i].destination);
        free(s->mounts[i].source);
        free(s->mounts[i].type);
    }
    free(s->mounts);
    free(s->hostname);
    free(s->cgroups_path);
    free(s->netns_path);
    memset(s, 0, sizeof(*s));
}

const char *spec_annotation(const struct spec *s, const char *key)
{
    for (size_t i = 0; i < s->n_annotations; i++)
        if (strcmp(s->annotations[i].key, key) == 0)
            return s->annotations[i].value;
    return NULL;
}

const char *spec_env(const struct spec *s, const char *key)
{
    size_t n = strlen(key);

    for (size_t i = 0; i < s->n_env; i++)
        if (strncmp(s->env[i], key, n) == 0 && s->env[i][n] == '=')
            return s->env[i] + n + 1;
    return NULL;
}

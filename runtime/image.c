#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image.h"
#include "tender.h"

__attribute__((format(printf, 3, 4))) static int fail(char *err, size_t len,
                                                      const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(err, len, fmt, ap);
    va_end(ap);
    return -1;
}

/* org.tender.KEY, else env TENDER_KEY (upper case, '.' as '_'). */
static const char *setting(const struct spec *s, const char *key)
{
    char ann[64], env[64];
    const char *v;
    size_t i;

    snprintf(ann, sizeof(ann), "org.tender.%s", key);
    v = spec_annotation(s, ann);
    if (v != NULL)
        return v;
    snprintf(env, sizeof(env), "TENDER_%s", key);
    for (i = 7; env[i] != '\0'; i++) {
        if (env[i] == '.')
            env[i] = '_';
        else if (env[i] >= 'a' && env[i] <= 'z')
            env[i] = (char)(env[i] - 'a' + 'A');
    }
    return spec_env(s, env);
}

static const char *const known[] = {"org.tender.mem", "org.tender.block",
                                    "org.tender.net",
                                    "org.tender.net.interface", NULL};

static int check_annotations(const struct spec *s, char *err, size_t len)
{
    for (size_t i = 0; i < s->n_annotations; i++) {
        const char *k = s->annotations[i].key;
        int ok = strncmp(k, "org.tender.", 11) != 0;
        for (const char *const *p = known; !ok && *p != NULL; p++)
            ok = strcmp(k, *p) == 0;
        if (!ok)
            return fail(err, len,
                        "annotation %s: unknown (known: org.tender.mem, "
                        ".block, .net, .net.interface)",
                        k);
    }
    return 0;
}

/* A path inside the container: no "..", resolved through bind mounts. */
static int container_path(const struct image *img, const struct spec *s,
                          const char *path, char *out, const char *what,
                          char *err, size_t len)
{
    const struct spec_mount *best = NULL;
    size_t best_len = 0;
    char joined[2 * PATH_MAX + 2], real[PATH_MAX];
    const char *p;

    for (p = path; (p = strstr(p, "..")) != NULL; p += 2)
        if ((p == path || p[-1] == '/') && (p[2] == '/' || p[2] == '\0'))
            return fail(err, len, "%s %s: '..' is not allowed", what, path);
    for (size_t i = 0; i < s->n_mounts; i++) {
        const struct spec_mount *m = &s->mounts[i];
        size_t n = strlen(m->destination);
        if (m->source == NULL || m->source[0] != '/' || n <= best_len ||
            strncmp(path, m->destination, n) != 0 ||
            (path[n] != '/' && path[n] != '\0'))
            continue;
        best = m;
        best_len = n;
    }
    if (best != NULL)
        snprintf(joined, sizeof(joined), "%s%s", best->source, path + best_len);
    else
        snprintf(joined, sizeof(joined), "%s/%s", img->rootfs,
                 path[0] == '/' ? path + 1 : path);
    if (realpath(joined, real) == NULL)
        return fail(err, len, "%s %s: %s", what,
                    errno == ENOENT ? path : joined, strerror(errno));
    /* A symbolic link in the root filesystem may not lead out of it. */
    if (best == NULL && (strncmp(real, img->rootfs, strlen(img->rootfs)) != 0 ||
                         real[strlen(img->rootfs)] != '/'))
        return fail(err, len, "%s %s: leads out of the root filesystem", what,
                    path);
    snprintf(out, PATH_MAX, "%s", real);
    return 0;
}

static int parse_mem(const char *v, uint64_t *mib, char *err, size_t len)
{
    char *end;
    unsigned long n;

    errno = 0;
    n = strtoul(v, &end, 10);
    if (v[0] < '0' || v[0] > '9' || *end != '\0' || errno != 0 || n < 2 ||
        n > 4096)
        return fail(err, len,
                    "org.tender.mem / TENDER_MEM '%s': not a number of MiB "
                    "from 2 to 4096",
                    v);
    *mib = n;
    return 0;
}

static int parse_blocks(struct image *img, const struct spec *s, const char *v,
                        char *err, size_t len)
{
    char *copy = strdup(v), *save = NULL, *tok;
    int rc = 0;

    if (copy == NULL)
        return fail(err, len, "out of memory");
    for (tok = strtok_r(copy, ",", &save); tok != NULL && rc == 0;
         tok = strtok_r(NULL, ",", &save)) {
        struct image_block *b = &img->blocks[img->n_blocks];
        char *eq = strchr(tok, '=');
        const char *path = tok;
        struct stat st;

        if (img->n_blocks == IMAGE_MAX_BLOCKS) {
            rc = fail(err, len, "org.tender.block: more than 63 disks");
            break;
        }
        if (eq != NULL) {
            *eq = '\0';
            path = eq + 1;
            if (tok[0] == '\0' || strlen(tok) >= sizeof(b->name)) {
                rc = fail(err, len, "org.tender.block: bad device name '%s'",
                          tok);
                break;
            }
            snprintf(b->name, sizeof(b->name), "%s", tok);
        }
        if (path[0] == '\0') {
            rc = fail(err, len, "org.tender.block '%s': an empty path", v);
            break;
        }
        rc = container_path(img, s, path, b->path, "block device", err, len);
        if (rc == 0 && (stat(b->path, &st) < 0 ||
                        (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode))))
            rc = fail(err, len,
                      "block device %s: not a regular file or block device",
                      path);
        img->n_blocks++;
    }
    free(copy);
    return rc;
}

static int parse_net(struct image *img, const char *v, const char *iface,
                     char *err, size_t len)
{
    if (v == NULL || strcmp(v, "none") == 0)
        img->net = 0;
    else if (strcmp(v, "default") == 0)
        img->net = 1;
    else if (v[0] != '\0' && strlen(v) < sizeof(img->net_dev) &&
             strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                       "0123456789_-") == strlen(v)) {
        img->net = 1;
        snprintf(img->net_dev, sizeof(img->net_dev), "%s", v);
    } else
        return fail(err, len,
                    "org.tender.net / TENDER_NET '%s': not none, default or a "
                    "device name",
                    v);
    if (iface != NULL) {
        if (iface[0] == '\0' || strlen(iface) >= sizeof(img->net_iface) ||
            strchr(iface, '/') != NULL)
            return fail(err, len,
                        "org.tender.net.interface '%s': not an interface "
                        "name",
                        iface);
        snprintf(img->net_iface, sizeof(img->net_iface), "%s", iface);
    }
    return 0;
}

int image_is_pod_sandbox(const struct spec *s)
{
    const char *a = spec_annotation(s, "io.kubernetes.cri.container-type");
    const char *b = spec_annotation(s, "io.kubernetes.cri-o.ContainerType");

    return (a != NULL && strcmp(a, "sandbox") == 0) ||
           (b != NULL && strcmp(b, "sandbox") == 0);
}

int image_resolve(const char *bundle, const struct spec *s, struct image *img,
                  char *err, size_t err_len)
{
    char root[2 * PATH_MAX + 2];
    struct tender_error terr;
    const char *v;

    memset(img, 0, sizeof(*img));
    if (check_annotations(s, err, err_len) < 0)
        return -1;
    if (s->root_path[0] == '/')
        snprintf(root, sizeof(root), "%s", s->root_path);
    else
        snprintf(root, sizeof(root), "%s/%s", bundle, s->root_path);
    if (realpath(root, img->rootfs) == NULL)
        return fail(err, err_len, "root filesystem %s: %s", root,
                    strerror(errno));
    if (image_is_pod_sandbox(s)) {
        img->pod_sandbox = 1;
        return 0;
    }
    if (container_path(img, s, s->args[0], img->elf, "process.args[0]", err,
                       err_len) < 0)
        return -1;
    v = setting(s, "mem");
    if (v != NULL && parse_mem(v, &img->mem_mib, err, err_len) < 0)
        return -1;
    v = setting(s, "block");
    if (v != NULL && parse_blocks(img, s, v, err, err_len) < 0)
        return -1;
    if (parse_net(img, setting(s, "net"), setting(s, "net.interface"), err,
                  err_len) < 0)
        return -1;
    if (tender_guest_check_file(img->elf, img->mem_mib << 20, &terr) < 0) {
        snprintf(err, err_len,
                 "process.args[0] %s is not an hvt unikernel tender can run: "
                 "%s",
                 s->args[0], terr.msg);
        return -1;
    }
    return 0;
}

/* Replace the placeholders of arg; malloc'd, or NULL with err. */
static char *substitute(const char *arg, const struct image_net_info *net,
                        char *err, size_t len)
{
    static const char *const names[] = {"ip",  "prefix", "cidr", "gateway",
                                        "mtu", "mac",    NULL};
    char out[8192], val[64];
    size_t o = 0;

    for (const char *p = arg; *p != '\0';) {
        const char *name = NULL;
        size_t n = 0;
        if (*p == '{')
            for (const char *const *q = names; *q != NULL; q++) {
                n = strlen(*q);
                if (strncmp(p + 1, *q, n) == 0 && p[n + 1] == '}') {
                    name = *q;
                    break;
                }
            }
        if (name == NULL) {
            if (o + 1 >= sizeof(out))
                goto too_long;
            out[o++] = *p++;
            continue;
        }
        if (net == NULL) {
            snprintf(err, len,
                     "process.args uses {%s}, but the container has no "
                     "network for the guest (org.tender.net)",
                     name);
            return NULL;
        }
        if (strcmp(name, "ip") == 0)
            snprintf(val, sizeof(val), "%s", net->ip);
        else if (strcmp(name, "prefix") == 0)
            snprintf(val, sizeof(val), "%u", net->prefix);
        else if (strcmp(name, "cidr") == 0)
            snprintf(val, sizeof(val), "%s/%u", net->ip, net->prefix);
        else if (strcmp(name, "gateway") == 0)
            snprintf(val, sizeof(val), "%s", net->gateway);
        else if (strcmp(name, "mtu") == 0)
            snprintf(val, sizeof(val), "%u", net->mtu);
        else
            snprintf(val, sizeof(val), "%s", net->mac);
        if (o + strlen(val) >= sizeof(out))
            goto too_long;
        memcpy(out + o, val, strlen(val));
        o += strlen(val);
        p += n + 2;
    }
    out[o] = '\0';
    return strdup(out);
too_long:
    snprintf(err, len, "process.args: an argument is too long");
    return NULL;
}

char **image_guest_args(const struct spec *s, const struct image_net_info *net,
                        int *argc, char *err, size_t err_len)
{
    char **v = calloc(s->n_args, sizeof(char *));

    if (v == NULL) {
        snprintf(err, err_len, "out of memory");
        return NULL;
    }
    for (size_t i = 1; i < s->n_args; i++) {
        v[i - 1] = substitute(s->args[i], net, err, err_len);
        if (v[i - 1] == NULL) {
            image_free_args(v);
            return NULL;
        }
    }
    *argc = (int)s->n_args - 1;
    return v;
}

void image_free_args(char **argv)
{
    for (size_t i = 0; argv != NULL && argv[i] != NULL; i++)
        free(argv[i]);
    free(argv);
}

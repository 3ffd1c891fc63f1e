/*
 * The site an HTTP guest serves: a ustar archive (what `tar --format=ustar`
 * writes) on a block device, read whole into memory at start and indexed
 * by file name.  Regular files only; names as stored, without a leading
 * "./".
 */
#ifndef EXAMPLES_HTTP_SITE_H
#define EXAMPLES_HTTP_SITE_H

#include <stddef.h>
#include <stdint.h>

#define SITE_MAX_FILES 4096
#define SITE_NAME_MAX 256

struct site_file {
    char name[SITE_NAME_MAX];
    const uint8_t *data;
    size_t size;
};

struct site {
    struct site_file files[SITE_MAX_FILES];
    unsigned count;
    size_t bytes; /* the archive's size */
};

/* Errors of site_load and site_parse. */
#define SITE_ENODEV (-1)  /* no such block device */
#define SITE_ENOMEM (-2)  /* the archive is larger than the memory given */
#define SITE_EIO (-3)     /* the device failed a read */
#define SITE_EFORMAT (-4) /* not a ustar archive, or a bad header */
#define SITE_E2BIG (-5)   /* more than SITE_MAX_FILES files */

/*
 * Read block device devname into mem (size bytes) and index it in st.
 * 0 or a SITE_E* error.
 */
int site_load(struct site *st, const char *devname, void *mem, size_t size);

/* Index the archive at [data, data + len) in st: 0 or a SITE_E* error. */
int site_parse(struct site *st, const uint8_t *data, size_t len);

/* The file called name, or NULL. */
const struct site_file *site_find(const struct site *st, const char *name);

/* A word for a SITE_E* error. */
const char *site_error(int err);

#endif /* EXAMPLES_HTTP_SITE_H */

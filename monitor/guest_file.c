#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "guest_file.h"

/* Read exactly len bytes, or fail: a file that shrank is an error. */
static int read_all(int fd, void *buf, size_t len)
{
    char *p = buf;

    while (len > 0) {
        ssize_t n = read(fd, p, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n < 0 ? -errno : -EIO;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static void *read_open_file(int fd, const char *path, size_t *len,
                            struct tender_error *err)
{
    struct stat st;
    void *buf;
    int rc;

    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        tnd_fail(err, TENDER_E_ELF, "%s: not a regular file", path);
        return NULL;
    }
    if (st.st_size == 0) {
        tnd_fail(err, TENDER_E_ELF, "%s: not an ELF file (empty)", path);
        return NULL;
    }
    if ((unsigned long long)st.st_size > GUEST_FILE_MAX) {
        tnd_fail(err, TENDER_E_ELF, "%s: larger than %lu MiB", path,
                 GUEST_FILE_MAX >> 20);
        return NULL;
    }
    buf = malloc((size_t)st.st_size);
    if (buf == NULL) {
        tnd_fail(err, TENDER_E_SYSTEM, "out of memory");
        return NULL;
    }
    rc = read_all(fd, buf, (size_t)st.st_size);
    if (rc < 0) {
        free(buf);
        if (rc == -EIO)
            tnd_fail(err, TENDER_E_ELF, "%s: the file shrank while read", path);
        else
            tnd_fail_errno(err, TENDER_E_ELF, -rc, "%s", path);
        return NULL;
    }
    *len = (size_t)st.st_size;
    return buf;
}

void *guest_file_read(const char *path, size_t *len, struct tender_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    void *buf;

    if (fd < 0) {
        tnd_fail_errno(err, TENDER_E_ELF, errno, "%s", path);
        return NULL;
    }
    buf = read_open_file(fd, path, len, err);
    close(fd);
    return buf;
}

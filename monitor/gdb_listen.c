/*
 * The socket gdb connects to.  TCP listens on the loopback address only:
 * a debugger can read and write all of the guest, so it must not be
 * reachable from another machine.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "error.h"
#include "gdb_listen.h"
#include "number.h"

/*
 * A socket file left by an earlier tender (which cannot remove it: the
 * sandbox forbids unlink) is removed, so that the same --gdb=PATH works
 * again; one that something still listens on, or any other file, is
 * left alone and bind then says the address is in use.
 */
static void remove_stale_socket(const struct sockaddr_un *sa)
{
    struct stat st;
    int probe;

    if (lstat(sa->sun_path, &st) < 0 || !S_ISSOCK(st.st_mode))
        return;
    probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (probe < 0)
        return;
    if (connect(probe, (const struct sockaddr *)sa, sizeof(*sa)) < 0 &&
        errno == ECONNREFUSED)
        unlink(sa->sun_path);
    close(probe);
}

static int listen_unix(const char *path, char *where, size_t where_len,
                       struct tender_error *err)
{
    struct sockaddr_un sa;
    int fd;

    memset(&sa, 0, sizeof(sa));
    sa.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof(sa.sun_path))
        return tnd_fail(err, TENDER_E_CONFIG, "--gdb=%s: path too long", path);
    memcpy(sa.sun_path, path, strlen(path) + 1);
    remove_stale_socket(&sa);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
        listen(fd, 1) < 0) {
        int e = errno;

        if (fd >= 0)
            close(fd);
        return tnd_fail_errno(err, TENDER_E_CONFIG, e, "--gdb=%s", path);
    }
    snprintf(where, where_len, "%s", path);
    return fd;
}

static int listen_tcp(uint64_t port, char *where, size_t where_len,
                      struct tender_error *err)
{
    struct sockaddr_in sa;
    int one = 1;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 ||
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
        bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 1) < 0) {
        int e = errno;

        if (fd >= 0)
            close(fd);
        return tnd_fail_errno(err, TENDER_E_CONFIG, e,
                              "--gdb: cannot listen on 127.0.0.1:%llu",
                              (unsigned long long)port);
    }
    snprintf(where, where_len, "127.0.0.1:%llu", (unsigned long long)port);
    return fd;
}

int gdb_listen(const char *spec, char *where, size_t where_len,
               struct tender_error *err)
{
    uint64_t port = GDB_DEFAULT_PORT;

    if (strchr(spec, '/') != NULL)
        return listen_unix(spec, where, where_len, err);
    if (*spec != '\0' && (parse_decimal(spec, 65535, &port) != 0 || port == 0))
        return tnd_fail(err, TENDER_E_CONFIG,
                        "--gdb=%s: not a port (1-65535) or a path with a /",
                        spec);
    return listen_tcp(port, where, where_len, err);
}

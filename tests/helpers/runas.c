/*
 * runas UID COMMAND [ARGS...]: run COMMAND as user and group UID with no
 * supplementary groups.  The KVM tests use it to run tender unprivileged
 * in a test host that has no su or setpriv.
 */
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    char *end;
    unsigned long id;

    if (argc < 3) {
        fprintf(stderr, "usage: runas UID COMMAND [ARGS...]\n");
        return 2;
    }
    id = strtoul(argv[1], &end, 10);
    if (*end != '\0' || id == 0) {
        fprintf(stderr, "runas: bad uid %s\n", argv[1]);
        return 2;
    }
    if (setgroups(0, NULL) < 0 || setgid((gid_t)id) < 0 ||
        setuid((uid_t)id) < 0) {
        perror("runas");
        return 2;
    }
    execv(argv[2], argv + 2);
    perror(argv[2]);
    return 127;
}

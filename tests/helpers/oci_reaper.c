/*
 * oci-reaper: what conmon and containerd's shim do for an OCI runtime's
 * container process, for the tender-oci tests.
 *
 *   oci-reaper FILE COMMAND [ARG...]
 *
 * Becomes a child subreaper, runs COMMAND (tender-oci create ...), and
 * appends to FILE "create STATUS" when it exits, then "exit STATUS" for
 * each process orphaned to it (the VM process), STATUS being the exit
 * status or 128 + the signal.  Ends when it has no child left.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static void record(const char *file, const char *what, int status)
{
    char line[64];
    int fd = open(file, O_WRONLY | O_CREAT | O_APPEND, 0644);
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    int n = snprintf(line, sizeof(line), "%s %d\n", what, code);

    if (fd < 0 || write(fd, line, (size_t)n) != n)
        perror("oci-reaper");
    if (fd >= 0)
        close(fd);
}

int main(int argc, char **argv)
{
    pid_t cmd, pid;
    int status;

    if (argc < 3) {
        fprintf(stderr, "usage: oci-reaper FILE COMMAND [ARG...]\n");
        return 2;
    }
    if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) {
        perror("oci-reaper: PR_SET_CHILD_SUBREAPER");
        return 1;
    }
    cmd = fork();
    if (cmd == 0) {
        execv(argv[2], argv + 2);
        perror("oci-reaper: exec");
        _exit(127);
    }
    while ((pid = wait(&status)) > 0 || errno == EINTR)
        if (pid > 0)
            record(argv[1], pid == cmd ? "create" : "exit", status);
    return 0;
}

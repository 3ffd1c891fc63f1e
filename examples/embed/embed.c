/*
 * embed: a host program that runs a guest inside its own process with
 * libtender, captures the guest's console into a buffer and checks it.
 *
 *   embed GUEST.elf EXPECTED-TEXT [GUEST ARGUMENTS...]
 *
 * Exits 0 when the guest exited 0 and its console output contains
 * EXPECTED-TEXT; prints what it captured either way.
 */
#include <stdio.h>
#include <string.h>

#include <tender.h>

struct capture {
    char buf[64 * 1024];
    size_t len;
};

/* Keeps what fits; a console callback must not fail the guest. */
static void capture_console(void *opaque, const char *data, size_t len)
{
    struct capture *c = opaque;
    size_t room = sizeof(c->buf) - 1 - c->len;

    if (len > room)
        len = room;
    memcpy(c->buf + c->len, data, len);
    c->len += len;
    c->buf[c->len] = '\0';
}

static int run_guest(const char *path, int argc, char **argv,
                     struct capture *cap, struct tender_exit *exit)
{
    struct tender_config cfg;
    struct tender_error err;
    struct tender_vm *vm;

    memset(&cfg, 0, sizeof(cfg));
    cfg.mem_size = 32 << 20;
    cfg.guest_argc = argc;
    cfg.guest_argv = argv;
    cfg.console = capture_console;
    cfg.console_opaque = cap;
    if (tender_vm_create(&cfg, &vm, &err) < 0) {
        fprintf(stderr, "embed: %s\n", err.msg);
        return -1;
    }
    if (tender_vm_load_file(vm, path, &err) < 0 ||
        tender_vm_run(vm, exit, &err) < 0) {
        fprintf(stderr, "embed: %s\n", err.msg);
        tender_vm_destroy(vm);
        return -1;
    }
    tender_vm_destroy(vm);
    return 0;
}

int main(int argc, char **argv)
{
    static struct capture cap;
    struct tender_exit exit;
    char why[256];

    if (argc < 3) {
        fprintf(stderr, "usage: embed GUEST.elf EXPECTED-TEXT [ARGS...]\n");
        return 2;
    }
    if (run_guest(argv[1], argc - 3, argv + 3, &cap, &exit) < 0)
        return 1;
    tender_exit_describe(&exit, why, sizeof(why));
    printf("embed: %s; captured %zu bytes:\n%s", why, cap.len, cap.buf);
    if (exit.reason != TENDER_STOP_HALT || exit.status != 0) {
        printf("embed: FAILED: the guest did not exit 0\n");
        return 1;
    }
    if (strstr(cap.buf, argv[2]) == NULL) {
        printf("embed: FAILED: no \"%s\" in the console output\n", argv[2]);
        return 1;
    }
    printf("embed: ok: found \"%s\"\n", argv[2]);
    return 0;
}

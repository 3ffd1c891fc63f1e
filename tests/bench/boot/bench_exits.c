/*
 * bench-exits: how many VM exits a guest costs, through libtender.
 *
 *   bench-exits GUEST.elf EXPECTED-TEXT MIB [MIB...]
 *
 * Runs the guest once per MIB in this process and prints the exits that
 * libtender counted (struct tender_exit.exits: every KVM_RUN return,
 * hypercalls included), as "figure hello.memMIB.vm_exits N exits".
 * The tender command does not print them, hence this small host.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tender.h>

struct capture {
    char buf[4096];
    size_t len;
};

static void capture_console(void *opaque, const char *data, size_t len)
{
    struct capture *c = opaque;

    if (len > sizeof(c->buf) - 1 - c->len)
        len = sizeof(c->buf) - 1 - c->len;
    memcpy(c->buf + c->len, data, len);
    c->len += len;
    c->buf[c->len] = '\0';
}

static int run_guest(const char *elf, uint64_t mem, struct capture *cap,
                     struct tender_exit *ex)
{
    struct tender_config cfg;
    struct tender_error err;
    struct tender_vm *vm;
    int rc = 0;

    memset(&cfg, 0, sizeof(cfg));
    cfg.mem_size = mem;
    cfg.console = capture_console;
    cfg.console_opaque = cap;
    if (tender_vm_create(&cfg, &vm, &err) < 0) {
        fprintf(stderr, "bench-exits: %s\n", err.msg);
        return -1;
    }
    if (tender_vm_load_file(vm, elf, &err) < 0 ||
        tender_vm_run(vm, ex, &err) < 0) {
        fprintf(stderr, "bench-exits: %s\n", err.msg);
        rc = -1;
    }
    tender_vm_destroy(vm);
    return rc;
}

int main(int argc, char **argv)
{
    static struct capture cap;
    struct tender_exit ex;

    if (argc < 4) {
        fprintf(stderr, "usage: bench-exits GUEST.elf EXPECTED-TEXT MIB...\n");
        return 2;
    }
    for (int i = 3; i < argc; i++) {
        memset(&cap, 0, sizeof(cap));
        if (run_guest(argv[1], strtoull(argv[i], NULL, 10) << 20, &cap, &ex) <
            0)
            return 1;
        if (ex.reason != TENDER_STOP_HALT || ex.status != 0 ||
            strstr(cap.buf, argv[2]) == NULL) {
            fprintf(stderr, "bench-exits: bad run (reason %d, status %d): %s\n",
                    ex.reason, ex.status, cap.buf);
            return 1;
        }
        printf("figure hello.mem%s.vm_exits %" PRIu64 " exits\n", argv[i],
               ex.exits);
    }
    return 0;
}

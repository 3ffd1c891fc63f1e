/*
 * gdb's remote serial protocol, for one VM and one debugger.
 *
 * While the guest is stopped, the vCPU thread itself reads gdb's packets
 * and acts on them (gdb_kvm.c does the vCPU's side).  While it runs, a
 * watcher thread polls the connection: gdb sends nothing then but its
 * interrupt byte (0x03), so anything readable, or a hang-up, kicks the
 * vCPU out of KVM_RUN (immediate_exit and the VM's kick signal) and the
 * vCPU thread takes over again.
 *
 * Every packet is hostile: a bad checksum or an overlong packet gets a
 * NAK, a malformed or out-of-range command an error reply, memory is only
 * reached through the guest's page tables and guest_mem_ptr().
 */
#include <errno.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "debugreg_probe.h"
#include "error.h"
#include "gdb_kvm.h"
#include "gdb_stub.h"
#include "number.h"
#include "sandbox.h"
#include "vm.h"

#define PKT_MAX 4096
#define MEM_MAX ((PKT_MAX - 8) / 2) /* bytes of one m or M packet */
#define GDB_SIGINT 2
#define GDB_SIGTRAP 5
#define GDB_SIGSEGV 11
#define WATCH_POLL_MS 100
#define ACK_WAIT_MS 1000 /* for gdb's acknowledgement of the exit */

enum resume {
    RESUME_NONE,
    RESUME_CONT,
    RESUME_STEP,
    RESUME_DETACH,
    RESUME_KILL
};

struct gdb_stub {
    int listen_fd;
    int fd; /* the debugger's connection, -1 before and after */
    struct gdb_kvm kvm;
    char stop_reply[64];
    int killed;
    /* Bytes read from fd not yet parsed. */
    unsigned char in[512];
    size_t in_len, in_pos;
    char pkt[PKT_MAX + 1];
    char out[PKT_MAX + 8];
    /* The watcher thread, which polls fd while the guest runs. */
    pthread_t watcher;
    int watcher_started;
    int watcher_ready;    /* its filter is in place (or it needs none) */
    int watcher_confined; /* and was it */
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int running, kicked, quit;
};

/* The registers as gdb's amd64 target description lists them. */
static const char target_xml[] =
    "<?xml version=\"1.0\"?><!DOCTYPE target SYSTEM \"gdb-target.dtd\">"
    "<target><architecture>i386:x86-64</architecture>"
    "<feature name=\"org.gnu.gdb.i386.core\">"
    "<reg name=\"rax\" bitsize=\"64\" type=\"int64\"/>"
    "<reg name=\"rbx\" bitsize=\"64\" type=\"int64\"/>"
    "<reg name=\"rcx\" bitsize=\"64\" type=\"int64\"/>"
    "<reg name=\"rdx\" bitsize=\"64\" type=\"int64\"/>"
    "<reg name=\"rsi\" bitsize=\"64\" type=\"int64\"/>"
    "<reg name=\"rdi\" bitsize=\"64\" type=\"int64\"/>"
    "<reg name=\"rbp\" bitsize=\"64\" type=\"data_ptr\"/>"
    "<reg name=\"rsp\" bitsize=\"64\" type=\"data_ptr\"/>"
    "<reg name=\"r8\" bitsize=\"64\" type=\"int64\"/>"
    "<reg name=\"r9\" bitsize=\"64\" type=\"int64\"/>"
    "<reg name=\"r10\" bitsize=\"64\" type=\"int64\"/>"
    "<reg name=\"r11\" bitsize=\"64\" type=\"int64\"/>"
    "<reg name=\"r12\" bitsize=\"64\" type=\"int64\"/>"
    "<reg name=\"r13\" bitsize=\"64\" type=\"int64\"/>"
    "<reg name=\"r14\" bitsize=\"64\" type=\"int64\"/>"
    "<reg name=\"r15\" bitsize=\"64\" type=\"int64\"/>"
    "<reg name=\"rip\" bitsize=\"64\" type=\"code_ptr\"/>"
    "<reg name=\"eflags\" bitsize=\"32\" type=\"int32\"/>"
    "<reg name=\"cs\" bitsize=\"32\" type=\"int32\"/>"
    "<reg name=\"ss\" bitsize=\"32\" type=\"int32\"/>"
    "<reg name=\"ds\" bitsize=\"32\" type=\"int32\"/>"
    "<reg name=\"es\" bitsize=\"32\" type=\"int32\"/>"
    "<reg name=\"fs\" bitsize=\"32\" type=\"int32\"/>"
    "<reg name=\"gs\" bitsize=\"32\" type=\"int32\"/>"
    "<reg name=\"st0\" bitsize=\"80\" type=\"i387_ext\"/>"
    "<reg name=\"st1\" bitsize=\"80\" type=\"i387_ext\"/>"
    "<reg name=\"st2\" bitsize=\"80\" type=\"i387_ext\"/>"
    "<reg name=\"st3\" bitsize=\"80\" type=\"i387_ext\"/>"
    "<reg name=\"st4\" bitsize=\"80\" type=\"i387_ext\"/>"
    "<reg name=\"st5\" bitsize=\"80\" type=\"i387_ext\"/>"
    "<reg name=\"st6\" bitsize=\"80\" type=\"i387_ext\"/>"
    "<reg name=\"st7\" bitsize=\"80\" type=\"i387_ext\"/>"
    "<reg name=\"fctrl\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
    "<reg name=\"fstat\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
    "<reg name=\"ftag\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
    "<reg name=\"fiseg\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
    "<reg name=\"fioff\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
    "<reg name=\"foseg\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
    "<reg name=\"fooff\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
    "<reg name=\"fop\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
    "</feature><feature name=\"org.gnu.gdb.i386.sse\">"
    "<reg name=\"xmm0\" bitsize=\"128\" type=\"uint128\"/>"
    "<reg name=\"xmm1\" bitsize=\"128\" type=\"uint128\"/>"
    "<reg name=\"xmm2\" bitsize=\"128\" type=\"uint128\"/>"
    "<reg name=\"xmm3\" bitsize=\"128\" type=\"uint128\"/>"
    "<reg name=\"xmm4\" bitsize=\"128\" type=\"uint128\"/>"
    "<reg name=\"xmm5\" bitsize=\"128\" type=\"uint128\"/>"
    "<reg name=\"xmm6\" bitsize=\"128\" type=\"uint128\"/>"
    "<reg name=\"xmm7\" bitsize=\"128\" type=\"uint128\"/>"
    "<reg name=\"xmm8\" bitsize=\"128\" type=\"uint128\"/>"
    "<reg name=\"xmm9\" bitsize=\"128\" type=\"uint128\"/>"
    "<reg name=\"xmm10\" bitsize=\"128\" type=\"uint128\"/>"
    "<reg name=\"xmm11\" bitsize=\"128\" type=\"uint128\"/>"
    "<reg name=\"xmm12\" bitsize=\"128\" type=\"uint128\"/>"
    "<reg name=\"xmm13\" bitsize=\"128\" type=\"uint128\"/>"
    "<reg name=\"xmm14\" bitsize=\"128\" type=\"uint128\"/>"
    "<reg name=\"xmm15\" bitsize=\"128\" type=\"uint128\"/>"
    "<reg name=\"mxcsr\" bitsize=\"32\" type=\"int\" group=\"vector\"/>"
    "</feature><feature name=\"org.gnu.gdb.i386.segments\">"
    "<reg name=\"fs_base\" bitsize=\"64\" type=\"int\"/>"
    "<reg name=\"gs_base\" bitsize=\"64\" type=\"int\"/>"
    "</feature></target>";

/* ---- the connection ---- */

/* One byte from gdb, or -1 when the connection is gone (or a stop was
 * requested while we waited). */
static int next_byte(struct tender_vm *vm, struct gdb_stub *g)
{
    while (g->in_pos == g->in_len) {
        ssize_t n = read(g->fd, g->in, sizeof(g->in));

        if (n < 0 && errno == EINTR && !vm->stop_requested)
            continue;
        if (n <= 0)
            return -1;
        g->in_len = (size_t)n;
        g->in_pos = 0;
    }
    return g->in[g->in_pos++];
}

static int send_all(struct gdb_stub *g, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = send(g->fd, data, len, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Send "$data#cs"; acknowledgements from gdb are read and ignored. */
static int put_packet(struct gdb_stub *g, const char *data)
{
    static const char hex[] = "0123456789abcdef";
    size_t len = strlen(data);
    unsigned char sum = 0;
    char tail[3];

    for (size_t i = 0; i < len; i++)
        sum = (unsigned char)(sum + (unsigned char)data[i]);
    tail[0] = '#';
    tail[1] = hex[sum >> 4];
    tail[2] = hex[sum & 15];
    if (send_all(g, "$", 1) < 0 || send_all(g, data, len) < 0)
        return -1;
    return send_all(g, tail, 3);
}

/* The checksum's two digits; 1 if they match sum. */
static int read_checksum(struct tender_vm *vm, struct gdb_stub *g,
                         unsigned char sum, int *ok)
{
    int hi = next_byte(vm, g), lo;

    if (hi < 0 || (lo = next_byte(vm, g)) < 0)
        return -1;
    *ok = hex_digit(hi) >= 0 && hex_digit(lo) >= 0 &&
          (unsigned char)(hex_digit(hi) << 4 | hex_digit(lo)) == sum;
    return 0;
}

/*
 * The next well-formed packet's data into g->pkt (NUL-terminated), its
 * length returned; -1 when the connection is gone.  Bytes outside a packet
 * (acks, interrupt bytes, garbage) are skipped; a packet with a bad
 * checksum or longer than PKT_MAX is NAKed and dropped.
 */
static int get_packet(struct tender_vm *vm, struct gdb_stub *g)
{
    for (;;) {
        size_t len = 0;
        unsigned char sum = 0;
        int c, ok, overlong = 0;

        do {
            c = next_byte(vm, g);
            if (c < 0)
                return -1;
        } while (c != '$');
        while ((c = next_byte(vm, g)) != '#') {
            if (c < 0)
                return -1;
            if (c == '$') { /* a new start: the old packet was cut short */
                len = 0;
                sum = 0;
                overlong = 0;
                continue;
            }
            sum = (unsigned char)(sum + c);
            if (len < PKT_MAX)
                g->pkt[len++] = (char)c;
            else
                overlong = 1;
        }
        if (read_checksum(vm, g, sum, &ok) < 0)
            return -1;
        if (!ok || overlong) {
            if (send_all(g, "-", 1) < 0)
                return -1;
            continue;
        }
        g->pkt[len] = '\0';
        if (send_all(g, "+", 1) < 0)
            return -1;
        return (int)len;
    }
}

/* ---- parsing ---- */

/* A hex number of 1 to 16 digits at *p; advances *p. */
static int parse_hex(const char **p, uint64_t *value)
{
    int n = 0;

    *value = 0;
    while (hex_digit(**p) >= 0) {
        if (++n > 16)
            return -1;
        *value = *value << 4 | (uint64_t)hex_digit(**p);
        (*p)++;
    }
    return n > 0 ? 0 : -1;
}

/* "ADDR,LEN" then the character end (or end of string with end 0). */
static int parse_addr_len(const char **p, uint64_t *addr, uint64_t *len,
                          char end)
{
    if (parse_hex(p, addr) < 0 || **p != ',')
        return -1;
    (*p)++;
    if (parse_hex(p, len) < 0 || **p != end)
        return -1;
    if (end != '\0')
        (*p)++;
    return 0;
}

/* len bytes from 2 * len hex digits; -1 on any other character. */
static int parse_bytes(const char *hex, uint8_t *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        int hi = hex_digit(hex[2 * i]), lo;

        if (hi < 0 || (lo = hex_digit(hex[2 * i + 1])) < 0)
            return -1;
        buf[i] = (uint8_t)(hi << 4 | lo);
    }
    return hex[2 * len] == '\0' ? 0 : -1;
}

static void put_hex_bytes(char *out, const uint8_t *buf, size_t len)
{
    static const char hex[] = "0123456789abcdef";

    for (size_t i = 0; i < len; i++) {
        out[2 * i] = hex[buf[i] >> 4];
        out[2 * i + 1] = hex[buf[i] & 15];
    }
    out[2 * len] = '\0';
}

/* A register's value as gdb wants it: little-endian, its size in bytes. */
static void put_reg(char *out, const struct gdb_regs *regs, int regno)
{
    put_hex_bytes(out, regs->raw[regno], gdb_reg_size(regno));
}

/* ---- commands; each writes its reply into g->out ---- */

static void reply(struct gdb_stub *g, const char *text)
{
    snprintf(g->out, sizeof(g->out), "%s", text);
}

static void cmd_read_regs(struct tender_vm *vm, struct gdb_stub *g)
{
    struct gdb_regs regs;
    size_t pos = 0;

    if (gdb_kvm_get_regs(vm, &regs) < 0) {
        reply(g, "E01");
        return;
    }
    for (int i = 0; i < GDB_NUM_REGS; i++) {
        put_reg(g->out + pos, &regs, i);
        pos += 2 * gdb_reg_size(i);
    }
}

/* G: the registers tender can change are set, the others ignored. */
static void cmd_write_regs(struct tender_vm *vm, struct gdb_stub *g,
                           const char *hex)
{
    uint8_t buf[16];

    for (int i = 0; i < GDB_NUM_REGS; i++) {
        size_t size = gdb_reg_size(i);
        uint64_t value = 0;

        if (strlen(hex) < 2 * size)
            break;
        for (size_t j = 0; j < size; j++) {
            int hi = hex_digit(hex[2 * j]), lo = hex_digit(hex[2 * j + 1]);

            if (hi < 0 || lo < 0) {
                reply(g, "E01");
                return;
            }
            buf[j] = (uint8_t)(hi << 4 | lo);
        }
        memcpy(&value, buf, sizeof(value));
        if (i <= GDB_REG_EFLAGS || i >= GDB_REG_FS_BASE)
            gdb_kvm_set_reg(vm, i, value);
        hex += 2 * size;
    }
    reply(g, "OK");
}

static void cmd_read_reg(struct tender_vm *vm, struct gdb_stub *g,
                         const char *args)
{
    struct gdb_regs regs;
    uint64_t regno;

    if (parse_hex(&args, &regno) < 0 || *args != '\0' ||
        regno >= GDB_NUM_REGS || gdb_kvm_get_regs(vm, &regs) < 0) {
        reply(g, "E01");
        return;
    }
    put_reg(g->out, &regs, (int)regno);
}

static void cmd_write_reg(struct tender_vm *vm, struct gdb_stub *g,
                          const char *args)
{
    uint64_t regno, value = 0;
    uint8_t buf[16];

    if (parse_hex(&args, &regno) < 0 || *args++ != '=' ||
        regno >= GDB_NUM_REGS ||
        parse_bytes(args, buf, gdb_reg_size((int)regno)) < 0) {
        reply(g, "E01");
        return;
    }
    memcpy(&value, buf, sizeof(value));
    if (gdb_kvm_set_reg(vm, (int)regno, value) < 0)
        reply(g, "E01");
    else
        reply(g, "OK");
}

static void cmd_read_mem(struct tender_vm *vm, struct gdb_stub *g,
                         const char *args)
{
    uint64_t addr, len;
    uint8_t buf[MEM_MAX];

    if (parse_addr_len(&args, &addr, &len, '\0') < 0) {
        reply(g, "E01");
        return;
    }
    if (len > MEM_MAX)
        len = MEM_MAX; /* gdb asks again for the rest */
    if (gdb_kvm_read(vm, addr, buf, (size_t)len) < 0) {
        reply(g, "E14"); /* EFAULT: not mapped in the guest */
        return;
    }
    put_hex_bytes(g->out, buf, (size_t)len);
}

static void cmd_write_mem(struct tender_vm *vm, struct gdb_stub *g,
                          const char *args)
{
    uint64_t addr, len;
    uint8_t buf[MEM_MAX];

    if (parse_addr_len(&args, &addr, &len, ':') < 0 || len > MEM_MAX ||
        parse_bytes(args, buf, (size_t)len) < 0) {
        reply(g, "E01");
        return;
    }
    if (gdb_kvm_write(vm, addr, buf, (size_t)len) < 0)
        reply(g, "E14");
    else
        reply(g, "OK");
}

/* Z and z: TYPE,ADDR,KIND. */
static void cmd_breakpoint(struct tender_vm *vm, struct gdb_stub *g,
                           const char *args, int insert)
{
    uint64_t type, addr, kind;
    int rc;

    if (parse_hex(&args, &type) < 0 || *args++ != ',' ||
        parse_addr_len(&args, &addr, &kind, '\0') < 0) {
        reply(g, "E01");
        return;
    }
    if (type > GDB_WP_ACCESS) {
        reply(g, ""); /* not supported */
        return;
    }
    if (insert)
        rc = gdb_kvm_insert(vm, &g->kvm, (enum gdb_bp_type)type, addr, kind);
    else
        rc = gdb_kvm_remove(vm, &g->kvm, (enum gdb_bp_type)type, addr, kind);
    reply(g, rc == GDB_KVM_UNSUPPORTED ? "" : rc < 0 ? "E01" : "OK");
}

/* qXfer:features:read:target.xml:OFFSET,LENGTH */
static void cmd_xfer_features(struct gdb_stub *g, const char *args)
{
    static const char prefix[] = "target.xml:";
    const size_t total = sizeof(target_xml) - 1;
    uint64_t off, len;

    if (strncmp(args, prefix, sizeof(prefix) - 1) != 0) {
        reply(g, "E00");
        return;
    }
    args += sizeof(prefix) - 1;
    if (parse_addr_len(&args, &off, &len, '\0') < 0 || off > total) {
        reply(g, "E01");
        return;
    }
    if (len > PKT_MAX - 1)
        len = PKT_MAX - 1;
    if (len > total - off)
        len = total - off;
    g->out[0] = off + len < total ? 'm' : 'l';
    memcpy(g->out + 1, target_xml + off, (size_t)len);
    g->out[1 + len] = '\0';
}

static void cmd_query(struct gdb_stub *g, const char *q)
{
    static const char xfer[] = "qXfer:features:read:";

    if (strncmp(q, "qSupported", 10) == 0)
        snprintf(g->out, sizeof(g->out),
                 "PacketSize=%x;qXfer:features:read+;swbreak+;hwbreak+",
                 PKT_MAX);
    else if (strncmp(q, xfer, sizeof(xfer) - 1) == 0)
        cmd_xfer_features(g, q + sizeof(xfer) - 1);
    else if (strcmp(q, "qAttached") == 0)
        reply(g, "1");
    else if (strcmp(q, "qC") == 0)
        reply(g, "QC1");
    else if (strcmp(q, "qfThreadInfo") == 0)
        reply(g, "m1");
    else if (strcmp(q, "qsThreadInfo") == 0)
        reply(g, "l");
    else
        reply(g, "");
}

/* c/s [ADDR] and C/S SIG[;ADDR]: resume, at ADDR if given. */
static enum resume cmd_resume(struct tender_vm *vm, struct gdb_stub *g,
                              const char *pkt)
{
    const char *p = pkt + 1;
    uint64_t value;

    if (pkt[0] == 'C' || pkt[0] == 'S') {
        if (parse_hex(&p, &value) < 0) {
            reply(g, "E01");
            return RESUME_NONE;
        }
        if (*p == ';')
            p++;
    }
    if (*p != '\0') {
        if (parse_hex(&p, &value) < 0 || *p != '\0' ||
            gdb_kvm_set_reg(vm, GDB_REG_RIP, value) < 0) {
            reply(g, "E01");
            return RESUME_NONE;
        }
    }
    return pkt[0] == 'c' || pkt[0] == 'C' ? RESUME_CONT : RESUME_STEP;
}

/* One packet: fills g->out, or returns how to resume the guest. */
static enum resume dispatch(struct tender_vm *vm, struct gdb_stub *g,
                            const char *pkt)
{
    g->out[0] = '\0';
    switch (pkt[0]) {
    case '?':
        reply(g, g->stop_reply);
        break;
    case 'g':
        cmd_read_regs(vm, g);
        break;
    case 'G':
        cmd_write_regs(vm, g, pkt + 1);
        break;
    case 'p':
        cmd_read_reg(vm, g, pkt + 1);
        break;
    case 'P':
        cmd_write_reg(vm, g, pkt + 1);
        break;
    case 'm':
        cmd_read_mem(vm, g, pkt + 1);
        break;
    case 'M':
        cmd_write_mem(vm, g, pkt + 1);
        break;
    case 'Z':
    case 'z':
        cmd_breakpoint(vm, g, pkt + 1, pkt[0] == 'Z');
        break;
    case 'c':
    case 'C':
    case 's':
    case 'S':
        return cmd_resume(vm, g, pkt);
    case 'D':
        reply(g, "OK");
        return RESUME_DETACH;
    case 'k':
        return RESUME_KILL;
    case 'H':
    case 'T':
        reply(g, "OK"); /* one thread, always alive */
        break;
    case 'q':
        cmd_query(g, pkt);
        break;
    case 'v':
        if (strncmp(pkt, "vKill", 5) == 0) {
            reply(g, "OK");
            return RESUME_KILL;
        }
        break; /* vCont and the rest: not supported, gdb falls back */
    default:
        break; /* empty reply: not supported */
    }
    return RESUME_NONE;
}

/* ---- the watcher thread: gdb's interrupt while the guest runs ---- */

/*
 * vcpu_wanted is gdb's interrupt, pending: KVM_RUN returns at once
 * (immediate_exit), a POLL in progress returns early, and the vCPU
 * thread then reports the stop (gdb_stub_interrupted).
 */
static void kick_vcpu(struct tender_vm *vm, struct gdb_stub *g)
{
    atomic_store(&vm->vcpu_wanted, 1);
    vm->run->immediate_exit = 1;
    pthread_kill(vm->vcpu_thread, vm->kick_signal);
    g->kicked = 1;
}

/* The watcher confines itself first, in a sandboxed VM, and says so. */
static void confine_watcher(struct tender_vm *vm, struct gdb_stub *g)
{
    struct tender_error err;
    int confined =
        !vm->sandbox || sandbox_apply(vm, SANDBOX_GDB_WATCHER, &err) == 0;

    pthread_mutex_lock(&g->lock);
    g->watcher_ready = 1;
    g->watcher_confined = confined;
    if (!confined)
        g->quit = 1;
    pthread_cond_broadcast(&g->cond);
    pthread_mutex_unlock(&g->lock);
}

static void *watch(void *arg)
{
    struct tender_vm *vm = arg;
    struct gdb_stub *g = vm->gdb;

    confine_watcher(vm, g);
    pthread_mutex_lock(&g->lock);
    while (!g->quit) {
        struct pollfd pfd = {.fd = g->fd, .events = POLLIN};
        int n, kicked = g->kicked;

        if (!g->running) {
            pthread_cond_wait(&g->cond, &g->lock);
            continue;
        }
        /* Once kicked, only wait, and kick again until the vCPU thread
         * has stopped running: a signal that lands between a POLL's
         * check of vcpu_wanted and its ppoll is lost. */
        pthread_mutex_unlock(&g->lock);
        n = poll(&pfd, kicked ? 0 : 1, WATCH_POLL_MS);
        pthread_mutex_lock(&g->lock);
        if (g->quit || !g->running)
            continue;
        if (g->kicked || n > 0)
            kick_vcpu(vm, g);
    }
    pthread_mutex_unlock(&g->lock);
    return NULL;
}

static void set_running(struct gdb_stub *g, int running)
{
    pthread_mutex_lock(&g->lock);
    g->running = running;
    g->kicked = 0;
    pthread_cond_broadcast(&g->cond);
    pthread_mutex_unlock(&g->lock);
}

static void stop_watcher(struct gdb_stub *g)
{
    if (!g->watcher_started)
        return;
    pthread_mutex_lock(&g->lock);
    g->quit = 1;
    pthread_cond_broadcast(&g->cond);
    pthread_mutex_unlock(&g->lock);
    pthread_join(g->watcher, NULL);
    g->watcher_started = 0;
}

/*
 * gdb acknowledges the last packet (a detach's or kill's OK, the exit's
 * W or X), then hangs up itself.  Closing first would make its
 * acknowledgement fail ("Broken pipe" on a unix socket), and gdb would
 * report a lost connection instead.
 */
static void wait_for_ack(struct gdb_stub *g)
{
    struct pollfd pfd = {.fd = g->fd, .events = POLLIN};
    const struct timespec limit = {ACK_WAIT_MS / 1000,
                                   (ACK_WAIT_MS % 1000) * 1000000L};
    char ack;

    if (ppoll(&pfd, 1, &limit, NULL) == 1)
        (void)!read(g->fd, &ack, 1);
}

/* ---- the session ---- */

/* Gone, detached or killed: no more debugging, the guest runs freely. */
static void end_session(struct tender_vm *vm, struct gdb_stub *g)
{
    stop_watcher(g);
    gdb_kvm_remove_all(vm, &g->kvm);
    gdb_kvm_arm(vm, &g->kvm, 0, 0);
    if (g->fd >= 0)
        close(g->fd);
    g->fd = -1;
}

/*
 * The guest is stopped (g->stop_reply says why, gdb has been told): serve
 * packets until gdb resumes it.  Returns 0 to run it, 1 to stop it.
 */
static int serve(struct tender_vm *vm, struct gdb_stub *g)
{
    set_running(g, 0);
    for (;;) {
        enum resume r;

        if (get_packet(vm, g) < 0) {
            /* The debugger went away: let the guest run on undebugged. */
            end_session(vm, g);
            return vm->stop_requested ? 1 : 0;
        }
        r = dispatch(vm, g, g->pkt);
        if ((r == RESUME_NONE || g->out[0] != '\0') &&
            put_packet(g, g->out) < 0)
            r = RESUME_DETACH;
        if (r == RESUME_NONE)
            continue;
        if (r == RESUME_DETACH || r == RESUME_KILL) {
            g->killed = r == RESUME_KILL;
            if (g->out[0] != '\0')
                wait_for_ack(g);
            end_session(vm, g);
            return g->killed;
        }
        if (gdb_kvm_arm(vm, &g->kvm, 1, r == RESUME_STEP) < 0) {
            end_session(vm, g);
            return 1;
        }
        set_running(g, 1);
        return 0;
    }
}

/* Tell gdb the guest stopped, then serve it. */
static int report_stop(struct tender_vm *vm, struct gdb_stub *g,
                       const char *reply_text)
{
    /* Not running before gdb hears of the stop: its ack must not look
     * like an interrupt to the watcher. */
    set_running(g, 0);
    snprintf(g->stop_reply, sizeof(g->stop_reply), "%s", reply_text);
    if (put_packet(g, g->stop_reply) < 0) {
        end_session(vm, g);
        return 0;
    }
    return serve(vm, g);
}

int gdb_stub_create(struct tender_vm *vm, int fd, struct tender_error *err)
{
    struct gdb_stub *g = calloc(1, sizeof(*g));

    if (g == NULL)
        return tnd_fail(err, TENDER_E_SYSTEM, "out of memory");
    g->listen_fd = fd;
    g->fd = -1;
    g->kvm.debugregs_work = debugregs_honoured(vm->kvm_fd) == 1;
    if (!g->kvm.debugregs_work)
        vm_log(vm, "gdb: this host's KVM does not fire debug registers: "
                   "hardware breakpoints are software ones, write "
                   "watchpoints are checked at each single step, read and "
                   "access watchpoints are not available");
    pthread_mutex_init(&g->lock, NULL);
    pthread_cond_init(&g->cond, NULL);
    vm->gdb = g;
    return 0;
}

void gdb_stub_destroy(struct tender_vm *vm)
{
    struct gdb_stub *g = vm->gdb;

    if (g == NULL)
        return;
    stop_watcher(g);
    if (g->fd >= 0)
        close(g->fd);
    pthread_mutex_destroy(&g->lock);
    pthread_cond_destroy(&g->cond);
    free(g);
    vm->gdb = NULL;
}

/* A listening socket gets one connection; anything else is one. */
static int connect_debugger(struct tender_vm *vm, struct gdb_stub *g,
                            struct tender_error *err)
{
    int listening = 0;
    socklen_t len = sizeof(listening);

    if (getsockopt(g->listen_fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) <
            0 ||
        !listening) {
        g->fd = dup(g->listen_fd);
        if (g->fd < 0)
            return tnd_fail_errno(err, TENDER_E_CONFIG, errno,
                                  "the debugger's descriptor");
        return 0;
    }
    for (;;) {
        g->fd = accept(g->listen_fd, NULL, NULL);
        if (g->fd >= 0)
            return 0;
        if (errno != EINTR || vm->stop_requested)
            return tnd_fail_errno(err, TENDER_E_SYSTEM, errno,
                                  "no debugger connected");
    }
}

/* Start the watcher and wait until it has confined itself. */
static int start_watcher(struct tender_vm *vm, struct gdb_stub *g,
                         struct tender_error *err)
{
    sigset_t all, old;
    int confined, rc;

    /* The watcher takes no signal: a handler run there could not return
     * through its filter, and stop signals are the vCPU thread's. */
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    rc = pthread_create(&g->watcher, NULL, watch, vm);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0)
        return tnd_fail(err, TENDER_E_SYSTEM, "cannot start the gdb watcher");
    g->watcher_started = 1;
    pthread_mutex_lock(&g->lock);
    while (!g->watcher_ready)
        pthread_cond_wait(&g->cond, &g->lock);
    confined = g->watcher_confined;
    pthread_mutex_unlock(&g->lock);
    if (!confined) {
        stop_watcher(g);
        return tnd_fail(err, TENDER_E_SYSTEM,
                        "cannot confine the gdb watcher thread");
    }
    return 0;
}

int gdb_stub_connect(struct tender_vm *vm, struct tender_error *err)
{
    struct gdb_stub *g = vm->gdb;

    if (g == NULL)
        return 0;
    if (connect_debugger(vm, g, err) < 0)
        return vm->stop_requested ? 0 : -1;
    /* Read, written and closed by the vCPU thread, also when confined. */
    if (vm_sandbox_allow(vm, g->fd,
                         SANDBOX_READ | SANDBOX_SEND | SANDBOX_CLOSE) < 0)
        tnd_fail(err, TENDER_E_SYSTEM, "too many descriptors to confine");
    else if (start_watcher(vm, g, err) == 0)
        return 0;
    close(g->fd);
    g->fd = -1;
    return -1;
}

int gdb_stub_start(struct tender_vm *vm, struct tender_error *err)
{
    struct gdb_stub *g = vm->gdb;

    (void)err;
    if (g->fd < 0)
        return 1; /* a stop was requested before gdb came */
    snprintf(g->stop_reply, sizeof(g->stop_reply), "S%02x", GDB_SIGTRAP);
    return serve(vm, g);
}

int gdb_stub_debug_exit(struct tender_vm *vm)
{
    struct gdb_stub *g = vm->gdb;
    enum gdb_bp_type type = GDB_WP_WRITE;
    uint64_t addr = 0;
    char text[64];
    static const char *const watch_kind[] = {"", "", "watch", "rwatch",
                                             "awatch"};

    if (g == NULL || g->fd < 0)
        return 0; /* a stale debug exit after a detach */
    switch (gdb_kvm_trap(vm, &g->kvm, &type, &addr)) {
    case GDB_TRAP_NONE:
        return 0;
    case GDB_TRAP_HWBP:
        snprintf(text, sizeof(text), "T%02xthread:1;hwbreak:;", GDB_SIGTRAP);
        break;
    case GDB_TRAP_WATCH:
        snprintf(text, sizeof(text), "T%02xthread:1;%s:%llx;", GDB_SIGTRAP,
                 watch_kind[type], (unsigned long long)addr);
        break;
    case GDB_TRAP_STEP:
    default:
        snprintf(text, sizeof(text), "T%02xthread:1;", GDB_SIGTRAP);
        break;
    }
    return report_stop(vm, g, text);
}

int gdb_stub_halt_exit(struct tender_vm *vm)
{
    struct gdb_stub *g = vm->gdb;
    char text[32];

    if (g == NULL || g->fd < 0 || gdb_kvm_hit_breakpoint(vm, &g->kvm) != 1)
        return -1;
    snprintf(text, sizeof(text), "T%02xthread:1;swbreak:;", GDB_SIGTRAP);
    return report_stop(vm, g, text);
}

int gdb_stub_interrupted(struct tender_vm *vm, int *stop)
{
    struct gdb_stub *g = vm->gdb;
    char text[32];

    *stop = 0;
    if (g == NULL || !atomic_exchange(&vm->vcpu_wanted, 0))
        return 0;
    if (g->fd < 0)
        return 1;
    snprintf(text, sizeof(text), "T%02xthread:1;", GDB_SIGINT);
    *stop = report_stop(vm, g, text);
    return 1;
}

void gdb_stub_finish(struct tender_vm *vm)
{
    struct gdb_stub *g = vm->gdb;
    char text[16];

    if (g == NULL || g->fd < 0)
        return;
    stop_watcher(g);
    if (vm->exit.reason == TENDER_STOP_HALT)
        snprintf(text, sizeof(text), "W%02x", vm->exit.status & 0xff);
    else
        snprintf(text, sizeof(text), "X%02x", GDB_SIGSEGV);
    if (put_packet(g, text) == 0)
        wait_for_ack(g);
    end_session(vm, g);
}

int gdb_stub_killed(const struct tender_vm *vm)
{
    return vm->gdb != NULL && vm->gdb->killed;
}

/*
 * gdb-poke PORT hostile|refused: a hostile gdb client for
 * tests/kvm/gdb_hostile.sh.
 *
 * hostile: connects to 127.0.0.1:PORT, sends garbage, bad checksums, an
 * overlong packet and commands out of range, checks each reply (a NAK or
 * an error), then kills the guest with "k".  refused: succeeds if nothing
 * listens on PORT.  Prints one line per failed check; exits 0 if none.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static int fd;
static int failures;

static void send_raw(const char *data, size_t len)
{
    if (write(fd, data, len) != (ssize_t)len) {
        printf("cannot send\n");
        exit(1);
    }
}

static void send_packet(const char *data)
{
    char buf[8192];
    unsigned sum = 0;

    for (const char *p = data; *p; p++)
        sum += (unsigned char)*p;
    snprintf(buf, sizeof(buf), "$%s#%02x", data, sum & 0xff);
    send_raw(buf, strlen(buf));
}

static int get_byte(void)
{
    unsigned char c;

    if (read(fd, &c, 1) != 1)
        return -1;
    return c;
}

/* The next ack byte ('+' or '-'). */
static int get_ack(void)
{
    int c;

    do
        c = get_byte();
    while (c != '+' && c != '-' && c >= 0);
    return c;
}

/* The next reply packet's data (checksum not checked). */
static void get_reply(char *buf, size_t max)
{
    size_t n = 0;
    int c;

    do
        c = get_byte();
    while (c != '$' && c >= 0);
    while ((c = get_byte()) >= 0 && c != '#')
        if (n + 1 < max)
            buf[n++] = (char)c;
    buf[n] = '\0';
    get_byte();
    get_byte();
    if (c < 0) {
        printf("connection lost\n");
        exit(1);
    }
}

static void expect(const char *what, const char *packet, const char *want)
{
    char got[8192];

    send_packet(packet);
    if (get_ack() != '+') {
        printf("%s: no ack\n", what);
        failures++;
    }
    get_reply(got, sizeof(got));
    if (strncmp(got, want, strlen(want)) != 0) {
        printf("%s: got '%.60s', expected '%s'\n", what, got, want);
        failures++;
    }
}

static void expect_nak(const char *what, const char *raw)
{
    send_raw(raw, strlen(raw));
    if (get_ack() != '-') {
        printf("%s: no NAK\n", what);
        failures++;
    }
}

static void hostile(void)
{
    static char overlong[6000];

    send_raw("hello\x01\xff\x03+-garbage", 19);
    expect_nak("bad checksum", "$g#00");
    expect_nak("bad checksum digits", "$g#zz");
    memset(overlong, 'm', sizeof(overlong) - 4);
    memcpy(overlong + sizeof(overlong) - 4, "#00", 4);
    overlong[0] = '$';
    expect_nak("overlong packet", overlong);
    expect("stop reason", "?", "S05");
    expect("NULL page", "m0,10", "E14");
    expect("above guest memory", "mffffffff0000,10", "E14");
    expect("non-canonical", "m800000000000,8", "E14");
    expect("wrapping range", "mfffffffffffffff0,100", "E14");
    expect("too many digits", "m11111111111111111,1", "E01");
    expect("no length", "m100000", "E01");
    expect("write outside", "M0,2:9090", "E14");
    expect("bad hex", "M100000,2:zz90", "E01");
    expect("short data", "M100000,4:90", "E01");
    expect("register 999", "p999", "E01");
    expect("write register 999", "P999=00", "E01");
    expect("unknown breakpoint type", "Z9,100000,1", "");
    expect("empty watchpoint", "Z2,100000,0", "E01");
    expect("breakpoint outside", "Z0,0,1", "E01");
    expect("breakpoint in text", "Z0,100000,1", "OK");
    expect("breakpoint again", "Z0,100000,1", "OK");
    expect("breakpoint removed", "z0,100000,1", "OK");
    expect("text restored", "m100000,1", "fc");
    /* Where debug registers do not fire, a Z1 shares a Z0's byte. */
    expect("two kinds", "Z0,100000,1", "OK");
    expect("hardware kind", "Z1,100000,1", "OK");
    expect("one kind removed", "z0,100000,1", "OK");
    expect("other kind removed", "z1,100000,1", "OK");
    expect("text restored again", "m100000,1", "fc");
    expect("xml offset", "qXfer:features:read:target.xml:ffffffff,10", "E01");
    expect("other annex", "qXfer:features:read:x.xml:0,10", "E00");
    expect("garbage command", "\x7f\x01zzz", "");
    expect("text still readable", "m100000,1", "");
    send_packet("k");
    get_ack();
}

int main(int argc, char **argv)
{
    struct sockaddr_in sa;
    struct timeval tv = {10, 0};

    if (argc != 3)
        return 2;
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons((unsigned short)atoi(argv[1]));
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    fd = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        if (strcmp(argv[2], "refused") == 0)
            return 0;
        perror("connect");
        return 1;
    }
    if (strcmp(argv[2], "refused") == 0) {
        printf("something listens on port %s\n", argv[1]);
        return 1;
    }
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    hostile();
    return failures != 0;
}

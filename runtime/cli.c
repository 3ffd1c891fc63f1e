#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"

static const struct {
    const char *name;
    int sig;
} signals[] = {{"HUP", SIGHUP},       {"INT", SIGINT},   {"QUIT", SIGQUIT},
               {"ILL", SIGILL},       {"TRAP", SIGTRAP}, {"ABRT", SIGABRT},
               {"BUS", SIGBUS},       {"FPE", SIGFPE},   {"KILL", SIGKILL},
               {"USR1", SIGUSR1},     {"SEGV", SIGSEGV}, {"USR2", SIGUSR2},
               {"PIPE", SIGPIPE},     {"ALRM", SIGALRM}, {"TERM", SIGTERM},
               {"CHLD", SIGCHLD},     {"CONT", SIGCONT}, {"STOP", SIGSTOP},
               {"TSTP", SIGTSTP},     {"TTIN", SIGTTIN}, {"TTOU", SIGTTOU},
               {"URG", SIGURG},       {"XCPU", SIGXCPU}, {"XFSZ", SIGXFSZ},
               {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF}, {"WINCH", SIGWINCH},
               {"IO", SIGIO},         {"PWR", SIGPWR},   {"SYS", SIGSYS}};

int oci_signal_parse(const char *s)
{
    char *end;
    long n;

    if (s[0] >= '0' && s[0] <= '9') {
        n = strtol(s, &end, 10);
        return *end == '\0' && n > 0 && n < 65 ? (int)n : -1;
    }
    if (strncasecmp(s, "SIG", 3) == 0)
        s += 3;
    for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
        if (strcasecmp(s, signals[i].name) == 0)
            return signals[i].sig;
    return -1;
}

int oci_id_valid(const char *id)
{
    size_t n = strlen(id);

    return n > 0 && n <= 1024 && strcmp(id, ".") != 0 &&
           strcmp(id, "..") != 0 &&
           strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                      "0123456789_+.-") == n;
}

static const struct {
    const char *name;
    enum oci_command cmd;
} commands[] = {{"create", OCI_CREATE}, {"start", OCI_START},
                {"state", OCI_STATE},   {"kill", OCI_KILL},
                {"delete", OCI_DELETE}, {"list", OCI_LIST},
                {"help", OCI_HELP}};

/* Flags of runc's that tender-oci accepts and ignores, with a value or
 * without. */
static const char *const ignored_bool[] = {
    "--systemd-cgroup", "--debug", "--no-pivot",       "--no-new-keyring",
    "--detach",         "-d",      "--rootless=false", NULL};
static const char *const ignored_value[] = {"--criu", "--rootless",
                                            "--preserve-fds", NULL};

static int in(const char *const *list, const char *a)
{
    for (; *list != NULL; list++)
        if (strcmp(*list, a) == 0)
            return 1;
    return 0;
}

/*
 * Match option name (long, or short if non-NULL) with a value, given as
 * "--name VALUE" or "--name=VALUE"; 1 and *value set, 0 if a is not it,
 * -1 if the value is missing.
 */
static int opt_value(int argc, char **argv, int *i, const char *name,
                     const char *short_name, const char **value)
{
    const char *a = argv[*i];
    size_t n = strlen(name);

    if (strncmp(a, name, n) == 0 && a[n] == '=') {
        *value = a + n + 1;
        return 1;
    }
    if (strcmp(a, name) != 0 &&
        (short_name == NULL || strcmp(a, short_name) != 0))
        return 0;
    if (*i + 1 >= argc)
        return -1;
    *value = argv[++*i];
    return 1;
}

static int bad(char *err, unsigned long len, const char *what, const char *a)
{
    snprintf(err, len, what, a);
    return -1;
}

/* The options of commands, anywhere after the command's name. */
static int command_option(int argc, char **argv, int *i, struct oci_cli *c,
                          char *err, unsigned long len)
{
    const char *a = argv[*i], *v;
    int r;

    struct {
        enum oci_command cmd;
        const char *name, *short_name;
        const char **dst;
    } valued[] = {
        {OCI_CREATE, "--bundle", "-b", &c->bundle},
        {OCI_CREATE, "--pid-file", NULL, &c->pid_file},
        {OCI_CREATE, "--console-socket", NULL, &c->console_socket},
    };
    for (size_t k = 0; k < sizeof(valued) / sizeof(valued[0]); k++) {
        if (valued[k].cmd != c->cmd)
            continue;
        r = opt_value(argc, argv, i, valued[k].name, valued[k].short_name,
                      valued[k].dst);
        if (r < 0)
            return bad(err, len, "%s needs a value", a);
        if (r > 0)
            return 0;
    }
    if (c->cmd == OCI_LIST) {
        r = opt_value(argc, argv, i, "--format", "-f", &v);
        if (r < 0)
            return bad(err, len, "%s needs a value", a);
        if (r > 0) {
            if (strcmp(v, "json") != 0 && strcmp(v, "table") != 0)
                return bad(err, len, "list --format %s: not table or json", v);
            c->list_json = strcmp(v, "json") == 0;
            return 0;
        }
        if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            c->quiet = 1;
            return 0;
        }
    }
    if (c->cmd == OCI_DELETE &&
        (strcmp(a, "--force") == 0 || strcmp(a, "-f") == 0)) {
        c->force = 1;
        return 0;
    }
    if (c->cmd == OCI_KILL &&
        (strcmp(a, "--all") == 0 || strcmp(a, "-a") == 0)) {
        c->all = 1;
        return 0;
    }
    if (in(ignored_bool, a))
        return 0;
    for (const char *const *p = ignored_value; *p != NULL; p++) {
        r = opt_value(argc, argv, i, *p, NULL, &v);
        if (r < 0)
            return bad(err, len, "%s needs a value", a);
        if (r > 0)
            return 0;
    }
    return bad(err, len, "unknown option %s", a);
}

static int global_option(int argc, char **argv, int *i, struct oci_cli *c,
                         char *err, unsigned long len)
{
    const char *a = argv[*i], *v;
    int r;

    if ((r = opt_value(argc, argv, i, "--root", NULL, &c->root)) != 0 ||
        (r = opt_value(argc, argv, i, "--log", NULL, &c->log_path)) != 0)
        return r < 0 ? bad(err, len, "%s needs a value", a) : 0;
    r = opt_value(argc, argv, i, "--log-format", NULL, &v);
    if (r < 0)
        return bad(err, len, "%s needs a value", a);
    if (r > 0) {
        if (strcmp(v, "json") != 0 && strcmp(v, "text") != 0)
            return bad(err, len, "--log-format %s: not text or json", v);
        c->log_json = strcmp(v, "json") == 0;
        return 0;
    }
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
        c->cmd = OCI_HELP;
        return 0;
    }
    if (strcmp(a, "--version") == 0 || strcmp(a, "-v") == 0) {
        c->cmd = OCI_VERSION;
        return 0;
    }
    if (in(ignored_bool, a))
        return 0;
    for (const char *const *p = ignored_value; *p != NULL; p++) {
        r = opt_value(argc, argv, i, *p, NULL, &v);
        if (r != 0)
            return r < 0 ? bad(err, len, "%s needs a value", a) : 0;
    }
    return bad(err, len, "unknown global option %s", a);
}

int oci_cli_parse(int argc, char **argv, struct oci_cli *c, char *err,
                  unsigned long len)
{
    const char *pos[2] = {NULL, NULL}, *name;
    int npos = 0, i;

    memset(c, 0, sizeof(*c));
    c->root = OCI_DEFAULT_ROOT;
    c->signal = SIGTERM;
    for (i = 1; i < argc && argv[i][0] == '-'; i++)
        if (global_option(argc, argv, &i, c, err, len) < 0)
            return -1;
    if (c->cmd == OCI_HELP || c->cmd == OCI_VERSION)
        return 0;
    if (i >= argc)
        return bad(err, len, "no command (%s)",
                   "create, start, state, kill, delete, list");
    for (size_t k = 0; k < sizeof(commands) / sizeof(commands[0]); k++)
        if (strcmp(argv[i], commands[k].name) == 0)
            c->cmd = commands[k].cmd;
    if (c->cmd == OCI_NONE)
        return bad(err, len, "unknown command %s", argv[i]);
    name = argv[i];
    if (c->cmd == OCI_HELP)
        return 0;
    for (i++; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) {
            for (i++; i < argc; i++) {
                if (npos == 2)
                    return bad(err, len, "unexpected argument %s", argv[i]);
                pos[npos++] = argv[i];
            }
            break;
        }
        if (argv[i][0] == '-' && argv[i][1] != '\0') {
            if (command_option(argc, argv, &i, c, err, len) < 0)
                return -1;
            continue;
        }
        if (npos == 2)
            return bad(err, len, "unexpected argument %s", argv[i]);
        pos[npos++] = argv[i];
    }
    if (c->cmd == OCI_LIST) {
        if (npos > 0)
            return bad(err, len, "list takes no argument, not %s", pos[0]);
        return 0;
    }
    if (npos == 0)
        return bad(err, len, "%s needs a container ID", name);
    if (!oci_id_valid(pos[0]))
        return bad(err, len, "bad container ID '%s' (letters, digits, _ + . -)",
                   pos[0]);
    c->id = pos[0];
    if (npos == 2) {
        if (c->cmd != OCI_KILL)
            return bad(err, len, "unexpected argument %s", pos[1]);
        c->signal = oci_signal_parse(pos[1]);
        if (c->signal < 0)
            return bad(err, len, "unknown signal %s", pos[1]);
    }
    return 0;
}

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "json.h"
#include "log.h"

static const char *log_path;
static int log_json;

void log_init(const char *path, int json)
{
    log_path = path;
    log_json = json;
}

void log_time(char *buf, unsigned long len)
{
    struct timespec ts;
    struct tm tm;
    char base[32];

    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf, len, "%s.%09ldZ", base, ts.tv_nsec);
}

void log_msg(const char *level, const char *fmt, ...)
{
    char msg[2048], when[64];
    va_list ap;
    FILE *f;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    fprintf(stderr, "tender-oci: %s\n", msg);
    if (log_path == NULL)
        return;
    f = fopen(log_path, "ae");
    if (f == NULL)
        return;
    log_time(when, sizeof(when));
    if (log_json) {
        fprintf(f, "{\"level\":\"%s\",\"msg\":", level);
        json_write_str(f, msg);
        fprintf(f, ",\"time\":\"%s\"}\n", when);
    } else {
        fprintf(f, "time=\"%s\" level=%s msg=", when, level);
        json_write_str(f, msg);
        fputc('\n', f);
    }
    fclose(f);
}

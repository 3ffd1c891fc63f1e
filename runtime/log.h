/*
 * tender-oci's error and warning lines: always on stderr, and with --log
 * appended to that file too, as text or, with --log-format json, as the
 * one-object-a-line JSON that containerd's shim reads back
 * ({"level":"error","msg":"...","time":"..."}).
 */
#ifndef TENDER_OCI_LOG_H
#define TENDER_OCI_LOG_H

void log_init(const char *path, int json);
__attribute__((format(printf, 2, 3))) void log_msg(const char *level,
                                                   const char *fmt, ...);
/* The time now as RFC 3339 (UTC, nanoseconds) into buf. */
void log_time(char *buf, unsigned long len);

#endif

/* Levelled logging for the daemon: stderr (with a timestamp) or syslog.
 * Never pass a password or a message body at info or above. */
#ifndef COBRO_LOG_H
#define COBRO_LOG_H

#include <stdbool.h>

enum log_level { LOG_ERROR, LOG_WARNING, LOG_INFO, LOG_DEBUG };

/* level is "error", "warning", "info" or "debug" (checked by the config). */
void log_open(const char *ident, const char *level, bool use_syslog);
void log_close(void);
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warning(...) log_msg(LOG_WARNING, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif

#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

static enum log_level threshold = LOG_INFO;
static bool to_syslog;
static const char *name = "cobro";

static const char *const level_names[] = { "error", "warning", "info", "debug" };
static const int syslog_priority[] = { LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG };

void log_open(const char *ident, const char *level, bool use_syslog)
{
	name = ident;
	for (int i = 0; i < 4; i++)
		if (level && strcmp(level, level_names[i]) == 0)
			threshold = (enum log_level)i;
	to_syslog = use_syslog;
	if (to_syslog)
		openlog(ident, LOG_PID, LOG_DAEMON);
}

void log_close(void)
{
	if (to_syslog)
		closelog();
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	if (level > threshold)
		return;
	va_start(ap, fmt);
	if (to_syslog) {
		vsyslog(syslog_priority[level], fmt, ap);
	} else {
		char stamp[32];
		time_t now = time(NULL);
		struct tm tm;

		strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
		fprintf(stderr, "%s %s %s: ", stamp, name, level_names[level]);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	}
	va_end(ap);
}

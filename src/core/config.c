#include "config.h"

#include <errno.h>
#include <libpq-fe.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

char *conf_find(const char *explicit_path, const char *name, char *err, size_t errlen)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	char *p;

	if (explicit_path) {
		struct stat st;

		if (stat(explicit_path, &st) != 0 || access(explicit_path, R_OK) != 0) {
			snprintf(err, errlen, "%s: %s", explicit_path, strerror(errno));
			return NULL;
		}
		if (S_ISDIR(st.st_mode)) {
			snprintf(err, errlen, "%s: %s", explicit_path, strerror(EISDIR));
			return NULL;
		}
		return xstrdup(explicit_path);
	}
	if (xdg && *xdg)
		p = xasprintf("%s/cobro/%s", xdg, name);
	else if (home && *home)
		p = xasprintf("%s/.config/cobro/%s", home, name);
	else
		p = NULL;
	if (p && access(p, R_OK) == 0)
		return p;
	free(p);
	p = xasprintf("/etc/cobro/%s", name);
	if (access(p, R_OK) == 0)
		return p;
	free(p);
	return NULL;
}

static void setting_path(const config_setting_t *s, char *out, size_t n)
{
	const char *names[32];
	int depth = 0;
	size_t len = 0;

	for (; s && config_setting_name(s) && depth < 32; s = config_setting_parent(s))
		names[depth++] = config_setting_name(s);
	out[0] = '\0';
	while (depth-- > 0) {
		int w = snprintf(out + len, n - len, "%s%s", len ? "." : "", names[depth]);
		if (w < 0 || (size_t)w >= n - len)
			break;
		len += (size_t)w;
	}
}

/* Whether a spec path matches a setting's path, name by name, where a "*"
 * in the spec stands for any one name. */
static bool spec_matches(const char *spec, const char *path)
{
	for (;;) {
		size_t sn = strcspn(spec, "."), pn = strcspn(path, ".");

		if (!(sn == 1 && spec[0] == '*') && (sn != pn || strncmp(spec, path, sn) != 0))
			return false;
		if (!spec[sn] || !path[pn])
			return !spec[sn] && !path[pn];
		spec += sn + 1;
		path += pn + 1;
	}
}

static const struct conf_spec *spec_lookup(const struct conf_spec *spec, const char *path)
{
	for (; spec->path; spec++)
		if (spec_matches(spec->path, path))
			return spec;
	return NULL;
}

static const char *type_name(enum conf_type t)
{
	switch (t) {
	case CONF_STRING: return "a string in double quotes";
	case CONF_INT: return "a whole number";
	case CONF_FLOAT: return "a number";
	case CONF_BOOL: return "true or false";
	case CONF_GROUP: return "a group { ... }";
	case CONF_STRINGS: return "a list of strings [ \"...\", ... ]";
	}
	return "?";
}

static bool type_fits(const config_setting_t *s, enum conf_type t)
{
	int st = config_setting_type(s);

	switch (t) {
	case CONF_STRING: return st == CONFIG_TYPE_STRING;
	case CONF_INT: return st == CONFIG_TYPE_INT || st == CONFIG_TYPE_INT64;
	case CONF_FLOAT: return st == CONFIG_TYPE_FLOAT || st == CONFIG_TYPE_INT || st == CONFIG_TYPE_INT64;
	case CONF_BOOL: return st == CONFIG_TYPE_BOOL;
	case CONF_GROUP: return st == CONFIG_TYPE_GROUP;
	case CONF_STRINGS:
		if (st != CONFIG_TYPE_ARRAY && st != CONFIG_TYPE_LIST)
			return false;
		for (int i = 0; i < config_setting_length(s); i++)
			if (config_setting_type(config_setting_get_elem(s, (unsigned)i)) != CONFIG_TYPE_STRING)
				return false;
		return true;
	}
	return false;
}

static bool check_setting(const config_setting_t *s, const struct conf_spec *spec, const char *file,
                          char *err, size_t errlen)
{
	char path[256];
	const struct conf_spec *sp;
	int line = (int)config_setting_source_line(s);

	setting_path(s, path, sizeof path);
	sp = spec_lookup(spec, path);
	if (!sp) {
		/* Moved to the database (006_priority.sql): say where it went. */
		if (!strcmp(path, "priority.dpd_decay"))
			snprintf(err, errlen,
			         "%s:%d: %s: is set in the database now, for everyone (cobroctl priority decay VALUE)",
			         file, line, path);
		else
			snprintf(err, errlen, "%s:%d: %s: unknown setting", file, line, path);
		return false;
	}
	if (!type_fits(s, sp->type)) {
		snprintf(err, errlen, "%s:%d: %s: must be %s", file, line, path, type_name(sp->type));
		return false;
	}
	if ((sp->type == CONF_INT || sp->type == CONF_FLOAT) && sp->min < sp->max) {
		double v = config_setting_type(s) == CONFIG_TYPE_FLOAT ? config_setting_get_float(s)
		                                                       : (double)config_setting_get_int64(s);
		if (v < sp->min || v > sp->max) {
			snprintf(err, errlen, "%s:%d: %s: %g is out of range (%g to %g)", file, line, path, v,
			         sp->min, sp->max);
			return false;
		}
	}
	if (sp->type == CONF_STRING && sp->choices) {
		const char *v = config_setting_get_string(s);
		const char *const *c;

		for (c = sp->choices; *c && strcmp(*c, v) != 0; c++)
			;
		if (!*c) {
			struct buf b = { 0 };

			for (c = sp->choices; *c; c++)
				buf_printf(&b, "%s\"%s\"", c == sp->choices ? "" : ", ", *c);
			snprintf(err, errlen, "%s:%d: %s: \"%s\" is not one of %s", file, line, path, v, b.s);
			buf_free(&b);
			return false;
		}
	}
	if (sp->type == CONF_GROUP)
		for (int i = 0; i < config_setting_length(s); i++)
			if (!check_setting(config_setting_get_elem(s, (unsigned)i), spec, file, err, errlen))
				return false;
	return true;
}

bool conf_parse(config_t *cf, const char *text, const char *name, const struct conf_spec *spec, char *err,
                size_t errlen)
{
	const config_setting_t *root;

	config_init(cf);
	if (!conf_numbers_check(text, name, err, errlen)) {
		config_destroy(cf);
		return false;
	}
	if (!config_read_string(cf, text)) {
		snprintf(err, errlen, "%s:%d: %s", name, config_error_line(cf), config_error_text(cf));
		config_destroy(cf);
		return false;
	}
	root = config_root_setting(cf);
	for (int i = 0; i < config_setting_length(root); i++)
		if (!check_setting(config_setting_get_elem(root, (unsigned)i), spec, name, err, errlen)) {
			config_destroy(cf);
			return false;
		}
	return true;
}

bool conf_read(config_t *cf, const char *path, const struct conf_spec *spec, char *err, size_t errlen)
{
	size_t len;
	char *text = read_text_file(path, &len, err, errlen);
	bool ok;

	if (!text || strlen(text) != len) {
		if (text)
			snprintf(err, errlen, "%s: a NUL byte at offset %zu; a configuration file is text", path,
			         strlen(text));
		free(text);
		/* As after every failure: destroyed, nothing for the caller to free. */
		config_init(cf);
		config_destroy(cf);
		return false;
	}
	ok = conf_parse(cf, text, path, spec, err, errlen);
	free(text);
	return ok;
}

/* Asks libpq itself, so URIs (postgresql://ana:secret@host) count too. */
static bool conninfo_has_password(const char *conninfo)
{
	PQconninfoOption *opts = PQconninfoParse(conninfo, NULL);
	bool has = false;

	if (!opts) /* not valid conninfo: err on the side of warning */
		return strstr(conninfo, "password") != NULL;
	for (const PQconninfoOption *o = opts; o->keyword; o++)
		if (strcmp(o->keyword, "password") == 0 && o->val && o->val[0])
			has = true;
	PQconninfoFree(opts);
	return has;
}

bool conf_password_exposed(const char *path, const char *conninfo, char *msg, size_t msglen)
{
	struct stat st;

	if (!path || !conninfo || !conninfo_has_password(conninfo))
		return false;
	if (stat(path, &st) != 0 || !(st.st_mode & (S_IRGRP | S_IROTH)))
		return false;
	snprintf(msg, msglen, "%s holds a password and others may read it (chmod 600 %s)", path, path);
	return true;
}

static char *get_str(const config_t *cf, const char *path, const char *def)
{
	const char *v;

	return xstrdup(config_lookup_string(cf, path, &v) ? v : def);
}

static double get_num(const config_t *cf, const char *path, double def)
{
	double d;
	long long ll;

	if (config_lookup_float(cf, path, &d))
		return d;
	if (config_lookup_int64(cf, path, &ll))
		return (double)ll;
	return def;
}

static bool get_bool(const config_t *cf, const char *path, bool def)
{
	int b;

	return config_lookup_bool(cf, path, &b) ? b != 0 : def;
}

/* ---------------------------------------------------------------- cobro.conf */
static const char *const languages[] = { "", "es", "en", NULL };
static const char *const log_levels[] = { "error", "warning", "info", "debug", NULL };

static const struct conf_spec cobro_spec[] = {
	{ "database", CONF_STRING },
	{ "user", CONF_STRING },
	{ "ui", CONF_GROUP },
	{ "ui.language", CONF_STRING, .choices = languages },
	{ "ui.color", CONF_BOOL },
	{ "priority", CONF_GROUP },
	{ "priority.callback_due", CONF_FLOAT, 0, 1e12 },
	{ "priority.promise_broken", CONF_FLOAT, 0, 1e12 },
	{ "priority.contact_cost", CONF_FLOAT, 0, 1e9 },
	{ "keys", CONF_GROUP },
	{ "keys.*", CONF_STRING },
	{ "sms", CONF_GROUP },
	{ "sms.max_segments", CONF_INT, 1, 10 },
	{ NULL },
};

bool cobro_conf_load(struct cobro_conf *c, const char *explicit_path, char *err, size_t errlen)
{
	config_t cf;
	bool have;

	memset(c, 0, sizeof *c);
	err[0] = '\0';
	c->path = conf_find(explicit_path, "cobro.conf", err, errlen);
	if (!c->path && err[0])
		return false;
	have = c->path != NULL;
	if (have && !conf_read(&cf, c->path, cobro_spec, err, errlen)) {
		free(c->path);
		c->path = NULL;
		return false;
	}
	if (!have)
		config_init(&cf);
	c->database = get_str(&cf, "database", "");
	c->user = config_lookup(&cf, "user") ? get_str(&cf, "user", "") : NULL;
	c->language = get_str(&cf, "ui.language", "");
	c->color = get_bool(&cf, "ui.color", true);
	c->sms_max_segments = (int)get_num(&cf, "sms.max_segments", SMS_MAX_SEGMENTS_DEFAULT);
	c->weights.callback_due = get_num(&cf, "priority.callback_due", 1e9);
	c->weights.promise_broken = get_num(&cf, "priority.promise_broken", 1e8);
	c->weights.contact_cost = get_num(&cf, "priority.contact_cost", 150);
	{
		config_setting_t *keys = config_lookup(&cf, "keys");
		int n = keys ? config_setting_length(keys) : 0;

		c->keys = n ? xcalloc((size_t)n, sizeof *c->keys) : NULL;
		for (int i = 0; i < n; i++) {
			config_setting_t *k = config_setting_get_elem(keys, (unsigned)i);

			c->keys[i].action = xstrdup(config_setting_name(k));
			c->keys[i].key = xstrdup(config_setting_get_string(k));
			c->keys[i].line = (int)config_setting_source_line(k);
		}
		c->nkeys = n;
	}
	config_destroy(&cf);
	return true;
}

void cobro_conf_free(struct cobro_conf *c)
{
	free(c->path);
	free(c->database);
	free(c->user);
	free(c->language);
	for (int i = 0; i < c->nkeys; i++) {
		free(c->keys[i].action);
		free(c->keys[i].key);
	}
	free(c->keys);
	memset(c, 0, sizeof *c);
}

/* --------------------------------------------------------------- cobrod.conf */
static const char *const transport_kinds[] = { "kannel", "http", "smtp", "whatsapp", NULL };
static const char *const http_methods[] = { "POST", "PUT", "GET", NULL };
static const char *const body_formats[] = { "form", "json", NULL };

const char *transport_kind_name(enum transport_kind k)
{
	return k < TRANSPORT__COUNT ? transport_kinds[k] : "?";
}

static const struct conf_spec cobrod_spec[] = {
	{ "database", CONF_STRING },
	{ "name", CONF_STRING },
	{ "log", CONF_GROUP },
	{ "log.level", CONF_STRING, .choices = log_levels },
	{ "log.syslog", CONF_BOOL },
	{ "transports", CONF_GROUP },
	{ "transports.*", CONF_GROUP },
	{ "transports.*.type", CONF_STRING, .choices = transport_kinds },
	{ "transports.*.url", CONF_STRING },
	{ "transports.*.timeout", CONF_FLOAT, 1, 600 },
	{ "transports.*.connect_timeout", CONF_FLOAT, 1, 600 },
	{ "transports.*.username", CONF_STRING },
	{ "transports.*.password", CONF_STRING },
	{ "transports.*.password_env", CONF_STRING },
	{ "transports.*.token", CONF_STRING },
	{ "transports.*.token_env", CONF_STRING },
	{ "transports.*.token_header", CONF_STRING },
	{ "transports.*.from", CONF_STRING },
	{ "transports.*.from_name", CONF_STRING },
	{ "transports.*.reply_to", CONF_STRING },
	{ "transports.*.dlr_url", CONF_STRING },
	{ "transports.*.dlr_mask", CONF_INT }, /* its bits: transport_check() */
	{ "transports.*.callback_secret", CONF_STRING },
	{ "transports.*.callback_secret_env", CONF_STRING },
	{ "transports.*.smsc", CONF_STRING },
	{ "transports.*.method", CONF_STRING, .choices = http_methods },
	{ "transports.*.format", CONF_STRING, .choices = body_formats },
	{ "transports.*.body", CONF_STRING },
	{ "transports.*.id_path", CONF_STRING },
	{ "transports.*.phone_number_id", CONF_STRING },
	{ "transports.*.message_id_domain", CONF_STRING },
	{ "transports.*.unsubscribe_url", CONF_STRING },
	{ "transports.*.unsubscribe_mailto", CONF_STRING },
	{ "transports.*.starttls", CONF_BOOL },
	{ "channels", CONF_GROUP },
	{ "channels.sms", CONF_GROUP },
	{ "channels.sms.transport", CONF_STRING },
	{ "channels.sms.rate", CONF_FLOAT, 0.01, 10000 },
	{ "channels.sms.max_segments", CONF_INT, 1, 10 },
	{ "channels.email", CONF_GROUP },
	{ "channels.email.transport", CONF_STRING },
	{ "channels.email.rate", CONF_FLOAT, 0.01, 10000 },
	{ "channels.whatsapp", CONF_GROUP },
	{ "channels.whatsapp.transport", CONF_STRING },
	{ "channels.whatsapp.rate", CONF_FLOAT, 0.01, 10000 },
	{ "outbox", CONF_GROUP },
	{ "outbox.max_attempts", CONF_INT, 1, 100 },
	{ "outbox.backoff_base", CONF_FLOAT, 1, 86400 },
	{ "outbox.backoff_max", CONF_FLOAT, 1, 604800 },
	{ "outbox.lease", CONF_INT, 10, 86400 },
	{ "outbox.late_after", CONF_INT, 1, 604800 },
	{ "outbox.parallel", CONF_INT, 1, 1000 },
	{ "promises", CONF_GROUP },
	{ "promises.evaluate_every", CONF_INT, 0, 86400 },
	{ "strategy", CONF_GROUP },
	{ "strategy.enabled", CONF_BOOL },
	/* STRATEGY_FACTS_JOBS_MAX (strategy_store.h) at most. */
	{ "strategy.jobs", CONF_INT, 1, 16 },
	{ "listen", CONF_GROUP },
	{ "listen.address", CONF_STRING },
	{ "listen.port", CONF_INT, 0, 65535 },
	{ "tls", CONF_GROUP },
	{ "tls.ca_file", CONF_STRING },
	{ "tls.insecure_hosts", CONF_STRINGS },
	{ NULL },
};

/* Which kinds of transport take each setting: the spec above accepts the
 * union, and a setting of another kind is a mistake worth naming. */
#define KANNEL (1u << TRANSPORT_KANNEL)
#define HTTP (1u << TRANSPORT_HTTP)
#define SMTP (1u << TRANSPORT_SMTP)
#define WHATSAPP (1u << TRANSPORT_WHATSAPP)
#define ANY (KANNEL | HTTP | SMTP | WHATSAPP)

static const struct {
	const char *name;
	unsigned kinds;
} transport_settings[] = {
	{ "type", ANY },
	{ "url", ANY },
	{ "timeout", ANY },
	{ "connect_timeout", ANY },
	{ "username", KANNEL | HTTP | SMTP },
	{ "password", KANNEL | HTTP | SMTP },
	{ "password_env", KANNEL | HTTP | SMTP },
	{ "token", HTTP | WHATSAPP },
	{ "token_env", HTTP | WHATSAPP },
	{ "token_header", HTTP },
	{ "from", KANNEL | HTTP | SMTP },
	{ "from_name", SMTP },
	{ "reply_to", SMTP },
	{ "dlr_url", KANNEL },
	{ "dlr_mask", KANNEL },
	{ "callback_secret", KANNEL | WHATSAPP },
	{ "callback_secret_env", KANNEL | WHATSAPP },
	{ "smsc", KANNEL },
	{ "method", HTTP },
	{ "format", HTTP },
	{ "body", HTTP },
	{ "id_path", HTTP },
	{ "phone_number_id", WHATSAPP },
	{ "message_id_domain", SMTP },
	{ "unsubscribe_url", SMTP },
	{ "unsubscribe_mailto", SMTP },
	{ "starttls", SMTP },
};

/* The kinds that may send on a channel; the first ones are those a channel
 * without a transport named falls back to, when there is exactly one. */
static const struct {
	enum channel channel;
	unsigned may, guess;
} channel_kinds[] = {
	{ CH_SMS, KANNEL | HTTP, KANNEL | HTTP },
	{ CH_EMAIL, SMTP, SMTP },
	{ CH_WHATSAPP, WHATSAPP | HTTP, WHATSAPP },
};

/* "an http transport", "an smtp transport", "a kannel transport" */
static const char *article(enum transport_kind k)
{
	return k == TRANSPORT_HTTP || k == TRANSPORT_SMTP ? "an" : "a";
}

/* Fills err with "FILE:LINE: setting: what" and returns false. */
__attribute__((format(printf, 5, 6))) static bool conf_fail(char *err, size_t errlen, const char *file, int line,
							   const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(err, errlen, "%s:%d: ", file, line);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < errlen)
		vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return false;
}

static char *member_str(const config_setting_t *g, const char *name, int *line)
{
	const config_setting_t *s = config_setting_get_member(g, name);

	if (!s)
		return NULL;
	if (line)
		*line = (int)config_setting_source_line(s);
	return xstrdup(config_setting_get_string(s));
}

static int member_line(const config_setting_t *g, const char *name)
{
	const config_setting_t *s = config_setting_get_member(g, name);

	return s ? (int)config_setting_source_line(s) : (int)config_setting_source_line(g);
}

static double member_num(const config_setting_t *g, const char *name, double def)
{
	const config_setting_t *s = config_setting_get_member(g, name);

	if (!s)
		return def;
	return config_setting_type(s) == CONFIG_TYPE_FLOAT ? config_setting_get_float(s)
	                                                   : (double)config_setting_get_int64(s);
}

static bool env_name_valid(const char *s)
{
	if (!*s || (*s >= '0' && *s <= '9'))
		return false;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

/* A secret given in the file as NAME, or in the environment variable that
 * NAME_env names: not both. *out stays NULL when neither is given. */
static bool load_secret(const config_setting_t *g, const char *name, const char *file, const char *where,
                        char **out, bool *in_file, char *err, size_t errlen)
{
	char env_name[64];
	int line = 0;
	char *var;

	snprintf(env_name, sizeof env_name, "%s_env", name);
	var = member_str(g, env_name, &line);
	*out = member_str(g, name, NULL);
	if (*out && var) {
		free(var);
		return conf_fail(err, errlen, file, line, "%s.%s: give %s or %s, not both", where, env_name, name,
		                 env_name);
	}
	if (*out) {
		*in_file = true;
		return true;
	}
	if (!var)
		return true;
	if (!env_name_valid(var)) {
		conf_fail(err, errlen, file, line, "%s.%s: \"%s\" is not an environment variable's name", where,
		          env_name, var);
		free(var);
		return false;
	}
	if (!getenv(var) || !*getenv(var)) {
		conf_fail(err, errlen, file, line, "%s.%s: %s is not set in the environment", where, env_name, var);
		free(var);
		return false;
	}
	*out = xstrdup(getenv(var));
	free(var);
	return true;
}

/* "password" or "password_env", whichever the group holds. */
static const char *secret_given(const config_setting_t *g, const char *name)
{
	if (config_setting_get_member(g, name))
		return name;
	return strcmp(name, "password") == 0 ? "password_env" : strcmp(name, "token") == 0 ? "token_env" : "callback_secret_env";
}

static bool has_prefix(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

/* A callback secret goes into URLs as it is: long enough not to be guessed,
 * and nothing a URL would need to escape. */
#define CALLBACK_SECRET_MIN 16
#define CALLBACK_SECRET_MAX 128

static bool callback_secret_valid(const char *s)
{
	size_t n = strlen(s);

	if (n < CALLBACK_SECRET_MIN || n > CALLBACK_SECRET_MAX)
		return false;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' ||
		      *s == '_' || *s == '.' || *s == '~'))
			return false;
	return true;
}

static bool load_transport(const config_setting_t *g, struct transport *t, const char *file, bool *in_file,
                           bool *callback_in_file, char *err, size_t errlen)
{
	char where[128];
	const char *v;
	unsigned bit;
	int n = config_setting_length(g), tls;

	t->name = xstrdup(config_setting_name(g));
	t->line = (int)config_setting_source_line(g);
	snprintf(where, sizeof where, "transports.%s", t->name);
	if (!config_setting_lookup_string(g, "type", &v))
		return conf_fail(err, errlen, file, t->line, "%s.type: required: \"kannel\", \"http\", \"smtp\" or \"whatsapp\"",
		                 where);
	for (int k = 0; k < TRANSPORT__COUNT; k++)
		if (strcmp(v, transport_kinds[k]) == 0)
			t->kind = (enum transport_kind)k;
	bit = 1u << t->kind;
	for (int i = 0; i < n; i++) {
		const config_setting_t *s = config_setting_get_elem(g, (unsigned)i);
		size_t j;

		for (j = 0; j < ARRAY_SIZE(transport_settings); j++)
			if (strcmp(transport_settings[j].name, config_setting_name(s)) == 0)
				break;
		if (j < ARRAY_SIZE(transport_settings) && !(transport_settings[j].kinds & bit))
			return conf_fail(err, errlen, file, (int)config_setting_source_line(s),
			                 "%s.%s: not a setting of %s %s transport", where, config_setting_name(s),
			                 article(t->kind), transport_kind_name(t->kind));
	}

	t->url = member_str(g, "url", &t->at.url);
	t->username = member_str(g, "username", NULL);
	t->token_header = member_str(g, "token_header", NULL);
	t->from = member_str(g, "from", &t->at.from);
	t->from_name = member_str(g, "from_name", NULL);
	t->reply_to = member_str(g, "reply_to", &t->at.reply_to);
	t->dlr_url = member_str(g, "dlr_url", &t->at.dlr_url);
	if (config_setting_get_member(g, "dlr_mask")) {
		double m = member_num(g, "dlr_mask", 0);

		/* Out of int's range is as wrong as 0 or 32: -1 lets the check say so. */
		t->dlr_mask = m >= 0 && m <= 255 ? (int)m : -1;
		t->at.dlr_mask = member_line(g, "dlr_mask");
	}
	t->smsc = member_str(g, "smsc", NULL);
	t->method = member_str(g, "method", NULL);
	t->body = member_str(g, "body", &t->at.body);
	t->id_path = member_str(g, "id_path", &t->at.id_path);
	t->phone_number_id = member_str(g, "phone_number_id", &t->at.phone_number_id);
	t->message_id_domain = member_str(g, "message_id_domain", &t->at.message_id_domain);
	t->unsubscribe_url = member_str(g, "unsubscribe_url", &t->at.unsubscribe_url);
	t->unsubscribe_mailto = member_str(g, "unsubscribe_mailto", &t->at.unsubscribe_mailto);
	t->timeout = member_num(g, "timeout", 30);
	t->connect_timeout = member_num(g, "connect_timeout", 10);
	t->starttls = !config_setting_lookup_bool(g, "starttls", &tls) || tls;
	t->json = config_setting_lookup_string(g, "format", &v) && strcmp(v, "json") == 0;
	if (t->kind == TRANSPORT_HTTP && !t->method)
		t->method = xstrdup("POST");

	if (!load_secret(g, "password", file, where, &t->password, in_file, err, errlen) ||
	    !load_secret(g, "token", file, where, &t->token, in_file, err, errlen) ||
	    !load_secret(g, "callback_secret", file, where, &t->callback_secret, callback_in_file, err, errlen))
		return false;
	if (config_setting_get_member(g, "callback_secret"))
		t->at.callback_secret = member_line(g, "callback_secret");
	if (t->callback_secret && !callback_secret_valid(t->callback_secret))
		return conf_fail(err, errlen, file, member_line(g, secret_given(g, "callback_secret")),
		                 "%s.%s: %d to %d characters of A-Z a-z 0-9 - _ . ~ (e.g. openssl rand -hex 24)",
		                 where, secret_given(g, "callback_secret"), CALLBACK_SECRET_MIN, CALLBACK_SECRET_MAX);

	if (!t->url)
		return conf_fail(err, errlen, file, t->line, "%s.url: required", where);
	if (t->kind == TRANSPORT_SMTP ? !has_prefix(t->url, "smtp://") && !has_prefix(t->url, "smtps://")
	                              : !has_prefix(t->url, "http://") && !has_prefix(t->url, "https://"))
		return conf_fail(err, errlen, file, t->at.url, "%s.url: must start with %s", where,
		                 t->kind == TRANSPORT_SMTP ? "smtp:// or smtps://" : "http:// or https://");
	if (t->connect_timeout > t->timeout)
		return conf_fail(err, errlen, file, member_line(g, "connect_timeout"),
		                 "%s.connect_timeout: %g is longer than timeout (%g)", where, t->connect_timeout,
		                 t->timeout);
	if (t->password && !t->username)
		return conf_fail(err, errlen, file, member_line(g, secret_given(g, "password")), "%s.%s: needs username",
		                 where, secret_given(g, "password"));
	switch (t->kind) {
	case TRANSPORT_KANNEL:
		if (!t->username)
			return conf_fail(err, errlen, file, t->line, "%s.username: required", where);
		if (!t->password)
			return conf_fail(err, errlen, file, t->line, "%s.password: required (or password_env)", where);
		break;
	case TRANSPORT_HTTP:
		if (t->username && !t->password)
			return conf_fail(err, errlen, file, member_line(g, "username"),
			                 "%s.username: needs password (or password_env)", where);
		if (t->username && t->token)
			return conf_fail(err, errlen, file, member_line(g, secret_given(g, "token")),
			                 "%s.%s: basic (username) or bearer (token) authentication, not both", where,
			                 secret_given(g, "token"));
		if (t->token_header && !t->token)
			return conf_fail(err, errlen, file, member_line(g, "token_header"),
			                 "%s.token_header: needs token (or token_env)", where);
		if (strcmp(t->method, "GET") == 0 && t->body)
			return conf_fail(err, errlen, file, t->at.body,
			                 "%s.body: not sent with method GET: put the parameters in url", where);
		if (strcmp(t->method, "GET") != 0 && !t->body)
			return conf_fail(err, errlen, file, t->line, "%s.body: required with method %s", where,
			                 t->method);
		break;
	case TRANSPORT_SMTP:
		if (!t->from)
			return conf_fail(err, errlen, file, t->line, "%s.from: required", where);
		if (t->username && !t->password)
			return conf_fail(err, errlen, file, member_line(g, "username"),
			                 "%s.username: needs password (or password_env)", where);
		break;
	case TRANSPORT_WHATSAPP:
		if (!t->phone_number_id)
			return conf_fail(err, errlen, file, t->line, "%s.phone_number_id: required", where);
		if (!t->token)
			return conf_fail(err, errlen, file, t->line, "%s.token: required (or token_env)", where);
		break;
	case TRANSPORT__COUNT:
		break;
	}
	return true;
}

static void transport_free(struct transport *t)
{
	char **strs[] = { &t->name, &t->url, &t->username, &t->password, &t->token, &t->token_header,
		          &t->from, &t->from_name, &t->reply_to, &t->dlr_url, &t->smsc, &t->method,
		          &t->body, &t->id_path, &t->phone_number_id, &t->message_id_domain,
		          &t->unsubscribe_url, &t->unsubscribe_mailto, &t->callback_secret };

	for (size_t i = 0; i < ARRAY_SIZE(strs); i++) {
		/* Secrets do not linger in freed memory. */
		if (*strs[i] && (strs[i] == &t->password || strs[i] == &t->token || strs[i] == &t->callback_secret))
			explicit_bzero(*strs[i], strlen(*strs[i]));
		free(*strs[i]);
	}
	memset(t, 0, sizeof *t);
}

const struct transport *cobrod_conf_transport(const struct cobrod_conf *c, const char *name)
{
	for (int i = 0; i < c->ntransports; i++)
		if (strcmp(c->transports[i].name, name) == 0)
			return &c->transports[i];
	return NULL;
}

static bool load_channels(const config_t *cf, struct cobrod_conf *c, char *err, size_t errlen)
{
	const config_setting_t *transports = config_lookup(cf, "transports");
	int fallback_line = transports ? (int)config_setting_source_line(transports) : 0;

	for (size_t i = 0; i < ARRAY_SIZE(channel_kinds); i++) {
		enum channel ch = channel_kinds[i].channel;
		char path[64];
		const config_setting_t *g, *s;
		struct channel_conf *cc = &c->channels[ch];

		snprintf(path, sizeof path, "channels.%s", channel_name(ch));
		g = config_lookup(cf, path);
		cc->rate = g ? member_num(g, "rate", 10) : 10;
		cc->max_segments = g ? (int)member_num(g, "max_segments", SMS_MAX_SEGMENTS_DEFAULT) : SMS_MAX_SEGMENTS_DEFAULT;
		s = g ? config_setting_get_member(g, "transport") : NULL;
		if (s) {
			const char *name = config_setting_get_string(s);
			const struct transport *t = cobrod_conf_transport(c, name);
			int line = (int)config_setting_source_line(s);

			if (!t)
				return conf_fail(err, errlen, c->path, line, "%s.transport: no transport named \"%s\"", path,
				                 name);
			if (!(channel_kinds[i].may & (1u << t->kind)))
				return conf_fail(err, errlen, c->path, line,
				                 "%s.transport: \"%s\" is %s %s transport, which cannot send %s", path,
				                 name, article(t->kind), transport_kind_name(t->kind), channel_name(ch));
			cc->transport = t;
			continue;
		}
		/* Unnamed: the one transport of a kind made for this channel. */
		for (int k = 0; k < c->ntransports; k++) {
			const struct transport *t = &c->transports[k];

			if (!(channel_kinds[i].guess & (1u << t->kind)))
				continue;
			if (cc->transport)
				return conf_fail(err, errlen, c->path, g ? (int)config_setting_source_line(g) : fallback_line,
				                 "%s.transport: required, as \"%s\" and \"%s\" can both send %s", path,
				                 cc->transport->name, t->name, channel_name(ch));
			cc->transport = t;
		}
	}
	return true;
}

static bool load_cobrod(config_t *cf, struct cobrod_conf *c, char *err, size_t errlen)
{
	const config_setting_t *transports = config_lookup(cf, "transports");
	const config_setting_t *hosts = config_lookup(cf, "tls.insecure_hosts");

	c->database = get_str(cf, "database", "");
	c->log_level = get_str(cf, "log.level", "info");
	c->syslog = get_bool(cf, "log.syslog", false);
	c->name = config_lookup(cf, "name") ? get_str(cf, "name", "") : NULL;
	c->max_attempts = (int)get_num(cf, "outbox.max_attempts", 6);
	c->backoff_base = get_num(cf, "outbox.backoff_base", 30);
	c->backoff_max = get_num(cf, "outbox.backoff_max", 3600);
	c->lease = (int)get_num(cf, "outbox.lease", 300);
	c->late_after = (int)get_num(cf, "outbox.late_after", 900);
	c->parallel = (int)get_num(cf, "outbox.parallel", 8);
	c->evaluate_every = (int)get_num(cf, "promises.evaluate_every", 600);
	c->strategy_enabled = get_bool(cf, "strategy.enabled", true);
	c->strategy_jobs = (int)get_num(cf, "strategy.jobs", 2);
	c->listen_address = get_str(cf, "listen.address", "127.0.0.1");
	c->listen_port = (int)get_num(cf, "listen.port", 0);
	c->ca_file = config_lookup(cf, "tls.ca_file") ? get_str(cf, "tls.ca_file", "") : NULL;
	if (hosts && config_setting_length(hosts) > 0) {
		c->ninsecure_hosts = config_setting_length(hosts);
		c->insecure_hosts = xcalloc((size_t)c->ninsecure_hosts, sizeof *c->insecure_hosts);
		for (int i = 0; i < c->ninsecure_hosts; i++)
			c->insecure_hosts[i] = xstrdup(config_setting_get_string_elem(hosts, (unsigned)i));
	}
	if (c->backoff_max < c->backoff_base) {
		const config_setting_t *max = config_lookup(cf, "outbox.backoff_max");

		if (max)
			return conf_fail(err, errlen, c->path, (int)config_setting_source_line(max),
			                 "outbox.backoff_max: %g is shorter than outbox.backoff_base (%g)", c->backoff_max,
			                 c->backoff_base);
		return conf_fail(err, errlen, c->path,
		                 (int)config_setting_source_line(config_lookup(cf, "outbox.backoff_base")),
		                 "outbox.backoff_base: %g is longer than outbox.backoff_max (%g by default)",
		                 c->backoff_base, c->backoff_max);
	}
	if (transports && config_setting_length(transports) > 0) {
		int n = config_setting_length(transports);

		c->transports = xcalloc((size_t)n, sizeof *c->transports);
		for (int i = 0; i < n; i++) {
			c->ntransports = i + 1;
			if (!load_transport(config_setting_get_elem(transports, (unsigned)i), &c->transports[i], c->path,
			                    &c->secret_in_file, &c->callback_in_file, err, errlen))
				return false;
		}
	}
	if (c->callback_in_file && c->path) {
		struct stat st;
		int line = 0;

		for (int i = 0; i < c->ntransports && !line; i++)
			line = c->transports[i].at.callback_secret;

		/* Whoever reads it can speak for the gateway: opt numbers out,
		 * write replies into debtors' histories, mark messages delivered. */
		if (stat(c->path, &st) != 0 || (st.st_mode & (S_IRWXG | S_IRWXO)))
			return conf_fail(err, errlen, c->path, line,
			                 "callback_secret: in a file that is not private to its owner (chmod 600 %s)", c->path);
	}
	return load_channels(cf, c, err, errlen);
}

bool cobrod_conf_load(struct cobrod_conf *c, const char *explicit_path, char *err, size_t errlen)
{
	config_t cf;
	bool have, ok;

	memset(c, 0, sizeof *c);
	err[0] = '\0';
	c->path = conf_find(explicit_path, "cobrod.conf", err, errlen);
	if (!c->path && err[0])
		return false;
	have = c->path != NULL;
	if (have && !conf_read(&cf, c->path, cobrod_spec, err, errlen)) {
		free(c->path);
		c->path = NULL;
		return false;
	}
	if (!have)
		config_init(&cf);
	ok = load_cobrod(&cf, c, err, errlen);
	config_destroy(&cf);
	if (!ok)
		cobrod_conf_free(c);
	return ok;
}

void cobrod_conf_free(struct cobrod_conf *c)
{
	free(c->path);
	free(c->database);
	free(c->log_level);
	free(c->name);
	for (int i = 0; i < c->ntransports; i++)
		transport_free(&c->transports[i]);
	free(c->transports);
	free(c->listen_address);
	free(c->ca_file);
	for (int i = 0; i < c->ninsecure_hosts; i++)
		free(c->insecure_hosts[i]);
	free(c->insecure_hosts);
	memset(c, 0, sizeof *c);
}

bool cobrod_conf_exposed(const struct cobrod_conf *c, char *msg, size_t msglen)
{
	struct stat st;

	if (conf_password_exposed(c->path, c->database, msg, msglen))
		return true;
	if (!c->path || !c->secret_in_file || stat(c->path, &st) != 0 || !(st.st_mode & (S_IRGRP | S_IROTH)))
		return false;
	snprintf(msg, msglen, "%s holds a password and others may read it (chmod 600 %s)", c->path, c->path);
	return true;
}

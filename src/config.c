#include "config.h"

#include <errno.h>
#include <libpq-fe.h>
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

static const struct conf_spec *spec_lookup(const struct conf_spec *spec, const char *path)
{
	for (; spec->path; spec++) {
		size_t n = strlen(spec->path);

		if (strcmp(spec->path, path) == 0)
			return spec;
		if (n > 2 && strcmp(spec->path + n - 2, ".*") == 0 &&
		    strncmp(spec->path, path, n - 1) == 0 && !strchr(path + n - 1, '.'))
			return spec;
	}
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

bool conf_read(config_t *cf, const char *path, const struct conf_spec *spec, char *err, size_t errlen)
{
	const config_setting_t *root;

	config_init(cf);
	errno = 0;
	if (!config_read_file(cf, path)) {
		if (config_error_type(cf) == CONFIG_ERR_FILE_IO)
			snprintf(err, errlen, "%s: %s", path, strerror(errno ? errno : EIO));
		else
			snprintf(err, errlen, "%s:%d: %s", config_error_file(cf) ? config_error_file(cf) : path,
			         config_error_line(cf), config_error_text(cf));
		config_destroy(cf);
		return false;
	}
	root = config_root_setting(cf);
	for (int i = 0; i < config_setting_length(root); i++)
		if (!check_setting(config_setting_get_elem(root, (unsigned)i), spec, path, err, errlen)) {
			config_destroy(cf);
			return false;
		}
	return true;
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
	{ "priority.dpd_decay", CONF_FLOAT, 0, 1 },
	{ "keys", CONF_GROUP },
	{ "keys.*", CONF_STRING },
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
	c->weights.callback_due = get_num(&cf, "priority.callback_due", 1e9);
	c->weights.promise_broken = get_num(&cf, "priority.promise_broken", 1e8);
	c->weights.contact_cost = get_num(&cf, "priority.contact_cost", 150);
	c->weights.dpd_decay = get_num(&cf, "priority.dpd_decay", 0.08);
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
static const struct conf_spec cobrod_spec[] = {
	{ "database", CONF_STRING },
	{ "name", CONF_STRING },
	{ "log", CONF_GROUP },
	{ "log.level", CONF_STRING, .choices = log_levels },
	{ "log.syslog", CONF_BOOL },
	{ NULL },
};

bool cobrod_conf_load(struct cobrod_conf *c, const char *explicit_path, char *err, size_t errlen)
{
	config_t cf;
	bool have;

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
	c->database = get_str(&cf, "database", "");
	c->log_level = get_str(&cf, "log.level", "info");
	c->syslog = get_bool(&cf, "log.syslog", false);
	c->name = config_lookup(&cf, "name") ? get_str(&cf, "name", "") : NULL;
	config_destroy(&cf);
	return true;
}

void cobrod_conf_free(struct cobrod_conf *c)
{
	free(c->path);
	free(c->database);
	free(c->log_level);
	free(c->name);
	memset(c, 0, sizeof *c);
}

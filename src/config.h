/* Configuration files (libconfig), checked against a table of known settings so
 * that a typo stops the program with FILE:LINE: setting: what is wrong. */
#ifndef COBRO_CONFIG_H
#define COBRO_CONFIG_H

#include <libconfig.h>
#include <stdbool.h>
#include <stddef.h>

enum conf_type { CONF_STRING, CONF_INT, CONF_FLOAT, CONF_BOOL, CONF_GROUP };

/* One known setting. path is dotted ("ui.language"); a path ending in ".*"
 * accepts any name below that group (the key bindings). */
struct conf_spec {
	const char *path;
	enum conf_type type;
	double min, max;                /* for numbers; min == max means no range */
	const char *const *choices;     /* for strings: NULL-terminated, or NULL */
};

/* Finds the file: explicit (which must exist), else $XDG_CONFIG_HOME/cobro/NAME
 * (~/.config when unset), else /etc/cobro/NAME. Returns a new string, or NULL
 * when there is none and the defaults apply. */
char *conf_find(const char *explicit_path, const char *name, char *err, size_t errlen);

/* Reads and checks path against spec. On error fills err with
 * "FILE:LINE: setting: what is wrong" and returns false. */
bool conf_read(config_t *cf, const char *path, const struct conf_spec *spec, char *err, size_t errlen);

/* A file that holds a password should be readable by its owner only.
 * Returns true (and fills msg) when it is not. */
bool conf_password_exposed(const char *path, const char *conninfo, char *msg, size_t msglen);

/* ---------------------------------------------------------------- cobro.conf */
struct priority_weights {
	double callback_due;     /* a callback due now */
	double promise_broken;   /* a promise broken or due today */
	double contact_cost;     /* minor units subtracted from the expected value */
	double dpd_decay;        /* p(pay) falls by this share per 30 days past due */
};

/* keys = { refresh = "R"; } rebinds an action; checked by the workstation. */
struct conf_key {
	char *action;
	char *key;
	int line;
};

struct cobro_conf {
	char *path;              /* the file read, or NULL */
	char *database;          /* conninfo; "" means libpq defaults */
	char *user;              /* login; NULL means the conninfo's or libpq's */
	char *language;          /* "es", "en" or "" for the locale's */
	bool color;
	struct priority_weights weights;
	struct conf_key *keys;
	int nkeys;
};

bool cobro_conf_load(struct cobro_conf *c, const char *explicit_path, char *err, size_t errlen);
void cobro_conf_free(struct cobro_conf *c);

/* --------------------------------------------------------------- cobrod.conf */
struct cobrod_conf {
	char *path;
	char *database;
	char *log_level;         /* error, warning, info, debug */
	bool syslog;
	char *name;              /* this daemon's name in claims; default host:pid */
};

bool cobrod_conf_load(struct cobrod_conf *c, const char *explicit_path, char *err, size_t errlen);
void cobrod_conf_free(struct cobrod_conf *c);

#endif

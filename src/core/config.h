/* Configuration files (libconfig), checked against a table of known settings so
 * that a typo stops the program with FILE:LINE: setting: what is wrong. */
#ifndef COBRO_CONFIG_H
#define COBRO_CONFIG_H

#include <libconfig.h>
#include <stdbool.h>

#include "confnum.h"
#include <stddef.h>

#include "policy.h"

/* CONF_STRINGS: an array or list of strings, ["a", "b"]. */
enum conf_type { CONF_STRING, CONF_INT, CONF_FLOAT, CONF_BOOL, CONF_GROUP, CONF_STRINGS };

/* One known setting. path is dotted ("ui.language"); a "*" between the dots
 * accepts any one name there: "keys.*" for the key bindings,
 * "transports.*.url" for the transports, which the person names. */
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
/* The same for text already read; name is the file's name for messages. */
bool conf_parse(config_t *cf, const char *text, const char *name, const struct conf_spec *spec, char *err,
                size_t errlen);


/* A file that holds a password should be readable by its owner only.
 * Returns true (and fills msg) when it is not. */
bool conf_password_exposed(const char *path, const char *conninfo, char *msg, size_t msglen);

/* An SMS longer than this many segments is refused unless the configuration
 * says otherwise (sms.max_segments, channels.sms.max_segments): each segment
 * is paid for, and Kannel cuts longer texts silently. */
#define SMS_MAX_SEGMENTS_DEFAULT 3

/* ---------------------------------------------------------------- cobro.conf */
struct priority_weights {
	double callback_due;     /* a callback due now */
	double promise_broken;   /* a promise broken or due today */
	double contact_cost;     /* minor units subtracted from the expected value */
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
	int sms_max_segments;    /* the longest SMS the send screen queues */
	struct priority_weights weights;
	struct conf_key *keys;
	int nkeys;
};

bool cobro_conf_load(struct cobro_conf *c, const char *explicit_path, char *err, size_t errlen);
void cobro_conf_free(struct cobro_conf *c);

/* --------------------------------------------------------------- cobrod.conf */

/* How cobrod sends on a channel; the behaviour is in transport.c. */
enum transport_kind {
	TRANSPORT_KANNEL,   /* Kannel's HTTP sendsms */
	TRANSPORT_HTTP,     /* an HTTP SMS gateway described by templates */
	TRANSPORT_SMTP,     /* email over SMTP (STARTTLS) or SMTPS */
	TRANSPORT_WHATSAPP, /* an HTTP JSON API shaped like the WhatsApp Cloud API */
	TRANSPORT__COUNT
};

const char *transport_kind_name(enum transport_kind k);

/* Kannel's dlr-mask bits: 1 delivered, 2 undelivered, 4 buffered, 8 smsc
 * success, 16 smsc reject. Every report by default; cobrod needs 1 and 2 to
 * learn a message's outcome. */
#define TRANSPORT_DLR_MASK_DEFAULT 31
#define TRANSPORT_DLR_MASK_NEEDED 3

/* Where a setting of a transport stood, for transport_check()'s messages;
 * 0 when it was not given. */
struct transport_lines {
	int url, from, reply_to, body, id_path, dlr_url, dlr_mask, message_id_domain, unsubscribe_url,
	    unsubscribe_mailto, phone_number_id,
	    callback_secret; /* only when given in the file itself */
};

/* One group of transports = { NAME = { type = ...; ... }; }. Strings not
 * given are NULL, except url. Secrets are held here once read, from the file
 * or from the environment variable the file names. */
struct transport {
	char *name;
	enum transport_kind kind;
	int line;                 /* where the group starts */
	char *url;                /* kannel: sendsms; http: may hold {to} {id} ...;
	                             smtp: smtp:// or smtps://; whatsapp: the API base */
	char *username;           /* kannel, smtp AUTH, http basic */
	char *password;
	char *token;              /* http and whatsapp: bearer token */
	char *token_header;       /* http: send "NAME: TOKEN" instead of Authorization: Bearer */
	char *from;               /* kannel, http: sender id; smtp: From and MAIL FROM address */
	char *from_name;          /* smtp */
	char *reply_to;           /* smtp */
	char *dlr_url;            /* kannel: delivery reports go to this URL plus our id */
	int dlr_mask;             /* kannel: which reports Kannel sends (its dlr-mask bits);
	                             0 = not given: TRANSPORT_DLR_MASK_DEFAULT */
	char *callback_secret;    /* kannel: what its calls to cobrod's listener carry as key= */
	char *smsc;               /* kannel: smsc-id to route through */
	char *method;             /* http: "POST", "PUT" or "GET" */
	bool json;                /* http: body is a JSON template (else a form) */
	char *body;               /* http: the body template */
	char *id_path;            /* http: dotted path to the provider's id in a JSON answer */
	char *phone_number_id;    /* whatsapp */
	char *message_id_domain;  /* smtp: NULL means the domain of from */
	char *unsubscribe_url;    /* smtp: List-Unsubscribe URL, may hold {id} {key} */
	char *unsubscribe_mailto; /* smtp */
	bool starttls;            /* smtp:// only: require STARTTLS */
	double timeout;           /* seconds for the whole request */
	double connect_timeout;   /* seconds to connect */
	struct transport_lines at;
};

/* What cobrod does per channel. */
struct channel_conf {
	const struct transport *transport; /* NULL: cobrod does not send on it */
	double rate;                       /* at most this many messages a second */
	int max_segments;                  /* sms: the longest text sent, in segments */
};

struct cobrod_conf {
	char *path;
	char *database;
	char *log_level;         /* error, warning, info, debug */
	bool syslog;
	char *name;              /* this daemon's name in claims; default host:pid */

	struct transport *transports;
	int ntransports;
	struct channel_conf channels[CH__COUNT]; /* used: CH_SMS, CH_EMAIL, CH_WHATSAPP */

	int max_attempts;        /* a message fails after this many */
	double backoff_base;     /* seconds before the first retry, doubling after */
	double backoff_max;      /* the longest wait between retries */
	int lease;               /* seconds a claim holds a message */
	int late_after;          /* seconds queued after which a message is late: logged, and so shown */
	int parallel;            /* transfers in flight at once */
	int evaluate_every;      /* seconds between the promise keeper's runs; 0: never */
	bool strategy_enabled;   /* this cobrod runs each day's strategies (segments, ladders) */
	int strategy_jobs;       /* connections its run reads the facts over at once */

	char *listen_address;    /* delivery reports and inbound replies */
	int listen_port;         /* 0: cobrod does not listen */

	char *ca_file;           /* NULL: the system's CA certificates */
	char **insecure_hosts;   /* hosts whose TLS certificate is not checked */
	int ninsecure_hosts;

	bool secret_in_file;     /* a transport's password or token is in the file */
	bool callback_in_file;   /* a transport's callback_secret is in the file */
};

bool cobrod_conf_load(struct cobrod_conf *c, const char *explicit_path, char *err, size_t errlen);
void cobrod_conf_free(struct cobrod_conf *c);

/* The transport named name, or NULL. */
const struct transport *cobrod_conf_transport(const struct cobrod_conf *c, const char *name);

/* Like conf_password_exposed() for the whole of cobrod.conf: the database's
 * password or a transport's password or token, in a file others may read. */
bool cobrod_conf_exposed(const struct cobrod_conf *c, char *msg, size_t msglen);

#endif

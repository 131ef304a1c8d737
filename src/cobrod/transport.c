/* Transports: one libcurl easy handle per message, built from cobrod.conf's
 * transports, and the verdict on how the transfer went.
 *
 * Each job copies what it needs from the configuration (names, secrets,
 * id_path) so that a SIGHUP reload may free the old configuration while
 * transfers made from it are still in flight. */
#include "transport.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

#include "mail.h"

static const char *given(const char *a, const char *b)
{
	return a && *a ? a : b;
}

/* ASCII only: <ctype.h> follows the locale, and a Latin-1 one would take
 * bytes of UTF-8 text for letters or spaces. */
static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* The loader defaults it; a transport built by hand may leave it out. */
static const char *method(const struct transport *t)
{
	return given(t->method, "POST");
}

/* ------------------------------------------------------------ backoff */

bool transport_backoff_fault(struct transport_backoff *b, double started, double now, double r, double *pause)
{
	bool began = !b->down;
	double d;

	*pause = 0;
	/* In flight when an earlier failure paused the transport: the same
	 * outage, already counted. */
	if (b->down && started < b->paused_at)
		return false;
	if (began)
		b->since = now;
	b->down = true;
	b->steps++;
	d = 1.0;
	for (int i = 1; i < b->steps && d < TRANSPORT_PROBE_MAX; i++)
		d *= 2;
	if (d > TRANSPORT_PROBE_MAX)
		d = TRANSPORT_PROBE_MAX;
	d = d / 2 + d / 2 * r;
	b->paused_at = now;
	b->until = now + d;
	*pause = d;
	return began;
}

bool transport_backoff_ok(struct transport_backoff *b, double now, double *down_for)
{
	bool was = b->down;

	*down_for = was ? now - b->since : 0;
	b->down = false;
	b->steps = 0;
	b->until = 0;
	return was;
}

int transport_backoff_allow(const struct transport_backoff *b, double now)
{
	if (now < b->until)
		return 0;
	return b->down ? 1 : -1;
}

/* ------------------------------------------------------------- escaping */

void transport_url_escape(struct buf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	buf_puts(out, "");
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
		    c == '.' || c == '_' || c == '~') {
			buf_add(out, (const char *)&c, 1);
		} else {
			char e[3] = {'%', hex[c >> 4], hex[c & 15]};

			buf_add(out, e, 3);
		}
	}
}

void transport_json_escape(struct buf *out, const char *s)
{
	buf_puts(out, "");
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '"': buf_puts(out, "\\\""); break;
		case '\\': buf_puts(out, "\\\\"); break;
		case '\n': buf_puts(out, "\\n"); break;
		case '\r': buf_puts(out, "\\r"); break;
		case '\t': buf_puts(out, "\\t"); break;
		default:
			if (c < 0x20)
				buf_printf(out, "\\u%04x", c);
			else
				buf_add(out, (const char *)&c, 1);
		}
	}
}

static void query_param(struct buf *b, const char *name, const char *value)
{
	buf_printf(b, "%s%s=", strchr(b->s, '?') ? "&" : "?", name);
	transport_url_escape(b, value);
}

/* --------------------------------------------------------------- kannel */

char *transport_dlr_url(const char *base, const char *secret, long long id)
{
	/* The secret is URL-safe (the loader checks): it goes in as it is. */
	if (secret && *secret)
		return xasprintf("%s%skey=%s&id=%lld&status=%%d&to=%%p&ts=%%T", base,
				 strchr(base, '?') ? "&" : "?", secret, id);
	return xasprintf("%s%sid=%lld&status=%%d&to=%%p&ts=%%T", base, strchr(base, '?') ? "&" : "?", id);
}

char *transport_kannel_url(const struct transport *t, const struct outgoing *o)
{
	struct buf b = {0};
	const char *from = given(o->from, t->from);

	buf_puts(&b, t->url);
	query_param(&b, "username", t->username);
	query_param(&b, "password", t->password);
	query_param(&b, "to", o->recipient);
	query_param(&b, "text", o->body);
	if (from && *from)
		query_param(&b, "from", from);
	if (t->smsc && *t->smsc)
		query_param(&b, "smsc", t->smsc);
	/* Without coding=2 Kannel sends GSM-7 and every character outside GSM
	 * 03.38 becomes "?"; charset says the text we send is UTF-8. */
	if (o->ucs2) {
		query_param(&b, "coding", "2");
		query_param(&b, "charset", "UTF-8");
	}
	if (t->dlr_url && *t->dlr_url) {
		char *dlr = transport_dlr_url(t->dlr_url, t->callback_secret, o->id);
		char mask[8];

		snprintf(mask, sizeof mask, "%d", t->dlr_mask ? t->dlr_mask : TRANSPORT_DLR_MASK_DEFAULT);
		query_param(&b, "dlr-mask", mask);
		query_param(&b, "dlr-url", dlr);
		explicit_bzero(dlr, strlen(dlr));
		free(dlr);
	}
	return b.s;
}

/* -------------------------------------------------------- generic HTTP */

bool transport_render(const char *tmpl, enum render_escape esc, const struct transport *t,
		      const struct outgoing *o, struct buf *out, char *err, size_t errlen)
{
	const char *p = tmpl;

	buf_puts(out, "");
	while (*p) {
		const char *open = strchr(p, '{');
		size_t n;
		char id[32];
		const char *value;

		if (!open) {
			buf_puts(out, p);
			break;
		}
		buf_add(out, p, (size_t)(open - p));
		n = strspn(open + 1, "abcdefghijklmnopqrstuvwxyz_");
		if (n == 0 || open[1 + n] != '}') { /* JSON's own brace, or text */
			buf_add(out, open, 1);
			p = open + 1;
			continue;
		}
		snprintf(id, sizeof id, "%lld", o->id);
		if (n == 2 && strncmp(open + 1, "to", 2) == 0)
			value = o->recipient;
		else if (n == 4 && strncmp(open + 1, "text", 4) == 0)
			value = o->body;
		else if (n == 2 && strncmp(open + 1, "id", 2) == 0)
			value = id;
		else if (n == 3 && strncmp(open + 1, "key", 3) == 0)
			value = o->key;
		else if (n == 4 && strncmp(open + 1, "from", 4) == 0)
			value = given(o->from, t ? t->from : NULL);
		else {
			snprintf(err, errlen, "unknown placeholder {%.*s}: use {to} {text} {id} {key} {from}",
				 (int)n, open + 1);
			return false;
		}
		if (esc == RENDER_URL)
			transport_url_escape(out, value ? value : "");
		else
			transport_json_escape(out, value ? value : "");
		p = open + n + 2;
	}
	return true;
}

bool transport_http_request(const struct transport *t, const struct outgoing *o, char **url, struct buf *body,
			    char *err, size_t errlen)
{
	struct buf u = {0};

	*url = NULL;
	if (!transport_render(t->url, RENDER_URL, t, o, &u, err, errlen)) {
		buf_free(&u);
		return false;
	}
	if (t->body && strcmp(method(t), "GET") != 0 &&
	    !transport_render(t->body, t->json ? RENDER_JSON : RENDER_URL, t, o, body, err, errlen)) {
		buf_free(&u);
		return false;
	}
	*url = u.s;
	return true;
}

struct curl_slist *transport_headers(const struct transport *t)
{
	struct curl_slist *h = NULL;

	if (t->kind == TRANSPORT_WHATSAPP || (t->kind == TRANSPORT_HTTP && t->json)) {
		h = curl_slist_append(h, "Content-Type: application/json");
		h = curl_slist_append(h, "Accept: application/json");
	} else if (t->kind == TRANSPORT_HTTP && t->body) {
		h = curl_slist_append(h, "Content-Type: application/x-www-form-urlencoded");
	}
	/* curl waits up to a second for "100 Continue" before a large body. */
	h = curl_slist_append(h, "Expect:");
	if (t->token && (t->kind == TRANSPORT_WHATSAPP || t->kind == TRANSPORT_HTTP)) {
		char *line;

		if (t->token_header && *t->token_header)
			line = xasprintf("%s: %s", t->token_header, t->token);
		else
			line = xasprintf("Authorization: Bearer %s", t->token);
		h = curl_slist_append(h, line);
		explicit_bzero(line, strlen(line));
		free(line);
	}
	return h;
}

/* ------------------------------------------------------------- whatsapp */

char *transport_whatsapp_url(const struct transport *t)
{
	size_t n = strlen(t->url);

	while (n > 0 && t->url[n - 1] == '/')
		n--;
	return xasprintf("%.*s/%s/messages", (int)n, t->url, t->phone_number_id);
}

/* False when value is NULL or not UTF-8 (json_string() refuses it). */
static bool set_str(json_t *obj, const char *key, const char *value)
{
	json_t *v = value ? json_string(value) : NULL;

	return v && json_object_set_new(obj, key, v) == 0;
}

bool transport_whatsapp_body(const struct outgoing *o, struct buf *out, char *err, size_t errlen)
{
	json_t *root = json_object(), *inner = json_object();
	const char *bad = NULL;
	char *text;

	if (!set_str(root, "messaging_product", "whatsapp") || !set_str(root, "to", o->recipient))
		bad = "the recipient";
	else if (o->template_name && *o->template_name) {
		json_t *lang = json_object();

		set_str(root, "type", "template");
		if (!set_str(inner, "name", o->template_name))
			bad = "the template name";
		else if (!set_str(lang, "code", given(o->template_language, "es")))
			bad = "the template language";
		json_object_set_new(inner, "language", lang);
		if (!bad && o->nparams > 0) {
			json_t *params = json_array(), *body = json_object(), *components = json_array();

			for (int i = 0; i < o->nparams && !bad; i++) {
				json_t *p = json_object();

				set_str(p, "type", "text");
				if (!set_str(p, "text", o->params[i]))
					bad = "a template parameter";
				json_array_append_new(params, p);
			}
			set_str(body, "type", "body");
			json_object_set_new(body, "parameters", params);
			json_array_append_new(components, body);
			json_object_set_new(inner, "components", components);
		}
		json_object_set(root, "template", inner);
	} else {
		set_str(root, "type", "text");
		json_object_set_new(inner, "preview_url", json_false());
		if (!set_str(inner, "body", o->body))
			bad = "the text";
		json_object_set(root, "text", inner);
	}
	json_decref(inner);
	if (bad) {
		json_decref(root);
		snprintf(err, errlen, "whatsapp: %s is missing or not valid UTF-8", bad);
		return false;
	}
	text = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	buf_puts(out, text);
	free(text);
	return true;
}

/* ----------------------------------------------------------------- smtp */

/* {id} and {key} in the unsubscribe URL, URL-escaped. */
static char *unsubscribe_url(const char *tmpl, long long id, const char *key)
{
	struct transport t = {0};
	struct outgoing o = {.id = id, .key = key};
	struct buf b = {0};
	char err[128];

	if (!transport_render(tmpl, RENDER_URL, &t, &o, &b, err, sizeof err)) {
		buf_free(&b);
		return NULL;
	}
	return b.s;
}

bool transport_smtp_message(const struct transport *t, const struct outgoing *o, const char *unique,
			    struct buf *out, char *msgid, size_t msgidlen, char *err, size_t errlen)
{
	char *unsub = t->unsubscribe_url ? unsubscribe_url(t->unsubscribe_url, o->id, unique) : NULL;
	struct mail m = {
	    .from_name = given(o->from_name, t->from_name),
	    .from = given(o->from, t->from),
	    .reply_to = given(o->reply_to, t->reply_to),
	    .to_name = o->to_name,
	    .to = o->recipient,
	    .subject = o->subject,
	    .body = o->body,
	    .date = o->date ? o->date : time(NULL),
	    .id = o->id,
	    .unique = unique,
	    .msgid_domain = t->message_id_domain,
	    .unsubscribe_url = unsub,
	    .unsubscribe_mailto = t->unsubscribe_mailto,
	};
	bool ok;

	if (t->unsubscribe_url && !unsub) {
		snprintf(err, errlen, "the unsubscribe URL has an unknown placeholder");
		return false;
	}
	ok = mail_compose(&m, out, err, errlen);
	if (ok)
		mail_message_id(&m, msgid, msgidlen);
	free(unsub);
	return ok;
}

/* ------------------------------------------------------------ responses */

/* Printable ASCII only, so a provider id is safe in a log line and a table. */
static bool copy_printable(char *out, size_t outlen, const char *s, size_t n)
{
	if (n == 0 || n >= outlen)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7e)
			return false;
	memcpy(out, s, n);
	out[n] = '\0';
	return true;
}

bool transport_response_id(const char *text, size_t len, const char *path, char *out, size_t outlen)
{
	json_t *root, *v;
	json_error_t e;
	bool ok = false;

	out[0] = '\0';
	if (!text)
		return false;
	if (!path || !*path) {
		while (len > 0 && is_space(text[0]))
			text++, len--;
		while (len > 0 && is_space(text[len - 1]))
			len--;
		return copy_printable(out, outlen, text, len);
	}
	root = json_loadb(text, len, JSON_DECODE_ANY, &e);
	v = root;
	for (const char *p = path; v && *p;) {
		size_t n = strcspn(p, ".");
		char name[128];

		if (n == 0 || n >= sizeof name) {
			v = NULL;
			break;
		}
		memcpy(name, p, n);
		name[n] = '\0';
		if (json_is_array(v) && strspn(name, "0123456789") == n)
			v = json_array_get(v, strtoul(name, NULL, 10));
		else
			v = json_is_object(v) ? json_object_get(v, name) : NULL;
		p += n + (p[n] == '.');
	}
	if (json_is_string(v)) {
		ok = copy_printable(out, outlen, json_string_value(v), json_string_length(v));
	} else if (json_is_integer(v)) {
		snprintf(out, outlen, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		ok = true;
	}
	json_decref(root);
	if (!ok)
		out[0] = '\0';
	return ok;
}

/* ----------------------------------------------------------------- jobs */

static size_t on_write(char *data, size_t size, size_t nmemb, void *arg)
{
	struct send_job *job = arg;
	size_t n = size * nmemb, room = TRANSPORT_RESPONSE_MAX - job->response.len;

	/* Keep the head of a huge answer and drop the rest: the id and the
	 * error are at the start, and the transfer must not fail over it. */
	buf_add(&job->response, data, n < room ? n : room);
	return n;
}

static size_t on_read(char *data, size_t size, size_t nmemb, void *arg)
{
	struct send_job *job = arg;
	size_t n = size * nmemb, left = job->request.len - job->sent;

	if (n > left)
		n = left;
	memcpy(data, job->request.s + job->sent, n);
	job->sent += n;
	return n;
}

bool transport_host_insecure(const struct cobrod_conf *c, const char *url)
{
	CURLU *u;
	char *host = NULL;
	bool found = false;

	if (!c || !c->ninsecure_hosts || !url)
		return false;
	u = curl_url();
	if (u && curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
		size_t n = strlen(host);
		const char *h = host;

		/* [::1] in a URL is ::1 in the list. */
		if (n > 2 && host[0] == '[' && host[n - 1] == ']')
			h++, n -= 2;
		for (int i = 0; i < c->ninsecure_hosts && !found; i++)
			found =
			    strlen(c->insecure_hosts[i]) == n && strncasecmp(c->insecure_hosts[i], h, n) == 0;
	}
	curl_free(host);
	curl_url_cleanup(u);
	return found;
}

/* A random unique part for a Message-ID when the message has no key. */
static void random_unique(char *out, size_t outlen)
{
	unsigned char r[16];
	size_t got = 0;

	while (got < sizeof r) {
		ssize_t n = getrandom(r + got, sizeof r - got, 0);

		if (n <= 0)
			break;
		got += (size_t)n;
	}
	for (size_t i = 0; i < sizeof r && 2 * i + 2 < outlen; i++)
		snprintf(out + 2 * i, 3, "%02x", i < got ? r[i] : (unsigned)rand() & 0xff);
}

static struct send_job *job_fail(struct send_job *job, char *err, size_t errlen, const char *why)
{
	if (why)
		snprintf(err, errlen, "%s", why);
	send_job_free(job);
	return NULL;
}

static const unsigned channel_kinds[CH__COUNT] = {
    [CH_SMS] = 1u << TRANSPORT_KANNEL | 1u << TRANSPORT_HTTP,
    [CH_EMAIL] = 1u << TRANSPORT_SMTP,
    [CH_WHATSAPP] = 1u << TRANSPORT_WHATSAPP | 1u << TRANSPORT_HTTP,
};

#define SET(opt, val) ok = curl_easy_setopt(job->curl, opt, val) == CURLE_OK && ok

struct send_job *transport_job_new(const struct cobrod_conf *c, const struct transport *t,
				   const struct outgoing *o, char *err, size_t errlen)
{
	struct send_job *job;
	bool ok = true;

	if (!t) {
		snprintf(err, errlen, "no transport for %s", channel_name(o->channel));
		return NULL;
	}
	if ((unsigned)o->channel >= CH__COUNT || !(channel_kinds[o->channel] & 1u << t->kind)) {
		snprintf(err, errlen, "%s %s transport cannot send %s",
			 t->kind == TRANSPORT_HTTP || t->kind == TRANSPORT_SMTP ? "an" : "a",
			 transport_kind_name(t->kind), channel_name(o->channel));
		return NULL;
	}
	if (!o->recipient || !*o->recipient) {
		snprintf(err, errlen, "no recipient");
		return NULL;
	}
	job = xcalloc(1, sizeof *job);
	job->id = o->id;
	job->kind = t->kind;
	job->transport = xstrdup(t->name);
	job->id_path = t->id_path ? xstrdup(t->id_path) : NULL;
	job->secrets[0] = t->password ? xstrdup(t->password) : NULL;
	job->secrets[1] = t->token ? xstrdup(t->token) : NULL;
	job->secrets[2] = o->body ? xstrdup(o->body) : NULL;
	job->secrets[3] = t->callback_secret ? xstrdup(t->callback_secret) : NULL;
	buf_puts(&job->request, "");
	buf_puts(&job->response, "");

	switch (t->kind) {
	case TRANSPORT_KANNEL: job->url = transport_kannel_url(t, o); break;
	case TRANSPORT_HTTP:
		if (!transport_http_request(t, o, &job->url, &job->request, err, errlen))
			return job_fail(job, NULL, 0, NULL);
		break;
	case TRANSPORT_WHATSAPP:
		job->url = transport_whatsapp_url(t);
		if (!transport_whatsapp_body(o, &job->request, err, errlen))
			return job_fail(job, NULL, 0, NULL);
		break;
	case TRANSPORT_SMTP: {
		char msgid[512], unique[64];

		if (o->key && *o->key)
			snprintf(unique, sizeof unique, "%s", o->key);
		else
			random_unique(unique, sizeof unique);
		job->url = xstrdup(t->url);
		if (!transport_smtp_message(t, o, unique, &job->request, msgid, sizeof msgid, err, errlen))
			return job_fail(job, NULL, 0, NULL);
		job->message_id = xstrdup(msgid);
		break;
	}
	case TRANSPORT__COUNT: return job_fail(job, err, errlen, "unknown transport");
	}

	job->curl = curl_easy_init();
	if (!job->curl)
		return job_fail(job, err, errlen, "curl_easy_init failed");
	SET(CURLOPT_PRIVATE, job);
	SET(CURLOPT_URL, job->url);
	SET(CURLOPT_NOSIGNAL, 1L); /* no SIGALRM for DNS timeouts in a daemon */
	SET(CURLOPT_ERRORBUFFER, job->error);
	SET(CURLOPT_TIMEOUT_MS, (long)(t->timeout * 1000));
	SET(CURLOPT_CONNECTTIMEOUT_MS, (long)(t->connect_timeout * 1000));
	SET(CURLOPT_USERAGENT, "cobrod/" COBRO_VERSION);
	if (c && c->ca_file && *c->ca_file)
		SET(CURLOPT_CAINFO, c->ca_file);
	if (transport_host_insecure(c, job->url)) {
		SET(CURLOPT_SSL_VERIFYPEER, 0L);
		SET(CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (t->kind == TRANSPORT_SMTP) {
		char *from = xasprintf("<%s>", given(t->from, o->from)),
		     *to = xasprintf("<%s>", o->recipient);

		/* The envelope sender is the transport's own address, where
		 * bounces go; the creditor's shows in From. */
		SET(CURLOPT_PROTOCOLS_STR, "smtp,smtps");
		SET(CURLOPT_MAIL_FROM, from);
		job->rcpt = curl_slist_append(NULL, to);
		SET(CURLOPT_MAIL_RCPT, job->rcpt);
		free(from);
		free(to);
		if (t->username) {
			SET(CURLOPT_USERNAME, t->username);
			SET(CURLOPT_PASSWORD, t->password);
		}
		SET(CURLOPT_USE_SSL, strncmp(t->url, "smtps://", 8) == 0 || t->starttls
					 ? (long)CURLUSESSL_ALL
					 : (long)CURLUSESSL_NONE);
		SET(CURLOPT_UPLOAD, 1L);
		SET(CURLOPT_READFUNCTION, on_read);
		SET(CURLOPT_READDATA, job);
		SET(CURLOPT_INFILESIZE_LARGE, (curl_off_t)job->request.len);
	} else {
		SET(CURLOPT_PROTOCOLS_STR, "http,https");
		SET(CURLOPT_WRITEFUNCTION, on_write);
		SET(CURLOPT_WRITEDATA, job);
		job->headers = transport_headers(t);
		SET(CURLOPT_HTTPHEADER, job->headers);
		if (t->kind == TRANSPORT_HTTP && t->username) {
			SET(CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
			SET(CURLOPT_USERNAME, t->username);
			SET(CURLOPT_PASSWORD, t->password);
		}
		if (t->kind == TRANSPORT_KANNEL ||
		    (t->kind == TRANSPORT_HTTP && strcmp(method(t), "GET") == 0)) {
			SET(CURLOPT_HTTPGET, 1L);
		} else {
			SET(CURLOPT_POSTFIELDS, job->request.s);
			SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)job->request.len);
			if (t->kind == TRANSPORT_HTTP && strcmp(method(t), "PUT") == 0)
				SET(CURLOPT_CUSTOMREQUEST, "PUT");
		}
	}
	if (!ok)
		return job_fail(job, err, errlen, "this libcurl lacks an option the transport needs");
	return job;
}

#undef SET

void send_job_free(struct send_job *job)
{
	if (!job)
		return;
	if (job->curl)
		curl_easy_cleanup(job->curl);
	curl_slist_free_all(job->headers);
	curl_slist_free_all(job->rcpt);
	if (job->url)
		explicit_bzero(job->url, strlen(job->url));
	free(job->url);
	free(job->transport);
	free(job->id_path);
	free(job->message_id);
	for (size_t i = 0; i < ARRAY_SIZE(job->secrets); i++) {
		if (job->secrets[i])
			explicit_bzero(job->secrets[i], strlen(job->secrets[i]));
		free(job->secrets[i]);
	}
	if (job->request.s)
		explicit_bzero(job->request.s, job->request.len);
	buf_free(&job->request);
	buf_free(&job->response);
	free(job);
}

/* ---------------------------------------------------------------- verdict */

static void verdict(struct send_result *out, enum send_outcome outcome, bool fault)
{
	out->outcome = outcome;
	out->transport_fault = fault;
}

/* The first line of a provider's answer, as printable ASCII, at most n bytes. */
static void snippet(char *out, size_t outlen, const char *s, size_t n)
{
	size_t j = 0;

	while (n > 0 && is_space(*s))
		s++, n--;
	for (size_t i = 0; i < n && j + 1 < outlen && s[i] != '\n' && s[i] != '\r'; i++)
		out[j++] = (unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7f ? s[i] : '?';
	while (j > 0 && out[j - 1] == ' ')
		j--;
	out[j] = '\0';
}

/* Belt and braces: if a provider ever echoes a secret or the text, the
 * reason loses everything from there on. */
static void scrub(struct send_result *out, const struct send_job *job)
{
	for (size_t i = 0; i < ARRAY_SIZE(job->secrets); i++) {
		const char *s = job->secrets[i];
		char *hit;

		if (s && strlen(s) >= 3 && (hit = strstr(out->reason, s)))
			snprintf(hit, sizeof out->reason - (size_t)(hit - out->reason), "(withheld)");
	}
}

/* HTTP status classes shared by the HTTP transports. */
static void http_status(struct send_result *out, long status)
{
	if (status >= 200 && status < 300)
		verdict(out, SEND_SENT, false);
	else if (status == 408 || status == 425)
		verdict(out, SEND_RETRY, false);
	else if (status == 429 || status >= 500 || (status >= 300 && status < 400) || status == 401 ||
		 status == 403 || status == 404 || status == 405 || status == 407 || status < 100)
		verdict(out, SEND_RETRY, true);
	else
		verdict(out, SEND_FAILED, false);
}

/* WhatsApp Cloud API error codes that say more than the HTTP status. */
static void whatsapp_error(const struct send_job *job, struct send_result *out, long status)
{
	static const struct {
		long lo, hi;
		enum send_outcome outcome;
		bool fault;
	} codes[] = {
	    {0, 0, SEND_RETRY, true},             /* AuthException */
	    {3, 3, SEND_RETRY, true},             /* API method not allowed */
	    {4, 4, SEND_RETRY, true},             /* too many calls */
	    {10, 10, SEND_RETRY, true},           /* permission denied */
	    {190, 190, SEND_RETRY, true},         /* access token expired */
	    {200, 299, SEND_RETRY, true},         /* permissions */
	    {368, 368, SEND_RETRY, true},         /* temporarily blocked */
	    {80007, 80007, SEND_RETRY, true},     /* rate limit */
	    {130429, 130429, SEND_RETRY, true},   /* throughput reached */
	    {131000, 131000, SEND_RETRY, false},  /* something went wrong */
	    {131016, 131016, SEND_RETRY, true},   /* service unavailable */
	    {131048, 131048, SEND_RETRY, true},   /* spam rate limit */
	    {131056, 131056, SEND_RETRY, false},  /* pair rate limit */
	    {131026, 131026, SEND_FAILED, false}, /* undeliverable */
	    {131047, 131047, SEND_FAILED, false}, /* outside the 24-hour window */
	    {131051, 131051, SEND_FAILED, false}, /* unsupported message type */
	    {132000, 132999, SEND_FAILED, false}, /* template missing, paused, wrong parameters */
	};
	json_t *root = json_loadb(job->response.s, job->response.len, 0, NULL);
	json_t *e = json_object_get(root, "error");
	json_t *code = json_object_get(e, "code"), *msg = json_object_get(e, "message");
	char text[160] = "";

	http_status(out, status);
	if (json_is_string(msg))
		snippet(text, sizeof text, json_string_value(msg), json_string_length(msg));
	if (json_is_integer(code)) {
		long c = (long)json_integer_value(code);

		for (size_t i = 0; i < ARRAY_SIZE(codes); i++)
			if (c >= codes[i].lo && c <= codes[i].hi)
				verdict(out, codes[i].outcome, codes[i].fault);
		snprintf(out->reason, sizeof out->reason, "whatsapp: HTTP %ld: error %ld: %s", status, c,
			 text);
	} else {
		snprintf(out->reason, sizeof out->reason, "whatsapp: HTTP %ld%s%s", status,
			 text[0] ? ": " : "", text);
	}
	json_decref(root);
}

/* What curl's error buffer says about an SMTP command: "RCPT failed: 550". */
static int smtp_failed(const char *error, const char *command)
{
	size_t n = strlen(command);

	if (strncmp(error, command, n) != 0 || strncmp(error + n, " failed: ", 9) != 0)
		return 0;
	return atoi(error + n + 9);
}

static void smtp_verdict(const struct send_job *job, CURLcode rc, long status, struct send_result *out)
{
	int code;

	if ((code = smtp_failed(job->error, "RCPT"))) {
		verdict(out, code >= 500 ? SEND_FAILED : SEND_RETRY, false);
		snprintf(out->reason, sizeof out->reason, "smtp: recipient refused (%d)", code);
	} else if ((code = smtp_failed(job->error, "MAIL"))) {
		/* The sender is ours: a refusal holds for every message. */
		verdict(out, SEND_RETRY, true);
		snprintf(out->reason, sizeof out->reason, "smtp: sender refused (%d)", code);
	} else if ((code = smtp_failed(job->error, "DATA"))) {
		verdict(out, SEND_RETRY, code < 500);
		snprintf(out->reason, sizeof out->reason, "smtp: DATA refused (%d)", code);
	} else if (rc == CURLE_WEIRD_SERVER_REPLY && status >= 400) {
		/* The answer to the message itself: 5xx is this message's content. */
		verdict(out, status >= 500 ? SEND_FAILED : SEND_RETRY, false);
		snprintf(out->reason, sizeof out->reason, "smtp: message refused (%ld)", status);
	} else if (rc == CURLE_LOGIN_DENIED) {
		verdict(out, SEND_RETRY, true);
		snprintf(out->reason, sizeof out->reason, "smtp: login refused");
	} else if (rc == CURLE_USE_SSL_FAILED) {
		verdict(out, SEND_RETRY, true);
		snprintf(out->reason, sizeof out->reason, "smtp: the server does not offer STARTTLS");
	} else {
		verdict(out, SEND_RETRY, true);
		snprintf(out->reason, sizeof out->reason, "smtp: %s", curl_easy_strerror(rc));
	}
}

void transport_result(const struct send_job *job, CURLcode rc, long status, struct send_result *out)
{
	char text[160] = "";
	const char *kind = transport_kind_name(job->kind);

	memset(out, 0, sizeof *out);
	if (job->kind == TRANSPORT_SMTP) {
		if (rc == CURLE_OK) {
			verdict(out, SEND_SENT, false);
			snprintf(out->provider_id, sizeof out->provider_id, "%s",
				 job->message_id ? job->message_id : "");
		} else {
			smtp_verdict(job, rc, status, out);
		}
		scrub(out, job);
		return;
	}
	if (rc != CURLE_OK) {
		/* Nothing to classify but the connection; none of it is the
		 * message's fault. */
		verdict(out, SEND_RETRY, true);
		if (rc == CURLE_OPERATION_TIMEDOUT)
			snprintf(out->reason, sizeof out->reason, "%s: timed out (the provider may have it)",
				 kind);
		else
			snprintf(out->reason, sizeof out->reason, "%s: %s", kind, curl_easy_strerror(rc));
		scrub(out, job);
		return;
	}
	switch (job->kind) {
	case TRANSPORT_KANNEL:
		/* Kannel's answers are its own fixed texts: safe to keep. */
		http_status(out, status);
		snippet(text, sizeof text, job->response.s, job->response.len);
		if (status == 403 && strstr(text, "white- and/or black-list"))
			verdict(out, SEND_FAILED, false);
		if (out->outcome != SEND_SENT)
			snprintf(out->reason, sizeof out->reason, "kannel: HTTP %ld%s%s", status,
				 text[0] ? ": " : "", text);
		else if (strncmp(text, "3:", 2) == 0)
			snprintf(out->reason, sizeof out->reason, "kannel: %s", text);
		break;
	case TRANSPORT_WHATSAPP:
		if (status >= 200 && status < 300) {
			verdict(out, SEND_SENT, false);
			if (!transport_response_id(job->response.s, job->response.len, "messages.0.id",
						   out->provider_id, sizeof out->provider_id))
				snprintf(out->reason, sizeof out->reason,
					 "whatsapp: accepted, but no messages[0].id");
		} else {
			whatsapp_error(job, out, status);
		}
		break;
	case TRANSPORT_HTTP:
		/* A gateway of unknown make may echo the request: only the status. */
		http_status(out, status);
		if (out->outcome == SEND_SENT) {
			if (!transport_response_id(job->response.s, job->response.len, job->id_path,
						   out->provider_id, sizeof out->provider_id) &&
			    job->id_path && *job->id_path)
				snprintf(out->reason, sizeof out->reason, "http: accepted, but no id at %s",
					 job->id_path);
		} else {
			snprintf(out->reason, sizeof out->reason, "http: HTTP %ld", status);
		}
		break;
	case TRANSPORT_SMTP:
	case TRANSPORT__COUNT: break;
	}
	scrub(out, job);
}

/* ------------------------------------------------------------- checking */

static bool check_fail(char *err, size_t errlen, const char *file, int line, const char *where,
		       const char *setting, const char *what)
{
	snprintf(err, errlen, "%s:%d: %s.%s: %s", file, line, where, setting, what);
	return false;
}

/* An http(s) URL with a host, as curl parses it. */
static bool url_ok(const char *url, const char *schemes)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL;
	bool ok = u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
		  curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
		  curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK && *host;

	if (ok) {
		char want[16];

		snprintf(want, sizeof want, ",%s,", scheme);
		ok = strstr(schemes, want) != NULL;
	}
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return ok;
}

static const struct outgoing sample = {
    .id = 123456789,
    .key = "0b7e4ea1-93c9-4d1e-9a53-3c2f1f6a8d10",
    .channel = CH_SMS,
    .recipient = "+51987654321",
    .body = "Sr. Núñez: \"pague\" {hoy}\n& gracias",
    .from = "12345",
};

/* A template must expand, and what it makes must be a valid URL or JSON. */
static bool check_template(const struct transport *t, const char *file, const char *where,
			   const char *setting, int line, const char *tmpl, enum render_escape esc, char *err,
			   size_t errlen)
{
	struct buf b = {0};
	char why[200];
	bool ok = transport_render(tmpl, esc, t, &sample, &b, why, sizeof why);

	if (ok && strcmp(setting, "url") == 0 && !url_ok(b.s, ",http,https,")) {
		snprintf(why, sizeof why, "not an http:// or https:// URL with a host");
		ok = false;
	}
	if (ok && esc == RENDER_JSON && strcmp(setting, "body") == 0) {
		json_error_t e;
		json_t *j = json_loads(b.s, JSON_DECODE_ANY, &e);

		if (!j) {
			snprintf(why, sizeof why, "not JSON once filled in: %s", e.text);
			ok = false;
		}
		json_decref(j);
	}
	buf_free(&b);
	return ok || check_fail(err, errlen, file, line, where, setting, why);
}

bool transport_check(const struct transport *t, const char *file, char *err, size_t errlen)
{
	char where[160];

	snprintf(where, sizeof where, "transports.%s", t->name);
	switch (t->kind) {
	case TRANSPORT_KANNEL:
		if (!url_ok(t->url, ",http,https,"))
			return check_fail(err, errlen, file, t->at.url, where, "url",
					  "not an http:// or https:// URL with a host");
		if (t->dlr_url && !url_ok(t->dlr_url, ",http,https,"))
			return check_fail(err, errlen, file, t->at.dlr_url, where, "dlr_url",
					  "not an http:// or https:// URL with a host");
		/* Without delivered (1) and undelivered (2) cobrod would never learn
		 * how a message ended; 4 and 8 are steps on the way, 16 a refusal. */
		if ((t->at.dlr_mask || t->dlr_mask) &&
		    (t->dlr_mask < 1 || t->dlr_mask > 31 ||
		     (t->dlr_mask & TRANSPORT_DLR_MASK_NEEDED) != TRANSPORT_DLR_MASK_NEEDED))
			return check_fail(err, errlen, file, t->at.dlr_mask, where, "dlr_mask",
					  "1 to 31 and holding 1 (delivered) and 2 (undelivered), e.g. 19 "
					  "for the final reports only or 31 for all");
		if (t->at.dlr_mask && !t->dlr_url)
			return check_fail(err, errlen, file, t->at.dlr_mask, where, "dlr_mask",
					  "needs dlr_url (where the reports go)");
		break;
	case TRANSPORT_HTTP:
		if (!check_template(t, file, where, "url", t->at.url, t->url, RENDER_URL, err, errlen))
			return false;
		if (t->body && !check_template(t, file, where, "body", t->at.body, t->body,
					       t->json ? RENDER_JSON : RENDER_URL, err, errlen))
			return false;
		if (t->id_path && *t->id_path &&
		    (t->id_path[0] == '.' || t->id_path[strlen(t->id_path) - 1] == '.' ||
		     strstr(t->id_path, "..")))
			return check_fail(
			    err, errlen, file, t->at.id_path, where, "id_path",
			    "names separated by single dots, e.g. \"data.id\" or \"messages.0.id\"");
		if (t->token_header) {
			size_t n = strspn(t->token_header,
					  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

			if (n == 0 || t->token_header[n])
				return check_fail(err, errlen, file, t->line, where, "token_header",
						  "not a header name (letters, digits, - and _)");
		}
		break;
	case TRANSPORT_SMTP:
		if (!url_ok(t->url, ",smtp,smtps,"))
			return check_fail(err, errlen, file, t->at.url, where, "url",
					  "not an smtp:// or smtps:// URL with a host");
		if (!mail_address_valid(t->from))
			return check_fail(err, errlen, file, t->at.from, where, "from",
					  "not a valid email address");
		if (t->reply_to && !mail_address_valid(t->reply_to))
			return check_fail(err, errlen, file, t->at.reply_to, where, "reply_to",
					  "not a valid email address");
		if (t->message_id_domain && !mail_domain_valid(t->message_id_domain))
			return check_fail(err, errlen, file, t->at.message_id_domain, where,
					  "message_id_domain", "not a valid domain");
		if (t->unsubscribe_url) {
			char *u = unsubscribe_url(t->unsubscribe_url, sample.id, sample.key);
			/* https only: one-click unsubscription (RFC 8058) is
			 * over https, and every mail with a URL offers it. */
			bool ok = u && url_ok(u, ",https,");

			free(u);
			if (!ok)
				return check_fail(
				    err, errlen, file, t->at.unsubscribe_url, where, "unsubscribe_url",
				    "not an https:// URL with a host (placeholders: {id} {key})");
		}
		if (t->unsubscribe_mailto && !mail_address_valid(t->unsubscribe_mailto))
			return check_fail(err, errlen, file, t->at.unsubscribe_mailto, where,
					  "unsubscribe_mailto", "not a valid email address");
		break;
	case TRANSPORT_WHATSAPP:
		if (!url_ok(t->url, ",http,https,"))
			return check_fail(err, errlen, file, t->at.url, where, "url",
					  "not an http:// or https:// URL with a host");
		if (!*t->phone_number_id || t->phone_number_id[strspn(t->phone_number_id, "0123456789")])
			return check_fail(err, errlen, file, t->at.phone_number_id, where, "phone_number_id",
					  "digits only, as Meta shows it");
		break;
	case TRANSPORT__COUNT: break;
	}
	return true;
}

bool transports_check(const struct cobrod_conf *c, char *err, size_t errlen)
{
	for (int i = 0; i < c->ntransports; i++)
		if (!transport_check(&c->transports[i], c->path ? c->path : "cobrod.conf", err, errlen))
			return false;
	return true;
}

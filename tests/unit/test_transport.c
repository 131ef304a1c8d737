/* src/cobrod/transport.c without a network: the URLs, bodies and headers each
 * transport would send, the jobs it builds, the verdict on each kind of
 * answer, and the checks of cobrod.conf's transports. Query strings and
 * JSON are taken apart again here and compared field by field, so the tests
 * hold whatever order or spacing the builders choose. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "config.h"
#include "mail.h"
#include "transport.h"
#include "util.h"

/* ---------------------------------------------------------------- helpers */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decodes n bytes of s; "+" stays "+" (we never write it for a space). */
static char *pct_decode(const char *s, size_t n)
{
	struct buf b = {0};

	buf_puts(&b, "");
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%') {
			int hi = i + 2 < n + 0 ? hexval(s[i + 1]) : -1, lo = hi >= 0 ? hexval(s[i + 2]) : -1;
			char c = (char)(hi * 16 + lo);

			if (hi < 0 || lo < 0 || i + 2 >= n)
				fail_msg("bad escape in %.*s", (int)n, s);
			buf_add(&b, &c, 1);
			i += 2;
		} else {
			buf_add(&b, s + i, 1);
		}
	}
	return b.s;
}

/* The decoded value of query parameter name in url (or form body), NULL when
 * absent; a parameter given twice fails the test. */
static char *param(const char *query, const char *name)
{
	const char *q = strchr(query, '?');
	char *found = NULL;

	q = q ? q + 1 : query;
	while (*q) {
		size_t n = strcspn(q, "&"), k = strcspn(q, "=");

		if (k < n && k == strlen(name) && strncmp(q, name, k) == 0) {
			if (found)
				fail_msg("%s given twice in %s", name, query);
			found = pct_decode(q + k + 1, n - k - 1);
		}
		q += n + (q[n] == '&');
	}
	return found;
}

static int nparams(const char *query)
{
	const char *q = strchr(query, '?');
	int n = 0;

	for (q = q ? q + 1 : query; *q; q += strcspn(q, "&") + (q[strcspn(q, "&")] == '&'))
		n++;
	return n;
}

static void assert_param(const char *url, const char *name, const char *want)
{
	char *v = param(url, name);

	if (!want && v)
		fail_msg("%s=%s present in %s", name, v, url);
	if (want && !v)
		fail_msg("no %s in %s", name, url);
	if (want && strcmp(v, want) != 0)
		fail_msg("%s is \"%s\", want \"%s\"", name, v, want);
	free(v);
}

/* Every byte of a URL is one a URL may hold raw. */
static void assert_url_clean(const char *url)
{
	for (const char *p = url; *p; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f || strchr("\"<>\\^`{|}", *p))
			fail_msg("raw '%c' (0x%02x) in %s", *p, (unsigned char)*p, url);
}

static json_t *parse_json(const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, 0, &e);

	if (!j)
		fail_msg("not JSON (%s): %s", e.text, text);
	return j;
}

static const char *jstr(json_t *j, const char *path)
{
	json_t *v = j;

	for (const char *p = path; v && *p;) {
		size_t n = strcspn(p, ".");
		char name[64];

		snprintf(name, sizeof name, "%.*s", (int)n, p);
		v = json_is_array(v) ? json_array_get(v, strtoul(name, NULL, 10)) : json_object_get(v, name);
		p += n + (p[n] == '.');
	}
	if (!json_is_string(v))
		fail_msg("no string at %s", path);
	return json_string_value(v);
}

static bool has_header(const struct curl_slist *h, const char *line)
{
	for (; h; h = h->next)
		if (strcmp(h->data, line) == 0)
			return true;
	return false;
}

static bool has_header_named(const struct curl_slist *h, const char *name)
{
	size_t n = strlen(name);

	for (; h; h = h->next)
		if (strncasecmp(h->data, name, n) == 0 && h->data[n] == ':')
			return true;
	return false;
}

/* ------------------------------------------------------------- fixtures */

static struct transport kannel = {
    .name = "kannel",
    .kind = TRANSPORT_KANNEL,
    .url = "http://127.0.0.1:13013/cgi-bin/sendsms",
    .username = "cobro",
    .password = "p&ss=w rd+%",
    .from = "12345",
    .dlr_url = "http://127.0.0.1:8090/kannel/dlr",
    .callback_secret = "k3y-0f-the-gateway_42",
    .timeout = 30,
    .connect_timeout = 10,
};

static struct transport gateway = {
    .name = "gw",
    .kind = TRANSPORT_HTTP,
    .url = "https://api.sms.example/v1/messages",
    .method = "POST",
    .json = true,
    .body = "{\"to\":\"{to}\",\"text\":\"{text}\",\"ref\":\"{id}\",\"sender\":\"{from}\"}",
    .token = "tok-SECRET-123",
    .id_path = "data.id",
    .from = "COBRO",
    .timeout = 30,
    .connect_timeout = 10,
};

static struct transport smtp = {
    .name = "mail",
    .kind = TRANSPORT_SMTP,
    .url = "smtp://127.0.0.1:2599",
    .username = "cobro",
    .password = "smtp-SECRET",
    .from = "cobranzas@example.com",
    .from_name = "Cobranzas Ejemplo",
    .reply_to = "pagos@example.com",
    .unsubscribe_url = "https://cobro.example.com/baja/{key}?m={id}",
    .unsubscribe_mailto = "baja@example.com",
    .starttls = true,
    .timeout = 30,
    .connect_timeout = 10,
};

static struct transport whatsapp = {
    .name = "wa",
    .kind = TRANSPORT_WHATSAPP,
    .url = "https://graph.facebook.com/v21.0/",
    .phone_number_id = "106540352242922",
    .token = "EAAG-SECRET",
    .timeout = 30,
    .connect_timeout = 10,
};

static const struct outgoing sms = {
    .id = 42,
    .key = "0b7e4ea1-93c9-4d1e-9a53-3c2f1f6a8d10",
    .channel = CH_SMS,
    .recipient = "+51987654321",
    .body = "Hola Juan, su cuota de S/ 150 vence hoy. Pague en https://pagos.example/?a=1&b=2",
};

static const struct outgoing sms_ucs2 = {
    .id = 43,
    .channel = CH_SMS,
    .recipient = "+34600000001",
    .body = "Sr. Núñez: su cuota vence mañana.",
    .ucs2 = true,
};

static const struct outgoing email = {
    .id = 44,
    .key = "0b7e4ea1-93c9-4d1e-9a53-3c2f1f6a8d10",
    .channel = CH_EMAIL,
    .recipient = "juan.nunez@example.org",
    .to_name = "Juan Núñez",
    .subject = "Recordatorio de pago — cuota vencida",
    .body = "Estimado Sr. Núñez:\n\n.línea con punto\nSaludos\n",
    .date = 1795000000,
};

static const char *const wa_params[] = {"Juan", "S/ 150,00", "15/12"};

static const struct outgoing wa = {
    .id = 45,
    .channel = CH_WHATSAPP,
    .recipient = "+51987654321",
    .body = "Hola Juan, su cuota de S/ 150,00 vence el 15/12.",
    .template_name = "recordatorio_pago",
    .template_language = "es_PE",
    .params = wa_params,
    .nparams = 3,
};

/* ------------------------------------------------------------- escaping */

static void url_escape_keeps_only_unreserved(void **state)
{
	struct buf b = {0};

	(void)state;
	transport_url_escape(&b, "AZaz09-._~");
	assert_string_equal(b.s, "AZaz09-._~");
	buf_free(&b);
	transport_url_escape(&b, "+51 987&a=b%/?#ñ");
	assert_string_equal(b.s, "%2B51%20987%26a%3Db%25%2F%3F%23%C3%B1");
	buf_free(&b);
	transport_url_escape(&b, "");
	assert_string_equal(b.s, "");
	buf_free(&b);
	transport_url_escape(&b, "\r\n\t\"'<>");
	assert_string_equal(b.s, "%0D%0A%09%22%27%3C%3E");
	buf_free(&b);
}

static void json_escape_cases(void **state)
{
	struct buf b = {0};

	(void)state;
	transport_json_escape(&b, "a\"b\\c\nd\re\tf\x01g/ñ€😀");
	assert_string_equal(b.s, "a\\\"b\\\\c\\nd\\re\\tf\\u0001g/ñ€😀");
	buf_free(&b);
}

/* ---------------------------------------------------------------- kannel */

static void kannel_gsm_text(void **state)
{
	char *url = transport_kannel_url(&kannel, &sms);

	(void)state;
	assert_true(strncmp(url, "http://127.0.0.1:13013/cgi-bin/sendsms?", 39) == 0);
	assert_url_clean(url);
	assert_param(url, "username", "cobro");
	assert_param(url, "password", "p&ss=w rd+%");
	assert_param(url, "to", "+51987654321");
	assert_param(url, "text", sms.body);
	assert_param(url, "from", "12345");
	assert_param(url, "coding", NULL);
	assert_param(url, "charset", NULL);
	assert_param(url, "smsc", NULL);
	assert_param(url, "dlr-mask", "31");
	assert_non_null(strstr(url, "to=%2B51987654321")); /* a raw + would reach Kannel as a space */
	assert_int_equal(nparams(url), 7);
	free(url);
}

static void kannel_ucs2_text(void **state)
{
	char *url = transport_kannel_url(&kannel, &sms_ucs2);

	(void)state;
	assert_url_clean(url);
	assert_param(url, "coding", "2");
	assert_param(url, "charset", "UTF-8");
	assert_param(url, "text", "Sr. Núñez: su cuota vence mañana.");
	assert_non_null(strstr(url, "N%C3%BA%C3%B1ez"));
	free(url);
}

static void kannel_dlr_url_carries_our_id(void **state)
{
	char *url = transport_kannel_url(&kannel, &sms), *dlr = param(url, "dlr-url");

	(void)state;
	assert_non_null(dlr);
	/* The callback secret, so that cobrod's listener knows the gateway; and
	 * no %A: the operator's free text is not wanted. */
	assert_string_equal(dlr, "http://127.0.0.1:8090/kannel/dlr?key=k3y-0f-the-gateway_42&id=42&status=%d&to=%p&ts=%T");
	/* Kannel must get the % codes escaped, or it would read %d as a byte. */
	assert_non_null(strstr(url, "status%3D%25d"));
	free(dlr);
	free(url);
}

/* An operator sending in bulk asks only for the final reports: the URL
 * carries the mask given, and 31 (every report) when none is. */
static void kannel_dlr_mask_from_the_transport(void **state)
{
	struct transport t = kannel;
	char *url;

	(void)state;
	t.dlr_mask = 19;
	url = transport_kannel_url(&t, &sms);
	assert_param(url, "dlr-mask", "19");
	free(url);
	t.dlr_mask = 3;
	url = transport_kannel_url(&t, &sms);
	assert_param(url, "dlr-mask", "3");
	free(url);
	t.dlr_mask = 0;
	url = transport_kannel_url(&t, &sms);
	assert_param(url, "dlr-mask", "31");
	free(url);
}

static void dlr_url_joins_an_existing_query(void **state)
{
	char *d;

	(void)state;
	d = transport_dlr_url("http://h/dlr", NULL, 7);
	assert_string_equal(d, "http://h/dlr?id=7&status=%d&to=%p&ts=%T");
	free(d);
	d = transport_dlr_url("http://h/dlr?x=abc", "0123456789abcdef", 9000000000LL);
	assert_string_equal(d, "http://h/dlr?x=abc&key=0123456789abcdef&id=9000000000&status=%d&to=%p&ts=%T");
	free(d);
}

static void kannel_without_dlr_or_sender(void **state)
{
	struct transport t = kannel;
	char *url;

	(void)state;
	t.dlr_url = NULL;
	t.from = NULL;
	t.smsc = "fake1";
	url = transport_kannel_url(&t, &sms);
	assert_param(url, "dlr-mask", NULL);
	assert_param(url, "dlr-url", NULL);
	assert_param(url, "from", NULL);
	assert_param(url, "smsc", "fake1");
	free(url);
}

static void kannel_creditor_sender_wins(void **state)
{
	struct outgoing o = sms;
	char *url;

	(void)state;
	o.from = "BANCOEJ";
	url = transport_kannel_url(&kannel, &o);
	assert_param(url, "from", "BANCOEJ");
	free(url);
}

static void kannel_text_with_every_awkward_byte(void **state)
{
	struct outgoing o = sms;
	char *url;

	(void)state;
	o.body = "a+b c&d=e%f#g?h\ni\"j'k<l>m€n";
	url = transport_kannel_url(&kannel, &o);
	assert_url_clean(url);
	assert_param(url, "text", o.body);
	free(url);
}

/* ------------------------------------------------------------------ http */

static void render_form_and_json(void **state)
{
	struct outgoing o = sms;
	struct buf b = {0};
	char err[256];

	(void)state;
	o.body = "a \"b\" & c\nñ";
	assert_true(transport_render("to={to}&text={text}&id={id}&k={key}&f={from}", RENDER_URL, &gateway, &o,
				     &b, err, sizeof err));
	assert_string_equal(b.s, "to=%2B51987654321&text=a%20%22b%22%20%26%20c%0A%C3%B1&id=42"
				 "&k=0b7e4ea1-93c9-4d1e-9a53-3c2f1f6a8d10&f=COBRO");
	buf_free(&b);
	assert_true(transport_render("{\"t\":\"{text}\",\"n\":{id},\"o\":{}}", RENDER_JSON, &gateway, &o, &b,
				     err, sizeof err));
	assert_string_equal(b.s, "{\"t\":\"a \\\"b\\\" & c\\nñ\",\"n\":42,\"o\":{}}");
	buf_free(&b);
}

static void render_leaves_non_placeholders(void **state)
{
	struct buf b = {0};
	char err[256];

	(void)state;
	assert_true(transport_render("{ {\"a\":1} {TO} {to {} {1} end{", RENDER_URL, &gateway, &sms, &b, err,
				     sizeof err));
	assert_string_equal(b.s, "{ {\"a\":1} {TO} {to {} {1} end{");
	buf_free(&b);
}

static void render_refuses_unknown_placeholders(void **state)
{
	struct buf b = {0};
	char err[256];

	(void)state;
	assert_false(transport_render("text={txt}", RENDER_URL, &gateway, &sms, &b, err, sizeof err));
	assert_string_equal(err, "unknown placeholder {txt}: use {to} {text} {id} {key} {from}");
	buf_free(&b);
}

static void render_missing_values_are_empty(void **state)
{
	struct outgoing o = sms;
	struct transport t = gateway;
	struct buf b = {0};
	char err[256];

	(void)state;
	o.key = NULL;
	t.from = NULL;
	assert_true(transport_render("k={key}&f={from}", RENDER_URL, &t, &o, &b, err, sizeof err));
	assert_string_equal(b.s, "k=&f=");
	buf_free(&b);
}

static void http_json_post(void **state)
{
	struct buf body = {0};
	char *url, err[256];
	json_t *j;

	(void)state;
	assert_true(transport_http_request(&gateway, &sms_ucs2, &url, &body, err, sizeof err));
	assert_string_equal(url, "https://api.sms.example/v1/messages");
	j = parse_json(body.s);
	assert_string_equal(jstr(j, "to"), "+34600000001");
	assert_string_equal(jstr(j, "text"), "Sr. Núñez: su cuota vence mañana.");
	assert_string_equal(jstr(j, "ref"), "43");
	assert_string_equal(jstr(j, "sender"), "COBRO");
	json_decref(j);
	buf_free(&body);
	free(url);
}

static void http_form_post(void **state)
{
	struct transport t = gateway;
	struct buf body = {0};
	char *url, err[256];

	(void)state;
	t.json = false;
	t.body = "to={to}&message={text}&client_ref={id}";
	assert_true(transport_http_request(&t, &sms, &url, &body, err, sizeof err));
	assert_url_clean(body.s);
	assert_param(body.s, "to", "+51987654321");
	assert_param(body.s, "message", sms.body);
	assert_param(body.s, "client_ref", "42");
	buf_free(&body);
	free(url);
}

static void http_get_puts_everything_in_the_url(void **state)
{
	struct transport t = gateway;
	struct buf body = {0};
	char *url, err[256];

	(void)state;
	t.method = "GET";
	t.body = NULL;
	t.url = "https://gw.example/send?user=cobro&dest={to}&msg={text}&ref={id}";
	assert_true(transport_http_request(&t, &sms_ucs2, &url, &body, err, sizeof err));
	assert_url_clean(url);
	assert_param(url, "dest", "+34600000001");
	assert_param(url, "msg", sms_ucs2.body);
	assert_param(url, "ref", "43");
	assert_param(url, "user", "cobro");
	assert_true(body.len == 0);
	buf_free(&body);
	free(url);
}

static void http_bad_template_is_an_error(void **state)
{
	struct transport t = gateway;
	struct buf body = {0};
	char *url = (char *)"untouched", err[256];

	(void)state;
	t.body = "{\"x\":\"{message}\"}";
	assert_false(transport_http_request(&t, &sms, &url, &body, err, sizeof err));
	assert_null(url);
	assert_non_null(strstr(err, "{message}"));
	buf_free(&body);
}

static void headers_per_kind(void **state)
{
	struct transport t;
	struct curl_slist *h;

	(void)state;
	h = transport_headers(&gateway);
	assert_true(has_header(h, "Content-Type: application/json"));
	assert_true(has_header(h, "Authorization: Bearer tok-SECRET-123"));
	assert_true(has_header(h, "Expect:"));
	curl_slist_free_all(h);

	t = gateway;
	t.json = false;
	t.token = NULL;
	t.username = "u";
	t.password = "p";
	h = transport_headers(&t);
	assert_true(has_header(h, "Content-Type: application/x-www-form-urlencoded"));
	assert_false(has_header_named(h, "Authorization")); /* basic is set on the handle */
	curl_slist_free_all(h);

	t = gateway;
	t.token_header = "X-API-Key";
	h = transport_headers(&t);
	assert_true(has_header(h, "X-API-Key: tok-SECRET-123"));
	assert_false(has_header_named(h, "Authorization"));
	curl_slist_free_all(h);

	h = transport_headers(&kannel);
	assert_false(has_header_named(h, "Authorization"));
	assert_false(has_header_named(h, "Content-Type"));
	curl_slist_free_all(h);

	h = transport_headers(&whatsapp);
	assert_true(has_header(h, "Content-Type: application/json"));
	assert_true(has_header(h, "Authorization: Bearer EAAG-SECRET"));
	curl_slist_free_all(h);
}

/* -------------------------------------------------------------- whatsapp */

static void whatsapp_url_trims_slashes(void **state)
{
	struct transport t = whatsapp;
	char *url;

	(void)state;
	url = transport_whatsapp_url(&t);
	assert_string_equal(url, "https://graph.facebook.com/v21.0/106540352242922/messages");
	free(url);
	t.url = "http://127.0.0.1:13280";
	url = transport_whatsapp_url(&t);
	assert_string_equal(url, "http://127.0.0.1:13280/106540352242922/messages");
	free(url);
}

static void whatsapp_template_body(void **state)
{
	struct buf b = {0};
	char err[256];
	json_t *j, *params;

	(void)state;
	assert_true(transport_whatsapp_body(&wa, &b, err, sizeof err));
	j = parse_json(b.s);
	assert_string_equal(jstr(j, "messaging_product"), "whatsapp");
	assert_string_equal(jstr(j, "to"), "+51987654321");
	assert_string_equal(jstr(j, "type"), "template");
	assert_string_equal(jstr(j, "template.name"), "recordatorio_pago");
	assert_string_equal(jstr(j, "template.language.code"), "es_PE");
	assert_string_equal(jstr(j, "template.components.0.type"), "body");
	params = json_object_get(
	    json_array_get(json_object_get(json_object_get(j, "template"), "components"), 0), "parameters");
	assert_int_equal(json_array_size(params), 3);
	for (size_t i = 0; i < 3; i++) {
		json_t *p = json_array_get(params, i);

		assert_string_equal(json_string_value(json_object_get(p, "type")), "text");
		assert_string_equal(json_string_value(json_object_get(p, "text")), wa_params[i]);
	}
	assert_int_equal(json_object_size(j), 4);
	/* The exact shape, so a change is seen. */
	assert_string_equal(
	    b.s, "{\"messaging_product\":\"whatsapp\",\"to\":\"+51987654321\",\"type\":\"template\","
		 "\"template\":{\"name\":\"recordatorio_pago\",\"language\":{\"code\":\"es_PE\"},"
		 "\"components\":[{\"type\":\"body\",\"parameters\":[{\"type\":\"text\",\"text\":"
		 "\"Juan\"},{\"type\":\"text\",\"text\":\"S/ 150,00\"},{\"type\":\"text\",\"text\":"
		 "\"15/12\"}]}]}}");
	json_decref(j);
	buf_free(&b);
}

static void whatsapp_template_without_parameters(void **state)
{
	struct outgoing o = wa;
	struct buf b = {0};
	char err[256];
	json_t *j;

	(void)state;
	o.nparams = 0;
	o.template_language = NULL;
	assert_true(transport_whatsapp_body(&o, &b, err, sizeof err));
	j = parse_json(b.s);
	assert_null(json_object_get(json_object_get(j, "template"), "components"));
	assert_string_equal(jstr(j, "template.language.code"), "es");
	json_decref(j);
	buf_free(&b);
}

static void whatsapp_text_without_template(void **state)
{
	struct outgoing o = wa;
	struct buf b = {0};
	char err[256];
	json_t *j;

	(void)state;
	o.template_name = NULL;
	o.body = "Gracias, \"Juan\".\nRecibimos su pago.";
	assert_true(transport_whatsapp_body(&o, &b, err, sizeof err));
	j = parse_json(b.s);
	assert_string_equal(jstr(j, "type"), "text");
	assert_string_equal(jstr(j, "text.body"), o.body);
	assert_null(json_object_get(j, "template"));
	json_decref(j);
	buf_free(&b);
}

static void whatsapp_refuses_bad_fields(void **state)
{
	static const char *const bad_params[] = {"ok", "\xff"};
	static const char *const null_params[] = {"ok", NULL};
	struct outgoing o = wa;
	struct buf b = {0};
	char err[256];

	(void)state;
	o.params = bad_params;
	o.nparams = 2;
	assert_false(transport_whatsapp_body(&o, &b, err, sizeof err));
	assert_string_equal(err, "whatsapp: a template parameter is missing or not valid UTF-8");
	o.params = null_params;
	assert_false(transport_whatsapp_body(&o, &b, err, sizeof err));
	o = wa;
	o.recipient = NULL;
	assert_false(transport_whatsapp_body(&o, &b, err, sizeof err));
	assert_string_equal(err, "whatsapp: the recipient is missing or not valid UTF-8");
	o = wa;
	o.template_name = NULL;
	o.body = "\xc3";
	assert_false(transport_whatsapp_body(&o, &b, err, sizeof err));
	assert_string_equal(err, "whatsapp: the text is missing or not valid UTF-8");
	buf_free(&b);
}

/* ------------------------------------------------------------------ smtp */

static void smtp_message_takes_the_transport_defaults(void **state)
{
	struct buf b = {0};
	char id[256], err[256];

	(void)state;
	assert_true(transport_smtp_message(&smtp, &email, email.key, &b, id, sizeof id, err, sizeof err));
	assert_string_equal(id, "cobro.44.0b7e4ea1-93c9-4d1e-9a53-3c2f1f6a8d10@example.com");
	assert_non_null(strstr(b.s, "\r\nFrom: Cobranzas Ejemplo <cobranzas@example.com>\r\n"));
	assert_non_null(strstr(b.s, "\r\nReply-To: pagos@example.com\r\n"));
	assert_non_null(strstr(b.s, "List-Unsubscribe:\r\n <https://cobro.example.com/baja/"
				    "0b7e4ea1-93c9-4d1e-9a53-3c2f1f6a8d10?m=44>,\r\n "
				    "<mailto:baja@example.com?subject=unsubscribe>\r\n"));
	assert_non_null(strstr(b.s, "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"));
	assert_non_null(strstr(b.s, "Date: Wed, 18 Nov 2026 11:06:40 +0000\r\n"));
	assert_non_null(strstr(b.s, "\r\n.l=C3=ADnea con punto\r\n"));
	buf_free(&b);
}

static void smtp_message_per_creditor(void **state)
{
	struct outgoing o = email;
	struct buf b = {0};
	char id[256], err[256];

	(void)state;
	o.from = "avisos@banco.example";
	o.from_name = "Banco Ejemplo";
	o.reply_to = "recuperaciones@banco.example";
	assert_true(transport_smtp_message(&smtp, &o, "abc", &b, id, sizeof id, err, sizeof err));
	assert_non_null(strstr(b.s, "\r\nFrom: Banco Ejemplo <avisos@banco.example>\r\n"));
	assert_non_null(strstr(b.s, "\r\nReply-To: recuperaciones@banco.example\r\n"));
	/* The transport's unsubscribe address wins over the creditor's. */
	assert_non_null(strstr(b.s, "<mailto:baja@example.com?subject=unsubscribe>\r\n"));
	/* The Message-ID names the creditor's domain unless one is configured. */
	assert_string_equal(id, "cobro.44.abc@banco.example");
	buf_free(&b);
}

static void smtp_message_refuses_a_bad_recipient(void **state)
{
	struct outgoing o = email;
	struct buf b = {0};
	char id[256], err[256];

	(void)state;
	o.recipient = "juan@example.org\r\nRCPT TO:<otro@example.org>";
	assert_false(transport_smtp_message(&smtp, &o, "abc", &b, id, sizeof id, err, sizeof err));
	assert_string_equal(err, "to address is not valid");
	buf_free(&b);
}

/* ------------------------------------------------------------- responses */

static void response_id_paths(void **state)
{
	static const struct {
		const char *json, *path, *want; /* want NULL: not found */
	} cases[] = {
	    {"{\"id\":\"abc-1\"}", "id", "abc-1"},
	    {"{\"data\":{\"id\":\"m-77\"}}", "data.id", "m-77"},
	    {"{\"messages\":[{\"id\":\"wamid.HBgL\"}]}", "messages.0.id", "wamid.HBgL"},
	    {"{\"messages\":[{\"id\":\"a\"},{\"id\":\"b\"}]}", "messages.1.id", "b"},
	    {"{\"data\":{\"id\":123456789012}}", "data.id", "123456789012"},
	    {"{\"messages\":[]}", "messages.0.id", NULL},
	    {"{\"data\":{}}", "data.id", NULL},
	    {"{\"data\":{\"id\":null}}", "data.id", NULL},
	    {"{\"data\":{\"id\":{\"x\":1}}}", "data.id", NULL},
	    {"{\"data\":{\"id\":\"has space\"}}", "data.id", NULL},
	    {"{\"data\":{\"id\":\"\"}}", "data.id", NULL},
	    {"not json", "id", NULL},
	    {"", "id", NULL},
	    {"[\"x\"]", "0", "x"},
	    {"{\"0\":\"obj\"}", "0", "obj"},
	};
	char out[128];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		bool ok = transport_response_id(cases[i].json, strlen(cases[i].json), cases[i].path, out,
						sizeof out);

		if (cases[i].want && (!ok || strcmp(out, cases[i].want) != 0))
			fail_msg("%s at %s: got %s \"%s\"", cases[i].json, cases[i].path,
				 ok ? "ok" : "nothing", out);
		if (!cases[i].want && (ok || out[0]))
			fail_msg("%s at %s: found \"%s\"", cases[i].json, cases[i].path, out);
	}
}

static void response_id_whole_body(void **state)
{
	char out[128], big[300];

	(void)state;
	assert_true(transport_response_id("  OK-12345\r\n", 12, NULL, out, sizeof out));
	assert_string_equal(out, "OK-12345");
	assert_true(transport_response_id("x", 1, "", out, sizeof out));
	assert_false(transport_response_id("two\nlines", 9, NULL, out, sizeof out));
	assert_false(transport_response_id("   ", 3, NULL, out, sizeof out));
	assert_false(transport_response_id("ñ", 2, NULL, out, sizeof out));
	memset(big, 'a', sizeof big);
	assert_false(transport_response_id(big, sizeof big, NULL, out, sizeof out));
	assert_string_equal(out, "");
}

/* ------------------------------------------------------------------- TLS */

static void insecure_hosts_match_by_name(void **state)
{
	char *hosts[] = {"smtp.test.local", "127.0.0.1", "::1"};
	struct cobrod_conf c = {.insecure_hosts = hosts, .ninsecure_hosts = 3};

	(void)state;
	assert_true(transport_host_insecure(&c, "smtps://smtp.test.local:465"));
	assert_true(transport_host_insecure(&c, "https://SMTP.Test.Local/x"));
	assert_true(transport_host_insecure(&c, "https://127.0.0.1:13013/cgi-bin/sendsms?x=1"));
	assert_true(transport_host_insecure(&c, "https://user:pw@127.0.0.1/"));
	assert_true(transport_host_insecure(&c, "https://[::1]:8443/"));
	assert_false(transport_host_insecure(&c, "https://smtp.test.local.evil.example/"));
	assert_false(transport_host_insecure(&c, "https://test.local/"));
	assert_false(transport_host_insecure(&c, "https://127.0.0.10/"));
	assert_false(transport_host_insecure(&c, "https://evil.example/?h=127.0.0.1"));
	assert_false(transport_host_insecure(NULL, "https://127.0.0.1/"));
	c.ninsecure_hosts = 0;
	assert_false(transport_host_insecure(&c, "https://127.0.0.1/"));
}

/* ------------------------------------------------------------------ jobs */

static struct send_job *job(const struct transport *t, const struct outgoing *o)
{
	char err[256];
	struct send_job *j = transport_job_new(NULL, t, o, err, sizeof err);

	if (!j)
		fail_msg("no job: %s", err);
	return j;
}

static void job_for_each_kind(void **state)
{
	struct send_job *j;
	void *priv = NULL;

	(void)state;
	j = job(&kannel, &sms);
	assert_non_null(j->curl);
	assert_int_equal(j->id, 42);
	assert_int_equal(j->kind, TRANSPORT_KANNEL);
	assert_string_equal(j->transport, "kannel");
	assert_param(j->url, "to", "+51987654321");
	assert_int_equal(curl_easy_getinfo(j->curl, CURLINFO_PRIVATE, &priv), CURLE_OK);
	assert_ptr_equal(priv, j);
	send_job_free(j);

	j = job(&gateway, &sms);
	assert_string_equal(j->url, "https://api.sms.example/v1/messages");
	json_decref(parse_json(j->request.s));
	assert_true(has_header(j->headers, "Authorization: Bearer tok-SECRET-123"));
	send_job_free(j);

	j = job(&whatsapp, &wa);
	assert_string_equal(j->url, "https://graph.facebook.com/v21.0/106540352242922/messages");
	assert_non_null(strstr(j->request.s, "\"recordatorio_pago\""));
	send_job_free(j);

	j = job(&smtp, &email);
	assert_string_equal(j->url, "smtp://127.0.0.1:2599");
	assert_string_equal(j->message_id, "cobro.44.0b7e4ea1-93c9-4d1e-9a53-3c2f1f6a8d10@example.com");
	assert_true(strncmp(j->request.s, "Date: ", 6) == 0);
	assert_string_equal(j->rcpt->data, "<juan.nunez@example.org>");
	assert_null(j->rcpt->next);
	send_job_free(j);
}

static void job_without_key_gets_a_random_message_id(void **state)
{
	struct outgoing o = email;
	struct send_job *a, *b;

	(void)state;
	o.key = NULL;
	a = job(&smtp, &o);
	b = job(&smtp, &o);
	assert_true(strncmp(a->message_id, "cobro.44.", 9) == 0);
	assert_int_equal(strlen(a->message_id), strlen("cobro.44.@example.com") + 32);
	assert_string_not_equal(a->message_id, b->message_id);
	send_job_free(a);
	send_job_free(b);
}

static void job_refusals(void **state)
{
	struct outgoing o;
	char err[256];

	(void)state;
	o = email;
	assert_null(transport_job_new(NULL, &kannel, &o, err, sizeof err));
	assert_string_equal(err, "a kannel transport cannot send email");
	o = sms;
	assert_null(transport_job_new(NULL, &smtp, &o, err, sizeof err));
	assert_string_equal(err, "an smtp transport cannot send sms");
	o = wa;
	assert_null(transport_job_new(NULL, &kannel, &o, err, sizeof err));
	o = sms;
	assert_null(transport_job_new(NULL, NULL, &o, err, sizeof err));
	assert_string_equal(err, "no transport for sms");
	o.recipient = "";
	assert_null(transport_job_new(NULL, &kannel, &o, err, sizeof err));
	assert_string_equal(err, "no recipient");
	o = email;
	o.subject = "Hola\r\nBcc: x@example.com";
	assert_null(transport_job_new(NULL, &smtp, &o, err, sizeof err));
	assert_string_equal(err, "subject holds a line break");
	o = wa;
	o.template_name = "\xff";
	assert_null(transport_job_new(NULL, &whatsapp, &o, err, sizeof err));
	o = sms;
	{
		struct transport t = gateway;

		t.body = "{\"x\":\"{nope}\"}";
		assert_null(transport_job_new(NULL, &t, &o, err, sizeof err));
		assert_non_null(strstr(err, "{nope}"));
	}
}

/* A generic HTTP gateway may send WhatsApp too (by configuration). */
static void job_http_gateway_for_whatsapp(void **state)
{
	struct send_job *j = job(&gateway, &wa);

	(void)state;
	send_job_free(j);
	send_job_free(NULL);
}

/* -------------------------------------------------------------- verdicts */

static struct send_result verdict_of(const struct transport *t, const struct outgoing *o, CURLcode rc,
				     long status, const char *response, const char *error)
{
	struct send_job *j = job(t, o);
	struct send_result r;

	if (response)
		buf_puts(&j->response, response);
	if (error)
		snprintf(j->error, sizeof j->error, "%s", error);
	transport_result(j, rc, status, &r);
	send_job_free(j);
	return r;
}

#define assert_verdict(r, want_outcome, want_fault)                                                          \
	do {                                                                                                 \
		if ((r).outcome != (want_outcome) || (r).transport_fault != (want_fault))                    \
			fail_msg("outcome %d fault %d (%s), want %d fault %d", (r).outcome,                  \
				 (r).transport_fault, (r).reason, want_outcome, want_fault);                 \
	} while (0)

static void kannel_verdicts(void **state)
{
	struct send_result r;

	(void)state;
	r = verdict_of(&kannel, &sms, CURLE_OK, 202, "0: Accepted for delivery", NULL);
	assert_verdict(r, SEND_SENT, false);
	assert_string_equal(r.reason, "");
	assert_string_equal(r.provider_id, "");

	r = verdict_of(&kannel, &sms, CURLE_OK, 202, "3: Queued for later delivery", NULL);
	assert_verdict(r, SEND_SENT, false);
	assert_string_equal(r.reason, "kannel: 3: Queued for later delivery");

	r = verdict_of(&kannel, &sms, CURLE_OK, 403, "Authorization failed for sendsms", NULL);
	assert_verdict(r, SEND_RETRY, true);
	assert_string_equal(r.reason, "kannel: HTTP 403: Authorization failed for sendsms");

	r = verdict_of(&kannel, &sms, CURLE_OK, 403,
		       "Number(s) has/have been denied by white- and/or black-lists.", NULL);
	assert_verdict(r, SEND_FAILED, false);

	r = verdict_of(&kannel, &sms, CURLE_OK, 400, "Sender missing and no global set, rejected", NULL);
	assert_verdict(r, SEND_FAILED, false);
	assert_string_equal(r.reason, "kannel: HTTP 400: Sender missing and no global set, rejected");

	r = verdict_of(&kannel, &sms, CURLE_OK, 503, "Sending failed.", NULL);
	assert_verdict(r, SEND_RETRY, true);

	r = verdict_of(&kannel, &sms, CURLE_COULDNT_CONNECT, 0, NULL,
		       "Failed to connect to 127.0.0.1 port 13013");
	assert_verdict(r, SEND_RETRY, true);
	assert_string_equal(r.reason, "kannel: Couldn't connect to server");

	r = verdict_of(&kannel, &sms, CURLE_OPERATION_TIMEDOUT, 0, NULL, NULL);
	assert_verdict(r, SEND_RETRY, true);
	assert_string_equal(r.reason, "kannel: timed out (the provider may have it)");
}

static void http_verdicts(void **state)
{
	static const struct {
		long status;
		enum send_outcome outcome;
		bool fault;
	} statuses[] = {
	    {200, SEND_SENT, false},   {201, SEND_SENT, false},   {202, SEND_SENT, false},
	    {204, SEND_SENT, false},   {301, SEND_RETRY, true},   {302, SEND_RETRY, true},
	    {400, SEND_FAILED, false}, {401, SEND_RETRY, true},   {402, SEND_FAILED, false},
	    {403, SEND_RETRY, true},   {404, SEND_RETRY, true},   {405, SEND_RETRY, true},
	    {408, SEND_RETRY, false},  {409, SEND_FAILED, false}, {413, SEND_FAILED, false},
	    {422, SEND_FAILED, false}, {425, SEND_RETRY, false},  {429, SEND_RETRY, true},
	    {500, SEND_RETRY, true},   {502, SEND_RETRY, true},   {503, SEND_RETRY, true},
	    {504, SEND_RETRY, true},   {0, SEND_RETRY, true},
	};
	struct send_result r;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(statuses); i++) {
		r = verdict_of(&gateway, &sms, CURLE_OK, statuses[i].status, "{}", NULL);
		if (r.outcome != statuses[i].outcome || r.transport_fault != statuses[i].fault)
			fail_msg("HTTP %ld: outcome %d fault %d", statuses[i].status, r.outcome,
				 r.transport_fault);
	}
	r = verdict_of(&gateway, &sms, CURLE_OK, 200, "{\"data\":{\"id\":\"gw-991\"}}", NULL);
	assert_verdict(r, SEND_SENT, false);
	assert_string_equal(r.provider_id, "gw-991");
	assert_string_equal(r.reason, "");

	r = verdict_of(&gateway, &sms, CURLE_OK, 200, "{\"ok\":true}", NULL);
	assert_verdict(r, SEND_SENT, false);
	assert_string_equal(r.provider_id, "");
	assert_string_equal(r.reason, "http: accepted, but no id at data.id");

	r = verdict_of(&gateway, &sms, CURLE_OK, 400, "{\"error\":\"bad text: Hola Juan, su cuota\"}", NULL);
	assert_verdict(r, SEND_FAILED, false);
	assert_string_equal(r.reason, "http: HTTP 400");

	r = verdict_of(&gateway, &sms, CURLE_SSL_CACERT_BADFILE, 0, NULL, NULL);
	assert_verdict(r, SEND_RETRY, true);
	r = verdict_of(&gateway, &sms, CURLE_PEER_FAILED_VERIFICATION, 0, NULL, NULL);
	assert_verdict(r, SEND_RETRY, true);
	assert_non_null(strstr(r.reason, "http: "));
}

static void http_whole_body_as_id(void **state)
{
	struct transport t = gateway;
	struct send_result r;

	(void)state;
	t.id_path = NULL;
	r = verdict_of(&t, &sms, CURLE_OK, 200, "ID: 7781\n", NULL);
	assert_verdict(r, SEND_SENT, false);
	assert_string_equal(r.provider_id, "");
	r = verdict_of(&t, &sms, CURLE_OK, 200, "  7781-ab  \n", NULL);
	assert_string_equal(r.provider_id, "7781-ab");
	assert_string_equal(r.reason, "");
}

static void whatsapp_verdicts(void **state)
{
	struct send_result r;

	(void)state;
	r = verdict_of(
	    &whatsapp, &wa, CURLE_OK, 200,
	    "{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"+51987654321\",\"wa_id\":"
	    "\"51987654321\"}],\"messages\":[{\"id\":\"wamid.HBgLNTE5ODc2NTQzMjEVAgARGBI\"}]}",
	    NULL);
	assert_verdict(r, SEND_SENT, false);
	assert_string_equal(r.provider_id, "wamid.HBgLNTE5ODc2NTQzMjEVAgARGBI");

	r = verdict_of(&whatsapp, &wa, CURLE_OK, 200, "{}", NULL);
	assert_verdict(r, SEND_SENT, false);
	assert_string_equal(r.reason, "whatsapp: accepted, but no messages[0].id");

	r = verdict_of(
	    &whatsapp, &wa, CURLE_OK, 404,
	    "{\"error\":{\"message\":\"(#132001) Template name does not exist in the translation\","
	    "\"type\":\"OAuthException\",\"code\":132001,\"fbtrace_id\":\"A\"}}",
	    NULL);
	assert_verdict(r, SEND_FAILED, false);
	assert_string_equal(
	    r.reason,
	    "whatsapp: HTTP 404: error 132001: (#132001) Template name does not exist in the translation");

	r = verdict_of(&whatsapp, &wa, CURLE_OK, 401,
		       "{\"error\":{\"message\":\"Error validating access token: Session has expired\","
		       "\"type\":\"OAuthException\",\"code\":190,\"error_subcode\":463}}",
		       NULL);
	assert_verdict(r, SEND_RETRY, true);

	r = verdict_of(&whatsapp, &wa, CURLE_OK, 400,
		       "{\"error\":{\"message\":\"Re-engagement message\",\"code\":131047}}", NULL);
	assert_verdict(r, SEND_FAILED, false);

	r = verdict_of(&whatsapp, &wa, CURLE_OK, 400,
		       "{\"error\":{\"message\":\"Message undeliverable\",\"code\":131026}}", NULL);
	assert_verdict(r, SEND_FAILED, false);

	r = verdict_of(
	    &whatsapp, &wa, CURLE_OK, 429,
	    "{\"error\":{\"message\":\"Cloud API message throughput has been reached.\",\"code\":130429}}",
	    NULL);
	assert_verdict(r, SEND_RETRY, true);

	r = verdict_of(&whatsapp, &wa, CURLE_OK, 500,
		       "{\"error\":{\"message\":\"Something went wrong\",\"code\":131000}}", NULL);
	assert_verdict(r, SEND_RETRY, false);

	r = verdict_of(&whatsapp, &wa, CURLE_OK, 400, "<html>proxy error</html>", NULL);
	assert_verdict(r, SEND_FAILED, false);
	assert_string_equal(r.reason, "whatsapp: HTTP 400");
}

static void smtp_verdicts(void **state)
{
	struct send_result r;

	(void)state;
	r = verdict_of(&smtp, &email, CURLE_OK, 250, NULL, NULL);
	assert_verdict(r, SEND_SENT, false);
	assert_string_equal(r.provider_id, "cobro.44.0b7e4ea1-93c9-4d1e-9a53-3c2f1f6a8d10@example.com");

	r = verdict_of(&smtp, &email, CURLE_SEND_ERROR, 550, NULL, "RCPT failed: 550");
	assert_verdict(r, SEND_FAILED, false);
	assert_string_equal(r.reason, "smtp: recipient refused (550)");

	r = verdict_of(&smtp, &email, CURLE_SEND_ERROR, 450, NULL, "RCPT failed: 450");
	assert_verdict(r, SEND_RETRY, false);

	r = verdict_of(&smtp, &email, CURLE_SEND_ERROR, 553, NULL, "MAIL failed: 553");
	assert_verdict(r, SEND_RETRY, true);
	assert_string_equal(r.reason, "smtp: sender refused (553)");

	r = verdict_of(&smtp, &email, CURLE_SEND_ERROR, 554, NULL, "DATA failed: 554");
	assert_verdict(r, SEND_RETRY, false);

	r = verdict_of(&smtp, &email, CURLE_WEIRD_SERVER_REPLY, 554, NULL, NULL);
	assert_verdict(r, SEND_FAILED, false);
	assert_string_equal(r.reason, "smtp: message refused (554)");

	r = verdict_of(&smtp, &email, CURLE_WEIRD_SERVER_REPLY, 451, NULL, NULL);
	assert_verdict(r, SEND_RETRY, false);

	r = verdict_of(&smtp, &email, CURLE_LOGIN_DENIED, 535, NULL, "Authentication failed: 535");
	assert_verdict(r, SEND_RETRY, true);
	assert_string_equal(r.reason, "smtp: login refused");

	r = verdict_of(&smtp, &email, CURLE_USE_SSL_FAILED, 0, NULL, "STARTTLS not supported.");
	assert_verdict(r, SEND_RETRY, true);
	assert_string_equal(r.reason, "smtp: the server does not offer STARTTLS");

	r = verdict_of(&smtp, &email, CURLE_COULDNT_CONNECT, 0, NULL, NULL);
	assert_verdict(r, SEND_RETRY, true);
	assert_string_equal(r.reason, "smtp: Couldn't connect to server");
}

/* No reason ever carries a secret or the text, even when a provider echoes
 * them back. */
static void reasons_withhold_secrets_and_text(void **state)
{
	struct send_result r;
	char resp[512];

	(void)state;
	r = verdict_of(&whatsapp, &wa, CURLE_OK, 401,
		       "{\"error\":{\"message\":\"Invalid OAuth access token - EAAG-SECRET\",\"code\":190}}",
		       NULL);
	assert_null(strstr(r.reason, "EAAG-SECRET"));
	assert_non_null(strstr(r.reason, "(withheld)"));

	r = verdict_of(&kannel, &sms, CURLE_OK, 403, "Authorization failed for sendsms p&ss=w rd+%", NULL);
	assert_null(strstr(r.reason, "p&ss=w rd+%"));

	snprintf(resp, sizeof resp, "{\"error\":{\"message\":\"bad: %s\",\"code\":100}}", wa.body);
	r = verdict_of(&whatsapp, &wa, CURLE_OK, 400, resp, NULL);
	assert_null(strstr(r.reason, wa.body));

	snprintf(resp, sizeof resp, "Rejected: %s", sms.body);
	r = verdict_of(&kannel, &sms, CURLE_OK, 400, resp, NULL);
	assert_null(strstr(r.reason, sms.body));
	assert_non_null(strstr(r.reason, "kannel: HTTP 400: Rejected: "));
}

/* A huge answer is cut, and a reason is always printable ASCII. */
static void reasons_are_short_and_printable(void **state)
{
	struct send_result r;
	struct buf big = {0};

	(void)state;
	buf_puts(&big, "\x01\x02 Error\xc3\xb1 ");
	for (int i = 0; i < 1000; i++)
		buf_puts(&big, "long ");
	r = verdict_of(&kannel, &sms, CURLE_OK, 400, big.s, NULL);
	assert_true(strlen(r.reason) < sizeof r.reason);
	for (const char *p = r.reason; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			fail_msg("byte 0x%02x in the reason", (unsigned char)*p);
	buf_free(&big);
}

/* --------------------------------------------------------------- checks */

static void checks_pass_for_good_transports(void **state)
{
	const struct transport *all[] = {&kannel, &gateway, &smtp, &whatsapp};
	char err[512];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(all); i++)
		if (!transport_check(all[i], "cobrod.conf", err, sizeof err))
			fail_msg("%s", err);
}

static void check_fails(const struct transport *t, const char *want)
{
	char err[512];

	if (transport_check(t, "f.conf", err, sizeof err))
		fail_msg("passed; want %s", want);
	assert_string_equal(err, want);
}

static void checks_name_the_setting_and_line(void **state)
{
	struct transport t;

	(void)state;
	t = kannel;
	t.url = "http://";
	t.at.url = 3;
	check_fails(&t, "f.conf:3: transports.kannel.url: not an http:// or https:// URL with a host");
	t = kannel;
	t.dlr_url = "ftp://x/dlr";
	t.at.dlr_url = 9;
	check_fails(&t, "f.conf:9: transports.kannel.dlr_url: not an http:// or https:// URL with a host");
	{
		/* 0 and -1 (what the loader makes of a number out of range) as given
		 * in the file; 32 out of range; 17, 29 and 30 lack delivered or
		 * undelivered, without which a message's outcome is never known. */
		const int bad[] = {0, -1, 32, 64, 17, 29, 30, 4, 1, 2};

		for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
			t = kannel;
			t.dlr_mask = bad[i];
			t.at.dlr_mask = 14;
			check_fails(&t, "f.conf:14: transports.kannel.dlr_mask: 1 to 31 and holding 1 (delivered) "
					"and 2 (undelivered), e.g. 19 for the final reports only or 31 for all");
		}
		for (int m = 3; m <= 31; m += 4) {
			char err[512];

			t = kannel;
			t.dlr_mask = m;
			t.at.dlr_mask = 14;
			if (!transport_check(&t, "f.conf", err, sizeof err))
				fail_msg("dlr_mask %d: %s", m, err);
		}
	}
	t = kannel;
	t.dlr_url = NULL;
	t.dlr_mask = 19;
	t.at.dlr_mask = 6;
	check_fails(&t, "f.conf:6: transports.kannel.dlr_mask: needs dlr_url (where the reports go)");

	t = gateway;
	t.body = "{\"to\":\"{to}\",\"text\":\"{txt}\"}";
	t.at.body = 12;
	check_fails(
	    &t,
	    "f.conf:12: transports.gw.body: unknown placeholder {txt}: use {to} {text} {id} {key} {from}");
	t = gateway;
	t.body = "{\"to\":{to}}";
	t.at.body = 12;
	check_fails(&t, "f.conf:12: transports.gw.body: not JSON once filled in: invalid token near '+'");
	t = gateway;
	t.url = "https://{to}/x";
	t.at.url = 2;
	check_fails(&t, "f.conf:2: transports.gw.url: not an http:// or https:// URL with a host");
	t = gateway;
	t.id_path = "data..id";
	t.at.id_path = 5;
	check_fails(&t,
		    "f.conf:5: transports.gw.id_path: names separated by single dots, e.g. \"data.id\" or "
		    "\"messages.0.id\"");
	t = gateway;
	t.token_header = "X API Key:";
	t.line = 7;
	check_fails(&t, "f.conf:7: transports.gw.token_header: not a header name (letters, digits, - and _)");

	t = smtp;
	t.from = "cobranzas";
	t.at.from = 4;
	check_fails(&t, "f.conf:4: transports.mail.from: not a valid email address");
	t = smtp;
	t.reply_to = "a b@example.com";
	t.at.reply_to = 5;
	check_fails(&t, "f.conf:5: transports.mail.reply_to: not a valid email address");
	t = smtp;
	t.url = "http://mail.example.com";
	t.at.url = 2;
	check_fails(&t, "f.conf:2: transports.mail.url: not an smtp:// or smtps:// URL with a host");
	t = smtp;
	t.message_id_domain = "localhost";
	t.at.message_id_domain = 6;
	check_fails(&t, "f.conf:6: transports.mail.message_id_domain: not a valid domain");
	t = smtp;
	t.unsubscribe_url = "https://example.com/baja/{token}";
	t.at.unsubscribe_url = 8;
	check_fails(&t, "f.conf:8: transports.mail.unsubscribe_url: not an https:// URL with a host "
			"(placeholders: {id} {key})");
	t = smtp;
	t.unsubscribe_url = "mailto:baja@example.com";
	t.at.unsubscribe_url = 8;
	check_fails(&t, "f.conf:8: transports.mail.unsubscribe_url: not an https:// URL with a host "
			"(placeholders: {id} {key})");
	t = smtp;
	t.unsubscribe_url = "http://example.com/baja/{key}";
	t.at.unsubscribe_url = 8;
	check_fails(&t, "f.conf:8: transports.mail.unsubscribe_url: not an https:// URL with a host "
			"(placeholders: {id} {key})");
	t = smtp;
	t.unsubscribe_mailto = "baja";
	t.at.unsubscribe_mailto = 10;
	check_fails(&t, "f.conf:10: transports.mail.unsubscribe_mailto: not a valid email address");

	t = whatsapp;
	t.phone_number_id = "+51 1065";
	t.at.phone_number_id = 11;
	check_fails(&t, "f.conf:11: transports.wa.phone_number_id: digits only, as Meta shows it");
}

/* The loader and the checks together, with the lines of a real file. */
static void checks_after_loading_a_file(void **state)
{
	char path[] = "/tmp/cobro-test-transport-XXXXXX.conf", err[512], *want;
	const char *text = "transports = {\n"
			   "\tmail = {\n"
			   "\t\ttype = \"smtp\";\n"
			   "\t\turl = \"smtp://127.0.0.1:2525\";\n"
			   "\t\tfrom = \"cobranzas@\";\n"
			   "\t};\n"
			   "};\n";
	struct cobrod_conf c;
	int fd = mkstemps(path, 5);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	if (!cobrod_conf_load(&c, path, err, sizeof err))
		fail_msg("%s", err);
	assert_ptr_equal(c.channels[CH_EMAIL].transport, &c.transports[0]);
	want = xasprintf("%s:5: transports.mail.from: not a valid email address", path);
	assert_false(transports_check(&c, err, sizeof err));
	assert_string_equal(err, want);
	cobrod_conf_free(&c);
	unlink(path);
	free(want);
}

/* dlr_mask read from a file: the number given reaches the URL, a mask
 * without delivered is refused at its own line, and none means 31. */
static void dlr_mask_after_loading_a_file(void **state)
{
	static const struct {
		const char *mask; /* the setting's line, or "" for none */
		const char *want; /* dlr-mask in the URL, or NULL: refused at line 7 */
	} cases[] = {
	    {"\t\tdlr_mask = 19;\n", "19"},
	    {"\t\tdlr_mask = 5;\n", NULL},
	    {"\t\tdlr_mask = 0;\n", NULL},
	    {"\t\tdlr_mask = 275;\n", NULL}, /* 256 + 19 */
	    {"\t\tdlr_mask = -13;\n", NULL},
	    {"\n", "31"},
	};
	char err[512];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char path[] = "/tmp/cobro-test-transport-XXXXXX.conf", *want, *url, *text;
		struct cobrod_conf c;
		int fd = mkstemps(path, 5);

		text = xasprintf("transports = {\n"
				 "\tkannel = {\n"
				 "\t\ttype = \"kannel\";\n"
				 "\t\turl = \"http://127.0.0.1:13013/cgi-bin/sendsms\";\n"
				 "\t\tusername = \"cobro\"; password = \"secret\";\n"
				 "\t\tdlr_url = \"http://127.0.0.1:8090/kannel/dlr\";\n"
				 "%s"
				 "\t};\n"
				 "};\n",
				 cases[i].mask);
		assert_true(fd >= 0);
		assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
		close(fd);
		if (!cobrod_conf_load(&c, path, err, sizeof err))
			fail_msg("%s", err);
		if (cases[i].want) {
			if (!transports_check(&c, err, sizeof err))
				fail_msg("%s", err);
			url = transport_kannel_url(&c.transports[0], &sms);
			assert_param(url, "dlr-mask", cases[i].want);
			free(url);
		} else {
			want = xasprintf("%s:7: transports.kannel.dlr_mask: 1 to 31 and holding 1 (delivered) and 2 "
					 "(undelivered), e.g. 19 for the final reports only or 31 for all",
					 path);
			assert_false(transports_check(&c, err, sizeof err));
			assert_string_equal(err, want);
			free(want);
		}
		cobrod_conf_free(&c);
		unlink(path);
		free(text);
	}
}

/* The transports example of etc/cobrod.conf ($COBRO_TOP, else the current
 * directory), its "# " removed, passes the checks too: its addresses, URLs
 * and body template are sound. */
static void checks_pass_for_the_example_file(void **state)
{
	static const char *const env[] = {"COBRO_KANNEL_PASSWORD", "COBRO_GATEWAY_TOKEN",
					  "COBRO_SMTP_PASSWORD", "COBRO_WHATSAPP_TOKEN",
					  "COBRO_KANNEL_CALLBACK_SECRET"};
	const char *top = getenv("COBRO_TOP");
	char *example = xasprintf("%s/etc/cobrod.conf", top && *top ? top : "."),
	     path[] = "/tmp/cobro-test-example-XXXXXX";
	char chunk[4096], err[512];
	struct buf text = {0}, b = {0};
	struct cobrod_conf c;
	FILE *f = fopen(example, "r");
	const char *line;
	size_t n;
	int fd;

	(void)state;
	if (!f)
		fail_msg("%s: %s (run from the top of the tree or set COBRO_TOP)", example, strerror(errno));
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&text, chunk, n);
	fclose(f);
	line = strstr(text.s, "\n# transports = {\n");
	assert_non_null(line);
	for (line++; *line;) {
		size_t len = strcspn(line, "\n");

		if (strncmp(line, "# ", 2) == 0)
			buf_add(&b, line + 2, len - 2);
		buf_puts(&b, "\n");
		if (strncmp(line, "# };", 4) == 0)
			break;
		line += len + (line[len] == '\n');
	}
	buf_puts(&b, "channels = { sms = { transport = \"kannel\"; }; };\n");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, b.s, b.len), (ssize_t)b.len);
	close(fd);
	for (size_t i = 0; i < ARRAY_SIZE(env); i++)
		setenv(env[i], "example-secret-0123456789", 1);
	if (!cobrod_conf_load(&c, path, err, sizeof err))
		fail_msg("%s", err);
	if (!transports_check(&c, err, sizeof err))
		fail_msg("%s", err);
	assert_int_equal(c.ntransports, 4);
	cobrod_conf_free(&c);
	for (size_t i = 0; i < ARRAY_SIZE(env); i++)
		unsetenv(env[i]);
	unlink(path);
	buf_free(&b);
	buf_free(&text);
	free(example);
}

/* One outage is one step: 16 transfers in flight fail together and the
 * transport pauses once, briefly; only a failed probe (started after the
 * pause began) makes the next pause longer, never past
 * TRANSPORT_PROBE_MAX; one success ends it. */
static void backoff_one_outage_one_step(void **state)
{
	struct transport_backoff b = {0};
	double pause, down_for;

	(void)state;
	assert_int_equal(transport_backoff_allow(&b, 100), -1);
	assert_true(transport_backoff_fault(&b, 99.0, 100.0, 0.0, &pause));
	assert_true(pause >= 0.5 && pause <= 1.0);
	for (int i = 0; i < 15; i++) {
		assert_false(transport_backoff_fault(&b, 99.0 + i * 0.01, 100.1 + i * 0.01, 0.99, &pause));
		assert_true(pause == 0);
	}
	assert_int_equal(b.steps, 1);
	assert_int_equal(transport_backoff_allow(&b, 100.2), 0);
	/* The pause over: one probe, no more. */
	assert_int_equal(transport_backoff_allow(&b, b.until), 1);
	/* Probes keep failing: 2, 4, then 5 s at most, however long. */
	for (int i = 0; i < 50; i++) {
		double now = b.until + 0.5;

		assert_false(transport_backoff_fault(&b, b.until, now, 0.999, &pause));
		assert_true(pause > 0 && pause <= TRANSPORT_PROBE_MAX);
		assert_true(b.until - now <= TRANSPORT_PROBE_MAX);
	}
	assert_true(pause > TRANSPORT_PROBE_MAX * 0.99);
	/* A straggler of the first burst, answered late: still nothing. */
	assert_false(transport_backoff_fault(&b, 99.5, b.until - 0.1, 0.5, &pause));
	assert_true(pause == 0);
	/* The probe goes: the outage is over, it says since when. */
	assert_true(transport_backoff_ok(&b, 400.0, &down_for));
	assert_true(down_for == 300.0);
	assert_int_equal(transport_backoff_allow(&b, 400.0), -1);
	assert_int_equal(b.steps, 0);
	/* Answers while up say nothing. */
	assert_false(transport_backoff_ok(&b, 401.0, &down_for));
	/* A new outage starts from the first step again. */
	assert_true(transport_backoff_fault(&b, 402.0, 402.5, 0.0, &pause));
	assert_true(pause <= 1.0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(url_escape_keeps_only_unreserved),
	    cmocka_unit_test(json_escape_cases),
	    cmocka_unit_test(kannel_gsm_text),
	    cmocka_unit_test(kannel_ucs2_text),
	    cmocka_unit_test(kannel_dlr_url_carries_our_id),
	    cmocka_unit_test(kannel_dlr_mask_from_the_transport),
	    cmocka_unit_test(dlr_url_joins_an_existing_query),
	    cmocka_unit_test(kannel_without_dlr_or_sender),
	    cmocka_unit_test(kannel_creditor_sender_wins),
	    cmocka_unit_test(kannel_text_with_every_awkward_byte),
	    cmocka_unit_test(render_form_and_json),
	    cmocka_unit_test(render_leaves_non_placeholders),
	    cmocka_unit_test(render_refuses_unknown_placeholders),
	    cmocka_unit_test(render_missing_values_are_empty),
	    cmocka_unit_test(http_json_post),
	    cmocka_unit_test(http_form_post),
	    cmocka_unit_test(http_get_puts_everything_in_the_url),
	    cmocka_unit_test(http_bad_template_is_an_error),
	    cmocka_unit_test(headers_per_kind),
	    cmocka_unit_test(whatsapp_url_trims_slashes),
	    cmocka_unit_test(whatsapp_template_body),
	    cmocka_unit_test(whatsapp_template_without_parameters),
	    cmocka_unit_test(whatsapp_text_without_template),
	    cmocka_unit_test(whatsapp_refuses_bad_fields),
	    cmocka_unit_test(smtp_message_takes_the_transport_defaults),
	    cmocka_unit_test(smtp_message_per_creditor),
	    cmocka_unit_test(smtp_message_refuses_a_bad_recipient),
	    cmocka_unit_test(response_id_paths),
	    cmocka_unit_test(response_id_whole_body),
	    cmocka_unit_test(insecure_hosts_match_by_name),
	    cmocka_unit_test(job_for_each_kind),
	    cmocka_unit_test(job_without_key_gets_a_random_message_id),
	    cmocka_unit_test(job_refusals),
	    cmocka_unit_test(job_http_gateway_for_whatsapp),
	    cmocka_unit_test(kannel_verdicts),
	    cmocka_unit_test(http_verdicts),
	    cmocka_unit_test(http_whole_body_as_id),
	    cmocka_unit_test(whatsapp_verdicts),
	    cmocka_unit_test(smtp_verdicts),
	    cmocka_unit_test(reasons_withhold_secrets_and_text),
	    cmocka_unit_test(reasons_are_short_and_printable),
	    cmocka_unit_test(checks_pass_for_good_transports),
	    cmocka_unit_test(checks_name_the_setting_and_line),
	    cmocka_unit_test(checks_after_loading_a_file),
	    cmocka_unit_test(dlr_mask_after_loading_a_file),
	    cmocka_unit_test(checks_pass_for_the_example_file),
	    cmocka_unit_test(backoff_one_outage_one_step),
	};

	return cmocka_run_group_tests_name("transport", tests, NULL, NULL);
}

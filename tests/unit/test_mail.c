/* src/core/mail.c: addresses, the Date, RFC 2047 encoded-words, quoted-printable
 * and the whole message. Encoded text is checked by decoding it again here,
 * with decoders written from the RFCs, and by the limits each RFC sets on
 * line and word length, rather than against one frozen rendering. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mail.h"
#include "util.h"

/* ------------------------------------------------------------- decoders */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1; /* lowercase is not canonical: our encoder never writes it */
}

static size_t b64val(char c)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = c ? strchr(abc, c) : NULL;

	return p ? (size_t)(p - abc) : 64;
}

static bool utf8_ok(const char *s, size_t n)
{
	char *z = xasprintf("%.*s", (int)n, s);
	const char *p = z;
	bool ok = strlen(z) == n;

	while (ok && *p) {
		size_t k = mail_utf8_len(p);

		ok = k > 0;
		p += k;
	}
	free(z);
	return ok;
}

/* Decodes one encoded-word's payload into out; each word must hold whole
 * UTF-8 characters on its own (RFC 2047 section 5: no splitting). */
static void decode_word(const char *w, size_t n, struct buf *out)
{
	size_t before;
	char enc;
	const char *payload;
	size_t plen;

	if (n < 12 || strncmp(w, "=?UTF-8?", 8) != 0 || w[9] != '?' || strncmp(w + n - 2, "?=", 2) != 0)
		fail_msg("not an encoded-word: %.*s", (int)n, w);
	if (n > MAIL_WORD_MAX)
		fail_msg("encoded-word of %zu characters: %.*s", n, (int)n, w);
	enc = w[8];
	payload = w + 10;
	plen = n - 12;
	before = out->len;
	if (enc == 'Q') {
		for (size_t i = 0; i < plen; i++) {
			if (payload[i] == '_') {
				buf_add(out, " ", 1);
			} else if (payload[i] == '=') {
				int hi = i + 2 < plen ? hexval(payload[i + 1]) : -1,
				    lo = hi >= 0 ? hexval(payload[i + 2]) : -1;
				char c = (char)(hi * 16 + lo);

				if (hi < 0 || lo < 0)
					fail_msg("bad =XX in %.*s", (int)n, w);
				buf_add(out, &c, 1);
				i += 2;
			} else if (payload[i] == '?' || payload[i] == ' ' ||
				   (unsigned char)payload[i] > 0x7e) {
				fail_msg("raw '%c' in a Q word: %.*s", payload[i], (int)n, w);
			} else {
				buf_add(out, payload + i, 1);
			}
		}
	} else if (enc == 'B') {
		if (plen % 4)
			fail_msg("B payload not a multiple of 4: %.*s", (int)n, w);
		for (size_t i = 0; i < plen; i += 4) {
			size_t v[4];
			char bytes[3];
			int k = 3;

			for (int j = 0; j < 4; j++)
				v[j] = payload[i + j] == '=' ? 0 : b64val(payload[i + j]);
			if (v[0] > 63 || v[1] > 63 || v[2] > 63 || v[3] > 63)
				fail_msg("bad base64 in %.*s", (int)n, w);
			bytes[0] = (char)(v[0] << 2 | v[1] >> 4);
			bytes[1] = (char)((v[1] & 15) << 4 | v[2] >> 2);
			bytes[2] = (char)((v[2] & 3) << 6 | v[3]);
			if (payload[i + 2] == '=')
				k = 1;
			else if (payload[i + 3] == '=')
				k = 2;
			buf_add(out, bytes, (size_t)k);
		}
	} else {
		fail_msg("unknown encoding %c", enc);
	}
	if (!utf8_ok(out->s + before, out->len - before))
		fail_msg("encoded-word splits a UTF-8 character: %.*s", (int)n, w);
}

/* Checks the lines of a header field (every line within max, continuation
 * lines starting with a space) and returns its value decoded: unfolded,
 * encoded-words decoded, the whitespace between two of them dropped. */
static char *header_value(const char *field, size_t max)
{
	struct buf raw = {0}, out = {0};
	const char *colon = strchr(field, ':');
	const char *p;
	bool last_was_word = false;

	assert_non_null(colon);
	for (const char *line = field; *line;) {
		const char *end = strstr(line, "\r\n");

		assert_non_null(end);
		if ((size_t)(end - line) > max)
			fail_msg("header line of %zu characters: %.*s", (size_t)(end - line),
				 (int)(end - line), line);
		if (line != field && line[0] != ' ' && line[0] != '\t')
			fail_msg("continuation line without leading space: %.*s", (int)(end - line), line);
		buf_add(&raw, line, (size_t)(end - line)); /* unfolding: drop only the CRLF */
		line = end + 2;
	}
	p = raw.s + (colon - field) + 1;
	if (*p == ' ')
		p++;
	buf_puts(&out, "");
	while (*p) {
		size_t sp = strspn(p, " \t");
		const char *w = p + sp;

		if (strncmp(w, "=?", 2) == 0) {
			const char *end = strstr(w + 10, "?=");

			assert_non_null(end);
			if (!last_was_word)
				buf_add(&out, p, sp);
			decode_word(w, (size_t)(end + 2 - w), &out);
			p = end + 2;
			last_was_word = true;
		} else {
			size_t n = sp + strcspn(w, " \t");

			buf_add(&out, p, n);
			p += n;
			last_was_word = false;
		}
	}
	buf_free(&raw);
	return out.s;
}

/* Decodes quoted-printable, checking RFC 2045's rules on the way. */
static char *qp_decode(const char *s)
{
	struct buf out = {0};

	buf_puts(&out, "");
	for (const char *line = s; *line;) {
		const char *end = strstr(line, "\r\n");
		size_t n;

		if (!end)
			fail_msg("quoted-printable line without CRLF: %s", line);
		n = (size_t)(end - line);
		if (n > MAIL_LINE_MAX)
			fail_msg("quoted-printable line of %zu characters: %.*s", n, (int)n, line);
		if (n && (line[n - 1] == ' ' || line[n - 1] == '\t'))
			fail_msg("quoted-printable line ends in white space: %.*s", (int)n, line);
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)line[i];

			if (c == '=' && i == n - 1) {
				break; /* soft line break */
			} else if (c == '=') {
				int hi = i + 2 < n ? hexval(line[i + 1]) : -1,
				    lo = hi >= 0 ? hexval(line[i + 2]) : -1;
				char d = (char)(hi * 16 + lo);

				if (hi < 0 || lo < 0)
					fail_msg("bad =XX in %.*s", (int)n, line);
				buf_add(&out, &d, 1);
				i += 2;
			} else if ((c < 33 || c > 126) && c != ' ' && c != '\t') {
				fail_msg("raw byte 0x%02x in quoted-printable", c);
			} else {
				buf_add(&out, (const char *)&c, 1);
			}
		}
		/* An "=" of =XX has two characters after it: a last "=" is soft. */
		if (!(n && line[n - 1] == '='))
			buf_puts(&out, "\n");
		line = end + 2;
	}
	return out.s;
}

/* A header field of a message, from its name to the end of its last line. */
static char *header(const char *msg, const char *name)
{
	size_t n = strlen(name);
	const char *end_of_headers = strstr(msg, "\r\n\r\n");

	assert_non_null(end_of_headers);
	for (const char *line = msg; line <= end_of_headers;) {
		const char *next = strstr(line, "\r\n") + 2;

		if (strncmp(line, name, n) == 0 && line[n] == ':') {
			const char *end = next;

			while (*end == ' ' || *end == '\t')
				end = strstr(end, "\r\n") + 2;
			return xasprintf("%.*s", (int)(end - line), line);
		}
		line = next;
	}
	return NULL;
}

static char *compose(const struct mail *m)
{
	struct buf b = {0};
	char err[256];

	if (!mail_compose(m, &b, err, sizeof err))
		fail_msg("refused: %s", err);
	return b.s;
}

static const struct mail base = {
    .from_name = "Cobranzas Ejemplo",
    .from = "cobranzas@example.com",
    .to = "juan.nunez@example.org",
    .subject = "Recordatorio de pago",
    .body = "Hola\n",
    .date = 1795000000,
    .id = 42,
    .unique = "0b7e4ea1-93c9-4d1e-9a53-3c2f1f6a8d10",
};

/* ------------------------------------------------------------ addresses */

static void address_valid_ones(void **state)
{
	static const char *const good[] = {
	    "juan@example.com",
	    "juan.nunez@example.com.pe",
	    "j+cobro@sub.example.co",
	    "o'brien@example.ie",
	    "a@b.co",
	    "user_name-1@my-host.example",
	    "x!#$%&'*+/=?^_`{|}~-@example.com",
	    "1234@example.com",
	    "a@xn--nez-tma.example", /* an IDN, already in ASCII */
	    "a@123.example.com",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(good); i++)
		if (!mail_address_valid(good[i]))
			fail_msg("refused %s", good[i]);
}

static void address_invalid_ones(void **state)
{
	static const char *const bad[] = {
	    "",
	    "juan",
	    "@example.com",
	    "juan@",
	    "juan@@example.com",
	    "ju@an@example.com",
	    ".juan@example.com",
	    "juan.@example.com",
	    "ju..an@example.com",
	    "juan@example",
	    "juan@localhost",
	    "juan@-example.com",
	    "juan@example-.com",
	    "juan@exa_mple.com",
	    "juan@example..com",
	    "juan@.example.com",
	    "juan@example.com.",
	    "juan@10.0.0.1",
	    "juan@[10.0.0.1]",
	    "\"juan nunez\"@example.com",
	    "juan nunez@example.com",
	    "juan@exam ple.com",
	    "juan\r\n@example.com",
	    "juan@example.com\r\nBcc: x@example.com",
	    "juan@example.com\n",
	    "juan\t@example.com",
	    "núñez@example.com",
	    "juan@ejemplo.españa",
	    "juan@example.com>",
	    "<juan@example.com>",
	    "Juan <juan@example.com>",
	    "juan,ana@example.com",
	    "juan@example.com,ana@example.com",
	    "juan(comment)@example.com",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		if (mail_address_valid(bad[i]))
			fail_msg("accepted \"%s\"", bad[i]);
	assert_false(mail_address_valid(NULL));
}

static void address_length_limits(void **state)
{
	char local[80], label[80], addr[400];

	(void)state;
	memset(local, 'a', 64);
	local[64] = '\0';
	snprintf(addr, sizeof addr, "%s@example.com", local);
	assert_true(mail_address_valid(addr));
	memset(local, 'a', 65);
	local[65] = '\0';
	snprintf(addr, sizeof addr, "%s@example.com", local);
	assert_false(mail_address_valid(addr));

	memset(label, 'b', 63);
	label[63] = '\0';
	snprintf(addr, sizeof addr, "a@%s.com", label);
	assert_true(mail_address_valid(addr));
	memset(label, 'b', 64);
	label[64] = '\0';
	snprintf(addr, sizeof addr, "a@%s.com", label);
	assert_false(mail_address_valid(addr));

	/* 254 in all is the most a path can carry. */
	memset(label, 'c', 60);
	label[60] = '\0';
	snprintf(addr, sizeof addr, "%.60s@%s.%s.%s.%s.co", local, label, label, label, label);
	assert_true(strlen(addr) > 254);
	assert_false(mail_address_valid(addr));
	snprintf(addr, sizeof addr, "%.20s@%s.%s.%s.%.40s.co", local, label, label, label, label);
	assert_true(strlen(addr) <= 254);
	assert_true(mail_address_valid(addr));
}

static void domains(void **state)
{
	(void)state;
	assert_true(mail_domain_valid("example.com"));
	assert_true(mail_domain_valid("cobro.example.com.pe"));
	assert_true(mail_domain_valid("a1.b2"));
	assert_false(mail_domain_valid(""));
	assert_false(mail_domain_valid("example"));
	assert_false(mail_domain_valid("1.2.3.4"));
	assert_false(mail_domain_valid("example.com\r\n"));
	assert_false(mail_domain_valid("exa mple.com"));
	assert_false(mail_domain_valid("example.com>"));
}

/* ----------------------------------------------------------------- UTF-8 */

static void utf8_lengths(void **state)
{
	(void)state;
	assert_int_equal(mail_utf8_len("a"), 1);
	assert_int_equal(mail_utf8_len(""), 0);
	assert_int_equal(mail_utf8_len("ñ"), 2);
	assert_int_equal(mail_utf8_len("€"), 3);
	assert_int_equal(mail_utf8_len("😀"), 4);
	assert_int_equal(mail_utf8_len("\xc0\x80"), 0);         /* overlong NUL */
	assert_int_equal(mail_utf8_len("\xc1\xbf"), 0);         /* overlong */
	assert_int_equal(mail_utf8_len("\xe0\x80\x80"), 0);     /* overlong */
	assert_int_equal(mail_utf8_len("\xed\xa0\x80"), 0);     /* surrogate */
	assert_int_equal(mail_utf8_len("\xf0\x80\x80\x80"), 0); /* overlong */
	assert_int_equal(mail_utf8_len("\xf4\x90\x80\x80"), 0); /* beyond U+10FFFF */
	assert_int_equal(mail_utf8_len("\xf5\x80\x80\x80"), 0);
	assert_int_equal(mail_utf8_len("\x80"), 0); /* lone continuation */
	assert_int_equal(mail_utf8_len("\xc3"), 0); /* cut short by the NUL */
	assert_int_equal(mail_utf8_len("\xe2\x82"), 0);
	assert_int_equal(mail_utf8_len("\xc3("), 0);
}

/* ------------------------------------------------------------------ date */

static void dates(void **state)
{
	static const struct {
		time_t t;
		const char *want;
	} cases[] = {
	    {0, "Thu, 01 Jan 1970 00:00:00 +0000"},
	    {1795000000, "Wed, 18 Nov 2026 11:06:40 +0000"},
	    {1709210096, "Thu, 29 Feb 2024 12:34:56 +0000"},
	    {1735689599, "Tue, 31 Dec 2024 23:59:59 +0000"},
	    {2147483648LL, "Tue, 19 Jan 2038 03:14:08 +0000"},
	};
	char out[64];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		mail_date(cases[i].t, out, sizeof out);
		assert_string_equal(out, cases[i].want);
	}
}

/* ---------------------------------------------------------- unstructured */

static char *subject_of(const char *text, size_t max)
{
	struct buf b = {0};
	char *v;

	mail_put_unstructured(&b, "Subject", text);
	v = header_value(b.s, max);
	buf_free(&b);
	return v;
}

static void subject_plain_ascii_stays_readable(void **state)
{
	struct buf b = {0};

	(void)state;
	mail_put_unstructured(&b, "Subject", "Recordatorio de pago");
	assert_string_equal(b.s, "Subject: Recordatorio de pago\r\n");
	buf_free(&b);
}

static void subject_empty(void **state)
{
	struct buf b = {0};

	(void)state;
	mail_put_unstructured(&b, "Subject", "");
	assert_string_equal(b.s, "Subject: \r\n");
	buf_free(&b);
}

static void subject_long_ascii_folds_at_spaces(void **state)
{
	const char *text = "Recordatorio de pago de su cuota numero 12 de 24 del prestamo personal "
			   "otorgado por Banco Ejemplo, con vencimiento el 15 de diciembre";
	struct buf b = {0};
	char *v;

	(void)state;
	mail_put_unstructured(&b, "Subject", text);
	assert_null(strstr(b.s, "=?"));
	assert_non_null(strstr(b.s, "\r\n "));
	v = header_value(b.s, 78);
	assert_string_equal(v, text);
	free(v);
	buf_free(&b);
}

static void subject_accents_are_encoded_words(void **state)
{
	struct buf b = {0};
	char *v;

	(void)state;
	mail_put_unstructured(&b, "Subject", "Cuota vencida, Sr. Núñez");
	assert_non_null(strstr(b.s, "=?UTF-8?"));
	/* Q keeps it readable: only the accents are escaped. */
	assert_string_equal(b.s, "Subject: =?UTF-8?Q?Cuota_vencida,_Sr._N=C3=BA=C3=B1ez?=\r\n");
	v = header_value(b.s, MAIL_LINE_MAX);
	assert_string_equal(v, "Cuota vencida, Sr. Núñez");
	free(v);
	buf_free(&b);
}

static void subject_round_trips(void **state)
{
	static const char *const subjects[] = {
	    "á",
	    "Última notificación antes de iniciar acciones legales — Estudio Pérez & Asociados",
	    "ÁÉÍÓÚÑÜ áéíóúñü ¿¡ «» € ÁÉÍÓÚÑÜ áéíóúñü ¿¡ «» € ÁÉÍÓÚÑÜ áéíóúñü ¿¡ «» € ÁÉÍÓÚÑÜ",
	    "日本語のテキストはB符号化のほうが短くなるので、その場合も正しく折り返されるべきです。日本語のテ"
	    "キスト",
	    "😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀",
	    "Pago_con?signos=raros ñ_?=",
	    "  espacios   al inicio y al final ñ  ",
	    "a=?b ascii que parece una palabra codificada",
	    "tab\there",
	    "unapalabramuylargasinningunespacioquenopuedeplegarseenningunsitiodelalinea1234567890",
	    "x",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(subjects); i++) {
		char *v = subject_of(subjects[i], 78);

		if (strcmp(v, subjects[i]) != 0)
			fail_msg("\"%s\" came back as \"%s\"", subjects[i], v);
		free(v);
	}
}

/* Lines with encoded-words stay within 76, each word within 75, and no
 * word cuts a character, whatever the length and wherever a multi-byte
 * character falls; 1 to 200 characters of each width. */
static void subject_limits_hold_at_every_length(void **state)
{
	static const char *const units[] = {"a", "ñ", "€", "😀", "a ñ"};

	(void)state;
	for (size_t u = 0; u < ARRAY_SIZE(units); u++)
		for (int n = 1; n <= 200; n += (n < 40 ? 1 : 7)) {
			struct buf text = {0}, b = {0};
			char *v;

			buf_puts(&text, "ñ"); /* forces encoding */
			for (int i = 0; i < n; i++)
				buf_puts(&text, units[u]);
			mail_put_unstructured(&b, "Subject", text.s);
			v = header_value(b.s, MAIL_LINE_MAX);
			if (strcmp(v, text.s) != 0)
				fail_msg("\"%s\" came back as \"%s\"", text.s, v);
			free(v);
			buf_free(&b);
			buf_free(&text);
		}
}

static void subject_with_long_field_name_still_fits(void **state)
{
	struct buf b = {0};
	char *v;

	(void)state;
	mail_put_unstructured(&b, "X-Un-Nombre-De-Campo-Muy-Largo-Que-Deja-Poco-Sitio-En-La-Linea", "señal");
	v = header_value(b.s, MAIL_LINE_MAX);
	assert_string_equal(v, "señal");
	free(v);
	buf_free(&b);
}

/* ------------------------------------------------------------ addresses */

static char *from_header(const char *name)
{
	struct mail m = base;
	char *msg, *h;

	m.from_name = name;
	msg = compose(&m);
	h = header(msg, "From");
	free(msg);
	assert_non_null(h);
	return h;
}

static void from_name_of_atoms_is_bare(void **state)
{
	char *h = from_header("Cobranzas Ejemplo");

	(void)state;
	assert_string_equal(h, "From: Cobranzas Ejemplo <cobranzas@example.com>\r\n");
	free(h);
}

static void from_name_with_specials_is_quoted(void **state)
{
	char *h;

	(void)state;
	h = from_header("Banco Ejemplo S.A.");
	assert_string_equal(h, "From: \"Banco Ejemplo S.A.\" <cobranzas@example.com>\r\n");
	free(h);
	h = from_header("Pérez, \"el\" Abogado");
	assert_non_null(strstr(h, "=?UTF-8?"));
	free(h);
	h = from_header("Ejemplo, \"Cobranzas\" \\ Dpto");
	assert_string_equal(h, "From: \"Ejemplo, \\\"Cobranzas\\\" \\\\ Dpto\" <cobranzas@example.com>\r\n");
	free(h);
	h = from_header(" leading space");
	assert_string_equal(h, "From: \" leading space\" <cobranzas@example.com>\r\n");
	free(h);
}

static void from_name_non_ascii_is_encoded_for_a_phrase(void **state)
{
	static const char *const names[] = {
	    "Estudio Jurídico Pérez & Asociados",
	    "Cobranzas (Perú) <oficina>",
	    "=?UTF-8?Q?no_me_decodifiques?=",
	    "Ñandú",
	    "Compañía de Cobranzas y Recuperaciones del Norte, Sociedad Anónima Cerrada",
	    "Compania de Cobranzas y Recuperaciones del Norte Sociedad Anonima Cerrada de Lima",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		char *h = from_header(names[i]), *v = header_value(h, 78);
		const char *q = strstr(h, "=?UTF-8?Q?");
		char *want = xasprintf("%s <cobranzas@example.com>", names[i]);

		assert_string_equal(v, want);
		/* RFC 2047 5(3): in a phrase, a Q word holds only letters,
		 * digits, !*+-/ _ and =XX. */
		for (; q; q = strstr(q + 1, "=?UTF-8?Q?")) {
			const char *end = strstr(q + 10, "?=");

			for (const char *p = q + 10; p < end; p++)
				if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!*"
					    "+-/_=",
					    *p))
					fail_msg("'%c' in a phrase's Q word: %s", *p, h);
		}
		free(want);
		free(v);
		free(h);
	}
}

static void to_and_reply_to(void **state)
{
	struct mail m = base;
	char *msg, *to, *rt;

	(void)state;
	m.to_name = "Juan Núñez";
	m.reply_to = "pagos@example.com";
	m.reply_to_name = "Pagos";
	msg = compose(&m);
	to = header(msg, "To");
	rt = header(msg, "Reply-To");
	assert_non_null(rt);
	assert_string_equal(rt, "Reply-To: Pagos <pagos@example.com>\r\n");
	{
		char *v = header_value(to, 78);

		assert_string_equal(v, "Juan Núñez <juan.nunez@example.org>");
		free(v);
	}
	free(rt);
	free(to);
	free(msg);
}

static void bare_addresses_without_names(void **state)
{
	struct mail m = base;
	char *msg, *h;

	(void)state;
	m.from_name = NULL;
	msg = compose(&m);
	h = header(msg, "From");
	assert_string_equal(h, "From: cobranzas@example.com\r\n");
	free(h);
	h = header(msg, "To");
	assert_string_equal(h, "To: juan.nunez@example.org\r\n");
	free(h);
	assert_null(header(msg, "Reply-To"));
	free(msg);
}

/* ------------------------------------------------------ quoted-printable */

static char *qp(const char *body)
{
	struct buf b = {0};

	mail_put_qp(&b, body);
	return b.s;
}

static void qp_exact_small_cases(void **state)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
	    {"", ""},
	    {"Hola", "Hola\r\n"},
	    {"Hola\n", "Hola\r\n"},
	    {"Hola\r\n", "Hola\r\n"},
	    {"a\nb\r\nc", "a\r\nb\r\nc\r\n"},
	    {"\n\n", "\r\n\r\n"},
	    {"Núñez", "N=C3=BA=C3=B1ez\r\n"},
	    {"a = b", "a =3D b\r\n"},
	    {"fin ", "fin=20\r\n"},
	    {"fin\t", "fin=09\r\n"},
	    {"a  b", "a  b\r\n"},
	    {"From here", "=46rom here\r\n"},
	    {"x\nFrom: y", "x\r\nFrom: y\r\n"}, /* only "From " with a space */
	    {"From", "From\r\n"},
	    {" From here", " From here\r\n"},
	    {".solo", ".solo\r\n"}, /* dot-stuffing is the SMTP client's */
	    {".", ".\r\n"},
	    {"a\rb", "a=0Db\r\n"},
	    {"\x7f", "=7F\r\n"},
	    {"~!", "~!\r\n"},
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *got = qp(cases[i].in);

		if (strcmp(got, cases[i].want) != 0)
			fail_msg("\"%s\" gave \"%s\", want \"%s\"", cases[i].in, got, cases[i].want);
		free(got);
	}
}

static void qp_line_of_76_needs_no_soft_break(void **state)
{
	char line[100], *got;

	(void)state;
	memset(line, 'x', 76);
	line[76] = '\0';
	got = qp(line);
	assert_int_equal(strlen(got), 78);
	assert_null(strstr(got, "=\r\n"));
	free(got);
	line[76] = 'y';
	line[77] = '\0';
	got = qp(line);
	assert_non_null(strstr(got, "=\r\n"));
	free(got);
}

static void qp_soft_breaks_keep_characters_whole(void **state)
{
	static const char *const units[] = {"a", "ñ", "€", "😀", "=", " ", "a ", " ñ"};

	(void)state;
	for (size_t u = 0; u < ARRAY_SIZE(units); u++)
		for (int n = 1; n <= 120; n++) {
			struct buf text = {0};
			char *enc, *dec;

			buf_puts(&text, "");
			for (int i = 0; i < n; i++)
				buf_puts(&text, units[u]);
			enc = qp(text.s);
			dec = qp_decode(enc);
			buf_puts(&text, "\n");
			if (strcmp(dec, text.s) != 0)
				fail_msg("\"%s\" came back as \"%s\"", text.s, dec);
			/* Each encoded line decodes to whole characters. */
			for (const char *line = enc; *line;) {
				const char *end = strstr(line, "\r\n");
				char *one = xasprintf("%.*s\r\n", (int)(end - line), line);
				char *d = qp_decode(one);

				if (!utf8_ok(d, strlen(d)))
					fail_msg("a soft break cuts a character: %s", one);
				free(d);
				free(one);
				line = end + 2;
			}
			free(dec);
			free(enc);
			buf_free(&text);
		}
}

static void qp_round_trips_a_letter(void **state)
{
	const char *body =
	    "Estimado Sr. Núñez:\n"
	    "\n"
	    "Le recordamos que su cuota de S/ 1.234,56 venció el 15/11. Puede pagar en "
	    "cualquier agencia o en línea: https://pagos.example.com/?ref=ABC123&monto=1234.56\n"
	    ". una línea que empieza con un punto\n"
	    "..y otra con dos\n"
	    "From aquí, una que empieza con From\n"
	    "\ttabulada, y con espacios al final   \n"
	    "100% = cien por ciento\n"
	    "€ 😀 ¿¡\n"
	    "Atentamente,\n"
	    "Cobranzas";
	char *enc = qp(body), *dec = qp_decode(enc), *want = xasprintf("%s\n", body);

	(void)state;
	assert_string_equal(dec, want);
	for (const char *p = enc; *p; p++)
		if ((unsigned char)*p > 0x7e ||
		    ((unsigned char)*p < 0x20 && *p != '\r' && *p != '\n' && *p != '\t'))
			fail_msg("8-bit or control byte in the encoded body");
	assert_null(strstr(enc, "\r\nFrom "));
	free(want);
	free(dec);
	free(enc);
}

/* ---------------------------------------------------------------- message */

static void message_has_every_header_in_order(void **state)
{
	struct mail m = base;
	char *msg;
	static const char *const order[] = {"Date: ",
					    "From: ",
					    "To: ",
					    "Subject: ",
					    "Message-ID: ",
					    "List-Unsubscribe: ",
					    "MIME-Version: 1.0\r\n",
					    "Content-Type: text/plain; charset=UTF-8\r\n",
					    "Content-Transfer-Encoding: quoted-printable\r\n"};
	const char *at;

	(void)state;
	msg = compose(&m);
	at = msg;
	for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
		const char *p = strstr(at, order[i]);

		if (!p)
			fail_msg("no \"%s\" after the previous header in:\n%s", order[i], msg);
		at = p;
	}
	assert_true(strncmp(msg, "Date: Wed, 18 Nov 2026 11:06:40 +0000\r\n", 39) == 0);
	assert_non_null(
	    strstr(msg, "Message-ID: <cobro.42.0b7e4ea1-93c9-4d1e-9a53-3c2f1f6a8d10@example.com>\r\n"));
	assert_non_null(strstr(msg, "\r\n\r\nHola\r\n"));
	free(msg);
}

static void message_uses_crlf_only(void **state)
{
	struct mail m = base;
	char *msg;

	(void)state;
	m.body = "uno\ndos\r\ntres\n";
	m.subject = "Núñez";
	msg = compose(&m);
	for (const char *p = msg; *p; p++) {
		if (*p == '\n' && (p == msg || p[-1] != '\r'))
			fail_msg("bare LF at %zu", (size_t)(p - msg));
		if (*p == '\r' && p[1] != '\n')
			fail_msg("bare CR at %zu", (size_t)(p - msg));
		if ((unsigned char)*p > 0x7e)
			fail_msg("8-bit byte at %zu", (size_t)(p - msg));
	}
	assert_true(strlen(msg) >= 2 && strcmp(msg + strlen(msg) - 2, "\r\n") == 0);
	free(msg);
}

static void message_id_domain(void **state)
{
	struct mail m = base;
	char id[256];

	(void)state;
	assert_true(mail_message_id(&m, id, sizeof id));
	assert_string_equal(id, "cobro.42.0b7e4ea1-93c9-4d1e-9a53-3c2f1f6a8d10@example.com");
	m.msgid_domain = "mail.cobro.example.net";
	assert_true(mail_message_id(&m, id, sizeof id));
	assert_string_equal(id, "cobro.42.0b7e4ea1-93c9-4d1e-9a53-3c2f1f6a8d10@mail.cobro.example.net");
	m.unique = "";
	assert_false(mail_message_id(&m, id, sizeof id));
	assert_string_equal(id, "");
	m.unique = "a b";
	assert_false(mail_message_id(&m, id, sizeof id));
	m.unique = "abc";
	m.msgid_domain = "not a domain";
	assert_false(mail_message_id(&m, id, sizeof id));
}

static void refuses(const struct mail *m, const char *reason);

/* Issue 15: mail went out with no List-Unsubscribe when none was
 * configured. Every mail has one: by default a mailto to the address a reply
 * goes to, the Reply-To, else the From. */
static void unsubscribe_mailto_by_default(void **state)
{
	struct mail m = base;
	char *msg, *h;

	(void)state;
	msg = compose(&m);
	h = header(msg, "List-Unsubscribe");
	assert_string_equal(h, "List-Unsubscribe: <mailto:cobranzas@example.com?subject=unsubscribe>\r\n");
	free(h);
	/* No one-click without an https URL (RFC 8058 wants the two together). */
	assert_null(header(msg, "List-Unsubscribe-Post"));
	free(msg);

	m.reply_to = "pagos@example.com";
	msg = compose(&m);
	h = header(msg, "List-Unsubscribe");
	assert_string_equal(h, "List-Unsubscribe: <mailto:pagos@example.com?subject=unsubscribe>\r\n");
	free(h);
	free(msg);

	/* An empty setting is no setting. */
	m.unsubscribe_mailto = "";
	m.unsubscribe_url = "";
	msg = compose(&m);
	h = header(msg, "List-Unsubscribe");
	assert_string_equal(h, "List-Unsubscribe: <mailto:pagos@example.com?subject=unsubscribe>\r\n");
	assert_null(header(msg, "List-Unsubscribe-Post"));
	free(h);
	free(msg);
}

/* A Message-ID too long for a line of 78 goes on the next one, as a
 * strict reader wants the lines short (seen with bancoandino.example.com). */
static void message_id_folds_when_long(void **state)
{
	struct mail m = base;
	char *msg, *h;

	(void)state;
	m.from = "avisos@bancoandino.example.com";
	msg = compose(&m);
	h = header(msg, "Message-ID");
	assert_string_equal(h,
			    "Message-ID:\r\n"
			    " <cobro.42.0b7e4ea1-93c9-4d1e-9a53-3c2f1f6a8d10@bancoandino.example.com>\r\n");
	free(h);
	free(msg);
	/* 78 exactly stays on one line. */
	m.from = "avisos@bancoa.example.com";
	msg = compose(&m);
	h = header(msg, "Message-ID");
	assert_int_equal(strlen(h), 78 + 2);
	assert_true(strncmp(h, "Message-ID: <cobro.42.", 22) == 0);
	free(h);
	free(msg);
}

static void unsubscribe_https_gets_one_click(void **state)
{
	struct mail m = base;
	char *msg, *h;

	(void)state;
	m.unsubscribe_url = "https://cobro.example.com/baja/0b7e4ea1?m=42";
	m.unsubscribe_mailto = "baja@example.com";
	msg = compose(&m);
	h = header(msg, "List-Unsubscribe");
	assert_string_equal(h, "List-Unsubscribe: <https://cobro.example.com/baja/0b7e4ea1?m=42>,\r\n"
			       " <mailto:baja@example.com?subject=unsubscribe>\r\n");
	free(h);
	h = header(msg, "List-Unsubscribe-Post");
	assert_string_equal(h, "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n");
	free(h);
	free(msg);

	/* The URL with the default mailto: the Reply-To. */
	m.unsubscribe_mailto = NULL;
	m.reply_to = "pagos@example.com";
	msg = compose(&m);
	h = header(msg, "List-Unsubscribe");
	assert_string_equal(h, "List-Unsubscribe: <https://cobro.example.com/baja/0b7e4ea1?m=42>,\r\n"
			       " <mailto:pagos@example.com?subject=unsubscribe>\r\n");
	free(h);
	assert_non_null(strstr(msg, "\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"));
	free(msg);
}

/* A mailto URL given whole goes as it is; an http URL is refused, since
 * one-click needs https. */
static void unsubscribe_mailto_url_and_http(void **state)
{
	struct mail m = base;
	char *msg, *h;

	(void)state;
	m.unsubscribe_mailto = "mailto:baja@example.com?subject=baja";
	msg = compose(&m);
	h = header(msg, "List-Unsubscribe");
	assert_string_equal(h, "List-Unsubscribe: <mailto:baja@example.com?subject=baja>\r\n");
	assert_null(header(msg, "List-Unsubscribe-Post"));
	free(h);
	free(msg);

	m.unsubscribe_url = "http://cobro.example.com/baja";
	refuses(&m, "unsubscribe URL must be an https URL without spaces or <>\"");
}

/* RFC 6068: characters of an address's local part that a mailto URL
 * reserves are percent-encoded, so the URL names the same mailbox. */
static void unsubscribe_mailto_escapes_the_local_part(void **state)
{
	struct mail m = base;
	char *msg, *h;

	(void)state;
	m.reply_to = "pagos#1%a&b/c=d?e^f`g{h|i}j~k+l!m$n'o*p@example.com";
	msg = compose(&m);
	h = header(msg, "List-Unsubscribe");
	assert_string_equal(h, "List-Unsubscribe:\r\n"
			       " <mailto:pagos%231%25a%26b%2Fc%3Dd%3Fe%5Ef%60g%7Bh%7Ci%7Dj~k+l!m$n'o*p@"
			       "example.com?subject=unsubscribe>\r\n");
	free(h);
	free(msg);
}

/* Lines stay within 78 characters when the URIs allow it: each goes on a
 * line of its own when it would pass, and a URI is never folded inside
 * (RFC 2369 allows whitespace only between them). */
static void unsubscribe_folds_between_uris(void **state)
{
	struct mail m = base;
	char *msg, *h, *url;

	(void)state;
	m.unsubscribe_url = "https://cobro.example.com/baja/0b7e4ea1-93c9-4d1e-9a53-3c2f1f6a8d10";
	m.reply_to = "recuperaciones@banco-ejemplo.example.com";
	msg = compose(&m);
	h = header(msg, "List-Unsubscribe");
	assert_string_equal(h, "List-Unsubscribe:\r\n"
			       " <https://cobro.example.com/baja/0b7e4ea1-93c9-4d1e-9a53-3c2f1f6a8d10>,\r\n"
			       " <mailto:recuperaciones@banco-ejemplo.example.com?subject=unsubscribe>\r\n");
	free(h);
	free(msg);
	/* A URL longer than a line stands alone on its own. */
	url = xasprintf("https://cobro.example.com/%0200d", 7);
	m.unsubscribe_url = url;
	m.reply_to = NULL;
	msg = compose(&m);
	h = header(msg, "List-Unsubscribe");
	assert_non_null(strstr(h, "List-Unsubscribe:\r\n <https://cobro.example.com/"));
	assert_non_null(strstr(h, ">,\r\n <mailto:cobranzas@example.com?subject=unsubscribe>\r\n"));
	free(h);
	free(msg);
	free(url);
}

/* Refused with the reason, and out left as it was. */
static void refuses(const struct mail *m, const char *reason)
{
	struct buf b = {0};
	char err[256] = "";

	buf_puts(&b, "before");
	if (mail_compose(m, &b, err, sizeof err))
		fail_msg("accepted; wanted \"%s\"", reason);
	assert_string_equal(err, reason);
	assert_string_equal(b.s, "before");
	buf_free(&b);
}

static void header_injection_is_refused(void **state)
{
	struct mail m;

	(void)state;
	m = base;
	m.subject = "Hola\r\nBcc: todos@example.com";
	refuses(&m, "subject holds a line break");
	m = base;
	m.subject = "Hola\nBcc: todos@example.com";
	refuses(&m, "subject holds a line break");
	m = base;
	m.subject = "Hola\rX";
	refuses(&m, "subject holds a line break");
	m = base;
	m.from_name = "Cobranzas\r\nBcc: todos@example.com";
	refuses(&m, "from name holds a line break");
	m = base;
	m.to_name = "Juan\n";
	refuses(&m, "to name holds a line break");
	m = base;
	m.reply_to = "pagos@example.com";
	m.reply_to_name = "P\r\n";
	refuses(&m, "reply-to name holds a line break");
	m = base;
	m.to = "juan@example.org\r\nBcc: todos@example.com";
	refuses(&m, "to address is not valid");
	m = base;
	m.from = "cobranzas@example.com\n";
	refuses(&m, "from address is not valid");
	m = base;
	m.reply_to = "x\r\n@example.com";
	refuses(&m, "reply-to address is not valid");
	m = base;
	m.unsubscribe_url = "https://example.com/a\r\nBcc: x@example.com";
	refuses(&m, "unsubscribe URL must be an https URL without spaces or <>\"");
	m = base;
	m.unsubscribe_url = "https://example.com/a>, <https://evil.example";
	refuses(&m, "unsubscribe URL must be an https URL without spaces or <>\"");
	m = base;
	m.unsubscribe_mailto = "mailto:baja@example.com>\r\nX: y";
	refuses(&m, "unsubscribe mailto is not a valid address or mailto: URL");
}

static void other_refusals(void **state)
{
	struct mail m;

	(void)state;
	m = base;
	m.from = NULL;
	refuses(&m, "from address is not valid");
	m = base;
	m.to = "";
	refuses(&m, "to address is not valid");
	m = base;
	m.subject = "N\xfa\xf1"
		    "ez"; /* Latin-1, not UTF-8 */
	refuses(&m, "subject is not valid UTF-8");
	m = base;
	m.from_name = "\xc3";
	refuses(&m, "from name is not valid UTF-8");
	m = base;
	m.body = "ok\n\xed\xa0\x80\n";
	refuses(&m, "body is not valid UTF-8");
	m = base;
	m.unique = NULL;
	refuses(&m, "the Message-ID's unique part must be 1 to 64 letters, digits or -");
	m = base;
	m.unique = "abc@def";
	refuses(&m, "the Message-ID's unique part must be 1 to 64 letters, digits or -");
	m = base;
	m.msgid_domain = "localhost";
	refuses(&m, "the Message-ID's domain is not valid");
	m = base;
	m.unsubscribe_url = "javascript:alert(1)";
	refuses(&m, "unsubscribe URL must be an https URL without spaces or <>\"");
	m = base;
	m.unsubscribe_url = "https://example.com/a b";
	refuses(&m, "unsubscribe URL must be an https URL without spaces or <>\"");
	m = base;
	m.unsubscribe_mailto = "no-es-una-direccion";
	refuses(&m, "unsubscribe mailto is not a valid address or mailto: URL");
}

static void reasons_never_quote_the_body(void **state)
{
	struct mail m = base;
	struct buf b = {0};
	char err[256];

	(void)state;
	m.body = "SECRETO\xff";
	assert_false(mail_compose(&m, &b, err, sizeof err));
	assert_null(strstr(err, "SECRETO"));
	buf_free(&b);
}

static void null_subject_and_body_are_empty(void **state)
{
	struct mail m = base;
	char *msg;

	(void)state;
	m.subject = NULL;
	m.body = NULL;
	msg = compose(&m);
	assert_non_null(strstr(msg, "\r\nSubject: \r\n"));
	assert_true(strlen(msg) >= 4 && strcmp(msg + strlen(msg) - 4, "\r\n\r\n") == 0);
	free(msg);
}

static void compose_appends(void **state)
{
	struct mail m = base;
	struct buf b = {0};
	char err[256];

	(void)state;
	buf_puts(&b, "X-Prefix: 1\r\n");
	assert_true(mail_compose(&m, &b, err, sizeof err));
	assert_true(strncmp(b.s, "X-Prefix: 1\r\nDate: ", 19) == 0);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(address_valid_ones),
	    cmocka_unit_test(address_invalid_ones),
	    cmocka_unit_test(address_length_limits),
	    cmocka_unit_test(domains),
	    cmocka_unit_test(utf8_lengths),
	    cmocka_unit_test(dates),
	    cmocka_unit_test(subject_plain_ascii_stays_readable),
	    cmocka_unit_test(subject_empty),
	    cmocka_unit_test(subject_long_ascii_folds_at_spaces),
	    cmocka_unit_test(subject_accents_are_encoded_words),
	    cmocka_unit_test(subject_round_trips),
	    cmocka_unit_test(subject_limits_hold_at_every_length),
	    cmocka_unit_test(subject_with_long_field_name_still_fits),
	    cmocka_unit_test(from_name_of_atoms_is_bare),
	    cmocka_unit_test(from_name_with_specials_is_quoted),
	    cmocka_unit_test(from_name_non_ascii_is_encoded_for_a_phrase),
	    cmocka_unit_test(to_and_reply_to),
	    cmocka_unit_test(bare_addresses_without_names),
	    cmocka_unit_test(qp_exact_small_cases),
	    cmocka_unit_test(qp_line_of_76_needs_no_soft_break),
	    cmocka_unit_test(qp_soft_breaks_keep_characters_whole),
	    cmocka_unit_test(qp_round_trips_a_letter),
	    cmocka_unit_test(message_has_every_header_in_order),
	    cmocka_unit_test(message_uses_crlf_only),
	    cmocka_unit_test(message_id_domain),
	    cmocka_unit_test(message_id_folds_when_long),
	    cmocka_unit_test(unsubscribe_mailto_by_default),
	    cmocka_unit_test(unsubscribe_https_gets_one_click),
	    cmocka_unit_test(unsubscribe_mailto_url_and_http),
	    cmocka_unit_test(unsubscribe_mailto_escapes_the_local_part),
	    cmocka_unit_test(unsubscribe_folds_between_uris),
	    cmocka_unit_test(header_injection_is_refused),
	    cmocka_unit_test(other_refusals),
	    cmocka_unit_test(reasons_never_quote_the_body),
	    cmocka_unit_test(null_subject_and_body_are_empty),
	    cmocka_unit_test(compose_appends),
	};

	return cmocka_run_group_tests_name("mail", tests, NULL, NULL);
}

/* RFC 5322 messages for cobrod's SMTP transport.
 *
 * Everything here is 7-bit: encoded-words in the header, quoted-printable in
 * the body, so a message passes any relay unchanged whether or not it offers
 * 8BITMIME. Addresses are checked strictly because they end up both in
 * header fields and in SMTP commands (MAIL FROM, RCPT TO). */
#include "mail.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

static const char hex[] = "0123456789ABCDEF";

static bool is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* RFC 5322 atext: the characters of an atom. */
static bool is_atext(unsigned char c)
{
	return is_alnum(c) || (c && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

size_t mail_utf8_len(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	/* Each test stops at a NUL, which is never a continuation byte. */
	if (s[0] < 0x80)
		return s[0] ? 1 : 0;
	if (s[0] < 0xc2) /* a continuation byte, or an overlong 2-byte form */
		return 0;
	if (s[0] < 0xe0)
		return (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (s[0] < 0xf0) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
			return 0;
		if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0))
			return 0; /* overlong, or a UTF-16 surrogate */
		return 3;
	}
	if (s[0] < 0xf5) {
		if ((s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 || (s[3] & 0xc0) != 0x80)
			return 0;
		if ((s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90))
			return 0; /* overlong, or beyond U+10FFFF */
		return 4;
	}
	return 0;
}

/* ------------------------------------------------------------- addresses */

bool mail_domain_valid(const char *s)
{
	size_t len = strlen(s), labels = 0;
	const char *label = s;
	bool digits = true;

	if (len == 0 || len > 253)
		return false;
	for (;;) {
		size_t n = strcspn(label, ".");
		if (n == 0 || n > 63 || label[0] == '-' || label[n - 1] == '-')
			return false;
		digits = true;
		for (size_t i = 0; i < n; i++) {
			if (!is_alnum((unsigned char)label[i]) && label[i] != '-')
				return false;
			if (label[i] < '0' || label[i] > '9')
				digits = false;
		}
		labels++;
		if (!label[n])
			break;
		label += n + 1;
	}
	/* An all-digit TLD would make 10.0.0.1 a domain. */
	return labels >= 2 && !digits;
}

bool mail_address_valid(const char *addr)
{
	const char *at;
	size_t local;

	if (!addr || strlen(addr) > 254 || !(at = strchr(addr, '@')))
		return false;
	local = (size_t)(at - addr);
	if (local == 0 || local > 64 || addr[0] == '.' || at[-1] == '.')
		return false;
	for (const char *p = addr; p < at; p++)
		if (!(is_atext((unsigned char)*p) || (*p == '.' && p[1] != '.')))
			return false;
	return mail_domain_valid(at + 1);
}

/* ------------------------------------------------------------------ date */

void mail_date(time_t t, char *out, size_t outlen)
{
	/* Fixed English names: strftime's %a and %b follow the locale. */
	static const char days[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	struct tm tm;

	if (!gmtime_r(&t, &tm)) {
		time_t zero = 0;

		gmtime_r(&zero, &tm);
	}
	snprintf(out, outlen, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
		 months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* ---------------------------------------------------------- encoded-words */

/* "=?UTF-8?Q?" and "?=" */
#define WORD_OVERHEAD 12

/* Bytes written as themselves in a Q encoded-word. In a display name (a
 * phrase) RFC 2047 5(3) allows only letters, digits and !*+-/. */
static bool q_literal(unsigned char c, bool phrase)
{
	if (is_alnum(c))
		return true;
	if (phrase)
		return c && strchr("!*+-/", c);
	return c > 0x20 && c < 0x7f && c != '=' && c != '?' && c != '_';
}

static size_t q_len(const char *s, size_t n, bool phrase)
{
	size_t len = 0;

	for (size_t i = 0; i < n; i++)
		len += s[i] == ' ' || q_literal((unsigned char)s[i], phrase) ? 1 : 3;
	return len;
}

static void q_put(struct buf *b, const char *s, size_t n, bool phrase)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char e[3] = {'=', hex[c >> 4], hex[c & 15]};

		if (c == ' ')
			buf_add(b, "_", 1);
		else if (q_literal(c, phrase))
			buf_add(b, (const char *)&c, 1);
		else
			buf_add(b, e, 3);
	}
}

static size_t b_len(size_t bytes)
{
	return (bytes + 2) / 3 * 4;
}

static void b_put(struct buf *b, const char *str, size_t n)
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *s = (const unsigned char *)str;

	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)s[i] << 16 | (i + 1 < n ? (unsigned)s[i + 1] << 8 : 0) |
			     (i + 2 < n ? s[i + 2] : 0);
		char q[4] = {abc[v >> 18], abc[(v >> 12) & 63], i + 1 < n ? abc[(v >> 6) & 63] : '=',
			     i + 2 < n ? abc[v & 63] : '='};

		buf_add(b, q, 4);
	}
}

static size_t put_word(struct buf *b, const char *s, size_t n, bool q, bool phrase)
{
	size_t before = b->len;

	buf_puts(b, q ? "=?UTF-8?Q?" : "=?UTF-8?B?");
	if (q)
		q_put(b, s, n, phrase);
	else
		b_put(b, s, n);
	buf_puts(b, "?=");
	return b->len - before;
}

/* Appends text (valid UTF-8) as encoded-words, the first at column col of
 * the current line and each further one on a folded line of its own, so that
 * no word passes 75 characters nor any line 76, and no UTF-8 character is
 * cut in two (each word must decode on its own). Q or B, whichever is
 * shorter: Q keeps Spanish readable in a raw header. Returns the column after
 * the last word. */
static size_t put_words(struct buf *b, const char *text, size_t col, bool phrase)
{
	size_t len = strlen(text), avail, room, used = 0;
	bool q = q_len(text, len, phrase) <= b_len(len);
	const char *start = text, *p = text;

	if (!len)
		return col;
	avail = col < MAIL_LINE_MAX ? MAIL_LINE_MAX - col : 0;
	if (avail > MAIL_WORD_MAX)
		avail = MAIL_WORD_MAX;
	/* Too little room for even one 4-byte character: start on a fresh line. */
	if (avail < WORD_OVERHEAD + 12) {
		/* No trailing space before the fold: the one after it stands
		 * for it. */
		if (b->len && b->s[b->len - 1] == ' ')
			b->s[--b->len] = '\0';
		buf_puts(b, "\r\n ");
		col = 1;
		avail = MAIL_WORD_MAX;
	}
	room = avail - WORD_OVERHEAD;
	while (*p) {
		size_t n = mail_utf8_len(p), next;

		if (!n) /* not reached for checked text; keeps the loop finite */
			n = 1;
		next = q ? used + q_len(p, n, phrase) : b_len((size_t)(p - start) + n);
		if (p > start && next > room) {
			put_word(b, start, (size_t)(p - start), q, phrase);
			buf_puts(b, "\r\n ");
			col = 1;
			room = MAIL_WORD_MAX - WORD_OVERHEAD;
			start = p;
			used = 0;
			continue;
		}
		used = q ? next : 0;
		p += n;
	}
	return col + put_word(b, start, (size_t)(p - start), q, phrase);
}

/* Plain ASCII text that a reader would take as it is: no control characters,
 * nothing a decoder might mistake for an encoded-word, and no run without a
 * space so long that folding could not keep lines short. */
static bool plain_text(const char *s)
{
	size_t run = 0;

	if (strstr(s, "=?"))
		return false;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c > 0x7e)
			return false;
		run = c == ' ' ? 0 : run + 1;
		if (run > 60)
			return false;
	}
	return true;
}

void mail_put_unstructured(struct buf *out, const char *name, const char *text)
{
	size_t col = strlen(name) + 2;

	buf_printf(out, "%s: ", name);
	if (!plain_text(text)) {
		put_words(out, text, col, false);
	} else {
		/* Fold before a space, which then opens the next line; unfolding
		 * (removing the CRLF) gives the text back exactly. */
		for (const char *p = text; *p;) {
			size_t sp = strspn(p, " "), w = strcspn(p + sp, " ");

			if (sp && col + sp + w > 78 && col > strlen(name) + 2) {
				buf_puts(out, "\r\n");
				col = 0;
			}
			buf_add(out, p, sp + w);
			col += sp + w;
			p += sp + w;
		}
	}
	buf_puts(out, "\r\n");
}

/* A display name that can stand as it is: atoms separated by single spaces. */
static bool atoms_only(const char *s)
{
	if (*s == ' ')
		return false;
	for (; *s; s++)
		if (!is_atext((unsigned char)*s) && !(*s == ' ' && s[1] && s[1] != ' '))
			return false;
	return true;
}

static bool printable_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return false;
	return true;
}

/* "Field: name <addr>", the name as atoms, a quoted string or encoded-words. */
static void put_address(struct buf *out, const char *field, const char *name, const char *addr)
{
	size_t col = strlen(field) + 2;

	buf_printf(out, "%s: ", field);
	if (name && *name) {
		/* Encoded-words fold where a long quoted string could not. */
		if (!printable_ascii(name) || strstr(name, "=?") || strlen(name) > 60) {
			col = put_words(out, name, col, true);
		} else if (atoms_only(name)) {
			buf_puts(out, name);
			col += strlen(name);
		} else {
			size_t before = out->len;

			buf_puts(out, "\"");
			for (const char *p = name; *p; p++) {
				if (*p == '"' || *p == '\\')
					buf_puts(out, "\\");
				buf_add(out, p, 1);
			}
			buf_puts(out, "\"");
			col += out->len - before;
		}
		if (col + strlen(addr) + 3 > 78)
			buf_puts(out, "\r\n");
		buf_printf(out, " <%s>", addr);
	} else {
		buf_puts(out, addr);
	}
	buf_puts(out, "\r\n");
}

/* ------------------------------------------------------ quoted-printable */

/* How the body's character at s[i] (u bytes) is written: itself, or =XX
 * per byte. Returns the length put in enc (at most 12). */
static size_t qp_unit(const char *s, size_t i, size_t u, size_t n, bool line_start, char *enc)
{
	size_t elen = 0;
	bool last = i + u == n;

	for (size_t k = 0; k < u; k++) {
		unsigned char c = (unsigned char)s[i + k];
		/* Space and tab must not end an encoded line. */
		bool literal = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !last);

		/* mbox writers turn a line's "From " into ">From ". */
		if (line_start && c == 'F' && n - i >= 5 && memcmp(s + i, "From ", 5) == 0)
			literal = false;
		if (literal) {
			enc[elen++] = (char)c;
		} else {
			enc[elen++] = '=';
			enc[elen++] = hex[c >> 4];
			enc[elen++] = hex[c & 15];
		}
	}
	return elen;
}

/* One line of the body, without its line end. */
static void qp_line(struct buf *out, const char *s, size_t n)
{
	size_t col = 0, i = 0;

	while (i < n) {
		size_t u = mail_utf8_len(s + i), elen;
		char enc[12];

		if (!u || i + u > n)
			u = 1;
		elen = qp_unit(s, i, u, n, col == 0, enc);
		/* A soft break's "=" takes the 76th column; the line's last piece
		 * needs none. */
		if (col + elen > (i + u == n ? MAIL_LINE_MAX : MAIL_LINE_MAX - 1)) {
			buf_puts(out, "=\r\n");
			col = 0;
			elen = qp_unit(s, i, u, n, true, enc);
		}
		buf_add(out, enc, elen);
		col += elen;
		i += u;
	}
}

void mail_put_qp(struct buf *out, const char *body)
{
	const char *p = body;

	buf_puts(out, "");
	while (*p) {
		const char *nl = strchr(p, '\n'), *end = nl ? nl : p + strlen(p);
		const char *stop = nl && end > p && end[-1] == '\r' ? end - 1 : end;

		qp_line(out, p, (size_t)(stop - p));
		buf_puts(out, "\r\n");
		p = nl ? nl + 1 : end;
	}
}

/* ---------------------------------------------------------------- message */

static bool set_err(char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "%s", what);
	return false;
}

static bool has_break(const char *s)
{
	return s && strpbrk(s, "\r\n");
}

static bool given(const char *s)
{
	return s && *s;
}

/* An URL for a header: printable ASCII without the characters that would end
 * or split it inside <...>. */
static bool header_url(const char *s)
{
	if (strlen(s) > 900)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f || strchr("<>\"", *s))
			return false;
	return true;
}

/* "mailto:ADDRESS" with an optional "?subject=..." and the like. */
static bool mailto_valid(const char *s)
{
	char addr[256];
	size_t n;

	if (strncmp(s, "mailto:", 7) != 0)
		return mail_address_valid(s);
	n = strcspn(s + 7, "?");
	if (n >= sizeof addr || !header_url(s))
		return false;
	memcpy(addr, s + 7, n);
	addr[n] = '\0';
	return mail_address_valid(addr);
}

static bool unique_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 64)
		return false;
	for (; *s; s++)
		if (!is_alnum((unsigned char)*s) && *s != '-')
			return false;
	return true;
}

static const char *msgid_domain(const struct mail *m)
{
	if (given(m->msgid_domain))
		return m->msgid_domain;
	return m->from && strchr(m->from, '@') ? strchr(m->from, '@') + 1 : "";
}

bool mail_message_id(const struct mail *m, char *out, size_t outlen)
{
	const char *domain = msgid_domain(m);

	out[0] = '\0';
	if (!m->unique || !unique_valid(m->unique) || !mail_domain_valid(domain))
		return false;
	snprintf(out, outlen, "cobro.%lld.%s@%s", m->id, m->unique, domain);
	return true;
}

static bool check(const struct mail *m, char *err, size_t errlen)
{
	static const struct {
		size_t off;
		const char *name;
	} texts[] = {
	    {offsetof(struct mail, from_name), "from name"},
	    {offsetof(struct mail, reply_to_name), "reply-to name"},
	    {offsetof(struct mail, to_name), "to name"},
	    {offsetof(struct mail, subject), "subject"},
	};
	char why[128];

	if (!mail_address_valid(m->from))
		return set_err(err, errlen, "from address is not valid");
	if (!mail_address_valid(m->to))
		return set_err(err, errlen, "to address is not valid");
	if (given(m->reply_to) && !mail_address_valid(m->reply_to))
		return set_err(err, errlen, "reply-to address is not valid");
	for (size_t i = 0; i < ARRAY_SIZE(texts); i++) {
		const char *s = *(const char *const *)((const char *)m + texts[i].off);

		if (!s)
			continue;
		if (has_break(s)) {
			snprintf(why, sizeof why, "%s holds a line break", texts[i].name);
			return set_err(err, errlen, why);
		}
		if (!text_utf8_valid(s, strlen(s))) {
			snprintf(why, sizeof why, "%s is not valid UTF-8", texts[i].name);
			return set_err(err, errlen, why);
		}
	}
	if (m->body && !text_utf8_valid(m->body, strlen(m->body)))
		return set_err(err, errlen, "body is not valid UTF-8");
	if (!m->unique || !unique_valid(m->unique))
		return set_err(err, errlen,
			       "the Message-ID's unique part must be 1 to 64 letters, digits or -");
	if (!mail_domain_valid(msgid_domain(m)))
		return set_err(err, errlen, "the Message-ID's domain is not valid");
	/* https only: one-click (RFC 8058) is over https, and a provider
	 * offers no button for a plain http link. */
	if (given(m->unsubscribe_url) &&
	    (strncmp(m->unsubscribe_url, "https://", 8) != 0 || !header_url(m->unsubscribe_url)))
		return set_err(err, errlen, "unsubscribe URL must be an https URL without spaces or <>\"");
	if (given(m->unsubscribe_mailto) && !mailto_valid(m->unsubscribe_mailto))
		return set_err(err, errlen, "unsubscribe mailto is not a valid address or mailto: URL");
	return true;
}

/* The address in a mailto: URL (RFC 6068): a local part's characters that
 * are neither unreserved nor "some-delims" are percent-encoded (# % & / = ?
 * ^ ` { | } of atext). The domain, letters, digits, - and ., goes as it is. */
static void put_mailto(struct buf *b, const char *addr)
{
	const char *at = strrchr(addr, '@');

	buf_puts(b, "mailto:");
	for (const char *p = addr; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (p >= at || is_alnum(c) || strchr("-._~!$'()*+,;:@", c))
			buf_add(b, p, 1);
		else
			buf_printf(b, "%%%c%c", hex[c >> 4], hex[c & 15]);
	}
	buf_puts(b, "?subject=unsubscribe");
}

/* One "<uri>" of a List-Unsubscribe list, after a comma unless the first;
 * on a line of its own when it would pass 78 columns (a URI is never
 * folded inside: RFC 2369 lets whitespace stand only between them). */
static void put_list_uri(struct buf *b, size_t *col, const char *uri, size_t len, bool first)
{
	if (!first) {
		buf_puts(b, ",");
		(*col)++;
	}
	if (*col + 1 + len > 78) {
		buf_puts(b, "\r\n");
		*col = 0;
	}
	buf_printf(b, " %.*s", (int)len, uri);
	*col += 1 + len;
}

/* List-Unsubscribe (RFC 2369) on every message, as mailbox providers want
 * of bulk mail: an https URL when there is one, with List-Unsubscribe-Post
 * for one-click (RFC 8058 requires the two together), and always a mailto:
 * the configured address, else the Reply-To, else the From, so a reader's
 * "unsubscribe" reaches the people who answer the mail. */
static void put_unsubscribe(struct buf *b, const struct mail *m)
{
	struct buf mailto = {0};
	size_t col = strlen("List-Unsubscribe:");
	bool url = given(m->unsubscribe_url);
	const char *to = given(m->unsubscribe_mailto) ? m->unsubscribe_mailto
			 : given(m->reply_to)         ? m->reply_to
						      : m->from;

	buf_puts(&mailto, "<");
	if (strncmp(to, "mailto:", 7) == 0)
		buf_puts(&mailto, to);
	else
		put_mailto(&mailto, to);
	buf_puts(&mailto, ">");
	buf_puts(b, "List-Unsubscribe:");
	if (url) {
		char *u = xasprintf("<%s>", m->unsubscribe_url);

		put_list_uri(b, &col, u, strlen(u), true);
		free(u);
	}
	put_list_uri(b, &col, mailto.s, mailto.len, !url);
	buf_puts(b, "\r\n");
	if (url)
		buf_puts(b, "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n");
	buf_free(&mailto);
}

bool mail_compose(const struct mail *m, struct buf *out, char *err, size_t errlen)
{
	struct buf b = {0};
	char date[64], msgid[512];

	if (!check(m, err, errlen))
		return false;
	mail_date(m->date, date, sizeof date);
	mail_message_id(m, msgid, sizeof msgid);
	buf_printf(&b, "Date: %s\r\n", date);
	put_address(&b, "From", m->from_name, m->from);
	if (given(m->reply_to))
		put_address(&b, "Reply-To", m->reply_to_name, m->reply_to);
	put_address(&b, "To", m->to_name, m->to);
	mail_put_unstructured(&b, "Subject", m->subject ? m->subject : "");
	/* Folded before the id when the line would pass 78 characters (a
	 * creditor's long domain): the id itself cannot be folded. */
	buf_printf(&b, "Message-ID:%s<%s>\r\n", strlen(msgid) + 14 > 78 ? "\r\n " : " ", msgid);
	put_unsubscribe(&b, m);
	buf_puts(&b, "MIME-Version: 1.0\r\n"
		     "Content-Type: text/plain; charset=UTF-8\r\n"
		     "Content-Transfer-Encoding: quoted-printable\r\n"
		     "\r\n");
	mail_put_qp(&b, m->body ? m->body : "");
	buf_add(out, b.s, b.len);
	buf_free(&b);
	return true;
}

/* The mail encoder: RFC 5322 headers with RFC 2047 encoded-words, the
 * quoted-printable body, addresses, the Message-ID and List-Unsubscribe.
 * The input's NUL-separated fields are the message's fields; what
 * mail_compose accepts must come out as a message no SMTP server or reader
 * can take another way: CRLF only, lines within 998 octets (76 in the
 * quoted-printable body), nothing but ASCII. */
#include "fuzz.h"

#include "mail.h"
#include "util.h"

static void lines_ok(const char *s, size_t len, size_t max, const char *what)
{
	size_t col = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\r') {
			FUZZ_ASSERT(i + 1 < len && s[i + 1] == '\n', "%s: a CR without LF at %zu", what, i);
			i++, col = 0;
			continue;
		}
		FUZZ_ASSERT(c != '\n', "%s: a LF without CR at %zu", what, i);
		/* A tab is folding white space in a header, and literal in
		 * quoted-printable (RFC 2045, 6.7). */
		FUZZ_ASSERT((c >= 0x20 && c < 0x7F) || c == '\t', "%s: byte 0x%02X at %zu", what, c, i);
		FUZZ_ASSERT(++col <= max, "%s: a line longer than %zu at %zu", what, max, i);
	}
}

/* Valid UTF-8, and (one_line) without CR or LF. */
static bool utf8_ok(const char *s, bool one_line)
{
	for (size_t n; *s; s += n)
		if (!(n = mail_utf8_len(s)) || (one_line && (*s == '\r' || *s == '\n')))
			return false;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *f[11];
	char *buf, err[256], id[512];
	struct buf out = {0};
	struct mail m;

	fuzz_fields(data, size, f, ARRAY_SIZE(f), &buf);
	m = (struct mail){
		.from_name = f[0],
		.from = *f[1] ? f[1] : "cobranzas@bancoandino.example.com",
		.to_name = f[2],
		.to = *f[3] ? f[3] : "deudor@example.com",
		.subject = f[4],
		.body = f[5],
		.reply_to = f[6],
		.unique = *f[7] ? f[7] : "k-1",
		.unsubscribe_url = f[8],
		.unsubscribe_mailto = f[9],
		.msgid_domain = f[10],
		.date = 1764950400,
		.id = 27,
	};
	mail_address_valid(f[1]);
	mail_domain_valid(f[10]);
	mail_message_id(&m, id, sizeof id);
	buf_puts(&out, "");
	if (mail_compose(&m, &out, err, sizeof err)) {
		const char *sep = strstr(out.s, "\r\n\r\n");

		FUZZ_ASSERT(sep, "a blank line between headers and body");
		lines_ok(out.s, (size_t)(sep - out.s) + 2, 998, "headers");
		lines_ok(sep + 4, out.len - (size_t)(sep + 4 - out.s), 76, "body");
		/* Every mail carries List-Unsubscribe; one-click exactly
		 * with a URL (which can only be https). */
		{
			const char *lu = strstr(out.s, "\r\nList-Unsubscribe:");
			const char *post = strstr(out.s, "\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n");

			const char *mailto = lu ? strstr(lu, "<mailto:") : NULL;

			FUZZ_ASSERT(lu && lu < sep && mailto && mailto < sep, "List-Unsubscribe with a mailto");
			FUZZ_ASSERT(*f[8] ? post && post < sep : !post, "List-Unsubscribe-Post with a URL only");
		}
	} else {
		FUZZ_ASSERT(out.len == 0, "a refused message leaves out as it was");
		FUZZ_ASSERT(*f[5] == '\0' || !strstr(err, f[5]) || strlen(f[5]) < 8, "the reason never quotes the body");
	}
	buf_free(&out);
	/* The pieces, as the tests call them. */
	buf_puts(&out, "");
	mail_put_qp(&out, f[5]);
	if (utf8_ok(f[5], false))
		lines_ok(out.s, out.len, 76, "quoted-printable");
	buf_free(&out);
	if (utf8_ok(f[4], true)) {
		buf_puts(&out, "");
		mail_put_unstructured(&out, "Subject", f[4]);
		lines_ok(out.s, out.len, 998, "an unstructured header");
		buf_free(&out);
	}
	free(buf);
	return 0;
}

/* Email messages as RFC 5322 text, ready for an SMTP client to upload: CRLF
 * line ends, RFC 2047 encoded-words for a non-ASCII subject and display names,
 * a quoted-printable UTF-8 body, a Message-ID that names our message, and the
 * List-Unsubscribe headers of RFC 2369 and RFC 8058: always a mailto (with
 * ?subject=unsubscribe for a bare address), and with an https URL also
 * List-Unsubscribe-Post for one-click.
 *
 * Pure: no I/O, no clock, no randomness; the caller gives the date and the
 * unique part of the Message-ID. Dot-stuffing is left to the SMTP client
 * (libcurl does it), since it belongs to the DATA command, not the message. */
#ifndef COBRO_MAIL_H
#define COBRO_MAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "util.h"

/* RFC 2047: an encoded-word is at most 75 characters, and a header line that
 * holds one at most 76. */
#define MAIL_WORD_MAX 75
#define MAIL_LINE_MAX 76

struct mail {
	const char *from_name;          /* UTF-8 display name, or NULL/"" */
	const char *from;               /* address, required */
	const char *reply_to_name;      /* NULL/"" for none */
	const char *reply_to;           /* NULL/"" for no Reply-To */
	const char *to_name;            /* NULL/"" for none */
	const char *to;                 /* address, required */
	const char *subject;            /* UTF-8; NULL is an empty subject */
	const char *body;               /* UTF-8, lines ended by LF or CRLF */
	time_t date;                    /* written in UTC */
	long long id;                   /* cobro.message.id */
	const char *unique;             /* [A-Za-z0-9-], e.g. the idempotency key */
	const char *msgid_domain;       /* NULL/"": the domain of from */
	const char *unsubscribe_url;    /* https URL, or NULL/"" */
	const char *unsubscribe_mailto; /* address or "mailto:..." URL; NULL/"": reply_to, else from */
};

/* Conservative: a dot-atom local part (at most 64 octets) "@" a domain of at
 * least two LDH labels (each 1 to 63 octets, no leading or trailing hyphen, a
 * TLD that is not all digits), at most 254 octets in all. Refuses quoted local
 * parts, address literals, non-ASCII (no SMTPUTF8) and any control
 * character, so an address can never carry a header or SMTP command. */
bool mail_address_valid(const char *addr);

/* Whether s is a domain as mail_address_valid() wants it on the right. */
bool mail_domain_valid(const char *s);

/* Appends the whole message (headers, blank line, body) to out. On a field
 * that cannot be sent as given (an invalid address, a line break in a header
 * field, invalid UTF-8, a bad unsubscribe URL) leaves out as it was, puts an
 * English reason naming the field in err ("subject holds a line break") and
 * returns false. The reason never quotes the body. */
bool mail_compose(const struct mail *m, struct buf *out, char *err, size_t errlen);

/* The Message-ID without angle brackets: "cobro.ID.UNIQUE@DOMAIN", into out.
 * False (out "") when unique or the domain are unfit. */
bool mail_message_id(const struct mail *m, char *out, size_t outlen);

/* RFC 5322 date-time in UTC: "Tue, 01 Dec 2026 09:05:00 +0000". */
void mail_date(time_t t, char *out, size_t outlen);

/* One header field "Name: text" with text as RFC 2047 encoded-words when it
 * needs them, folded so no line passes 76 characters (78 for plain ASCII
 * folded at its spaces), ending in CRLF. text must be valid UTF-8 without CR
 * or LF (mail_compose checks). Exposed for the tests. */
void mail_put_unstructured(struct buf *out, const char *name, const char *text);

/* Appends body as quoted-printable: hard line breaks as CRLF, soft ones ("="
 * at the end) to keep every line within 76 characters, never inside a UTF-8
 * character or an =XX triplet; "From " at the start of a line becomes
 * "=46rom " so mbox tools leave it alone. Exposed for the tests. */
void mail_put_qp(struct buf *out, const char *body);

/* The length of the UTF-8 character at s (1 to 4), or 0 when s does not
 * start a valid one (overlong forms, surrogates, beyond U+10FFFF). */
size_t mail_utf8_len(const char *s);

#endif

/* How long an SMS is on the air: its encoding (GSM-7 when every character is
 * in the GSM 03.38 alphabet, else UCS-2) and the segments it takes, so that
 * the send screen can show the count and a template that would cost too many
 * segments is refused before it is queued. Pure: no I/O. */
#ifndef COBRO_SMS_H
#define COBRO_SMS_H

#include <stdbool.h>
#include <stddef.h>

/* Per segment: a lone message, and one part of a concatenated message (the
 * user data header of 6 octets takes 7 septets or 3 UTF-16 units). */
#define SMS_GSM7_SINGLE 160
#define SMS_GSM7_PART   153
#define SMS_UCS2_SINGLE 70
#define SMS_UCS2_PART   67

enum sms_encoding {
	SMS_GSM7,
	SMS_UCS2,
};

struct sms_size {
	enum sms_encoding encoding;
	size_t chars;    /* Unicode code points */
	size_t units;    /* septets (GSM-7) or UTF-16 code units (UCS-2) */
	size_t segments; /* 1 for the empty text: it still goes out as one SMS */
	size_t left;     /* units still free in the last segment */
};

/* Measures NUL-terminated UTF-8 text. GSM-7 septets count the extension
 * table (form feed ^ { } \ [ ~ ] | €) as 2; UCS-2 counts a character outside
 * the BMP (most emoji) as 2. Parts are filled one grapheme cluster at a
 * time (UAX #29, through utf8proc): handsets and gateways never split what
 * a person reads as one character (an emoji and its skin tone, a flag, a
 * ZWJ family, a letter and its combining accents, CR LF), so a cluster that
 * would straddle a boundary moves whole into the next part. A cluster
 * longer than a part is split between code points, as phones do; an escape
 * and its character, or a surrogate pair, are never split. A long message
 * may therefore take more segments than units / 153 (or 67) rounded up.
 * Returns false, out zeroed, on invalid UTF-8 (overlong forms, surrogates,
 * beyond U+10FFFF). */
bool sms_measure(const char *utf8, struct sms_size *out);

/* "GSM-7" or "UCS-2". */
const char *sms_encoding_name(enum sms_encoding enc);

/* Whether the text fits in max_segments; if not (or on invalid UTF-8),
 * false with an English reason in err, e.g. "the SMS takes 3 segments
 * (UCS-2, 150 characters); at most 2 are allowed". err may be NULL. */
bool sms_check_limit(const char *utf8, size_t max_segments, char *err, size_t errsize);

#endif

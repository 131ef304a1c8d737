/* SMS length: GSM 03.38 (3GPP TS 23.038) default alphabet and its extension
 * table, UCS-2 otherwise, and the segments of a concatenated message
 * (3GPP TS 23.040: a 6-octet user data header in each part).
 *
 * Every character is decoded with utf8proc, which refuses overlong forms,
 * surrogates and code points beyond U+10FFFF, so the text the gateway gets
 * is the text measured here. Characters of the national language shift
 * tables are not used: Kannel and most gateways send the default alphabet
 * or UCS-2, nothing else. */
#include "sms.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <utf8proc.h>

#include "util.h"

/* The default alphabet beyond ASCII, in code point order. With the 88 ASCII
 * characters it allows (see gsm_cost) these make the 127 characters of the
 * table (position 0x1B is the escape to the extension table, not a
 * character). 0x09 is Ç: the first edition's ç was a misprint. */
/* clang-format off */
static const uint16_t gsm_basic[] = {
	0x00A1, /* ¡ */ 0x00A3, /* £ */ 0x00A4, /* ¤ */ 0x00A5, /* ¥ */ 0x00A7, /* § */
	0x00BF, /* ¿ */ 0x00C4, /* Ä */ 0x00C5, /* Å */ 0x00C6, /* Æ */ 0x00C7, /* Ç */
	0x00C9, /* É */ 0x00D1, /* Ñ */ 0x00D6, /* Ö */ 0x00D8, /* Ø */ 0x00DC, /* Ü */
	0x00DF, /* ß */ 0x00E0, /* à */ 0x00E4, /* ä */ 0x00E5, /* å */ 0x00E6, /* æ */
	0x00E8, /* è */ 0x00E9, /* é */ 0x00EC, /* ì */ 0x00F1, /* ñ */ 0x00F2, /* ò */
	0x00F6, /* ö */ 0x00F8, /* ø */ 0x00F9, /* ù */ 0x00FC, /* ü */ 0x0393, /* Γ */
	0x0394, /* Δ */ 0x0398, /* Θ */ 0x039B, /* Λ */ 0x039E, /* Ξ */ 0x03A0, /* Π */
	0x03A3, /* Σ */ 0x03A6, /* Φ */ 0x03A8, /* Ψ */ 0x03A9, /* Ω */
};
/* clang-format on */

/* Septets of one code point in GSM-7: 1 in the default alphabet, 2 through
 * the extension table (escape + character), 0 when GSM-7 cannot carry it. */
static int gsm_cost(int32_t cp)
{
	if (cp == '\n' || cp == '\r')
		return 1;
	if (cp == '\f')
		return 2;
	if (cp >= 0x20 && cp < 0x7F) {
		if (cp == '`')
			return 0;
		if (strchr("^{}\\[~]|", (int)cp))
			return 2;
		return 1;
	}
	if (cp == 0x20AC) /* € */
		return 2;
	for (size_t i = 0; i < ARRAY_SIZE(gsm_basic); i++)
		if (gsm_basic[i] == cp)
			return 1;
	return 0;
}

static int ucs2_cost(int32_t cp)
{
	return cp > 0xFFFF ? 2 : 1; /* a surrogate pair */
}

/* Decodes the next code point; 0 at the end, -1 on invalid UTF-8. */
static int next_cp(const char **s, int32_t *cp)
{
	utf8proc_ssize_t n;

	if (**s == '\0')
		return 0;
	n = utf8proc_iterate((const utf8proc_uint8_t *)*s, -1, cp);
	if (n <= 0)
		return -1;
	*s += n;
	return 1;
}

/* Units of one code point in the message's encoding. */
static size_t unit_cost(int32_t cp, bool gsm)
{
	return (size_t)(gsm ? gsm_cost(cp) : ucs2_cost(cp));
}

/* Puts n units in the current part, or opens the next one when they do not
 * fit; returns the units now used in the current part. */
static size_t place(size_t used, size_t n, size_t part, size_t *segments)
{
	if (used + n > part) {
		(*segments)++;
		return n;
	}
	return used + n;
}

/* Fills parts of `part` units in order, one grapheme cluster at a time: a
 * cluster (an emoji with its skin tone, a flag's two regional indicators, a
 * ZWJ family, a letter and its accents, CR LF) that would straddle a
 * boundary moves whole into the next part, as handsets and gateways keep a
 * character together. A cluster longer than a whole part cannot be kept
 * together; it is split between code points, as phones do, and even then
 * an escape and its character, or a surrogate pair, stay in one part.
 * Counts the parts opened into *segments; returns the units used in the
 * last. The text has been decoded once already, so it is valid UTF-8. */
static size_t segment_fill(const char *utf8, bool gsm, size_t part, size_t *segments)
{
	const char *p = utf8, *start = utf8, *at;
	size_t used = 0, cluster = 0;
	int32_t cp, prev = -1, state = 0;

	for (;;) {
		bool more;

		at = p;
		more = next_cp(&p, &cp) > 0;
		/* A cluster ends before cp, or at the end of the text. */
		if (prev >= 0 && (!more || utf8proc_grapheme_break_stateful(prev, cp, &state))) {
			if (cluster <= part) {
				used = place(used, cluster, part, segments);
			} else {
				int32_t c;

				for (const char *q = start; q < at && next_cp(&q, &c) > 0;)
					used = place(used, unit_cost(c, gsm), part, segments);
			}
			start = at;
			cluster = 0;
		}
		if (!more)
			return used;
		prev = cp;
		cluster += unit_cost(cp, gsm);
	}
}

bool sms_measure(const char *utf8, struct sms_size *out)
{
	const char *p = utf8;
	size_t septets = 0, ucs2 = 0, chars = 0, single, part;
	bool gsm = true;
	int32_t cp;
	int r;

	memset(out, 0, sizeof *out);
	while ((r = next_cp(&p, &cp)) > 0) {
		int c = gsm_cost(cp);

		if (c == 0)
			gsm = false;
		septets += (size_t)c;
		ucs2 += (size_t)ucs2_cost(cp);
		chars++;
	}
	if (r < 0)
		return false;

	out->encoding = gsm ? SMS_GSM7 : SMS_UCS2;
	out->chars = chars;
	out->units = gsm ? septets : ucs2;
	single = gsm ? SMS_GSM7_SINGLE : SMS_UCS2_SINGLE;
	part = gsm ? SMS_GSM7_PART : SMS_UCS2_PART;
	if (out->units <= single) {
		out->segments = 1;
		out->left = single - out->units;
		return true;
	}
	out->segments = 1;
	out->left = part - segment_fill(utf8, gsm, part, &out->segments);
	return true;
}

const char *sms_encoding_name(enum sms_encoding enc)
{
	return enc == SMS_GSM7 ? "GSM-7" : "UCS-2";
}

bool sms_check_limit(const char *utf8, size_t max_segments, char *err, size_t errsize)
{
	struct sms_size sz;

	if (!sms_measure(utf8, &sz)) {
		if (err && errsize)
			snprintf(err, errsize, "the SMS is not valid UTF-8");
		return false;
	}
	if (sz.segments <= max_segments)
		return true;
	if (err && errsize)
		snprintf(err, errsize,
			 "the SMS takes %zu segments (%s, %zu characters); at most %zu %s allowed",
			 sz.segments, sms_encoding_name(sz.encoding), sz.chars, max_segments,
			 max_segments == 1 ? "is" : "are");
	return false;
}

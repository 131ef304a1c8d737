/* What an inbound SMS says before it reaches the database: whether it is an
 * opt-out, who sent it (E.164), and whether its text is text at all. Pure:
 * no I/O; only inbound_ucs2_to_utf8 allocates. */
#ifndef COBRO_INBOUND_H
#define COBRO_INBOUND_H

#include <stdbool.h>
#include <stddef.h>

/* Whether the whole message is an opt-out keyword: STOP, STOP ALL, STOPALL,
 * UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE, OPT OUT, OPTOUT, BAJA, DAR DE BAJA,
 * ALTO, PARAR. Any case; whitespace, punctuation and emoji around the word
 * do not count ("  Stop!", "baja.", "¡BAJA!"), nor do several spaces between
 * words. Only the whole message, as carriers do: "no puedo parar de
 * pensar..." or "please stop calling me at work" is a reply for the
 * collector, not an opt-out. An accented letter is another letter: "BAJÁ"
 * (voseo for "come down") is not "BAJA". NULL is not an opt-out. */
bool inbound_is_stop(const char *text);

/* The sender as a gateway writes it ("+51987654321", "51987654321",
 * "0051987654321", with spaces; a "+" that became a space in a query string)
 * as E.164 in out (PHONE_E164_SIZE). A number without "+" or "00" is read as
 * international: gateways give no national numbers. False (out "") for
 * anything phone_normalize refuses: short codes, names, other countries. */
bool inbound_phone(const char *raw, char *out, size_t outlen);

/* An E.164 number for logs: the country's first digits and the last four,
 * "+51*****4321". Anything else becomes "?". */
void inbound_mask_phone(const char *e164, char *out, size_t outlen);

/* UCS-2 / UTF-16BE bytes (Kannel's coding 2 when smsbox does not recode) as
 * a new UTF-8 string, or NULL when they are not UTF-16 (odd length, a lone
 * surrogate, a NUL). */
char *inbound_ucs2_to_utf8(const char *s, size_t len);

#endif

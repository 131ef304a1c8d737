/* The numbering plans phone.c reads: libphonenumber's metadata for the
 * supported countries, turned into tables by scripts/phone-tables.py (the
 * generated phone_tables.c). Only phone.c includes this. */
#ifndef COBRO_PHONE_TABLES_H
#define COBRO_PHONE_TABLES_H

#include <stddef.h>
#include <stdint.h>

/* What libphonenumber's number_type() says of a number, in the low bits of a
 * state's label; PHONE_INVALID is "not a valid number". */
enum phone_kind {
	PHONE_INVALID,
	PHONE_FIXED,
	PHONE_MOBILE,
	PHONE_FIXED_OR_MOBILE, /* the plan does not tell them apart (NANP, Chile, part of Mexico) */
	PHONE_TOLL_FREE,
	PHONE_PREMIUM,
	PHONE_SHARED_COST,
	PHONE_VOIP,
	PHONE_PERSONAL,
	PHONE_PAGER,
	PHONE_UAN,
	PHONE_VOICEMAIL,
};
#define PHONE_KIND 0x0f
/* The country's general pattern matches the digits read so far (a regex
 * match only, no length test: libphonenumber's "viable" number). */
#define PHONE_GENERAL 0x10
/* One digit or more can still make a valid number. */
#define PHONE_LIVE 0x20

/* Strings a pattern matches at the start of a number, as re.match picks
 * them: a trie over the digits (node 0 is the root; a child 0 is none) and,
 * per node, the entry that ends there (-1 none). Entries are numbered in
 * the order Python's backtracking tries them: of the entries along the
 * digits, the lowest wins. repl (national prefixes only): what the entry's
 * digits turn into, "" when they are just dropped. Either table is 8 or 16
 * bits wide, as the node count needs. */
struct phone_trie {
	const uint8_t (*next8)[10];
	const uint16_t (*next16)[10];
	const int16_t *end;
	const char *const *repl;
};

/* One country code's plan. next: a minimal deterministic automaton over the
 * national significant number's digits (state 0 dead, 1 the start), label:
 * each state's kind and flags. lengths and local_lengths: the general
 * possible lengths, a bit per length. idd: the international prefix dialled
 * from the country; npp: its national_prefix_for_parsing. */
struct phone_plan {
	const char *iso;
	const char *cc;
	uint32_t lengths, local_lengths;
	const uint8_t (*next8)[10];
	const uint16_t (*next16)[10];
	const uint8_t *label;
	struct phone_trie idd, npp;
};

extern const struct phone_plan phone_plans[];
extern const size_t phone_nplans;
/* " 1 7 20 27 ... 998 ": every country calling code, for telling "+44" (a
 * country cobro does not serve) from a typo. */
extern const char phone_country_codes[];
/* The python3-phonenumbers version the tables come from ("8.12.57"). */
extern const char phone_tables_version[];

#endif

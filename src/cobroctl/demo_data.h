/* The demo portfolio's vocabulary: names, places, creditors, products and the
 * words of notes and messages. Data only; demo_gen.c decides how they mix. */
#ifndef COBRO_DEMO_DATA_H
#define COBRO_DEMO_DATA_H

#include <stddef.h>

/* A list of strings with its length, so tables can be picked from uniformly. */
struct demo_words {
	const char *const *w;
	size_t n;
};

/* Phone patterns: '#' any digit, 'N' a digit 2-9, anything else literal. */
struct demo_zone {
	const char *tz;
	int utc_offset_min;        /* standard time; DST moves history by an hour at most */
	int weight;
	const char *jurisdiction;  /* "US-MA" where a state's own rules apply */
	const char *city;
	const char *const *mobile; /* NULL-terminated patterns, E.164 */
	const char *const *landline;
};

enum demo_id_kind { ID_DNI_PE, ID_CURP_MX, ID_CC_CO, ID_RUT_CL, ID_DNI_ES, ID_SSN4_US };

struct demo_country {
	const char *code;           /* ISO 3166-1 alpha-2 */
	const char *currency;
	int weight;                 /* share of debtors */
	int english_pct;            /* debtors with English names (the rest Hispanic) */
	int english_speak_pct;      /* of the Hispanic-named, those who still prefer en */
	int phone_only_pct;         /* consent to calls only (CO's stricter habeas data) */
	int usd_pct;                /* accounts in US dollars besides the local currency */
	enum demo_id_kind id_kind;
	const struct demo_zone *zones;
	size_t nzones;
	const struct demo_words *streets;
};

/* Products: monthly instalment in major units of the local currency for a
 * unit-priced economy (scaled per currency by demo_currency_scale). */
struct demo_product {
	const char *code;
	int min_amount, max_amount; /* one instalment, in "USD-like" units */
	int min_term, max_term;     /* instalments in the schedule */
};

struct demo_creditor {
	const char *code;
	const char *name;
	const char *email_from;
	const char *reply_to;
	const char *pay_link;
	const char *ref_prefix;
	const char *countries;      /* the countries it lends in, "PE MX CO" */
	const char *const *products;/* NULL-terminated product codes */
};

extern const struct demo_country demo_countries[];
extern const size_t demo_ncountries;
extern const struct demo_creditor demo_creditors[];
extern const size_t demo_ncreditors;
extern const struct demo_product demo_products[];
extern const size_t demo_nproducts;

/* Major units of a currency worth roughly one US dollar, times 100. */
long demo_currency_scale(const char *currency);

extern const struct demo_words demo_es_female, demo_es_male, demo_es_surnames;
extern const struct demo_words demo_en_female, demo_en_male, demo_en_surnames;
extern const struct demo_words demo_email_domains;

/* Free text written by collectors and debtors, per language (0 es, 1 en). */
extern const struct demo_words demo_notes[2];
extern const struct demo_words demo_replies[2];
extern const struct demo_words demo_dispute_notes[2];
extern const struct demo_words demo_stop_words[2];
/* [language][0 reminder, 1 past due]: printf with first name, amount, due date. */
extern const char *const demo_sms_text[2][2];
extern const char *const demo_email_subject[2][2];
extern const char *const demo_wa_text[2][2];
extern const char *const demo_letter_text[2];   /* amount, due date, address */
extern const char *const demo_visit_text[2];    /* address, result */
extern const struct demo_words demo_visit_result[2];

/* The fixed people of the demo (DESIGN.md's cast). */
struct demo_person {
	const char *login, *name, *role, *team;
};
extern const struct demo_person demo_people[];
extern const size_t demo_npeople;

/* Teams beyond norte and sur, for portfolios that need more than two. */
extern const struct demo_words demo_team_codes, demo_team_names;

#endif

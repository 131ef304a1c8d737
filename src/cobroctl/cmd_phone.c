/* cobroctl phone: what cobro makes of phone numbers as people write them,
 * without a database: the same phone_normalize() the imports use, so an
 * operator can try a column before loading it, and the tests can hold it
 * to libphonenumber (tests/cli/test_phone_libphonenumber.sh). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cobroctl.h"
#include "phone.h"
#include "util.h"

/* One number: its E.164 form, or "! " and why it is refused, on a line of
 * its own so that the output lines up with the input. */
static bool normalize_one(const char *number, const char *country)
{
	char out[PHONE_E164_SIZE], err[512];

	if (phone_normalize(number, country, out, sizeof out, err, sizeof err)) {
		printf("%s\n", out);
		return true;
	}
	printf("! %s\n", err);
	return false;
}

/* phone normalize COUNTRY [NUMBER...]: the numbers given, else one per line
 * of standard input. COUNTRY "-" is none: only numbers with their country
 * code are read. Exit status 1 when any number is refused. */
static int phone_normalize_cmd(struct ctl *c, int argc, char **argv)
{
	const char *country;
	bool all = true;

	(void)c;
	if (argc < 3)
		return ctl_usage(&ctl_phone_cmd);
	country = strcmp(argv[2], "-") ? argv[2] : NULL;
	if (argc > 3) {
		for (int i = 3; i < argc; i++)
			all &= normalize_one(argv[i], country);
	} else {
		char *line = NULL;
		size_t cap = 0;
		ssize_t n;

		while ((n = getline(&line, &cap, stdin)) >= 0) {
			if (n && line[n - 1] == '\n')
				line[--n] = '\0';
			if (n && line[n - 1] == '\r')
				line[--n] = '\0';
			all &= normalize_one(line, country);
		}
		free(line);
	}
	if (fflush(stdout) != 0)
		die("standard output: write error");
	return all ? 0 : 1;
}

static int phone_metadata_cmd(struct ctl *c, int argc, char **argv)
{
	(void)c;
	(void)argv;
	if (argc != 2)
		return ctl_usage(&ctl_phone_cmd);
	printf("libphonenumber %s: %s\n", phone_metadata_version(), phone_supported_countries());
	return 0;
}

static int phone_run(struct ctl *c, int argc, char **argv)
{
	static const struct ctl_sub subs[] = {
	    {"normalize", phone_normalize_cmd},
	    {"metadata", phone_metadata_cmd},
	};

	return ctl_dispatch(&ctl_phone_cmd, subs, ARRAY_SIZE(subs), c, argc, argv);
}

const struct ctl_command ctl_phone_cmd = {
    .name = "phone",
    .usage = "  phone normalize COUNTRY|- [NUMBER...]\n"
	     "                               numbers (else stdin's lines) to E.164, as imports do\n"
	     "  phone metadata               the libphonenumber metadata the numbering plans come from\n",
    .run = phone_run,
};

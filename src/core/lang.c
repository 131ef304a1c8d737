/* The language of what a program says (gettext, domain cobro): the
 * workstation's and cobroctl's, set up once at start. */
#include <libintl.h>
#include <locale.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lang.h"
#include "util.h"

/* Where the message catalogues are: $COBRO_LOCALEDIR, else beside the binary
 * (PREFIX/bin/../share/locale once installed, bin/../build/release/locale in
 * the source tree), else the directory compiled in. */
static char *locale_dir(void)
{
	const char *env = getenv("COBRO_LOCALEDIR");
	static const char *const rel[] = { "/../share/locale", "/../build/release/locale" };
	char exe[4096];
	ssize_t n;

	if (env && *env)
		return xstrdup(env);
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		*strrchr(exe, '/') = '\0';
		for (size_t i = 0; i < ARRAY_SIZE(rel); i++) {
			char *d = xasprintf("%s%s/es/LC_MESSAGES/cobro.mo", exe, rel[i]);
			bool found = access(d, R_OK) == 0;

			free(d);
			if (found)
				return xasprintf("%s%s", exe, rel[i]);
		}
	}
	return xstrdup(COBRO_LOCALEDIR);
}

/* (lang.h) */
void lang_setup(const char *language)
{
	char *dir = locale_dir();

	/* The configured language wins over the locale's, for messages only. */
	if (language && language[0])
		setenv("LANGUAGE", language, 1);
	if (!setlocale(LC_ALL, "")) {
		/* The locale asked for is not installed (es_PE.UTF-8 on a minimal
		 * machine): keep UTF-8 and the language it names, rather than
		 * falling back to ASCII and English. */
		const char *want = getenv("LC_ALL");

		if (!want || !*want)
			want = getenv("LC_MESSAGES");
		if (!want || !*want)
			want = getenv("LANG");
		if (want && strlen(want) >= 2 && !getenv("LANGUAGE")) {
			char two[3] = { want[0], want[1], '\0' };

			setenv("LANGUAGE", two, 1);
		}
		setlocale(LC_ALL, "C.UTF-8");
	}
	bindtextdomain("cobro", dir);
	free(dir);
	bind_textdomain_codeset("cobro", "UTF-8");
	textdomain("cobro");
}


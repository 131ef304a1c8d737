/* The configuration loaders, cobro.conf and cobrod.conf, as the programs
 * call them: the input is written to a file (the first byte chooses the
 * loader) and loaded with every check they make. */
#include "fuzz.h"

#include <unistd.h>

#include "config.h"
#include "util.h"

static char path[64];

static void remove_file(void) { unlink(path); }

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int fd;

	(void)argc, (void)argv;
	/* In memory when the system has it: a file is written per input. */
	snprintf(path, sizeof path, "%s/cobro-fuzz-conf-XXXXXX", access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if ((fd = mkstemp(path)) < 0) {
		perror(path);
		exit(2);
	}
	close(fd);
	atexit(remove_file);
	/* The loaders look at the environment for secrets: none here. */
	unsetenv("XDG_CONFIG_HOME");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512] = "";
	FILE *f;

	if (size < 1)
		return 0;
	if (!(f = fopen(path, "w")) || fwrite(data + 1, 1, size - 1, f) != size - 1 || fclose(f) != 0)
		abort();
	if (data[0] & 1) {
		struct cobrod_conf c;

		if (cobrod_conf_load(&c, path, err, sizeof err)) {
			char msg[256];

			cobrod_conf_exposed(&c, msg, sizeof msg);
			cobrod_conf_transport(&c, "kannel");
		}
		cobrod_conf_free(&c);
	} else {
		struct cobro_conf c;

		cobro_conf_load(&c, path, err, sizeof err);
		cobro_conf_free(&c);
	}
	FUZZ_ASSERT(!err[0] || strncmp(err, path, strlen(path)) == 0 || strstr(err, path),
		    "a refusal names the file: %s", err);
	return 0;
}

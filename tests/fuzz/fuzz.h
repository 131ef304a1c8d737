/* What the fuzz targets share (tests/fuzz/fuzz_*.c, built by make fuzz with
 * clang's libFuzzer, AddressSanitizer and UndefinedBehaviorSanitizer). Each
 * target defines LLVMFuzzerTestOneInput; a property that does not hold is
 * reported with FUZZ_ASSERT, which aborts so libFuzzer keeps the input. */
#ifndef COBRO_FUZZ_H
#define COBRO_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define FUZZ_ASSERT(cond, ...)                                                                             \
	do {                                                                                                 \
		if (!(cond)) {                                                                               \
			fprintf(stderr, "fuzz property failed: %s: ", #cond);                                \
			fprintf(stderr, __VA_ARGS__);                                                        \
			fputc('\n', stderr);                                                                 \
			abort();                                                                             \
		}                                                                                            \
	} while (0)

/* The input as a NUL-terminated string (cut at its first NUL, as a C
 * reader of the text would be). Free it. */
static inline char *fuzz_string(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Splits the input at NULs into at most n fields (the last one takes the
 * rest, NULs included as cuts); missing fields are "". Free *buf. */
static inline void fuzz_fields(const uint8_t *data, size_t size, const char **field, size_t n, char **buf)
{
	char *s = fuzz_string(data, size), *p = s, *end = s + size;

	for (size_t i = 0; i < n; i++) {
		field[i] = p < end ? p : "";
		if (p < end)
			p += strlen(p) + 1;
	}
	*buf = s;
}

#endif

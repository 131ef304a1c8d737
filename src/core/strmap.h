/* A set of strings with a number each (open addressing, FNV-1a): the
 * import's look-ups of a million references in memory. Keys are copied. */
#ifndef COBRO_STRMAP_H
#define COBRO_STRMAP_H

#include <stdbool.h>
#include <stddef.h>

struct strmap {
	char **key;
	long *val;
	unsigned long long *hash; /* each slot's key's hash: a probe compares
	                           * it before following the key's pointer */
	size_t cap, len;
};

/* Sets key to val; returns true when key was new. */
bool strmap_put(struct strmap *m, const char *key, long val);
/* The value of key in *val; false when it is absent. */
bool strmap_get(const struct strmap *m, const char *key, long *val);
void strmap_free(struct strmap *m);

#endif

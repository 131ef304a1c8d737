/* Strings to numbers (strmap.h). */
#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static unsigned long long hash(const char *s)
{
	unsigned long long h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* The slot of s (hash h): its own, or the empty one where it would go.
 * A million keys do not fit in the cache: comparing the stored hashes
 * first follows a key's pointer only when it is very likely the one. */
static size_t slot(char *const *key, const unsigned long long *hashes, size_t cap, const char *s,
		   unsigned long long h)
{
	size_t i = (size_t)h & (cap - 1);

	while (key[i] && (hashes[i] != h || strcmp(key[i], s)))
		i = (i + 1) & (cap - 1);
	return i;
}

static void grow(struct strmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64;
	char **key = xcalloc(cap, sizeof *key);
	long *val = xcalloc(cap, sizeof *val);
	unsigned long long *hashes = xcalloc(cap, sizeof *hashes);

	for (size_t i = 0; i < m->cap; i++)
		if (m->key[i]) {
			size_t j = (size_t)m->hash[i] & (cap - 1);

			while (key[j])
				j = (j + 1) & (cap - 1);
			key[j] = m->key[i];
			val[j] = m->val[i];
			hashes[j] = m->hash[i];
		}
	free(m->key);
	free(m->val);
	free(m->hash);
	m->key = key;
	m->val = val;
	m->hash = hashes;
	m->cap = cap;
}

bool strmap_put(struct strmap *m, const char *k, long v)
{
	size_t i;

	unsigned long long h = hash(k);

	if ((m->len + 1) * 2 > m->cap)
		grow(m);
	i = slot(m->key, m->hash, m->cap, k, h);
	m->val[i] = v;
	if (m->key[i])
		return false;
	m->key[i] = xstrdup(k);
	m->hash[i] = h;
	m->len++;
	return true;
}

bool strmap_get(const struct strmap *m, const char *k, long *v)
{
	size_t i;

	if (!m->cap)
		return false;
	i = slot(m->key, m->hash, m->cap, k, hash(k));
	if (!m->key[i])
		return false;
	if (v)
		*v = m->val[i];
	return true;
}

void strmap_free(struct strmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->key[i]);
	free(m->key);
	free(m->val);
	free(m->hash);
	memset(m, 0, sizeof *m);
}

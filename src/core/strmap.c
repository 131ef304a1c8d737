/* Strings to numbers (strmap.h). */
#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static size_t slot(char *const *key, size_t cap, const char *s)
{
	size_t i = (size_t)hash(s) & (cap - 1);

	while (key[i] && strcmp(key[i], s))
		i = (i + 1) & (cap - 1);
	return i;
}

static void grow(struct strmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64;
	char **key = xcalloc(cap, sizeof *key);
	long *val = xcalloc(cap, sizeof *val);

	for (size_t i = 0; i < m->cap; i++)
		if (m->key[i]) {
			size_t j = slot(key, cap, m->key[i]);

			key[j] = m->key[i];
			val[j] = m->val[i];
		}
	free(m->key);
	free(m->val);
	m->key = key;
	m->val = val;
	m->cap = cap;
}

bool strmap_put(struct strmap *m, const char *k, long v)
{
	size_t i;

	if ((m->len + 1) * 2 > m->cap)
		grow(m);
	i = slot(m->key, m->cap, k);
	m->val[i] = v;
	if (m->key[i])
		return false;
	m->key[i] = xstrdup(k);
	m->len++;
	return true;
}

bool strmap_get(const struct strmap *m, const char *k, long *v)
{
	size_t i;

	if (!m->cap)
		return false;
	i = slot(m->key, m->cap, k);
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
	memset(m, 0, sizeof *m);
}

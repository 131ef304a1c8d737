#include "diff.h"

#include <stdbool.h>

#include <stdlib.h>
#include <string.h>

#include "util.h"

struct lines {
	const char **s;
	size_t *len;
	size_t n;
};

static void split(const char *t, struct lines *l)
{
	size_t cap = 16;

	l->n = 0;
	l->s = xmalloc(cap * sizeof *l->s);
	l->len = xmalloc(cap * sizeof *l->len);
	while (t && *t) {
		const char *nl = strchr(t, '\n');
		size_t n = nl ? (size_t)(nl - t) : strlen(t);

		if (l->n == cap) {
			cap *= 2;
			l->s = xrealloc(l->s, cap * sizeof *l->s);
			l->len = xrealloc(l->len, cap * sizeof *l->len);
		}
		l->s[l->n] = t;
		l->len[l->n++] = n;
		t = nl ? nl + 1 : t + n;
	}
}

static bool eq(const struct lines *a, size_t i, const struct lines *b, size_t j)
{
	return a->len[i] == b->len[j] && memcmp(a->s[i], b->s[j], a->len[i]) == 0;
}

/* Longest common subsequence by dynamic programming: policy files are a few
 * hundred lines, so the table stays small. */
char *diff_lines(const char *ta, const char *tb)
{
	struct lines a, b;
	struct buf out = { 0 };
	unsigned *t;
	size_t i = 0, j = 0, w;
	bool in_run = false;

	split(ta, &a);
	split(tb, &b);
	w = b.n + 1;
	t = xcalloc((a.n + 1) * w, sizeof *t);
	for (size_t x = a.n; x-- > 0;)
		for (size_t y = b.n; y-- > 0;)
			t[x * w + y] = eq(&a, x, &b, y) ? t[(x + 1) * w + y + 1] + 1
			                                : (t[(x + 1) * w + y] > t[x * w + y + 1] ? t[(x + 1) * w + y]
			                                                                          : t[x * w + y + 1]);
	buf_puts(&out, "");
	while (i < a.n || j < b.n) {
		if (i < a.n && j < b.n && eq(&a, i, &b, j)) {
			i++, j++;
			in_run = false;
			continue;
		}
		if (!in_run) {
			buf_printf(&out, "@@ line %zu\n", j + 1);
			in_run = true;
		}
		if (j < b.n && (i == a.n || t[i * w + j + 1] > t[(i + 1) * w + j])) {
			buf_puts(&out, "+");
			buf_add(&out, b.s[j], b.len[j]);
			buf_puts(&out, "\n");
			j++;
		} else {
			buf_puts(&out, "-");
			buf_add(&out, a.s[i], a.len[i]);
			buf_puts(&out, "\n");
			i++;
		}
	}
	free(t);
	free(a.s);
	free(a.len);
	free(b.s);
	free(b.len);
	return out.s;
}

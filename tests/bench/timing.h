/* Timing helpers shared by the benchmark programs in tests/bench. */
#ifndef COBRO_BENCH_TIMING_H
#define COBRO_BENCH_TIMING_H

#include <stdint.h>
#include <stdlib.h>
#include <time.h>

static inline int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static inline int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Of n values (sorted here): the nearest-rank p-th percentile, in ms. */
static inline double pct_ms(int64_t *v, int n, int p)
{
	int k;

	qsort(v, (size_t)n, sizeof *v, cmp_i64);
	k = (p * n + 99) / 100; /* ceil(p/100 * n), 1-based */
	if (k < 1)
		k = 1;
	return (double)v[k - 1] / 1e6;
}

#endif

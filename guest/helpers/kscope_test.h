/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kscope_test.h - what the helpers that kscope's tests and benchmarks
 * run inside the VM (ktest, kfuzz, kstress, kbench) have in common.
 *
 * Header only, all static inline: every helper stays one .c file that
 * builds with one "gcc -static ... -o X X.c" and includes this from
 * the same directory. Define _GNU_SOURCE before including it.
 *
 * A helper may define HELPER_NAME ("ktest") before including it;
 * die()'s messages then begin with it.
 */
#ifndef KSCOPE_TEST_H
#define KSCOPE_TEST_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* "HELPER_NAME: WHAT: strerror(errno)" on stderr, then exit 2 */
static inline __attribute__((noreturn)) void die(const char *what)
{
#ifdef HELPER_NAME
	fprintf(stderr, HELPER_NAME ": %s: %s\n", what, strerror(errno));
#else
	fprintf(stderr, "%s: %s\n", what, strerror(errno));
#endif
	exit(2);
}

/* errno E's name, "EINVAL"; "E?" for a number that has none */
static inline const char *errno_name(int e)
{
	const char *name = strerrorname_np(e);

	return name ? name : "E?";
}

/* the errno (1 to 255) called NAME, or 0 if none is */
static inline int errno_by_name(const char *name)
{
	int e;

	for (e = 1; e < 256; e++)
		if (strerrorname_np(e) && !strcmp(strerrorname_np(e), name))
			return e;
	return 0;
}

/* ", NAME COUNT" for every errno counted in ERRS[256], in errno order */
static inline void print_errno_counts(const long *errs)
{
	int e;

	for (e = 1; e < 256; e++)
		if (errs[e])
			printf(", %s %ld", errno_name(e), errs[e]);
}

/* CLOCK's time in ns */
static inline long long clock_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static inline long long now_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

#endif /* KSCOPE_TEST_H */

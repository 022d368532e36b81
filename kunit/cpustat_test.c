// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for /proc/kscope/cpustat's arithmetic, /proc/kscope/loadavg's
 * number format, and the task walk behind loadavg.
 *
 * The expected values are worked out by hand in the comments, from the
 * definitions in fs/proc/stat.c and fs/proc/loadavg.c, with USER_HZ 100
 * (10,000,000 ns per tick) and FSHIFT 11 (FIXED_1 = 2048).
 */
#include <kunit/test.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/sched/loadavg.h>
#include <linux/string.h>

#include "kscope_compat.h"
#include "cpustat.h"
#include "cputime.h"
#include "loadavg.h"
#include "walk.h"

#define NS_PER_TICK	10000000ULL

static void kscope_cpustat_test_set(struct kscope_cpustat_vals *c, u64 user,
				    u64 nice, u64 guest, u64 guest_nice)
{
	memset(c, 0, sizeof(*c));
	c->v[KSCOPE_CS_USER] = user;
	c->v[KSCOPE_CS_NICE] = nice;
	c->v[KSCOPE_CS_GUEST] = guest;
	c->v[KSCOPE_CS_GUEST_NICE] = guest_nice;
}

static void kscope_cpustat_test_guest(struct kscope_cpustat_vals *c)
{
	/* poison: derive must set every output */
	c->user_noguest = 12345;
	c->nice_noguest = 12345;
	c->user_clamped = true;
	c->nice_clamped = true;
	kscope_cpustat_derive(c);
}

static void kscope_cpustat_test_derive(struct kunit *test)
{
	struct kscope_cpustat_vals c;

	/* 100 - 30 = 70, 5 - 0 = 5, no clamp */
	kscope_cpustat_test_set(&c, 100, 5, 30, 0);
	kscope_cpustat_test_guest(&c);
	KUNIT_EXPECT_EQ(test, c.user_noguest, 70ULL);
	KUNIT_EXPECT_EQ(test, c.nice_noguest, 5ULL);
	KUNIT_EXPECT_FALSE(test, c.user_clamped);
	KUNIT_EXPECT_FALSE(test, c.nice_clamped);

	/* equal: 0, and that is not a clamp */
	kscope_cpustat_test_set(&c, 40, 7, 40, 7);
	kscope_cpustat_test_guest(&c);
	KUNIT_EXPECT_EQ(test, c.user_noguest, 0ULL);
	KUNIT_EXPECT_EQ(test, c.nice_noguest, 0ULL);
	KUNIT_EXPECT_FALSE(test, c.user_clamped);
	KUNIT_EXPECT_FALSE(test, c.nice_clamped);

	/* guest 31 > user 30: 0, not 2^64 - 1, and flagged */
	kscope_cpustat_test_set(&c, 30, 9, 31, 2);
	kscope_cpustat_test_guest(&c);
	KUNIT_EXPECT_EQ(test, c.user_noguest, 0ULL);
	KUNIT_EXPECT_TRUE(test, c.user_clamped);
	KUNIT_EXPECT_EQ(test, c.nice_noguest, 7ULL);
	KUNIT_EXPECT_FALSE(test, c.nice_clamped);

	/* guest_nice ahead of nice: only nice clamps */
	kscope_cpustat_test_set(&c, 30, 0, 0, 1);
	kscope_cpustat_test_guest(&c);
	KUNIT_EXPECT_EQ(test, c.user_noguest, 30ULL);
	KUNIT_EXPECT_FALSE(test, c.user_clamped);
	KUNIT_EXPECT_EQ(test, c.nice_noguest, 0ULL);
	KUNIT_EXPECT_TRUE(test, c.nice_clamped);

	/* both at once, at the top of the range */
	kscope_cpustat_test_set(&c, 0, 0, U64_MAX, U64_MAX);
	kscope_cpustat_test_guest(&c);
	KUNIT_EXPECT_EQ(test, c.user_noguest, 0ULL);
	KUNIT_EXPECT_EQ(test, c.nice_noguest, 0ULL);
	KUNIT_EXPECT_TRUE(test, c.user_clamped);
	KUNIT_EXPECT_TRUE(test, c.nice_clamped);
}

static void kscope_cpustat_test_clock_t(struct kunit *test)
{
	if (USER_HZ != 100)
		kunit_skip(test, "values worked out for USER_HZ 100, not %d",
			   USER_HZ);

	KUNIT_EXPECT_EQ(test, kscope_ns_to_clock_t(0), 0ULL);
	/* truncates, as nsec_to_clock_t() does: 9.999999 ms is 0 ticks */
	KUNIT_EXPECT_EQ(test, kscope_ns_to_clock_t(NS_PER_TICK - 1), 0ULL);
	KUNIT_EXPECT_EQ(test, kscope_ns_to_clock_t(NS_PER_TICK), 1ULL);
	/* 1234.567890123 s = 123456 ticks and 7.890123 ms */
	KUNIT_EXPECT_EQ(test, kscope_ns_to_clock_t(1234567890123ULL), 123456ULL);
	/* 18446744073.709551615 s */
	KUNIT_EXPECT_EQ(test, kscope_ns_to_clock_t(U64_MAX), 1844674407370ULL);
}

static void kscope_cpustat_test_to_ticks(struct kunit *test)
{
	struct kscope_cpustat_vals ns, ticks;
	int i;

	if (USER_HZ != 100)
		kunit_skip(test, "values worked out for USER_HZ 100, not %d",
			   USER_HZ);

	for (i = 0; i < KSCOPE_CS_NR; i++)
		ns.v[i] = (i + 1) * NS_PER_TICK + i;	/* i+1 ticks and i ns */
	kscope_cpustat_derive(&ns);
	memset(&ticks, 0xff, sizeof(ticks));
	kscope_cpustat_to_ticks(&ns, &ticks);
	for (i = 0; i < KSCOPE_CS_NR; i++)
		KUNIT_EXPECT_EQ_MSG(test, ticks.v[i], (u64)(i + 1), "field %d", i);
	/* user 1 tick, guest 9 ticks: clamped in both units */
	KUNIT_EXPECT_TRUE(test, ns.user_clamped);
	KUNIT_EXPECT_TRUE(test, ticks.user_clamped);
	KUNIT_EXPECT_EQ(test, ticks.user_noguest, 0ULL);

	/*
	 * mpstat subtracts ticks from ticks: user 25 ms (2 ticks) - guest
	 * 19.999999 ms (1 tick) = 1 tick, not 5.000001 ms = 0 ticks.
	 */
	kscope_cpustat_test_set(&ns, 25000000, 15000000, 19999999, 14000000);
	kscope_cpustat_derive(&ns);
	kscope_cpustat_to_ticks(&ns, &ticks);
	KUNIT_EXPECT_EQ(test, ns.user_noguest, 5000001ULL);
	KUNIT_EXPECT_EQ(test, ticks.user_noguest, 1ULL);
	KUNIT_EXPECT_FALSE(test, ticks.user_clamped);
	/* nice 15 ms - guest_nice 14 ms: 1 ms, and 1 - 1 = 0 ticks, no clamp */
	KUNIT_EXPECT_EQ(test, ns.nice_noguest, 1000000ULL);
	KUNIT_EXPECT_EQ(test, ticks.nice_noguest, 0ULL);
	KUNIT_EXPECT_FALSE(test, ticks.nice_clamped);
}

static struct kunit_case kscope_cpustat_test_cases[] = {
	KUNIT_CASE(kscope_cpustat_test_derive),
	KUNIT_CASE(kscope_cpustat_test_clock_t),
	KUNIT_CASE(kscope_cpustat_test_to_ticks),
	{}
};

static struct kunit_suite kscope_cpustat_test_suite = {
	.name = "kscope_cpustat",
	.test_cases = kscope_cpustat_test_cases,
};

/* avenrun[] value and what /proc/loadavg prints for it */
struct kscope_loadavg_test_case {
	unsigned long raw;
	const char *want;
};

/*
 * FIXED_1 / 200 = 2048 / 200 = 10 (integer division) is added first;
 * then the integer part is raw >> 11 and the decimals are
 * ((raw & 2047) * 100) >> 11, truncated.
 */
static const struct kscope_loadavg_test_case kscope_loadavg_test_cases_tbl[] = {
	{ 0, "0.00" },
	/* 9 + 10 = 19: 1900 / 2048 = 0.93 -> 0 */
	{ 9, "0.00" },
	/* 10 + 10 = 20: 2000 / 2048 = 0.98 -> 0 */
	{ 10, "0.00" },
	/* 11 + 10 = 21: 2100 / 2048 = 1.03 -> 1 */
	{ 11, "0.01" },
	/* 1065 + 10 = 1075: 107500 / 2048 = 52.49 -> 52 */
	{ 1065, "0.52" },
	/* 2027 + 10 = 2037: 203700 / 2048 = 99.46 -> 99 */
	{ 2027, "0.99" },
	/* 2038 + 10 = 2048: exactly 1 */
	{ 2038, "1.00" },
	{ 2048, "1.00" },
	/* 3071 + 10 = 3081 = 2048 + 1033: 103300 / 2048 = 50.44 -> 50 */
	{ 3071, "1.50" },
	/* 100 * 2048 + 1023 + 10: 100 and 1033 again */
	{ 205823, "100.50" },
};

static void kscope_loadavg_test_format(struct kunit *test)
{
	char buf[32];
	int i, len;

	BUILD_BUG_ON(FIXED_1 != 2048);
	for (i = 0; i < ARRAY_SIZE(kscope_loadavg_test_cases_tbl); i++) {
		const struct kscope_loadavg_test_case *c =
			&kscope_loadavg_test_cases_tbl[i];

		len = kscope_loadavg_snprint(buf, sizeof(buf), c->raw);
		KUNIT_EXPECT_STREQ_MSG(test, buf, c->want, "raw %lu", c->raw);
		KUNIT_EXPECT_EQ_MSG(test, len, (int)strlen(c->want), "raw %lu",
				    c->raw);
	}
}

static void kscope_loadavg_test_truncation(struct kunit *test)
{
	char buf[3];

	memset(buf, 'x', sizeof(buf));
	KUNIT_EXPECT_EQ(test, kscope_loadavg_snprint(buf, sizeof(buf), 205823), 6);
	KUNIT_EXPECT_STREQ(test, buf, "10");
}

struct kscope_walk_test {
	pid_t last;
	unsigned int seen;
	unsigned int self;
	unsigned int out_of_order;
	unsigned int mismatched;
	unsigned int stop_after;
};

static int kscope_walk_test_fn(struct task_struct *task, pid_t nr, void *arg)
{
	struct kscope_walk_test *w = arg;

	if (nr <= w->last)
		w->out_of_order++;
	if (task_pid_nr_ns(task, &init_pid_ns) != nr)
		w->mismatched++;
	if (task == current)
		w->self++;
	w->last = nr;
	w->seen++;
	if (w->stop_after && w->seen == w->stop_after)
		return 42;
	return 0;
}

static void kscope_walk_test_all(struct kunit *test)
{
	struct kscope_walk_test w = {};

	KUNIT_EXPECT_EQ(test, kscope_walk_tasks(&init_pid_ns,
						kscope_walk_test_fn, &w), 0);
	KUNIT_EXPECT_EQ(test, w.self, 1U);
	KUNIT_EXPECT_EQ(test, w.out_of_order, 0U);
	KUNIT_EXPECT_EQ(test, w.mismatched, 0U);
	/* init, kthreadd and this test's thread at least */
	KUNIT_EXPECT_GE(test, w.seen, 3U);
}

static void kscope_walk_test_stop(struct kunit *test)
{
	struct kscope_walk_test w = { .stop_after = 2 };

	KUNIT_EXPECT_EQ(test, kscope_walk_tasks(&init_pid_ns,
						kscope_walk_test_fn, &w), 42);
	KUNIT_EXPECT_EQ(test, w.seen, 2U);
}

static struct kunit_case kscope_loadavg_test_cases[] = {
	KUNIT_CASE(kscope_loadavg_test_format),
	KUNIT_CASE(kscope_loadavg_test_truncation),
	KUNIT_CASE(kscope_walk_test_all),
	KUNIT_CASE(kscope_walk_test_stop),
	{}
};

static struct kunit_suite kscope_loadavg_test_suite = {
	.name = "kscope_loadavg",
	.test_cases = kscope_loadavg_test_cases,
};

kunit_test_suites(&kscope_cpustat_test_suite, &kscope_loadavg_test_suite);

// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the arithmetic behind kscope's sched and cputime
 * files: the averages derived from /proc/<pid>/sched's fields, the
 * guest-time correction, USER_HZ conversion, and the split of exact
 * runtime into user and system time that /proc/<pid>/stat reports.
 */
#include <kunit/test.h>
#include <linux/prandom.h>
#include <linux/random.h>

#include "kscope_compat.h"
#include "cputime.h"
#include "sched.h"

struct kscope_derive_case {
	const char *what;
	u64 runtime, switches, migrations, wait_sum, wait_count;
	s64 avg_atom, avg_per_cpu, avg_wait, wait_share;
};

static const struct kscope_derive_case kscope_derive_cases[] = {
	{ "nothing yet", 0, 0, 0, 0, 0, -1, -1, -1, -1 },
	{ "ran, never switched", 5000, 0, 0, 0, 0, -1, -1, -1, 0 },
	{ "even split", 1000, 10, 4, 1000, 5, 100, 250, 200, 5000 },
	{ "divisions round down", 1000, 3, 7, 10, 3, 333, 142, 3, 99 },
	{ "only waited", 0, 1, 1, 700, 7, 0, 0, 100, 10000 },
	/* a year of runtime and of waiting does not overflow the share */
	{ "large", 31536000000000000ULL, 1, 1, 31536000000000000ULL, 1,
	  31536000000000000LL, 31536000000000000LL, 31536000000000000LL, 5000 },
};

static void kscope_derive_case_desc(const struct kscope_derive_case *c,
				    char *desc)
{
	strscpy(desc, c->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(kscope_derive, kscope_derive_cases, kscope_derive_case_desc);

static void kscope_sched_test_derive(struct kunit *test)
{
	const struct kscope_derive_case *c = test->param_value;
	struct kscope_sched_derived d;

	kscope_sched_derive(c->runtime, c->switches, c->migrations,
			    c->wait_sum, c->wait_count, &d);
	KUNIT_EXPECT_EQ(test, d.avg_atom, c->avg_atom);
	KUNIT_EXPECT_EQ(test, d.avg_per_cpu, c->avg_per_cpu);
	KUNIT_EXPECT_EQ(test, d.avg_wait, c->avg_wait);
	KUNIT_EXPECT_EQ(test, d.wait_share, c->wait_share);
}

static struct kunit_case kscope_sched_test_cases[] = {
	KUNIT_CASE_PARAM(kscope_sched_test_derive, kscope_derive_gen_params),
	{}
};

static struct kunit_suite kscope_sched_test_suite = {
	.name = "kscope_sched",
	.test_cases = kscope_sched_test_cases,
};

/* user - guest, clamped: guest can run ahead of user between updates */
static void kscope_cputime_test_sub_clamped(struct kunit *test)
{
	bool clamped = false;

	KUNIT_EXPECT_EQ(test, kscope_sub_clamped(10, 3, &clamped), 7);
	KUNIT_EXPECT_FALSE(test, clamped);
	KUNIT_EXPECT_EQ(test, kscope_sub_clamped(10, 10, &clamped), 0);
	KUNIT_EXPECT_FALSE(test, clamped);
	KUNIT_EXPECT_EQ(test, kscope_sub_clamped(3, 10, &clamped), 0);
	KUNIT_EXPECT_TRUE(test, clamped);
	clamped = false;
	KUNIT_EXPECT_EQ(test, kscope_sub_clamped(0, U64_MAX, &clamped), 0);
	KUNIT_EXPECT_TRUE(test, clamped);
	clamped = false;
	KUNIT_EXPECT_EQ(test, kscope_sub_clamped(U64_MAX, 0, &clamped), U64_MAX);
	KUNIT_EXPECT_FALSE(test, clamped);
}

/* /proc/stat's ticks: whole USER_HZ periods, rounded down */
static void kscope_cputime_test_clock_t(struct kunit *test)
{
	u64 tick = NSEC_PER_SEC / USER_HZ;

	KUNIT_EXPECT_EQ(test, kscope_ns_to_clock_t(0), 0);
	KUNIT_EXPECT_EQ(test, kscope_ns_to_clock_t(tick - 1), 0);
	KUNIT_EXPECT_EQ(test, kscope_ns_to_clock_t(tick), 1);
	KUNIT_EXPECT_EQ(test, kscope_ns_to_clock_t(NSEC_PER_SEC), USER_HZ);
	KUNIT_EXPECT_EQ(test, kscope_ns_to_clock_t(U64_MAX), div_u64(U64_MAX, tick));
}

struct kscope_adjust_case {
	const char *what;
	u64 utime, stime, rtime;
	u64 prev_u, prev_s;	/* in */
	u64 ut, st;		/* out */
};

static const struct kscope_adjust_case kscope_adjust_cases[] = {
	{ "no ticks yet: all user", 0, 0, 900, 0, 0, 900, 0 },
	{ "only user ticks", 400, 0, 900, 0, 0, 900, 0 },
	{ "only system ticks", 0, 400, 900, 0, 0, 0, 900 },
	{ "split in the ticks' ratio", 300, 100, 1000, 0, 0, 750, 250 },
	{ "system part rounds down", 1, 2, 10, 0, 0, 4, 6 },
	{ "runtime not grown: previous kept", 300, 100, 1000, 600, 400, 600, 400 },
	{ "runtime went back: previous kept", 300, 100, 900, 600, 400, 600, 400 },
	{ "system never goes back", 900, 100, 2000, 0, 500, 1500, 500 },
	{ "user never goes back", 100, 900, 2000, 1500, 0, 1500, 500 },
	/* big enough for a naive stime * rtime to overflow 64 bits */
	{ "no overflow", 3000000000000ULL, 1000000000000ULL,
	  8000000000000ULL, 0, 0, 6000000000000ULL, 2000000000000ULL },
};

static void kscope_adjust_case_desc(const struct kscope_adjust_case *c,
				    char *desc)
{
	strscpy(desc, c->what, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(kscope_adjust, kscope_adjust_cases, kscope_adjust_case_desc);

static void kscope_cputime_test_adjust(struct kunit *test)
{
	const struct kscope_adjust_case *c = test->param_value;
	u64 ut = c->prev_u, st = c->prev_s;

	kscope_cputime_adjust(c->utime, c->stime, c->rtime, &ut, &st);
	KUNIT_EXPECT_EQ(test, ut, c->ut);
	KUNIT_EXPECT_EQ(test, st, c->st);
}

/*
 * A task's life as a reader sees it: runtime and ticks only grow, in
 * random steps. Whatever the ticks say, the two parts add up to the
 * runtime and neither ever goes back.
 */
static void kscope_cputime_test_monotonic(struct kunit *test)
{
	struct rnd_state rnd;
	u64 utime = 0, stime = 0, rtime = 0, ut = 0, st = 0;
	int i;

	prandom_seed_state(&rnd, 42);
	for (i = 0; i < 100000; i++) {
		u64 pu = ut, ps = st;

		rtime += prandom_u32_state(&rnd) % 4000000;
		if (prandom_u32_state(&rnd) % 3)
			utime += 4000000;
		else
			stime += 4000000;
		kscope_cputime_adjust(utime, stime, rtime, &ut, &st);
		if (ut < pu || st < ps ||
		    (rtime > pu + ps && ut + st != rtime) ||
		    (rtime <= pu + ps && (ut != pu || st != ps))) {
			KUNIT_FAIL(test,
				   "step %d: ticks %llu/%llu runtime %llu: %llu/%llu -> %llu/%llu",
				   i, utime, stime, rtime, pu, ps, ut, st);
			return;
		}
	}
}

static struct kunit_case kscope_cputime_test_cases[] = {
	KUNIT_CASE(kscope_cputime_test_sub_clamped),
	KUNIT_CASE(kscope_cputime_test_clock_t),
	KUNIT_CASE_PARAM(kscope_cputime_test_adjust, kscope_adjust_gen_params),
	KUNIT_CASE(kscope_cputime_test_monotonic),
	{}
};

static struct kunit_suite kscope_cputime_test_suite = {
	.name = "kscope_cputime",
	.test_cases = kscope_cputime_test_cases,
};

kunit_test_suites(&kscope_sched_test_suite, &kscope_cputime_test_suite);

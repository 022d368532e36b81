// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the hung-task rules and the parsers of the hung-task
 * control and the sleep injectors.
 */
#include <kunit/test.h>
#include <linux/jiffies.h>
#include <linux/sched.h>
#include <linux/string.h>

#include "kscope_compat.h"
#include "hung.h"
#include "inject_sleep.h"

/*
 * Every combination of the state bits khungtaskd looks at, against the
 * rule as hung_task.c states it: TASK_UNINTERRUPTIBLE, and none of
 * TASK_WAKEKILL (killable), TASK_NOLOAD (idle) and TASK_FROZEN.
 */
static void kscope_hung_test_rule(struct kunit *test)
{
	static const unsigned int bits[] = {
		TASK_INTERRUPTIBLE, TASK_UNINTERRUPTIBLE, __TASK_STOPPED,
		__TASK_TRACED, TASK_PARKED, TASK_DEAD, TASK_WAKEKILL,
		TASK_WAKING, TASK_NOLOAD, TASK_NEW, TASK_FREEZABLE, TASK_FROZEN,
	};
	unsigned int mask, i, state;
	bool want;

	for (mask = 0; mask < 1U << ARRAY_SIZE(bits); mask++) {
		for (state = 0, i = 0; i < ARRAY_SIZE(bits); i++)
			if (mask & (1U << i))
				state |= bits[i];
		want = (state & TASK_UNINTERRUPTIBLE) &&
		       !(state & (TASK_WAKEKILL | TASK_NOLOAD | TASK_FROZEN));
		KUNIT_EXPECT_EQ_MSG(test, kscope_hung_rule(state, 1), want,
				    "state 0x%x", state);
		/* a task never switched out is never hung */
		KUNIT_EXPECT_FALSE_MSG(test, kscope_hung_rule(state, 0),
				       "state 0x%x", state);
	}
	KUNIT_EXPECT_TRUE(test, kscope_hung_rule(TASK_UNINTERRUPTIBLE, 1));
	KUNIT_EXPECT_FALSE(test, kscope_hung_rule(TASK_KILLABLE, 1));
	KUNIT_EXPECT_FALSE(test, kscope_hung_rule(TASK_IDLE, 1));
}

/* check_hung_task()'s verdict, including around a jiffies wrap */
static void kscope_hung_test_khung(struct kunit *test)
{
	unsigned long t = 1000;

	/* disabled */
	KUNIT_EXPECT_FALSE(test, kscope_khung_would_report(0, 5, 5, t, t + 1000 * HZ));
	/* switched since khungtaskd's last look */
	KUNIT_EXPECT_FALSE(test, kscope_khung_would_report(120, 6, 5, t, t + 1000 * HZ));
	/* not yet, then exactly at, then past the timeout */
	KUNIT_EXPECT_FALSE(test, kscope_khung_would_report(120, 5, 5, t, t + 120 * HZ - 1));
	KUNIT_EXPECT_TRUE(test, kscope_khung_would_report(120, 5, 5, t, t + 120 * HZ));
	KUNIT_EXPECT_TRUE(test, kscope_khung_would_report(120, 5, 5, t, t + 121 * HZ));
	/* jiffies wrapped between the look and now */
	t = ULONG_MAX - 10;
	KUNIT_EXPECT_FALSE(test, kscope_khung_would_report(2, 5, 5, t, t + HZ));
	KUNIT_EXPECT_TRUE(test, kscope_khung_would_report(2, 5, 5, t, t + 2 * HZ));
}

struct kscope_hung_parse_case {
	const char *input;
	int ret;
	int threshold_ms;	/* after, from threshold 7 and period 9 */
	unsigned int period_ms;
	const char *bad;
};

static const struct kscope_hung_parse_case kscope_hung_parse_cases[] = {
	{ "threshold_ms=1000", 0, 1000, 9, NULL },
	{ "threshold_ms=1000\n", 0, 1000, 9, NULL },
	{ "threshold_ms=kernel", 0, -1, 9, NULL },
	{ "period_ms=0", 0, 7, 0, NULL },
	{ "period_ms=10 threshold_ms=0", 0, 0, 10, NULL },
	{ "  period_ms=60000\t", 0, 7, 60000, NULL },
	{ "threshold_ms=86400000", 0, 86400000, 9, NULL },
	{ "", 0, 7, 9, NULL },
	{ "threshold_ms=86400001", -ERANGE, 7, 9, "threshold_ms" },
	{ "threshold_ms=4294967296", -ERANGE, 7, 9, "threshold_ms" },
	{ "period_ms=9", -ERANGE, 7, 9, "period_ms" },
	{ "period_ms=60001", -ERANGE, 7, 9, "period_ms" },
	{ "threshold_ms", -EINVAL, 7, 9, "threshold_ms" },
	{ "threshold_ms=", -EINVAL, 7, 9, "threshold_ms" },
	{ "threshold_ms=-1", -EINVAL, 7, 9, "threshold_ms" },
	{ "threshold_ms=1s", -EINVAL, 7, 9, "threshold_ms" },
	{ "period_ms=kernel", -EINVAL, 7, 9, "period_ms" },
	{ "timeout=5", -EINVAL, 7, 9, "timeout" },
	{ "threshold_ms=5 bogus", -EINVAL, 5, 9, "bogus" },
};

static void kscope_hung_parse_case_desc(const struct kscope_hung_parse_case *c,
					char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "\"%s\"", c->input);
	strreplace(desc, '\n', ' ');
	strreplace(desc, '\t', ' ');
}

KUNIT_ARRAY_PARAM(kscope_hung_parse, kscope_hung_parse_cases,
		  kscope_hung_parse_case_desc);

/*
 * The caller applies the result only when the parse succeeds, so a
 * field set before a bad token (the last case) never reaches the module.
 */
static void kscope_hung_test_parse(struct kunit *test)
{
	const struct kscope_hung_parse_case *c = test->param_value;
	struct kscope_hung_conf conf = { .threshold_ms = 7, .period_ms = 9 };
	size_t len = strlen(c->input) + 1;
	char *buf = kunit_kzalloc(test, len, GFP_KERNEL);
	const char *bad = NULL;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	strscpy(buf, c->input, len);
	KUNIT_EXPECT_EQ(test, kscope_hung_parse(buf, &conf, &bad), c->ret);
	KUNIT_EXPECT_EQ(test, conf.threshold_ms, c->threshold_ms);
	KUNIT_EXPECT_EQ(test, conf.period_ms, c->period_ms);
	if (c->bad) {
		KUNIT_ASSERT_NOT_NULL(test, bad);
		KUNIT_EXPECT_STREQ(test, bad, c->bad);
	} else {
		KUNIT_EXPECT_NULL(test, bad);
	}
}

struct kscope_sleep_parse_case {
	const char *input;
	int ret;
	unsigned int ms;
};

static const struct kscope_sleep_parse_case kscope_sleep_parse_cases[] = {
	{ "1", 0, 1 },
	{ "5000\n", 0, 5000 },
	{ "600000", 0, 600000 },
	{ "600001", -ERANGE, 0 },
	{ "0", -ERANGE, 0 },
	{ "4294967296", -ERANGE, 0 },
	{ "", -EINVAL, 0 },
	{ "-1", -EINVAL, 0 },
	{ "1.5", -EINVAL, 0 },
	{ "5000 ms", -EINVAL, 0 },
	{ "\n", -EINVAL, 0 },
};

static void kscope_sleep_parse_case_desc(const struct kscope_sleep_parse_case *c,
					 char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "\"%s\"", c->input);
	strreplace(desc, '\n', ' ');
}

KUNIT_ARRAY_PARAM(kscope_sleep_parse, kscope_sleep_parse_cases,
		  kscope_sleep_parse_case_desc);

static void kscope_hung_test_sleep_parse(struct kunit *test)
{
	const struct kscope_sleep_parse_case *c = test->param_value;
	unsigned int ms = 0;

	KUNIT_EXPECT_EQ(test, kscope_sleep_parse(c->input, 600000, &ms), c->ret);
	if (!c->ret)
		KUNIT_EXPECT_EQ(test, ms, c->ms);
}

static struct kunit_case kscope_hung_test_cases[] = {
	KUNIT_CASE(kscope_hung_test_rule),
	KUNIT_CASE(kscope_hung_test_khung),
	KUNIT_CASE_PARAM(kscope_hung_test_parse, kscope_hung_parse_gen_params),
	KUNIT_CASE_PARAM(kscope_hung_test_sleep_parse,
			 kscope_sleep_parse_gen_params),
	{}
};

static struct kunit_suite kscope_hung_test_suite = {
	.name = "kscope_hung",
	.test_cases = kscope_hung_test_cases,
};

kunit_test_suite(kscope_hung_test_suite);

// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the parser of writes to /proc/kscope/watch.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/threads.h>

#include "watch.h"

struct kscope_watch_test_case {
	const char *input;
	int ret;
	unsigned int nr;
	int pid0;
	bool remove0;
	const char *bad;	/* start of the token blamed, NULL if none */
};

static const struct kscope_watch_test_case kscope_watch_test_cases_table[] = {
	{ "1",			0,	1, 1, false },
	{ "123\n",		0,	1, 123, false },
	{ "  -42  ",		0,	1, 42, true },
	{ "+7",			0,	1, 7, false },
	{ "1,2 3\t4\n",		0,	4, 1, false },
	{ "-5,6",		0,	2, 5, true },
	{ "",			-EINVAL, 0, 0, false, "" },
	{ "\t\n,",		-EINVAL, 0, 0, false, "\t\n," },
	{ "abc",		-EINVAL, 0, 0, false, "abc" },
	{ "12a",		-EINVAL, 0, 0, false, "12a" },
	{ "1 x2",		-EINVAL, 0, 0, false, "x2" },
	{ "0x10",		-EINVAL, 0, 0, false, "0x10" },
	{ "-",			-EINVAL, 0, 0, false, "-" },
	{ "--1",		-EINVAL, 0, 0, false, "--1" },
	{ "+-1",		-EINVAL, 0, 0, false, "+-1" },
	{ "- 1",		-EINVAL, 0, 0, false, "- 1" },
	{ "1 1",		-EINVAL, 0, 0, false, "1" },
	{ "3 -3",		-EINVAL, 0, 0, false, "-3" },
	{ "0",			-ERANGE, 0, 0, false, "0" },
	{ "-0",			-ERANGE, 0, 0, false, "-0" },
	{ "4194305",		-ERANGE, 0, 0, false, "4194305" },
	{ "-4194305",		-ERANGE, 0, 0, false, "-4194305" },
	{ "2147483648",		-ERANGE, 0, 0, false, "2147483648" },
	{ "99999999999999999999", -ERANGE, 0, 0, false, "99999999999999999999" },
	{ "\xff\xfe",		-EINVAL, 0, 0, false, "\xff\xfe" },
};

static void kscope_watch_test_desc(const struct kscope_watch_test_case *t,
				   char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "input \"%.40s\"", t->input);
	strreplace(desc, '\n', ' ');
	strreplace(desc, '\t', ' ');
}

KUNIT_ARRAY_PARAM(kscope_watch_test, kscope_watch_test_cases_table,
		  kscope_watch_test_desc);

static void kscope_watch_test_parse(struct kunit *test)
{
	const struct kscope_watch_test_case *t = test->param_value;
	struct kscope_watch_req reqs[8];
	const char *bad = NULL;
	unsigned int nr = 0;
	int ret;

	ret = kscope_watch_parse(t->input, reqs, ARRAY_SIZE(reqs), &nr, &bad);
	KUNIT_ASSERT_EQ(test, ret, t->ret);
	if (ret) {
		KUNIT_ASSERT_NOT_NULL(test, bad);
		KUNIT_ASSERT_NOT_NULL(test, t->bad);
		KUNIT_EXPECT_TRUE(test, bad >= t->input &&
				  bad <= t->input + strlen(t->input));
		KUNIT_EXPECT_EQ(test, strncmp(bad, t->bad, strlen(t->bad)), 0);
		return;
	}
	KUNIT_EXPECT_EQ(test, nr, t->nr);
	KUNIT_EXPECT_EQ(test, reqs[0].pid, t->pid0);
	KUNIT_EXPECT_EQ(test, reqs[0].remove, t->remove0);
	KUNIT_EXPECT_NULL(test, bad);
}

/* More tokens than the caller has room for is an error, not truncation. */
static void kscope_watch_test_too_many(struct kunit *test)
{
	struct kscope_watch_req reqs[3];
	const char *bad;
	unsigned int nr = 0;

	KUNIT_EXPECT_EQ(test, kscope_watch_parse("1 2 3", reqs, 3, &nr, &bad), 0);
	KUNIT_EXPECT_EQ(test, nr, 3);
	KUNIT_EXPECT_EQ(test, kscope_watch_parse("1 2 3 4", reqs, 3, &nr, &bad),
			-EINVAL);
	KUNIT_EXPECT_STREQ(test, bad, "4");
}

/* Every pid in range round-trips, in both forms; the ends are exact. */
static void kscope_watch_test_range(struct kunit *test)
{
	struct kscope_watch_req req;
	const char *bad;
	unsigned int nr;
	char buf[16];
	int pid, bad_count = 0;

	for (pid = 1; pid <= PID_MAX_LIMIT; pid += (pid < 100000 ? 1 : 997)) {
		snprintf(buf, sizeof(buf), "-%d", pid);
		if (kscope_watch_parse(buf, &req, 1, &nr, &bad) ||
		    req.pid != pid || !req.remove)
			bad_count++;
		if (kscope_watch_parse(buf + 1, &req, 1, &nr, &bad) ||
		    req.pid != pid || req.remove)
			bad_count++;
	}
	KUNIT_EXPECT_EQ(test, bad_count, 0);

	/* PID_MAX_LIMIT depends on the kernel's configuration */
	snprintf(buf, sizeof(buf), "%d", (int)PID_MAX_LIMIT);
	KUNIT_EXPECT_EQ(test, kscope_watch_parse(buf, &req, 1, &nr, &bad), 0);
	KUNIT_EXPECT_EQ(test, req.pid, (int)PID_MAX_LIMIT);
	snprintf(buf, sizeof(buf), "%d", (int)PID_MAX_LIMIT + 1);
	KUNIT_EXPECT_EQ(test, kscope_watch_parse(buf, &req, 1, &nr, &bad), -ERANGE);
	KUNIT_EXPECT_PTR_EQ(test, bad, (const char *)buf);
}

static struct kunit_case kscope_watch_test_cases[] = {
	KUNIT_CASE_PARAM(kscope_watch_test_parse, kscope_watch_test_gen_params),
	KUNIT_CASE(kscope_watch_test_too_many),
	KUNIT_CASE(kscope_watch_test_range),
	{}
};

static struct kunit_suite kscope_watch_test_suite = {
	.name = "kscope_watch",
	.test_cases = kscope_watch_test_cases,
};

kunit_test_suites(&kscope_watch_test_suite);

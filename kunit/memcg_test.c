// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the memcg helpers: the parser of writes to
 * /proc/kscope/inject/memcg_charge, its size parser, and how a limit
 * is printed.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "kscope_compat.h"
#include "inject_charge.h"
#include "memcg.h"

struct kscope_charge_test_case {
	const char *input;
	int ret;
	enum kscope_charge_op op;
	u64 bytes;
	unsigned int id;
	bool oom;
	const char *bad;	/* start of the token blamed, NULL if none */
};

static const struct kscope_charge_test_case kscope_charge_test_cases_table[] = {
	{ "alloc 4096",		0, KSCOPE_CHARGE_ALLOC, 4096 },
	{ "alloc 1\n",		0, KSCOPE_CHARGE_ALLOC, 1 },
	{ "  alloc\t64K  ",	0, KSCOPE_CHARGE_ALLOC, 65536 },
	{ "alloc 2m",		0, KSCOPE_CHARGE_ALLOC, 2 << 20 },
	{ "alloc 3G oom\n",	0, KSCOPE_CHARGE_ALLOC, 3ULL << 30, 0, true },
	{ "free",		0, KSCOPE_CHARGE_FREE_ALL },
	{ "free\n",		0, KSCOPE_CHARGE_FREE_ALL },
	{ "free 7",		0, KSCOPE_CHARGE_FREE_ONE, 0, 7 },
	{ "free 4294967295",	0, KSCOPE_CHARGE_FREE_ONE, 0, 4294967295U },
	{ "",			-EINVAL, 0, 0, 0, false, "" },
	{ "\t\n",		-EINVAL, 0, 0, 0, false, "\t\n" },
	{ "alloc",		-EINVAL, 0, 0, 0, false, "alloc" },
	{ "allocate 1",		-EINVAL, 0, 0, 0, false, "allocate 1" },
	{ "ALLOC 1",		-EINVAL, 0, 0, 0, false, "ALLOC 1" },
	{ "alloc x",		-EINVAL, 0, 0, 0, false, "x" },
	{ "alloc 12q",		-EINVAL, 0, 0, 0, false, "12q" },
	{ "alloc K",		-EINVAL, 0, 0, 0, false, "K" },
	{ "alloc 1KK",		-EINVAL, 0, 0, 0, false, "1KK" },
	{ "alloc -1",		-EINVAL, 0, 0, 0, false, "-1" },
	{ "alloc +1",		-EINVAL, 0, 0, 0, false, "+1" },
	{ "alloc 0x10",		-EINVAL, 0, 0, 0, false, "0x10" },
	{ "alloc 1 now",	-EINVAL, 0, 0, 0, false, "now" },
	{ "alloc 1 oom x",	-EINVAL, 0, 0, 0, false, "x" },
	{ "alloc 0",		-ERANGE, 0, 0, 0, false, "0" },
	{ "alloc 0K",		-ERANGE, 0, 0, 0, false, "0K" },
	{ "alloc 18446744073709551616", -ERANGE, 0, 0, 0, false,
	  "18446744073709551616" },
	{ "alloc 17179869184G",	-ERANGE, 0, 0, 0, false, "17179869184G" },
	{ "alloc 99999999999999999999999", -ERANGE, 0, 0, 0, false,
	  "99999999999999999999999" },
	{ "free 0",		-ERANGE, 0, 0, 0, false, "0" },
	{ "free 4294967296",	-ERANGE, 0, 0, 0, false, "4294967296" },
	{ "free a",		-EINVAL, 0, 0, 0, false, "a" },
	{ "free -1",		-EINVAL, 0, 0, 0, false, "-1" },
	{ "free 1 2",		-EINVAL, 0, 0, 0, false, "2" },
	{ "\xff\xfe",		-EINVAL, 0, 0, 0, false, "\xff\xfe" },
};

static void kscope_charge_test_desc(const struct kscope_charge_test_case *t,
				    char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "input \"%.40s\"", t->input);
	strreplace(desc, '\n', ' ');
	strreplace(desc, '\t', ' ');
}

KUNIT_ARRAY_PARAM(kscope_charge_test, kscope_charge_test_cases_table,
		  kscope_charge_test_desc);

static void kscope_charge_test_parse(struct kunit *test)
{
	const struct kscope_charge_test_case *t = test->param_value;
	struct kscope_charge_req req;
	const char *bad = NULL;
	int ret;

	ret = kscope_charge_parse(t->input, &req, &bad);
	KUNIT_EXPECT_EQ(test, ret, t->ret);
	if (ret) {
		KUNIT_ASSERT_NOT_NULL(test, bad);
		KUNIT_EXPECT_STREQ(test, bad, t->bad);
		return;
	}
	KUNIT_EXPECT_NULL(test, bad);
	KUNIT_EXPECT_EQ(test, req.op, t->op);
	KUNIT_EXPECT_EQ(test, req.bytes, t->bytes);
	KUNIT_EXPECT_EQ(test, req.id, t->id);
	KUNIT_EXPECT_EQ(test, req.oom, t->oom);
}

/* the size parser on its own: not NUL-terminated, limits of the suffixes */
static void kscope_charge_test_size(struct kunit *test)
{
	u64 v = 0;

	KUNIT_EXPECT_EQ(test, kscope_parse_size("12345", 3, &v), 0);
	KUNIT_EXPECT_EQ(test, v, 123ULL);
	KUNIT_EXPECT_EQ(test, kscope_parse_size("1k", 2, &v), 0);
	KUNIT_EXPECT_EQ(test, v, 1024ULL);
	KUNIT_EXPECT_EQ(test, kscope_parse_size("17179869183G", 12, &v), 0);
	KUNIT_EXPECT_EQ(test, v, 17179869183ULL << 30);
	KUNIT_EXPECT_EQ(test, kscope_parse_size("18446744073709551615", 20,
						&v), 0);
	KUNIT_EXPECT_EQ(test, v, U64_MAX);
	KUNIT_EXPECT_EQ(test, kscope_parse_size("", 0, &v), -EINVAL);
	KUNIT_EXPECT_EQ(test, kscope_parse_size("M", 1, &v), -EINVAL);
}

static void kscope_memcg_test_limit(struct kunit *test)
{
	char buf[24];

	kscope_memcg_limit_snprint(buf, sizeof(buf), 0, 100);
	KUNIT_EXPECT_STREQ(test, buf, "0");
	kscope_memcg_limit_snprint(buf, sizeof(buf), 3, 100);
	KUNIT_EXPECT_STREQ(test, buf, PAGE_SIZE == 4096 ? "12288" : buf);
	kscope_memcg_limit_snprint(buf, sizeof(buf), 99, 100);
	KUNIT_EXPECT_STRNEQ(test, buf, "max");
	kscope_memcg_limit_snprint(buf, sizeof(buf), 100, 100);
	KUNIT_EXPECT_STREQ(test, buf, "max");
	kscope_memcg_limit_snprint(buf, sizeof(buf), ULONG_MAX, 100);
	KUNIT_EXPECT_STREQ(test, buf, "max");
	/* the largest finite limit fits, in bytes */
	kscope_memcg_limit_snprint(buf, sizeof(buf), LONG_MAX / PAGE_SIZE - 1,
				   LONG_MAX / PAGE_SIZE);
	KUNIT_EXPECT_STRNEQ(test, buf, "max");
	KUNIT_EXPECT_LT(test, strlen(buf), sizeof(buf) - 1);
}

static struct kunit_case kscope_memcg_test_cases[] = {
	KUNIT_CASE_PARAM(kscope_charge_test_parse,
			 kscope_charge_test_gen_params),
	KUNIT_CASE(kscope_charge_test_size),
	KUNIT_CASE(kscope_memcg_test_limit),
	{}
};

static struct kunit_suite kscope_memcg_test_suite = {
	.name = "kscope_memcg",
	.test_cases = kscope_memcg_test_cases,
};

kunit_test_suite(kscope_memcg_test_suite);

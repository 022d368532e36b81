// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for fmt.c: each helper must write what the seq_printf()
 * or seq_escape() call it replaces writes, byte for byte, the kernel's
 * own vsnprintf() being the reference.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/seq_file.h>
#include <linux/string.h>

#include "kscope_compat.h"
#include "fmt.h"

#define KSCOPE_FMT_BUF	256

/* a seq_file writing into the test's own buffer */
static struct seq_file *kscope_fmt_seq(struct kunit *test)
{
	struct seq_file *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, m);
	m->buf = kunit_kzalloc(test, KSCOPE_FMT_BUF, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, m->buf);
	m->size = KSCOPE_FMT_BUF;
	return m;
}

/* what @m holds, NUL-terminated */
static const char *kscope_fmt_text(struct kunit *test, struct seq_file *m)
{
	KUNIT_ASSERT_LT(test, m->count, m->size);
	m->buf[m->count] = '\0';
	return m->buf;
}

static const u64 kscope_fmt_u64s[] = {
	0, 1, 9, 10, 99, 100, 999999, 1000000, 4294967295ULL, 4294967296ULL,
	9999999999999ULL, 10000000000000ULL, 99999999999999ULL,
	100000000000000ULL, 9999999999999999999ULL, U64_MAX,
};

static const s64 kscope_fmt_s64s[] = {
	0, 1, -1, 9, -9, 10, -10, 2147483647, -2147483648LL, S64_MAX, S64_MIN,
};

static void kscope_fmt_test_u64_width(struct kunit *test)
{
	static const unsigned int widths[] = { 0, 1, 2, 7, 14, 20, 21, 30 };
	char want[64];
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(kscope_fmt_u64s); i++)
		for (j = 0; j < ARRAY_SIZE(widths); j++) {
			struct seq_file *m = kscope_fmt_seq(test);

			kscope_seq_u64_width(m, kscope_fmt_u64s[i], widths[j]);
			snprintf(want, sizeof(want), "%*llu", widths[j],
				 kscope_fmt_u64s[i]);
			KUNIT_EXPECT_STREQ(test, kscope_fmt_text(test, m), want);
		}
}

static void kscope_fmt_test_str_width(struct kunit *test)
{
	static const char *const strs[] = { "", "a", "pages", "total",
					    "inactive_anon", "unevictable" };
	static const int widths[] = { 0, 1, 5, 6, 13, 14, 20 };
	char want[64];
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(strs); i++)
		for (j = 0; j < ARRAY_SIZE(widths); j++) {
			struct seq_file *m = kscope_fmt_seq(test);

			kscope_seq_str_width(m, strs[i], widths[j]);
			kscope_seq_str_width(m, strs[i], -widths[j]);
			snprintf(want, sizeof(want), "%*s%-*s", widths[j],
				 strs[i], widths[j], strs[i]);
			KUNIT_EXPECT_STREQ(test, kscope_fmt_text(test, m), want);
		}
}

static void kscope_fmt_test_fields(struct kunit *test)
{
	char want[64];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kscope_fmt_u64s); i++) {
		struct seq_file *m = kscope_fmt_seq(test);

		kscope_seq_u64(m, "se.sum_exec_runtime_ns", kscope_fmt_u64s[i]);
		snprintf(want, sizeof(want), "%s: %llu\n",
			 "se.sum_exec_runtime_ns", kscope_fmt_u64s[i]);
		KUNIT_EXPECT_STREQ(test, kscope_fmt_text(test, m), want);
	}
	for (i = 0; i < ARRAY_SIZE(kscope_fmt_s64s); i++) {
		struct seq_file *m = kscope_fmt_seq(test);

		kscope_seq_s64(m, "prio", kscope_fmt_s64s[i]);
		snprintf(want, sizeof(want), "%s: %lld\n", "prio",
			 kscope_fmt_s64s[i]);
		KUNIT_EXPECT_STREQ(test, kscope_fmt_text(test, m), want);
	}
	{
		struct seq_file *m = kscope_fmt_seq(test);

		kscope_seq_str(m, "policy_name", "SCHED_NORMAL");
		kscope_seq_str(m, "a", "b c");
		KUNIT_EXPECT_STREQ(test, kscope_fmt_text(test, m),
				   "policy_name: SCHED_NORMAL\na: b c\n");
	}
}

static void kscope_fmt_test_comm(struct kunit *test)
{
	static const char *const comms[] = {
		"", "sh", "kworker/0:1H", "a b", "tab\there", "new\nline",
		"back\\slash", " ", "\\", "all \t\n\\ four", "\x01\x7f\xff",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(comms); i++) {
		struct seq_file *m = kscope_fmt_seq(test);
		struct seq_file *ref = kscope_fmt_seq(test);

		kscope_seq_comm(m, comms[i]);
		seq_escape(ref, comms[i], " \t\n\\");
		KUNIT_EXPECT_STREQ(test, kscope_fmt_text(test, m),
				   kscope_fmt_text(test, ref));
	}
}

/* a full buffer: seq_file's overflow, which makes it retry larger */
static void kscope_fmt_test_overflow(struct kunit *test)
{
	struct seq_file *m = kscope_fmt_seq(test);

	m->size = 8;
	kscope_seq_u64(m, "a_long_name", 1);
	KUNIT_EXPECT_TRUE(test, seq_has_overflowed(m));
	m->count = 0;
	kscope_seq_u64_width(m, 1, 30);
	KUNIT_EXPECT_TRUE(test, seq_has_overflowed(m));
}

static struct kunit_case kscope_fmt_test_cases[] = {
	KUNIT_CASE(kscope_fmt_test_u64_width),
	KUNIT_CASE(kscope_fmt_test_str_width),
	KUNIT_CASE(kscope_fmt_test_fields),
	KUNIT_CASE(kscope_fmt_test_comm),
	KUNIT_CASE(kscope_fmt_test_overflow),
	{}
};

static struct kunit_suite kscope_fmt_test_suite = {
	.name = "kscope_fmt",
	.test_cases = kscope_fmt_test_cases,
};

kunit_test_suite(kscope_fmt_test_suite);

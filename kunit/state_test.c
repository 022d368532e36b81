// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for kscope's task state decoding and task line format.
 *
 * The decoding is checked for every state word the kernel can hold
 * against the rules written out independently here, and against real
 * kernel threads put to sleep in TASK_IDLE and TASK_UNINTERRUPTIBLE, so
 * that what the scheduler itself recorded (sched_contributes_to_load)
 * is what kscope reports.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/string.h>

#include "kscope_compat.h"
#include "state.h"
#include "task.h"

/*
 * The letter /proc/<pid>/stat shows, from the rules of fs/proc/array.c
 * and __task_state_index() written out as a reader would state them.
 */
static char kscope_state_test_expected_letter(unsigned int state,
					      unsigned int exit_state)
{
	static const struct {
		unsigned int bit;
		char letter;
	} order[] = {
		/* highest bit of TASK_REPORT wins */
		{ TASK_PARKED, 'P' }, { EXIT_ZOMBIE, 'Z' }, { EXIT_DEAD, 'X' },
		{ __TASK_TRACED, 't' }, { __TASK_STOPPED, 'T' },
		{ TASK_UNINTERRUPTIBLE, 'D' }, { TASK_INTERRUPTIBLE, 'S' },
	};
	unsigned int report = (state | exit_state) & TASK_REPORT;
	int i;

	if ((state & TASK_IDLE) == TASK_IDLE && !(state & (TASK_RTLOCK_WAIT | TASK_FROZEN)))
		return 'I';
	if (state & (TASK_RTLOCK_WAIT | TASK_FROZEN))
		return 'D';
	for (i = 0; i < ARRAY_SIZE(order); i++)
		if (report & order[i].bit)
			return order[i].letter;
	return 'R';
}

static const char *kscope_state_test_expected_name(char letter)
{
	switch (letter) {
	case 'R': return "running";
	case 'S': return "sleeping";
	case 'D': return "disk sleep";
	case 'T': return "stopped";
	case 't': return "tracing stop";
	case 'X': return "dead";
	case 'Z': return "zombie";
	case 'P': return "parked";
	case 'I': return "idle";
	}
	return NULL;
}

static void kscope_state_test_every_state_word(struct kunit *test)
{
	static const unsigned int exits[] = { 0, EXIT_ZOMBIE, EXIT_DEAD };
	unsigned int state, e, bad = 0;

	for (e = 0; e < ARRAY_SIZE(exits); e++) {
		for (state = 0; state < TASK_STATE_MAX; state++) {
			struct kscope_state s;
			char want;

			kscope_state_decode(state, exits[e], &s);
			want = kscope_state_test_expected_letter(state, exits[e]);
			if (s.letter != want ||
			    strcmp(s.name, kscope_state_test_expected_name(want)) ||
			    s.raw != (state | exits[e])) {
				if (bad++ < 5)
					KUNIT_FAIL(test,
						   "state 0x%x exit 0x%x: got %c (%s), want %c",
						   state, exits[e], s.letter, s.name, want);
			}
		}
	}
	KUNIT_EXPECT_EQ(test, bad, 0);
}

static void kscope_state_test_named_states(struct kunit *test)
{
	struct kscope_state s;

	kscope_state_decode(TASK_IDLE, 0, &s);
	KUNIT_EXPECT_EQ(test, s.letter, 'I');
	kscope_state_decode(TASK_KILLABLE, 0, &s);
	KUNIT_EXPECT_EQ(test, s.letter, 'D');
	kscope_state_decode(TASK_STOPPED, 0, &s);
	KUNIT_EXPECT_EQ(test, s.letter, 'T');
	kscope_state_decode(TASK_DEAD, EXIT_ZOMBIE, &s);
	KUNIT_EXPECT_EQ(test, s.letter, 'Z');
	kscope_state_decode(TASK_FROZEN, 0, &s);
	KUNIT_EXPECT_EQ(test, s.letter, 'D');
	kscope_state_decode(TASK_RUNNING, 0, &s);
	KUNIT_EXPECT_STREQ(test, s.name, "running");
}

static void kscope_state_test_bits(struct kunit *test)
{
	char buf[160];
	unsigned int bit;

	kscope_state_bits_snprint(buf, sizeof(buf), 0);
	KUNIT_EXPECT_STREQ(test, buf, "RUNNING");
	kscope_state_bits_snprint(buf, sizeof(buf), TASK_IDLE);
	KUNIT_EXPECT_STREQ(test, buf, "UNINTERRUPTIBLE|NOLOAD");
	kscope_state_bits_snprint(buf, sizeof(buf), TASK_KILLABLE | TASK_FREEZABLE);
	KUNIT_EXPECT_STREQ(test, buf, "UNINTERRUPTIBLE|WAKEKILL|FREEZABLE");
	kscope_state_bits_snprint(buf, sizeof(buf), EXIT_ZOMBIE | TASK_DEAD);
	KUNIT_EXPECT_STREQ(test, buf, "EXIT_ZOMBIE|DEAD");
	kscope_state_bits_snprint(buf, sizeof(buf), TASK_INTERRUPTIBLE | 0x80000000);
	KUNIT_EXPECT_STREQ(test, buf, "INTERRUPTIBLE|0x80000000");

	/* every defined bit has a name; no name is printed for a clear bit */
	for (bit = 1; bit < TASK_STATE_MAX; bit <<= 1) {
		kscope_state_bits_snprint(buf, sizeof(buf), bit);
		KUNIT_EXPECT_NULL_MSG(test, strchr(buf, '|'), "bit 0x%x: %s", bit, buf);
		KUNIT_EXPECT_NE_MSG(test, strncmp(buf, "0x", 2), 0, "bit 0x%x unnamed", bit);
	}
}

static void kscope_state_test_bits_truncation(struct kunit *test)
{
	char full[160], small[8];
	int len;

	len = kscope_state_bits_snprint(full, sizeof(full), TASK_IDLE | TASK_WAKEKILL);
	KUNIT_EXPECT_EQ(test, len, (int)strlen(full));
	memset(small, 'x', sizeof(small));
	KUNIT_EXPECT_EQ(test, kscope_state_bits_snprint(small, sizeof(small),
							TASK_IDLE | TASK_WAKEKILL), len);
	KUNIT_EXPECT_EQ(test, small[sizeof(small) - 1], '\0');
	KUNIT_EXPECT_EQ(test, strncmp(small, full, sizeof(small) - 1), 0);
}

static void kscope_state_test_load(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, kscope_state_counts_in_load(1, false));
	KUNIT_EXPECT_TRUE(test, kscope_state_counts_in_load(2, false));
	KUNIT_EXPECT_TRUE(test, kscope_state_counts_in_load(0, true));
	KUNIT_EXPECT_FALSE(test, kscope_state_counts_in_load(0, false));
	/*
	 * 6.12 delayed dequeue: a D sleeper not yet dequeued has on_rq 1
	 * and sched_contributes_to_load already set; it is in nr_running
	 * only, and counts once.
	 */
	KUNIT_EXPECT_TRUE(test, kscope_state_counts_in_load(1, true));
}

static void kscope_state_test_policy(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, kscope_policy_name(SCHED_NORMAL), "normal");
	KUNIT_EXPECT_STREQ(test, kscope_policy_name(SCHED_FIFO), "fifo");
	KUNIT_EXPECT_STREQ(test, kscope_policy_name(SCHED_DEADLINE), "deadline");
	/* sched_ext's policy, 7, is named on every kernel (ABI since 6.12) */
	KUNIT_EXPECT_STREQ(test, kscope_policy_name(SCHED_EXT), "ext");
	KUNIT_EXPECT_STREQ(test, kscope_policy_name(4), "unknown");
	KUNIT_EXPECT_STREQ(test, kscope_policy_name(8), "unknown");
	KUNIT_EXPECT_STREQ(test, kscope_policy_name(1000), "unknown");
}

static int kscope_state_test_sleeper(void *data)
{
	unsigned int state = (uintptr_t)data;

	for (;;) {
		set_current_state(state);
		if (kthread_should_stop())
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

/*
 * Start a kernel thread that sleeps in @state and wait until the
 * scheduler has taken it off its runqueue, then snapshot it.
 */
static void kscope_state_test_sleep_in(struct kunit *test, unsigned int state,
				       struct kscope_task_snap *snap)
{
	struct task_struct *t;
	int i;

	t = kthread_run(kscope_state_test_sleeper, (void *)(uintptr_t)state,
			"kscope-kunit");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	get_task_struct(t);
	for (i = 0; i < 250; i++) {
		if (!READ_ONCE(t->on_rq) && kscope_task_raw_state(t) == state)
			break;
		msleep(20);
	}
	kscope_task_snapshot(t, &init_pid_ns, snap);
	kthread_stop(t);
	put_task_struct(t);
	KUNIT_EXPECT_LT_MSG(test, i, 250, "thread never went to sleep");
}

static void kscope_state_test_idle_kthread(struct kunit *test)
{
	struct kscope_task_snap snap;

	kscope_state_test_sleep_in(test, TASK_IDLE, &snap);
	KUNIT_EXPECT_EQ(test, snap.state.letter, 'I');
	KUNIT_EXPECT_EQ(test, snap.load, 0);
	KUNIT_EXPECT_EQ(test, snap.kthread, 1);
	/* kernel threads are children of kthreadd, pid 2 */
	KUNIT_EXPECT_EQ(test, snap.ppid, 2);
	KUNIT_EXPECT_STREQ(test, snap.comm, "kscope-kunit");
}

static void kscope_state_test_uninterruptible_kthread(struct kunit *test)
{
	struct kscope_task_snap snap;

	kscope_state_test_sleep_in(test, TASK_UNINTERRUPTIBLE, &snap);
	KUNIT_EXPECT_EQ(test, snap.state.letter, 'D');
	KUNIT_EXPECT_EQ(test, snap.load, 1);
}

static void kscope_state_test_interruptible_kthread(struct kunit *test)
{
	struct kscope_task_snap snap;

	kscope_state_test_sleep_in(test, TASK_INTERRUPTIBLE, &snap);
	KUNIT_EXPECT_EQ(test, snap.state.letter, 'S');
	KUNIT_EXPECT_EQ(test, snap.load, 0);
}

static void kscope_state_test_self_running(struct kunit *test)
{
	struct kscope_task_snap snap;

	kscope_task_snapshot(current, task_active_pid_ns(current), &snap);
	KUNIT_EXPECT_EQ(test, snap.state.letter, 'R');
	KUNIT_EXPECT_EQ(test, snap.load, 1);
	KUNIT_EXPECT_EQ(test, snap.pid, task_pid_vnr(current));
	KUNIT_EXPECT_EQ(test, snap.cpu, task_cpu(current));
}

static struct kunit_case kscope_state_test_cases[] = {
	KUNIT_CASE(kscope_state_test_every_state_word),
	KUNIT_CASE(kscope_state_test_named_states),
	KUNIT_CASE(kscope_state_test_bits),
	KUNIT_CASE(kscope_state_test_bits_truncation),
	KUNIT_CASE(kscope_state_test_load),
	KUNIT_CASE(kscope_state_test_policy),
	KUNIT_CASE(kscope_state_test_idle_kthread),
	KUNIT_CASE(kscope_state_test_uninterruptible_kthread),
	KUNIT_CASE(kscope_state_test_interruptible_kthread),
	KUNIT_CASE(kscope_state_test_self_running),
	{}
};

static struct kunit_suite kscope_state_test_suite = {
	.name = "kscope_state",
	.test_cases = kscope_state_test_cases,
};

/* The "tasks" line: as many columns as the header, COMM last. */
static unsigned int kscope_task_test_columns(const char *s, const char **last)
{
	unsigned int n = 0;

	while (*s) {
		while (*s == ' ')
			s++;
		if (!*s || *s == '\n')
			break;
		*last = s;
		n++;
		while (*s && *s != ' ' && *s != '\n')
			s++;
	}
	return n;
}

static char *kscope_task_test_seq(struct kunit *test, struct seq_file *m)
{
	char *buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	memset(m, 0, sizeof(*m));
	m->buf = buf;
	m->size = PAGE_SIZE;
	return buf;
}

static void kscope_task_test_line_format(struct kunit *test)
{
	struct kscope_task_snap snap = {
		.pid = 4194304, .tgid = 4194304, .ppid = 1,
		.state = { .raw = TASK_IDLE, .letter = 'I', .name = "idle" },
		.load = 0, .kthread = 1, .cpu = 7, .prio = 20, .nice = 0,
		.policy = SCHED_NORMAL, .nvcsw = 123, .nivcsw = 4,
		.comm = "a comm",
	};
	struct seq_file hm, lm;
	const char *hlast = NULL, *llast = NULL;
	char *hdr = kscope_task_test_seq(test, &hm);
	char *line = kscope_task_test_seq(test, &lm);
	const char *h, *l;

	kscope_tasks_header_show(&hm);
	kscope_task_snap_show(&lm, &snap);
	KUNIT_EXPECT_EQ(test, line[lm.count - 1], '\n');
	/* thirteen columns, then a COMM that may hold spaces */
	KUNIT_EXPECT_EQ(test, kscope_task_test_columns(hdr, &hlast), 14);
	KUNIT_EXPECT_EQ(test, kscope_task_test_columns(line, &llast), 15);
	KUNIT_EXPECT_EQ(test, strncmp(hlast, "COMM\n", 5), 0);
	KUNIT_EXPECT_NOT_NULL(test, strstr(line, " a comm\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(line, " 0x00000402 "));
	KUNIT_EXPECT_NOT_NULL(test, strstr(line, " normal "));
	/* every column ends where its header does (right-aligned) or starts there */
	for (h = hdr, l = line; *h && *l && *h != '\n'; h++, l++)
		if (*h != ' ' && (h[1] == ' ' || h[1] == '\n') && *l == ' ')
			KUNIT_FAIL(test, "column ending at %d misaligned:\n%s%s",
				   (int)(h - hdr), hdr, line);
}

static struct kunit_case kscope_task_test_cases[] = {
	KUNIT_CASE(kscope_task_test_line_format),
	{}
};

static struct kunit_suite kscope_task_test_suite = {
	.name = "kscope_task",
	.test_cases = kscope_task_test_cases,
};

kunit_test_suites(&kscope_state_test_suite, &kscope_task_test_suite);

MODULE_DESCRIPTION("KUnit tests for kscope");
MODULE_LICENSE("GPL");
KSCOPE_IMPORT_KUNIT_NS();

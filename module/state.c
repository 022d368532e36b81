// SPDX-License-Identifier: GPL-2.0
/*
 * state.c - decoding of task state words and scheduler classes.
 *
 * Pure functions of their arguments: KUnit tests them exhaustively.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/sched.h>
#include <uapi/linux/sched.h>

#include "kscope_compat.h"
#include "state.h"

/*
 * Indexed by __task_state_index(): the same words, in the same order,
 * as fs/proc/array.c's task_state_array[], so kscope and /proc agree.
 */
static const char * const kscope_state_names[] = {
	"running",
	"sleeping",
	"disk sleep",
	"stopped",
	"tracing stop",
	"dead",
	"zombie",
	"parked",
	"idle",
};

/**
 * kscope_state_decode() - letter and name of a task state
 * @state: task_struct::__state
 * @exit_state: task_struct::exit_state
 * @out: where to put the result
 *
 * Uses the kernel's own __task_state_index(), so that the letter is the
 * one /proc/<pid>/stat prints for the same words: TASK_IDLE shows 'I',
 * frozen and rtlock-waiting tasks show 'D'.
 */
void kscope_state_decode(unsigned int state, unsigned int exit_state,
			 struct kscope_state *out)
{
	unsigned int index = __task_state_index(state, exit_state);

	BUILD_BUG_ON(ARRAY_SIZE(kscope_state_names) !=
		     1 + ilog2(TASK_REPORT_MAX));

	out->raw = state | exit_state;
	out->letter = task_index_to_char(index);
	out->name = kscope_state_names[index];
}
EXPORT_SYMBOL_IF_KUNIT(kscope_state_decode);

struct kscope_state_bit {
	unsigned int bit;
	const char *name;
};

/* Every bit include/linux/sched.h defines for __state and exit_state. */
static const struct kscope_state_bit kscope_state_bits[] = {
	{ TASK_INTERRUPTIBLE,	"INTERRUPTIBLE" },
	{ TASK_UNINTERRUPTIBLE,	"UNINTERRUPTIBLE" },
	{ __TASK_STOPPED,	"STOPPED" },
	{ __TASK_TRACED,	"TRACED" },
	{ EXIT_DEAD,		"EXIT_DEAD" },
	{ EXIT_ZOMBIE,		"EXIT_ZOMBIE" },
	{ TASK_PARKED,		"PARKED" },
	{ TASK_DEAD,		"DEAD" },
	{ TASK_WAKEKILL,	"WAKEKILL" },
	{ TASK_WAKING,		"WAKING" },
	{ TASK_NOLOAD,		"NOLOAD" },
	{ TASK_NEW,		"NEW" },
	{ TASK_RTLOCK_WAIT,	"RTLOCK_WAIT" },
	{ TASK_FREEZABLE,	"FREEZABLE" },
	/* __TASK_FREEZABLE_UNSAFE: the bit is only set on lockdep kernels */
	{ 0x00004000,		"FREEZABLE_UNSAFE" },
	{ TASK_FROZEN,		"FROZEN" },
};

/**
 * kscope_state_bits_snprint() - name the bits of a raw state word
 * @buf: output buffer
 * @size: size of @buf
 * @raw: __state | exit_state
 *
 * Writes "RUNNING" for 0, else the set bits' names joined by '|', and
 * any bit this kernel does not name as a hex remainder.
 *
 * Return: the length the full string needs, as snprintf() does.
 */
int kscope_state_bits_snprint(char *buf, size_t size, unsigned int raw)
{
	unsigned int rest = raw;
	const char *sep = "";
	int len = 0;
	int i;

	if (!raw)
		return snprintf(buf, size, "RUNNING");

	for (i = 0; i < ARRAY_SIZE(kscope_state_bits); i++) {
		const struct kscope_state_bit *b = &kscope_state_bits[i];

		if (!(raw & b->bit))
			continue;
		len += snprintf(buf + min_t(size_t, len, size),
				size - min_t(size_t, len, size),
				"%s%s", sep, b->name);
		rest &= ~b->bit;
		sep = "|";
	}
	if (rest)
		len += snprintf(buf + min_t(size_t, len, size),
				size - min_t(size_t, len, size),
				"%s0x%x", sep, rest);
	return len;
}
EXPORT_SYMBOL_IF_KUNIT(kscope_state_bits_snprint);

/**
 * kscope_state_counts_in_load() - does a task feed the load average?
 * @on_rq: task_struct::on_rq
 * @sched_contributes: task_struct::sched_contributes_to_load
 *
 * calc_global_load() samples nr_running + nr_uninterruptible. A task on
 * a runqueue is in nr_running whatever its state word says (it may have
 * set TASK_UNINTERRUPTIBLE and not yet scheduled out). A dequeued task
 * is in nr_uninterruptible exactly when __schedule() set
 * sched_contributes_to_load as it went to sleep: uninterruptible, not
 * NOLOAD (so not TASK_IDLE), not frozen. Reading the kernel's own flag
 * rather than re-deriving it from the state word keeps kscope right
 * when those rules change.
 *
 * Return: true if the task counts.
 */
bool kscope_state_counts_in_load(int on_rq, bool sched_contributes)
{
	return on_rq || sched_contributes;
}
EXPORT_SYMBOL_IF_KUNIT(kscope_state_counts_in_load);

static const char * const kscope_policy_names[] = {
	[SCHED_NORMAL]	 = "normal",
	[SCHED_FIFO]	 = "fifo",
	[SCHED_RR]	 = "rr",
	[SCHED_BATCH]	 = "batch",
	[SCHED_IDLE]	 = "idle",
	[SCHED_DEADLINE] = "deadline",
	[SCHED_EXT]	 = "ext",
};

/**
 * kscope_policy_name() - short name of a scheduling policy
 * @policy: SCHED_* value
 *
 * Return: the name, or "unknown" for a value this kernel does not define.
 */
const char *kscope_policy_name(unsigned int policy)
{
	if (policy < ARRAY_SIZE(kscope_policy_names) &&
	    kscope_policy_names[policy])
		return kscope_policy_names[policy];
	return "unknown";
}
EXPORT_SYMBOL_IF_KUNIT(kscope_policy_name);

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sched.h - scheduler statistics of one task (module/sched.c): the
 * per-task file sched, how long a task has been in its state, and the
 * averages derived from its counters.
 */
#ifndef _KSCOPE_SCHED_H
#define _KSCOPE_SCHED_H

#include <linux/types.h>

struct pid_namespace;
struct seq_file;
struct task_struct;

/**
 * enum kscope_age_source - what a task's time in its state is measured from
 * @KSCOPE_AGE_UNKNOWN: the kernel keeps no record of it
 * @KSCOPE_AGE_SLICE: running: CPU time since it was last switched in
 * @KSCOPE_AGE_WAIT: runnable, waiting on a runqueue since stats.wait_start
 * @KSCOPE_AGE_SLEEP: asleep since stats.sleep_start (S)
 * @KSCOPE_AGE_BLOCK: blocked since stats.block_start (D, I, and the
 *                    other TASK_UNINTERRUPTIBLE states)
 * @KSCOPE_AGE_DELAYED: asleep but still queued (EEVDF delayed dequeue,
 *                      6.12): since stats.wait_start, stamped when it
 *                      left the CPU; the kernel counts it in nr_running
 */
enum kscope_age_source {
	KSCOPE_AGE_UNKNOWN,
	KSCOPE_AGE_SLICE,
	KSCOPE_AGE_WAIT,
	KSCOPE_AGE_SLEEP,
	KSCOPE_AGE_BLOCK,
	KSCOPE_AGE_DELAYED,
};

/**
 * struct kscope_state_age - how long a task has been in its current state
 * @ns: nanoseconds, valid unless @source is KSCOPE_AGE_UNKNOWN
 * @source: where @ns comes from
 * @why: when unknown, a short reason
 */
struct kscope_state_age {
	u64 ns;
	enum kscope_age_source source;
	const char *why;
};

void kscope_task_state_age(struct task_struct *p, struct kscope_state_age *age);
const char *kscope_age_source_name(enum kscope_age_source source);

/**
 * struct kscope_sched_derived - values derived from a task's sched fields
 * @avg_atom: average run length between switches, ns; -1 if no switches
 * @avg_per_cpu: average runtime between migrations, ns; -1 if none
 * @avg_wait: average time waiting on a runqueue per wait, ns; -1 if none
 * @wait_share: wait time / (wait + run time), in 1/10000; -1 if neither
 */
struct kscope_sched_derived {
	s64 avg_atom;
	s64 avg_per_cpu;
	s64 avg_wait;
	s64 wait_share;
};

void kscope_sched_derive(u64 sum_exec_runtime, u64 nr_switches,
			 u64 nr_migrations, u64 wait_sum, u64 wait_count,
			 struct kscope_sched_derived *d);

int kscope_task_sched_show(struct seq_file *m, struct pid_namespace *ns,
			   struct task_struct *p);

#endif /* _KSCOPE_SCHED_H */

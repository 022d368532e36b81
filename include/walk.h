/* SPDX-License-Identifier: GPL-2.0 */
/*
 * walk.h - every task of a pid namespace, a bounded batch of pids per
 * RCU read-side section (module/walk.c).
 */
#ifndef _KSCOPE_WALK_H
#define _KSCOPE_WALK_H

#include <linux/types.h>

struct pid_namespace;
struct task_struct;

typedef int (*kscope_walk_fn)(struct task_struct *task, pid_t nr, void *arg);

/**
 * struct kscope_walk_stats - what one walk cost
 * @tasks: tasks passed to the callback
 * @batches: RCU read-side sections
 * @max_hold_ns: the longest of them
 * @total_ns: the whole walk, lock breaks and rescheduling included
 */
struct kscope_walk_stats {
	unsigned long tasks;
	unsigned int batches;
	u64 max_hold_ns;
	u64 total_ns;
};

int kscope_walk_tasks(struct pid_namespace *ns, kscope_walk_fn fn, void *arg);
int kscope_walk_tasks_stats(struct pid_namespace *ns, kscope_walk_fn fn,
			    void *arg, struct kscope_walk_stats *st);

#endif /* _KSCOPE_WALK_H */

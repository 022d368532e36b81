// SPDX-License-Identifier: GPL-2.0
/*
 * walk.c - visit every task of a pid namespace, in pid order, without
 * holding the RCU read lock for long.
 *
 * /proc/kscope/loadavg counts every task in the system; a hang scanner
 * walks the same way. Holding rcu_read_lock() over tens of thousands of
 * tasks would delay grace periods (and, without preemptible RCU, the
 * scheduler) for as long as the walk takes, so the walk takes the lock
 * for a bounded batch of pids, drops it, lets others run, and resumes
 * from the next pid number: the position is a number, not a pointer,
 * so nothing has to stay pinned between batches.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/sched/signal.h>
#include <linux/threads.h>

#include "kscope_compat.h"
#include "sym.h"
#include "walk.h"

/* most pids looked at under one rcu_read_lock() */
#define KSCOPE_WALK_BATCH	256

/**
 * kscope_walk_tasks() - call @fn for every task of @ns, in pid order
 * @ns: pid namespace whose tasks (threads) to visit; &init_pid_ns for
 *      every task in the system
 * @fn: callback, called with the RCU read lock held: it must not sleep
 *      and must not keep @task past its return without taking a
 *      reference. It gets the task and its pid number in @ns, and
 *      returns 0 to go on or anything else to stop the walk.
 * @arg: passed to @fn
 *
 * Pids are looked up with find_ge_pid() in increasing order, as /proc's
 * readdir does, and each pid's thread (PIDTYPE_PID) is passed to @fn;
 * pids that only name a process group or session are skipped. The RCU
 * read lock is held for at most %KSCOPE_WALK_BATCH pids at a time; in
 * between the walk calls cond_resched() and gives up if the caller has
 * a fatal signal pending.
 *
 * A task that exists for the whole walk is visited exactly once. A task
 * created during the walk is visited if its pid is above the walk's
 * position; a task that exits during the walk may or may not be
 * visited. No task is visited twice, since positions only increase.
 *
 * Context: process context, may sleep; not under the RCU read lock.
 * Return: 0 when every task was visited, what @fn returned if it
 * stopped the walk, or -EINTR on a fatal signal.
 */
int kscope_walk_tasks(struct pid_namespace *ns, kscope_walk_fn fn, void *arg)
{
	return kscope_walk_tasks_stats(ns, fn, arg, NULL);
}
EXPORT_SYMBOL_IF_KUNIT(kscope_walk_tasks);

/**
 * kscope_walk_tasks_stats() - kscope_walk_tasks(), measured
 * @ns: as for kscope_walk_tasks()
 * @fn: as for kscope_walk_tasks()
 * @arg: as for kscope_walk_tasks()
 * @st: if not NULL, filled in with what the walk cost
 *
 * Return: as kscope_walk_tasks().
 */
int kscope_walk_tasks_stats(struct pid_namespace *ns, kscope_walk_fn fn,
			    void *arg, struct kscope_walk_stats *st)
{
	u64 start = local_clock(), t0;
	int nr = 1;

	if (st)
		memset(st, 0, sizeof(*st));
	/* the schedstats switch, as of the start of the walk */
	kscope_sym_refresh();
	for (;;) {
		unsigned int batch = 0;
		struct pid *pid = NULL;
		int ret = 0;

		t0 = local_clock();
		rcu_read_lock();
		while (batch++ < KSCOPE_WALK_BATCH) {
			struct task_struct *task;
			int found;

			pid = find_ge_pid(nr, ns);
			if (!pid)
				break;
			found = pid_nr_ns(pid, ns);
			/* the idr never goes backwards; be safe if it did */
			if (found < nr) {
				pid = NULL;
				break;
			}
			nr = found + 1;
			task = pid_task(pid, PIDTYPE_PID);
			if (!task)
				continue;
			if (st)
				st->tasks++;
			ret = fn(task, found, arg);
			if (ret)
				break;
		}
		rcu_read_unlock();
		if (st) {
			st->batches++;
			st->max_hold_ns = max(st->max_hold_ns, local_clock() - t0);
			st->total_ns = local_clock() - start;
		}

		if (ret)
			return ret;
		if (!pid || nr > PID_MAX_LIMIT)
			return 0;
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
	}
}

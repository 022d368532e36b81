// SPDX-License-Identifier: GPL-2.0
/*
 * task.c - one task's fields, read once, and their one-line form.
 *
 * /proc/kscope/tasks prints one such line per thread; the per-task
 * files reuse the snapshot so that every file says the same thing.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/sched/prio.h>
#include <linux/seq_file.h>

#include "kscope_compat.h"
#include "state.h"
#include "task.h"

/*
 * Column widths, shared by the header and the lines so they line up.
 * PID_MAX_LIMIT has seven digits.
 */
#define KSCOPE_TASK_HDR_FMT \
	"%7s %7s %7s %5s %4s %-10s %7s %3s %4s %4s %-8s %10s %10s %s\n"
#define KSCOPE_TASK_LINE_FMT \
	"%7d %7d %7d %5c %4u 0x%08x %7u %3u %4d %4d %-8s %10lu %10lu %s\n"

/**
 * kscope_tasks_header_show() - print the header line of "tasks"
 * @m: seq_file to print to
 */
void kscope_tasks_header_show(struct seq_file *m)
{
	seq_printf(m, KSCOPE_TASK_HDR_FMT, "PID", "TGID", "PPID", "STATE",
		   "LOAD", "RAW", "KTHREAD", "CPU", "PRIO", "NICE", "POLICY",
		   "NVCSW", "NIVCSW", "COMM");
}
EXPORT_SYMBOL_IF_KUNIT(kscope_tasks_header_show);

/**
 * kscope_task_snapshot() - read what kscope reports about a task
 * @task: the task, pinned by the caller (a reference or RCU)
 * @ns: pid namespace the numbers are translated into
 * @snap: output
 *
 * Each field is read once. The fields are not read atomically with
 * respect to each other, exactly as /proc/<pid>/stat's are not.
 */
void kscope_task_snapshot(struct task_struct *task, struct pid_namespace *ns,
			  struct kscope_task_snap *snap)
{
	unsigned int state = kscope_task_raw_state(task);

	snap->pid = task_pid_nr_ns(task, ns);
	snap->tgid = task_tgid_nr_ns(task, ns);
	snap->ppid = task_ppid_nr_ns(task, ns);
	kscope_state_decode(state, READ_ONCE(task->exit_state), &snap->state);
	snap->load = kscope_state_counts_in_load(READ_ONCE(task->on_rq),
						 task->sched_contributes_to_load);
	snap->kthread = !!(READ_ONCE(task->flags) & PF_KTHREAD);
	snap->cpu = task_cpu(task);
	snap->prio = READ_ONCE(task->prio) - MAX_RT_PRIO;
	snap->nice = task_nice(task);
	snap->policy = READ_ONCE(task->policy);
	snap->nvcsw = READ_ONCE(task->nvcsw);
	snap->nivcsw = READ_ONCE(task->nivcsw);
	__get_task_comm(snap->comm, sizeof(snap->comm), task);
}
EXPORT_SYMBOL_IF_KUNIT(kscope_task_snapshot);

/**
 * kscope_task_snap_show() - print a snapshot as one line of "tasks"
 * @m: seq_file to print to
 * @snap: the snapshot
 *
 * COMM is last because it may contain spaces: everything after the
 * thirteenth column is the command name.
 */
void kscope_task_snap_show(struct seq_file *m,
			   const struct kscope_task_snap *snap)
{
	seq_printf(m, KSCOPE_TASK_LINE_FMT, snap->pid, snap->tgid, snap->ppid, snap->state.letter,
		   snap->load, snap->state.raw, snap->kthread, snap->cpu,
		   snap->prio, snap->nice, kscope_policy_name(snap->policy),
		   snap->nvcsw, snap->nivcsw, snap->comm);
}
EXPORT_SYMBOL_IF_KUNIT(kscope_task_snap_show);

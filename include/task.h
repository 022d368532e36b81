/* SPDX-License-Identifier: GPL-2.0 */
/*
 * task.h - a consistent snapshot of one task and its one-line form
 * (module/task.c), as /proc/kscope/tasks and the per-task files print
 * it.
 */
#ifndef _KSCOPE_TASK_H
#define _KSCOPE_TASK_H

#include <linux/types.h>

#include "state.h"

struct pid_namespace;
struct seq_file;
struct task_struct;

#define KSCOPE_COMM_LEN	16

/**
 * struct kscope_task_snap - one task's fields as kscope reports them
 * @pid: thread id in the reader's pid namespace
 * @tgid: thread group id in the reader's pid namespace
 * @ppid: parent's tgid in the reader's pid namespace (0 when none visible)
 * @state: decoded state
 * @load: 1 if the task counts in the next loadavg sample
 * @kthread: 1 for kernel threads (PF_KTHREAD)
 * @cpu: CPU the task is on or last ran on
 * @prio: priority as /proc/<pid>/stat field 18 shows it (prio - MAX_RT_PRIO)
 * @nice: nice value
 * @policy: scheduling policy (SCHED_*)
 * @nvcsw: voluntary context switches
 * @nivcsw: involuntary context switches
 * @comm: command name
 */
struct kscope_task_snap {
	pid_t pid;
	pid_t tgid;
	pid_t ppid;
	struct kscope_state state;
	u8 load;
	u8 kthread;
	unsigned int cpu;
	int prio;
	int nice;
	unsigned int policy;
	unsigned long nvcsw;
	unsigned long nivcsw;
	char comm[KSCOPE_COMM_LEN];
};

void kscope_task_snapshot(struct task_struct *task, struct pid_namespace *ns,
			  struct kscope_task_snap *snap);
void kscope_tasks_header_show(struct seq_file *m);
void kscope_task_snap_show(struct seq_file *m,
			   const struct kscope_task_snap *snap);

#endif /* _KSCOPE_TASK_H */

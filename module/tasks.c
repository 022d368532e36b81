// SPDX-License-Identifier: GPL-2.0
/*
 * tasks.c - /proc/kscope/tasks: one line per thread in the system.
 *
 * The iterator walks the reader's pid namespace in thread-id order with
 * find_ge_pid(), the way /proc's own readdir does. The seq_file position
 * is the thread id to resume from, so:
 *
 *  - memory per read is one task reference and the seq_file buffer
 *    (64 KiB), whatever the number of threads;
 *  - a read restarted at any byte (small reads, a full buffer) resumes
 *    at the thread it stopped on, so a thread that lives through the
 *    whole read appears exactly once, and threads created or reaped
 *    meanwhile appear at most once;
 *  - the RCU read lock is held only for one lookup, never across output.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/proc_fs.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>

#include "kscope.h"
#include "kscope_compat.h"
#include "fmt.h"
#include "perm.h"
#include "task.h"
#include "tasks.h"

/**
 * kscope_tasks_find() - the first thread whose id is at least *@pos
 * @ns: pid namespace of the reader
 * @pos: in: thread id to start at; out: the id of the thread returned
 *
 * Return: the thread, with a reference the caller must drop, or NULL
 * past the last thread.
 */
static struct task_struct *kscope_tasks_find(struct pid_namespace *ns,
					     loff_t *pos)
{
	struct task_struct *task = NULL;
	struct pid *pid;
	int nr;

	if (*pos > PID_MAX_LIMIT)
		return NULL;
	nr = *pos;

	rcu_read_lock();
	while ((pid = find_ge_pid(nr, ns))) {
		nr = pid_nr_ns(pid, ns);
		task = pid_task(pid, PIDTYPE_PID);
		if (task) {
			get_task_struct(task);
			break;
		}
		/* a pid kept only as a group or session id: no thread */
		nr++;
	}
	rcu_read_unlock();

	*pos = task ? nr : PID_MAX_LIMIT + 1;
	return task;
}

static void *kscope_tasks_start(struct seq_file *m, loff_t *pos)
{
	if (*pos == 0)
		return SEQ_START_TOKEN;
	return kscope_tasks_find(kscope_seq_pid_ns(m), pos);
}

static void *kscope_tasks_next(struct seq_file *m, void *v, loff_t *pos)
{
	if (v != SEQ_START_TOKEN)
		put_task_struct(v);
	(*pos)++;
	return kscope_tasks_find(kscope_seq_pid_ns(m), pos);
}

static void kscope_tasks_stop(struct seq_file *m, void *v)
{
	if (v && v != SEQ_START_TOKEN)
		put_task_struct(v);
}

static int kscope_tasks_show(struct seq_file *m, void *v)
{
	struct kscope_task_snap snap;

	if (v == SEQ_START_TOKEN) {
		kscope_tasks_header_show(m);
		return 0;
	}
	if (!kscope_seq_may_see(m, v))
		return SEQ_SKIP;
	kscope_task_snapshot(v, kscope_seq_pid_ns(m), &snap);
	/* reaped between lookup and now: its ids are gone, skip it */
	if (!snap.pid)
		return SEQ_SKIP;
	kscope_task_snap_show(m, &snap);
	return 0;
}

static const struct seq_operations kscope_tasks_seq_ops = {
	.start	= kscope_tasks_start,
	.next	= kscope_tasks_next,
	.stop	= kscope_tasks_stop,
	.show	= kscope_tasks_show,
};

static int kscope_tasks_open(struct inode *inode, struct file *file)
{
	int ret = seq_open(file, &kscope_tasks_seq_ops);

	if (ret)
		return ret;
	ret = kscope_seq_presize(file, SZ_64K);
	if (ret)
		seq_release(inode, file);
	return ret;
}

const struct proc_ops kscope_tasks_proc_ops = {
	.proc_open	= kscope_tasks_open,
	.proc_read_iter	= seq_read_iter,
	.proc_lseek	= seq_lseek,
	.proc_release	= seq_release,
};

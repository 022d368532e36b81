// SPDX-License-Identifier: GPL-2.0
/*
 * task_files.c - the files in /proc/kscope/self/ and /proc/kscope/<pid>/.
 *
 * Every per-task file is one row of kscope_task_entries[]. A directory's
 * proc data says whose files they are: NULL for self/ (the task that
 * opens the file), else the struct kscope_watch of a watched pid. The
 * open file keeps a reference on the struct pid, not on the task, and
 * looks the task up at every read, so a task that has exited makes the
 * read fail with ESRCH, as /proc/<pid>/ files do.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/pid.h>
#include <linux/proc_fs.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "kscope.h"
#include "kscope_compat.h"

static int kscope_task_state_show(struct seq_file *m, struct pid_namespace *ns,
				  struct task_struct *task)
{
	struct kscope_state_age age;
	struct kscope_task_snap snap;
	char bits[160];

	kscope_task_snapshot(task, ns, &snap);
	kscope_task_state_age(task, &age);
	kscope_state_bits_snprint(bits, sizeof(bits), snap.state.raw);

	seq_printf(m, "pid: %d\n", snap.pid);
	seq_printf(m, "tgid: %d\n", snap.tgid);
	seq_printf(m, "comm: %s\n", snap.comm);
	seq_printf(m, "state: %c (%s)\n", snap.state.letter, snap.state.name);
	seq_printf(m, "raw: 0x%08x %s\n", snap.state.raw, bits);
	seq_printf(m, "load: %u\n", snap.load);
	seq_printf(m, "kthread: %u\n", snap.kthread);
	seq_printf(m, "on_rq: %d\n", READ_ONCE(task->on_rq));
	seq_printf(m, "on_cpu: %d\n", kscope_task_on_cpu(task));
	seq_printf(m, "cpu: %u\n", snap.cpu);
	if (age.source == KSCOPE_AGE_UNKNOWN)
		seq_printf(m, "in_state_ns: unknown (%s)\n", age.why);
	else
		seq_printf(m, "in_state_ns: %llu (%s)\n", age.ns,
			   kscope_age_source_name(age.source));
	return 0;
}

#define KSCOPE_TASK_FILE(NAME, MODE, SHOW) \
	{ .name = (NAME), .mode = (MODE), .show = (SHOW) }

static const struct kscope_task_entry kscope_task_entries[] = {
	KSCOPE_TASK_FILE("state", 0444, kscope_task_state_show),
	KSCOPE_TASK_FILE("sched", 0444, kscope_task_sched_show),
	KSCOPE_TASK_FILE("cputime", 0444, kscope_task_cputime_show),
	KSCOPE_TASK_FILE("cg_list", 0444, kscope_task_cg_list_show),
	KSCOPE_TASK_FILE("memcg", 0444, kscope_task_memcg_show),
	KSCOPE_TASK_FILE("lru", 0444, kscope_task_lru_show),
};

/**
 * struct kscope_task_file - an open per-task file
 * @pid: whose file it is
 * @entry: which file it is
 */
struct kscope_task_file {
	struct pid *pid;
	const struct kscope_task_entry *entry;
};

static int kscope_task_file_show(struct seq_file *m, void *v)
{
	struct kscope_task_file *tf = m->private;
	struct task_struct *task;
	int ret;

	task = get_pid_task(tf->pid, PIDTYPE_PID);
	if (!task)
		return -ESRCH;
	/* again at read: the descriptor may have passed to another reader */
	ret = kscope_task_access(file_inode(m->file)->i_sb, task);
	if (!ret)
		ret = tf->entry->show(m, kscope_seq_pid_ns(m), task);
	put_task_struct(task);
	return ret;
}

static int kscope_task_file_open(struct inode *inode, struct file *file)
{
	struct kscope_watch *watch = proc_get_parent_data(inode);
	struct kscope_task_file *tf;
	int ret;

	tf = kmalloc(sizeof(*tf), GFP_KERNEL);
	if (!tf)
		return -ENOMEM;
	tf->entry = pde_data(inode);
	tf->pid = watch ? kscope_watch_get_pid(watch) :
			  get_task_pid(current, PIDTYPE_PID);
	if (!tf->pid) {
		ret = -ESRCH;
		goto err_free;
	}
	/* as /proc/<pid>/ on a hidepid= mount, an exited task's too */
	ret = kscope_pid_access(inode->i_sb, tf->pid);
	if (ret)
		goto err_put;

	ret = single_open(file, kscope_task_file_show, tf);
	if (ret)
		goto err_put;
	return 0;

err_put:
	put_pid(tf->pid);
err_free:
	kfree(tf);
	return ret;
}

static int kscope_task_file_release(struct inode *inode, struct file *file)
{
	struct kscope_task_file *tf = ((struct seq_file *)file->private_data)->private;

	put_pid(tf->pid);
	kfree(tf);
	return single_release(inode, file);
}

static const struct proc_ops kscope_task_file_proc_ops = {
	.proc_open	= kscope_task_file_open,
	.proc_read_iter	= seq_read_iter,
	.proc_lseek	= seq_lseek,
	.proc_release	= kscope_task_file_release,
};

/**
 * kscope_task_dir_populate() - create every per-task file in @dir
 * @dir: /proc/kscope/self or /proc/kscope/<pid>
 *
 * On failure the files made so far stay; the caller removes @dir with
 * proc_remove(), which takes its children with it.
 *
 * Return: 0 or -ENOMEM.
 */
int kscope_task_dir_populate(struct proc_dir_entry *dir)
{
	const struct kscope_task_entry *e;

	for (e = kscope_task_entries;
	     e < kscope_task_entries + ARRAY_SIZE(kscope_task_entries); e++) {
		if (!proc_create_data(e->name, e->mode, dir,
				      &kscope_task_file_proc_ops, (void *)e))
			return -ENOMEM;
	}
	return 0;
}

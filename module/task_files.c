// SPDX-License-Identifier: GPL-2.0
/*
 * task_files.c - the files in /proc/kscope/self/ and /proc/kscope/w<id>/.
 *
 * Every per-task file is one row of kscope_task_entries[]. A directory's
 * proc data says whose files they are: NULL for self/ (the task that
 * opens the file), else the struct kscope_watch of a watched pid. The
 * open file keeps a reference on the struct pid, not on the task, and
 * looks the task up at every read, so a task that has exited makes the
 * read fail with ESRCH, as /proc/<pid>/ files do.
 *
 * /proc/kscope/all/ has a file of each name too: every watched task's
 * file in one read, in pid order, each block ending with an empty line.
 * A tool that follows a hundred tasks opens one file, not a hundred.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/pid.h>
#include <linux/proc_fs.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include "kscope.h"
#include "kscope_compat.h"
#include "cg_list.h"
#include "cputime.h"
#include "fmt.h"
#include "memcg.h"
#include "perm.h"
#include "sched.h"
#include "state.h"
#include "sym.h"
#include "task.h"
#include "task_files.h"
#include "watch.h"

static int kscope_task_state_show(struct seq_file *m, struct pid_namespace *ns,
				  struct task_struct *task)
{
	struct kscope_state_age age;
	struct kscope_task_snap snap;
	char bits[160];

	kscope_task_snapshot(task, ns, &snap);
	kscope_task_state_age(task, &age);
	kscope_state_bits_snprint(bits, sizeof(bits), snap.state.raw);

	kscope_seq_s64(m, "pid", snap.pid);
	kscope_seq_s64(m, "tgid", snap.tgid);
	kscope_seq_str(m, "comm", snap.comm);
	seq_puts(m, "state: ");
	seq_putc(m, snap.state.letter);
	seq_puts(m, " (");
	seq_puts(m, snap.state.name);
	seq_puts(m, ")\n");
	/* hex: seq_put_hex_ll() is not exported on 6.1 */
	seq_printf(m, "raw: 0x%08x %s\n", snap.state.raw, bits);
	kscope_seq_u64(m, "load", snap.load);
	kscope_seq_u64(m, "kthread", snap.kthread);
	kscope_seq_s64(m, "on_rq", READ_ONCE(task->on_rq));
	/* asleep yet queued: EEVDF delayed dequeue (6.12); 0 before */
	kscope_seq_u64(m, "sched_delayed", kscope_task_delayed(task));
	kscope_seq_s64(m, "on_cpu", kscope_task_on_cpu(task));
	kscope_seq_u64(m, "cpu", snap.cpu);
	if (age.source == KSCOPE_AGE_UNKNOWN) {
		seq_puts(m, "in_state_ns: unknown (");
		seq_puts(m, age.why);
	} else {
		seq_put_decimal_ull(m, "in_state_ns: ", age.ns);
		seq_puts(m, " (");
		seq_puts(m, kscope_age_source_name(age.source));
	}
	seq_puts(m, ")\n");
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

/* the seq_file's private data is the struct pid, the PDE's the row */
static int kscope_task_file_show(struct seq_file *m, void *v)
{
	const struct kscope_task_entry *entry = pde_data(file_inode(m->file));
	struct task_struct *task;
	int ret;

	task = get_pid_task(m->private, PIDTYPE_PID);
	if (!task)
		return -ESRCH;
	/* again at read: the descriptor may have passed to another reader */
	ret = kscope_task_access(file_inode(m->file)->i_sb, task);
	kscope_sym_refresh();
	if (!ret)
		ret = entry->show(m, kscope_seq_pid_ns(m), task);
	put_task_struct(task);
	return ret;
}

static int kscope_task_file_open(struct inode *inode, struct file *file)
{
	struct kscope_watch *watch = proc_get_parent_data(inode);
	struct pid *pid;
	int ret;

	pid = watch ? kscope_watch_get_pid(watch) :
		      get_task_pid(current, PIDTYPE_PID);
	if (!pid)
		return -ESRCH;
	/* as /proc/<pid>/ on a hidepid= mount, an exited task's too */
	ret = kscope_pid_access(inode->i_sb, pid);
	if (ret)
		goto err_put;

	ret = single_open(file, kscope_task_file_show, pid);
	if (ret)
		goto err_put;
	return 0;

err_put:
	put_pid(pid);
	return ret;
}

static int kscope_task_file_release(struct inode *inode, struct file *file)
{
	put_pid(((struct seq_file *)file->private_data)->private);
	return single_release(inode, file);
}

static const struct proc_ops kscope_task_file_proc_ops = {
	.proc_open	= kscope_task_file_open,
	.proc_read_iter	= seq_read_iter,
	.proc_lseek	= seq_lseek,
	.proc_release	= kscope_task_file_release,
};

/**
 * struct kscope_all_iter - an open file in /proc/kscope/all/
 * @entry: which file it is
 * @pid: the watched pid being shown, referenced between start and stop
 */
struct kscope_all_iter {
	const struct kscope_task_entry *entry;
	struct pid *pid;
};

/* the seq_file position is the pid number to resume from */
static void *kscope_all_find(struct kscope_all_iter *it, loff_t *pos)
{
	int nr;

	if (*pos > PID_MAX_LIMIT)
		return NULL;
	nr = *pos;
	it->pid = kscope_watch_next_pid(&nr);
	*pos = it->pid ? nr : PID_MAX_LIMIT + 1;
	return it->pid ? it : NULL;
}

static void *kscope_all_start(struct seq_file *m, loff_t *pos)
{
	return kscope_all_find(m->private, pos);
}

static void *kscope_all_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct kscope_all_iter *it = v;

	put_pid(it->pid);
	it->pid = NULL;
	(*pos)++;
	return kscope_all_find(it, pos);
}

static void kscope_all_stop(struct seq_file *m, void *v)
{
	struct kscope_all_iter *it = m->private;

	put_pid(it->pid);
	it->pid = NULL;
}

/**
 * kscope_all_show() - one watched task's block
 * @m: output
 * @v: the iterator
 *
 * A task that has been reaped, or that the reader's procfs mount hides
 * (hidepid=), has no block. A task whose file fails (cg_list while the
 * task keeps migrating) gets a block saying so rather than failing the
 * whole read.
 *
 * Return: 0 or SEQ_SKIP.
 */
static int kscope_all_show(struct seq_file *m, void *v)
{
	struct kscope_all_iter *it = v;
	struct task_struct *task;
	size_t start = m->count;
	int ret;

	task = get_pid_task(it->pid, PIDTYPE_PID);
	if (!task)
		return SEQ_SKIP;
	if (!kscope_seq_may_see(m, task)) {
		put_task_struct(task);
		return SEQ_SKIP;
	}
	kscope_sym_refresh();
	ret = it->entry->show(m, kscope_seq_pid_ns(m), task);
	if (ret < 0) {
		m->count = start;
		kscope_seq_s64(m, "pid", task_pid_nr_ns(task, kscope_seq_pid_ns(m)));
		kscope_seq_s64(m, "error", ret);
	}
	put_task_struct(task);
	seq_putc(m, '\n');
	return 0;
}

static const struct seq_operations kscope_all_seq_ops = {
	.start	= kscope_all_start,
	.next	= kscope_all_next,
	.stop	= kscope_all_stop,
	.show	= kscope_all_show,
};

static int kscope_all_open(struct inode *inode, struct file *file)
{
	struct kscope_all_iter *it;
	int ret;

	it = __seq_open_private(file, &kscope_all_seq_ops, sizeof(*it));
	if (!it)
		return -ENOMEM;
	it->entry = pde_data(inode);
	ret = kscope_seq_presize(file, SZ_64K);
	if (ret)
		seq_release_private(inode, file);
	return ret;
}

static const struct proc_ops kscope_all_proc_ops = {
	.proc_open	= kscope_all_open,
	.proc_read_iter	= seq_read_iter,
	.proc_lseek	= seq_lseek,
	.proc_release	= seq_release_private,
};

static int kscope_task_files_create(struct proc_dir_entry *dir,
				    const struct proc_ops *ops)
{
	const struct kscope_task_entry *e;

	for (e = kscope_task_entries;
	     e < kscope_task_entries + ARRAY_SIZE(kscope_task_entries); e++) {
		if (!proc_create_data(e->name, e->mode, dir, ops, (void *)e))
			return -ENOMEM;
	}
	return 0;
}

/**
 * kscope_task_dir_populate() - create every per-task file in @dir
 * @dir: /proc/kscope/self or /proc/kscope/w<id>
 *
 * On failure the files made so far stay; the caller removes @dir with
 * proc_remove(), which takes its children with it.
 *
 * Return: 0 or -ENOMEM.
 */
int kscope_task_dir_populate(struct proc_dir_entry *dir)
{
	return kscope_task_files_create(dir, &kscope_task_file_proc_ops);
}

/**
 * kscope_task_all_populate() - create every per-task file in all/
 * @dir: /proc/kscope/all
 *
 * The same rows as in each task's directory, so a new per-task file is
 * in all/ too. On failure the caller removes @dir.
 *
 * Return: 0 or -ENOMEM.
 */
int kscope_task_all_populate(struct proc_dir_entry *dir)
{
	return kscope_task_files_create(dir, &kscope_all_proc_ops);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * inject_sleep.c - /proc/kscope/inject/sleep_d and sleep_i: the writing
 * task sleeps in the kernel for the number of milliseconds it wrote.
 *
 * sleep_d sleeps in TASK_UNINTERRUPTIBLE: the task shows D, counts in
 * the load average, cannot be killed, and becomes hung for khungtaskd
 * and kscope once it has slept past their thresholds. sleep_i sleeps
 * in TASK_IDLE (UNINTERRUPTIBLE | NOLOAD): it shows I, does not count,
 * and is never hung. Both are bounded by sleep_max_ms; unloading the
 * module wakes every sleeper, whose write then fails with ECANCELED.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/proc_fs.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "kscope_compat.h"
#include "fmt.h"
#include "inject_sleep.h"
#include "perm.h"

static unsigned int sleep_max_ms = 600000;
module_param(sleep_max_ms, uint, 0444);
MODULE_PARM_DESC(sleep_max_ms,
		 "Longest sleep inject/sleep_d and sleep_i accept, ms (default 600000)");

static DECLARE_WAIT_QUEUE_HEAD(kscope_sleep_wq);
static bool kscope_sleep_stopping;
static atomic_t kscope_sleepers[2];

/**
 * kscope_sleep_parse() - the sleep length written to a sleep injector
 * @buf: NUL-terminated text: a decimal number of ms, optionally followed
 *       by a newline
 * @max: the largest length accepted
 * @ms: result
 *
 * Return: 0, -EINVAL if @buf is not a number, -ERANGE if it is 0 or
 * above @max.
 */
int kscope_sleep_parse(const char *buf, unsigned int max, unsigned int *ms)
{
	int ret = kstrtouint(buf, 10, ms);

	if (ret)
		return ret;
	return *ms && *ms <= max ? 0 : -ERANGE;
}
EXPORT_SYMBOL_IF_KUNIT(kscope_sleep_parse);

static ssize_t kscope_sleep_write(struct file *file, const char __user *ubuf,
				  size_t count, bool idle)
{
	const char *name = idle ? "sleep_i" : "sleep_d";
	unsigned int ms;
	char buf[24];
	long left;
	int ret;

	ret = kscope_may_write(file, name);
	if (ret)
		return ret;
	if (count >= sizeof(buf)) {
		pr_info_ratelimited("inject: %s: write of %zu bytes refused: expected a number of ms\n",
				    name, count);
		return -EINVAL;
	}
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	ret = kscope_sleep_parse(buf, sleep_max_ms, &ms);
	if (ret) {
		pr_info_ratelimited("inject: %s: bad length '%s': %s\n", name,
				    strim(buf), ret == -ERANGE ?
				    "must be 1 to sleep_max_ms" : "not a number of ms");
		return ret;
	}

	atomic_inc(&kscope_sleepers[idle]);
	if (idle)
		left = wait_event_idle_timeout(kscope_sleep_wq,
					       READ_ONCE(kscope_sleep_stopping),
					       msecs_to_jiffies(ms));
	else
		left = wait_event_timeout(kscope_sleep_wq,
					  READ_ONCE(kscope_sleep_stopping),
					  msecs_to_jiffies(ms));
	atomic_dec(&kscope_sleepers[idle]);
	/* woken by unload, or refused because it had begun */
	if (READ_ONCE(kscope_sleep_stopping) && left)
		return -ECANCELED;
	return count;
}

static ssize_t kscope_sleep_d_write(struct file *file, const char __user *ubuf,
				    size_t count, loff_t *ppos)
{
	return kscope_sleep_write(file, ubuf, count, false);
}

static ssize_t kscope_sleep_i_write(struct file *file, const char __user *ubuf,
				    size_t count, loff_t *ppos)
{
	return kscope_sleep_write(file, ubuf, count, true);
}

static int kscope_sleep_show(struct seq_file *m, void *v)
{
	bool idle = (uintptr_t)m->private;

	kscope_seq_s64(m, "sleepers", atomic_read(&kscope_sleepers[idle]));
	kscope_seq_str(m, "state", idle ? "I (TASK_IDLE)" :
		       "D (TASK_UNINTERRUPTIBLE)");
	kscope_seq_u64(m, "max_ms", sleep_max_ms);
	return 0;
}

static int kscope_sleep_open(struct inode *inode, struct file *file, bool idle)
{
	int ret = kscope_may_open(file, idle ? "sleep_i" : "sleep_d");

	if (ret)
		return ret;
	return single_open(file, kscope_sleep_show, (void *)(uintptr_t)idle);
}

static int kscope_sleep_d_open(struct inode *inode, struct file *file)
{
	return kscope_sleep_open(inode, file, false);
}

static int kscope_sleep_i_open(struct inode *inode, struct file *file)
{
	return kscope_sleep_open(inode, file, true);
}

const struct proc_ops kscope_sleep_d_proc_ops = {
	.proc_open	= kscope_sleep_d_open,
	.proc_read_iter	= seq_read_iter,
	.proc_write	= kscope_sleep_d_write,
	.proc_lseek	= seq_lseek,
	.proc_release	= single_release,
};

const struct proc_ops kscope_sleep_i_proc_ops = {
	.proc_open	= kscope_sleep_i_open,
	.proc_read_iter	= seq_read_iter,
	.proc_write	= kscope_sleep_i_write,
	.proc_lseek	= seq_lseek,
	.proc_release	= single_release,
};

/**
 * kscope_sleep_stop() - wake every sleeper, refuse new ones
 *
 * Called at unload before the files go, so that procfs, which waits for
 * writers to leave, is not kept waiting for sleep_max_ms.
 */
void kscope_sleep_stop(void)
{
	WRITE_ONCE(kscope_sleep_stopping, true);
	wake_up_all(&kscope_sleep_wq);
}

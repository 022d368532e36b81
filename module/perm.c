// SPDX-License-Identifier: GPL-2.0
/*
 * perm.c - who may change kscope: the checks every control file makes.
 *
 * Control files (watch, hung, the injectors, ...) are mode 0666 so that
 * an unprivileged writer gets a clear EPERM from kscope, with a line in
 * the log saying why, instead of the EACCES of a mode check. Writing
 * needs CAP_SYS_ADMIN in the initial user namespace, checked when the
 * file is opened for writing and again, against the opener's
 * credentials, at every write, so that a descriptor passed to an
 * unprivileged process or opened in a user namespace is no way in.
 *
 * A reader sees through kscope what its own /proc shows it, and no more:
 * only the tasks that have a pid in the pid namespace of the procfs
 * instance it reads through, and of those, on a /proc mounted with
 * hidepid=, only the ones that mount shows it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/proc_fs.h>
#include <linux/sched/task.h>

#include "perm.h"
#include "sym.h"

/**
 * kscope_may_open() - check an open of a control file
 * @file: the file being opened
 * @what: the file's name, for the log
 *
 * Return: 0, or -EPERM if it is opened for writing without
 * CAP_SYS_ADMIN.
 */
int kscope_may_open(struct file *file, const char *what)
{
	if (!(file->f_mode & FMODE_WRITE) || capable(CAP_SYS_ADMIN))
		return 0;
	pr_info_ratelimited("%s: open for writing by uid %u refused: needs CAP_SYS_ADMIN\n",
			    what, from_kuid(&init_user_ns, current_uid()));
	return -EPERM;
}

/**
 * kscope_may_write() - check a write to a control file
 * @file: the file written to
 * @what: the file's name, for the log
 *
 * Return: 0, or -EPERM if whoever opened @file lacks CAP_SYS_ADMIN.
 */
int kscope_may_write(struct file *file, const char *what)
{
	if (file_ns_capable(file, &init_user_ns, CAP_SYS_ADMIN))
		return 0;
	pr_info_ratelimited("%s: write by uid %u refused: needs CAP_SYS_ADMIN\n",
			    what, from_kuid(&init_user_ns, current_uid()));
	return -EPERM;
}

/**
 * kscope_task_access() - whether a reader may see a task in kscope's files
 * @sb: the procfs instance the reader's file belongs to
 * @task: the task, or NULL for one that has exited (whose details a
 *        hidepid= mount no longer shows anyone it hid them from)
 *
 * kscope's files appear in every procfs instance, a container's
 * included, so they would otherwise show, through them, tasks the
 * instance does not list. Two rules, both /proc's own:
 *
 *  - the task must have a pid in the instance's pid namespace, as every
 *    /proc/<pid>/ has (proc_pid_lookup() in fs/proc/base.c);
 *  - with hidepid=noaccess or invisible, members of the gid= group see
 *    every such task and others only the tasks they may ptrace-read;
 *    with hidepid=ptraceable only those (has_pid_permissions()).
 *
 * Context: any, the RCU read lock included; the reader is current.
 * Return: 0 when visible; otherwise what /proc/<pid>/ gives the reader:
 * -ENOENT for a task of no pid in the namespace, and on hidepid=
 * mounts -EPERM for noaccess, -ENOENT for invisible and ptraceable.
 */
int kscope_task_access(struct super_block *sb, struct task_struct *task)
{
	struct proc_fs_info *fs_info = proc_sb_info(sb);

	if (task && !task_pid_nr_ns(task, fs_info->pid_ns))
		return -ENOENT;
	switch (fs_info->hide_pid) {
	case HIDEPID_OFF:
		return 0;
	case HIDEPID_NOT_PTRACEABLE:
		break;
	default:
		if (in_group_p(fs_info->pid_gid))
			return 0;
	}
	if (task && kscope_ptrace_may_read(task))
		return 0;
	return fs_info->hide_pid == HIDEPID_NO_ACCESS ? -EPERM : -ENOENT;
}

/**
 * kscope_pid_access() - kscope_task_access() for the task of @pid
 * @sb: the procfs instance the reader's file belongs to
 * @pid: the pid of a task, alive or not
 *
 * Context: process context, or any context the RCU read lock allows.
 * Return: as kscope_task_access().
 */
int kscope_pid_access(struct super_block *sb, struct pid *pid)
{
	struct proc_fs_info *fs_info = proc_sb_info(sb);
	struct task_struct *task;
	int ret;

	if (!pid_nr_ns(pid, fs_info->pid_ns))
		return -ENOENT;
	/* the common mount: no task reference to take */
	if (fs_info->hide_pid == HIDEPID_OFF)
		return 0;
	task = get_pid_task(pid, PIDTYPE_PID);
	ret = kscope_task_access(sb, task);
	if (task)
		put_task_struct(task);
	return ret;
}

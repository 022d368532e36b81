/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kscope.h - what is not any one area's: the version, the types of
 * the tables /proc/kscope/ files are made from, and the pid namespace
 * a file is read in.
 *
 * Each area has its own header next to this one, named after its
 * source file (state.h for module/state.c, nf_rule.h for
 * module/nf_rule.c, ...), declaring only what that file offers the
 * others and the KUnit suites. kscope_compat.h is the one place that
 * tests the kernel version.
 *
 * Every file in module/ starts, after its SPDX line and comment, with
 *
 *	#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
 *
 * before any #include, so that every line kscope logs starts with
 * "kscope: ".
 */
#ifndef _KSCOPE_H
#define _KSCOPE_H

#include <linux/fs.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/types.h>

#define KSCOPE_VERSION	"0.1.0"

struct pid_namespace;
struct task_struct;

/**
 * struct kscope_file - a file created from a table, such as those
 * directly under /proc/kscope/ or in /proc/kscope/netfilter/
 * @name: file name
 * @mode: file mode
 * @ops: its proc_ops
 *
 * A new file is one more row in its directory's table.
 */
struct kscope_file {
	const char *name;
	umode_t mode;
	const struct proc_ops *ops;
};

/**
 * struct kscope_task_entry - one file in /proc/kscope/self/ and <pid>/
 * @name: file name
 * @mode: file mode
 * @show: prints the file for @task, with pids as @ns sees them
 *
 * Modelled on fs/proc/base.c's pid_entry: a new per-task file is a
 * new row in kscope_task_entries[] (module/task_files.c). Every @show
 * starts its output with the task's "pid:" line, which all/ relies on.
 */
struct kscope_task_entry {
	const char *name;
	umode_t mode;
	int (*show)(struct seq_file *m, struct pid_namespace *ns,
		    struct task_struct *task);
};

/**
 * kscope_seq_pid_ns() - the pid namespace a kscope file is read in
 * @m: the open seq_file
 *
 * That of the procfs mount it was opened through, as for /proc/<pid>/.
 */
static inline struct pid_namespace *kscope_seq_pid_ns(struct seq_file *m)
{
	return proc_pid_ns(file_inode(m->file)->i_sb);
}

#endif /* _KSCOPE_H */

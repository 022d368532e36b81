/* SPDX-License-Identifier: GPL-2.0 */
/*
 * perm.h - who may change kscope, and who may see which task
 * (module/perm.c).
 */
#ifndef _KSCOPE_PERM_H
#define _KSCOPE_PERM_H

#include <linux/fs.h>
#include <linux/seq_file.h>
#include <linux/types.h>

struct pid;
struct super_block;
struct task_struct;

int kscope_may_open(struct file *file, const char *what);
int kscope_may_write(struct file *file, const char *what);
int kscope_task_access(struct super_block *sb, struct task_struct *task);
int kscope_pid_access(struct super_block *sb, struct pid *pid);

/**
 * kscope_seq_may_see() - whether the reader of @m may see @task
 * @m: the open seq_file
 * @task: the task
 *
 * Return: as kscope_task_access() for @m's procfs instance, as a bool.
 */
static inline bool kscope_seq_may_see(struct seq_file *m,
				      struct task_struct *task)
{
	return !kscope_task_access(file_inode(m->file)->i_sb, task);
}

#endif /* _KSCOPE_PERM_H */

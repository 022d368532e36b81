/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cg_list.h - the per-task file cg_list (module/cg_list.c, built with
 * CONFIG_CGROUPS), and the cgroup path printer memcg.c shares.
 */
#ifndef _KSCOPE_CG_LIST_H
#define _KSCOPE_CG_LIST_H

#include <linux/proc_fs.h>
#include <linux/sched.h>
#include <linux/seq_file.h>

#include "fmt.h"

struct cgroup;
struct pid_namespace;

#ifdef CONFIG_CGROUPS
int kscope_cg_list_init(struct proc_dir_entry *root);
int kscope_task_cg_list_show(struct seq_file *m, struct pid_namespace *ns,
			     struct task_struct *task);
void kscope_cgroup_path_show(struct seq_file *m, struct cgroup *cgrp);
#else
static inline int kscope_cg_list_init(struct proc_dir_entry *root)
{
	return 0;
}

/*
 * Without cgroups there is no memcg either. Every per-task file starts
 * with the pid, which all/ relies on; the rest says why it is missing,
 * as the other files of a missing facility do.
 */
static inline int kscope_task_cg_list_show(struct seq_file *m,
					   struct pid_namespace *ns,
					   struct task_struct *task)
{
	kscope_seq_s64(m, "pid", task_pid_nr_ns(task, ns));
	seq_puts(m, "cgroups: unavailable (CONFIG_CGROUPS=n)\n");
	return 0;
}
#endif

#endif /* _KSCOPE_CG_LIST_H */

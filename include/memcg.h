/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memcg.h - the per-task files memcg and lru (module/memcg.c): a task's
 * memory cgroup. Without CONFIG_MEMCG they say "memcg: not built".
 */
#ifndef _KSCOPE_MEMCG_H
#define _KSCOPE_MEMCG_H

#include <linux/types.h>

struct pid_namespace;
struct seq_file;
struct task_struct;

int kscope_memcg_limit_snprint(char *buf, size_t size, unsigned long pages,
			       unsigned long max_pages);
int kscope_task_memcg_show(struct seq_file *m, struct pid_namespace *ns,
			   struct task_struct *task);
int kscope_task_lru_show(struct seq_file *m, struct pid_namespace *ns,
			 struct task_struct *task);

#endif /* _KSCOPE_MEMCG_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memcg.h - the per-task files memcg and lru (module/memcg.c): a task's
 * memory cgroup. Where memory cgroups are unavailable (CONFIG_MEMCG=n,
 * or cgroup_disable=memory at boot) they say "memcg: unavailable (why)".
 */
#ifndef _KSCOPE_MEMCG_H
#define _KSCOPE_MEMCG_H

#include <linux/memcontrol.h>
#include <linux/types.h>

struct pid_namespace;
struct seq_file;
struct task_struct;

/**
 * kscope_memcg_unavailable() - why memory cgroups cannot be used
 *
 * Return: NULL when they can; else the reason, for "unavailable (...)".
 */
static inline const char *kscope_memcg_unavailable(void)
{
	if (!IS_ENABLED(CONFIG_MEMCG))
		return "CONFIG_MEMCG=n";
	if (mem_cgroup_disabled())
		return "disabled at boot: cgroup_disable=memory";
	return NULL;
}

int kscope_memcg_limit_snprint(char *buf, size_t size, unsigned long pages,
			       unsigned long max_pages);
int kscope_task_memcg_show(struct seq_file *m, struct pid_namespace *ns,
			   struct task_struct *task);
int kscope_task_lru_show(struct seq_file *m, struct pid_namespace *ns,
			 struct task_struct *task);

#endif /* _KSCOPE_MEMCG_H */

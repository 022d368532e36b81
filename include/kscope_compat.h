/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kscope_compat.h - the one place where kscope adapts to kernel versions.
 *
 * kscope targets Debian 12's Linux 6.1. Where an API it uses changed
 * name or shape across releases, the wrapper lives here, one per API,
 * so that no LINUX_VERSION_CODE test appears in the logic.
 */
#ifndef _KSCOPE_COMPAT_H
#define _KSCOPE_COMPAT_H

#include <linux/export.h>
#include <linux/version.h>
#include <linux/proc_fs.h>
#include <linux/sched.h>

#if KERNEL_VERSION(6, 1, 0) > LINUX_VERSION_CODE
#error "kscope needs Linux 6.1 or later"
#endif

/*
 * Symbol namespaces are bare identifiers up to 6.12 and strings from
 * 6.13 on.
 */
#if KERNEL_VERSION(6, 13, 0) <= LINUX_VERSION_CODE
#define KSCOPE_KUNIT_NS "EXPORTED_FOR_KUNIT_TESTING"
#else
#define KSCOPE_KUNIT_NS EXPORTED_FOR_KUNIT_TESTING
#endif

/*
 * EXPORT_SYMBOL_IF_KUNIT() exports a helper to kscope_kunit.ko only on
 * kernels built with CONFIG_KUNIT, in the namespace upstream's
 * <kunit/visibility.h> uses; that header is missing from early 6.1
 * releases, so kscope defines the same thing when it is absent.
 */
#ifndef EXPORT_SYMBOL_IF_KUNIT
#if IS_ENABLED(CONFIG_KUNIT)
#define EXPORT_SYMBOL_IF_KUNIT(sym) EXPORT_SYMBOL_NS_GPL(sym, KSCOPE_KUNIT_NS)
#else
#define EXPORT_SYMBOL_IF_KUNIT(sym)
#endif
#endif

#define KSCOPE_IMPORT_KUNIT_NS() MODULE_IMPORT_NS(KSCOPE_KUNIT_NS)

/**
 * kscope_task_raw_state() - the task's scheduler state word
 * @p: task
 *
 * task_struct::state became __state in 5.14; 6.1 has __state.
 */
static inline unsigned int kscope_task_raw_state(const struct task_struct *p)
{
	return READ_ONCE(p->__state);
}

/**
 * kscope_task_on_cpu() - whether the task is running on a CPU right now
 * @p: task
 *
 * task_struct::on_cpu exists on SMP kernels only.
 */
static inline int kscope_task_on_cpu(const struct task_struct *p)
{
#ifdef CONFIG_SMP
	return READ_ONCE(p->on_cpu);
#else
	return p == current;
#endif
}

/**
 * kscope_task_vtime_pending() - whether the task's CPU time lags behind
 * @t: task
 *
 * On nohz_full CPUs (CONFIG_VIRT_CPU_ACCOUNTING_GEN) the running slice
 * of a task is accounted by vtime and reaches utime/stime only when the
 * task leaves the CPU; task_cputime(), which adds it, is not exported.
 */
static inline bool kscope_task_vtime_pending(const struct task_struct *t)
{
#ifdef CONFIG_VIRT_CPU_ACCOUNTING_GEN
	return READ_ONCE(t->vtime.state) != VTIME_INACTIVE;
#else
	return false;
#endif
}

/**
 * kscope_task_last_switch() - khungtaskd's record of a task
 * @t: task
 * @count: nvcsw + nivcsw when khungtaskd last saw it change
 * @when: jiffies at that scan
 *
 * The fields exist only with CONFIG_DETECT_HUNG_TASK.
 *
 * Return: whether the kernel keeps them.
 */
static inline bool kscope_task_last_switch(const struct task_struct *t,
					   unsigned long *count,
					   unsigned long *when)
{
#ifdef CONFIG_DETECT_HUNG_TASK
	*count = READ_ONCE(t->last_switch_count);
	*when = READ_ONCE(t->last_switch_time);
	return true;
#else
	return false;
#endif
}

#ifdef CONFIG_MEMCG
#include <linux/memcontrol.h>

/**
 * kscope_memcg_node_state() - a memcg's count of a node stat item on a node
 * @memcg: memory cgroup
 * @nid: node
 * @idx: node_stat_item (NR_INACTIVE_ANON, NR_ANON_MAPPED, ...)
 *
 * The hierarchical value as of the kernel's last rstat flush, which is
 * what memory.stat and memory.numa_stat print. On 6.1 the per-node
 * lruvec_stats are embedded in mem_cgroup_per_node; lruvec_page_state()
 * reads them the same way but falls back to node_page_state(), which is
 * not exported, when memcg is disabled, so kscope reads them itself.
 * Counts updated on several CPUs at once can be negative for a moment:
 * clamp to 0 as the kernel does.
 */
static inline unsigned long kscope_memcg_node_state(struct mem_cgroup *memcg,
						    int nid,
						    enum node_stat_item idx)
{
	long x = READ_ONCE(memcg->nodeinfo[nid]->lruvec_stats.state[idx]);

	return x < 0 ? 0 : x;
}
#endif

#endif /* _KSCOPE_COMPAT_H */

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
#define EXPORT_SYMBOL_IF_KUNIT(...)
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

/**
 * kscope_task_delayed() - whether a sleeping task is still on its runqueue
 * @p: task
 *
 * Linux 6.12's EEVDF delayed dequeue ("sched/fair: Implement delayed
 * dequeue", 6.12) leaves a fair task that went to sleep while not yet
 * eligible on its runqueue with se.sched_delayed set, until it is picked
 * or woken. Meanwhile it stays in rq->nr_running and on_rq stays 1; it
 * enters nr_uninterruptible, and its sleep_start/block_start are
 * stamped, only at the real dequeue. The kernel's task_is_runnable() is
 * on_rq && !sched_delayed. Earlier kernels dequeue at once.
 *
 * Return: true while @p is delayed.
 */
#define KSCOPE_HAVE_DELAYED_DEQUEUE (KERNEL_VERSION(6, 12, 0) <= LINUX_VERSION_CODE)

static inline bool kscope_task_delayed(const struct task_struct *p)
{
#if KSCOPE_HAVE_DELAYED_DEQUEUE
	return READ_ONCE(p->se.sched_delayed);
#else
	return false;
#endif
}

/**
 * kscope_task_util_est() - se.avg.util_est as /proc/<pid>/sched prints it
 * @sa: the task's sched_avg
 * @ewma: set to util_est.ewma on kernels that keep one; else -1
 *
 * "sched/fair: Simplify util_est" (6.9) replaced the ewma/enqueued pair
 * by one unsigned int; the UTIL_AVG_UNCHANGED flag bit is masked off, as
 * /proc/<pid>/sched does.
 *
 * Return: util_est.enqueued up to 6.8, the single util_est from 6.9.
 */
static inline unsigned long kscope_task_util_est(const struct sched_avg *sa,
						 long *ewma)
{
#if KERNEL_VERSION(6, 9, 0) <= LINUX_VERSION_CODE
	*ewma = -1;
	return READ_ONCE(sa->util_est) & ~UTIL_AVG_UNCHANGED;
#else
	*ewma = READ_ONCE(sa->util_est.ewma);
	return READ_ONCE(sa->util_est.enqueued) & ~UTIL_AVG_UNCHANGED;
#endif
}

/*
 * sched_ext ("sched_ext: Implement BPF extensible scheduler class", 6.12)
 * added policy 7; the value is ABI, so kscope names it on every kernel.
 */
#ifndef SCHED_EXT
#define SCHED_EXT 7
#endif

/**
 * kscope_task_slice() - se.slice, for the tasks /proc/<pid>/sched shows it of
 * @p: task
 * @slice: the slice the task asks for, ns
 *
 * EEVDF ("sched/fair: Implement an EEVDF-like scheduling policy", 6.6)
 * made the slice a per-entity request, and /proc/<pid>/sched prints it
 * for fair-policy tasks (SCHED_NORMAL, SCHED_BATCH, and SCHED_EXT on
 * kernels with sched_ext).
 *
 * Return: whether /proc/<pid>/sched prints it for @p on this kernel.
 */
static inline bool kscope_task_slice(const struct task_struct *p, u64 *slice)
{
#if KERNEL_VERSION(6, 6, 0) <= LINUX_VERSION_CODE
	unsigned int policy = READ_ONCE(p->policy);

	if (policy != SCHED_NORMAL && policy != SCHED_BATCH &&
	    !(IS_ENABLED(CONFIG_SCHED_CLASS_EXT) && policy == SCHED_EXT))
		return false;
	*slice = READ_ONCE(p->se.slice);
	return true;
#else
	return false;
#endif
}

/*
 * stack_trace_save_tsk() and sysctl_hung_task_timeout_secs are exported
 * since 6.7 ("stacktrace: Export stack_trace_save_tsk" and "hung_task:
 * export sysctl_hung_task_timeout_secs", both for bcachefs); before,
 * module/sym.c looks them up through kallsyms.
 */
#define KSCOPE_EXPORTS_STACK_TSK_AND_HUNG_TIMEOUT \
	(KERNEL_VERSION(6, 7, 0) <= LINUX_VERSION_CODE)

#if KSCOPE_EXPORTS_STACK_TSK_AND_HUNG_TIMEOUT && defined(CONFIG_STACKTRACE)
#include <linux/stacktrace.h>
#endif
#if KSCOPE_EXPORTS_STACK_TSK_AND_HUNG_TIMEOUT && defined(CONFIG_DETECT_HUNG_TASK)
#include <linux/sched/sysctl.h>
#endif

/**
 * kscope_stack_save_exported() - stack_trace_save_tsk(), where exported
 * @task: the task
 * @entries: return addresses
 * @size: room in @entries
 *
 * Return: entries stored, or -ENOENT where the kernel does not export it.
 */
static inline int kscope_stack_save_exported(struct task_struct *task,
					     unsigned long *entries,
					     unsigned int size)
{
#if KSCOPE_EXPORTS_STACK_TSK_AND_HUNG_TIMEOUT && defined(CONFIG_STACKTRACE)
	return stack_trace_save_tsk(task, entries, size, 0);
#else
	return -ENOENT;
#endif
}

/**
 * kscope_hung_timeout_exported() - sysctl_hung_task_timeout_secs, where exported
 * @secs: the value
 *
 * Return: whether the kernel exports it.
 */
static inline bool kscope_hung_timeout_exported(unsigned long *secs)
{
#if KSCOPE_EXPORTS_STACK_TSK_AND_HUNG_TIMEOUT && defined(CONFIG_DETECT_HUNG_TASK)
	*secs = READ_ONCE(sysctl_hung_task_timeout_secs);
	return true;
#else
	return false;
#endif
}

/*
 * The cgroup v1 memory controller became optional in 6.11 ("mm: memcg:
 * put memcg1-specific struct mem_cgroup's members under
 * CONFIG_MEMCG_V1"); Debian's 6.12 builds without it, so there is no v1
 * hierarchy to mount and soft_limit, kmem and tcpmem do not exist.
 */
#define KSCOPE_HAVE_MEMCG_V1 \
	(KERNEL_VERSION(6, 11, 0) > LINUX_VERSION_CODE || \
	 IS_ENABLED(CONFIG_MEMCG_V1))

/*
 * "memcg: dynamically allocate lruvec_stats" (6.10) made the per-node
 * statistics a pointer to a structure private to mm/memcontrol.c, whose
 * index table depends on the configuration; lruvec_page_state(), which
 * reads them, is not exported. There is no supported way for a module
 * to read them from 6.10 on.
 */
#define KSCOPE_HAVE_MEMCG_NODE_STATS \
	(KERNEL_VERSION(6, 10, 0) > LINUX_VERSION_CODE)

#ifdef CONFIG_MEMCG
#include <linux/memcontrol.h>

/**
 * kscope_memcg_v1_counters() - the counters only a v1 memcg keeps
 * @memcg: memory cgroup
 * @soft_limit: memory.soft_limit_in_bytes, in pages
 * @kmem: memory.kmem.usage_in_bytes, in pages
 * @tcpmem: memory.kmem.tcp.usage_in_bytes, in pages
 *
 * Return: false on kernels without the v1 controller (see
 * KSCOPE_HAVE_MEMCG_V1), which leave the outputs untouched.
 */
static inline bool kscope_memcg_v1_counters(struct mem_cgroup *memcg,
					    unsigned long *soft_limit,
					    unsigned long *kmem,
					    unsigned long *tcpmem)
{
#if KSCOPE_HAVE_MEMCG_V1
	*soft_limit = READ_ONCE(memcg->soft_limit);
	*kmem = page_counter_read(&memcg->kmem);
	*tcpmem = page_counter_read(&memcg->tcpmem);
	return true;
#else
	return false;
#endif
}

/**
 * kscope_memcg_node_state() - a memcg's count of a node stat item on a node
 * @memcg: memory cgroup
 * @nid: node
 * @idx: node_stat_item (NR_INACTIVE_ANON, NR_ANON_MAPPED, ...)
 * @val: the count
 *
 * The hierarchical value as of the kernel's last rstat flush, which is
 * what memory.stat and memory.numa_stat print. On 6.1 the per-node
 * lruvec_stats are embedded in mem_cgroup_per_node; lruvec_page_state()
 * reads them the same way but falls back to node_page_state(), which is
 * not exported, when memcg is disabled, so kscope reads them itself.
 * Counts updated on several CPUs at once can be negative for a moment:
 * clamp to 0 as the kernel does.
 *
 * Return: false where the kernel keeps them private
 * (!KSCOPE_HAVE_MEMCG_NODE_STATS).
 */
static inline bool kscope_memcg_node_state(struct mem_cgroup *memcg, int nid,
					   enum node_stat_item idx,
					   unsigned long *val)
{
#if KSCOPE_HAVE_MEMCG_NODE_STATS
	long x = READ_ONCE(memcg->nodeinfo[nid]->lruvec_stats.state[idx]);

	*val = x < 0 ? 0 : x;
	return true;
#else
	return false;
#endif
}
#endif

#endif /* _KSCOPE_COMPAT_H */

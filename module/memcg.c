// SPDX-License-Identifier: GPL-2.0
/*
 * memcg.c - a task's memory cgroup: the per-task files memcg and lru.
 *
 * Linux 6.1 does not export the memcg statistics helpers
 * (memcg_page_state(), mem_cgroup_flush_stats()), so kscope reads what
 * is public in the headers: the page counters and event counters of
 * struct mem_cgroup, and the per-node lruvec statistics as the kernel
 * last flushed them, which are the numbers memory.stat and
 * memory.numa_stat print.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/kernel.h>
#include <linux/memcontrol.h>
#include <linux/mmzone.h>
#include <linux/nodemask.h>
#include <linux/page_counter.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>

#include "kscope_compat.h"
#include "cg_list.h"
#include "fmt.h"
#include "memcg.h"

/**
 * kscope_memcg_limit_snprint() - a limit in bytes, or "max"
 * @buf: output
 * @size: size of @buf
 * @pages: the limit, in pages
 * @max_pages: the value that means "no limit" (PAGE_COUNTER_MAX)
 *
 * Prints "max" as memory.max does for an unlimited counter.
 *
 * Return: what snprintf() returns.
 */
int kscope_memcg_limit_snprint(char *buf, size_t size, unsigned long pages,
			       unsigned long max_pages)
{
	if (pages >= max_pages)
		return snprintf(buf, size, "max");
	return snprintf(buf, size, "%llu", (u64)pages * PAGE_SIZE);
}
EXPORT_SYMBOL_IF_KUNIT(kscope_memcg_limit_snprint);

#ifdef CONFIG_MEMCG

/**
 * kscope_task_memcg_get() - the task's memory cgroup, referenced
 * @task: the task
 *
 * As get_mem_cgroup_from_mm() does, but for the task rather than the
 * owner of its mm: retry while the memcg found is being released.
 *
 * Return: the memcg, to css_put(); NULL when memcg is disabled.
 */
static struct mem_cgroup *kscope_task_memcg_get(struct task_struct *task)
{
	struct mem_cgroup *memcg;

	if (mem_cgroup_disabled())
		return NULL;
	rcu_read_lock();
	do {
		memcg = mem_cgroup_from_task(task);
	} while (memcg && !css_tryget(&memcg->css));
	rcu_read_unlock();
	return memcg;
}

/**
 * kscope_memcg_head_show() - the lines memcg and lru begin with
 * @m: output
 * @ns: the reader's pid namespace
 * @task: the task
 * @memcg: its memory cgroup, referenced
 */
static void kscope_memcg_head_show(struct seq_file *m, struct pid_namespace *ns,
				   struct task_struct *task,
				   struct mem_cgroup *memcg)
{
	kscope_seq_s64(m, "pid", task_pid_nr_ns(task, ns));
	kscope_seq_str(m, "hierarchy",
		       cgroup_subsys_on_dfl(memory_cgrp_subsys) ? "v2" : "v1");
	kscope_seq_str(m, "v1", KSCOPE_HAVE_MEMCG_V1 ? "built" :
		       "not built (CONFIG_MEMCG_V1=n): no v1 hierarchy");
	seq_puts(m, "path: ");
	kscope_cgroup_path_show(m, memcg->css.cgroup);
	seq_putc(m, '\n');
	kscope_seq_str(m, "root", memcg->css.parent ? "no" : "yes");
	seq_puts(m, "stats: approximate, last flushed by the kernel\n");
}

static void kscope_show_limit(struct seq_file *m, const char *name,
			      unsigned long pages)
{
	char buf[24];

	kscope_memcg_limit_snprint(buf, sizeof(buf), pages, PAGE_COUNTER_MAX);
	kscope_seq_str(m, name, buf);
}

static void kscope_show_pages(struct seq_file *m, const char *name,
			      unsigned long pages)
{
	kscope_seq_u64(m, name, (u64)pages * PAGE_SIZE);
}

/**
 * struct kscope_memcg_stat - a memory.stat item kscope can read
 * @name: its name in memory.stat
 * @idx: the node_stat_item behind it
 * @unit: bytes per unit of the counter
 */
struct kscope_memcg_stat {
	const char *name;
	enum node_stat_item idx;
	unsigned int unit;
};

/*
 * The items of memory.stat kept per node, which kscope sums over the
 * nodes. "kernel", "sock", "percpu" and "vmalloc" are kept only in the
 * memcg's private vmstats (mm/memcontrol.c) and are not readable here.
 */
static const struct kscope_memcg_stat kscope_memcg_stats[] = {
	{ "anon",		NR_ANON_MAPPED,		PAGE_SIZE },
	{ "file",		NR_FILE_PAGES,		PAGE_SIZE },
	{ "kernel_stack",	NR_KERNEL_STACK_KB,	SZ_1K },
	{ "pagetables",		NR_PAGETABLE,		PAGE_SIZE },
	{ "sec_pagetables",	NR_SECONDARY_PAGETABLE,	PAGE_SIZE },
	{ "shmem",		NR_SHMEM,		PAGE_SIZE },
	{ "file_mapped",	NR_FILE_MAPPED,		PAGE_SIZE },
	{ "file_dirty",		NR_FILE_DIRTY,		PAGE_SIZE },
	{ "file_writeback",	NR_WRITEBACK,		PAGE_SIZE },
#ifdef CONFIG_SWAP
	{ "swapcached",		NR_SWAPCACHE,		PAGE_SIZE },
#endif
	{ "inactive_anon",	NR_INACTIVE_ANON,	PAGE_SIZE },
	{ "active_anon",	NR_ACTIVE_ANON,		PAGE_SIZE },
	{ "inactive_file",	NR_INACTIVE_FILE,	PAGE_SIZE },
	{ "active_file",	NR_ACTIVE_FILE,		PAGE_SIZE },
	{ "unevictable",	NR_UNEVICTABLE,		PAGE_SIZE },
	{ "slab_reclaimable",	NR_SLAB_RECLAIMABLE_B,	1 },
	{ "slab_unreclaimable",	NR_SLAB_UNRECLAIMABLE_B, 1 },
};

/* Why the per-node statistics read "unavailable" on this kernel. */
#define KSCOPE_MEMCG_NO_NODE_STATS \
	"unavailable (per-node memcg statistics are private to this kernel)"

/* Return: false when this kernel keeps the per-node statistics private */
static bool kscope_memcg_stat_sum(struct mem_cgroup *memcg,
				  const struct kscope_memcg_stat *s, u64 *sum)
{
	unsigned long v;
	int nid;

	*sum = 0;
	for_each_node(nid) {
		if (!kscope_memcg_node_state(memcg, nid, s->idx, &v))
			return false;
		*sum += v;
	}
	*sum *= s->unit;
	return true;
}

static void kscope_memcg_events_show(struct seq_file *m,
				     struct mem_cgroup *memcg)
{
	static const char *const names[] = {
		[MEMCG_LOW] = "low",
		[MEMCG_HIGH] = "high",
		[MEMCG_MAX] = "max",
		[MEMCG_OOM] = "oom",
		[MEMCG_OOM_KILL] = "oom_kill",
		[MEMCG_OOM_GROUP_KILL] = "oom_group_kill",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		seq_puts(m, "events.");
		kscope_seq_s64(m, names[i],
			       atomic_long_read(&memcg->memory_events[i]));
	}
}

/**
 * kscope_memcg_file_show() - a per-task memcg file: the lines every
 * such file begins with, then @body
 * @m: output
 * @ns: the reader's pid namespace
 * @task: the task
 * @body: prints the rest, with the task's memcg referenced
 *
 * Return: 0.
 */
static int kscope_memcg_file_show(struct seq_file *m, struct pid_namespace *ns,
				  struct task_struct *task,
				  void (*body)(struct seq_file *m,
					       struct mem_cgroup *memcg))
{
	struct mem_cgroup *memcg;

	memcg = kscope_task_memcg_get(task);
	if (!memcg) {
		kscope_seq_s64(m, "pid", task_pid_nr_ns(task, ns));
		seq_printf(m, "memcg: unavailable (%s)\n",
			   kscope_memcg_unavailable() ?: "no memory cgroup");
		return 0;
	}
	kscope_memcg_head_show(m, ns, task, memcg);
	body(m, memcg);
	css_put(&memcg->css);
	return 0;
}

/*
 * Usage, limits and events are the kernel's counters as they are now;
 * the statistics are as of the kernel's last flush. The same names on
 * v1 and v2: a value the task's hierarchy does not have reads "n/a".
 */
/*
 * The v1-only lines: on v2, or on a kernel built without the v1
 * controller, they read "n/a".
 */
static void kscope_memcg_v1_show(struct seq_file *m, struct mem_cgroup *memcg,
				 bool v2, unsigned long mem,
				 unsigned long memsw)
{
	unsigned long soft_limit, kmem, tcpmem;

	if (v2 || !kscope_memcg_v1_counters(memcg, &soft_limit, &kmem,
					    &tcpmem)) {
		/* memcg->swap and memcg->memsw are one union */
		kscope_show_pages(m, "swap_usage", memsw);
		kscope_show_limit(m, "swap_max", READ_ONCE(memcg->swap.max));
		seq_puts(m, "memsw_usage: n/a\nmemsw_max: n/a\nsoft_limit: n/a\n");
		return;
	}
	kscope_show_pages(m, "swap_usage", memsw > mem ? memsw - mem : 0);
	seq_puts(m, "swap_max: n/a\n");
	kscope_show_pages(m, "memsw_usage", memsw);
	kscope_show_limit(m, "memsw_max", READ_ONCE(memcg->memsw.max));
	kscope_show_limit(m, "soft_limit", soft_limit);
}

/* stat.kernel and stat.sock: v1 keeps page counters for them */
static void kscope_memcg_v1_kmem_show(struct seq_file *m,
				      struct mem_cgroup *memcg, bool v2)
{
	unsigned long soft_limit, kmem, tcpmem;

	if (v2 || !kscope_memcg_v1_counters(memcg, &soft_limit, &kmem,
					    &tcpmem)) {
		seq_puts(m, "stat.kernel: unavailable (not exported)\n");
		seq_puts(m, "stat.sock: unavailable (not exported)\n");
		return;
	}
	kscope_show_pages(m, "stat.kernel", kmem);
	kscope_show_pages(m, "stat.sock", tcpmem);
}

static void kscope_memcg_body(struct seq_file *m, struct mem_cgroup *memcg)
{
	bool v2 = cgroup_subsys_on_dfl(memory_cgrp_subsys);
	unsigned long mem, memsw;
	unsigned int i;
	u64 sum;

	mem = page_counter_read(&memcg->memory);
	memsw = page_counter_read(&memcg->memsw);
	kscope_show_pages(m, "usage", mem);
	kscope_show_pages(m, "peak", READ_ONCE(memcg->memory.watermark));
	kscope_show_limit(m, "min", READ_ONCE(memcg->memory.min));
	kscope_show_limit(m, "low", READ_ONCE(memcg->memory.low));
	kscope_show_limit(m, "high", READ_ONCE(memcg->memory.high));
	kscope_show_limit(m, "max", READ_ONCE(memcg->memory.max));
	kscope_memcg_v1_show(m, memcg, v2, mem, memsw);
	kscope_seq_u64(m, "failcnt", READ_ONCE(memcg->memory.failcnt));
	kscope_memcg_events_show(m, memcg);
	for (i = 0; i < ARRAY_SIZE(kscope_memcg_stats); i++) {
		seq_puts(m, "stat.");
		if (kscope_memcg_stat_sum(memcg, &kscope_memcg_stats[i], &sum))
			kscope_seq_u64(m, kscope_memcg_stats[i].name, sum);
		else
			kscope_seq_str(m, kscope_memcg_stats[i].name,
				       KSCOPE_MEMCG_NO_NODE_STATS);
	}
	kscope_memcg_v1_kmem_show(m, memcg, v2);
}

/**
 * kscope_task_memcg_show() - the task's memory cgroup: usage, limits,
 * events and statistics, in bytes
 * @m: output
 * @ns: the reader's pid namespace
 * @task: the task
 *
 * Return: 0.
 */
int kscope_task_memcg_show(struct seq_file *m, struct pid_namespace *ns,
			   struct task_struct *task)
{
	return kscope_memcg_file_show(m, ns, task, kscope_memcg_body);
}

static const char *const kscope_lru_names[NR_LRU_LISTS] = {
	[LRU_INACTIVE_ANON] = "inactive_anon",
	[LRU_ACTIVE_ANON] = "active_anon",
	[LRU_INACTIVE_FILE] = "inactive_file",
	[LRU_ACTIVE_FILE] = "active_file",
	[LRU_UNEVICTABLE] = "unevictable",
};

static void kscope_lru_row_show(struct seq_file *m, const char *unit,
				const char *node, const unsigned long *v,
				unsigned long scale)
{
	unsigned int lru;

	kscope_seq_str_width(m, unit, -5);
	seq_putc(m, ' ');
	kscope_seq_str_width(m, node, -6);
	for (lru = 0; lru < NR_LRU_LISTS; lru++) {
		seq_putc(m, ' ');
		kscope_seq_u64_width(m, (u64)v[lru] * scale, 14);
	}
	seq_putc(m, '\n');
}

static void kscope_lru_table_show(struct seq_file *m,
				  struct mem_cgroup *memcg,
				  const char *unit, unsigned long scale)
{
	unsigned long v[NR_LRU_LISTS], total[NR_LRU_LISTS] = { };
	unsigned int lru;
	char node[16];
	int nid;

	seq_puts(m, "\nUNIT  NODE  ");
	for (lru = 0; lru < NR_LRU_LISTS; lru++) {
		seq_putc(m, ' ');
		kscope_seq_str_width(m, kscope_lru_names[lru], 14);
	}
	seq_putc(m, '\n');
	for_each_node_state(nid, N_MEMORY) {
		for (lru = 0; lru < NR_LRU_LISTS; lru++) {
			kscope_memcg_node_state(memcg, nid, NR_LRU_BASE + lru,
						&v[lru]);
			total[lru] += v[lru];
		}
		snprintf(node, sizeof(node), "node%d", nid);
		kscope_lru_row_show(m, unit, node, v, scale);
	}
	kscope_lru_row_show(m, unit, "total", total, scale);
}

static void kscope_lru_body(struct seq_file *m, struct mem_cgroup *memcg)
{
	kscope_seq_str(m, "mglru", IS_ENABLED(CONFIG_LRU_GEN) ?
		       "built (switch: /sys/kernel/mm/lru_gen/enabled)" :
		       "not built");
	kscope_seq_u64(m, "page_size", PAGE_SIZE);
	if (!KSCOPE_HAVE_MEMCG_NODE_STATS) {
		kscope_seq_str(m, "lists", KSCOPE_MEMCG_NO_NODE_STATS);
		return;
	}
	kscope_lru_table_show(m, memcg, "pages", 1);
	kscope_lru_table_show(m, memcg, "bytes", PAGE_SIZE);
}

/**
 * kscope_task_lru_show() - the sizes of the LRU lists of the task's
 * memory cgroup, per node and in total, in pages and in bytes
 * @m: output
 * @ns: the reader's pid namespace
 * @task: the task
 *
 * From the lruvec statistics, which the kernel keeps whether the lists
 * are the classic active/inactive pairs or MGLRU's generations (there
 * the two youngest generations count as active), so they are right
 * either way. Nodes are those with memory, as memory.numa_stat lists them.
 *
 * Return: 0.
 */
int kscope_task_lru_show(struct seq_file *m, struct pid_namespace *ns,
			 struct task_struct *task)
{
	return kscope_memcg_file_show(m, ns, task, kscope_lru_body);
}

#else /* !CONFIG_MEMCG */

/* every per-task file starts with the pid, which all/ relies on */
static int kscope_memcg_not_built(struct seq_file *m, struct pid_namespace *ns,
				  struct task_struct *task)
{
	kscope_seq_s64(m, "pid", task_pid_nr_ns(task, ns));
	seq_printf(m, "memcg: unavailable (%s)\n", kscope_memcg_unavailable());
	return 0;
}

int kscope_task_memcg_show(struct seq_file *m, struct pid_namespace *ns,
			   struct task_struct *task)
{
	return kscope_memcg_not_built(m, ns, task);
}

int kscope_task_lru_show(struct seq_file *m, struct pid_namespace *ns,
			 struct task_struct *task)
{
	return kscope_memcg_not_built(m, ns, task);
}

#endif /* CONFIG_MEMCG */

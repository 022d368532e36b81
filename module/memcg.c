// SPDX-License-Identifier: GPL-2.0
/*
 * memcg.c - a task's cgroups and memory cgroup: the per-task files
 * cg_list, memcg and lru.
 *
 * Linux 6.1 exports neither css_set_lock nor the memcg statistics
 * helpers (memcg_page_state(), mem_cgroup_flush_stats()), so kscope
 * reads what is public in the headers: the css_set a task points to
 * (under RCU), the page counters and event counters of struct
 * mem_cgroup, and the per-node lruvec statistics as the kernel last
 * flushed them, which are the numbers memory.stat and memory.numa_stat
 * print. css_set_lock is looked up through kallsyms at load when it
 * can be (module/sym.c), so that cg_list walks the css_set's own task
 * lists rather than every task.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/kernel.h>
#include <linux/memcontrol.h>
#include <linux/mmzone.h>
#include <linux/nodemask.h>
#include <linux/nsproxy.h>
#include <linux/once.h>
#include <linux/page_counter.h>
#include <linux/pid.h>
#include <linux/random.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/siphash.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "kscope.h"
#include "kscope_compat.h"

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

/* Rows of the task list in cg_list; tasks beyond are counted in "more". */
#define KSCOPE_CG_LIST_MAX	4096

/* How often to retry pinning a css_set that is being torn down. */
#define KSCOPE_CSET_TRIES	3

static siphash_key_t kscope_cset_key;

/**
 * struct kscope_cset_pin - the members of a css_set, each referenced
 * @subsys: its css of every controller (NULL for none)
 * @dfl_cgrp: its cgroup on the default (v2) hierarchy
 *
 * A module can neither take nor drop a reference on a css_set without
 * css_set_lock, which 6.1 does not export. A css_set is, however, the
 * one set of tasks whose cgroups on every hierarchy are the same, so
 * kscope holds its members instead: while they are held their
 * addresses cannot be reused, and a task whose css_set has exactly
 * these members is in this css_set (or, if every task left it and it
 * was freed, in the one the kernel made again for the same cgroups).
 * Hierarchies without a controller (v1 "name=" only) are not in
 * @subsys and cannot tell two css_sets apart here.
 */
struct kscope_cset_pin {
	struct cgroup_subsys_state *subsys[CGROUP_SUBSYS_COUNT];
	struct cgroup *dfl_cgrp;
};

static void kscope_cset_unpin(struct kscope_cset_pin *pin, int nr)
{
	while (nr--)
		if (pin->subsys[nr])
			css_put(pin->subsys[nr]);
	css_put(&pin->dfl_cgrp->self);
}

/**
 * kscope_cset_pin() - pin the members of @task's css_set
 * @task: the task
 * @pin: output
 * @id: output, the css_set's id: its address, hashed with a key chosen
 *      at random once per load, so equal ids mean the same css_set and
 *      no reader learns a kernel address
 * @refs: output, the css_set's reference count
 * @nr_tasks: output, the kernel's count of tasks in it
 *
 * css_sets are freed after an RCU grace period, so reading one under
 * the RCU read lock is safe even while its last task migrates away;
 * css_tryget() then fails on a member already released, and the task's
 * new css_set is read again.
 *
 * Return: 0, or -EAGAIN when the task kept migrating.
 */
static int kscope_cset_pin(struct task_struct *task,
			   struct kscope_cset_pin *pin, u64 *id,
			   unsigned int *refs, int *nr_tasks)
{
	unsigned int tries;

	get_random_once(&kscope_cset_key, sizeof(kscope_cset_key));
	for (tries = 0; tries < KSCOPE_CSET_TRIES; tries++) {
		struct css_set *cset;
		int i;

		rcu_read_lock();
		cset = task_css_set(task);
		*id = siphash_1u64((unsigned long)cset, &kscope_cset_key);
		*refs = refcount_read(&cset->refcount);
		*nr_tasks = READ_ONCE(cset->nr_tasks);
		pin->dfl_cgrp = cset->dfl_cgrp;
		if (!css_tryget(&pin->dfl_cgrp->self)) {
			rcu_read_unlock();
			continue;
		}
		for (i = 0; i < CGROUP_SUBSYS_COUNT; i++) {
			pin->subsys[i] = cset->subsys[i];
			if (pin->subsys[i] && !css_tryget(pin->subsys[i]))
				break;
		}
		rcu_read_unlock();
		if (i == CGROUP_SUBSYS_COUNT)
			return 0;
		kscope_cset_unpin(pin, i);
	}
	return -EAGAIN;
}

static bool kscope_cset_matches(const struct css_set *cset,
				const struct kscope_cset_pin *pin)
{
	return cset->dfl_cgrp == pin->dfl_cgrp &&
	       !memcmp(cset->subsys, pin->subsys, sizeof(pin->subsys));
}

/* Room for the paths almost every cgroup has, on the stack. */
#define KSCOPE_CG_PATH_SHORT	128

/**
 * kscope_cgroup_path_show() - @cgrp's path as the reader's cgroup
 * namespace sees it, as /proc/<pid>/cgroup prints it
 * @m: output
 * @cgrp: a referenced cgroup
 *
 * Tried first in a short buffer on the stack; a path that fills it is
 * written again into PATH_MAX bytes from the heap. A full buffer is all
 * there is to go by: on 6.1 cgroup_path_ns() returns the length it
 * wrote, not the length the whole path needs (later kernels return
 * -E2BIG).
 */
static void kscope_cgroup_path_show(struct seq_file *m, struct cgroup *cgrp)
{
	struct cgroup_namespace *ns = current->nsproxy->cgroup_ns;
	char short_buf[KSCOPE_CG_PATH_SHORT], *buf = short_buf;
	int ret;

	ret = cgroup_path_ns(cgrp, buf, sizeof(short_buf), ns);
	if (ret == -E2BIG || ret >= (int)sizeof(short_buf) - 1) {
		buf = kmalloc(PATH_MAX, GFP_KERNEL);
		ret = buf ? cgroup_path_ns(cgrp, buf, PATH_MAX, ns) : -ENOMEM;
	}
	if (ret >= 0 && ret < PATH_MAX - 1)
		seq_escape(m, buf, "\n\\");
	else
		seq_puts(m, ret == -ENOMEM ? "unknown (no memory)" :
					     "unknown (path too long)");
	if (buf != short_buf)
		kfree(buf);
}

/**
 * kscope_cg_paths_show() - one "cgroup:" line per hierarchy
 * @m: output
 * @pin: the css_set's members
 *
 * The v1 hierarchies are found through the controllers bound to them,
 * and printed as /proc/<pid>/cgroup prints them (id, controllers by
 * their v1 names, "name=" if named, path); the default hierarchy last,
 * as "0::PATH".
 */
static void kscope_cg_paths_show(struct seq_file *m,
				 const struct kscope_cset_pin *pin)
{
	const struct cgroup_root *seen[CGROUP_SUBSYS_COUNT];
	unsigned int nseen = 0, i, j;

	for (i = 0; i < CGROUP_SUBSYS_COUNT; i++) {
		struct cgroup *cgrp;
		struct cgroup_root *root;
		unsigned int n = 0;

		if (!pin->subsys[i])
			continue;
		cgrp = pin->subsys[i]->cgroup;
		root = cgrp->root;
		if (root == &cgrp_dfl_root)
			continue;
		for (j = 0; j < nseen && seen[j] != root; j++)
			;
		if (j < nseen)
			continue;
		seen[nseen++] = root;

		seq_printf(m, "cgroup: %d:", root->hierarchy_id);
		for (j = 0; j < CGROUP_SUBSYS_COUNT; j++)
			if ((root->subsys_mask & BIT(j)) && pin->subsys[j])
				seq_printf(m, "%s%s", n++ ? "," : "",
					   pin->subsys[j]->ss->legacy_name);
		if (root->name[0])
			seq_printf(m, "%sname=%s", n ? "," : "", root->name);
		seq_putc(m, ':');
		kscope_cgroup_path_show(m, cgrp);
		seq_putc(m, '\n');
	}
	seq_puts(m, "cgroup: 0::");
	kscope_cgroup_path_show(m, pin->dfl_cgrp);
	seq_putc(m, '\n');
}

/**
 * struct kscope_cg_walk - state of the walk that lists a css_set's tasks
 * @m: output
 * @pin: the css_set's members
 * @listed: rows printed
 * @more: matching tasks beyond %KSCOPE_CG_LIST_MAX
 * @exiting: matching tasks that are exiting, not listed
 * @hidden: matching tasks the reader may not see (hidepid=), not listed
 */
struct kscope_cg_walk {
	struct seq_file *m;
	const struct kscope_cset_pin *pin;
	unsigned int listed;
	unsigned int more;
	unsigned int exiting;
	unsigned int hidden;
};

static int kscope_cg_walk_fn(struct task_struct *task, pid_t nr, void *arg)
{
	struct kscope_cg_walk *w = arg;
	char comm[TASK_COMM_LEN];

	if (!kscope_cset_matches(task_css_set(task), w->pin))
		return 0;
	/* as cgroup.threads: a task past exit_signals() is on its way out */
	if (READ_ONCE(task->flags) & PF_EXITING) {
		w->exiting++;
		return 0;
	}
	if (!kscope_seq_may_see(w->m, task)) {
		w->hidden++;
		return 0;
	}
	if (w->listed >= KSCOPE_CG_LIST_MAX) {
		w->more++;
		return 0;
	}
	w->listed++;
	__get_task_comm(comm, sizeof(comm), task);
	kscope_seq_u64_width(w->m, nr, 7);
	seq_putc(w->m, ' ');
	kscope_seq_comm(w->m, comm);
	seq_putc(w->m, '\n');
	return 0;
}

/**
 * struct kscope_cg_row - a task found on a css_set's lists
 * @nr: its pid in the reader's namespace
 * @pid: its struct pid, referenced
 */
struct kscope_cg_row {
	pid_t nr;
	struct pid *pid;
};

static int kscope_cg_row_cmp(const void *a, const void *b)
{
	const struct kscope_cg_row *x = a, *y = b;

	return (x->nr > y->nr) - (x->nr < y->nr);
}

/**
 * kscope_cg_take() - note @t, a member of the css_set, in @rows
 * @t: the task
 * @ns: the reader's pid namespace
 * @rows: the rows so far
 * @n: rows used
 * @cap: rows allocated
 * @w: counts
 *
 * Return: false when @rows is full short of %KSCOPE_CG_LIST_MAX.
 */
static bool kscope_cg_take(struct task_struct *t, struct pid_namespace *ns,
			   struct kscope_cg_row *rows, unsigned int *n,
			   unsigned int cap, struct kscope_cg_walk *w)
{
	pid_t nr = task_pid_nr_ns(t, ns);

	if (!nr)
		return true;	/* not in the reader's namespace */
	if (READ_ONCE(t->flags) & PF_EXITING) {
		w->exiting++;
		return true;
	}
	if (*n >= KSCOPE_CG_LIST_MAX) {
		w->more++;
		return true;
	}
	if (*n >= cap)
		return false;
	rows[*n].nr = nr;
	rows[*n].pid = get_task_pid(t, PIDTYPE_PID);
	(*n)++;
	return true;
}

static void kscope_cg_rows_put(struct kscope_cg_row *rows, unsigned int n)
{
	while (n--)
		put_pid(rows[n].pid);
}

/**
 * kscope_cg_list_locked() - list @task's css_set from its own task lists
 * @w: the walk's state and output
 * @ns: the reader's pid namespace
 * @task: the task
 * @lock: css_set_lock
 * @nr_tasks: the css_set's task count when it was pinned
 *
 * What cgroup.threads walks: the css_set's tasks and mg_tasks (tasks
 * being migrated are on the latter), plus dying_tasks for the exiting
 * count, under css_set_lock, so the cost is the css_set's tasks, not
 * every task in the system. Only references are taken under the lock;
 * the rows are sorted, checked against the reader's hidepid= rule and
 * printed after it is dropped, and a task reaped meanwhile is left out.
 *
 * The rows are sized from the css_set's task count read when it was
 * pinned (@nr_tasks), with room to spare; if more tasks joined since,
 * the lists are taken again with twice the room.
 *
 * Return: 0, -ENOMEM, or -EAGAIN when @task's css_set is no longer the
 * one pinned (it migrated meanwhile; nothing was listed).
 */
static int kscope_cg_list_locked(struct kscope_cg_walk *w,
				 struct pid_namespace *ns,
				 struct task_struct *task, spinlock_t *lock,
				 int nr_tasks)
{
	unsigned int n, i, cap = clamp_t(int, nr_tasks + 16, 16, KSCOPE_CG_LIST_MAX);
	struct kscope_cg_row *rows;
	struct task_struct *t;
	struct css_set *cset;
	bool fits;
	int ret;

again:
	rows = kvmalloc_array(cap, sizeof(*rows), GFP_KERNEL);
	if (!rows)
		return -ENOMEM;
	n = 0;
	ret = 0;
	fits = true;
	w->exiting = 0;
	w->more = 0;
	spin_lock_irq(lock);
	rcu_read_lock();
	cset = task_css_set(task);
	if (!kscope_cset_matches(cset, w->pin)) {
		ret = -EAGAIN;
		goto unlock;
	}
	list_for_each_entry(t, &cset->tasks, cg_list) {
		fits = kscope_cg_take(t, ns, rows, &n, cap, w);
		if (!fits)
			goto unlock;
	}
	list_for_each_entry(t, &cset->mg_tasks, cg_list) {
		fits = kscope_cg_take(t, ns, rows, &n, cap, w);
		if (!fits)
			goto unlock;
	}
	list_for_each_entry(t, &cset->dying_tasks, cg_list)
		if (task_pid_nr_ns(t, ns))
			w->exiting++;
unlock:
	rcu_read_unlock();
	spin_unlock_irq(lock);
	if (!fits) {
		kscope_cg_rows_put(rows, n);
		kvfree(rows);
		cap = min_t(unsigned int, cap * 2, KSCOPE_CG_LIST_MAX);
		goto again;
	}

	sort(rows, n, sizeof(*rows), kscope_cg_row_cmp, NULL);
	for (i = 0; i < n; i++) {
		char comm[TASK_COMM_LEN];

		t = get_pid_task(rows[i].pid, PIDTYPE_PID);
		put_pid(rows[i].pid);
		if (!t)
			continue;
		/* after the lock: this takes task_lock() and may audit */
		if (!kscope_seq_may_see(w->m, t)) {
			put_task_struct(t);
			w->hidden++;
			continue;
		}
		__get_task_comm(comm, sizeof(comm), t);
		put_task_struct(t);
		w->listed++;
		kscope_seq_u64_width(w->m, rows[i].nr, 7);
		seq_putc(w->m, ' ');
		kscope_seq_comm(w->m, comm);
		seq_putc(w->m, '\n');
	}
	kvfree(rows);
	return ret;
}

/**
 * kscope_task_cg_list_show() - the task's css_set and the tasks in it
 * @m: output
 * @ns: the reader's pid namespace
 * @task: the task
 *
 * With css_set_lock looked up at load, the tasks come from the
 * css_set's own lists (kscope_cg_list_locked()). Without it, or when
 * the task has left the pinned css_set since, every task
 * of @ns is walked (kscope_walk_tasks(), a bounded batch per RCU
 * read-side section) and css_sets compared. Either way the list is a
 * moment's picture: a task that stays in the css_set for the whole read
 * is listed exactly once, one that migrates meanwhile at most once.
 *
 * Return: 0, -EAGAIN when the task kept migrating, -ENOMEM, -EINTR.
 */
int kscope_task_cg_list_show(struct seq_file *m, struct pid_namespace *ns,
			     struct task_struct *task)
{
	struct kscope_cset_pin pin;
	struct kscope_cg_walk w = { .m = m, .pin = &pin };
	spinlock_t *lock = kscope_css_set_lock();
	unsigned int refs;
	int nr_tasks, ret;
	u64 id;

	ret = kscope_cset_pin(task, &pin, &id, &refs, &nr_tasks);
	if (ret)
		return ret;

	kscope_seq_s64(m, "pid", task_pid_nr_ns(task, ns));
	seq_printf(m, "css_set: %016llx\n", id);
	kscope_seq_u64(m, "refcount", refs);
	kscope_seq_s64(m, "nr_tasks", nr_tasks);
	kscope_cg_paths_show(m, &pin);
	seq_puts(m, "\n    PID COMM\n");
	/* the task left the pinned css_set meanwhile: list its members */
	ret = lock ? kscope_cg_list_locked(&w, ns, task, lock, nr_tasks) :
		     -EAGAIN;
	if (ret == -EAGAIN)
		ret = kscope_walk_tasks(ns, kscope_cg_walk_fn, &w);
	seq_putc(m, '\n');
	kscope_seq_u64(m, "listed", w.listed);
	kscope_seq_u64(m, "more", w.more);
	kscope_seq_u64(m, "exiting", w.exiting);
	kscope_seq_u64(m, "hidden", w.hidden);

	kscope_cset_unpin(&pin, CGROUP_SUBSYS_COUNT);
	return ret;
}

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

static u64 kscope_memcg_stat_sum(struct mem_cgroup *memcg,
				 const struct kscope_memcg_stat *s)
{
	u64 sum = 0;
	int nid;

	for_each_node(nid)
		sum += kscope_memcg_node_state(memcg, nid, s->idx);
	return sum * s->unit;
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
		seq_puts(m, "memcg: disabled\n");
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
static void kscope_memcg_body(struct seq_file *m, struct mem_cgroup *memcg)
{
	bool v2 = cgroup_subsys_on_dfl(memory_cgrp_subsys);
	unsigned long mem, memsw;
	unsigned int i;

	mem = page_counter_read(&memcg->memory);
	memsw = page_counter_read(&memcg->memsw);
	kscope_show_pages(m, "usage", mem);
	kscope_show_pages(m, "peak", READ_ONCE(memcg->memory.watermark));
	kscope_show_limit(m, "min", READ_ONCE(memcg->memory.min));
	kscope_show_limit(m, "low", READ_ONCE(memcg->memory.low));
	kscope_show_limit(m, "high", READ_ONCE(memcg->memory.high));
	kscope_show_limit(m, "max", READ_ONCE(memcg->memory.max));
	if (v2) {
		/* memcg->swap and memcg->memsw are one union */
		kscope_show_pages(m, "swap_usage", memsw);
		kscope_show_limit(m, "swap_max", READ_ONCE(memcg->swap.max));
		seq_puts(m, "memsw_usage: n/a\nmemsw_max: n/a\nsoft_limit: n/a\n");
	} else {
		kscope_show_pages(m, "swap_usage", memsw > mem ? memsw - mem : 0);
		seq_puts(m, "swap_max: n/a\n");
		kscope_show_pages(m, "memsw_usage", memsw);
		kscope_show_limit(m, "memsw_max", READ_ONCE(memcg->memsw.max));
		kscope_show_limit(m, "soft_limit", READ_ONCE(memcg->soft_limit));
	}
	kscope_seq_u64(m, "failcnt", READ_ONCE(memcg->memory.failcnt));
	kscope_memcg_events_show(m, memcg);
	for (i = 0; i < ARRAY_SIZE(kscope_memcg_stats); i++) {
		seq_puts(m, "stat.");
		kscope_seq_u64(m, kscope_memcg_stats[i].name,
			       kscope_memcg_stat_sum(memcg, &kscope_memcg_stats[i]));
	}
	if (v2) {
		seq_puts(m, "stat.kernel: unavailable (not exported)\n");
		seq_puts(m, "stat.sock: unavailable (not exported)\n");
	} else {
		kscope_show_pages(m, "stat.kernel",
				  page_counter_read(&memcg->kmem));
		kscope_show_pages(m, "stat.sock",
				  page_counter_read(&memcg->tcpmem));
	}
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
			v[lru] = kscope_memcg_node_state(memcg, nid,
							 NR_LRU_BASE + lru);
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
	seq_puts(m, "memcg: not built\n");
	return 0;
}

int kscope_task_cg_list_show(struct seq_file *m, struct pid_namespace *ns,
			     struct task_struct *task)
{
	return kscope_memcg_not_built(m, ns, task);
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

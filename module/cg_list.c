// SPDX-License-Identifier: GPL-2.0
/*
 * cg_list.c - the per-task file cg_list: a task's css_set, its cgroup on
 * every hierarchy, and the other tasks in the same css_set.
 *
 * Linux 6.1 does not export css_set_lock, so kscope can take no
 * reference on a css_set; it holds the css_set's members instead
 * (struct kscope_cset_pin). css_set_lock is looked up through kallsyms
 * at load when it can be (module/sym.c), so that cg_list walks the
 * css_set's own task lists rather than every task.
 *
 * Built with CONFIG_CGROUPS; nothing here needs a memory cgroup.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/nsproxy.h>
#include <linux/pid.h>
#include <linux/random.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/seq_file.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "kscope_compat.h"
#include "cg_list.h"
#include "fmt.h"
#include "perm.h"
#include "sym.h"
#include "walk.h"

/* Rows of the task list in cg_list; tasks beyond are counted in "more". */
#define KSCOPE_CG_LIST_MAX	4096
/*
 * Entries of a css_set's task lists looked at under css_set_lock (with
 * interrupts off) in one read: the rows, and as many dying tasks more.
 */
#define KSCOPE_CG_LOCK_BUDGET	(2 * KSCOPE_CG_LIST_MAX)

/* How often to retry pinning a css_set that is being torn down. */
#define KSCOPE_CSET_TRIES	3

static siphash_key_t kscope_cset_key;

/**
 * kscope_cg_list_init() - choose the key that hashes css_set ids
 * @root: /proc/kscope (unused)
 *
 * At load, not at the first read: get_random_once() would take a
 * reference on the module until a work item runs, and an rmmod in
 * between would be refused with EAGAIN.
 *
 * Return: 0.
 */
int kscope_cg_list_init(struct proc_dir_entry *root)
{
	get_random_bytes(&kscope_cset_key, sizeof(kscope_cset_key));
	return 0;
}

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
 *      at random at load, so equal ids mean the same css_set and no
 *      reader learns a kernel address
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
void kscope_cgroup_path_show(struct seq_file *m, struct cgroup *cgrp)
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
 * @visited: entries of the css_set's lists looked at under css_set_lock
 * @held_ns: how long css_set_lock was held, ns
 */
struct kscope_cg_walk {
	struct seq_file *m;
	const struct kscope_cset_pin *pin;
	unsigned int listed;
	unsigned int more;
	unsigned int exiting;
	unsigned int hidden;
	unsigned int visited;
	u64 held_ns;
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

	w->visited++;
	if (!nr)
		return true;	/* not in the reader's namespace */
	if (READ_ONCE(t->flags) & PF_EXITING) {
		w->exiting++;
		return true;
	}
	if (*n >= cap)
		return false;
	rows[*n].nr = nr;
	rows[*n].pid = get_task_pid(t, PIDTYPE_PID);
	(*n)++;
	return true;
}

/**
 * kscope_cg_scan_locked() - take rows from the task lists of @cset
 * @w: the walk's state and counts
 * @cset: the css_set, under css_set_lock
 * @ns: the reader's pid namespace
 * @rows: the rows
 * @n: rows used
 * @cap: rows allocated
 *
 * The lock is held with interrupts off, so the walk is bounded as
 * cgroup.threads bounds its own (it drops the lock after each task, but
 * a module cannot keep a place in a css_set's lists): it stops once
 * %KSCOPE_CG_LIST_MAX rows are taken, and the tasks it did not look at
 * are counted in @w->more from the css_set's task count, without being
 * checked for the reader's namespace. Dying tasks are counted for
 * @w->exiting up to %KSCOPE_CG_LOCK_BUDGET entries in all.
 *
 * Return: false when @rows is full short of %KSCOPE_CG_LIST_MAX.
 */
static bool kscope_cg_scan_locked(struct kscope_cg_walk *w, struct css_set *cset,
				  struct pid_namespace *ns,
				  struct kscope_cg_row *rows, unsigned int *n,
				  unsigned int cap)
{
	struct list_head *lists[] = { &cset->tasks, &cset->mg_tasks };
	struct task_struct *t;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lists); i++) {
		list_for_each_entry(t, lists[i], cg_list) {
			if (*n >= KSCOPE_CG_LIST_MAX) {
				/* nr_tasks: the entries of both lists */
				w->more = max_t(int, cset->nr_tasks, w->visited) - w->visited;
				goto dying;
			}
			if (!kscope_cg_take(t, ns, rows, n, cap, w))
				return false;
		}
	}
dying:
	list_for_each_entry(t, &cset->dying_tasks, cg_list) {
		if (w->visited++ >= KSCOPE_CG_LOCK_BUDGET)
			break;
		if (task_pid_nr_ns(t, ns))
			w->exiting++;
	}
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
 * the lists are taken again with twice the room. The time the lock was
 * held is measured for the file (kscope_cg_scan_locked() bounds it).
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
	u64 t0;
	int ret;

again:
	rows = kvmalloc_array(cap, sizeof(*rows), GFP_KERNEL_ACCOUNT);
	if (!rows)
		return -ENOMEM;
	n = 0;
	ret = 0;
	fits = true;
	w->exiting = 0;
	w->more = 0;
	w->visited = 0;
	spin_lock_irq(lock);
	t0 = local_clock();
	rcu_read_lock();
	cset = task_css_set(task);
	if (kscope_cset_matches(cset, w->pin))
		fits = kscope_cg_scan_locked(w, cset, ns, rows, &n, cap);
	else
		ret = -EAGAIN;
	rcu_read_unlock();
	w->held_ns = max(w->held_ns, local_clock() - t0);
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
	if (lock) {
		kscope_seq_u64(m, "lock_entries", w.visited);
		kscope_seq_u64(m, "lock_held_us", div_u64(w.held_ns, NSEC_PER_USEC));
	}

	kscope_cset_unpin(&pin, CGROUP_SUBSYS_COUNT);
	return ret;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * loadavg.c - /proc/kscope/loadavg: the load averages as the kernel
 * holds them, and what feeds the next sample right now.
 *
 * Every LOAD_FREQ (5 s) calc_global_load() folds nr_running +
 * nr_uninterruptible of all CPUs into avenrun[]. kscope walks every task
 * of the system and sorts it by the scheduler's own view: on a runqueue
 * (in nr_running), dequeued with sched_contributes_to_load set (in
 * nr_uninterruptible), or not counted at all, by the letter /proc shows.
 * On 6.12 a task that went to sleep while not eligible (EEVDF delayed
 * dequeue) stays queued, and in nr_running, until it is picked or woken;
 * it is counted there, as the kernel counts it, and named in
 * runnable_delayed.
 * The uninterruptible tasks are listed with how long they have been
 * blocked: they are the usual answer to "why is my load high while my
 * CPUs are idle".
 *
 * The walk happens when the file is read from its start; the rest of
 * the read, whatever its size, prints that one snapshot.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/sched/loadavg.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "kscope.h"
#include "kscope_compat.h"
#include "fmt.h"
#include "loadavg.h"
#include "perm.h"
#include "sched.h"
#include "state.h"
#include "walk.h"

/**
 * kscope_loadavg_snprint() - a load average as /proc/loadavg prints it
 * @buf: output buffer
 * @size: size of @buf
 * @raw: an avenrun[] value, fixed-point with FSHIFT fractional bits
 *
 * fs/proc/loadavg.c adds FIXED_1/200 (0.005) to round to two decimals,
 * then prints the integer part and the first two decimals, truncated.
 *
 * Return: the length of the full string, as snprintf() does.
 */
int kscope_loadavg_snprint(char *buf, size_t size, unsigned long raw)
{
	unsigned long rounded = raw + FIXED_1 / 200;

	return snprintf(buf, size, "%lu.%02lu", LOAD_INT(rounded),
			LOAD_FRAC(rounded));
}
EXPORT_SYMBOL_IF_KUNIT(kscope_loadavg_snprint);

/* at most this many uninterruptible tasks are listed; the rest counted */
#define KSCOPE_LOADAVG_MAX_LIST	10000
#define KSCOPE_LOADAVG_FIRST_LIST	64

/**
 * struct kscope_loadavg_task - one uninterruptible task that counts
 * @pid: thread id in the reader's pid namespace
 * @tgid: thread group id in the reader's pid namespace
 * @letter: state letter, as /proc/<pid>/stat shows it
 * @comm: command name
 * @age: how long it has been blocked, if the scheduler recorded it
 */
struct kscope_loadavg_task {
	pid_t pid;
	pid_t tgid;
	char letter;
	char comm[TASK_COMM_LEN];
	struct kscope_state_age age;
};

/**
 * struct kscope_loadavg_snap - the result of one walk over all tasks
 * @ns: the reader's pid namespace
 * @sb: the reader's procfs instance, for its hidepid= rule
 * @avenrun: avenrun[] read before the walk
 * @tasks: tasks seen
 * @hidden: of those, not visible to the reader: not in @ns, or hidden
 *          by hidepid=
 * @runnable: on a runqueue: in nr_running
 * @delayed: of those, asleep but not yet dequeued (EEVDF delayed
 *           dequeue, 6.12): shown S or D, yet in nr_running
 * @uninterruptible: dequeued, sched_contributes_to_load: in
 *                   nr_uninterruptible
 * @idle: not counting, shown I (TASK_IDLE: UNINTERRUPTIBLE|NOLOAD)
 * @blocked: not counting, shown D (frozen, for one)
 * @sleeping: not counting, shown S
 * @other: not counting, any other state (T t Z X P, or being woken)
 * @unint_hidden: uninterruptible tasks not visible, not listed
 * @unint_unlisted: visible uninterruptible tasks beyond @cap
 * @list: the visible uninterruptible tasks, in pid order
 * @nr: entries used in @list
 * @cap: entries allocated in @list
 */
struct kscope_loadavg_snap {
	struct pid_namespace *ns;
	struct super_block *sb;
	unsigned long avenrun[3];
	unsigned long tasks;
	unsigned long hidden;
	unsigned long runnable;
	unsigned long delayed;
	unsigned long uninterruptible;
	unsigned long idle;
	unsigned long blocked;
	unsigned long sleeping;
	unsigned long other;
	unsigned long unint_hidden;
	unsigned long unint_unlisted;
	struct kscope_loadavg_task *list;
	unsigned int nr;
	unsigned int cap;
};

/* kscope_walk_fn: under RCU; sorts one task */
static int kscope_loadavg_visit(struct task_struct *p, pid_t nr, void *arg)
{
	struct kscope_loadavg_snap *s = arg;
	unsigned int state = kscope_task_raw_state(p);
	int on_rq = READ_ONCE(p->on_rq);
	struct kscope_loadavg_task *t;
	struct kscope_state st;
	bool visible;
	pid_t vnr;

	kscope_state_decode(state, READ_ONCE(p->exit_state), &st);
	vnr = task_pid_nr_ns(p, s->ns);
	visible = vnr && !kscope_task_access(s->sb, p);
	s->tasks++;
	if (!visible)
		s->hidden++;

	if (on_rq) {
		s->runnable++;
		if (kscope_task_delayed(p))
			s->delayed++;
		return 0;
	}
	if (!kscope_state_counts_in_load(on_rq, p->sched_contributes_to_load)) {
		switch (st.letter) {
		case 'I':
			s->idle++;
			break;
		case 'D':
			s->blocked++;
			break;
		case 'S':
			s->sleeping++;
			break;
		default:
			s->other++;
		}
		return 0;
	}

	s->uninterruptible++;
	if (!visible) {
		s->unint_hidden++;
		return 0;
	}
	if (s->nr == s->cap) {
		s->unint_unlisted++;
		return 0;
	}
	t = &s->list[s->nr++];
	t->pid = vnr;
	t->tgid = task_tgid_nr_ns(p, s->ns);
	t->letter = st.letter;
	__get_task_comm(t->comm, sizeof(t->comm), p);
	kscope_task_state_age(p, &t->age);
	return 0;
}

static void kscope_loadavg_reset(struct kscope_loadavg_snap *s)
{
	struct kscope_loadavg_task *list = s->list;
	struct pid_namespace *ns = s->ns;
	struct super_block *sb = s->sb;
	unsigned int cap = s->cap;

	memset(s, 0, sizeof(*s));
	s->list = list;
	s->cap = cap;
	s->ns = ns;
	s->sb = sb;
}

/*
 * Walk every task. If more uninterruptible tasks are visible than the
 * list holds, grow it to fit them (up to KSCOPE_LOADAVG_MAX_LIST) and
 * walk again: the list must be allocated outside the RCU section.
 */
static int kscope_loadavg_collect(struct kscope_loadavg_snap *s)
{
	int tries, ret;

	for (tries = 0; ; tries++) {
		unsigned int want;

		kscope_loadavg_reset(s);
		s->avenrun[0] = READ_ONCE(avenrun[0]);
		s->avenrun[1] = READ_ONCE(avenrun[1]);
		s->avenrun[2] = READ_ONCE(avenrun[2]);
		ret = kscope_walk_tasks(&init_pid_ns, kscope_loadavg_visit, s);
		if (ret)
			return ret;
		if (!s->unint_unlisted || s->cap >= KSCOPE_LOADAVG_MAX_LIST ||
		    tries == 3)
			return 0;

		want = min_t(unsigned long, KSCOPE_LOADAVG_MAX_LIST,
			     2 * (s->nr + s->unint_unlisted));
		kvfree(s->list);
		s->cap = 0;
		s->list = kvmalloc_array(want, sizeof(*s->list), GFP_KERNEL_ACCOUNT);
		if (!s->list)
			return -ENOMEM;
		s->cap = want;
	}
}

static void kscope_loadavg_put(struct seq_file *m, const char *name,
			       unsigned long v)
{
	kscope_seq_u64(m, name, v);
}

#define KSCOPE_LOADAVG_HDR_FMT	"%7s %7s %5s %16s %-16s %s\n"

static void kscope_loadavg_header_show(struct seq_file *m,
				       const struct kscope_loadavg_snap *s)
{
	static const char * const names[] = { "load1", "load5", "load15" };
	char buf[32];
	int i;

	for (i = 0; i < 3; i++) {
		kscope_loadavg_snprint(buf, sizeof(buf), s->avenrun[i]);
		kscope_seq_str(m, names[i], buf);
	}
	for (i = 0; i < 3; i++) {
		seq_puts(m, names[i]);
		kscope_seq_u64(m, "_raw", s->avenrun[i]);
	}
	kscope_loadavg_put(m, "fixed_1", FIXED_1);
	kscope_loadavg_put(m, "tasks", s->tasks);
	kscope_loadavg_put(m, "hidden", s->hidden);
	kscope_loadavg_put(m, "runnable", s->runnable);
	kscope_loadavg_put(m, "runnable_delayed", s->delayed);
	kscope_loadavg_put(m, "uninterruptible", s->uninterruptible);
	kscope_loadavg_put(m, "counting", s->runnable + s->uninterruptible);
	kscope_loadavg_put(m, "not_counting",
			   s->idle + s->blocked + s->sleeping + s->other);
	kscope_loadavg_put(m, "not_counting_idle", s->idle);
	kscope_loadavg_put(m, "not_counting_blocked", s->blocked);
	kscope_loadavg_put(m, "not_counting_sleeping", s->sleeping);
	kscope_loadavg_put(m, "not_counting_other", s->other);
	kscope_loadavg_put(m, "uninterruptible_listed", s->nr);
	kscope_loadavg_put(m, "uninterruptible_hidden", s->unint_hidden);
	kscope_loadavg_put(m, "uninterruptible_unlisted", s->unint_unlisted);
	seq_putc(m, '\n');
	seq_printf(m, KSCOPE_LOADAVG_HDR_FMT, "PID", "TGID", "STATE",
		   "BLOCKED_NS", "COMM", "SOURCE");
}

static void kscope_loadavg_task_show(struct seq_file *m,
				     const struct kscope_loadavg_task *t)
{
	size_t start;

	seq_printf(m, "%7d %7d %5c ", t->pid, t->tgid, t->letter);
	if (t->age.source == KSCOPE_AGE_UNKNOWN)
		seq_printf(m, "%16s ", "unknown");
	else
		seq_printf(m, "%16llu ", t->age.ns);
	/* like /proc/mounts: a space in a name is \040, so columns split */
	start = m->count;
	seq_escape(m, t->comm, " \t\n\\");
	if (m->count >= start)
		seq_printf(m, "%*s", (int)(16 - min_t(size_t, 16, m->count - start)), "");
	seq_printf(m, " %s\n", t->age.source == KSCOPE_AGE_UNKNOWN ?
		   t->age.why : kscope_age_source_name(t->age.source));
}

/* position 0 is the summary and walks; position n >= 1 is list[n - 1] */
static void *kscope_loadavg_start(struct seq_file *m, loff_t *pos)
{
	struct kscope_loadavg_snap *s = m->private;
	int ret;

	if (*pos == 0) {
		ret = kscope_loadavg_collect(s);
		if (ret)
			return ERR_PTR(ret);
		return SEQ_START_TOKEN;
	}
	if (*pos > s->nr)
		return NULL;
	return &s->list[*pos - 1];
}

static void *kscope_loadavg_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct kscope_loadavg_snap *s = m->private;

	(*pos)++;
	if (*pos > s->nr)
		return NULL;
	return &s->list[*pos - 1];
}

static void kscope_loadavg_stop(struct seq_file *m, void *v)
{
}

static int kscope_loadavg_show(struct seq_file *m, void *v)
{
	if (v == SEQ_START_TOKEN)
		kscope_loadavg_header_show(m, m->private);
	else
		kscope_loadavg_task_show(m, v);
	return 0;
}

static const struct seq_operations kscope_loadavg_seq_ops = {
	.start	= kscope_loadavg_start,
	.next	= kscope_loadavg_next,
	.stop	= kscope_loadavg_stop,
	.show	= kscope_loadavg_show,
};

static int kscope_loadavg_open(struct inode *inode, struct file *file)
{
	struct kscope_loadavg_snap *s;
	struct seq_file *m;
	int ret;

	ret = seq_open_private(file, &kscope_loadavg_seq_ops, sizeof(*s));
	if (ret)
		return ret;
	m = file->private_data;
	s = m->private;
	s->ns = kscope_seq_pid_ns(m);
	s->sb = file_inode(file)->i_sb;
	s->list = kvmalloc_array(KSCOPE_LOADAVG_FIRST_LIST, sizeof(*s->list),
				 GFP_KERNEL_ACCOUNT);
	if (!s->list) {
		seq_release_private(inode, file);
		return -ENOMEM;
	}
	s->cap = KSCOPE_LOADAVG_FIRST_LIST;
	return 0;
}

static int kscope_loadavg_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;
	struct kscope_loadavg_snap *s = m->private;

	kvfree(s->list);
	return seq_release_private(inode, file);
}

const struct proc_ops kscope_loadavg_proc_ops = {
	.proc_open	= kscope_loadavg_open,
	.proc_read_iter	= seq_read_iter,
	.proc_lseek	= seq_lseek,
	.proc_release	= kscope_loadavg_release,
};

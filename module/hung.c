// SPDX-License-Identifier: GPL-2.0
/*
 * hung.c - /proc/kscope/hung and hung_history: tasks stuck in D, by the
 * rules of kernel/hung_task.c, with how long each has been blocked.
 *
 * khungtaskd looks every hung_task_timeout_secs (120 s) at every thread
 * in TASK_UNINTERRUPTIBLE that is neither killable, idle (NOLOAD) nor
 * frozen, and reports, once and to the log only, those whose context
 * switch count has not moved since its previous look. kscope applies
 * the same rules, but as a list that can be read at any time, with a
 * threshold root sets, and a count and history of the tasks that
 * crossed it. It never writes to the log, never panics, and never
 * writes the fields khungtaskd keeps in task_struct.
 *
 * A scanner (delayed work, every period_ms) walks all tasks with
 * kscope_walk_tasks(), which holds the RCU read lock for a bounded batch
 * at a time, and keeps a record of each blocked task: the switch count
 * it was seen blocked with and when. How long a task has been blocked
 * comes from the best source there is:
 *
 *  - block_start: the scheduler's own timestamp, exact, kept only while
 *    schedstats are on (kernel.sched_schedstats=1);
 *  - khungtaskd: last_switch_time, when khungtaskd has seen the task with
 *    its current switch count: blocked at least since that look;
 *  - scan: blocked at least since kscope's first scan that saw it, so
 *    less than one period short of the truth.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/hashtable.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/proc_fs.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>

#include "kscope.h"
#include "kscope_compat.h"
#include "fmt.h"
#include "hung.h"
#include "perm.h"
#include "sched.h"
#include "sym.h"
#include "walk.h"

#define KSCOPE_HUNG_MAX_THRESHOLD_MS	(24U * 3600 * 1000)
#define KSCOPE_HUNG_MIN_PERIOD_MS	10U
#define KSCOPE_HUNG_MAX_PERIOD_MS	60000U
#define KSCOPE_HUNG_MAX_WRITE		256
#define KSCOPE_HUNG_STACK_DEPTH		32
#define KSCOPE_HUNG_HASH_BITS		8
/* kscope_hung_threshold_ms(): no threshold, nothing is hung */
#define KSCOPE_HUNG_OFF			UINT_MAX

static int hung_threshold_ms = -1;
module_param(hung_threshold_ms, int, 0444);
MODULE_PARM_DESC(hung_threshold_ms,
		 "Blocked time from which /proc/kscope/hung lists a task, ms; -1 follows kernel.hung_task_timeout_secs (default -1)");

static unsigned int hung_period_ms = 1000;
module_param(hung_period_ms, uint, 0444);
MODULE_PARM_DESC(hung_period_ms,
		 "Period of the blocked-task scanner, ms; 0 stops it (default 1000)");

static unsigned int hung_history = 64;
module_param(hung_history, uint, 0444);
MODULE_PARM_DESC(hung_history,
		 "Threshold crossings kept in /proc/kscope/hung_history, 1 to 4096 (default 64)");

static unsigned int hung_max_tracked = 4096;
module_param(hung_max_tracked, uint, 0444);
MODULE_PARM_DESC(hung_max_tracked,
		 "Most blocked tasks the scanner follows at once, 16 to 65536 (default 4096)");

/**
 * struct kscope_hung_obs - what one look at a blocked task shows
 * @switches: nvcsw + nivcsw
 * @state: the state word
 * @kh: whether the kernel keeps khungtaskd's fields
 * @kh_count: khungtaskd's last_switch_count
 * @kh_time: khungtaskd's last_switch_time, jiffies
 * @age: the scheduler's record of when it blocked, if kept
 * @comm: command name
 */
struct kscope_hung_obs {
	unsigned long switches;
	unsigned int state;
	bool kh;
	unsigned long kh_count;
	unsigned long kh_time;
	struct kscope_state_age age;
	char comm[TASK_COMM_LEN];
};

/**
 * struct kscope_hung_cand - a blocked task found by a scan
 * @pid: its pid, referenced
 * @tgid: its thread group's pid, referenced
 * @obs: what the scan saw
 */
struct kscope_hung_cand {
	struct pid *pid;
	struct pid *tgid;
	struct kscope_hung_obs obs;
};

/**
 * struct kscope_hung_track - a blocked task the scanner follows
 * @node: in kscope_hung_tracks, hashed by @pid
 * @pid: its pid, referenced
 * @tgid: its thread group's pid, referenced
 * @switches: the switch count it has been blocked with
 * @seen_ns: boot time of the first scan that saw it blocked so
 * @gen: the last scan that saw it
 * @event: its slot in the history once it crossed the threshold, or -1
 * @event_seq: that event's sequence number, to notice it was recycled
 */
struct kscope_hung_track {
	struct hlist_node node;
	struct pid *pid;
	struct pid *tgid;
	unsigned long switches;
	u64 seen_ns;
	unsigned int gen;
	int event;
	u64 event_seq;
};

/**
 * struct kscope_hung_event - a task that crossed the threshold
 * @seq: 1 for the first crossing since load, 0 for an unused slot
 * @since_ns: boot time it blocked at, as best known
 * @blocked_ns: the longest it was seen blocked
 * @pid: its pid, referenced
 * @tgid: its thread group's pid, referenced
 * @switches: the switch count it was blocked with
 * @ended: a scan found it no longer blocked (woke, or exited)
 * @comm: command name
 */
struct kscope_hung_event {
	u64 seq;
	u64 since_ns;
	u64 blocked_ns;
	struct pid *pid;
	struct pid *tgid;
	unsigned long switches;
	bool ended;
	char comm[TASK_COMM_LEN];
};

/* everything below is under kscope_hung_lock */
static DEFINE_MUTEX(kscope_hung_lock);
static DEFINE_HASHTABLE(kscope_hung_tracks, KSCOPE_HUNG_HASH_BITS);
static unsigned int kscope_hung_ntracked;
static unsigned int kscope_hung_gen;
static struct kscope_hung_cand *kscope_hung_cands;
static unsigned int kscope_hung_ncands;
static unsigned long kscope_hung_overflow;
static struct kscope_hung_event *kscope_hung_events;
static u64 kscope_hung_crossed;
static u64 kscope_hung_scans;
static struct kscope_walk_stats kscope_hung_last;
static u64 kscope_hung_max_hold_ns;
static u64 kscope_hung_sum_ns;
static u64 kscope_hung_sum_tasks;

/* read locklessly by readers and the scanner */
static int kscope_hung_threshold = -1;		/* ms; -1: the kernel's */
static unsigned int kscope_hung_period;		/* ms; 0: stopped */
static bool kscope_hung_stopping;

/* serialises writers: a setting is read, changed and applied whole */
static DEFINE_MUTEX(kscope_hung_conf_lock);

static void kscope_hung_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(kscope_hung_work, kscope_hung_work_fn);

/**
 * kscope_hung_rule() - whether khungtaskd would look at a task
 * @state: the task's state word
 * @switches: its nvcsw + nivcsw
 *
 * check_hung_uninterruptible_tasks() and check_hung_task() of 6.1:
 * TASK_UNINTERRUPTIBLE, but not killable (TASK_WAKEKILL), not idle
 * (TASK_NOLOAD), not frozen, and switched out at least once.
 */
bool kscope_hung_rule(unsigned int state, unsigned long switches)
{
	return (state & TASK_UNINTERRUPTIBLE) && !(state & TASK_WAKEKILL) &&
	       !(state & TASK_NOLOAD) && !(state & TASK_FROZEN) && switches;
}
EXPORT_SYMBOL_IF_KUNIT(kscope_hung_rule);

/**
 * kscope_khung_would_report() - check_hung_task()'s verdict, now
 * @timeout_secs: kernel.hung_task_timeout_secs; 0 disables detection
 * @switches: the task's nvcsw + nivcsw now
 * @last_count: its last_switch_count
 * @last_time: its last_switch_time
 * @now: jiffies
 *
 * A task is hung for khungtaskd when it has not switched since
 * khungtaskd last recorded its count, and that was at least the timeout
 * ago. Whether khungtaskd then prints it depends on its warning budget.
 */
bool kscope_khung_would_report(unsigned long timeout_secs,
			       unsigned long switches, unsigned long last_count,
			       unsigned long last_time, unsigned long now)
{
	if (!timeout_secs || switches != last_count)
		return false;
	return !time_after(last_time + timeout_secs * HZ, now);
}
EXPORT_SYMBOL_IF_KUNIT(kscope_khung_would_report);

/**
 * kscope_hung_threshold_ms() - the threshold in force
 * @why: if not NULL, set to where it comes from, for the summary
 *
 * One set by the parameter or a write is used as it is. One that
 * follows the kernel is kernel.hung_task_timeout_secs, read each time,
 * with khungtaskd's meaning: 0 switches detection off, and so kscope's
 * threshold too, as kscope_khung_would_report() says no. When the
 * sysctl cannot be read (a kernel without CONFIG_DETECT_HUNG_TASK, or
 * its symbol not found: see module/sym.c) there is nothing to follow,
 * and the threshold is off rather than a guess such as the build-time
 * default, which the sysctl may have been changed from.
 *
 * Return: ms, or %KSCOPE_HUNG_OFF: no task is listed, none crosses.
 */
static unsigned int kscope_hung_threshold_ms(const char **why)
{
	int set = READ_ONCE(kscope_hung_threshold);
	const char *dummy;
	unsigned long secs;

	why = why ? why : &dummy;
	if (set >= 0) {
		*why = "set";
		return set;
	}
	if (!IS_ENABLED(CONFIG_DETECT_HUNG_TASK)) {
		*why = "follows kernel.hung_task_timeout_secs: no khungtaskd in this kernel";
		return KSCOPE_HUNG_OFF;
	}
	if (kscope_hung_timeout(&secs)) {
		*why = "follows kernel.hung_task_timeout_secs, which was not found";
		return KSCOPE_HUNG_OFF;
	}
	if (!secs) {
		*why = "kernel.hung_task_timeout_secs is 0: khungtaskd is off";
		return KSCOPE_HUNG_OFF;
	}
	*why = "kernel.hung_task_timeout_secs";
	return min_t(unsigned long, secs, KSCOPE_HUNG_MAX_THRESHOLD_MS / 1000) * 1000;
}

static void kscope_hung_observe(struct task_struct *t,
				struct kscope_hung_obs *o)
{
	o->state = kscope_task_raw_state(t);
	o->switches = READ_ONCE(t->nvcsw) + READ_ONCE(t->nivcsw);
	o->kh = kscope_task_last_switch(t, &o->kh_count, &o->kh_time);
	kscope_task_state_age(t, &o->age);
	__get_task_comm(o->comm, sizeof(o->comm), t);
}

/**
 * kscope_hung_blocked() - how long a followed task has been blocked
 * @seen_ns: boot time of kscope's first scan that saw it blocked
 * @o: a look at it now
 * @now: boot time now
 * @source: set to the name of the source used
 *
 * Return: ns; exact from block_start, else the longer of two lower
 * bounds, kscope's first sighting and khungtaskd's.
 */
static u64 kscope_hung_blocked(u64 seen_ns, const struct kscope_hung_obs *o,
			       u64 now, const char **source)
{
	u64 ns, kh;

	if (o->age.source == KSCOPE_AGE_BLOCK) {
		*source = "block_start";
		return o->age.ns;
	}
	ns = now > seen_ns ? now - seen_ns : 0;
	*source = "scan";
	if (o->kh && o->kh_time && o->kh_count == o->switches) {
		kh = jiffies_to_nsecs(jiffies - o->kh_time);
		if (kh > ns) {
			ns = kh;
			*source = "khungtaskd";
		}
	}
	return ns;
}

/* kscope_walk_fn: under RCU; collects the tasks khungtaskd would check */
static int kscope_hung_visit(struct task_struct *t, pid_t nr, void *arg)
{
	unsigned int state = kscope_task_raw_state(t);
	struct kscope_hung_cand *c;

	if (!kscope_hung_rule(state, READ_ONCE(t->nvcsw) + READ_ONCE(t->nivcsw)))
		return 0;
	if (kscope_hung_ncands == hung_max_tracked) {
		kscope_hung_overflow++;
		return 0;
	}
	c = &kscope_hung_cands[kscope_hung_ncands++];
	c->pid = get_pid(task_pid(t));
	c->tgid = get_pid(task_tgid(t));
	kscope_hung_observe(t, &c->obs);
	return 0;
}

static struct kscope_hung_track *kscope_hung_find(struct pid *pid)
{
	struct kscope_hung_track *tr;

	hash_for_each_possible(kscope_hung_tracks, tr, node, (unsigned long)pid)
		if (tr->pid == pid)
			return tr;
	return NULL;
}

/* the history slot @tr crossed into, if it still holds that crossing */
static struct kscope_hung_event *kscope_hung_track_event(struct kscope_hung_track *tr)
{
	struct kscope_hung_event *ev;

	if (tr->event < 0)
		return NULL;
	ev = &kscope_hung_events[tr->event];
	return ev->seq == tr->event_seq ? ev : NULL;
}

/* @tr is no longer blocked as it was: close its crossing, if any */
static void kscope_hung_track_end(struct kscope_hung_track *tr)
{
	struct kscope_hung_event *ev = kscope_hung_track_event(tr);

	if (ev)
		ev->ended = true;
	tr->event = -1;
}

static void kscope_hung_track_free(struct kscope_hung_track *tr)
{
	kscope_hung_track_end(tr);
	hash_del(&tr->node);
	put_pid(tr->pid);
	put_pid(tr->tgid);
	kfree(tr);
	kscope_hung_ntracked--;
}

/* the history slot of crossing number @seq (1-based) */
static unsigned int kscope_hung_slot(u64 seq)
{
	u64 n = seq - 1;

	return do_div(n, hung_history);
}

/* record that @tr crossed the threshold, in the oldest history slot */
static void kscope_hung_cross(struct kscope_hung_track *tr,
			      const struct kscope_hung_obs *o, u64 now,
			      u64 blocked)
{
	unsigned int slot = kscope_hung_slot(++kscope_hung_crossed);
	struct kscope_hung_event *ev = &kscope_hung_events[slot];

	put_pid(ev->pid);
	put_pid(ev->tgid);
	ev->seq = kscope_hung_crossed;
	ev->since_ns = now - min(now, blocked);
	ev->blocked_ns = blocked;
	ev->pid = get_pid(tr->pid);
	ev->tgid = get_pid(tr->tgid);
	ev->switches = tr->switches;
	ev->ended = false;
	strscpy(ev->comm, o->comm, sizeof(ev->comm));
	tr->event = slot;
	tr->event_seq = ev->seq;
}

/* merge one scan's candidate into the followed tasks */
static void kscope_hung_merge(struct kscope_hung_cand *c, u64 now, u64 threshold)
{
	struct kscope_hung_track *tr = kscope_hung_find(c->pid);
	struct kscope_hung_event *ev;
	const char *source;
	u64 blocked;

	if (tr && tr->switches != c->obs.switches) {
		/* it ran and blocked again since the last scan */
		kscope_hung_track_end(tr);
		tr->switches = c->obs.switches;
		tr->seen_ns = now;
	}
	if (!tr) {
		tr = kzalloc(sizeof(*tr), GFP_KERNEL);
		if (!tr) {
			kscope_hung_overflow++;
			return;
		}
		tr->pid = c->pid;
		tr->tgid = c->tgid;
		c->pid = NULL;
		c->tgid = NULL;
		tr->switches = c->obs.switches;
		tr->seen_ns = now;
		tr->event = -1;
		hash_add(kscope_hung_tracks, &tr->node, (unsigned long)tr->pid);
		kscope_hung_ntracked++;
	}
	tr->gen = kscope_hung_gen;

	blocked = kscope_hung_blocked(tr->seen_ns, &c->obs, now, &source);
	ev = kscope_hung_track_event(tr);
	if (ev)
		ev->blocked_ns = max(ev->blocked_ns, blocked);
	else if (threshold != U64_MAX && blocked >= threshold && tr->event < 0)
		kscope_hung_cross(tr, &c->obs, now, blocked);
}

/**
 * kscope_hung_scan() - one look at every task
 *
 * The walk collects the candidates under RCU, into a preallocated array;
 * they are merged into the followed set afterwards, where memory can be
 * allocated and the history written.
 */
static void kscope_hung_scan(void)
{
	unsigned int ms = kscope_hung_threshold_ms(NULL);
	u64 threshold = ms == KSCOPE_HUNG_OFF ? U64_MAX : (u64)ms * NSEC_PER_MSEC;
	struct kscope_hung_track *tr;
	struct hlist_node *tmp;
	struct kscope_walk_stats st;
	unsigned int i, bkt;
	u64 now;

	mutex_lock(&kscope_hung_lock);
	kscope_hung_ncands = 0;
	kscope_walk_tasks_stats(&init_pid_ns, kscope_hung_visit, NULL, &st);

	now = ktime_get_boottime_ns();
	kscope_hung_gen++;
	for (i = 0; i < kscope_hung_ncands; i++) {
		struct kscope_hung_cand *c = &kscope_hung_cands[i];

		kscope_hung_merge(c, now, threshold);
		put_pid(c->pid);
		put_pid(c->tgid);
	}
	hash_for_each_safe(kscope_hung_tracks, bkt, tmp, tr, node)
		if (tr->gen != kscope_hung_gen)
			kscope_hung_track_free(tr);

	kscope_hung_scans++;
	kscope_hung_last = st;
	kscope_hung_max_hold_ns = max(kscope_hung_max_hold_ns, st.max_hold_ns);
	kscope_hung_sum_ns += st.total_ns;
	kscope_hung_sum_tasks += st.tasks;
	mutex_unlock(&kscope_hung_lock);
}

static void kscope_hung_work_fn(struct work_struct *work)
{
	unsigned int period;

	kscope_hung_scan();
	period = READ_ONCE(kscope_hung_period);
	if (period && !READ_ONCE(kscope_hung_stopping))
		queue_delayed_work(system_unbound_wq, &kscope_hung_work,
				   msecs_to_jiffies(period));
}

/* stop following tasks: with the scanner off, nothing would update them */
static void kscope_hung_forget(void)
{
	struct kscope_hung_track *tr;
	struct hlist_node *tmp;
	unsigned int bkt;

	mutex_lock(&kscope_hung_lock);
	hash_for_each_safe(kscope_hung_tracks, bkt, tmp, tr, node)
		kscope_hung_track_free(tr);
	mutex_unlock(&kscope_hung_lock);
}

/**
 * struct kscope_hung_row - a followed task, as a read found it
 * @pid: referenced
 * @tgid: referenced
 * @switches: the switch count it was blocked with
 * @seen_ns: kscope's first sighting
 */
struct kscope_hung_row {
	struct pid *pid;
	struct pid *tgid;
	unsigned long switches;
	u64 seen_ns;
};

/**
 * struct kscope_hung_reader - an open /proc/kscope/hung
 * @ns: the reader's pid namespace
 * @root: the reader may see kernel stacks
 * @rows: the followed tasks when the read started
 * @nr: entries in @rows
 * @threshold: ms or %KSCOPE_HUNG_OFF, when the read started
 * @why: where @threshold comes from
 */
struct kscope_hung_reader {
	struct pid_namespace *ns;
	bool root;
	struct kscope_hung_row *rows;
	unsigned int nr;
	unsigned int threshold;
	const char *why;
};

static void kscope_hung_rows_put(struct kscope_hung_reader *r)
{
	unsigned int i;

	for (i = 0; i < r->nr; i++) {
		put_pid(r->rows[i].pid);
		put_pid(r->rows[i].tgid);
	}
	kvfree(r->rows);
	r->rows = NULL;
	r->nr = 0;
}

static int kscope_hung_rows_get(struct kscope_hung_reader *r)
{
	struct kscope_hung_track *tr;
	unsigned int bkt;

	kscope_hung_rows_put(r);
	mutex_lock(&kscope_hung_lock);
	if (kscope_hung_ntracked) {
		r->rows = kvmalloc_array(kscope_hung_ntracked, sizeof(*r->rows),
					 GFP_KERNEL_ACCOUNT);
		if (!r->rows) {
			mutex_unlock(&kscope_hung_lock);
			return -ENOMEM;
		}
	}
	hash_for_each(kscope_hung_tracks, bkt, tr, node) {
		struct kscope_hung_row *row = &r->rows[r->nr++];

		row->pid = get_pid(tr->pid);
		row->tgid = get_pid(tr->tgid);
		row->switches = tr->switches;
		row->seen_ns = tr->seen_ns;
	}
	mutex_unlock(&kscope_hung_lock);
	return 0;
}

static void kscope_hung_summary_show(struct seq_file *m,
				     struct kscope_hung_reader *r)
{
	unsigned long secs;
	int left;

	if (r->threshold == KSCOPE_HUNG_OFF)
		seq_puts(m, "threshold_ms: off");
	else
		seq_put_decimal_ull(m, "threshold_ms: ", r->threshold);
	seq_printf(m, " (%s)\n", r->why);
	seq_put_decimal_ull(m, "period_ms: ", READ_ONCE(kscope_hung_period));
	seq_puts(m, READ_ONCE(kscope_hung_period) ? "\n" :
		 " (scanner stopped)\n");
	if (kscope_hung_timeout(&secs))
		seq_puts(m, "khungtaskd_timeout_s: unknown\n");
	else
		kscope_seq_u64(m, "khungtaskd_timeout_s", secs);
	if (kscope_hung_warnings_left(&left))
		seq_puts(m, "khungtaskd_warnings_left: unknown\n");
	else
		kscope_seq_s64(m, "khungtaskd_warnings_left", left);

	mutex_lock(&kscope_hung_lock);
	kscope_seq_u64(m, "scans", kscope_hung_scans);
	kscope_seq_u64(m, "last_scan_tasks", kscope_hung_last.tasks);
	kscope_seq_u64(m, "last_scan_us",
		       div_u64(kscope_hung_last.total_ns, NSEC_PER_USEC));
	kscope_seq_u64(m, "last_scan_rcu_sections", kscope_hung_last.batches);
	kscope_seq_u64(m, "scan_ns_per_task", kscope_hung_sum_tasks ?
		       div64_u64(kscope_hung_sum_ns, kscope_hung_sum_tasks) : 0);
	kscope_seq_u64(m, "max_rcu_hold_us",
		       div_u64(kscope_hung_max_hold_ns, NSEC_PER_USEC));
	kscope_seq_u64(m, "tracked", kscope_hung_ntracked);
	kscope_seq_u64(m, "overflow", kscope_hung_overflow);
	kscope_seq_u64(m, "crossed", kscope_hung_crossed);
	mutex_unlock(&kscope_hung_lock);
	seq_printf(m, "\n%7s %7s %-10s %10s %-11s %-7s %s\n", "PID", "TGID",
		   "RAW", "BLOCKED_MS", "SOURCE", "KHUNG", "COMM");
}

/**
 * kscope_hung_stack_show() - @t's kernel stack, under /proc/<pid>/stack's rules
 * @m: output
 * @t: the task, referenced
 * @o: what the row showed of it
 *
 * Besides CAP_SYS_ADMIN at open (the caller's @r->root), the reader must
 * pass ptrace_may_access(PTRACE_MODE_ATTACH_FSCREDS), which runs the
 * LSM and Yama hooks, with exec_update_lock held so that the task does
 * not exec into another image meanwhile: what proc_pid_stack() does.
 * Without ptrace_may_access() (not exported; see module/sym.c: on a
 * kernel with IBT, such as Debian's 6.12, kallsyms is not called) that
 * check cannot be made, and no stack is shown; the file says why. The task may have woken
 * between the row's look and the unwind: then the stack is no longer
 * the blocked one's, and it is not shown either.
 */
static void kscope_hung_stack_show(struct seq_file *m, struct task_struct *t,
				   const struct kscope_hung_obs *o)
{
	unsigned long entries[KSCOPE_HUNG_STACK_DEPTH];
	unsigned long switches;
	int i, n, may;

	if (down_read_killable(&t->signal->exec_update_lock)) {
		seq_puts(m, "    stack not shown: interrupted\n");
		return;
	}
	may = kscope_ptrace_may_attach(t);
	n = may > 0 ? kscope_stack_save(t, entries, ARRAY_SIZE(entries)) : 0;
	up_read(&t->signal->exec_update_lock);
	if (may < 0) {
		seq_printf(m, "    stack not shown: ptrace_may_access() unknown (%s), so the ptrace check of /proc/<pid>/stack cannot be made\n",
			   kscope_sym_why_unknown());
		return;
	}
	if (!may) {
		seq_puts(m, "    stack not shown: no ptrace access to the task (as /proc/<pid>/stack)\n");
		return;
	}
	if (n < 0) {
		seq_puts(m, "    stack unavailable (stack_trace_save_tsk not found)\n");
		return;
	}
	switches = READ_ONCE(t->nvcsw) + READ_ONCE(t->nivcsw);
	if (switches != o->switches ||
	    !kscope_hung_rule(kscope_task_raw_state(t), switches)) {
		seq_puts(m, "    stack not shown: the task ran meanwhile\n");
		return;
	}
	for (i = 0; i < n; i++)
		seq_printf(m, "    %pS\n", (void *)entries[i]);
}

static const char *kscope_khung_verdict(const struct kscope_hung_obs *o)
{
	unsigned long secs;

	if (!o->kh || kscope_hung_timeout(&secs))
		return "unknown";
	return kscope_khung_would_report(secs, o->switches, o->kh_count,
					 o->kh_time, jiffies) ? "yes" : "no";
}

static int kscope_hung_row_show(struct seq_file *m, struct kscope_hung_reader *r,
				const struct kscope_hung_row *row)
{
	struct kscope_hung_obs o;
	struct task_struct *t;
	const char *source;
	pid_t pid, tgid;
	u64 blocked;

	pid = pid_nr_ns(row->pid, r->ns);
	tgid = pid_nr_ns(row->tgid, r->ns);
	if (!pid || r->threshold == KSCOPE_HUNG_OFF)
		return SEQ_SKIP;
	t = get_pid_task(row->pid, PIDTYPE_PID);
	if (!t)
		return SEQ_SKIP;
	if (!kscope_seq_may_see(m, t))
		goto skip;
	kscope_hung_observe(t, &o);
	/* woke, or woke and blocked again, since the last scan */
	if (!kscope_hung_rule(o.state, o.switches) || o.switches != row->switches)
		goto skip;
	blocked = kscope_hung_blocked(row->seen_ns, &o, ktime_get_boottime_ns(),
				      &source);
	if (blocked < (u64)r->threshold * NSEC_PER_MSEC)
		goto skip;

	seq_printf(m, "%7d %7d 0x%08x %10llu %-11s %-7s ", pid, tgid, o.state,
		   div_u64(blocked, NSEC_PER_MSEC), source,
		   kscope_khung_verdict(&o));
	seq_escape(m, o.comm, " \t\n\\");
	seq_putc(m, '\n');
	if (r->root)
		kscope_hung_stack_show(m, t, &o);
	put_task_struct(t);
	return 0;
skip:
	put_task_struct(t);
	return SEQ_SKIP;
}

/* position 0 is the summary, and takes the rows; n >= 1 is rows[n - 1] */
static void *kscope_hung_start(struct seq_file *m, loff_t *pos)
{
	struct kscope_hung_reader *r = m->private;
	int ret;

	if (*pos == 0) {
		r->threshold = kscope_hung_threshold_ms(&r->why);
		ret = kscope_hung_rows_get(r);
		if (ret)
			return ERR_PTR(ret);
		return SEQ_START_TOKEN;
	}
	return *pos <= r->nr ? &r->rows[*pos - 1] : NULL;
}

static void *kscope_hung_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct kscope_hung_reader *r = m->private;

	(*pos)++;
	return *pos <= r->nr ? &r->rows[*pos - 1] : NULL;
}

static void kscope_hung_stop(struct seq_file *m, void *v)
{
}

static int kscope_hung_show(struct seq_file *m, void *v)
{
	struct kscope_hung_reader *r = m->private;

	if (v == SEQ_START_TOKEN) {
		kscope_hung_summary_show(m, r);
		return 0;
	}
	return kscope_hung_row_show(m, r, v);
}

static const struct seq_operations kscope_hung_seq_ops = {
	.start	= kscope_hung_start,
	.next	= kscope_hung_next,
	.stop	= kscope_hung_stop,
	.show	= kscope_hung_show,
};

static int kscope_hung_open(struct inode *inode, struct file *file)
{
	struct kscope_hung_reader *r;
	int ret;

	ret = kscope_may_open(file, "hung");
	if (ret)
		return ret;
	ret = seq_open_private(file, &kscope_hung_seq_ops, sizeof(*r));
	if (ret)
		return ret;
	r = ((struct seq_file *)file->private_data)->private;
	r->ns = kscope_seq_pid_ns(file->private_data);
	/* kernel stacks, as /proc/<pid>/stack: for CAP_SYS_ADMIN only */
	r->root = capable(CAP_SYS_ADMIN);
	return 0;
}

static int kscope_hung_release(struct inode *inode, struct file *file)
{
	struct kscope_hung_reader *r = ((struct seq_file *)file->private_data)->private;

	kscope_hung_rows_put(r);
	return seq_release_private(inode, file);
}

/**
 * kscope_hung_parse() - parse a write to /proc/kscope/hung
 * @buf: NUL-terminated text: space-separated "threshold_ms=N",
 *       "threshold_ms=kernel" (follow kernel.hung_task_timeout_secs) and
 *       "period_ms=N" (0 stops the scanner)
 * @conf: result; fields not named keep their values
 * @bad: on error, set to the offending token
 *
 * Return: 0, -EINVAL for an unknown or malformed token, -ERANGE for a
 * value out of range.
 */
int kscope_hung_parse(char *buf, struct kscope_hung_conf *conf,
		      const char **bad)
{
	char *tok, *val;
	unsigned int v;
	int ret;

	while ((tok = strsep(&buf, " \t\n"))) {
		if (!*tok)
			continue;
		*bad = tok;
		val = strchr(tok, '=');
		if (!val)
			return -EINVAL;
		*val++ = '\0';
		if (!strcmp(tok, "threshold_ms") && !strcmp(val, "kernel")) {
			conf->threshold_ms = -1;
			continue;
		}
		ret = kstrtouint(val, 10, &v);
		if (ret)
			return ret;
		if (!strcmp(tok, "threshold_ms")) {
			if (v > KSCOPE_HUNG_MAX_THRESHOLD_MS)
				return -ERANGE;
			conf->threshold_ms = v;
		} else if (!strcmp(tok, "period_ms")) {
			if (v && (v < KSCOPE_HUNG_MIN_PERIOD_MS ||
				  v > KSCOPE_HUNG_MAX_PERIOD_MS))
				return -ERANGE;
			conf->period_ms = v;
		} else {
			return -EINVAL;
		}
	}
	*bad = NULL;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(kscope_hung_parse);

/*
 * Under kscope_hung_conf_lock: without it, a writer stopping the scanner
 * could cancel the work another had just started, leaving period_ms
 * nonzero with no scanner.
 */
static void kscope_hung_set_period(unsigned int period)
{
	unsigned int old = xchg(&kscope_hung_period, period);

	lockdep_assert_held(&kscope_hung_conf_lock);
	if (period) {
		mod_delayed_work(system_unbound_wq, &kscope_hung_work, 0);
	} else if (old) {
		cancel_delayed_work_sync(&kscope_hung_work);
		kscope_hung_forget();
	}
}

static ssize_t kscope_hung_write(struct file *file, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	struct kscope_hung_conf conf;
	const char *bad = NULL;
	char *buf;
	int ret;

	ret = kscope_may_write(file, "hung");
	if (ret)
		return ret;
	if (count > KSCOPE_HUNG_MAX_WRITE) {
		pr_info_ratelimited("hung: write of %zu bytes refused: at most %d\n",
				    count, KSCOPE_HUNG_MAX_WRITE);
		return -EINVAL;
	}
	buf = memdup_user_nul(ubuf, count);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	mutex_lock(&kscope_hung_conf_lock);
	conf.threshold_ms = kscope_hung_threshold;
	conf.period_ms = kscope_hung_period;
	ret = kscope_hung_parse(buf, &conf, &bad);
	if (ret) {
		pr_info_ratelimited("hung: bad setting '%s': %s; nothing changed\n",
				    bad ? bad : "", ret == -ERANGE ? "out of range" :
				    "expected threshold_ms=N|kernel or period_ms=N");
		goto out;
	}
	WRITE_ONCE(kscope_hung_threshold, conf.threshold_ms);
	if (conf.period_ms != kscope_hung_period)
		kscope_hung_set_period(conf.period_ms);
	ret = count;
out:
	mutex_unlock(&kscope_hung_conf_lock);
	kfree(buf);
	return ret;
}

const struct proc_ops kscope_hung_proc_ops = {
	.proc_open	= kscope_hung_open,
	.proc_read_iter	= seq_read_iter,
	.proc_write	= kscope_hung_write,
	.proc_lseek	= seq_lseek,
	.proc_release	= kscope_hung_release,
};

/*
 * Whether the task of a crossing has stopped being blocked: a scan found
 * so, or, since the last scan, it exited, woke or switched.
 */
static bool kscope_hung_event_ended(const struct kscope_hung_event *ev)
{
	struct task_struct *t;
	bool ended;

	if (ev->ended)
		return true;
	t = get_pid_task(ev->pid, PIDTYPE_PID);
	if (!t)
		return true;
	ended = READ_ONCE(t->nvcsw) + READ_ONCE(t->nivcsw) != ev->switches ||
		!kscope_hung_rule(kscope_task_raw_state(t), ev->switches);
	put_task_struct(t);
	return ended;
}

/* /proc/kscope/hung_history: the crossings, most recent first */
static int kscope_hung_history_show(struct seq_file *m, void *v)
{
	struct pid_namespace *ns = kscope_seq_pid_ns(m);
	unsigned int i, n, hidden = 0;
	u64 seq;

	mutex_lock(&kscope_hung_lock);
	n = min_t(u64, kscope_hung_crossed, hung_history);
	kscope_seq_u64(m, "crossed", kscope_hung_crossed);
	seq_put_decimal_ull(m, "kept: ", n);
	seq_put_decimal_ull(m, " of ", hung_history);
	seq_putc(m, '\n');
	seq_printf(m, "\n%14s %7s %7s %10s %-5s %s\n", "SINCE_S", "PID", "TGID",
		   "BLOCKED_MS", "ENDED", "COMM");
	for (i = 0, seq = kscope_hung_crossed; i < n; i++, seq--) {
		struct kscope_hung_event *ev = &kscope_hung_events[kscope_hung_slot(seq)];
		u64 since;
		u32 rem;

		if (!pid_nr_ns(ev->pid, ns) ||
		    kscope_pid_access(file_inode(m->file)->i_sb, ev->pid)) {
			hidden++;
			continue;
		}
		since = div_u64_rem(ev->since_ns, NSEC_PER_SEC, &rem);
		seq_printf(m, "%7llu.%06u %7d %7d %10llu %-5s ", since,
			   rem / 1000, pid_nr_ns(ev->pid, ns),
			   pid_nr_ns(ev->tgid, ns),
			   div_u64(ev->blocked_ns, NSEC_PER_MSEC),
			   kscope_hung_event_ended(ev) ? "yes" : "no");
		seq_escape(m, ev->comm, " \t\n\\");
		seq_putc(m, '\n');
	}
	mutex_unlock(&kscope_hung_lock);
	if (hidden) {
		seq_put_decimal_ull(m, "hidden: ", hidden);
		seq_puts(m, " (not in this pid namespace, or hidden by hidepid=)\n");
	}
	return 0;
}

static int kscope_hung_history_open(struct inode *inode, struct file *file)
{
	return single_open(file, kscope_hung_history_show, NULL);
}

const struct proc_ops kscope_hung_history_proc_ops = {
	.proc_open	= kscope_hung_history_open,
	.proc_read_iter	= seq_read_iter,
	.proc_lseek	= seq_lseek,
	.proc_release	= single_release,
};

/**
 * kscope_hung_init() - allocate the scanner's memory and start it
 * @root: unused
 *
 * Return: 0, -EINVAL for a bad module parameter, or -ENOMEM.
 */
int kscope_hung_init(struct proc_dir_entry *root)
{
	if (hung_history < 1 || hung_history > 4096 ||
	    hung_max_tracked < 16 || hung_max_tracked > 65536 ||
	    hung_threshold_ms > (int)KSCOPE_HUNG_MAX_THRESHOLD_MS ||
	    hung_threshold_ms < -1 || hung_period_ms > KSCOPE_HUNG_MAX_PERIOD_MS ||
	    (hung_period_ms && hung_period_ms < KSCOPE_HUNG_MIN_PERIOD_MS)) {
		pr_err("hung: a hung_* parameter is out of range (see modinfo)\n");
		return -EINVAL;
	}
	kscope_hung_cands = kvcalloc(hung_max_tracked, sizeof(*kscope_hung_cands),
				     GFP_KERNEL);
	if (!kscope_hung_cands)
		return -ENOMEM;
	kscope_hung_events = kcalloc(hung_history, sizeof(*kscope_hung_events),
				     GFP_KERNEL);
	if (!kscope_hung_events) {
		kvfree(kscope_hung_cands);
		return -ENOMEM;
	}
	kscope_hung_stopping = false;
	kscope_hung_threshold = hung_threshold_ms;
	kscope_hung_period = hung_period_ms;
	if (kscope_hung_period)
		queue_delayed_work(system_unbound_wq, &kscope_hung_work, 0);
	return 0;
}

/**
 * kscope_hung_exit() - stop the scanner and free what it holds
 *
 * Called after /proc/kscope/hung is gone, so no reader or writer can
 * restart the scanner.
 */
void kscope_hung_exit(void)
{
	unsigned int i;

	WRITE_ONCE(kscope_hung_stopping, true);
	cancel_delayed_work_sync(&kscope_hung_work);
	kscope_hung_forget();
	for (i = 0; i < hung_history; i++) {
		put_pid(kscope_hung_events[i].pid);
		put_pid(kscope_hung_events[i].tgid);
	}
	kfree(kscope_hung_events);
	kvfree(kscope_hung_cands);
	kscope_hung_crossed = 0;
	kscope_hung_scans = 0;
}

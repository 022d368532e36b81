// SPDX-License-Identifier: GPL-2.0
/*
 * sched.c - a task's scheduler statistics: /proc/kscope/w<id>/sched, and
 * how long a task has been in its current state.
 *
 * The fields are those kernel/sched/debug.c prints in /proc/<pid>/sched,
 * under the same names, with "_ns" added to every time so the unit is in
 * the name, and values in plain nanoseconds instead of milliseconds with
 * six decimals. The schedstats block (task_struct::stats) is only kept
 * while kernel.sched_schedstats is 1; otherwise its fields read
 * "unavailable" rather than stale numbers.
 *
 * Nothing here takes the runqueue lock: like /proc/<pid>/sched, a file
 * of a running task is a set of values read one after the other.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/math64.h>
#include <linux/mm_types.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/topology.h>

#include "kscope_compat.h"
#include "fmt.h"
#include "sched.h"
#include "state.h"
#include "sym.h"

static const char * const kscope_schedstats_names[] = {
	[KSCOPE_SCHEDSTATS_NONE]	= "not built (CONFIG_SCHEDSTATS=n)",
	[KSCOPE_SCHEDSTATS_UNKNOWN]	= "unknown (kernel.sched_schedstats not found)",
	[KSCOPE_SCHEDSTATS_OFF]		= "off (kernel.sched_schedstats=0)",
	[KSCOPE_SCHEDSTATS_ON]		= "on",
};

static const char *kscope_schedstats_name(enum kscope_schedstats s)
{
	return kscope_schedstats_names[s];
}

/* why a state's start is unknown, by schedstats state */
static const char * const kscope_schedstats_why[] = {
	[KSCOPE_SCHEDSTATS_NONE]	= "schedstats not built in",
	[KSCOPE_SCHEDSTATS_UNKNOWN]	= "schedstats state unknown",
	[KSCOPE_SCHEDSTATS_OFF]		= "schedstats off",
	[KSCOPE_SCHEDSTATS_ON]		= "",
};

static const char * const kscope_age_source_names[] = {
	[KSCOPE_AGE_UNKNOWN]	= "unknown",
	[KSCOPE_AGE_SLICE]	= "slice",
	[KSCOPE_AGE_WAIT]	= "wait_start",
	[KSCOPE_AGE_SLEEP]	= "sleep_start",
	[KSCOPE_AGE_BLOCK]	= "block_start",
	[KSCOPE_AGE_DELAYED]	= "wait_start,delayed",
};

const char *kscope_age_source_name(enum kscope_age_source source)
{
	return kscope_age_source_names[source];
}

#ifdef CONFIG_SCHEDSTATS
static inline const struct sched_statistics *
kscope_stats(const struct task_struct *p)
{
	return &p->stats;
}
#else
/*
 * Without CONFIG_SCHEDSTATS struct sched_statistics has no fields: read
 * zeros from a stand-in with the ones kscope uses (their state is "off").
 */
struct kscope_no_stats {
	u64 wait_start, block_start, sleep_start, wait_sum, wait_count;
};

static const struct kscope_no_stats kscope_zero_stats;

static inline const struct kscope_no_stats *
kscope_stats(const struct task_struct *p)
{
	return &kscope_zero_stats;
}
#endif

/**
 * kscope_since() - time from @start to now on @p's CPU clock
 * @p: task whose runqueue clock @start was read from
 * @start: an rq_clock() timestamp, 0 when the kernel recorded none
 * @age: filled in with @source on success
 * @source: what @start is
 *
 * rq_clock() is sched_clock_cpu() of the runqueue's CPU, read at the
 * last clock update; reading that clock now gives the elapsed time, a
 * tick late at most.
 *
 * Return: true if @start was recorded.
 */
static bool kscope_since(struct task_struct *p, u64 start,
			 struct kscope_state_age *age,
			 enum kscope_age_source source)
{
	u64 now;

	if (!start)
		return false;
	now = sched_clock_cpu(task_cpu(p));
	age->ns = now > start ? now - start : 0;
	age->source = source;
	return true;
}

/**
 * kscope_task_state_age() - how long @p has been in its current state
 * @p: task, referenced by the caller
 * @age: result
 *
 * A running task's time is the CPU time of its current slice, which the
 * scheduler always keeps. Every other state's start is a schedstats
 * timestamp: the scheduler sets sleep_start (TASK_INTERRUPTIBLE) or
 * block_start (TASK_UNINTERRUPTIBLE, so also I) when the task leaves
 * its runqueue, wait_start when it joins one, and clears each when the
 * state ends. A stopped or traced task has none. With schedstats off
 * the timestamps are stale and are not used.
 *
 * On 6.12 a fair task that went to sleep while not eligible stays queued
 * (delayed dequeue) until it is picked or woken: the scheduler stamped
 * wait_start when it left the CPU, and stamps sleep_start or block_start
 * only at the real dequeue, counting the delay as wait. Until then its
 * time is measured from wait_start, named as such; after, block_start
 * is what the kernel says, however much later than the sleep began.
 */
void kscope_task_state_age(struct task_struct *p, struct kscope_state_age *age)
{
	unsigned int state = kscope_task_raw_state(p);
	enum kscope_schedstats ss;

	age->ns = 0;
	age->source = KSCOPE_AGE_UNKNOWN;
	age->why = NULL;

	if (state == TASK_RUNNING && kscope_task_on_cpu(p)) {
		u64 sum = READ_ONCE(p->se.sum_exec_runtime);
		u64 prev = READ_ONCE(p->se.prev_sum_exec_runtime);

		age->ns = sum > prev ? sum - prev : 0;
		age->source = KSCOPE_AGE_SLICE;
		return;
	}

	ss = kscope_schedstats();
	if (ss != KSCOPE_SCHEDSTATS_ON) {
		age->why = kscope_schedstats_why[ss];
		return;
	}

	if (state == TASK_RUNNING) {
		if (kscope_since(p, READ_ONCE(kscope_stats(p)->wait_start), age,
				 KSCOPE_AGE_WAIT))
			return;
	} else if (kscope_task_delayed(p)) {
		if (kscope_since(p, READ_ONCE(kscope_stats(p)->wait_start), age,
				 KSCOPE_AGE_DELAYED))
			return;
	} else if (!READ_ONCE(p->on_rq)) {
		/* a frozen task keeps the timestamp of the sleep it froze in */
		if (kscope_since(p, READ_ONCE(kscope_stats(p)->block_start), age,
				 KSCOPE_AGE_BLOCK) ||
		    kscope_since(p, READ_ONCE(kscope_stats(p)->sleep_start), age,
				 KSCOPE_AGE_SLEEP))
			return;
	}
	age->why = "not recorded for this state";
}

/**
 * kscope_sched_derive() - the averages a reader of "sched" wants
 * @sum_exec_runtime: se.sum_exec_runtime, ns
 * @nr_switches: voluntary + involuntary context switches
 * @nr_migrations: se.nr_migrations
 * @wait_sum: stats.wait_sum, ns
 * @wait_count: stats.wait_count
 * @d: result; a value without a divisor is -1
 *
 * avg_atom and avg_per_cpu are computed as /proc/<pid>/sched does.
 */
void kscope_sched_derive(u64 sum_exec_runtime, u64 nr_switches,
			 u64 nr_migrations, u64 wait_sum, u64 wait_count,
			 struct kscope_sched_derived *d)
{
	u64 total = sum_exec_runtime + wait_sum;

	d->avg_atom = nr_switches ? div64_u64(sum_exec_runtime, nr_switches) : -1;
	d->avg_per_cpu = nr_migrations ?
			 div64_u64(sum_exec_runtime, nr_migrations) : -1;
	d->avg_wait = wait_count ? div64_u64(wait_sum, wait_count) : -1;
	d->wait_share = total ? mul_u64_u64_div_u64(wait_sum, 10000, total) : -1;
}
EXPORT_SYMBOL_IF_KUNIT(kscope_sched_derive);

/* a derived value: "n/a" where /proc/<pid>/sched prints -0.000001 */
static void kscope_put_derived(struct seq_file *m, const char *name, s64 v)
{
	if (v < 0)
		kscope_seq_str(m, name, "n/a");
	else
		kscope_seq_s64(m, name, v);
}

/**
 * struct kscope_stat_field - a schedstats field /proc/<pid>/sched prints
 * @name: its name there
 * @offset: offset in struct sched_statistics, whose fields are all u64
 * @ns: whether it is a time, in ns
 */
struct kscope_stat_field {
	const char *name;
	unsigned short offset;
	bool ns;
};

#ifdef CONFIG_SCHEDSTATS
#define KSCOPE_STAT(F, NS) \
	{ #F, offsetof(struct sched_statistics, F), NS }

/* in /proc/<pid>/sched's order */
static const struct kscope_stat_field kscope_stat_fields[] = {
	KSCOPE_STAT(sum_sleep_runtime, true),
	KSCOPE_STAT(sum_block_runtime, true),
	KSCOPE_STAT(wait_start, true),
	KSCOPE_STAT(sleep_start, true),
	KSCOPE_STAT(block_start, true),
	KSCOPE_STAT(sleep_max, true),
	KSCOPE_STAT(block_max, true),
	KSCOPE_STAT(exec_max, true),
	KSCOPE_STAT(slice_max, true),
	KSCOPE_STAT(wait_max, true),
	KSCOPE_STAT(wait_sum, true),
	KSCOPE_STAT(wait_count, false),
	KSCOPE_STAT(iowait_sum, true),
	KSCOPE_STAT(iowait_count, false),
	KSCOPE_STAT(nr_migrations_cold, false),
	KSCOPE_STAT(nr_failed_migrations_affine, false),
	KSCOPE_STAT(nr_failed_migrations_running, false),
	KSCOPE_STAT(nr_failed_migrations_hot, false),
	KSCOPE_STAT(nr_forced_migrations, false),
	KSCOPE_STAT(nr_wakeups, false),
	KSCOPE_STAT(nr_wakeups_sync, false),
	KSCOPE_STAT(nr_wakeups_migrate, false),
	KSCOPE_STAT(nr_wakeups_local, false),
	KSCOPE_STAT(nr_wakeups_remote, false),
	KSCOPE_STAT(nr_wakeups_affine, false),
	KSCOPE_STAT(nr_wakeups_affine_attempts, false),
	KSCOPE_STAT(nr_wakeups_passive, false),
	KSCOPE_STAT(nr_wakeups_idle, false),
#ifdef CONFIG_SCHED_CORE
	KSCOPE_STAT(core_forceidle_sum, true),
#endif
};

static u64 kscope_stat_read(struct task_struct *p,
			    const struct kscope_stat_field *f)
{
	return READ_ONCE(*(u64 *)((char *)&p->stats + f->offset));
}
#else
static const struct kscope_stat_field kscope_stat_fields[0];

static u64 kscope_stat_read(struct task_struct *p,
			    const struct kscope_stat_field *f)
{
	return 0;
}
#endif

/* @kept: whether the values are current; else they read "unavailable" */
static void kscope_sched_stats_show(struct seq_file *m, struct task_struct *p,
				    bool kept)
{
	const struct kscope_stat_field *f;

	for (f = kscope_stat_fields;
	     f < kscope_stat_fields + ARRAY_SIZE(kscope_stat_fields); f++) {
		seq_puts(m, f->name);
		if (f->ns)
			seq_puts(m, "_ns");
		/* signed, as /proc/<pid>/sched prints them (exec_max is s64) */
		if (kept)
			seq_put_decimal_ll(m, ": ", (s64)kscope_stat_read(p, f));
		else
			seq_puts(m, ": unavailable");
		seq_putc(m, '\n');
	}
}

/* the load tracking (PELT) fields of the task's sched_entity */
static void kscope_sched_avg_show(struct seq_file *m, struct task_struct *p)
{
#ifdef CONFIG_SMP
	const struct sched_avg *sa = &p->se.avg;
	unsigned long util_est;
	long ewma;

	kscope_seq_u64(m, "se.avg.load_sum", READ_ONCE(sa->load_sum));
	kscope_seq_u64(m, "se.avg.runnable_sum", READ_ONCE(sa->runnable_sum));
	kscope_seq_u64(m, "se.avg.util_sum", READ_ONCE(sa->util_sum));
	kscope_seq_u64(m, "se.avg.load_avg", READ_ONCE(sa->load_avg));
	kscope_seq_u64(m, "se.avg.runnable_avg", READ_ONCE(sa->runnable_avg));
	kscope_seq_u64(m, "se.avg.util_avg", READ_ONCE(sa->util_avg));
	kscope_seq_u64(m, "se.avg.last_update_time_ns",
		       READ_ONCE(sa->last_update_time));
	util_est = kscope_task_util_est(sa, &ewma);
	if (ewma < 0) {
		kscope_seq_u64(m, "se.avg.util_est", util_est);
	} else {
		kscope_seq_u64(m, "se.avg.util_est.ewma", ewma);
		kscope_seq_u64(m, "se.avg.util_est.enqueued", util_est);
	}
#endif
}

static void kscope_sched_numa_show(struct seq_file *m, struct task_struct *p)
{
#ifdef CONFIG_NUMA_BALANCING
	task_lock(p);
	if (p->mm)
		kscope_seq_u64(m, "mm->numa_scan_seq",
			       READ_ONCE(p->mm->numa_scan_seq));
	task_unlock(p);
	kscope_seq_u64(m, "numa_pages_migrated", READ_ONCE(p->numa_pages_migrated));
	kscope_seq_s64(m, "numa_preferred_nid", READ_ONCE(p->numa_preferred_nid));
	kscope_seq_u64(m, "total_numa_faults", READ_ONCE(p->total_numa_faults));
#endif
	kscope_seq_s64(m, "current_node", cpu_to_node(task_cpu(p)));
}

/**
 * kscope_task_sched_show() - /proc/kscope/w<id>/sched
 * @m: output
 * @ns: pid namespace of the reader
 * @p: task, referenced by the caller
 *
 * Return: 0.
 */
int kscope_task_sched_show(struct seq_file *m, struct pid_namespace *ns,
			   struct task_struct *p)
{
	enum kscope_schedstats ss = kscope_schedstats();
	/* where it is not known whether they are kept, show them anyway */
	bool stats = ss == KSCOPE_SCHEDSTATS_ON ||
		     ss == KSCOPE_SCHEDSTATS_UNKNOWN;
	unsigned long nvcsw = READ_ONCE(p->nvcsw);
	unsigned long nivcsw = READ_ONCE(p->nivcsw);
	struct kscope_sched_derived d;
	char comm[TASK_COMM_LEN];
	u64 slice;

	kscope_seq_s64(m, "pid", task_pid_nr_ns(p, ns));
	kscope_seq_str(m, "comm", get_task_comm(comm, p));
	kscope_seq_s64(m, "threads", get_nr_threads(p));
	kscope_seq_str(m, "schedstats", kscope_schedstats_name(ss));

	kscope_seq_u64(m, "se.exec_start_ns", READ_ONCE(p->se.exec_start));
	kscope_seq_u64(m, "se.vruntime_ns", READ_ONCE(p->se.vruntime));
	kscope_seq_u64(m, "se.sum_exec_runtime_ns",
		       READ_ONCE(p->se.sum_exec_runtime));
	kscope_seq_u64(m, "se.nr_migrations", READ_ONCE(p->se.nr_migrations));
	kscope_sched_stats_show(m, p, stats);
	kscope_seq_u64(m, "nr_switches", nvcsw + nivcsw);
	kscope_seq_u64(m, "nr_voluntary_switches", nvcsw);
	kscope_seq_u64(m, "nr_involuntary_switches", nivcsw);
	kscope_seq_u64(m, "se.load.weight", READ_ONCE(p->se.load.weight));
	kscope_sched_avg_show(m, p);
#ifdef CONFIG_UCLAMP_TASK
	/* requested; the effective values need uclamp_eff_value(), unexported */
	kscope_seq_u64(m, "uclamp.min", p->uclamp_req[UCLAMP_MIN].value);
	kscope_seq_u64(m, "uclamp.max", p->uclamp_req[UCLAMP_MAX].value);
#endif
	kscope_seq_u64(m, "policy", READ_ONCE(p->policy));
	kscope_seq_str(m, "policy_name", kscope_policy_name(p->policy));
	kscope_seq_s64(m, "prio", READ_ONCE(p->prio));
	if (p->policy == SCHED_DEADLINE) {
		kscope_seq_u64(m, "dl.runtime_ns", READ_ONCE(p->dl.runtime));
		kscope_seq_u64(m, "dl.deadline_ns", READ_ONCE(p->dl.deadline));
	} else if (kscope_task_slice(p, &slice)) {
		kscope_seq_u64(m, "se.slice_ns", slice);
	}
	/* task_on_scx() and ext_sched_class are private to kernel/sched */
	if (IS_ENABLED(CONFIG_SCHED_CLASS_EXT))
		kscope_seq_str(m, "ext.enabled",
			       "unavailable (not readable by modules)");
	kscope_sched_numa_show(m, p);

	/* derived: not in /proc/<pid>/sched unless schedstats are on */
	kscope_sched_derive(READ_ONCE(p->se.sum_exec_runtime), nvcsw + nivcsw,
			    READ_ONCE(p->se.nr_migrations),
			    READ_ONCE(kscope_stats(p)->wait_sum),
			    READ_ONCE(kscope_stats(p)->wait_count),
			    &d);
	kscope_put_derived(m, "avg_atom_ns", d.avg_atom);
	kscope_put_derived(m, "avg_per_cpu_ns", d.avg_per_cpu);
	if (stats) {
		kscope_put_derived(m, "avg_wait_ns", d.avg_wait);
		if (d.wait_share < 0)
			seq_puts(m, "wait_share_pct: n/a\n");
		else
			seq_printf(m, "wait_share_pct: %lld.%02lld\n",
				   d.wait_share / 100, d.wait_share % 100);
	} else {
		kscope_seq_str(m, "avg_wait_ns", "unavailable");
		kscope_seq_str(m, "wait_share_pct", "unavailable");
	}
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * cputime.c - /proc/kscope/w<id>/cputime: a thread's and its thread
 * group's CPU time, raw and as the kernel adjusts it for user space.
 *
 * The scheduler measures runtime exactly (se.sum_exec_runtime) but
 * splits it into user and system time by sampling ticks (utime, stime).
 * What /proc/<pid>/stat shows is the exact runtime divided in the
 * sampled ratio, kept monotonic per reader state (cputime_adjust()).
 * kscope shows both, plus guest time, which the kernel also counts in
 * user time, and user time without it, as mpstat and pidstat report.
 *
 * task_cputime_adjusted() is exported; its thread-group counterpart is
 * not, so kscope_group_cputime() and kscope_cputime_adjust() follow
 * thread_group_cputime() and cputime_adjust() of kernel/sched/cputime.c,
 * including the update of signal_struct::prev_cputime, so that the
 * values are the ones the next read of /proc/<pid>/stat will show and
 * never go backwards between readers.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/math64.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/cputime.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/seqlock.h>
#include <linux/spinlock.h>

#include "kscope_compat.h"
#include "cputime.h"
#include "fmt.h"

/**
 * kscope_cputime_adjust() - divide exact runtime in the sampled ratio
 * @utime: sampled user time, ns
 * @stime: sampled system time, ns
 * @rtime: exact runtime, ns
 * @prev_utime: in: last adjusted user time; out: the new one
 * @prev_stime: in: last adjusted system time; out: the new one
 *
 * The rules of cputime_adjust() on kernels without native virtual CPU
 * accounting: runtime is split in the ratio stime : utime (all of it
 * user time while either is 0), and neither part may go below its
 * previous value; a runtime that has not grown leaves both unchanged.
 * The caller serialises on the prev_cputime lock.
 */
void kscope_cputime_adjust(u64 utime, u64 stime, u64 rtime,
			   u64 *prev_utime, u64 *prev_stime)
{
	if (*prev_stime + *prev_utime >= rtime)
		return;

	if (stime == 0) {
		utime = rtime;
	} else if (utime == 0) {
		stime = rtime;
	} else {
		stime = mul_u64_u64_div_u64(stime, rtime, stime + utime);
		if (stime > rtime)
			stime = rtime;
	}

	if (stime < *prev_stime)
		stime = *prev_stime;
	utime = rtime - stime;
	if (utime < *prev_utime) {
		utime = *prev_utime;
		stime = rtime - utime;
	}
	*prev_stime = stime;
	*prev_utime = utime;
}
EXPORT_SYMBOL_IF_KUNIT(kscope_cputime_adjust);

/**
 * struct kscope_cputime - one set of CPU times, ns
 * @utime: sampled user time, guest time included
 * @stime: sampled system time
 * @rtime: exact runtime
 * @gtime: guest time
 * @utime_adj: user time as /proc/<pid>/stat shows it
 * @stime_adj: system time as /proc/<pid>/stat shows it
 * @vtime: some thread's current slice is accounted by vtime and is not
 *         in @utime and @stime yet (nohz_full CPUs)
 */
struct kscope_cputime {
	u64 utime;
	u64 stime;
	u64 rtime;
	u64 gtime;
	u64 utime_adj;
	u64 stime_adj;
	bool vtime;
};

static void kscope_thread_cputime(struct task_struct *t,
				  struct kscope_cputime *ct)
{
	ct->utime = READ_ONCE(t->utime);
	ct->stime = READ_ONCE(t->stime);
	ct->rtime = READ_ONCE(t->se.sum_exec_runtime);
	ct->gtime = READ_ONCE(t->gtime);
	ct->vtime = kscope_task_vtime_pending(t);
	task_cputime_adjusted(t, &ct->utime_adj, &ct->stime_adj);
}

/* one pass over the group's times, under RCU and stats_lock read side */
static void kscope_group_sum(struct task_struct *p, struct kscope_cputime *ct)
{
	struct signal_struct *sig = p->signal;
	struct task_struct *t;

	ct->utime = sig->utime;
	ct->stime = sig->stime;
	ct->rtime = sig->sum_sched_runtime;
	ct->gtime = sig->gtime;
	ct->vtime = false;
	for_each_thread(p, t) {
		ct->utime += READ_ONCE(t->utime);
		ct->stime += READ_ONCE(t->stime);
		ct->rtime += READ_ONCE(t->se.sum_exec_runtime);
		ct->gtime += READ_ONCE(t->gtime);
		ct->vtime |= kscope_task_vtime_pending(t);
	}
}

/*
 * cputime_adjust() on the group's prev_cputime. With native virtual CPU
 * accounting the sampled times are exact, the kernel shows them as
 * they are, and struct prev_cputime has no lock: that code would not
 * compile, so it is left out by #ifdef rather than IS_ENABLED().
 */
#ifdef CONFIG_VIRT_CPU_ACCOUNTING_NATIVE
static void kscope_group_adjust(struct signal_struct *sig,
				struct kscope_cputime *ct)
{
	ct->utime_adj = ct->utime;
	ct->stime_adj = ct->stime;
}
#else
static void kscope_group_adjust(struct signal_struct *sig,
				struct kscope_cputime *ct)
{
	struct prev_cputime *prev = &sig->prev_cputime;
	unsigned long flags;

	raw_spin_lock_irqsave(&prev->lock, flags);
	kscope_cputime_adjust(ct->utime, ct->stime, ct->rtime,
			      &prev->utime, &prev->stime);
	ct->utime_adj = prev->utime;
	ct->stime_adj = prev->stime;
	raw_spin_unlock_irqrestore(&prev->lock, flags);
}
#endif

/**
 * kscope_group_cputime() - a thread group's CPU time
 * @p: any thread of the group, referenced by the caller
 * @ct: result
 *
 * Exited threads' times are in signal_struct; live threads' are summed
 * under the stats_lock seqlock, lockless first and with the lock held
 * if a thread exited meanwhile, as thread_group_cputime() does. The
 * runtime a thread of the group is running right now has not been
 * folded in since its last tick, as for /proc/<pid>/stat read from
 * outside the group.
 */
static void kscope_group_cputime(struct task_struct *p,
				 struct kscope_cputime *ct)
{
	struct signal_struct *sig = p->signal;
	unsigned long flags;
	unsigned int seq;

	rcu_read_lock();
	seq = read_seqbegin(&sig->stats_lock);
	kscope_group_sum(p, ct);
	if (read_seqretry(&sig->stats_lock, seq)) {
		read_seqlock_excl_irqsave(&sig->stats_lock, flags);
		kscope_group_sum(p, ct);
		read_sequnlock_excl_irqrestore(&sig->stats_lock, flags);
	}
	rcu_read_unlock();
	kscope_group_adjust(sig, ct);
}

/* "@who@name: @v\n" */
static void kscope_cputime_put(struct seq_file *m, const char *who,
			       const char *name, u64 v)
{
	seq_puts(m, who);
	kscope_seq_u64(m, name, v);
}

static void kscope_cputime_print(struct seq_file *m, const char *who,
				 const struct kscope_cputime *ct)
{
	bool clamped = false;
	u64 user;

	user = kscope_sub_clamped(ct->utime_adj, ct->gtime, &clamped);
	kscope_cputime_put(m, who, ".utime_ns", ct->utime);
	kscope_cputime_put(m, who, ".stime_ns", ct->stime);
	kscope_cputime_put(m, who, ".sum_exec_runtime_ns", ct->rtime);
	kscope_cputime_put(m, who, ".gtime_ns", ct->gtime);
	kscope_cputime_put(m, who, ".utime_adjusted_ns", ct->utime_adj);
	kscope_cputime_put(m, who, ".stime_adjusted_ns", ct->stime_adj);
	kscope_cputime_put(m, who, ".user_excl_guest_ns", user);
	kscope_cputime_put(m, who, ".guest_clamped", clamped);
	kscope_cputime_put(m, who, ".vtime_pending", ct->vtime);
}

/**
 * kscope_task_cputime_show() - /proc/kscope/w<id>/cputime
 * @m: output
 * @ns: pid namespace of the reader
 * @p: task, referenced by the caller
 *
 * Return: 0.
 */
int kscope_task_cputime_show(struct seq_file *m, struct pid_namespace *ns,
			     struct task_struct *p)
{
	struct signal_struct *sig = p->signal;
	u64 cutime, cstime, cgtime;
	struct kscope_cputime ct;
	unsigned int seq;

	kscope_seq_s64(m, "pid", task_pid_nr_ns(p, ns));
	kscope_seq_s64(m, "tgid", task_tgid_nr_ns(p, ns));
	kscope_seq_s64(m, "threads", get_nr_threads(p));
	kscope_seq_s64(m, "user_hz", USER_HZ);

	kscope_thread_cputime(p, &ct);
	kscope_cputime_print(m, "thread", &ct);
	kscope_group_cputime(p, &ct);
	kscope_cputime_print(m, "group", &ct);

	do {
		seq = read_seqbegin(&sig->stats_lock);
		cutime = sig->cutime;
		cstime = sig->cstime;
		cgtime = sig->cgtime;
	} while (read_seqretry(&sig->stats_lock, seq));
	kscope_seq_u64(m, "children.utime_ns", cutime);
	kscope_seq_u64(m, "children.stime_ns", cstime);
	kscope_seq_u64(m, "children.gtime_ns", cgtime);
	return 0;
}

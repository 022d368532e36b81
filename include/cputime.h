/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cputime.h - a task's CPU time (module/cputime.c): the per-task file
 * cputime, the kernel's utime/stime scaling, and the time arithmetic
 * that cpustat.c shares.
 */
#ifndef _KSCOPE_CPUTIME_H
#define _KSCOPE_CPUTIME_H

#include <linux/build_bug.h>
#include <linux/jiffies.h>
#include <linux/math64.h>
#include <linux/time64.h>
#include <linux/types.h>

struct pid_namespace;
struct seq_file;
struct task_struct;

int kscope_task_cputime_show(struct seq_file *m, struct pid_namespace *ns,
			     struct task_struct *p);
void kscope_cputime_adjust(u64 utime, u64 stime, u64 rtime,
			   u64 *prev_utime, u64 *prev_stime);

/**
 * kscope_sub_clamped() - @a - @b, or 0 when @b > @a
 * @a: minuend, e.g. user time, which the kernel says includes guest time
 * @b: subtrahend, e.g. guest time
 * @clamped: set to true when the difference would have been negative
 *
 * The kernel adds guest time to user time (and guest_nice to nice) in
 * separate, unsynchronised steps, so a reader can see guest > user for
 * a moment. Time is never negative: clamp, and tell the caller.
 */
static inline u64 kscope_sub_clamped(u64 a, u64 b, bool *clamped)
{
	if (b > a) {
		*clamped = true;
		return 0;
	}
	return a - b;
}

/**
 * kscope_ns_to_clock_t() - nanoseconds to USER_HZ ticks
 * @ns: nanoseconds
 *
 * The conversion /proc/stat and /proc/<pid>/stat print with; the
 * kernel's nsec_to_clock_t() is not exported.
 */
static inline u64 kscope_ns_to_clock_t(u64 ns)
{
	BUILD_BUG_ON(NSEC_PER_SEC % USER_HZ);
	return div_u64(ns, NSEC_PER_SEC / USER_HZ);
}

#endif /* _KSCOPE_CPUTIME_H */

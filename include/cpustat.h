/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cpustat.h - /proc/kscope/cpustat (module/cpustat.c): /proc/stat's CPU
 * time fields, with guest time split out.
 */
#ifndef _KSCOPE_CPUSTAT_H
#define _KSCOPE_CPUSTAT_H

#include <linux/proc_fs.h>
#include <linux/types.h>

/**
 * enum kscope_cpustat_field - the ten CPU time fields of /proc/stat
 * @KSCOPE_CS_USER: user, including guest
 * @KSCOPE_CS_NICE: niced user, including guest_nice
 * @KSCOPE_CS_SYSTEM: system
 * @KSCOPE_CS_IDLE: idle
 * @KSCOPE_CS_IOWAIT: idle with a task of this CPU waiting for I/O
 * @KSCOPE_CS_IRQ: hard interrupts
 * @KSCOPE_CS_SOFTIRQ: softirqs
 * @KSCOPE_CS_STEAL: stolen by the hypervisor
 * @KSCOPE_CS_GUEST: running a guest
 * @KSCOPE_CS_GUEST_NICE: running a niced guest
 * @KSCOPE_CS_NR: number of fields
 */
enum kscope_cpustat_field {
	KSCOPE_CS_USER,
	KSCOPE_CS_NICE,
	KSCOPE_CS_SYSTEM,
	KSCOPE_CS_IDLE,
	KSCOPE_CS_IOWAIT,
	KSCOPE_CS_IRQ,
	KSCOPE_CS_SOFTIRQ,
	KSCOPE_CS_STEAL,
	KSCOPE_CS_GUEST,
	KSCOPE_CS_GUEST_NICE,
	KSCOPE_CS_NR,
};

/**
 * struct kscope_cpustat_vals - one row of cpustat, in one unit
 * @v: the ten fields, in /proc/stat's order
 * @user_noguest: user - guest, never negative
 * @nice_noguest: nice - guest_nice, never negative
 * @user_clamped: guest > user was seen: @user_noguest is 0, not negative
 * @nice_clamped: guest_nice > nice was seen: @nice_noguest is 0
 */
struct kscope_cpustat_vals {
	u64 v[KSCOPE_CS_NR];
	u64 user_noguest;
	u64 nice_noguest;
	bool user_clamped;
	bool nice_clamped;
};

void kscope_cpustat_derive(struct kscope_cpustat_vals *c);
void kscope_cpustat_to_ticks(const struct kscope_cpustat_vals *ns,
			     struct kscope_cpustat_vals *ticks);
extern const struct proc_ops kscope_cpustat_proc_ops;

#endif /* _KSCOPE_CPUSTAT_H */

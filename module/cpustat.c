// SPDX-License-Identifier: GPL-2.0
/*
 * cpustat.c - /proc/kscope/cpustat: the CPU time fields of /proc/stat,
 * for every possible CPU and in total, in USER_HZ ticks and in ns, with
 * user and nice net of guest time.
 *
 * The values are taken as fs/proc/stat.c takes them: kcpustat_cpu_fetch()
 * for each possible CPU, and idle and iowait from the NO_HZ idle
 * accounting (get_cpu_idle_time_us(), get_cpu_iowait_time_us()) when
 * the CPU is online and the kernel keeps it, else from kernel_cpustat.
 * The total is the sum in ns over possible CPUs, converted once, so it
 * is what /proc/stat's "cpu" line says, not the sum of rounded rows.
 *
 * Each CPU is fetched once per read, and its ns row, ticks row and share
 * of the total all come from that one fetch.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/kernel_stat.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/tick.h>

#include "kscope_compat.h"
#include "cpustat.h"
#include "cputime.h"
#include "fmt.h"

/* subtractions clamped to 0 since the module was loaded, all reads */
static atomic64_t kscope_cpustat_clamps = ATOMIC64_INIT(0);

static const char * const kscope_cpustat_names[KSCOPE_CS_NR] = {
	[KSCOPE_CS_USER]	= "user",
	[KSCOPE_CS_NICE]	= "nice",
	[KSCOPE_CS_SYSTEM]	= "system",
	[KSCOPE_CS_IDLE]	= "idle",
	[KSCOPE_CS_IOWAIT]	= "iowait",
	[KSCOPE_CS_IRQ]		= "irq",
	[KSCOPE_CS_SOFTIRQ]	= "softirq",
	[KSCOPE_CS_STEAL]	= "steal",
	[KSCOPE_CS_GUEST]	= "guest",
	[KSCOPE_CS_GUEST_NICE]	= "guest_nice",
};

/* where each of our fields lives in kernel_cpustat */
static const enum cpu_usage_stat kscope_cpustat_index[KSCOPE_CS_NR] = {
	[KSCOPE_CS_USER]	= CPUTIME_USER,
	[KSCOPE_CS_NICE]	= CPUTIME_NICE,
	[KSCOPE_CS_SYSTEM]	= CPUTIME_SYSTEM,
	[KSCOPE_CS_IDLE]	= CPUTIME_IDLE,
	[KSCOPE_CS_IOWAIT]	= CPUTIME_IOWAIT,
	[KSCOPE_CS_IRQ]		= CPUTIME_IRQ,
	[KSCOPE_CS_SOFTIRQ]	= CPUTIME_SOFTIRQ,
	[KSCOPE_CS_STEAL]	= CPUTIME_STEAL,
	[KSCOPE_CS_GUEST]	= CPUTIME_GUEST,
	[KSCOPE_CS_GUEST_NICE]	= CPUTIME_GUEST_NICE,
};

/**
 * kscope_cpustat_derive() - user and nice net of guest time
 * @c: row whose @c->v is filled in; the other fields are set
 *
 * The kernel counts guest time in user time too (and guest_nice in
 * nice), so mpstat shows %usr as user - guest and %nice as nice -
 * guest_nice. The two are added to in separate steps, so a reader can
 * see the guest part ahead of the total: such a difference is clamped
 * to 0 and flagged, never wrapped around.
 */
void kscope_cpustat_derive(struct kscope_cpustat_vals *c)
{
	c->user_clamped = false;
	c->nice_clamped = false;
	c->user_noguest = kscope_sub_clamped(c->v[KSCOPE_CS_USER],
					     c->v[KSCOPE_CS_GUEST],
					     &c->user_clamped);
	c->nice_noguest = kscope_sub_clamped(c->v[KSCOPE_CS_NICE],
					     c->v[KSCOPE_CS_GUEST_NICE],
					     &c->nice_clamped);
}
EXPORT_SYMBOL_IF_KUNIT(kscope_cpustat_derive);

/**
 * kscope_cpustat_to_ticks() - a row in ns as /proc/stat prints it
 * @ns: row in nanoseconds
 * @ticks: result: each field converted to USER_HZ ticks, then the
 *         guest corrections computed on the ticks, as mpstat does
 *         from /proc/stat
 */
void kscope_cpustat_to_ticks(const struct kscope_cpustat_vals *ns,
			     struct kscope_cpustat_vals *ticks)
{
	int i;

	for (i = 0; i < KSCOPE_CS_NR; i++)
		ticks->v[i] = kscope_ns_to_clock_t(ns->v[i]);
	kscope_cpustat_derive(ticks);
}
EXPORT_SYMBOL_IF_KUNIT(kscope_cpustat_to_ticks);

/**
 * struct kscope_cpustat_row - one possible CPU, fetched once, or the total
 * @ns: its fields in ns
 * @ticks: the same in USER_HZ ticks
 * @online: cpu_online() when it was fetched
 * @nohz: idle and iowait came from the NO_HZ idle accounting
 */
struct kscope_cpustat_row {
	struct kscope_cpustat_vals ns;
	struct kscope_cpustat_vals ticks;
	bool online;
	bool nohz;
};

/*
 * fs/proc/stat.c's get_idle_time() and get_iowait_time(), for
 * architectures without arch_idle_time() (only s390 has one).
 */
static void kscope_cpustat_fetch(int cpu, struct kscope_cpustat_row *row)
{
	struct kernel_cpustat kcs;
	u64 idle_us = -1ULL, iowait_us = -1ULL;
	int i;

	kcpustat_cpu_fetch(&kcs, cpu);
	for (i = 0; i < KSCOPE_CS_NR; i++)
		row->ns.v[i] = kcs.cpustat[kscope_cpustat_index[i]];

	row->online = cpu_online(cpu);
	if (row->online) {
		idle_us = get_cpu_idle_time_us(cpu, NULL);
		iowait_us = get_cpu_iowait_time_us(cpu, NULL);
	}
	/* -1: no NO_HZ, or not active: kernel_cpustat is kept up to date */
	if (idle_us != -1ULL)
		row->ns.v[KSCOPE_CS_IDLE] = idle_us * NSEC_PER_USEC;
	if (iowait_us != -1ULL)
		row->ns.v[KSCOPE_CS_IOWAIT] = iowait_us * NSEC_PER_USEC;
	row->nohz = idle_us != -1ULL;
	kscope_cpustat_derive(&row->ns);
	kscope_cpustat_to_ticks(&row->ns, &row->ticks);
}

static unsigned int kscope_cpustat_clamps_of(const struct kscope_cpustat_row *r)
{
	return r->ns.user_clamped + r->ns.nice_clamped +
	       r->ticks.user_clamped + r->ticks.nice_clamped;
}

/* the text columns, shared by headers and rows so that they line up */
static void kscope_cpustat_text(struct seq_file *m, const char *unit,
				const char *cpu, const char *state,
				const char *idle_from)
{
	kscope_seq_str_width(m, unit, -5);
	seq_putc(m, ' ');
	kscope_seq_str_width(m, cpu, -7);
	seq_putc(m, ' ');
	kscope_seq_str_width(m, state, -7);
	seq_putc(m, ' ');
	kscope_seq_str_width(m, idle_from, -9);
}

/* a ticks count fits 12 columns for 30 years of 32 CPUs; ns need 20 */
#define KSCOPE_CS_TICKS_WIDTH	12
#define KSCOPE_CS_NS_WIDTH	20

static void kscope_cpustat_header(struct seq_file *m, int width)
{
	int i;

	kscope_cpustat_text(m, "UNIT", "CPU", "STATE", "IDLE_FROM");
	for (i = 0; i < KSCOPE_CS_NR; i++) {
		seq_putc(m, ' ');
		kscope_seq_str_width(m, kscope_cpustat_names[i], width);
	}
	seq_putc(m, ' ');
	kscope_seq_str_width(m, "user_noguest", width);
	seq_putc(m, ' ');
	kscope_seq_str_width(m, "nice_noguest", width);
	seq_puts(m, " CLAMPED\n");
}

static const char *kscope_cpustat_clamped(const struct kscope_cpustat_vals *c)
{
	if (c->user_clamped && c->nice_clamped)
		return "user,nice";
	if (c->user_clamped)
		return "user";
	if (c->nice_clamped)
		return "nice";
	return "-";
}

static void kscope_cpustat_line(struct seq_file *m, bool ns, const char *cpu,
				const char *state, const char *idle_from,
				const struct kscope_cpustat_row *r)
{
	int width = ns ? KSCOPE_CS_NS_WIDTH : KSCOPE_CS_TICKS_WIDTH;
	const struct kscope_cpustat_vals *c = ns ? &r->ns : &r->ticks;
	int i;

	kscope_cpustat_text(m, ns ? "ns" : "ticks", cpu, state, idle_from);
	for (i = 0; i < KSCOPE_CS_NR; i++) {
		seq_putc(m, ' ');
		kscope_seq_u64_width(m, c->v[i], width);
	}
	seq_putc(m, ' ');
	kscope_seq_u64_width(m, c->user_noguest, width);
	seq_putc(m, ' ');
	kscope_seq_u64_width(m, c->nice_noguest, width);
	seq_putc(m, ' ');
	seq_puts(m, kscope_cpustat_clamped(c));
	seq_putc(m, '\n');
}

/* one table: the total, then each possible CPU */
static void kscope_cpustat_table(struct seq_file *m, bool ns,
				 const struct kscope_cpustat_row *rows,
				 const struct kscope_cpustat_row *total)
{
	char name[16];
	int cpu;

	kscope_cpustat_header(m, ns ? KSCOPE_CS_NS_WIDTH : KSCOPE_CS_TICKS_WIDTH);
	kscope_cpustat_line(m, ns, "all", "-", "-", total);
	for_each_possible_cpu(cpu) {
		const struct kscope_cpustat_row *r = &rows[cpu];

		snprintf(name, sizeof(name), "cpu%d", cpu);
		kscope_cpustat_line(m, ns, name,
				    r->online ? "online" : "offline",
				    r->nohz ? "nohz" : "kcpustat", r);
	}
}

static int kscope_cpustat_show(struct seq_file *m, void *v)
{
	struct kscope_cpustat_row total = {};
	struct kscope_cpustat_row *rows;
	unsigned int online = 0, possible = 0, clamps;
	int cpu, i;

	rows = kvcalloc(nr_cpu_ids, sizeof(*rows), GFP_KERNEL);
	if (!rows)
		return -ENOMEM;

	for_each_possible_cpu(cpu) {
		kscope_cpustat_fetch(cpu, &rows[cpu]);
		for (i = 0; i < KSCOPE_CS_NR; i++)
			total.ns.v[i] += rows[cpu].ns.v[i];
		possible++;
		online += rows[cpu].online;
	}
	kscope_cpustat_derive(&total.ns);
	kscope_cpustat_to_ticks(&total.ns, &total.ticks);

	clamps = kscope_cpustat_clamps_of(&total);
	for_each_possible_cpu(cpu)
		clamps += kscope_cpustat_clamps_of(&rows[cpu]);

	kscope_seq_s64(m, "user_hz", USER_HZ);
	kscope_seq_u64(m, "possible", possible);
	kscope_seq_u64(m, "online", online);
	kscope_seq_u64(m, "clamped", clamps);
	kscope_seq_s64(m, "clamped_since_load",
		       atomic64_add_return(clamps, &kscope_cpustat_clamps));
	seq_putc(m, '\n');
	kscope_cpustat_table(m, false, rows, &total);
	seq_putc(m, '\n');
	kscope_cpustat_table(m, true, rows, &total);

	kvfree(rows);
	return 0;
}

static int kscope_cpustat_open(struct inode *inode, struct file *file)
{
	/* room for all of it at once: a retried show would count clamps twice */
	size_t size = (2 * (num_possible_cpus() + 2) + 8) * 320;

	return single_open_size(file, kscope_cpustat_show, NULL, size);
}

const struct proc_ops kscope_cpustat_proc_ops = {
	.proc_open	= kscope_cpustat_open,
	.proc_read_iter	= seq_read_iter,
	.proc_lseek	= seq_lseek,
	.proc_release	= single_release,
};

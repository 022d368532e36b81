/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kscope.h - declarations shared between kscope's source files and its
 * KUnit suites.
 */
#ifndef _KSCOPE_H
#define _KSCOPE_H

#include <linux/fs.h>
#include <linux/if.h>
#include <linux/in6.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/jiffies.h>
#include <linux/math64.h>
#include <linux/time64.h>
#include <linux/types.h>

#define KSCOPE_VERSION	"0.1.0"

struct pid;
struct pid_namespace;
struct seq_file;
struct task_struct;

/* state.c: task state decoding, no locking, no side effects */

/**
 * struct kscope_state - what the kernel's state words say about a task
 * @raw: task_struct::__state | task_struct::exit_state, as the kernel keeps them
 * @letter: the letter /proc/<pid>/stat shows (R S D T t X Z P I)
 * @name: the word /proc/<pid>/status shows after the letter
 */
struct kscope_state {
	unsigned int raw;
	char letter;
	const char *name;
};

void kscope_state_decode(unsigned int state, unsigned int exit_state,
			 struct kscope_state *out);
int kscope_state_bits_snprint(char *buf, size_t size, unsigned int raw);
bool kscope_state_counts_in_load(int on_rq, bool sched_contributes);
const char *kscope_policy_name(unsigned int policy);

/* task.c: a consistent snapshot of one task, and its one-line form */

#define KSCOPE_COMM_LEN	16

/**
 * struct kscope_task_snap - one task's fields as kscope reports them
 * @pid: thread id in the reader's pid namespace
 * @tgid: thread group id in the reader's pid namespace
 * @ppid: parent's tgid in the reader's pid namespace (0 when none visible)
 * @state: decoded state
 * @load: 1 if the task counts in the next loadavg sample
 * @kthread: 1 for kernel threads (PF_KTHREAD)
 * @cpu: CPU the task is on or last ran on
 * @prio: priority as /proc/<pid>/stat field 18 shows it (prio - MAX_RT_PRIO)
 * @nice: nice value
 * @policy: scheduling policy (SCHED_*)
 * @nvcsw: voluntary context switches
 * @nivcsw: involuntary context switches
 * @comm: command name
 */
struct kscope_task_snap {
	pid_t pid;
	pid_t tgid;
	pid_t ppid;
	struct kscope_state state;
	u8 load;
	u8 kthread;
	unsigned int cpu;
	int prio;
	int nice;
	unsigned int policy;
	unsigned long nvcsw;
	unsigned long nivcsw;
	char comm[KSCOPE_COMM_LEN];
};

void kscope_task_snapshot(struct task_struct *task, struct pid_namespace *ns,
			  struct kscope_task_snap *snap);
void kscope_tasks_header_show(struct seq_file *m);
void kscope_task_snap_show(struct seq_file *m,
			   const struct kscope_task_snap *snap);

/**
 * kscope_seq_pid_ns() - the pid namespace a kscope file is read in
 * @m: the open seq_file
 *
 * That of the procfs mount it was opened through, as for /proc/<pid>/.
 */
static inline struct pid_namespace *kscope_seq_pid_ns(struct seq_file *m)
{
	return proc_pid_ns(file_inode(m->file)->i_sb);
}

/* fmt.c: lines and columns without seq_printf()'s format parsing */
void kscope_seq_u64(struct seq_file *m, const char *name, u64 v);
void kscope_seq_s64(struct seq_file *m, const char *name, s64 v);
void kscope_seq_str(struct seq_file *m, const char *name, const char *s);
void kscope_seq_u64_width(struct seq_file *m, u64 v, unsigned int width);
void kscope_seq_str_width(struct seq_file *m, const char *s, int width);
void kscope_seq_comm(struct seq_file *m, const char *comm);
int kscope_seq_presize(struct file *file, size_t size);

/* perm.c: who may change kscope, and who may see which task */
int kscope_may_open(struct file *file, const char *what);
int kscope_may_write(struct file *file, const char *what);
int kscope_task_access(struct super_block *sb, struct task_struct *task);
int kscope_pid_access(struct super_block *sb, struct pid *pid);

/**
 * kscope_seq_may_see() - whether the reader of @m may see @task
 * @m: the open seq_file
 * @task: the task
 *
 * Return: as kscope_task_access() for @m's procfs instance, as a bool.
 */
static inline bool kscope_seq_may_see(struct seq_file *m,
				      struct task_struct *task)
{
	return !kscope_task_access(file_inode(m->file)->i_sb, task);
}

/* tasks.c: /proc/kscope/tasks */
extern const struct proc_ops kscope_tasks_proc_ops;

/* watch.c: /proc/kscope/watch, /proc/kscope/self/ and /proc/kscope/<pid>/ */
struct kscope_watch;
extern const struct proc_ops kscope_watch_proc_ops;
int kscope_watch_init(struct proc_dir_entry *root);
void kscope_watch_exit(void);
struct pid *kscope_watch_get_pid(struct kscope_watch *watch);
struct pid *kscope_watch_next_pid(int *nr);

/**
 * struct kscope_watch_req - one parsed token of a write to "watch"
 * @pid: the pid number, in the writer's pid namespace
 * @remove: true for "-PID"
 */
struct kscope_watch_req {
	int pid;
	bool remove;
};

int kscope_watch_parse(const char *buf, struct kscope_watch_req *reqs,
		       unsigned int max, unsigned int *nr, const char **bad);

/* sym.c: kernel variables 6.1 does not export, looked up at load */

/**
 * enum kscope_schedstats - whether task_struct::stats is being kept
 * @KSCOPE_SCHEDSTATS_NONE: the kernel has no CONFIG_SCHEDSTATS
 * @KSCOPE_SCHEDSTATS_UNKNOWN: built in, but the switch was not found
 * @KSCOPE_SCHEDSTATS_OFF: kernel.sched_schedstats is 0: values are stale
 * @KSCOPE_SCHEDSTATS_ON: kernel.sched_schedstats is 1
 */
enum kscope_schedstats {
	KSCOPE_SCHEDSTATS_NONE,
	KSCOPE_SCHEDSTATS_UNKNOWN,
	KSCOPE_SCHEDSTATS_OFF,
	KSCOPE_SCHEDSTATS_ON,
};

int kscope_sym_init(struct proc_dir_entry *root);
void kscope_sym_exit(void);
enum kscope_schedstats kscope_schedstats(void);
int kscope_hung_timeout(unsigned long *secs);
int kscope_hung_warnings_left(int *left);
int kscope_stack_save(struct task_struct *task, unsigned long *entries,
		      unsigned int size);
bool kscope_ptrace_may_read(struct task_struct *task);
spinlock_t *kscope_css_set_lock(void);	/* css_set_lock, or NULL */
const char *kscope_schedstats_name(enum kscope_schedstats s);

/* sched.c: scheduler statistics of one task */

/**
 * enum kscope_age_source - what a task's time in its state is measured from
 * @KSCOPE_AGE_UNKNOWN: the kernel keeps no record of it
 * @KSCOPE_AGE_SLICE: running: CPU time since it was last switched in
 * @KSCOPE_AGE_WAIT: runnable, waiting on a runqueue since stats.wait_start
 * @KSCOPE_AGE_SLEEP: asleep since stats.sleep_start (S)
 * @KSCOPE_AGE_BLOCK: blocked since stats.block_start (D, I, and the
 *                    other TASK_UNINTERRUPTIBLE states)
 */
enum kscope_age_source {
	KSCOPE_AGE_UNKNOWN,
	KSCOPE_AGE_SLICE,
	KSCOPE_AGE_WAIT,
	KSCOPE_AGE_SLEEP,
	KSCOPE_AGE_BLOCK,
};

/**
 * struct kscope_state_age - how long a task has been in its current state
 * @ns: nanoseconds, valid unless @source is KSCOPE_AGE_UNKNOWN
 * @source: where @ns comes from
 * @why: when unknown, a short reason
 */
struct kscope_state_age {
	u64 ns;
	enum kscope_age_source source;
	const char *why;
};

void kscope_task_state_age(struct task_struct *p, struct kscope_state_age *age);
const char *kscope_age_source_name(enum kscope_age_source source);

/**
 * struct kscope_sched_derived - values derived from a task's sched fields
 * @avg_atom: average run length between switches, ns; -1 if no switches
 * @avg_per_cpu: average runtime between migrations, ns; -1 if none
 * @avg_wait: average time waiting on a runqueue per wait, ns; -1 if none
 * @wait_share: wait time / (wait + run time), in 1/10000; -1 if neither
 */
struct kscope_sched_derived {
	s64 avg_atom;
	s64 avg_per_cpu;
	s64 avg_wait;
	s64 wait_share;
};

void kscope_sched_derive(u64 sum_exec_runtime, u64 nr_switches,
			 u64 nr_migrations, u64 wait_sum, u64 wait_count,
			 struct kscope_sched_derived *d);

/* time arithmetic shared by cputime.c and cpustat.c */

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

/* walk.c: every task of a pid namespace, a bounded batch per RCU section */

/* most pids looked at under one rcu_read_lock() */
#define KSCOPE_WALK_BATCH	256

typedef int (*kscope_walk_fn)(struct task_struct *task, pid_t nr, void *arg);

/**
 * struct kscope_walk_stats - what one walk cost
 * @tasks: tasks passed to the callback
 * @batches: RCU read-side sections
 * @max_hold_ns: the longest of them
 * @total_ns: the whole walk, lock breaks and rescheduling included
 */
struct kscope_walk_stats {
	unsigned long tasks;
	unsigned int batches;
	u64 max_hold_ns;
	u64 total_ns;
};

int kscope_walk_tasks(struct pid_namespace *ns, kscope_walk_fn fn, void *arg);
int kscope_walk_tasks_stats(struct pid_namespace *ns, kscope_walk_fn fn,
			    void *arg, struct kscope_walk_stats *st);

/* cpustat.c: /proc/kscope/cpustat */

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

/* loadavg.c: /proc/kscope/loadavg */

int kscope_loadavg_snprint(char *buf, size_t size, unsigned long raw);
extern const struct proc_ops kscope_loadavg_proc_ops;

/* hung.c: /proc/kscope/hung and hung_history */

/**
 * struct kscope_hung_conf - settings written to /proc/kscope/hung
 * @threshold_ms: list tasks blocked this long; -1 follows the kernel's
 *                hung_task_timeout_secs
 * @period_ms: scanner period; 0 stops it
 */
struct kscope_hung_conf {
	int threshold_ms;
	unsigned int period_ms;
};

extern const struct proc_ops kscope_hung_proc_ops;
extern const struct proc_ops kscope_hung_history_proc_ops;
int kscope_hung_init(struct proc_dir_entry *root);
void kscope_hung_exit(void);
bool kscope_hung_rule(unsigned int state, unsigned long switches);
bool kscope_khung_would_report(unsigned long timeout_secs,
			       unsigned long switches, unsigned long last_count,
			       unsigned long last_time, unsigned long now);
int kscope_hung_parse(char *buf, struct kscope_hung_conf *conf,
		      const char **bad);

/* inject.c: /proc/kscope/inject/, root-only fault injection */
int kscope_inject_init(struct proc_dir_entry *root);
void kscope_inject_exit(void);

/* inject_sleep.c: inject/sleep_d and inject/sleep_i */
extern const struct proc_ops kscope_sleep_d_proc_ops;
extern const struct proc_ops kscope_sleep_i_proc_ops;
void kscope_sleep_stop(void);
int kscope_sleep_parse(const char *buf, unsigned int max, unsigned int *ms);

/* main.c: /proc/kscope/version */
extern const struct proc_ops kscope_version_proc_ops;

/* task_files.c: the per-task file table and the per-task files */

/**
 * struct kscope_task_entry - one file in /proc/kscope/self/ and <pid>/
 * @name: file name
 * @mode: file mode
 * @show: prints the file for @task, with pids as @ns sees them
 *
 * Modelled on fs/proc/base.c's pid_entry: a new per-task file is a
 * new row in kscope_task_entries[].
 */
struct kscope_task_entry {
	const char *name;
	umode_t mode;
	int (*show)(struct seq_file *m, struct pid_namespace *ns,
		    struct task_struct *task);
};

int kscope_task_dir_populate(struct proc_dir_entry *dir);
int kscope_task_all_populate(struct proc_dir_entry *dir);
int kscope_task_sched_show(struct seq_file *m, struct pid_namespace *ns,
			   struct task_struct *p);
int kscope_task_cputime_show(struct seq_file *m, struct pid_namespace *ns,
			     struct task_struct *p);
void kscope_cputime_adjust(u64 utime, u64 stime, u64 rtime,
			   u64 *prev_utime, u64 *prev_stime);

#endif /* _KSCOPE_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kscope.h - declarations shared between kscope's source files and its
 * KUnit suites.
 */
#ifndef _KSCOPE_H
#define _KSCOPE_H

#include <linux/fs.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
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

/* tasks.c: /proc/kscope/tasks */
extern const struct proc_ops kscope_tasks_proc_ops;

/* watch.c: /proc/kscope/watch, /proc/kscope/self/ and /proc/kscope/<pid>/ */
struct kscope_watch;
extern const struct proc_ops kscope_watch_proc_ops;
int kscope_watch_init(struct proc_dir_entry *root);
void kscope_watch_exit(void);
struct pid *kscope_watch_get_pid(struct kscope_watch *watch);

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

#endif /* _KSCOPE_H */

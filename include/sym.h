/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sym.h - kernel variables and functions 6.1 does not export, looked up
 * through kallsyms at load (module/sym.c), each behind a function that
 * says when it was not found.
 */
#ifndef _KSCOPE_SYM_H
#define _KSCOPE_SYM_H

#include <linux/proc_fs.h>
#include <linux/spinlock_types.h>
#include <linux/types.h>

struct seq_file;
struct task_struct;

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
void kscope_sym_refresh(void);
void kscope_sym_show(struct seq_file *m);
enum kscope_schedstats kscope_schedstats(void);
int kscope_hung_timeout(unsigned long *secs);
int kscope_hung_warnings_left(int *left);
int kscope_stack_save(struct task_struct *task, unsigned long *entries,
		      unsigned int size);
bool kscope_ptrace_may_read(struct task_struct *task);
int kscope_ptrace_may_attach(struct task_struct *task);
spinlock_t *kscope_css_set_lock(void);	/* css_set_lock, or NULL */
const char *kscope_sym_why_unknown(void);

#endif /* _KSCOPE_SYM_H */

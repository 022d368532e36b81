/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hung.h - /proc/kscope/hung and hung_history (module/hung.c): tasks
 * blocked too long, found by kscope's own scanner, and the rule
 * khungtaskd applies.
 */
#ifndef _KSCOPE_HUNG_H
#define _KSCOPE_HUNG_H

#include <linux/proc_fs.h>
#include <linux/types.h>

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

#endif /* _KSCOPE_HUNG_H */

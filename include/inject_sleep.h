/* SPDX-License-Identifier: GPL-2.0 */
/*
 * inject_sleep.h - /proc/kscope/inject/sleep_d and sleep_i
 * (module/inject_sleep.c): the writer sleeps, uninterruptibly or not.
 */
#ifndef _KSCOPE_INJECT_SLEEP_H
#define _KSCOPE_INJECT_SLEEP_H

#include <linux/proc_fs.h>

extern const struct proc_ops kscope_sleep_d_proc_ops;
extern const struct proc_ops kscope_sleep_i_proc_ops;
void kscope_sleep_stop(void);
int kscope_sleep_parse(const char *buf, unsigned int max, unsigned int *ms);

#endif /* _KSCOPE_INJECT_SLEEP_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tasks.h - /proc/kscope/tasks (module/tasks.c): one line per task.
 */
#ifndef _KSCOPE_TASKS_H
#define _KSCOPE_TASKS_H

#include <linux/proc_fs.h>

extern const struct proc_ops kscope_tasks_proc_ops;

#endif /* _KSCOPE_TASKS_H */

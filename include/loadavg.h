/* SPDX-License-Identifier: GPL-2.0 */
/*
 * loadavg.h - /proc/kscope/loadavg (module/loadavg.c): the load average
 * and the tasks that make it.
 */
#ifndef _KSCOPE_LOADAVG_H
#define _KSCOPE_LOADAVG_H

#include <linux/proc_fs.h>
#include <linux/types.h>

int kscope_loadavg_snprint(char *buf, size_t size, unsigned long raw);
extern const struct proc_ops kscope_loadavg_proc_ops;

#endif /* _KSCOPE_LOADAVG_H */

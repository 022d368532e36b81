/* SPDX-License-Identifier: GPL-2.0 */
/*
 * task_files.h - the files of /proc/kscope/self/, /proc/kscope/w<id>/ and
 * /proc/kscope/all/ (module/task_files.c), one per row of its table.
 */
#ifndef _KSCOPE_TASK_FILES_H
#define _KSCOPE_TASK_FILES_H

struct proc_dir_entry;

int kscope_task_dir_populate(struct proc_dir_entry *dir);
int kscope_task_all_populate(struct proc_dir_entry *dir);

#endif /* _KSCOPE_TASK_FILES_H */

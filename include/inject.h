/* SPDX-License-Identifier: GPL-2.0 */
/*
 * inject.h - /proc/kscope/inject/ (module/inject.c): the table of
 * root-only fault injectors.
 */
#ifndef _KSCOPE_INJECT_H
#define _KSCOPE_INJECT_H

struct proc_dir_entry;

int kscope_inject_init(struct proc_dir_entry *root);
void kscope_inject_exit(void);

#endif /* _KSCOPE_INJECT_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netfilter.h - /proc/kscope/netfilter/: the hook that runs the rules
 * of nf_rule.h against received packets (module/netfilter.c, built with
 * CONFIG_NETFILTER; without it, /proc/kscope/netfilter/ does not exist).
 */
#ifndef _KSCOPE_NETFILTER_H
#define _KSCOPE_NETFILTER_H

struct proc_dir_entry;

#ifdef CONFIG_NETFILTER
int kscope_netfilter_init(struct proc_dir_entry *root);
void kscope_netfilter_exit(void);
#else
static inline int kscope_netfilter_init(struct proc_dir_entry *root)
{
	return 0;
}

static inline void kscope_netfilter_exit(void)
{
}
#endif

#endif /* _KSCOPE_NETFILTER_H */

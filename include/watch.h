/* SPDX-License-Identifier: GPL-2.0 */
/*
 * watch.h - /proc/kscope/watch, /proc/kscope/self/ and /proc/kscope/w<id>/
 * (module/watch.c): the set of watched pids and their directories.
 */
#ifndef _KSCOPE_WATCH_H
#define _KSCOPE_WATCH_H

#include <linux/proc_fs.h>
#include <linux/types.h>

struct kscope_watch;
struct pid;

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

#endif /* _KSCOPE_WATCH_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * inject_charge.h - /proc/kscope/inject/memcg_charge (module/inject_charge.c):
 * kernel memory charged to the writer's memory cgroup and held until
 * released; the parser of what is written to it, which KUnit tests.
 */
#ifndef _KSCOPE_INJECT_CHARGE_H
#define _KSCOPE_INJECT_CHARGE_H

#include <linux/proc_fs.h>
#include <linux/types.h>

/**
 * enum kscope_charge_op - what a write to inject/memcg_charge asks for
 * @KSCOPE_CHARGE_ALLOC: "alloc SIZE [oom]": charge and hold SIZE bytes
 * @KSCOPE_CHARGE_FREE_ALL: "free": release everything held
 * @KSCOPE_CHARGE_FREE_ONE: "free ID": release one block
 */
enum kscope_charge_op {
	KSCOPE_CHARGE_ALLOC,
	KSCOPE_CHARGE_FREE_ALL,
	KSCOPE_CHARGE_FREE_ONE,
};

/**
 * struct kscope_charge_req - one parsed write to inject/memcg_charge
 * @op: the command
 * @bytes: for ALLOC, the size asked for, in bytes (not yet rounded)
 * @id: for FREE_ONE, the block to release
 * @oom: for ALLOC, take the whole charge path, OOM killer included,
 *       rather than fail after one round of reclaim
 */
struct kscope_charge_req {
	enum kscope_charge_op op;
	u64 bytes;
	unsigned int id;
	bool oom;
};

int kscope_charge_parse(const char *buf, struct kscope_charge_req *req,
			const char **bad);
int kscope_parse_size(const char *tok, size_t len, u64 *bytes);

extern const struct proc_ops kscope_charge_proc_ops;
void kscope_charge_exit(void);

#endif /* _KSCOPE_INJECT_CHARGE_H */

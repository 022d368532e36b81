/* SPDX-License-Identifier: GPL-2.0 */
/*
 * state.h - task state decoding (module/state.c): the letters and names
 * /proc shows for a task's state words, and whether a task counts in
 * the load average. Pure: no locking, no side effects.
 */
#ifndef _KSCOPE_STATE_H
#define _KSCOPE_STATE_H

#include <linux/types.h>

/**
 * struct kscope_state - what the kernel's state words say about a task
 * @raw: task_struct::__state | task_struct::exit_state, as the kernel keeps them
 * @letter: the letter /proc/<pid>/stat shows (R S D T t X Z P I)
 * @name: the word /proc/<pid>/status shows after the letter
 */
struct kscope_state {
	unsigned int raw;
	char letter;
	const char *name;
};

void kscope_state_decode(unsigned int state, unsigned int exit_state,
			 struct kscope_state *out);
int kscope_state_bits_snprint(char *buf, size_t size, unsigned int raw);
bool kscope_state_counts_in_load(int on_rq, bool sched_contributes);
const char *kscope_policy_name(unsigned int policy);

#endif /* _KSCOPE_STATE_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * inject.c - /proc/kscope/inject/: task-level fault injection.
 *
 * Every injector is a root-only file in /proc/kscope/inject/, one row of
 * kscope_injectors[]. At unload, a row's stop hook makes the writers still
 * inside it return soon (a task sleeping in an injector is woken), the
 * files are removed, which waits for those writers to leave, and then
 * its exit hook gives back what the injector holds (memory) before the
 * module's code goes away.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/proc_fs.h>

#include "kscope_compat.h"
#include "inject.h"
#include "inject_charge.h"
#include "inject_sleep.h"

/**
 * struct kscope_injector - a file in /proc/kscope/inject/
 * @name: file name
 * @mode: file mode; opening for writing also needs CAP_SYS_ADMIN
 * @ops: its proc_ops
 * @stop: called at unload before the file is removed, to make writers
 *        inside it return soon and new ones fail; may be NULL
 * @exit: called at unload, after the file is removed; may be NULL
 */
struct kscope_injector {
	const char *name;
	umode_t mode;
	const struct proc_ops *ops;
	void (*stop)(void);
	void (*exit)(void);
};

static const struct kscope_injector kscope_injectors[] = {
	{ "sleep_d", 0666, &kscope_sleep_d_proc_ops, kscope_sleep_stop, NULL },
	{ "sleep_i", 0666, &kscope_sleep_i_proc_ops, kscope_sleep_stop, NULL },
	{ "memcg_charge", 0666, &kscope_charge_proc_ops, NULL,
	  kscope_charge_exit },
};

static struct proc_dir_entry *kscope_inject_dir;

static void kscope_inject_teardown(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kscope_injectors); i++)
		if (kscope_injectors[i].stop)
			kscope_injectors[i].stop();
	proc_remove(kscope_inject_dir);
	kscope_inject_dir = NULL;
	for (i = 0; i < ARRAY_SIZE(kscope_injectors); i++)
		if (kscope_injectors[i].exit)
			kscope_injectors[i].exit();
}

/**
 * kscope_inject_init() - create /proc/kscope/inject/ and its files
 * @root: /proc/kscope
 *
 * Return: 0 or -ENOMEM.
 */
int kscope_inject_init(struct proc_dir_entry *root)
{
	const struct kscope_injector *in;

	kscope_inject_dir = proc_mkdir("inject", root);
	if (!kscope_inject_dir)
		return -ENOMEM;
	for (in = kscope_injectors;
	     in < kscope_injectors + ARRAY_SIZE(kscope_injectors); in++) {
		if (!proc_create(in->name, in->mode, kscope_inject_dir,
				 in->ops)) {
			pr_err("cannot create /proc/kscope/inject/%s\n",
			       in->name);
			kscope_inject_teardown();
			return -ENOMEM;
		}
	}
	return 0;
}

/**
 * kscope_inject_exit() - remove the injectors and undo what they hold
 *
 * The stop hooks wake the writers still inside an injector, and
 * proc_remove() waits for them to return, so the exit hooks run with no
 * work in flight and none coming.
 */
void kscope_inject_exit(void)
{
	kscope_inject_teardown();
}

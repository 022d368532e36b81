// SPDX-License-Identifier: GPL-2.0
/*
 * inject.c - /proc/kscope/inject/: task-level fault injection.
 *
 * Every injector is a root-only file in /proc/kscope/inject/, one row of
 * kscope_injectors[]. A row may have an exit hook, called at unload after
 * the files are gone, to give back what the injector holds (memory,
 * sleeping tasks) before the module's code goes away.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/proc_fs.h>

#include "kscope.h"
#include "kscope_compat.h"

/**
 * struct kscope_injector - a file in /proc/kscope/inject/
 * @name: file name
 * @mode: file mode (0600 or 0200: root only)
 * @ops: its proc_ops
 * @exit: called at unload, after the file is removed; may be NULL
 */
struct kscope_injector {
	const char *name;
	umode_t mode;
	const struct proc_ops *ops;
	void (*exit)(void);
};

static const struct kscope_injector kscope_injectors[] = {
};

static struct proc_dir_entry *kscope_inject_dir;

static void kscope_inject_teardown(void)
{
	size_t i;

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
 * proc_remove() waits for every writer still inside an injector's
 * proc_ops to return, so the exit hooks run with no new work coming.
 */
void kscope_inject_exit(void)
{
	kscope_inject_teardown();
}

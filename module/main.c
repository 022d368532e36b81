// SPDX-License-Identifier: GPL-2.0
/*
 * kscope - what the kernel knows about tasks, CPU time, memory cgroups,
 * hangs and packets, as files under /proc/kscope/.
 *
 * main.c: module init and exit, /proc/kscope/ and its top-level files.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/utsname.h>

#include "kscope.h"
#include "kscope_compat.h"
#include "cg_list.h"
#include "cpustat.h"
#include "hung.h"
#include "inject.h"
#include "loadavg.h"
#include "memcg.h"
#include "netfilter.h"
#include "sym.h"
#include "tasks.h"
#include "watch.h"

/**
 * struct kscope_feature - an optional kernel facility kscope uses
 * @name: short name
 * @enabled: whether this kernel was built with it
 * @what: what depends on it
 * @off: if set, says why a facility built in is off on this boot (NULL
 *	when it is on: cgroup_disable=memory, say)
 */
struct kscope_feature {
	const char *name;
	bool enabled;
	const char *what;
	const char *(*off)(void);
};

static const struct kscope_feature kscope_features[] = {
	{ "schedstats",	IS_ENABLED(CONFIG_SCHEDSTATS),
	  "sleep/block/wait statistics (runtime switch: kernel.sched_schedstats)" },
	{ "sched_debug", IS_ENABLED(CONFIG_SCHED_DEBUG),
	  "the fields /proc/<pid>/sched shows" },
	{ "cgroups",	IS_ENABLED(CONFIG_CGROUPS),
	  "cg_list and the cgroup paths in memcg" },
	{ "memcg",	IS_ENABLED(CONFIG_MEMCG),
	  "memory cgroup usage, limits and LRU sizes",
	  kscope_memcg_unavailable },
	{ "hung_task",	IS_ENABLED(CONFIG_DETECT_HUNG_TASK),
	  "khungtaskd's last_switch_count and timeout" },
	{ "netfilter",	IS_ENABLED(CONFIG_NETFILTER),
	  "packet-triggered fault injection" },
	{ "kprobes",	IS_ENABLED(CONFIG_KPROBES),
	  "reaching kallsyms_lookup_name for the symbols below (see symbol: lines)" },
	{ "kunit",	IS_ENABLED(CONFIG_KUNIT),
	  "kscope_kunit.ko self-tests" },
	{ "delayed_dequeue", KSCOPE_HAVE_DELAYED_DEQUEUE,
	  "EEVDF delayed dequeue: a sleeper may stay queued (sched_delayed)" },
	{ "sched_ext",	IS_ENABLED(CONFIG_SCHED_CLASS_EXT),
	  "policy 7 (ext) can be in use" },
	{ "memcg_v1",	IS_ENABLED(CONFIG_MEMCG) && KSCOPE_HAVE_MEMCG_V1,
	  "cgroup v1 memory hierarchy: memsw, soft_limit, kernel and sock counters",
	  kscope_memcg_unavailable },
	{ "memcg_node_stats", IS_ENABLED(CONFIG_MEMCG) &&
			      KSCOPE_HAVE_MEMCG_NODE_STATS,
	  "memcg stat.* and lru lists (per-node statistics readable by modules)",
	  kscope_memcg_unavailable },
	{ "mglru",	IS_ENABLED(CONFIG_LRU_GEN),
	  "multi-gen LRU built (switch: /sys/kernel/mm/lru_gen/enabled)" },
	{ "ibt",	IS_ENABLED(CONFIG_X86_KERNEL_IBT),
	  "indirect branch tracking: kallsyms is not called (see symbol: lines)" },
};

static int kscope_version_show(struct seq_file *m, void *v)
{
	const struct kscope_feature *f;
	const char *off;

	seq_printf(m, "kscope: %s\n", KSCOPE_VERSION);
	seq_printf(m, "kernel: %s\n", init_utsname()->release);
	for (f = kscope_features;
	     f < kscope_features + ARRAY_SIZE(kscope_features); f++) {
		off = f->enabled && f->off ? f->off() : NULL;
		seq_printf(m, "feature: %-12s %-3s %s", f->name,
			   f->enabled && !off ? "yes" : "no", f->what);
		if (off)
			seq_printf(m, " (off: %s)", off);
		seq_putc(m, '\n');
	}
	kscope_sym_show(m);
	return 0;
}

static int kscope_version_open(struct inode *inode, struct file *file)
{
	return single_open(file, kscope_version_show, NULL);
}

static const struct proc_ops kscope_version_proc_ops = {
	.proc_open	= kscope_version_open,
	.proc_read_iter	= seq_read_iter,
	.proc_lseek	= seq_lseek,
	.proc_release	= single_release,
};

/* The files directly under /proc/kscope/: a new one is one more row. */
static const struct kscope_file kscope_files[] = {
	{ "version",	0444, &kscope_version_proc_ops },
	{ "tasks",	0444, &kscope_tasks_proc_ops },
	{ "watch",	0666, &kscope_watch_proc_ops },
	{ "cpustat",	0444, &kscope_cpustat_proc_ops },
	{ "loadavg",	0444, &kscope_loadavg_proc_ops },
	{ "hung",	0666, &kscope_hung_proc_ops },
	{ "hung_history", 0444, &kscope_hung_history_proc_ops },
};

/**
 * struct kscope_part - a part of kscope with state to set up and tear down
 * @name: for the log
 * @init: called at load, after /proc/kscope/ exists and before the
 *        top-level files do
 * @exit: called at unload, after the top-level files are gone, so that
 *        no open of them can reach a part that is going away; NULL for
 *        a part with nothing to tear down
 */
struct kscope_part {
	const char *name;
	int (*init)(struct proc_dir_entry *root);
	void (*exit)(void);
};

static const struct kscope_part kscope_parts[] = {
	{ "sym", kscope_sym_init, kscope_sym_exit },
	{ "cg_list", kscope_cg_list_init, NULL },
	{ "watch", kscope_watch_init, kscope_watch_exit },
	{ "inject", kscope_inject_init, kscope_inject_exit },
	{ "hung", kscope_hung_init, kscope_hung_exit },
	{ "netfilter", kscope_netfilter_init, kscope_netfilter_exit },
};

static struct proc_dir_entry *kscope_root;
static struct proc_dir_entry *kscope_entries[ARRAY_SIZE(kscope_files)];

static void kscope_parts_exit(unsigned int n)
{
	while (n--)
		if (kscope_parts[n].exit)
			kscope_parts[n].exit();
}

static void kscope_files_remove(unsigned int n)
{
	while (n--)
		proc_remove(kscope_entries[n]);
}

static int __init kscope_init(void)
{
	unsigned int parts, files;
	int ret;

	kscope_root = proc_mkdir("kscope", NULL);
	if (!kscope_root)
		return -ENOMEM;

	for (parts = 0; parts < ARRAY_SIZE(kscope_parts); parts++) {
		ret = kscope_parts[parts].init(kscope_root);
		if (ret) {
			pr_err("%s: init failed: %d\n",
			       kscope_parts[parts].name, ret);
			goto err_parts;
		}
	}

	for (files = 0; files < ARRAY_SIZE(kscope_files); files++) {
		const struct kscope_file *f = &kscope_files[files];

		kscope_entries[files] = proc_create(f->name, f->mode,
						    kscope_root, f->ops);
		if (!kscope_entries[files]) {
			pr_err("cannot create /proc/kscope/%s\n", f->name);
			ret = -ENOMEM;
			goto err_files;
		}
	}

	pr_info("%s loaded\n", KSCOPE_VERSION);
	return 0;

err_files:
	kscope_files_remove(files);
err_parts:
	kscope_parts_exit(parts);
	proc_remove(kscope_root);
	return ret;
}

static void __exit kscope_exit(void)
{
	kscope_files_remove(ARRAY_SIZE(kscope_files));
	kscope_parts_exit(ARRAY_SIZE(kscope_parts));
	proc_remove(kscope_root);
	pr_info("unloaded\n");
}

module_init(kscope_init);
module_exit(kscope_exit);

MODULE_DESCRIPTION("kscope: what the kernel knows about tasks, CPU time, memory cgroups, hangs and packets, in /proc/kscope");
MODULE_AUTHOR("The kscope developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(KSCOPE_VERSION);

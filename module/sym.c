// SPDX-License-Identifier: GPL-2.0
/*
 * sym.c - kernel symbols that Linux 6.1 does not export to modules.
 *
 * A few facts kscope reports are held in kernel variables no module may
 * link against: whether schedstats are switched on at run time (the
 * sched_schedstats static key behind kernel.sched_schedstats), and
 * khungtaskd's timeout and warning budget; and a task's kernel stack is
 * only reachable through stack_trace_save_tsk(), which is not exported;
 * nor is ptrace_may_access(), the test /proc applies on a hidepid= mount.
 * kscope looks these up once, at load, through kallsyms, reached by a
 * kprobe on kallsyms_lookup_name() since that function is not exported
 * either. Every user of a symbol found here must cope with it missing:
 * the lookup is disabled with resolve_symbols=0, needs CONFIG_KPROBES,
 * and is skipped on kernels where an indirect call to a non-exported
 * function may be rejected by control-flow integrity (IBT, kCFI).
 * kscope then says "unknown" (or, for ptrace_may_access(), hides more)
 * rather than guess.
 *
 * Later kernels export some of them (stack_trace_save_tsk() and
 * sysctl_hung_task_timeout_secs since 6.7), and kscope links those
 * directly (include/kscope_compat.h). Where kallsyms cannot be called
 * safely (IBT on Debian's 6.12), the two values that are sysctls,
 * kernel.sched_schedstats and kernel.hung_task_warnings, are read from
 * the kernel's own files under /proc/sys, as the reader would: the first
 * is re-read before every walk and every per-task file
 * (kscope_sym_refresh()), since a reader under the RCU read lock cannot
 * open a file. What is left, css_set_lock and ptrace_may_access(), stays
 * unfound, with the fallbacks described above.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/jump_label.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>

#include "kscope_compat.h"
#include "sym.h"

static bool resolve_symbols = true;
module_param(resolve_symbols, bool, 0444);
MODULE_PARM_DESC(resolve_symbols,
		 "Look up unexported kernel symbols (sched_schedstats, hung task sysctls, stack_trace_save_tsk, ptrace_may_access, css_set_lock) through kallsyms at load; 0 makes what depends on them \"unknown\" (default 1)");

typedef unsigned int (*kscope_stack_fn)(struct task_struct *task,
					unsigned long *store,
					unsigned int size,
					unsigned int skipnr);

static struct static_key_false *kscope_sched_schedstats;
static unsigned long *kscope_hung_timeout_secs;
static int *kscope_hung_warnings;
static kscope_stack_fn kscope_stack_save_fn;
static bool (*kscope_ptrace_may_access_fn)(struct task_struct *task,
					   unsigned int mode);
static spinlock_t *kscope_css_set_lock_ptr;

/*
 * Set when kallsyms could not be reached safely: then the sysctls are
 * read from /proc/sys; kscope_ss_sysctl caches kernel.sched_schedstats,
 * -1 while unknown.
 */
static bool kscope_sym_use_sysctl;
static int kscope_ss_sysctl = -1;

#define KSCOPE_SYSCTL_SCHEDSTATS	"/proc/sys/kernel/sched_schedstats"
#define KSCOPE_SYSCTL_HUNG_WARNINGS	"/proc/sys/kernel/hung_task_warnings"

/**
 * kscope_sysctl_read() - read an integer sysctl from its /proc/sys file
 * @path: the file, resolved in the caller's mount namespace and root
 * @val: the value
 *
 * Context: process context, may sleep.
 * Return: 0, or a negative errno when the file cannot be opened or read
 * (no /proc in the caller's root, say).
 */
static int kscope_sysctl_read(const char *path, long *val)
{
	char buf[24];
	struct file *f;
	loff_t pos = 0;
	ssize_t n;

	f = filp_open(path, O_RDONLY, 0);
	if (IS_ERR(f))
		return PTR_ERR(f);
	n = kernel_read(f, buf, sizeof(buf) - 1, &pos);
	filp_close(f, NULL);
	if (n < 0)
		return n;
	buf[n] = '\0';
	return kstrtol(strim(buf), 10, val);
}

/**
 * kscope_sym_refresh() - re-read what kscope_schedstats() answers from
 *
 * A no-op unless the switch is read from /proc/sys. Called before each
 * walk over all tasks and each per-task file, so that what they print
 * follows the switch as it was when the read began.
 *
 * Context: process context, may sleep; not under the RCU read lock.
 */
void kscope_sym_refresh(void)
{
	long v;

	if (!IS_ENABLED(CONFIG_SCHEDSTATS) || !READ_ONCE(kscope_sym_use_sysctl))
		return;
	WRITE_ONCE(kscope_ss_sysctl,
		   kscope_sysctl_read(KSCOPE_SYSCTL_SCHEDSTATS, &v) ? -1 : !!v);
}

typedef unsigned long (*kscope_lookup_fn)(const char *name);

/**
 * kscope_sym_lookup_fn() - the address of kallsyms_lookup_name()
 *
 * Registering a kprobe resolves its symbol name; the probe is removed
 * at once, before it can ever fire.
 *
 * Return: the function, or NULL when it cannot be reached safely.
 */
static kscope_lookup_fn kscope_sym_lookup_fn(void)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	kscope_lookup_fn fn;

	if (!IS_ENABLED(CONFIG_KPROBES) || IS_ENABLED(CONFIG_X86_KERNEL_IBT) ||
	    IS_ENABLED(CONFIG_CFI_CLANG))
		return NULL;
	if (register_kprobe(&kp))
		return NULL;
	fn = (kscope_lookup_fn)kp.addr;
	unregister_kprobe(&kp);
	return fn;
}

/**
 * kscope_sym_why_unknown() - why a symbol looked up through kallsyms is unknown
 *
 * For the files that say what they cannot show: the reason of
 * kscope_sym_lookup_fn()'s refusal, in the order it checks them.
 *
 * Return: a constant string.
 */
const char *kscope_sym_why_unknown(void)
{
	if (!resolve_symbols)
		return "resolve_symbols=0";
	if (!IS_ENABLED(CONFIG_KPROBES))
		return "CONFIG_KPROBES=n: kallsyms cannot be reached";
	if (IS_ENABLED(CONFIG_X86_KERNEL_IBT) || IS_ENABLED(CONFIG_CFI_CLANG))
		return "kernel built with IBT or CFI: kallsyms is not called";
	return "not found by kallsyms";
}

/**
 * kscope_sym_init() - look up the optional symbols
 * @root: unused
 *
 * Never fails: a symbol that is not found stays NULL.
 *
 * Return: 0.
 */
int kscope_sym_init(struct proc_dir_entry *root)
{
	kscope_lookup_fn lookup;

	if (!resolve_symbols)
		return 0;
	lookup = kscope_sym_lookup_fn();
	if (!lookup) {
		WRITE_ONCE(kscope_sym_use_sysctl, true);
		kscope_sym_refresh();
		pr_info("kallsyms not reachable: schedstats and hung task warnings read from /proc/sys; css_set_lock and ptrace_may_access unknown\n");
		return 0;
	}
	kscope_sched_schedstats =
		(struct static_key_false *)lookup("sched_schedstats");
	if (IS_ENABLED(CONFIG_DETECT_HUNG_TASK)) {
		kscope_hung_timeout_secs =
			(unsigned long *)lookup("sysctl_hung_task_timeout_secs");
		kscope_hung_warnings = (int *)lookup("sysctl_hung_task_warnings");
	}
	if (IS_ENABLED(CONFIG_STACKTRACE))
		kscope_stack_save_fn =
			(kscope_stack_fn)lookup("stack_trace_save_tsk");
	kscope_ptrace_may_access_fn = (void *)lookup("ptrace_may_access");
	if (IS_ENABLED(CONFIG_CGROUPS))
		kscope_css_set_lock_ptr = (spinlock_t *)lookup("css_set_lock");
	return 0;
}

void kscope_sym_exit(void)
{
	kscope_sched_schedstats = NULL;
	kscope_hung_timeout_secs = NULL;
	kscope_hung_warnings = NULL;
	kscope_stack_save_fn = NULL;
	kscope_ptrace_may_access_fn = NULL;
	kscope_css_set_lock_ptr = NULL;
	WRITE_ONCE(kscope_sym_use_sysctl, false);
	WRITE_ONCE(kscope_ss_sysctl, -1);
}

/**
 * kscope_schedstats() - whether the scheduler keeps its statistics now
 *
 * The sleep, block and wait timestamps and the counters in
 * task_struct::stats only move while kernel.sched_schedstats is 1; when
 * it is 0 they keep stale values, which /proc/<pid>/sched then hides.
 *
 * Where the switch is read from /proc/sys, the value is the one read by
 * the last kscope_sym_refresh().
 *
 * Return: KSCOPE_SCHEDSTATS_ON, _OFF, _NONE when this kernel lacks
 * CONFIG_SCHEDSTATS, or _UNKNOWN when the switch could not be found.
 */
enum kscope_schedstats kscope_schedstats(void)
{
	int ss;

	if (!IS_ENABLED(CONFIG_SCHEDSTATS))
		return KSCOPE_SCHEDSTATS_NONE;
	if (!kscope_sched_schedstats) {
		ss = READ_ONCE(kscope_ss_sysctl);
		if (ss < 0)
			return KSCOPE_SCHEDSTATS_UNKNOWN;
		return ss ? KSCOPE_SCHEDSTATS_ON : KSCOPE_SCHEDSTATS_OFF;
	}
	return static_key_enabled(&kscope_sched_schedstats->key) ?
	       KSCOPE_SCHEDSTATS_ON : KSCOPE_SCHEDSTATS_OFF;
}

/**
 * kscope_hung_timeout() - kernel.hung_task_timeout_secs
 * @secs: where to put it
 *
 * Return: 0, or -ENOENT when this kernel has no hung task detector or
 * the variable could not be found.
 */
int kscope_hung_timeout(unsigned long *secs)
{
	if (kscope_hung_timeout_exported(secs))
		return 0;
	if (!kscope_hung_timeout_secs)
		return -ENOENT;
	*secs = READ_ONCE(*kscope_hung_timeout_secs);
	return 0;
}

/**
 * kscope_hung_warnings_left() - kernel.hung_task_warnings
 * @left: where to put it: reports khungtaskd still prints, -1 for no limit
 *
 * Context: process context, may sleep (it may read /proc/sys).
 * Return: 0 or -ENOENT, as kscope_hung_timeout().
 */
int kscope_hung_warnings_left(int *left)
{
	long v;

	if (!kscope_hung_warnings) {
		if (!IS_ENABLED(CONFIG_DETECT_HUNG_TASK) ||
		    !READ_ONCE(kscope_sym_use_sysctl) ||
		    kscope_sysctl_read(KSCOPE_SYSCTL_HUNG_WARNINGS, &v))
			return -ENOENT;
		*left = v;
		return 0;
	}
	*left = READ_ONCE(*kscope_hung_warnings);
	return 0;
}

/**
 * kscope_stack_save() - a sleeping task's kernel stack
 * @task: the task, referenced by the caller
 * @entries: return addresses, innermost first
 * @size: room in @entries
 *
 * Return: the number of entries stored, or -ENOENT when
 * stack_trace_save_tsk() is neither exported nor found.
 */
int kscope_stack_save(struct task_struct *task, unsigned long *entries,
		      unsigned int size)
{
	int n = kscope_stack_save_exported(task, entries, size);

	if (n >= 0)
		return n;
	if (!kscope_stack_save_fn)
		return -ENOENT;
	return kscope_stack_save_fn(task, entries, size, 0);
}

/**
 * kscope_ptrace_may_read() - ptrace_may_access(@task, PTRACE_MODE_READ_FSCREDS)
 * @task: the task the caller wants to show
 *
 * The check /proc applies to other users' tasks on a hidepid= mount.
 * Without the function (not exported; found through kallsyms) the
 * answer errs on the side of hiding: only the caller's own thread
 * group, or a caller with CAP_SYS_PTRACE, may read. Never more than
 * /proc shows; less, as the version file's symbol line says, because
 * a module cannot run the check itself (the LSM hook of
 * __ptrace_may_access() is not exported).
 *
 * Context: any; takes task_lock(@task).
 * Return: whether the caller may read @task's details.
 */
bool kscope_ptrace_may_read(struct task_struct *task)
{
	if (kscope_ptrace_may_access_fn)
		return kscope_ptrace_may_access_fn(task, PTRACE_MODE_READ_FSCREDS);
	return same_thread_group(task, current) ||
	       has_capability_noaudit(current, CAP_SYS_PTRACE);
}

/**
 * kscope_ptrace_may_attach() - ptrace_may_access(@task, PTRACE_MODE_ATTACH_FSCREDS)
 * @task: the task whose kernel stack the caller wants to show
 *
 * The check /proc/<pid>/stack makes. Unlike kscope_ptrace_may_read()
 * there is no fallback: without the function, no answer.
 *
 * Context: process; takes task_lock(@task).
 * Return: 1 if allowed, 0 if not, -ENOENT when the function was not
 * found.
 */
int kscope_ptrace_may_attach(struct task_struct *task)
{
	if (!kscope_ptrace_may_access_fn)
		return -ENOENT;
	return kscope_ptrace_may_access_fn(task, PTRACE_MODE_ATTACH_FSCREDS);
}

/**
 * kscope_css_set_lock() - the cgroup core's css_set_lock
 *
 * It guards every css_set's task lists; 6.1 exports it only with
 * lockdep. Taken with spin_lock_irq(), as the cgroup core takes it.
 *
 * Return: the lock, or NULL when it was not looked up.
 */
spinlock_t *kscope_css_set_lock(void)
{
	return kscope_css_set_lock_ptr;
}

/* how kscope reaches a symbol, for kscope_sym_show() */
static const char *kscope_sym_how(bool exported, const void *found,
				  bool sysctl)
{
	if (exported)
		return "yes exported";
	if (found)
		return "yes kallsyms";
	if (sysctl && READ_ONCE(kscope_sym_use_sysctl))
		return "yes /proc/sys";
	return "no  unknown";
}

/**
 * kscope_sym_show() - the "symbol:" lines of /proc/kscope/version
 * @m: output
 *
 * One line per kernel symbol kscope would like: whether it has it, and
 * how (an export, a kallsyms lookup at load, or the kernel's sysctl file).
 */
void kscope_sym_show(struct seq_file *m)
{
	seq_printf(m, "symbol: %-28s %s\n", "sched_schedstats",
		   kscope_sym_how(false, kscope_sched_schedstats, true));
	seq_printf(m, "symbol: %-28s %s\n", "sysctl_hung_task_timeout_secs",
		   kscope_sym_how(KSCOPE_EXPORTS_STACK_TSK_AND_HUNG_TIMEOUT &&
				  IS_ENABLED(CONFIG_DETECT_HUNG_TASK),
				  kscope_hung_timeout_secs, false));
	seq_printf(m, "symbol: %-28s %s\n", "sysctl_hung_task_warnings",
		   kscope_sym_how(false, kscope_hung_warnings,
				  IS_ENABLED(CONFIG_DETECT_HUNG_TASK)));
	seq_printf(m, "symbol: %-28s %s\n", "stack_trace_save_tsk",
		   kscope_sym_how(KSCOPE_EXPORTS_STACK_TSK_AND_HUNG_TIMEOUT &&
				  IS_ENABLED(CONFIG_STACKTRACE),
				  kscope_stack_save_fn, false));
	seq_printf(m, "symbol: %-28s %s", "ptrace_may_access",
		   kscope_sym_how(false, kscope_ptrace_may_access_fn, false));
	if (!kscope_ptrace_may_access_fn)
		seq_printf(m, " (%s): a reader of a hidepid= /proc sees only its own thread group",
			   kscope_sym_why_unknown());
	seq_putc(m, '\n');
	seq_printf(m, "symbol: %-28s %s\n", "css_set_lock",
		   kscope_sym_how(false, kscope_css_set_lock_ptr, false));
}

// SPDX-License-Identifier: GPL-2.0
/*
 * watch.c - /proc/kscope/watch and the directories it manages.
 *
 * Root writes pids to "watch" ("-PID" removes one); each watched pid
 * gets a directory /proc/kscope/w<id>/ with the per-task files. The
 * id is a counter, never reused while the module is loaded, and not
 * the pid: procfs lists a directory's entries alike in every pid
 * namespace, and a name made of a host pid would show that pid to a
 * reader whose /proc does not. "watch" maps ids to pids as the
 * reader's /proc numbers them, and lists only the tasks that /proc
 * shows the reader. /proc/kscope/self/ always exists and describes the
 * task that opens a file in it.
 *
 * A write is applied whole or not at all: every token is parsed, every
 * pid resolved and every directory created before anything is removed
 * or published, and any failure undoes the new directories.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/ctype.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/proc_fs.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/threads.h>
#include <linux/uaccess.h>

#include "kscope.h"
#include "kscope_compat.h"
#include "perm.h"
#include "task.h"
#include "task_files.h"
#include "watch.h"

/* Tokens accepted in one write to "watch". */
#define KSCOPE_WATCH_MAX_REQS	64
/* Bytes accepted in one write: 64 tokens of "-4194304" and separators. */
#define KSCOPE_WATCH_MAX_WRITE	1024

static unsigned int max_watch = 1024;
module_param(max_watch, uint, 0444);
MODULE_PARM_DESC(max_watch, "Most pids that can be watched at once (default 1024)");

static int preload[KSCOPE_WATCH_MAX_REQS];
static unsigned int preload_nr;
module_param_array_named(watch, preload, int, &preload_nr, 0444);
MODULE_PARM_DESC(watch, "Pids to watch from load time, comma-separated (default none)");

/**
 * struct kscope_watch - a watched pid
 * @node: entry in kscope_watches, under kscope_watch_lock
 * @pid: the pid, referenced; it outlives the task and is never reused
 * @nr: the pid number as the writer saw it, the order of all/
 * @id: names @dir
 * @dir: /proc/kscope/w<id>
 */
struct kscope_watch {
	struct list_head node;
	struct pid *pid;
	int nr;
	unsigned int id;
	struct proc_dir_entry *dir;
};

static DEFINE_MUTEX(kscope_watch_lock);
static LIST_HEAD(kscope_watches);
static unsigned int kscope_watch_count;
static unsigned int kscope_watch_last_id;
static struct proc_dir_entry *kscope_root;
static struct proc_dir_entry *kscope_self;
static struct proc_dir_entry *kscope_all;

struct pid *kscope_watch_get_pid(struct kscope_watch *watch)
{
	return get_pid(watch->pid);
}

/**
 * kscope_watch_next_pid() - the watched pid numbered @nr or next above
 * @nr: in: the number to start at; out: the number of the pid returned
 *
 * What /proc/kscope/all/ iterates with: a position that is a number, so
 * its readers hold no lock between calls and a pid watched or unwatched
 * meanwhile is listed at most once.
 *
 * Return: the pid, referenced (put_pid() it), or NULL past the last.
 */
struct pid *kscope_watch_next_pid(int *nr)
{
	struct kscope_watch *w, *best = NULL;
	struct pid *pid = NULL;

	mutex_lock(&kscope_watch_lock);
	list_for_each_entry(w, &kscope_watches, node)
		if (w->nr >= *nr && (!best || w->nr < best->nr))
			best = w;
	if (best) {
		*nr = best->nr;
		pid = get_pid(best->pid);
	}
	mutex_unlock(&kscope_watch_lock);
	return pid;
}

/**
 * kscope_watch_parse() - split a write to "watch" into requests
 * @buf: NUL-terminated text
 * @reqs: output array
 * @max: size of @reqs
 * @nr: output, number of requests
 * @bad: output, on error the token at fault (points into @buf)
 *
 * Tokens are separated by white space or commas. A token is a decimal
 * pid, optionally preceded by '-' (unwatch) or '+' (watch). No pid may
 * appear twice in one write.
 *
 * Return: 0, -EINVAL for a token that is not a pid, an empty write, too
 * many tokens or a repeated pid, -ERANGE for a number outside
 * 1..PID_MAX_LIMIT (4194304 on 64-bit kernels, 32768 with BASE_SMALL).
 */
int kscope_watch_parse(const char *buf, struct kscope_watch_req *reqs,
		       unsigned int max, unsigned int *nr, const char **bad)
{
	const char *p = buf;
	unsigned int n = 0, i;

	*bad = NULL;
	for (;;) {
		char tok[16];
		size_t len;
		bool remove = false;
		int pid, ret;

		while (*p && (isspace(*p) || *p == ','))
			p++;
		if (!*p)
			break;
		*bad = p;
		len = strcspn(p, " \t\n\r\v\f,");
		if (n == max)
			return -EINVAL;
		/* longer than any int: out of range, like kstrtoint() says */
		if (len >= sizeof(tok))
			return -ERANGE;
		memcpy(tok, p, len);
		tok[len] = '\0';
		p += len;

		if (tok[0] == '-' || tok[0] == '+') {
			remove = tok[0] == '-';
			if (!isdigit(tok[1]))
				return -EINVAL;
			ret = kstrtoint(tok + 1, 10, &pid);
		} else {
			ret = kstrtoint(tok, 10, &pid);
		}
		if (ret)
			return ret;
		if (pid < 1 || pid > PID_MAX_LIMIT)
			return -ERANGE;
		for (i = 0; i < n; i++)
			if (reqs[i].pid == pid)
				return -EINVAL;
		reqs[n].pid = pid;
		reqs[n].remove = remove;
		n++;
	}
	if (!n) {
		*bad = buf;
		return -EINVAL;
	}
	*bad = NULL;
	*nr = n;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(kscope_watch_parse);

/**
 * kscope_watch_find() - the watch of the pid the writer numbers @nr
 * @nr: pid number in the writer's pid namespace
 *
 * Matches the number the pid had in that namespace, which it keeps
 * after its task is reaped: "-PID" works for a task that has gone.
 *
 * Return: the watch, or NULL.
 */
static struct kscope_watch *kscope_watch_find(int nr)
{
	struct pid_namespace *ns = task_active_pid_ns(current);
	struct kscope_watch *w;

	lockdep_assert_held(&kscope_watch_lock);
	list_for_each_entry(w, &kscope_watches, node)
		if (pid_nr_ns(w->pid, ns) == nr)
			return w;
	return NULL;
}

/**
 * kscope_watch_alive() - is the watched task still running?
 * @w: the watch
 * @comm: if not NULL, gets the task's name ("-" when the task is gone)
 *
 * Return: true unless the task has exited (a zombie has exited).
 */
static bool kscope_watch_alive(struct kscope_watch *w, char *comm)
{
	struct task_struct *task;
	bool alive;

	task = get_pid_task(w->pid, PIDTYPE_PID);
	if (!task) {
		if (comm)
			strscpy(comm, "-", KSCOPE_COMM_LEN);
		return false;
	}
	alive = !READ_ONCE(task->exit_state);
	if (comm)
		__get_task_comm(comm, KSCOPE_COMM_LEN, task);
	put_task_struct(task);
	return alive;
}

static void kscope_watch_free(struct kscope_watch *w)
{
	proc_remove(w->dir);
	put_pid(w->pid);
	kfree(w);
}

/* Room for "w" and any unsigned int. */
#define KSCOPE_WATCH_NAME_LEN	12

/* kscope_watch_name() - @w's directory name, "w<id>", in @buf */
static const char *kscope_watch_name(const struct kscope_watch *w,
				     char buf[KSCOPE_WATCH_NAME_LEN])
{
	snprintf(buf, KSCOPE_WATCH_NAME_LEN, "w%u", w->id);
	return buf;
}

/**
 * kscope_watch_mkdir() - make /proc/kscope/w<id> and its files for @w
 * @w: the watch, with its id set
 *
 * Return: 0, or -ENOMEM with nothing left behind.
 */
static int kscope_watch_mkdir(struct kscope_watch *w)
{
	char name[KSCOPE_WATCH_NAME_LEN];

	w->dir = proc_mkdir_data(kscope_watch_name(w, name), 0555, kscope_root, w);
	if (!w->dir)
		return -ENOMEM;
	if (kscope_task_dir_populate(w->dir)) {
		proc_remove(w->dir);
		w->dir = NULL;
		return -ENOMEM;
	}
	return 0;
}

/**
 * kscope_watch_new() - a watch for pid @nr, with its directory made
 * @nr: pid number in the caller's pid namespace
 *
 * The directory is visible as soon as this returns; the caller either
 * publishes the watch or frees it with kscope_watch_free(). An id that
 * is not published is not handed out again either, so that a name
 * once seen never means another task.
 *
 * Return: the watch, or ERR_PTR(-ESRCH) if no task has that pid,
 * ERR_PTR(-ENOMEM).
 */
static struct kscope_watch *kscope_watch_new(int nr)
{
	struct task_struct *task;
	struct kscope_watch *w;
	int ret;

	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return ERR_PTR(-ENOMEM);
	lockdep_assert_held(&kscope_watch_lock);
	w->nr = nr;
	w->id = ++kscope_watch_last_id;
	w->pid = find_get_pid(nr);
	task = w->pid ? get_pid_task(w->pid, PIDTYPE_PID) : NULL;
	if (!task) {
		ret = -ESRCH;
		goto err_put;
	}
	put_task_struct(task);

	ret = kscope_watch_mkdir(w);
	if (ret)
		goto err_put;
	return w;

err_put:
	put_pid(w->pid);
	kfree(w);
	return ERR_PTR(ret);
}

/**
 * kscope_watch_apply() - carry out parsed requests, all or nothing
 * @reqs: requests
 * @n: number of requests
 * @bad: output, on error the pid at fault
 *
 * A pid that is watched already is left alone, unless the task it named
 * is gone and the number now belongs to another task: then the stale
 * entry is replaced.
 *
 * Return: 0, -ESRCH (no such task, or unwatching a pid not watched),
 * -ENOSPC (more than max_watch), -ENOMEM.
 */
static int kscope_watch_apply(const struct kscope_watch_req *reqs,
			      unsigned int n, int *bad)
{
	struct kscope_watch **add, **del;
	unsigned int i, nadd = 0, ndel = 0;
	int ret = 0;

	/* the plan: watches to publish, then watches to drop */
	add = kcalloc(2 * n, sizeof(*add), GFP_KERNEL);
	if (!add)
		return -ENOMEM;
	del = add + n;

	mutex_lock(&kscope_watch_lock);
	for (i = 0; i < n; i++) {
		struct kscope_watch *old = kscope_watch_find(reqs[i].pid);

		*bad = reqs[i].pid;
		if (reqs[i].remove) {
			if (!old) {
				ret = -ESRCH;
				goto undo;
			}
			del[ndel++] = old;
			continue;
		}
		if (old && kscope_watch_alive(old, NULL))
			continue;
		if (old)
			del[ndel++] = old;
		if (kscope_watch_count + nadd + 1 > max_watch + ndel) {
			ret = -ENOSPC;
			goto undo;
		}
		add[nadd] = kscope_watch_new(reqs[i].pid);
		if (IS_ERR(add[nadd])) {
			ret = PTR_ERR(add[nadd]);
			goto undo;
		}
		nadd++;
	}

	for (i = 0; i < ndel; i++) {
		list_del(&del[i]->node);
		kscope_watch_free(del[i]);
	}
	for (i = 0; i < nadd; i++)
		list_add_tail(&add[i]->node, &kscope_watches);
	kscope_watch_count += nadd;
	kscope_watch_count -= ndel;
	goto out;

undo:
	for (i = 0; i < nadd; i++)
		kscope_watch_free(add[i]);
out:
	mutex_unlock(&kscope_watch_lock);
	kfree(add);
	return ret;
}

static const char *kscope_watch_strerror(int err)
{
	switch (err) {
	case -EINVAL:	return "not a pid, empty, repeated or too many";
	case -ERANGE:	return "out of range (1 to PID_MAX_LIMIT)";
	case -ESRCH:	return "no such task, or not watched";
	case -ENOSPC:	return "too many watched pids (max_watch)";
	case -ENOMEM:	return "out of memory";
	default:	return "error";
	}
}

static ssize_t kscope_watch_write(struct file *file, const char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	struct kscope_watch_req reqs[KSCOPE_WATCH_MAX_REQS];
	const char *badtok;
	unsigned int n;
	char *buf;
	int ret, badpid = 0;

	ret = kscope_may_write(file, "watch");
	if (ret)
		return ret;
	if (count > KSCOPE_WATCH_MAX_WRITE) {
		pr_info_ratelimited("watch: write of %zu bytes refused: at most %d\n",
				    count, KSCOPE_WATCH_MAX_WRITE);
		return -EINVAL;
	}

	buf = memdup_user_nul(ubuf, count);
	if (IS_ERR(buf))
		return PTR_ERR(buf);

	ret = kscope_watch_parse(buf, reqs, ARRAY_SIZE(reqs), &n, &badtok);
	if (ret) {
		pr_info_ratelimited("watch: bad token '%.*s': %s\n",
				    badtok ? (int)strcspn(badtok, " \t\n\r\v\f,") : 0,
				    badtok ? badtok : "", kscope_watch_strerror(ret));
		goto out;
	}
	ret = kscope_watch_apply(reqs, n, &badpid);
	if (ret)
		pr_info_ratelimited("watch: pid %d: %s; nothing changed\n",
				    badpid, kscope_watch_strerror(ret));
out:
	kfree(buf);
	return ret ? ret : count;
}

static void *kscope_watch_seq_start(struct seq_file *m, loff_t *pos)
{
	mutex_lock(&kscope_watch_lock);
	return seq_list_start_head(&kscope_watches, *pos);
}

static void *kscope_watch_seq_next(struct seq_file *m, void *v, loff_t *pos)
{
	return seq_list_next(v, &kscope_watches, pos);
}

static void kscope_watch_seq_stop(struct seq_file *m, void *v)
{
	mutex_unlock(&kscope_watch_lock);
}

static int kscope_watch_seq_show(struct seq_file *m, void *v)
{
	struct kscope_watch *w;
	char comm[KSCOPE_COMM_LEN], dir[KSCOPE_WATCH_NAME_LEN];
	bool alive;

	if (v == &kscope_watches) {
		seq_puts(m, "    PID        DIR ALIVE COMM\n");
		return 0;
	}
	w = list_entry(v, struct kscope_watch, node);
	if (kscope_pid_access(file_inode(m->file)->i_sb, w->pid))
		return SEQ_SKIP;
	alive = kscope_watch_alive(w, comm);
	seq_printf(m, "%7d %10s %5s %s\n",
		   pid_nr_ns(w->pid, kscope_seq_pid_ns(m)),
		   kscope_watch_name(w, dir),
		   alive ? "yes" : "no", comm);
	return 0;
}

static const struct seq_operations kscope_watch_seq_ops = {
	.start	= kscope_watch_seq_start,
	.next	= kscope_watch_seq_next,
	.stop	= kscope_watch_seq_stop,
	.show	= kscope_watch_seq_show,
};

static int kscope_watch_open(struct inode *inode, struct file *file)
{
	int ret = kscope_may_open(file, "watch");

	if (ret)
		return ret;
	return seq_open(file, &kscope_watch_seq_ops);
}

const struct proc_ops kscope_watch_proc_ops = {
	.proc_open	= kscope_watch_open,
	.proc_read_iter	= seq_read_iter,
	.proc_write	= kscope_watch_write,
	.proc_lseek	= seq_lseek,
	.proc_release	= seq_release,
};

static void kscope_watch_preload(void)
{
	struct kscope_watch_req req = { };
	unsigned int i;
	int ret, bad;

	for (i = 0; i < preload_nr; i++) {
		req.pid = preload[i];
		ret = req.pid < 1 || req.pid > PID_MAX_LIMIT ? -ERANGE :
		      kscope_watch_apply(&req, 1, &bad);
		if (ret)
			pr_warn("watch=%d at load: %s\n", req.pid,
				kscope_watch_strerror(ret));
	}
}

/**
 * kscope_watch_init() - make /proc/kscope/self, all/ and the preloaded pids
 * @root: /proc/kscope
 *
 * Return: 0 or -ENOMEM.
 */
int kscope_watch_init(struct proc_dir_entry *root)
{
	int ret;

	kscope_root = root;
	kscope_self = proc_mkdir_data("self", 0555, root, NULL);
	if (!kscope_self)
		return -ENOMEM;
	ret = kscope_task_dir_populate(kscope_self);
	if (ret)
		goto err_self;
	kscope_all = proc_mkdir("all", root);
	if (!kscope_all) {
		ret = -ENOMEM;
		goto err_self;
	}
	ret = kscope_task_all_populate(kscope_all);
	if (ret)
		goto err_all;
	kscope_watch_preload();
	return 0;

err_all:
	proc_remove(kscope_all);
err_self:
	proc_remove(kscope_self);
	return ret;
}

/**
 * kscope_watch_exit() - remove every watched pid, all/ and self/
 *
 * Runs after "watch" itself is removed, so no write can race with it.
 * proc_remove() waits for readers of the files it removes; all/ goes
 * first, its readers taking kscope_watch_lock only for a lookup.
 */
void kscope_watch_exit(void)
{
	struct kscope_watch *w, *tmp;

	proc_remove(kscope_all);
	mutex_lock(&kscope_watch_lock);
	list_for_each_entry_safe(w, tmp, &kscope_watches, node) {
		list_del(&w->node);
		kscope_watch_free(w);
	}
	kscope_watch_count = 0;
	mutex_unlock(&kscope_watch_lock);
	proc_remove(kscope_self);
}

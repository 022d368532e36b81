// SPDX-License-Identifier: GPL-2.0
/*
 * inject_charge.c - /proc/kscope/inject/memcg_charge: kernel memory
 * charged to the writer's memory cgroup, held until released.
 *
 *   alloc SIZE       allocate SIZE bytes (suffix K, M or G: binary units)
 *                    of pages with __GFP_ACCOUNT; at the memcg limit the
 *                    charge reclaims once and fails: ENOMEM, and a "max"
 *                    event in memory.events
 *   alloc SIZE oom   the same through the whole charge path: reclaim,
 *                    retries and the memcg OOM killer ("oom" and
 *                    "oom_kill" events); the writer may be the victim
 *   free             release everything held
 *   free ID          release one block (the IDs reading the file shows)
 *
 * An allocation is all or nothing. What is held in total is capped by
 * the module parameter memcg_charge_max; everything is released at
 * unload.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cgroup.h>
#include <linux/ctype.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/nsproxy.h>
#include <linux/proc_fs.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "kscope_compat.h"
#include "fmt.h"
#include "inject_charge.h"
#include "memcg.h"
#include "perm.h"

/* Bytes accepted in one write: one command. */
#define KSCOPE_CHARGE_MAX_WRITE	64
/* Room for a memcg path in the listing; longer ones are cut. */
#define KSCOPE_CHARGE_PATH_LEN	128

static unsigned long memcg_charge_max = 256UL << 20;
module_param(memcg_charge_max, ulong, 0444);
MODULE_PARM_DESC(memcg_charge_max,
		 "Most bytes inject/memcg_charge holds at once (default 268435456: 256 MiB)");

/**
 * struct kscope_charge_block - the pages of one "alloc"
 * @node: entry in kscope_charge_blocks
 * @id: what "free ID" names it by
 * @nr_pages: pages held
 * @pages: the pages, chained through page::lru
 * @path: the writer's memcg when it was charged
 */
struct kscope_charge_block {
	struct list_head node;
	unsigned int id;
	unsigned long nr_pages;
	struct list_head pages;
	char path[KSCOPE_CHARGE_PATH_LEN];
};

static DEFINE_MUTEX(kscope_charge_lock);
static LIST_HEAD(kscope_charge_blocks);
static unsigned long kscope_charge_held;	/* pages */
static unsigned int kscope_charge_next_id = 1;

/**
 * kscope_parse_size() - a size such as "4096", "64K", "2M" or "1G"
 * @tok: the token, not NUL-terminated
 * @len: its length
 * @bytes: output
 *
 * Decimal digits and at most one suffix K, M or G (either case), which
 * multiply by 2^10, 2^20 and 2^30.
 *
 * Return: 0, -EINVAL if it is not a size, -ERANGE if it is 0 or does
 * not fit in 64 bits.
 */
int kscope_parse_size(const char *tok, size_t len, u64 *bytes)
{
	unsigned int shift = 0;
	char digits[24];
	u64 v;
	int ret;

	if (len && !isdigit(tok[len - 1])) {
		switch (tolower(tok[len - 1])) {
		case 'k':
			shift = 10;
			break;
		case 'm':
			shift = 20;
			break;
		case 'g':
			shift = 30;
			break;
		default:
			return -EINVAL;
		}
		len--;
	}
	if (!len || !isdigit(tok[0]))
		return -EINVAL;
	if (len >= sizeof(digits))
		return -ERANGE;
	memcpy(digits, tok, len);
	digits[len] = '\0';
	ret = kstrtou64(digits, 10, &v);
	if (ret)
		return ret;
	if (!v || v > (U64_MAX >> shift))
		return -ERANGE;
	*bytes = v << shift;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(kscope_parse_size);

/* the next token of @p, its length in *@len; NULL at the end */
static const char *kscope_charge_token(const char **p, size_t *len)
{
	const char *tok = skip_spaces(*p);

	if (!*tok)
		return NULL;
	*len = strcspn(tok, " \t\n\r\v\f");
	*p = tok + *len;
	return tok;
}

static bool kscope_token_is(const char *tok, size_t len, const char *word)
{
	return len == strlen(word) && !memcmp(tok, word, len);
}

/**
 * kscope_charge_parse() - parse one write to inject/memcg_charge
 * @buf: NUL-terminated text
 * @req: output
 * @bad: output, on error the token at fault (points into @buf)
 *
 * Return: 0, -EINVAL for an unknown command, a malformed number, a
 * missing or extra token, -ERANGE for a size of 0 or one that does not
 * fit, or an ID of 0 or above UINT_MAX.
 */
int kscope_charge_parse(const char *buf, struct kscope_charge_req *req,
			const char **bad)
{
	const char *p = buf, *tok;
	size_t len;
	int ret;

	memset(req, 0, sizeof(*req));
	*bad = buf;
	tok = kscope_charge_token(&p, &len);
	if (!tok)
		return -EINVAL;
	*bad = tok;
	if (kscope_token_is(tok, len, "alloc")) {
		req->op = KSCOPE_CHARGE_ALLOC;
		tok = kscope_charge_token(&p, &len);
		if (!tok)
			return -EINVAL;
		*bad = tok;
		ret = kscope_parse_size(tok, len, &req->bytes);
		if (ret)
			return ret;
		tok = kscope_charge_token(&p, &len);
		if (tok) {
			*bad = tok;
			if (!kscope_token_is(tok, len, "oom"))
				return -EINVAL;
			req->oom = true;
		}
	} else if (kscope_token_is(tok, len, "free")) {
		req->op = KSCOPE_CHARGE_FREE_ALL;
		tok = kscope_charge_token(&p, &len);
		if (tok) {
			char num[12];

			*bad = tok;
			req->op = KSCOPE_CHARGE_FREE_ONE;
			if (!isdigit(tok[0]))
				return -EINVAL;
			if (len >= sizeof(num))
				return -ERANGE;
			memcpy(num, tok, len);
			num[len] = '\0';
			ret = kstrtouint(num, 10, &req->id);
			if (ret)
				return ret;
			if (!req->id)
				return -ERANGE;
		}
	} else {
		return -EINVAL;
	}
	tok = kscope_charge_token(&p, &len);
	if (tok) {
		*bad = tok;
		return -EINVAL;
	}
	*bad = NULL;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(kscope_charge_parse);

static void kscope_charge_block_free(struct kscope_charge_block *b)
{
	struct page *page, *tmp;

	list_for_each_entry_safe(page, tmp, &b->pages, lru) {
		list_del(&page->lru);
		__free_page(page);
	}
	kfree(b);
}

/*
 * the writer's memcg path, for the listing; "-" without memcg (then
 * struct mem_cgroup has no members to use: #ifdef, not IS_ENABLED())
 */
#ifndef CONFIG_MEMCG
static void kscope_charge_path(char *buf, size_t size)
{
	strscpy(buf, "-", size);
}
#else
static void kscope_charge_path(char *buf, size_t size)
{
	struct mem_cgroup *memcg = NULL;

	strscpy(buf, "-", size);
	if (mem_cgroup_disabled())
		return;
	rcu_read_lock();
	do {
		memcg = mem_cgroup_from_task(current);
	} while (memcg && !css_tryget(&memcg->css));
	rcu_read_unlock();
	if (!memcg)
		return;
	if (cgroup_path_ns(memcg->css.cgroup, buf, size,
			   current->nsproxy->cgroup_ns) < 0)
		strscpy(buf, "?", size);
	css_put(&memcg->css);
}
#endif

/**
 * kscope_charge_alloc() - allocate, charge and hold @nr_pages pages
 * @nr_pages: pages
 * @oom: whether the charge may invoke the memcg OOM killer
 *
 * __GFP_ACCOUNT charges each page to the memcg of the task allocating,
 * the writer. Without @oom, __GFP_NORETRY makes a charge over the
 * limit fail after one round of reclaim instead of killing a task.
 *
 * Context: kscope_charge_lock held.
 * Return: 0, -ENOMEM at the memcg limit (or out of memory), -EINTR when
 * the writer got a fatal signal (the OOM killer chose it, say).
 */
static int kscope_charge_alloc(unsigned long nr_pages, bool oom)
{
	gfp_t gfp = GFP_KERNEL_ACCOUNT | __GFP_NOWARN;
	struct kscope_charge_block *b;
	unsigned long i;

	lockdep_assert_held(&kscope_charge_lock);
	if (!oom)
		gfp |= __GFP_NORETRY;
	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	INIT_LIST_HEAD(&b->pages);
	kscope_charge_path(b->path, sizeof(b->path));

	for (i = 0; i < nr_pages; i++) {
		struct page *page = alloc_page(gfp);

		if (!page) {
			kscope_charge_block_free(b);
			return -ENOMEM;
		}
		list_add_tail(&page->lru, &b->pages);
		b->nr_pages++;
		if (fatal_signal_pending(current)) {
			kscope_charge_block_free(b);
			return -EINTR;
		}
		cond_resched();
	}
	b->id = kscope_charge_next_id++;
	list_add_tail(&b->node, &kscope_charge_blocks);
	kscope_charge_held += nr_pages;
	return 0;
}

/**
 * kscope_charge_free() - release block @id, or every block when @id is 0
 * @id: block
 *
 * Context: kscope_charge_lock held.
 * Return: 0, or -ESRCH when no block has that id.
 */
static int kscope_charge_free(unsigned int id)
{
	struct kscope_charge_block *b, *tmp;
	int ret = id ? -ESRCH : 0;

	lockdep_assert_held(&kscope_charge_lock);
	list_for_each_entry_safe(b, tmp, &kscope_charge_blocks, node) {
		if (id && b->id != id)
			continue;
		list_del(&b->node);
		kscope_charge_held -= b->nr_pages;
		kscope_charge_block_free(b);
		ret = 0;
	}
	return ret;
}

static const char *kscope_charge_strerror(int err)
{
	switch (err) {
	case -EINVAL:	return "expected \"alloc SIZE [oom]\", \"free\" or \"free ID\"";
	case -ERANGE:	return "out of range (a size or ID of 0, or too large)";
	case -ENOSPC:	return "more than memcg_charge_max would be held";
	case -ESRCH:	return "no block has that ID";
	case -ENOMEM:	return "the charge failed: memcg limit or out of memory";
	case -EINTR:	return "fatal signal while charging";
	default:	return "error";
	}
}

static ssize_t kscope_charge_write(struct file *file, const char __user *ubuf,
				   size_t count, loff_t *ppos)
{
	struct kscope_charge_req req;
	unsigned long nr_pages = 0;
	const char *bad, *why;
	char *buf;
	int ret;

	ret = kscope_may_write(file, "memcg_charge");
	if (ret)
		return ret;
	if (count > KSCOPE_CHARGE_MAX_WRITE) {
		pr_info_ratelimited("memcg_charge: write of %zu bytes refused: at most %d\n",
				    count, KSCOPE_CHARGE_MAX_WRITE);
		return -EINVAL;
	}
	buf = memdup_user_nul(ubuf, count);
	if (IS_ERR(buf))
		return PTR_ERR(buf);

	ret = kscope_charge_parse(buf, &req, &bad);
	if (ret) {
		pr_info_ratelimited("memcg_charge: bad token '%.*s': %s\n",
				    bad ? (int)strcspn(bad, " \t\n\r\v\f") : 0,
				    bad ? bad : "", kscope_charge_strerror(ret));
		goto out;
	}

	/* pages allocated now would be charged to no one */
	why = kscope_memcg_unavailable();
	if (req.op == KSCOPE_CHARGE_ALLOC && why) {
		pr_info_ratelimited("memcg_charge: '%s': memory cgroups unavailable (%s)\n",
				    strim(buf), why);
		ret = -EOPNOTSUPP;
		goto out;
	}

	mutex_lock(&kscope_charge_lock);
	if (req.op == KSCOPE_CHARGE_ALLOC) {
		u64 max_pages = memcg_charge_max >> PAGE_SHIFT;

		nr_pages = DIV_ROUND_UP_ULL(req.bytes, PAGE_SIZE);
		if (req.bytes > memcg_charge_max ||
		    nr_pages > max_pages - kscope_charge_held)
			ret = -ENOSPC;
		else
			ret = kscope_charge_alloc(nr_pages, req.oom);
	} else {
		ret = kscope_charge_free(req.op == KSCOPE_CHARGE_FREE_ONE ?
					 req.id : 0);
	}
	mutex_unlock(&kscope_charge_lock);
	if (ret)
		pr_info_ratelimited("memcg_charge: '%s': %s\n", strim(buf),
				    kscope_charge_strerror(ret));
out:
	kfree(buf);
	return ret ? ret : count;
}

static int kscope_charge_show(struct seq_file *m, void *v)
{
	struct kscope_charge_block *b;
	unsigned int n = 0;
	const char *why;

	mutex_lock(&kscope_charge_lock);
	list_for_each_entry(b, &kscope_charge_blocks, node)
		n++;
	kscope_seq_u64(m, "max_bytes", memcg_charge_max);
	kscope_seq_u64(m, "held_bytes", (u64)kscope_charge_held * PAGE_SIZE);
	kscope_seq_u64(m, "held_blocks", n);
	why = kscope_memcg_unavailable();
	if (why)
		seq_printf(m, "memcg: unavailable (%s)\n", why);
	seq_puts(m, "\n     ID        BYTES MEMCG\n");
	list_for_each_entry(b, &kscope_charge_blocks, node) {
		kscope_seq_u64_width(m, b->id, 7);
		seq_putc(m, ' ');
		kscope_seq_u64_width(m, (u64)b->nr_pages * PAGE_SIZE, 12);
		seq_putc(m, ' ');
		seq_escape(m, b->path, " \t\n\\");
		seq_putc(m, '\n');
	}
	mutex_unlock(&kscope_charge_lock);
	return 0;
}

static int kscope_charge_open(struct inode *inode, struct file *file)
{
	int ret = kscope_may_open(file, "memcg_charge");

	return ret ? ret : single_open(file, kscope_charge_show, NULL);
}

const struct proc_ops kscope_charge_proc_ops = {
	.proc_open	= kscope_charge_open,
	.proc_read_iter	= seq_read_iter,
	.proc_write	= kscope_charge_write,
	.proc_lseek	= seq_lseek,
	.proc_release	= single_release,
};

/**
 * kscope_charge_exit() - release everything held, at unload
 *
 * The pages are uncharged from the memcgs they were charged to, even
 * if the writers have moved or exited since.
 */
void kscope_charge_exit(void)
{
	mutex_lock(&kscope_charge_lock);
	kscope_charge_free(0);
	mutex_unlock(&kscope_charge_lock);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * netfilter.c - /proc/kscope/netfilter/: packet-triggered fault injection.
 *
 * A netfilter hook at PRE_ROUTING, for IPv4 and IPv6, in every network
 * namespace (those created while it is in place too, through pernet
 * operations), runs the armed rules against each received packet. A rule matches on
 * protocol, ports, addresses, interface, namespace and a payload prefix,
 * and fires an action up to a hit budget, in the hook (softirq) or in a
 * workqueue (process context).
 *
 * Why PRE_ROUTING: every packet a namespace receives passes it exactly
 * once, in the receive softirq, before the routing decision, whether it
 * is for this host or to be forwarded (LOCAL_IN misses the latter). The
 * hook sits just after defragmentation (when conntrack has loaded it)
 * and before raw, conntrack, mangle and nat, so a drop there costs the
 * least and a delay stalls the receive path where a slow driver or
 * filter would.
 *
 * With no rule armed there is no hook at all: the first rule registers
 * the pernet operations that put it into every namespace, the last
 * deletion unregisters them, so an idle kscope costs received packets
 * nothing. The rules are indexed (nf_rule.c) by TCP/UDP destination
 * port, so a packet is compared only with the rules of its own port and
 * those that can match any port. The index is read under RCU in the
 * hook and changed under kscope_nf_lock; a deleted rule is freed in
 * process context after a grace period (queue_rcu_work()), because it
 * may own deferred work to cancel and leaked pages to give back.
 *
 * Actions are bounded unless the action is destructive: hits queued for
 * process context stop at KSCOPE_NF_PENDING_MAX per rule, deferred work
 * stops as soon as its rule is deleted or kscope unloads, and delay in
 * softirq draws from a per-CPU busy-wait budget (kscope_nf_delay_ok()).
 *
 * What a rule is, and its text form, are nf_rule.c's: this file arms
 * what that parser returns and runs it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/gfp.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/ktime.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/percpu.h>
#include <linux/proc_fs.h>
#include <linux/rculist.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/seq_file.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/uaccess.h>
#include <linux/vmstat.h>
#include <linux/workqueue.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>

#include "kscope.h"
#include "kscope_compat.h"
#include "fmt.h"
#include "netfilter.h"
#include "nf_rule.h"
#include "perm.h"

/* Bytes accepted in one write to "rules": one line. */
#define KSCOPE_NF_LINE_MAX	512
/* Most hits one rule holds queued for process context; more are counted. */
#define KSCOPE_NF_PENDING_MAX	1024
/*
 * A CPU's softirq delay budget, in ns: it holds at most a second and
 * refills at half the time that passes (kscope_nf_delay_ok()).
 */
#define KSCOPE_NF_DELAY_BUDGET_NS	(KSCOPE_NF_DELAY_US_MAX * NSEC_PER_USEC)

static unsigned int max_rules = 256;
module_param(max_rules, uint, 0444);
MODULE_PARM_DESC(max_rules, "Most netfilter rules armed at once (default 256)");

static unsigned int max_delay_us = 100000;
module_param(max_delay_us, uint, 0444);
MODULE_PARM_DESC(max_delay_us, "Longest busy-wait of a delay rule, in microseconds, at most 1000000 (default 100000)");

static unsigned long max_leak_pages = 65536;
module_param(max_leak_pages, ulong, 0444);
MODULE_PARM_DESC(max_leak_pages, "Most pages all leak rules hold together (default 65536, 256 MB with 4 kB pages)");

static bool allow_destructive;
module_param(allow_destructive, bool, 0444);
MODULE_PARM_DESC(allow_destructive, "Let root arm the warn, oom, panic and lockup actions (default 0: EPERM)");

/* ---- armed rules */

/**
 * struct kscope_nf_rule - an armed rule
 * @node: entry in kscope_nf_rules, the list "rules" shows (kscope_nf_lock)
 * @e: its number, unique since load, what it matches and does, and its
 *     place in kscope_nf_index, where the hook finds it
 * @dead: set when the rule is deleted or kscope unloads: deferred work
 *        stops at once
 * @matched: packets that matched it
 * @fired: times its action ran or was queued (at most the budget)
 * @left: hits left of the budget (unused without one)
 * @pending: hits queued for @work and not yet run
 * @work: runs the action in process context (context=work)
 * @free_work: frees the rule after a grace period, in process context
 * @leak_lock: protects @leaked and @nr_leaked
 * @leaked: pages the leak and oom actions hold, linked by page->lru
 * @nr_leaked: number of pages in @leaked
 */
struct kscope_nf_rule {
	struct list_head node;
	struct kscope_nf_entry e;
	bool dead;
	atomic64_t matched;
	atomic64_t fired;
	atomic64_t left;
	atomic_t pending;
	struct work_struct work;
	struct rcu_work free_work;
	spinlock_t leak_lock;		/* see kernel-doc */
	struct list_head leaked;
	unsigned long nr_leaked;
};

/**
 * struct kscope_nf_stats - what the hook has seen, per CPU
 * @seen: calls of the hook: packets it looked at (only while a rule is
 *        armed, since there is no hook otherwise)
 * @hook_ns: sched_clock() nanoseconds spent inside the hook
 * @matched: packets that matched at least one rule
 * @fired: actions run, by action
 * @ctx: actions run, by context
 * @queued: hits queued for process context
 * @drops: packets dropped
 * @leak_alloc_failures: leak hits the page allocator could not satisfy
 *                       in full
 * @leak_limited: leak hits cut short by max_leak_pages
 * @pending_capped: hits not queued: their rule had KSCOPE_NF_PENDING_MAX
 * @delay_over_budget: softirq delay hits not delayed: the CPU's busy-wait
 *                     budget was spent
 */
struct kscope_nf_stats {
	unsigned long seen;
	u64 hook_ns;
	unsigned long matched;
	unsigned long fired[KSCOPE_NF_NR_ACTIONS];
	unsigned long ctx[KSCOPE_NF_NR_CTX];
	unsigned long queued;
	unsigned long drops;
	unsigned long leak_alloc_failures;
	unsigned long leak_limited;
	unsigned long pending_capped;
	unsigned long delay_over_budget;
};

/**
 * struct kscope_nf_delay_budget - a CPU's busy-wait allowance in softirq
 * @ns: nanoseconds of delay it may still spend
 * @stamp: when @ns was last brought up to date (ktime_get_ns())
 */
struct kscope_nf_delay_budget {
	u64 ns;
	u64 stamp;
};

static DEFINE_PER_CPU(struct kscope_nf_stats, kscope_nf_stats);
static DEFINE_PER_CPU(struct kscope_nf_delay_budget, kscope_nf_delay_budget);
static DEFINE_MUTEX(kscope_nf_lock);
static LIST_HEAD(kscope_nf_rules);
static struct kscope_nf_index kscope_nf_index;
static bool kscope_nf_hooked;
static unsigned int kscope_nf_nr_rules;
static u32 kscope_nf_next_id = 1;
static atomic_long_t kscope_nf_leak_held = ATOMIC_LONG_INIT(0);
static struct workqueue_struct *kscope_nf_wq;
static struct proc_dir_entry *kscope_nf_dir;

/*
 * this_cpu_inc() is safe from any context, so the hook (softirq) and
 * the deferred work (preemptible) share the counters without locking.
 */
#define kscope_nf_stat_inc(field) this_cpu_inc(kscope_nf_stats.field)

/**
 * kscope_nf_leak() - allocate and hold @nr pages for @r
 * @r: the rule
 * @nr: pages to allocate
 * @ctx: GFP_NOWAIT in softirq (never the reserves GFP_ATOMIC may take),
 *       GFP_KERNEL in process context
 * @limited: whether max_leak_pages bounds the allocation (not for oom)
 *
 * Return: pages allocated.
 */
static unsigned long kscope_nf_leak(struct kscope_nf_rule *r, unsigned long nr,
				    enum kscope_nf_ctx ctx, bool limited)
{
	gfp_t gfp = ctx == KSCOPE_NF_SOFTIRQ ? GFP_NOWAIT | __GFP_NOWARN :
		    GFP_KERNEL;
	unsigned long i;
	LIST_HEAD(got);

	for (i = 0; i < nr && !READ_ONCE(r->dead); i++) {
		struct page *page;

		if (limited && atomic_long_inc_return(&kscope_nf_leak_held) >
			       max_leak_pages) {
			atomic_long_dec(&kscope_nf_leak_held);
			kscope_nf_stat_inc(leak_limited);
			break;
		}
		page = alloc_page(limited ? gfp | __GFP_NOWARN : gfp);
		if (!page) {
			if (limited)
				atomic_long_dec(&kscope_nf_leak_held);
			kscope_nf_stat_inc(leak_alloc_failures);
			break;
		}
		list_add(&page->lru, &got);
		if (ctx == KSCOPE_NF_WORK)
			cond_resched();
	}
	spin_lock_bh(&r->leak_lock);
	list_splice(&got, &r->leaked);
	r->nr_leaked += i;
	spin_unlock_bh(&r->leak_lock);
	return i;
}

/*
 * OOM kills since boot: the kernel's oom_kill event (/proc/vmstat), or
 * 0 without event counters.
 */
static unsigned long kscope_nf_oom_kills(void)
{
	unsigned long n = 0;
#ifdef CONFIG_VM_EVENT_COUNTERS
	int cpu;

	for_each_online_cpu(cpu)
		n += per_cpu(vm_event_states, cpu).event[OOM_KILL];
#endif
	return n;
}

/*
 * oom: allocate with GFP_KERNEL, which reclaims and then calls the OOM
 * killer, until the killer has killed once; the pages stay with the
 * rule. With vm.panic_on_oom=1 the kernel panics at the first OOM
 * instead. It also ends when an allocation fails, when the system has
 * nothing left to kill ("Out of memory and no killable processes", a
 * panic), or when the rule is deleted. (Without the kernel's event
 * counters the kills are not seen, and it goes on until one of those.)
 */
static void kscope_nf_oom(struct kscope_nf_rule *r)
{
	unsigned long kills = kscope_nf_oom_kills();

	while (kscope_nf_oom_kills() == kills &&
	       kscope_nf_leak(r, 1024, KSCOPE_NF_WORK, false) == 1024)
		;
}

/*
 * Busy-wait @us microseconds of CLOCK_MONOTONIC, the clock user space
 * measures with (udelay()'s calibrated loops can be far off in a VM),
 * or until @r is deleted.
 */
static void kscope_nf_spin_us(const struct kscope_nf_rule *r, unsigned long us)
{
	u64 end = ktime_get_ns() + (u64)us * NSEC_PER_USEC;

	while (ktime_get_ns() < end && !READ_ONCE(r->dead))
		cpu_relax();
}

/**
 * kscope_nf_delay_ok() - whether this CPU may busy-wait @us in softirq
 * @us: the delay asked for
 *
 * Each CPU has a budget of at most a second of busy-wait, which refills
 * at half the time that passes: a receive path can be held for about a
 * second at a stretch, and for half of its time after that, however
 * many packets match (a NAPI poll takes up to 64), far from the soft
 * lockup and RCU stall detectors' 20 s. A hit beyond the budget is
 * counted, not delayed. Called in the hook, with BHs off.
 *
 * Return: true if the delay may run (its time is taken from the budget).
 */
static bool kscope_nf_delay_ok(unsigned long us)
{
	struct kscope_nf_delay_budget *b = this_cpu_ptr(&kscope_nf_delay_budget);
	u64 now = ktime_get_ns(), want = (u64)us * NSEC_PER_USEC;

	b->ns = min_t(u64, b->ns + (now - b->stamp) / 2,
		      KSCOPE_NF_DELAY_BUDGET_NS);
	b->stamp = now;
	if (want > b->ns)
		return false;
	b->ns -= want;
	return true;
}

static void kscope_nf_log(const struct kscope_nf_rule *r,
			  const struct kscope_nf_pkt *p, enum kscope_nf_ctx ctx)
{
	if (!p) {
		pr_info_ratelimited("netfilter: rule %u: fired (%s, %s)\n",
				    r->e.id, kscope_nf_ctx_name(ctx), current->comm);
		return;
	}
	if (p->family == NFPROTO_IPV4)
		pr_info_ratelimited("netfilter: rule %u: proto %d %pI4:%u -> %pI4:%u dev %s netns %u (%s)\n",
				    r->e.id, p->proto, p->saddr.s6_addr, p->sport,
				    p->daddr.s6_addr, p->dport,
				    p->dev ?: "-", p->netns,
				    kscope_nf_ctx_name(ctx));
	else
		pr_info_ratelimited("netfilter: rule %u: proto %d [%pI6c]:%u -> [%pI6c]:%u dev %s netns %u (%s)\n",
				    r->e.id, p->proto, &p->saddr, p->sport,
				    &p->daddr, p->dport, p->dev ?: "-",
				    p->netns, kscope_nf_ctx_name(ctx));
}

/**
 * kscope_nf_fire() - run a rule's action
 * @r: the rule
 * @p: the packet, or NULL in process context (it is gone by then)
 * @ctx: the context this runs in
 *
 * drop is the hook's verdict and is not done here.
 */
static void kscope_nf_fire(struct kscope_nf_rule *r,
			   const struct kscope_nf_pkt *p, enum kscope_nf_ctx ctx)
{
	const struct kscope_nf_spec *s = &r->e.spec;

	switch (s->action) {
	case KSCOPE_NF_COUNT:
	case KSCOPE_NF_DROP:
		break;
	case KSCOPE_NF_LOG:
		kscope_nf_log(r, p, ctx);
		break;
	case KSCOPE_NF_DELAY:
		if (ctx == KSCOPE_NF_SOFTIRQ && !allow_destructive &&
		    !kscope_nf_delay_ok(min(s->arg, max_delay_us))) {
			kscope_nf_stat_inc(delay_over_budget);
			return;
		}
		kscope_nf_spin_us(r, min(s->arg, max_delay_us));
		break;
	case KSCOPE_NF_LEAK:
		kscope_nf_leak(r, s->arg, ctx, true);
		break;
	case KSCOPE_NF_WARN:
		WARN(1, "kscope: netfilter rule %u fired in %s context\n",
		     r->e.id, kscope_nf_ctx_name(ctx));
		break;
	case KSCOPE_NF_OOM:
		pr_warn("netfilter: rule %u: allocating until the OOM killer runs\n",
			r->e.id);
		kscope_nf_oom(r);
		break;
	case KSCOPE_NF_PANIC:
		panic("kscope: netfilter rule %u fired in %s context\n",
		      r->e.id, kscope_nf_ctx_name(ctx));
		break;
	case KSCOPE_NF_LOCKUP:
		pr_warn("netfilter: rule %u: spinning %u ms in %s context\n",
			r->e.id, s->arg, kscope_nf_ctx_name(ctx));
		kscope_nf_spin_us(r, (unsigned long)s->arg * USEC_PER_MSEC);
		break;
	default:
		break;
	}
	kscope_nf_stat_inc(fired[s->action]);
	kscope_nf_stat_inc(ctx[ctx]);
}

/*
 * Run @r's queued hits one at a time, until none is left or the rule is
 * deleted (or kscope unloads): then the rest are dropped, so that
 * freeing the rule waits for one action at most, itself cut short.
 */
static void kscope_nf_work_fn(struct work_struct *work)
{
	struct kscope_nf_rule *r = container_of(work, struct kscope_nf_rule,
						work);

	while (!READ_ONCE(r->dead) && atomic_dec_if_positive(&r->pending) >= 0) {
		kscope_nf_fire(r, NULL, KSCOPE_NF_WORK);
		cond_resched();
	}
}

/* Whether @r fires for this match: unlimited, or budget left. */
static bool kscope_nf_take_budget(struct kscope_nf_rule *r)
{
	return !r->e.spec.budget || atomic64_add_unless(&r->left, -1, 0);
}

/*
 * Whether @r, a rule of context=work, has KSCOPE_NF_PENDING_MAX hits
 * queued already (a few more when CPUs race): then a hit is counted in
 * pending_capped, and neither fires nor takes from the budget.
 */
static bool kscope_nf_capped(struct kscope_nf_rule *r)
{
	if (atomic_read(&r->pending) < KSCOPE_NF_PENDING_MAX)
		return false;
	kscope_nf_stat_inc(pending_capped);
	return true;
}

static void kscope_nf_queue(struct kscope_nf_rule *r)
{
	atomic_inc(&r->pending);
	queue_work(kscope_nf_wq, &r->work);
	kscope_nf_stat_inc(queued);
}

/**
 * kscope_nf_pkt_parse() - the fields of @skb rules look at
 * @skb: the packet, at PRE_ROUTING: data at the network header, which
 *       ip_rcv()/ipv6_rcv() have checked
 * @st: the hook's state
 * @p: output
 * @buf: room for the payload's first KSCOPE_NF_PAYLOAD_MAX bytes
 *
 * Transport headers are read with skb_header_pointer(), so a short or
 * non-linear packet is safe. A non-first fragment has no ports and no
 * payload.
 */
static void kscope_nf_pkt_parse(struct sk_buff *skb,
				const struct nf_hook_state *st,
				struct kscope_nf_pkt *p, u8 *buf)
{
	unsigned int thoff, poff;
	bool first = true;

	memset(p, 0, sizeof(*p));
	p->family = st->pf;
	p->netns = st->net->ns.inum;
	p->dev = st->in ? st->in->name : NULL;
	if (st->pf == NFPROTO_IPV4) {
		const struct iphdr *iph = ip_hdr(skb);

		p->saddr.s6_addr32[0] = iph->saddr;
		p->daddr.s6_addr32[0] = iph->daddr;
		p->proto = iph->protocol;
		thoff = skb_network_offset(skb) + iph->ihl * 4;
		first = !(ntohs(iph->frag_off) & IP_OFFSET);
	} else {
		const struct ipv6hdr *ip6h = ipv6_hdr(skb);
		unsigned short fragoff = 0;

		p->saddr = ip6h->saddr;
		p->daddr = ip6h->daddr;
		p->proto = ipv6_find_hdr(skb, &thoff, -1, &fragoff, NULL);
		if (p->proto < 0) {
			p->proto = -1;
			return;
		}
		first = !fragoff;
	}
	if (!first)
		return;

	poff = thoff;
	switch (p->proto) {
	case IPPROTO_UDP:
	case IPPROTO_TCP: {
		/* both headers begin with the source and destination ports */
		__be16 _ports[2];
		const __be16 *ports;
		struct tcphdr _th;
		const struct tcphdr *th;

		ports = skb_header_pointer(skb, thoff, sizeof(_ports), _ports);
		if (!ports)
			return;
		p->has_ports = true;
		p->sport = ntohs(ports[0]);
		p->dport = ntohs(ports[1]);
		if (p->proto == IPPROTO_UDP) {
			poff += sizeof(struct udphdr);
			break;
		}
		th = skb_header_pointer(skb, thoff, sizeof(_th), &_th);
		if (!th)
			return;
		poff += th->doff * 4;
		break;
	}
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		/* type, code, checksum and four bytes that depend on type */
		poff += 8;
		break;
	default:
		break;
	}
	if (skb->len > poff) {
		p->payload_len = min_t(unsigned int, skb->len - poff,
				       KSCOPE_NF_PAYLOAD_MAX);
		p->payload = skb_header_pointer(skb, poff, p->payload_len, buf);
		if (!p->payload)
			p->payload_len = 0;
	}
}

/* The hook's work once a rule is armed: match, fire, give a verdict. */
static noinline unsigned int kscope_nf_run(struct sk_buff *skb,
					   const struct nf_hook_state *st)
{
	u8 buf[KSCOPE_NF_PAYLOAD_MAX];
	unsigned int verdict = NF_ACCEPT;
	struct kscope_nf_entry *e;
	struct kscope_nf_iter it;
	struct kscope_nf_pkt pkt;
	bool matched = false;

	kscope_nf_pkt_parse(skb, st, &pkt, buf);

	rcu_read_lock();
	for (e = kscope_nf_index_first(&kscope_nf_index, &pkt, &it); e;
	     e = kscope_nf_index_next(&it, e)) {
		struct kscope_nf_rule *r = container_of(e, struct kscope_nf_rule, e);

		matched = true;
		atomic64_inc(&r->matched);
		if (e->spec.ctx == KSCOPE_NF_WORK && kscope_nf_capped(r))
			continue;
		if (!kscope_nf_take_budget(r))
			continue;
		atomic64_inc(&r->fired);
		if (e->spec.action == KSCOPE_NF_DROP) {
			kscope_nf_fire(r, &pkt, KSCOPE_NF_SOFTIRQ);
			kscope_nf_stat_inc(drops);
			verdict = NF_DROP;
			break;
		}
		if (e->spec.ctx == KSCOPE_NF_WORK)
			kscope_nf_queue(r);
		else
			kscope_nf_fire(r, &pkt, KSCOPE_NF_SOFTIRQ);
	}
	rcu_read_unlock();
	if (matched)
		kscope_nf_stat_inc(matched);
	return verdict;
}

/*
 * The hook exists only while a rule is armed. It counts its calls and
 * the sched_clock() time spent in it, per CPU, for "stats".
 */
static unsigned int kscope_nf_hook(void *priv, struct sk_buff *skb,
				   const struct nf_hook_state *st)
{
	u64 t0 = sched_clock();
	unsigned int verdict = kscope_nf_run(skb, st);

	this_cpu_add(kscope_nf_stats.hook_ns, sched_clock() - t0);
	kscope_nf_stat_inc(seen);
	return verdict;
}

/*
 * Just after defragmentation (priority -400, when conntrack is loaded)
 * and before raw (-300), conntrack (-200) and the rest.
 */
static const struct nf_hook_ops kscope_nf_ops[] = {
	{
		.hook		= kscope_nf_hook,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_PRE_ROUTING,
		.priority	= NF_IP_PRI_CONNTRACK_DEFRAG + 1,
	},
#if IS_ENABLED(CONFIG_IPV6)
	{
		.hook		= kscope_nf_hook,
		.pf		= NFPROTO_IPV6,
		.hooknum	= NF_INET_PRE_ROUTING,
		.priority	= NF_IP6_PRI_CONNTRACK_DEFRAG + 1,
	},
#endif
};

static int __net_init kscope_nf_net_init(struct net *net)
{
	return nf_register_net_hooks(net, kscope_nf_ops,
				     ARRAY_SIZE(kscope_nf_ops));
}

static void __net_exit kscope_nf_net_exit(struct net *net)
{
	nf_unregister_net_hooks(net, kscope_nf_ops, ARRAY_SIZE(kscope_nf_ops));
}

static struct pernet_operations kscope_nf_net_ops = {
	.init	= kscope_nf_net_init,
	.exit	= kscope_nf_net_exit,
};

/*
 * The hooks follow the rules: registering the pernet operations puts a
 * hook into every namespace, and into each one created while they are
 * registered; unregistering takes them all out again and waits for CPUs
 * still inside (nf_unregister_net_hooks() does synchronize_net()).
 */
static int kscope_nf_hooks_get(void)
{
	int ret;

	lockdep_assert_held(&kscope_nf_lock);
	if (kscope_nf_hooked)
		return 0;
	ret = register_pernet_subsys(&kscope_nf_net_ops);
	if (!ret)
		kscope_nf_hooked = true;
	return ret;
}

static void kscope_nf_hooks_put(void)
{
	lockdep_assert_held(&kscope_nf_lock);
	if (!kscope_nf_hooked || kscope_nf_nr_rules)
		return;
	unregister_pernet_subsys(&kscope_nf_net_ops);
	kscope_nf_hooked = false;
}

/* ---- adding and deleting rules */

static struct kscope_nf_rule *kscope_nf_rule_new(const struct kscope_nf_spec *s)
{
	struct kscope_nf_rule *r = kzalloc(sizeof(*r), GFP_KERNEL);

	if (!r)
		return NULL;
	r->e.spec = *s;
	atomic64_set(&r->left, s->budget);
	INIT_WORK(&r->work, kscope_nf_work_fn);
	spin_lock_init(&r->leak_lock);
	INIT_LIST_HEAD(&r->leaked);
	return r;
}

/*
 * The end of a rule no hook can reach any more: stop its work, give
 * back its pages, free it. Process context.
 */
static void kscope_nf_rule_destroy(struct kscope_nf_rule *r)
{
	struct page *page, *tmp;

	cancel_work_sync(&r->work);
	list_for_each_entry_safe(page, tmp, &r->leaked, lru) {
		list_del(&page->lru);
		__free_page(page);
	}
	if (r->e.spec.action == KSCOPE_NF_LEAK)
		atomic_long_sub(r->nr_leaked, &kscope_nf_leak_held);
	kfree(r);
}

static void kscope_nf_rule_free_fn(struct work_struct *work)
{
	kscope_nf_rule_destroy(container_of(to_rcu_work(work),
					    struct kscope_nf_rule, free_work));
}

/*
 * Unlink @r and stop its deferred work; it is destroyed on kscope_nf_wq
 * once every hook that may have seen it has left its RCU read section.
 * A rule with deferred work or leaked pages needs process context for
 * that, which kfree_rcu() does not give.
 */
static void kscope_nf_rule_unlink(struct kscope_nf_rule *r)
{
	lockdep_assert_held(&kscope_nf_lock);
	WRITE_ONCE(r->dead, true);
	list_del(&r->node);
	kscope_nf_index_del(&r->e);
	kscope_nf_nr_rules--;
	INIT_RCU_WORK(&r->free_work, kscope_nf_rule_free_fn);
	queue_rcu_work(kscope_nf_wq, &r->free_work);
}

static int kscope_nf_add(const struct kscope_nf_spec *s, u32 *id)
{
	struct kscope_nf_rule *r;
	int ret = 0;

	if (kscope_nf_destructive(s->action) && !allow_destructive)
		return -EPERM;
	r = kscope_nf_rule_new(s);
	if (!r)
		return -ENOMEM;
	mutex_lock(&kscope_nf_lock);
	if (kscope_nf_nr_rules >= max_rules) {
		ret = -ENOSPC;
		goto out;
	}
	ret = kscope_nf_hooks_get();
	if (ret)
		goto out;
	r->e.id = kscope_nf_next_id++;
	*id = r->e.id;
	kscope_nf_nr_rules++;
	list_add_tail(&r->node, &kscope_nf_rules);
	kscope_nf_index_add(&kscope_nf_index, &r->e);
	r = NULL;
out:
	mutex_unlock(&kscope_nf_lock);
	kfree(r);
	return ret;
}

static int kscope_nf_del(const struct kscope_nf_cmd *cmd)
{
	struct kscope_nf_rule *r, *tmp;
	int ret = cmd->op == KSCOPE_NF_DEL ? -ENOENT : 0;

	mutex_lock(&kscope_nf_lock);
	list_for_each_entry_safe(r, tmp, &kscope_nf_rules, node) {
		if (cmd->op == KSCOPE_NF_DEL && r->e.id != cmd->id)
			continue;
		kscope_nf_rule_unlink(r);
		ret = 0;
	}
	kscope_nf_hooks_put();
	mutex_unlock(&kscope_nf_lock);
	return ret;
}

static const char *kscope_nf_strerror(int err)
{
	switch (err) {
	case -EPERM:	return "destructive action: load with allow_destructive=1";
	case -ENOSPC:	return "too many rules (max_rules)";
	case -ENOENT:	return "no rule with that id";
	case -ENOMEM:	return "out of memory";
	default:	return "error";
	}
}

static ssize_t kscope_nf_rules_write(struct file *file,
				     const char __user *ubuf, size_t count,
				     loff_t *ppos)
{
	struct kscope_nf_cmd *cmd;
	const char *bad;
	u32 id = 0;
	char *buf;
	int ret;

	ret = kscope_may_write(file, "netfilter");
	if (ret)
		return ret;
	if (count > KSCOPE_NF_LINE_MAX) {
		pr_info_ratelimited("netfilter: write of %zu bytes refused: one rule of at most %d\n",
				    count, KSCOPE_NF_LINE_MAX);
		return -EINVAL;
	}
	buf = memdup_user_nul(ubuf, count);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	cmd = kmalloc(sizeof(*cmd), GFP_KERNEL);
	if (!cmd) {
		ret = -ENOMEM;
		goto out;
	}
	/* one line: a newline may end it, not split it */
	if (strcspn(buf, "\n") + 1 < count) {
		bad = buf + strcspn(buf, "\n") + 1;
		ret = -EINVAL;
	} else {
		ret = kscope_nf_parse(buf, cmd, &bad);
	}
	if (ret) {
		pr_info_ratelimited("netfilter: bad token '%.*s' in rule; nothing changed\n",
				    (int)strcspn(bad, KSCOPE_NF_SPACE), bad);
		goto out;
	}
	if (cmd->op == KSCOPE_NF_ADD)
		ret = kscope_nf_add(&cmd->spec, &id);
	else
		ret = kscope_nf_del(cmd);
	if (ret)
		pr_info_ratelimited("netfilter: %s: %s; nothing changed\n",
				    cmd->op == KSCOPE_NF_ADD ?
				    kscope_nf_action_name(cmd->spec.action) :
				    "del", kscope_nf_strerror(ret));
out:
	kfree(cmd);
	kfree(buf);
	return ret ? ret : count;
}

static void *kscope_nf_seq_start(struct seq_file *m, loff_t *pos)
{
	mutex_lock(&kscope_nf_lock);
	return seq_list_start_head(&kscope_nf_rules, *pos);
}

static void *kscope_nf_seq_next(struct seq_file *m, void *v, loff_t *pos)
{
	return seq_list_next(v, &kscope_nf_rules, pos);
}

static void kscope_nf_seq_stop(struct seq_file *m, void *v)
{
	mutex_unlock(&kscope_nf_lock);
}

static int kscope_nf_seq_show(struct seq_file *m, void *v)
{
	struct kscope_nf_rule *r;
	unsigned long leaked;
	char line[KSCOPE_NF_LINE_MAX];

	if (v == &kscope_nf_rules) {
		seq_puts(m, "    ID      MATCHED        FIRED   PENDING    LEAKED RULE\n");
		return 0;
	}
	r = list_entry(v, struct kscope_nf_rule, node);
	spin_lock_bh(&r->leak_lock);
	leaked = r->nr_leaked;
	spin_unlock_bh(&r->leak_lock);
	kscope_nf_spec_snprint(line, sizeof(line), &r->e.spec);
	seq_printf(m, "%6u %12lld %12lld %9d %9lu %s\n", r->e.id,
		   (long long)atomic64_read(&r->matched),
		   (long long)atomic64_read(&r->fired),
		   atomic_read(&r->pending), leaked, line);
	return 0;
}

static const struct seq_operations kscope_nf_seq_ops = {
	.start	= kscope_nf_seq_start,
	.next	= kscope_nf_seq_next,
	.stop	= kscope_nf_seq_stop,
	.show	= kscope_nf_seq_show,
};

static int kscope_nf_rules_open(struct inode *inode, struct file *file)
{
	int ret = kscope_may_open(file, "netfilter");

	return ret ? ret : seq_open(file, &kscope_nf_seq_ops);
}

static const struct proc_ops kscope_nf_rules_proc_ops = {
	.proc_open	= kscope_nf_rules_open,
	.proc_read_iter	= seq_read_iter,
	.proc_write	= kscope_nf_rules_write,
	.proc_lseek	= seq_lseek,
	.proc_release	= seq_release,
};

static int kscope_nf_stats_show(struct seq_file *m, void *v)
{
	struct kscope_nf_stats sum = { };
	unsigned int i;
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct kscope_nf_stats *s = per_cpu_ptr(&kscope_nf_stats,
							      cpu);

		sum.seen += READ_ONCE(s->seen);
		sum.hook_ns += READ_ONCE(s->hook_ns);
		sum.matched += READ_ONCE(s->matched);
		for (i = 0; i < KSCOPE_NF_NR_ACTIONS; i++)
			sum.fired[i] += READ_ONCE(s->fired[i]);
		for (i = 0; i < KSCOPE_NF_NR_CTX; i++)
			sum.ctx[i] += READ_ONCE(s->ctx[i]);
		sum.queued += READ_ONCE(s->queued);
		sum.drops += READ_ONCE(s->drops);
		sum.leak_alloc_failures += READ_ONCE(s->leak_alloc_failures);
		sum.leak_limited += READ_ONCE(s->leak_limited);
		sum.pending_capped += READ_ONCE(s->pending_capped);
		sum.delay_over_budget += READ_ONCE(s->delay_over_budget);
	}
	mutex_lock(&kscope_nf_lock);
	kscope_seq_u64(m, "rules", kscope_nf_nr_rules);
	kscope_seq_u64(m, "hooked", kscope_nf_hooked);
	mutex_unlock(&kscope_nf_lock);
	kscope_seq_u64(m, "max_rules", max_rules);
	kscope_seq_u64(m, "allow_destructive", allow_destructive);
	kscope_seq_u64(m, "seen", sum.seen);
	kscope_seq_u64(m, "hook_ns", sum.hook_ns);
	kscope_seq_u64(m, "matched", sum.matched);
	for (i = 0; i < KSCOPE_NF_NR_ACTIONS; i++) {
		seq_puts(m, "action_");
		kscope_seq_u64(m, kscope_nf_action_name(i), sum.fired[i]);
	}
	for (i = 0; i < KSCOPE_NF_NR_CTX; i++) {
		seq_puts(m, "context_");
		kscope_seq_u64(m, kscope_nf_ctx_name(i), sum.ctx[i]);
	}
	kscope_seq_u64(m, "queued", sum.queued);
	kscope_seq_u64(m, "drops", sum.drops);
	kscope_seq_s64(m, "leak_pages_held",
		       atomic_long_read(&kscope_nf_leak_held));
	kscope_seq_u64(m, "max_leak_pages", max_leak_pages);
	kscope_seq_u64(m, "leak_alloc_failures", sum.leak_alloc_failures);
	kscope_seq_u64(m, "leak_limited", sum.leak_limited);
	kscope_seq_u64(m, "pending_max", KSCOPE_NF_PENDING_MAX);
	kscope_seq_u64(m, "pending_capped", sum.pending_capped);
	kscope_seq_u64(m, "delay_over_budget", sum.delay_over_budget);
	return 0;
}

static int kscope_nf_stats_open(struct inode *inode, struct file *file)
{
	return single_open(file, kscope_nf_stats_show, NULL);
}

static const struct proc_ops kscope_nf_stats_proc_ops = {
	.proc_open	= kscope_nf_stats_open,
	.proc_read_iter	= seq_read_iter,
	.proc_lseek	= seq_lseek,
	.proc_release	= single_release,
};

/*
 * The files in /proc/kscope/netfilter/. "rules" lets anyone open it for
 * writing so that a writer without CAP_SYS_ADMIN gets kscope's EPERM,
 * not EACCES.
 */
static const struct kscope_file kscope_nf_files[] = {
	{ "rules",	0666, &kscope_nf_rules_proc_ops },
	{ "stats",	0444, &kscope_nf_stats_proc_ops },
};

/**
 * kscope_netfilter_init() - /proc/kscope/netfilter/
 * @root: /proc/kscope
 *
 * No hook yet: the first rule registers them (kscope_nf_hooks_get()).
 *
 * Return: 0 or -ENOMEM.
 */
int kscope_netfilter_init(struct proc_dir_entry *root)
{
	const struct kscope_file *f;
	int ret = -ENOMEM;

	if (max_delay_us > KSCOPE_NF_DELAY_US_MAX)
		max_delay_us = KSCOPE_NF_DELAY_US_MAX;
	kscope_nf_index_init(&kscope_nf_index);
	kscope_nf_wq = alloc_workqueue("kscope_nf", 0, 0);
	if (!kscope_nf_wq)
		return -ENOMEM;
	kscope_nf_dir = proc_mkdir("netfilter", root);
	if (!kscope_nf_dir)
		goto err_wq;
	for (f = kscope_nf_files; f < kscope_nf_files + ARRAY_SIZE(kscope_nf_files);
	     f++) {
		if (!proc_create(f->name, f->mode, kscope_nf_dir, f->ops)) {
			pr_err("cannot create /proc/kscope/netfilter/%s\n",
			       f->name);
			goto err_dir;
		}
	}
	return 0;

err_dir:
	proc_remove(kscope_nf_dir);
err_wq:
	destroy_workqueue(kscope_nf_wq);
	return ret;
}

/**
 * kscope_netfilter_exit() - unhook, then free every rule and page
 *
 * Safe with rules armed, packets flowing and work queued: once the
 * files are gone no rule can be added; every rule is marked dead, so
 * that its deferred work stops within one cut-short action; once the
 * hooks are unregistered and synchronize_net() has returned no CPU is
 * inside the hook; then each rule's work is cancelled and its pages
 * freed. rcu_barrier()
 * lets the grace periods of earlier deletions end, so that their frees
 * are queued before destroy_workqueue() drains the queue.
 */
void kscope_netfilter_exit(void)
{
	struct kscope_nf_rule *r, *tmp;

	proc_remove(kscope_nf_dir);

	mutex_lock(&kscope_nf_lock);
	list_for_each_entry(r, &kscope_nf_rules, node)
		WRITE_ONCE(r->dead, true);
	if (kscope_nf_hooked)
		unregister_pernet_subsys(&kscope_nf_net_ops);
	kscope_nf_hooked = false;
	synchronize_net();
	list_for_each_entry_safe(r, tmp, &kscope_nf_rules, node) {
		list_del(&r->node);
		kscope_nf_nr_rules--;
		kscope_nf_rule_destroy(r);
	}
	mutex_unlock(&kscope_nf_lock);

	rcu_barrier();
	destroy_workqueue(kscope_nf_wq);
}

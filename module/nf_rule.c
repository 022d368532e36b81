// SPDX-License-Identifier: GPL-2.0
/*
 * nf_rule.c - the rules of /proc/kscope/netfilter/rules as text: parse
 * a line written to the file, check it, print a rule back, and match a
 * rule against a packet's fields.
 *
 * A rule is "[add] KEY=VALUE ...", each key at most once, in any order;
 * "del ID" and "del all" delete. Nothing here touches the hook, an skb,
 * a network namespace or the rule list: it is pure, so the KUnit suite
 * (kunit/netfilter_test.c) tests all of it, and netfilter.c arms what
 * it returns. The rule index lives here too: which rules a packet
 * must be compared with, without knowing how the hook holds them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/hash.h>
#include <linux/in.h>
#include <linux/inet.h>
#include <linux/kernel.h>
#include <linux/kstrtox.h>
#include <linux/netfilter.h>
#include <linux/rculist.h>
#include <linux/string.h>
#include <net/ipv6.h>

#include "kscope_compat.h"
#include "nf_rule.h"

/* Longest value of one key=value token. */
#define KSCOPE_NF_VALUE_MAX	72
/* Upper bounds the parser enforces, whatever the module parameters. */
#define KSCOPE_NF_LEAK_PAGES_MAX 262144
#define KSCOPE_NF_LOCKUP_MS_MAX	120000
/* Defaults for the action argument. */
#define KSCOPE_NF_DELAY_US_DEF	1000
#define KSCOPE_NF_LEAK_PAGES_DEF 1
#define KSCOPE_NF_LOCKUP_MS_DEF	30000

static const char *const kscope_nf_action_names[KSCOPE_NF_NR_ACTIONS] = {
	[KSCOPE_NF_COUNT]	= "count",
	[KSCOPE_NF_LOG]		= "log",
	[KSCOPE_NF_DROP]	= "drop",
	[KSCOPE_NF_DELAY]	= "delay",
	[KSCOPE_NF_LEAK]	= "leak",
	[KSCOPE_NF_WARN]	= "warn",
	[KSCOPE_NF_OOM]		= "oom",
	[KSCOPE_NF_PANIC]	= "panic",
	[KSCOPE_NF_LOCKUP]	= "lockup",
};

static const char *const kscope_nf_ctx_names[KSCOPE_NF_NR_CTX] = {
	[KSCOPE_NF_SOFTIRQ]	= "softirq",
	[KSCOPE_NF_WORK]	= "work",
};

/**
 * kscope_nf_action_name() - an action's name, as rules and stats print it
 * @action: the action, below %KSCOPE_NF_NR_ACTIONS
 *
 * Return: the name.
 */
const char *kscope_nf_action_name(enum kscope_nf_action action)
{
	return kscope_nf_action_names[action];
}

/**
 * kscope_nf_ctx_name() - a context's name, as rules and stats print it
 * @ctx: the context, below %KSCOPE_NF_NR_CTX
 *
 * Return: the name.
 */
const char *kscope_nf_ctx_name(enum kscope_nf_ctx ctx)
{
	return kscope_nf_ctx_names[ctx];
}

/* The keys of a rule's key=value tokens, in the order a rule prints them. */
enum kscope_nf_key {
	KSCOPE_NF_K_FAMILY,
	KSCOPE_NF_K_PROTO,
	KSCOPE_NF_K_SRC,
	KSCOPE_NF_K_DST,
	KSCOPE_NF_K_SPORT,
	KSCOPE_NF_K_DPORT,
	KSCOPE_NF_K_DEV,
	KSCOPE_NF_K_NETNS,
	KSCOPE_NF_K_PAYLOAD,
	KSCOPE_NF_K_ACTION,
	KSCOPE_NF_K_US,
	KSCOPE_NF_K_PAGES,
	KSCOPE_NF_K_MS,
	KSCOPE_NF_K_CONTEXT,
	KSCOPE_NF_K_BUDGET,
	KSCOPE_NF_K_NR,
};

static const char *const kscope_nf_keys[KSCOPE_NF_K_NR] = {
	[KSCOPE_NF_K_FAMILY]	= "family",
	[KSCOPE_NF_K_PROTO]	= "proto",
	[KSCOPE_NF_K_SRC]	= "src",
	[KSCOPE_NF_K_DST]	= "dst",
	[KSCOPE_NF_K_SPORT]	= "sport",
	[KSCOPE_NF_K_DPORT]	= "dport",
	[KSCOPE_NF_K_DEV]	= "dev",
	[KSCOPE_NF_K_NETNS]	= "netns",
	[KSCOPE_NF_K_PAYLOAD]	= "payload",
	[KSCOPE_NF_K_ACTION]	= "action",
	[KSCOPE_NF_K_US]	= "us",
	[KSCOPE_NF_K_PAGES]	= "pages",
	[KSCOPE_NF_K_MS]	= "ms",
	[KSCOPE_NF_K_CONTEXT]	= "context",
	[KSCOPE_NF_K_BUDGET]	= "budget",
};

static const struct {
	const char *name;
	int proto;
} kscope_nf_protos[] = {
	{ "icmp", IPPROTO_ICMP },
	{ "tcp", IPPROTO_TCP },
	{ "udp", IPPROTO_UDP },
	{ "icmpv6", IPPROTO_ICMPV6 },
};

/**
 * kscope_nf_destructive() - whether an action needs allow_destructive
 * @action: the action
 *
 * Return: true for warn, oom, panic and lockup.
 */
bool kscope_nf_destructive(enum kscope_nf_action action)
{
	return action >= KSCOPE_NF_WARN && action < KSCOPE_NF_NR_ACTIONS;
}
EXPORT_SYMBOL_IF_KUNIT(kscope_nf_destructive);

static int kscope_nf_lookup(const char *const *names, unsigned int n,
			    const char *s)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!strcmp(names[i], s))
			return i;
	return -1;
}

static int kscope_nf_parse_u32(const char *s, u32 min, u32 max, u32 *out)
{
	u32 v;

	/* kstrtou32() takes a leading '+'; a rule does not */
	if (!isdigit(*s) || kstrtou32(s, 10, &v) || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

/* "N" or "N-M", 0..65535, N <= M */
static int kscope_nf_parse_ports(char *s, u16 *lo, u16 *hi)
{
	char *dash = strchr(s, '-');
	u32 a, b;

	if (dash)
		*dash = '\0';
	if (kscope_nf_parse_u32(s, 0, 65535, &a))
		return -EINVAL;
	b = a;
	if (dash && kscope_nf_parse_u32(dash + 1, 0, 65535, &b))
		return -EINVAL;
	if (a > b)
		return -EINVAL;
	*lo = a;
	*hi = b;
	return 0;
}

/*
 * "ADDR" or "ADDR/LEN", IPv4 or IPv6; sets @family. Bits beyond the
 * prefix are cleared, so 10.1.2.3/8 is 10.0.0.0/8.
 */
static int kscope_nf_parse_prefix(char *s, struct kscope_nf_prefix *p,
				  u8 *family)
{
	char *slash = strchr(s, '/');
	struct in6_addr addr;
	size_t len;
	const char *end;
	u32 plen, max;

	if (slash)
		*slash = '\0';
	len = strlen(s);
	memset(p, 0, sizeof(*p));
	if (strchr(s, ':')) {
		if (!in6_pton(s, len, p->addr.s6_addr, -1, &end) ||
		    end != s + len)
			return -EINVAL;
		*family = NFPROTO_IPV6;
		max = 128;
	} else {
		if (!len || !in4_pton(s, len, p->addr.s6_addr, -1, &end) ||
		    end != s + len)
			return -EINVAL;
		*family = NFPROTO_IPV4;
		max = 32;
	}
	plen = max;
	if (slash && kscope_nf_parse_u32(slash + 1, 0, max, &plen))
		return -EINVAL;
	addr = p->addr;
	ipv6_addr_prefix(&p->addr, &addr, plen);
	p->plen = plen;
	p->set = true;
	return 0;
}

static int kscope_nf_parse_payload(const char *s, struct kscope_nf_spec *r)
{
	size_t len = strlen(s);

	if (!len || len % 2 || len / 2 > KSCOPE_NF_PAYLOAD_MAX ||
	    hex2bin(r->payload, s, len / 2))
		return -EINVAL;
	r->payload_len = len / 2;
	return 0;
}

static int kscope_nf_parse_proto(const char *s, s16 *proto)
{
	unsigned int i;
	u32 v;

	for (i = 0; i < ARRAY_SIZE(kscope_nf_protos); i++) {
		if (!strcmp(s, kscope_nf_protos[i].name)) {
			*proto = kscope_nf_protos[i].proto;
			return 0;
		}
	}
	if (kscope_nf_parse_u32(s, 0, 255, &v))
		return -EINVAL;
	*proto = v;
	return 0;
}

/* A family from family=, src= or dst= must agree with the one before. */
static int kscope_nf_set_family(struct kscope_nf_spec *r, u8 family)
{
	if (r->family && r->family != family)
		return -EINVAL;
	r->family = family;
	return 0;
}

/* Parse VAL, the value of KEY, into @r. */
static int kscope_nf_parse_value(struct kscope_nf_spec *r,
				 enum kscope_nf_key key, char *val)
{
	u8 family = 0;
	int i;

	switch (key) {
	case KSCOPE_NF_K_FAMILY:
		if (!strcmp(val, "ipv4"))
			family = NFPROTO_IPV4;
		else if (!strcmp(val, "ipv6"))
			family = NFPROTO_IPV6;
		else
			return -EINVAL;
		return kscope_nf_set_family(r, family);
	case KSCOPE_NF_K_PROTO:
		return kscope_nf_parse_proto(val, &r->proto);
	case KSCOPE_NF_K_SRC:
	case KSCOPE_NF_K_DST:
		if (kscope_nf_parse_prefix(val, key == KSCOPE_NF_K_SRC ?
					   &r->src : &r->dst, &family))
			return -EINVAL;
		return kscope_nf_set_family(r, family);
	case KSCOPE_NF_K_SPORT:
		r->sport = true;
		return kscope_nf_parse_ports(val, &r->sport_lo, &r->sport_hi);
	case KSCOPE_NF_K_DPORT:
		r->dport = true;
		return kscope_nf_parse_ports(val, &r->dport_lo, &r->dport_hi);
	case KSCOPE_NF_K_DEV:
		if (!*val || strlen(val) >= IFNAMSIZ || strchr(val, '/'))
			return -EINVAL;
		strscpy(r->dev, val, sizeof(r->dev));
		return 0;
	case KSCOPE_NF_K_NETNS:
		return kscope_nf_parse_u32(val, 1, U32_MAX, &r->netns);
	case KSCOPE_NF_K_PAYLOAD:
		return kscope_nf_parse_payload(val, r);
	case KSCOPE_NF_K_ACTION:
		i = kscope_nf_lookup(kscope_nf_action_names,
				     KSCOPE_NF_NR_ACTIONS, val);
		if (i < 0)
			return -EINVAL;
		r->action = i;
		return 0;
	case KSCOPE_NF_K_CONTEXT:
		i = kscope_nf_lookup(kscope_nf_ctx_names, KSCOPE_NF_NR_CTX, val);
		if (i < 0)
			return -EINVAL;
		r->ctx = i;
		return 0;
	case KSCOPE_NF_K_US:
		return kscope_nf_parse_u32(val, 1, KSCOPE_NF_DELAY_US_MAX,
					   &r->arg);
	case KSCOPE_NF_K_PAGES:
		return kscope_nf_parse_u32(val, 1, KSCOPE_NF_LEAK_PAGES_MAX,
					   &r->arg);
	case KSCOPE_NF_K_MS:
		return kscope_nf_parse_u32(val, 1, KSCOPE_NF_LOCKUP_MS_MAX,
					   &r->arg);
	case KSCOPE_NF_K_BUDGET:
		return kscope_nf_parse_u32(val, 1, U32_MAX, &r->budget);
	default:
		return -EINVAL;
	}
}

/* The key each action's argument is given with, or -1 for none. */
static int kscope_nf_arg_key(enum kscope_nf_action action)
{
	switch (action) {
	case KSCOPE_NF_DELAY:
		return KSCOPE_NF_K_US;
	case KSCOPE_NF_LEAK:
		return KSCOPE_NF_K_PAGES;
	case KSCOPE_NF_LOCKUP:
		return KSCOPE_NF_K_MS;
	default:
		return -1;
	}
}

/*
 * Checks between tokens, once all are parsed. @tok holds where each
 * key's token starts (NULL if absent); the token blamed goes to @bad.
 */
static int kscope_nf_check(struct kscope_nf_spec *r, const char **tok,
			   const char **bad)
{
	int argkey = kscope_nf_arg_key(r->action);
	int k;

	/* an argument that is not the action's */
	for (k = KSCOPE_NF_K_US; k <= KSCOPE_NF_K_MS; k++) {
		if (tok[k] && k != argkey) {
			*bad = tok[k];
			return -EINVAL;
		}
	}
	if (argkey >= 0 && !tok[argkey])
		r->arg = r->action == KSCOPE_NF_DELAY ? KSCOPE_NF_DELAY_US_DEF :
			 r->action == KSCOPE_NF_LEAK ? KSCOPE_NF_LEAK_PAGES_DEF :
			 KSCOPE_NF_LOCKUP_MS_DEF;
	/* ports exist for tcp and udp only */
	if ((r->sport || r->dport) &&
	    r->proto != IPPROTO_TCP && r->proto != IPPROTO_UDP) {
		*bad = tok[r->sport ? KSCOPE_NF_K_SPORT : KSCOPE_NF_K_DPORT];
		return -EINVAL;
	}
	/* a verdict can only be given in the hook */
	if (r->action == KSCOPE_NF_DROP && r->ctx == KSCOPE_NF_WORK) {
		*bad = tok[KSCOPE_NF_K_CONTEXT];
		return -EINVAL;
	}
	/* the OOM killer runs only for allocations that may sleep */
	if (r->action == KSCOPE_NF_OOM && r->ctx != KSCOPE_NF_WORK) {
		*bad = tok[KSCOPE_NF_K_CONTEXT] ?: tok[KSCOPE_NF_K_ACTION];
		return -EINVAL;
	}
	return 0;
}

/* "del ID" or "del all", after the word "del" */
static int kscope_nf_parse_del(const char *p, struct kscope_nf_cmd *cmd,
			       const char **bad)
{
	char val[12];
	size_t len;

	p += strspn(p, KSCOPE_NF_SPACE);
	*bad = p;
	len = strcspn(p, KSCOPE_NF_SPACE);
	if (!len || len >= sizeof(val))
		return -EINVAL;
	memcpy(val, p, len);
	val[len] = '\0';
	cmd->op = strcmp(val, "all") ? KSCOPE_NF_DEL : KSCOPE_NF_DEL_ALL;
	if (cmd->op == KSCOPE_NF_DEL &&
	    kscope_nf_parse_u32(val, 1, U32_MAX, &cmd->id))
		return -EINVAL;
	p += len;
	p += strspn(p, KSCOPE_NF_SPACE);
	if (*p) {
		*bad = p;
		return -EINVAL;
	}
	*bad = NULL;
	return 0;
}

/**
 * kscope_nf_parse() - parse one line written to "rules"
 * @line: NUL-terminated text, one line (a trailing newline is allowed)
 * @cmd: output
 * @bad: output, on error the start of the token at fault (points into
 *       @line; the token ends at white space)
 *
 * The line is "del ID", "del all", or a rule: "[add] KEY=VALUE ...",
 * each key at most once, in any order. A rule is checked whole here;
 * whether its action is allowed and whether there is room for it are
 * the caller's business.
 *
 * Return: 0, or -EINVAL with @bad set (to @line itself for an empty line).
 */
int kscope_nf_parse(const char *line, struct kscope_nf_cmd *cmd,
		    const char **bad)
{
	const char *tok[KSCOPE_NF_K_NR] = { };
	struct kscope_nf_spec *r = &cmd->spec;
	const char *p = line;
	bool first = true;

	memset(cmd, 0, sizeof(*cmd));
	r->proto = -1;
	cmd->op = KSCOPE_NF_ADD;
	*bad = line;
	for (;;) {
		char val[KSCOPE_NF_VALUE_MAX + 1];
		const char *eq;
		size_t len, klen;
		int key;

		p += strspn(p, KSCOPE_NF_SPACE);
		if (!*p)
			break;
		*bad = p;
		len = strcspn(p, KSCOPE_NF_SPACE);
		if (first && len == 3 && !strncmp(p, "del", 3))
			return kscope_nf_parse_del(p + 3, cmd, bad);
		if (first && len == 3 && !strncmp(p, "add", 3)) {
			first = false;
			p += len;
			continue;
		}
		first = false;
		eq = memchr(p, '=', len);
		if (!eq)
			return -EINVAL;
		klen = eq - p;
		for (key = 0; key < KSCOPE_NF_K_NR; key++)
			if (strlen(kscope_nf_keys[key]) == klen &&
			    !strncmp(p, kscope_nf_keys[key], klen))
				break;
		if (key == KSCOPE_NF_K_NR || tok[key])
			return -EINVAL;
		tok[key] = p;
		if (len - klen - 1 > KSCOPE_NF_VALUE_MAX)
			return -EINVAL;
		memcpy(val, eq + 1, len - klen - 1);
		val[len - klen - 1] = '\0';
		if (kscope_nf_parse_value(r, key, val))
			return -EINVAL;
		p += len;
	}
	if (first)
		return -EINVAL;
	if (!tok[KSCOPE_NF_K_ACTION]) {
		/* "add" alone, or a rule with no action: blame the end */
		*bad = p;
		return -EINVAL;
	}
	if (kscope_nf_check(r, tok, bad))
		return -EINVAL;
	*bad = NULL;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(kscope_nf_parse);

static bool kscope_nf_ports_match(bool on, u16 lo, u16 hi,
				  const struct kscope_nf_pkt *p, u16 port)
{
	return !on || (p->has_ports && port >= lo && port <= hi);
}

static bool kscope_nf_prefix_match(const struct kscope_nf_prefix *pre,
				   const struct in6_addr *addr)
{
	return !pre->set || ipv6_prefix_equal(&pre->addr, addr, pre->plen);
}

/**
 * kscope_nf_match() - whether a packet matches a rule
 * @s: the rule
 * @p: the packet's fields
 *
 * Every match the rule has must hold; a rule without matches takes
 * every packet. Address matches imply the family (the parser sets it).
 *
 * Return: true on a match.
 */
bool kscope_nf_match(const struct kscope_nf_spec *s,
		     const struct kscope_nf_pkt *p)
{
	if (s->family && s->family != p->family)
		return false;
	if (s->proto >= 0 && s->proto != p->proto)
		return false;
	if (!kscope_nf_ports_match(s->sport, s->sport_lo, s->sport_hi,
				   p, p->sport) ||
	    !kscope_nf_ports_match(s->dport, s->dport_lo, s->dport_hi,
				   p, p->dport))
		return false;
	if (!kscope_nf_prefix_match(&s->src, &p->saddr) ||
	    !kscope_nf_prefix_match(&s->dst, &p->daddr))
		return false;
	if (s->netns && s->netns != p->netns)
		return false;
	if (s->dev[0] && (!p->dev || strncmp(s->dev, p->dev, IFNAMSIZ)))
		return false;
	if (s->payload_len && (p->payload_len < s->payload_len ||
			       memcmp(s->payload, p->payload, s->payload_len)))
		return false;
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(kscope_nf_match);

static int kscope_nf_print_prefix(char *buf, size_t size, const char *key,
				  u8 family, const struct kscope_nf_prefix *pre)
{
	int max = family == NFPROTO_IPV4 ? 32 : 128;
	int n;

	if (!pre->set)
		return 0;
	if (family == NFPROTO_IPV4)
		n = scnprintf(buf, size, " %s=%pI4", key, pre->addr.s6_addr);
	else
		n = scnprintf(buf, size, " %s=%pI6c", key, &pre->addr);
	if (pre->plen != max)
		n += scnprintf(buf + n, size - n, "/%u", pre->plen);
	return n;
}

static int kscope_nf_print_ports(char *buf, size_t size, const char *key,
				 bool on, u16 lo, u16 hi)
{
	if (!on)
		return 0;
	if (lo == hi)
		return scnprintf(buf, size, " %s=%u", key, lo);
	return scnprintf(buf, size, " %s=%u-%u", key, lo, hi);
}

static const char *kscope_nf_proto_name(int proto)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kscope_nf_protos); i++)
		if (kscope_nf_protos[i].proto == proto)
			return kscope_nf_protos[i].name;
	return NULL;
}

/**
 * kscope_nf_spec_snprint() - a rule as a line that would add it again
 * @buf: output, NUL-terminated
 * @size: size of @buf
 * @s: the rule
 *
 * Keys in a fixed order, the action's argument and context always
 * shown, addresses in their shortest form (an IPv6 address per RFC
 * 5952), a prefix length only when it is not the whole address.
 *
 * Return: the length written, as scnprintf().
 */
int kscope_nf_spec_snprint(char *buf, size_t size,
			   const struct kscope_nf_spec *s)
{
	const char *proto = kscope_nf_proto_name(s->proto);
	int argkey = kscope_nf_arg_key(s->action);
	int n = 0;

	if (s->family)
		n += scnprintf(buf + n, size - n, " family=%s",
			       s->family == NFPROTO_IPV4 ? "ipv4" : "ipv6");
	if (s->proto >= 0 && proto)
		n += scnprintf(buf + n, size - n, " proto=%s", proto);
	else if (s->proto >= 0)
		n += scnprintf(buf + n, size - n, " proto=%d", s->proto);
	n += kscope_nf_print_prefix(buf + n, size - n, "src", s->family, &s->src);
	n += kscope_nf_print_prefix(buf + n, size - n, "dst", s->family, &s->dst);
	n += kscope_nf_print_ports(buf + n, size - n, "sport", s->sport,
				   s->sport_lo, s->sport_hi);
	n += kscope_nf_print_ports(buf + n, size - n, "dport", s->dport,
				   s->dport_lo, s->dport_hi);
	if (s->dev[0])
		n += scnprintf(buf + n, size - n, " dev=%s", s->dev);
	if (s->netns)
		n += scnprintf(buf + n, size - n, " netns=%u", s->netns);
	if (s->payload_len)
		n += scnprintf(buf + n, size - n, " payload=%*phN",
			       s->payload_len, s->payload);
	n += scnprintf(buf + n, size - n, " action=%s",
		       kscope_nf_action_names[s->action]);
	if (argkey >= 0)
		n += scnprintf(buf + n, size - n, " %s=%u",
			       kscope_nf_keys[argkey], s->arg);
	n += scnprintf(buf + n, size - n, " context=%s",
		       kscope_nf_ctx_names[s->ctx]);
	if (s->budget)
		n += scnprintf(buf + n, size - n, " budget=%u", s->budget);
	/* drop the leading space */
	if (n)
		memmove(buf, buf + 1, n--);
	return n;
}
EXPORT_SYMBOL_IF_KUNIT(kscope_nf_spec_snprint);

/* ---- the rule index */

/* A TCP or UDP destination port and its protocol, as one word. */
static u32 kscope_nf_key(int proto, u16 dport)
{
	return (u32)proto << 16 | dport;
}

static struct hlist_head *kscope_nf_bucket(struct kscope_nf_index *idx,
					   u32 key)
{
	return &idx->bucket[hash_32(key, KSCOPE_NF_INDEX_BITS)];
}

/**
 * kscope_nf_index_init() - an empty index
 * @idx: the index
 */
void kscope_nf_index_init(struct kscope_nf_index *idx)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(idx->bucket); i++)
		INIT_HLIST_HEAD(&idx->bucket[i]);
	INIT_HLIST_HEAD(&idx->rest);
}
EXPORT_SYMBOL_IF_KUNIT(kscope_nf_index_init);

/**
 * kscope_nf_index_add() - put a rule where packets will find it
 * @idx: the index, changed under its owner's lock
 * @e: the rule, with @e->id above every id already in @idx
 *
 * A rule on one TCP or UDP destination port goes into that port's
 * bucket; any other rule (a port range, no port, another protocol)
 * into the match-all list, which every packet walks. Both keep the
 * order of addition, which is the order of ids.
 */
void kscope_nf_index_add(struct kscope_nf_index *idx,
			 struct kscope_nf_entry *e)
{
	const struct kscope_nf_spec *s = &e->spec;

	e->keyed = (s->proto == IPPROTO_TCP || s->proto == IPPROTO_UDP) &&
		   s->dport && s->dport_lo == s->dport_hi;
	e->key = e->keyed ? kscope_nf_key(s->proto, s->dport_lo) : 0;
	hlist_add_tail_rcu(&e->hnode, e->keyed ?
			   kscope_nf_bucket(idx, e->key) : &idx->rest);
}
EXPORT_SYMBOL_IF_KUNIT(kscope_nf_index_add);

/**
 * kscope_nf_index_del() - take a rule out of its index
 * @e: the rule; walkers under RCU may still see it until a grace period
 */
void kscope_nf_index_del(struct kscope_nf_entry *e)
{
	hlist_del_rcu(&e->hnode);
}
EXPORT_SYMBOL_IF_KUNIT(kscope_nf_index_del);

/*
 * The first entry from @n on that matches @it's packet; in a bucket
 * (@keyed), only entries of the packet's own key, since other keys
 * share buckets. Callers hold rcu_read_lock() or the index owner's lock.
 */
static struct kscope_nf_entry *kscope_nf_scan(const struct kscope_nf_iter *it,
					      struct hlist_node *n, bool keyed)
{
	for (; n; n = rcu_dereference_raw(hlist_next_rcu(n))) {
		struct kscope_nf_entry *e = hlist_entry(n, struct kscope_nf_entry,
							hnode);

		if (keyed && e->key != it->key)
			continue;
		if (kscope_nf_match(&e->spec, it->pkt))
			return e;
	}
	return NULL;
}

/* The lower-numbered of the two lists' next matches. */
static struct kscope_nf_entry *kscope_nf_pick(const struct kscope_nf_iter *it)
{
	if (!it->a)
		return it->b;
	if (!it->b)
		return it->a;
	return it->a->id < it->b->id ? it->a : it->b;
}

/**
 * kscope_nf_index_first() - the first rule that matches a packet
 * @idx: the index
 * @p: the packet's fields
 * @it: the walk's state, for kscope_nf_index_next()
 *
 * The packet looks at its own bucket (if it has TCP or UDP ports) and
 * at the match-all list, merged so that rules come in id order, which
 * is the order they were added in.
 *
 * Return: the rule, or NULL when none matches.
 */
struct kscope_nf_entry *kscope_nf_index_first(struct kscope_nf_index *idx,
					      const struct kscope_nf_pkt *p,
					      struct kscope_nf_iter *it)
{
	struct hlist_head *head;

	it->pkt = p;
	it->a = NULL;
	if (p->has_ports &&
	    (p->proto == IPPROTO_TCP || p->proto == IPPROTO_UDP)) {
		it->key = kscope_nf_key(p->proto, p->dport);
		head = kscope_nf_bucket(idx, it->key);
		it->a = kscope_nf_scan(it, rcu_dereference_raw(hlist_first_rcu(head)),
				       true);
	}
	head = &idx->rest;
	it->b = kscope_nf_scan(it, rcu_dereference_raw(hlist_first_rcu(head)),
			       false);
	return kscope_nf_pick(it);
}
EXPORT_SYMBOL_IF_KUNIT(kscope_nf_index_first);

/**
 * kscope_nf_index_next() - the next rule that matches the packet
 * @it: the walk's state
 * @e: the rule kscope_nf_index_first() or this returned last
 *
 * Return: the rule, or NULL when no more match.
 */
struct kscope_nf_entry *kscope_nf_index_next(struct kscope_nf_iter *it,
					     struct kscope_nf_entry *e)
{
	struct hlist_node *n = rcu_dereference_raw(hlist_next_rcu(&e->hnode));

	if (e == it->a)
		it->a = kscope_nf_scan(it, n, true);
	else
		it->b = kscope_nf_scan(it, n, false);
	return kscope_nf_pick(it);
}
EXPORT_SYMBOL_IF_KUNIT(kscope_nf_index_next);

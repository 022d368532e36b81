// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the netfilter rule parser, its printed form, the
 * packet matcher and the rule index.
 */
#include <kunit/test.h>
#include <linux/in.h>
#include <linux/kernel.h>
#include <linux/netfilter.h>
#include <linux/string.h>

#include "nf_rule.h"

/*
 * A line and what the parser must say: 0 and the rule's printed form
 * (NULL for a delete), or -EINVAL and the token it blames.
 */
/* the longest payload a rule takes: 32 bytes */
#define P32 "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"

struct kscope_nf_test_case {
	const char *input;
	int ret;
	const char *out;
};

static const struct kscope_nf_test_case kscope_nf_test_cases_table[] = {
	/* every key, valid */
	{ "action=count", 0, "action=count context=softirq" },
	{ "add action=log\n", 0, "action=log context=softirq" },
	{ "  action=drop  ", 0, "action=drop context=softirq" },
	{ "action=delay", 0, "action=delay us=1000 context=softirq" },
	{ "action=delay us=1", 0, "action=delay us=1 context=softirq" },
	{ "action=delay us=1000000", 0, "action=delay us=1000000 context=softirq" },
	{ "action=leak", 0, "action=leak pages=1 context=softirq" },
	{ "action=leak pages=262144 context=work", 0,
	  "action=leak pages=262144 context=work" },
	{ "action=warn", 0, "action=warn context=softirq" },
	{ "action=oom context=work", 0, "action=oom context=work" },
	{ "action=panic context=work", 0, "action=panic context=work" },
	{ "action=lockup", 0, "action=lockup ms=30000 context=softirq" },
	{ "action=lockup ms=120000", 0, "action=lockup ms=120000 context=softirq" },
	{ "action=count context=softirq", 0, "action=count context=softirq" },
	{ "budget=1 action=count", 0, "action=count context=softirq budget=1" },
	{ "budget=4294967295 action=count", 0,
	  "action=count context=softirq budget=4294967295" },
	{ "family=ipv4 action=count", 0, "family=ipv4 action=count context=softirq" },
	{ "family=ipv6 action=count", 0, "family=ipv6 action=count context=softirq" },
	{ "proto=udp action=count", 0, "proto=udp action=count context=softirq" },
	{ "proto=tcp action=count", 0, "proto=tcp action=count context=softirq" },
	{ "proto=icmp action=count", 0, "proto=icmp action=count context=softirq" },
	{ "proto=icmpv6 action=count", 0, "proto=icmpv6 action=count context=softirq" },
	{ "proto=17 action=count", 0, "proto=udp action=count context=softirq" },
	{ "proto=0 action=count", 0, "proto=0 action=count context=softirq" },
	{ "proto=255 action=count", 0, "proto=255 action=count context=softirq" },
	{ "proto=udp sport=0 dport=65535 action=drop", 0,
	  "proto=udp sport=0 dport=65535 action=drop context=softirq" },
	{ "proto=tcp dport=1000-2000 action=count", 0,
	  "proto=tcp dport=1000-2000 action=count context=softirq" },
	{ "proto=tcp dport=7-7 action=count", 0,
	  "proto=tcp dport=7 action=count context=softirq" },
	{ "src=10.0.0.1 action=count", 0,
	  "family=ipv4 src=10.0.0.1 action=count context=softirq" },
	{ "dst=10.1.2.3/8 action=count", 0,
	  "family=ipv4 dst=10.0.0.0/8 action=count context=softirq" },
	{ "src=0.0.0.0/0 action=count", 0,
	  "family=ipv4 src=0.0.0.0/0 action=count context=softirq" },
	{ "src=fd00:0:0::1 dst=fd00::/64 action=count", 0,
	  "family=ipv6 src=fd00::1 dst=fd00::/64 action=count context=softirq" },
	{ "family=ipv6 dst=::/0 action=count", 0,
	  "family=ipv6 dst=::/0 action=count context=softirq" },
	{ "dst=::ffff:10.0.0.1 action=count", 0,
	  "family=ipv6 dst=::ffff:10.0.0.1 action=count context=softirq" },
	{ "dev=eth0 action=count", 0, "dev=eth0 action=count context=softirq" },
	{ "dev=abcdefghijklmno action=count", 0,
	  "dev=abcdefghijklmno action=count context=softirq" },
	{ "netns=4026531840 action=count", 0,
	  "netns=4026531840 action=count context=softirq" },
	{ "payload=6b73 action=count", 0, "payload=6b73 action=count context=softirq" },
	{ "payload=00FF action=count", 0, "payload=00ff action=count context=softirq" },
	{ "payload=" P32 " action=count", 0, "payload=" P32 " action=count context=softirq" },
	{ "context=work budget=3 action=leak pages=2 dport=9 proto=udp", 0,
	  "proto=udp dport=9 action=leak pages=2 context=work budget=3" },
	{ "del 1", 0, NULL },
	{ "del 4294967295\n", 0, NULL },
	{ " del   all ", 0, NULL },

	/* malformed: the blamed token */
	{ "", -EINVAL, "" },
	{ "\t\n", -EINVAL, "" },
	{ "add", -EINVAL, "" },
	{ "proto=udp", -EINVAL, "" },
	{ "action", -EINVAL, "action" },
	{ "action=", -EINVAL, "action=" },
	{ "action=explode", -EINVAL, "action=explode" },
	{ "action=Count", -EINVAL, "action=Count" },
	{ "color=red action=count", -EINVAL, "color=red" },
	{ "=1 action=count", -EINVAL, "=1" },
	{ "action=count action=log", -EINVAL, "action=log" },
	{ "add add action=count", -EINVAL, "add" },
	{ "action=count add", -EINVAL, "add" },
	{ "action=count del 1", -EINVAL, "del" },
	{ "family=ipv5 action=count", -EINVAL, "family=ipv5" },
	{ "family=ipv4 src=fd00::1 action=count", -EINVAL, "src=fd00::1" },
	{ "src=10.0.0.1 dst=fd00::1 action=count", -EINVAL, "dst=fd00::1" },
	{ "dst=fd00::1 family=ipv4 action=count", -EINVAL, "family=ipv4" },
	{ "proto=udpx action=count", -EINVAL, "proto=udpx" },
	{ "proto=256 action=count", -EINVAL, "proto=256" },
	{ "proto=-1 action=count", -EINVAL, "proto=-1" },
	{ "proto=+17 action=count", -EINVAL, "proto=+17" },
	{ "proto= action=count", -EINVAL, "proto=" },
	{ "sport=53 action=count", -EINVAL, "sport=53" },
	{ "proto=icmp dport=53 action=count", -EINVAL, "dport=53" },
	{ "proto=udp dport=65536 action=count", -EINVAL, "dport=65536" },
	{ "proto=udp dport=2-1 action=count", -EINVAL, "dport=2-1" },
	{ "proto=udp dport=1- action=count", -EINVAL, "dport=1-" },
	{ "proto=udp dport=-1 action=count", -EINVAL, "dport=-1" },
	{ "proto=udp dport=1-2-3 action=count", -EINVAL, "dport=1-2-3" },
	{ "proto=udp dport=0x10 action=count", -EINVAL, "dport=0x10" },
	{ "src=10.0.0 action=count", -EINVAL, "src=10.0.0" },
	{ "src=10.0.0.256 action=count", -EINVAL, "src=10.0.0.256" },
	{ "src=10.0.0.1.2 action=count", -EINVAL, "src=10.0.0.1.2" },
	{ "src=10.0.0.1x action=count", -EINVAL, "src=10.0.0.1x" },
	{ "src=10.0.0.1/33 action=count", -EINVAL, "src=10.0.0.1/33" },
	{ "src=10.0.0.1/ action=count", -EINVAL, "src=10.0.0.1/" },
	{ "src=10.0.0.1/8/8 action=count", -EINVAL, "src=10.0.0.1/8/8" },
	{ "src=/8 action=count", -EINVAL, "src=/8" },
	{ "src= action=count", -EINVAL, "src=" },
	{ "dst=fd00::1/129 action=count", -EINVAL, "dst=fd00::1/129" },
	{ "dst=fd00:::1 action=count", -EINVAL, "dst=fd00:::1" },
	{ "dst=fd00::g action=count", -EINVAL, "dst=fd00::g" },
	{ "dev= action=count", -EINVAL, "dev=" },
	{ "dev=abcdefghijklmnop action=count", -EINVAL, "dev=abcdefghijklmnop" },
	{ "dev=a/b action=count", -EINVAL, "dev=a/b" },
	{ "netns=0 action=count", -EINVAL, "netns=0" },
	{ "netns=4294967296 action=count", -EINVAL, "netns=4294967296" },
	{ "netns=net:[4026531840] action=count", -EINVAL, "netns=net:[4026531840]" },
	{ "payload= action=count", -EINVAL, "payload=" },
	{ "payload=abc action=count", -EINVAL, "payload=abc" },
	{ "payload=zz action=count", -EINVAL, "payload=zz" },
	{ "payload=0x6b action=count", -EINVAL, "payload=0x6b" },
	{ "payload=" P32 "20 action=count", -EINVAL, "payload=000102" },
	{ "budget=0 action=count", -EINVAL, "budget=0" },
	{ "budget=4294967296 action=count", -EINVAL, "budget=4294967296" },
	{ "budget=-1 action=count", -EINVAL, "budget=-1" },
	{ "context=hardirq action=count", -EINVAL, "context=hardirq" },
	{ "action=drop context=work", -EINVAL, "context=work" },
	{ "action=oom", -EINVAL, "action=oom" },
	{ "action=oom context=softirq", -EINVAL, "context=softirq" },
	{ "action=delay us=0", -EINVAL, "us=0" },
	{ "action=delay us=1000001", -EINVAL, "us=1000001" },
	{ "action=delay us=1.5", -EINVAL, "us=1.5" },
	{ "action=leak pages=0", -EINVAL, "pages=0" },
	{ "action=leak pages=262145", -EINVAL, "pages=262145" },
	{ "action=lockup ms=0", -EINVAL, "ms=0" },
	{ "action=lockup ms=120001", -EINVAL, "ms=120001" },
	{ "action=count us=5", -EINVAL, "us=5" },
	{ "action=delay pages=5", -EINVAL, "pages=5" },
	{ "action=leak ms=5", -EINVAL, "ms=5" },
	{ "ms=5 action=drop", -EINVAL, "ms=5" },
	{ "del", -EINVAL, "" },
	{ "del 0", -EINVAL, "0" },
	{ "del x", -EINVAL, "x" },
	{ "del -1", -EINVAL, "-1" },
	{ "del 4294967296", -EINVAL, "4294967296" },
	{ "del 1 2", -EINVAL, "2" },
	{ "del all 1", -EINVAL, "1" },
	{ "del 12345678901234567890", -EINVAL, "12345678901234567890" },
	/* a value longer than any valid one */
	{ "payload=" P32 P32 " action=count", -EINVAL, "payload=0001" },
	{ "\xff=1 action=count", -EINVAL, "\xff=1" },
};

static void kscope_nf_test_desc(const struct kscope_nf_test_case *t,
				char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "input \"%.60s\"", t->input);
	strreplace(desc, '\n', ' ');
}

KUNIT_ARRAY_PARAM(kscope_nf_test, kscope_nf_test_cases_table,
		  kscope_nf_test_desc);

static void kscope_nf_test_parse(struct kunit *test)
{
	const struct kscope_nf_test_case *t = test->param_value;
	struct kscope_nf_cmd *cmd, *again;
	const char *bad = NULL;
	char *line;
	int ret;

	cmd = kunit_kzalloc(test, sizeof(*cmd), GFP_KERNEL);
	again = kunit_kzalloc(test, sizeof(*again), GFP_KERNEL);
	line = kunit_kzalloc(test, 512, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, cmd);
	KUNIT_ASSERT_NOT_NULL(test, again);
	KUNIT_ASSERT_NOT_NULL(test, line);

	ret = kscope_nf_parse(t->input, cmd, &bad);
	KUNIT_ASSERT_EQ(test, ret, t->ret);
	if (ret) {
		/* the blamed token is in the input, and it is the right one */
		KUNIT_ASSERT_NOT_NULL(test, bad);
		KUNIT_EXPECT_TRUE(test, bad >= t->input &&
				  bad <= t->input + strlen(t->input));
		KUNIT_EXPECT_EQ(test, strncmp(bad, t->out, strlen(t->out)), 0);
		if (!*t->out)
			KUNIT_EXPECT_EQ(test, bad[strspn(bad, "\t\n ")], '\0');
		return;
	}
	KUNIT_EXPECT_NULL(test, bad);
	if (!t->out) {
		KUNIT_EXPECT_NE(test, cmd->op, KSCOPE_NF_ADD);
		return;
	}
	KUNIT_EXPECT_EQ(test, cmd->op, KSCOPE_NF_ADD);
	kscope_nf_spec_snprint(line, 512, &cmd->spec);
	KUNIT_EXPECT_STREQ(test, line, t->out);
	/* the printed form adds the same rule again */
	KUNIT_ASSERT_EQ(test, kscope_nf_parse(line, again, &bad), 0);
	KUNIT_EXPECT_EQ(test, memcmp(&cmd->spec, &again->spec,
				     sizeof(cmd->spec)), 0);
}

static void kscope_nf_test_del(struct kunit *test)
{
	struct kscope_nf_cmd cmd;
	const char *bad;

	KUNIT_ASSERT_EQ(test, kscope_nf_parse("del 42\n", &cmd, &bad), 0);
	KUNIT_EXPECT_EQ(test, cmd.op, KSCOPE_NF_DEL);
	KUNIT_EXPECT_EQ(test, cmd.id, 42U);
	KUNIT_ASSERT_EQ(test, kscope_nf_parse("del all", &cmd, &bad), 0);
	KUNIT_EXPECT_EQ(test, cmd.op, KSCOPE_NF_DEL_ALL);
}

static void kscope_nf_test_destructive(struct kunit *test)
{
	KUNIT_EXPECT_FALSE(test, kscope_nf_destructive(KSCOPE_NF_COUNT));
	KUNIT_EXPECT_FALSE(test, kscope_nf_destructive(KSCOPE_NF_LOG));
	KUNIT_EXPECT_FALSE(test, kscope_nf_destructive(KSCOPE_NF_DROP));
	KUNIT_EXPECT_FALSE(test, kscope_nf_destructive(KSCOPE_NF_DELAY));
	KUNIT_EXPECT_FALSE(test, kscope_nf_destructive(KSCOPE_NF_LEAK));
	KUNIT_EXPECT_TRUE(test, kscope_nf_destructive(KSCOPE_NF_WARN));
	KUNIT_EXPECT_TRUE(test, kscope_nf_destructive(KSCOPE_NF_OOM));
	KUNIT_EXPECT_TRUE(test, kscope_nf_destructive(KSCOPE_NF_PANIC));
	KUNIT_EXPECT_TRUE(test, kscope_nf_destructive(KSCOPE_NF_LOCKUP));
}

/* a UDP packet 10.0.0.1:1234 -> 10.0.0.2:5001 on veth1 in netns 100 */
static void kscope_nf_test_pkt4(struct kscope_nf_pkt *p)
{
	static const u8 payload[] = "kscope-payload";

	memset(p, 0, sizeof(*p));
	p->family = NFPROTO_IPV4;
	p->proto = IPPROTO_UDP;
	p->has_ports = true;
	p->sport = 1234;
	p->dport = 5001;
	p->saddr.s6_addr32[0] = htonl(0x0a000001);
	p->daddr.s6_addr32[0] = htonl(0x0a000002);
	p->dev = "veth1";
	p->netns = 100;
	p->payload = payload;
	p->payload_len = sizeof(payload) - 1;
}

/* the same over IPv6, fd00::1 -> fd00::2 */
static void kscope_nf_test_pkt6(struct kscope_nf_pkt *p)
{
	kscope_nf_test_pkt4(p);
	p->family = NFPROTO_IPV6;
	memset(&p->saddr, 0, sizeof(p->saddr));
	memset(&p->daddr, 0, sizeof(p->daddr));
	p->saddr.s6_addr[0] = 0xfd;
	p->saddr.s6_addr[15] = 1;
	p->daddr.s6_addr[0] = 0xfd;
	p->daddr.s6_addr[15] = 2;
}

struct kscope_nf_match_case {
	const char *rule;
	bool v4;
	bool v6;
};

static const struct kscope_nf_match_case kscope_nf_match_cases[] = {
	{ "action=count", true, true },
	{ "family=ipv4 action=count", true, false },
	{ "family=ipv6 action=count", false, true },
	{ "proto=udp action=count", true, true },
	{ "proto=tcp action=count", false, false },
	{ "proto=udp dport=5001 action=count", true, true },
	{ "proto=udp dport=5002 action=count", false, false },
	{ "proto=udp dport=5000-5001 action=count", true, true },
	{ "proto=udp dport=5002-6000 action=count", false, false },
	{ "proto=udp sport=1234 dport=5001 action=count", true, true },
	{ "proto=udp sport=1235 action=count", false, false },
	{ "src=10.0.0.1 action=count", true, false },
	{ "src=10.0.0.2 action=count", false, false },
	{ "dst=10.0.0.0/24 action=count", true, false },
	{ "dst=10.0.1.0/24 action=count", false, false },
	{ "dst=0.0.0.0/0 action=count", true, false },
	{ "src=fd00::1 action=count", false, true },
	{ "dst=fd00::/8 action=count", false, true },
	{ "dst=fe00::/8 action=count", false, false },
	{ "dst=fd00::2/127 action=count", false, true },
	{ "dst=::/0 action=count", false, true },
	{ "dev=veth1 action=count", true, true },
	{ "dev=veth10 action=count", false, false },
	{ "dev=veth action=count", false, false },
	{ "netns=100 action=count", true, true },
	{ "netns=101 action=count", false, false },
	{ "payload=6b73636f7065 action=count", true, true },
	{ "payload=6b action=count", true, true },
	{ "payload=6b74 action=count", false, false },
	/* longer than the packet's payload */
	{ "payload=6b73636f70652d7061796c6f61642d action=count", false, false },
	{ "proto=17 dport=5001 src=10.0.0.1 dst=10.0.0.2 dev=veth1 netns=100 payload=6b action=log",
	  true, false },
	{ "proto=17 dport=5001 src=10.0.0.1 dst=10.0.0.2 dev=veth1 netns=101 payload=6b action=log",
	  false, false },
};

static void kscope_nf_test_match(struct kunit *test)
{
	struct kscope_nf_pkt p4, p6;
	struct kscope_nf_cmd cmd;
	const char *bad;
	unsigned int i;

	kscope_nf_test_pkt4(&p4);
	kscope_nf_test_pkt6(&p6);
	for (i = 0; i < ARRAY_SIZE(kscope_nf_match_cases); i++) {
		const struct kscope_nf_match_case *c = &kscope_nf_match_cases[i];

		KUNIT_ASSERT_EQ_MSG(test, kscope_nf_parse(c->rule, &cmd, &bad), 0,
				    "rule %s", c->rule);
		KUNIT_EXPECT_EQ_MSG(test, kscope_nf_match(&cmd.spec, &p4), c->v4,
				    "IPv4 packet, rule %s", c->rule);
		KUNIT_EXPECT_EQ_MSG(test, kscope_nf_match(&cmd.spec, &p6), c->v6,
				    "IPv6 packet, rule %s", c->rule);
	}
}

/* Without ports (a later fragment, or not tcp/udp) a port rule never matches. */
static void kscope_nf_test_match_noports(struct kunit *test)
{
	struct kscope_nf_pkt p;
	struct kscope_nf_cmd cmd;
	const char *bad;

	kscope_nf_test_pkt4(&p);
	p.has_ports = false;
	p.payload = NULL;
	p.payload_len = 0;
	p.dev = NULL;
	KUNIT_ASSERT_EQ(test, kscope_nf_parse("proto=udp dport=0-65535 action=count",
					      &cmd, &bad), 0);
	KUNIT_EXPECT_FALSE(test, kscope_nf_match(&cmd.spec, &p));
	KUNIT_ASSERT_EQ(test, kscope_nf_parse("payload=00 action=count", &cmd,
					      &bad), 0);
	KUNIT_EXPECT_FALSE(test, kscope_nf_match(&cmd.spec, &p));
	KUNIT_ASSERT_EQ(test, kscope_nf_parse("dev=lo action=count", &cmd,
					      &bad), 0);
	KUNIT_EXPECT_FALSE(test, kscope_nf_match(&cmd.spec, &p));
	KUNIT_ASSERT_EQ(test, kscope_nf_parse("proto=udp action=count", &cmd,
					      &bad), 0);
	KUNIT_EXPECT_TRUE(test, kscope_nf_match(&cmd.spec, &p));
}

/* Every prefix length of an IPv6 address, and one bit past it. */
static void kscope_nf_test_prefix_lengths(struct kunit *test)
{
	struct kscope_nf_pkt p;
	struct kscope_nf_cmd cmd;
	const char *bad;
	char rule[80];
	int plen, wrong = 0;

	kscope_nf_test_pkt6(&p);
	/* daddr fd00::2: set every bit so that each prefix has ones to check */
	memset(&p.daddr, 0xff, sizeof(p.daddr));
	for (plen = 0; plen <= 128; plen++) {
		snprintf(rule, sizeof(rule),
			 "dst=ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/%d action=count",
			 plen);
		if (kscope_nf_parse(rule, &cmd, &bad) ||
		    !kscope_nf_match(&cmd.spec, &p))
			wrong++;
		if (plen) {
			/* flip the last bit inside the prefix: no match */
			p.daddr.s6_addr[(plen - 1) / 8] ^= 0x80 >> ((plen - 1) % 8);
			if (kscope_nf_match(&cmd.spec, &p))
				wrong++;
			p.daddr.s6_addr[(plen - 1) / 8] ^= 0x80 >> ((plen - 1) % 8);
		}
	}
	KUNIT_EXPECT_EQ(test, wrong, 0);
}

/* Parse @rule into a new entry numbered @id and add it to @idx. */
static struct kscope_nf_entry *kscope_nf_test_add(struct kunit *test,
						  struct kscope_nf_index *idx,
						  const char *rule, u32 id)
{
	struct kscope_nf_entry *e = kunit_kzalloc(test, sizeof(*e), GFP_KERNEL);
	struct kscope_nf_cmd cmd;
	const char *bad;

	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_ASSERT_EQ_MSG(test, kscope_nf_parse(rule, &cmd, &bad), 0,
			    "rule %s", rule);
	e->id = id;
	e->spec = cmd.spec;
	kscope_nf_index_add(idx, e);
	return e;
}

/*
 * The ids the index walk gives for @p, as a string, and (in @want)
 * those a linear scan of @all[0..@n) in id order gives.
 */
static void kscope_nf_test_walk(struct kscope_nf_index *idx,
				struct kscope_nf_entry **all, unsigned int n,
				const struct kscope_nf_pkt *p, char *got,
				char *want, size_t size)
{
	struct kscope_nf_entry *e;
	struct kscope_nf_iter it;
	size_t g = 0, w = 0;
	unsigned int i;

	got[0] = '\0';
	want[0] = '\0';
	for (e = kscope_nf_index_first(idx, p, &it); e;
	     e = kscope_nf_index_next(&it, e))
		g += scnprintf(got + g, size - g, " %u", e->id);
	for (i = 0; i < n; i++)
		if (all[i] && kscope_nf_match(&all[i]->spec, p))
			w += scnprintf(want + w, size - w, " %u", all[i]->id);
}

/*
 * Every rule of the match table in one index, amid 1,000 rules on other
 * ports: a packet's walk finds exactly the rules a linear scan matches,
 * in the order they were added, before and after deleting some.
 */
static void kscope_nf_test_index(struct kunit *test)
{
	const unsigned int nc = ARRAY_SIZE(kscope_nf_match_cases), nr = nc + 1000;
	struct kscope_nf_index *idx = kunit_kzalloc(test, sizeof(*idx), GFP_KERNEL);
	struct kscope_nf_entry **all = kunit_kcalloc(test, nr, sizeof(*all),
						     GFP_KERNEL);
	char *got = kunit_kzalloc(test, 512, GFP_KERNEL);
	char *want = kunit_kzalloc(test, 512, GFP_KERNEL);
	struct kscope_nf_pkt p4, p6;
	unsigned int i, c = 0;
	char rule[64];

	KUNIT_ASSERT_NOT_NULL(test, idx);
	KUNIT_ASSERT_NOT_NULL(test, all);
	KUNIT_ASSERT_NOT_NULL(test, got);
	KUNIT_ASSERT_NOT_NULL(test, want);
	kscope_nf_index_init(idx);
	kscope_nf_test_pkt4(&p4);
	kscope_nf_test_pkt6(&p6);
	/* the table's rules spread among the others */
	for (i = 0; i < nr; i++) {
		if (c < nc && i % 30 == 7) {
			all[i] = kscope_nf_test_add(test, idx,
						    kscope_nf_match_cases[c++].rule,
						    i + 1);
			continue;
		}
		snprintf(rule, sizeof(rule), "proto=%s dport=%u action=count",
			 i % 2 ? "udp" : "tcp", 10000 + i);
		all[i] = kscope_nf_test_add(test, idx, rule, i + 1);
	}
	for (; c < nc; c++)
		KUNIT_FAIL(test, "table rule %u not added", c);
	kscope_nf_test_walk(idx, all, nr, &p4, got, want, 512);
	KUNIT_EXPECT_STREQ_MSG(test, got, want, "IPv4 packet");
	KUNIT_EXPECT_TRUE(test, strlen(got) > 0);
	kscope_nf_test_walk(idx, all, nr, &p6, got, want, 512);
	KUNIT_EXPECT_STREQ_MSG(test, got, want, "IPv6 packet");
	/* a packet to one of the other ports finds that rule alone */
	p4.dport = 10001;
	kscope_nf_test_walk(idx, all, nr, &p4, got, want, 512);
	KUNIT_EXPECT_STREQ(test, got, want);
	KUNIT_EXPECT_TRUE(test, strstr(got, " 2") == got);
	p4.dport = 5001;
	/* delete every third rule: the walk no longer finds them */
	for (i = 0; i < nr; i += 3) {
		kscope_nf_index_del(all[i]);
		all[i] = NULL;
	}
	kscope_nf_test_walk(idx, all, nr, &p4, got, want, 512);
	KUNIT_EXPECT_STREQ_MSG(test, got, want, "IPv4 packet after deletions");
	kscope_nf_test_walk(idx, all, nr, &p6, got, want, 512);
	KUNIT_EXPECT_STREQ_MSG(test, got, want, "IPv6 packet after deletions");
}

/*
 * A port rule and a match-all rule added in turn come back in turn; a
 * port rule goes to its bucket and nothing else does.
 */
static void kscope_nf_test_index_order(struct kunit *test)
{
	static const char *const rules[] = {
		"proto=udp dport=5001 action=count",
		"action=count",
		"proto=udp dport=5001 action=log",
		"proto=udp dport=5000-5001 action=count",
		"proto=udp dport=5001 action=drop",
		"proto=tcp dport=5001 action=count",
		"proto=udp action=count",
	};
	struct kscope_nf_index *idx = kunit_kzalloc(test, sizeof(*idx), GFP_KERNEL);
	struct kscope_nf_entry *e[ARRAY_SIZE(rules)];
	struct kscope_nf_entry *it_e;
	struct kscope_nf_iter it;
	struct kscope_nf_pkt p;
	char got[64];
	size_t n = 0;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, idx);
	kscope_nf_index_init(idx);
	for (i = 0; i < ARRAY_SIZE(rules); i++)
		e[i] = kscope_nf_test_add(test, idx, rules[i], i + 1);
	KUNIT_EXPECT_TRUE(test, e[0]->keyed);
	KUNIT_EXPECT_FALSE(test, e[1]->keyed);
	KUNIT_EXPECT_FALSE(test, e[3]->keyed);
	KUNIT_EXPECT_TRUE(test, e[5]->keyed);
	KUNIT_EXPECT_FALSE(test, e[6]->keyed);
	kscope_nf_test_pkt4(&p);
	got[0] = '\0';
	for (it_e = kscope_nf_index_first(idx, &p, &it); it_e;
	     it_e = kscope_nf_index_next(&it, it_e))
		n += scnprintf(got + n, sizeof(got) - n, " %u", it_e->id);
	KUNIT_EXPECT_STREQ(test, got, " 1 2 3 4 5 7");
	/* an ICMP packet walks the match-all list only */
	p.proto = IPPROTO_ICMP;
	p.has_ports = false;
	KUNIT_EXPECT_PTR_EQ(test, kscope_nf_index_first(idx, &p, &it), e[1]);
	KUNIT_EXPECT_NULL(test, kscope_nf_index_next(&it, e[1]));
}

static struct kunit_case kscope_nf_test_cases[] = {
	KUNIT_CASE_PARAM(kscope_nf_test_parse, kscope_nf_test_gen_params),
	KUNIT_CASE(kscope_nf_test_del),
	KUNIT_CASE(kscope_nf_test_destructive),
	KUNIT_CASE(kscope_nf_test_match),
	KUNIT_CASE(kscope_nf_test_match_noports),
	KUNIT_CASE(kscope_nf_test_prefix_lengths),
	KUNIT_CASE(kscope_nf_test_index),
	KUNIT_CASE(kscope_nf_test_index_order),
	{}
};

static struct kunit_suite kscope_nf_test_suite = {
	.name = "kscope_netfilter",
	.test_cases = kscope_nf_test_cases,
};

kunit_test_suites(&kscope_nf_test_suite);

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nf_rule.h - netfilter rules as data: what a rule matches and does,
 * the packet fields it is matched against, and the pure functions of
 * module/nf_rule.c that parse, print and match them. Used by
 * netfilter.c, which arms the rules, and by kunit/netfilter_test.c.
 */
#ifndef _KSCOPE_NF_RULE_H
#define _KSCOPE_NF_RULE_H

#include <linux/if.h>
#include <linux/in6.h>
#include <linux/list.h>
#include <linux/types.h>

/* the white space between a rule's tokens */
#define KSCOPE_NF_SPACE " \t\n\r\v\f"

/*
 * Longest busy-wait a delay rule may ask for, in microseconds; the
 * max_delay_us parameter is clamped to it too.
 */
#define KSCOPE_NF_DELAY_US_MAX	1000000

/* longest payload prefix a rule can match, in bytes */
#define KSCOPE_NF_PAYLOAD_MAX	32

/**
 * enum kscope_nf_action - what a rule does when a packet matches it
 * @KSCOPE_NF_COUNT: nothing but count
 * @KSCOPE_NF_LOG: a ratelimited line in the kernel log
 * @KSCOPE_NF_DROP: drop the packet (in the hook only)
 * @KSCOPE_NF_DELAY: busy-wait for the rule's microseconds
 * @KSCOPE_NF_LEAK: allocate the rule's pages and hold them until the
 *                  rule is deleted or kscope unloaded
 * @KSCOPE_NF_WARN: WARN() (destructive)
 * @KSCOPE_NF_OOM: allocate with GFP_KERNEL until the OOM killer has run
 *                 (destructive, process context only)
 * @KSCOPE_NF_PANIC: panic() (destructive)
 * @KSCOPE_NF_LOCKUP: busy-wait for the rule's milliseconds without
 *                    yielding, long enough for the soft-lockup detector
 *                    (destructive)
 * @KSCOPE_NF_NR_ACTIONS: number of actions
 */
enum kscope_nf_action {
	KSCOPE_NF_COUNT,
	KSCOPE_NF_LOG,
	KSCOPE_NF_DROP,
	KSCOPE_NF_DELAY,
	KSCOPE_NF_LEAK,
	KSCOPE_NF_WARN,
	KSCOPE_NF_OOM,
	KSCOPE_NF_PANIC,
	KSCOPE_NF_LOCKUP,
	KSCOPE_NF_NR_ACTIONS,
};

/**
 * enum kscope_nf_ctx - where a rule's action runs
 * @KSCOPE_NF_SOFTIRQ: in the netfilter hook, in the receive softirq
 * @KSCOPE_NF_WORK: deferred to a workqueue, in process context
 * @KSCOPE_NF_NR_CTX: number of contexts
 */
enum kscope_nf_ctx {
	KSCOPE_NF_SOFTIRQ,
	KSCOPE_NF_WORK,
	KSCOPE_NF_NR_CTX,
};

/**
 * struct kscope_nf_prefix - an address or prefix a rule matches
 * @addr: IPv6 address, or IPv4 address in its first four bytes; the
 *        bits beyond @plen are zero
 * @plen: prefix length in bits
 * @set: whether the rule has this match at all
 */
struct kscope_nf_prefix {
	struct in6_addr addr;
	u8 plen;
	bool set;
};

/**
 * struct kscope_nf_spec - a parsed rule: what it matches and what it does
 * @family: 0 for any, NFPROTO_IPV4 or NFPROTO_IPV6
 * @proto: IP protocol number, or -1 for any
 * @sport: whether @sport_lo..@sport_hi is matched (tcp and udp only)
 * @dport: whether @dport_lo..@dport_hi is matched
 * @sport_lo: lowest source port
 * @sport_hi: highest source port
 * @dport_lo: lowest destination port
 * @dport_hi: highest destination port
 * @src: source address or prefix
 * @dst: destination address or prefix
 * @dev: name of the interface the packet came in on, "" for any
 * @netns: inode number of the network namespace (as in
 *         /proc/<pid>/ns/net), 0 for any
 * @payload: bytes the transport payload must begin with
 * @payload_len: number of bytes in @payload, 0 for no payload match
 * @budget: fire at most this many times, 0 for no limit
 * @action: what to do
 * @ctx: where to do it
 * @arg: microseconds for delay, pages for leak, milliseconds for lockup
 */
struct kscope_nf_spec {
	u8 family;
	s16 proto;
	bool sport;
	bool dport;
	u16 sport_lo;
	u16 sport_hi;
	u16 dport_lo;
	u16 dport_hi;
	struct kscope_nf_prefix src;
	struct kscope_nf_prefix dst;
	char dev[IFNAMSIZ];
	u32 netns;
	u8 payload[KSCOPE_NF_PAYLOAD_MAX];
	u8 payload_len;
	u32 budget;
	enum kscope_nf_action action;
	enum kscope_nf_ctx ctx;
	u32 arg;
};

/**
 * enum kscope_nf_op - what a write to "rules" asks for
 * @KSCOPE_NF_ADD: add the rule in kscope_nf_cmd::spec
 * @KSCOPE_NF_DEL: delete the rule kscope_nf_cmd::id
 * @KSCOPE_NF_DEL_ALL: delete every rule
 */
enum kscope_nf_op {
	KSCOPE_NF_ADD,
	KSCOPE_NF_DEL,
	KSCOPE_NF_DEL_ALL,
};

/**
 * struct kscope_nf_cmd - one parsed line written to "rules"
 * @op: add or delete
 * @id: the rule to delete
 * @spec: the rule to add
 */
struct kscope_nf_cmd {
	enum kscope_nf_op op;
	u32 id;
	struct kscope_nf_spec spec;
};

/**
 * struct kscope_nf_pkt - the fields of one packet that rules look at
 * @family: NFPROTO_IPV4 or NFPROTO_IPV6
 * @proto: transport protocol (the last IPv6 header), or -1 if unknown
 * @has_ports: @sport and @dport are valid (tcp or udp, first fragment)
 * @sport: source port
 * @dport: destination port
 * @saddr: source address (IPv4 in the first four bytes, rest zero)
 * @daddr: destination address, likewise
 * @dev: name of the interface it came in on, or NULL
 * @netns: inode number of the network namespace it is received in
 * @payload: the first bytes of the transport payload
 * @payload_len: how many bytes @payload holds
 */
struct kscope_nf_pkt {
	u8 family;
	int proto;
	bool has_ports;
	u16 sport;
	u16 dport;
	struct in6_addr saddr;
	struct in6_addr daddr;
	const char *dev;
	u32 netns;
	const u8 *payload;
	unsigned int payload_len;
};

/* The rule index's buckets: 1 << KSCOPE_NF_INDEX_BITS hash heads. */
#define KSCOPE_NF_INDEX_BITS	10

/**
 * struct kscope_nf_entry - a rule as the index holds it
 * @hnode: entry in an index bucket or in the index's match-all list
 *         (read under RCU, changed under the owner's lock)
 * @key: the (protocol, destination port) key of an indexed rule
 * @keyed: whether the rule is in a bucket (else in the match-all list)
 * @id: the rule's number; entries are added in rising id order
 * @spec: what the rule matches and does
 */
struct kscope_nf_entry {
	struct hlist_node hnode;
	u32 key;
	bool keyed;
	u32 id;
	struct kscope_nf_spec spec;
};

/**
 * struct kscope_nf_index - rules by what a packet can select them by
 * @bucket: rules of one TCP or UDP destination port, by hash of the key
 * @rest: every other rule (port ranges, no port, other protocols)
 *
 * A packet looks at one bucket and at @rest, not at every rule.
 */
struct kscope_nf_index {
	struct hlist_head bucket[1 << KSCOPE_NF_INDEX_BITS];
	struct hlist_head rest;
};

/**
 * struct kscope_nf_iter - a walk over the rules that match one packet
 * @pkt: the packet
 * @key: its (protocol, destination port) key
 * @a: the next matching entry of the packet's bucket, or NULL
 * @b: the next matching entry of the match-all list, or NULL
 */
struct kscope_nf_iter {
	const struct kscope_nf_pkt *pkt;
	u32 key;
	struct kscope_nf_entry *a;
	struct kscope_nf_entry *b;
};

void kscope_nf_index_init(struct kscope_nf_index *idx);
void kscope_nf_index_add(struct kscope_nf_index *idx,
			 struct kscope_nf_entry *e);
void kscope_nf_index_del(struct kscope_nf_entry *e);
struct kscope_nf_entry *kscope_nf_index_first(struct kscope_nf_index *idx,
					      const struct kscope_nf_pkt *p,
					      struct kscope_nf_iter *it);
struct kscope_nf_entry *kscope_nf_index_next(struct kscope_nf_iter *it,
					     struct kscope_nf_entry *e);

int kscope_nf_parse(const char *line, struct kscope_nf_cmd *cmd,
		    const char **bad);
bool kscope_nf_match(const struct kscope_nf_spec *s,
		     const struct kscope_nf_pkt *p);
int kscope_nf_spec_snprint(char *buf, size_t size,
			   const struct kscope_nf_spec *s);
bool kscope_nf_destructive(enum kscope_nf_action action);
const char *kscope_nf_action_name(enum kscope_nf_action action);
const char *kscope_nf_ctx_name(enum kscope_nf_ctx ctx);

#endif /* _KSCOPE_NF_RULE_H */

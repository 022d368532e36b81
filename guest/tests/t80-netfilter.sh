# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# /proc/kscope/netfilter/: rules against real traffic between two network
# namespaces joined by a veth pair, checked against what the kernel
# counts by other means: datagrams the receiver got, the namespaces'
# /proc/net/snmp and snmp6, /proc/net/dev, /proc/meminfo, round-trip
# times measured in user space. Then every refusal with its errno.
#
# Namespace A exists before the first rule (its hook comes from
# register_pernet_subsys() at that rule), B is created while a rule is
# armed (its hook comes from the pernet init). Whether a hook is there
# at all is seen from the kernel's side: kprobes on kscope's hook and on
# nf_hook_slow(), which netfilter enters at PRE_ROUTING only for a
# packet that has a hook to run there (POST_ROUTING has the LSM's). busybox's ip makes the veth pair; it names the peer
# itself, so the peer is found and renamed.
. ./lib.sh

NF=/proc/kscope/netfilter
RULES=$NF/rules
STATS=$NF/stats

unshare -n sleep 100000 &
A=$!
kscope_load || { not_ok "insmod"; finish; }
kwrite $RULES "proto=udp dport=5099 action=count" > /dev/null
unshare -n sleep 100000 &
B=$!
ns_of() { readlink /proc/"$1"/ns/net 2>/dev/null | tr -dc 0-9; }
own=$(ns_of $$)
wait_for sh -c "[ \"\$(readlink /proc/$A/ns/net | tr -dc 0-9)\" != $own ]"
wait_for sh -c "[ \"\$(readlink /proc/$B/ns/net | tr -dc 0-9)\" != $own ]"
NSA=$(ns_of $A)
NSB=$(ns_of $B)
diag "namespaces: A $NSA (before load), B $NSB (after load)"

inA() { nsenter -t $A -n "$@"; }
inB() { nsenter -t $B -n "$@"; }

ip link add name kva type veth
peer=$(ip link | sed -n 's/^[0-9]*: \(.*\)@kva: .*/\1/p')
ip link set "$peer" name kvb
ip link set kva netns $A
ip link set kvb netns $B
for side in "A kva 1" "B kvb 2"; do
	# shellcheck disable=SC2086 # its three words
	set -- $side
	in"$1" sh -c "echo 0 > /proc/sys/net/ipv6/conf/$2/accept_dad
		ip link set lo up
		ip addr add 10.80.0.$3/24 dev $2
		ip addr add fd80::$3/64 dev $2
		ip link set $2 up"
done
check "veth up: A pings B over IPv4" nsenter -t $A -n sh -c "ping -c 1 -W 5 10.80.0.2 > /dev/null"
check "veth up: A pings B over IPv6" nsenter -t $A -n sh -c "ping -c 1 -W 5 fd80::2 > /dev/null"

# add TEXT: add a rule, print its id (the last in the list); "" on error
add() {
	_r=$(kwrite $RULES "$1")
	[ "$_r" = ok ] || { diag "adding '$1': $_r" >&2; return 1; }
	awk 'NR > 1 { id = $1 } END { print id }' $RULES
}
# col ID N: column N of rule ID's line (2 MATCHED, 3 FIRED, 4 PENDING, 5 LEAKED)
col() { awk -v id="$1" -v c="$2" 'NR > 1 && $1 == id { print $c }' $RULES; }
stat() { field $STATS "$1"; }
del() { kwrite $RULES "del $1" > /dev/null; }
# udp_in4 NS, udp_in6 NS: UDP datagrams delivered, from /proc/net/snmp
# ("Udp:" header and value lines) and snmp6 ("Udp6InDatagrams N")
# of namespace NS (read by a cat in it: /proc/net is the reader's)
udp_in4() { in"$1" cat /proc/net/snmp | awk '/^Udp:/ { if (++n == 1) for (i = 1; i <= NF; i++) c[$i] = i; else print $c["InDatagrams"] }'; }
udp_in6() { in"$1" cat /proc/net/snmp6 | awk '$1 == "Udp6InDatagrams" { print $2 }'; }
# dev_rx NS DEV: received packets of DEV in namespace NS's /proc/net/dev
dev_rx() { in"$1" cat /proc/net/dev | awk -v d="$2:" '$1 == d { print $3 }'; }

# recv_start NS PORT...: a receiver in NS; recv_wait: its counts
recv_start() {
	_ns=$1
	shift
	rm -f /tmp/recv.out
	in"$_ns" "$KTEST" udprecv 1500 "$@" > /tmp/recv.out &
	RP=$!
	wait_for grep -qs ready /tmp/recv.out
}
recv_wait() { wait $RP; }
got() { awk -v p="$1" '$1 == p { print $2 }' /tmp/recv.out; }

# ---- B, created while a rule was armed, got its hook from the pernet init
recv_start B 5099
s=$(inA "$KTEST" udpsend 10.80.0.2 5099 10 | awk '{ print $2 }')
recv_wait
check_eq "a namespace created while a rule is armed has the hook: matched $s of $s" \
	"$(col 1 2) $(got 5099)" "$s $s"
del 1

# ---- no rule, no hook: kprobes count what the kernel calls (tracefs);
# nf_hook_slow()'s second argument is the hook state, its first byte
# the hook number (0: PRE_ROUTING)
T=/sys/kernel/tracing
[ -d $T/events ] || mount -t tracefs nodev $T 2>/dev/null
# send20: 20 datagrams A -> B; then "HOOK PRE" calls of kscope's hook
# and PRE_ROUTING entries of nf_hook_slow() meanwhile
send20() {
	echo > $T/trace
	recv_start B 5002
	inA "$KTEST" udpsend 10.80.0.2 5002 20 > /dev/null
	recv_wait
	echo "$(grep -c 'kscope_t80_hook:' $T/trace) $(grep -c 'kscope_t80_slow:.* hook=0' $T/trace)"
}
if echo 'p:kscope_t80_hook kscope_nf_hook' >> $T/kprobe_events 2>/dev/null &&
	echo 'p:kscope_t80_slow nf_hook_slow hook=+0(%si):u8' >> $T/kprobe_events 2>/dev/null; then
	echo 1 > $T/events/kprobes/enable
	check_eq "no rule: kscope's hook not called, nf_hook_slow() not entered at PRE_ROUTING" \
		"$(send20)" "0 0"
	check_eq "no rule: stats say no hook" "$(stat hooked)" 0
	id=$(add "proto=udp dport=5098 action=count")
	# shellcheck disable=SC2046 # two numbers
	set -- $(send20)
	check "one rule (other port): kscope's hook runs for each datagram ($1 calls, $2 PRE_ROUTING)" \
		[ "$1" -ge 20 -a "$2" -ge 20 ]
	check_eq "one rule: stats say hooked" "$(stat hooked)" 1
	del "$id"
	check_eq "last rule deleted: the hooks are gone again" "$(send20)" "0 0"
	echo 0 > $T/events/kprobes/enable
	echo > $T/kprobe_events
else
	skip "no hook without a rule (kprobes)" "no kprobe events on this kernel"
fi

# ---- the same in the kernel's hook list, where nftables can read it
# (nfnetlink_hook: Debian's 6.12 kernels, not its 6.1)
NFT="chroot /host /usr/sbin/nft"
# (the LSM's hooks are always listed where it works)
if [ -x /host/usr/sbin/nft ] && $NFT list hooks 2>/dev/null | grep -q 'family ip'; then
	kh() { $NFT list hooks 2>/dev/null | grep -c kscope_nf_hook; }
	check_eq "nft list hooks: no kscope hook without a rule" "$(kh)" 0
	id=$(add "proto=udp dport=5098 action=count")
	check "nft list hooks: kscope's hook with one rule (ip and ip6)" [ "$(kh)" -ge 2 ]
	diag "nft list hooks, one rule: $($NFT list hooks 2>/dev/null |
		grep -e '^family' -e kscope_nf_hook | tr -s '\t ' ' ' | paste -sd '|')"
	del "$id"
	check_eq "nft list hooks: gone after the last del" "$(kh)" 0
else
	skip "nft list hooks" "no nft on the host or no nfnetlink_hook in this kernel"
fi

# ---- drop, IPv4: none of port 5001 arrives, all of 5002
id=$(add "proto=udp dport=5001 action=drop")
d0=$(stat drops)
u0=$(udp_in4 B)
rx0=$(dev_rx B kvb)
recv_start B 5001 5002
s1=$(inA "$KTEST" udpsend 10.80.0.2 5001 100 | awk '{ print $2 }')
s2=$(inA "$KTEST" udpsend 10.80.0.2 5002 100 | awk '{ print $2 }')
recv_wait
check_eq "drop (IPv4): the receiver got none of port 5001's $s1" "$(got 5001)" 0
check_eq "drop (IPv4): and all of port 5002's $s2" "$(got 5002)" "$s2"
check_eq "drop (IPv4): B's Udp InDatagrams rose by port 5002's datagrams only" \
	"$(($(udp_in4 B) - u0))" "$s2"
rx=$(($(dev_rx B kvb) - rx0))
check "drop (IPv4): B's kvb received both ports' datagrams ($rx packets)" [ "$rx" -ge $((s1 + s2)) ]
check_eq "drop (IPv4): the rule matched and fired once per datagram sent" \
	"$(col "$id" 2) $(col "$id" 3)" "$s1 $s1"
check_eq "drop (IPv4): stats count the drops" "$(($(stat drops) - d0))" "$s1"
del "$id"

# ---- drop, IPv6, by destination prefix
id=$(add "proto=udp dst=fd80::/64 dport=5011 action=drop")
u0=$(udp_in6 B)
recv_start B 5011 5012
s1=$(inA "$KTEST" udpsend fd80::2 5011 50 | awk '{ print $2 }')
s2=$(inA "$KTEST" udpsend fd80::2 5012 50 | awk '{ print $2 }')
recv_wait
check_eq "drop (IPv6): none of port 5011, all of 5012" "$(got 5011) $(got 5012)" "0 $s2"
check_eq "drop (IPv6): B's Udp6InDatagrams rose by port 5012's only" \
	"$(($(udp_in6 B) - u0))" "$s2"
check_eq "drop (IPv6): matched and fired per datagram" "$(col "$id" 2) $(col "$id" 3)" "$s1 $s1"
check_eq "drop (IPv6): the rule lists its prefix" \
	"$(awk -v id="$id" '$1 == id { print $6, $7, $8 }' $RULES)" "family=ipv6 proto=udp dst=fd80::/64"
del "$id"

# ---- a hit budget: count 5 of 20, then stop; packets are not touched
id=$(add "proto=udp dport=5003 budget=5 action=count")
recv_start B 5003
s=$(inA "$KTEST" udpsend 10.80.0.2 5003 20 | awk '{ print $2 }')
recv_wait
check_eq "budget=5: matched all $s, fired 5" "$(col "$id" 2) $(col "$id" 3)" "$s 5"
check_eq "budget=5: the receiver got all $s" "$(got 5003)" "$s"
del "$id"

# ---- scoped to a namespace (and an interface)
ida=$(add "proto=udp dport=5005 netns=$NSA action=count")
idb=$(add "proto=udp dport=5005 netns=$NSB dev=kvb action=count")
recv_start B 5005
s=$(inA "$KTEST" udpsend 10.80.0.2 5005 30 | awk '{ print $2 }')
recv_wait
check_eq "netns=A: A->B traffic (received in B) does not fire it" "$(col "$ida" 2)" 0
check_eq "netns=B dev=kvb: A->B traffic fires it once per datagram" "$(col "$idb" 2)" "$s"
recv_start A 5005
s=$(inB "$KTEST" udpsend 10.80.0.1 5005 30 | awk '{ print $2 }')
recv_wait
check_eq "netns=A: B->A traffic fires it once per datagram" "$(col "$ida" 2)" "$s"
check_eq "netns=B: B->A traffic leaves it as it was" "$(col "$idb" 2)" 30
del "$ida"
del "$idb"

# ---- a payload prefix: "kscope" dropped, other datagrams pass
id=$(add "proto=udp dport=5006 payload=6b73636f7065 action=drop")
recv_start B 5006
inA "$KTEST" udpsend 10.80.0.2 5006 10 > /dev/null
inA "$KTEST" udpsend 10.80.0.2 5006 15 00ff00ff > /dev/null
recv_wait
check_eq "payload=kscope: those dropped, the 15 others received" "$(got 5006) $(col "$id" 3)" "15 10"
del "$id"

# ---- process context: the hook queues, a kworker runs the action
w0=$(stat context_work)
q0=$(stat queued)
id=$(add "proto=udp dport=5007 action=count context=work")
recv_start B 5007
inA "$KTEST" udpsend 10.80.0.2 5007 10 > /dev/null
recv_wait
wait_for sh -c "[ \"\$(awk -v id=$id '\$1 == id { print \$4 }' $RULES)\" = 0 ]"
check_eq "context=work: 10 queued, 10 run in process context" \
	"$(($(stat queued) - q0)) $(($(stat context_work) - w0))" "10 10"
del "$id"

# ---- log, ratelimited, one line per hit
id=$(add "proto=udp dport=5008 action=log budget=1")
recv_start B 5008
inA "$KTEST" udpsend 10.80.0.2 5008 3 > /dev/null
recv_wait
check "log: one line naming the rule, the flow, the device and the namespace" \
	sh -c "dmesg | grep -q 'netfilter: rule $id: proto 17 10.80.0.1:[0-9]* -> 10.80.0.2:5008 dev kvb netns $NSB (softirq)'"
check_eq "log: budget=1 logged once" "$(dmesg | grep -c "netfilter: rule $id:")" 1
del "$id"

# ---- delay: round trips to an echo in B grow by about us
inB "$KTEST" udpecho 5004 &
ep=$!
sleep 0.3
# The fastest of 21 round trips is compared (the least disturbed by the
# other vCPU's work and the host's); the delay runs on the
# CLOCK_MONOTONIC the probes are timed with, so it can only add.
rtt() { inA "$KTEST" rtt 10.80.0.2 5004 21 | tee -a /tmp/rtt.out | awk '{ print $3 }'; }
base=$(rtt)
id=$(add "proto=udp dport=5004 action=delay us=20000")
slow=$(rtt)
del "$id"
after=$(rtt)
kill $ep
diag "RTT (median min max): $(tr '\n' ';' < /tmp/rtt.out) without, with delay us=20000, after del"
check "delay us=20000 raises the fastest RTT by 20 ms (19..35 ms): +$((slow - base)) us" \
	[ $((slow - base)) -ge 19000 -a $((slow - base)) -le 35000 ]
check "after del the fastest RTT is back within 5 ms of the first (${after} us)" \
	[ $((after - base)) -lt 5000 ]

# ---- leak: free memory falls by the pages held, and rises again on del.
# Free is MemFree (the buddy allocator's free pages, per-CPU counter
# deltas folded in by stat_refresh) plus the pages on the per-CPU free
# lists (/proc/zoneinfo's "count:"), which MemFree leaves out: freed
# pages go there first, and allocations are served from there first.
# Caches are dropped before each reading, and the rule holds 64 MB so
# that what the rest of the VM frees or takes meanwhile (a few MB,
# mostly) stays inside the 15% allowed.
mf() {
	sync
	echo 3 > /proc/sys/vm/drop_caches
	echo 1 > /proc/sys/vm/stat_refresh
	pcp=$(awk '$1 == "count:" { n += $2 } END { print n + 0 }' /proc/zoneinfo)
	awk -v pcp="$pcp" -v ps=$(($(getconf PAGESIZE 2>/dev/null || echo 4096) / 1024)) \
		'$1 == "MemFree:" { print $2 + pcp * ps }' /proc/meminfo
}
kb=$((16384 * $(getconf PAGESIZE 2>/dev/null || echo 4096) / 1024))
# within15 KB: whether KB is within 15% of $kb
within15() {
	[ "$1" -ge $((kb * 85 / 100)) ] && [ "$1" -le $((kb * 115 / 100)) ]
}
# One round: arm, hit 4 times, read, del, read. The rest of the VM can
# move free memory by 10 MB at once (a KASAN quarantine batch on the
# debug kernel): a round whose readings are not both within 15% is
# repeated, at most 3 rounds, each said; a kscope that kept or lost
# the pages fails every round.
round=0
while :; do
	round=$((round + 1))
	m0=$(mf)
	id=$(add "proto=udp dport=5009 action=leak pages=4096 budget=4")
	recv_start B 5009
	inA "$KTEST" udpsend 10.80.0.2 5009 4 > /dev/null
	recv_wait
	m1=$(mf)
	held="$(col "$id" 5) $(stat leak_pages_held)"
	del "$id"
	wait_for sh -c "[ \"\$(awk '\$1 == \"leak_pages_held:\" { print \$2 }' $STATS)\" = 0 ]"
	m2=$(mf)
	diag "leak round $round: free $m0 kB before, $m1 kB holding $kb kB, $m2 kB after del"
	{ within15 $((m0 - m1)) && within15 $((m2 - m1)); } || [ $round -ge 3 ] && break
done
check_eq "leak: the rule held 4 x 4096 pages, and stats said so" "$held" "16384 16384"
check "leak: free memory fell by about $kb kB (-$((m0 - m1)) kB, within 15%; round $round)" \
	within15 $((m0 - m1))
check "leak: del gives it back (+$((m2 - m1)) kB, within 15% of $kb kB; round $round)" \
	within15 $((m2 - m1))

# ---- with no rule armed the hook looks at nothing
s0=$(stat seen)
recv_start B 5002
inA "$KTEST" udpsend 10.80.0.2 5002 20 > /dev/null
recv_wait
check_eq "no rule: 20 datagrams pass, the hook's seen counter stays" \
	"$(got 5002) $(($(stat seen) - s0))" "20 0"

# ---- TCP with real segments: B's Tcp InSegs (/proc/net/snmp) against a
# count rule, then a drop rule that keeps a connection from being made
tcp_in() { inB cat /proc/net/snmp | awk '/^Tcp:/ { if (++n == 1) for (i = 1; i <= NF; i++) c[$i] = i; else print $c["InSegs"] }'; }
id=$(add "proto=tcp dport=5030 action=count")
inB sh -c 'nc -l -p 5030 > /tmp/tcp.out' &
np=$!
sleep 0.5
t0=$(tcp_in)
echo kscope-tcp | inA nc -w 3 10.80.0.2 5030
wait $np
t1=$(tcp_in)
check_eq "tcp: the listener in B got the data" "$(cat /tmp/tcp.out)" "kscope-tcp"
check_eq "tcp: the rule matched every segment B received ($((t1 - t0)))" "$(col "$id" 2)" "$((t1 - t0))"
del "$id"
id=$(add "proto=tcp dport=5031 action=drop")
t0=$(tcp_in)
inA timeout 3 nc 10.80.0.2 5031 < /dev/null > /dev/null 2>&1
m=$(col "$id" 2)
check "tcp drop: SYNs to 5031 matched and dropped ($m), B's InSegs unchanged" \
	[ "$m" -ge 1 -a "$(tcp_in)" = "$t0" -a "$(col "$id" 3)" = "$m" ]
del "$id"

# ---- ICMP and ICMPv6 echo requests: B's InEchos against the rules
icmp_in4() { inB cat /proc/net/snmp | awk '/^Icmp:/ { if (++n == 1) for (i = 1; i <= NF; i++) c[$i] = i; else print $c["InEchos"] }'; }
icmp_in6() { inB cat /proc/net/snmp6 | awk '$1 == "Icmp6InEchos" { print $2 }'; }
id=$(add "proto=icmp dst=10.80.0.2 action=count")
e0=$(icmp_in4)
inA ping -c 3 -W 5 10.80.0.2 > /dev/null
check_eq "icmp: matched each echo request B received" "$(col "$id" 2)" "$(($(icmp_in4) - e0))"
check_eq "icmp: three of them" "$(($(icmp_in4) - e0))" 3
del "$id"
id=$(add "proto=icmp dst=10.80.0.2 action=drop")
e0=$(icmp_in4)
check "icmp drop: ping fails" sh -c "! nsenter -t $A -n ping -c 2 -W 1 10.80.0.2 > /dev/null"
check_eq "icmp drop: 2 matched, B's InEchos unchanged" "$(col "$id" 2) $(($(icmp_in4) - e0))" "2 0"
del "$id"
# ICMPv6 to fd80::2 is neighbour discovery too: the count rule matches
# at least B's echo requests, and the drop rule drops both kinds
e0=$(icmp_in6)
id=$(add "proto=icmpv6 dst=fd80::2 action=count")
inA ping6 -c 3 -W 5 fd80::2 > /dev/null
m=$(col "$id" 2)
check "icmpv6: matched at least B's echo requests ($m, InEchos +$(($(icmp_in6) - e0)))" \
	[ "$m" -ge "$(($(icmp_in6) - e0))" -a "$(($(icmp_in6) - e0))" = 3 ]
del "$id"
id=$(add "proto=icmpv6 dst=fd80::2 action=drop")
e0=$(icmp_in6)
check "icmpv6 drop: ping6 fails" sh -c "! nsenter -t $A -n ping6 -c 2 -W 1 fd80::2 > /dev/null"
check "icmpv6 drop: matched ($(col "$id" 2)), B's Icmp6InEchos unchanged" \
	[ "$(col "$id" 2)" -ge 2 -a "$(icmp_in6)" = "$e0" ]
del "$id"

# ---- the hook's own cost: calls and nanoseconds inside it
c0=$(stat seen)
ns0=$(stat hook_ns)
id=$(add "proto=udp dport=5097 action=count")
recv_start B 5002
inA "$KTEST" udpsend 10.80.0.2 5002 50 > /dev/null
recv_wait
c=$(($(stat seen) - c0))
ns=$(($(stat hook_ns) - ns0))
diag "hook: $c calls, $ns ns inside"
check "hook_ns grows with calls ($c calls, $ns ns)" [ "$c" -ge 50 -a "$ns" -gt 0 ]
del "$id"

# ---- delay in softirq draws from the CPU's budget (1 s, refilled at
# half the time passing): 100 hits of 100 ms would hold the sender's
# CPU (the veth receive runs in its softirq) for 10 s; with the budget,
# 2 s at first, then half the time: about 6 s, the rest counted
now_cs() { awk '{ printf "%d", $1 * 100 }' /proc/uptime; }
b0=$(stat delay_over_budget)
d0=$(stat action_delay)
id=$(add "proto=udp dport=5020 action=delay us=100000")
recv_start B 5020
t0=$(now_cs)
s=$(inA taskset 1 "$KTEST" udpsend 10.80.0.2 5020 100 | awk '{ print $2 }')
t1=$(now_cs)
recv_wait
over=$(($(stat delay_over_budget) - b0))
delayed=$(($(stat action_delay) - d0))
diag "softirq delay: $delayed delayed, $over over budget, send took $((t1 - t0))0 ms"
check_eq "softirq delay: the receiver got all $s" "$(got 5020)" "$s"
check_eq "softirq delay: every hit delayed or counted over budget" "$((over + delayed))" "$s"
check "softirq delay: the send took under 8 s (not 10 s): $((t1 - t0))0 ms, $over counted" \
	[ $((t1 - t0)) -lt 800 -a "$over" -ge 20 ]
check "softirq delay: at most 1 s + half the time delayed (${delayed}00 ms in $((t1 - t0))0 ms)" \
	[ $((delayed * 10)) -le $((100 + (t1 - t0) / 2 + 10)) ]
del "$id"

# ---- work-context delays are bounded: pending stops at 1024 (the rest
# counted), del stops the kworker at once, and rmmod with a full queue
# returns in under a second (3,000 x 100 ms is five minutes of work)
c0=$(stat pending_capped)
id=$(add "proto=udp dport=5021 action=delay us=100000 context=work")
recv_start B 5021
s=$(inA "$KTEST" udpsend 10.80.0.2 5021 3000 | awk '{ print $2 }')
recv_wait
p=$(col "$id" 4)
cap=$(($(stat pending_capped) - c0))
diag "work delay: pending $p, capped $cap of $s"
check "work delay: pending capped at $(stat pending_max) ($p)" [ "$p" -le 1026 -a "$p" -ge 1000 ]
check_eq "work delay: each of the $s datagrams matched, and fired or was counted as capped" \
	"$(col "$id" 2) $(($(col "$id" 3) + cap))" "$s $s"
del "$id"
sleep 0.3
w1=$(stat action_delay)
sleep 1
check_eq "work delay: del stops the kworker (no delay runs after it)" "$(stat action_delay)" "$w1"
id=$(add "proto=udp dport=5021 action=delay us=100000 context=work")
recv_start B 5021
inA "$KTEST" udpsend 10.80.0.2 5021 3000 > /dev/null
recv_wait
p=$(col "$id" 4)
t0=$(now_cs)
kscope_unload
t1=$(now_cs)
check "rmmod with $p delays of 100 ms queued returns in under a second ($((t1 - t0))0 ms)" \
	[ $((t1 - t0)) -lt 100 -a "$p" -ge 1000 ]
kscope_load

# ---- refusals
for a in "action=warn" "action=oom context=work" "action=panic" "action=lockup ms=1"; do
	check_eq "'$a' without allow_destructive: EPERM" "$(kwrite $RULES "$a")" "EPERM"
done
check "EPERM is explained in dmesg" sh -c "dmesg | grep -q 'netfilter: panic: destructive action'"
check_eq "a non-root writer: EPERM" \
	"$("$KTEST" runas 1000 "$KTEST" write $RULES "action=count")" "EPERM"
check "a non-root reader can list the rules" sh -c "'$KTEST' runas 1000 cat $RULES > /dev/null"
for l in "proto=udp dport=70000 action=drop" "action=bogus" "proto=udp action=drop extra" \
	"src=10.0.0.1 dst=fd80::1 action=count" "action=drop context=work" \
	"action=oom" "payload=abc action=count" "budget=0 action=count" "" "del x" \
	"$(printf 'action=count\naction=drop')"; do
	check_eq "malformed '$l': EINVAL" "$(kwrite $RULES "$l")" "EINVAL"
done
check "EINVAL names the bad token in dmesg" sh -c "dmesg | grep -q \"netfilter: bad token 'dport=70000'\""
check_eq "no malformed line left a rule behind" "$(stat rules)" 0
check_eq "del of an unknown id: ENOENT" "$(kwrite $RULES "del 99999")" "ENOENT"

# ---- unload with rules armed, datagrams flowing and work queued
for r in "proto=udp dport=5010 action=delay us=300 context=work" \
	"proto=udp dport=5010 action=leak pages=2 context=work" \
	"proto=udp dport=5010 action=leak pages=1" \
	"proto=udp dport=5010 action=delay us=50" "action=count"; do
	add "$r" > /dev/null
done
inA "$KTEST" udpflood 10.80.0.2 5010 4000 > /tmp/flood.out &
fp=$!
sleep 2
diag "before rmmod: $(awk 'NR > 1 { printf "rule %s matched %s pending %s leaked %s; ", $1, $2, $4, $5 }' $RULES)"
check "rmmod with rules armed, datagrams flowing, work queued" kscope_unload
wait $fp
check "the flood ran on after rmmod ($(cat /tmp/flood.out))" grep -q "^sent [1-9]" /tmp/flood.out

# ---- limits, with parameters at load
kscope_load max_rules=3 max_leak_pages=100
for i in 1 2 3; do add "proto=udp dport=600$i action=count" > /dev/null; done
check_eq "max_rules=3: a fourth rule gets ENOSPC" "$(kwrite $RULES "action=count")" "ENOSPC"
check_eq "del all" "$(kwrite $RULES "del all") $(stat rules)" "ok 0"
id=$(add "proto=udp dport=5009 action=leak pages=64 budget=3")
recv_start B 5009
inA "$KTEST" udpsend 10.80.0.2 5009 3 > /dev/null
recv_wait
check_eq "max_leak_pages=100: three hits of 64 pages hold 100" \
	"$(col "$id" 3) $(col "$id" 5) $(stat leak_pages_held)" "3 100 100"
check_eq "and the two hits cut short are counted" "$(stat leak_limited)" 2
kscope_unload

kill $A $B
finish

# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# /proc/kscope/w<id>/memcg and lru against the cgroup v2 files of the
# task's cgroup, read in the same moment: a process in a cgroup with
# memory.max and memory.high allocates 4 MiB at a time and stops after
# each step. usage equals memory.current exactly (the same page
# counter, read between two equal reads of memory.current), limits
# equal memory.max/high/min/low, events equal memory.events, stat.*
# and the LRU totals equal memory.stat, and each node's LRU sizes equal
# memory.numa_stat (both are the kernel's last flushed values, read
# between two equal reads of memory.stat). With MGLRU built, the last
# steps run with it switched on. Where the kernel keeps the per-node
# statistics private (6.10 on), stat.* and the LRU lists must say
# "unavailable" with a reason, never a number.
. ./lib.sh

kscope_load || { not_ok "insmod"; finish; }
if ! grep -qw memory $CG/cgroup.controllers; then
	not_ok "the memory controller is on cgroup v2"
	finish
fi

STEPS=6
nodestats=$(awk '$1 == "feature:" && $2 == "memcg_node_stats" { print $3 }' /proc/kscope/version)
STEP_KB=4096
G=$CG/kt70
echo +memory > $CG/cgroup.subtree_control
mkdir -p $G
echo $((64 << 20)) > $G/memory.max
echo $((48 << 20)) > $G/memory.high
echo $((1 << 20)) > $G/memory.low

# khugepaged would collapse the allocation into huge pages behind the
# test's back, charging 2 MiB before it uncharges the small pages: a
# moment memory.current can show on neither side of a kscope read
THP=/sys/kernel/mm/transparent_hugepage/enabled
[ -w $THP ] && thp_saved=$(sed 's/.*\[\(.*\)\].*/\1/' $THP) && echo never > $THP

LRU_GEN=/sys/kernel/mm/lru_gen/enabled
[ -w $LRU_GEN ] && lru_gen_saved=$(cat $LRU_GEN) && echo n > $LRU_GEN

in_cgroup $G "$KTEST" alloc $STEP_KB $STEPS > /dev/null &
ap=$!
wait_state $ap T || not_ok "the allocator stopped after its first step"
echo $ap > /proc/kscope/watch
K=$(kdir $ap)

# limits KFILE: "name kscope cgroup" for every limit, one per line
limits() {
	for _l in min low high max; do
		echo "$_l $(field "$1" $_l) $(cat $G/memory.$_l)"
	done
	[ -f $G/memory.swap.max ] &&
		echo "swap_max $(field "$1" swap_max) $(cat $G/memory.swap.max)"
}

# stat_diff KFILE MEMORY_STAT: every numeric stat.NAME against NAME in
# memory.stat; prints mismatches and "compared N"
stat_diff() {
	awk 'NR == FNR {
		if ($1 ~ /^stat\./ && $2 ~ /^[0-9]+$/) k[substr($1, 6, length($1) - 6)] = $2
		next
	}
	($1 in k) { n++; if (k[$1] != $2) print $1 ": kscope " k[$1] " memory.stat " $2; delete k[$1] }
	END { for (x in k) print "not in memory.stat: " x; print "compared " n + 0 }' "$1" "$2"
}

# lru_diff LRUFILE MEMORY_STAT NUMA_STAT: the "bytes" rows, total
# against memory.stat and per node against memory.numa_stat
lru_diff() {
	awk 'BEGIN { split("inactive_anon active_anon inactive_file active_file unevictable", L, " ") }
	FILENAME == ARGV[1] {
		if ($1 == "bytes")
			for (i = 1; i <= 5; i++)
				k[L[i] " " ($2 == "total" ? "total" : "N" substr($2, 5))] = $(i + 2)
		next
	}
	FILENAME == ARGV[2] { if (($1 " total") in k) { n++; if (k[$1 " total"] != $2) print $1 " total: kscope " k[$1 " total"] " memory.stat " $2 }; next }
	{
		if (!(($1 " total") in k)) next
		for (i = 2; i <= NF; i++) {
			split($i, a, "=")
			n++
			if (!(($1 " " a[1]) in k)) print $1 " " a[1] ": not in kscope"
			else if (k[$1 " " a[1]] != a[2]) print $1 " " a[1] ": kscope " k[$1 " " a[1]] " numa_stat " a[2]
			seen[$1 " " a[1]] = 1
		}
	}
	END {
		for (x in k) if (x !~ / total$/ && !(x in seen)) print x ": not in memory.numa_stat"
		print "compared " n + 0
	}' "$1" "$2" "$3"
}

step=1
while :; do
	tag="step $step"
	[ $step -gt $((STEPS / 2)) ] && [ -n "${lru_gen_saved:-}" ] && tag="$tag (MGLRU on)"

	same_moment $G/memory.current "$K"/memcg /tmp/m70 || not_ok "$tag: memory.current held still"
	check_eq "$tag: usage equals memory.current" \
		"$(field /tmp/m70.k usage)" "$(cat /tmp/m70.cg)"
	limits /tmp/m70.k > /tmp/lim70
	check_eq "$tag: limits equal memory.min, low, high, max, swap.max" \
		"$(awk '$2 != $3' /tmp/lim70)" ""
	same_moment $G/memory.events "$K"/memcg /tmp/e70
	check_eq "$tag: events equal memory.events" \
		"$(awk '{ print "events." $1 ": " $2 }' /tmp/e70.cg)" \
		"$(grep '^events\.' /tmp/e70.k)"

	if [ "$nodestats" != yes ]; then
		check_eq "$tag: no per-node statistics: no stat.* from them is a number" \
			"$(awk '/^stat\./ && $1 != "stat.kernel:" && $1 != "stat.sock:" && $2 != "unavailable" { print }' "$K"/memcg)" ""
		check_eq "$tag: no per-node statistics: the LRU lists say why" \
			"$(field "$K"/lru lists)" \
			"unavailable (per-node memcg statistics are private to this kernel)"
		check_eq "$tag: no per-node statistics: no LRU table" \
			"$(grep -c '^bytes\|^pages' "$K"/lru)" 0
	else
		same_moment $G/memory.stat "$K"/memcg /tmp/s70
		stat_diff /tmp/s70.k /tmp/s70.cg > /tmp/sd70
		check_eq "$tag: stat.* equal memory.stat ($(tail -n1 /tmp/sd70))" \
			"$(sed '$d' /tmp/sd70)" ""
		anon=$(field /tmp/s70.k stat.anon)
		check "$tag: stat.anon ($anon) holds the $((step * STEP_KB)) KiB allocated" \
			[ "$anon" -ge $((step * STEP_KB * 1024)) ]

		# memory.stat and memory.numa_stat must agree with kscope at once:
		# read both around the kscope read until neither moved
		_try=0
		while :; do
			cat $G/memory.stat > /tmp/l70.s1
			cat $G/memory.numa_stat > /tmp/l70.n1
			cat "$K"/lru > /tmp/l70.k
			cat $G/memory.numa_stat > /tmp/l70.n2
			cat $G/memory.stat > /tmp/l70.s2
			cmp -s /tmp/l70.s1 /tmp/l70.s2 && cmp -s /tmp/l70.n1 /tmp/l70.n2 && break
			_try=$((_try + 1))
			[ $_try -ge 50 ] && break
			sleep 0.1
		done
		lru_diff /tmp/l70.k /tmp/l70.s1 /tmp/l70.n1 > /tmp/ld70
		check_eq "$tag: LRU sizes equal memory.stat and memory.numa_stat ($(tail -n1 /tmp/ld70), $(grep -c '^bytes node' /tmp/l70.k) nodes)" \
			"$(sed '$d' /tmp/ld70)" ""
		check_eq "$tag: the pages table is the bytes table / page size" \
			"$(awk -v ps="$(field /tmp/l70.k page_size)" '$1 == "pages" { $1 = "bytes"; for (i = 3; i <= NF; i++) $i *= ps; print }' /tmp/l70.k)" \
			"$(awk '$1 == "bytes" { $1 = $1; print }' /tmp/l70.k)"
		lruanon=$(awk '$1 == "bytes" && $2 == "total" { print $3 + $4 }' /tmp/l70.k)
		check "$tag: anon LRU ($lruanon) holds the allocation" \
			[ "$lruanon" -ge $((step * STEP_KB * 1024)) ]
	fi

	[ $step -ge $STEPS ] && break
	step=$((step + 1))
	[ $step -gt $((STEPS / 2)) ] && [ -n "${lru_gen_saved:-}" ] && echo y > $LRU_GEN
	kill -CONT $ap
	wait_state $ap T || not_ok "the allocator stopped after step $step"
done

# the v2 line: an earlier test may have left a v1 hierarchy behind
check_eq "path equals /proc/$ap/cgroup's v2 line" "0::$(field "$K"/memcg path)" \
	"$(grep '^0::' /proc/$ap/cgroup)"
check_eq "hierarchy is v2, not root" "$(field "$K"/memcg hierarchy) $(field "$K"/memcg root)" "v2 no"
check_eq "the counters are said to be approximate" "$(field "$K"/lru stats)" \
	"approximate, last flushed by the kernel"
# v1 is there or not as the kernel was built (t05 mounts it)
check "v1 says whether this kernel has the v1 controller" \
	grep -qx 'v1: built\|v1: not built (CONFIG_MEMCG_V1=n): no v1 hierarchy' "$K"/memcg

# the root cgroup: the kernel charges nothing to it
check_eq "self/ in the root cgroup: root yes, path /" \
	"$(field /proc/kscope/self/memcg root) $(field /proc/kscope/self/memcg path)" "yes /"

kill -9 $ap
wait $ap 2>/dev/null

# a path longer than the 128 bytes kscope first tries on the stack
long=$G
for d in $(printf 'a%.0s' $(seq 60)) $(printf 'b%.0s' $(seq 60)) $(printf 'c%.0s' $(seq 60)); do
	echo +memory > "$long"/cgroup.subtree_control
	long=$long/$d
	mkdir "$long"
done
(in_cgroup "$long" sleep 1000) &
lp=$!
wait_for grep -q "$lp" "$long"/cgroup.procs
echo $lp > /proc/kscope/watch
cgline=$(grep '^0::' /proc/$lp/cgroup)
check "a ${#cgline}-byte cgroup path: memcg's path equals /proc/$lp/cgroup's" \
	[ "0::$(field "$(kdir "$lp")"/memcg path)" = "$cgline" -a ${#cgline} -gt 180 ]
check_eq "and cg_list's v2 line too" \
	"$(grep '^cgroup: 0::' "$(kdir "$lp")"/cg_list | cut -d' ' -f2-)" "$cgline"
kill -9 $lp
wait $lp 2>/dev/null
while [ "$long" != $G ]; do
	rmdir "$long"
	long=${long%/*}
done
[ -n "${lru_gen_saved:-}" ] && echo "$lru_gen_saved" > $LRU_GEN
[ -n "${thp_saved:-}" ] && echo "$thp_saved" > $THP
rmdir $G
kscope_unload
finish

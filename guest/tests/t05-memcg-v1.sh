# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# /proc/kscope/w<id>/memcg on a cgroup v1 memory hierarchy, against the
# v1 files of the task's cgroup: usage equals memory.usage_in_bytes,
# max and soft_limit equal memory.limit_in_bytes and
# memory.soft_limit_in_bytes, memsw_* the memory.memsw.* files, the
# kernel and sock counters memory.kmem.usage_in_bytes and
# memory.kmem.tcp.usage_in_bytes, and stat.* the hierarchical total_*
# lines of memory.stat (the kernel's last flushed values, as on v2).
# The memory controller is taken off v2 for the test and given back,
# so this test runs first, before any test has made a v2 memory cgroup.
# The kernel refuses the move while v2 has one below the root, even a
# dying one that pages still hold. And the kernel memory of a v2 group
# that is gone is charged to the root memcg (its objcg is reparented),
# but never to the root's memsw counter, which v2 does not keep: freed
# while memory is on v1, it is uncharged from memsw too, and 6.1.192
# warned "page_counter underflow" in drain_stock() (and, with
# panic_on_warn, panicked) when this test ran after tests that had.
# On a kernel built without the v1 controller (6.12), the file says so
# and the kernel refuses the mount.
. ./lib.sh

kscope_load || { not_ok "insmod"; finish; }
V1=/tmp/memv1
mkdir -p $V1

have=$(awk '$1 == "feature:" && $2 == "memcg_v1" { print $3 }' /proc/kscope/version)
if [ "$have" != yes ]; then
	sleep 1000 &
	p=$!
	echo $p > /proc/kscope/watch
	check_eq "no v1 controller: memcg says so" "$(field "$(kdir "$p")"/memcg v1)" \
		"not built (CONFIG_MEMCG_V1=n): no v1 hierarchy"
	check_eq "no v1 controller: the v1-only lines read n/a" \
		"$(field "$(kdir "$p")"/memcg memsw_usage) $(field "$(kdir "$p")"/memcg memsw_max) $(field "$(kdir "$p")"/memcg soft_limit)" \
		"n/a n/a n/a"
	if mount -t cgroup -o memory none $V1 2>/dev/null; then
		not_ok "no v1 controller: the kernel refuses a v1 memory mount"
		umount $V1
	else
		ok "no v1 controller: the kernel refuses a v1 memory mount"
	fi
	kill $p
	wait $p 2>/dev/null
	kscope_unload
	finish
fi

# take memory off v2: no cgroup may have it in cgroup.subtree_control,
# and its css's go away asynchronously
for f in $(find $CG -mindepth 2 -name cgroup.subtree_control | sort -r) $CG/cgroup.subtree_control; do
	grep -qw memory "$f" && echo -memory > "$f" 2>/dev/null
done
# page cache keeps a removed memcg alive; reclaiming it lets it go
echo 3 > /proc/sys/vm/drop_caches
if ! wait_for mount -t cgroup -o memory none $V1 2>/dev/null; then
	not_ok "mount a cgroup v1 memory hierarchy"
	diag "$(mount -t cgroup -o memory none $V1 2>&1); memory cgroups: $(grep '^memory' /proc/cgroups)"
	echo +memory > $CG/cgroup.subtree_control
	kscope_unload
	finish
fi
ok "mount a cgroup v1 memory hierarchy"

G=$V1/kt05
mkdir $G
echo $((64 << 20)) > $G/memory.limit_in_bytes
echo $((32 << 20)) > $G/memory.soft_limit_in_bytes
in_cgroup $G "$KTEST" alloc 4096 2 > /dev/null &
ap=$!
wait_state $ap T || not_ok "the allocator stopped after its first step"
echo $ap > /proc/kscope/watch
K=$(kdir $ap)

check_eq "hierarchy v1, v1 built, not root" \
	"$(field "$K"/memcg hierarchy) $(field "$K"/memcg v1) $(field "$K"/memcg root)" "v1 built no"
check_eq "path is the task's v1 memory cgroup" "$(field "$K"/memcg path)" "/kt05"

# v1 prints an unlimited counter as PAGE_COUNTER_MAX pages in bytes;
# kscope says "max"
unl=$(cat $V1/memory.limit_in_bytes)
v1val() {
	[ "$1" = max ] && echo "$unl" || echo "$1"
}

step=1
while :; do
	same_moment $G/memory.usage_in_bytes "$K"/memcg /tmp/m05 ||
		not_ok "step $step: memory.usage_in_bytes held still"
	check_eq "step $step: usage equals memory.usage_in_bytes" \
		"$(field /tmp/m05.k usage)" "$(cat /tmp/m05.cg)"
	check_eq "step $step: max, soft_limit equal memory.limit_in_bytes, memory.soft_limit_in_bytes" \
		"$(v1val "$(field /tmp/m05.k max)") $(v1val "$(field /tmp/m05.k soft_limit)")" \
		"$(cat $G/memory.limit_in_bytes) $(cat $G/memory.soft_limit_in_bytes)"
	if [ -f $G/memory.memsw.usage_in_bytes ]; then
		same_moment $G/memory.memsw.usage_in_bytes "$K"/memcg /tmp/w05
		check_eq "step $step: memsw_usage, memsw_max equal memory.memsw.usage_in_bytes, limit_in_bytes" \
			"$(field /tmp/w05.k memsw_usage) $(v1val "$(field /tmp/w05.k memsw_max)")" \
			"$(cat /tmp/w05.cg) $(cat $G/memory.memsw.limit_in_bytes)"
	else
		skip "step $step: memsw against memory.memsw.*" "no swap accounting"
	fi
	same_moment $G/memory.kmem.usage_in_bytes "$K"/memcg /tmp/k05
	check_eq "step $step: stat.kernel equals memory.kmem.usage_in_bytes" \
		"$(field /tmp/k05.k stat.kernel)" "$(cat /tmp/k05.cg)"
	same_moment $G/memory.kmem.tcp.usage_in_bytes "$K"/memcg /tmp/t05
	check_eq "step $step: stat.sock equals memory.kmem.tcp.usage_in_bytes" \
		"$(field /tmp/t05.k stat.sock)" "$(cat /tmp/t05.cg)"

	# v1's memory.stat: total_NAME is hierarchical and flushed, as
	# kscope's; its names differ from v2's
	same_moment $G/memory.stat "$K"/memcg /tmp/s05
	awk 'BEGIN {
		m["anon"] = "rss"; m["file"] = "cache"; m["shmem"] = "shmem"
		m["file_mapped"] = "mapped_file"; m["file_dirty"] = "dirty"
		m["file_writeback"] = "writeback"; m["inactive_anon"] = "inactive_anon"
		m["active_anon"] = "active_anon"; m["inactive_file"] = "inactive_file"
		m["active_file"] = "active_file"; m["unevictable"] = "unevictable"
	}
	NR == FNR { if ($1 ~ /^stat\./) k[substr($1, 6, length($1) - 6)] = $2; next }
	{ v[$1] = $2 }
	END {
		for (x in m) {
			n++
			if (k[x] != v["total_" m[x]]) print x ": kscope " k[x] " total_" m[x] " " v["total_" m[x]]
		}
		print "compared " n + 0
	}' /tmp/s05.k /tmp/s05.cg > /tmp/sd05
	check_eq "step $step: stat.* equal memory.stat's total_* ($(tail -n1 /tmp/sd05))" \
		"$(sed '$d' /tmp/sd05)" ""
	anon=$(field /tmp/s05.k stat.anon)
	check "step $step: stat.anon ($anon) holds the $((step * 4096)) KiB allocated" \
		[ "$anon" -ge $((step * 4096 * 1024)) ]

	[ $step -ge 2 ] && break
	step=$((step + 1))
	kill -CONT $ap
	wait_state $ap T || not_ok "the allocator stopped after step $step"
done

kill -9 $ap
wait $ap 2>/dev/null
wait_for rmdir $G 2>/dev/null
# a hierarchy unmounted while a removed cgroup still lingers stays
# behind, and keeps the controller: wait until only its root is left
# shellcheck disable=SC2317 # called through wait_for
v1_released() {
	echo 3 > /proc/sys/vm/drop_caches
	[ "$(awk '$1 == "memory" { print $3 }' /proc/cgroups)" = 1 ]
}
wait_for v1_released || diag "memory cgroups left: $(grep '^memory' /proc/cgroups)"
umount $V1
# give memory back to v2 for the tests that follow
if wait_for sh -c "echo +memory > $CG/cgroup.subtree_control" 2>/dev/null; then
	ok "the memory controller is back on v2"
else
	not_ok "the memory controller is back on v2"
fi
kscope_unload
finish

# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# A task that goes to sleep while not eligible: on 6.12 (EEVDF delayed
# dequeue) it stays queued, and in nr_running, until it is picked; only
# then does it enter nr_uninterruptible. kscope's LOAD column, state file
# and loadavg classes must follow the kernel's own counters at each
# moment: the per-CPU .nr_running, .nr_uninterruptible and the root
# cfs_rq's .h_nr_delayed of /sys/kernel/debug/sched/debug. On a kernel
# without delayed dequeue the sleeper is dequeued at once, and the same
# comparisons hold.
. ./lib.sh

DBG=/sys/kernel/debug/sched/debug
CPU=1

kscope_load || { not_ok "insmod"; finish; }
if [ ! -r $DBG ]; then
	skip "delayed dequeue against the kernel's counters" "no $DBG (CONFIG_SCHED_DEBUG=n)"
	kscope_unload
	finish
fi
have=$(awk '$1 == "feature:" && $2 == "delayed_dequeue" { print $3 }' /proc/kscope/version)
check "version says whether this kernel delays dequeues ($have)" \
	[ "$have" = yes -o "$have" = no ]

SS=/proc/sys/kernel/sched_schedstats
ss_saved=$(cat $SS)
echo 1 > $SS

# sdbg: "NR_RUNNING NR_UNINTERRUPTIBLE H_NR_DELAYED": the first two
# summed over the CPUs (nr_uninterruptible is an unsigned int per CPU
# that only sums right modulo 2^32), the last of CPU's root cfs_rq
sdbg() {
	awk -v c=$CPU '
	/^cpu#/ { sec = "cpu"; next }
	/^cfs_rq\[/ {
		sec = "cfs"; n = $0; sub(/^cfs_rq\[/, "", n)
		root = (n == c "]:/"); next
	}
	/^[a-z]/ { sec = ""; next }
	sec == "cpu" && $1 == ".nr_running" { nr += $3 }
	sec == "cpu" && $1 == ".nr_uninterruptible" { un += $3 }
	sec == "cfs" && root && $1 == ".h_nr_delayed" { d = $3 }
	END {
		un = un % 4294967296
		if (un >= 2147483648) un -= 4294967296
		print nr + 0, un + 0, d + 0
	}' $DBG
}

# snap TAG: the kernel's counters, kscope's files, the kernel's again,
# until the kernel's held still across kscope's reads
snap() {
	_try=0
	while :; do
		sdbg > /tmp/dl.k1."$1"
		cat /proc/kscope/loadavg > /tmp/dl.la."$1"
		cat /proc/kscope/"$sp"/state > /tmp/dl.st."$1"
		kline "$sp" > /tmp/dl.t."$1"
		sdbg > /tmp/dl.k2."$1"
		cmp -s /tmp/dl.k1."$1" /tmp/dl.k2."$1" && return 0
		_try=$((_try + 1))
		[ $_try -ge 20 ] && diag "$1: the kernel's counters kept changing" && return 1
		sleep 0.1
	done
}

# compare TAG: kscope's loadavg classes against the kernel's counters
compare() {
	read -r k_nr k_un k_del < /tmp/dl.k1."$1"
	check_eq "$1: loadavg runnable is the kernel's nr_running" \
		"$(field /tmp/dl.la."$1" runnable)" "$k_nr"
	check_eq "$1: loadavg uninterruptible is the kernel's nr_uninterruptible" \
		"$(field /tmp/dl.la."$1" uninterruptible)" "$k_un"
}

"$KTEST" delayed $CPU D > /tmp/dl.out &
wait_for grep -q '^sleeper ' /tmp/dl.out
hog=$(awk '$1 == "hog" { print $2 }' /tmp/dl.out)
sp=$(awk '$1 == "sleeper" { print $2 }' /tmp/dl.out)
wait_state "$sp" D
echo "$sp" > /proc/kscope/watch
sleep 0.5

# ---- asleep in D, not yet dequeued (6.12), or dequeued (before)
snap delayed
read -r k_nr k_un k_del < /tmp/dl.k1.delayed
st=/tmp/dl.st.delayed
if [ "$have" = yes ]; then
	check "delayed: the kernel holds a delayed task on CPU $CPU (h_nr_delayed $k_del)" \
		[ "$k_del" -ge 1 ]
	check_eq "delayed: state D, on_rq 1, sched_delayed 1, load 1" \
		"$(field $st state | cut -c1) $(field $st on_rq) $(field $st sched_delayed) $(field $st load)" \
		"D 1 1 1"
	check_eq "delayed: LOAD 1 in tasks (in nr_running)" \
		"$(awk '{ print $4, $5 }' /tmp/dl.t.delayed)" "D 1"
	check "delayed: loadavg runnable_delayed counts it" \
		[ "$(field /tmp/dl.la.delayed runnable_delayed)" -ge 1 ]
	check_eq "delayed: not listed as uninterruptible" \
		"$(awk -v p="$sp" '$1 == p' /tmp/dl.la.delayed)" ""
	check_eq "delayed: time in state from wait_start, named so" \
		"$(field $st in_state_ns | awk '{ print $2 }')" "(wait_start,delayed)"
else
	check_eq "no delayed dequeue: state D, on_rq 0, sched_delayed 0, load 1" \
		"$(field $st state | cut -c1) $(field $st on_rq) $(field $st sched_delayed) $(field $st load)" \
		"D 0 0 1"
fi
compare delayed

# ---- the hog goes: the sleeper is picked, dequeued for real, and
# enters nr_uninterruptible
kill -9 "$hog"
_w=0
while sdbg > /tmp/dl.k && [ "$(awk '{ print $3 }' /tmp/dl.k)" != 0 ]; do
	_w=$((_w + 1))
	[ $_w -ge 100 ] && break
	sleep 0.1
done
snap dequeued
st=/tmp/dl.st.dequeued
check_eq "dequeued: state D, on_rq 0, sched_delayed 0, load 1" \
	"$(field $st state | cut -c1) $(field $st on_rq) $(field $st sched_delayed) $(field $st load)" \
	"D 0 0 1"
check_eq "dequeued: LOAD 1 in tasks (in nr_uninterruptible)" \
	"$(awk '{ print $4, $5 }' /tmp/dl.t.dequeued)" "D 1"
check_eq "dequeued: listed as uninterruptible, blocked since block_start" \
	"$(awk -v p="$sp" '$1 == p { print $3, $NF }' /tmp/dl.la.dequeued)" "D block_start"
compare dequeued

# the vfork child printed its pid on a line of its own
child=$(awk 'NF == 1' /tmp/dl.out)
kill -9 "$sp" ${child:+"$child"} 2>/dev/null
wait 2>/dev/null
echo "$ss_saved" > $SS
kscope_unload
finish

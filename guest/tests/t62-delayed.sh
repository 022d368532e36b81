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

# The kernel's sums are not taken at one moment: sched/debug prints one
# CPU's counters after the other's, and a reader that moves to the other
# CPU in between (preempted, then pulled by the idle CPU) is counted on
# both, or on neither. kscope's walk counts it once. Keep this shell and
# every reader it starts on CPU 0, so that each side counts the reader
# once, on CPU 0; ktest pins itself to $CPU.
taskset -p 1 $$ > /dev/null

SS=/proc/sys/kernel/sched_schedstats
ss_saved=$(cat $SS)
echo 1 > $SS

# sdbg FILE: "NR_RUNNING NR_UNINTERRUPTIBLE H_NR_DELAYED" of a copy of
# $DBG: the first two summed over the CPUs (nr_uninterruptible is an
# unsigned int per CPU that only sums right modulo 2^32), the last of
# CPU's root cfs_rq
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
	}' "$1"
}

# kscope_counts TAG: "RUNNABLE UNINTERRUPTIBLE" of kscope's loadavg copy
kscope_counts() {
	echo "$(field /tmp/dl.la."$1" runnable)" \
		"$(field /tmp/dl.la."$1" uninterruptible)"
}

# snap TAG: a copy of the kernel's counters, kscope's files, a copy of
# the kernel's again. Each side counts its own reader (a cat running on
# CPU 0) once. Any other task runnable for a moment (on the rt kernel
# rcu_preempt and ksoftirqd/N often are, and the test's own short-lived
# processes exit meanwhile) may be counted by one side and not the
# other, even by both kernel copies and not kscope: retry until the two
# kernel copies hold the same counts and kscope's match them, so that all
# three describe one moment. A lasting difference still fails after the
# retries, and each retry says what differed.
snap() {
	_try=0
	_sd=$(kdir "$sp")
	while :; do
		cat $DBG > /tmp/dl.d1."$1"
		cat /proc/kscope/loadavg > /tmp/dl.la."$1"
		cat "$_sd"/state > /tmp/dl.st."$1"
		kline "$sp" > /tmp/dl.t."$1"
		cat $DBG > /tmp/dl.d2."$1"
		sdbg /tmp/dl.d1."$1" > /tmp/dl.k1."$1"
		sdbg /tmp/dl.d2."$1" > /tmp/dl.k2."$1"
		read -r _nr _un _del < /tmp/dl.k1."$1"
		if cmp -s /tmp/dl.k1."$1" /tmp/dl.k2."$1" &&
			[ "$(kscope_counts "$1")" = "$_nr $_un" ]; then
			[ $_try -gt 0 ] && diag "$1: one moment after $_try retries"
			return 0
		fi
		snap_diag "$1"
		_try=$((_try + 1))
		[ $_try -ge 20 ] && diag "$1: no moment where both agree" && return 1
		sleep 0.1
	done
}

# snap_diag TAG: what differed, and the tasks the kernel saw running
snap_diag() {
	diag "$1: kernel $(cat /tmp/dl.k1."$1") / $(cat /tmp/dl.k2."$1")," \
		"kscope $(kscope_counts "$1")"
	for _d in d1 d2; do
		diag "$1: $_d per CPU nr_running:" "$(awk '/^cpu#/ { c = $1 }
			c != "" && $1 == ".nr_running" { printf "%s %s ", c, $3; c = "" }' \
			/tmp/dl."$_d"."$1")"
		diag "$1: $_d R tasks:" "$(awk '$1 == ">R" { print $2, $3; next }
			$1 == "R" { print $2, $3 }' /tmp/dl."$_d"."$1" | tr '\n' ' ')"
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

# start_sleeper: a hog and a sleeper on $CPU; the sleeper asleep in D and
# watched, the kernel's counters and kscope's files in snap "delayed"
start_sleeper() {
	# the last attempt's output goes first: a background command's
	# redirection is made by its child once that runs, and until then
	# the wait below would take the last sleeper (still in D) for this
	rm -f /tmp/dl.out
	"$KTEST" delayed $CPU D > /tmp/dl.out &
	wait_for grep -qs '^sleeper ' /tmp/dl.out
	hog=$(awk '$1 == "hog" { print $2 }' /tmp/dl.out)
	sp=$(awk '$1 == "sleeper" { print $2 }' /tmp/dl.out)
	if [ -z "$sp" ] || ! wait_state "$sp" D; then
		not_ok "the sleeper went to sleep in D (ktest delayed: $(tr '\n' ' ' < /tmp/dl.out))"
		kill -9 ${hog:+"$hog"} ${sp:+"$sp"} 2>/dev/null
		echo "$ss_saved" > $SS
		kscope_unload
		finish
	fi
	echo "$sp" > /proc/kscope/watch
	sleep 0.5
	snap delayed
	read -r k_nr k_un k_del < /tmp/dl.k1.delayed
}

# stop_sleeper: the hog gone, and the sleeper killed; it sleeps in
# kscope's sleep_d, which no signal ends, until kscope is unloaded (so
# no wait here): a D task more, on both sides of every comparison
stop_sleeper() {
	kill -9 ${hog:+"$hog"} ${sp:+"$sp"} 2>/dev/null
}

# ---- asleep in D, not yet dequeued (6.12), or dequeued (before).
# Whether the kernel delays the dequeue depends on the sleeper's lag at
# the moment it sleeps, which the scheduler, not the test, decides: where
# the kernel has delayed dequeue, start again (up to 5 times) until its
# own counters hold the sleeper delayed at the moment of the snapshot.
start_sleeper
_att=1
while [ "$have" = yes ] && [ "$k_del" -lt 1 ] && [ $_att -lt 5 ]; do
	diag "attempt $_att: the kernel did not hold the sleeper delayed (h_nr_delayed $k_del): again"
	stop_sleeper
	_att=$((_att + 1))
	start_sleeper
done
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
while cat $DBG > /tmp/dl.d && sdbg /tmp/dl.d > /tmp/dl.k &&
	[ "$(awk '{ print $3 }' /tmp/dl.k)" != 0 ]; do
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

stop_sleeper
echo "$ss_saved" > $SS
# wakes the sleepers (ECANCELED), which then die of their SIGKILL
kscope_unload
wait
finish

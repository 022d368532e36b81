# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# /proc/kscope/tasks with many threads: a whole read and 1-byte reads
# agree, every thread that lives through a read appears in it exactly
# once, and none appears twice even while threads come and go.
. ./lib.sh

N=${KSCOPE_THREADS:-10000}
echo 100000 > /proc/sys/kernel/threads-max
echo 4194304 > /proc/sys/kernel/pid_max

kscope_load || { not_ok "insmod"; finish; }

"$KTEST" threads "$N" > /tmp/threads.out &
tp=$!
i=0
while ! grep -q ready /tmp/threads.out 2>/dev/null; do
	i=$((i + 1))
	# the helper dies if the kernel refuses a thread
	if ! kill -0 $tp 2>/dev/null || [ $i -ge 1200 ]; then
		break
	fi
	sleep 0.5
done
if ! grep -q "ready $N" /tmp/threads.out; then
	not_ok "$N threads started (pid_max $(cat /proc/sys/kernel/pid_max), threads-max $(cat /proc/sys/kernel/threads-max))"
	kill $tp 2>/dev/null
	finish
fi
ok "$N threads started in $((i / 2)) s"

# The hung-task scanner walks them all, breaking the RCU read lock every
# 256 pids: its last full scan saw every thread /proc lists (give or
# take the few that came and went between), in at least tasks/256 RCU
# sections. Its cost is reported, not asserted.
# nthreads: every thread /proc lists
nthreads() {
	ls -d /proc/[0-9]*/task/* 2>/dev/null | wc -l
}
# shellcheck disable=SC2317 # called through check or wait_for
scan_done_since() {
	[ "$(field /proc/kscope/hung scans)" -gt "$1" ]
}
a=$(nthreads)
s0=$(field /proc/kscope/hung scans)
wait_for scan_done_since $((s0 + 1))
cat /proc/kscope/hung > /tmp/hung
b=$(nthreads)
seen=$(field /tmp/hung last_scan_tasks)
check "hung scanner: last scan saw $seen threads, /proc lists $a then $b" \
	[ "$seen" -ge $((a < b ? a - 5 : b - 5)) -a "$seen" -le $((a > b ? a + 5 : b + 5)) ]
sections=$(field /tmp/hung last_scan_rcu_sections)
check "hung scanner: $sections RCU sections for $seen threads (at most 256 pids each)" \
	[ "$sections" -ge $((seen / 256)) ]
diag "hung scanner: last scan $(field /tmp/hung last_scan_us) us, $(field /tmp/hung scan_ns_per_task) ns per task, longest RCU section $(field /tmp/hung max_rcu_hold_us) us"

# tids: the thread ids column of a tasks dump, one per line
tids() {
	awk 'NR > 1 { print $1 }' "$1"
}

# appears_once STABLE TIDS: every tid of STABLE is in TIDS exactly once
appears_once() {
	awk 'NR == FNR { c[$1]++; next }
	     c[$1] != 1 { bad++; if (bad < 5) print "# tid " $1 " seen " c[$1] + 0 " times" }
	     END { exit bad > 0 }' "$2" "$1"
}

# intersect A B: lines in both (busybox has no comm(1))
intersect() {
	awk 'NR == FNR { a[$1] = 1; next } a[$1]' "$1" "$2"
}

# no_dups DUMP: no tid twice
no_dups() {
	[ -z "$(tids "$1" | sort | uniq -d | head -5)" ]
}

ls /proc/$tp/task | sort > /tmp/before
t0=$(date +%s)
cat /proc/kscope/tasks > /tmp/whole
t1=$(date +%s)
"$KTEST" read /proc/kscope/tasks 1 > /tmp/bytes
t2=$(date +%s)
ls /proc/$tp/task | sort > /tmp/after
diag "whole read $((t1 - t0)) s, 1-byte reads $((t2 - t1)) s, $(wc -c < /tmp/whole) bytes"

intersect /tmp/before /tmp/after > /tmp/stable
check_eq "all threads of the process lived through both reads" \
	"$(wc -l < /tmp/before) $(wc -l < /tmp/stable)" "$((N + 1)) $((N + 1))"
tids /tmp/whole | appears_once /tmp/stable - > /tmp/why
check "whole read: every live thread exactly once" [ ! -s /tmp/why ]
cat /tmp/why
tids /tmp/bytes | appears_once /tmp/stable - > /tmp/why
check "1-byte reads: every live thread exactly once" [ ! -s /tmp/why ]
cat /tmp/why
check "whole read: no thread twice" no_dups /tmp/whole
check "1-byte reads: no thread twice" no_dups /tmp/bytes
check "same header either way" [ "$(head -1 /tmp/whole)" = "$(head -1 /tmp/bytes)" ]
# the sleeping threads do not change: their lines must be byte-identical
awk -v p=$tp 'NR > 1 && $2 == p' /tmp/whole > /tmp/w.p
awk -v p=$tp 'NR > 1 && $2 == p' /tmp/bytes > /tmp/b.p
check "the sleepers' $((N + 1)) lines are identical in both reads" \
	sh -c "cmp -s /tmp/w.p /tmp/b.p && [ \$(wc -l < /tmp/w.p) -eq $((N + 1)) ]"
check "the sleepers show S with LOAD 0" \
	[ "$(awk '$4 != "S" || $5 != 0' /tmp/w.p | wc -l)" -eq 0 ]
# shellcheck disable=SC2016 # awk's program
check "lines are in thread-id order" \
	awk 'NR > 1 { if ($1 + 0 <= last) exit 1; last = $1 + 0 }' /tmp/whole

# reads of odd sizes while threads are created and reaped
"$KTEST" churn 15 > /tmp/churn.out &
cp=$!
sleep 1
fail=0
for bs in 7 100 4095 65536; do
	ls /proc/$tp/task | sort > /tmp/before
	"$KTEST" read /proc/kscope/tasks $bs > /tmp/churned || fail=1
	ls /proc/$tp/task | sort > /tmp/after
	intersect /tmp/before /tmp/after > /tmp/stable
	# the sleepers must all be there, or the check below would be empty
	[ "$(wc -l < /tmp/stable)" -eq $((N + 1)) ] ||
		{ fail=1; diag "only $(wc -l < /tmp/stable) stable threads"; }
	tids /tmp/churned | appears_once /tmp/stable - > /tmp/why || { fail=1; cat /tmp/why; }
	no_dups /tmp/churned || { fail=1; diag "duplicates with $bs-byte reads"; }
done
wait $cp
diag "$(cat /tmp/churn.out)"
check "under churn: every live thread once, none twice (reads of 7, 100, 4095, 65536 bytes)" [ $fail -eq 0 ]

kill $tp
wait $tp 2>/dev/null
kscope_unload
finish

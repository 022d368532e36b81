# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# /proc/kscope/hung and hung_history, with tasks put to sleep in D and I
# by kscope's injectors: the letter against /proc/<pid>/stat, the
# blocked time against a clock stamp taken right before the sleep, the
# load average's list, khungtaskd's own verdict (its trace event, where
# the kernel has tracing), and every errno of the writable files.
. ./lib.sh

kscope_load hung_period_ms=200 || { not_ok "insmod"; finish; }
H=/proc/kscope/hung
SS=/proc/sys/kernel/sched_schedstats
ss_saved=$(cat $SS)

# hrow PID: PID's row in hung: "PID TGID RAW BLOCKED_MS SOURCE KHUNG COMM"
hrow() {
	awk -v p="$1" 'l && $1 == p { print; exit } $1 == "PID" { l = 1 }' $H
}

# hist PID: PID's newest row in hung_history
hist() {
	awk -v p="$1" 'l && $2 == p { print; exit } $1 == "SINCE_S" { l = 1 }' /proc/kscope/hung_history
}

# sleep_d MS STAMP: sleep in D through the injector, in the background;
# sets $bp
sleep_d() {
	rm -f "$2"
	"$KTEST" stampwrite "$2" /proc/kscope/inject/sleep_d "$1" > "$2.out" &
	bp=$!
	wait_for [ -s "$2" ]
	wait_state $bp D
}

in_hung() {
	[ -n "$(hrow "$1")" ]
}

check_eq "threshold follows the kernel's hung_task_timeout_secs" \
	"$(field $H threshold_ms)" \
	"$(($(cat /proc/sys/kernel/hung_task_timeout_secs) * 1000)) (kernel.hung_task_timeout_secs)"
check_eq "set threshold_ms=1000" "$(kwrite $H threshold_ms=1000)" "ok"

# ---- a task in D past the threshold, schedstats off: the scanner's time
echo 0 > $SS
crossed0=$(field $H crossed)
sleep_d 8000 /tmp/d1
check_eq "sleep_d: /proc says D" "$(state_of $bp)" "D"
check "it is listed once past 1000 ms" wait_for in_hung $bp
row=$(hrow $bp)
check_eq "its row: tgid, raw state TASK_UNINTERRUPTIBLE, comm" \
	"$(echo "$row" | awk '{ print $2, $3, $7 }')" "$bp 0x00000002 ktest"
check_eq "schedstats off: the time comes from kscope's scans" \
	"$(echo "$row" | awk '{ print $5 }')" "scan"
# a scan's first sighting is at most one period (200 ms) late
t0=$(stamp_ms /tmp/d1)
lo=$(($(uptime_ms) - t0))
got=$(hrow $bp | awk '{ print $4 }')
hi=$(($(uptime_ms) - t0 + 10))
check "blocked ${got} ms, elapsed ${lo}-${hi} ms, within one period" \
	[ "$got" -ge $((lo - 200 - 50)) -a "$got" -le $((hi + 50)) ]
check "loadavg lists it as uninterruptible" \
	sh -c "awk '\$1 == $bp && \$3 == \"D\"' /proc/kscope/loadavg | grep -q ."
check_eq "khungtaskd would not report it yet (timeout $(cat /proc/sys/kernel/hung_task_timeout_secs) s)" \
	"$(echo "$row" | awk '{ print $6 }')" "no"
wait $bp
check_eq "the sleep ends, the write returns" "$(cat /tmp/d1.out)" "ok"
check "it leaves the list" wait_for sh -c "! awk -v p=$bp '\$1 == p' $H | grep -q ."
check_eq "the crossing was counted" "$(field $H crossed)" "$((crossed0 + 1))"
h=$(hist $bp)
check_eq "history keeps it after it woke: ended, comm" \
	"$(echo "$h" | awk '{ print $3, $5, $6 }')" "$bp yes ktest"
bl=$(echo "$h" | awk '{ print $4 }')
# the longest time a scan saw: the last scan before the wake may come
# late on a slow kernel (workqueue latency), and an 8 s timeout fires
# up to 64 jiffies (256 ms at HZ=250) late, as the timer wheel rounds
check "history: blocked ${bl} ms of the 8000 slept, as last seen by a scan" \
	[ "$bl" -ge $((8000 - 1000)) -a "$bl" -le $((8000 + 400)) ]
since=$(echo "$h" | awk '{ printf "%d\n", $1 * 1000 }')
check "history: blocked since ${since} ms, the stamp says ${t0} ms" \
	[ $((since - t0)) -le 1000 -a $((t0 - since)) -le 50 ]

# ---- schedstats on: the scheduler's own block_start, exact
echo 1 > $SS
sleep_d 8000 /tmp/d2
wait_for in_hung $bp
check_eq "schedstats on: the time comes from block_start" \
	"$(hrow $bp | awk '{ print $5 }')" "block_start"
check_age "schedstats on: blocked since the stamp" "$(stamp_ms /tmp/d2)" \
	sh -c "awk -v p=$bp 'l && \$1 == p { print \$4 * 1000000 } \$1 == \"PID\" { l = 1 }' $H"
wait $bp

# ---- below the threshold: never listed, never counted
check_eq "set threshold_ms=10000" "$(kwrite $H threshold_ms=10000)" "ok"
crossed0=$(field $H crossed)
sleep_d 2000 /tmp/d3
seen=0
while [ "$(state_of $bp)" = D ]; do
	in_hung $bp && seen=1
	sleep 0.2
done
wait $bp
check_eq "2 s in D under a 10 s threshold: not listed, not counted" \
	"$seen $(field $H crossed)" "0 $crossed0"

# ---- idle and killable sleeps are never hung, whatever the threshold
check_eq "set threshold_ms=0: every hung candidate" "$(kwrite $H threshold_ms=0)" "ok"
rm -f /tmp/i1
"$KTEST" stampwrite /tmp/i1 /proc/kscope/inject/sleep_i 8000 > /dev/null &
ip=$!
wait_state $ip I
"$KTEST" vfork 8 > /dev/null &
vp=$!
wait_state $vp D
sleep 1
check_eq "sleep_i: /proc says I; a vfork parent: D" "$(state_of $ip) $(state_of $vp)" "I D"
check_eq "neither is hung (idle; killable)" "$(hrow $ip)$(hrow $vp)" ""
check "sleep_i does not count in the load average" \
	sh -c "! awk '\$1 == $ip' /proc/kscope/loadavg | grep -q ."
wait $ip $vp

# ---- khungtaskd's verdict: its timeout at 2 s, its warnings used up so
# that it reports to nothing but the trace event sched_process_hang
echo 0 > /proc/sys/kernel/hung_task_warnings
echo 2 > /proc/sys/kernel/hung_task_timeout_secs
T=/sys/kernel/tracing
[ -d $T/events ] || mount -t tracefs nodev $T 2>/dev/null
tracing=0
if [ -d $T/events/sched/sched_process_hang ]; then
	echo > $T/trace
	echo 1 > $T/events/sched/sched_process_hang/enable
	tracing=1
fi
check_eq "threshold_ms=kernel follows the new timeout" \
	"$(kwrite $H threshold_ms=kernel) $(field $H threshold_ms)" \
	"ok 2000 (kernel.hung_task_timeout_secs)"
sleep_d 8000 /tmp/d4
sleep 6
check_eq "after 6 s: khungtaskd (scanning every 2 s) would report it" \
	"$(hrow $bp | awk '{ print $6 }')" "yes"
if [ $tracing = 1 ]; then
	check "and it did: its sched_process_hang event names the pid" \
		grep -q "sched_process_hang: comm=ktest pid=$bp" $T/trace
	echo 0 > $T/events/sched/sched_process_hang/enable
else
	skip "and it did: its sched_process_hang event names the pid" \
		"no tracefs sched_process_hang event on this kernel"
fi
echo 120 > /proc/sys/kernel/hung_task_timeout_secs
echo 10 > /proc/sys/kernel/hung_task_warnings
wait $bp

# ---- kernel stacks: root sees them, others do not
kwrite $H threshold_ms=1000 > /dev/null
sleep_d 8000 /tmp/d5
wait_for in_hung $bp
# stack lines: "    function+0xoff/0xsize [module]", or why there are none
stack=$(awk -v p=$bp 'l && $1 == p { s = 1; next } s && /^    [a-z_]/ { print; next } { s = 0 } $1 == "PID" { l = 1 }' $H)
echo "$stack" | sed 's/^/# /'
check "root sees its stack, through kscope's injector, or why not" \
	sh -c "echo '$stack' | grep -q '\[kscope\]\|stack unavailable\|ptrace_may_access() unknown ('"
check_eq "an unprivileged reader sees no stack" \
	"$("$KTEST" runas 65534 cat $H | awk '/^    [a-z_]/' | wc -l)" "0"
wait $bp

# ---- writes: every error, nothing half-applied
check_eq "threshold_ms=abc: EINVAL" "$(kwrite $H threshold_ms=abc)" "EINVAL"
check_eq "bogus=1: EINVAL" "$(kwrite $H bogus=1)" "EINVAL"
check_eq "threshold_ms: EINVAL" "$(kwrite $H threshold_ms)" "EINVAL"
check_eq "threshold_ms=86400001: ERANGE" "$(kwrite $H threshold_ms=86400001)" "ERANGE"
check_eq "threshold_ms=99999999999: ERANGE" "$(kwrite $H threshold_ms=99999999999)" "ERANGE"
check_eq "period_ms=5: ERANGE" "$(kwrite $H period_ms=5)" "ERANGE"
check_eq "threshold_ms=5000 period_ms=5: ERANGE" \
	"$(kwrite $H 'threshold_ms=5000 period_ms=5')" "ERANGE"
check_eq "... and the threshold is unchanged" "$(field $H threshold_ms)" "1000 (set)"
check_eq "non-root write: EPERM" "$("$KTEST" runas 65534 "$KTEST" write $H threshold_ms=1)" "EPERM"
check "the refusal is in dmesg" sh -c "dmesg | grep -q 'hung: open for writing by uid 65534 refused'"
check_eq "period_ms=0 stops the scanner" \
	"$(kwrite $H period_ms=0) $(field $H period_ms)" "ok 0 (scanner stopped)"
check_eq "period_ms=100 restarts it" "$(kwrite $H period_ms=100) $(field $H period_ms)" "ok 100"
S=/proc/kscope/inject/sleep_d
check_eq "sleep_d abc: EINVAL" "$(kwrite $S abc)" "EINVAL"
check_eq "sleep_d 0: ERANGE" "$(kwrite $S 0)" "ERANGE"
check_eq "sleep_d 600001: ERANGE" "$(kwrite $S 600001)" "ERANGE"
check_eq "sleep_d -5: EINVAL" "$(kwrite $S -5)" "EINVAL"
check_eq "sleep_d by non-root: EPERM" "$("$KTEST" runas 65534 "$KTEST" write $S 10)" "EPERM"
check_eq "sleep_i by non-root: EPERM" \
	"$("$KTEST" runas 65534 "$KTEST" write /proc/kscope/inject/sleep_i 10)" "EPERM"

# ---- unload while tasks sleep in both injectors: they are woken
sleep_d 60000 /tmp/d6
dp=$bp
"$KTEST" write /proc/kscope/inject/sleep_i 60000 > /tmp/i6.out &
ip=$!
wait_state $ip I
t0=$(uptime_ms)
rmmod kscope
rc=$?
t1=$(uptime_ms)
wait $dp $ip
check_eq "rmmod with two sleepers succeeds" "$rc" "0"
check "... at once ($((t1 - t0)) ms), not after their 60 s" [ $((t1 - t0)) -lt 5000 ]
check_eq "their writes fail with ECANCELED" "$(cat /tmp/d6.out) $(cat /tmp/i6.out)" \
	"ECANCELED ECANCELED"

echo "$ss_saved" > $SS
finish

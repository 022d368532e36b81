# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# /proc/kscope/loadavg against /proc/loadavg and /proc/<pid>/stat read
# in the same moment: the load averages, the runnable and thread counts,
# tasks blocked in D that count (vfork parents), TASK_IDLE kernel
# threads that do not, and tasks another pid namespace cannot see.
. ./lib.sh

kscope_load || { not_ok "insmod"; finish; }

# kval NAME [FILE]: a "name: value" line of loadavg
kval() {
	awk -v n="$1:" '$1 == n { print $2; exit }' "${2:-/proc/kscope/loadavg}"
}

# the listed tasks of FILE: "pid tgid state blocked_ns comm source..."
klist() {
	awk 'p && $1 ~ /^[0-9]+$/; $1 == "PID" { p = 1 }' "$1"
}

# loads: kscope's three values against /proc/loadavg's first three, and
# each against its raw avenrun[] value printed the way fs/proc/loadavg.c
# does. A 5 s sample may fall between the two reads: try twice.
loads() {
	for _ in 1 2; do
		cat /proc/kscope/loadavg > /tmp/la
		p=$(cut -d' ' -f1-3 /proc/loadavg)
		k="$(kval load1 /tmp/la) $(kval load5 /tmp/la) $(kval load15 /tmp/la)"
		[ "$k" = "$p" ] && break
	done
	check_eq "$1: load1 load5 load15 equal /proc/loadavg's ($p)" "$k" "$p"
	check_eq "$1: each is its raw value + FIXED_1/200, to two decimals truncated" \
		"$(awk '$1 ~ /^load(1|5|15)_raw:$/ {
			r = $2 + 10; printf "%s%d.%02d", s, int(r / 2048), int((r % 2048) * 100 / 2048); s = " " }' /tmp/la)" "$k"
}

loads "at start"
check_eq "fixed_1 is 2048" "$(kval fixed_1)" 2048

# what /proc/loadavg says about running tasks and threads, against
# kscope read in between. Either count can fall as well as rise between
# the two reads (threads just started settle to sleep), so kscope must
# lie between the lower and the higher of them; the readers themselves
# come and go, so allow a difference of 2 in running tasks and 5 in
# threads. kscope's walk is not one instant: it counts each task as it
# was when the walk passed it, and a reader preempted in the walk
# (PREEMPT_RT, three spinners on two CPUs) counts tasks that woke
# meanwhile too (once 7 against 4 and 4). So a read is retried, up to
# five times, for a quiet moment; a count that is wrong stays wrong in
# every one
# shellcheck disable=SC2317,SC2046 # called through check; set -- splits
counts_once() {
	set -- $(awk '{ split($4, a, "/"); print a[1], a[2] }' /proc/loadavg)
	b_run=$1; b_thr=$2
	cat /proc/kscope/loadavg > /tmp/la
	set -- $(awk '{ split($4, a, "/"); print a[1], a[2] }' /proc/loadavg)
	a_run=$1; a_thr=$2
	k_run=$(kval runnable /tmp/la)
	k_thr=$(kval tasks /tmp/la)
	diag "runnable $k_run (/proc/loadavg $b_run, $a_run); tasks $k_thr (/proc/loadavg $b_thr, $a_thr)"
	[ "$k_run" -ge 1 ] &&
		[ "$k_run" -ge $(((b_run < a_run ? b_run : a_run) - 2)) ] &&
		[ "$k_run" -le $(((b_run > a_run ? b_run : a_run) + 2)) ] &&
		[ "$k_thr" -ge $(((b_thr < a_thr ? b_thr : a_thr) - 5)) ] &&
		[ "$k_thr" -le $(((b_thr > a_thr ? b_thr : a_thr) + 5)) ]
}

# shellcheck disable=SC2317 # called through check
counts() {
	for _ in 1 2 3 4 5; do
		counts_once && return 0
	done
	return 1
}

check "runnable and tasks agree with /proc/loadavg's 4th field (idle)" counts

# three CPU-bound shells: three more runnable tasks on both sides
for i in 1 2 3; do
	sh -c 'while :; do :; done' &
	spin="$spin $!"
done
sleep 0.5
check "runnable and tasks agree with /proc/loadavg's 4th field (3 spinning)" counts
check "runnable counts the 3 spinning shells ($k_run)" [ "$k_run" -ge 4 ]
kill "$spin"
wait "$spin" 2>/dev/null

# more threads than one RCU batch of the walk (256): the walk resumes
# where each batch stopped, each thread once
rm -f /tmp/thr
"$KTEST" threads 600 > /tmp/thr &
thr=$!
i=0
while ! grep -q ready /tmp/thr 2>/dev/null && [ $i -lt 600 ]; do
	i=$((i + 1))
	sleep 0.1
done
check "600 threads more: tasks agree with /proc/loadavg's thread count" counts
kill $thr
wait $thr 2>/dev/null

# sum: every task is in exactly one class
cat /proc/kscope/loadavg > /tmp/la
check_eq "counting + not_counting = tasks, and each is the sum of its classes" \
	"$(($(kval counting /tmp/la) + $(kval not_counting /tmp/la))) $(($(kval runnable /tmp/la) + $(kval uninterruptible /tmp/la))) $(($(kval not_counting_idle /tmp/la) + $(kval not_counting_blocked /tmp/la) + $(kval not_counting_sleeping /tmp/la) + $(kval not_counting_other /tmp/la)))" \
	"$(kval tasks /tmp/la) $(kval counting /tmp/la) $(kval not_counting /tmp/la)"

# TASK_IDLE kernel threads (kworkers and the like, I in /proc) do not
# count: kscope's idle class is /proc's number of I threads, read before
# and after, and none of them is listed
icount() {
	cat /proc/[0-9]*/task/[0-9]*/stat 2>/dev/null | sed 's/.*) //' | grep -c '^I '
}
ib=$(icount)
cat /proc/kscope/loadavg > /tmp/la
ia=$(icount)
ki=$(kval not_counting_idle /tmp/la)
diag "I threads: /proc $ib then $ia, kscope $ki"
# a kworker may wake between the reads: kscope within 1 of either side
# shellcheck disable=SC2317 # called through check or wait_for
idle_ok() {
	[ "$ki" -gt 0 ] && [ "$ki" -ge $((ib < ia ? ib - 1 : ia - 1)) ] &&
		[ "$ki" -le $((ib > ia ? ib + 1 : ia + 1)) ]
}
check "TASK_IDLE threads exist and are all not counting ($ki; /proc: $ib, $ia)" idle_ok
check_eq "no listed task is I" "$(klist /tmp/la | awk '$3 == "I"' | wc -l)" 0

# Tasks in D that count: vfork parents wait killable, uninterruptibly.
# With schedstats on, the time blocked is known.
ss=/proc/sys/kernel/sched_schedstats
ss_was=$(cat $ss 2>/dev/null)
[ -w $ss ] && echo 1 > $ss
base=$(kval uninterruptible)
N=3
pids=
for i in $(seq $N); do
	"$KTEST" vfork 120 > /dev/null &
	pids="$pids $!"
done
for p in $pids; do
	wait_state "$p" D || not_ok "vfork parent $p never showed D in /proc"
done
# shellcheck disable=SC2086 # the pids, one space apart
want=$(echo $pids | tr ' ' '\n' | sort -n | tr '\n' ' ')
sleep 1.2
# another task may pass through D for a moment: look up to 5 times
for _ in 1 2 3 4 5; do
	cat /proc/kscope/loadavg > /tmp/la
	got=$(klist /tmp/la | awk '$5 == "ktest" { print $1 }' | sort -n | tr '\n' ' ')
	[ $(($(kval uninterruptible /tmp/la) - base)) -eq $N ] && [ "$got" = "$want" ] && break
	sleep 0.2
done
check_eq "uninterruptible rises by $N" $(($(kval uninterruptible /tmp/la) - base)) $N
check_eq "the list holds exactly the $N vfork parents, comm ktest" "$got" "$want"
check_eq "each listed: tgid = pid, state D, and /proc/<pid>/stat says D" \
	"$(for p in $pids; do klist /tmp/la | awk -v p="$p" '$1 == p { print $2 == p, $3 }'; state_of "$p"; done | tr '\n' ' ')" \
	"$(for p in $pids; do echo "1 D"; echo D; done | tr '\n' ' ')"
check_eq "listed in pid order" "$(klist /tmp/la | awk '{ print $1 }' | tr '\n' ' ')" \
	"$(klist /tmp/la | awk '{ print $1 }' | sort -n | tr '\n' ' ')"
if [ -w $ss ]; then
	# blocked between 1.2 s (slept above) and the test's age so far
	check_eq "schedstats on: blocked_ns from block_start, at least 1.2 s, under 300 s" \
		"$(klist /tmp/la | awk '$5 == "ktest" { print ($4 >= 1200000000 && $4 < 300000000000), $6 }' | sort -u)" \
		"1 block_start"
	echo 0 > $ss
	check_eq "schedstats off: blocked_ns unknown, and why" \
		"$(klist /proc/kscope/loadavg | awk '$5 == "ktest" { x = $4; sub(/.* ktest +/, ""); print x, $0 }' | sort -u)" \
		"unknown schedstats off"
	echo "$ss_was" > $ss
else
	skip "schedstats on and off: blocked_ns from block_start, or unknown and why" \
		"$ss is not writable"
fi

# from a new pid namespace the vfork parents are not visible: counted,
# not listed
if unshare -p -f --mount-proc sh -c 'cat /proc/kscope/loadavg' > /tmp/lans 2>/dev/null; then
	# shellcheck disable=SC2317 # called through check or wait_for
	hidden_ok() {
		[ "$(kval uninterruptible /tmp/lans)" -ge "$N" ] &&
			[ "$(kval uninterruptible_hidden /tmp/lans)" -ge "$N" ] &&
			[ "$(klist /tmp/lans | awk '$5 == "ktest"' | wc -l)" -eq 0 ]
	}
	check "other pid namespace: the $N D tasks are counted, hidden, not listed" hidden_ok
	check "other pid namespace: hidden ($(kval hidden /tmp/lans)) is all but the few tasks it holds" \
		[ $(($(kval tasks /tmp/lans) - $(kval hidden /tmp/lans))) -le 3 ]
else
	skip "other pid namespace: the $N D tasks counted, hidden, not listed" "unshare -p failed"
fi

# loads move off 0.00 after a sample with N tasks in D
sleep 5
loads "with $N tasks in D"

# release: the parents die; their vfork children, left alone, too
for p in $pids; do
	kill -9 "$p"
	wait "$p" 2>/dev/null
done
# shellcheck disable=SC2013 # pids, one a line
for c in $(awk -v l=" $pids " '{ sub(/.*\) /, ""); if (index(l, " " $2 " ")) print FILENAME }' /proc/[0-9]*/stat 2>/dev/null); do
	c=${c#/proc/}
	kill -9 "${c%/stat}" 2>/dev/null
done
for _ in 1 2 3 4 5; do
	cat /proc/kscope/loadavg > /tmp/la
	left=$(klist /tmp/la | awk '$5 == "ktest"' | wc -l)
	[ "$left" -eq 0 ] && [ "$(kval uninterruptible /tmp/la)" -eq "$base" ] && break
	sleep 0.2
done
check_eq "released: the list leaves them" "$left" 0
check_eq "released: uninterruptible back to $base" "$(kval uninterruptible /tmp/la)" "$base"

kscope_unload
finish

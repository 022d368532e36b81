# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Unload safety: KSCOPE_CYCLES (default 100) load/unload cycles, each
# unloading while readers hold files open mid-read, readers read in a
# loop, a task sleeps in sleep_d, the hung scanner runs, and UDP floods
# through armed netfilter rules, one of them with work queued and pages
# leaked. Every rmmod must return (within 60 s), every sleeper's write
# fail with ECANCELED, every held read fail with EIO, every reader get
# data or ENOENT/EIO; the VM runner catches splats and kmemleak reports.
. ./lib.sh

N=${KSCOPE_CYCLES:-100}
KS="$KSCOPE_DIR/kstress"
P=/proc/kscope
out=/tmp/unload
mkdir -p $out

ip link set lo up
# the load runs at nice 19: with two CPUs it would otherwise starve the
# kernel's own threads (RCU's among them) for seconds under emulation
"$KTEST" udprecv 5000 5555 > $out/recv &
recv=$!
"$KTEST" udpflood 127.0.0.1 5555 $((N * 5000)) > $out/flood &
flood=$!
"$KS" read $((N * 5)) unload > $out/reader 2>&1 &
reader=$!
renice -n 19 -p $flood $reader > /dev/null

# kscope takes no reference on itself, and nothing it calls may take
# one either, or an rmmod in that window is refused with EAGAIN (as
# get_random_once() did, until its work item ran). The kernel's
# module_get events for kscope, traced from each insmod to its rmmod,
# must be none; a refused rmmod shows them.
T=/sys/kernel/tracing
[ -d $T/events ] || mount -t tracefs nodev $T 2>/dev/null
traced=
if [ -w $T/events/module/module_get/filter ]; then
	for e in module_get module_put; do
		echo 'name == "kscope"' > $T/events/module/$e/filter
		echo 1 > $T/events/module/$e/enable
	done
	echo 1 > $T/tracing_on
	traced=1
fi

cycles=0
gets=0
get_sites=
stuck=0
refused=0
canceled=0
eio=0
held=0
max_ms=0
for i in $(seq "$N"); do
	[ -n "$traced" ] && : > $T/trace
	kscope_load || { not_ok "insmod in cycle $i"; break; }
	echo $$ > $P/watch
	mine=$(kdir $$)
	mine=${mine#"$P"/}
	echo "threshold_ms=0 period_ms=20" > $P/hung
	if [ -e $P/netfilter/rules ]; then
		echo "proto=udp dport=5555 action=count" > $P/netfilter/rules
		echo "proto=udp dport=5555 action=leak pages=1 context=work budget=64" > $P/netfilter/rules
		echo "proto=udp dport=5555 action=delay us=100 budget=1000" > $P/netfilter/rules
	fi
	"$KTEST" write $P/inject/sleep_d 60000 > $out/sleeper &
	sleeper=$!
	rm -f $out/go
	hp=
	first=$held
	for f in tasks hung loadavg "$mine"/state "$mine"/sched all/sched netfilter/rules; do
		[ -e $P/"$f" ] || continue
		"$KTEST" hold $P/"$f" $out/go > $out/hold.$held &
		hp="$hp $!"
		held=$((held + 1))
	done
	for h in $(seq $first $((held - 1))); do
		wait_for grep -qs opened $out/hold."$h"
	done
	wait_for grep -q '^sleepers: [1-9]' $P/inject/sleep_d
	t0=$(uptime_ms)
	rmmod kscope &
	rm_pid=$!
	w=0
	while kill -0 $rm_pid 2>/dev/null && [ $w -lt 600 ]; do
		sleep 0.1
		w=$((w + 1))
	done
	if kill -0 $rm_pid 2>/dev/null; then
		stuck=$((stuck + 1))
		diag "cycle $i: rmmod still running after 60 s"
		break
	fi
	if ! wait $rm_pid; then
		# kscope takes no reference on itself: show what
		# /proc/modules says of it (references, users, state),
		# then unload it to go on, and say whether that worked
		refused=$((refused + 1))
		diag "cycle $i: rmmod refused: $(grep '^kscope ' /proc/modules)"
		if [ -n "$traced" ]; then
			diag "cycle $i: references taken and dropped since insmod ($(grep -vc '^#' $T/trace)):"
			grep -v '^#' $T/trace | tail -n 20 | while read -r l; do diag "  $l"; done
		fi
		if wait_for rmmod kscope 2> /dev/null; then
			diag "cycle $i: rmmod succeeded once retried"
		else
			diag "cycle $i: rmmod still refused after 60 s"
			break
		fi
	fi
	if [ -n "$traced" ]; then
		n=$(grep -c ' module_get: ' $T/trace)
		gets=$((gets + n))
		[ "$n" -gt 0 ] && get_sites="$get_sites $(awk '/ module_get: / { for (f = 1; f <= NF; f++) if ($f ~ /^call_site=/) print substr($f, 11) }' $T/trace | sort -u | tr '\n' ' ')"
	fi
	ms=$(($(uptime_ms) - t0))
	[ $ms -gt $max_ms ] && max_ms=$ms
	touch $out/go
	for p in $hp; do
		wait "$p"
	done
	wait $sleeper
	[ "$(cat $out/sleeper)" = ECANCELED ] && canceled=$((canceled + 1))
	cycles=$i
done
if [ -n "$traced" ]; then
	for e in module_get module_put; do
		echo 0 > $T/events/module/$e/enable
		echo 0 > $T/events/module/$e/filter
	done
fi
if [ -n "$traced" ]; then
	check_eq "no reference taken on kscope while loaded (module_get events)" \
		"$gets$get_sites" 0
else
	skip "no reference taken on kscope while loaded" "no module events in tracefs"
fi
eio=$(cat $out/hold.* | grep -c '^read EIO$')
check_eq "$cycles load/unload cycles under load; no rmmod stuck or refused" \
	"$cycles/$stuck/$refused" "$N/0/0"
check "longest rmmod: $max_ms ms" [ $max_ms -lt 60000 ]
check_eq "every sleeper in sleep_d woken by rmmod: ECANCELED" "$canceled" "$N"
check_eq "every read of a file held open across rmmod: EIO" "$eio" "$held"
kill $reader 2>/dev/null
wait $reader
check "the reader looping meanwhile got data or ENOENT/EIO: $(tail -n 1 $out/reader)" \
	sh -c "tail -n 1 $out/reader | grep -q ', 0 wrong$'"
kill $flood
wait $flood
wait $recv
diag "UDP datagrams received through the hook during the cycles: $(grep 5555 $out/recv)"
check "kscope is gone" [ ! -e $P ]
finish

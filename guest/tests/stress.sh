# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# The stress test (`make stress`, and a stage of `make test` on the debug
# kernel): for KSCOPE_STRESS_SECS (default 60) seconds, all at once,
#   - readers read every file under /proc/kscope in a loop, whole and in
#     small reads, the per-pid files of watched tasks included;
#   - a fork/exec/exit storm and thread create/exit churn;
#   - cgroup create/migrate/destroy churn of a watched process with
#     threads, whose per-task files the readers read;
#   - watch and unwatch of pids that are exiting;
#   - netfilter rules added and deleted while UDP floods through lo;
#   - the sleep_d, sleep_i and memcg_charge injectors.
# Each worker is one test line with its figures: it fails on an errno
# its file does not document. The VM runner fails the run on any splat
# and, on the debug kernel, on a kmemleak report after the rmmod here.
. ./lib.sh

S=${KSCOPE_STRESS_SECS:-60}
KS="$KSCOPE_DIR/kstress"
R=${NR_READERS:-4}
out=/tmp/stress
mkdir -p $out

kscope_load || { not_ok "insmod"; finish; }
ip link set lo up

# a process with threads, watched, that the cgroup worker migrates
"$KTEST" threads 8 > $out/target &
target=$!
wait_for grep -q ready $out/target
echo $target > /proc/kscope/watch
echo "threshold_ms=0 period_ms=100" > /proc/kscope/hung

# What the kernel counted of the floods' datagrams, by other means than
# kscope: UDP input (delivered, no port or receive errors, as
# /proc/net/snmp counts them), and the drops of the backlog queue that
# loopback packets wait in before the IP layer (/proc/net/softnet_stat's
# second column, per CPU, hex). kscope's hook runs between the two. No
# rule of the rules worker drops a datagram to 5555; one drops to 5556.
backlog_drops() {
	_n=0
	while read -r _ _d _; do
		_n=$((_n + 0x$_d))
	done < /proc/net/softnet_stat
	echo $_n
}
u0=$(udp_in)
b0=$(backlog_drops)

# the receiver gives up after 10 s without a datagram: the niced floods
# can be starved for seconds on the debug kernel
"$KTEST" udprecv 10000 5555 5556 > $out/recv &
# the floods (started last, below) run at nice 19: under emulation they
# would otherwise starve the kernel's own threads, RCU's among them
recv=$!
sleep 1
diag "running for $S s: $R readers and every worker at once"
pids=
for i in $(seq "$R"); do
	"$KS" read "$S" > $out/read."$i" 2>&1 &
	pids="$pids $!"
done
for w in forkexec watch rules inject; do
	"$KS" $w "$S" > $out/$w 2>&1 &
	pids="$pids $!"
done
"$KS" cgroup "$S" $target > $out/cgroup 2>&1 &
pids="$pids $!"
"$KTEST" churn "$S" > $out/churn 2>&1 &
pids="$pids $!"
"$KTEST" udpflood 127.0.0.1 5555 $((S * 1000)) > $out/flood1 &
f1=$!
"$KTEST" udpflood 127.0.0.1 5556 $((S * 1000)) > $out/flood2 &
f2=$!
renice -n 19 -p $f1 $f2 > /dev/null
pids="$pids $f1 $f2"

for p in $pids; do
	wait "$p"
done
wait $recv

# one line per worker, with what it did
for f in "$out"/read.* $out/forkexec $out/watch $out/cgroup $out/rules $out/inject; do
	line=$(tail -n 1 "$f")
	case $line in
	*", 0 wrong") ok "$line" ;;
	*) not_ok "$(basename "$f"): ${line:-no report}"; cat "$f" ;;
	esac
done
check "thread churn: $(cat $out/churn)" grep -q '^churned [1-9]' $out/churn
sent1=$(awk '{ print $2 }' $out/flood1)
sent=$((sent1 + $(awk '{ print $2 }' $out/flood2)))
seen=$(($(udp_in) - u0 + $(backlog_drops) - b0))
diag "received by the receiver: $(grep -v ready $out/recv | tr "\n" " ")"
# none lost in the hook but to 5556's drop rule
# shellcheck disable=SC2317 # called through check
none_lost() {
	[ "$sent1" -gt 0 ] && [ "$seen" -ge "$sent1" ] && [ "$seen" -le "$sent" ]
}
check "packets through the hook while rules changed: $sent sent, $sent1 of them to 5555; UDP input and backlog drops: $seen, at least the datagrams to 5555 and at most all" \
	none_lost

reads=$(cat $out/read.* | awk '{ n += $2 } END { print n }')
diag "figures: $S s, $reads reads, $(awk '{ print $2 }' $out/forkexec) fork/exec/exit, $(awk '{ print $2 }' $out/churn) threads, $(awk '{ print $2 }' $out/cgroup) cgroup moves, $(awk '{ print $2 }' $out/watch) watch/unwatch, $(awk '{ print $2 }' $out/rules) rule changes, $(awk '{ print $2 }' $out/inject) injections, $sent packets"
kill -9 $target
wait $target 2>/dev/null
check "rmmod after the stress" kscope_unload
finish

# SPDX-License-Identifier: GPL-2.0
#
# kscope against the tools a kernel engineer would reach for to get the
# kernel's own view: bpftrace (an iter:task program, BTF, no debuginfo)
# and drgn (Python over /proc/kcore with the kernel's debuginfo), both
# run from the host's / over 9p (chroot /host). Run by busybox sh in the
# VM scripts/bench boots, after bench.sh; one line per measurement on
# the result channel:
#
#   meta KEY VALUE...
#   peer missing TOOL REASON...                 a peer that cannot run
#   peers N NS...                               one round: the commands
#                                               of peers_cmds, in order
#   peercheck N WHAT TOOL ok|differs LINES      the peer's answer against
#                                               kscope's, same threads
#
# The programs are in peers/: tasks.bt, tasks.py (every thread's tid,
# state letter and comm), hung.bt, hung.py (kernel/hung_task.c's rule),
# loadavg.bt (the tasks the next load sample counts). Three tasks sleep
# in D for the whole run (/proc/kscope/inject/sleep_d) with schedstats on,
# so that every tool has hung tasks to find and block_start to time them.
#
# Environment: BENCH_SIZES (total threads, ascending), BENCH_PEER_REPS
# (rounds, default 3), BENCH_VMLINUX (drgn's vmlinux in the host's /).

cd "$(dirname "$0")" || exit 1
# shellcheck source=guest/bench/lib.sh
. ./lib.sh
REPS=${BENCH_PEER_REPS:-3}
VMLINUX=${BENCH_VMLINUX:-}
P=/tmp/peers
HUNG_MS=1000
CH="/bin/busybox chroot /host"
BT="$CH /usr/bin/bpftrace"
DRGN="$CH /usr/bin/drgn -q --no-default-symbols -s $VMLINUX"

say() { echo "# peers: $*"; }

# bpftrace's maps hold locked memory; its iterators need tracefs and
# bpffs where it looks for them, in the host's tree it runs in
# shellcheck disable=SC3045 # busybox sh has ulimit -l
ulimit -l unlimited
mountpoint -q /host/sys/kernel/tracing || mount -t tracefs nodev /host/sys/kernel/tracing
mountpoint -q /host/sys/fs/bpf || mount -t bpf bpf /host/sys/fs/bpf
mkdir -p $P
cp "$D"/peers/* $P/

rmmod kscope 2>/dev/null
insmod "$D/kscope.ko" hung_period_ms=100 sleep_max_ms=7200000 || { say "insmod failed"; exit 1; }
echo 1 > /proc/sys/kernel/sched_schedstats
# the sleepers stay in D past khungtaskd's timeout: it must not report
echo 0 > /proc/sys/kernel/hung_task_timeout_secs
echo "threshold_ms=$HUNG_MS" > /proc/kscope/hung
sleepers=
for _ in 1 2 3; do
	echo 7000000 > /proc/kscope/inject/sleep_d &
	sleepers="$sleepers $!"
done
sleep 3
rec "meta peer_sleepers $(cat /proc/kscope/inject/sleep_d)"

rec "meta peer_kernel $(uname -r)"
rec "meta peer_bpftrace $($BT --version 2>&1 | head -1)"
rec "meta peer_drgn $($CH /usr/bin/drgn --version 2>&1 | head -1)"
rec "meta peer_hung_ms $HUNG_MS"
rec "meta peer_reps $REPS"

# a peer that cannot run says why, once, and is left out of the rounds
bt_ok=1
if ! $BT $P/tasks.bt > /tmp/peer.out 2>&1 || ! grep -q '^[0-9]' /tmp/peer.out; then
	bt_ok=0
	rec "peer missing bpftrace $(grep -v '^Attaching' /tmp/peer.out | head -1)"
fi
drgn_ok=1
if [ -z "$VMLINUX" ] || [ ! -f "/host$VMLINUX" ]; then
	drgn_ok=0
	rec "peer missing drgn no vmlinux with debuginfo (scripts/setup dbg: linux-image-$(uname -r)-dbg)"
elif ! $DRGN $P/tasks.py > /tmp/peer.out 2>&1; then
	drgn_ok=0
	rec "peer missing drgn $(head -1 /tmp/peer.out)"
fi

# peers_cmds: the commands of one round as "WHAT.TOOL COMMAND" lines,
# kscope's first in each group
peers_cmds() {
	echo "tasks.kscope $KB cat /proc/kscope/tasks"
	[ $bt_ok = 1 ] && echo "tasks.bpftrace $BT $P/tasks.bt"
	[ $drgn_ok = 1 ] && echo "tasks.drgn $DRGN $P/tasks.py"
	echo "hung.kscope $KB cat /proc/kscope/hung"
	[ $bt_ok = 1 ] && echo "hung.bpftrace $BT $P/hung.bt $HUNG_MS"
	[ $drgn_ok = 1 ] && echo "hung.drgn $DRGN $P/hung.py $HUNG_MS"
	echo "loadavg.kscope $KB cat /proc/kscope/loadavg"
	[ $bt_ok = 1 ] && echo "loadavg.bpftrace $BT $P/loadavg.bt"
}
peers_cmds > /tmp/peer_list
cut -d' ' -f2- /tmp/peer_list > /tmp/peer_cmds
rec "meta peer_cols $(cut -d' ' -f1 /tmp/peer_list | tr '\n' ' ')"

# the threads every answer is compared on: those of the thread spawners
# (ktest) and the sleepers, which hold still
ours() {
	# shellcheck disable=SC2086 # lists of pids
	for p in $(pidof ktest) $sleepers; do
		ls "/proc/$p/task" 2>/dev/null
	done | sort -u > /tmp/ours
}

# only FILE: FILE's "TID ..." lines whose TID is one of ours, sorted
only() {
	awk 'FILENAME == "/tmp/ours" { keep[$1] = 1; next } ($1 in keep)' /tmp/ours "$1" | sort
}

# check N WHAT TOOL KSCOPE_LINES PEER_LINES: the two answers, one "TID
# ..." line per thread, equal over our threads?
check() {
	only "$4" > /tmp/peer.a
	only "$5" > /tmp/peer.b
	if [ -s /tmp/peer.a ] && cmp -s /tmp/peer.a /tmp/peer.b; then
		rec "peercheck $1 $2 $3 ok $(wc -l < /tmp/peer.a)"
	else
		rec "peercheck $1 $2 $3 differs $(wc -l < /tmp/peer.a)/$(wc -l < /tmp/peer.b)"
		diff /tmp/peer.a /tmp/peer.b | head -5 | sed 's/^/# /'
	fi
}

# answers N: each tool's answer once, compared with kscope's
answers() {
	n=$1
	ours
	awk 'NR > 1 { print $1, $4, $14 }' /proc/kscope/tasks > /tmp/k.tasks
	awk '$1 ~ /^[0-9]+$/ && $3 ~ /^0x/ { print $1, $2 }' /proc/kscope/hung > /tmp/k.hung
	awk '$1 ~ /^[0-9]+$/ && $3 == "D" { print $1, "D", $5 }' /proc/kscope/loadavg > /tmp/k.load
	rec "meta peer_hung_$n $(wc -l < /tmp/k.hung)"
	if [ $bt_ok = 1 ]; then
		$BT $P/tasks.bt 2>&1 | grep '^[0-9]' > /tmp/b.tasks
		check "$n" tasks bpftrace /tmp/k.tasks /tmp/b.tasks
		$BT $P/hung.bt $HUNG_MS 2>&1 | awk '$1 ~ /^[0-9]+$/ { print $1, $2 }' > /tmp/b.hung
		check "$n" hung bpftrace /tmp/k.hung /tmp/b.hung
		$BT $P/loadavg.bt > /tmp/b.loadavg 2>&1
		grep '^[0-9]* D ' /tmp/b.loadavg > /tmp/b.load
		check "$n" loadavg bpftrace /tmp/k.load /tmp/b.load
		rec "meta peer_loadavg_$n kscope $(awk '$1 == "runnable:" { r = $2 } $1 == "uninterruptible:" { d = $2 }
			END { print r, d }' /proc/kscope/loadavg) bpftrace $(awk '$1 == "@runnable:" { r = $2 }
			$1 == "@uninterruptible:" { d = $2 } END { print r + 0, d + 0 }' /tmp/b.loadavg)"
	fi
	if [ $drgn_ok = 1 ]; then
		$DRGN $P/tasks.py > /tmp/d.tasks 2>&1
		check "$n" tasks drgn /tmp/k.tasks /tmp/d.tasks
		$DRGN $P/hung.py $HUNG_MS 2>&1 | awk '{ print $1, $2 }' > /tmp/d.hung
		check "$n" hung drgn /tmp/k.hung /tmp/d.hung
	fi
}

for n in $SIZES; do
	grow_threads "$n" peer_threads
	have=$(nthreads)
	rec "meta peer_threads_$n $have"
	say "$have threads: answers compared, then $REPS rounds"
	answers "$n"
	"$KB" exec "$REPS" /tmp/peer_cmds | while read -r line; do
		rec "peers $n $line"
	done
done
say finished

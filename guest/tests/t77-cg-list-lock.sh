# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# cg_list over a css_set of many threads (KSCOPE_CG_THREADS, default
# 100,000, or as many as 40% of the VM's memory holds, in a cgroup of
# their own): css_set_lock, taken with
# interrupts off, is held for a bounded part of the css_set only, the
# lines lock_entries and lock_held_us say how much and how long, and
# the counts still add up to the cgroup's own (cgroup.threads).
. ./lib.sh

P=/proc/kscope
N=${KSCOPE_CG_THREADS:-100000}
G=$CG/kscope-many
# entries looked at under the lock: 4,096 rows and as many dying tasks
BUDGET=8192
# the longest hold allowed, us. The entry count is what bounds the hold;
# its time, measured in the guest, also counts the other vCPU's turns
# under single-threaded TCG (about 1.6 ms whether 4,096 or 100,001
# entries were walked), so it is only checked against a loose ceiling
HOLD_US=${KSCOPE_CG_HOLD_US:-20000}

kscope_load || { not_ok "insmod"; finish; }
if [ ! -e $CG/cgroup.procs ]; then
	skip "cg_list over $N threads" "no cgroup v2"
	finish
fi
echo $((N + 50000)) > /proc/sys/kernel/threads-max
echo $((N + 50000)) > /proc/sys/kernel/pid_max
echo $((3 * N + 65536)) > /proc/sys/vm/max_map_count
mkdir -p $G
W=/tmp/cgmany
# what a thread costs on this kernel, measured with 2,000 of them: use
# at most 40% of the memory available (100,000 threads need a VM of
# about 4.5 GB on Debian's kernel; make test's 2 GB gets fewer, still
# far beyond the bound)
avail() {
	awk '/^MemAvailable:/ { print $2 }' /proc/meminfo
}
a0=$(avail)
"$KTEST" threads 2000 > $W &
wait_for grep -q ready $W
cost=$(( (a0 - $(avail)) / 2000 + 1 ))
kill $!
wait $!
# MemAvailable moves with reclaimable memory: a thread measured below
# 32 KiB (its kernel stack alone is 16) is a low reading, and 59,501
# threads "measured" at 19 KiB ran the VM out of memory. Use 40%.
[ "$cost" -lt 32 ] && cost=32
fit=$(( $(avail) * 4 / 10 / cost ))
diag "a thread costs ~$cost KiB here: room for $fit"
[ "$fit" -lt "$N" ] && N=$fit
# the measuring run's "ready" must not end the wait below
rm -f $W
( in_cgroup $G "$KTEST" threads "$N" > $W ) &
pid=$!
start=$(date +%s)
until grep -q ready $W 2>/dev/null; do
	kill -0 $pid 2>/dev/null || break
	sleep 1
done
check "$N threads started in $(($(date +%s) - start)) s" grep -q "ready $N" $W
echo "$pid" > $P/watch
truth=$(wc -l < $G/cgroup.threads)
cat "$(kdir "$pid")"/cg_list > $W.k
truth2=$(wc -l < $G/cgroup.threads)
check_eq "cgroup.threads holds $N + 1 threads" "$truth $truth2" "$((N + 1)) $((N + 1))"
check_eq "nr_tasks as cgroup.threads" "$(field $W.k nr_tasks)" "$truth"
check_eq "listed 4096, more the rest" "$(field $W.k listed) $(field $W.k more)" "4096 $((truth - 4096))"
entries=$(field $W.k lock_entries)
held=$(field $W.k lock_held_us)
# without css_set_lock (a kernel with IBT: kallsyms is not called) the
# list comes from a walk of every task, a bounded batch per RCU section:
# no css_set_lock hold to bound, and no lock lines
lock=$(awk '$1 == "symbol:" && $2 == "css_set_lock" { print $3 }' /proc/kscope/version)
if [ "$lock" = yes ]; then
	diag "css_set_lock held $held us over $entries entries, for $truth threads"
	check "css_set_lock held over at most $BUDGET entries ($entries)" [ "${entries:-999999999}" -le $BUDGET ]
	check "css_set_lock held at most $HOLD_US us ($held)" [ "${held:-999999999}" -le "$HOLD_US" ]
else
	check_eq "css_set_lock unknown: no lock lines" "$entries$held" ""
	skip "css_set_lock held over at most $BUDGET entries, at most $HOLD_US us" \
		"css_set_lock unknown on this kernel: the list came from a walk of every task, not under it"
fi

kill "$pid"
wait "$pid"
kscope_unload
wait_for rmdir $G
finish

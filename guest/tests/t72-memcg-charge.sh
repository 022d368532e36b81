# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# /proc/kscope/inject/memcg_charge drives the memcg charge path of a
# cgroup v2 group with memory.max 16 MiB: a charge raises
# memory.current by its size, the limit gives ENOMEM and a "max"
# event, "oom" mode gets the OOM killer to kill a task in the group,
# memory.high gives "high" events, every bad write has its errno and
# a dmesg line, and "free" and rmmod give the memory back.
#
# memory.current is compared with a tolerance of 1 MiB: the kernel
# charges a memcg in batches of 64 pages per CPU (MEMCG_CHARGE_BATCH)
# and keeps the surplus in a per-CPU stock counted in memory.current,
# 512 KiB on the VM's two CPUs, and the writer's own short-lived
# kernel objects are charged to the group too. 1 MiB is a quarter of
# the 4 MiB charged, so a charge that went missing or twice fails.
. ./lib.sh

kscope_load || { not_ok "insmod"; finish; }

INJ=/proc/kscope/inject/memcg_charge
C=$CG/kt72
TOL=$((1 << 20))
echo +memory > $CG/cgroup.subtree_control
mkdir -p $C
echo $((16 << 20)) > $C/memory.max

# charge TEXT: write TEXT to the injector from a task in C; prints "ok"
# or the errno's name
charge() {
	( in_cgroup $C "$KTEST" write $INJ "$1" )
}

# near A B: |A - B| <= TOL
# shellcheck disable=SC2317 # called through check or wait_for
near() {
	[ $(($1 - $2)) -le "$TOL" ] && [ $(($2 - $1)) -le "$TOL" ]
}

ev() {
	awk -v e="$1" '$1 == e { print $2 }' $C/memory.events
}

in_cgroup $C sleep 600 &
w=$!
wait_for grep -q kt72 /proc/$w/cgroup
echo $w > /proc/kscope/watch

before=$(cat $C/memory.current)
check_eq "alloc 4M from a task in the group" "$(charge 'alloc 4M')" ok
after=$(cat $C/memory.current)
check "memory.current rose by 4 MiB ($((after - before)) bytes)" near $((after - before)) $((4 << 20))
check_eq "held_bytes is 4 MiB" "$(field $INJ held_bytes)" $((4 << 20))
check_eq "the block is listed with the writer's memcg" \
	"$(awk '$1 == 1 { print $2, $3 }' $INJ)" "$((4 << 20)) /kt72"

max0=$(ev max)
oom0=$(ev oom)
check_eq "alloc 16M over memory.max: ENOMEM" "$(charge 'alloc 16M')" ENOMEM
check "memory.events max rose ($max0 -> $(ev max))" [ "$(ev max)" -gt "$max0" ]
check_eq "no OOM without 'oom'" "$(ev oom)" "$oom0"
same_moment $C/memory.events "$(kdir "$w")"/memcg /tmp/e72
check_eq "kscope's events equal memory.events" \
	"$(awk '{ print "events." $1 ": " $2 }' /tmp/e72.cg)" "$(grep '^events\.' /tmp/e72.k)"
check_eq "the failed charge held nothing more" "$(field $INJ held_bytes)" $((4 << 20))
cur=$(cat $C/memory.current)
check "memory.current is back near 4 MiB ($cur)" near "$cur" $((4 << 20))

# memory.high below the usage: the charge succeeds, with a "high" event
high0=$(ev high)
echo $((2 << 20)) > $C/memory.high
check_eq "alloc 64K over memory.high succeeds" "$(charge 'alloc 64K')" ok
check "memory.events high rose ($high0 -> $(ev high))" [ "$(ev high)" -gt "$high0" ]
echo max > $C/memory.high
check_eq "free 2" "$(charge 'free 2')" ok

# bad writes: errno and a ratelimited dmesg line naming the token
dmesg -c > /dev/null
check_eq "alloc 12q: EINVAL" "$(kwrite $INJ 'alloc 12q')" EINVAL
check "dmesg names the bad token '12q'" sh -c "dmesg | grep -q \"memcg_charge: bad token '12q'\""
check_eq "frob: EINVAL" "$(kwrite $INJ 'frob 1')" EINVAL
check_eq "alloc 1M now: EINVAL" "$(kwrite $INJ 'alloc 1M now')" EINVAL
check_eq "alloc 0: ERANGE" "$(kwrite $INJ 'alloc 0')" ERANGE
check_eq "alloc 99999999999999999999: ERANGE" "$(kwrite $INJ 'alloc 99999999999999999999')" ERANGE
check_eq "alloc 300M, over memcg_charge_max: ENOSPC" "$(kwrite $INJ 'alloc 300M')" ENOSPC
check "dmesg says why for ENOSPC" sh -c "dmesg | grep -q 'memcg_charge_max'"
check_eq "free 99, no such block: ESRCH" "$(kwrite $INJ 'free 99')" ESRCH
check_eq "a user without privilege cannot write: EPERM" \
	"$("$KTEST" runas 1000 "$KTEST" write $INJ 'alloc 4K')" EPERM

check_eq "free 1" "$(charge 'free 1')" ok
cur=$(cat $C/memory.current)
check "memory.current fell back near 0 ($cur)" near "$cur" 0
check_eq "nothing held" "$(field $INJ held_bytes) $(field $INJ held_blocks)" "0 0"

# the whole charge path: a 6 MiB task in the group is the OOM victim.
# The OOM killer's report carries a stack trace, which the VM runner
# would take for a kernel splat: keep it off the console and check,
# from the log, that the only traces are OOM reports.
printk_saved=$(cut -f1 /proc/sys/kernel/printk)
dmesg -c > /dev/null
echo 1 > /proc/sys/kernel/printk
in_cgroup $C "$KTEST" alloc 6144 1 > /dev/null &
victim=$!
wait_state $victim T
oom0=$(ev oom)
kill0=$(ev oom_kill)
r=$(charge 'alloc 12M oom')
check "alloc 12M oom over memory.max: ok, or the writer was the victim ('$r')" \
	[ "$r" = ok -o -z "$r" ]
check "memory.events oom rose ($oom0 -> $(ev oom))" [ "$(ev oom)" -gt "$oom0" ]
check "memory.events oom_kill rose ($kill0 -> $(ev oom_kill))" [ "$(ev oom_kill)" -gt "$kill0" ]
wait $victim 2>/dev/null
check "the 6 MiB task was killed" [ ! -d /proc/$victim ]
echo "$printk_saved" > /proc/sys/kernel/printk
dmesg > /tmp/oom72
check_eq "the log has one stack trace per OOM report, and nothing else wrong" \
	"$(grep -c 'Call Trace:' /tmp/oom72) $(grep -cE 'BUG:|WARNING:|Oops|UBSAN:|suspicious RCU|locking' /tmp/oom72)" \
	"$(grep -c 'invoked oom-killer' /tmp/oom72) 0"
same_moment $C/memory.events "$(kdir "$w")"/memcg /tmp/o72
check_eq "kscope's events equal memory.events after the OOM kill" \
	"$(awk '{ print "events." $1 ": " $2 }' /tmp/o72.cg)" "$(grep '^events\.' /tmp/o72.k)"

# unload gives everything back
check_eq "free" "$(charge free)" ok
check_eq "alloc 8M to be released by rmmod" "$(charge 'alloc 8M')" ok
held=$(field $INJ held_bytes)
before=$(cat $C/memory.current)
kscope_unload
after=$(cat $C/memory.current)
check "rmmod released $held bytes: memory.current fell by $((before - after))" \
	near $((before - after)) "$held"

kill -9 $w
wait $w 2>/dev/null
rmdir $C
finish

# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# /proc/kscope/all/: every watched task's per-task file in one read,
# checked block by block against what /proc and the cgroup files say
# about each task.
. ./lib.sh

kscope_load || { not_ok "insmod"; finish; }
A=/proc/kscope/all

check_eq "all/ has a file for each per-task file" \
	"$(ls $A | tr '\n' ' ')" "$(ls /proc/kscope/self | tr '\n' ' ')"
check_eq "nothing watched: all/sched is empty" "$(wc -c < $A/sched)" "0"

# blocks FILE: the pids whose blocks FILE has, in order
blocks() { sed -n 's/^pid: //p' "$1" | tr '\n' ' '; }
# block FILE PID: PID's block of FILE, up to the next block's pid: line
block() { awk -v p="pid: $2" 'on && /^pid: / { exit } $0 == p { on = 1 } on' "$1"; }
# bfield FILE PID NAME: NAME's value in PID's block
bfield() { block "$1" "$2" | awk -v n="$3" 'index($0, n ": ") == 1 { print substr($0, length(n) + 3); exit }'; }
# pfield PID NAME: NAME's value in /proc/PID/sched
pfield() { awk -v n="$2" '$1 == n { print $3; exit }' /proc/"$1"/sched; }

echo +memory > $CG/cgroup.subtree_control
G=$CG/kt41
mkdir -p $G
pids=
for _ in 1 2 3 4 5; do
	(in_cgroup $G sleep 1000) &
	pids="$pids $!"
done
(in_cgroup $G "$KTEST" threads 3 > /tmp/t41.threads) &
thr=$!
pids="$pids $thr"
wait_for grep -q ready /tmp/t41.threads
check_eq "watch 6 pids in one write" "$(kwrite /proc/kscope/watch "$pids")" "ok"
# shellcheck disable=SC2086 # the pids, one space apart
sorted=$(echo $pids | tr ' ' '\n' | sort -n | tr '\n' ' ')

for f in "$A"/*; do
	f=${f##*/}
	check_eq "all/$f: one block per watched pid, in pid order" "$(blocks $A/"$f")" "$sorted"
done
check_eq "all/sched: every block ends with an empty line" \
	"$(grep -c '^$' $A/sched)" "6"
check_eq "all/cg_list: every block starts with its pid (6 blocks)" \
	"$(grep -c '^pid: ' $A/cg_list)" "6"

# each block against /proc/PID and the cgroup files
for p in $pids; do
	bad=
	[ "$(bfield $A/state "$p" comm)" = "$(cat /proc/"$p"/comm)" ] || bad="$bad state.comm"
	[ "$(bfield $A/state "$p" state | cut -c1)" = "$(state_of "$p")" ] || bad="$bad state.state"
	[ "$(bfield $A/sched "$p" threads)" = "$(awk '/^Threads:/ { print $2 }' /proc/"$p"/status)" ] ||
		bad="$bad sched.threads"
	[ "$(bfield $A/sched "$p" policy)" = "$(pfield "$p" policy)" ] || bad="$bad sched.policy"
	[ "$(bfield $A/sched "$p" prio)" = "$(pfield "$p" prio)" ] || bad="$bad sched.prio"
	[ "$(bfield $A/sched "$p" se.nr_migrations)" = "$(pfield "$p" se.nr_migrations)" ] ||
		bad="$bad sched.se.nr_migrations"
	[ "0::$(bfield $A/memcg "$p" path)" = "$(grep '^0::' /proc/"$p"/cgroup)" ] || bad="$bad memcg.path"
	[ "$(bfield $A/memcg "$p" max)" = "$(cat $G/memory.max)" ] || bad="$bad memcg.max"
	listed=$(block $A/cg_list "$p" | awk '/^ +PID COMM/ { l = 1; next } l && /^ *[0-9]/ { print $1 }' | sort -n | tr '\n' ' ')
	[ "$listed" = "$(sort -n $G/cgroup.threads | tr '\n' ' ')" ] || bad="$bad cg_list"
	check "block of $p ($(cat /proc/"$p"/comm)) agrees with /proc/$p and $G${bad:+; differs:$bad}" \
		[ -z "$bad" ]
done

# a reaped task has no block; the watch list still names it
# shellcheck disable=SC2086 # the pids, one space apart
victim=$(echo $pids | cut -d' ' -f1)
kill "$victim"
wait "$victim" 2>/dev/null
wait_for sh -c "[ ! -e /proc/$victim ]"
check "all/sched leaves out pid $victim once it is reaped" \
	sh -c "! grep -qx 'pid: $victim' $A/sched"
check "watch still lists it, not alive" grep -Eq "^ *$victim +w[0-9]+ +no " /proc/kscope/watch

# small reads return the same blocks as one large read
check_eq "all/cg_list read 7 bytes at a time: the same pids" \
	"$("$KTEST" read $A/cg_list 7 | sed -n 's/^pid: //p' | tr '\n' ' ')" "$(blocks $A/cg_list)"

# unwatch the rest: empty again
# shellcheck disable=SC2086 # the pids, one space apart
rest=$(echo $pids | tr ' ' '\n' | grep -vx "$victim" | sed 's/^/-/' | tr '\n' ' ')
check_eq "unwatch the rest" "$(kwrite /proc/kscope/watch "-$victim $rest")" "ok"
check_eq "all/sched is empty again" "$(wc -c < $A/sched)" "0"

for p in $pids; do
	kill -9 "$p" 2>/dev/null
	wait "$p" 2>/dev/null
done
# The group goes once its killed tasks are gone; the file its tasks
# wrote is charged to its memcg and would keep that alive (and a later
# test from mounting a v1 memory hierarchy)
rm -f /tmp/t41.threads
wait_for rmdir $G 2>/dev/null
kscope_unload
finish

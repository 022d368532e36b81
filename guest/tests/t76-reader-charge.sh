# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# What a reader's descriptors pin is charged to the reader: uid 65534,
# in a memory cgroup of its own, holds many descriptors of loadavg and
# hung open, each with its snapshot of the D tasks taken. The same
# number of descriptors is held twice, with no D tasks and with
# $NDT of them; the difference in the cgroup's memory.current must be
# at least 16 bytes per D task per descriptor (a pid and a tgid are
# 8); so memory.max bounds what a reader can pin.
#
# "t76-reader-charge.sh bound FILE" (FILE loadavg or hung) shows that
# bound for FILE: see bound() below. The kernel's memcg OOM killer
# reports on the console, so scripts/destructive runs it, in a VM of
# its own that expects that one report.
. ./lib.sh

MODE=${1:-charge}
FILES="loadavg hung"
if [ "$MODE" = bound ]; then
	FILES=${2:?usage: t76-reader-charge.sh [bound loadavg|hung]}
	T_NAME=t76-reader-bound
fi

P=/proc/kscope
NOBODY=65534
NDT=${KSCOPE_CHARGE_D:-300}
NFD=400
G=$CG/kscope-reader
W=/tmp/charge
rm -rf $W
mkdir -p $W
chmod 1777 $W

if [ ! -e $CG/cgroup.controllers ] || ! grep -qw memory $CG/cgroup.controllers; then
	skip "reader's snapshots charged to its memcg" "no cgroup v2 memory controller"
	finish
fi
kscope_load || { not_ok "insmod"; finish; }
HT=/proc/sys/kernel/hung_task_timeout_secs
ht=$(cat $HT 2>/dev/null)
[ -n "$ht" ] && echo 0 > $HT
echo +memory > $CG/cgroup.subtree_control 2>/dev/null
mkdir -p $G
echo +memory > $G/cgroup.subtree_control

# hold FILE TAG: uid 65534, alone in a memory cgroup made for this
# hold (so that each starts from nothing, whatever an earlier holder
# left charged), holds $NFD descriptors of FILE; the growth of
# memory.current is left in $W/TAG. The holder's output file is removed
# first: the holder's shell truncates it only once it runs, and the
# previous holder's "opened" line would end the wait at once.
holds=0
hold() {
	holds=$((holds + 1))
	g=$G/$holds
	mkdir $g
	rm -f $W/go $W/out
	before=$(cat $g/memory.current)
	( in_cgroup $g "$KTEST" runas $NOBODY "$KTEST" holdmany "$1" $NFD $W/go > $W/out ) &
	holder=$!
	wait_for grep -qs "^open" $W/out
	after=$(cat $g/memory.current)
	: > $W/go
	wait $holder
	echo $((after - before)) > $W/"$2"
	diag "$2: memory.current $before, holding $NFD descriptors of $1: $after"
	grep -q "^opened $NFD" $W/out || diag "$1: $(cat $W/out)"
	rmdir $g
}

# all_d: whether loadavg counts the D tasks and hung follows them
# shellcheck disable=SC2317 # called through wait_for
all_d() {
	[ "$(awk '/^uninterruptible:/ { print $2 }' "$P/loadavg")" -ge "$NDT" ] &&
		[ "$(field "$P/hung" tracked)" -ge "$NDT" ]
}

# bound FILE: a memory cgroup whose memory.max is halfway between the
# holds of FILE with no D tasks and with $NDT cannot hold all $NFD
# descriptors: the kernel's memcg OOM killer ends the holder (the
# cgroup's memory.peak is printed: the kernel keeps it within
# memory.max). Were the snapshots not charged to the reader, the holder
# would hold them all.
bound() {
	b=$G/bound
	mkdir $b
	echo $((($(cat $W/"$1"-0) + $(cat $W/"$1"-d)) / 2)) > $b/memory.max
	max=$(cat $b/memory.max)
	rm -f $W/go $W/out
	( in_cgroup $b "$KTEST" runas $NOBODY "$KTEST" holdmany "$P/$1" $NFD $W/go > $W/out ) &
	holder=$!
	wait_for sh -c "grep -qs '^open' $W/out || grep -q '^oom_kill [1-9]' $b/memory.events"
	: > $W/go
	wait $holder
	rc=$?
	peak=$(cat $b/memory.peak)
	diag "memory.max $max, memory.peak $peak; the holder: exit $rc, said '$(cat $W/out)'"
	check_eq "$1: uid $NOBODY's holder was killed by the memcg OOM killer before it held $NFD descriptors (oom_kill, exit status)" \
		"$(awk '$1 == "oom_kill" { print $2 }' $b/memory.events) $rc" "1 137"
	rmdir $b
}

for f in $FILES; do
	hold $P/"$f" "$f"-0
done
i=0
pids=""
while [ $i -lt "$NDT" ]; do
	"$KTEST" write $P/inject/sleep_d 600000 > /dev/null &
	pids="$pids $!"
	i=$((i + 1))
done
wait_for all_d
for f in $FILES; do
	hold $P/"$f" "$f"-d
done
for f in $FILES; do
	grown=$(($(cat $W/"$f"-d) - $(cat $W/"$f"-0)))
	want=$((NFD * NDT * 16))
	check "$f: $NFD descriptors of uid $NOBODY with $NDT D tasks in them: memory.current +$grown bytes more than with none, at least $want" \
		[ "$grown" -ge "$want" ]
done
if [ "$MODE" = bound ]; then
	bound "$FILES"
fi

kscope_unload
# shellcheck disable=SC2086 # a list of pids
wait $pids
rmdir $G
[ -n "$ht" ] && echo "$ht" > $HT
finish

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
. ./lib.sh

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

hold $P/loadavg loadavg-0
hold $P/hung hung-0
i=0
pids=""
while [ $i -lt "$NDT" ]; do
	"$KTEST" write $P/inject/sleep_d 600000 > /dev/null &
	pids="$pids $!"
	i=$((i + 1))
done
wait_for all_d
hold $P/loadavg loadavg-d
hold $P/hung hung-d
for f in loadavg hung; do
	grown=$(($(cat $W/$f-d) - $(cat $W/$f-0)))
	want=$((NFD * NDT * 16))
	check "$f: $NFD descriptors of uid $NOBODY with $NDT D tasks in them: memory.current +$grown bytes more than with none, at least $want" \
		[ "$grown" -ge "$want" ]
done

kscope_unload
# shellcheck disable=SC2086 # a list of pids
wait $pids
rmdir $G
[ -n "$ht" ] && echo "$ht" > $HT
finish

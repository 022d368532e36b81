# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# tools/memcgstat, run with the host's bash, awk and gnuplot
# (scripts/vm --host: the host's / at /host, with the guest's /proc,
# /sys, /dev and /tmp bound into it) against a process in a cgroup v2
# group that holds still: every sample's usage, high and max equal
# memory.current, memory.high and memory.max read around the run, and
# its LRU columns the kernel's memory.stat; --plot writes an 800x480
# PNG; a pid that does not exist, and kscope not loaded, give an error
# that says so.
. ./lib.sh

if ! chroot /host /bin/sh -c 'command -v bash && command -v gnuplot' > /dev/null 2>&1; then
	not_ok "memcgstat needs the host's bash and gnuplot (scripts/vm --host)"
	finish
fi
cp "$KSCOPE_DIR/memcgstat" /tmp/memcgstat
# fontconfig wants a writable cache; the host's / is read-only here
MS="chroot /host /usr/bin/env XDG_CACHE_HOME=/tmp /bin/bash /tmp/memcgstat"

kscope_load || { not_ok "insmod"; finish; }
G=$CG/kt73
echo +memory > $CG/cgroup.subtree_control
mkdir -p $G
echo $((96 << 20)) > $G/memory.max
echo $((80 << 20)) > $G/memory.high
in_cgroup $G "$KTEST" alloc 8192 1 > /dev/null &
ap=$!
wait_state $ap T

_try=0
while :; do
	cat $G/memory.current $G/memory.high $G/memory.max $G/memory.stat > /tmp/t73.before
	$MS -p $ap -c 3 -i 0.2 --plot /tmp/t73.png > /tmp/t73.out 2> /tmp/t73.err
	rc=$?
	cat $G/memory.current $G/memory.high $G/memory.max $G/memory.stat > /tmp/t73.after
	cmp -s /tmp/t73.before /tmp/t73.after && break
	_try=$((_try + 1))
	[ $_try -ge 10 ] && break
done
cat /tmp/t73.out /tmp/t73.err
check_eq "memcgstat -p $ap -c 3 -i 0.2 --plot: exit 0" "$rc" 0
check_eq "three samples" "$(grep -c '^[0-9]' /tmp/t73.out)" 3
want=$(awk 'NR <= 3 { v[NR] = $1 }
	$1 ~ /_anon$/ && $1 ~ /active/ { anon += $2 }
	$1 ~ /_file$/ && $1 ~ /active/ { file += $2 }
	$1 == "unevictable" { unev = $2 }
	END { print v[1], v[2], v[3], anon, file, unev }' /tmp/t73.before)
check_eq "every sample is memory.current, high, max and memory.stat's LRU split" \
	"$(awk '/^[0-9]/ { print $2, $3, $4, $5, $6, $7 }' /tmp/t73.out | sort -u)" "$want"
check_eq "the header names the pid and its cgroup" \
	"$(head -n1 /tmp/t73.out)" "# pid $ap (ktest), memory cgroup /kt73 (v2)"
check_eq "the plot is a PNG" "$(od -An -c -j1 -N3 /tmp/t73.png | tr -d ' ')" PNG
check_eq "of 800 x 480 pixels" \
	"$(od -An -tu1 -j16 -N8 /tmp/t73.png | awk '{ print $3 * 256 + $4, $7 * 256 + $8 }')" "800 480"
check_eq "the pid was unwatched again" "$(grep -c "^ *$ap " /proc/kscope/watch)" 0

$MS -p 4000000 -c 1 > /tmp/t73.out 2> /tmp/t73.err
rc=$?
check_eq "no such pid: exit 1, and says so" "$rc $(cat /tmp/t73.err)" \
	"1 memcgstat: no process with pid 4000000"

# the process exits between samples: killed once the first is out
sleep 600 &
sp=$!
$MS -p $sp -c 1000 -i 0.2 > /tmp/t73.out 2> /tmp/t73.err &
mp=$!
wait_for grep -q '^0.00 ' /tmp/t73.out
kill $sp
wait $sp 2>/dev/null
wait $mp
rc=$?
check "a pid that exits: exit 1, says so ($(cat /tmp/t73.err))" \
	sh -c "[ $rc -eq 1 ] && grep -q 'pid $sp has exited' /tmp/t73.err"

kill -9 $ap
wait $ap 2>/dev/null
kscope_unload
$MS -p 1 -c 1 > /tmp/t73.out 2> /tmp/t73.err
rc=$?
check_eq "kscope not loaded: exit 1, and says so" "$rc $(cat /tmp/t73.err)" \
	"1 memcgstat: kscope is not loaded (no /proc/kscope): load it with 'insmod kscope.ko'"
rmdir $G
finish

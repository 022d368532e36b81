# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# /proc/kscope/w<id>/cputime against /proc/<pid>/stat fields 14-17 and
# 43-44 (utime, stime, cutime, cstime, guest_time, cguest_time, USER_HZ
# ticks) and /proc/<pid>/schedstat (runtime, ns), for thread groups
# whose times cannot change: stopped, and exited but not reaped.
. ./lib.sh

kscope_load || { not_ok "insmod"; finish; }

# statf FILE N...: fields N of a /proc stat file (1-based, as proc(5))
statf() {
	_f=$1
	shift
	_l=$(sed 's/.*) //' "$_f")
	for _n in "$@"; do
		echo "$_l" | cut -d' ' -f$((_n - 2))
	done | tr '\n' ' ' | sed 's/ $//'
}

# kticks FILE WHO: kscope's WHO.* times as /proc/<pid>/stat orders and
# converts them: utime stime [cutime cstime] guest [cguest]
kticks() {
	awk -v w="$2" -v hz="$(field "$1" user_hz)" '
	function t(n) { return int(v[n] / (1000000000 / hz)) }
	{ i = index($0, ": "); v[substr($0, 1, i - 1)] = substr($0, i + 2) }
	END {
		if (w == "group")
			print t("group.utime_adjusted_ns"), t("group.stime_adjusted_ns"),
			      t("children.utime_ns"), t("children.stime_ns"),
			      t("group.gtime_ns"), t("children.gtime_ns")
		else
			print t("thread.utime_adjusted_ns"), t("thread.stime_adjusted_ns"),
			      t("children.utime_ns"), t("children.stime_ns"),
			      t("thread.gtime_ns"), t("children.gtime_ns")
	}' "$1"
}

# compare_group PID TAG: the group against /proc/PID/stat, and each
# thread against /proc/PID/task/TID/stat and schedstat.
#
# The adjusted times are filtered through prev_cputime, which the first
# reader updates and later readers get back while the runtime has not
# grown: /proc is read first, so a wrong kscope runtime shows as a
# different split, and the runtime itself is checked against /proc's
# utime + stime, which add up to it. The split's arithmetic is checked
# on its own below, where kscope is the first reader.
compare_group() {
	_p=$1
	echo "$_p" > /proc/kscope/watch
	_want="$(statf /proc/"$_p"/stat 14 15 16 17 43 44)"
	cat "$(kdir "$_p")"/cputime > /tmp/kc."$2"
	check_eq "$2: group times equal /proc/$_p/stat fields 14-17, 43-44" \
		"$(kticks /tmp/kc."$2" group)" "$_want"
	_rt=$(($(field /tmp/kc."$2" group.sum_exec_runtime_ns) / 10000000))
	_pt=$(echo "$_want" | awk '{ print $1 + $2 }')
	check "$2: group runtime ($_rt ticks) is /proc's utime + stime ($_pt) within a tick" \
		[ $((_rt - _pt)) -le 1 -a $((_pt - _rt)) -le 1 ]
	_bad=
	_n=0
	for _t in /proc/"$_p"/task/*; do
		_t=${_t##*/}
		echo "$_t" > /proc/kscope/watch
		_want="$(statf /proc/"$_p"/task/"$_t"/stat 14 15 16 17 43 44)"
		cat "$(kdir "$_t")"/cputime > /tmp/kt."$2"
		_got="$(kticks /tmp/kt."$2" thread)"
		[ "$_got" = "$_want" ] || _bad="$_bad tid $_t: kscope '$_got' /proc '$_want';"
		_rt=$(cut -d' ' -f1 /proc/"$_p"/task/"$_t"/schedstat)
		[ "$(field /tmp/kt."$2" thread.sum_exec_runtime_ns)" = "$_rt" ] ||
			_bad="$_bad tid $_t: runtime $(field /tmp/kt."$2" thread.sum_exec_runtime_ns) schedstat $_rt;"
		echo -"$_t" > /proc/kscope/watch
		_n=$((_n + 1))
	done
	check_eq "$2: each of $_n threads equals /proc/<pid>/task/<tid>/stat and schedstat" "$_bad" ""
}

# stopped_by_status PID: T in /proc/PID/status, which, unlike stat,
# does not compute (and so fix) the group's adjusted times
# shellcheck disable=SC2317 # called through check or wait_for
stopped_by_status() {
	grep -q '^State:.T' /proc/"$1"/status
}

# The split of runtime into user and system time, kscope first. A
# single-threaded process has the same times as a thread and as a
# group, but the kernel keeps a prev_cputime for each: kscope's group
# split lands in the group's, and the kernel's own split of the same
# times in the thread's, so the two are computed independently.
sh -c 'i=0; while [ $i -lt 30000 ]; do i=$((i + 1)); : > /dev/null; done; kill -STOP $$' &
tp=$!
wait_for stopped_by_status $tp
echo $tp > /proc/kscope/watch
cat "$(kdir "$tp")"/cputime > /tmp/kc.single
check_eq "single thread: kscope's split of the group equals the kernel's of the thread" \
	"$(kticks /tmp/kc.single group | cut -d' ' -f1,2)" \
	"$(statf /proc/$tp/task/$tp/stat 14 15)"
check "single thread: it used both user and system time ($(kticks /tmp/kc.single group | cut -d' ' -f1,2))" \
	[ "$(field /tmp/kc.single group.utime_ns)" -gt 0 -a "$(field /tmp/kc.single group.stime_ns)" -gt 0 ]
kill -9 $tp
wait $tp 2>/dev/null

# A stopped group of four threads that each used 300 ms of CPU
"$KTEST" burn 4 300 hold > /tmp/burn.out &
bp=$!
wait_for grep -q burnt /tmp/burn.out
kill -STOP $bp
wait_state $bp T
compare_group $bp "stopped"
ut=$(field /tmp/kc.stopped group.utime_adjusted_ns)
st=$(field /tmp/kc.stopped group.stime_adjusted_ns)
rt=$(field /tmp/kc.stopped group.sum_exec_runtime_ns)
check_eq "stopped: adjusted user + system time is the exact runtime" "$((ut + st))" "$rt"
check "stopped: the group used at least 4 x 300 ms ($((rt / 1000000)) ms)" [ "$rt" -ge 1200000000 ]
check_eq "stopped: user time without guest time is user time (no guests here)" \
	"$(field /tmp/kc.stopped group.user_excl_guest_ns) $(field /tmp/kc.stopped group.guest_clamped)" \
	"$ut 0"
kill -9 $bp
wait $bp 2>/dev/null

# A zombie: every thread has exited, so the group's times are all in
# signal_struct, and the leader is not reaped (its parent only sleeps)
rm -f /tmp/zp
sh -c '"$0" burn 3 200 exit & echo $! > /tmp/zp; exec sleep 60' "$KTEST" &
zparent=$!
wait_for [ -s /tmp/zp ]
zp=$(cat /tmp/zp)
wait_state "$zp" Z
compare_group "$zp" "zombie"

# The parent that reaped children: their times are in children.*
rm -f /tmp/cdone
sh -c '"$0" burn 2 200 exit; "$0" burn 1 200 exit; : > /tmp/cdone; exec sleep 60' "$KTEST" &
cp=$!
wait_for [ -e /tmp/cdone ]
wait_state $cp S
compare_group $cp parent
c=$(field /tmp/kc.parent children.utime_ns)
c2=$(field /tmp/kc.parent children.stime_ns)
check "parent: its children used at least 3 x 200 ms ($(((c + c2) / 1000000)) ms)" \
	[ $((c + c2)) -ge 550000000 ]

kill $zparent $cp 2>/dev/null
wait $zparent $cp 2>/dev/null
kscope_unload
finish

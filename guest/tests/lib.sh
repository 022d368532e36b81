# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Helpers for kscope's integration tests, run by busybox sh inside the
# test VM, each test file sourcing this with its directory as the
# current one. Each file prints one KTAP document (scripts/ktap.sh,
# copied next to this file) to the console and to the result channel
# ($KSCOPE_RESULT, a serial port the host reads), its descriptions
# prefixed with the file's name.

KSCOPE_RESULT=${KSCOPE_RESULT:-/dev/null}
KSCOPE_DIR=${KSCOPE_DIR:-/kscope}
KTEST="$KSCOPE_DIR/ktest"
T_NAME=$(basename "$0" .sh)

# shellcheck source=../../scripts/ktap.sh
. ./ktap.sh
[ "$KSCOPE_RESULT" = /dev/null ] || KTAP_CHANNEL=$KSCOPE_RESULT
ktap_header

ok() {
	ktap_ok "$T_NAME: $*"
}

not_ok() {
	ktap_not_ok "$T_NAME: $*"
}

# skip DESCRIPTION REASON: a test that cannot run here, and why
skip() {
	ktap_skip "$T_NAME: $1" "$2"
}

diag() {
	ktap_diag "$T_NAME: $*"
}

# check DESCRIPTION COMMAND...: ok if COMMAND succeeds
check() {
	_desc=$1
	shift
	if "$@"; then
		ok "$_desc"
	else
		not_ok "$_desc"
	fi
}

# check_eq DESCRIPTION GOT WANT
check_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1"
		diag "got '$2', want '$3'"
	fi
}

# kwrite FILE TEXT: write TEXT to FILE in one write(2); prints "ok" or
# the errno's name (EINVAL, ESRCH, ...)
kwrite() {
	"$KTEST" write "$1" "$2"
}

kscope_load() {
	insmod "$KSCOPE_DIR/kscope.ko" "$@"
}

kscope_unload() {
	rmmod kscope
}

# state_of TID: the state letter /proc/<tid>/stat shows (the field
# after the last ')', since comm may hold spaces and parentheses)
state_of() {
	sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1
}

# in_state PID LETTER: whether /proc says PID is in state LETTER
in_state() {
	[ "$(state_of "$1")" = "$2" ]
}

# wait_state PID LETTER: wait up to ~60 s for PID to be in state LETTER
wait_state() {
	wait_for in_state "$1" "$2"
}

# kline TID: the "tasks" line of thread TID
kline() {
	awk -v t="$1" 'NR > 1 && $1 == t' /proc/kscope/tasks
}

# wait_for COMMAND...: run COMMAND every 0.1 s until it succeeds; give
# up after ~60 s
wait_for() {
	_w=0
	until "$@"; do
		_w=$((_w + 1))
		[ $_w -gt 600 ] && return 1
		sleep 0.1
	done
	return 0
}

# udp_in: the UDP datagrams that reached the UDP layer, as /proc/net/snmp
# counts them: delivered, to no port, or dropped there (receive errors)
udp_in() {
	awk '$1 == "Udp:" && !h { for (i = 2; i <= NF; i++) c[$i] = i; h = 1; next }
	     $1 == "Udp:" { print $c["InDatagrams"] + $c["NoPorts"] + $c["InErrors"] }' /proc/net/snmp
}

# field FILE NAME: the value of NAME in a "name: value" file
field() {
	awk -v n="$2" 'index($0, n ": ") == 1 { print substr($0, length(n) + 3); exit }' "$1"
}

# kdir PID: the directory of watched PID (/proc/kscope/wID), as the
# "watch" file maps it; /proc/kscope/unwatched when PID is not listed
kdir() {
	echo "/proc/kscope/$(awk -v p="$1" '$1 == p { d = $2 } END { print d ? d : "unwatched" }' /proc/kscope/watch)"
}

# uptime_ms: CLOCK_BOOTTIME in ms, from /proc/uptime (10 ms resolution)
uptime_ms() {
	awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime
}

# stamp_ms FILE: a time ktest stamped into FILE, in ms of CLOCK_BOOTTIME
stamp_ms() {
	awk '{ printf "%d\n", $1 * 1000 }' "$1"
}

# start_ms PID: when PID was created (/proc/<pid>/stat field 22, ticks
# since boot), in ms of CLOCK_BOOTTIME
start_ms() {
	echo $(($(sed 's/.*) //' "/proc/$1/stat" | cut -d' ' -f20) * 10))
}

# check_age DESC START_MS COMMAND...: COMMAND prints a duration in ns
# that began at START_MS; it must lie between the time elapsed before
# and after COMMAND ran, give or take 50 ms (the clocks' 10 ms steps,
# and the moment between a stamp and the sleep it marks)
check_age() {
	_desc=$1
	_t0=$2
	shift 2
	_lo=$(($(uptime_ms) - _t0))
	_got=$("$@" | awk '{ printf "%d\n", $1 / 1000000 }')
	_hi=$(($(uptime_ms) - _t0 + 10))
	check "$_desc: ${_got} ms, elapsed ${_lo}-${_hi} ms" \
		[ "$_got" -ge $((_lo - 50)) -a "$_got" -le $((_hi + 50)) ]
}

# finish: the plan and the totals; exit 1 if a test failed or the
# number run is not the number planned, else 0
finish() {
	ktap_finished
	exit
}

# Memory-cgroup tests (t7x): cgroup v2 is mounted at $CG by the VM's init.
# shellcheck disable=SC2034 # for the tests that source this file
CG=/sys/fs/cgroup

# same_moment CGFILE KFILE OUT: read the cgroup file, the kscope file,
# and the cgroup file again, until the two cgroup reads agree (nothing
# changed meanwhile); the reads are left in OUT.cg and OUT.k
same_moment() {
	_sm=0
	while :; do
		cat "$1" > "$3.cg"
		cat "$2" > "$3.k"
		cat "$1" > "$3.cg2"
		cmp -s "$3.cg" "$3.cg2" && return 0
		_sm=$((_sm + 1))
		[ $_sm -ge 50 ] && diag "$1 kept changing" && return 1
		sleep 0.1
	done
}

# in_cgroup DIR CMD...: exec CMD in cgroup DIR (v2 or v1); run it in a
# subshell, "( in_cgroup ... )" or with "&", whose pid is then CMD's
in_cgroup() {
	_icg=$1
	shift
	exec sh -c 'echo $$ > "$0/cgroup.procs" && exec "$@"' "$_icg" "$@"
}

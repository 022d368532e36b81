# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# What guest/bench/bench.sh and peers.sh share; each sources it from
# its own directory: the helpers, the result channel, the sizes.

# shellcheck disable=SC2034 # used by the scripts that source this
D=$PWD
KB=$D/kbench
KT=$D/ktest
R=${KSCOPE_RESULT:-/dev/null}
# shellcheck disable=SC2034
SIZES=${BENCH_SIZES:-1000 10000 30000}

[ -c "$R" ] && stty -F "$R" raw -echo 2>/dev/null
# rec LINE: one result line, on the console and the result channel
rec() {
	echo "$*"
	echo "$*" > "$R"
}

# nthreads: the threads in the system now
nthreads() { "$KB" procstat 2>/dev/null | wc -l; }

# grow_threads N TAG: add ktest threads until there are N in all (kept
# until the VM ends); its output in /tmp/TAG.N
grow_threads() {
	_have=$(nthreads)
	[ "$_have" -lt "$1" ] || return 0
	"$KT" threads $(($1 - _have)) > "/tmp/$2.$1" &
	while ! grep -q ready "/tmp/$2.$1" 2>/dev/null; do
		kill -0 $! 2>/dev/null || break
		sleep 1
	done
}

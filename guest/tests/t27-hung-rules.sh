# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# hung: the threshold when khungtaskd is off (hung_task_timeout_secs=0)
# and when its sysctl cannot be read (resolve_symbols=0, as on a kernel
# where the symbol is not found); kernel stacks only to a reader who may
# read /proc/<pid>/stack; racing writers of period_ms. Ground truth: the
# sysctl, /proc/<pid>/stat's state, /proc/<pid>/stack for the same
# reader, and the scan counter moving.
. ./lib.sh

P=/proc/kscope
H=$P/hung
HT=/proc/sys/kernel/hung_task_timeout_secs
CAP_SYS_PTRACE=19

# listed PID: whether hung lists PID
# shellcheck disable=SC2317 # called through check and wait_for
listed() {
	awk -v p="$1" '$1 == p { f = 1 } END { exit !f }' "$H"
}

# d_task [nodump]: a root task asleep in D until kscope is unloaded;
# its pid in D_PID once /proc says D
d_task() {
	if [ "${1:-}" = nodump ]; then
		"$KTEST" nodump write $P/inject/sleep_d 600000 > /dev/null &
	else
		"$KTEST" write $P/inject/sleep_d 600000 > /dev/null &
	fi
	D_PID=$!
	wait_state $D_PID D
}

# scans_above N: whether the scanner has looked more than N times
# shellcheck disable=SC2317 # called through wait_for
scans_above() {
	[ "$(field "$H" scans)" -gt "$1" ]
}

# five_scans: wait until the scanner has looked five more times
five_scans() {
	wait_for scans_above $(($(field $H scans) + 4))
}

ht=$(cat $HT 2>/dev/null)
if [ -z "$ht" ]; then
	skip "khungtaskd's threshold" "no kernel.hung_task_timeout_secs"
else
	# khungtaskd off: no threshold to follow, nothing is hung
	kscope_load || { not_ok "insmod"; finish; }
	echo 0 > $HT
	echo threshold_ms=kernel period_ms=100 > $H
	d_task
	d=$D_PID
	five_scans
	check_eq "khungtaskd off: threshold_ms says so" "$(field $H threshold_ms)" \
		"off (kernel.hung_task_timeout_secs is 0: khungtaskd is off)"
	check "khungtaskd off: a task in D ($(state_of "$d")) for 5 scans is not listed" \
		sh -c "! awk -v p=$d '\$1 == p { f = 1 } END { exit !f }' $H"
	check_eq "khungtaskd off: and hung_history has no crossing" "$(field $P/hung_history crossed)" 0
	check_eq "khungtaskd off: khungtaskd_timeout_s is 0" "$(field $H khungtaskd_timeout_s)" 0
	echo threshold_ms=0 > $H
	check "khungtaskd off: with threshold_ms=0 set, the task is listed" wait_for listed "$d"
	kscope_unload
	wait "$d"

	# the sysctl not found: nothing to follow either, and the file says why
	# a sysctl that is not 0, as khungtaskd's own default: the
	# module cannot read it, and 1 s would have khungtaskd report
	echo 120 > $HT
	kscope_load resolve_symbols=0 hung_period_ms=100 || { not_ok "insmod resolve_symbols=0"; finish; }
	d_task
	d=$D_PID
	five_scans
	# exported since 6.2: then resolve_symbols=0 cannot hide it
	if awk '$1 == "symbol:" && $2 == "sysctl_hung_task_timeout_secs" && $4 == "exported" { f = 1 } END { exit !f }' /proc/kscope/version; then
		skip "sysctl not found: threshold_ms and khungtaskd_timeout_s say so" \
			"sysctl_hung_task_timeout_secs is exported on this kernel: resolve_symbols=0 cannot simulate it missing"
	else
		check_eq "sysctl not found: threshold_ms says so (sysctl is 120 s)" "$(field $H threshold_ms)" \
			"off (follows kernel.hung_task_timeout_secs, which was not found)"
		check_eq "sysctl not found: khungtaskd_timeout_s unknown" "$(field $H khungtaskd_timeout_s)" unknown
	fi
	check "sysctl not found: the task in D is not listed" sh -c "! awk -v p=$d '\$1 == p { f = 1 } END { exit !f }' $H"
	echo threshold_ms=0 > $H
	check "sysctl not found: with threshold_ms=0 set, it is" wait_for listed "$d"
	kscope_unload
	wait "$d"
	echo 0 > $HT
fi

# kernel stacks: shown to a reader exactly when /proc/<pid>/stack is
# readable to them (ptrace attach check); a root task made non-dumpable
# needs CAP_SYS_PTRACE for that
kscope_load hung_period_ms=100 || { not_ok "insmod"; finish; }
[ -n "$ht" ] && echo 0 > $HT
echo threshold_ms=0 > $H
d_task
plain=$D_PID
d_task nodump
nodump=$D_PID
wait_for listed "$plain"
wait_for listed "$nodump"
# kstack READER PID: "yes" if READER's read of hung shows PID's stack
kstack() {
	$1 cat $H | awk -v p="$2" '$1 == p { r = 1; next } r && /^    / { if (/\+0x/) f = 1; next } { r = 0 } END { print f ? "yes" : "no" }'
}
pstack() {
	$1 cat "/proc/$2/stack" 2> /dev/null | grep -q '+0x' && echo yes || echo no
}
noptrace="$KTEST nocap $CAP_SYS_PTRACE"
# Without ptrace_may_access (a kernel with IBT: kallsyms is not called)
# the check cannot be made: no stack for anyone, and the file says why
ptrace=$(awk '$1 == "symbol:" && $2 == "ptrace_may_access" { print $3 }' /proc/kscope/version)
for r in root noptrace; do
	run=
	[ $r = noptrace ] && run=$noptrace
	for t in plain nodump; do
		pid=$plain
		[ $t = nodump ] && pid=$nodump
		want=$(pstack "$run" "$pid")
		[ "$ptrace" = yes ] || want=no
		check_eq "$r reads the stack of a $t root task in hung as /proc/PID/stack ($want, ptrace_may_access: $ptrace)" \
			"$(kstack "$run" "$pid")" "$want"
	done
done
check_eq "root without CAP_SYS_PTRACE: /proc/PID/stack of the non-dumpable task refused" "$(pstack "$noptrace" "$nodump")" no
if [ "$ptrace" = yes ]; then
	check "and hung says why" sh -c "$noptrace cat $H | grep -q 'stack not shown: no ptrace access'"
else
	check "and hung says why: ptrace_may_access() unknown, with the reason" \
		sh -c "cat $H | grep -q 'stack not shown: ptrace_may_access() unknown ([a-zA-Z_]'"
fi
kscope_unload
wait "$plain" "$nodump"

# two root writers racing: period_ms nonzero means a running scanner.
# With KSCOPE_THREADS (10,000 on Debian's kernels, 2,000 on the slower
# debug ones) threads more, a scan takes ~10 ms; a writer stopping the
# scanner waits that long for the running scan, the window in which the
# other writer's restart, 0.5 to 10 ms later, used to be lost
kscope_load || { not_ok "insmod"; finish; }
"$KTEST" threads "${KSCOPE_THREADS:-10000}" > /tmp/t27-threads &
threads=$!
wait_for grep -q ready /tmp/t27-threads
bad=0
rounds=100
for round in $(seq $rounds); do
	echo period_ms=10 > $H
	wait_for scans_above "$(field $H scans)"
	"$KTEST" race $H $((round % 20 * 500 + 500)) period_ms=0 period_ms=10
	[ "$(field $H period_ms)" = "0 (scanner stopped)" ] && continue
	s=$(field $H scans)
	if ! wait_for scans_above "$s"; then
		bad=$((bad + 1))
		diag "round $round: $(field $H period_ms) but scans stay at $s"
		echo period_ms=0 > $H
	fi
done
check_eq "$rounds rounds of two racing period_ms writers: never a period without a scanner" $bad 0
kill $threads
wait $threads
kscope_unload
[ -n "$ht" ] && echo "$ht" > $HT
finish

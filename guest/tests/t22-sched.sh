# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# /proc/kscope/w<id>/sched against /proc/<pid>/sched, field by field,
# for tasks that cannot change between the two reads (asleep, stopped),
# with schedstats on and off; and the state file's on_rq, on_cpu, cpu
# and time in state against /proc/<pid>/stat and /proc/uptime.
. ./lib.sh

kscope_load || { not_ok "insmod"; finish; }

SS=/proc/sys/kernel/sched_schedstats
ss_saved=$(cat $SS)

# compare KSCOPE_FILE PROC_FILE: every field of /proc/<pid>/sched must
# be in kscope's file with the same value: "X.YYYYYY" milliseconds in
# /proc are X*10^6+YYYYYY in kscope's NAME_ns. An average without a
# divisor is -1 in the kernel, which /proc prints as 0.000001 (the sign
# of a zero millisecond part is lost); kscope says "n/a".
# Prints "compared N" and one line per mismatch or missing field.
# Left out, with reasons:
#   clock-delta       two reads of the reader's CPU clock, not a task field
#   numa_group_id     in struct numa_group, private to kernel/sched/fair.c
#   numa_faults ...   per-node counters laid out by fair.c's private rules
compare() {
	awk '
	NR == FNR {
		i = index($0, ": ")
		if (i) k[substr($0, 1, i - 1)] = substr($0, i + 2)
		next
	}
	FNR <= 2 { next }
	/^current_node=/ {
		split($0, a, /[=,]/)
		n++
		if (k["current_node"] != a[2]) print "current_node: kscope " k["current_node"] " /proc " a[2]
		next
	}
	/^numa_faults / { next }
	{
		i = index($0, ":")
		name = $0; sub(/ *:.*/, "", name)
		v = substr($0, i + 1); gsub(/ /, "", v)
		if (name == "clock-delta") next
		n++
		if (v ~ /\./) {
			split(v, p, ".")
			neg = (p[1] ~ /^-/); sub(/^-/, "", p[1])
			# busybox awk reads "052023" as octal
			sub(/^0+/, "", p[2])
			want = p[1] * 1000000 + p[2]
			if (neg) want = -want
			key = name "_ns"
		} else {
			want = v + 0
			# times /proc prints as integers, in ns
			key = (name == "se.avg.last_update_time" || name == "se.slice" || name ~ /^dl\./) ? name "_ns" : name
		}
		if (!(key in k)) { print "missing: " name; next }
		got = k[key]
		if (name ~ /^avg_/ && v == "0.000001" && got == "n/a") next
		if (got != want "") print name ": kscope " got " /proc " want
	}
	END { print "compared " n }' "$1" "$2"
}

# sandwich PID TAG: kscope, /proc, kscope again, until the two kscope
# reads agree (the task held still meanwhile), then compare
sandwich() {
	_try=0
	_d=$(kdir "$1")
	while :; do
		cat "$_d"/sched > /tmp/ks1."$2"
		cat /proc/"$1"/sched > /tmp/ps."$2"
		cat "$_d"/sched > /tmp/ks2."$2"
		cmp -s /tmp/ks1."$2" /tmp/ks2."$2" && break
		_try=$((_try + 1))
		[ $_try -ge 5 ] && diag "$2: the task kept changing" && break
		sleep 0.2
	done
	[ $_try -gt 0 ] && diag "$2: $_try retries before two equal reads"
	compare /tmp/ks1."$2" /tmp/ps."$2" > /tmp/cmp."$2"
	if grep -vq '^compared' /tmp/cmp."$2"; then
		diag "$2: kscope's file, then /proc's:"
		sed 's/^/#   /' /tmp/ks1."$2" /tmp/ps."$2"
	fi
}

# ---- schedstats on: every field
echo 1 > $SS
rm -f /tmp/st
"$KTEST" stampsleep /tmp/st 1000 &
sp=$!
wait_for [ -s /tmp/st ]
wait_state $sp S
sleep 0.5
echo $sp > /proc/kscope/watch

sandwich $sp on
check_eq "schedstats on: kscope says so" "$(field /tmp/ks1.on schedstats)" "on"
n=$(sed -n 's/^compared //p' /tmp/cmp.on)
check "schedstats on: compared every field of /proc/<pid>/sched ($n)" [ "${n:-0}" -ge 40 ]
mism=$(grep -v '^compared' /tmp/cmp.on)
check_eq "schedstats on: sleeping task, every field equals /proc/<pid>/sched" "$mism" ""

# derived values, computed here from /proc's numbers
psf() { awk -v n="$2" '{ name = $0; sub(/ *:.*/, "", name) } name == n { v = $0; sub(/.*: */, "", v); print v; exit }' "$1"; }
ms_to_ns() { awk -v v="$1" 'BEGIN { split(v, p, "."); sub(/^0+/, "", p[2]); printf "%d\n", p[1] * 1000000 + p[2] }'; }
ws=$(ms_to_ns "$(psf /tmp/ps.on wait_sum)")
wc=$(psf /tmp/ps.on wait_count)
rt=$(ms_to_ns "$(psf /tmp/ps.on se.sum_exec_runtime)")
if [ "$wc" -gt 0 ]; then
	check_eq "avg_wait_ns is wait_sum / wait_count" \
		"$(field /tmp/ks1.on avg_wait_ns)" "$((ws / wc))"
else
	check_eq "avg_wait_ns is n/a with no waits" "$(field /tmp/ks1.on avg_wait_ns)" "n/a"
fi
share=$(( (ws * 10000) / (ws + rt) ))
check_eq "wait_share_pct is wait_sum / (wait_sum + runtime)" \
	"$(field /tmp/ks1.on wait_share_pct)" \
	"$((share / 100)).$(printf %02d $((share % 100)))"

# time in state: ktest stamped the time, then went to sleep
age=$(field "$(kdir "$sp")"/state in_state_ns)
check_eq "sleeping task: in_state is measured from sleep_start" \
	"$(echo "$age" | awk '{ print $2 }')" "(sleep_start)"
check_age "sleeping task: in_state since its stamp" "$(stamp_ms /tmp/st)" \
	field "$(kdir "$sp")"/state in_state_ns
st=$(kdir $sp)/state
check_eq "sleeping task: on_rq 0, on_cpu 0, cpu as /proc/<pid>/stat field 39" \
	"$(field "$st" on_rq) $(field "$st" on_cpu) $(field "$st" cpu)" \
	"0 0 $(sed 's/.*) //' /proc/$sp/stat | cut -d' ' -f37)"
check_eq "a reader's own state: R, on_rq 1, on_cpu 1, in_state from its slice" \
	"$(awk '/^state:|^on_rq:|^on_cpu:/ { printf "%s ", $2 } /^in_state_ns:/ { print $3 }' /proc/kscope/self/state)" \
	"R 1 1 (slice)"

# a vfork parent in D: blocked since its child started
"$KTEST" vfork 30 > /tmp/vchild &
vp=$!
wait_state $vp D
sleep 1
child=$(cat /tmp/vchild)
echo $vp > /proc/kscope/watch
if [ -n "$child" ]; then
	check_eq "D task: in_state is measured from block_start" \
		"$(field "$(kdir "$vp")"/state in_state_ns | awk '{ print $2 }')" "(block_start)"
	check_age "D task: blocked since its vfork child started" "$(start_ms "$child")" \
		field "$(kdir "$vp")"/state in_state_ns
else
	not_ok "D task: no vfork child of $vp found in /proc"
fi
kill -9 $vp
wait $vp 2>/dev/null

# a stopped task: its sched fields hold still too, and its time in
# state is not recorded by the scheduler
kill -STOP $sp
wait_state $sp T
sandwich $sp stopped
check_eq "stopped task: every field equals /proc/<pid>/sched" \
	"$(grep -v '^compared' /tmp/cmp.stopped)" ""
check_eq "stopped task: time in state unknown, and says why" \
	"$(field "$(kdir "$sp")"/state in_state_ns)" "unknown (not recorded for this state)"
kill -9 $sp
wait $sp 2>/dev/null

# ---- schedstats off: /proc/<pid>/sched hides the schedstats block;
# kscope marks exactly those fields unavailable, not 0
echo 0 > $SS
sleep 1000 &
sp=$!
wait_state $sp S
echo $sp > /proc/kscope/watch
sandwich $sp off
check_eq "schedstats off: kscope says so" "$(field /tmp/ks1.off schedstats)" \
	"off (kernel.sched_schedstats=0)"
check_eq "schedstats off: every field /proc shows equals kscope's" \
	"$(grep -v '^compared' /tmp/cmp.off)" ""
# the fields kscope calls unavailable are those /proc left out
hidden=$(awk 'NR == FNR { if (FNR > 2) { n = $0; sub(/ *:.*/, "", n); seen[n] = 1 }; next }
	/: unavailable$/ { n = $1; sub(/:$/, "", n); sub(/_ns$/, "", n);
		if (n != "avg_wait" && n != "wait_share_pct" && (n in seen)) print "shown by /proc: " n }' \
	/tmp/ps.off /tmp/ks1.off)
check_eq "schedstats off: no field /proc shows is called unavailable" "$hidden" ""
nun=$(grep -c ': unavailable$' /tmp/ks1.off)
check "schedstats off: the schedstats block reads unavailable ($nun fields)" [ "$nun" -ge 28 ]
check_eq "schedstats off: time asleep is unknown, and says why" \
	"$(field "$(kdir "$sp")"/state in_state_ns)" "unknown (schedstats off)"

echo "$ss_saved" > $SS
kill $sp
wait $sp 2>/dev/null
kscope_unload
finish

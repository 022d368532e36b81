# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# tools/kscope-exporter, run by busybox sh and (Debian's kernels, with
# the host's / mounted) by the host's bash and awk: the file is replaced
# atomically, Prometheus' own parser (promtool check metrics, from the
# host) accepts it and rejects it broken, and its values agree with what
# the kernel says by other means: thread states counted in /proc, tasks
# held in D, T and Z; hung tasks and their blocked time against clock
# stamps; CPU seconds between two reads of /proc/stat; a watched pid's
# memory.current and memory.max; a netfilter rule's matches against the
# datagrams sent and UDP's own counters.
. ./lib.sh

EXP="$KSCOPE_DIR/kscope-exporter"
OUT=/tmp/t95/kscope.prom
mkdir -p /tmp/t95

# metric NAME{LABELS}: the value of that exact sample in $OUT
metric() {
	awk -v s="$1" 'index($0, s " ") == 1 { print substr($0, length(s) + 2); exit }' "$OUT"
}

# proc_states: every thread's state letter as /proc/<pid>/task/<tid>/stat
# says, counted: "LETTER COUNT" lines
# (one cat: threads that exit meanwhile are missing, not an error)
proc_states() {
	cat /proc/[0-9]*/task/[0-9]*/stat 2> /dev/null |
		awk '{ sub(/.*\) /, ""); n[$1]++ } END { for (l in n) print l, n[l] }'
}

# n_of LETTER FILE: the count for LETTER in a proc_states list
n_of() {
	awk -v l="$1" '$1 == l { n = $2 } END { print n + 0 }' "$2"
}

# ticks FIELD CPU FILE: /proc/stat field (2 user ... 11 guest_nice) of cpuN
ticks() {
	awk -v f="$1" -v c="cpu$2" '$1 == c { print $f }' "$3"
}

# cpu_check BEFORE AFTER PROM: every kscope_cpu_seconds_total sample of
# PROM in ticks must lie between /proc/stat's BEFORE and AFTER (user and
# nice net of guest), give or take a tick; prints the samples outside
# as "# ..." lines, then "checked N"
cpu_check() {
	awk '
	BEGIN { split("user nice system idle iowait irq softirq steal", m, " ") }
	FILENAME == ARGV[1] && $1 ~ /^cpu[0-9]/ {
		for (i = 1; i <= 8; i++) lo[substr($1, 4), m[i]] = $(i + 1)
		lo[substr($1, 4), "user"] -= $10; lo[substr($1, 4), "nice"] -= $11
	}
	FILENAME == ARGV[2] && $1 ~ /^cpu[0-9]/ {
		for (i = 1; i <= 8; i++) hi[substr($1, 4), m[i]] = $(i + 1)
		hi[substr($1, 4), "user"] -= $10; hi[substr($1, 4), "nice"] -= $11
	}
	FILENAME == ARGV[3] && /^kscope_cpu_seconds_total\{/ {
		split($1, f, "\"")
		k = f[2] SUBSEP f[4]
		got = int($2 * 100)
		if (!(k in lo) || got < lo[k] - 1 || got > hi[k] + 1)
			printf "# cpu%s %s: %d ticks, /proc/stat %s..%s\n", f[2], f[4], got, lo[k], hi[k]
		seen[k] = 1
	}
	END {
		for (k in lo) { n++; if (!(k in seen)) { split(k, f, SUBSEP); printf "# cpu%s %s: missing\n", f[1], f[2] } }
		print "checked", n
	}' "$@"
}

# The sleepers below stay in D until rmmod, minutes on a loaded host:
# khungtaskd must not report them (its report fails the VM run)
HT=/proc/sys/kernel/hung_task_timeout_secs
ht_saved=$(cat $HT 2> /dev/null)
[ -n "$ht_saved" ] && echo 0 > $HT

kscope_load hung_period_ms=100 || { not_ok "insmod"; finish; }
check_eq "set threshold_ms=1000" "$(kwrite /proc/kscope/hung threshold_ms=1000)" "ok"

# ---- tasks held still in D, T and Z
rm -f /tmp/t95/d*
dps=
for i in 1 2 3; do
	"$KTEST" stampwrite /tmp/t95/d$i /proc/kscope/inject/sleep_d 300000 > /dev/null &
	dps="$dps $!"
done
sleep 1000 &
tp=$!
kill -STOP $tp
# a parent that never reaps (builtins only: waiting would reap it)
rm -f /tmp/t95/zp
sh -c 'sh -c "exit 0" & echo $! > /tmp/t95/zp; exec sleep 1000' &
zparent=$!
wait_for [ -s /tmp/t95/zp ]
zp=$(cat /tmp/t95/zp)
wait_for [ -s /tmp/t95/d3 ]
for p in $dps; do
	wait_state "$p" D
done
wait_state $tp T
wait_state "$zp" Z
# past the hung threshold, with a scan or two after
sleep 1.5

# ---- a watched pid in a memory cgroup, holding still
G=$CG/kt95
echo +memory > $CG/cgroup.subtree_control
mkdir -p $G
echo $((64 << 20)) > $G/memory.max
in_cgroup $G "$KTEST" alloc 4096 1 > /dev/null &
ap=$!
wait_state $ap T
check_eq "watch the allocating pid" "$(kwrite /proc/kscope/watch $ap)" "ok"

# ---- a netfilter rule that counts UDP to one port on lo, budget 3
ip link set lo up
NF=/proc/kscope/netfilter/rules
have_nf=0
if [ -e $NF ]; then
	have_nf=1
	check_eq "arm a count rule" \
		"$(kwrite $NF 'proto=udp dport=9595 action=count budget=3')" "ok"
	"$KTEST" udprecv 1000 9595 > /tmp/t95/recv &
	rp=$!
	wait_for grep -q ready /tmp/t95/recv
	u0=$(udp_in)
	sent=$("$KTEST" udpsend 127.0.0.1 9595 10)
	wait $rp
	u1=$(udp_in)
	check_eq "10 datagrams sent to 127.0.0.1:9595, 10 received" \
		"$sent $(awk '$1 == 9595 { print $2 }' /tmp/t95/recv)" "sent 10 10"
fi

# ---- run it, between two readings of the ground truth
proc_states > /tmp/t95/st.before
cat /proc/stat > /tmp/t95/stat.before
t0=$(uptime_ms)
cat $G/memory.current > /tmp/t95/mc.before
"$EXP" --output /tmp/t95 > /tmp/t95/err 2>&1
rc=$?
cat $G/memory.current > /tmp/t95/mc.after
t1=$(uptime_ms)
cat /proc/stat > /tmp/t95/stat.after
proc_states > /tmp/t95/st.after

check_eq "busybox sh: exit 0, nothing on stderr" "$rc $(cat /tmp/t95/err)" "0 "
check "--output DIR writes DIR/kscope.prom" [ -s $OUT ]
# shellcheck disable=SC2010 # dot files, names of one pattern
check_eq "mode 0644, no temporary file left" \
	"$(stat -c %a $OUT) $(ls -A /tmp/t95 | grep -c '^\.kscope')" "644 0"
check_eq "every sample's family has HELP and TYPE before it" \
	"$(awk '/^# HELP / { h[$3] = 1; next } /^# TYPE / { t[$3] = 1; next }
		{ n = $1; sub(/\{.*/, "", n); if (!h[n] || !t[n]) print n }' $OUT | sort -u)" ""

# ---- states: within what /proc said just before and just after
for l in R S D T t Z I X P; do
	a=$(n_of $l /tmp/t95/st.before)
	b=$(n_of $l /tmp/t95/st.after)
	got=$(metric "kscope_tasks{state=\"$l\"}")
	lo=$a hi=$b
	[ "$a" -gt "$b" ] && lo=$b hi=$a
	# R, S and I: the exporter's own pipeline comes and goes, and the
	# kworkers it wakes run for a moment
	case $l in R | S | I) lo=$((lo - 4)) hi=$((hi + 4)) ;; esac
	if [ -n "$got" ] && [ "$got" -ge "$lo" ] && [ "$got" -le "$hi" ]; then
		ok "kscope_tasks{state=\"$l\"} $got, /proc $a then $b"
	else
		not_ok "kscope_tasks{state=\"$l\"} '$got', /proc $a then $b"
	fi
done
# kthreads sleep in D now and then: at least our three, at most what /proc saw
d=$(metric 'kscope_loadavg_contributors{state="D"}')
dmax=$(($(n_of D /tmp/t95/st.before) + $(n_of D /tmp/t95/st.after)))
check "loadavg contributors D: $d, our 3 sleepers and at most /proc's D ($dmax)" \
	[ "${d:-0}" -ge 3 -a "${d:-0}" -le "$dmax" ]
r=$(metric 'kscope_loadavg_contributors{state="R"}')
check "loadavg contributors R: $r, the exporter's awk runs (1..2 CPUs + 4)" \
	[ "${r:-0}" -ge 1 -a "${r:-0}" -le 6 ]

# ---- hung: our three sleepers, blocked since their stamps
check_eq "kscope_hung_tasks: the three sleepers" "$(metric kscope_hung_tasks)" 3
s0=$(stamp_ms /tmp/t95/d1)
for i in 2 3; do
	s=$(stamp_ms /tmp/t95/d$i)
	[ "$s" -lt "$s0" ] && s0=$s
done
got=$(metric kscope_hung_longest_blocked_seconds | awk '{ printf "%d\n", $1 * 1000 }')
lo=$((t0 - s0 - 150)) hi=$((t1 - s0 + 50))
check "longest blocked ${got} ms, since the first stamp $lo..$hi ms" \
	[ "${got:-0}" -ge $lo -a "${got:-0}" -le $hi ]

# ---- CPU seconds: between the two /proc/stat reads, each CPU and mode
cpu_check /tmp/t95/stat.before /tmp/t95/stat.after $OUT > /tmp/t95/cpu
grep '^#' /tmp/t95/cpu
n=$(sed -n 's/^checked //p' /tmp/t95/cpu)
check "kscope_cpu_seconds_total: $n samples, each between two reads of /proc/stat" \
	[ "$(grep -c '^#' /tmp/t95/cpu)" = 0 -a "${n:-0}" -gt 0 ]
# shellcheck disable=SC2013 # cpu numbers, one a line
for cpu in $(awk '$1 ~ /^cpu[0-9]+$/ { print substr($1, 4) }' /proc/stat); do
	check_eq "cpu$cpu guest seconds as /proc/stat's guest fields" \
		"$(metric "kscope_cpu_guest_seconds_total{cpu=\"$cpu\",mode=\"user\"}" | cut -d. -f1)" \
		"$(($(ticks 10 "$cpu" /tmp/t95/stat.after) / 100))"
done

# ---- memcg of the watched pid
lbl="{pid=\"$ap\",cgroup=\"/kt95\"}"
check_eq "memcg usage as memory.current (it held still)" \
	"$(metric "kscope_memcg_usage_bytes$lbl") $(cat /tmp/t95/mc.after)" \
	"$(cat /tmp/t95/mc.before) $(cat /tmp/t95/mc.before)"
check_eq "memcg limit as memory.max" "$(metric "kscope_memcg_limit_bytes$lbl")" "$(cat $G/memory.max)"

# ---- netfilter
if [ $have_nf = 1 ]; then
	lbl='{id="1",rule="proto=udp dport=9595 action=count context=softirq budget=3"}'
	check_eq "rule matched every datagram UDP received" \
		"$(metric "kscope_netfilter_rule_matched_total$lbl") $((u1 - u0))" "10 10"
	check_eq "rule hits stop at the budget" "$(metric "kscope_netfilter_rule_hits_total$lbl")" 3
else
	skip "netfilter: a count rule's matches and hits against the datagrams sent" "no netfilter on this kernel"
fi

# ---- Prometheus' parser, and the host's bash and awk
PROMTOOL=$(ls /host/var/cache/kscope/promtool-*/promtool 2>/dev/null | tail -n1)
if [ -z "$PROMTOOL" ]; then
	not_ok "promtool needs the host's / (scripts/vm --host) and scripts/setup tools"
else
	# read over 9p once (40 MB), then run from the guest's /tmp, which
	# the host's / has bound in
	cp "$PROMTOOL" /tmp/promtool
	PT="chroot /host /tmp/promtool check metrics"
	$PT < $OUT > /tmp/t95/pt 2>&1
	check_eq "promtool check metrics: no error, no lint problem" "$? $(cat /tmp/t95/pt)" "0 "
	# the same parser rejects the file broken in three ways
	for brk in 's/^\(kscope_hung_tasks\) .*/\1 three/' \
		'/^# TYPE kscope_hung_tasks /s/gauge/counter/' \
		's/^\(kscope_tasks{state="R"}\)/\1 1 2/'; do
		sed "$brk" $OUT > /tmp/t95/broken
		cmp -s $OUT /tmp/t95/broken && not_ok "sed '$brk' changed nothing"
		$PT < /tmp/t95/broken > /dev/null 2>&1
		check "promtool rejects it after sed '$brk'" [ $? -ne 0 ]
	done
	cp "$EXP" /tmp/kscope-exporter
	chroot /host /bin/bash /tmp/kscope-exporter --output - > /tmp/t95/bash.prom 2> /tmp/t95/bash.err
	check_eq "the host's bash and awk: exit 0, nothing on stderr" "$? $(cat /tmp/t95/bash.err)" "0 "
	check_eq "the same samples as busybox's" \
		"$(sed 's/ [^ ]*$//' /tmp/t95/bash.prom)" "$(sed 's/ [^ ]*$//' $OUT)"
fi

# ---- kscope gone: an error, and the old file stays (rmmod wakes the
# sleepers in D)
kill -9 $tp $ap $zparent
wait $tp $ap $zparent 2> /dev/null
[ $have_nf = 1 ] && kwrite $NF 'del all' > /dev/null
cp $OUT /tmp/t95/old
wait_for rmmod kscope 2> /dev/null
# shellcheck disable=SC2086 # three pids
wait $dps
"$EXP" --output $OUT > /dev/null 2> /tmp/t95/err
rc=$?
check_eq "kscope not loaded: exit 1, says so" \
	"$rc $(grep -c 'not loaded' /tmp/t95/err)" "1 1"
check "and leaves the old file as it was" cmp -s $OUT /tmp/t95/old
rmdir $G 2> /dev/null
[ -n "$ht_saved" ] && echo "$ht_saved" > $HT
finish

# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Every thread's line in /proc/kscope/tasks against what
# /proc/<tgid>/task/<tid>/stat and status say in the same moment.
. ./lib.sh

kscope_load || { not_ok "insmod"; finish; }

# procsnap TIDLIST: for each "tid tgid" line, what /proc says, one line
# "tid STATE PPID KTHREAD PRIO NICE CPU POLICY NVCSW NIVCSW" (threads
# gone meanwhile are left out). Fields of /proc/<pid>/stat after the
# comm: 3 state, 4 ppid, 9 flags, 18 priority, 19 nice, 39 processor,
# 41 policy; switches come from status.
procsnap() {
	awk '
	BEGIN { split("normal fifo rr batch x idle deadline", pol, " ") }
	{
		tid = $1; tgid = $2
		f = "/proc/" tgid "/task/" tid "/stat"
		if ((getline line < f) <= 0) { close(f); next }
		close(f)
		i = length(line)
		while (i > 0 && substr(line, i, 1) != ")") i--
		split(substr(line, i + 2), a, " ")
		kth = int(a[7] / 2097152) % 2	# PF_KTHREAD 0x00200000
		s = "/proc/" tgid "/task/" tid "/status"
		vol = "?"; invol = "?"
		while ((getline st < s) > 0) {
			split(st, b, /[ \t]+/)
			if (b[1] == "voluntary_ctxt_switches:") vol = b[2]
			if (b[1] == "nonvoluntary_ctxt_switches:") invol = b[2]
		}
		close(s)
		print tid, a[1], a[2], kth, a[16], a[17], a[37], pol[a[39] + 1], vol, invol
	}' "$1"
}

# kscope's fields in the same order, from a tasks dump
ksnap() {
	awk 'NR > 1 { print $1, $4, $3, $7, $9, $10, $8, $11, $12, $13 }' "$1"
}

# sandwich BEFORE KSCOPE AFTER: kscope was read between two reads of
# /proc, so each of its fields must equal what /proc said before or
# after, and a switch counter must lie between the two. Prints "tid FIELD kscope before after" for each that does not.
sandwich() {
	awk '
	BEGIN { split("TID STATE PPID KTHREAD PRIO NICE CPU POLICY NVCSW NIVCSW", name, " ") }
	FILENAME == ARGV[1] { b[$1] = $0; next }
	FILENAME == ARGV[3] { a[$1] = $0; next }
	{ k[$1] = $0 }
	END {
		for (t in k) {
			if (!(t in b) || !(t in a)) continue
			nk = split(k[t], kf, " "); split(b[t], bf, " "); split(a[t], af, " ")
			for (i = 2; i <= nk; i++) {
				# switch counters only grow: kscope must lie between
				if (name[i] ~ /CSW$/ && bf[i] != "?" && af[i] != "?" &&
				    kf[i] + 0 >= bf[i] + 0 && kf[i] + 0 <= af[i] + 0)
					continue
				if (kf[i] != bf[i] && kf[i] != af[i])
					print t, name[i], kf[i], bf[i], af[i]
			}
		}
	}' "$1" "$2" "$3"
}

# one round over the threads in $1 ("tid tgid" lines)
round() {
	procsnap "$1" > /tmp/before
	cat /proc/kscope/tasks > /tmp/tasks
	procsnap "$1" > /tmp/after
	ksnap /tmp/tasks > /tmp/kscope
	sandwich /tmp/before /tmp/kscope /tmp/after
}

cat /proc/kscope/tasks > /tmp/tasks
awk 'NR > 1 { print $1, $2 }' /tmp/tasks > /tmp/all
total=$(wc -l < /tmp/all)
nproc_threads=$(ls -d /proc/[0-9]*/task/[0-9]* | wc -l)
diag "$total threads in kscope, $nproc_threads in /proc"
round /tmp/all > /tmp/diff
# a thread that moved on both sides of the sandwich gets another try,
# up to ten; one that never agrees is a real disagreement
r=0
while [ -s /tmp/diff ] && [ $r -lt 10 ]; do
	r=$((r + 1))
	awk 'NR == FNR { want[$1] = 1; next } want[$1]' /tmp/diff /tmp/all > /tmp/retry
	round /tmp/retry > /tmp/diff
done
if [ -s /tmp/diff ]; then
	not_ok "every field agrees with /proc/<pid>/task/<tid>/stat and status"
	head -20 /tmp/diff | while read -r l; do diag "tid field kscope before after: $l"; done
else
	ok "every field of $total threads agrees with /proc/<pid>/task/<tid>/stat and status ($r retries)"
fi
# A sleeping thread (S, or I) counts in load only while it is still on
# a runqueue: between set_current_state() and schedule(), while a waker
# has queued it and not yet set it running (under single-threaded TCG
# either can last a whole turn of the other vCPU), and on 6.12 while
# the kernel holds it queued after it slept not eligible (delayed
# dequeue, the root cfs_rqs' h_nr_delayed; none before 6.12). The first
# two pass; the third lasts until the thread is picked. So read five
# times: the threads that counted in every read may be no more than
# the most the kernel held delayed.
delayed_now() {
	awk '/^cfs_rq\[[0-9]+\]:\/$/ { r = 1; next }
	/^(cfs_rq|rt_rq|dl_rq)\[|^cpu#/ { r = 0 }
	r && $1 == ".h_nr_delayed" { d += $3 }
	END { print d + 0 }' /sys/kernel/debug/sched/debug 2>/dev/null || echo 0
}
dmax=0
for r in 1 2 3 4 5; do
	awk 'NR > 1 && ($4 == "S" || $4 == "I") && $5 != 0 { print $1, $4, $14 }' \
		/proc/kscope/tasks > /tmp/load.$r
	dn=$(delayed_now)
	[ "$dn" -gt "$dmax" ] && dmax=$dn
	sleep 0.2
done
# the tids in all five lists
sort /tmp/load.1 /tmp/load.2 /tmp/load.3 /tmp/load.4 /tmp/load.5 | uniq -c |
	awk '$1 == 5 { print $2, $3, $4 }' > /tmp/load.all
n=$(wc -l < /tmp/load.all)
check "S and I threads counting in load in 5 reads ($n) are no more than the kernel held delayed ($dmax)" \
	[ "$n" -le "$dmax" ]
while read -r l; do diag "counted in every read: tid state comm $l"; done < /tmp/load.all

d=$((total - nproc_threads))
check "thread count within 5 of /proc's ($total vs $nproc_threads)" [ "${d#-}" -le 5 ]
idle=$(awk 'NR > 1 && $4 == "I"' /tmp/tasks | wc -l)
check "idle kernel threads show I ($idle)" [ "$idle" -gt 0 ]
check_eq "every I thread is a kernel thread" \
	"$(awk 'NR > 1 && $4 == "I" && $7 != 1' /tmp/tasks | wc -l)" 0
check_eq "kthreadd is pid 2, a kernel thread, parent 0" \
	"$(awk 'NR > 1 && $1 == 2 { print $3, $7, $14 }' /tmp/tasks)" "0 1 kthreadd"
check_eq "init is pid 1, not a kernel thread" \
	"$(awk 'NR > 1 && $1 == 1 { print $2, $7 }' /tmp/tasks)" "1 0"
# this shell waits for the command substitution's child meanwhile; on
# a loaded host the child can read before the shell has gone to sleep,
# so look a few times
i=0
while :; do
	got=$(awk -v p=$$ 'NR > 1 && $1 == p { print $4, $5 }' /proc/kscope/tasks)
	[ "$got" = "S 0" ] || [ $i -ge 10 ] && break
	i=$((i + 1))
done
check_eq "a shell waiting for its child: S, LOAD 0" "$got" "S 0"
# exec: $$ of the sh -c is the awk that reads the file
check_eq "the reading process itself: R, LOAD 1" \
	"$(sh -c 'exec awk -v p=$$ "NR > 1 && \$1 == p { print \$4, \$5 }" /proc/kscope/tasks')" \
	"R 1"

# stopped, zombie, and D (a vfork parent waits killable: D, counts in load)
sleep 60 &
sp=$!
kill -STOP $sp
wait_state $sp T
check_eq "stopped task: T" "$(kline $sp | awk '{ print $4, $5 }')" "T 0"
kill -CONT $sp
kill $sp

"$KTEST" vfork 30 > /dev/null &
vp=$!
if wait_state $vp D; then
	check_eq "vfork parent: /proc says D, kscope says D with LOAD 1" \
		"$(kline $vp | awk '{ print $4, $5 }')" "D 1"
	raw=$(kline $vp | awk '{ print $6 }')
	check "its raw bits ($raw) include UNINTERRUPTIBLE" [ $((raw & 2)) -eq 2 ]
else
	not_ok "vfork parent never showed D in /proc"
fi
kill -9 $vp 2>/dev/null
wait $vp 2>/dev/null

# a parent that never reaps: its exited child stays a zombie
rm -f /tmp/zp
# The child exits only once its parent has become sleep: a child that
# exits while the parent is still the shell is reaped by that shell, and
# since EEVDF (6.6) a new child often runs before its parent does.
# shellcheck disable=SC2016 # expanded by the child shell
echo 'while [ "$(cat /proc/$PPID/comm)" != sleep ]; do sleep 0.1; done' > /tmp/zchild
# (builtins only in that shell: waiting for any foreground child would
# reap the zombie too)
sh -c 'sh /tmp/zchild & echo $! > /tmp/zp; exec sleep 60' &
zparent=$!
wait_for [ -s /tmp/zp ]
zp=$(cat /tmp/zp)
wait_state "$zp" Z
check_eq "zombie: /proc says Z, kscope too" \
	"$(state_of "$zp") $(kline "$zp" | awk '{ print $4, $5 }')" "Z Z 0"
kill $zparent
wait $zparent 2>/dev/null

# A task frozen by the cgroup v1 freezer sleeps in TASK_FROZEN: /proc
# reports it as D, yet __schedule() does not count it in the load
# average. A LOAD derived from the letter would say 1 here.
mkdir -p /tmp/freezer
if grep -qw freezer /proc/cgroups && mount -t cgroup -o freezer none /tmp/freezer 2>/dev/null; then
	mkdir /tmp/freezer/kscope
	sleep 300 &
	fp=$!
	echo $fp > /tmp/freezer/kscope/cgroup.procs
	echo FROZEN > /tmp/freezer/kscope/freezer.state
	i=0
	while [ "$(cat /tmp/freezer/kscope/freezer.state)" != FROZEN ] && [ $i -lt 300 ]; do
		i=$((i + 1))
		sleep 0.1
	done
	check_eq "frozen task: /proc says D, kscope says D with LOAD 0 and FROZEN set" \
		"$(state_of $fp) $(kline $fp | awk '{ print $4, $5 }') $(($(kline $fp | awk '{ print $6 }') & 0x8000))" \
		"D D 0 32768"
	echo THAWED > /tmp/freezer/kscope/freezer.state
	kill $fp
	wait $fp 2>/dev/null
	rmdir /tmp/freezer/kscope
	umount /tmp/freezer
else
	skip "frozen task: /proc says D, kscope says D with LOAD 0 and FROZEN set" \
		"no cgroup v1 freezer on this kernel"
fi

kscope_unload
finish

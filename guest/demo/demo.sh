#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The guest side of `make demo` (scripts/demo): loads kscope, shows its
# files, and runs two experiments, each explained as it goes.
show() {
	echo
	echo "\$ $*"
	sh -c "$*"
}
set -e
show insmod /kscope/kscope.ko
show ls /proc/kscope
show cat /proc/kscope/version
show "head -12 /proc/kscope/tasks"
show cat /proc/kscope/self/state
show cat /proc/kscope/cpustat
show "grep -E 'cpu ' /proc/stat"

echo
echo "### Experiment: why is the load average what it is?"
echo "### A vfork() parent waits in D (killable) until its child exits;"
echo "### idle kernel threads sleep in I (TASK_UNINTERRUPTIBLE|TASK_NOLOAD)."
echo "### With schedstats on, the scheduler records when each went to sleep."
show "echo 1 > /proc/sys/kernel/sched_schedstats"
/kscope/ktest vfork 20 > /dev/null &
vp=$!
sleep 3
show "echo $vp > /proc/kscope/watch"
echo "# watch maps each watched pid to its directory, /proc/kscope/wID."
show cat /proc/kscope/watch
vd=/proc/kscope/$(awk -v p=$vp '$1 == p { print $2 }' /proc/kscope/watch)
show cat "$vd"/state
echo
echo "# /proc/$vp/stat agrees on the letter: $(sed 's/.*) //' /proc/$vp/stat | cut -d' ' -f1)"
show cat /proc/kscope/loadavg
show cat /proc/loadavg
echo
echo "# D tasks count in the load although they use no CPU; I tasks never do."
show "grep -E '^(se\\.sum_exec|sum_block|block_start|nr_.*switches|avg_)' $vd/sched"
show cat "$vd"/cputime
kill -9 $vp

echo
echo "### Experiment: a task made to hang on purpose (root only). It sleeps"
echo "### 4 s in D through inject/sleep_d; with a 1 s threshold kscope lists"
echo "### it long before khungtaskd (hung_task_timeout_secs) would."
show "echo threshold_ms=1000 period_ms=100 > /proc/kscope/hung"
(echo 4000 > /proc/kscope/inject/sleep_d) &
sp=$!
sleep 2
show "echo $sp > /proc/kscope/watch"
show "grep -E '^(threshold_ms|tracked|crossed)|^ *PID|^ *$sp ' /proc/kscope/hung"
show cat /proc/kscope/all/state
wait $sp
show cat /proc/kscope/hung_history
show rmmod kscope
show "ls /proc/kscope 2>&1 || true"

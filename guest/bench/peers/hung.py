# SPDX-License-Identifier: GPL-2.0
# drgn: the hung tasks by the rule of kernel/hung_task.c (6.1):
# TASK_UNINTERRUPTIBLE, not killable, not idle (NOLOAD), not frozen,
# switched out at least once, and blocked at least argv[1] ms. Blocked
# time from the scheduler's block_start (schedstats on) against the
# latest runqueue clock; else from khungtaskd's last_switch_time if it
# has seen the task with its current switch count. Prints
# "TID TGID BLOCKED_MS COMM".
import sys

from drgn.helpers.linux.cpumask import for_each_online_cpu
from drgn.helpers.linux.percpu import per_cpu
from drgn.helpers.linux.pid import for_each_task

TASK_UNINTERRUPTIBLE = 0x2
TASK_WAKEKILL = 0x100
TASK_NOLOAD = 0x400
TASK_FROZEN = 0x8000

threshold_ms = int(sys.argv[1])
now = max(per_cpu(prog["runqueues"], cpu).clock.value_()
          for cpu in for_each_online_cpu(prog))
jiffies = prog["jiffies_64"].value_()
# tick_nsec is TICK_NSEC, NSEC_PER_SEC / HZ rounded
hz = round(1e9 / prog["tick_nsec"].value_())
out = []
for t in for_each_task(prog):
    s = t.__state.value_()
    switches = t.nvcsw.value_() + t.nivcsw.value_()
    if (not s & TASK_UNINTERRUPTIBLE or s & (TASK_WAKEKILL | TASK_NOLOAD | TASK_FROZEN)
            or not switches):
        continue
    start = t.stats.block_start.value_()
    if start:
        blocked_ms = max(now - start, 0) // 1000000
    elif t.last_switch_count.value_() == switches and t.last_switch_time.value_():
        blocked_ms = (jiffies - t.last_switch_time.value_()) * 1000 // hz
    else:
        continue
    if blocked_ms >= threshold_ms:
        out.append("%d %d %d %s" % (t.pid.value_(), t.tgid.value_(), blocked_ms,
                                    t.comm.string_().decode(errors="replace")))
sys.stdout.write("".join(line + "\n" for line in out))

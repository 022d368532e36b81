# SPDX-License-Identifier: GPL-2.0
# drgn: every thread as "TID STATE COMM", with drgn's own
# task_state_to_char().
import sys

from drgn.helpers.linux.pid import for_each_task
from drgn.helpers.linux.sched import task_state_to_char

out = []
for t in for_each_task(prog):
    out.append("%d %s %s" % (t.pid.value_(), task_state_to_char(t),
                             t.comm.string_().decode(errors="replace")))
sys.stdout.write("\n".join(out) + "\n")

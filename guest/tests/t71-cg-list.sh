# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# /proc/kscope/w<id>/cg_list against cgroup v2: the tasks it lists are
# exactly cgroup.threads of a cgroup that holds one css_set, before and
# after tasks migrate, and while one migrates back and forth; its
# cgroup lines equal /proc/<pid>/cgroup; tasks in one cgroup share the
# css_set id, tasks in two do not; a css_set of more tasks than the
# list holds says how many more.
. ./lib.sh

kscope_load || { not_ok "insmod"; finish; }

A=$CG/kt71a
B=$CG/kt71b
mkdir -p $A $B

in_cgroup $A "$KTEST" threads 3 > /tmp/t71.thr &
tp=$!
in_cgroup $A sleep 600 &
sa=$!
in_cgroup $B sleep 600 &
sb=$!
wait_for grep -q ready /tmp/t71.thr || not_ok "threads started"
for p in $tp $sa $sb; do
	echo "$p" > /proc/kscope/watch
done

# listed PID: the pids cg_list of PID lists, sorted
listed() {
	awk '/^    PID COMM$/ { on = 1; next } /^$/ { on = 0 } on { print $1 }' \
		"$(kdir "$1")"/cg_list | sort -n | tr '\n' ' '
}

threads_of() {
	sort -n "$1"/cgroup.threads | tr '\n' ' '
}

check_eq "A: cg_list lists cgroup.threads (4 threads, 1 sleep)" "$(listed $tp)" "$(threads_of $A)"
check_eq "B: cg_list lists cgroup.threads" "$(listed $sb)" "$(threads_of $B)"
check_eq "A: nr_tasks is the number of threads" \
	"$(field "$(kdir "$tp")"/cg_list nr_tasks)" "$(wc -l < $A/cgroup.threads)"
id_tp=$(field "$(kdir "$tp")"/cg_list css_set)
check_eq "tasks in one cgroup share a css_set id" "$(field "$(kdir "$sa")"/cg_list css_set)" "$id_tp"
check "tasks in two cgroups do not ($id_tp, $(field "$(kdir "$sb")"/cg_list css_set))" \
	[ "$(field "$(kdir "$sb")"/cg_list css_set)" != "$id_tp" ]
check "the id is 16 hex digits, not an address" \
	sh -c "echo $id_tp | grep -qE '^[0-9a-f]{16}$'"
check_eq "cgroup lines equal /proc/$tp/cgroup" \
	"$(sed -n 's/^cgroup: //p' "$(kdir "$tp")"/cg_list | sort)" "$(sort /proc/$tp/cgroup)"
check_eq "listed, more, exiting" \
	"$(field "$(kdir "$tp")"/cg_list listed) $(field "$(kdir "$tp")"/cg_list more) $(field "$(kdir "$tp")"/cg_list exiting)" \
	"5 0 0"

# migrate the sleep from A to B
echo $sa > $B/cgroup.procs
check_eq "after migration, A: cg_list lists cgroup.threads" "$(listed $tp)" "$(threads_of $A)"
check_eq "after migration, B: cg_list lists cgroup.threads" "$(listed $sb)" "$(threads_of $B)"
check_eq "after migration, the sleep has B's css_set" \
	"$(field "$(kdir "$sa")"/cg_list css_set)" "$(field "$(kdir "$sb")"/cg_list css_set)"
check_eq "after migration, /proc/$sa/cgroup agrees" \
	"$(sed -n 's/^cgroup: //p' "$(kdir "$sa")"/cg_list)" "$(cat /proc/$sa/cgroup)"

# one task migrates back and forth while A's list is read: the four
# threads that stay are always listed, the migrating one at most once,
# and nothing else ever
# A's threads are read before the mover starts: once it runs, A may
# hold the mover too
stay="$(threads_of $A)"
sh -c 'while :; do echo '$sa' > '$A'/cgroup.procs; echo '$sa' > '$B'/cgroup.procs; done' &
mover=$!
bad=
i=0
while [ $i -lt 25 ]; do
	got=$(listed $tp)
	want_a="$stay"
	want_b=$(echo "$stay $sa" | tr ' ' '\n' | grep . | sort -n | tr '\n' ' ')
	[ "$got" = "$want_a" ] || [ "$got" = "$want_b" ] || bad="$bad [$got]"
	i=$((i + 1))
done
kill $mover
wait $mover 2>/dev/null
check_eq "25 reads during migration: the staying threads, plus the mover at most" "$bad" ""

# more tasks than the list holds: 4096 listed, the rest counted
in_cgroup $B "$KTEST" threads 4200 > /tmp/t71.many &
mp=$!
wait_for grep -q ready /tmp/t71.many || not_ok "4200 threads started"
n=$(wc -l < $B/cgroup.threads)
cat "$(kdir "$sb")"/cg_list > /tmp/t71.big
check_eq "a css_set of $n tasks: 4096 listed, the rest in more" \
	"$(field /tmp/t71.big listed) $(field /tmp/t71.big more)" "4096 $((n - 4096))"
check_eq "rows are the listed count" \
	"$(awk '/^    PID COMM$/ { on = 1; next } /^$/ { on = 0 } on' /tmp/t71.big | wc -l)" 4096

kill -9 $tp $sa $sb $mp
wait $tp $sa $sb $mp 2>/dev/null
rmdir $A $B 2>/dev/null
kscope_unload
finish

# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Permissions, as an unprivileged user (uid 65534) inside the VM:
# every writable file refuses writes with EPERM, also to a user who is
# root in a user namespace of their own; destructive netfilter actions
# are refused without allow_destructive=1 even for root; no kernel
# address reaches a non-root reader of any file, while root does get
# kernel stacks (the pattern that looks for them works).
. ./lib.sh

P=/proc/kscope
NOBODY=65534
as_nobody() {
	"$KTEST" runas $NOBODY "$@"
}

kscope_load || { not_ok "insmod"; finish; }

# a root task in D, listed by hung with its stack, and watched; it sleeps
# until rmmod, so khungtaskd is off meanwhile (a slow VM may take minutes)
HT=/proc/sys/kernel/hung_task_timeout_secs
ht=$(cat $HT 2>/dev/null)
[ -n "$ht" ] && echo 0 > $HT
echo threshold_ms=0 period_ms=100 > $P/hung
"$KTEST" write $P/inject/sleep_d 600000 > /dev/null &
sleeper=$!
wait_state $sleeper D
# killed at the end: a VM stalled for minutes must not see it exit early
sleep 100000 &
root_task=$!
echo "$sleeper $root_task" > $P/watch
# the root task's directory, by its name under /proc/kscope (wID)
rd=$(kdir $root_task)
rd=${rd##*/}
wait_for grep -Eq "^ +$sleeper " $P/hung

# the writable files are exactly the control files this test knows
writable=$(find $P -type f -perm -200 | sort | tr '\n' ' ')
want="$P/hung $P/inject/memcg_charge $P/inject/sleep_d $P/inject/sleep_i $P/watch "
[ -e $P/netfilter ] && want="$P/hung $P/inject/memcg_charge $P/inject/sleep_d $P/inject/sleep_i $P/netfilter/rules $P/watch "
check_eq "writable files: the control files" "$writable" "$want"

# a valid write for each, which root may make
valid() {
	case $1 in
	*/watch) echo "$root_task" ;;
	*/hung) echo "threshold_ms=0" ;;
	*/sleep_?) echo 1 ;;
	*/memcg_charge) echo "alloc 4K" ;;
	*/rules) echo "proto=udp dport=9 action=count" ;;
	esac
}
userns=$(as_nobody unshare -Ur sh -c 'id -u' 2>/dev/null)
for f in $writable; do
	check_eq "${f#"$P"/}: non-root write: EPERM" "$(as_nobody "$KTEST" write "$f" "$(valid "$f")")" EPERM
	if [ "$userns" = 0 ]; then
		check_eq "${f#"$P"/}: root of a user namespace: EPERM" \
			"$(as_nobody unshare -Ur "$KTEST" write "$f" "$(valid "$f")")" EPERM
	else
		skip "${f#"$P"/}: root of a user namespace: EPERM" \
			"no unprivileged user namespaces here"
	fi
	check_eq "${f#"$P"/}: root may write" "$(kwrite "$f" "$(valid "$f")")" ok
done
echo free > $P/inject/memcg_charge
[ -e $P/netfilter ] && echo "del all" > $P/netfilter/rules

if [ -e $P/netfilter ]; then
	for a in warn panic "lockup ms=10" "oom context=work"; do
		check_eq "destructive action=$a refused to root without allow_destructive" \
			"$(kwrite $P/netfilter/rules "proto=udp dport=9 action=$a")" EPERM
	done
	check_eq "and nothing was added" "$(awk 'NR > 1' $P/netfilter/rules | wc -l)" 0
else
	skip "destructive actions refused to root without allow_destructive" \
		"no netfilter in this kernel"
fi

# No kernel addresses for non-root readers: no stack frame (symbol+off/len),
# no 64-bit kernel pointer; root reads show the stacks, so the search works
ADDR='[+]0x[0-9a-f]+/0x[0-9a-f]+|ffff[89a-f][0-9a-f]{11}|0x[0-9a-f]{12,}'
files=$(find $P -type f -perm -004)
nr=0
leaks=0
for f in $files; do
	nr=$((nr + 1))
	if as_nobody cat "$f" 2>/dev/null | grep -Eq "$ADDR"; then
		leaks=$((leaks + 1))
		diag "$f shows an address to uid $NOBODY"
	fi
done
check_eq "no kernel address in any of $nr files read by uid $NOBODY" "$leaks" 0
# without ptrace_may_access (IBT) no stack is shown, and hung says why
ptrace=$(awk '$1 == "symbol:" && $2 == "ptrace_may_access" { print $3 }' $P/version)
if [ "$ptrace" = yes ]; then
	check "root sees the D task's kernel stack in hung" grep -Eq "$ADDR" $P/hung
else
	check "root: hung says why no stack (ptrace_may_access unknown)" grep -q 'ptrace_may_access() unknown (' $P/hung
fi
check "uid $NOBODY sees the D task in hung, without it" \
	sh -c "$KTEST runas $NOBODY cat $P/hung | grep -Eq '^ +$sleeper '"

# per-task files of a root task: readable by others exactly as /proc's
# equivalents are on a /proc without hidepid= (and on one with, below)
for f in state:stat sched:sched cputime:stat cg_list:cgroup memcg:cgroup lru:cgroup; do
	k=${f%%:*}
	p=${f#*:}
	[ -e $P/"$rd"/"$k" ] || continue
	a=$(as_nobody cat $P/"$rd"/"$k" > /dev/null 2>&1 && echo yes || echo no)
	b=$(as_nobody cat /proc/$root_task/"$p" > /dev/null 2>&1 && echo yes || echo no)
	check_eq "$k of a root task read by uid $NOBODY as /proc/PID/$p is ($b)" "$a" "$b"
done

# hidepid=: kscope's files show uid 65534 no more tasks than that /proc
# mount does. The ground truth is /proc's own listing through the mount.
"$KTEST" runas $NOBODY sleep 100000 &
own=$!
mkdir -p /tmp/p2 /tmp/p1 /tmp/pg
mount -t proc -o hidepid=invisible proc /tmp/p2
mount -t proc -o hidepid=noaccess proc /tmp/p1
mount -t proc -o hidepid=invisible,gid=$NOBODY proc /tmp/pg
wait_for [ -d /proc/kscope/"$rd" ]
# readable FILE: "yes", or why uid 65534 cannot read FILE (the errno's text)
readable() {
	_e=$(as_nobody cat "$1" 2>&1 > /dev/null) && echo yes || echo "${_e##*: }"
}
sees() {	# sees MOUNT FILE PID: uid 65534 finds PID in MOUNT/kscope/FILE
	as_nobody cat "$1"/kscope/"$2" 2>/dev/null | awk -v p="$3" '$1 == p { f = 1 } END { exit !f }'
}
sees_all() {	# sees_all MOUNT FILE PID: uid 65534 finds PID's block in MOUNT/kscope/all/FILE
	as_nobody cat "$1"/kscope/all/"$2" 2>/dev/null | grep -qx "pid: $3"
}
# listed MOUNT PID WHAT FILE...: uid 65534 finds PID in each FILE as
# it can read MOUNT/PID/stat
listed() {
	_m=$1
	_p=$2
	_what=$3
	shift 3
	_truth=$(readable "$_m"/"$_p"/stat)
	[ "$_truth" = yes ] || _truth=no
	for _f in "$@"; do
		check_eq "$_m: uid $NOBODY sees $_what in $_f as in $_m/PID/stat ($_truth)" \
			"$(sees "$_m" "$_f" "$_p" && echo yes || echo no)" "$_truth"
	done
}
for m in /proc /tmp/p2 /tmp/p1 /tmp/pg; do
	listed $m $root_task "a root task" tasks watch
	listed $m $sleeper "root's D task" hung loadavg
	truth=$(readable $m/$root_task/stat)
	for f in state sched cputime cg_list memcg lru; do
		[ -e $m/kscope/"$rd"/$f ] || continue
		check_eq "$m: $f of a root task read by uid $NOBODY as $m/PID/stat is ($truth)" \
			"$(readable $m/kscope/"$rd"/$f)" "$truth"
	done
	for f in state sched cputime cg_list memcg lru; do
		check_eq "$m: all/$f has a root task's block for uid $NOBODY as $m/PID/stat is readable ($truth)" \
			"$(sees_all $m $f $root_task && echo yes || echo no)" "$([ "$truth" = yes ] && echo yes || echo no)"
	done
	if [ "$ptrace" = yes ] || [ $m = /proc ] || [ $m = /tmp/pg ]; then
		check "$m: uid $NOBODY sees its own task in tasks" sees $m tasks $own
	else
		# without ptrace_may_access() (Documentation/permissions.rst):
		# only the reader's own thread group, though $m lists its others
		check_eq "$m: uid $NOBODY's other task is listed by $m itself" "$(readable $m/$own/stat)" yes
		check_eq "$m: without ptrace_may_access, uid $NOBODY's other task is absent from tasks" \
			"$(sees $m tasks $own && echo yes || echo no)" no
		# shellcheck disable=SC2016 # the reader's own $$
		check_eq "$m: and tasks lists for uid $NOBODY exactly its own thread group" \
			"$(as_nobody sh -c 'echo $$; exec awk '\''$1 ~ /^[0-9]+$/ && NF >= 3 { print $1 }'\'' '"$m"'/kscope/tasks' |
				awk 'NR == 1 { s = $1; next } { n++; if ($1 != s) bad = bad " " $1 } END { print (n == 1 && bad == "") ? "self" : n " rows:" bad }')" self
	fi
	check "$m: root sees the root task in tasks" \
		sh -c "awk -v p=$root_task '\$1 == p { f = 1 } END { exit !f }' $m/kscope/tasks"
done
echo $own > $P/watch
od=$(kdir $own)
od=${od##*/}
if [ "$ptrace" = yes ]; then
	check "/tmp/p2: all/state shows uid $NOBODY its own task" sees_all /tmp/p2 state $own
	hidden=$(as_nobody cat /tmp/p2/kscope/"$od"/cg_list | sed -n 's/^hidden: //p')
	listed=$(as_nobody cat /tmp/p2/kscope/"$od"/cg_list | awk '/^ +PID COMM/ { l = 1; next } l && /^ *[0-9]/ { print $1 }' | tr '\n' ' ')
	mine=$own
else
	check_eq "/tmp/p2: without ptrace_may_access, all/state has no block of uid $NOBODY's other task" \
		"$(sees_all /tmp/p2 state $own && echo yes || echo no)" no
	check_eq "/tmp/p2: and its cg_list reads ENOENT, as for a task /tmp/p2 hides" \
		"$(readable /tmp/p2/kscope/"$od"/cg_list)" "No such file or directory"
	# the reader's own cg_list (watched, so that its directory exists):
	# its own thread group, nothing else
	rm -f /tmp/t90-self
	# shellcheck disable=SC2016 # the reader's own $$
	# The shell reads watch itself: without ptrace_may_access, watch
	# lists it only to its own thread group (an awk would not see it)
	as_nobody sh -c 'echo $$ > /tmp/t90-self.new && mv /tmp/t90-self.new /tmp/t90-self
		d=
		n=0
		while [ -z "$d" ] && [ $n -lt 600 ]; do
			sleep 0.1
			n=$((n + 1))
			while read -r p w rest; do
				[ "$p" = $$ ] && d=$w
			done < /tmp/p2/kscope/watch
		done
		exec cat /tmp/p2/kscope/"${d:-unlisted}"/cg_list' > /tmp/t90-self.out &
	wait_for [ -s /tmp/t90-self ]
	mine=$(cat /tmp/t90-self)
	echo "$mine" > $P/watch
	wait $!
	out=$(cat /tmp/t90-self.out)
	echo "-$mine" > $P/watch 2>/dev/null || :
	rm -f /tmp/t90-self /tmp/t90-self.out
	hidden=$(echo "$out" | sed -n 's/^hidden: //p')
	listed=$(echo "$out" | awk '/^ +PID COMM/ { l = 1; next } l && /^ *[0-9]/ { print $1 }' | tr '\n' ' ')
	check_eq "/tmp/p2: without ptrace_may_access, the reader's cg_list lists only itself" "$listed" "$mine "
fi
check "/tmp/p2: cg_list of uid $NOBODY's task hides root's tasks in its cgroup ($hidden hidden)" \
	[ "${hidden:-0}" -gt 0 ]
# the rest are root's; the reading cat is uid 65534's too, and gone now
root_listed=
for p in $listed; do
	[ "$(awk '/^Uid:/ { print $2 }' /proc/"$p"/status 2>/dev/null)" = 0 ] && root_listed="$root_listed $p"
done
check "/tmp/p2: and lists its own ($listed), no root task" \
	sh -c "echo ' $listed' | grep -q ' $mine ' && [ -z '$root_listed' ]"
umount /tmp/p2 /tmp/p1 /tmp/pg

kill $root_task $own
wait $root_task $own
check "rmmod (wakes the D task)" kscope_unload
wait $sleeper
[ -n "$ht" ] && echo "$ht" > $HT
finish

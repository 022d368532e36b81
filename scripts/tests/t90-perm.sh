# SPDX-License-Identifier: GPL-2.0
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

# a root task in D, listed by hung with its stack, and watched
echo threshold_ms=0 period_ms=100 > $P/hung
"$KTEST" write $P/inject/sleep_d 20000 > /dev/null &
sleeper=$!
wait_state $sleeper D
sleep 300 &
root_task=$!
echo "$sleeper $root_task" > $P/watch
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
	check_eq "${f#$P/}: non-root write: EPERM" "$(as_nobody "$KTEST" write $f "$(valid $f)")" EPERM
	if [ "$userns" = 0 ]; then
		check_eq "${f#$P/}: root of a user namespace: EPERM" \
			"$(as_nobody unshare -Ur "$KTEST" write $f "$(valid $f)")" EPERM
	fi
	check_eq "${f#$P/}: root may write" "$(kwrite $f "$(valid $f)")" ok
done
[ "$userns" = 0 ] || diag "no unprivileged user namespaces here: that case not tested"
echo free > $P/inject/memcg_charge
[ -e $P/netfilter ] && echo "del all" > $P/netfilter/rules

if [ -e $P/netfilter ]; then
	for a in warn panic "lockup ms=10" "oom context=work"; do
		check_eq "destructive action=$a refused to root without allow_destructive" \
			"$(kwrite $P/netfilter/rules "proto=udp dport=9 action=$a")" EPERM
	done
	check_eq "and nothing was added" "$(awk 'NR > 1' $P/netfilter/rules | wc -l)" 0
fi

# No kernel addresses for non-root readers: no stack frame (symbol+off/len),
# no 64-bit kernel pointer; root reads show the stacks, so the search works
ADDR='[+]0x[0-9a-f]+/0x[0-9a-f]+|ffff[89a-f][0-9a-f]{11}|0x[0-9a-f]{12,}'
files=$(find $P -type f -perm -004)
nr=0
leaks=0
for f in $files; do
	nr=$((nr + 1))
	if as_nobody cat $f 2>/dev/null | grep -Eq "$ADDR"; then
		leaks=$((leaks + 1))
		diag "$f shows an address to uid $NOBODY"
	fi
done
check_eq "no kernel address in any of $nr files read by uid $NOBODY" "$leaks" 0
check "root sees the D task's kernel stack in hung" grep -Eq "$ADDR" $P/hung
check "uid $NOBODY sees the D task in hung, without it" \
	sh -c "$KTEST runas $NOBODY cat $P/hung | grep -Eq '^ +$sleeper '"

# per-task files of a root task: readable by others exactly as /proc's
# equivalents are on a /proc without hidepid=
for f in state:stat sched:sched cputime:stat cg_list:cgroup memcg:cgroup lru:cgroup; do
	k=${f%%:*}
	p=${f#*:}
	[ -e $P/$root_task/$k ] || continue
	a=$(as_nobody cat $P/$root_task/$k > /dev/null 2>&1 && echo yes || echo no)
	b=$(as_nobody cat /proc/$root_task/$p > /dev/null 2>&1 && echo yes || echo no)
	check_eq "$k of a root task read by uid $NOBODY as /proc/PID/$p is ($b)" "$a" "$b"
done

kill $root_task
wait $root_task
wait $sleeper
check "rmmod" kscope_unload
finish

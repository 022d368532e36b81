# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Namespaces: a reader sees through kscope what its own /proc shows it,
# and no more. Readers: root and uid 65534, in the initial namespaces
# and in a new user+pid namespace with its own /proc, mounted without
# and with hidepid=invisible. Each reads every readable file of
# /proc/kscope, the watched pids' directories and all/ included, and
# lists its /proc. Host tasks carry a marker in their names and cgroup
# (hostmark*): inside a namespace no file may show a marker or a pid
# that reader's /proc does not list, no name under /proc/kscope may be
# such a pid, and the directories of watched host tasks (host init's
# included) read ENOENT; the task of the namespace that root watched is
# shown with its pid in the namespace. In the initial namespaces the
# markers are seen (the search works).
. ./lib.sh

P=/proc/kscope
NOBODY=65534
W=/tmp/pidns
rm -rf $W
mkdir -p $W
chmod 1777 $W

kscope_load || { not_ok "insmod"; finish; }

# markers: host tasks whose comm is hostmark, in cgroup /hostmarkcg
cp "$KTEST" $W/hostmark
cp "$KTEST" $W/hostmarkd
mkdir -p $CG/hostmarkcg
( in_cgroup $CG/hostmarkcg $W/hostmark stampsleep $W/stamp 100000 ) &
host_sleeper=$!
# a D task of the host, so that hung and loadavg have a host row
HT=/proc/sys/kernel/hung_task_timeout_secs
ht=$(cat $HT 2>/dev/null)
[ -n "$ht" ] && echo 0 > $HT
echo threshold_ms=0 period_ms=100 > $P/hung
( in_cgroup $CG/hostmarkcg $W/hostmarkd write $P/inject/sleep_d 600000 > /dev/null ) &
host_d=$!
wait_state $host_d D
wait_state $host_sleeper S
wait_for grep -Eq "^ +$host_d " $P/hung

# the reader's script, run inside the namespace: starts a task of its
# own (the one root watches), waits for the go, then reads everything.
# $1: output file; $2: "hidepid" to mount /proc again with hidepid=
# The files are read by the shell itself, not by cat, so that the only
# tasks of the namespace are this shell and its sleep, alive from the
# first read to the listing of /proc at the end.
cat > $W/reader.sh <<'EOF'
out=$1
if [ "$2" = hidepid ]; then
	mount -t proc -o hidepid=invisible proc /proc || echo "MOUNTFAIL" > "$out.err"
fi
echo $$ > "$out.self"
sleep 100000 &
echo $! > "$out.inner"
while [ ! -e "$out.go" ]; do sleep 0.1; done
find /proc/kscope -type f -perm -004 ! -path '*/inject/*' | sort > "$out.files"
{
	while read -r f; do
		echo "== $f"
		{ while IFS= read -r l; do echo "$l"; done < "$f"; } 2>&1
	done < "$out.files"
	echo "== names"
	ls /proc/kscope | tr '\n' ' '
	echo
	echo "== pids"
	ls /proc | grep -E '^[0-9]+$' | sort -n | tr '\n' ' '
	echo
	echo "== end"
} > "$out.tmp" 2>&1
mv "$out.tmp" "$out"
EOF

# shellcheck disable=SC2317 # called through wait_for
# find_host: set _host to the host pid of the namespace task whose pid
# in its namespace is _inner, and whose command is sleep
find_host() {
	for _s in /proc/[0-9]*/status; do
		awk -v i="$_inner" '/^Name:/ { n = $2 } /^NSpid:/ && NF == 3 && $3 == i && n == "sleep" { f = 1 } END { exit !f }' "$_s" 2>/dev/null || continue
		_s=${_s#/proc/}
		_host=${_s%/status}
		return 0
	done
	return 1
}

# scenario NAME RUNAS MODE: run reader.sh in a new user+pid namespace as
# RUNAS (0 or 65534), /proc mounted by unshare (MODE plain) or again
# with hidepid= (MODE hidepid); leaves the reader's output in $W/NAME
scenario() {
	_o=$W/$1
	rm -f "$_o" "$_o".*
	if [ "$2" = 0 ]; then
		unshare -Urpfm --mount-proc sh $W/reader.sh "$_o" "$3" &
	else
		"$KTEST" runas "$2" unshare -Urpfm --mount-proc sh $W/reader.sh "$_o" "$3" &
	fi
	_pid=$!
	wait_for [ -s "$_o.inner" ] || { diag "$1: the namespace did not start"; return 1; }
	_inner=$(cat "$_o.inner")
	_host=""
	wait_for find_host
	echo "$_inner" > "$_o.innerpid"
	echo "$_host" > "$_o.hostpid"
	echo "1 $host_sleeper $_host" > $P/watch
	# the directories of the watched tasks: host init, the host's
	# sleeper and the namespace's task
	for _p in 1 $host_sleeper $_host; do
		_d=$(kdir "$_p")
		echo "$_p ${_d##*/}"
	done > "$_o.dirs"
	: > "$_o.go"
	wait $_pid
	echo "-$_host" > $P/watch
	[ -s "$_o" ]
}

# numbers OUT: every pid a kscope file of OUT shows: "pid: N" lines, and
# the first column of the table rows of tasks, watch, loadavg, hung,
# hung_history (second column) and cg_list
numbers() {
	awk '
	/^== / { f = $2; next }
	/^pid: -?[0-9]+$/ { print $2; next }
	f ~ /\/(tasks|watch|hung|loadavg)$/ && $1 ~ /^[0-9]+$/ && NF >= 3 { print $1 }
	f ~ /\/hung_history$/ && $2 ~ /^[0-9]+$/ && $1 ~ /^[0-9]+\.[0-9]+$/ { print $2 }
	f ~ /cg_list$/ && $1 ~ /^[0-9]+$/ && NF == 2 { print $1 }
	' "$1" | sort -un
}

ptrace=$(awk '$1 == "symbol:" && $2 == "ptrace_may_access" { print $3 }' $P/version)
for who in 0 $NOBODY; do
	for mode in plain hidepid; do
		name=ns-$who-$mode
		if ! scenario "$name" "$who" "$mode"; then
			not_ok "uid $who in a new user+pid namespace ($mode /proc): read every file"
			continue
		fi
		o=$W/$name
		if [ -e "$o.err" ]; then
			skip "uid $who, /proc with hidepid= in the namespace" "mount failed"
			continue
		fi
		ok "uid $who in a new user+pid namespace ($mode /proc): read every file"
		check_eq "$name: no file shows a host task's name or cgroup (hostmark)" \
			"$(grep -c hostmark "$o")" 0
		pids=" $(sed -n '/^== pids$/{n;p;}' "$o")"
		names=$(sed -n '/^== names$/{n;p;}' "$o")
		sed '/^== names$/,$d' "$o" > "$o.files-read"
		bad=""
		for n in $(numbers "$o"); do
			case "$pids" in
			*" $n "*) ;;
			*) bad="$bad $n" ;;
			esac
		done
		check_eq "$name: every pid shown is one its /proc lists ($(echo "$pids" | wc -w) pids)" "$bad" ""
		for n in $bad; do
			awk -v n="$n" '/^== / { f = $2 } $1 == n || $2 == n || $0 == "pid: " n { print f ": " $0 }' "$o" | head -3 |
				while read -r l; do diag "$l"; done
		done
		bad=""
		for n in $names; do
			case "$n" in
			*[!0-9]*) ;;
			*) case "$pids" in *" $n "*) ;; *) bad="$bad $n" ;; esac ;;
			esac
		done
		check_eq "$name: no name under /proc/kscope is a pid its /proc does not list" "$bad" ""
		inner=$(cat "$o.innerpid")
		hostpid=$(cat "$o.hostpid")
		hostdir=$(awk -v p="$hostpid" '$1 == p { print $2 }' "$o.dirs")
		if [ "$ptrace" = yes ] || [ "$who" = 0 ] || [ "$mode" = plain ]; then
			# shellcheck disable=SC2016 # awk's $
			check "$name: the watched task of the namespace is in watch as pid $inner" \
				awk -v p="$inner" '/^== / { f = $2; next } f ~ /\/watch$/ && $1 == p && $4 == "sleep" { x = 1 } END { exit !x }' "$o"
			check "$name: its state in /proc/kscope/$hostdir/ and all/ says pid: $inner" \
				sh -c "[ \$(sed -n '\\#^== /proc/kscope/$hostdir/state\$#,/^== /p' $o | grep -cx 'pid: $inner') = 1 ] &&
				       [ \$(sed -n '\\#^== /proc/kscope/all/state\$#,/^== /p' $o | grep -cx 'pid: $inner') = 1 ]"
		else
			# without ptrace_may_access() (Documentation/permissions.rst): the
			# reader's own thread group only; its sleep, which its /proc lists,
			# is absent from every file
			check "$name: its /proc lists the watched sleep (pid $inner)" \
				sh -c "echo '$pids ' | grep -q ' $inner '"
			check_eq "$name: without ptrace_may_access, no file shows the sleep (pid $inner)" \
				"$(numbers "$o" | grep -cx "$inner")" 0
			check "$name: and /proc/kscope/$hostdir/state reads ENOENT" \
				grep -Eq "can't open '?/proc/kscope/$hostdir/state'?: [Nn]o such file" "$o"
			# shellcheck disable=SC2016 # awk's $
			check_eq "$name: tasks lists exactly the reader's own thread group (pid $(cat "$o.self"))" \
				"$(awk '/^== / { f = $2; next } f ~ /\/kscope\/tasks$/ && $1 ~ /^[0-9]+$/ && NF >= 3 { print $1 }' "$o" | tr '\n' ' ')" \
				"$(cat "$o.self") "
		fi
		for p in 1 $host_sleeper; do
			d=$(awk -v p="$p" '$1 == p { print $2 }' "$o.dirs")
			check_eq "$name: every file of host task $p's directory ($d) reads ENOENT" \
				"$(grep -Ec "can't open '?/proc/kscope/$d/[^:']*'?: [Nn]o such file" "$o.files-read")" \
				"$(ls "$P/$d" | wc -l)"
		done
	done
done

# the initial namespaces: the markers are there to see (the search works)
for who in 0 $NOBODY; do
	n=0
	for f in tasks watch hung loadavg all/state all/cg_list; do
		"$KTEST" runas "$who" cat $P/$f 2>/dev/null | grep -q hostmark && n=$((n + 1))
	done
	check_eq "uid $who in the initial namespaces sees the host tasks (hostmark) in tasks, watch, hung, loadavg, all/state, all/cg_list" "$n" 6
done

kill $host_sleeper
kscope_unload
wait $host_d $host_sleeper
rmdir $CG/hostmarkcg 2>/dev/null
[ -n "$ht" ] && echo "$ht" > $HT
finish

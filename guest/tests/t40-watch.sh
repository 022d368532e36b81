# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# /proc/kscope/watch, /proc/kscope/w<id>/ and /proc/kscope/self/:
# add, list, remove, exit, and every refusal with its errno.
. ./lib.sh

kscope_load || { not_ok "insmod"; finish; }

# self/ describes the task that opens the file: here, this shell
read -r l < /proc/kscope/self/state
check_eq "self/state names the opener (this shell)" "$l" "pid: $$"
check_eq "self/state of a cat is the cat's" \
	"$(sh -c 'exec cat /proc/kscope/self/state' | sed -n 's/^comm: //p')" "cat"

sleep 300 &
sp=$!
check_eq "watch PID" "$(kwrite /proc/kscope/watch "$sp")" "ok"
d=$(kdir $sp)
check "watch names its directory wID ($d), which exists" \
	sh -c "echo $d | grep -Eqx '/proc/kscope/w[0-9]+' && [ -d $d ]"
check_eq "no entry of /proc/kscope is named by a pid" \
	"$(find /proc/kscope -maxdepth 1 -name '[0-9]*' | wc -l)" 0
check_eq "its state file: pid" "$(sed -n 's/^pid: //p' "$d"/state)" "$sp"
check_eq "its state file: state as /proc/PID/stat says" \
	"$(sed -n 's/^state: \(.\).*/\1/p' "$d"/state)" "$(state_of $sp)"
check_eq "its state file: comm as /proc/PID/comm says" \
	"$(sed -n 's/^comm: //p' "$d"/state)" "$(cat /proc/$sp/comm)"
check_eq "its state file: load" "$(sed -n 's/^load: //p' "$d"/state)" "0"
raw=$(sed -n 's/^raw: //p' "$d"/state)
diag "raw of a sleep(1): $raw"
check "its state file: raw bits of an interruptible sleep, named" \
	sh -c "[ \$(( ${raw%% *} & 0x3 )) -eq 1 ] && echo '$raw' | grep -Eq '^0x[0-9a-f]{8} INTERRUPTIBLE(\||$)'"
check "watch lists it as alive" grep -Eq "^ *$sp +${d##*/} +yes +sleep$" /proc/kscope/watch
check_eq "watching it again is a no-op" "$(kwrite /proc/kscope/watch "$sp")" "ok"
check_eq "still listed once" "$(grep -c "^ *$sp " /proc/kscope/watch)" "1"

kill -STOP $sp
wait_state $sp T
check_eq "a stopped watched task: T" \
	"$(sed -n 's/^state: //p' "$d"/state)" "T (stopped)"
kill -CONT $sp

# exit: the directory stays, its files fail with ESRCH
exec 3< "$d"/state
kill $sp
wait $sp 2>/dev/null
check "after exit: watch says not alive" grep -Eq "^ *$sp +${d##*/} +no +-$" /proc/kscope/watch
# shellcheck disable=SC2002 # cat's error message is what is read
check_eq "after exit: reading state fails with ESRCH" \
	"$(cat "$d"/state 2>&1 >/dev/null | sed 's/.*: //')" "No such process"
check_eq "after exit: a file opened before exit fails with ESRCH too" \
	"$(cat <&3 2>&1 >/dev/null | sed 's/.*: //')" "No such process"
exec 3<&-
check_eq "unwatch -PID" "$(kwrite /proc/kscope/watch "-$sp")" "ok"
check "its directory is gone" [ ! -e "$d" ]

# several at once, whole or nothing
sleep 300 &
a=$!
sleep 300 &
b=$!
check_eq "watch 'A,B' in one write" "$(kwrite /proc/kscope/watch "$a,$b")" "ok"
da=$(kdir $a)
db=$(kdir $b)
check "both directories ($da $db), new names" \
	sh -c "[ -d $da -a -d $db ] && [ $da != $db -a $da != $d -a $db != $d ]"
check_eq "'-A NOTWATCHED' fails with ESRCH" \
	"$(kwrite /proc/kscope/watch "-$a -$$")" "ESRCH"
check "... and -A was not applied" [ -d "$da" ]
check_eq "'-A -B' in one write" "$(kwrite /proc/kscope/watch "-$a -$b")" "ok"
check "both gone" [ ! -e "$da" -a ! -e "$db" ]
check_eq "'A abc' fails with EINVAL" "$(kwrite /proc/kscope/watch "$a abc")" "EINVAL"
check_eq "... and A was not applied" "$(kdir $a)" /proc/kscope/unwatched
check_eq "watch A again: a name not used before" \
	"$(kwrite /proc/kscope/watch "$a"; kdir $a | grep -Ec "^($da|$db|$d)\$")" "ok
0"
kwrite /proc/kscope/watch "-$a" > /dev/null

# refusals
check_eq "not a number: EINVAL" "$(kwrite /proc/kscope/watch "abc")" "EINVAL"
check_eq "empty: EINVAL" "$(kwrite /proc/kscope/watch " ")" "EINVAL"
check_eq "pid 0: ERANGE" "$(kwrite /proc/kscope/watch "0")" "ERANGE"
check_eq "pid above PID_MAX_LIMIT: ERANGE" \
	"$(kwrite /proc/kscope/watch "4194305")" "ERANGE"
check_eq "overflowing number: ERANGE" \
	"$(kwrite /proc/kscope/watch "99999999999999999999")" "ERANGE"
check_eq "a write over 1024 bytes: EINVAL" \
	"$(kwrite /proc/kscope/watch "$(head -c 2000 /dev/zero | tr '\0' 1)")" "EINVAL"
# the highest pid the kernel hands out: in range, and free this early on
check_eq "no such pid: ESRCH" \
	"$(kwrite /proc/kscope/watch "$(($(cat /proc/sys/kernel/pid_max) - 1))")" "ESRCH"
check_eq "unwatch of a pid not watched: ESRCH" "$(kwrite /proc/kscope/watch "-$a")" "ESRCH"
dmesg > /tmp/dmesg
check "a refusal says why in dmesg" \
	grep -q "kscope: watch: bad token 'abc': not a pid" /tmp/dmesg
check_eq "non-root open for writing: EPERM" \
	"$("$KTEST" runas 65534 "$KTEST" write /proc/kscope/watch "$a")" "EPERM"
check "non-root can read watch" "$KTEST" runas 65534 cat /proc/kscope/watch
check "nothing was added by the refusals" [ "$(wc -l < /proc/kscope/watch)" -eq 1 ]

# capacity: max_watch=2
kscope_unload
kscope_load max_watch=2 watch=$a
da=$(kdir $a)
check "watch= module parameter preloads ($da)" [ -d "$da" ]
check_eq "second pid fits" "$(kwrite /proc/kscope/watch "$b")" "ok"
check_eq "third pid: ENOSPC" "$(kwrite /proc/kscope/watch "$$")" "ENOSPC"
check_eq "'-A SELF' frees one and adds one: fits" "$(kwrite /proc/kscope/watch "-$a $$")" "ok"
check "A gone, SELF there" [ ! -e "$da" -a -d "$(kdir $$)" ]

# unload with watched pids and open files
exec 3< "$(kdir $b)/state"
check "rmmod with a watched pid's file open" kscope_unload
check_eq "reading the file after rmmod fails with EIO" \
	"$(cat <&3 2>&1 >/dev/null | sed 's/.*: //')" "Input/output error"
exec 3<&-
kill $a $b
wait 2>/dev/null
finish

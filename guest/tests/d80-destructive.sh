# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# d80-destructive.sh CASE: one destructive netfilter experiment, fired by
# one UDP datagram to 127.0.0.1:5001 (loopback packets pass PRE_ROUTING
# too). Each case runs in a VM of its own, booted by scripts/destructive,
# which also says what the console must show: the cases that panic
# (panic-softirq, panic-work, oom-panic, warn-panic, lockup-softirq) are
# judged by the panic they end in, and fail here if the kernel lives on;
# the others (oom-kill, warn, lockup-work, refused) check the system
# lives and what the kernel says by other means (dmesg, /proc/meminfo,
# the victim's exit).
. ./lib.sh

RULES=/proc/kscope/netfilter/rules
case=${1:?usage: d80-destructive.sh CASE}
T_NAME="d80-$case"

# col ID N: column N of rule ID's line (2 MATCHED, 3 FIRED, 4 PENDING, 5 LEAKED)
col() { awk -v id="$1" -v c="$2" 'NR > 1 && $1 == id { print $c }' $RULES; }
# fire RULE: arm RULE (as rule 1) and send the one datagram
fire() {
	check_eq "armed: $1" "$(kwrite $RULES "$1")" ok
	diag "one datagram to 127.0.0.1:5001"
	"$KTEST" udpsend 127.0.0.1 5001 1 > /dev/null
}
# must_panic: the kernel should be dead by now; say so if it is not
must_panic() {
	sleep "${1:-60}"
	not_ok "the kernel still runs $1 s after the packet"
	finish
}
mem_free() { awk '$1 == "MemFree:" { print $2 }' /proc/meminfo; }

if [ "$case" = refused ]; then
	kscope_load
else
	kscope_load allow_destructive=1
fi
case $case in
panic-softirq)
	fire "proto=udp dport=5001 action=panic"
	must_panic
	;;
panic-work)
	fire "proto=udp dport=5001 action=panic context=work"
	must_panic
	;;
oom-panic)
	echo 1 > /proc/sys/vm/panic_on_oom
	fire "proto=udp dport=5001 action=oom context=work"
	must_panic 120
	;;
warn-panic)
	fire "proto=udp dport=5001 action=warn"
	must_panic
	;;
lockup-softirq)
	check_eq "soft lockups panic" "$(cat /proc/sys/kernel/softlockup_panic)" 1
	fire "proto=udp dport=5001 action=lockup ms=60000"
	must_panic 90
	;;
oom-kill)
	# the victim: a process of its own name that takes a third of the
	# memory and stops, first in line for the OOM killer
	cp "$KTEST" /tmp/kscope-hog
	/tmp/kscope-hog alloc $(($(mem_free) / 3)) 1 &
	hog=$!
	wait_for in_state "$hog" T
	echo 1000 > /proc/$hog/oom_score_adj
	fire "proto=udp dport=5001 action=oom context=work"
	wait_for sh -c "! kill -0 $hog 2> /dev/null"
	check "the memory hog is gone" sh -c "! kill -0 $hog 2> /dev/null"
	check "dmesg: the OOM killer killed it, by pid and name" \
		sh -c "dmesg | grep -q 'Killed process $hog (kscope-hog)'"
	dmesg | grep 'Killed process' | while read -r l; do diag "$l"; done
	wait_for sh -c "[ \"\$(awk 'NR > 1 && \$1 == 1 { print \$4 }' $RULES)\" = 0 ]"
	kills=$(dmesg | grep -c 'Killed process')
	check_eq "one kill: the action stopped once the killer had run" "$kills" 1
	held=$(col 1 5)
	kb=$((held * 4))
	f0=$(mem_free)
	diag "the rule holds $held pages ($kb kB); MemFree $f0 kB"
	check "the rule holds memory" [ "$held" -gt 0 ]
	kwrite $RULES "del 1" > /dev/null
	wait_for sh -c "[ \$(awk '\$1 == \"leak_pages_held:\" { print \$2 }' /proc/kscope/netfilter/stats) = 0 ] && [ \$(awk '\$1 == \"MemFree:\" { print \$2 }' /proc/meminfo) -gt $((f0 + kb * 85 / 100)) ]"
	f1=$(mem_free)
	check "del gives the memory back: MemFree +$((f1 - f0)) kB (held $kb kB)" \
		[ $((f1 - f0)) -ge $((kb * 85 / 100)) ]
	;;
warn)
	check_eq "warnings do not panic" "$(cat /proc/sys/kernel/panic_on_warn)" 0
	fire "proto=udp dport=5001 action=warn"
	wait_for sh -c "dmesg | grep -q 'WARNING: .*kscope_nf_fire'"
	check "dmesg: a WARNING in kscope's frame" sh -c "dmesg | grep -q 'WARNING: .*kscope_nf_fire'"
	check "dmesg: the message names the rule and the context" \
		sh -c "dmesg | grep -q 'kscope: netfilter rule 1 fired in softirq context'"
	check_eq "the rule matched and fired once" "$(col 1 2) $(col 1 3)" "1 1"
	;;
lockup-work)
	# 12 s: reported once, 6.4 to 9.9 s into the spin (scripts/destructive)
	fire "proto=udp dport=5001 action=lockup ms=12000 context=work"
	wait_for sh -c "[ \"\$(awk 'NR > 1 && \$1 == 1 { print \$4 }' $RULES)\" = 0 ] && dmesg | grep -q 'rule 1: spinning'"
	sleep 13
	check "dmesg: the spin began, in work context" \
		sh -c "dmesg | grep -q 'netfilter: rule 1: spinning 12000 ms in work context'"
	check "dmesg: the soft-lockup detector named the kworker" \
		sh -c "dmesg | grep -q 'BUG: soft lockup - CPU#[0-9]* stuck for [0-9]*s! \[kworker'"
	dmesg | grep 'soft lockup' | while read -r l; do diag "$l"; done
	check_eq "the rule fired once" "$(col 1 3)" 1
	;;
refused)
	for a in "action=panic" "action=oom context=work" "action=warn" "action=lockup ms=1000"; do
		check_eq "'proto=udp dport=5001 $a' without allow_destructive: EPERM" \
			"$(kwrite $RULES "proto=udp dport=5001 $a")" EPERM
	done
	"$KTEST" udpsend 127.0.0.1 5001 1 > /dev/null
	check_eq "no rule armed" "$(awk '$1 == "rules:" { print $2 }' /proc/kscope/netfilter/stats)" 0
	;;
*)
	not_ok "unknown case '$case'"
	;;
esac
kscope_unload
finish

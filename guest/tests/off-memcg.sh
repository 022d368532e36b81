# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# A facility switched off at boot: run in a VM booted with
# cgroup_disable=memory (stages off and off612). The kernel's own view
# is the ground truth: /proc/cgroups' "enabled" column for memory and
# cgroup v2's cgroup.controllers. kscope must then say "no" for memcg in
# version, "unavailable (...)" in the files that need it, refuse to
# charge memory to no memcg, and go on working elsewhere.
. ./lib.sh

P=/proc/kscope
WHY="disabled at boot: cgroup_disable=memory"

enabled=$(awk '$1 == "memory" { print $4 }' /proc/cgroups)
check_eq "the kernel has the memory controller switched off (/proc/cgroups)" \
	"$enabled" 0
check "cgroup v2 offers no memory controller (cgroup.controllers)" \
	sh -c "! grep -qw memory $CG/cgroup.controllers"

kscope_load || { not_ok "insmod"; finish; }

for f in memcg memcg_v1 memcg_node_stats; do
	line=$(grep "^feature: $f " $P/version)
	case $line in
	*" no  "*) ok "version: $f no" ;;
	*) not_ok "version: $f no"; diag "got '$line'" ;;
	esac
done
line=$(grep "^feature: memcg " $P/version)
case $line in
*"(off: $WHY)") ok "version: memcg says why it is off" ;;
*) not_ok "version: memcg says why it is off"; diag "got '$line'" ;;
esac
line=$(grep "^feature: cgroups " $P/version)
case $line in
*" yes "*) ok "version: cgroups still yes" ;;
*) not_ok "version: cgroups still yes"; diag "got '$line'" ;;
esac

for f in memcg lru; do
	sh -c "echo \$\$ > /tmp/off.pid; exec cat $P/self/$f" > /tmp/off.$f
	check_eq "self/$f: the reader's pid" \
		"$(field /tmp/off.$f pid)" "$(cat /tmp/off.pid)"
	check_eq "self/$f: memcg: unavailable ($WHY)" \
		"$(grep '^memcg:' /tmp/off.$f)" "memcg: unavailable ($WHY)"
	check "self/$f: nothing else" [ "$(grep -c '' /tmp/off.$f)" -eq 2 ]
done
check_eq "watch init and this shell" "$(kwrite $P/watch "1 $$")" ok
check_eq "all/memcg: both watched tasks' rows say unavailable" \
	"$(grep -c "^memcg: unavailable ($WHY)" $P/all/memcg) $(grep -c '^pid:' $P/all/memcg)" "2 2"

dmesg -c > /dev/null
got=$(kwrite $P/inject/memcg_charge "alloc 64K")
case $got in
EOPNOTSUPP | ENOTSUP) ok "memcg_charge: alloc refused with EOPNOTSUPP" ;;
*) not_ok "memcg_charge: alloc refused with EOPNOTSUPP"; diag "got $got" ;;
esac
check "memcg_charge: the refusal is logged with its reason" \
	sh -c "dmesg | grep -q 'kscope: memcg_charge: .alloc 64K.: memory cgroups unavailable ($WHY)'"
check_eq "memcg_charge: nothing held" "$(field $P/inject/memcg_charge held_bytes)" 0
check_eq "memcg_charge: the file says why" \
	"$(grep '^memcg:' $P/inject/memcg_charge)" "memcg: unavailable ($WHY)"
check_eq "memcg_charge: free still works" "$(kwrite $P/inject/memcg_charge free)" ok

# what does not need memcg is unaffected
sh -c "echo \$\$ > /tmp/off.pid; exec cat $P/self/state" > /tmp/off.state
check_eq "self/state still works" \
	"$(field /tmp/off.state pid)" "$(cat /tmp/off.pid)"
sh -c "echo \$\$ > /tmp/off.pid; exec cat $P/self/cg_list" > /tmp/off.cg
check "self/cg_list still lists the reader's cgroups" grep -q '^cgroup' /tmp/off.cg

check "rmmod" kscope_unload
finish

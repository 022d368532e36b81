# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# /proc/kscope appears on load, says what it is, and goes on unload.
. ./lib.sh

check "no /proc/kscope before load" [ ! -e /proc/kscope ]
check "insmod kscope.ko" kscope_load
check "/proc/kscope is a directory" [ -d /proc/kscope ]
for f in version tasks watch self/state; do
	check "/proc/kscope/$f exists" [ -e "/proc/kscope/$f" ]
done
check_eq "version names the running kernel" \
	"$(sed -n 's/^kernel: //p' /proc/kscope/version)" "$(uname -r)"
check_eq "version as /sys/module says" \
	"$(sed -n 's/^kscope: //p' /proc/kscope/version)" "$(cat /sys/module/kscope/version)"
check "version lists features" grep -q '^feature: schedstats ' /proc/kscope/version
# yes/no as the kernel shows it by other means: /proc/cgroups exists
# only with CONFIG_CGROUPS, register_kprobe only with CONFIG_KPROBES
feature() {
	awk -v f="$1" '$1 == "feature:" && $2 == f { print $3 }' /proc/kscope/version
}
yes_if() {
	if "$@"; then echo yes; else echo no; fi
}
check_eq "version: cgroups as /proc/cgroups says" \
	"$(feature cgroups)" "$(yes_if [ -e /proc/cgroups ])"
check_eq "version: kprobes as /proc/kallsyms says" \
	"$(feature kprobes)" "$(yes_if grep -q ' register_kprobe$' /proc/kallsyms)"
check "rmmod kscope" kscope_unload
check "/proc/kscope gone after rmmod" [ ! -e /proc/kscope ]
check "reload" kscope_load
check "/proc/kscope back" [ -r /proc/kscope/tasks ]
kscope_unload
finish

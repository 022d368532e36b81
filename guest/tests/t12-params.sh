# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Every parameter's description (modinfo's "parm" field, read from
# kscope.ko's .modinfo section) states its default as "(default VALUE";
# loaded with no arguments, /sys/module/kscope/parameters shows that
# value (bool Y/N as 1/0, an empty array as "none").
. ./lib.sh

# "NAME DEFAULT" per parameter, DEFAULT empty when not stated
strings "$KSCOPE_DIR/kscope.ko" | sed -n 's/^parm=//p' |
	awk '{ n = $0; sub(/:.*/, "", n); d = ""
	       if (match($0, /\(default [^,:; )]*/)) d = substr($0, RSTART + 9, RLENGTH - 9)
	       print n, d }' > /tmp/t12.parm
n=$(wc -l < /tmp/t12.parm)
check "kscope.ko describes its parameters ($n)" [ "$n" -gt 0 ]

kscope_load || { not_ok "insmod"; finish; }
P=/sys/module/kscope/parameters
while read -r name want; do
	got=$(cat "$P/$name" 2>/dev/null) || got="(no $P/$name)"
	case $got in
	Y) got=1 ;;
	N) got=0 ;;
	'') got=none ;;
	esac
	check_eq "$name: the default its description states is the loaded value" "$got" "$want"
done < /tmp/t12.parm
check_eq "every parameter in sysfs is described" \
	"$(ls $P | sort)" "$(cut -d' ' -f1 /tmp/t12.parm | sort)"
kscope_unload
finish

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs kscope's KUnit suites inside the debug VM and turns each test
# case's KTAP result into one TAP line on the result channel.
. ./lib.sh
T_NAME=kunit

kscope_load || { not_ok "insmod kscope.ko"; finish; }
if ! insmod "$KSCOPE_DIR/kscope_kunit.ko"; then
	not_ok "insmod kscope_kunit.ko"
	finish
fi

found=0
for d in /sys/kernel/debug/kunit/kscope_*; do
	[ -f "$d/results" ] || continue
	found=1
	suite=${d##*/}
	cat "$d/results"
	# test cases are the results one level in ("    ok 1 name");
	# parameterised cases carry their own sub-results one level deeper
	sed -n -e 's/^    not ok [0-9]* \(- \)\?\([^ #]*\).*/not_ok \2/p' \
		-e 's/^    ok [0-9]* \(- \)\?\([^ #]*\).*/ok \2/p' "$d/results" |
	while read -r res name; do
		"$res" "$suite.$name"
	done
	grep -q '^not ok' "$d/results" && T_FAILED=1
done
[ $found -eq 1 ] || not_ok "no kscope KUnit suite ran"

rmmod kscope_kunit
kscope_unload
finish

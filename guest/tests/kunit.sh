#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs kscope's KUnit suites inside the debug VM and turns each test
# case's result in KUnit's own KTAP (debugfs, one file per suite) into
# one result of this file's KTAP document: ok, not ok, or ok # SKIP with
# KUnit's reason. The plan is the number of cases, known once every
# suite has run.
. ./lib.sh
T_NAME=kunit

kscope_load || { not_ok "insmod kscope.ko"; finish; }
if ! insmod "$KSCOPE_DIR/kscope_kunit.ko"; then
	not_ok "insmod kscope_kunit.ko"
	finish
fi

# "RESULT SUITE.CASE [REASON]" per test case, RESULT ok, not_ok or skip:
# the cases are the results one level in ("    ok 1 - name # SKIP why");
# parameterised cases carry their own results one level deeper, and
# the suite's own result is at the left margin ("SUITE failed" when it
# says not ok)
: > /tmp/kunit.cases
found=0
for d in /sys/kernel/debug/kunit/kscope_*; do
	[ -f "$d/results" ] || continue
	found=1
	cat "$d/results"
	awk -v suite="${d##*/}" '
	/^    (not )?ok [0-9]+ / {
		s = substr($0, 5)
		res = (s ~ /^not /) ? "not_ok" : "ok"
		sub(/^(not )?ok [0-9]+ (- )?/, "", s)
		why = ""
		if (match(s, /#[ \t]*[Ss][Kk][Ii][Pp]/)) {
			why = substr(s, RSTART + RLENGTH)
			sub(/^[ \t]+/, "", why)
			res = "skip"
		}
		name = s
		sub(/[ \t#].*/, "", name)
		print res, suite "." name, why
	}
	/^not ok / { print "failed", suite }' "$d/results" >> /tmp/kunit.cases
done
[ $found -eq 1 ] || { not_ok "no kscope KUnit suite ran"; finish; }

# a suite KUnit says failed though none of its cases did is one more
# failure
awk '$1 == "not_ok" { s = $2; sub(/\..*/, "", s); bad[s] = 1 }
     $1 != "failed" { print; next }
     { f[$2] = 1 }
     END { for (s in f) if (!bad[s]) print "not_ok", s, "(KUnit says the suite failed, though none of its cases did)" }' \
	/tmp/kunit.cases > /tmp/kunit.results
ktap_plan "$(wc -l < /tmp/kunit.results)"
while read -r res name why; do
	case $res in
	ok) ok "$name" ;;
	skip) skip "$name" "$why" ;;
	*) not_ok "$name${why:+ $why}" ;;
	esac
done < /tmp/kunit.results

rmmod kscope_kunit
kscope_unload
finish

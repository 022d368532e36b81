# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# scripts/ktap.sh: KTAP (version 1) output for kscope's shell tests and
# stages, and a counter for the host. Sourced, never run; plain POSIX sh,
# for busybox ash in the test VM and bash on the host.
#
# A script prints one KTAP document:
#
#	ktap_header              "KTAP version 1"
#	ktap_plan N              the plan "1..N", right after the header, when
#	                         the number of tests is known up front
#	ktap_ok DESC             "ok 1 DESC"
#	ktap_not_ok DESC         "not ok 2 DESC"
#	ktap_skip DESC REASON    "ok 3 DESC # SKIP REASON"
#	ktap_result RC DESC      ok if RC is 0, else not ok
#	ktap_check DESC CMD...   ok if CMD succeeds, else not ok
#	ktap_diag TEXT...        "# TEXT"
#	ktap_bail REASON         "Bail out! REASON": the rest will not run
#	ktap_finished            the plan, if it was not printed up front,
#	                         and "# Totals: pass:P fail:F skip:S";
#	                         returns 1 if a test failed or the number
#	                         run is not the number planned
#
# Results are numbered from 1 in the order printed. The numbering lives
# in this shell's variables: print results from the script's own shell,
# not from a subshell (a pipeline's "| while read", "( ... )", "$(...)"),
# or the numbers repeat and the plan is wrong.
#
# Every line goes to stdout and, when KTAP_CHANNEL names a file or a
# device (the test VM's result serial port), is appended to it too.
#
# On the host, ktap_count FILE... counts results in files that hold any
# number of KTAP documents one after the other (one per test script, as
# the VM's result channel has them) among other lines, which it ignores.
# See the function for what counts.

KTAP_CHANNEL=${KTAP_CHANNEL:-}
KTAP_NUM=0
KTAP_PASS=0
KTAP_FAIL=0
KTAP_SKIP=0
KTAP_PLAN=
KTAP_NL='
'

# ktap_print LINE: one raw line to stdout and to the channel
ktap_print() {
	printf '%s\n' "$1"
	if [ -n "$KTAP_CHANNEL" ]; then
		printf '%s\n' "$1" >> "$KTAP_CHANNEL"
	fi
}

# ktap_oneline TEXT: TEXT with its newlines made spaces, in $KTAP_LINE
# (a result or a diagnostic is one line; no fork for it)
ktap_oneline() {
	KTAP_LINE=$1
	while :; do
		case $KTAP_LINE in
		*"$KTAP_NL"*) KTAP_LINE="${KTAP_LINE%%"$KTAP_NL"*} ${KTAP_LINE#*"$KTAP_NL"}" ;;
		*) break ;;
		esac
	done
}

ktap_header() {
	KTAP_NUM=0
	KTAP_PASS=0
	KTAP_FAIL=0
	KTAP_SKIP=0
	KTAP_PLAN=
	ktap_print "KTAP version 1"
}

ktap_plan() {
	KTAP_PLAN=$1
	ktap_print "1..$1"
}

# ktap__result OK|NOT_OK DESC [DIRECTIVE]
ktap__result() {
	KTAP_NUM=$((KTAP_NUM + 1))
	ktap_oneline "$2"
	_ktap_r="ok $KTAP_NUM"
	[ "$1" = ok ] || _ktap_r="not ok $KTAP_NUM"
	[ -n "$KTAP_LINE" ] && _ktap_r="$_ktap_r $KTAP_LINE"
	if [ $# -gt 2 ]; then
		ktap_oneline "$3"
		_ktap_r="$_ktap_r # $KTAP_LINE"
	fi
	ktap_print "$_ktap_r"
}

ktap_ok() {
	KTAP_PASS=$((KTAP_PASS + 1))
	ktap__result ok "$*"
}

ktap_not_ok() {
	KTAP_FAIL=$((KTAP_FAIL + 1))
	ktap__result not_ok "$*"
}

# ktap_skip DESC REASON
ktap_skip() {
	KTAP_SKIP=$((KTAP_SKIP + 1))
	ktap__result ok "$1" "SKIP${2:+ $2}"
}

# ktap_result RC DESC
ktap_result() {
	_ktap_rc=$1
	shift
	if [ "$_ktap_rc" -eq 0 ]; then
		ktap_ok "$*"
	else
		ktap_not_ok "$*"
	fi
}

# ktap_check DESC CMD...
ktap_check() {
	_ktap_desc=$1
	shift
	if "$@"; then
		ktap_ok "$_ktap_desc"
	else
		ktap_not_ok "$_ktap_desc"
	fi
}

ktap_diag() {
	ktap_oneline "$*"
	ktap_print "# $KTAP_LINE"
}

ktap_bail() {
	ktap_oneline "$*"
	ktap_print "Bail out! $KTAP_LINE"
}

ktap_finished() {
	_ktap_rc=0
	if [ -z "$KTAP_PLAN" ]; then
		ktap_print "1..$KTAP_NUM"
	elif [ "$KTAP_PLAN" -ne "$KTAP_NUM" ]; then
		ktap_diag "planned $KTAP_PLAN tests, ran $KTAP_NUM"
		_ktap_rc=1
	fi
	ktap_print "# Totals: pass:$KTAP_PASS fail:$KTAP_FAIL skip:$KTAP_SKIP"
	[ "$KTAP_FAIL" -eq 0 ] || _ktap_rc=1
	return $_ktap_rc
}

# ktap_count FILE...: count the leaf results of the KTAP in FILEs, set
# KTAP_COUNT_PASS, KTAP_COUNT_FAIL and KTAP_COUNT_SKIP, and print each
# failure as "FAILED: LINE". What counts:
#   - "ok N ..." and "not ok N ..." lines (an unnumbered "ok - ..." too),
#     carriage returns dropped; "# SKIP" after the description makes a
#     skip, whichever the result;
#   - only leaves: a result whose subtest (indented lines before it)
#     printed results is their sum, not one more test, unless it failed
#     while none of them did (the subtest crashed): then it is a failure;
#   - a document ("KTAP version 1" ... , or the lines before the first)
#     whose plan "1..N" is not the number of results it holds is one
#     more failure; a document with no plan (one cut short) is reported
#     as "# ..." but not counted: what cut it short reports that.
#   - "Bail out! ..." is a failure.
# Other lines are left alone.
ktap_count() {
	_ktap_c=$(awk '
	function lead(s) { match(s, /^ */); return RLENGTH }
	# close the documents at indentation deeper than or at d
	function close_docs(d,   k, n, i, keys) {
		n = 0
		for (k in inplan)
			if (k + 0 >= d) keys[++n] = k
		for (i = 1; i <= n; i++) {
			k = keys[i]
			if (inplan[k] == "") {
				if (ran[k] > 0 && explicit[k])
					notes = notes "# " where[k] ": KTAP document without a plan, " ran[k] " results\n"
			} else if (inplan[k] != ran[k]) {
				fail++
				fails = fails "FAILED: " where[k] ": planned " inplan[k] " tests, ran " ran[k] "\n"
			}
			delete inplan[k]
			delete ran[k]
		}
	}
	# d now has content below every shallower level
	function below(d,   k) {
		for (k = 0; k < d; k++) sub_[k] = 1
	}
	FNR == 1 {
		close_docs(0)
		split("", sub_)
		split("", failed_below)
	}
	{
		sub(/\r$/, "")
		d = lead($0)
		s = substr($0, d + 1)
	}
	s ~ /^KTAP version / || s ~ /^TAP version / {
		close_docs(d)
		inplan[d] = ""
		ran[d] = 0
		where[d] = FILENAME ":" FNR
		explicit[d] = 1
		below(d)
		next
	}
	s ~ /^1\.\.[0-9]+/ {
		if (!(d in inplan)) { inplan[d] = ""; ran[d] = 0; where[d] = FILENAME; explicit[d] = 0 }
		n = s
		sub(/^1\.\./, "", n)
		sub(/[^0-9].*/, "", n)
		inplan[d] = n + 0
		below(d)
		next
	}
	s ~ /^Bail out!/ {
		fail++
		fails = fails "FAILED: " s "\n"
		next
	}
	s ~ /^(not )?ok([ \t]|$)/ {
		close_docs(d + 1)
		if (!(d in inplan)) { inplan[d] = ""; ran[d] = 0; where[d] = FILENAME; explicit[d] = 0 }
		ran[d]++
		below(d)
		bad = (s ~ /^not /)
		dir = s
		skip = 0
		if (sub(/^[^#]*#[ \t]*/, "", dir) && toupper(dir) ~ /^SKIP([ \t]|$)/)
			skip = 1
		if (sub_[d]) {
			# a parent: its leaves counted
			if (bad && !failed_below[d] && !skip) {
				fail++
				fails = fails "FAILED: " s "\n"
				for (k = 0; k < d; k++) failed_below[k] = 1
			}
		} else if (skip) {
			nskip++
		} else if (bad) {
			fail++
			fails = fails "FAILED: " s "\n"
			for (k = 0; k < d; k++) failed_below[k] = 1
		} else {
			pass++
		}
		sub_[d] = 0
		failed_below[d] = 0
		next
	}
	END {
		close_docs(0)
		print pass + 0, fail + 0, nskip + 0
		printf "%s%s", notes, fails
	}' "$@")
	# shellcheck disable=SC2034 # the caller's to read
	read -r KTAP_COUNT_PASS KTAP_COUNT_FAIL KTAP_COUNT_SKIP <<EOF
${_ktap_c%%"$KTAP_NL"*}
EOF
	case $_ktap_c in
	*"$KTAP_NL"*) printf '%s\n' "${_ktap_c#*"$KTAP_NL"}" ;;
	esac
}

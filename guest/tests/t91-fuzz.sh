# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Fuzzing the write side: every writable kscope file gets the corpus in
# fuzz/ and KSCOPE_FUZZ (default 10000) random, malformed, overlong,
# truncated, binary and boundary writes from kfuzz. Each write must take
# effect whole or fail with an errno the file documents, and a failed
# write must leave what the file shows unchanged. Limits are loaded low
# so that the fuzz reaches ENOSPC and sleeps stay short.
. ./lib.sh

N=${KSCOPE_FUZZ:-10000}
FUZZ="$KSCOPE_DIR/kfuzz"
C="$KSCOPE_DIR/fuzz"
P=/proc/kscope

kscope_load max_watch=8 max_rules=16 memcg_charge_max=1048576 sleep_max_ms=3 ||
	{ not_ok "insmod"; finish; }

dmesg -c > /dev/null
# fuzz NAME FILE CORPUS ERRNOS MAX [KFUZZ-OPTIONS...]: one kfuzz run,
# one test line
fuzz() {
	_out=/tmp/fuzz.$1 _name=$1 _file=$2 _corpus=$C/$3.corpus _errs=$4 _max=$5
	shift 5
	_seed=$(( $(date +%s) % 100000 + 1 ))
	diag "$_name: seed $_seed (rerun: kfuzz -s $_seed ...)"
	if "$FUZZ" -n "$N" -s "$_seed" -e "$_errs" -m "$_max" "$@" "$_file" "$_corpus" > "$_out" 2>&1; then
		ok "$(tail -n 1 "$_out")"
	else
		not_ok "$_name: $(tail -n 1 "$_out")"
		head -n 40 "$_out"
	fi
}

# watch: the state is the set of watched pids; a watched task that exits
# during the run (the fuzz picks pids near its own) changes ALIVE and COMM
fuzz watch $P/watch watch EINVAL,ERANGE,ESRCH,ENOSPC 1024 -c 1
fuzz hung $P/hung hung EINVAL,ERANGE 256 -k threshold_ms:,period_ms:
fuzz sleep_d $P/inject/sleep_d sleep EINVAL,ERANGE 24
fuzz sleep_i $P/inject/sleep_i sleep EINVAL,ERANGE 24
fuzz memcg_charge $P/inject/memcg_charge memcg_charge EINVAL,ERANGE,ENOSPC,ESRCH 64
if [ -e $P/netfilter/rules ]; then
	fuzz rules $P/netfilter/rules rules EINVAL,EPERM,ENOSPC,ENOENT 512
else
	skip "rules: fuzzed" "no netfilter in this kernel"
fi

# the refusals were logged, and ratelimited
lines=$(dmesg | grep -c 'kscope: ')
check "refusals were logged, ratelimited ($lines lines)" [ "$lines" -gt 0 -a "$lines" -lt 2000 ]

echo 'del all' > $P/netfilter/rules 2>/dev/null
echo free > $P/inject/memcg_charge
check "rmmod after the fuzz" kscope_unload
finish

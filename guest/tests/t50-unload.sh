# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# rmmod while readers hold kscope files open, mid-read.
. ./lib.sh

for f in tasks version watch self/state; do
	kscope_load || { not_ok "insmod"; finish; }
	# the holder's shell truncates hold.out only once it runs: remove
	# the last file's, or its "opened" is taken for this one's
	rm -f /tmp/go /tmp/hold.out
	"$KTEST" hold /proc/kscope/$f /tmp/go > /tmp/hold.out &
	hp=$!
	i=0
	until grep -q opened /tmp/hold.out 2>/dev/null || [ $i -gt 600 ]; do
		i=$((i + 1))
		sleep 0.1
	done
	check "rmmod while $f is open mid-read" kscope_unload
	touch /tmp/go
	wait $hp
	check_eq "the reader of $f then gets EIO" "$(sed -n 's/^read //p' /tmp/hold.out)" "EIO"
done

# load/unload cycles with readers in flight
kscope_load
touch /tmp/spin
( while [ -e /tmp/spin ]; do cat /proc/kscope/tasks /proc/kscope/self/state > /dev/null 2>&1; done ) &
rp=$!
fail=0
for i in 1 2 3 4 5 6 7 8 9 10; do
	rmmod kscope || fail=1
	insmod "$KSCOPE_DIR/kscope.ko" || fail=1
done
rm -f /tmp/spin
wait $rp
check "10 unload/load cycles with a reader looping" [ $fail -eq 0 ]
kscope_unload
finish

# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# /proc/kscope/cpustat against /proc/stat read right after it.
#
# Tolerance: every CPU's time is in exactly one of the ten fields at any
# moment, so between the two reads a CPU's fields can grow in total by
# no more than the wall time between them. /proc/uptime is read before
# and after (centiseconds = USER_HZ ticks at USER_HZ 100): a row may
# grow by (elapsed + 2) ticks per online CPU (the 2: /proc/uptime
# truncates, and tick-based accounting credits a whole jiffy at once),
# plus one tick for each field that moved (each is rounded down on its
# own). Nothing may go back. nice, steal, guest and guest_nice must be
# exact: nothing in the VM runs niced or under a hypervisor of its own.
. ./lib.sh

kscope_load || { not_ok "insmod"; finish; }

# uptime in centiseconds
upcs() {
	awk '{ split($1, a, "."); print a[1] * 100 + a[2] }' /proc/uptime
}

# compare KSCOPE STAT ELAPSED ONLINE: every non-offline ticks row of
# KSCOPE against STAT's line; prints one line per disagreement
compare() {
	awk -v dt="$3" -v online="$4" '
	BEGIN {
		split("user nice system idle iowait irq softirq steal guest guest_nice", fld, " ")
		exact[2] = exact[8] = exact[9] = exact[10] = 1
	}
	FILENAME == ARGV[1] {
		if ($1 != "ticks" || $3 == "offline") next
		n = ($2 == "all") ? "cpu" : $2
		ks[n] = 1
		for (i = 1; i <= 10; i++) k[n, i] = $(4 + i)
		next
	}
	$1 ~ /^cpu[0-9]*$/ {
		ps[$1] = 1
		for (i = 1; i <= 10; i++) p[$1, i] = $(1 + i)
	}
	END {
		for (n in ps) if (!(n in ks)) print n, "in /proc/stat, not an online row of kscope"
		for (n in ks) {
			if (!(n in ps)) { print n, "online in kscope, not in /proc/stat"; continue }
			sum = 0; moved = 0
			for (i = 1; i <= 10; i++) {
				d = p[n, i] - k[n, i]
				if (d < 0 || (exact[i] && d != 0))
					print n, fld[i], "kscope", k[n, i], "/proc/stat", p[n, i]
				if (d > 0) { sum += d; moved++ }
			}
			budget = (n == "cpu" ? online : 1) * (dt + 2) + moved
			if (sum > budget)
				print n, "moved", sum, "ticks between the reads, more than", budget
		}
	}' "$1" "$2"
}

# round: read kscope then /proc/stat; prints the disagreements
round() {
	u0=$(upcs)
	cat /proc/kscope/cpustat > /tmp/cs
	cat /proc/stat > /tmp/stat
	u1=$(upcs)
	compare /tmp/cs /tmp/stat $((u1 - u0)) "$(awk '/^online:/ { print $2 }' /tmp/cs)"
}

# agree WHAT: up to three rounds (a field can go back by a hair when
# a CPU's idle time moves to iowait while it sleeps); ok if one agrees
agree() {
	for r in 1 2 3; do
		round > /tmp/diff
		[ -s /tmp/diff ] || break
	done
	if [ -s /tmp/diff ]; then
		not_ok "$1"
		while read -r l; do diag "$l"; done < /tmp/diff
	else
		ok "$1 ($r rounds, $((u1 - u0)) cs apart)"
	fi
}

# cpulist FILE: the CPUs of a sysfs list like 0-1,4
cpulist() {
	tr ',' '\n' < "$1" | awk -F- '{ e = NF > 1 ? $2 : $1; for (i = $1; i <= e; i++) print "cpu" i }'
}

cat /proc/kscope/cpustat > /tmp/cs
check_eq "user_hz is 100" "$(awk '/^user_hz:/ { print $2 }' /tmp/cs)" 100
check_eq "possible: as /sys/devices/system/cpu/possible" \
	"$(awk '/^possible:/ { print $2 }' /tmp/cs)" \
	"$(cpulist /sys/devices/system/cpu/possible | wc -l)"
check_eq "one ticks row and one ns row per possible CPU" \
	"$(awk '$1 == "ticks" && $2 ~ /^cpu/ { print $2 }' /tmp/cs | tr '\n' ' ')|$(awk '$1 == "ns" && $2 ~ /^cpu/ { print $2 }' /tmp/cs | tr '\n' ' ')" \
	"$(cpulist /sys/devices/system/cpu/possible | tr '\n' ' ')|$(cpulist /sys/devices/system/cpu/possible | tr '\n' ' ')"
check_eq "no clamps in a VM without guests" "$(awk '/^clamped:/ { print $2 }' /tmp/cs)" 0

agree "total and every online CPU's ticks equal /proc/stat's"

# the ns table is the source of the ticks table: ticks = ns / 10^7
# truncated, the total's ns is the sum of the CPUs' ns, and the
# differences are user - guest and nice - guest_nice, never below 0
check_eq "ticks are ns/10^7, total ns is the CPUs' sum, noguest = max(0, x - guest)" "$(awk '
	$1 == "ticks" && $2 != "CPU" { for (i = 5; i <= 16; i++) t[$2, i] = $i; rows[$2] = 1 }
	$1 == "ns" && $2 != "CPU" {
		for (i = 5; i <= 16; i++) n[$2, i] = $i
		if ($2 != "all") for (i = 5; i <= 16; i++) s[i] += $i
	}
	($1 == "ticks" || $1 == "ns") && $2 != "CPU" {
		u = $5 - $13; if (u < 0) u = 0
		v = $6 - $14; if (v < 0) v = 0
		if ($15 != u || $16 != v || $17 != "-") print $1, $2, "noguest", $15, $16, $17
	}
	END {
		for (r in rows) for (i = 5; i <= 16; i++)
			if (t[r, i] != int(n[r, i] / 10000000)) print r, "column", i, t[r, i], n[r, i]
		for (i = 5; i <= 14; i++) if (s[i] != n["all", i]) print "all column", i, n["all", i], s[i]
	}' /tmp/cs)" ""

# Take CPU 1 offline: its row stays, marked offline, with the idle time
# kernel_cpustat holds, and the total still is /proc/stat's, which sums
# over possible CPUs too.
on=/sys/devices/system/cpu/cpu1/online
if [ -w $on ] && [ "$(cat $on)" = 1 ]; then
	if echo 0 > $on; then
		cat /proc/kscope/cpustat > /tmp/cs
		check_eq "cpu1 offline: its rows stay, marked offline, idle from kcpustat" \
			"$(awk '$2 == "cpu1" { print $1, $3, $4 }' /tmp/cs | tr '\n' ' ')" \
			"ticks offline kcpustat ns offline kcpustat "
		check_eq "online: 1 less" "$(awk '/^online:/ { print $2 }' /tmp/cs)" \
			"$(($(cpulist /sys/devices/system/cpu/possible | wc -l) - 1))"
		check_eq "/proc/stat has no cpu1 line" "$(grep -c '^cpu1 ' /proc/stat)" 0
		agree "cpu1 offline: total and online CPUs still equal /proc/stat's"
		sleep 0.3
		check_eq "an offline CPU's times stand still" \
			"$(awk '$2 == "cpu1"' /tmp/cs)" "$(awk '$2 == "cpu1"' /proc/kscope/cpustat)"
		echo 1 > $on
		check_eq "cpu1 back online" \
			"$(awk '$2 == "cpu1" { print $1, $3 }' /proc/kscope/cpustat | tr '\n' ' ')" \
			"ticks online ns online "
		agree "cpu1 back: total and every CPU equal /proc/stat's"
	else
		not_ok "take cpu1 offline"
	fi
else
	skip "cpu1 offline: its rows, online, /proc/stat, the totals, its times, back online" \
		"cpu1 cannot be taken offline here"
fi

kscope_unload
finish

# SPDX-License-Identifier: GPL-2.0
#
# kscope's benchmarks, run by busybox sh inside the VM that scripts/bench
# boots (Debian's kernel, the host's / at /host for procps ps and
# strace). Every measurement is one line on the result channel, which
# scripts/bench turns into tables:
#
#   meta KEY VALUE...
#   tasks N  NS_KSCOPE NS_PS NS_BUSYBOX NS_PROCSTAT      one round
#   sys N TOOL SYSCALLS BYTES                            one run each
#   hung N SCAN_US NS_PER_TASK TASKS SECTIONS            one scan
#   hungmax N MAX_RCU_HOLD_US SCANS
#   detail N NS_K_SCHED NS_P_SCHED NS_K_MEMCG NS_P_MEMCG NS_K_LRU NS_P_LRU NS_K_CG NS_P_CG
#   detailall N (the same columns, kscope's side read through all/)
#   nf PACKETS NS_NOMODULE NS_NORULES NS_1RULE NS_100RULES NS_1000RULES NS_100PLUS1 NS_NFT100 NS_NFT1000
#   nfhook RULES CALLS HOOK_NS                          kscope's own hook time
#   fp KEY VALUE
#
# Environment: BENCH_SIZES (total threads, ascending; default "1000
# 10000 30000"), BENCH_REPS (rounds per comparison, default 5; three
# times as many for the per-task detail),
# BENCH_PACKETS (datagrams per netfilter batch, default 2000; each
# measurement is the fastest of BENCH_BATCHES batches, default 10),
# BENCH_STRACE (1: count ps's syscalls with strace, default 1),
# BENCH_PARTS (netfilter: the netfilter rows alone; default all),
# BENCH_MODROOT (the guest kernel's unpacked image in the host's /, for
# nf_tables: nftables' rows need it and the host's nft).

cd "$(dirname "$0")" || exit 1
# shellcheck source=guest/bench/lib.sh
. ./lib.sh
REPS=${BENCH_REPS:-5}
PACKETS=${BENCH_PACKETS:-2000}
BATCHES=${BENCH_BATCHES:-10}
STRACE=${BENCH_STRACE:-1}
CG=/sys/fs/cgroup/kbench
NF=/proc/kscope/netfilter/rules
PS="/bin/busybox chroot /host /usr/bin/ps -eLo pid,tid,stat,comm"
PARTS=${BENCH_PARTS:-all}
NFT="/bin/busybox chroot /host /usr/sbin/nft"

say() { echo "# bench: $*"; }

load() {
	rmmod kscope 2>/dev/null
	insmod "$D/kscope.ko" hung_period_ms=0 || { say "insmod failed"; exit 1; }
}

# meminfo KEY: the value of KEY in /proc/meminfo, in kB
meminfo() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }

# kslab: unreclaimable slab + per-CPU memory, in kB, after the slab
# caches gave back what they can. Rules and watches are slab objects;
# vmalloc'd memory moves with every thread stack freed elsewhere, so it
# is left out of their readings.
kslab() {
	echo 3 > /proc/sys/vm/drop_caches
	sleep 1
	echo $(($(meminfo SUnreclaim) + $(meminfo Percpu)))
}

# kmem: kslab's reading plus vmalloc'd memory, in kB
kmem() {
	echo $(($(kslab) + $(meminfo VmallocUsed)))
}

# paired ADD DEL: kslab's growth over ADD and its fall over DEL (two
# commands), three times; prints the median of the six readings, so
# that one reading moved by something else does not decide the figure
paired() {
	_m=$(kslab)
	for _i in 1 2 3; do
		eval "$1"
		_a=$(kslab)
		eval "$2"
		_b=$(kslab)
		echo $((_a - _m)) $((_a - _b))
		_m=$_b
	done | tr ' ' '\n' | sort -n | awk '{ v[NR] = $1 } END { print int((v[3] + v[4]) / 2) }'
}

# add_rules N: arm N count rules; how many were armed goes to /tmp/nrules
add_rules() {
	_i=0
	while [ $_i -lt "$1" ]; do
		echo "proto=udp dport=$((20000 + _i)) action=count" > $NF || break
		_i=$((_i + 1))
	done
	echo $_i > /tmp/nrules
}

# sys_self N NAME KBENCH_ARGS...: the syscalls kbench counted, and the
# bytes it printed
sys_self() {
	_n=$1
	_name=$2
	shift 2
	_c=$("$KB" "$@" 2>&1 > /tmp/out | awk '{ print $2 }')
	rec "sys $_n $_name $_c $(wc -c < /tmp/out)"
}

# sys_strace N NAME CMD...: the syscalls strace -c -f counts for CMD (a
# path in the host's /), and the bytes it printed
sys_strace() {
	_n=$1
	_name=$2
	shift 2
	chroot /host /usr/bin/strace -c -f -o /tmp/strace.out "$@" > /tmp/out 2>/dev/null
	rec "sys $_n $_name $(awk '$NF == "total" { print $4 }' /tmp/strace.out) $(wc -c < /tmp/out)"
}

# watch_pids FILE: watch the pids in FILE, 64 per write
watch_pids() {
	xargs -n 64 < "$1" | while read -r line; do
		r=$("$KT" write /proc/kscope/watch "$line")
		[ "$r" = ok ] || say "watch: $r"
	done
}

echo 4194304 > /proc/sys/kernel/pid_max
echo 1000000 > /proc/sys/kernel/threads-max
echo 1000000 > /proc/sys/vm/max_map_count

rec "meta kernel $(uname -r)"
rec "meta cpus $(grep -c ^processor /proc/cpuinfo)"
rec "meta mem_kb $(meminfo MemTotal)"
rec "meta reps $REPS"
rec "meta detail_rounds $((REPS * 3))"
rec "meta ps $(chroot /host /usr/bin/ps --version 2>&1 | head -1)"
rec "meta busybox $(busybox 2>&1 | head -1 | cut -d' ' -f1-2)"

# ------------------------------------------------------------ netfilter
# PACKETS loopback round trips through the PRE_ROUTING hook, the fastest
# of BATCHES batches, for each setup in turn in every round: no module;
# kscope loaded with no rule (no hook); 1, 100 and 1,000 count rules on
# other ports; 100 of them plus one that matches; and nftables with the
# same 100 and 1,000 rules as counters in a prerouting chain (kscope
# loaded, no rule). kscope's own figures: hook calls and ns inside.

# nf_rules FROM N: arm count rules on ports 20000+FROM .. 20000+N-1
nf_rules() {
	_i=$1
	while [ "$_i" -lt "$2" ]; do
		echo "proto=udp dport=$((20000 + _i)) action=count" > $NF || say "rule $_i refused"
		_i=$((_i + 1))
	done
}
# nft_rules N: a table with a prerouting chain of N counter rules on
# ports 20000.. (one nft run; the commands in one argument)
nft_rules() {
	_i=0
	_c="add table ip kbench; add chain ip kbench pre { type filter hook prerouting priority -300; };"
	while [ $_i -lt "$1" ]; do
		_c="$_c add rule ip kbench pre udp dport $((20000 + _i)) counter;"
		_i=$((_i + 1))
	done
	$NFT "$_c" || say "nft failed"
}
nft_del() { $NFT delete table ip kbench; }
nf_stat() { awk -v k="$1:" '$1 == k { print $2 }' /proc/kscope/netfilter/stats; }
# nf_udp RULES: udp, with kscope's hook calls and ns meanwhile recorded
# (on the result channel only: this prints udp's figure alone)
nf_udp() {
	_c=$(nf_stat seen)
	_n=$(nf_stat hook_ns)
	udp
	echo "nfhook $1 $(($(nf_stat seen) - _c)) $(($(nf_stat hook_ns) - _n))" > "$R"
}
# nf_modules: nf_tables and what it needs, from the guest kernel's image
nf_modules() {
	_m=/host$BENCH_MODROOT/lib/modules/$(uname -r)/kernel
	for _k in crypto/crc32c_generic lib/libcrc32c net/netfilter/nfnetlink net/netfilter/nf_tables; do
		[ -f "$_m/$_k.ko" ] && insmod "$_m/$_k.ko" 2>/dev/null
	done
	grep -q '^nf_tables ' /proc/modules
}
# pinned to one CPU: a round trip that crosses vCPUs costs twice as much
udp() { taskset 1 "$KB" udp "$PACKETS" 5000 "$BATCHES"; }
nf_bench() {
	say "netfilter: $REPS rounds of $BATCHES x $PACKETS datagrams"
	rec "meta nf_batches $BATCHES"
	nft=0
	if [ -n "${BENCH_MODROOT:-}" ] && nf_modules && $NFT list tables > /dev/null 2>&1; then
		nft=1
		rec "meta nft $($NFT --version)"
	else
		say "no nftables (nf_tables from the image, nft from the host): its rows are left out"
	fi
	rmmod kscope 2>/dev/null
	udp > /dev/null
	_r=0
	while [ $_r -lt "$REPS" ]; do
		rmmod kscope 2>/dev/null
		a=$(udp)
		insmod "$D/kscope.ko" hung_period_ms=0 max_rules=1001 || { say "insmod failed"; exit 1; }
		b=$(udp)
		nf_rules 0 1
		c1=$(nf_udp 1)
		nf_rules 1 100
		c100=$(nf_udp 100)
		nf_rules 100 1000
		c1000=$(nf_udp 1000)
		echo "del all" > $NF
		nf_rules 0 100
		echo "proto=udp dport=5000 action=count" > $NF
		e=$(nf_udp 101)
		echo "del all" > $NF
		n100=0
		n1000=0
		if [ $nft = 1 ]; then
			nft_rules 100
			n100=$(udp)
			nft_del
			nft_rules 1000
			n1000=$(udp)
			nft_del
		fi
		rec "nf $PACKETS $a $b $c1 $c100 $c1000 $e $n100 $n1000"
		rec "meta nf_matched_last_round $(nf_stat matched)"
		_r=$((_r + 1))
	done
	rmmod kscope
}

if [ "$PARTS" = netfilter ]; then
	rec "meta parts netfilter"
	nf_bench
	exit 0
fi

# ------------------------------------------------------------ footprint
rmmod kscope 2>/dev/null
m0=$(kmem)
load
m1=$(kmem)
rec "fp module_size_bytes $(awk '$1 == "kscope" { print $2 }' /proc/modules)"
rec "fp load_kmem_kb $((m1 - m0))"
# shellcheck disable=SC2016 # paired() evals it: $NF expands then
kb=$(paired 'add_rules 256' 'echo "del all" > $NF')
rec "fp rules $(cat /tmp/nrules)"
rec "fp rules_kmem_kb $kb"

nf_bench

# ------------------------------------------------------------ 100 watched pids
# in a memory cgroup of their own, which holds a little memory
echo +memory > /sys/fs/cgroup/cgroup.subtree_control
mkdir -p $CG
sh -c 'echo $$ > "$0/cgroup.procs"; i=0; while [ $i -lt 100 ]; do sleep 1000000 & i=$((i + 1)); done; head -c 4194304 /dev/zero > /dev/shm/kbench; wait' $CG &
while [ "$(wc -l < $CG/cgroup.procs)" -lt 101 ]; do sleep 0.2; done
while read -r p; do
	[ "$(cat "/proc/$p/comm" 2>/dev/null)" = sleep ] && echo "$p"
done < $CG/cgroup.procs | head -100 > /tmp/pids
say "$(wc -l < /tmp/pids) pids in $CG"
: > /tmp/p_sched; : > /tmp/p_memcg; : > /tmp/p_lru; : > /tmp/p_cg
while read -r p; do
	echo /proc/"$p"/sched >> /tmp/p_sched
	echo $CG/memory.current $CG/memory.stat >> /tmp/p_memcg
	echo $CG/memory.numa_stat >> /tmp/p_lru
	echo /proc/"$p"/cgroup $CG/cgroup.threads >> /tmp/p_cg
done < /tmp/pids
# kscope_paths: kscope's side of those lists, after each watch_pids of
# /tmp/pids: the directories watch names for the pids, in their order
kscope_paths() {
	awk 'NR == FNR { d[$1] = $2; next } { print "/proc/kscope/" d[$1] }' \
		/proc/kscope/watch /tmp/pids > /tmp/kdirs
	for _f in sched memcg lru cg_list; do
		sed "s|\$|/$_f|" /tmp/kdirs > /tmp/k_"${_f%_list}"
	done
}
# all/: one item, all/FILE, against one item of every kernel file above
for f in sched memcg lru cg; do
	k=$f
	[ $f = cg ] && k=cg_list
	echo /proc/kscope/all/$k > /tmp/a_$f
	tr '\n' ' ' < /tmp/p_$f > /tmp/q_$f
	echo >> /tmp/q_$f
done
p=$(head -1 /tmp/pids)
load
watch_pids /tmp/pids
kscope_paths
for f in sched memcg lru cg_list; do
	rec "meta bytes_k_$f $(wc -c < "$(head -1 /tmp/kdirs)"/$f)"
done
rec "meta bytes_p_sched $(wc -c < /proc/"$p"/sched)"
rec "meta bytes_p_memcg $(cat $CG/memory.current $CG/memory.stat | wc -c)"
rec "meta bytes_p_lru $(wc -c < $CG/memory.numa_stat)"
rec "meta bytes_p_cg_list $(cat /proc/"$p"/cgroup $CG/cgroup.threads | wc -c)"
for f in sched memcg lru cg_list; do
	rec "meta bytes_all_$f $(wc -c < /proc/kscope/all/$f)"
done

# ------------------------------------------------------------ per size
printf '%s\n' "$KB cat /proc/kscope/tasks" "$PS" \
	"/bin/busybox ps -T -o pid,stat,comm" "$KB procstat" > /tmp/cmds
for n in $SIZES; do
	grow_threads "$n" threads
	have=$(nthreads)
	say "$have threads (target $n)"
	rec "meta threads_$n $have"
	load
	watch_pids /tmp/pids
	kscope_paths

	say "$n: tasks listing, $REPS rounds"
	"$KB" exec "$REPS" /tmp/cmds | while read -r line; do
		rec "tasks $n $line"
	done

	# syscalls: kbench counts its own; strace counts the ps tools'
	sys_self "$n" kscope cat /proc/kscope/tasks
	sys_self "$n" procstat procstat
	if [ "$STRACE" = 1 ]; then
		sys_strace "$n" ps /usr/bin/ps -eLo pid,tid,stat,comm
		sys_strace "$n" busybox /bin/busybox ps -T -o pid,stat,comm
	fi

	say "$n: hung-task scans"
	r=0
	while [ $r -lt "$REPS" ]; do
		s0=$(awk '$1 == "scans:" { print $2 }' /proc/kscope/hung)
		# a new period starts a scan at once
		echo "period_ms=$((60000 - r))" > /proc/kscope/hung
		w=0
		while [ "$(awk '$1 == "scans:" { print $2 }' /proc/kscope/hung)" = "$s0" ] && [ $w -lt 600 ]; do
			sleep 0.1
			w=$((w + 1))
		done
		echo "period_ms=0" > /proc/kscope/hung
		rec "hung $n $(awk '$1 == "last_scan_us:" { u = $2 } $1 == "scan_ns_per_task:" { p = $2 }
			$1 == "last_scan_tasks:" { t = $2 } $1 == "last_scan_rcu_sections:" { s = $2 }
			END { print u, p, t, s }' /proc/kscope/hung)"
		r=$((r + 1))
	done
	rec "hungmax $n $(awk '$1 == "max_rcu_hold_us:" { m = $2 } $1 == "scans:" { s = $2 } END { print m, s }' /proc/kscope/hung)"

	say "$n: per-task detail for $(wc -l < /tmp/pids) pids"
	"$KB" files $((REPS * 3)) /tmp/k_sched /tmp/p_sched /tmp/k_memcg /tmp/p_memcg \
		/tmp/k_lru /tmp/p_lru /tmp/k_cg /tmp/p_cg | while read -r line; do
		rec "detail $n $line"
	done
	# the same, each kscope file of all 100 pids in one read of all/
	"$KB" files $((REPS * 3)) /tmp/a_sched /tmp/q_sched /tmp/a_memcg /tmp/q_memcg \
		/tmp/a_lru /tmp/q_lru /tmp/a_cg /tmp/q_cg | while read -r line; do
		rec "detailall $n $line"
	done
done

# ------------------------------------------------------------ per watched pid
# 1000 threads of the spawner watched at once
load
for p in $(pidof ktest); do ls "/proc/$p/task"; done | head -1000 > /tmp/wpids
sed 's/^/-/' /tmp/wpids > /tmp/wpids_del
kb=$(paired 'watch_pids /tmp/wpids; wc -l < /proc/kscope/watch > /tmp/nwatch' \
	'watch_pids /tmp/wpids_del')
rec "fp watched $(($(cat /tmp/nwatch) - 1))"
rec "fp watch_kmem_kb $kb"
rmmod kscope
say finished

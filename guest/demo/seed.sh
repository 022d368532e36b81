#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The seed experiment kscope grew from, run by scripts/demo in a VM of
# its own: a netfilter rule whose action runs the kernel out of memory,
# fired by one UDP datagram, with vm.panic_on_oom=1, so the kernel
# panics from the OOM path. The VM ends in that panic.

show() {
	echo "# $*"
	sh -c "$*"
}

echo "### A rule that allocates memory until the OOM killer runs, in a kernel"
echo "### worker, when a UDP datagram to port 5001 arrives. Destructive, so"
echo "### kscope must be loaded with allow_destructive=1."
show insmod /kscope/kscope.ko allow_destructive=1
show "echo 1 > /proc/sys/vm/panic_on_oom"
show "echo 'proto=udp dport=5001 action=oom context=work' > /proc/kscope/netfilter/rules"
show cat /proc/kscope/netfilter/rules
echo "### One datagram to 127.0.0.1:5001; the kernel will not come back."
show "/kscope/ktest udpsend 127.0.0.1 5001 1"
sleep 60
echo "the kernel did not panic"
exit 1

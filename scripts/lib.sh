# SPDX-License-Identifier: GPL-2.0
#
# Shell helpers shared by scripts/setup and scripts/vm. Sourced, not run.
#
# Cache layout (outside the checkout, so fresh clones reuse it):
#   $KSCOPE_CACHE/abi                       Debian kernel ABI, e.g. 6.1.0-56-amd64
#   $KSCOPE_CACHE/abi-<flavour>             ABI of Debian's cloud and rt kernels
#   $KSCOPE_CACHE/promtool-<ver>/promtool   Prometheus' metrics checker
#   $KSCOPE_CACHE/stock-<abi>/              Debian's kernel image package, unpacked, the rt one too
#   $KSCOPE_CACHE/debug-<ver>-<hash>/       our debug kernel: build/ (a KDIR) and bzImage
#   $KSCOPE_CACHE/.lock                     flock taken by scripts/setup
#   $KSCOPE_CACHE/.tmp-*                    work dirs, renamed into place when complete

# shellcheck shell=bash
# Variables set here are used by the scripts that source this file.
# shellcheck disable=SC2034

KSCOPE_SCRIPTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
KSCOPE_CACHE=${KSCOPE_CACHE:-/var/cache/kscope}
KSCOPE_FRAGMENT=$KSCOPE_SCRIPTS/debug.config
# The Debian package holding the kernel source the debug kernel is built from.
KSCOPE_SOURCE_PKG=linux-source-6.1
KSCOPE_SOURCE_TAR=/usr/src/linux-source-6.1.tar.xz

# Name used in messages; each script sets its own before sourcing.
KSCOPE_PROG=${KSCOPE_PROG:-kscope}

log() {
	printf '%s: %s\n' "$KSCOPE_PROG" "$*" >&2
}

die() {
	log "error: $*"
	exit 1
}

# Print a duration in seconds as "4 min 50 s".
human_duration() {
	local s=$1
	if ((s >= 60)); then
		printf '%d min %d s' $((s / 60)) $((s % 60))
	else
		printf '%d s' "$s"
	fi
}

# Debian kernel ABI recorded by `scripts/setup headers`.
cached_abi() {
	local f=$KSCOPE_CACHE/abi
	[[ -s $f ]] || return 1
	cat "$f"
}

# ABI of Debian's FLAVOUR (cloud, rt) kernel recorded by `scripts/setup flavours`.
cached_flavour_abi() {
	local f=$KSCOPE_CACHE/abi-$1
	[[ -s $f ]] || return 1
	cat "$f"
}

stock_dir() {
	printf '%s/stock-%s' "$KSCOPE_CACHE" "$1"
}

# A stock cache dir is complete when it has the kernel and a modules.dep.
stock_complete() {
	local abi=$1 dir
	dir=$(stock_dir "$abi")
	[[ -f $dir/boot/vmlinuz-$abi && -s $dir/lib/modules/$abi/modules.dep ]]
}

# Upstream version of the installed kernel source package: 6.1.192-2 -> 6.1.192.
source_version() {
	local v
	v=$(dpkg-query -W -f='${Version}' "$KSCOPE_SOURCE_PKG" 2>/dev/null) || return 1
	[[ -n $v ]] || return 1
	printf '%s' "${v%%-*}"
}

# Short hash of the config fragment: changing the fragment changes the cache key.
fragment_hash() {
	sha256sum "$KSCOPE_FRAGMENT" | cut -c1-8
}

debug_dir() {
	printf '%s/debug-%s-%s' "$KSCOPE_CACHE" "$1" "$2"
}

debug_complete() {
	local dir=$1
	[[ -f $dir/bzImage && -f $dir/build/Module.symvers && -f $dir/build/.config ]]
}

# Set KSCOPE_ABI, KSCOPE_STOCK_* from the cache, or fail saying what to run.
resolve_stock_env() {
	KSCOPE_ABI=$(cached_abi) ||
		die "no kernel ABI recorded in $KSCOPE_CACHE: run scripts/setup"
	KSCOPE_STOCK_KDIR=/usr/src/linux-headers-$KSCOPE_ABI
	KSCOPE_STOCK_MODROOT=$(stock_dir "$KSCOPE_ABI")
	KSCOPE_STOCK_KERNEL=$KSCOPE_STOCK_MODROOT/boot/vmlinuz-$KSCOPE_ABI
	need_debian_kernel stock "$KSCOPE_ABI" "scripts/setup" "scripts/setup"
}

# need_debian_kernel NAME ABI HOW_HEADERS HOW_IMAGE: fail, saying what to
# run, unless the headers and the unpacked image of Debian's ABI are there.
need_debian_kernel() {
	[[ -f /usr/src/linux-headers-$2/Makefile ]] ||
		die "headers /usr/src/linux-headers-$2 missing: run $3"
	stock_complete "$2" ||
		die "$1 kernel $2 not unpacked in $KSCOPE_CACHE: run $4"
}

# Set KSCOPE_RT_* from the cache (Debian's PREEMPT_RT kernel, unpacked
# like the stock one), or fail saying what to run.
resolve_rt_env() {
	KSCOPE_RT_ABI=$(cached_flavour_abi rt) ||
		die "no rt kernel ABI recorded in $KSCOPE_CACHE: run scripts/setup flavours"
	KSCOPE_RT_KDIR=/usr/src/linux-headers-$KSCOPE_RT_ABI
	KSCOPE_RT_MODROOT=$(stock_dir "$KSCOPE_RT_ABI")
	KSCOPE_RT_KERNEL=$KSCOPE_RT_MODROOT/boot/vmlinuz-$KSCOPE_RT_ABI
	need_debian_kernel rt "$KSCOPE_RT_ABI" "scripts/setup flavours" "scripts/setup rt"
}

# Set KSCOPE_DEBUG_* from the cache, or fail saying what to run.
resolve_debug_env() {
	local ver dir
	ver=$(source_version) ||
		die "$KSCOPE_SOURCE_PKG is not installed: run scripts/setup"
	dir=$(debug_dir "$ver" "$(fragment_hash)")
	debug_complete "$dir" ||
		die "debug kernel for this debug.config not built ($dir): run scripts/setup"
	KSCOPE_DEBUG_KDIR=$dir/build
	KSCOPE_DEBUG_KERNEL=$dir/bzImage
}

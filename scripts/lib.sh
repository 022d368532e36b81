# SPDX-License-Identifier: GPL-2.0
#
# Shell helpers shared by scripts/setup, scripts/vm, scripts/build and the
# other developer scripts. Sourced, not run.
#
# Cache layout (outside the checkout, so fresh clones reuse it):
#   $KSCOPE_CACHE/abi-<kernel>              ABI of a Debian kernel of the table
#                                           below, e.g. 6.1.0-57-amd64,
#                                           6.12.118+deb12-amd64
#   $KSCOPE_CACHE/headers-<abi>/            its headers, unpacked, when the
#                                           headers package cannot be installed
#                                           without installing its kernel (6.12)
#   $KSCOPE_CACHE/image-<abi>/              its image package, unpacked
#   $KSCOPE_CACHE/debug-<ver>-<hash>/       a debug kernel (one per series):
#                                           build/ (a KDIR) and bzImage
#   $KSCOPE_CACHE/checkpatch-<ver>/         checkpatch.pl and its data files
#   $KSCOPE_CACHE/promtool-<ver>/promtool   Prometheus' metrics checker
#   $KSCOPE_CACHE/dbg-<abi>/vmlinux         the stock kernel with DWARF, for drgn (setup dbg)
#   $KSCOPE_CACHE/.lock                     flock taken by scripts/setup
#   $KSCOPE_CACHE/.tmp-*                    work dirs, renamed into place when complete

# shellcheck shell=bash
# Variables set here are used by the scripts that source this file.
# shellcheck disable=SC2034

KSCOPE_SCRIPTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
KSCOPE_CACHE=${KSCOPE_CACHE:-/var/cache/kscope}
KSCOPE_FRAGMENT=$KSCOPE_SCRIPTS/debug.config

# Debian's kernels, one row each:
#
#   NAME  HEADERS-METAPACKAGE  IMAGE-METAPACKAGE
#
# `scripts/setup NAME` resolves the kernel's ABI from its headers
# metapackage (so a new Debian ABI is picked up without editing anything),
# sets up those headers (installed, or unpacked into the cache when the
# package would pull in the kernel itself) and, unless IMAGE is '-' (built
# against, never booted), unpacks the image for QEMU. scripts/build,
# scripts/check and scripts/vm take the same names. A new series or
# flavour is a new row. The 6.1 rows keep their short names (stock is
# what `make` builds for when the host has no build tree of its own).
KSCOPE_DEBIAN_KERNELS=(
	"stock linux-headers-amd64 linux-image-amd64"
	"cloud linux-headers-cloud-amd64 -"
	"rt linux-headers-rt-amd64 linux-image-rt-amd64"
	"stock612 linux-headers-6.12-amd64 linux-image-6.12-amd64"
	"cloud612 linux-headers-6.12-cloud-amd64 -"
	"rt612 linux-headers-6.12-rt-amd64 linux-image-6.12-rt-amd64"
)

# Our debug kernels (KASAN, lockdep, kmemleak, KUnit), one per series:
#
#   NAME  SERIES
#
# built from Debian's linux-source-SERIES with tinyconfig, scripts/debug.config
# and scripts/debug-SERIES.config if there is one. The last row is the
# newest series: its checkpatch.pl is the one scripts/check runs.
KSCOPE_DEBUG_KERNELS=(
	"debug 6.1"
	"debug612 6.12"
)

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

# ---------------------------------------------------------------- kernels

# The names of the table's rows, one a line.
debian_kernels() {
	local row
	for row in "${KSCOPE_DEBIAN_KERNELS[@]}"; do
		printf '%s\n' "${row%% *}"
	done
}

# debian_kernel NAME: set ROW_HEADERS and ROW_IMAGE (empty for '-') from
# NAME's row; 1 if there is no such row.
debian_kernel() {
	local row name
	for row in "${KSCOPE_DEBIAN_KERNELS[@]}"; do
		read -r name ROW_HEADERS ROW_IMAGE <<<"$row"
		[[ $name == "$1" ]] || continue
		[[ $ROW_IMAGE == - ]] && ROW_IMAGE=
		return 0
	done
	return 1
}

# The ABI of Debian kernel NAME that `scripts/setup NAME` recorded.
cached_abi() {
	local f=$KSCOPE_CACHE/abi-$1
	[[ -s $f ]] || return 1
	cat "$f"
}

# The headers of ABI: unpacked into the cache by scripts/setup, or the
# package installed on the host.
headers_dir() {
	local dir=$KSCOPE_CACHE/headers-$1/usr/src/linux-headers-$1
	[[ -f $dir/Makefile ]] || dir=/usr/src/linux-headers-$1
	printf '%s' "$dir"
}

image_dir() {
	printf '%s/image-%s' "$KSCOPE_CACHE" "$1"
}

# An image dir is complete when it has the kernel and a modules.dep.
image_complete() {
	local abi=$1 dir
	dir=$(image_dir "$abi")
	[[ -f $dir/boot/vmlinuz-$abi && -s $dir/lib/modules/$abi/modules.dep ]]
}

# The names of our debug kernels, one a line.
debug_kernels() {
	local row
	for row in "${KSCOPE_DEBUG_KERNELS[@]}"; do
		printf '%s\n' "${row%% *}"
	done
}

# debug_series NAME: print debug kernel NAME's series (6.1, 6.12); 1 if
# there is no such kernel.
debug_series() {
	local row
	for row in "${KSCOPE_DEBUG_KERNELS[@]}"; do
		[[ ${row%% *} == "$1" ]] || continue
		printf '%s' "${row#* }"
		return 0
	done
	return 1
}

# The newest series of the debug table (checkpatch.pl comes from its source).
newest_series() {
	printf '%s' "${KSCOPE_DEBUG_KERNELS[-1]#* }"
}

# The Debian package holding a series' kernel source, and its tarball.
source_pkg() {
	printf 'linux-source-%s' "$1"
}

source_tar() {
	printf '/usr/src/linux-source-%s.tar.xz' "$1"
}

# source_version SERIES: upstream version of the installed kernel source
# package of SERIES: 6.1.192-2 -> 6.1.192.
source_version() {
	local v
	v=$(dpkg-query -W -f='${Version}' "$(source_pkg "$1")" 2>/dev/null) || return 1
	[[ -n $v ]] || return 1
	printf '%s' "${v%%-*}"
}

# fragments SERIES: the config fragments of the debug kernel of SERIES,
# the common one first.
fragments() {
	printf '%s\n' "$KSCOPE_FRAGMENT"
	[[ -f $KSCOPE_SCRIPTS/debug-$1.config ]] &&
		printf '%s\n' "$KSCOPE_SCRIPTS/debug-$1.config"
	return 0
}

# fragment_hash SERIES: short hash of the fragments of SERIES: changing
# one changes the cache key.
fragment_hash() {
	local f
	fragments "$1" | while read -r f; do cat "$f"; done | sha256sum | cut -c1-8
}

debug_dir() {
	printf '%s/debug-%s-%s' "$KSCOPE_CACHE" "$1" "$2"
}

debug_complete() {
	local dir=$1
	[[ -f $dir/bzImage && -f $dir/build/Module.symvers && -f $dir/build/.config ]]
}

# ---------------------------------------------------------------- environment

# load_env: set, from the cache and never failing, for every Debian
# kernel NAME of the table (upper case):
#   KSCOPE_NAME_ABI      its ABI, once `scripts/setup NAME` resolved it
#   KSCOPE_NAME_KDIR     its headers (a KDIR), if installed
#   KSCOPE_NAME_MODROOT  its unpacked image, if complete
#   KSCOPE_NAME_KERNEL   the file QEMU boots: the vmlinux extracted for
#                        the PVH entry if there is one, else vmlinuz
# and for every debug kernel NAME (debug, debug612) KSCOPE_NAME_KDIR and
# KSCOPE_NAME_KERNEL; KSCOPE_CHECKPATCH (from the newest series' source),
# KSCOPE_PROMTOOL; KSCOPE_ABI is the stock kernel's ABI. A part that is
# not set up is empty: callers that need it say which step to run
# (need_env). KSCOPE_ENV_VARS lists every name set.
load_env() {
	local name up abi v ver dir series
	KSCOPE_ENV_VARS=(KSCOPE_CACHE)
	while read -r name; do
		up=${name^^}
		abi=$(cached_abi "$name" 2>/dev/null) || abi=
		printf -v "KSCOPE_${up}_ABI" '%s' "$abi"
		printf -v "KSCOPE_${up}_KDIR" '%s' ""
		printf -v "KSCOPE_${up}_MODROOT" '%s' ""
		printf -v "KSCOPE_${up}_KERNEL" '%s' ""
		KSCOPE_ENV_VARS+=("KSCOPE_${up}_ABI" "KSCOPE_${up}_KDIR"
			"KSCOPE_${up}_MODROOT" "KSCOPE_${up}_KERNEL")
		[[ -n $abi ]] || continue
		v=$(headers_dir "$abi")
		[[ -f $v/Makefile ]] && printf -v "KSCOPE_${up}_KDIR" '%s' "$v"
		image_complete "$abi" || continue
		dir=$(image_dir "$abi")
		printf -v "KSCOPE_${up}_MODROOT" '%s' "$dir"
		v=$dir/boot/vmlinux-$abi
		[[ -f $v ]] || v=$dir/boot/vmlinuz-$abi
		printf -v "KSCOPE_${up}_KERNEL" '%s' "$v"
	done < <(debian_kernels)
	KSCOPE_ABI=${KSCOPE_STOCK_ABI:-}

	while read -r name; do
		up=${name^^}
		printf -v "KSCOPE_${up}_KDIR" '%s' ""
		printf -v "KSCOPE_${up}_KERNEL" '%s' ""
		KSCOPE_ENV_VARS+=("KSCOPE_${up}_KDIR" "KSCOPE_${up}_KERNEL")
		series=$(debug_series "$name")
		ver=$(source_version "$series") || continue
		dir=$(debug_dir "$ver" "$(fragment_hash "$series")")
		debug_complete "$dir" || continue
		printf -v "KSCOPE_${up}_KDIR" '%s' "$dir/build"
		printf -v "KSCOPE_${up}_KERNEL" '%s' "$dir/bzImage"
	done < <(debug_kernels)

	KSCOPE_CHECKPATCH=
	if ver=$(source_version "$(newest_series)"); then
		v=$KSCOPE_CACHE/checkpatch-$ver/checkpatch.pl
		[[ -x $v ]] && KSCOPE_CHECKPATCH=$v
	fi
	KSCOPE_PROMTOOL=
	for v in "$KSCOPE_CACHE"/promtool-*/promtool; do
		[[ -x $v ]] && KSCOPE_PROMTOOL=$v
	done
	KSCOPE_ENV_VARS+=(KSCOPE_ABI KSCOPE_CHECKPATCH KSCOPE_PROMTOOL)
}

# need_env VAR STEP WHAT: exit with one line naming the setup step to run
# unless VAR (set by load_env) is non-empty.
need_env() {
	[[ -n ${!1:-} ]] && return 0
	die "$3: not set up in $KSCOPE_CACHE; run scripts/setup $2"
}

# All kernel names, Debian's and ours, on one line.
kernel_names() {
	{
		debian_kernels
		debug_kernels
	} | tr '\n' ' ' | sed 's/ $//'
}

# need_kernel NAME: check that kernel NAME (a row of either table) can be
# booted, or exit naming the step that sets it up.
need_kernel() {
	local up=${1^^} series
	if series=$(debug_series "$1"); then
		need_env "KSCOPE_${up}_KERNEL" "$1" "the $series debug kernel for this debug.config"
		return
	fi
	debian_kernel "$1" || die "unknown kernel '$1' (one of: $(kernel_names))"
	[[ -n $ROW_IMAGE ]] || die "Debian's $1 kernel is built against, not booted"
	need_env "KSCOPE_${up}_KERNEL" "$1" "Debian's $1 kernel image"
}

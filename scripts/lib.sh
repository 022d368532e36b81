# SPDX-License-Identifier: GPL-2.0
#
# Shell helpers shared by scripts/setup, scripts/vm, scripts/build and the
# other developer scripts. Sourced, not run.
#
# Cache layout (outside the checkout, so fresh clones reuse it):
#   $KSCOPE_CACHE/abi-<kernel>              ABI of a Debian kernel of the table
#                                           below, e.g. 6.1.0-57-amd64
#   $KSCOPE_CACHE/image-<abi>/              its image package, unpacked
#   $KSCOPE_CACHE/debug-<ver>-<hash>/       our debug kernel: build/ (a KDIR) and bzImage
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
# The Debian package holding the kernel source the debug kernel is built from.
KSCOPE_SOURCE_PKG=linux-source-6.1
KSCOPE_SOURCE_TAR=/usr/src/linux-source-6.1.tar.xz

# Debian's kernels, one row each:
#
#   NAME  HEADERS-METAPACKAGE  IMAGE-METAPACKAGE
#
# `scripts/setup NAME` resolves the kernel's ABI from its headers
# metapackage (so a new Debian ABI is picked up without editing anything),
# installs those headers and, unless IMAGE is '-' (built against, never
# booted), unpacks the image for QEMU. scripts/build, scripts/check and
# scripts/vm take the same names. A new series or flavour is a new row.
KSCOPE_DEBIAN_KERNELS=(
	"stock linux-headers-amd64 linux-image-amd64"
	"cloud linux-headers-cloud-amd64 -"
	"rt linux-headers-rt-amd64 linux-image-rt-amd64"
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

headers_dir() {
	printf '/usr/src/linux-headers-%s' "$1"
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

# ---------------------------------------------------------------- environment

# load_env: set, from the cache and never failing, for every Debian
# kernel NAME of the table (upper case):
#   KSCOPE_NAME_ABI      its ABI, once `scripts/setup NAME` resolved it
#   KSCOPE_NAME_KDIR     its headers (a KDIR), if installed
#   KSCOPE_NAME_MODROOT  its unpacked image, if complete
#   KSCOPE_NAME_KERNEL   the file QEMU boots: the vmlinux extracted for
#                        the PVH entry if there is one, else vmlinuz
# and KSCOPE_DEBUG_KDIR, KSCOPE_DEBUG_KERNEL, KSCOPE_CHECKPATCH,
# KSCOPE_PROMTOOL; KSCOPE_ABI is the stock kernel's ABI. A part that is
# not set up is empty: callers that need it say which step to run
# (need_env). KSCOPE_ENV_VARS lists every name set.
load_env() {
	local name up abi v ver dir
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

	KSCOPE_DEBUG_KDIR=''
	KSCOPE_DEBUG_KERNEL=''
	if ver=$(source_version); then
		dir=$(debug_dir "$ver" "$(fragment_hash)")
		if debug_complete "$dir"; then
			KSCOPE_DEBUG_KDIR=$dir/build
			KSCOPE_DEBUG_KERNEL=$dir/bzImage
		fi
		v=$KSCOPE_CACHE/checkpatch-$ver/checkpatch.pl
	else
		v=
	fi
	KSCOPE_CHECKPATCH=
	[[ -n $v && -x $v ]] && KSCOPE_CHECKPATCH=$v
	KSCOPE_PROMTOOL=
	for v in "$KSCOPE_CACHE"/promtool-*/promtool; do
		[[ -x $v ]] && KSCOPE_PROMTOOL=$v
	done
	KSCOPE_ENV_VARS+=(KSCOPE_ABI KSCOPE_DEBUG_KDIR KSCOPE_DEBUG_KERNEL
		KSCOPE_CHECKPATCH KSCOPE_PROMTOOL)
}

# need_env VAR STEP WHAT: exit with one line naming the setup step to run
# unless VAR (set by load_env) is non-empty.
need_env() {
	[[ -n ${!1:-} ]] && return 0
	die "$3: not set up in $KSCOPE_CACHE; run scripts/setup $2"
}

# need_kernel NAME: check that kernel NAME (a row of the table, or debug)
# can be booted, or exit naming the step that sets it up.
need_kernel() {
	local up=${1^^}
	if [[ $1 == debug ]]; then
		need_env KSCOPE_DEBUG_KERNEL debug "the debug kernel for this debug.config"
		return
	fi
	debian_kernel "$1" || die "unknown kernel '$1' (one of: $(debian_kernels | tr '\n' ' ')debug)"
	[[ -n $ROW_IMAGE ]] || die "Debian's $1 kernel is built against, not booted"
	need_env "KSCOPE_${up}_KERNEL" "$1" "Debian's $1 kernel image"
}

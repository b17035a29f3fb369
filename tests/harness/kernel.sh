#!/bin/bash
# Build (once) and locate the paxos test kernel.
#
#   kernel.sh build   build it unless the cache already holds it
#   kernel.sh dir     print the cached build tree (KDIR), build if missing
#   kernel.sh key     print the cache key
#   kernel.sh cached  succeed if the cache holds it (build nothing)
#   kernel.sh source  unpack the kernel source (checkpatch, YNL) only
#
# The kernel is built from Debian's linux-source-6.12 with
# tests/harness/kernel.config merged over allnoconfig, out of tree, under
# $PAXOS_CACHE (default /var/cache/paxos).  The cache key is a hash of the
# config fragment, the source package version and this recipe, so editing
# the fragment builds a new kernel and CI reuses whatever already exists.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${PAXOS_CACHE:-/var/cache/paxos}
fragment=$here/kernel.config
recipe=3	# bump when the build steps below change

srcver=$(dpkg-query -W -f='${Version}' linux-source-6.12)
key=$( { cat "$fragment"; echo "$srcver"; echo "$recipe"; } | sha256sum | cut -c1-16)
src=$cache/src-$srcver/linux-source-6.12
out=$cache/kernel-$key

extract_source()
{
	[ -f "$src/Makefile" ] && return
	echo "kernel.sh: unpacking linux-source-6.12 $srcver" >&2
	mkdir -p "$cache/src-$srcver.tmp"
	tar -C "$cache/src-$srcver.tmp" -xf /usr/src/linux-source-6.12.tar.xz
	rm -rf "$cache/src-$srcver"
	mv "$cache/src-$srcver.tmp" "$cache/src-$srcver"
}

build()
{
	[ -f "$out/.done" ] && return
	# One kernel build at a time: wait for one already running (it may be
	# building this very kernel).
	mkdir -p "$cache"
	exec 8>"$cache/build.lock"
	flock 8
	[ -f "$out/.done" ] && return
	extract_source
	local start=$SECONDS
	# A build that was interrupted starts over: a half-built tree is not
	# worth trusting.
	rm -rf "$out"
	mkdir -p "$out"
	echo "kernel.sh: building test kernel $key (this takes a while)" >&2
	make -s -C "$src" O="$out" ARCH=x86_64 allnoconfig >/dev/null
	"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "$fragment" >/dev/null
	make -s -C "$src" O="$out" ARCH=x86_64 olddefconfig >/dev/null
	# Every =y/=value line of the fragment must have survived olddefconfig.
	local missing
	missing=$(grep -E '^CONFIG_[A-Z0-9_]+=' "$fragment" | while read -r l; do
		case $l in
		*=n) ! grep -q "^${l%=n}=" "$out/.config" || echo "  $l" ;;
		*) grep -qxF "$l" "$out/.config" || echo "  $l" ;;
		esac; done)
	if [ -n "$missing" ]; then
		echo "kernel.sh: options dropped by kconfig (missing dependency?):" >&2
		echo "$missing" >&2
		exit 1
	fi
	make -s -C "$src" O="$out" ARCH=x86_64 -j"$(nproc)" bzImage modules
	touch "$out/.done"
	echo "kernel.sh: built in $((SECONDS - start))s" >&2
}

case "${1:-dir}" in
build) build ;;
cached) [ -f "$out/.done" ] ;;
source)
	mkdir -p "$cache"
	exec 8>"$cache/build.lock"
	flock 8
	extract_source ;;
dir) build; echo "$out" ;;
key) echo "$key" ;;
*) echo "usage: $0 build|dir|key|cached|source" >&2; exit 2 ;;
esac

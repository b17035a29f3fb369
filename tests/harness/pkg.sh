#!/bin/bash
# Packages and DKMS on the host (check.sh records each step):
#
#   pkg.sh deb    `make deb` (dpkg-buildpackage, lintian on the source and
#                 both packages, failing on any error or warning); then both
#                 packages installed into a fresh root with dpkg --root (an
#                 empty dpkg database: dependencies forced, paxos-dkms only
#                 unpacked, as its postinst runs dkms, which the empty root
#                 lacks); the root's paxosctl prints its version, makes a key
#                 and refuses a bad one.
#   pkg.sh dkms   DKMS builds the module from the root's /usr/src/paxos-V
#                 (the paxos-dkms package's payload) for Debian's 6.12 and
#                 6.1 kernels, in private DKMS trees (--dkmstree,
#                 --sourcetree: nothing lands in /var/lib/dkms or
#                 /lib/modules); the modules go to build/dkms/RELEASE/ for
#                 tests/15-dkms-autoload.sh to install and autoload in the VM.
#
# The fresh root is build/pkg/root.  No debootstrap: the machine's apt
# sources are not local, and the DKMS build runs on the host against the
# root's sources, which is what the package's postinst would run.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cd "$top"
work=$top/build/pkg
root=$work/root
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)

fail() { echo "pkg.sh: FAIL: $*" >&2; exit 1; }

releases()
{
	# Debian's 6.12 kernel and Debian 12's default 6.1, as vm.sh boots.
	ls /boot/vmlinuz-6.12.*+deb12-amd64 2>/dev/null | sort -V | tail -1
	ls /boot/vmlinuz-6.1.0-*-amd64 2>/dev/null | sort -V | tail -1
}

do_deb()
{
	make -s deb || fail "make deb (build or lintian)"
	ls build/deb/paxos-dkms_"$version"_all.deb build/deb/paxosctl_"$version"_*.deb \
		>/dev/null || fail "packages missing from build/deb"
	grep -q "^paxos ($version)" debian/changelog ||
		fail "debian/changelog is not at dkms.conf's version $version"

	rm -rf "$work"
	mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates"
	: > "$root/var/lib/dpkg/status"
	: > "$root/var/lib/dpkg/available"
	dpkg --root="$root" --force-depends --force-script-chrootless \
		-i build/deb/paxosctl_"$version"_*.deb ||
		fail "dpkg -i paxosctl into $root"
	dpkg --root="$root" --force-depends --unpack \
		build/deb/paxos-dkms_"$version"_all.deb ||
		fail "dpkg --unpack paxos-dkms into $root"
	dpkg --root="$root" -l | grep -E "^(ii|iU) +paxos" || true
	dpkg --root="$root" -l paxosctl | grep -q '^ii' ||
		fail "paxosctl not installed in $root"
	[ -f "$root/usr/src/paxos-$version/dkms.conf" ] ||
		fail "no /usr/src/paxos-$version/dkms.conf in $root"
	[ -f "$root/usr/share/man/man8/paxosctl.8.gz" ] || fail "no man page"

	local p=$root/usr/sbin/paxosctl out key
	out=$("$p" --version) || fail "paxosctl --version"
	echo "$out"
	case $out in
	*"$version"*) ;;
	*) fail "paxosctl --version says '$out', not $version" ;;
	esac
	key=$("$p" genkey) || fail "paxosctl genkey"
	[ -n "$key" ] || fail "paxosctl genkey printed nothing"
	(umask 077; echo "$key" > "$work/k1"; "$p" genkey > "$work/k2")
	cmp -s "$work/k1" "$work/k2" && fail "two genkeys gave the same key"
	# The key is usable: a dry run (-n) of a group with it succeeds, one
	# with a key cut short is refused (exit 2, bad input).
	"$p" -n group add id 1 node 1 member 1 addr 198.18.1.2:7000 \
		keyfile "$work/k1" > /dev/null ||
		fail "paxosctl -n group add with a genkey key"
	local rc=0
	"$p" -n group add id 1 node 1 member 1 addr 198.18.1.2:7000 \
		key "${key:0:10}" > /dev/null 2>&1 || rc=$?
	[ "$rc" = 2 ] || fail "a short key: exit $rc, not 2"
	echo "pkg.sh: deb ok (root $root)"
}

do_dkms()
{
	local src=$root/usr/src rel img tree log ko
	# No module from an earlier run may stand in for this one's.
	rm -rf "$top/build/dkms"
	[ -f "$src/paxos-$version/dkms.conf" ] ||
		fail "no packaged sources in $root (run pkg.sh deb first)"
	for img in $(releases); do
		rel=${img#/boot/vmlinuz-}
		tree=$work/dkms-$rel
		rm -rf "$tree"
		mkdir -p "$tree" "$top/build/dkms/$rel"
		dkms add -m paxos -v "$version" --sourcetree "$src" \
			--dkmstree "$tree" > "$work/dkms-$rel.log" 2>&1 ||
			{ cat "$work/dkms-$rel.log"; fail "dkms add ($rel)"; }
		dkms build -m paxos -v "$version" -k "$rel" --sourcetree "$src" \
			--dkmstree "$tree" >> "$work/dkms-$rel.log" 2>&1 || {
			cat "$work/dkms-$rel.log" "$tree/paxos/$version/build/make.log"
			fail "dkms build -k $rel"
		}
		log=$(find "$tree/paxos/$version" -name make.log | head -1)
		[ -n "$log" ] || fail "dkms build -k $rel: no make.log"
		if grep -E 'warning:|error:' "$log"; then
			fail "dkms build -k $rel: compiler warnings"
		fi
		ko=$(ls "$tree/paxos/$version/$rel"/*/module/paxos.ko* | head -1)
		[ -n "$ko" ] || fail "dkms built no module for $rel"
		[ "$(modinfo -F vermagic "$ko" | cut -d' ' -f1)" = "$rel" ] ||
			fail "$ko: vermagic is not $rel"
		modinfo -F alias "$ko" | grep -qx 'devname:paxos' ||
			fail "$ko: no devname:paxos alias"
		modinfo -F alias "$ko" | grep -qx 'char-major-10-247' ||
			fail "$ko: no char-major-10-247 alias"
		modinfo -F alias "$ko" | grep -qx 'net-pf-16-proto-16-family-paxos' ||
			fail "$ko: no genetlink family alias"
		[ "$(modinfo -F version "$ko")" = "$version" ] ||
			fail "$ko: version $(modinfo -F version "$ko"), not $version"
		cp "$ko" "$top/build/dkms/$rel/"
		echo "pkg.sh: dkms build -k $rel ok: $(basename "$ko")"
	done
}

case ${1:-} in
deb) do_deb ;;
dkms) do_dkms ;;
*) echo "usage: $0 deb|dkms" >&2; exit 2 ;;
esac

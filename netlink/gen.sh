#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Regenerate everything derived from netlink/specs/paxos.yaml with the
# kernel's own YNL generator (tools/net/ynl/ynl-gen-c.py), run out of tree:
#
#   uapi/linux/paxos.h              --mode uapi
#   kmod/netlink_gen.h              --mode kernel --header
#   kmod/netlink_gen.c              --mode kernel --source
#   netlink/genetlink-legacy.yaml   the schema, copied from the kernel tree so
#                                   that tools/net/ynl/cli.py --spec
#                                   netlink/specs/paxos.yaml validates the spec
#   userspace-tool/names_gen.{h,c}  paxosctl's attribute, enum and operation
#                                   names (netlink/gen-names.py)
#
# Usage: netlink/gen.sh [--check]
#   --check  generate into a temporary directory and fail, showing a diff,
#            if a committed file differs (drift between spec and code).
# The kernel tree is $KSRC, else the newest /var/cache/paxos/src-*/linux-source-6.12.
#
# The generator wants a kernel-like tree: it validates the spec against
# dirname(dirname(spec))/<protocol>.yaml and walks up from the spec to a
# MAINTAINERS file, whose directory it treats as the tree root (the path
# below it is written into the generated files). So the spec is run from a
# scratch tree: MAINTAINERS, netlink/genetlink-legacy.yaml,
# netlink/specs/paxos.yaml.

set -euo pipefail

check=0
case "${1:-}" in
--check) check=1 ;;
"") ;;
*) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
ksrc=${KSRC:-$(ls -d /var/cache/paxos/src-*/linux-source-6.12 2>/dev/null | tail -1)}
gen=$ksrc/tools/net/ynl/ynl-gen-c.py
proto=genetlink-legacy
schema=$ksrc/Documentation/netlink/$proto.yaml

if [ -z "$ksrc" ] || [ ! -f "$gen" ] || [ ! -f "$schema" ]; then
	echo "$0: kernel tree with tools/net/ynl not found; set KSRC" >&2
	exit 1
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# Scratch "kernel tree" the generator can live with.
: >"$scratch/MAINTAINERS"
mkdir -p "$scratch/netlink/specs"
cp "$schema" "$scratch/netlink/$proto.yaml"
cp "$here/specs/paxos.yaml" "$scratch/netlink/specs/paxos.yaml"
spec=$scratch/netlink/specs/paxos.yaml

out=$scratch/out
mkdir -p "$out/uapi/linux" "$out/kmod" "$out/netlink"

# Same output whatever the environment: no hash randomisation, no
# __pycache__ written into the kernel tree.
export PYTHONHASHSEED=0 PYTHONDONTWRITEBYTECODE=1 LC_ALL=C

# Debian's python3 has the generator's modules (python3-yaml from make deps);
# another python3 first on PATH may not.
python=/usr/bin/python3
[ -x "$python" ] || python=python3
ynl_gen() {
	"$python" "$gen" --spec "$spec" "$@"
}
ynl_gen --mode uapi --header -o "$out/uapi/linux/paxos.h"
ynl_gen --mode kernel --header -o "$out/kmod/netlink_gen.h"
ynl_gen --mode kernel --source -o "$out/kmod/netlink_gen.c"
cp "$schema" "$out/netlink/$proto.yaml"
# paxosctl's names of attributes, enum entries and operations.
mkdir -p "$out/userspace-tool"
"$python" "$here/gen-names.py" --spec "$spec" --header -o "$out/userspace-tool/names_gen.h"
"$python" "$here/gen-names.py" --spec "$spec" --source -o "$out/userspace-tool/names_gen.c"

files="uapi/linux/paxos.h kmod/netlink_gen.h kmod/netlink_gen.c netlink/$proto.yaml"
files="$files userspace-tool/names_gen.h userspace-tool/names_gen.c"

if [ "$check" = 1 ]; then
	rc=0
	for f in $files; do
		if ! diff -u --label "a/$f" --label "b/$f" \
			"$root/$f" "$out/$f" 2>/dev/null; then
			[ -f "$root/$f" ] || echo "$f: missing"
			rc=1
		fi
	done
	if [ "$rc" != 0 ]; then
		echo "$0: generated files are stale; run netlink/gen.sh" >&2
		exit 1
	fi
	echo "netlink: generated files up to date"
	exit 0
fi

for f in $files; do
	if ! cmp -s "$out/$f" "$root/$f"; then
		mkdir -p "$(dirname "$root/$f")"
		cp "$out/$f" "$root/$f"
		echo "	GEN	$f"
	fi
done

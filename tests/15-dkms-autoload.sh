#!/bin/bash
# kernels: stock stock61
# batch: last
# The module as DKMS built it from the paxos-dkms package's sources (on the
# host, tests/harness/pkg.sh dkms: build/dkms/RELEASE/), installed where
# `dkms install` puts it, loads itself on first use:
#
#   - /dev/paxos exists before the module is loaded (the devname alias in
#     modules.devname, made into a node by "kmod static-nodes" as systemd's
#     kmod-static-nodes.service does at boot), and opening it loads the
#     module (char-major-10-247);
#   - paxosctl group add loads it (the genetlink family alias), and so does
#     any lookup of the family by name (genl ctrl get name paxos; not the
#     kernel's ynl CLI, which only dumps the families);
#   - then a one-node group learns a value, read back with cat /dev/paxos.
#
# The host's /lib/modules is read-only in the VM: the release's directory
# gets a tmpfs overlay, and depmod runs there as dkms install would.
set -eu
. "$(dirname "$0")/harness/lib.sh"

KSRC=$(ls -d /var/cache/paxos/src-*/linux-source-6.12 | tail -1)
YNL="python3 $PAXOS_TOP/tests/lib/ynlcli.py --no-schema --spec $PAXOS_TOP/netlink/specs/paxos.yaml"
P=$PAXOS_TOP/userspace-tool/paxosctl
rel=$(uname -r)
mods=/lib/modules/$rel

ko=$(ls "$PAXOS_TOP/build/dkms/$rel"/paxos.ko* 2>/dev/null | head -1)
[ -n "$ko" ] || fail "no DKMS-built module for $rel (tests/harness/pkg.sh dkms)"
loaded() { grep -q '^paxos ' /proc/modules; }
! loaded || fail "paxos is loaded before the test"

t=$SECONDS
modprobe overlay || fail "modprobe overlay"
mkdir -p /tmp/ov/upper /tmp/ov/work
mount -t overlay overlay \
	-o "lowerdir=$mods,upperdir=/tmp/ov/upper,workdir=/tmp/ov/work" "$mods" ||
	fail "overlay on $mods"
trap 'umount "$mods" 2>/dev/null || true' EXIT
dst=$mods/updates/dkms/$(basename "$ko")
install -D -m 0644 "$ko" "$dst"
# dkms install runs depmod over the whole release: 2.5 minutes here (every
# module read over 9p under TCG).  The same depmod over the DKMS module and
# the modules it depends on writes the same entries for paxos (its
# dependencies, aliases and devname) and nothing else.
deps=$(modinfo -F depends "$dst" | tr ',' ' ')
[ -n "$deps" ] || fail "$dst depends on nothing?"
depmod "$rel" "$dst" $(modprobe --show-depends -a $deps |
	sed -n 's/^insmod \([^ ]*\).*/\1/p' | sort -u) || fail "depmod"
echo "installed $(basename "$ko") and ran depmod in $((SECONDS - t)) s"
modinfo -n paxos | grep -q "/updates/dkms/paxos.ko" ||
	fail "modprobe finds $(modinfo -n paxos), not the DKMS module"
grep -qx 'paxos paxos c10:247' "$mods/modules.devname" ||
	fail "modules.devname: $(grep paxos "$mods/modules.devname" || echo nothing)"

# The boot-time static node, as systemd does it.
rm -f /dev/paxos
kmod static-nodes --format=tmpfiles --output=/run/static-nodes.conf
grep paxos /run/static-nodes.conf
systemd-tmpfiles --create --boot /run/static-nodes.conf ||
	fail "systemd-tmpfiles --create"
[ -c /dev/paxos ] || fail "no /dev/paxos node"
[ "$(stat -c '%t:%T %a' /dev/paxos)" = "a:f7 600" ] ||
	fail "/dev/paxos is $(stat -c '%t:%T %a' /dev/paxos), not 10:247 0600"
! loaded || fail "static-nodes loaded the module"

# 1. Opening /dev/paxos loads the module.
exec 3</dev/paxos || fail "open /dev/paxos"
exec 3<&-
loaded || fail "opening /dev/paxos did not load paxos"
[ "$(cat /sys/module/paxos/srcversion)" = "$(modinfo -F srcversion "$ko")" ] ||
	fail "the loaded module is not the DKMS one"
echo "open(/dev/paxos) loaded paxos"
paxos_unload

# 2. paxosctl's family lookup loads it; the group then works.
"$P" group add id 1 node 1 insecure member 1 addr 127.0.0.1:7000 \
	heartbeat 50 election-min 200 election-max 400 ||
	fail "paxosctl group add with the module not loaded"
loaded || fail "paxosctl did not load paxos"
echo "paxosctl group add loaded paxos"
slot=$("$P" propose group 1 value "autoloaded on $rel") ||
	fail "paxosctl propose"
echo "learned in slot $slot"
timeout 2 cat /dev/paxos > /tmp/log || true
grep -qx "autoloaded on $rel" /tmp/log ||
	fail "cat /dev/paxos: $(cat /tmp/log)"
"$P" group del id 1 || fail "paxosctl group del"
paxos_unload

# 3. Any by-name family lookup loads it (iproute2's genl here).  The
# kernel's ynl CLI does not: it learns family ids from a dump of all
# families, which loads nothing; after such a lookup it works.
genl ctrl get name paxos > /tmp/genl.out || fail "genl ctrl get name paxos"
loaded || fail "a family lookup by name did not load paxos"
echo "genl ctrl get name paxos loaded paxos"
$YNL --dump group-get > /tmp/ynl.out || fail "ynl --dump group-get"
paxos_unload
echo "autoload ok on $rel ($((SECONDS - t)) s)"

#!/bin/bash
# kernels: stock
# Reading the log is as privileged as writing it: without CAP_NET_ADMIN in
# the user namespace that owns the group's network namespace, every paxos
# op (group-get and log-get included) and subscribing to the events fail
# with EPERM, for an unprivileged user and for root of a user namespace that
# does not own the network namespace.  An unprivileged user's own user and
# network namespace (unshare -Urn) is theirs to use.  See
# tests/lib/privileges.py.
set -eu
. "$(dirname "$0")/harness/lib.sh"
. "$(dirname "$0")/harness/cluster.sh"

paxos_load
$YNL --do group-new --json '{"id": 1, "node-id": 1, "insecure": true, "member": [{"node-id": 1, "addr": {"ipv4": "7f000001", "port": 7000}}]}' >/dev/null
$YNL --do propose --json '{"group-id": 1, "value": "736563726574"}' >/dev/null

# No user namespace can be made from a chroot, and the VM runs its job
# chrooted into the host's root: run "$@" in a mount namespace whose root
# is the host's root (as tests/57-unprivileged.sh does).
unchroot()
{
	/bin/busybox nsenter -t 1 -r /host/bin/busybox unshare -m \
		--propagation private /host/bin/busybox sh -c \
		'cd /host && mount --move /host / && exec chroot . "$@"' sh "$@"
}

py="env PAXOS_TOP=$PAXOS_TOP PYTHONPATH=$PAXOS_TOP/tests/lib python3 $PAXOS_TOP/tests/lib/privileges.py"
nobody="/usr/bin/setpriv --reuid=65534 --regid=65534 --clear-groups"
echo "== an unprivileged user"
$nobody $py denied
echo "== root of a user namespace that does not own the network namespace"
unchroot /usr/bin/unshare -U $py denied
echo "== an unprivileged user in an own user and network namespace"
unchroot $nobody unshare -Urn sh -c "ip link set lo up && $py own"

$YNL --do group-del --json '{"id": 1}' >/dev/null
paxos_unload

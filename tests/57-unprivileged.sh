#!/bin/bash
# kernels: test stock
# An unprivileged user (nobody, in its own user and network namespace from
# unshare -Urn) can run groups of its own and nothing more: it does not see
# or touch root's group, /dev/paxos is root's, a namespace holds at most 64
# groups, and all namespaces of unprivileged users together at most
# max_userns_groups (a module parameter, 66 here; max_groups bounds every
# group, root's too).  Memory it makes the module allocate is charged to its
# memory cgroup, also when the group's worker (a kworker) allocates: a
# group created from a cgroup with memory.max 1 MiB above what it holds
# stops taking values at that limit (ENOMEM or ETIMEDOUT), without the OOM
# killer.
#
#   /sys/fs/cgroup
#   `-- p57          delegated to nobody (root sets it up, nothing else)
#       |-- main     the unprivileged test (tests/lib/unprivileged.py)
#       `-- box      made by nobody: the creator of the memory-bound group
set -eu
. "$(dirname "$0")/harness/lib.sh"

cg=/sys/fs/cgroup
p57=$cg/p57
cleanup()
{
	rmdir "$p57/box" "$p57/main" "$p57" 2>/dev/null || true
}
trap cleanup EXIT

# No user namespace can be made from a chroot, and the VM runs its job
# chrooted into the host's root: run "$@" in a mount namespace whose root
# is the host's root, as switch_root makes it (busybox is static; "$1"
# needs its full path, or busybox runs its own applet of that name).
unchroot()
{
	/bin/busybox nsenter -t 1 -r /host/bin/busybox unshare -m \
		--propagation private /host/bin/busybox sh -c \
		'cd /host && mount --move /host / && exec chroot . "$@"' sh "$@"
}

P=$PAXOS_TOP/userspace-tool/paxosctl
[ -x "$P" ] || fail "no $P (make tool)"
py="env PAXOS_TOP=$PAXOS_TOP PYTHONPATH=$PAXOS_TOP/tests/lib python3 $PAXOS_TOP/tests/lib/unprivileged.py"
one() { echo "id $1 node 1 listen 127.0.0.1:$2 insecure member 1 addr 127.0.0.1:$2"; }

paxos_load
echo 66 > /sys/module/paxos/parameters/max_userns_groups
echo "== root makes group 1"
$P group add $(one 1 7000)

# A cgroup subtree delegated to nobody, with the memory controller.
mountpoint -q $cg || mount -t cgroup2 cgroup2 $cg
echo +memory > $cg/cgroup.subtree_control
mkdir $p57 $p57/main
echo +memory > $p57/cgroup.subtree_control
chown 65534:65534 $p57 $p57/cgroup.procs $p57/cgroup.subtree_control \
	$p57/cgroup.threads $p57/main $p57/main/cgroup.procs \
	$p57/main/cgroup.threads

echo "== an unprivileged user in an own user and network namespace"
unchroot /bin/sh -c 'echo $$ > "$0/cgroup.procs" && exec "$@"' $p57/main \
	setpriv --reuid=65534 --regid=65534 --clear-groups \
	unshare -Urn sh -c "ip link set lo up && exec $py $p57"

echo "== root"
$P group show id 1 > /dev/null || fail "root's group 1 is gone"
echo "ok   root's group 1 is untouched"
# max_groups holds for root too.  The unprivileged namespaces' groups go
# with their namespaces, which the kernel cleans up in the background.
echo 2 > /sys/module/paxos/parameters/max_groups
for try in $(seq 50); do
	$P group add $(one 4 7004) 2> /tmp/err && break
	grep -q max_groups /tmp/err || { cat /tmp/err; fail "group 4"; }
	sleep 0.2
done
$P group show id 4 > /dev/null || fail "no group 4: $(cat /tmp/err)"
if $P group add $(one 5 7005) 2> /tmp/err; then
	fail "a third group with max_groups 2"
fi
grep -q "max_groups" /tmp/err || fail "group 5: $(cat /tmp/err)"
echo "ok   max_groups 2 refuses a third group to root: $(cat /tmp/err)"
echo 1024 > /sys/module/paxos/parameters/max_groups
$P group del id 4
$P group del id 1
paxos_unload

#!/bin/bash
# kernels: test stock stock61
# Faults on a 3-node cluster while every node writes, judged by a history
# checker (issue 11).  Two closed-loop writers and a log follower per node
# (tests/lib/workload.py); a nemesis on the schedule tests/lib/faults.py
# prints: netem loss, duplication, reordering and delay on every link, the
# leader cut off, a minority cut off, a majority/minority split, one-way
# loss, a follower "rebooted" (group deleted and created again as existing);
# then every fault lifted, the nodes converge and tests/lib/history.py
# judges agreement, order, integrity, validity, durability and liveness.
#
# "The module reloaded on one node": the namespaces share one kernel, so
# rmmod takes the module away from every node at once.  That is every
# voter losing its state together, which the design leaves out of scope
# (README, Restart safety): nothing acknowledged before can survive it.
# So it is the last phase: the groups are deleted, the module reloaded and
# a new cluster (a new key, cluster-state new) created; it must commit, and
# its own history is judged on its own.
#
#   n1 ---.
#   n2 ---+--- rt      (see tests/harness/cluster.sh)
#   n3 ---'
set -eu
. "$(dirname "$0")/harness/lib.sh"
. "$(dirname "$0")/harness/cluster.sh"
trap cluster_cleanup EXIT

nodes=${FAULTS_NODES:-3}
cluster_net "$nodes"
paxos_load
if [ "$PAXOS_KERNEL" = stock ]; then
	modprobe sch_netem || fail "modprobe sch_netem"
fi
run() { env PAXOS_TOP="$PAXOS_TOP" PAXOS_KERNEL="$PAXOS_KERNEL" \
	PYTHONPATH="$PAXOS_TOP/tests/lib" python3 -u \
	"$PAXOS_TOP/tests/lib/faults.py" --nodes "$nodes" "$@"; }
start=$SECONDS
run --schedule full --out /tmp/faults-1 || fail "faults: history violated (or clients failed)"
echo "faults: $((SECONDS - start)) s"

# The module reloaded (on every node: one kernel), then a new cluster.
if [ "${FAULTS_RELOAD:-1}" = 0 ]; then
	paxos_unload
	exit 0
fi
start=$SECONDS
paxos_unload
paxos_load
run --schedule clean --phase 3 --label "after reload" --out /tmp/faults-2 ||
	fail "faults after the module reload: history violated"
echo "faults after reload: $((SECONDS - start)) s"
paxos_unload

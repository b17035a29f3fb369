#!/bin/bash
# kernels: test stock
# A forger cannot disturb a keyed cluster: forged Prepare/Accept/Learn/
# Catchup from a non-member and from a member's spoofed address, envelopes
# under a wrong key, and replays of captured genuine datagrams are all
# dropped and counted; leader, ballot and log stay as they were, and the
# same forged Prepare does move an insecure group.  See tests/lib/forger.py.
set -eu
. "$(dirname "$0")/harness/lib.sh"
. "$(dirname "$0")/harness/cluster.sh"
trap cluster_cleanup EXIT

cluster_net 4
paxos_load
# The debug kernel under TCG is slow enough for 300 ms elections to duel.
if [ "$PAXOS_KERNEL" = test ]; then
	timing='"heartbeat-ms": 100, "election-min-ms": 1000, "election-max-ms": 2000'
else
	timing='"heartbeat-ms": 50, "election-min-ms": 300, "election-max-ms": 600'
fi
for i in 1 2 3; do
	cluster_group "$i" 1 3 4 "$timing"
	PORT=7001 CLUSTER_INSECURE=1 cluster_group "$i" 2 3 4 "$timing"
done
env PAXOS_TOP="$PAXOS_TOP" PYTHONPATH="$PAXOS_TOP/tests/lib" \
	python3 "$PAXOS_TOP/tests/lib/forger.py"
for i in 1 2 3; do
	ynl "$i" --do group-del --json '{"id": 1}' >/dev/null
	ynl "$i" --do group-del --json '{"id": 2}' >/dev/null
done
paxos_unload

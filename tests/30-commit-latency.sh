#!/bin/bash
# kernels: test stock
# Commit latency of a /dev/paxos write at the leader against the raw UDP
# round trip between two namespaces, measured in the same run (TCG timings
# are only meaningful as ratios).  A commit is one round trip from the
# leader to a majority plus the work on both ends; the test fails when the
# median commit costs more than 25 round trips.
set -eu
. "$(dirname "$0")/harness/lib.sh"
. "$(dirname "$0")/harness/cluster.sh"
srv=
trap '[ -n "$srv" ] && kill $srv; cluster_cleanup' EXIT
N=${N:-200}
LAT="python3 $PAXOS_TOP/tests/lib/latency.py"

cluster_net 3
paxos_load
for i in 1 2 3; do
	cluster_group "$i" 1 3 4 '"heartbeat-ms": 50, "election-min-ms": 300, "election-max-ms": 600'
done
n 1 sh -c 'echo warm-up > /dev/paxos'
leader=$(ynl 1 --do group-get --json '{"id": 1}' --output-json |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["leader-id"])')
[ "$leader" -ge 1 ] || fail "no leader"
peer=$(( leader % 3 + 1 ))

n "$peer" $LAT rtt-server 9000 &
srv=$!
sleep 1
rtt=$(n "$leader" $LAT rtt-client "198.18.$peer.2" 9000 "$N")
commit=$(n "$leader" $LAT commit "$N")
echo "kernel $(uname -r): median UDP RTT n$leader<->n$peer ${rtt}us;" \
	"median commit at leader n$leader ${commit}us over $N writes;" \
	"ratio $(awk -v c="$commit" -v r="$rtt" 'BEGIN { printf "%.2f", c / r }')" |
	tee "$PAXOS_VM_OUT/latency.txt"
[ "$commit" -le $(( rtt * 25 )) ] || fail "commit ${commit}us > 25 x RTT ${rtt}us"

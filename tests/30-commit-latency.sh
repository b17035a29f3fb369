#!/bin/bash
# kernels: stock stock61
# Commit latency of a /dev/paxos write at the leader against the raw UDP
# round trip between two namespaces, measured in the same run (TCG timings
# are only meaningful as ratios).  A commit is one round trip from the
# leader to a majority plus the work on both ends; the test fails when the
# median commit costs more than 25 round trips.  Group 1 is keyed, group 2
# (port 7001) the same cluster insecure: the difference between their
# commit latencies is the cost of authenticating every datagram.
set -eu
. "$(dirname "$0")/harness/lib.sh"
. "$(dirname "$0")/harness/cluster.sh"
srv=
trap '[ -n "$srv" ] && kill $srv; cluster_cleanup' EXIT
N=${N:-200}
LAT="python3 $PAXOS_TOP/tests/lib/latency.py"

cluster_net 3
paxos_load
timing='"heartbeat-ms": 50, "election-min-ms": 300, "election-max-ms": 600'
for i in 1 2 3; do
	cluster_group "$i" 1 3 4 "$timing"
	PORT=7001 CLUSTER_INSECURE=1 cluster_group "$i" 2 3 4 "$timing"
done
leader_of()
{
	local gid=$1 l=0 try
	for try in $(seq 100); do
		n 1 $LAT commit 1 "$gid" >/dev/null
		l=$(ynl 1 --do group-get --json "{\"id\": $gid}" --output-json |
			python3 -c 'import json,sys; print(json.load(sys.stdin)["leader-id"])')
		[ "$l" -ge 1 ] && break
	done
	echo "$l"
}
leader=$(leader_of 1)
[ "$leader" -ge 1 ] || fail "no leader"
leader2=$(leader_of 2)
[ "$leader2" -ge 1 ] || fail "no leader in the insecure group"
peer=$(( leader % 3 + 1 ))

n "$peer" $LAT rtt-server 9000 &
srv=$!
# The client's first datagram must not arrive before the server binds
# (python starts slowly under TCG: a second was not always enough on 6.1).
for try in $(seq 100); do
	n "$peer" ss -Hlun 'sport = :9000' | grep -q . && break
	sleep 0.1
done
rtt=$(n "$leader" $LAT rtt-client "198.18.$peer.2" 9000 "$N")
commit=$(n "$leader" $LAT commit "$N" 1)
clear=$(n "$leader2" $LAT commit "$N" 2)
echo "kernel $(uname -r): median UDP RTT n$leader<->n$peer ${rtt}us;" \
	"median commit at leader n$leader ${commit}us over $N writes;" \
	"ratio $(awk -v c="$commit" -v r="$rtt" 'BEGIN { printf "%.2f", c / r }');" \
	"insecure group at its leader n$leader2 ${clear}us, ratio" \
	"$(awk -v c="$clear" -v r="$rtt" 'BEGIN { printf "%.2f", c / r }');" \
	"authentication costs" \
	"$(awk -v a="$commit" -v c="$clear" 'BEGIN { printf "%+.0f%%", (a - c) * 100 / c }')" |
	tee "$PAXOS_VM_OUT/latency.txt"
[ "$commit" -le $(( rtt * 25 )) ] || fail "commit ${commit}us > 25 x RTT ${rtt}us"

#!/bin/bash
# The demo, inside the VM: three nodes in three network namespaces agree on
# one log; the leader goes away and the other two carry on.
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cluster.sh"
trap cluster_cleanup EXIT

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "Three network namespaces n1 n2 n3, routed through rt (198.18.0.0/15)"
cluster_net 3
ip -n n1 -br addr show dev v1

say "Load paxos.ko ($(uname -r)) and create group 1 on every node (ynl CLI, one random group key)"
paxos_load
for i in 1 2 3; do
	cluster_group "$i" 1 3 4 '"heartbeat-ms": 50, "election-min-ms": 300, "election-max-ms": 600'
	echo "n$i: group 1 created, node id $i"
done

say "Write a value on each node: echo ... > /dev/paxos (returns once learned)"
for i in 1 2 3; do
	n "$i" sh -c "echo 'hello from n$i' > /dev/paxos"
	echo "n$i: wrote 'hello from n$i'"
done

say "Every node's log, read with cat /dev/paxos"
for i in 1 2 3; do
	echo "-- n$i:"
	n "$i" timeout 1 cat /dev/paxos || true
done

leader=$(ynl 1 --do group-get --json '{"id": 1}' --output-json |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["leader-id"])')
say "The leader is n$leader; delete its group and write on another node"
ynl "$leader" --do group-del --json '{"id": 1}' >/dev/null
other=$(( leader % 3 + 1 ))
n "$other" sh -c "echo 'written on n$other after n$leader left' > /dev/paxos"
for i in 1 2 3; do
	[ "$i" = "$leader" ] && continue
	echo "-- n$i:"
	n "$i" timeout 1 cat /dev/paxos || true
done
newleader=$(ynl "$other" --do group-get --json '{"id": 1}' --output-json |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["leader-id"])')
echo "new leader: n$newleader"

for i in 1 2 3; do
	[ "$i" = "$leader" ] || ynl "$i" --do group-del --json '{"id": 1}' >/dev/null
done
paxos_unload
say "Done"

#!/bin/bash
# kernels: test stock
# Three nodes in three network namespaces agree on one log.
#
#   n1 ---.
#   n2 ---+--- rt      (see tests/harness/cluster.sh)
#   n3 ---'
#
# Groups are created with the kernel's generic ynl CLI and the project's
# spec; values are written with `echo > /dev/paxos` on every node; `cat
# /dev/paxos` on every node must print the same values in the same order.
set -eu
. "$(dirname "$0")/harness/lib.sh"
. "$(dirname "$0")/harness/cluster.sh"
trap cluster_cleanup EXIT

cluster_net 3
paxos_load
for i in 1 2 3; do
	cluster_group "$i" 1 3 4 '"heartbeat-ms": 50, "election-min-ms": 300, "election-max-ms": 600'
done

# A value written anywhere is learned everywhere, in one order.
for round in 1 2 3; do
	for i in 1 2 3; do
		n "$i" sh -c "echo 'value $round from n$i' > /dev/paxos" ||
			fail "write on n$i"
	done
done
expected=9
for i in 1 2 3; do
	for try in $(seq 50); do
		got=$(n "$i" timeout 2 cat /dev/paxos | wc -l || true)
		[ "$got" -ge $expected ] && break
		sleep 0.2
	done
	n "$i" timeout 2 cat /dev/paxos > "/tmp/log$i" || true
	echo "n$i learned $(wc -l < /tmp/log$i) values"
done
[ "$(wc -l < /tmp/log1)" -eq $expected ] || { cat /tmp/log1; fail "n1 has $(wc -l < /tmp/log1) values, want $expected"; }
cmp /tmp/log1 /tmp/log2 || fail "n1 and n2 differ"
cmp /tmp/log1 /tmp/log3 || fail "n1 and n3 differ"
for round in 1 2 3; do
	for i in 1 2 3; do
		grep -qx "value $round from n$i" /tmp/log1 || fail "lost: value $round from n$i"
	done
done
cat /tmp/log1

# Every node agrees on who leads.
leader=$(ynl 1 --do group-get --json '{"id": 1}' --output-json |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["leader-id"])')
[ "$leader" -ge 1 ] && [ "$leader" -le 3 ] || fail "no leader ($leader)"
echo "leader: n$leader"

for i in 1 2 3; do
	ynl "$i" --do group-del --json '{"id": 1}' >/dev/null || fail "group-del on n$i"
done
paxos_unload

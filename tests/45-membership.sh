#!/bin/bash
# kernels: stock stock61
# Membership changes through the log (issue 9), driven by paxosctl, with a
# writer on every node all along (tests/lib/membership.py):
#
#  a) every node of a 3-node cluster in turn deletes its group and creates
#     it again with "state existing" (a reboot): it comes back as a voter
#     by itself (its new incarnation in the configuration); the cluster
#     ends with 3 voters and one log holding every acknowledged value once;
#     config-ntf reaches a monitor;
#  b) a fourth node is added as a learner and promoted, and node 3 removed,
#     while the writers run: voters 1, 2, 4; node 3 says "removed";
#  c) two of the three voters reboot at once: the survivor and the rebooted
#     nodes say quorum-lost and proposals fail with ENOTRECOVERABLE;
#     force-new-cluster on the survivor (the most advanced node) and
#     "member promote" of the others make the cluster commit again.
#
#   n1 ---.
#   n2 ---+--- rt      (see tests/harness/cluster.sh)
#   n3 ---+
#   n4 ---'
set -eu
. "$(dirname "$0")/harness/lib.sh"
. "$(dirname "$0")/harness/cluster.sh"

say() { echo "== $*"; echo "45-membership: $*" > /dev/kmsg 2>/dev/null || true; }

P=$PAXOS_TOP/userspace-tool/paxosctl
[ -x "$P" ] || fail "no $P (make tool)"
M="env PAXOS_TOP=$PAXOS_TOP PYTHONPATH=$PAXOS_TOP/tests/lib python3 $PAXOS_TOP/tests/lib/membership.py"
T=/tmp/45
pids=()
cleanup()
{
	local pid
	touch $T/stop
	for pid in "${pids[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	wait 2>/dev/null || true
	cluster_cleanup
}
trap cleanup EXIT
rm -rf $T
mkdir -p $T

cluster_net 4
paxos_load

(umask 077; "$P" genkey > $T/group.key) || fail "genkey"
conf()
{
	local nodes=$1 i
	printf '[Group]\nId = 1\nKeyFile = group.key\nHeartbeatMs = 50\n'
	printf 'ElectionMinMs = 300\nElectionMaxMs = 600\nMaxValueSize = 256\n'
	# Nothing trimmed: every node's log, joiners' too, starts at slot 1.
	printf 'ProposalTimeoutMs = 5000\nRetention = 65536\n'
	for i in $nodes; do
		printf '[Member]\nNodeId = %d\nAddress = 198.18.%d.2:7000\n' "$i" "$i"
	done
}
conf "1 2 3" > $T/cluster.conf
conf "1 2 3 4" > $T/cluster4.conf

status() { n "$1" $M status; }
field() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
# wait_state NODE STATE SECONDS
wait_state()
{
	local i=$1 want=$2 t=$(($3 * 5)) st=
	while [ $t -gt 0 ]; do
		st=$(status "$i" | field 'd["state"]')
		[ "$st" = "$want" ] && return 0
		sleep 0.2
		t=$((t - 1))
	done
	status "$i" >&2 || true
	fail "n$i is $st, not $want"
}
writer() { n "$1" $M writer "n$1.$2" $T/stop "$T/acks.n$1.$2" & pids+=($!); }
# logs_equal NODES...: every node's log is the same (they converge).
logs_equal()
{
	local i try
	for try in $(seq 40); do
		for i in "$@"; do
			n "$i" $M log "$T/log.n$i"
		done
		python3 - "$@" <<-'EOF' && return 0
		import json, sys
		# Each node keeps its own window of the log (trimming, and a
		# node that joined late starts where its snapshot did): the
		# same last slot, and the same value in every slot they share.
		logs = [dict(json.load(open(f'/tmp/45/log.n{i}')))
		        for i in sys.argv[1:]]
		if not all(logs) or len({max(l) for l in logs}) != 1:
		    sys.exit(1)
		common = set.intersection(*(set(l) for l in logs))
		sys.exit(0 if common and all(l[s] == logs[0][s] for l in logs
		                             for s in common) else 1)
		EOF
		sleep 0.5
	done
	return 1
}

say "a 3-node cluster from one file, a monitor, a writer on every node"
for i in 1 2 3; do
	n "$i" "$P" group add file $T/cluster.conf >/dev/null || fail "group add on n$i"
done
ip netns exec n2 "$P" -j monitor > $T/monitor2.json 2>&1 &
pids+=($!)
n 1 "$P" propose group 1 value hello >/dev/null || fail "the first proposal"
st=$(status 1)
[ "$(echo "$st" | field 'd["voters"]')" = 3 ] || fail "voters: $st"
[ "$(echo "$st" | field 'd["quorum"]')" = 2 ] || fail "quorum: $st"
[ "$(echo "$st" | field 'd["config"]["slot"]')" = 0 ] || fail "initial config slot: $st"
n 1 "$P" group show id 1 | grep -q 'configuration:' || fail "group show prints no configuration"
for i in 1 2 3; do writer "$i" 0; done
sleep 2

say "a) every node reboots in turn (state existing) and votes again"
for i in 1 2 3; do
	inc_before=$(status "$i" | field 'd["incarnation"]')
	n "$i" "$P" group del id 1 || fail "group del on n$i"
	sleep 0.5
	n "$i" "$P" group add file $T/cluster.conf state existing >/dev/null ||
		fail "group add existing on n$i"
	inc=$(status "$i" | field 'd["incarnation"]')
	[ "$inc" -gt "$inc_before" ] || fail "n$i incarnation $inc after $inc_before"
	n "$i" $M wait-voter "$i" 40 || fail "n$i does not vote again after its reboot"
	# Every other node sees it too.
	for j in 1 2 3; do
		[ "$(status "$j" | field "[m.get('incarnation') for m in d['config']['member'] if m['node-id'] == $i]")" = "[$inc]" ] ||
			fail "n$j does not show n$i voting as $inc"
	done
done
st=$(status 2)
[ "$(echo "$st" | field 'd["voters"]')" = 3 ] || fail "voters after the reboots: $st"
[ "$(echo "$st" | field 'd["live-voters"]')" = 3 ] || fail "live voters after the reboots: $st"
grep -q '"event":"config"' $T/monitor2.json || fail "no config-ntf on n2's monitor"

say "b) node 4 added as a learner, promoted; node 3 removed; writers running"
n 2 "$P" group member add id 1 node 4 role learner addr 198.18.4.2:7000 ||
	fail "member add 4"
n 4 "$P" group add file $T/cluster4.conf node 4 state existing >/dev/null ||
	fail "group add on n4"
writer 4 0
n 4 "$P" group member promote id 1 node 4 || fail "member promote 4"
n 1 $M wait-voter 4 40 || fail "n4 does not vote after its promotion"
n 1 "$P" group member del id 1 node 3 || fail "member del 3"
# Node 3 says so as soon as it learns the change; the others drop it when
# the change governs, alpha slots later (the writers get there).
wait_state 3 removed 20
for try in $(seq 100); do
	st=$(status 1)
	[ "$(echo "$st" | field 'sorted(m["node-id"] for m in d["config"]["member"])')" = "[1, 2, 4]" ] &&
		break
	sleep 0.2
done
[ "$(echo "$st" | field 'sorted(m["node-id"] for m in d["config"]["member"])')" = "[1, 2, 4]" ] ||
	fail "members after the removal: $st"
[ "$(echo "$st" | field 'd["voters"]')" = 3 ] || fail "voters after the removal: $st"
n 3 "$P" propose group 1 value from-a-removed-node 2>$T/removed.err &&
	fail "a removed node's proposal succeeded"
sleep 2
touch $T/stop
wait "${pids[@]:1}" 2>/dev/null || true
logs_equal 1 2 4 || fail "the logs of n1, n2, n4 differ"
$M check $T/log.n1 $T/log.n2 $T/log.n4 -- $T/acks.* || fail "history check"
rm -f $T/stop

say "c) nodes 2 and 4 reboot at once: quorum lost, then force-new-cluster on n1"
for i in 2 4; do n "$i" "$P" group del id 1; done
for i in 2 4; do
	n "$i" "$P" group add file $T/cluster4.conf node "$i" state existing >/dev/null ||
		fail "group add existing on n$i"
done
for i in 1 2 4; do wait_state "$i" quorum-lost 30; done
n 1 "$P" propose group 1 value lost 2>$T/lost.err && fail "proposal with quorum lost succeeded"
grep -q 'not recoverable' $T/lost.err || fail "proposal with quorum lost: $(cat $T/lost.err)"
n 1 "$P" group force-new-cluster 1 2>/dev/null && fail "force-new-cluster without yes-lose-data ran"
n 1 "$P" group force-new-cluster id 1 yes-lose-data || fail "force-new-cluster"
for i in 2 4; do
	n 1 "$P" group member promote id 1 node "$i" ||
		{ status 1; status "$i"; fail "member promote $i"; }
	n 1 $M wait-voter "$i" 40 || fail "n$i does not vote after its promotion"
done
for i in 1 2 4; do
	n "$i" "$P" propose group 1 value "after-recovery-$i" >/dev/null ||
		fail "proposal on n$i after the recovery"
done
logs_equal 1 2 4 || fail "the logs differ after the recovery"
grep -q after-recovery-4 $T/log.n1 || fail "n1 lacks n4's value"
$M check $T/log.n1 $T/log.n2 $T/log.n4 -- $T/acks.* || fail "history check after the recovery"
say "ok"

#!/bin/bash
# kernels: test stock
# paxosctl alone runs a three-node cluster, configured from one file.
#
#   n1 ---.
#   n2 ---+--- rt      (see tests/harness/cluster.sh)
#   n3 ---'
#
# Every node reads the same cluster file (n1 and n3 find their entry by
# their address, n2 is told "node 2"); values proposed with `paxosctl
# propose` on every node appear in `paxosctl log` on every node, in one
# order; `paxosctl -j monitor` on every node prints each learned value
# exactly once; errors carry the kernel's extended ack and exit 1.
set -eu
. "$(dirname "$0")/harness/lib.sh"
. "$(dirname "$0")/harness/cluster.sh"

# Progress, also on the console: it survives a VM killed on timeout.
say() { echo "== $*"; echo "40-paxosctl: $*" > /dev/kmsg 2>/dev/null || true; }

P=$PAXOS_TOP/userspace-tool/paxosctl
[ -x "$P" ] || fail "no $P (make tool)"
monitors=()
cleanup()
{
	local pid
	for pid in "${monitors[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	cluster_cleanup
}
trap cleanup EXIT

cluster_net 3
paxos_load

cat > /tmp/cluster.conf <<'CONF'
# The whole cluster; every node reads this file.
[Group]
Id = 1
HeartbeatMs = 50
ElectionMinMs = 300
ElectionMaxMs = 600
MaxValueSize = 1024

[Member]
NodeId = 1
Address = 198.18.1.2:7000

[Member]
NodeId = 2
Address = 198.18.2.2:7000

[Member]
NodeId = 3
Address = 198.18.3.2:7000
CONF

# Monitors first, so they see every value learned.
for i in 1 2 3; do
	# Not through n(): $! must be paxosctl itself (ip netns exec execs it).
	ip netns exec "n$i" "$P" -j monitor > "/tmp/monitor$i.json" 2> "/tmp/monitor$i.err" &
	monitors+=($!)
done
sleep 1

say "group add on every node, from one file"
n 1 "$P" group add file /tmp/cluster.conf || fail "group add on n1"
n 2 "$P" group add file /tmp/cluster.conf node 2 || fail "group add on n2"
n 3 "$P" group add file /tmp/cluster.conf || fail "group add on n3"
for i in 1 2 3; do
	n "$i" "$P" -j group show id 1 | python3 -c '
import json, sys
g = json.load(sys.stdin)
assert len(g) == 1 and g[0]["id"] == 1 and g[0]["node-id"] == '"$i"', g
others = {1, 2, 3} - {'"$i"'}
assert others <= {p["node-id"] for p in g[0]["peer"]}, g' || fail "group show on n$i"
done

say "waiting for a leader"
# A leader, known to every node.
for try in $(seq 100); do
	leaders=$(for i in 1 2 3; do n "$i" "$P" -j group show | python3 -c \
		'import json,sys; print(json.load(sys.stdin)[0]["leader-id"])'; done | sort -u)
	[ "$(echo "$leaders" | wc -l)" -eq 1 ] && [ "$leaders" != 0 ] && break
	sleep 0.2
done
[ "$(echo "$leaders" | wc -l)" -eq 1 ] && [ "$leaders" != 0 ] || fail "no common leader: $leaders"
echo "leader: n$leaders"
n 1 "$P" group show

say "proposing"
# Values from every node: as a word, from stdin, and to the only group.
: > /tmp/slots
for round in 1 2 3; do
	for i in 1 2 3; do
		v="value $round from n$i"
		case $round in
		1) slot=$(n "$i" "$P" propose group 1 value "$v") ;;
		2) slot=$(printf '%s' "$v" | n "$i" "$P" propose group 1) ;;
		3) slot=$(n "$i" "$P" -j propose value "$v" | python3 -c \
			'import json,sys; print(json.load(sys.stdin)["slot"])') ;;
		esac || fail "propose on n$i: $v"
		[[ $slot =~ ^[0-9]+$ ]] || fail "propose on n$i printed '$slot'"
		echo "$slot $v" >> /tmp/slots
	done
done
cat /tmp/slots
[ "$(cut -d' ' -f1 /tmp/slots | sort -u | wc -l)" -eq 9 ] || fail "two values got one slot"

say "reading the logs"
# Every node's log: the nine values, each once, in the slots propose
# printed, the same everywhere.
check_log()
{
	python3 - "$1" /tmp/slots <<'PY'
import json, sys
log = json.load(open(sys.argv[1]))
want = {}
for line in open(sys.argv[2]):
    slot, v = line.rstrip("\n").split(" ", 1)
    want[v] = int(slot)
got = {}
for e in log:
    if e.get("noop"):
        continue
    assert e["value"] not in got, "twice: %r" % e
    got[e["value"]] = e["slot"]
assert got == want, "log %r, want %r" % (got, want)
slots = [e["slot"] for e in log]
assert slots == sorted(slots), slots
PY
}
for i in 1 2 3; do
	for try in $(seq 50); do
		n "$i" "$P" -j log group 1 > "/tmp/log$i.json" || fail "log on n$i"
		check_log "/tmp/log$i.json" 2>/dev/null && break
		sleep 0.2
	done
	check_log "/tmp/log$i.json" || fail "log on n$i"
	n "$i" "$P" log > "/tmp/log$i.txt" || fail "text log on n$i"
done
cat /tmp/log1.txt
cmp /tmp/log1.txt /tmp/log2.txt || fail "n1 and n2 logs differ"
cmp /tmp/log1.txt /tmp/log3.txt || fail "n1 and n3 logs differ"
# raw: just the bytes, and a range.
first=$(sort -n /tmp/slots | head -1)
n 2 "$P" log group 1 slot "$(cut -d' ' -f1 <<< "$first")" raw > /tmp/raw
[ "$(cat /tmp/raw)" = "$(cut -d' ' -f2- <<< "$first")" ] || fail "log raw: $(cat /tmp/raw)"

say "stopping the monitors"
# Monitors: each value learned exactly once on each node, in its slot.
sleep 1
for pid in "${monitors[@]}"; do
	kill -INT "$pid"
	for try in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.2
	done
	kill -0 "$pid" 2>/dev/null && fail "monitor $pid ignores SIGINT"
	rc=0
	wait "$pid" || rc=$?
	[ $rc -eq 0 ] || fail "monitor exited $rc on SIGINT"
done
monitors=()
for i in 1 2 3; do
	cat "/tmp/monitor$i.err" >&2
	python3 - "/tmp/monitor$i.json" /tmp/slots <<'PY' || fail "monitor on n$i"
import json, sys
want = {}
for line in open(sys.argv[2]):
    slot, v = line.rstrip("\n").split(" ", 1)
    want[v] = int(slot)
got = {}
for line in open(sys.argv[1]):
    ev = json.loads(line)           # one object per line
    if ev["event"] != "learned":
        continue
    assert ev["group"] == 1, ev
    assert ev["value"] not in got, "learned twice: %r" % ev
    got[ev["value"]] = ev["slot"]
assert got == want, "monitor %r, want %r" % (got, want)
PY
done
grep -h '"event":"leader-change"' /tmp/monitor*.json | head -3

say "errors"
# Errors: the kernel's extended ack, the attribute it names, exit status 1.
expect_fail()
{
	local want=$1 rc=0
	shift
	"$@" > /tmp/out 2> /tmp/err || rc=$?
	cat /tmp/err
	[ "$rc" -eq 1 ] || fail "$*: exit $rc, want 1"
	grep -qF -- "$want" /tmp/err || fail "$*: want '$want' in: $(cat /tmp/err)"
	[ ! -s /tmp/out ] || fail "$*: printed $(cat /tmp/out)"
}
expect_fail 'no group 9 in this namespace (attribute group-id)' n 1 "$P" propose group 9 value x
expect_fail "exceeds the group's max-value-size 1024 (attribute value)" \
	n 2 "$P" propose group 1 value "$(head -c 2000 /dev/zero | tr '\0' x)"
expect_fail 'File exists' n 3 "$P" group add file /tmp/cluster.conf
expect_fail 'no group 9 in this namespace (attribute id)' n 1 "$P" -j group show id 9
expect_fail 'no group 9' n 1 "$P" group del id 9
# Bad input never reaches the kernel: exit 2.
rc=0; n 1 "$P" group add file /tmp/cluster.conf node 4 2>/dev/null || rc=$?
[ $rc -eq 2 ] || fail "node 4: exit $rc"

say "group del"
for i in 1 2 3; do
	n "$i" "$P" group del id 1 || fail "group del on n$i"
	[ "$(n "$i" "$P" -j group show)" = "[]" ] || fail "n$i still has a group"
done
paxos_unload

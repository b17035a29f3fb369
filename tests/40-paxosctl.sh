#!/bin/bash
# kernels: stock stock61
# paxosctl alone runs a three-node cluster, configured from one file.
#
#   n1 ---.
#   n2 ---+--- rt      (see tests/harness/cluster.sh)
#   n3 ---'
#
# Every node reads the same cluster file (n1 and n3 find their entry by
# their address, n2 is told "node 2"), with a key from `paxosctl genkey`
# in a KeyFile; values proposed with `paxosctl propose` on every node
# appear in `paxosctl log` on every node, in one order; `paxosctl -j
# monitor` on every node prints each learned value exactly once; errors
# carry the kernel's extended ack and exit 1.  `paxosctl -s group show`
# prints every counter in its group (RX, TX, proposals, ...; JSON: every
# counter of the spec under its name) and `paxosctl -t monitor` gives each
# event the time it arrived.  The key is rotated on every
# node in turn while values are proposed (none lost, the log keeps
# growing); a node rekeyed to another key is cut off and comes back with
# the right one; no output ever shows key material; a proposal that
# cannot be chosen is answered pending and its outcome still reported.
set -eu
. "$(dirname "$0")/harness/lib.sh"
. "$(dirname "$0")/harness/cluster.sh"

# Progress, also on the console: it survives a VM killed on timeout.
say() { echo "== $*"; echo "40-paxosctl: $*" > /dev/kmsg 2>/dev/null || true; }

P=$PAXOS_TOP/userspace-tool/paxosctl
[ -x "$P" ] || fail "no $P (make tool)"
monitors=()
proposers=()
cleanup()
{
	local pid
	touch /tmp/stop-proposing
	for pid in "${monitors[@]}" "${proposers[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	cluster_cleanup
}
trap cleanup EXIT

cluster_net 3
paxos_load

# The group key, private to root, beside the cluster file that names it.
(umask 077; "$P" genkey > /tmp/group.key) || fail "genkey"
KEY1=$(cat /tmp/group.key)
[ ${#KEY1} -eq 44 ] || fail "genkey printed '$KEY1'"
cat > /tmp/cluster.conf <<'CONF'
# The whole cluster; every node reads this file.
[Group]
Id = 1
KeyFile = group.key
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

# Monitors first, so they see every value learned.  n1's with -t: every
# event has its time; and one in text with -t on n2.
mon_start=$(date +%s.%N)
for i in 1 2 3; do
	t=
	[ "$i" = 1 ] && t=-t
	# Not through n(): $! must be paxosctl itself (ip netns exec execs it).
	ip netns exec "n$i" "$P" $t -j monitor > "/tmp/monitor$i.json" 2> "/tmp/monitor$i.err" &
	monitors+=($!)
done
ip netns exec n2 "$P" -t monitor > /tmp/monitor-t.txt 2> /tmp/monitor-t.err &
monitors+=($!)
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
assert others <= {p["node-id"] for p in g[0]["peer"]}, g
assert g[0]["insecure"] is False, g' || fail "group show on n$i"
	n "$i" "$P" group show id 1 | grep -qx '  key:             set' || fail "group show on n$i: no 'key: set'"
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

say "group show -s: the counters in their groups"
# Text first, then JSON: no counter goes back, and every counter of the
# spec is in the JSON under its name.
for i in 1 2 3; do
	n "$i" "$P" -s group show id 1 > "/tmp/stats$i.txt" || fail "-s group show on n$i"
	n "$i" "$P" -j group show id 1 > "/tmp/stats$i.json" || fail "-j group show on n$i"
done
cat /tmp/stats1.txt
python3 - "$PAXOS_TOP/netlink/specs/paxos.yaml" <<'PY' || fail "group show -s"
import json, sys, yaml
spec = yaml.load(open(sys.argv[1]), Loader=getattr(yaml, 'CSafeLoader', yaml.SafeLoader))
names = [a['name'] for s in spec['attribute-sets'] if s['name'] == 'stats'
         for a in s['attributes']]
strip = {'RX': 'rx-', 'RX dropped': 'drop-', 'TX': 'tx-', 'proposals': 'proposals-'}
won = 0
for i in (1, 2, 3):
    lines = open('/tmp/stats%d.txt' % i).read().split('\n')
    rows = lines[lines.index('  statistics:') + 1:]
    rows = rows[:rows.index('')] if '' in rows else rows
    assert rows and len(rows) % 2 == 0, rows
    text, label = {}, None
    for head, nums in zip(rows[0::2], rows[1::2]):
        label = head[4:16].strip().rstrip(':') or label
        cols, vals = head[16:].split(), nums[16:].split()
        assert nums[:16].strip() == '' and len(cols) == len(vals), (head, nums)
        assert all(v.isdigit() for v in vals), (head, nums)
        text.setdefault(label, {}).update(zip(cols, map(int, vals)))
    assert sorted(text) == sorted(['RX', 'RX dropped', 'TX', 'proposals',
                                   'learning', 'leadership']), text
    assert list(text['RX']) == ['msgs', 'bytes', 'dropped'], text['RX']
    assert text['RX']['dropped'] == sum(text['RX dropped'].values()), text
    assert text['RX']['msgs'] > 0 and text['TX']['msgs'] > 0, text
    stats = json.load(open('/tmp/stats%d.json' % i))[0]['stats']
    assert sorted(stats) == sorted(names), set(stats) ^ set(names)
    seen = set()
    for label, cols in text.items():
        for col, v in cols.items():
            if col == 'dropped':
                continue
            name = col if col in names else strip.get(label, '') + col
            assert name in names and name not in seen, (label, col)
            seen.add(name)
            assert stats[name] >= v, (name, v, stats[name])
    assert seen == set(names), set(names) - seen
    assert stats['values-learned'] >= 9, stats
    assert stats['proposals-completed'] >= 3, stats
    assert stats['conflicts'] == 0, stats
    won += stats['elections-won']
    for p in json.load(open('/tmp/stats%d.json' % i))[0]['peer']:
        assert p['rx-msgs'] > 0 and p['tx-msgs'] > 0, p
assert won >= 1, won
PY

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
# -t: n1's JSON events have their time, in order and within the test's
# own; n2's without -t have none; the text one starts each with it.
cat /tmp/monitor-t.err >&2
head -3 /tmp/monitor-t.txt
python3 - "$mon_start" "$(date +%s.%N)" <<'PY' || fail "monitor -t"
import datetime, json, re, sys
start, end = float(sys.argv[1]) - 1, float(sys.argv[2]) + 1
def when(s):
    t = datetime.datetime.strptime(s, '%Y-%m-%dT%H:%M:%S.%f%z').timestamp()
    assert start <= t <= end, (s, start, end)
    return t
last, events = 0, 0
for line in open('/tmp/monitor1.json'):
    t = when(json.loads(line)['time'])
    assert t >= last, line
    last, events = t, events + 1
assert events >= 9, events
for line in open('/tmp/monitor2.json'):
    assert 'time' not in json.loads(line), line
stamp = re.compile(r'\[(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}[+-]\d\d:\d\d)\] group 1 ')
learned = 0
for line in open('/tmp/monitor-t.txt'):
    if not line.strip() or line[0].isspace():
        continue        # a configuration's lines under its event
    m = stamp.match(line)
    assert m, line
    when(m.group(1))
    learned += bool(re.search(r' slot \d+ learned', line))
assert learned == 9, learned
PY

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

commit_of()
{
	n "$1" "$P" -j group show id 1 | python3 -c \
		'import json,sys; print(json.load(sys.stdin)[0]["commit-slot"])'
}
stat_of()
{
	n "$1" "$P" -j group show id 1 | python3 -c \
		'import json,sys; print(json.load(sys.stdin)[0]["stats"][sys.argv[1]])' "$2"
}

say "rekeying every node in turn while values are proposed"
# A proposer per node, each value once; a failed propose is a lost value.
rm -f /tmp/stop-proposing
for i in 1 2 3; do
	(
		j=0
		while [ ! -e /tmp/stop-proposing ]; do
			j=$((j + 1))
			v="rotation n$i #$j"
			if slot=$(n "$i" "$P" propose group 1 value "$v" 2>> "/tmp/rot$i.err"); then
				echo "$slot $v"
			else
				echo "FAIL $v"
			fi
		done > "/tmp/rot$i"
	) &
	proposers+=($!)
done
sleep 1
before=$(commit_of 1)
# The new key three ways: on the command line, in a key file, and through
# the cluster file's KeyFile (which now holds it).
(umask 077; "$P" genkey > /tmp/group.key.new) || fail "genkey"
KEY2=$(cat /tmp/group.key.new)
[ "$KEY2" != "$KEY1" ] || fail "genkey gave the same key twice"
n 1 "$P" group rekey id 1 key "$KEY2" || fail "rekey n1 (key)"
sleep 1
n 2 "$P" group rekey id 1 keyfile /tmp/group.key.new grace-ms 60000 || fail "rekey n2 (keyfile)"
sleep 1
cp /tmp/group.key.new /tmp/group.key
n 3 "$P" group rekey file /tmp/cluster.conf || fail "rekey n3 (file)"
# The log keeps growing: two more values from every node, all rekeyed.
for i in 1 2 3; do
	base[i]=$(wc -l < "/tmp/rot$i")
done
for try in $(seq 150); do
	grown=0
	for i in 1 2 3; do
		[ "$(grep -vc '^FAIL' "/tmp/rot$i")" -ge $(( base[i] + 2 )) ] && grown=$((grown + 1))
	done
	[ $grown -eq 3 ] && break
	sleep 0.2
done
touch /tmp/stop-proposing
for pid in "${proposers[@]}"; do
	wait "$pid" || true
done
proposers=()
cat /tmp/rot?.err >&2
wc -l /tmp/rot1 /tmp/rot2 /tmp/rot3
[ $grown -eq 3 ] || fail "proposals stalled after the rotation"
! grep -h '^FAIL' /tmp/rot1 /tmp/rot2 /tmp/rot3 || fail "proposals failed during the rotation"
cat /tmp/rot1 /tmp/rot2 /tmp/rot3 >> /tmp/slots
[ "$(cut -d' ' -f1 /tmp/slots | sort | uniq -d)" = "" ] || fail "two values got one slot"
after=$(commit_of 1)
echo "commit slot $before before the rotation, $after after"
[ "$after" -gt "$before" ] || fail "the log did not grow"
# Nothing lost: every value in every log, once, in the slot it was given.
for i in 1 2 3; do
	for try in $(seq 50); do
		n "$i" "$P" -j log group 1 > "/tmp/log$i.json" || fail "log on n$i"
		check_log "/tmp/log$i.json" 2>/dev/null && break
		sleep 0.2
	done
	check_log "/tmp/log$i.json" || fail "log on n$i after the rotation"
done
auth=0
for i in 1 2 3; do
	auth=$(( auth + $(stat_of "$i" drop-auth) ))
done
echo "datagrams dropped under the wrong key during the rotation: $auth"

say "a node with another key is cut off; with the right one it catches up"
KEY3=$("$P" genkey)
auth3=$(stat_of 3 drop-auth)
n 3 "$P" group rekey id 1 key "$KEY3" grace-ms 0 || fail "rekey n3 to another key"
slot=$(n 1 "$P" propose group 1 value "while n3 has another key") || fail "propose without n3"
echo "$slot while n3 has another key" >> /tmp/slots
sleep 2
[ "$(commit_of 3)" -lt "$slot" ] || fail "n3 learned slot $slot under another key"
[ "$(stat_of 3 drop-auth)" -gt "$auth3" ] || fail "n3 dropped nothing under another key"
n 3 "$P" group rekey id 1 key "$KEY2" grace-ms 0 || fail "rekey n3 back"
for try in $(seq 100); do
	[ "$(commit_of 3)" -ge "$slot" ] && break
	sleep 0.2
done
[ "$(commit_of 3)" -ge "$slot" ] || fail "n3 did not catch up with the right key"
n 3 "$P" -j log group 1 > /tmp/log3.json && check_log /tmp/log3.json || fail "log on n3 after catching up"

say "no output shows key material"
{
	for i in 1 2 3; do
		n "$i" "$P" group show stats
		n "$i" "$P" -j group show stats
	done
	n 1 "$P" -n group rekey id 1 key "$KEY3" grace-ms 0
	n 1 "$P" -n group add file /tmp/cluster.conf
	cat /tmp/monitor*.json
} > /tmp/shown 2>&1 || fail "group show"
grep -c '  key:             set' /tmp/shown | grep -qx 3 || fail "group show: not 'key: set' on every node"
for k in "$KEY1" "$KEY2" "$KEY3"; do
	hex=$(printf %s "$k" | base64 -d | od -An -tx1 | tr -d ' \n')
	! grep -qiF -e "$k" -e "$hex" /tmp/shown || fail "key material shown: $k"
done
[ "$(grep -c '"key":"(32 bytes, not shown)"' /tmp/shown)" -eq 2 ] || fail "dry runs without the key's length"

say "a proposal without a quorum: pending, then its outcome"
# Group 2 on n1 only, without a key: its other voter never comes, so no
# value is ever chosen; the kernel answers pending and later ETIMEDOUT.
n 1 "$P" group add id 2 node 1 insecure proposal-timeout 2500 \
	member 1 addr 198.18.1.2:7100 member 2 addr 198.18.2.2:7100 || fail "group add insecure"
n 1 "$P" group show id 2 | grep -qx '  key:             none (insecure: datagrams are not authenticated)' ||
	fail "group show: insecure group"
n 1 "$P" -j group show id 2 | grep -q '"insecure":true' || fail "group show -j: insecure group"
# paxosctl gives up at its own deadline, before the kernel's ETIMEDOUT.
expect_fail 'propose: no outcome within' n 1 "$P" propose group 2 value "never chosen" timeout 1500
ms=$(sed -n 's/.*no outcome within \([0-9]*\) ms.*/\1/p' /tmp/err)
[ "$ms" -ge 1500 ] && [ "$ms" -lt 2500 ] || fail "propose timeout 1500 gave up after '$ms' ms"
t0=$(date +%s%N)
expect_fail 'propose: Connection timed out (it may still be chosen later)' \
	n 1 "$P" propose group 2 value "never chosen either"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
echo "ETIMEDOUT after $ms ms"
[ "$ms" -ge 2000 ] || fail "ETIMEDOUT after $ms ms, before the proposal timeout"
n 1 "$P" group del id 2 || fail "group del 2"

say "group del"
for i in 1 2 3; do
	n "$i" "$P" group del id 1 || fail "group del on n$i"
	[ "$(n "$i" "$P" -j group show)" = "[]" ] || fail "n$i still has a group"
done
paxos_unload

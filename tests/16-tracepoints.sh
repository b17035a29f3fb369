#!/bin/bash
# kernels: stock stock61
# The tracepoints (kmod/paxos_trace.h), enabled through tracefs, line up
# with what the cluster did: on every node one paxos_slot_chosen per slot
# learned, in order, and a paxos_value_delivered exactly for the slots that
# hold a value in that node's log; one election won, by the leader every
# node's paxos_leader_change names; every write submitted and completed;
# and a datagram that is not sealed with the group key traced as a drop
# with reason "auth".  Last, a node that joins after its peers trimmed the
# log gets a skipped-ntf for the slots it will never learn.
#
#   n1 ---.
#   n2 ---+--- rt      (see tests/harness/cluster.sh)
#   n3 ---'
set -eu
. "$(dirname "$0")/harness/lib.sh"
. "$(dirname "$0")/harness/cluster.sh"
trap cluster_cleanup EXIT

T=/sys/kernel/tracing
if [ ! -e $T/trace ]; then
	mount -t tracefs nodev $T 2>/dev/null ||
		mount -t tracefs nodev /sys/kernel/debug/tracing ||
		fail "no tracefs"
	[ -e $T/trace ] || T=/sys/kernel/debug/tracing
fi

cluster_net 3
paxos_load
[ -d $T/events/paxos ] || fail "no events/paxos in tracefs"
echo 8192 > $T/buffer_size_kb
echo > $T/trace
echo 1 > $T/events/paxos/enable

timing='"heartbeat-ms": 50, "election-min-ms": 300, "election-max-ms": 600'
for i in 1 2 3; do
	cluster_group "$i" 1 3 4 "$timing"
done
for round in 1 2 3; do
	for i in 1 2 3; do
		n "$i" sh -c "echo 'value $round from n$i' > /dev/paxos" ||
			fail "write on n$i"
	done
done
# Every node has learned all nine (and whatever no-ops) before we look.
for i in 1 2 3; do
	for try in $(seq 50); do
		got=$(n "$i" timeout 2 cat /dev/paxos | wc -l || true)
		[ "$got" -ge 9 ] && break
		sleep 0.2
	done
	[ "$got" -ge 9 ] || fail "n$i learned $got values"
done
# A datagram to n1's port that the group key did not seal: dropped,
# reason "auth".
n 2 python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("198.18.2.2", 7999))
s.sendto(b"x" * 64, ("198.18.1.2", 7000))'
sleep 1
for i in 1 2 3; do
	ynl "$i" --dump log-get --json '{"group-id": 1}' --output-json \
		> /tmp/log.n$i || fail "log-get on n$i"
done
echo 0 > $T/events/paxos/enable
cat $T/trace > /tmp/trace.txt
grep -c 'paxos_' /tmp/trace.txt | sed 's/^/trace events: /'

python3 - <<'EOF' || fail "the trace does not match the cluster"
import json
import re
import sys

ev = []
for line in open('/tmp/trace.txt'):
    m = re.search(r'(paxos_\w+): (.*)$', line)
    if m:
        f = dict(kv.split('=', 1) for kv in m.group(2).split() if '=' in kv)
        f['event'] = m.group(1)
        f['text'] = m.group(2)
        ev.append(f)
bad = []
def of(name, node=None):
    return [e for e in ev if e['event'] == name and
            (node is None or e['node'] == str(node))]

leaders = set()
for node in (1, 2, 3):
    log = json.load(open(f'/tmp/log.n{node}'))
    values = sorted(e['slot'] for e in log if 'value' in e)
    last = max(e['slot'] for e in log)
    chosen = [int(e['slot']) for e in of('paxos_slot_chosen', node)]
    if chosen != list(range(1, last + 1)):
        bad.append(f'n{node}: slot_chosen {chosen[:5]}... not 1..{last}')
    delivered = [int(e['slot']) for e in of('paxos_value_delivered', node)]
    if delivered != values:
        bad.append(f'n{node}: value_delivered {delivered} != log {values}')
    noop = [int(e['slot']) for e in of('paxos_slot_chosen', node)
            if e['text'].endswith('noop')]
    if sorted(set(noop) | set(values)) != list(range(1, last + 1)):
        bad.append(f'n{node}: value/noop split does not cover the log')
    sub = of('paxos_proposal_submit', node)
    done = of('paxos_proposal_complete', node)
    if len(sub) != 3 or len(done) != 3 or any(e['error'] != '0'
                                              for e in done):
        bad.append(f'n{node}: {len(sub)} submitted, {len(done)} completed')
    changes = of('paxos_leader_change', node)
    if not changes:
        bad.append(f'n{node}: no leader_change')
    else:
        leaders.add(changes[-1]['leader'])
    print(f'n{node}: {len(chosen)} chosen, {len(delivered)} delivered, '
          f'{len(sub)} submitted, leader {changes[-1]["leader"] if changes else "?"}')
won = of('paxos_election_won')
starts = of('paxos_election_start')
if len(leaders) != 1 or not won or won[-1]['node'] not in leaders:
    bad.append(f'leaders named {leaders}, elections won by '
               f'{[e["node"] for e in won]}')
if len(starts) < len(won):
    bad.append(f'{len(won)} elections won, {len(starts)} started')
drops = [e for e in of('paxos_drop', 1) if e.get('reason') == 'auth']
if not drops:
    bad.append('no drop with reason auth on n1')
print(f'elections started {len(starts)}, won {len(won)}, '
      f'lost {len(of("paxos_election_lost"))}; drops {len(of("paxos_drop"))}')
for b in bad:
    print('FAIL', b)
sys.exit(1 if bad else 0)
EOF

# A node that comes back after its peers trimmed the log (retention 16)
# skips what it can no longer learn, and a skipped-ntf says which slots.
# (A new cluster waits for every voter's answer to its probe: all three
# start, then n3 "reboots" as existing.)
g2='"retention": 16, "heartbeat-ms": 50, "election-min-ms": 300, "election-max-ms": 600'
for i in 1 2 3; do
	PORT=7002 cluster_group "$i" 2 3 4 "$g2"
done
ynl 3 --do group-del --json '{"id": 2}' >/dev/null || fail "group-del 2 on n3"
n 1 env PAXOS_TOP="$PAXOS_TOP" PYTHONPATH="$PAXOS_TOP/tests/lib" python3 -c '
import paxos_test
y = paxos_test.family()
for k in range(60):
    paxos_test.propose(y, 2, b"early %d" % k)' || fail "proposals to group 2"
ynl 3 --subscribe events --sleep 12 --output-json > /tmp/events3 &
sub=$!
for try in $(seq 100); do
	n 3 awk '$2 == 16 && $4 != "00000000" { f = 1 } END { exit !f }' \
		/proc/net/netlink && break
	sleep 0.1
done
PORT=7002 cluster_group 3 2 3 4 "$g2, \"cluster-state\": \"existing\""
wait $sub
python3 - <<'EOF2' || fail "no skipped-ntf on the late joiner"
import json
ev = [e for e in json.load(open('/tmp/events3'))
      if e.get('name') == 'skipped-ntf' and e['msg'].get('group-id') == 2]
print('skipped-ntf:', [e['msg'] for e in ev])
assert ev and ev[0]['msg']['slot'] == 1 and ev[0]['msg']['skipped'] >= 16
EOF2

for i in 1 2 3; do
	for gid in 1 2; do
		ynl "$i" --do group-del --json "{\"id\": $gid}" >/dev/null ||
			fail "group-del $gid on n$i"
	done
done
paxos_unload
echo "ok"

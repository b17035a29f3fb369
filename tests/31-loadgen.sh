#!/bin/bash
# kernels: stock
# The benchmark's instruments (tests/bench/, `make bench`) on a small run:
# loadgen, compiled here warning-free, writes 2 x 200 values at the leader
# and 2 x 50 at a follower through their own /dev/paxos files, and reads the
# local log back: every acknowledged value must be in it exactly once, byte
# for byte, and the JSON must count them.  Its checker must be able to fail
# (a "device" that keeps nothing loses every value), and udpping must
# measure a round trip between two namespaces, and to two at once.
set -eu
. "$(dirname "$0")/harness/lib.sh"
. "$(dirname "$0")/harness/cluster.sh"
srv=
trap '[ -n "$srv" ] && kill $srv 2>/dev/null; cluster_cleanup' EXIT

bin=/tmp/bench
mkdir -p $bin
# make check builds them on the host (warning-free, as build:bench-tools):
# gcc under TCG took most of this test's time.  By hand, they are built here.
if [ -x "$PAXOS_TOP/build/bench/bin/loadgen" ] &&
   [ -x "$PAXOS_TOP/build/bench/bin/udpping" ] &&
   [ "$PAXOS_TOP/build/bench/bin/loadgen" -nt "$PAXOS_TOP/tests/bench/loadgen.c" ] &&
   [ "$PAXOS_TOP/build/bench/bin/udpping" -nt "$PAXOS_TOP/tests/bench/udpping.c" ]; then
	cp "$PAXOS_TOP/build/bench/bin/loadgen" "$PAXOS_TOP/build/bench/bin/udpping" $bin/
else
	pids=
	for p in loadgen udpping; do
		gcc -O2 -Wall -Wextra -Werror -std=gnu11 -I"$PAXOS_TOP/uapi" -pthread \
			-o "$bin/$p" "$PAXOS_TOP/tests/bench/$p.c" &
		pids="$pids $!"
	done
	for pid in $pids; do
		wait "$pid" || fail "building the bench programs"
	done
fi
"$bin/loadgen" --help | grep -q -- '--verify' || fail "loadgen --help"

# The checker fails when values are missing: /dev/null takes every write
# and keeps nothing.
if "$bin/loadgen" -D /dev/null -w 2 -n 10 -v > /tmp/null.txt; then
	fail "loadgen -v passed against /dev/null"
fi
grep -q '10 lost' /tmp/null.txt || { cat /tmp/null.txt; fail "no lost values reported"; }

cluster_net 3
paxos_load
for i in 1 2 3; do
	cluster_group "$i" 1 3 4 '"heartbeat-ms": 50, "election-min-ms": 300, "election-max-ms": 600'
done
leader=0
for try in $(seq 100); do
	n 1 "$bin/loadgen" -g 1 -n 1 >/dev/null 2>&1 || true
	leader=$(n 1 "$PAXOS_TOP/userspace-tool/paxosctl" -j group show id 1 |
		grep -o '"leader-id": *[0-9]*' | grep -o '[0-9]*$' || echo 0)
	[ "$leader" -ge 1 ] && break
	sleep 0.1
done
[ "$leader" -ge 1 ] || fail "no leader"
follower=$(( leader % 3 + 1 ))

# check_run JSON WANT: every value acknowledged, found once, none corrupt.
check_run()
{
	python3 - "$1" "$2" <<'PY' || fail "loadgen run: $1"
import json, sys
r = json.loads(sys.argv[1])
want = int(sys.argv[2])
v = r['verify']
assert r['values'] == want and r['errors'] == 0, r
assert v['read'] == want and v['lost'] == 0 and v['duplicate'] == 0, v
assert v['corrupt'] == 0 and v['trimmed'] == 0, v
assert 0 < r['latency_us']['p50'] <= r['latency_us']['p99'] <= r['latency_us']['max'], r
print(f"{want} values: {r['values_per_s']:.0f}/s, p50 {r['latency_us']['p50']} us")
PY
}
res=$(n "$leader" "$bin/loadgen" -g 1 -w 2 -n 400 -v -j) || fail "loadgen at the leader: $res"
check_run "$res" 400
res=$(n "$follower" "$bin/loadgen" -g 1 -w 2 -n 100 -s 1000 -v -j) ||
	fail "loadgen at a follower: $res"
check_run "$res" 100

# A lone writer at a follower learns its value as it accepts the leader's
# Accept, and holds its vote for its next forward (one datagram for both):
# one datagram to the leader per value, two if the vote went on its own
# (heartbeat answers add a few: 50 ms heartbeats).
tx_msgs()
{
	n "$1" "$PAXOS_TOP/userspace-tool/paxosctl" -j group show id 1 stats |
		python3 -c 'import json,sys; g = json.load(sys.stdin); g = g[0] if isinstance(g, list) else g; print(g["stats"]["tx-msgs"])'
}
t0=$(tx_msgs "$follower")
res=$(n "$follower" "$bin/loadgen" -g 1 -w 1 -n 400 -j) ||
	fail "a lone writer at a follower: $res"
t1=$(tx_msgs "$follower")
python3 -c 'import json,sys; r = json.loads(sys.argv[1]); per = (int(sys.argv[3]) - int(sys.argv[2])) / r["values"]; p50 = r["latency_us"]["p50"]; print(f"a lone writer at a follower: {per:.2f} datagrams sent per value, p50 {p50} us"); assert r["values"] == 400 and r["errors"] == 0 and per <= 1.5, (per, r)' "$res" "$t0" "$t1" ||
	fail "a lone writer at a follower sends more than its forward per value"

n 2 "$bin/udpping" server -p 9000 -t 10 &
srv=$!
sleep 0.5
res=$(n 1 "$bin/udpping" client -p 9000 -n 200 -j 198.18.2.2) || fail "udpping"
python3 -c 'import json,sys; r = json.loads(sys.argv[1]); assert r["count"] == 200 and 0 < r["rtt_us"]["p50"] <= r["rtt_us"]["p99"], r; print("udp p50", r["rtt_us"]["p50"], "us")' "$res" ||
	fail "udpping: $res"
# Four clients at once: every one's round trips counted, and a rate.
res=$(n 1 "$bin/udpping" client -p 9000 -n 50 -w 4 -j 198.18.2.2) ||
	fail "udpping -w 4"
python3 -c 'import json,sys; r = json.loads(sys.argv[1]); assert r["count"] == 200 and r["threads"] == 4 and r["per_s"] > 0 and r["lost"] == 0, r; print("udp, 4 clients:", r["per_s"], "round trips/s")' "$res" ||
	fail "udpping -w 4: $res"
# To two servers at once, the first answer ending each round trip (the
# bench's leader-shaped yardstick); n3 answers too, so the late answers to
# earlier requests must be told apart, and none may count as lost.
n 3 "$bin/udpping" server -p 9000 -t 10 &
srv="$srv $!"
sleep 0.5
res=$(n 1 "$bin/udpping" client -p 9000 -n 200 -j 198.18.2.2 198.18.3.2) ||
	fail "udpping to two servers"
python3 -c 'import json,sys; r = json.loads(sys.argv[1]); assert r["count"] == 200 and r["servers"] == 2 and r["lost"] == 0 and 0 < r["rtt_us"]["p50"] <= r["rtt_us"]["p99"], r; print("udp to two servers: p50", r["rtt_us"]["p50"], "us")' "$res" ||
	fail "udpping to two servers: $res"

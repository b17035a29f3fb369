#!/bin/bash
# Host-side tests of paxosctl: command-line and cluster-file parsing, with
# no kernel.  Every request is built with --dry-run, which prints the
# netlink request as JSON instead of sending it.  Bad input must give a
# clear message on stderr and exit status 2.
#
#   tests/run.sh [PATH-TO-PAXOSCTL]
set -u
here=$(cd "$(dirname "$0")" && pwd)
tool=$(readlink -f "${1:-$here/../paxosctl}")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
pass=0
failed=0

ok() { pass=$((pass + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }

# expect_ok NAME WANT-IN-STDOUT -- ARGS...: exit 0 and stdout contains WANT.
expect_ok()
{
	local name=$1 want=$2 out rc
	shift 3
	out=$("$tool" "$@" 2>"$tmp/err" </dev/null); rc=$?
	if [ $rc -ne 0 ]; then
		bad "$name: exit $rc: $(cat "$tmp/err")"
	elif [[ "$out" != *"$want"* ]]; then
		bad "$name: want '$want' in: $out"
	else
		ok
	fi
}

# expect_err NAME RC WANT-IN-STDERR -- ARGS...: exit RC, stderr has WANT,
# and nothing on stdout (no half-built request).
expect_err()
{
	local name=$1 want_rc=$2 want=$3 out rc
	shift 4
	out=$("$tool" "$@" 2>"$tmp/err" </dev/null); rc=$?
	if [ $rc -ne "$want_rc" ]; then
		bad "$name: exit $rc, want $want_rc: $(cat "$tmp/err")"
	elif ! grep -qF -- "$want" "$tmp/err"; then
		bad "$name: want '$want' in stderr: $(cat "$tmp/err")"
	elif [ -n "$out" ]; then
		bad "$name: printed a request: $out"
	else
		ok
	fi
}

(umask 077; "$tool" genkey > good.key) || bad "genkey > good.key"
cat > good.conf <<'CONF'
# A three-node cluster; every node reads this same file.
[Group]
Id = 7
KeyFile = good.key
Mode = multi
ClusterState = new
HeartbeatMs = 50
ElectionMinMs = 300
ElectionMaxMs = 600
ProposalTimeoutMs = 5000
MaxValueSize = 1024
Retention = 64
QueueLen = 16

[Member]
NodeId = 1
Address = 198.18.1.2:7000

[member]          ; keys and section names ignore case
nodeid = 2
role = learner
address = 198.18.2.2:7001   # trailing comment
Listen = 0.0.0.0:7001

[Member]
NodeId = 3
Role = voter
Address = 198.18.3.2:7000
CONF

full='{"family":"paxos","op":"group-new","type":"do","request":{"id":7,"node-id":2,"listen":{"ipv4":"0.0.0.0","port":7001},"member":[{"node-id":1,"role":"voter","addr":{"ipv4":"198.18.1.2","port":7000}},{"node-id":2,"role":"learner","addr":{"ipv4":"198.18.2.2","port":7001}},{"node-id":3,"role":"voter","addr":{"ipv4":"198.18.3.2","port":7000}}],"mode":"multi","cluster-state":"new","heartbeat-ms":50,"election-min-ms":300,"election-max-ms":600,"proposal-timeout-ms":5000,"max-value-size":1024,"retention":64,"queue-len":16,"key":"(32 bytes, not shown)"}}'

# --- good input: the request is exactly what the file and words say ---
expect_ok "file, node 2" "$full" -- -n group add file good.conf node 2
expect_ok "node before file" "$full" -- -n group add node 2 file good.conf
out=$("$tool" -n group add file - node 3 < good.conf 2>&1)
[[ "$out" == *'"id":7,"node-id":3'* ]] && ok || bad "file - reads stdin: $out"
expect_ok "node 1 has no listen" '"request":{"id":7,"node-id":1,"member"' -- \
	-n group add file good.conf node 1
expect_ok "words override the file" '"mode":"basic","cluster-state":"existing","heartbeat-ms":20' -- \
	-n group add file good.conf node 1 mode basic state existing heartbeat 20
expect_ok "file plus a member" '{"node-id":4,"role":"learner","addr":{"ipv4":"198.18.4.2","port":7000}}' -- \
	-n group add file good.conf node 1 member 4 role learner addr 198.18.4.2:7000
expect_ok "command line only, IPv6" '{"id":1,"node-id":2,"member":[{"node-id":1,"role":"voter","addr":{"ipv6":"2001:db8:1::2","port":7000}},{"node-id":2,"role":"voter","addr":{"ipv6":"2001:db8:2::2","port":7000}}],"insecure":true}' -- \
	-n group add id 1 node 2 member 1 addr '[2001:db8:1::2]:7000' member 2 addr '[2001:db8:2::2]:7000' insecure
expect_ok "listen wildcard v6" '"listen":{"ipv6":"::","port":9}' -- \
	-n group add id 1 node 1 listen '[::]:9' member 1 addr '[2001:db8::1]:9' insecure
expect_ok "limits at their maxima" '"heartbeat-ms":60000,"election-min-ms":600000,"election-max-ms":600000,"proposal-timeout-ms":3600000,"max-value-size":61440,"retention":1048576,"queue-len":65536' -- \
	-n group add id 4294967295 node 4294967295 member 4294967295 addr 1.2.3.4:65535 \
	heartbeat 60000 election-min 600000 election-max 600000 proposal-timeout 3600000 \
	max-value-size 61440 retention 1048576 queue-len 65536 insecure
expect_ok "limits at their minima" '"heartbeat-ms":10,"election-min-ms":50,"election-max-ms":50,"proposal-timeout-ms":100,"max-value-size":1,"retention":16,"queue-len":1' -- \
	-n group add id 1 node 1 member 1 addr 1.2.3.4:1 heartbeat 10 election-min 50 \
	election-max 50 proposal-timeout 100 max-value-size 1 retention 16 queue-len 1 insecure
# This node found by its address: 127.0.0.1 is on lo.
cat > local.conf <<'CONF'
[Group]
Id = 3
Insecure = yes
[Member]
NodeId = 10
Address = 192.0.2.1:7000
[Member]
NodeId = 11
Address = 127.0.0.1:7000
CONF
expect_ok "node from a local address" '"id":3,"node-id":11' -- -n group add file local.conf
expect_ok "group del" '{"family":"paxos","op":"group-del","type":"do","request":{"id":5}}' -- -n group del id 5
expect_ok "group show is a dump" '"op":"group-get","type":"dump","request":{}' -- -n group show
expect_ok "plain paxosctl shows all" '"op":"group-get","type":"dump"' -- -n
expect_ok "group show id" '"op":"group-get","type":"do","request":{"id":9}' -- -n group show id 9 stats
expect_ok "propose value" '{"group-id":2,"value":"hello world"}' -- -n propose group 2 value "hello world"
out=$(printf 'line\n\t"q"\\' | "$tool" -n propose group 2)
[[ "$out" == *'"value":"line\n\t\"q\"\\"'* ]] && ok || bad "propose from stdin, escaped: $out"
out=$(printf 'a\377b' | "$tool" -n propose group 2)
[[ "$out" == *'"value-hex":"61ff62"'* ]] && ok || bad "binary value as hex: $out"
head -c 61440 /dev/zero | tr '\0' x > max.bin
out=$("$tool" -n propose group 1 file max.bin | wc -c)
[ "$out" -gt 61440 ] && ok || bad "61440-byte value"
expect_ok "log range, 64-bit" '{"group-id":1,"slot-start":3,"slot-end":5000000000}' -- -n log group 1 from 3 to 5000000000
expect_ok "log one slot" '"slot-start":8,"slot-end":8' -- -n log group 1 slot 8 raw
expect_ok "monitor" '"subscribe":"events","group":4' -- -n monitor group 4
expect_ok "-s group show" '"op":"group-get","type":"do","request":{"id":9}' -- -n -s group show id 9
expect_ok "--stats alone" '"op":"group-get","type":"dump"' -- --stats -n
expect_ok "-t monitor" '"subscribe":"events","group":4' -- -t -n monitor group 4
expect_ok "--timestamp monitor" '"subscribe":"events"' -- --timestamp -j -n monitor
expect_ok "usage: -s" '-s, --stats' -- -h
expect_ok "usage: -t" '-t, --timestamp' -- -h
expect_ok "monitor usage: -t" 'paxosctl [ -t ] [ -j ] monitor' -- monitor help
expect_ok "group usage: -s" 'paxosctl [ -s ] group show' -- group help
out=$("$tool" -n -p group del id 5)
[ "$(echo "$out" | wc -l)" -gt 3 ] && [[ "$out" == *'"id": 5'* ]] && ok || bad "-p pretty: $out"
for obj in "" group propose log monitor; do
	expect_ok "help $obj" "Usage:" -- $obj help
done
expect_ok "-V" "paxosctl" -- -V

# --- bad command lines ---
expect_err "unknown object" 2 'unknown object "frob"' -- -n frob
expect_err "unknown option" 2 'Usage:' -- -x group show
expect_err "unknown group verb" 2 'group: unknown command "frob"' -- -n group frob
expect_err "unknown add word" 2 'unknown word "colour"' -- -n group add id 1 node 1 colour red
expect_err "no argument" 2 '"heartbeat" needs an argument' -- -n group add id 1 node 1 heartbeat
expect_err "no id" 2 'missing "id ID"' -- -n group add node 1 member 1 addr 1.2.3.4:5
expect_err "no members" 2 'no members' -- -n group add id 1 node 1
expect_err "id 0" 2 'id: 0 is out of range 1..4294967295' -- -n group add id 0 node 1 member 1 addr 1.2.3.4:5
expect_err "id 2^32" 2 'id: 4294967296 is out of range' -- -n group add id 4294967296 node 1 member 1 addr 1.2.3.4:5
expect_err "id huge" 2 'out of range' -- -n group add id 99999999999999999999999 node 1 member 1 addr 1.2.3.4:5
expect_err "id negative" 2 'id: "-1" is not a number' -- -n group add id -1 node 1 member 1 addr 1.2.3.4:5
expect_err "id hex" 2 'id: "0x10" is not a number' -- -n group add id 0x10 node 1 member 1 addr 1.2.3.4:5
expect_err "id empty" 2 'id: "" is not a number' -- -n group add id "" node 1 member 1 addr 1.2.3.4:5
expect_err "heartbeat low" 2 'heartbeat: 9 is out of range 10..60000' -- -n group add id 1 node 1 member 1 addr 1.2.3.4:5 heartbeat 9
expect_err "election high" 2 'election-max: 600001 is out of range 50..600000' -- -n group add id 1 node 1 member 1 addr 1.2.3.4:5 election-max 600001
expect_err "value size high" 2 'max-value-size: 61441 is out of range 1..61440' -- -n group add id 1 node 1 member 1 addr 1.2.3.4:5 max-value-size 61441
expect_err "retention low" 2 'retention: 15 is out of range 16..1048576' -- -n group add id 1 node 1 member 1 addr 1.2.3.4:5 retention 15
expect_err "queue-len 0" 2 'queue-len: 0 is out of range 1..65536' -- -n group add id 1 node 1 member 1 addr 1.2.3.4:5 queue-len 0
expect_err "proposal timeout" 2 'proposal-timeout: 99 is out of range 100..3600000' -- -n group add id 1 node 1 member 1 addr 1.2.3.4:5 proposal-timeout 99
expect_err "election min > max" 2 'minimum 900 ms exceeds maximum 800 ms' -- -n group add id 1 node 1 member 1 addr 1.2.3.4:5 election-min 900 election-max 800
expect_err "heartbeat >= election" 2 'heartbeat 300 ms must be below election-min 300 ms' -- -n group add id 1 node 1 member 1 addr 1.2.3.4:5 heartbeat 300 election-min 300
expect_err "bad mode" 2 'mode: unknown value "fast" (one of: multi, basic)' -- -n group add id 1 node 1 member 1 addr 1.2.3.4:5 mode fast
expect_err "bad state" 2 'cluster state: unknown value "old" (one of: new, existing)' -- -n group add id 1 node 1 member 1 addr 1.2.3.4:5 state old
expect_err "bad role" 2 'role: unknown value "boss" (one of: voter, learner)' -- -n group add id 1 node 1 member 1 role boss addr 1.2.3.4:5
expect_err "role outside member" 2 '"role" belongs after "member ID"' -- -n group add id 1 node 1 role voter
expect_err "member without addr" 2 'member 2: missing "addr ADDR"' -- -n group add id 1 node 1 member 1 addr 1.2.3.4:5 member 2
expect_err "duplicate node id" 2 'member 1: duplicate node id 1' -- -n group add id 1 node 1 member 1 addr 1.2.3.4:5 member 1 addr 1.2.3.5:5
expect_err "duplicate address" 2 "address 1.2.3.4:5 is already node 1's" -- -n group add id 1 node 1 member 1 addr 1.2.3.4:5 member 2 addr 1.2.3.4:5
expect_err "node not a member" 2 'node 3 is not a member of group 1' -- -n group add id 1 node 3 member 1 addr 1.2.3.4:5
expect_err "mixed families" 2 'IPv4 and IPv6 members cannot mix' -- -n group add id 1 node 1 member 1 addr 1.2.3.4:5 member 2 addr '[::1]:5'
expect_err "listen family" 2 'one family' -- -n group add id 1 node 1 listen '[::]:5' member 1 addr 1.2.3.4:5
expect_err "no local node" 2 'no member'"'"'s address is local; use "node ID"' -- -n group add id 1 member 1 addr 192.0.2.1:5
for a in '1.2.3.4' '1.2.3.4:' '1.2.3.4:0' '1.2.3.4:65536' '1.2.3.4:x' '1.2.3:5' '1.2.3.256:5' \
	 'host:5' ':5' '::1:5' '[::1:5' '[::1]5' '[::g]:5' '[1.2.3.4]:5' '[]:5' '1.2.3.4:5x' '1.2.3.4:-5'; do
	expect_err "bad address $a" 2 "addr \"$a\": " -- -n group add id 1 node 1 member 1 addr "$a"
done
expect_err "too many members" 2 'too many members (at most 32)' -- -n group add id 1 node 1 \
	$(for i in $(seq 1 33); do echo "member $i addr 10.0.0.$i:7000"; done)
expect_err "del no id" 2 'group del: missing "id ID"' -- -n group del
expect_err "del bare id" 2 'unknown word "5"' -- -n group del 5
expect_err "show junk" 2 'group show: unknown word "all"' -- -n group show all
expect_err "propose empty" 2 'the value is empty' -- -n propose group 1 value ""
expect_err "propose empty stdin" 2 'the value is empty' -- -n propose group 1
head -c 61441 /dev/zero | tr '\0' x > big.bin
expect_err "propose too big" 2 'longer than 61440 bytes' -- -n propose group 1 file big.bin
expect_err "propose two values" 2 'give one "value" or "file"' -- -n propose group 1 value a value b
expect_err "propose bad group" 2 'group: 0 is out of range' -- -n propose group 0 value a
expect_err "propose no file" 2 'nope.bin: No such file or directory' -- -n propose group 1 file nope.bin
expect_err "propose junk" 2 'propose: unknown word "slot"' -- -n propose group 1 slot 3
expect_err "propose dry run needs group" 2 'say which group with "group ID"' -- -n propose value a
expect_err "log bad slot" 2 'from: 0 is out of range' -- -n log group 1 from 0
expect_err "log slot 2^64" 2 'to: 18446744073709551616 is out of range' -- -n log group 1 to 18446744073709551616
expect_err "log reversed" 2 'from 5 is after to 2' -- -n log group 1 from 5 to 2
expect_err "log junk" 2 'log: unknown word "follow"' -- -n log group 1 follow
expect_err "log raw json" 2 '"raw" and -j do not mix' -- -n -j log group 1 raw
expect_err "monitor junk" 2 'monitor: unknown word "all"' -- -n monitor all

# --- bad cluster files: each names the file and line ---
conf_err()
{
	local name=$1 want=$2
	cat > bad.conf
	expect_err "file: $name" 2 "$want" -- -n group add file bad.conf node 1
}
printf '[Group]\nId = 1\n[Member]\nNodeId = 1\nAddress = 1.2.3.4:5\n[Member]\nNodeId = 1\nAddress = 1.2.3.5:5\n' |
	conf_err "duplicate node id" 'bad.conf:6: duplicate node id 1'
printf '[Group]\nId = 1\n[Member]\nNodeId = 1\nAddress = 1.2.3.4:5\n[Member]\nNodeId = 2\nAddress = 1.2.3.4:5\n' |
	conf_err "duplicate address" "bad.conf:6: address 1.2.3.4:5 is already node 1's"
printf '[Group]\nId = 1\nColour = red\n' | conf_err "unknown group key" 'bad.conf:3: unknown key "Colour" in [Group]'
printf '[Group]\nId = 1\n[Member]\nNodeId = 1\nPort = 5\n' | conf_err "unknown member key" 'bad.conf:5: unknown key "Port" in [Member]'
printf '[Group]\nId = 1\n[Peer]\n' | conf_err "unknown section" 'bad.conf:3: unknown section [Peer]'
printf 'Id = 1\n' | conf_err "key outside a section" 'bad.conf:1: "Id" outside a section'
printf '[Group]\nId 1\n' | conf_err "no equals" 'bad.conf:2: expected "Key = Value", got "Id 1"'
printf '[Group]\nId =\n' | conf_err "no value" 'bad.conf:2: Id has no value'
printf '[Group]\n= 1\n' | conf_err "no key" "bad.conf:2: missing key before '='"
printf '[Group]\nId = 1\nId = 2\n' | conf_err "key twice" 'bad.conf:3: Id given twice in one section'
printf '[Group]\nId = 1\n[Group]\nId = 2\n' | conf_err "two groups" 'bad.conf:3: a second [Group] section'
printf '[Group]\nId = 1\nHeartbeatMs = 70000\n' | conf_err "out of range" 'bad.conf:3: 70000 is out of range 10..60000'
printf '[Group]\nId = 1\nRetention = lots\n' | conf_err "not a number" 'bad.conf:3: "lots" is not a number'
printf '[Group]\nId = 1\nMode = fast\n' | conf_err "bad mode" 'mode: unknown value "fast"'
printf '[Group]\nId = 1\n[Member]\nNodeId = 1\nAddress = 1.2.3.4:99999\n' | conf_err "bad port" 'bad.conf:5: Address "1.2.3.4:99999": port must be 1..65535'
printf '[Group]\nId = 1\n[Member]\nNodeId = 1\nAddress = [fe80::1:5\n' | conf_err "bad v6" "bad.conf:5: Address \"[fe80::1:5\": missing ']'"
printf '[Group]\nId = 1\n[Member]\nNodeId = 1\nListen = 1.2.3.4\n' | conf_err "bad listen" 'bad.conf:5: Listen "1.2.3.4": missing ":port"'
printf '[Group]\nId = 1\n[Member]\nAddress = 1.2.3.4:5\n' | conf_err "member without id" 'bad.conf:3: [Member] without NodeId'
printf '[Group]\nId = 1\n[Member]\nNodeId = 1\n' | conf_err "member without address" 'bad.conf:3: [Member] without Address'
printf '[Group]\nId = 1\n[Member]\nNodeId = 0\n' | conf_err "node id 0" 'bad.conf:4: 0 is out of range 1..4294967295'
printf '[Member]\nNodeId = 1\nAddress = 1.2.3.4:5\n' | conf_err "no group section" 'bad.conf: no [Group] section'
printf '[Group]\nMode = basic\n[Member]\nNodeId = 1\nAddress = 1.2.3.4:5\n' | conf_err "no group id" 'bad.conf: [Group] has no Id'
printf '[Group]\nId = 1\n' | conf_err "no members" 'bad.conf: no [Member] sections'
printf '[Group]\nId = 1\n[Member]\nNodeId = 2\nAddress = 1.2.3.4:5\n' | conf_err "node not in file" 'node 1 is not a member of group 1'
{ printf '[Group]\nId = 1\n'; for i in $(seq 1 33); do printf '[Member]\nNodeId = %d\nAddress = 10.0.0.%d:7000\n' "$i" "$i"; done; } |
	conf_err "too many members" 'bad.conf:99: too many members (at most 32)'
expect_err "missing file" 2 'nope.conf: No such file or directory' -- -n group add file nope.conf node 1

# --- genkey: 32 random bytes in canonical base64, never the same twice ---
: > keys
for i in $(seq 1 20); do
	k=$("$tool" genkey 2>"$tmp/err") || bad "genkey exit $?"
	[ ! -s "$tmp/err" ] || bad "genkey to a pipe warns: $(cat "$tmp/err")"
	echo "$k" >> keys
done
bad_keys=$(python3 - keys <<'PY'
import base64, re, sys
for k in open(sys.argv[1]).read().split("\n")[:-1]:
    raw = base64.b64decode(k, validate=True) if re.fullmatch(r"[A-Za-z0-9+/]{43}=", k) else b""
    if len(raw) != 32 or base64.b64encode(raw).decode() != k:
        print(repr(k))
PY
)
[ -z "$bad_keys" ] && [ "$(wc -l < keys)" -eq 20 ] && ok || bad "genkey output not 32 bytes of base64: $bad_keys"
[ "$(sort -u keys | wc -l)" -eq 20 ] && ok || bad "genkey repeated a key"
[ "$("$tool" genkey | wc -c)" -eq 45 ] && ok || bad "genkey: 44 characters and a newline"
[ "$(head -1 keys | base64 -d | wc -c)" -eq 32 ] && ok || bad "genkey: base64 -d gives 32 bytes"
(umask 022; "$tool" genkey > open.key 2>"$tmp/err") && grep -q 'group or others may read' "$tmp/err" &&
	ok || bad "genkey to a readable file does not warn: $(cat "$tmp/err")"
(umask 077; "$tool" genkey > closed.key 2>"$tmp/err") && [ ! -s "$tmp/err" ] &&
	ok || bad "genkey to a private file warns: $(cat "$tmp/err")"
expect_ok "genkey help" "Usage: paxosctl genkey" -- genkey help
expect_err "genkey junk" 2 'genkey: unknown word "32"' -- genkey 32

# --- keys: exactly one of key, keyfile, insecure; the key is never shown ---
K=$(sed -n 1p keys)
K2=$(sed -n 2p keys)
hidden='"key":"(32 bytes, not shown)"'
m1='id 1 node 1 member 1 addr 1.2.3.4:5'
expect_ok "key on the command line" "$hidden" -- -n group add $m1 key "$K"
expect_ok "keyfile on the command line" "$hidden" -- -n group add $m1 keyfile closed.key
expect_ok "insecure on the command line" '"insecure":true}}' -- -n group add $m1 insecure
expect_ok "insecure before file" '"id":7,"node-id":1,' -- -n group add insecure file good.conf node 1
expect_ok "insecure between words" '"id":1,"node-id":1,' -- -n group add id 1 insecure node 1 member 1 addr 1.2.3.4:5
out=$("$tool" -n group add insecure file good.conf node 1)
[[ $out == *'"insecure":true'* && $out != *'"key"'* ]] && ok || bad "insecure overrides the file's KeyFile: $out"
out=$("$tool" -n -p group add $m1 key "$K" 2>&1; "$tool" -n group rekey id 1 key "$K" 2>&1)
[[ $out != *"$K"* && $out != *"$(printf %s "$K" | base64 -d | od -An -tx1 | tr -d ' \n')"* ]] &&
	ok || bad "a dry run shows the key: $out"
expect_err "no key at all" 2 'group add: no key: give "key KEY", "keyfile FILE" or "insecure"' -- -n group add $m1
expect_err "key and insecure" 2 'only one of key, keyfile, insecure' -- -n group add $m1 key "$K" insecure
expect_err "key twice" 2 'only one of key, keyfile, insecure' -- -n group add $m1 key "$K" key "$K2"
expect_err "keyfile and key" 2 'only one of key, keyfile, insecure' -- -n group add $m1 keyfile closed.key key "$K"
expect_err "key needs a value" 2 '"key" needs an argument' -- -n group add $m1 key
for k in "${K%=}" "${K}=" "${K:1}" "${K:0:43}" "x$K" "${K:0:40}-_AA=" "${K:0:42}9=" "${K:0:42}/=" \
	 "${K:0:43}A" " $K" "not a key" ""; do
	[ "$k" = "$K" ] && continue
	expect_err "bad key '$k'" 2 'key: not a key (44 base64 characters from "paxosctl genkey")' -- \
		-n group add $m1 key "$k"
done
expect_err "all-zero key" 2 'key: the key is all zeros' -- -n group add $m1 key AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
expect_err "keyfile missing" 2 'key file nope.key: No such file or directory' -- -n group add $m1 keyfile nope.key
expect_err "keyfile readable" 2 'key file open.key is accessible by group or others (mode 0644); "chmod 600 open.key" first' -- \
	-n group add $m1 keyfile open.key
chmod 640 open.key
expect_err "keyfile group-readable" 2 'accessible by group or others (mode 0640)' -- -n group add $m1 keyfile open.key
chmod 602 open.key
expect_err "keyfile world-writable" 2 'accessible by group or others (mode 0602)' -- -n group add $m1 keyfile open.key
(umask 077; printf 'hello\n' > junk.key; printf '%s\n%s\n' "$K" "$K" > two.key; : > empty.key
 printf '  \t%s \r\n\n' "$K" > spaced.key; head -c 4096 /dev/zero | tr '\0' A > long.key)
expect_err "keyfile junk" 2 'key file junk.key: not a key (44 base64 characters' -- -n group add $m1 keyfile junk.key
expect_err "keyfile two lines" 2 'key file two.key: not a key (one line of 44 base64 characters)' -- -n group add $m1 keyfile two.key
expect_err "keyfile empty" 2 'key file empty.key: not a key' -- -n group add $m1 keyfile empty.key
expect_err "keyfile long" 2 'key file long.key: not a key' -- -n group add $m1 keyfile long.key
expect_ok "keyfile with white space" "$hidden" -- -n group add $m1 keyfile spaced.key
expect_ok "keyfile from a pipe" "$hidden" -- -n group add $m1 keyfile <(echo "$K")
expect_err "keyfile is a directory" 2 'key file .: ' -- -n group add $m1 keyfile .

# In the cluster file: Key, KeyFile (relative to the file) or Insecure = yes.
mkdir -p etc
(umask 077; echo "$K" > etc/group.key)
members='[Member]\nNodeId = 1\nAddress = 1.2.3.4:5\n'
printf "[Group]\nId = 1\nKeyFile = group.key\n$members" > etc/rel.conf
expect_ok "file: KeyFile relative to the file" "$hidden" -- -n group add file etc/rel.conf node 1
printf "[Group]\nId = 1\nKeyFile = $tmp/etc/group.key\n$members" > abs.conf
expect_ok "file: KeyFile absolute" "$hidden" -- -n group add file abs.conf node 1
out=$(printf "[Group]\nId = 1\nkeyfile = etc/group.key\n$members" | "$tool" -n group add file - node 1 2>&1)
[[ $out == *"$hidden"* ]] && ok || bad "file: KeyFile from stdin, relative to cwd: $out"
(umask 077; printf "[Group]\nId = 1\nKey = $K\n$members" > private.conf)
out=$("$tool" -n group add file private.conf node 1 2>"$tmp/err")
[[ $out == *"$hidden"* && ! -s "$tmp/err" ]] && ok || bad "file: Key: $out $(cat "$tmp/err")"
chmod 644 private.conf
out=$("$tool" -n group add file private.conf node 1 2>"$tmp/err")
[[ $out == *"$hidden"* ]] && grep -q 'private.conf:3: a Key in a file that group or others may read; use KeyFile' "$tmp/err" &&
	ok || bad "file: readable Key warns: $out $(cat "$tmp/err")"
for yes in yes Yes true on 1; do
	printf "[Group]\nId = 1\nInsecure = $yes\n$members" > insecure.conf
	expect_ok "file: Insecure = $yes" '"insecure":true}}' -- -n group add file insecure.conf node 1
done
expect_ok "key overrides the file's Insecure" "$hidden" -- -n group add file insecure.conf node 1 key "$K"
printf "[Group]\nId = 1\nInsecure = no\nKey = $K\n$members" > keyed.conf
expect_ok "file: Insecure = no and a Key" "$hidden" -- -n group add file keyed.conf node 1
printf "[Group]\nId = 1\nKey = $K\nKeyFile = etc/group.key\n$members" | conf_err "Key and KeyFile" 'bad.conf:4: Key and KeyFile: give only one of Key, KeyFile and Insecure'
printf "[Group]\nId = 1\nInsecure = yes\nKey = $K\n$members" | conf_err "Insecure and Key" 'bad.conf:4: Insecure and Key: give only one of'
printf "[Group]\nId = 1\nKey = $K\nKey = $K2\n$members" | conf_err "Key twice" 'bad.conf:4: Key given twice in one section'
printf "[Group]\nId = 1\nInsecure = no\n$members" | conf_err "Insecure = no, no key" 'group add: no key: give'
printf "[Group]\nId = 1\n$members" | conf_err "no key" '(in a cluster file: Key, KeyFile or Insecure = yes); "paxosctl genkey" makes a key'
printf "[Group]\nId = 1\nInsecure = maybe\n$members" | conf_err "Insecure = maybe" 'bad.conf:3: "maybe" is not yes or no'
printf "[Group]\nId = 1\nKey = ${K:1}\n$members" | conf_err "short Key" 'bad.conf:3: not a key (44 base64 characters'
printf "[Group]\nId = 1\nKeyFile = open.key\n$members" | conf_err "readable KeyFile" 'key file open.key is accessible by group or others'
printf "[Group]\nId = 1\nKeyFile = nope.key\n$members" | conf_err "missing KeyFile" 'key file nope.key: No such file or directory'
printf "[Group]\nId = 1\n[Member]\nNodeId = 1\nAddress = 1.2.3.4:5\nKey = $K\n" | conf_err "Key in [Member]" 'bad.conf:6: unknown key "Key" in [Member]'

# --- group rekey: group-set-key with id, key and maybe key-grace-ms ---
expect_ok "rekey key" '{"family":"paxos","op":"group-set-key","type":"do","request":{"id":3,"key":"(32 bytes, not shown)"}}' -- \
	-n group rekey id 3 key "$K"
expect_ok "rekey keyfile, grace" '"request":{"id":3,"key":"(32 bytes, not shown)","key-grace-ms":5000}}' -- \
	-n group rekey keyfile closed.key id 3 grace-ms 5000
expect_ok "rekey grace 0" '"key-grace-ms":0}}' -- -n group rekey id 3 key "$K" grace-ms 0
expect_ok "rekey grace max" '"key-grace-ms":86400000}}' -- -n group rekey id 3 key "$K" grace-ms 86400000
expect_ok "rekey from a cluster file" '"request":{"id":7,"key":"(32 bytes, not shown)"}}' -- -n group rekey file good.conf
expect_ok "rekey file and its id" '"request":{"id":7,' -- -n group rekey id 7 file good.conf grace-ms 1
expect_err "rekey grace too long" 2 'grace-ms: 86400001 is out of range 0..86400000' -- -n group rekey id 3 key "$K" grace-ms 86400001
expect_err "rekey grace junk" 2 'grace-ms: "1s" is not a number' -- -n group rekey id 3 key "$K" grace-ms 1s
expect_err "rekey no id" 2 'group rekey: missing "id ID"' -- -n group rekey key "$K"
expect_err "rekey no key" 2 'group rekey: missing "key KEY" or "keyfile FILE"' -- -n group rekey id 3 grace-ms 10
expect_err "rekey two keys" 2 'group rekey: give one of key, keyfile and file' -- -n group rekey id 3 key "$K" keyfile closed.key
expect_err "rekey key and file" 2 'group rekey: give one of' -- -n group rekey file good.conf key "$K"
expect_err "rekey file of another group" 2 "group rekey: good.conf is group 7's, not 3's" -- -n group rekey id 3 file good.conf
expect_err "rekey insecure file" 2 'group rekey: insecure.conf has no Key or KeyFile' -- -n group rekey file insecure.conf
expect_err "rekey insecure" 2 'group rekey: unknown word "insecure"' -- -n group rekey id 3 insecure
expect_err "rekey bad key" 2 'key: not a key' -- -n group rekey id 3 key "${K:2}"
expect_err "rekey readable keyfile" 2 'accessible by group or others' -- -n group rekey id 3 keyfile open.key
expect_err "rekey id 0" 2 'id: 0 is out of range' -- -n group rekey id 0 key "$K"
expect_err "rekey key needs a value" 2 '"key" needs an argument' -- -n group rekey id 3 key
expect_ok "rekey help" 'group rekey' -- group rekey help

# --- propose: how long to wait for a pending outcome ---
expect_ok "propose timeout" '{"group-id":2,"value":"v"}' -- -n propose group 2 value v timeout 1500
expect_err "propose timeout 0" 2 'timeout: 0 is out of range 1..3600000' -- -n propose group 2 value v timeout 0
expect_err "propose timeout junk" 2 'timeout: "soon" is not a number' -- -n propose group 2 value v timeout soon

# --- membership: group member ..., force-new-cluster, manual-promote ---
expect_ok "member add" '{"family":"paxos","op":"member-add","type":"do","request":{"group-id":1,"node-id":4,"role":"learner","addr":{"ipv4":"198.18.4.2","port":7000}}}' -- \
	-n group member add id 1 node 4 role learner addr 198.18.4.2:7000
expect_ok "member add v6, role default" '"request":{"group-id":2,"node-id":5,"addr":{"ipv6":"2001:db8:5::2","port":7000}}}' -- \
	-n group member add node 5 addr '[2001:db8:5::2]:7000' id 2
expect_ok "member del" '{"family":"paxos","op":"member-del","type":"do","request":{"group-id":1,"node-id":3}}' -- \
	-n group member del id 1 node 3
expect_ok "member delete" '"op":"member-del"' -- -n group member delete id 1 node 3
expect_ok "member promote" '"op":"member-promote","type":"do","request":{"group-id":1,"node-id":2}}' -- \
	-n group member promote id 1 node 2
expect_ok "member promote incarnation" '"request":{"group-id":1,"node-id":2,"incarnation":18446744073709551614}}' -- \
	-n group member promote id 1 node 2 incarnation 18446744073709551614
expect_ok "member demote" '"op":"member-demote","type":"do","request":{"group-id":1,"node-id":2}}' -- \
	-n group member demote id 1 node 2
expect_ok "member set-address" '"op":"member-set-address","type":"do","request":{"group-id":1,"node-id":2,"addr":{"ipv4":"198.18.9.2","port":7001}}}' -- \
	-n group member set-address id 1 node 2 addr 198.18.9.2:7001
expect_ok "force-new-cluster" '{"family":"paxos","op":"force-new-cluster","type":"do","request":{"id":3}}' -- \
	-n group force-new-cluster 3 yes-lose-data
expect_ok "force-new-cluster id, --yes-lose-data" '"op":"force-new-cluster","type":"do","request":{"id":4}}' -- \
	-n group force-new-cluster --yes-lose-data id 4
expect_ok "group add manual-promote" '"insecure":true,"manual-promote":true}' -- \
	-n group add id 1 node 1 member 1 addr 1.2.3.4:5 insecure manual-promote
cat > manual.conf <<'CONF'
[Group]
Id = 8
Insecure = yes
ManualPromote = yes
[Member]
NodeId = 1
Address = 127.0.0.1:7000
CONF
sed 's/ManualPromote = yes/ManualPromote = perhaps/' manual.conf > manual.bad
expect_ok "ManualPromote in the file" '"id":8,' -- -n group add file manual.conf
expect_ok "ManualPromote in the file" '"manual-promote":true' -- -n group add file manual.conf
expect_err "ManualPromote junk" 2 'manual.bad' -- -n group add file manual.bad
expect_err "member without command" 2 'group member: missing command' -- -n group member
expect_err "member bad command" 2 'group member: unknown command "kick"' -- -n group member kick id 1 node 2
expect_err "member no node" 2 'group member del: missing "node N"' -- -n group member del id 1
expect_err "member node 0" 2 'node: 0 is out of range' -- -n group member del id 1 node 0
expect_err "member add no addr" 2 'group member add: missing "addr ADDR"' -- -n group member add id 1 node 4
expect_err "member add bad addr" 2 'addr "198.18.4.2": ' -- -n group member add id 1 node 4 addr 198.18.4.2
expect_err "member add bad role" 2 'role' -- -n group member add id 1 node 4 role boss addr 1.2.3.4:5
expect_err "member del role" 2 'group member del: unknown word "role"' -- -n group member del id 1 node 4 role voter
expect_err "member demote incarnation" 2 'unknown word "incarnation"' -- -n group member demote id 1 node 4 incarnation 3
expect_err "member promote bad incarnation" 2 'incarnation' -- -n group member promote id 1 node 4 incarnation -1
expect_err "member no id, dry run" 2 'dry run: say which group' -- -n group member del node 4
expect_err "force without yes" 2 'say "yes-lose-data" to go on' -- -n group force-new-cluster 3
expect_err "force without id" 2 'group force-new-cluster: missing the group id' -- -n group force-new-cluster yes-lose-data
expect_err "force two ids" 2 'group force-new-cluster: unknown word "4"' -- -n group force-new-cluster 3 4 yes-lose-data
expect_ok "member help" 'group member add' -- group member help

# --- bash completion ---
complete_words()
{
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_paxosctl; echo "${COMPREPLY[*]}"' _ "$here/../paxosctl.bash-completion" "$@"
}
[ "$(complete_words paxosctl '')" = "group propose log monitor genkey help" ] && ok || bad "complete objects"
[ "$(complete_words paxosctl -j gr)" = "group" ] && ok || bad "complete after -j"
[ "$(complete_words paxosctl --t)" = "--timestamp" ] && ok || bad "complete --timestamp"
[ "$(complete_words paxosctl -s gr)" = "group" ] && ok || bad "complete after -s"
[ "$(complete_words paxosctl group '')" = "add rekey del show member force-new-cluster help" ] && ok || bad "complete group verbs"
[ "$(complete_words paxosctl group member '')" = "add del promote demote set-address help" ] && ok || bad "complete member verbs"
[ "$(complete_words paxosctl group member promote id 1 '')" = "id node incarnation" ] && ok || bad "complete member promote"
[ "$(complete_words paxosctl group member add node 4 r)" = "role" ] && ok || bad "complete member add"
[ "$(complete_words paxosctl group member add node 4 role l)" = "learner" ] && ok || bad "complete member add role"
[ "$(complete_words paxosctl group force-new-cluster 1 y)" = "yes-lose-data" ] && ok || bad "complete force-new-cluster"
[ "$(complete_words paxosctl group add id 1 manual)" = "manual-promote" ] && ok || bad "complete manual-promote"
[ "$(complete_words paxosctl group add id 1 i)" = "id insecure" ] && ok || bad "complete insecure"
[ "$(complete_words paxosctl group add id 1 ke)" = "key keyfile" ] && ok || bad "complete key words"
[ "$(complete_words paxosctl group add keyfile good.k)" = "good.key" ] && ok || bad "complete keyfile"
[ "$(complete_words paxosctl group add key '')" = "" ] && ok || bad "complete no key"
[ "$(complete_words paxosctl group rekey id 1 '')" = "id key keyfile file grace-ms help" ] && ok || bad "complete rekey"
[ "$(complete_words paxosctl group rekey grace-ms '')" = "" ] && ok || bad "complete grace-ms"
[ "$(complete_words paxosctl propose value x t)" = "timeout" ] && ok || bad "complete propose timeout"
[ "$(complete_words paxosctl group add id 1 mode '')" = "multi basic" ] && ok || bad "complete mode"
[ "$(complete_words paxosctl group add member 1 role l)" = "learner" ] && ok || bad "complete role"
[ "$(complete_words paxosctl log group 1 r)" = "raw" ] && ok || bad "complete log"
[ "$(complete_words paxosctl group add file good.c)" = "good.conf" ] && ok || bad "complete file"

# --- make install honours DESTDIR and PREFIX ---
make -s -C "$here/.." install DESTDIR="$tmp/root" PREFIX=/opt/p >/dev/null &&
	[ -x "$tmp/root/opt/p/sbin/paxosctl" ] &&
	[ -f "$tmp/root/opt/p/share/man/man8/paxosctl.8" ] &&
	[ -f "$tmp/root/opt/p/share/bash-completion/completions/paxosctl" ] && ok ||
	bad "make install DESTDIR=... PREFIX=..."

echo "paxosctl host tests: $pass passed, $failed failed"
[ "$failed" -eq 0 ]

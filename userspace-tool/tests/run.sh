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

cat > good.conf <<'CONF'
# A three-node cluster; every node reads this same file.
[Group]
Id = 7
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

full='{"family":"paxos","op":"group-new","type":"do","request":{"id":7,"node-id":2,"listen":{"ipv4":"0.0.0.0","port":7001},"member":[{"node-id":1,"role":"voter","addr":{"ipv4":"198.18.1.2","port":7000}},{"node-id":2,"role":"learner","addr":{"ipv4":"198.18.2.2","port":7001}},{"node-id":3,"role":"voter","addr":{"ipv4":"198.18.3.2","port":7000}}],"mode":"multi","cluster-state":"new","heartbeat-ms":50,"election-min-ms":300,"election-max-ms":600,"proposal-timeout-ms":5000,"max-value-size":1024,"retention":64,"queue-len":16}}'

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
expect_ok "command line only, IPv6" '{"id":1,"node-id":2,"member":[{"node-id":1,"role":"voter","addr":{"ipv6":"2001:db8:1::2","port":7000}},{"node-id":2,"role":"voter","addr":{"ipv6":"2001:db8:2::2","port":7000}}]}' -- \
	-n group add id 1 node 2 member 1 addr '[2001:db8:1::2]:7000' member 2 addr '[2001:db8:2::2]:7000'
expect_ok "listen wildcard v6" '"listen":{"ipv6":"::","port":9}' -- \
	-n group add id 1 node 1 listen '[::]:9' member 1 addr '[2001:db8::1]:9'
expect_ok "limits at their maxima" '"heartbeat-ms":60000,"election-min-ms":600000,"election-max-ms":600000,"proposal-timeout-ms":3600000,"max-value-size":61440,"retention":1048576,"queue-len":65536' -- \
	-n group add id 4294967295 node 4294967295 member 4294967295 addr 1.2.3.4:65535 \
	heartbeat 60000 election-min 600000 election-max 600000 proposal-timeout 3600000 \
	max-value-size 61440 retention 1048576 queue-len 65536
expect_ok "limits at their minima" '"heartbeat-ms":10,"election-min-ms":50,"election-max-ms":50,"proposal-timeout-ms":100,"max-value-size":1,"retention":16,"queue-len":1' -- \
	-n group add id 1 node 1 member 1 addr 1.2.3.4:1 heartbeat 10 election-min 50 \
	election-max 50 proposal-timeout 100 max-value-size 1 retention 16 queue-len 1
# This node found by its address: 127.0.0.1 is on lo.
cat > local.conf <<'CONF'
[Group]
Id = 3
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

# --- bash completion ---
complete_words()
{
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_paxosctl; echo "${COMPREPLY[*]}"' _ "$here/../paxosctl.bash-completion" "$@"
}
[ "$(complete_words paxosctl '')" = "group propose log monitor help" ] && ok || bad "complete objects"
[ "$(complete_words paxosctl -j gr)" = "group" ] && ok || bad "complete after -j"
[ "$(complete_words paxosctl group '')" = "add del show help" ] && ok || bad "complete group verbs"
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

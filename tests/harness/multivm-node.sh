#!/bin/bash
# One node of the multi-VM crash test, run inside its VM by multivm.sh's
# vm-init job:  multivm-node.sh NODE NODES STATE KEY GEN
#
# Node i's NICs are point-to-point links, one per peer j, with the MAC
# 52:54:00:12:0i:0j.  The node's address 198.18.0.i/32 sits on each of them
# and 198.18.0.j is routed to the link that leads to j.
set -eu
. "$PAXOS_TOP/tests/harness/lib.sh"
i=$1 nodes=$2 state=$3 key=$4 gen=$5

modprobe virtio_net || fail "modprobe virtio_net"
nics() { local d n=0; for d in /sys/class/net/*; do [ "${d##*/}" = lo ] || n=$((n + 1)); done; echo $n; }
for _ in $(seq 50); do
	[ "$(nics)" -ge $((nodes - 1)) ] && break
	sleep 0.1
done
for dev in /sys/class/net/*; do
	mac=$(cat "$dev/address")
	case $mac in
	52:54:00:12:0$i:0?)
		j=${mac##*:0}
		d=$(basename "$dev")
		ip link set "$d" up
		ip addr add "198.18.0.$i/32" dev "$d"
		ip route add "198.18.0.$j/32" dev "$d" src "198.18.0.$i"
		echo "vm$i.$gen: $d ($mac) leads to node $j"
		;;
	esac
done
paxos_load
rc=0
env PYTHONPATH="$PAXOS_TOP/tests/lib" python3 -u "$PAXOS_TOP/tests/lib/vmnode.py" \
	--node "$i" --nodes "$nodes" --state "$state" --key "$key" --gen "$gen" ||
	rc=$?
paxos_unload
exit $rc

# Cluster helpers for VM tests (source after lib.sh).
#
# Topology: node namespaces n1..nN, each joined by a veth pair to one router
# namespace "rt" that forwards between them (the test kernel has no bridge):
#
#     n1 (198.18.1.2) ---.
#     n2 (198.18.2.2) ---+--- rt (198.18.k.1 on each link)
#     n3 (198.18.3.2) ---'
#
# IPv6 uses 2001:db8:k::2 the same way.  Nothing leaves the VM.

KSRC=$(ls -d /var/cache/paxos/src-*/linux-source-6.12 | tail -1)
YNL="python3 $PAXOS_TOP/tests/lib/ynlcli.py --no-schema --spec $PAXOS_TOP/netlink/specs/paxos.yaml"
PORT=${PORT:-7000}

n() { local i=$1; shift; ip netns exec "n$i" "$@"; }
ynl() { local i=$1; shift; ip netns exec "n$i" $YNL "$@"; }

cluster_net()
{
	local nodes=$1 i
	ip netns add rt
	ip -n rt link set lo up
	ip netns exec rt sysctl -qw net.ipv4.ip_forward=1
	ip netns exec rt sysctl -qw net.ipv6.conf.all.forwarding=1
	for i in $(seq 1 "$nodes"); do
		ip netns add "n$i"
		ip -n "n$i" link set lo up
		ip link add "v$i" netns "n$i" type veth peer name "r$i" netns rt
		ip -n "n$i" addr add "198.18.$i.2/24" dev "v$i"
		ip -n "n$i" addr add "2001:db8:$i::2/64" dev "v$i" nodad
		ip -n "n$i" link set "v$i" up
		ip -n "n$i" route add default via "198.18.$i.1"
		ip -n "n$i" -6 route add default via "2001:db8:$i::1"
		ip -n rt addr add "198.18.$i.1/24" dev "r$i"
		ip -n rt addr add "2001:db8:$i::1/64" dev "r$i" nodad
		ip -n rt link set "r$i" up
	done
}

# JSON list of members 1..N for group-new (family: 4 or 6).
cluster_members()
{
	local nodes=$1 fam=${2:-4} i sep=
	printf '['
	for i in $(seq 1 "$nodes"); do
		if [ "$fam" = 6 ]; then
			addr="{\"ipv6\": \"$(python3 -c "import ipaddress;print(ipaddress.ip_address('2001:db8:$i::2').packed.hex())")\", \"port\": $PORT}"
		else
			addr="{\"ipv4\": \"$(printf '%02x%02x%02x%02x' 198 18 "$i" 2)\", \"port\": $PORT}"
		fi
		printf '%s{"node-id": %d, "role": 1, "addr": %s}' "$sep" "$i" "$addr"
		sep=', '
	done
	printf ']'
}

# The group key of this test run (hex, as the ynl CLI takes binary
# attributes): every node of a test cluster shares it.
CLUSTER_KEY=${CLUSTER_KEY:-$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')}

# JSON field authenticating a group-new: the key, or "insecure" when
# CLUSTER_INSECURE=1.
cluster_auth()
{
	if [ "${CLUSTER_INSECURE:-0}" = 1 ]; then
		printf '"insecure": true'
	else
		printf '"key": "%s"' "$CLUSTER_KEY"
	fi
}

# cluster_group NODE GROUP NODES [FAMILY] [EXTRA JSON FIELDS]
cluster_group()
{
	local i=$1 gid=$2 nodes=$3 fam=${4:-4} extra=${5:-}
	ynl "$i" --do group-new --json \
		"{\"id\": $gid, \"node-id\": $i, $(cluster_auth), \"member\": $(cluster_members "$nodes" "$fam")${extra:+, $extra}}" \
		>/dev/null
}

cluster_cleanup()
{
	local ns
	for ns in $(ip netns list | awk '{print $1}'); do
		ip netns del "$ns"
	done
}

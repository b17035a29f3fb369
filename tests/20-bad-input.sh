#!/bin/bash
# kernels: test
# Bad input to netlink, /dev/paxos and the UDP port: each gets its documented
# error (with an extended ack naming the attribute), is counted, and leaves
# the kernel without complaint.  See tests/lib/bad_input.py.
set -eu
. "$(dirname "$0")/harness/lib.sh"
. "$(dirname "$0")/harness/cluster.sh"
trap cluster_cleanup EXIT

cluster_net 1
paxos_load
n 1 $YNL --do group-new --json "{\"id\": 1, \"node-id\": 1, $(cluster_auth), \"max-value-size\": 1024, \"member\": $(cluster_members 1)}" >/dev/null
n 1 env PAXOS_TOP="$PAXOS_TOP" PYTHONPATH="$PAXOS_TOP/tests/lib" \
	python3 "$PAXOS_TOP/tests/lib/bad_input.py"
n 1 $YNL --do group-del --json '{"id": 1}' >/dev/null
paxos_unload

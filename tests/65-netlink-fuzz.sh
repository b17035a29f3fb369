#!/bin/bash
# kernels: test
# A seeded fuzzer throws thousands of random requests at the paxos family
# (unknown commands, random and malformed attributes, truncated messages,
# huge values, dumps left unfinished, sockets closed with proposals
# pending), interleaved with valid ones; afterwards the family still works
# and the kernel has nothing to say (vm.sh fails the run on any complaint or
# leak).  Arguments (vm.sh passes them on): a seed to replay (the run
# prints its own) and the seconds to fuzz.  See tests/lib/nlfuzz.py.
set -eu
. "$(dirname "$0")/harness/lib.sh"
. "$(dirname "$0")/harness/cluster.sh"
trap cluster_cleanup EXIT

cluster_net 1
paxos_load
n 1 env PAXOS_TOP="$PAXOS_TOP" PYTHONPATH="$PAXOS_TOP/tests/lib" \
	python3 "$PAXOS_TOP/tests/lib/nlfuzz.py" --seconds "${2:-55}" \
	${1:+--seed "$1"}
paxos_unload

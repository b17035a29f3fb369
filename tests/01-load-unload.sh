#!/bin/bash
# kernels: test stock stock61
# The module loads and unloads cleanly, several times over; the harness
# fails the run on any kernel complaint or leak.
set -eu
. "$(dirname "$0")/harness/lib.sh"

for i in 1 2 3; do
	paxos_load
	grep -q '^paxos ' /proc/modules || fail "paxos not in /proc/modules"
	paxos_unload
	! grep -q '^paxos ' /proc/modules || fail "paxos still loaded"
done
echo "load/unload x3 ok on $(uname -r)"

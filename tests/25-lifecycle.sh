#!/bin/bash
# kernels: test
# Timeouts, full queues, killed and woken sleepers, deletion under load, and
# rmmod with groups still alive: nothing stuck in D state, nothing leaked
# (the harness scans with kmemleak after the script).  See
# tests/lib/lifecycle.py.
set -eu
. "$(dirname "$0")/harness/lib.sh"
. "$(dirname "$0")/harness/cluster.sh"
trap cluster_cleanup EXIT

cluster_net 1
paxos_load
# Three voters, only n1 exists: no quorum, nothing is ever chosen.
n 1 $YNL --do group-new --json "{\"id\": 1, \"node-id\": 1, $(cluster_auth), \"member\": $(cluster_members 3), \"proposal-timeout-ms\": 1000, \"queue-len\": 4}" >/dev/null
n 1 env PAXOS_TOP="$PAXOS_TOP" PYTHONPATH="$PAXOS_TOP/tests/lib" \
	python3 "$PAXOS_TOP/tests/lib/lifecycle.py"
! grep -l ' D ' /proc/[0-9]*/stat 2>/dev/null || fail "a task is in D state"

# An open /dev/paxos holds the module: rmmod must refuse.  Once it is
# closed, rmmod deletes the groups still alive (and kmemleak checks that
# nothing of them is left).
n 1 $YNL --do group-new --json "{\"id\": 2, \"node-id\": 1, $(cluster_auth), \"member\": $(cluster_members 1)}" >/dev/null
n 1 sh -c 'echo kept > /dev/paxos'
sleep 30 < /dev/paxos &
holder=$!
sleep 0.5
! rmmod paxos 2>/dev/null || fail "rmmod succeeded with /dev/paxos open"
kill $holder
wait $holder 2>/dev/null || true
paxos_unload
! grep -q '^paxos ' /proc/modules || fail "paxos still loaded"

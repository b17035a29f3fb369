#!/bin/bash
# kernels: stock
# Netlink propose never waits long in the kernel: a value not learned within
# a second is answered with pending and its outcome follows as a propose-ntf
# to the requesting socket (ETIMEDOUT without a quorum, ENOTCONN when the
# group is deleted, nothing for a closed socket, pending rather than EINTR
# on a signal); with a quorum the reply carries the slot; generic netlink
# keeps answering (and rmmod goes on) while a proposal is pending.  log-get
# delivers a 60 KiB value.  See tests/lib/propose_async.py.
set -eu
. "$(dirname "$0")/harness/lib.sh"
. "$(dirname "$0")/harness/cluster.sh"
trap cluster_cleanup EXIT

cluster_net 3
paxos_load
n 1 env PAXOS_TOP="$PAXOS_TOP" PYTHONPATH="$PAXOS_TOP/tests/lib" \
	python3 "$PAXOS_TOP/tests/lib/propose_async.py"
# The script ends with rmmod while a proposal was pending.
! grep -q '^paxos ' /proc/modules || fail "paxos still loaded"

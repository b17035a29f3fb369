#!/bin/bash
# kernels: test
# Every allocation of every netlink op (group-new with members, group-get do
# and dump, log-get, propose, group-set-key, group-del) and of /dev/paxos
# (open, write, read, ioctl, poll), failed in turn with
# /proc/thread-self/fail-nth: a clear errno or a real success each time, the
# groups consistent afterwards, no leak (kmemleak after the script), no
# kernel complaint.  See tests/lib/failnth.py.
set -eu
. "$(dirname "$0")/harness/lib.sh"
. "$(dirname "$0")/harness/cluster.sh"
trap cluster_cleanup EXIT

dbg=/sys/kernel/debug
[ -e /proc/self/fail-nth ] && [ -d $dbg/failslab ] ||
	fail "the kernel has no fail-nth (CONFIG_FAULT_INJECTION_DEBUG_FS, FAILSLAB)"
# fail-nth overrides probability, interval and times, not these filters:
# let it fail sleeping allocations (GFP_KERNEL) and single pages too, and
# keep it quiet (a stack dump per fault would read as a kernel complaint).
# Nothing fails at random: probability stays 0, and only tasks that ask.
for d in failslab fail_page_alloc; do
	echo N > $dbg/$d/ignore-gfp-wait
	echo 0 > $dbg/$d/verbose
	echo Y > $dbg/$d/task-filter
done
echo 0 > $dbg/fail_page_alloc/min-order

cluster_net 3
paxos_load
n 1 env PAXOS_TOP="$PAXOS_TOP" PYTHONPATH="$PAXOS_TOP/tests/lib" \
	python3 "$PAXOS_TOP/tests/lib/failnth.py"
paxos_unload

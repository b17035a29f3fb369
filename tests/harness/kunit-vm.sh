#!/bin/bash
# Inside the VM: load the module and its KUnit module (which runs the suites
# as it loads), save the kernel log for the host to parse, unload both.
# Arguments are passed to the KUnit module as parameters; without any,
# those of $PAXOS_KUNIT_ARGS (vm.sh passes it in: check.sh runs this
# script in a batch, where scripts get no arguments).
#
# The runtime suite needs network namespaces to put its nodes in: the
# topology of cluster.sh, named to the test module by the pid of a process
# sleeping in each namespace.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cluster.sh"

pids=()
cleanup()
{
	[ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null
	wait 2>/dev/null
	cluster_cleanup
}
trap cleanup EXIT

cluster_net 3
for i in 1 2 3; do
	ip netns exec "n$i" sleep 3600 &
	pids+=($!)
done
# Each must be inside its namespace before the module looks it up.
for pid in "${pids[@]}"; do
	for try in $(seq 100); do
		[ "$(readlink /proc/$pid/ns/net)" != "$(readlink /proc/self/ns/net)" ] &&
			break
		sleep 0.1
	done
done

paxos_load
# Only the test module's KTAP: boot prints an empty KTAP header of its own.
dmesg -C
# KUnit runs each case in a thread of its own while insmod waits for it,
# uninterruptibly: a simulation case under kmemleak runs past the hung-task
# detector's 60 s, which would call insmod hung.  KUnit's own per-case
# timeout still fails a case that does not end.
hung=/proc/sys/kernel/hung_task_timeout_secs
hung_was=$(cat $hung 2>/dev/null || echo)
[ -n "$hung_was" ] && echo 0 > $hung
[ $# -gt 0 ] || set -- ${PAXOS_KUNIT_ARGS:-}
insmod "$PAXOS_KUNIT_KO" netns_pids="$(IFS=,; echo "${pids[*]}")" "$@" ||
	fail "insmod $PAXOS_KUNIT_KO"
[ -n "$hung_was" ] && echo "$hung_was" > $hung
dmesg --notime > "$PAXOS_VM_OUT/kunit.log"
rmmod paxos_kunit || fail "rmmod paxos_kunit"
paxos_unload

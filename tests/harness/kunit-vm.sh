#!/bin/bash
# Inside the VM: load the module and its KUnit module (which runs the suites
# as it loads), save the kernel log for the host to parse, unload both.
# Arguments are passed to the KUnit module as parameters.
set -u
. "$(dirname "$0")/lib.sh"

paxos_load
# Only the test module's KTAP: boot prints an empty KTAP header of its own.
dmesg -C
insmod "$PAXOS_KUNIT_KO" "$@" || fail "insmod $PAXOS_KUNIT_KO"
dmesg --notime > "$PAXOS_VM_OUT/kunit.log"
rmmod paxos_kunit || fail "rmmod paxos_kunit"
paxos_unload

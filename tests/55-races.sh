#!/bin/bash
# kernels: test
# Races of the group lifecycle, under KASAN on the test kernel (any use
# after free fails the run from the console):
#
#   - epoll on a /dev/paxos file rebound to another group, the group it
#     left deleted under it;
#   - a reader overrun by the retention: EPIPE once, then the first
#     retained slot;
#   - for RACE_SECS (60) seconds at once: a group created and deleted over
#     and over, writers, readers and rebinding epoll users of it, and
#     namespaces with groups exiting;
#   - rmmod with many groups alive, in one namespace and in several, and a
#     namespace with many groups exiting: the groups are stopped together
#     and wait for one RCU grace period, not one or two each (synchronous
#     waits counted with the rcu_sr_normal tracepoint: every
#     synchronize_rcu() that is not expedited).
#
# See tests/lib/races.py.  Arguments name the parts to run (rebind,
# overrun, soak, teardown; default: all), to run one while working on it.
set -eu
. "$(dirname "$0")/harness/lib.sh"
. "$(dirname "$0")/harness/cluster.sh"
trap cluster_cleanup EXIT

RACE_SECS=${RACE_SECS:-60}
parts=${*:-rebind overrun soak teardown}
want() { case " $parts " in *" $1 "*) return 0 ;; esac; return 1; }
py() { n 1 env PAXOS_TOP="$PAXOS_TOP" PYTHONPATH="$PAXOS_TOP/tests/lib" python3 "$@"; }
fast='"heartbeat-ms": 20, "election-min-ms": 100, "election-max-ms": 200'

cluster_net 1
paxos_load

# epoll and rebinding.
if want rebind; then
	PORT=7011 cluster_group 1 11 1 4 "$fast"
	PORT=7012 cluster_group 1 12 1 4 "$fast"
	py "$PAXOS_TOP/tests/lib/races.py" rebind
fi

# A reader overrun by the retention.
if want overrun; then
	PORT=7013 cluster_group 1 13 1 4 "$fast, \"retention\": 16"
	py "$PAXOS_TOP/tests/lib/races.py" overrun
	n 1 $YNL --do group-del --json '{"id": 13}' >/dev/null
fi

# Tasks in D state (uninterruptible sleep), by pid.  The state is the
# field after the command's closing parenthesis (a command may hold spaces
# and parentheses).
d_tasks()
{
	sed -n 's/^\([0-9]*\) (.*) D [^)]*$/\1/p' /proc/[0-9]*/stat 2>/dev/null |
		sort -n
}

# Everything at once.
if want soak; then
	py "$PAXOS_TOP/tests/lib/races.py" soak "$RACE_SECS"
	# Nothing left stuck: a task in D state in every look over ten
	# seconds.  One look is not enough: a worker tearing down one of the
	# soak's namespaces sleeps uninterruptibly for a grace period or two
	# (a CI run once caught one at that moment).
	stuck=$(d_tasks)
	for i in 1 2 3 4 5; do
		[ -n "$stuck" ] || break
		sleep 2
		stuck=$(d_tasks | grep -Fx -f <(echo "$stuck") || true)
	done
	if [ -n "$stuck" ]; then
		for p in $stuck; do
			echo "pid $p: $(cat "/proc/$p/comm" 2>/dev/null)," \
				"in $(cat "/proc/$p/wchan" 2>/dev/null)"
			cat "/proc/$p/stack" 2>/dev/null || true
		done
		fail "a task is stuck in D state"
	fi
	echo "ok   no task stuck in D state"
fi
paxos_unload
want teardown || exit 0

# rmmod with 16 groups in n1 and 2 in each of 4 more namespaces, counting
# synchronize_rcu() calls with the rcu_sr_normal tracepoint (RCU_TRACE).
# (Not more groups: each ticks 100 times a second, which under TCG and
# KASAN adds up quickly.)
trace=/sys/kernel/tracing
mount -t tracefs nodev "$trace" 2>/dev/null || trace=/sys/kernel/debug/tracing
gp=$trace/events/rcu/rcu_sr_normal/enable
sync_calls() { grep -c 'rcu_sr_normal:.*event=request' "$trace/trace" || true; }
paxos_load
echo "teardown: creating groups"
py "$PAXOS_TOP/tests/lib/races.py" groups 16 7400
for i in 1 2 3 4; do
	ip netns add "x$i"
	ip -n "x$i" link set lo up
done
py "$PAXOS_TOP/tests/lib/races.py" groups 2 7500 x1 x2 x3 x4
echo "teardown: rmmod"
[ -w "$gp" ] || fail "no rcu_sr_normal tracepoint at $gp"
echo 1 > "$gp"
: > "$trace/trace"
start=$(date +%s%N)
paxos_unload
ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo 0 > "$gp"
gps=$(sync_calls)
echo "rmmod with 24 groups in 5 namespaces: ${ms} ms, ${gps} synchronize_rcu()"
# One or two per group would be 24 to 48; unloading a module makes a few of
# its own.
[ "$gps" -lt 16 ] || fail "rmmod waited for ${gps} RCU grace periods for 24 groups"

# A namespace's exit with 24 groups waits for about as many grace periods
# as one without any (the namespace core's own, shared by every pernet
# operation).
netns_exit_gps()
{
	ip netns add many
	ip -n many link set lo up
	ip netns exec many env PAXOS_TOP="$PAXOS_TOP" PYTHONPATH="$PAXOS_TOP/tests/lib" \
		python3 "$PAXOS_TOP/tests/lib/races.py" groups "$1" 7600
	sleep 1
	echo 1 > "$gp"
	: > "$trace/trace"
	ip netns del many
	sleep 5
	echo 0 > "$gp"
	sync_calls
}
paxos_load
base=$(netns_exit_gps 0)
with=$(netns_exit_gps 24)
echo "namespace exit: ${base} synchronize_rcu() without groups, ${with} with 24"
[ "$with" -lt $(( base + 8 )) ] ||
	fail "a namespace's exit waited for $(( with - base )) more grace periods with 24 groups"
start=$(date +%s%N)
paxos_unload
echo "rmmod after it: $(( ($(date +%s%N) - start) / 1000000 )) ms"
! grep -q '^paxos ' /proc/modules || fail "paxos still loaded"

#!/bin/bash
# The benchmark of issue 12, run inside one VM by tests/harness/bench.sh
# (`make bench`); not a test of `make check`.  Three voters n1..n3 (see
# tests/harness/cluster.sh), then, each phase in groups of its own:
#
#   udp        udpping round trips between two node namespaces (the yardstick),
#              the same to both other nodes at once (first answer: the
#              leader's shape), and 16, 64, 256 udpping clients at once
#              (closed-loop ceilings)
#   sweep      closed-loop writers 1..256 at the leader and at a follower, 64 B,
#              in rounds, each after the two UDP yardsticks again
#   sizes      16 writers, 1 KiB and 16 KiB values, leader and follower
#   auth       1 and 16 writers at the leader of a keyed, then of an
#              insecure group: the cost of authentication
#   basic      the same node in a `basic` group, 1, 16 and 64 writers
#   single     1 and 64 writers at a keyed group of one node (no network,
#              no other node: the closed loop and the core alone), in
#              rounds
#   heartbeat  a follower's lone writer under other heartbeat intervals
#   profile    perf stat's event counts (work items, timers, softirqs,
#              switches, datagrams) under 64 writers at the leader and
#              under a follower's lone writer
#   timeline   ftrace of a lone writer's every hop, at the leader and at a
#              follower (tests/bench/timeline.py lines the hops up), and
#              of 16 writers at the leader and in a basic group (each
#              write split where its proposer says)
#   fgraph     the function-graph tracer's time per call of the write, the
#              pass, the core, sealing, opening, sending and waking, under
#              a lone writer at the leader and at a follower, 16 and 64
#              writers at the leader, and 16 and 64 at node 1 of a basic
#              group
#              (tests/bench/fgraph.py sums it up per value)
#   failover   writers on a follower, the leader cut off (its link down)
#   retention  memory of groups with retention 64 and 1048576
#   slab       slab and MemAvailable every tenth of 1,000,000 proposals
#              with retention 1024 (scaled down to what a probe's rate fits
#              in BENCH_SLAB_BUDGET seconds: see "slab-plan")
#
# Every result is one JSON line in $PAXOS_VM_OUT/raw.jsonl; failover traces
# and perf reports are files beside it.  tests/bench/report.py turns them
# into the report.  Knobs: BENCH_DUR (seconds per run, default 5),
# BENCH_WARMUP (1), BENCH_PROPOSALS (1000000), BENCH_SLAB_BUDGET (seconds
# of load the slab phase may take, 300), BENCH_REPEAT (rounds of the
# sweep, 3), BENCH_ONLY (phases to run), given
# as KEY=VALUE arguments (vm.sh passes no environment).
set -eu
for kv in "$@"; do
	case $kv in
	BENCH_*=*) export "$kv" ;;
	*) echo "bench-vm.sh: unknown argument $kv" >&2; exit 2 ;;
	esac
done
. "$PAXOS_TOP/tests/harness/lib.sh"
. "$PAXOS_TOP/tests/harness/cluster.sh"

OUT=$PAXOS_VM_OUT
RAW=$OUT/raw.jsonl
BIN=$PAXOS_TOP/build/bench/bin
LG=$BIN/loadgen
UP=$BIN/udpping
PCTL=$PAXOS_TOP/userspace-tool/paxosctl
DUR=${BENCH_DUR:-5}
WARM=${BENCH_WARMUP:-1}
PROPOSALS=${BENCH_PROPOSALS:-1000000}
SLAB_BUDGET=${BENCH_SLAB_BUDGET:-300}
REPEAT=${BENCH_REPEAT:-3}
ONLY=${BENCH_ONLY:-udp sweep sizes auth basic single heartbeat profile failover retention slab timeline fgraph}
srv=
: > "$RAW"
trap '[ -n "$srv" ] && kill $srv 2>/dev/null; cluster_cleanup' EXIT

for f in "$LG" "$UP" "$PCTL"; do
	[ -x "$f" ] || fail "$f missing: run make bench (it builds it)"
done
want() { case " $ONLY " in *" $1 "*) return 0 ;; esac; return 1; }
phase() { want "$1" && echo "== $1 ($(date +%T))"; }
now_us() { echo $(( $(date +%s%N) / 1000 )); }
emit() { echo "$1" >> "$RAW"; }

# The group's state as one line of JSON (paxosctl -j), or null.
gstat()
{
	local s
	s=$(n "$1" "$PCTL" -j group show id "$2" stats 2>/dev/null | tr -d '\n') || s=
	echo "${s:-null}"
}

leader_id()
{
	gstat "$1" "$2" | grep -o '"leader-id": *[0-9]*' | grep -o '[0-9]*$' || echo 0
}

# wait_leader GROUP: the leader's node id once all three nodes agree on it.
wait_leader()
{
	local gid=$1 try a b c
	for try in $(seq 150); do
		a=$(leader_id 1 "$gid")
		b=$(leader_id 2 "$gid")
		c=$(leader_id 3 "$gid")
		if [ "$a" -ge 1 ] && [ "$a" = "$b" ] && [ "$a" = "$c" ]; then
			echo "$a"
			return 0
		fi
		sleep 0.1
	done
	fail "group $gid: no leader all nodes agree on ($a $b $c)"
}

# group_up GROUP [insecure] [PAXOSCTL WORDS...]: the group on all three
# nodes, keyed unless "insecure" (paxosctl rather than the ynl CLI: Python
# starts slowly under TCG), on port $GROUP_PORT (7000).
KEY=$("$PCTL" genkey 2>/dev/null)
group_up()
{
	local gid=$1 i key="key $KEY" port=${GROUP_PORT:-7000}
	shift
	if [ "${1:-}" = insecure ]; then
		key=insecure
		shift
	fi
	for i in 1 2 3; do
		# shellcheck disable=SC2086
		n "$i" "$PCTL" group add id "$gid" node "$i" $key "$@" \
			member 1 addr "198.18.1.2:$port" \
			member 2 addr "198.18.2.2:$port" \
			member 3 addr "198.18.3.2:$port" >/dev/null ||
			fail "group add $gid on n$i"
	done
}

group_down()
{
	local i
	for i in 1 2 3; do
		n "$i" "$PCTL" group del id "$1" >/dev/null
	done
}

mem_json()
{
	awk '/^(MemAvailable|Slab|SUnreclaim|SReclaimable):/ {
		sub(":", "", $1)
		printf "%s\"%s\": %d", sep, $1, $2 * 1024; sep = ", " }
		BEGIN { printf "{" } END { printf "}" }' /proc/meminfo
}

# Slab caches holding more than 256 KiB, and the total, in bytes.
slab_json()
{
	awk 'NR > 2 { b = $3 * $4; t += b; if (b > 262144) {
		printf "%s\"%s\": %d", sep, $1, b; sep = ", " } }
		BEGIN { printf "{" } END { printf "%s\"total\": %d}", sep, t }' \
		/proc/slabinfo
}

# "busy total" jiffies of the VM's CPUs (idle and iowait are not busy).
cpu_jiffies()
{
	awk '/^cpu / { t = 0; for (i = 2; i <= NF; i++) t += $i
		print t - $5 - $6, t }' /proc/stat
}

# run KIND WHERE NODE GROUP LEADER WRITERS SIZE [LOADGEN ARGS...]
run()
{
	local kind=$1 where=$2 node=$3 gid=$4 leader=$5 w=$6 size=$7 res rc=0
	local sl sn el en after c0 c1
	shift 7
	sl=$(gstat "$leader" "$gid")
	sn=$(gstat "$node" "$gid")
	c0=$(cpu_jiffies)
	res=$(n "$node" "$LG" -g "$gid" -w "$w" -s "$size" -d "$DUR" -W "$WARM" \
		-j -l "$kind" "$@") || rc=$?
	c1=$(cpu_jiffies)
	el=$(gstat "$leader" "$gid")
	en=$(gstat "$node" "$gid")
	after=$(leader_id "$node" "$gid")
	echo "  $kind $where n$node w=$w size=$size: $res"
	emit "{\"kind\": \"$kind\", \"where\": \"$where\", \"node\": $node, \"leader\": $leader, \"leader_after\": $after, \"group\": $gid, \"writers\": $w, \"size\": $size, \"rc\": $rc, \"vm_cpu_busy\": $(echo "$c0 $c1" | awk '{ printf "%.3f", ($3 - $1) / ($4 - $2 + ($4 == $2)) }'), \"result\": ${res:-null}, \"stats_leader_before\": $sl, \"stats_leader_after\": $el, \"stats_node_before\": $sn, \"stats_node_after\": $en}"
}

cluster_net 3
paxos_load
echo "kernel $(uname -r), $(nproc) CPUs, $(awk '/MemTotal/ {print $2 / 1024 " MiB"}' /proc/meminfo)"
emit "{\"kind\": \"machine\", \"kernel\": \"$(uname -r)\", \"cpus\": $(nproc), \"mem\": $(mem_json), \"cpu\": \"$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)\"}"

if phase udp; then
	n 2 "$UP" server -p 9000 -t 30 &
	srv=$!
	n 3 "$UP" server -p 9000 -t 30 &
	srv="$srv $!"
	sleep 0.5
	res=$(n 1 "$UP" client -p 9000 -n 5000 -j 198.18.2.2)
	# The leader's shape: each request to both other nodes, the first
	# answer ends the round trip (its Accepts, the first Accepted).
	resfan=$(n 1 "$UP" client -p 9000 -n 5000 -j 198.18.2.2 198.18.3.2)
	res64=$(n 1 "$UP" client -p 9000 -n 2000 -s 64 -r 64 -j 198.18.2.2)
	# The ceiling of 64 closed-loop clients with no consensus and no
	# sealing: a one-thread UDP echo, and the VM's CPU while it runs.
	# 16, 64 and 256 clients, three times each (the report takes the
	# medians): what the VM does for that many closed loops at all.
	resw=
	for rep in 1 2 3; do
		for cw in "16 1000" "64 300" "256 100"; do
			set -- $cw
			c0=$(cpu_jiffies)
			r=$(n 1 "$UP" client -p 9000 -n "$2" -w "$1" -j 198.18.2.2)
			c1=$(cpu_jiffies)
			busy=$(echo "$c0 $c1" | awk '{ printf "%.3f", ($3 - $1) / ($4 - $2 + ($4 == $2)) }')
			resw="$resw${resw:+, }{\"clients\": $1, \"busy\": $busy, \"result\": ${r:-null}}"
		done
	done
	kill $srv 2>/dev/null || true
	wait $srv 2>/dev/null || true
	srv=
	echo "  udp: $res"
	echo "  udp, to two servers: $resfan"
	echo "  udp, 64 clients: $resw"
	emit "{\"kind\": \"udp\", \"result\": $res, \"result_64\": $res64, \"result_fanout\": ${resfan:-null}, \"w64\": [$resw]}"
fi

default_timing=
if want sweep || want sizes || want profile; then
	group_up 1
	leader=$(wait_leader 1)
	follower=$(( leader % 3 + 1 ))
	n "$follower" "$LG" -g 1 -n 20 >/dev/null
	echo "  group 1 (multi, defaults): leader n$leader, follower n$follower"
	if phase sweep; then
		# Rounds of the whole sweep, one after the other: the report
		# takes each point's median round (TCG runs of the same code
		# differ by a third from one minute to the next).  Each round
		# measures the yardsticks again first (the round trip, and to
		# two servers): the report's RTT is the median of all of them,
		# not of one minute at the start.
		n 2 "$UP" server -p 9001 -t 600 &
		srv=$!
		n 3 "$UP" server -p 9001 -t 600 &
		srv="$srv $!"
		sleep 0.5
		for rep in $(seq "$REPEAT"); do
			r1=$(n 1 "$UP" client -p 9001 -n 2000 -j 198.18.2.2) || r1=
			r2=$(n 1 "$UP" client -p 9001 -n 2000 -j 198.18.2.2 \
				198.18.3.2) || r2=
			echo "  udp, round $rep: ${r1:0:160} / ${r2:0:160}"
			emit "{\"kind\": \"udp-round\", \"round\": $rep, \"result\": ${r1:-null}, \"result_fanout\": ${r2:-null}}"
			for w in 1 4 16 64 256; do
				run sweep leader "$leader" 1 "$leader" "$w" 64
				run sweep follower "$follower" 1 "$leader" "$w" 64
			done
		done
		kill $srv 2>/dev/null || true
		wait $srv 2>/dev/null || true
		srv=
	fi
	if phase sizes; then
		for size in 1024 16384; do
			run sizes leader "$leader" 1 "$leader" 16 "$size"
			run sizes follower "$follower" 1 "$leader" 16 "$size"
		done
	fi
	if phase profile && command -v perf >/dev/null; then
		# How often the pieces run: work items, timers, softirqs,
		# context switches, datagrams sent.  (Sampling, perf record,
		# sees nothing under TCG: 95% of its samples land in the idle
		# loop's halt whatever the load, so the time is measured by
		# the function-graph phase at the end instead.)
		for p in "leader 64 $leader" "follower 1 $follower"; do
			set -- $p
			perf stat -a -x, -o "$OUT/perfstat-$1-$2.csv" \
				-e workqueue:workqueue_execute_start \
				-e timer:timer_expire_entry -e timer:hrtimer_expire_entry \
				-e irq:softirq_entry -e sched:sched_switch \
				-e net:net_dev_xmit -- sleep "$DUR" >/dev/null 2>&1 &
			pid2=$!
			n "$3" "$LG" -g 1 -w "$2" -s 64 -d "$DUR" -j -l profile \
				> "$OUT/profile-$1-$2.json" || true
			wait $pid2 || true
			echo "  profile $1 $2 writers: $(head -c 300 "$OUT/profile-$1-$2.json")"
		done
	fi
	group_down 1
fi

if phase auth; then
	# The cost of authentication: the same writers in a keyed and in an
	# insecure group of the same three nodes, taking turns, in rounds
	# (the report takes each one's median).
	group_up 4
	GROUP_PORT=7001 group_up 5 insecure
	lk=$(wait_leader 4)
	li=$(wait_leader 5)
	n "$lk" "$LG" -g 4 -n 20 >/dev/null
	n "$li" "$LG" -g 5 -n 20 >/dev/null
	for rep in $(seq "$REPEAT"); do
		for w in 1 16; do
			run auth-keyed leader "$lk" 4 "$lk" "$w" 64
			run auth-insecure leader "$li" 5 "$li" "$w" 64
		done
	done
	group_down 4
	group_down 5
fi

if phase basic; then
	group_up 2 mode basic
	sleep 2
	for w in 1 16 64; do
		run basic node1 1 2 1 "$w" 64
	done
	group_down 2
fi

if phase single; then
	# The same writers against a keyed group of one node: no network, no
	# other node, the write's closed loop and the core only.  A ceiling
	# for what three nodes can do with as many writers.
	n 1 "$PCTL" group add id 30 node 1 key "$KEY" \
		member 1 addr 198.18.1.2:7010 >/dev/null || fail "group add 30"
	n 1 "$LG" -g 30 -n 20 >/dev/null
	for rep in $(seq "$REPEAT"); do
		for w in 1 64; do
			run single node1 1 30 1 "$w" 64
		done
	done
	n 1 "$PCTL" group del id 30 >/dev/null
fi

if phase heartbeat; then
	gid=10
	for hb in 20 50 200; do
		group_up $gid heartbeat "$hb"
		leader=$(wait_leader $gid)
		follower=$(( leader % 3 + 1 ))
		n "$follower" "$LG" -g $gid -n 5 >/dev/null
		run "heartbeat-$hb" follower "$follower" $gid "$leader" 1 64
		group_down $gid
		gid=$((gid + 1))
	done
fi

if phase failover; then
	emin=500
	emax=1000
	for trial in 1 2 3; do
		gid=$((20 + trial))
		group_up $gid election-min $emin election-max $emax
		leader=$(wait_leader $gid)
		follower=$(( leader % 3 + 1 ))
		n "$follower" "$LG" -g $gid -n 20 >/dev/null
		n "$follower" "$LG" -g $gid -w 4 -s 64 -d 6 -j -l failover \
			-t "$OUT/failover-$trial.trace" > /tmp/fo.json &
		lg=$!
		sleep 2
		cut=$(now_us)
		ip -n rt link set "r$leader" down
		newl=0
		elected=0
		for try in $(seq 100); do
			newl=$(leader_id "$follower" $gid)
			if [ "$newl" -ge 1 ] && [ "$newl" != "$leader" ]; then
				elected=$(now_us)
				break
			fi
			sleep 0.05
		done
		wait $lg || true
		ip -n rt link set "r$leader" up
		echo "  failover $trial: leader n$leader cut, new leader n$newl after $(( (elected - cut) / 1000 )) ms (seen by n$follower)"
		emit "{\"kind\": \"failover\", \"trial\": $trial, \"old_leader\": $leader, \"new_leader\": $newl, \"node\": $follower, \"cut_us\": $cut, \"elected_seen_us\": $elected, \"election_min_ms\": $emin, \"election_max_ms\": $emax, \"heartbeat_ms\": 100, \"trace\": \"failover-$trial.trace\", \"result\": $(cat /tmp/fo.json || echo null)}"
		group_down $gid
	done
fi

if phase retention; then
	for r in 64 1048576; do
		m0=$(mem_json)
		s0=$(slab_json)
		group_up 30 retention "$r"
		leader=$(wait_leader 30)
		m1=$(mem_json)
		s1=$(slab_json)
		n "$leader" "$LG" -g 30 -w 16 -n 5000 >/dev/null
		m2=$(mem_json)
		s2=$(slab_json)
		group_down 30
		sleep 1
		m3=$(mem_json)
		echo "  retention $r: MemAvailable $(echo "$m0 $m1 $m2 $m3" | grep -o 'MemAvailable": [0-9]*' | awk '{printf "%d ", $2 / 1024}') KiB (before, created, 5000 values, deleted)"
		emit "{\"kind\": \"retention\", \"retention\": $r, \"mem_before\": $m0, \"mem_created\": $m1, \"mem_after_5000\": $m2, \"mem_deleted\": $m3, \"slab_before\": $s0, \"slab_created\": $s1, \"slab_after_5000\": $s2}"
	done
fi

if phase slab; then
	retention=1024
	emit "{\"kind\": \"slab\", \"proposals\": 0, \"seconds\": 0, \"mem\": $(mem_json), \"slab\": $(slab_json)}"
	group_up 40 retention "$retention"
	leader=$(wait_leader 40)
	# A probe of 2,000 proposals measures the rate; the plan is the wanted
	# total or what fits the budget at that rate, in ten steps, with slab
	# and memory read after the probe and after each step.
	t0=$(now_us)
	done_p=0
	step=2000
	i=-1
	steps=0
	while [ $i -lt $steps ]; do
		res=$(n "$leader" "$LG" -g 40 -w 64 -s 64 -n "$step" -j -l slab) ||
			echo "  slab step $i: loadgen exit $? ($res)"
		done_p=$((done_p + step))
		sec=$(( ($(now_us) - t0) / 1000 ))
		emit "{\"kind\": \"slab\", \"proposals\": $done_p, \"ms\": $sec, \"retention\": $retention, \"mem\": $(mem_json), \"slab\": $(slab_json), \"group\": $(gstat "$leader" 40), \"result\": ${res:-null}}"
		echo "  slab: $done_p proposals in $sec ms: $(mem_json)"
		if [ $i = -1 ]; then
			rate=$(( done_p * 1000 / (sec > 0 ? sec : 1) ))
			total=$(( rate * SLAB_BUDGET ))
			[ "$total" -le "$PROPOSALS" ] || total=$PROPOSALS
			step=$(( (total - done_p) / 10 ))
			[ "$step" -ge 1000 ] || step=1000
			steps=10
			emit "{\"kind\": \"slab-plan\", \"rate\": $rate, \"budget_s\": $SLAB_BUDGET, \"wanted\": $PROPOSALS, \"planned\": $(( done_p + steps * step )), \"step\": $step}"
			i=0
			continue
		fi
		i=$((i + 1))
	done
	group_down 40
	sleep 1
	emit "{\"kind\": \"slab-deleted\", \"mem\": $(mem_json), \"slab\": $(slab_json)}"
fi
# traced_group_up: group 1 with a leader all nodes know ($leader, and a
# $follower), warmed up, and tracefs mounted: the tracing phases' start.
traced_group_up()
{
	group_up 1
	leader=$(wait_leader 1)
	follower=$(( leader % 3 + 1 ))
	n "$follower" "$LG" -g 1 -n 20 >/dev/null
	[ -e /sys/kernel/tracing/trace ] ||
		mount -t tracefs nodev /sys/kernel/tracing
}

if phase timeline; then
	# Where a lone write's time goes: the tracepoints of every hop (the
	# write, the work items, each datagram sent, the paxos events, the
	# writer's wakeup), one second of a lone writer at the leader and at a
	# follower; tests/bench/timeline.py lines them up.  At the end, and
	# the events are never turned off again: switching tracepoints
	# patches kernel text, and under TCG a vCPU once trapped on the patch
	# site (an int3 oops in __schedule) as the events were turned off.
	traced_group_up
	# In a trace instance of its own: the function-graph phase after it
	# uses the main buffer, without these events.
	T=/sys/kernel/tracing/instances/timeline
	mkdir -p $T
	echo 0 > $T/tracing_on
	echo 32768 > $T/buffer_size_kb
	for e in syscalls/sys_enter_write syscalls/sys_exit_write \
		workqueue/workqueue_queue_work \
		workqueue/workqueue_execute_start \
		workqueue/workqueue_execute_end \
		sched/sched_wakeup net/net_dev_xmit paxos/paxos_proposal_submit \
		paxos/paxos_slot_chosen paxos/paxos_proposal_complete; do
		echo 1 2>/dev/null > "$T/events/$e/enable" ||
			echo "  timeline: no event $e"
	done
	# And 16 writers at the leader and at node 1 of a basic group: each
	# write split where its proposer says (queued, the round, completing,
	# returning), the two modes side by side.
	GROUP_PORT=7003 group_up 2 mode basic
	n 1 "$LG" -g 2 -n 20 >/dev/null
	for p in "leader $leader 1 1" "follower $follower 1 1" \
		"leader-16 $leader 1 16" "basic-16 1 2 16"; do
		set -- $p
		echo > $T/trace
		echo 1 > $T/tracing_on
		n "$2" "$LG" -g "$3" -w "$4" -s 64 -d 1 -j -l timeline \
			> "$OUT/timeline-$1.json" || true
		echo 0 > $T/tracing_on
		cp $T/trace "$OUT/timeline-$1.trace"
		echo "  timeline $1: $(head -c 200 "$OUT/timeline-$1.json")"
	done
	echo > $T/trace
	group_down 2
	group_down 1
fi
if phase fgraph; then
	# Where the CPU goes, by function: the function-graph tracer times
	# every call of a few functions (each one's time includes what it
	# calls), while a lone writer at the leader, one at a follower, 16
	# and 64 at the leader and 16 and 64 in a basic group run for a
	# second each.
	# tests/bench/fgraph.py sums them up per value.  Last for the reason
	# the timeline gives: the tracer is never switched off again.
	traced_group_up
	T=/sys/kernel/tracing
	echo 0 > $T/tracing_on
	echo 32768 > $T/buffer_size_kb
	: > $T/set_ftrace_filter
	# The write, the pass, the core's entries, sealing and opening, the
	# socket's send (on veth it carries the datagram through the router
	# to the receiver's softirq), the receive hook, and wakeups.
	for f in paxos_dev_write paxos_group_pass paxos_core_receive \
		paxos_core_propose paxos_core_tick paxos_core_ready \
		xchacha20poly1305_encrypt xchacha20poly1305_decrypt \
		udp_sendmsg paxos_udp_encap_rcv try_to_wake_up; do
		echo "$f" >> $T/set_ftrace_filter 2>/dev/null ||
			echo "  fgraph: cannot trace $f"
	done
	echo function_graph > $T/current_tracer
	echo 1 > $T/options/funcgraph-tail
	echo 1 > $T/options/funcgraph-proc
	# And 16 and 64 writers at node 1 of a basic group (the basic
	# phase's loads): the two modes' work per value side by side.
	GROUP_PORT=7003 group_up 2 mode basic
	n 1 "$LG" -g 2 -n 20 >/dev/null
	for p in "leader 1 $leader 1" "follower 1 $follower 1" \
		"leader 16 $leader 1" "basic 16 1 2" \
		"leader 64 $leader 1" "basic 64 1 2"; do
		set -- $p
		echo > $T/trace
		c0=$(cpu_jiffies)
		echo 1 > $T/tracing_on
		n "$3" "$LG" -g "$4" -w "$2" -s 64 -d 1 -j -l fgraph \
			> "$OUT/fgraph-$1-$2.json" || true
		echo 0 > $T/tracing_on
		c1=$(cpu_jiffies)
		cp $T/trace "$OUT/fgraph-$1-$2.trace"
		lost=$(cat $T/per_cpu/cpu*/stats | awk '/^overrun:/ { s += $2 } END { print s + 0 }')
		echo "$c0 $c1 $lost" | awk '{ printf "{\"vm_cpu_busy\": %.3f, \"cpus\": %d, \"overrun\": %d}\n", ($3 - $1) / ($4 - $2 + ($4 == $2)), '"$(nproc)"', $5 }' \
			> "$OUT/fgraph-$1-$2.cpu.json"
		echo "  fgraph $1 $2: $(head -c 200 "$OUT/fgraph-$1-$2.json") $(cat "$OUT/fgraph-$1-$2.cpu.json")"
	done
	group_down 2
	group_down 1
fi
echo "bench done"

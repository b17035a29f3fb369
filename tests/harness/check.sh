#!/bin/bash
# `make check`: build everything, run every check, and end with one line
# "N passed, N failed[, N skipped]" counting KUnit cases, VM test scripts
# (once per kernel they run on) and the build/lint checks.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cd "$top"
results=$top/build/check
rm -rf "$results"
mkdir -p "$results"
log=$results/results.txt
: > "$log"
t0=$SECONDS

record() { echo "$1 $2" | tee -a "$log"; }
timed() { echo "== $1: $(( SECONDS - $2 ))s" | tee -a "$results/timings.txt"; }

# 1. The test kernel (cached after the first build).  When the cache does
# not hold it (a fresh machine), it builds in the background at nice 19
# while everything that does not need it runs: the stock kernels'
# batches (5) and the multi-VM test (6) first, the debug kernel's batch
# last.  Under TCG the VMs leave about a third of the two CPUs idle, and
# the build takes that instead of 20 minutes of its own.
t=$SECONDS
kpid=
if "$here/kernel.sh" cached; then
	timed "test kernel (cache $("$here/kernel.sh" key))" $t
elif ! "$here/kernel.sh" source; then
	record FAIL build:test-kernel
	echo "0 passed, 1 failed"
	exit 1
else
	nice -n 19 "$here/kernel.sh" build > "$results/test-kernel.log" 2>&1 &
	kpid=$!
	echo "check: building the test kernel $("$here/kernel.sh" key) in the background"
fi
# Wait for the background build, if any; fail (and say why) if it failed.
kernel_join()
{
	local t=$SECONDS rc=0
	[ -n "$kpid" ] || return 0
	wait "$kpid" || rc=$?
	kpid=
	cat "$results/test-kernel.log"
	timed "waiting for the test kernel (cache $("$here/kernel.sh" key))" $t
	if [ "$rc" -ne 0 ]; then
		record FAIL build:test-kernel
		return 1
	fi
}

# 2. Builds, which must be warning-free (W=1, sparse on the test kernel).
build_clean()
{
	local name=$1; shift
	if make "$@" > "$results/$name.log" 2>&1 &&
	   ! grep -E 'warning:|error:' "$results/$name.log"; then
		record PASS "build:$name"
	else
		tail -30 "$results/$name.log"
		record FAIL "build:$name"
	fi
}
t=$SECONDS
# From scratch, so that every file is compiled and every warning seen.
rm -rf build/kernel-* build/linux-headers-*
# The test kernel's (sparse, C=1) once it is there: with the test batch.
[ -n "$kpid" ] || build_clean test-kernel-modules modules C=1
build_clean stock-kernel-modules stock
build_clean stock61-kernel-modules stock61
if [ -f userspace-tool/Makefile ]; then
	make -s -C userspace-tool clean >/dev/null 2>&1
	build_clean tool tool
	rm -rf build/bench/bin
	build_clean bench-tools bench-tools
	if make -C userspace-tool check > "$results/tool-check.log" 2>&1; then
		record PASS tool:host-tests
	else
		tail -30 "$results/tool-check.log"
		record FAIL tool:host-tests
	fi
fi
timed builds $t

# 3. The host's checks (lint, the core's unit suites and simulation on the
# host, the history and spec-coverage checkers, the packages) run in the
# background at nice 19 while the debug kernel's batch (5) runs in the VM;
# their lines are added here once both are done.
# With the test kernel building, the packages (which the stock batches
# need) come first, in the foreground, and the rest of the host checks
# starts with the test batch, once the kernel's build has had the CPU
# the stock batches leave.
hostmode= hostpid=
host_start()
{
	nice -n 19 "$here/host-checks.sh" "$results" $hostmode \
		> "$results/host-checks.log" 2>&1 &
	hostpid=$!
}
if [ -n "$kpid" ]; then
	"$here/host-checks.sh" "$results" --only-packages
	cat "$results/pkg-results.txt" >> "$log"
	cat "$results/pkg-timings.txt" >> "$results/timings.txt"
	hostmode=--no-packages
else
	host_start
fi
host_join()
{
	[ -n "$hostpid" ] || return 0
	local t=$SECONDS
	wait "$hostpid"
	hostpid=
	timed "waiting for the host checks" $t
	cat "$results/host-checks.log"
	cat "$results/host-results.txt" >> "$log"
	cat "$results/host-timings.txt" >> "$results/timings.txt"
}

# 4. KUnit, in the test kernel with kmemleak on: every suite, and the
# cluster simulation over a few seeds.  The host runs 100,000 seeds of the
# same simulation (3, host-checks.sh); in the VM the seeds are for KASAN, lockdep and
# kmemleak on the same code, and kmemleak's bookkeeping makes each seed
# four times slower: 20 seeds (every configuration at least once) take
# about 2 minutes; KUNIT_SIM_SEEDS asks for more.  kunit-vm.sh runs first
# in the debug kernel's batch (5), which saves a boot and a kmemleak scan;
# its KTAP is parsed after the batch, one line per case.
export PAXOS_KUNIT_ARGS="sim_seeds=${KUNIT_SIM_SEEDS:-20}"
kunit_parse()
{
	local d
	for d in "$results/batch-test/kunit-vm" "$results/kunit-vm-test"; do
		[ -s "$d/kunit.log" ] && break
	done
	"$here/kunit.sh" --parse "$d" --name kunit | tee -a "$log"
	[ "${PIPESTATUS[0]}" -eq 0 ] || grep -q "^FAIL kunit:" "$log" ||
		record FAIL "kunit:(run failed)"
}

# 5. Every script under tests/, in the VM, on each kernel it names, the
# most essential first.  CI stops the job at 90 minutes; past CHECK_BUDGET
# seconds (default 82 minutes) a test that has not started is recorded as
# SKIP with the time spent, in the summary, never silently.
budget=${CHECK_BUDGET:-4920}
within_budget()
{
	[ $(( SECONDS - t0 )) -lt "$budget" ] && return 0
	record SKIP "$1 (time budget: $(( SECONDS - t0 ))s of $budget s spent)"
	return 1
}
# Each script once: the names in $first (a number or a full stem) in that
# order, then the rest in file order.
first="01 10 45 50 60-forger 20 25 55 57 60-propose-async 62 65 70 15"
scripts=
for script in $(for p in $first; do
		ls tests/"$p".sh tests/"$p"-*.sh 2>/dev/null; done) tests/*.sh; do
	case " $scripts " in *" $script "*) ;; *) scripts="$scripts $script" ;; esac
done
kernels_of() { sed -n 's/^# kernels: *//p' "$1" | head -1; }
complaints=$(cat "$here/complaints.re")

# Why a VM test failed, in one line for the summary (CI shows its tail):
# vm.sh's verdict, the script's own FAIL line and the kernel's first
# complaint, each cut short.
fail_reason()
{
	{
		grep -m1 -E '^vm\.sh: .* (FAILED|exited)' "$1"
		grep -m1 '^FAIL: ' "$2"
		grep -m1 -aE "$complaints" "$1"
	} 2>/dev/null | cut -c1-160 | paste -sd ';' | sed 's/;/; /g'
}

run_one()
{
	local script=$1 k=$2 name t=$SECONDS
	name=$(basename "$script" .sh)
	within_budget "test:$name@$k" || return 0
	if "$here/vm.sh" --kernel "$k" --timeout "${TEST_TIMEOUT:-900}" \
		--out "$results/$name-$k" "$script" > "$results/$name-$k.log" 2>&1
	then
		cat "$results/$name-$k.log"
		record PASS "test:$name@$k"
	else
		cat "$results/$name-$k.log"
		record FAIL "test:$name@$k ($(fail_reason "$results/$name-$k.log" \
			"$results/$name-$k/output.log"))"
	fi
	timed "$name@$k" $t
}

# A kernel's scripts run in one boot (vm-batch.sh): the debug kernel's boot
# and kmemleak scans cost about 55 s under TCG, a stock kernel's boot about
# 10 s, paid once instead of once per script.  Each script is judged by its exit status and by the kernel
# complaints in its own part of the console; kmemleak, scanned once at the
# end, is a verdict of its own.  A script the batch did not reach (a panic,
# a timeout, a VM it could not clean) runs again in a VM of its own.
run_batch()
{
	local k=$1; shift
	local dir=$results/batch-$k t=$SECONDS s name seg rc rerun=
	within_budget "test:batch@$k" || return 0
	"$here/vm.sh" --kernel "$k" --out "$dir" \
		--timeout $(( $# * ${TEST_TIMEOUT:-900} + 120 )) \
		"$here/vm-batch.sh" "${TEST_TIMEOUT:-900}" "$@" > "$dir.log" 2>&1
	for s in "$@"; do
		name=$(basename "$s" .sh)
		# This script's part of the console: from its start line to the
		# next batch line.
		seg=$(awk -v n="$name" '
			/vm-batch: / { on = index($0, "vm-batch: " n " starts") > 0 }
			on' "$dir/console.log" 2>/dev/null)
		if [ -s "$dir/$name/rc" ]; then
			rc=$(cat "$dir/$name/rc")
		elif [ -n "$seg" ]; then
			rc="stopped (the VM ended or timed out during it)"
		else
			rerun="$rerun $s"
			continue
		fi
		if grep -aEq "$complaints" <<< "$seg"; then
			echo "$name@$k: the kernel complained:"
			grep -aE "$complaints" <<< "$seg" | head -20
			rc="${rc/#0/1}"
		fi
		if [ "$rc" = 0 ]; then
			record PASS "test:$name@$k"
		else
			echo "$name@$k: exit $rc; console and output (tail):"
			tail -n 30 <<< "$seg"
			tail -n 40 "$dir/$name/output.log" 2>/dev/null
			record FAIL "test:$name@$k (exit $rc$({
				grep -m1 '^FAIL: ' "$dir/$name/output.log"
				grep -m1 -aE "$complaints" <<< "$seg"
				} 2>/dev/null | cut -c1-160 | sed 's/^/; /' |
				tr -d '\n'))"
		fi
		echo "== $name@$k: $(sed -n "s/.*vm-batch: $name exited .* in \([0-9]*\)s.*/\1/p" \
			"$dir/console.log" | head -1)s (in the batch)" >> "$results/timings.txt"
	done
	# Complaints outside every script's part (boot, the resets, the end).
	seg=$(awk '/vm-batch: .* starts/ { on = 1 } /vm-batch: .* exited/ { on = 0 }
		!on' "$dir/console.log" 2>/dev/null)
	# The batch's own verdict: boot, the resets between scripts, kmemleak.
	rc=$(cat "$dir/rc" 2>/dev/null)
	if [ -s "$dir/kmemleak.txt" ] || grep -aEq "$complaints" <<< "$seg" ||
	   [ "$rc" = 3 ]; then
		grep -aE "$complaints|vm-batch: cannot" <<< "$seg" | head -20
		head -40 "$dir/kmemleak.txt" 2>/dev/null
		record FAIL "test:batch@$k"
	elif [ "$rc" = 0 ]; then
		record PASS "test:batch@$k"
	else
		tail -n 20 "$dir.log"
		record FAIL "test:batch@$k"
	fi
	timed "batch@$k" $t
	for s in $rerun; do
		echo "$(basename "$s" .sh)@$k: not reached in the batch, run alone"
		run_one "$s" "$k"
	done
}

# One batch per kernel, each script on the kernels its header names (none
# named: the test kernel).  A script that leaves the VM changed beyond
# what the batch's reset undoes ("# batch: last", e.g. 15-dkms's module
# tree overlay) runs last in its batch.
kernel_batch()
{
	local k=$1 batch= last= script
	for script in $scripts; do
		case " $(kernels_of "$script") " in
		*" $k "*) ;;
		"  ") [ "$k" = test ] || continue ;;
		*) continue ;;
		esac
		if grep -q '^# batch: last' "$script"; then
			last="$last $script"
		else
			batch="$batch $script"
		fi
	done
	[ "$k" = test ] && batch="$here/kunit-vm.sh $batch"
	# shellcheck disable=SC2086
	[ -n "$batch$last" ] && run_batch "$k" $batch $last
	[ "$k" != test ] || kunit_parse
}

# The test kernel's batch, after the background build if there is one.
test_batch()
{
	local t rc
	if [ -n "$kpid" ]; then
		kernel_join
		rc=$?
		host_start
		if [ "$rc" != 0 ]; then
			record FAIL "test:batch@test (no test kernel)"
			return 0
		fi
		t=$SECONDS
		build_clean test-kernel-modules modules C=1
		timed "test kernel's module build" $t
	fi
	kernel_batch test
}

# 6. The multi-VM crash test (issue 11): three stock-kernel VMs joined by
# QEMU dgram links on 127.0.0.1, one killed with SIGKILL and replaced; it
# takes the VM lock itself, once, for all three.
multivm()
{
	local t=$SECONDS
	if ! within_budget test:multivm@stock; then
		:
	elif "$here/multivm.sh" --out "$results/multivm" > "$results/multivm.log" 2>&1; then
		record PASS test:multivm@stock
		grep -E '^multivm: (writes|phase|PASS|FAIL)' "$results/multivm.log"
	else
		tail -40 "$results/multivm.log"
		record FAIL "test:multivm@stock ($(sed -n 's/^multivm: FAIL: //p' \
			"$results/multivm.log" | cut -c1-160 | paste -sd ';' | sed 's/;/; /g'))"
		grep -E '^multivm: (writes|phase|PASS|FAIL)' "$results/multivm.log"
	fi
	timed multivm@stock $t
}

if [ -z "$kpid" ]; then
	# The stock batches need the host checks' DKMS builds (15-dkms),
	# which run beside the test batch.
	test_batch
	host_join
	kernel_batch stock
	kernel_batch stock61
	multivm
else
	kernel_batch stock
	kernel_batch stock61
	multivm
	test_batch
	host_join
fi

# 7. Spec coverage (issue 13): every attribute the netlink spec declares
# the kernel sends was received by some VM test, and every request
# attribute sent (tests/lib/spec_coverage.py over the spec-seen.txt that
# paxos_test.py writes in each test's output).  Meaningless unless every
# VM test ran to its end and passed.
seen=$(ls "$results"/*/spec-seen.txt "$results"/batch-*/*/spec-seen.txt \
	"$results"/multivm/*/spec-seen.txt 2>/dev/null)
if grep -qE '^(FAIL|SKIP) test:' "$log"; then
	record SKIP "spec:coverage (a VM test failed or was skipped)"
elif [ -z "$seen" ]; then
	record FAIL "spec:coverage (no test wrote a spec-seen.txt)"
elif python3 tests/lib/spec_coverage.py $seen > "$results/spec-coverage.log" 2>&1; then
	cat "$results/spec-coverage.log"
	record PASS spec:coverage
else
	cat "$results/spec-coverage.log"
	record FAIL spec:coverage
fi

pass=$(grep -c '^PASS' "$log")
failed=$(grep -c '^FAIL' "$log")
skip=$(grep -c '^SKIP' "$log")
echo "== total: $(( SECONDS - t0 ))s"
if [ "$failed" -gt 0 ]; then
	echo "failed:"
	grep '^FAIL' "$log" | sed 's/^/  /'
fi
if [ "$skip" -gt 0 ]; then
	echo "skipped:"
	grep '^SKIP' "$log" | sed 's/^/  /'
	echo "$pass passed, $failed failed, $skip skipped"
else
	echo "$pass passed, $failed failed"
fi
[ "$failed" -eq 0 ]

#!/bin/bash
# make check's host-side checks (check.sh runs this in the background, at
# the lowest CPU priority, while the debug kernel's batch runs in the VM:
# under TCG the VM leaves a third of the two CPUs idle).  Records its
# "PASS|FAIL name" lines in RESULTS/host-results.txt and its timings in
# RESULTS/host-timings.txt, which check.sh adds to its own after waiting.
#
#   host-checks.sh RESULTS [--no-packages | --only-packages]
#
# The packages (3d) are what the stock kernels' batches need first
# (15-dkms): when the test kernel is being built, check.sh runs them
# alone first (--only-packages, recorded in RESULTS/pkg-results.txt and
# pkg-timings.txt) and the rest beside the build (--no-packages).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cd "$top"
results=$1
mode=${2:-}
log=$results/host-results.txt
timings=$results/host-timings.txt
if [ "$mode" = --only-packages ]; then
	log=$results/pkg-results.txt
	timings=$results/pkg-timings.txt
fi
: > "$log"
: > "$timings"

record() { echo "$1 $2" | tee -a "$log"; }
# check NAME CMD...: record NAME as passed if CMD succeeds; its output goes
# to RESULTS/NAME.log, whose tail is shown when it fails.
check()
{
	local name=$1
	shift
	if "$@" > "$results/$name.log" 2>&1; then
		record PASS "host:$name"
	else
		tail -30 "$results/$name.log"
		record FAIL "host:$name"
	fi
}
timed() { echo "== $1: $(( SECONDS - $2 ))s" | tee -a "$timings"; }

# 3d. Packages: `make deb` lintian-clean, installed into a fresh root
# (paxosctl runs there), and DKMS builds of the packaged sources for both
# stock kernels, which tests/15-dkms-autoload.sh installs in the VM.
packages()
{
	local t=$SECONDS step
	for step in deb dkms; do
		if "$here/pkg.sh" "$step" > "$results/pkg-$step.log" 2>&1; then
			record PASS "pkg:$step"
		else
			tail -30 "$results/pkg-$step.log"
			record FAIL "pkg:$step"
		fi
	done
	timed packages $t
}
if [ "$mode" = --only-packages ]; then
	packages
	exit 0
fi

# 3. Lint: checkpatch over the project's own C, and generated code drift.
t=$SECONDS
ksrc=$(ls -d "${PAXOS_CACHE:-/var/cache/paxos}"/src-*/linux-source-6.12 | tail -1)
files=$(git ls-files '*.c' '*.h' | grep -v -e '_gen\.' -e '^uapi/linux/' -e '/host/' -e '^kmod/compat\.h$' -e '^kmod/paxos_trace\.h$')
if [ -z "$files" ] || "$ksrc/scripts/checkpatch.pl" --no-tree --quiet --strict \
	--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG,MACRO_ARG_REUSE -f $files > "$results/checkpatch.log" 2>&1; then
	record PASS lint:checkpatch
else
	cat "$results/checkpatch.log"
	record FAIL lint:checkpatch
fi
# The tracepoint header is laid out as include/trace/events/ headers are
# (TP_PROTO under the macro, TP_STRUCT__entry( ending its line).
if "$ksrc/scripts/checkpatch.pl" --no-tree --quiet --strict \
	--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG,MACRO_ARG_REUSE,OPEN_ENDED_LINE,PARENTHESIS_ALIGNMENT \
	-f kmod/paxos_trace.h > "$results/checkpatch-trace.log" 2>&1; then
	record PASS lint:checkpatch-trace
else
	cat "$results/checkpatch-trace.log"
	record FAIL lint:checkpatch-trace
fi
# The compat header is where version checks belong (LINUX_VERSION_CODE,
# with the version on the right) and repeats the kernel's own macros
# verbatim (nlmsg_for_each_attr_type is not parenthesised upstream either).
if [ ! -f kmod/compat.h ] || "$ksrc/scripts/checkpatch.pl" --no-tree --quiet --strict \
	--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG,MACRO_ARG_REUSE,LINUX_VERSION_CODE,CONSTANT_COMPARISON,COMPLEX_MACRO \
	-f kmod/compat.h > "$results/checkpatch-compat.log" 2>&1; then
	record PASS lint:checkpatch-compat
else
	cat "$results/checkpatch-compat.log"
	record FAIL lint:checkpatch-compat
fi
if [ -x netlink/gen.sh ]; then
	if netlink/gen.sh --check > "$results/gen.log" 2>&1; then
		record PASS lint:netlink-generated-up-to-date
	else
		cat "$results/gen.log"
		record FAIL lint:netlink-generated-up-to-date
	fi
fi
# Documentation/*.rst well-formed: docutils (Debian's python3-docutils, for
# /usr/bin/python3) with warnings as errors; Documentation/check.py makes
# the Sphinx directives no-ops and runs the kernel's scripts/kernel-doc
# -Wall on each kernel-doc directive's file.  Under a second.
if /usr/bin/python3 Documentation/check.py > "$results/docs-rst.log" 2>&1; then
	record PASS docs:rst
else
	cat "$results/docs-rst.log"
	record FAIL docs:rst
fi
timed lint $t

# 3b. The core on the host: the unit suites once under ASan+UBSan, then the
# cluster simulation over 100,000 seeds on both CPUs (every fault class; the
# summary line says which faults the seeds injected).
t=$SECONDS
host_seeds=${HOST_SIM_SEEDS:-100000}
if make -C kunit/host sim sim-fast > "$results/host-build.log" 2>&1 &&
   ! grep -E 'warning:|error:' "$results/host-build.log"; then
	record PASS host:build
	if kunit/host/sim -u > "$results/host-unit.log" 2>&1; then
		record PASS host:unit-asan
	else
		tail -30 "$results/host-unit.log"
		record FAIL host:unit-asan
	fi
	kunit/host/sim-fast -U -j 2 -n "$host_seeds" > "$results/host-sim.log" 2>&1
	rc=$?
	grep '^FAIL' "$results/host-sim.log" | head -20
	summary=$(grep '^sim: .* seeds' "$results/host-sim.log" | tail -1)
	echo "${summary:-sim: no summary (exit $rc)}" | tee -a "$log" "$timings"
	if [ "$rc" -eq 0 ] && [ -n "$summary" ]; then
		record PASS "host:sim-$host_seeds-seeds"
	else
		record FAIL "host:sim-$host_seeds-seeds"
	fi
else
	tail -30 "$results/host-build.log"
	record FAIL host:build
fi
timed "host simulation" $t

# 3c. The fault tests' history checker (tests/lib/history.py), on the host:
# a clean history passes and every planted fault fails its verdict.
check history-checker python3 tests/lib/test_history.py
# The spec coverage checker and recorder (tests/lib/spec_coverage.py,
# paxos_test.py; issue 13), on the host: a few seconds.
check spec-coverage-checker python3 tests/lib/test_spec_coverage.py

# The benchmark's function-graph profile reader (tests/bench/fgraph.py,
# `make bench`), on the host: under a second.
check bench-fgraph python3 tests/bench/test_fgraph.py
# ... the timeline's split of a loaded write (tests/bench/timeline.py).
check bench-timeline python3 tests/bench/test_timeline.py
# ... and the report (tests/bench/report.py) on a real run's output, cut
# down (tests/bench/testdata): a few seconds.
check bench-report python3 tests/bench/test_report.py

# pyfork, the warm python3 of the VM batches (tests/harness/pyfork.c), on
# the host against the real interpreter: a few seconds.
check pyfork tests/lib/test_pyfork.sh

[ "$mode" = --no-packages ] || packages

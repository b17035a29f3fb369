#!/bin/bash
# `make bench` (issue 12): one VM boot on Debian's stock kernel runs
# tests/bench/bench-vm.sh (three voters; UDP round trip, closed-loop writers,
# value sizes, both modes, a profile, failover, memory), then
# tests/bench/report.py writes build/bench/results.md, results.json and the
# plots.  Not part of `make check`.  Arguments BENCH_*=VALUE go to
# bench-vm.sh (see its header), e.g. BENCH_DUR=2 BENCH_ONLY="udp sweep".
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=$top/build/bench

# The plots need Debian's matplotlib (the system python, not another one
# that may come first in PATH).
if ! dpkg-query -W -f='${Status}\n' python3-matplotlib 2>/dev/null |
	grep -q 'install ok installed'; then
	apt-get update -q
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends python3-matplotlib
fi

rm -rf "$out/vm"
mkdir -p "$out"
# What else ran on the host while the VM did: TCG timings mean little when
# something competed for the 2 cores.  Every 10 s: CPU time (USER_HZ ticks)
# of the whole host and of QEMU; the report shows the difference in cores.
busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
qemu_ticks()
{
	local p t=0
	for p in $(pgrep -x qemu-system-x86 || true); do
		t=$(( t + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0) ))
	done
	echo $t
}
(b0=$(busy); q0=$(qemu_ticks); t0=$(date +%s)
while sleep 10; do
	b=$(busy); q=$(qemu_ticks); t=$(date +%s)
	echo "$t $(( t - t0 )) $(( b - b0 )) $(( q > q0 ? q - q0 : q ))"
	b0=$b; q0=$q; t0=$t
done) > "$out/hostload.txt" &
sampler=$!
trap 'kill $sampler 2>/dev/null || true' EXIT
start=$SECONDS
"$here/vm.sh" --kernel stock --timeout "${BENCH_TIMEOUT:-2700}" \
	--out "$out/vm" "$top/tests/bench/bench-vm.sh" "$@"
vm_seconds=$(( SECONDS - start ))
kill $sampler 2>/dev/null || true
echo "bench: VM run took $vm_seconds s"
commit=${BENCH_COMMIT:-$(git -C "$top" describe --always --dirty 2>/dev/null ||
	echo unknown)}
/usr/bin/python3 "$top/tests/bench/report.py" "$out/vm" "$out" \
	--vm-seconds "$vm_seconds" --commit "$commit" \
	--host-load "$out/hostload.txt"

#!/bin/bash
# The multi-VM crash test (issue 11): three QEMU VMs on Debian's stock
# kernel, one node each, writers running on every node; one VM's QEMU is
# killed with SIGKILL (a real crash: no shutdown, no goodbye), the other
# two go on committing, a fresh VM boots in its place and rejoins with
# cluster-state existing; then tests/lib/history.py judges the whole run.
#
#   multivm.sh [--out DIR] [--phase SECONDS] [--timeout SECONDS]
#
# The network stays on this host: every pair of VMs is joined by one QEMU
# "dgram" netdev pair over UDP on 127.0.0.1 (no multicast, no tap, no
# bridge), and the VMs have no other NIC:
#
#   vm1 ---- vm2        link i-j: vm i's end on 127.0.0.1:BASE+10i+j,
#     \      /          vm j's on 127.0.0.1:BASE+10j+i; a VM booted again
#      `-vm3-'          binds its ends again and the link is back.
#
# The VMs emulate QEMU's baseline qemu64 CPU without CMPXCHG16B: twice in
# 14 runs single-vCPU TCG (QEMU 7.2) corrupted a guest's RFLAGS in SLUB's
# fast path, right at its this_cpu_cmpxchg16b (a double fault with RFLAGS
# 0x82bbfa02, the low half of a pointer; a #DB with TF set in RFLAGS), in
# our send path once and in 9p's write path once.  Without CX16 the guest
# kernel's SLUB takes its locked path and never runs that instruction.
#
# Each VM boots like vm.sh's (the same initramfs and vm-init, the host's
# root over 9p) and runs tests/harness/multivm-node.sh, which streams
# what its clients see to its output directory (tests/lib/vmnode.py).
# The machine-wide VM lock of vm.sh is taken once for the whole run; this
# script must not call vm.sh (it would wait on that lock forever).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=$top/build/check/multivm
phase=15
timeout=900
while [ $# -gt 0 ]; do
	case $1 in
	--out) out=$2; shift 2 ;;
	--phase) phase=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	*) echo "usage: multivm.sh [--out DIR] [--phase S] [--timeout S]" >&2; exit 2 ;;
	esac
done

exec 9>"${PAXOS_VM_LOCK:-/tmp/paxos-vm.lock}"
flock 9

nodes=3
victim=3
rel=$(ls /boot/vmlinuz-6.12.*+deb12-amd64 2>/dev/null | sort -V | tail -1 |
	sed 's|/boot/vmlinuz-||')
[ -n "$rel" ] || { echo "multivm: no Debian 6.12 kernel in /boot" >&2; exit 2; }
kimage=/boot/vmlinuz-$rel
build=$top/build/linux-headers-$rel
[ -r "$build/kmod/paxos.ko" ] || { echo "multivm: no $build/kmod/paxos.ko (make stock)" >&2; exit 2; }
"$here/pycompile.sh"
rm -rf "$out"
mkdir -p "$out"
out=$(readlink -f "$out")
t0=$SECONDS
deadline=$((SECONDS + timeout))

# --- the initramfs of vm.sh: busybox, vm-init, the stock kernel's 9p ---
initrd=$(mktemp -d /tmp/paxos-initrd.XXXXXX)
pids=()
cleanup()
{
	local p
	for p in "${pids[@]}"; do
		kill -9 "$p" 2>/dev/null || true
	done
	rm -rf "$initrd" "$initrd.cpio"
}
trap cleanup EXIT
mkdir -p "$initrd"/{bin,proc,sys,dev,host,modules,sbin}
cp /bin/busybox "$initrd/bin/busybox"
i=0
for m in fs/netfs/netfs net/9p/9pnet net/9p/9pnet_virtio fs/9p/9p; do
	xz -dc "/lib/modules/$rel/kernel/$m.ko.xz" > "$initrd/modules/$i-$(basename "$m").ko"
	i=$((i + 1))
done
cp "$here/vm-init" "$initrd/init"
printf '#!/bin/busybox sh\nexec /bin/busybox chroot /host /sbin/modprobe "$@"\n' \
	> "$initrd/sbin/modprobe"
chmod +x "$initrd/init" "$initrd/sbin/modprobe"
(cd "$initrd" && find . | cpio -o -H newc --quiet) > "$initrd.cpio"

key=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
base=$((20000 + (RANDOM % 400) * 100))

# boot NODE GEN STATE: start VM NODE (generation GEN) in the background.
boot()
{
	local i=$1 gen=$2 state=$3 dir=$out/vm$1.$2 j nics=()
	mkdir -p "$dir"
	for j in $(seq 1 $nodes); do
		[ "$j" = "$i" ] && continue
		nics+=(-netdev "dgram,id=l$j,local.type=inet,local.host=127.0.0.1,local.port=$((base + 10 * i + j)),remote.type=inet,remote.host=127.0.0.1,remote.port=$((base + 10 * j + i))"
		       -device "virtio-net-pci,netdev=l$j,mac=52:54:00:12:0$i:0$j")
	done
	{
		printf 'export PAXOS_TOP=%q PAXOS_KERNEL=stock PAXOS_BUILD=%q\n' "$top" "$build"
		printf 'cd %q || exit 2\n' "$top"
		printf 'exec %q %s %s %s %s %s\n' "$here/multivm-node.sh" "$i" $nodes "$state" "$key" "$gen"
	} > "$dir/job.sh"
	qemu-system-x86_64 \
		-machine pc -cpu qemu64,-cx16 -smp 1 -m 512 \
		-nographic -no-reboot -nodefaults -monitor none \
		"${nics[@]}" \
		-kernel "$kimage" -initrd "$initrd.cpio" \
		-append "console=ttyS0 pci=noacpi panic=-1 oops=panic loglevel=7 paxos_vm.kmemleak=0 paxos_vm.top=$top" \
		-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
		-virtfs "local,path=$dir,mount_tag=vmout,security_model=none" \
		-virtfs "local,path=$top,mount_tag=checkout,security_model=none,readonly=on" \
		-device virtio-rng-pci \
		-serial "file:$dir/console.log" </dev/null >/dev/null 2>"$dir/qemu.err" &
	pids[$i]=$!
	echo "multivm: $(( SECONDS - t0 )) s: booting vm$i.$gen ($state), qemu pid ${pids[$i]}"
}

# wait_for FILE WHAT: until FILE exists (or the run's deadline).
wait_for()
{
	while [ ! -e "$1" ]; do
		[ $SECONDS -lt $deadline ] || { echo "multivm: timed out waiting for $2" >&2; return 1; }
		sleep 1
	done
}

phases=$out/phases.txt
: > "$phases"
mark() { echo "$1 $(date +%s.%N)" >> "$phases"; }
# why REASON: the run fails; the reasons are printed again at the end,
# where check.sh's tail of this output shows them.
fail=
reasons=()
why() { echo "multivm: $1" >&2; reasons+=("$1"); fail=1; }

for i in $(seq 1 $nodes); do
	boot "$i" 1 new
done
for i in $(seq 1 $nodes); do
	wait_for "$out/vm$i.1/ready" "vm$i.1 to start writing" ||
		why "vm$i.1 did not start writing"
done
echo "multivm: $(( SECONDS - t0 )) s: every node writes; schedule: all-up ${phase}s, vm$victim killed ${phase}s, vm$victim rebooted (existing) until it writes and ${phase}s more"

if [ -z "$fail" ]; then
	mark all-up
	sleep "$phase"
	kill -9 "${pids[$victim]}"
	wait "${pids[$victim]}" 2>/dev/null || true
	unset "pids[$victim]"
	echo "multivm: $(( SECONDS - t0 )) s: vm$victim.1 killed (SIGKILL to its QEMU)"
	mark crashed
	sleep "$phase"
	boot "$victim" 2 existing
	mark rebooting
	wait_for "$out/vm$victim.2/ready" "vm$victim.2 to start writing" ||
		why "vm$victim.2 did not start writing"
	mark rejoined
	sleep "$phase"
	mark end
fi

live="vm1.1 vm2.1 vm$victim.2"
for v in $live; do
	touch "$out/$v/stop"
done
# Converged: every live node's commit point equal and unchanged for a
# second, nothing queued.
echo "multivm: $(( SECONDS - t0 )) s: writers stopped; waiting for the nodes to converge"
prev=
settle=$(( SECONDS + 120 < deadline ? SECONDS + 120 : deadline ))
while [ $SECONDS -lt $settle ]; do
	# A VM whose QEMU is gone (a panic ends it: panic=-1, -no-reboot)
	# will never report: stop waiting and say so.
	gone=
	for i in $(seq 1 $nodes); do
		[ -n "${pids[$i]:-}" ] && ! kill -0 "${pids[$i]}" 2>/dev/null &&
			gone="$gone vm$i"
	done
	if [ -n "$gone" ]; then
		why "the QEMU of$gone ended before the end of the run"
		break
	fi
	cur=$(for v in $live; do cat "$out/$v/status.json" 2>/dev/null || echo none; echo; done)
	if [ "$cur" = "$prev" ] && python3 - "$out" $live <<'PY'
import json, sys
st = [json.load(open(f'{sys.argv[1]}/{v}/status.json')) for v in sys.argv[2:]]
sys.exit(not (len({s['commit-slot'] for s in st}) == 1 and
              all(not s['queued'] for s in st)))
PY
	then
		break
	fi
	prev=$cur
	sleep 1
done
[ $SECONDS -lt $settle ] || why "the nodes did not converge within 120 s of the writers' stop"
echo "multivm: $(( SECONDS - t0 )) s: status $(echo $cur)"
for v in $live; do
	touch "$out/$v/dump"
done
for i in $(seq 1 $nodes); do
	[ -n "${pids[$i]:-}" ] || continue
	while kill -0 "${pids[$i]}" 2>/dev/null; do
		if [ $SECONDS -ge $deadline ]; then
			why "vm$i did not power off within the run's ${timeout} s"
			kill -9 "${pids[$i]}"
		fi
		sleep 1
	done
	wait "${pids[$i]}" 2>/dev/null || true
done
pids=()

# Every console: a kernel complaint fails the run (vm.sh's list).
complaints=$(cat "$here/complaints.re")
for d in "$out"/vm*; do
	v=$(basename "$d")
	if grep -aEq "$complaints" "$d/console.log"; then
		echo "multivm: $v: the kernel complained:" >&2
		grep -aE "$complaints" "$d/console.log" | head -20 >&2
		why "$v: the kernel complained: $(grep -m1 -aE "$complaints" \
			"$d/console.log" | cut -c1-160)"
	fi
	if [ "$v" != "vm$victim.1" ] && [ "$(cat "$d/rc" 2>/dev/null)" != 0 ]; then
		echo "multivm: $v: output (tail) and console (tail):" >&2
		tail -20 "$d/output.log" >&2 2>/dev/null || true
		tail -30 "$d/console.log" >&2 2>/dev/null || true
		why "$v: job exited $(cat "$d/rc" 2>/dev/null || echo '(none: it never ended)')"
	fi
done

PYTHONPATH=$top/tests/lib python3 "$top/tests/lib/multivm_history.py" \
	"$out" "$phases" vm1.1 vm2.1 "vm$victim.1" "vm$victim.2" ||
	why "the history checker's verdict"
echo "multivm: $(( SECONDS - t0 )) s in all"
for r in "${reasons[@]}"; do
	echo "multivm: FAIL: $r"
done
[ -z "$fail" ] && echo "multivm: PASS"
[ -z "$fail" ]

#!/bin/bash
# Boot a kernel under QEMU (TCG), run one script inside it, and return the
# script's exit status.  The run fails, whatever the script returned, when the
# kernel complained on the console (BUG, WARNING, Oops, KASAN, UBSAN, lockdep,
# RCU, hung task, soft lockup, kmemleak...).
#
#   vm.sh [--kernel test|stock|stock61|PATH] [--timeout SECONDS] [--out DIR]
#         [--mem MB] [--no-kmemleak] SCRIPT [ARGS...]
#
# The host's root filesystem is shared read-only over virtio-9p and the
# script runs chrooted into it, so it can use the host's ip, tc, python3 and
# the project's build outputs by their host paths.  /tmp, /run and /var/tmp
# are fresh tmpfs mounts; the checkout is mounted again at its own path (so
# it is there even when it lives under /tmp); $PAXOS_VM_OUT (inside) is a
# writable directory that is the host's --out directory.  QEMU runs with -nic none: the VM has no way
# out of this machine.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${PAXOS_CACHE:-/var/cache/paxos}
kernel=test
timeout=600
out=
mem=1536
kmemleak=1
append=${PAXOS_VM_APPEND:-}

while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--no-kmemleak) kmemleak=0; shift ;;
	--) shift; break ;;
	-*) echo "vm.sh: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
[ $# -ge 1 ] || { echo "usage: vm.sh [options] SCRIPT [ARGS...]" >&2; exit 2; }

# One VM at a time on this machine: two TCG guests on 2 cores make each
# so slow that timeouts and the hung-task detector fire.
exec 9>"${PAXOS_VM_LOCK:-/tmp/paxos-vm.lock}"
flock 9
script=$(readlink -f "$1"); shift
[ -x "$script" ] || { echo "vm.sh: $script is not an executable script" >&2; exit 2; }

# The guest's Python byte code, compiled here (pycompile.sh says why).
"$(dirname "$0")/pycompile.sh"

stock_release()
{
	# The newest Debian 6.12 amd64 kernel installed by `make deps`.
	ls /boot/vmlinuz-6.12.*+deb12-amd64 2>/dev/null | sort -V | tail -1 |
		sed 's|/boot/vmlinuz-||'
}

stock61_release()
{
	# The newest Debian 12 default (6.1) amd64 kernel: linux-image-amd64.
	ls /boot/vmlinuz-6.1.0-*-amd64 2>/dev/null | sort -V | tail -1 |
		sed 's|/boot/vmlinuz-||'
}

top=$(cd "$here/../.." && pwd)
modules=()
case $kernel in
test)
	kdir=$("$here/kernel.sh" dir)
	kimage=$kdir/arch/x86/boot/bzImage
	build=$top/build/$(basename "$kdir") ;;
stock|stock61)
	rel=$(${kernel}_release)
	[ -n "$rel" ] || { echo "vm.sh: no Debian $kernel kernel in /boot" >&2; exit 2; }
	kimage=/boot/vmlinuz-$rel
	build=$top/build/linux-headers-$rel
	# 9p is modular in Debian's kernels (and virtio too in 6.1): the
	# initramfs loads them, in the order modprobe gives.
	mapfile -t modules < <(modprobe -S "$rel" --show-depends -a \
		virtio_pci 9pnet_virtio 9p | sed -n 's/^insmod \([^ ]*\).*/\1/p' |
		awk '!seen[$0]++') ;;
*)
	kimage=$kernel
	build= ;;
esac
[ -r "$kimage" ] || { echo "vm.sh: no kernel image $kimage" >&2; exit 2; }

if [ -z "$out" ]; then
	out=$(mktemp -d /tmp/paxos-vm.XXXXXX)
else
	mkdir -p "$out"
	out=$(readlink -f "$out")
fi
rm -f "$out/rc" "$out/console.log" "$out/output.log" "$out/kmemleak.txt"

# --- initramfs: busybox, an init, and (stock kernel) the 9p modules ---
initrd_dir=$(mktemp -d /tmp/paxos-initrd.XXXXXX)
trap 'rm -rf "$initrd_dir"' EXIT
mkdir -p "$initrd_dir"/{bin,proc,sys,dev,host,modules}
cp /bin/busybox "$initrd_dir/bin/busybox"
i=0
for m in "${modules[@]}"; do
	# Numbered so that init's glob keeps modprobe's order; Debian's 6.12
	# compresses its modules, 6.1 does not.
	case $m in
	*.xz) xz -dc "$m" ;;
	*) cat "$m" ;;
	esac > "$initrd_dir/modules/$(printf %02d "$i")-$(basename "$m" .xz)"
	i=$((i + 1))
done
cp "$here/vm-init" "$initrd_dir/init"
mkdir -p "$initrd_dir/sbin"
# The kernel's module autoloader runs in init's root (this initramfs), so
# its modprobe runs the host's, chrooted like the tests.
printf '#!/bin/busybox sh\nexec /bin/busybox chroot /host /sbin/modprobe "$@"\n' \
	> "$initrd_dir/sbin/modprobe"
chmod +x "$initrd_dir/init" "$initrd_dir/sbin/modprobe"
(cd "$initrd_dir" && find . | cpio -o -H newc --quiet) > "$initrd_dir.cpio"
trap 'rm -rf "$initrd_dir" "$initrd_dir.cpio"' EXIT

case $top in
*[[:space:]]*) echo "vm.sh: the checkout's path must not contain spaces" >&2; exit 2 ;;
esac

# The job: what init runs inside the chroot, with the script's arguments
# quoted exactly.
{
	printf 'export PAXOS_TOP=%q PAXOS_KERNEL=%q PAXOS_BUILD=%q\n' \
		"$top" "$kernel" "$build"
	[ -z "${PAXOS_XTRACE:-}" ] || echo 'export PAXOS_XTRACE=1'
	[ -z "${PAXOS_PYFORK:-}" ] ||
		printf 'export PAXOS_PYFORK=%q\n' "$PAXOS_PYFORK"
	[ -z "${PAXOS_KUNIT_ARGS:-}" ] ||
		printf 'export PAXOS_KUNIT_ARGS=%q\n' "$PAXOS_KUNIT_ARGS"
	printf 'cd %q || exit 2\n' "$PWD"
	printf 'exec'
	printf ' %q' "$script" "$@"
	printf '\n'
} > "$out/job.sh"

boot()
{
	timeout --foreground -k 10 "$timeout" qemu-system-x86_64 \
		-machine pc -cpu max -smp 2 -m "$mem" \
		-nographic -no-reboot -nic none -monitor none \
		-kernel "$kimage" -initrd "$initrd_dir.cpio" \
		-append "console=ttyS0 pci=noacpi panic=-1 oops=panic loglevel=7 paxos_vm.kmemleak=$kmemleak paxos_vm.top=$top $append" \
		-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
		-virtfs "local,path=$out,mount_tag=vmout,security_model=none" \
		-virtfs "local,path=$top,mount_tag=checkout,security_model=none,readonly=on" \
		-device virtio-rng-pci \
		-serial "file:$out/console.log" </dev/null >/dev/null 2>"$out/qemu.err"
}

start=$SECONDS
set +e
boot
qrc=$?
# A kernel that died before the job started (no paxos code loaded yet):
# TCG now and then runs a stale copy of code the kernel is patching at
# boot and takes its int3 ("Oops: int3" in sched_clock_cpu, say).  That is
# the emulator's, not the job's: boot once more, and say so.  The first
# console is kept as console.boot1.log.
if [ ! -s "$out/rc" ] && ! grep -aq 'vm-init: job starts' "$out/console.log" &&
   grep -aqE 'Kernel panic|Oops' "$out/console.log"; then
	mv "$out/console.log" "$out/console.boot1.log"
	echo "vm.sh: the $kernel kernel died while booting, before the job started ($(grep -aE -m1 'Oops|Kernel panic' "$out/console.boot1.log" | cut -c1-100)); booting once more" >&2
	boot
	qrc=$?
fi
set -e
elapsed=$((SECONDS - start))

fail=
if [ $qrc -eq 124 ] || [ $qrc -eq 137 ]; then
	fail="timed out after ${timeout}s"
elif [ ! -s "$out/rc" ]; then
	fail="the VM stopped before the script finished (qemu exit $qrc)"
fi

# Any of these on the console is a kernel complaint and fails the run
# (one ERE, shared with check.sh and multivm.sh).
complaints=$(cat "$here/complaints.re")
if grep -aEq "$complaints" "$out/console.log" 2>/dev/null; then
	fail="${fail:+$fail; }the kernel complained:
$(grep -aE "$complaints" "$out/console.log" | head -20)"
fi
if [ -s "$out/kmemleak.txt" ]; then
	fail="${fail:+$fail; }kmemleak found leaks:
$(head -40 "$out/kmemleak.txt")"
fi

rc=$(cat "$out/rc" 2>/dev/null || echo 255)
if [ -n "$fail" ]; then
	echo "vm.sh: $(basename "$script") on $kernel kernel FAILED: $fail" >&2
	echo "---- console (tail) ----" >&2
	tail -n 60 "$out/console.log" >&2 2>/dev/null || true
	echo "---- script output (tail) ----" >&2
	tail -n 40 "$out/output.log" >&2 2>/dev/null || true
	[ -s "$out/qemu.err" ] && { echo "---- qemu ----" >&2; cat "$out/qemu.err" >&2; }
	[ "$rc" = 0 ] && rc=1
	exit "$rc"
fi
if [ "$rc" != 0 ]; then
	echo "vm.sh: $(basename "$script") on $kernel kernel exited $rc" >&2
	echo "---- script output (tail) ----" >&2
	tail -n 40 "$out/output.log" >&2 2>/dev/null || true
fi
echo "vm.sh: $(basename "$script") on $kernel kernel: exit $rc in ${elapsed}s" >&2
exit "$rc"

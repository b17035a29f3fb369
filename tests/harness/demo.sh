#!/bin/bash
# `make demo`: build the module for Debian's stock kernel, boot that kernel
# under QEMU and run tests/harness/demo-vm.sh in it, showing its output as it
# goes.  Nothing leaves the machine: QEMU has no network card.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d /tmp/paxos-demo.XXXXXX)
trap 'rm -rf "$out"' EXIT

make -s -C "$here/../.." stock >/dev/null
echo "Booting Debian's kernel under QEMU (TCG: slow, about two minutes)..."
"$here/vm.sh" --kernel stock --timeout 900 --out "$out" "$here/demo-vm.sh" &
vm=$!
while [ ! -e "$out/output.log" ] && kill -0 $vm 2>/dev/null; do sleep 1; done
tail -n +1 -f --pid=$vm "$out/output.log" 2>/dev/null || true
wait $vm

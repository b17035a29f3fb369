#!/bin/bash
# Compile the byte code of the Python the test VMs run: tests/lib and the
# kernel's YNL.  The guest sees them read-only, so it cannot write the
# caches itself, and compiling costs it a tenth of a second per module in
# every process (a Python start already costs 1-5 s in a busy TCG guest).
# vm.sh and multivm.sh run this before they boot; /usr/bin/python3 is the
# interpreter the guest runs.  It also builds pyfork's client
# (tests/harness/pyfork.c: the warm python3 that vm-batch.sh puts first in
# the scripts' PATH) into build/pyfork/python3.
here=$(cd "$(dirname "$0")" && pwd)
bin=$here/../../build/pyfork/python3
if [ ! "$bin" -nt "$here/pyfork.c" ]; then
	mkdir -p "$(dirname "$bin")"
	cc -O2 -Wall -Wextra -o "$bin.tmp" "$here/pyfork.c" && mv "$bin.tmp" "$bin"
fi
for d in "$here/../lib" "${PAXOS_CACHE:-/var/cache/paxos}"/src-*/linux-source-6.12/tools/net/ynl; do
	[ -d "$d" ] && /usr/bin/python3 -m compileall -q "$d" >/dev/null 2>&1
done
exit 0

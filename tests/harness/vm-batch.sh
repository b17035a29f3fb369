#!/bin/bash
# Run several test scripts one after another in one VM boot (vm.sh runs
# this as its script), so that the debug kernel's boot and kmemleak scans
# (about 55 s under TCG) are paid once, not once per script:
#
#   vm.sh --kernel test --out DIR tests/harness/vm-batch.sh TIMEOUT SCRIPT...
#
# Each script gets its own $PAXOS_VM_OUT, DIR/NAME (output.log, rc and
# whatever the script writes), at most TIMEOUT seconds, and a line
# "vm-batch: NAME starts" / "vm-batch: NAME exited RC" on the console, by
# which check.sh gives each script the kernel complaints of its own part
# of the console.  Between two scripts the VM is put back as a fresh boot
# has it: no paxos module, no network namespace, no leftover process of
# the script.  PAXOS_XTRACE=1 (in vm.sh's environment) traces each script
# with timestamps into DIR/NAME/xtrace.  When that fails, the batch stops (status 3) and the
# scripts not run have no rc: check.sh runs them in VMs of their own.
set -u

timeout=$1
shift
out=$PAXOS_VM_OUT

kmsg() { echo "vm-batch: $*" > /dev/kmsg; }

# Back to the state of a fresh boot, or fail.
# Is the paxos module loaded?  (Builtins only: a fork costs 0.1 s or more
# on the debug kernel under TCG, and there are a hundred processes.)
paxos_loaded()
{
	local line
	while read -r line; do
		[ "${line%% *}" = paxos ] && return 0
	done < /proc/modules
	return 1
}

reset_vm()
{
	local keep=" " pid i key val cmd
	# This shell and its ancestors (init, chroot, env) stay; every other
	# process with a command line (kernel threads have none) goes.
	pid=$$
	while [ "$pid" -gt 1 ]; do
		keep="$keep$pid "
		while read -r key val; do
			[ "$key" = PPid: ] && break
		done < "/proc/$pid/status"
		pid=$val
	done
	for i in /proc/[0-9]*; do
		pid=${i#/proc/}
		[ "$pid" -gt 1 ] || continue
		case $keep in *" $pid "*) continue ;; esac
		cmd=
		read -r -d '' cmd < "$i/cmdline" 2>/dev/null
		[ -n "$cmd" ] && kill -9 "$pid" 2>/dev/null
	done
	for i in /run/netns/*; do
		[ -e "$i" ] && { ip -all netns delete 2>/dev/null; break; }
	done
	for i in 1 2 3 4 5 6 7 8 9 10; do
		paxos_loaded || break
		rmmod paxos 2>/dev/null && break
		sleep 1
	done
	if paxos_loaded; then
		kmsg "cannot unload paxos after $1"
		return 1
	fi
	return 0
}

# pyfork (tests/harness/pyfork.c): a warm python3 for each script, started
# as it starts and killed by the reset after it; PAXOS_PYFORK=0 turns it
# off.  The scripts find its client first in PATH as python3.
pybin=$PAXOS_TOP/build/pyfork
pyfork_start()
{
	[ "${PAXOS_PYFORK:-1}" = 1 ] && [ -x "$pybin/python3" ] || return 1
	/usr/bin/python3 "$PAXOS_TOP/tests/lib/pyfork.py" /run/pyfork.sock \
		> "$1/pyfork.log" 2>&1 &
}

reset_vm "boot" || exit 3
for script in "$@"; do
	name=$(basename "$script" .sh)
	dir=$out/$name
	mkdir -p "$dir"
	rm -f "$dir/rc" "$dir/output.log"
	kmsg "$name starts"
	start=$SECONDS
	path=$PATH
	pyfork_start "$dir" && path=$pybin:$PATH
	if [ -n "${PAXOS_XTRACE:-}" ]; then
		# Where a script spends its time: every command, its nested
		# scripts' too, with its start time, in DIR/NAME/xtrace (bash
		# takes no PS4 from the environment when run as root).
		printf '%s\n' "PS4='+ \$EPOCHREALTIME '" \
			"exec 7>>$dir/xtrace" BASH_XTRACEFD=7 'set -x' \
			> "$dir/xtrace.env"
		: > "$dir/xtrace"
		PATH=$path PAXOS_VM_OUT=$dir BASH_ENV=$dir/xtrace.env \
			timeout -k 10 "$timeout" "$script" > "$dir/output.log" 2>&1
	else
		PATH=$path PAXOS_VM_OUT=$dir timeout -k 10 "$timeout" "$script" \
			> "$dir/output.log" 2>&1
	fi
	rc=$?
	kmsg "$name exited $rc in $(( SECONDS - start ))s"
	echo "$rc" > "$dir/rc"
	reset_vm "$name" || exit 3
done
exit 0

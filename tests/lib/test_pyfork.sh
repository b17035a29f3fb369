#!/bin/bash
# pyfork (tests/harness/pyfork.c, tests/lib/pyfork.py) on the host: every
# way the VM tests call python3 gives through pyfork what the real
# interpreter gives (output, exit status, signals, files, environment,
# directory, network namespace), and pyfork did serve them.
set -u
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
srv=
trap '[ -n "$srv" ] && kill "$srv" 2>/dev/null; ip netns del pyfork-test 2>/dev/null; rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
ok() { echo "ok   $*"; }

cc -O2 -Wall -Wextra -Werror -o "$tmp/python3" "$here/../harness/pyfork.c" ||
	{ echo "FAIL pyfork.c does not build"; exit 1; }
export PYFORK_SOCK=$tmp/sock
/usr/bin/python3 "$here/pyfork.py" "$PYFORK_SOCK" > "$tmp/server.log" 2>&1 &
srv=$!
for _ in $(seq 100); do [ -S "$PYFORK_SOCK" ] && break; sleep 0.1; done
[ -S "$PYFORK_SOCK" ] || { cat "$tmp/server.log"; echo "FAIL no server"; exit 1; }

# same NAME ARGS...: python3 ARGS (stdin from $tmp/in) through pyfork and
# for real, stdout, stderr's last line and exit status compared.
same()
{
	local name=$1 how out rc
	shift
	for how in fork real; do
		if [ $how = fork ]; then
			"$tmp/python3" "$@" < "$tmp/in" > "$tmp/$how.out" 2> "$tmp/$how.err"
		else
			/usr/bin/python3 "$@" < "$tmp/in" > "$tmp/$how.out" 2> "$tmp/$how.err"
		fi
		echo "rc $?; $(tail -1 "$tmp/$how.err")" >> "$tmp/$how.out"
	done
	if cmp -s "$tmp/fork.out" "$tmp/real.out"; then
		ok "$name"
	else
		fail "$name"
		diff "$tmp/real.out" "$tmp/fork.out" | head -10
	fi
}

served() { grep -c . "$tmp/server.log"; }

echo 'line one' > "$tmp/in"
mkdir -p "$tmp/mod" "$tmp/dir"
echo 'X = 42' > "$tmp/mod/pyfork_test_mod.py"
cat > "$tmp/script.py" <<'EOF'
import os, sys
print(__name__, os.path.basename(__file__), sys.argv[1:])
print(sys.path[0] == os.path.dirname(os.path.abspath(__file__)))
print(os.getcwd(), oct(os.umask(0)), os.environ.get('PYFORK_T'))
import pyfork_test_mod
print(pyfork_test_mod.X, input())
sys.exit(int(sys.argv[1]))
EOF

before=$(served)
same "-c, arguments, exit status" -c 'import sys; print(sys.argv); sys.exit(3)' a b
same "an uncaught exception" -c 'raise ValueError("boom")'
same "sys.exit with a message" -c 'import sys; sys.exit("bye")'
same "a script from stdin" - x y < /dev/null
printf 'import sys\nprint("stdin script", sys.argv)\n' > "$tmp/in"
same "a script from stdin" - x y
echo 'line one' > "$tmp/in"
(cd "$tmp/dir" && umask 027 && export PYFORK_T=env PYTHONPATH=$tmp/mod &&
	same "a script: name, path, cwd, umask, env, PYTHONPATH, stdin" \
		"$tmp/script.py" 5 z)
same "-u, a thread outliving the main one" -u -c '
import threading, time
def late():
    time.sleep(0.3)
    print("thread")
threading.Thread(target=late).start()
print("main")'
same "output in order with the shell's" -c 'print("x" * 100000)'
{ echo a; "$tmp/python3" -c 'print("b")'; echo c; } > "$tmp/order"
[ "$(tr -d '\n' < "$tmp/order")" = abc ] && ok "writes where the shell's file is" ||
	fail "shell and pyfork output interleave: $(cat "$tmp/order")"
[ $(( $(served) - before )) = 9 ] && ok "pyfork served all 9" ||
	fail "pyfork served $(( $(served) - before )) of 9"

# Signals reach the script; a killed client takes its script along.
"$tmp/python3" -c 'import time; time.sleep(60)' &
pid=$!
sleep 1
kill -TERM $pid
wait $pid
rc=$?
[ $rc = 143 ] && ok "SIGTERM: status 143" || fail "SIGTERM: status $rc"
"$tmp/python3" -c 'import time; open("'"$tmp"'/started", "w").close(); time.sleep(60)  # pyfork-kill-me' 2>/dev/null &
pid=$!
for _ in $(seq 50); do [ -e "$tmp/started" ] && break; sleep 0.1; done
kill -INT $pid
wait $pid
rc=$?
[ $rc = 130 ] && ok "SIGINT: status 130" || fail "SIGINT: status $rc"
rm -f "$tmp/started"
"$tmp/python3" -c 'import time; open("'"$tmp"'/started", "w").close(); time.sleep(60)  # pyfork-kill-me' &
pid=$!
for _ in $(seq 50); do [ -e "$tmp/started" ] && break; sleep 0.1; done
kill -KILL $pid
wait $pid 2>/dev/null
for _ in $(seq 50); do pgrep -f pyfork-kill-me >/dev/null || break; sleep 0.1; done
pgrep -f pyfork-kill-me >/dev/null && fail "a killed client's script runs on" ||
	ok "a killed client's script is killed"
rc=0
timeout 1 "$tmp/python3" -c 'import time; time.sleep(60)' || rc=$?
[ $rc = 124 ] && ok "timeout(1): status 124" || fail "timeout(1): status $rc"

# The network namespace of the caller (ip netns exec).  Root (make check,
# CI) can always make one: only a user who cannot is spared the check, and
# told so.
if ip netns add pyfork-test 2>/dev/null; then
	want=$(ip netns exec pyfork-test readlink /proc/self/ns/net)
	got=$(ip netns exec pyfork-test "$tmp/python3" -c \
		'import os; print(os.readlink("/proc/self/ns/net"))')
	[ "$want" = "$got" ] && ok "the caller's network namespace" ||
		fail "network namespace: $got, want $want"
elif [ "$(id -u)" = 0 ]; then
	fail "ip netns add failed as root"
else
	echo "SKIP: network namespace (not root: ip netns add failed)"
fi

# What pyfork does not serve runs the real interpreter.
before=$(served)
v=$("$tmp/python3" -V 2>&1)
[ "$v" = "$(/usr/bin/python3 -V 2>&1)" ] && ok "python3 -V: $v" || fail "python3 -V: $v"
PYFORK_OFF=1 "$tmp/python3" -c 'pass'
PYFORK_SOCK=$tmp/none "$tmp/python3" -c 'pass' || fail "no server: status $?"
[ "$(served)" = "$before" ] && ok "the rest ran the real interpreter" ||
	fail "pyfork served what it should not"
sleep 0.2
grep -q Traceback "$tmp/server.log" && { fail "the server complained"; cat "$tmp/server.log"; }

echo "$failures failure(s)"
[ "$failures" = 0 ]

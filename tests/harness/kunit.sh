#!/bin/bash
# Run the KUnit suites in the test kernel and parse their KTAP with the
# kernel's own parser.  Prints one "PASS|FAIL|SKIP <name>:<suite>.<case>"
# line per case; exits non-zero when any case failed or crashed, when the
# parser found no tests, or when the VM run itself failed.
#
#   kunit.sh [--out DIR] [--name NAME] [--no-kmemleak] [MODULE PARAMS...]
#   kunit.sh --parse DIR [--name NAME]
#
# --parse only parses DIR/kunit.log, which kunit-vm.sh wrote in a VM run
# elsewhere (make check runs it first in the debug kernel's batch).
# --no-kmemleak boots with kmemleak=off: kmemleak records a stack trace for
# every allocation, which makes the simulation suite ~4x slower under TCG.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=$here/../../build/kunit
name=kunit
leakopt=
parse=
while [ $# -gt 0 ]; do
	case $1 in
	--out) out=$2; shift 2 ;;
	--name) name=$2; shift 2 ;;
	--no-kmemleak) leakopt=--no-kmemleak; shift ;;
	--parse) parse=1; out=$2; shift 2 ;;
	*) break ;;
	esac
done
mkdir -p "$out"
[ -n "$leakopt" ] && export PAXOS_VM_APPEND="${PAXOS_VM_APPEND:-} kmemleak=off"
ksrc=$(ls -d "${PAXOS_CACHE:-/var/cache/paxos}"/src-*/linux-source-6.12 | tail -1)

vmrc=0
if [ -z "$parse" ]; then
	"$here/vm.sh" --kernel test --timeout "${KUNIT_TIMEOUT:-2400}" --out "$out" $leakopt \
		"$here/kunit-vm.sh" "$@"
	vmrc=$?
fi

if [ ! -s "$out/kunit.log" ]; then
	echo "FAIL $name:(no output)"
	exit 1
fi
python3 "$ksrc/tools/testing/kunit/kunit.py" parse --json="$out/kunit.json" \
	"$out/kunit.log" > "$out/kunit-parse.txt" 2>&1
parserc=$?
sed -n '/Testing complete/,$p' "$out/kunit-parse.txt" >&2
python3 - "$out/kunit.json" "$name" <<'PY' || parserc=1
import json, sys
doc = json.load(open(sys.argv[1]))
n = 0
failed = 0
def walk(tc, prefix):
    global n, failed
    for c in tc.get("test_cases", []):
        name = c.get("name", "?")
        status = c.get("status", "FAIL")
        word = {"PASS": "PASS", "SKIP": "SKIP"}.get(status, "FAIL")
        print(f"{word} {sys.argv[2]}:{prefix}{name}")
        n += 1
        failed += word == "FAIL"
    for s in tc.get("sub_groups", []):
        walk(s, prefix + s.get("name", "?") + ".")
walk(doc, "")
if n == 0:
    print(f"FAIL {sys.argv[2]}:(no test cases parsed)")
    sys.exit(1)
sys.exit(1 if failed else 0)
PY
pyrc=$?
[ $vmrc -eq 0 ] && [ $parserc -eq 0 ] && [ $pyrc -eq 0 ]

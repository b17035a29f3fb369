#!/usr/bin/env python3
"""tests/bench/report.py (`make bench`'s report) on the recorded output of
a real bench run, cut down (tests/bench/testdata: raw.jsonl with only the
counters the report reads, the first lines of each trace, the failovers
around their stall): it must write results.md and results.json with every
one of issue 12's targets judged, a bound for each one not met, the
function-graph profile and the yardsticks.  Run by `make check` on the
host (host-checks.sh); the plots are left out (matplotlib is `make bench`'s
to install)."""
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def check(cond, what):
    if not cond:
        sys.exit(f'test_report: FAIL: {what}')


def main():
    with tempfile.TemporaryDirectory() as out:
        env = dict(os.environ, PAXOS_REPORT_NO_PLOTS='1')
        p = subprocess.run([sys.executable, os.path.join(HERE, 'report.py'),
                            os.path.join(HERE, 'testdata'), out,
                            '--commit', 'testdata'],
                           capture_output=True, text=True, env=env)
        check(p.returncode == 0, f'report.py exit {p.returncode}: '
              f'{p.stderr[-2000:]}')
        md = open(os.path.join(out, 'results.md')).read()
        res = json.load(open(os.path.join(out, 'results.json')))

    # The yardstick is the median of every measurement of the run.
    p50s = []
    for line in open(os.path.join(HERE, 'testdata', 'raw.jsonl')):
        r = json.loads(line)
        if r['kind'] in ('udp', 'udp-round') and r.get('result'):
            p50s.append(r['result']['rtt_us']['p50'])
    p50s.sort()
    check(len(p50s) > 1, f'the fixture has one yardstick: {p50s}')
    want = round((p50s[(len(p50s) - 1) // 2] + p50s[len(p50s) // 2]) / 2)
    check(res['rtt_p50_us'] == want,
          f"RTT {res['rtt_p50_us']}, not the median of {p50s}")
    check(f"**p50 {want} µs**" in md, 'results.md without the median RTT')

    targets = res['targets']
    names = ' | '.join(t['target'] for t in targets)
    for want in ("a follower's single write", "the leader's single write",
                 'p99 ≤ 3× p50', '64 writers commit ≥ 20×',
                 'more values/s than one thread', '256 writers',
                 "a follower's throughput", '`multi` ≥ 2× `basic`',
                 'failover', 'memory grows', 'slab flat'):
        check(want in names, f'target "{want}" missing: {names}')
    for t in targets:
        check(t['met'] in (True, False), f'not judged: {t}')
        if t['met'] is False:
            check(len(t.get('bound', '')) > 40,
                  f'no bound for a target not met: {t}')
    lone = next(t for t in targets
                if t['target'].startswith("the leader's single write"))
    check('UDP round trip to two servers' in lone['bound'] and
          'XChaCha20-Poly1305, ' in lone['bound'] and
          'strictly in series' in lone['bound'] and
          'the core taking two' in lone['bound'],
          f"the leader's bound without the yardstick and the profile: "
          f"{lone['bound']}")
    for want in ('## Headline', "## Issue 12's targets",
                 'The same request to two servers',
                 '## Profile: where the CPU goes, by function',
                 '### 64 writers at the leader', '`udp_sendmsg`',
                 '## Timeline: a lone writer at the leader',
                 '## Event counts: 64 writers at the leader', '## Failover',
                 '## Memory'):
        check(want in md, f'results.md without "{want}"')
    print(f'test_report: ok ({len(targets)} targets)')


if __name__ == '__main__':
    main()

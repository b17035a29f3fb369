#!/usr/bin/env python3
"""tests/bench/fgraph.py on a function-graph trace written the way the
kernel's tracer prints it (funcgraph-proc and funcgraph-tail on): every
duration format, nested calls, the lines that are not calls.  Run by
`make check` on the host (host-checks.sh)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fgraph  # noqa: E402

TRACE = """\
# tracer: function_graph
#
# CPU  TASK/PID         DURATION                  FUNCTION CALLS
# |     |    |           |   |                     |   |   |   |
 1)  kworker-1327  |               |  paxos_group_pass [paxos]() {
 1)  kworker-1327  |   9.900 us    |    xchacha20poly1305_encrypt [libchacha20poly1305]();
 1)  kworker-1327  | + 70.500 us   |    udp_sendmsg();
 1)  kworker-1327  | ! 103.807 us  |  } /* paxos_group_pass [paxos] */
 ------------------------------------------
 1)  kworker-1327  =>    <idle>-0
 ------------------------------------------

 0)    <idle>-0    |   2.064 us    |  try_to_wake_up();
 0)  bench-v-165   | # 1258.635 us |  paxos_dev_write [paxos]();
 0)  bench-v-165   | * 12345.67 us |  paxos_dev_write [paxos]();
 0)  bench-v-165   | $ 1234567 us  |  paxos_dev_write [paxos]();
 1)  kworker-1327  |               |  paxos_group_pass [paxos]() {
 1)  kworker-1327  |  11.100 us    |    xchacha20poly1305_encrypt [libchacha20poly1305]();
 1)  kworker-1327  | + 96.193 us   |  } /* paxos_group_pass [paxos] */
"""


def check(cond, what):
    if not cond:
        sys.exit(f'test_fgraph: FAIL: {what}')


def main():
    calls = fgraph.parse(TRACE.splitlines())
    check(sorted(calls) == ['paxos_dev_write', 'paxos_group_pass',
                            'try_to_wake_up', 'udp_sendmsg',
                            'xchacha20poly1305_encrypt'],
          f'functions found: {sorted(calls)}')
    check(calls['paxos_group_pass'] == [103.807, 96.193],
          f"a nested call's time from its closing line: "
          f"{calls['paxos_group_pass']}")
    check(calls['xchacha20poly1305_encrypt'] == [9.9, 11.1],
          f"leaf calls: {calls['xchacha20poly1305_encrypt']}")
    check(calls['paxos_dev_write'] == [1258.635, 12345.67, 1234567.0],
          f"every duration format: {calls['paxos_dev_write']}")
    check(calls['try_to_wake_up'] == [2.064], 'a call in the idle task')

    run = {'values': 2, 'seconds': 1.0, 'values_per_s': 2.0,
           'latency_us': {'p50': 1258}}
    cpu = {'vm_cpu_busy': 0.5, 'cpus': 2, 'overrun': 0}
    s = fgraph.summarize(calls, run, cpu)
    check(s['busy_us_per_value'] == 500000.0,
          f"busy µs per value: {s['busy_us_per_value']}")
    rows = {r['fn']: r for r in s['functions']}
    p = rows['paxos_group_pass']
    check(p['calls_per_value'] == 1.0 and p['us_per_value'] == 100.0 and
          p['p50_us'] == 100.0 and abs(p['share_of_busy'] - 0.0002) < 1e-9,
          f'pass row: {p}')
    check(rows['paxos_dev_write']['share_of_busy'] is None,
          "a write's wait counted as CPU")
    check(s['functions'][0]['fn'] == 'paxos_dev_write',
          'rows by time per value, largest first')
    # No values: nothing per value, no division by zero.
    s = fgraph.summarize(calls, {'values': 0, 'seconds': 1.0}, None)
    check(all(r['us_per_value'] is None for r in s['functions']) and
          s['busy_us_per_value'] is None, 'per value of no values')
    print('test_fgraph: ok')


if __name__ == '__main__':
    main()

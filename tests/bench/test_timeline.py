#!/usr/bin/env python3
"""tests/bench/timeline.py's loaded(): each write of many writers split
where its proposer's tracepoints say, on a trace written the way the
timeline phase's ftrace instance prints it.  Run by `make check` on the
host (host-checks.sh)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import timeline  # noqa: E402

# Writers at node 3.  Writer 11's value is taken by its own pass (submit
# from loadgen-11) and completed by a worker, which wakes it; writer 12's
# is taken by the worker and completed by writer 12 itself, running a
# pass that then completes writer 14's and wakes it.  Node 1 chooses slot
# 5 first (not the proposer: no round ends there), and writer 13's write
# holds no proposal (not placed).
TRACE = """\
# tracer: nop
         loadgen-11      [000] ...1.     1.000100: sys_write(fd: 3, buf: 1, count: 64)
         loadgen-14      [001] ...1.     1.000105: sys_write(fd: 3, buf: 1, count: 64)
         loadgen-12      [001] ...1.     1.000110: sys_write(fd: 3, buf: 1, count: 64)
         loadgen-11      [000] .....     1.000120: paxos_proposal_submit: group=1 node=3 req=1 len=64
     kworker/0:1-50      [001] .....     1.000125: paxos_proposal_submit: group=1 node=3 req=2 len=64
     kworker/0:1-50      [001] .....     1.000126: paxos_proposal_submit: group=1 node=3 req=3 len=64
     kworker/1:1-51      [000] .....     1.000130: paxos_slot_chosen: group=1 node=1 slot=5 value
     kworker/0:1-50      [001] .....     1.000400: paxos_slot_chosen: group=1 node=3 slot=5 value
     kworker/0:1-50      [001] .....     1.000410: paxos_slot_chosen: group=1 node=3 slot=6 value
     kworker/0:1-50      [001] .....     1.000415: paxos_slot_chosen: group=1 node=3 slot=7 value
     kworker/0:1-50      [001] .....     1.000420: paxos_proposal_complete: group=1 node=3 req=1 slot=5 error=0
     kworker/0:1-50      [001] dN.1.     1.000421: sched_wakeup: comm=loadgen pid=11 prio=120 target_cpu=000
         loadgen-12      [000] .....     1.000430: paxos_proposal_complete: group=1 node=3 req=2 slot=6 error=0
         loadgen-12      [000] .....     1.000432: paxos_proposal_complete: group=1 node=3 req=3 slot=7 error=0
         loadgen-12      [000] dN.1.     1.000433: sched_wakeup: comm=loadgen pid=14 prio=120 target_cpu=001
         loadgen-12      [000] ...1.     1.000440: sys_write -> 0x40
         loadgen-11      [000] ...1.     1.000450: sys_write -> 0x40
         loadgen-14      [001] ...1.     1.000460: sys_write -> 0x40
         loadgen-13      [001] ...1.     1.000500: sys_write(fd: 3, buf: 1, count: 64)
         loadgen-13      [001] ...1.     1.000600: sys_write -> 0x40
"""


def main():
    s = timeline.loaded(timeline.parse(TRACE.splitlines()))
    # Writer 11: queued 20, round 280, completing 20, returning 30 (350);
    # writer 12: 15, 285, 20, 10 (330); writer 14: 21, 289, 17, 28 (355).
    want = {'node': 3, 'writes': 3, 'queued_us': 20.0, 'round_us': 285.0,
            'completing_us': 20.0, 'returning_us': 28.0, 'write_us': 350.0}
    for k, v in want.items():
        if abs(s[k] - v) > 0.01:
            sys.exit(f'test_timeline: FAIL: {k} {s[k]}, not {v} ({s})')
    if timeline.loaded(timeline.parse(TRACE.splitlines()[:3])) is not None:
        sys.exit('test_timeline: FAIL: writes placed with no proposal')
    print('test_timeline: ok')


if __name__ == '__main__':
    main()

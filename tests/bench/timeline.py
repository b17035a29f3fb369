#!/usr/bin/env python3
"""Where a lone write's time goes, from an ftrace of bench-vm.sh's
"timeline" phase: one writer (tests/bench/loadgen) writing to /dev/paxos,
one write at a time, with the write syscall, the work items, every datagram
sent (net_dev_xmit), the paxos tracepoints and the writer's wakeup traced.

Each write (sys_enter_write .. sys_exit_write of the load generator) becomes
a sequence of hops: "run" (a paxos work item starts), "send vN" (node N
sends a datagram; rN is the router handing one to node N), "submit nN",
"chosen nN", "complete nN", "wake" (the writer is woken) and "return".
Writes whose sequence is the most common one are lined up hop by hop and
the median time of each hop since the previous one is printed: the
breakdown of one commit.

  timeline.py TRACE [--json]
"""
import argparse
import collections
import json
import re
import statistics
import sys

LINE = re.compile(r'^\s*(?P<comm>.+?)-(?P<pid>\d+)\s+\[(?P<cpu>\d+)\]\s+\S+\s+'
                  r'(?P<ts>\d+\.\d+):\s+(?P<ev>\w+):?\s*(?P<rest>.*)$')


def parse(lines):
    """Yield (ts_us, comm, pid, event, rest) for every trace line."""
    for line in lines:
        m = LINE.match(line)
        if not m:
            continue
        ev = m['ev']
        rest = m['rest']
        # Syscall events print as "sys_write(fd: ..." and "sys_write -> 0x..".
        if ev == 'sys_write':
            ev = 'sys_exit_write' if rest.startswith('->') else \
                 'sys_enter_write'
        yield (float(m['ts']) * 1e6, m['comm'].strip(), int(m['pid']), ev,
               rest)


def hop(comm, ev, rest, writer_pid, pid):
    """The hop an event stands for, or None for one that is not a hop."""
    if ev == 'workqueue_execute_start':
        return 'run' if 'paxos_group_work' in rest else None
    if ev == 'net_dev_xmit':
        m = re.search(r'dev=(\S+)', rest)
        return 'send ' + m[1] if m else None
    if ev.startswith('paxos_'):
        m = re.search(r'node=(\d+)', rest)
        what = ev[len('paxos_'):].replace('proposal_', '')
        return '%s n%s' % (what, m[1] if m else '?')
    if ev == 'sched_wakeup':
        m = re.search(r'pid=(\d+)', rest)
        return 'wake' if m and int(m[1]) == writer_pid else None
    return None


def writes(events, writer='loadgen'):
    """Split the trace into the hops of each write of the writer."""
    out = []
    cur = None
    for ts, comm, pid, ev, rest in events:
        if ev == 'sys_enter_write' and comm.startswith(writer):
            cur = {'pid': pid, 't0': ts, 'hops': []}
            continue
        if cur is None:
            continue
        if ev == 'sys_exit_write' and pid == cur['pid']:
            cur['hops'].append(('return', ts - cur['t0']))
            out.append(cur)
            cur = None
            continue
        h = hop(comm, ev, rest, cur['pid'], pid)
        if h:
            cur['hops'].append((h, ts - cur['t0']))
    return out


def breakdown(ws):
    """The most common hop sequence and the median time of each hop."""
    seqs = collections.Counter(tuple(h for h, _ in w['hops']) for w in ws)
    if not seqs:
        return None
    seq, count = seqs.most_common(1)[0]
    same = [w for w in ws if tuple(h for h, _ in w['hops']) == seq]
    rows = []
    prev = [0.0] * len(same)
    for i, name in enumerate(seq):
        at = [w['hops'][i][1] for w in same]
        step = [a - p for a, p in zip(at, prev)]
        rows.append({'hop': name, 'at_us': statistics.median(at),
                     'step_us': statistics.median(step)})
        prev = at
    total = statistics.median(w['hops'][-1][1] for w in ws)
    return {'writes': len(ws), 'matching': count, 'sequences': len(seqs),
            'median_write_us': total, 'hops': rows}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('trace')
    ap.add_argument('--json', action='store_true')
    a = ap.parse_args()
    with open(a.trace, errors='replace') as f:
        b = breakdown(writes(parse(f)))
    if b is None:
        print('timeline: no write of the load generator in %s' % a.trace,
              file=sys.stderr)
        return 1
    if a.json:
        print(json.dumps(b))
        return 0
    print('%d writes, median %.0f µs; %d follow the most common of %d hop '
          'sequences:' % (b['writes'], b['median_write_us'], b['matching'],
                          b['sequences']))
    print('%-16s %10s %10s' % ('hop', 'at µs', '+µs'))
    for r in b['hops']:
        print('%-16s %10.0f %10.0f' % (r['hop'], r['at_us'], r['step_us']))
    return 0


if __name__ == '__main__':
    sys.exit(main())

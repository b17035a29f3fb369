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
breakdown of one commit.  Under many writers (--loaded), each write is
split where its proposer says instead: queued, the round, completing,
returning (loaded()).

  timeline.py TRACE [--loaded] [--json]
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


def _field(rest, name):
    m = re.search(r'\b%s=(\d+)' % name, rest)
    return int(m[1]) if m else None


def loaded(events, node=None, writer='loadgen'):
    """Under many writers, each write split where its proposer @node says:
    queued (the write began .. the core took its value, `submit`), the
    round (.. its slot chosen at @node), completing (.. `complete`) and
    returning (.. the write returned: the writer woken, back to user
    space).  A completion is the write of the writer the completing task
    wakes next, or of that task itself when it is a writer (it ran the
    pass).  @node: the writers' node (by default the one whose
    `submit` events come first).  Returns the medians, or None."""
    enter = {}                   # writer pid: its write's start
    submit, chosen = {}, {}      # req: time; slot: time
    done = {}                    # task pid: (req, slot, time) to place
    owner = {}                   # req: (writer pid, slot, time)
    parts = []
    for ts, comm, pid, ev, rest in events:
        if ev == 'sys_enter_write' and comm.startswith(writer):
            enter[pid] = ts
            continue
        if ev == 'paxos_proposal_submit' and node is None:
            node = _field(rest, 'node')
        if ev in ('paxos_proposal_submit', 'paxos_slot_chosen',
                  'paxos_proposal_complete') and \
                _field(rest, 'node') != node:
            continue
        if ev == 'paxos_proposal_submit':
            submit[_field(rest, 'req')] = ts
        elif ev == 'paxos_slot_chosen':
            chosen.setdefault(_field(rest, 'slot'), ts)
        elif ev == 'paxos_proposal_complete':
            if pid in done and comm.startswith(writer):
                owner[done[pid][0]] = (pid,) + done[pid][1:]
            done[pid] = (_field(rest, 'req'), _field(rest, 'slot'), ts)
        elif ev == 'sched_wakeup' and pid in done:
            if 'comm=' + writer in rest:
                req, slot, t = done.pop(pid)
                owner[req] = (_field(rest, 'pid'), slot, t)
        elif ev == 'sys_exit_write' and comm.startswith(writer):
            if pid in done:
                req, slot, t = done.pop(pid)
                owner[req] = (pid, slot, t)
            t0 = enter.pop(pid, None)
            mine = [(r, o) for r, o in owner.items() if o[0] == pid]
            for r, _ in mine:
                del owner[r]
            if t0 is None or len(mine) != 1:
                continue
            req, (_, slot, tc) = mine[0]
            ts_, tch = submit.pop(req, None), chosen.get(slot)
            if ts_ is None or tch is None or not t0 <= ts_ <= tch <= tc:
                continue
            parts.append((ts_ - t0, tch - ts_, tc - tch, ts - tc, ts - t0))
    if not parts:
        return None

    def med(i):
        return statistics.median(p[i] for p in parts)
    return {'node': node, 'writes': len(parts), 'queued_us': med(0),
            'round_us': med(1),
            'completing_us': med(2), 'returning_us': med(3),
            'write_us': med(4)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('trace')
    ap.add_argument('--json', action='store_true')
    ap.add_argument('--loaded', action='store_true')
    a = ap.parse_args()
    if a.loaded:
        with open(a.trace, errors='replace') as f:
            b = loaded(parse(f))
        print(json.dumps(b) if a.json or not b else
              '%(writes)d writes: queued %(queued_us).0f, round '
              '%(round_us).0f, completing %(completing_us).0f, returning '
              '%(returning_us).0f µs (write %(write_us).0f µs)' % b)
        return 0 if b else 1
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

# SPDX-License-Identifier: GPL-2.0
"""One node of the multi-VM crash test (tests/harness/multivm.sh), run in
its own VM by tests/harness/multivm-node.sh.

Creates group 1 (members 198.18.0.1..N, port 7000), runs two closed-loop
writers and a reader (tests/lib/workload.py) and streams every record and
every value read to files in the VM's output share as it happens (a VM
that is killed leaves what it saw on the host):

  records.jsonl   a record when a write is issued and again when it returns
  reader.jsonl    [log name, slot, value] for every value read
  ready           the group exists and the clients run

and talks to the host through files there:

  stop      (host) stop writing; then status.json is written twice a second
            (commit-slot, last-chosen-slot, queued) until
  dump      (host) dump the log to log.json, stop the reader, delete the
            group, write done and exit

Times are the VM's wall clock (time.time()), so that the host can place
them in its phases; each VM is its own clock for the real-time order.
"""
import argparse
import json
import os
import sys
import threading
import time

from paxos_test import family
from workload import Reader, Writer
from faults import dump_log

GID = 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--node', type=int, required=True)
    ap.add_argument('--nodes', type=int, default=3)
    ap.add_argument('--state', default='new', choices=('new', 'existing'))
    ap.add_argument('--key', required=True)
    ap.add_argument('--gen', type=int, default=1)
    ap.add_argument('--out', default=os.environ.get('PAXOS_VM_OUT', '/tmp'))
    a = ap.parse_args()
    name = f'vm{a.node}.{a.gen}'
    out = a.out

    def say(msg):
        print(f'{name}: {msg}', flush=True)

    def path(f):
        return os.path.join(out, f)

    y = family()
    mem = [{'node-id': j, 'addr': {'ipv4': bytes([198, 18, 0, j]),
                                   'port': 7000}}
           for j in range(1, a.nodes + 1)]
    y.do('group-new', {'id': GID, 'node-id': a.node,
                       'key': bytes.fromhex(a.key), 'member': mem,
                       'cluster-state': a.state, 'heartbeat-ms': 100,
                       'election-min-ms': 1000, 'election-max-ms': 2000,
                       'proposal-timeout-ms': 5000, 'retention': 65536,
                       'max-value-size': 256})
    say(f'group created ({a.state})')

    lock = threading.Lock()
    rfd = os.open(path('records.jsonl'), os.O_WRONLY | os.O_CREAT |
                  os.O_APPEND, 0o644)
    lfd = os.open(path('reader.jsonl'), os.O_WRONLY | os.O_CREAT |
                  os.O_APPEND, 0o644)

    def put(fd, obj):
        line = (json.dumps(obj) + '\n').encode()
        with lock:
            os.write(fd, line)

    stop_w, stop_r = threading.Event(), threading.Event()
    records = []
    writers = [Writer(f'{name}w{k}', a.node, None, stop_w, records,
                      clock=name, now=time.time,
                      sink=lambda r: put(rfd, r))
               for k in range(2)]
    reader = Reader(name, a.node, None, stop_r,
                    sink=lambda log, s, v: put(lfd, [log, s, v]))
    for t in writers + [reader]:
        t.start()
    open(path('ready'), 'w').close()
    say('writing')

    while not os.path.exists(path('stop')):
        time.sleep(0.2)
    stop_w.set()
    for t in writers:
        t.join(15)
    acked = sum(r['outcome'] == 'ack' for r in records)
    say(f'stopped: {len(records)} writes, {acked} acknowledged')
    while not os.path.exists(path('dump')):
        g = y.do('group-get', {'id': GID})
        st = {k: g.get(k) for k in ('commit-slot', 'last-chosen-slot',
                                    'queued', 'state', 'leader-id')}
        with open(path('status.json.tmp'), 'w') as f:
            json.dump(st, f)
        os.rename(path('status.json.tmp'), path('status.json'))
        time.sleep(0.5)
    entries = dump_log(y, GID)
    with open(path('log.json'), 'w') as f:
        json.dump(entries, f)
    want = max([s for s, v in entries if v is not None], default=-1)
    end = time.time() + 20
    while reader.last < want and time.time() < end:
        time.sleep(0.2)
    if reader.last < want:
        # Where the reader is stuck (a wait in the module, or not): every
        # thread's kernel stack, into the output.
        say(f'reader behind: at slot {reader.last}, the log at {want}')
        for t in sorted(os.listdir('/proc/self/task')):
            try:
                with open(f'/proc/self/task/{t}/stack') as f:
                    stack = f.read().split()
                with open(f'/proc/self/task/{t}/wchan') as f:
                    wchan = f.read()
            except OSError as e:
                stack, wchan = [str(e)], '?'
            say(f'thread {t} wchan {wchan}: {" ".join(stack[1::2][:8])}')
    stop_r.set()
    reader.join(5)
    g = y.do('group-get', {'id': GID})
    with open(path('group.json'), 'w') as f:
        json.dump(g, f, default=str)
    y.do('group-del', {'id': GID})
    errors = [f'{t.name}: {t.error}' for t in writers + [reader] if t.error]
    for e in errors:
        say(f'client error: {e}')
    say(f'dumped {len(entries)} slots; reader at slot {reader.last}')
    open(path('done'), 'w').close()
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())

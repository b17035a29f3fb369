# SPDX-License-Identifier: GPL-2.0
"""Gathers what the VMs of the multi-VM crash test left in their output
directories (tests/lib/vmnode.py) into one history and judges it with
tests/lib/history.py.

  multivm_history.py OUT PHASES VM...

PHASES holds "name wall-clock-time" lines (the host's), in order; the last
one ends the run.  Records and reader logs of a VM that was killed end
where its QEMU stopped: a write it issued and never saw return is
indeterminate; its reader's log is not final; it has no dump.
"""
import json
import os
import sys

import history


def main(argv):
    out, phases_file, vms = argv[1], argv[2], argv[3:]
    records, logs = {}, {}
    for v in vms:
        d = os.path.join(out, v)
        try:
            lines = open(os.path.join(d, 'records.jsonl')).read().splitlines()
        except OSError:
            lines = []
        for line in lines:
            try:
                rec = json.loads(line)
            except ValueError:      # the line a crash cut short
                continue
            records[rec['value']] = rec         # the outcome wins
        dumped = os.path.exists(os.path.join(d, 'log.json'))
        if dumped:
            logs[v] = dict(entries=json.load(open(os.path.join(d, 'log.json'))),
                           noops=True, final=True)
        try:
            lines = open(os.path.join(d, 'reader.jsonl')).read().splitlines()
        except OSError:
            lines = []
        for line in lines:
            try:
                name, slot, value = json.loads(line)
            except ValueError:
                continue
            log = logs.setdefault(f'{name}-reader',
                                  dict(entries=[], noops=False, final=dumped))
            log['entries'].append([slot, value])
    for rec in records.values():
        if rec['outcome'] is None:
            rec['outcome'], rec['err'] = 'indeterminate', 'crashed'
            rec['t1'] = None
    marks = []
    for line in open(phases_file):
        name, t = line.split()
        marks.append((name, float(t)))
    phases = [dict(name=a[0], start=a[1], end=b[1], clock='any',
                   must_commit=True)
              for a, b in zip(marks, marks[1:])]
    heal = dict(marks).get('rejoined')
    h = dict(records=list(records.values()), logs=logs, phases=phases,
             heal=heal, heal_clock='any', bound=30 if heal else None)
    with open(os.path.join(out, 'history.json'), 'w') as f:
        json.dump(h, f)
    r = history.check(h)
    # The run's own verdict is multivm.sh's last line; this is the
    # history's.
    print(r.report().replace('history:', 'multivm:')
          .replace('multivm: PASS', 'multivm: history passes')
          .replace('multivm: FAIL (', 'multivm: history fails ('),
          flush=True)
    return 0 if r.ok else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv))

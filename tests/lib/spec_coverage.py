# SPDX-License-Identifier: GPL-2.0
"""Did the tests see every attribute of the netlink spec?

usage: spec_coverage.py [--spec SPEC] SEEN_FILE...
       spec_coverage.py [--spec SPEC] --list

The VM tests note every attribute they decode from the kernel ("rx") and
every one they encode into a request ("tx") in spec-seen.txt files, lines
"<attribute-set> <attribute> rx|tx" (see paxos_test.py).  This reads the
spec and finds what it declares:

  rx  sent by the kernel: the attributes of every operation's reply (do
      and dump), of every event and notification, and every attribute of
      the nested attribute sets reachable from them; each must have been
      received;
  tx  carried by a request (do and dump), with the nested sets reachable
      from it; each must have been sent or received.

It prints "spec coverage: N of M attributes seen" and the missing ones,
and exits 1 when any is missing (2 on bad input).  --list prints what is
expected, one "<set>/<attribute> rx|tx" a line."""
import argparse
import os
import sys

import yaml

TOP = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
SPEC = os.path.join(TOP, 'netlink/specs/paxos.yaml')


def load_spec(path):
    loader = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)
    with open(path) as f:
        return yaml.load(f, Loader=loader)


def _closure(spec, pairs):
    """@pairs (set, attribute) and every attribute of every attribute set
    nested in them, recursively."""
    sets = {s['name']: {a['name']: a for a in s['attributes']}
            for s in spec['attribute-sets']}
    out = set()
    todo = list(pairs)
    while todo:
        space, name = todo.pop()
        if (space, name) in out:
            continue
        try:
            attr = sets[space][name]
        except KeyError:
            raise ValueError(f'spec names {space}/{name}, which no '
                             'attribute set declares') from None
        out.add((space, name))
        nested = attr.get('nested-attributes')
        if nested:
            todo.extend((nested, a) for a in sets[nested])
    return out


def _attrs(msg):
    return (msg or {}).get('attributes') or []


def expected(spec):
    """(rx, tx): the sets of (attribute set, attribute) that the kernel
    sends, and that a request can carry."""
    ops = spec['operations']['list']
    by_name = {op['name']: op for op in ops}
    rx, tx = [], []
    for op in ops:
        space = op.get('attribute-set')
        for mode in ('do', 'dump'):
            m = op.get(mode) or {}
            tx += [(space, a) for a in _attrs(m.get('request'))]
            rx += [(space, a) for a in _attrs(m.get('reply'))]
        rx += [(space, a) for a in _attrs(op.get('event'))]
        if 'notify' in op:
            # A notification with the reply format of another operation.
            other = by_name[op['notify']]
            rx += [(other.get('attribute-set', space), a)
                   for a in _attrs((other.get('do') or {}).get('reply'))]
    return _closure(spec, rx), _closure(spec, tx)


def load_seen(paths):
    """{(set, attribute): {'rx', 'tx'...}} of the spec-seen files."""
    seen = {}
    for p in paths:
        with open(p) as f:
            for line in f:
                w = line.split()
                if len(w) == 3 and w[2] in ('rx', 'tx'):
                    seen.setdefault((w[0], w[1]), set()).add(w[2])
    return seen


def missing(spec, seen):
    """[(set, attribute, 'rx' or 'tx')] of what @seen lacks, sorted, and
    the number of attributes expected."""
    rx, tx = expected(spec)
    miss = set()
    for key in rx:
        if 'rx' not in seen.get(key, ()):
            miss.add(key + ('rx',))
    for key in tx - rx:
        if not seen.get(key):
            miss.add(key + ('tx',))
    return sorted(miss), len(rx | tx)


def main(argv=None):
    ap = argparse.ArgumentParser(
        description='Check that the tests saw every attribute of the spec.')
    ap.add_argument('--spec', default=SPEC)
    ap.add_argument('--list', action='store_true',
                    help='print the attributes expected and exit')
    ap.add_argument('seen', nargs='*', metavar='SEEN_FILE')
    args = ap.parse_args(argv)
    try:
        spec = load_spec(args.spec)
        if args.list:
            rx, tx = expected(spec)
            for s, a in sorted(rx):
                print(f'{s}/{a} rx')
            for s, a in sorted(tx - rx):
                print(f'{s}/{a} tx')
            return 0
        if not args.seen:
            ap.error('no SEEN_FILE')
        seen = load_seen(args.seen)
        miss, total = missing(spec, seen)
    except (OSError, ValueError, KeyError, yaml.YAMLError) as e:
        print(f'spec_coverage: {e}', file=sys.stderr)
        return 2
    got = total - len({(s, a) for s, a, _ in miss})
    line = f'spec coverage: {got} of {total} attributes seen'
    if miss:
        line += '; missing: ' + ' '.join(f'{s}/{a} ({h})' for s, a, h in miss)
    print(line)
    return 1 if miss else 0


if __name__ == '__main__':
    sys.exit(main())

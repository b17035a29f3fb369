# SPDX-License-Identifier: GPL-2.0
"""Helpers of tests/45-membership.sh, each run inside one node's namespace.

  membership.py writer NAME STOPFILE OUT
      write NAME-1, NAME-2, ... to /dev/paxos until STOPFILE exists; one
      line per write in OUT: "ack VALUE SLOT" or "err VALUE ERRNO" (the
      group deleted under it, a timeout, a quorum loss: it may or may not
      be learned).  Reopens /dev/paxos when the group goes away (a reboot).
  membership.py log OUT
      the node's whole log (log-get dump, no-ops included) as JSON.
  membership.py status
      group-get of group 1 as JSON on stdout.
  membership.py wait-voter NODE TIMEOUT
      until group 1's configuration names NODE a voter with its current
      incarnation (this node's own, when NODE is this node): exit 1 on
      timeout, printing the last group-get.
  membership.py check OUT LOG... -- ACKS...
      every log file is the same log (the shortest a prefix of the
      longest, which all must reach), no value twice, every acknowledged
      value in it exactly once, at the slot its writer was told; prints
      the counts, exits 1 on a violation.
"""
import errno
import fcntl
import json
import os
import struct
import sys
import time

from paxos_test import PAXOS_IOC_LAST_SLOT

GROUP = 1


def writer(name, stop, out):
    k = 0
    fd = None
    with open(out, 'w', buffering=1) as f:
        while not os.path.exists(stop):
            if fd is None:
                try:
                    fd = os.open('/dev/paxos', os.O_RDWR)
                except OSError:
                    time.sleep(0.2)
                    continue
            k += 1
            value = f'{name}-{k}'
            try:
                os.write(fd, value.encode())
                slot = struct.unpack('Q', fcntl.ioctl(
                    fd, PAXOS_IOC_LAST_SLOT, b'\0' * 8))[0]
                f.write(f'ack {value} {slot}\n')
            except OSError as e:
                f.write(f'err {value} {errno.errorcode.get(e.errno, e.errno)}\n')
                if e.errno in (errno.ENOTCONN, errno.ENOENT):
                    os.close(fd)
                    fd = None
                time.sleep(0.2)
            # About 5 writes a second per node: enough to cross every
            # change, light enough for TCG with a debug kernel.
            time.sleep(0.2)


def ynl():
    # Without validating the spec against its schema: that takes seconds
    # under TCG, and this runs for every status the test asks for.
    from paxos_test import SPEC, YnlFamily
    return YnlFamily(SPEC, schema='')


def status():
    return ynl().do('group-get', {'id': GROUP})


def log(out):
    entries = []
    for m in ynl().dump('log-get', {'group-id': GROUP}):
        v = m.get('value')
        entries.append([m['slot'], v.decode() if v is not None else None])
    with open(out, 'w') as f:
        json.dump(entries, f)


def voting(st, node):
    """The incarnation @node votes with in @st's configuration, or None."""
    for m in st.get('config', {}).get('member', []):
        if m['node-id'] == node and m.get('role') in (1, 'voter'):
            return m.get('incarnation')
    return None


def wait_voter(node, timeout):
    y = ynl()
    end = time.monotonic() + timeout
    st = {}
    while time.monotonic() < end:
        st = y.do('group-get', {'id': GROUP})
        inc = voting(st, node)
        # Its own node: this incarnation, or the initial one of a new
        # cluster (the probe admitted it).
        if inc is not None and (node != st['node-id'] or
                                inc == st['incarnation'] or
                                (inc == 0 and
                                 st['cluster-state'] in (1, 'new'))):
            print(f'node {node} votes as incarnation {inc}'
                  f' (config slot {st["config"]["slot"]})')
            return 0
        time.sleep(0.3)
    print(f'node {node} does not vote after {timeout} s:')
    print(json.dumps(st, default=str))
    return 1


def check(logs, acks):
    bad = 0
    seqs = []
    for name in logs:
        with open(name) as f:
            seqs.append((name, [tuple(e) for e in json.load(f)]))
    longest = max(seqs, key=lambda s: len(s[1]))
    for name, s in seqs:
        if s != longest[1][:len(s)]:
            first = next(i for i, (a, b) in enumerate(zip(s, longest[1]))
                         if a != b) if any(
                a != b for a, b in zip(s, longest[1])) else len(s)
            print(f'FAIL {name} differs from {longest[0]} at entry {first}')
            bad += 1
        elif len(s) != len(longest[1]):
            print(f'FAIL {name} has {len(s)} entries, {longest[0]}'
                  f' {len(longest[1])}')
            bad += 1
    where = {}
    for slot, v in longest[1]:
        if v is None:
            continue
        if v in where:
            print(f'FAIL {v} at slots {where[v]} and {slot}')
            bad += 1
        where[v] = slot
    nack = nerr = 0
    for name in acks:
        with open(name) as f:
            for line in f:
                w = line.split()
                if w[0] != 'ack':
                    nerr += 1
                    continue
                nack += 1
                if w[1] not in where:
                    print(f'FAIL acknowledged {w[1]} (slot {w[2]}) is lost')
                    bad += 1
                elif where[w[1]] != int(w[2]):
                    print(f'FAIL {w[1]} acknowledged at slot {w[2]},'
                          f' learned at {where[w[1]]}')
                    bad += 1
    print(f'{len(seqs)} logs of {len(longest[1])} slots, {len(where)} values;'
          f' {nack} writes acknowledged, {nerr} failed or indeterminate;'
          f' {bad} violation(s)')
    return 1 if bad else 0


def main(argv):
    cmd = argv[1]
    if cmd == 'writer':
        writer(argv[2], argv[3], argv[4])
        return 0
    if cmd == 'log':
        log(argv[2])
        return 0
    if cmd == 'status':
        print(json.dumps(status(), default=str))
        return 0
    if cmd == 'wait-voter':
        return wait_voter(int(argv[2]), float(argv[3]))
    if cmd == 'check':
        sep = argv.index('--')
        return check(argv[2:sep], argv[sep + 1:])
    print(__doc__)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))

# SPDX-License-Identifier: GPL-2.0
"""Host tests of the spec coverage machinery, run by `make check` as
host:spec-coverage-checker: the checker (spec_coverage.py) passes a seen
file with every attribute the spec declares and fails, naming it, when
one is missing; the recorder of paxos_test.py notes what the kernel's
YNL library really encodes and decodes (a YnlFamily made without the
kernel: the module need not be loaded)."""
import os
import subprocess
import sys
import tempfile
import textwrap
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import spec_coverage  # noqa: E402

SPEC = spec_coverage.SPEC


def run_checker(*args):
    r = subprocess.run([sys.executable, os.path.join(HERE, 'spec_coverage.py'),
                        *args], capture_output=True, text=True)
    return r.returncode, r.stdout + r.stderr


class Checker(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.spec = spec_coverage.load_spec(SPEC)
        self.rx, self.tx = spec_coverage.expected(self.spec)

    def tearDown(self):
        self.tmp.cleanup()

    def seen_file(self, lines, name='seen.txt'):
        path = os.path.join(self.tmp.name, name)
        with open(path, 'w') as f:
            f.writelines(line + '\n' for line in lines)
        return path

    def all_lines(self):
        return ([f'{s} {a} rx' for s, a in sorted(self.rx)] +
                [f'{s} {a} tx' for s, a in sorted(self.tx - self.rx)])

    def test_expected_set(self):
        # Replies, dumps (through the YAML alias) and events, with their
        # nests, recursively; requests with theirs.
        for key in [('group', 'state'), ('group', 'stats'),
                    ('stats', 'rx-msgs'), ('peer', 'addr'),
                    ('addr', 'ipv6'), ('config', 'member'),
                    ('member', 'incarnation'), ('ballot', 'round'),
                    ('log', 'error'), ('log', 'skipped'),
                    ('change', 'pending')]:
            self.assertIn(key, self.rx)
        for key in [('group', 'key'), ('group', 'member'),
                    ('log', 'slot-start'), ('change', 'incarnation'),
                    ('member', 'role'), ('addr', 'port')]:
            self.assertIn(key, self.tx)
        # Write-only: never sent by the kernel.
        for key in [('group', 'key'), ('group', 'key-grace-ms'),
                    ('log', 'slot-start'), ('change', 'incarnation')]:
            self.assertNotIn(key, self.rx)

    def test_all_seen_passes(self):
        rc, out = run_checker(self.seen_file(self.all_lines()))
        self.assertEqual(rc, 0, out)
        n = len(self.rx | self.tx)
        self.assertIn(f'spec coverage: {n} of {n} attributes seen', out)

    def test_split_over_files(self):
        lines = self.all_lines()
        a = self.seen_file(lines[::2] + ['bogus line', ''], 'a.txt')
        b = self.seen_file(lines[1::2] + ['group nosuch rx'], 'b.txt')
        rc, out = run_checker(a, b)
        self.assertEqual(rc, 0, out)

    def test_each_missing_fails(self):
        lines = self.all_lines()
        for drop in [lines[0], 'group refused-by rx', 'stats conflicts rx',
                     'addr ipv6 rx', 'group key tx', lines[-1]]:
            if drop not in lines:
                continue
            with self.subTest(drop=drop):
                path = self.seen_file([x for x in lines if x != drop])
                rc, out = run_checker(path)
                s, a, h = drop.split()
                self.assertEqual(rc, 1, out)
                self.assertIn(f'missing: {s}/{a} ({h})', out)
                n = len(self.rx | self.tx)
                self.assertIn(f'{n - 1} of {n} attributes seen', out)

    def test_rx_needs_rx(self):
        # A kernel-sent attribute the tests only sent does not count.
        lines = [x for x in self.all_lines() if x != 'group id rx']
        rc, out = run_checker(self.seen_file(lines + ['group id tx']))
        self.assertEqual(rc, 1, out)
        self.assertIn('group/id (rx)', out)

    def test_request_attr_rx_counts(self):
        lines = [x for x in self.all_lines() if x != 'log slot-end tx']
        rc, out = run_checker(self.seen_file(lines + ['log slot-end rx']))
        self.assertEqual(rc, 0, out)

    def test_no_file(self):
        rc, out = run_checker(os.path.join(self.tmp.name, 'none.txt'))
        self.assertEqual(rc, 2, out)

    def test_list(self):
        rc, out = run_checker('--list')
        self.assertEqual(rc, 0, out)
        self.assertEqual(sorted(out.split('\n')[:-1]),
                         sorted(x.replace(' ', '/', 1)
                                for x in self.all_lines()))

    def test_synthetic_spec(self):
        # notify reuses another operation's reply; nests are followed
        # through sets no operation names; unused attributes are not
        # expected.
        spec = textwrap.dedent('''\
            name: t
            attribute-sets:
              - name: a
                attributes:
                  - {name: x, type: u32}
                  - {name: n, type: nest, nested-attributes: b}
                  - {name: unused, type: u32}
                  - {name: q, type: u32}
              - name: b
                attributes:
                  - {name: y, type: nest, nested-attributes: c}
              - name: c
                attributes:
                  - {name: z, type: u32}
            operations:
              list:
                - name: get
                  attribute-set: a
                  do:
                    request: {attributes: [q]}
                    reply: &r {attributes: [x]}
                  dump: {reply: *r}
                - name: ntf
                  attribute-set: a
                  notify: get
                - name: ev
                  attribute-set: a
                  event: {attributes: [n]}
            ''')
        path = os.path.join(self.tmp.name, 't.yaml')
        with open(path, 'w') as f:
            f.write(spec)
        rx, tx = spec_coverage.expected(spec_coverage.load_spec(path))
        self.assertEqual(rx, {('a', 'x'), ('a', 'n'), ('b', 'y'),
                              ('c', 'z')})
        self.assertEqual(tx, {('a', 'q')})
        seen = self.seen_file(['a x rx', 'a n rx', 'b y rx', 'a q tx'])
        rc, out = run_checker('--spec', path, seen)
        self.assertEqual(rc, 1, out)
        self.assertIn('4 of 5 attributes seen; missing: c/z (rx)', out)


# Run in a child with PAXOS_SPEC_SEEN set: paxos_test hooks YnlFamily at
# import time.  The family is made without __init__ (which asks the
# kernel for the family id); encoding and decoding need no socket.
RECORDER = '''
import os, sys
sys.path.insert(0, sys.argv[1])
import paxos_test as pt
from lib import YnlFamily
from lib.ynl import NlAttrs
from lib.nlspec import SpecFamily

y = YnlFamily.__new__(YnlFamily)
SpecFamily.__init__(y, pt.SPEC, '')
y.include_raw = False
y.process_unknown = False
mode = sys.argv[2]
group = {'id': 7, 'node-id': 1, 'insecure': True, 'manual-promote': False,
         'member': [pt.member(1, '198.18.0.1', 7000),
                    pt.member(2, '198.18.0.2', 7000, role=2)]}
raw = b''.join(y._add_attr('group', k, v, None) for k, v in group.items())
if mode == 'twice':
    raw = b''.join(y._add_attr('group', k, v, None)
                   for k, v in group.items())
got = y._decode(NlAttrs(raw), 'group')
want = YnlFamily._decode.__wrapped__(y, NlAttrs(raw), 'group')
assert got == want, (got, want)
assert got['member'][1]['addr']['ipv4'] == '198.18.0.2', got
if mode == 'fork':
    pid = os.fork()
    if pid == 0:
        y._decode(NlAttrs(y._add_attr('log', 'value', b'x', None)), 'log')
        os._exit(0)
    os.waitpid(pid, 0)
print('ok')
'''

GROUP_TX = {'group id tx', 'group node-id tx', 'group insecure tx',
            'group member tx', 'member node-id tx', 'member role tx',
            'member addr tx', 'addr ipv4 tx', 'addr port tx'}
GROUP_RX = {x[:-2] + 'rx' for x in GROUP_TX}


class Recorder(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.tmp.name, 'spec-seen.txt')

    def tearDown(self):
        self.tmp.cleanup()

    def run_recorder(self, mode='once', env=None):
        e = {k: v for k, v in os.environ.items()
             if k not in ('PAXOS_SPEC_SEEN', 'PAXOS_VM_OUT')}
        e.update(env if env is not None else {'PAXOS_SPEC_SEEN': self.path})
        r = subprocess.run([sys.executable, '-c', RECORDER, HERE, mode],
                           env=e, capture_output=True, text=True)
        self.assertEqual((r.returncode, r.stdout), (0, 'ok\n'), r.stderr)

    def lines(self, path=None):
        with open(path or self.path) as f:
            return f.read().splitlines()

    def test_records_tx_and_rx(self):
        self.run_recorder()
        lines = self.lines()
        # Each once; the flag given as False is not encoded, so not seen.
        self.assertEqual(sorted(lines), sorted(GROUP_TX | GROUP_RX))

    def test_once_per_process_appended(self):
        self.run_recorder('twice')
        self.assertEqual(len(self.lines()), len(GROUP_TX | GROUP_RX))
        self.run_recorder()
        self.assertEqual(len(self.lines()), 2 * len(GROUP_TX | GROUP_RX))

    def test_forked_child(self):
        self.run_recorder('fork')
        self.assertEqual(sorted(self.lines()),
                         sorted(GROUP_TX | GROUP_RX |
                                {'log value tx', 'log value rx'}))

    def test_vm_out(self):
        self.run_recorder(env={'PAXOS_VM_OUT': self.tmp.name})
        self.assertEqual(set(self.lines()), GROUP_TX | GROUP_RX)

    def test_unwritable_is_harmless(self):
        self.run_recorder(env={'PAXOS_SPEC_SEEN':
                               os.path.join(self.tmp.name, 'no/such')})
        self.assertFalse(os.path.exists(self.path))

    def test_checker_reads_recorder(self):
        self.run_recorder()
        rc, out = run_checker(self.path)
        self.assertEqual(rc, 1, out)
        self.assertNotIn('group/member (tx)', out)
        self.assertNotIn('addr/ipv4 (rx)', out)
        self.assertIn('addr/ipv6 (rx)', out)


if __name__ == '__main__':
    unittest.main(verbosity=2)

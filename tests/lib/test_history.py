# SPDX-License-Identifier: GPL-2.0
"""Host tests of the history checker (tests/lib/history.py), run by
`make check` as host:history-checker: a clean history passes, and every
planted fault fails the verdict it belongs to, and only that one."""
import copy
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import history  # noqa: E402


def clean():
    """Three nodes, two writers each, 30 acknowledged writes, one
    indeterminate write learned, one not, one failed, a no-op at slot 7;
    every node's log dumped (no-ops shown) and read (no-ops hidden)."""
    records, log, t = [], [], 0.0
    slot = 1
    for k in range(30):
        if slot == 7:
            log.append((slot, None))
            slot += 1
        node = k % 3 + 1
        v = f'n{node}w{k % 2}-{k}'
        records.append(dict(writer=f'n{node}w{k % 2}', node=node, value=v,
                            t0=t, t1=t + 0.5, outcome='ack', slot=slot))
        log.append((slot, v))
        slot += 1
        t += 1.0
    records.append(dict(writer='n1w0', node=1, value='n1w0-late', t0=t,
                        t1=t + 3, outcome='indeterminate', err='ETIMEDOUT'))
    log.append((slot, 'n1w0-late'))
    records.append(dict(writer='n2w0', node=2, value='n2w0-lost', t0=t,
                        t1=t + 3, outcome='indeterminate', err='ETIMEDOUT'))
    records.append(dict(writer='n3w0', node=3, value='n3w0-refused', t0=t,
                        t1=t, outcome='fail', err='ECONNREFUSED'))
    logs = {}
    for n in (1, 2, 3):
        logs[f'n{n}'] = dict(entries=[list(e) for e in log], noops=True,
                             final=True)
        logs[f'n{n}-reader'] = dict(entries=[list(e) for e in log
                                             if e[1] is not None],
                                    noops=False, final=True)
    phases = [dict(name='clean', start=0.0, end=15.0),
              dict(name='faulty', start=15.0, end=40.0)]
    return dict(records=records, logs=logs, phases=phases, heal=15.0,
                bound=5.0)


def entry(h, log, value):
    return next(e for e in h['logs'][log]['entries'] if e[1] == value)


class HistoryTest(unittest.TestCase):
    def judge(self, h, *want):
        r = history.check(h)
        self.assertEqual(sorted(r.failed()), sorted(want), r.report())
        return r

    def test_clean(self):
        r = self.judge(clean())
        c = r.counts
        self.assertEqual((c['acknowledged'], c['indeterminate'],
                          c['indeterminate_learned'], c['failed'],
                          c['learned'], c['noops'], c['lost'],
                          c['duplicated']), (30, 2, 1, 1, 31, 1, 0, 0))
        self.assertIn('history: PASS', r.report())

    def test_duplicate(self):
        """A value learned twice (at the end of every log)."""
        h = clean()
        for name, log in h['logs'].items():
            log['entries'].append([100, 'n1w0-0'])
            del h['logs'][name]['final']
        r = self.judge(h, 'integrity', 'order')    # and a hole before it
        self.assertEqual(r.counts['duplicated'], 1)

    def test_duplicate_adjacent(self):
        h = clean()
        last = h['logs']['n1']['entries'][-1][0]
        for log in h['logs'].values():
            log['entries'].append([last + 1, 'n2w1-1'])
        self.judge(h, 'integrity')

    def test_loss(self):
        """An acknowledged value missing from every log (its slot a no-op
        in the dumps, absent from the readers)."""
        h = clean()
        for name, log in h['logs'].items():
            e = entry(h, name, 'n2w0-4')
            if log['noops']:
                e[1] = None
            else:
                log['entries'].remove(e)
        r = self.judge(h, 'durability')
        self.assertEqual(r.counts['lost'], 1)

    def test_loss_at_end(self):
        """The last acknowledged value learned nowhere."""
        h = clean()
        for log in h['logs'].values():
            log['entries'] = [e for e in log['entries'] if e[1] != 'n1w0-late']
        h['records'][-3]['outcome'] = 'ack'
        h['records'][-3]['slot'] = 32
        self.judge(h, 'durability')

    def test_reorder_one_node(self):
        """Two values swapped in one node's log."""
        h = clean()
        a, b = entry(h, 'n2', 'n1w1-3'), entry(h, 'n2', 'n2w0-4')
        a[1], b[1] = b[1], a[1]
        self.judge(h, 'agreement')

    def test_reorder_everywhere(self):
        """Two values swapped in every log (and the slots their writers
        were told): the later write, issued after the earlier one was
        acknowledged, sits at a lower slot."""
        h = clean()
        for name in h['logs']:
            a, b = entry(h, name, 'n1w1-3'), entry(h, name, 'n2w0-4')
            a[1], b[1] = b[1], a[1]
        ra = next(x for x in h['records'] if x['value'] == 'n1w1-3')
        rb = next(x for x in h['records'] if x['value'] == 'n2w0-4')
        ra['slot'], rb['slot'] = rb['slot'], ra['slot']
        self.judge(h, 'order')

    def test_wrong_slot_acknowledged(self):
        h = clean()
        h['records'][5]['slot'] += 1
        self.judge(h, 'order')

    def test_reader_out_of_order(self):
        """A reader that saw slot order go backwards."""
        h = clean()
        e = h['logs']['n3-reader']['entries']
        e[4], e[5] = e[5], e[4]
        self.judge(h, 'order')

    def test_divergent_node(self):
        """One node learned another value at a slot."""
        h = clean()
        entry(h, 'n3', 'n3w0-8')[1] = 'n1w0-late'
        entry(h, 'n3-reader', 'n3w0-8')[1] = 'n1w0-late'
        self.judge(h, 'agreement')

    def test_divergent_noop(self):
        """One node learned a no-op where the others learned a value."""
        h = clean()
        entry(h, 'n1', 'n2w0-10')[1] = None
        self.judge(h, 'agreement')

    def test_unproposed(self):
        """A value nobody wrote, in every log."""
        h = clean()
        for name in h['logs']:
            entry(h, name, 'n1w0-late')[1] = 'forged'
        self.judge(h, 'validity')

    def test_failed_learned(self):
        """A write that failed before it was queued, learned anyway."""
        h = clean()
        for log in h['logs'].values():
            log['entries'].append([40, 'n3w0-refused'])
            log['final'] = False
        self.judge(h, 'validity', 'order')

    def test_hole(self):
        """A node's dump skips a slot (and its reader a value)."""
        h = clean()
        h['logs']['n2']['entries'].pop(10)
        self.judge(h, 'order')
        h = clean()
        h['logs']['n2-reader']['entries'].pop(10)
        self.judge(h, 'order')

    def test_reader_gap_announced(self):
        """A reader that got EPIPE for trimmed slots is not holed."""
        h = clean()
        log = h['logs']['n2-reader']
        gone = log['entries'].pop(10)
        log['gaps'] = [gone[0]]
        self.judge(h)

    def test_lagging_final_node(self):
        """A node that should have converged stops short of the log."""
        h = clean()
        h['logs']['n1']['entries'].pop()
        self.judge(h, 'durability')
        h['logs']['n1']['final'] = False
        self.judge(h)

    def test_no_commit_after_heal(self):
        h = clean()
        h['heal'] = 20.2
        h['bound'] = 0.1
        self.judge(h, 'liveness')
        h['bound'] = 1
        self.judge(h)

    def test_phase_must_commit(self):
        h = clean()
        h['phases'].append(dict(name='cut', start=40.0, end=50.0,
                                must_commit=True))
        self.judge(h, 'liveness')
        h['phases'][-1]['must_commit'] = False
        self.judge(h)

    def test_any_clock(self):
        """Phases and heal on the wall clocks of several machines."""
        h = clean()
        for x in h['records'][:15]:
            x['clock'] = 'vm1'
        for p in h['phases']:
            p['clock'] = 'any'
            p['must_commit'] = True
        h['heal_clock'] = 'any'
        r = self.judge(h)
        self.assertIn('15 acknowledged', r.report())

    def test_clocks(self):
        """Writers on separate machines: no real-time order across clocks."""
        h = clean()
        for name in h['logs']:
            a, b = entry(h, name, 'n1w1-3'), entry(h, name, 'n2w0-4')
            a[1], b[1] = b[1], a[1]
        ra = next(x for x in h['records'] if x['value'] == 'n1w1-3')
        rb = next(x for x in h['records'] if x['value'] == 'n2w0-4')
        ra['slot'], rb['slot'] = rb['slot'], ra['slot']
        ra['clock'] = 'vm1'
        self.judge(h)

    def test_written_twice(self):
        h = clean()
        h['records'].append(dict(h['records'][0]))
        self.judge(h, 'validity')

    def test_report_counts(self):
        r = history.check(clean())
        text = r.report()
        self.assertIn('acknowledged 30', text)
        self.assertIn('lost 0, duplicated 0', text)
        self.assertIn('phase clean', text)
        self.assertIn('after the last heal', text)

    def test_cli(self):
        import json
        import subprocess
        import tempfile
        with tempfile.NamedTemporaryFile('w', suffix='.json') as f:
            h = clean()
            json.dump(h, f)
            f.flush()
            ok = subprocess.run([sys.executable, history.__file__, f.name],
                                capture_output=True, text=True)
        self.assertEqual(ok.returncode, 0, ok.stdout)
        self.assertIn('history: PASS', ok.stdout)
        with tempfile.NamedTemporaryFile('w', suffix='.json') as f:
            h = copy.deepcopy(clean())
            entry(h, 'n1', 'n2w0-10')[1] = None
            json.dump(h, f)
            f.flush()
            bad = subprocess.run([sys.executable, history.__file__, f.name],
                                 capture_output=True, text=True)
        self.assertEqual(bad.returncode, 1, bad.stdout)
        self.assertIn('history: FAIL (agreement)', bad.stdout)


if __name__ == '__main__':
    unittest.main()

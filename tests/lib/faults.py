# SPDX-License-Identifier: GPL-2.0
"""Fault test driver (tests/50-faults.sh, tests/51-faults-5.sh; issue 11).

Runs in the VM's root namespace over the topology of tests/harness/
cluster.sh (nodes n1..nN, each linked to the router rt by v<i>/r<i>):
creates group 1 on every node, starts two closed-loop writers and a
reader per node (tests/lib/workload.py), runs the nemesis on the schedule
it prints, heals, waits for the nodes to converge, dumps every log and
judges the history with tests/lib/history.py.  Exit status 1 on any
violation.

  faults.py --nodes N [--schedule full|clean] [--phase S] [--out DIR]
            [--rejoin learner|voter] [--label TEXT]

The nemesis (schedule "full"); each phase lifts the previous one's faults
first:
  clean       no faults
  loss        netem loss 20% on every link (both ends of every veth)
  dup-reorder netem delay 20ms 10ms, reorder 25%, duplicate 10% everywhere
  leader-cut  the leader's link 100% lost both ways
  minority    a minority of followers cut off the same way
  split       blackhole routes between a majority and a minority holding
              the current leader (each side still talks within itself)
  one-way     the leader's outgoing datagrams lost, its incoming delivered
  reboot      a follower's group deleted (its log dumped first) and created
              again with cluster-state existing (its role is printed);
              --rejoin voter is the place for a test that it becomes a
              voter again through membership changes (issue 9): it stops
              the run with status 2 until it is written
  settle      every fault lifted: liveness is measured from its start
"""
import argparse
import faulthandler
import json
import os
import socket
import struct
import subprocess
import sys
import threading
import time

from paxos_test import NlError, family, sibling
from workload import Reader, Writer, enter
import history

KERNEL = os.environ.get('PAXOS_KERNEL', 'stock')
PORT = 7000
GID = 1

if KERNEL == 'test':
    # The debug kernel under TCG: shorter elections storm (see 60-forger).
    TIMING = {'heartbeat-ms': 100, 'election-min-ms': 1000,
              'election-max-ms': 2000, 'proposal-timeout-ms': 4000}
    PHASE, BOUND = 8.0, 20.0
    # Writers that never rest leave a debug kernel no time to start tc.
    PAUSE = 0.05
else:
    TIMING = {'heartbeat-ms': 50, 'election-min-ms': 300,
              'election-max-ms': 600, 'proposal-timeout-ms': 2000}
    PHASE, BOUND = 5.0, 8.0
    PAUSE = 0.0


def sh(*cmd, check=True):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if check and r.returncode:
        raise RuntimeError(f'{" ".join(cmd)}: {r.stderr.strip()}')
    return r


def now():
    return time.monotonic()


def dump_log(y, gid):
    """The log of group @gid through ynl's socket, as [[slot, value or
    None (a no-op)], ...]: log-get parsed by hand, since the YNL library
    decodes a few thousand entries a second under TCG."""
    aset = y.attr_sets['log'].attrs
    ids = {n: aset[n].value for n in ('group-id', 'slot', 'value', 'flags')}
    noop = y.consts['entry-flags'].entries['noop'].user_value()
    req = y.nlproto.message(0x1 | 0x300, y.msgs['log-get'].req_value,
                            1, 4242)
    req += struct.pack('HHI', 8, ids['group-id'], gid)
    req = struct.pack('I', len(req) + 4) + req     # ynl leaves nlmsg_len out
    y.sock.send(req)
    out = []
    while True:
        buf = y.sock.recv(1 << 20)
        off = 0
        while off + 16 <= len(buf):
            ln, typ = struct.unpack_from('IH', buf, off)
            if typ == 3:                    # NLMSG_DONE
                return out
            if typ == 2:                    # NLMSG_ERROR
                err = struct.unpack_from('i', buf, off + 16)[0]
                if err:
                    raise OSError(-err, 'log-get dump')
            else:
                ent = {}
                a = off + 20
                while a + 4 <= off + ln:
                    alen, atype = struct.unpack_from('HH', buf, a)
                    ent[atype & 0x3fff] = buf[a + 4:a + alen]
                    a += (alen + 3) & ~3
                slot = int.from_bytes(ent[ids['slot']], 'little')
                fl = int.from_bytes(ent.get(ids['flags'], b'\0'), 'little')
                out.append([slot, None if fl & noop else
                            ent.get(ids['value'], b'').decode('latin-1')])
            off += (ln + 3) & ~3


class Cluster:
    def __init__(self, nodes, key):
        self.nodes = list(range(1, nodes + 1))
        self.key = key
        base = family()
        self.ynl = {}
        home = os.open('/proc/self/ns/net', os.O_RDONLY)
        for i in self.nodes:
            enter(f'n{i}')
            self.ynl[i] = sibling(base)
        _setns_fd(home)
        os.close(home)
        base.sock.close()

    def group_new(self, i, state='new'):
        mem = [{'node-id': j,
                'addr': {'ipv4': bytes([198, 18, j, 2]), 'port': PORT}}
               for j in self.nodes]
        req = dict({'id': GID, 'node-id': i, 'key': self.key, 'member': mem,
                    'retention': 65536, 'max-value-size': 256,
                    'cluster-state': state}, **TIMING)
        self.ynl[i].do('group-new', req)

    def group_del(self, i):
        self.ynl[i].do('group-del', {'id': GID})

    def get(self, i):
        try:
            return self.ynl[i].do('group-get', {'id': GID})
        except NlError as e:
            return {'error': e.error}

    def dump(self, i):
        """Node @i's log as [[slot, value or None], ...]."""
        return dump_log(self.ynl[i], GID)

    def leader(self):
        """The leader most live nodes name (0: none)."""
        votes = {}
        for i in self.nodes:
            lid = self.get(i).get('leader-id', 0)
            if lid:
                votes[lid] = votes.get(lid, 0) + 1
        return max(votes, key=votes.get) if votes else 0


def _setns_fd(fd):
    from workload import libc, CLONE_NEWNET
    import ctypes
    if libc.setns(fd, CLONE_NEWNET) != 0:
        raise OSError(ctypes.get_errno(), 'setns home')


class Rtnl:
    """rtnetlink in one namespace, for netem qdiscs and blackhole routes
    without starting tc or ip: under TCG, with writers busy, a debug kernel
    takes up to twenty seconds to run a handful of them."""
    NEWQDISC, DELQDISC, NEWROUTE, DELROUTE = 36, 37, 24, 25
    F = 0x1 | 0x4       # NLM_F_REQUEST | NLM_F_ACK

    def __init__(self, ns, devs):
        home = os.open('/proc/self/ns/net', os.O_RDONLY)
        enter(ns)
        try:
            self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
            self.ifindex = {d: socket.if_nametoindex(d) for d in devs}
        finally:
            _setns_fd(home)
            os.close(home)
        self.ns, self.seq = ns, 1

    @staticmethod
    def attr(typ, data):
        return struct.pack('HH', 4 + len(data), typ) + data + \
            b'\0' * (-len(data) % 4)

    def talk(self, typ, flags, body):
        self.seq += 1
        msg = struct.pack('IHHII', 16 + len(body), typ, self.F | flags,
                          self.seq, 0) + body
        self.sock.send(msg)
        while True:
            buf = self.sock.recv(65536)
            ln, t, _, seq = struct.unpack_from('IHHI', buf)
            if t == 2 and seq == self.seq:
                err = struct.unpack_from('i', buf, 16)[0]
                if err:
                    raise OSError(-err, f'rtnetlink {typ} in {self.ns}: '
                                  f'{os.strerror(-err)}')
                return

    def netem(self, dev, loss=0.0, dup=0.0, reorder=0.0, delay_ms=0,
              jitter_ms=0):
        """Replace @dev's root qdisc with netem (probabilities 0..1)."""
        p = lambda x: min(int(x * 0xffffffff), 0xffffffff)     # noqa: E731
        qopt = struct.pack('IIIIII', 0, 1000, p(loss), 1 if reorder else 0,
                           p(dup), 0)
        opts = qopt + self.attr(10, struct.pack('q', delay_ms * 1000000)) + \
            self.attr(11, struct.pack('q', jitter_ms * 1000000))
        if reorder:
            opts += self.attr(3, struct.pack('II', p(reorder), 0))
        tcm = struct.pack('BxHiIII', 0, 0, self.ifindex[dev], 0,
                          0xffffffff, 0)
        self.talk(self.NEWQDISC, 0x400 | 0x100, tcm + self.attr(1, b'netem\0') +
                  self.attr(2, opts))

    def unqdisc(self, dev):
        tcm = struct.pack('BxHiIII', 0, 0, self.ifindex[dev], 0,
                          0xffffffff, 0)
        self.talk(self.DELQDISC, 0, tcm)

    def blackhole(self, addr, add=True):
        rtm = struct.pack('BBBBBBBBI', socket.AF_INET, 32, 0, 0, 254, 3, 0,
                          6, 0)
        self.talk(self.NEWROUTE if add else self.DELROUTE,
                  0x400 | 0x200 if add else 0,
                  rtm + self.attr(1, socket.inet_aton(addr)))


class Nemesis:
    """Faults on the links of cluster.sh's star topology, and their undoing,
    over rtnetlink (Rtnl)."""

    def __init__(self, c):
        self.c = c
        self.rt = {f'n{i}': Rtnl(f'n{i}', [f'v{i}']) for i in c.nodes}
        self.rt['rt'] = Rtnl('rt', [f'r{i}' for i in c.nodes])
        self.cmds = []          # functions making the next faults
        self.undo = []          # and undoing them
        self.undo_now = []      # what undoes the faults in place

    def netem(self, ns, dev, **spec):
        r = self.rt[ns]
        self.cmds.append(lambda: r.netem(dev, **spec))
        self.undo.append(lambda: r.unqdisc(dev))

    def everywhere(self, **spec):
        for i in self.c.nodes:
            self.netem(f'n{i}', f'v{i}', **spec)
            self.netem('rt', f'r{i}', **spec)

    def cut(self, i, out=True, into=True):
        if out:
            self.netem(f'n{i}', f'v{i}', loss=1.0)
        if into:
            self.netem('rt', f'r{i}', loss=1.0)

    def split(self, side_a, side_b):
        for a in side_a:
            for b in side_b:
                for x, y in ((a, b), (b, a)):
                    r, addr = self.rt[f'n{x}'], f'198.18.{y}.2'
                    self.cmds.append(lambda r=r, addr=addr: r.blackhole(addr))
                    self.undo.append(lambda r=r, addr=addr:
                                     r.blackhole(addr, False))

    def switch(self):
        """Lift the faults made so far and make the ones queued since."""
        for f in self.undo_now + self.cmds:
            f()
        self.undo_now, self.undo, self.cmds = self.undo, [], []


SCHEDULES = {
    'full': ['clean', 'loss', 'dup-reorder', 'leader-cut', 'minority',
             'split', 'one-way', 'reboot', 'settle'],
    'clean': ['settle'],
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--nodes', type=int, default=3)
    ap.add_argument('--schedule', default='full', choices=SCHEDULES)
    ap.add_argument('--phase', type=float, default=PHASE)
    ap.add_argument('--out', default='/tmp/faults')
    ap.add_argument('--rejoin', default='learner', choices=('learner', 'voter'))
    ap.add_argument('--label', default='')
    ap.add_argument('--writers', type=int, default=2)
    ap.add_argument('--pause', type=float, default=PAUSE,
                    help='seconds each writer waits between writes')
    a = ap.parse_args()
    # A hang is a failure with every thread's stack, not a VM timeout.
    faulthandler.dump_traceback_later(600 if KERNEL == 'test' else 300,
                                      exit=True)
    os.makedirs(a.out, exist_ok=True)
    tag = f'faults{a.label and " " + a.label}'

    def say(msg):
        print(f'{tag}: {msg}', flush=True)

    c = Cluster(a.nodes, os.urandom(32))
    nem = Nemesis(c)
    phases = SCHEDULES[a.schedule]
    say(f'{a.nodes} nodes, {a.writers} writers and a reader each, '
        f'{KERNEL} kernel, timing {TIMING}')
    say('schedule: ' + ', '.join(f'{p} {a.phase:g}s' for p in phases))
    minority = (a.nodes - 1) // 2

    t_setup = now()
    for i in c.nodes:
        c.group_new(i)
    stop_w, stop_r = threading.Event(), threading.Event()
    records = []
    writers = [Writer(f'n{i}w{k}', i, f'n{i}', stop_w, records,
                      pause=a.pause)
               for i in c.nodes for k in range(a.writers)]
    readers = {i: Reader(f'n{i}-reader', i, f'n{i}', stop_r) for i in c.nodes}
    # The first leader before the clock starts: the schedule measures faults,
    # not a cold start.
    deadline = now() + 60
    while not c.leader() and now() < deadline:
        time.sleep(0.2)
    say(f'leader n{c.leader()} after {now() - t_setup:.1f} s')
    for t in list(readers.values()) + writers:
        t.start()

    dead_logs = {}
    sched = []
    stats_before = {i: c.get(i).get('stats', {}) for i in c.nodes}
    rebooted = None
    heal_at = None
    for name in phases:
        t_lead = now()
        lead = c.leader()
        t_apply = now()
        followers = [i for i in c.nodes if i != lead] if lead else c.nodes[1:]
        what = ''
        if name == 'loss':
            nem.everywhere(loss=0.2)
            what = 'netem loss 20% on every link'
        elif name == 'dup-reorder':
            nem.everywhere(delay_ms=20, jitter_ms=10, reorder=0.25, dup=0.1)
            what = 'netem delay 20ms 10ms reorder 25% duplicate 10% on every link'
        elif name == 'leader-cut':
            nem.cut(lead or 1)
            what = f'leader n{lead} cut off'
        elif name == 'minority':
            cut = followers[:minority]
            for i in cut:
                nem.cut(i)
            what = 'followers ' + ','.join(f'n{i}' for i in cut) + ' cut off'
        elif name == 'split':
            side = ([lead] if lead else []) + followers[:minority - 1 if lead else minority]
            rest = [i for i in c.nodes if i not in side]
            nem.split(side, rest)
            what = (f'split {",".join(f"n{i}" for i in side)} (leader side) | '
                    f'{",".join(f"n{i}" for i in rest)}')
        elif name == 'one-way':
            nem.cut(lead or 1, out=True, into=False)
            what = f'leader n{lead}: outgoing lost, incoming delivered'
        elif name == 'reboot':
            rebooted = followers[-1]
            if a.rejoin == 'voter':
                # Issue 9 (membership changes) will let a re-created node
                # become a voter again; switch this on then.
                say('--rejoin voter needs membership changes (issue 9)')
                return 2
            dead_logs[f'n{rebooted}.1'] = dict(entries=c.dump(rebooted),
                                              noops=True, final=False)
            c.group_del(rebooted)
            time.sleep(0.5)
            c.group_new(rebooted, 'existing')
            what = (f'n{rebooted} group deleted and created again as '
                    f'existing (role {c.get(rebooted).get("role")})')
        elif name == 'settle':
            what = 'every fault lifted'
        nem.switch()
        start = now()
        if name == 'settle':
            heal_at = start
        say(f'{start - t_setup:6.1f} s phase {name}: {what or "no faults"} '
            f'(leader found in {t_apply - t_lead:.1f} s, '
            f'faults switched in {start - t_apply:.1f} s)')
        time.sleep(a.phase)
        sched.append(dict(name=name, start=start, end=now(),
                          must_commit=True))

    # Stop the writers (each ends within a proposal timeout), then wait for
    # every node to learn everything.
    nem.switch()
    stop_w.set()
    for t in writers:
        t.join(TIMING['proposal-timeout-ms'] / 1000 + 10)
    conv_start = now()
    last, same = None, 0
    while now() - conv_start < 60:
        gs = [c.get(i) for i in c.nodes]
        key = [(g.get('commit-slot'), g.get('last-chosen-slot'), g.get('queued'))
               for g in gs]
        ok = (len({k[0] for k in key}) == 1 and
              all(k[0] == max(x[1] for x in key) and not k[2] for k in key))
        same = same + 1 if ok and key == last else 0
        last = key
        if same >= 2:
            break
        time.sleep(0.5)
    say(f'converged: {same >= 2} after {now() - conv_start:.1f} s at '
        f'commit slots {[k[0] for k in last]}')
    t_dump = now()
    logs = dict(dead_logs)
    for i in c.nodes:
        logs[f'n{i}'] = dict(entries=c.dump(i), noops=True, final=True)
    # Readers catch up with the dumps, then stop.
    end = now() + 20
    for i in c.nodes:
        want = max([s for s, v in logs[f'n{i}']['entries'] if v is not None],
                   default=-1)
        while readers[i].last < want and now() < end:
            time.sleep(0.2)
    stop_r.set()
    for t in readers.values():
        t.join(5)
    for i, rd in readers.items():
        names = list(rd.logs)
        for k, n in enumerate(names):
            rd.logs[n]['final'] = k == len(names) - 1
        logs.update(rd.logs)
    say(f'logs dumped and read in {now() - t_dump:.1f} s')
    errors = [f'{t.name}: {t.error}' for t in writers + list(readers.values())
              if t.error]
    for e in errors:
        say(f'client error: {e}')
    undone = [r for r in records if r['outcome'] is None]
    for r in undone:        # a writer that never returned: unknown
        r['outcome'] = 'indeterminate'
        r['err'] = 'unreturned'

    # Elections per phase, for storms (continuous elections).
    stats = {i: c.get(i) for i in c.nodes}
    el = sum(s.get('stats', {}).get('elections', 0) -
             stats_before[i].get('elections', 0) for i, s in stats.items())
    say(f'elections {el}, leader changes '
        f'{sum(s.get("stats", {}).get("leader-changes", 0) for s in stats.values())}'
        f', roles {[s.get("state") for s in stats.values()]}')

    h = dict(records=records, logs=logs, phases=sched, heal=heal_at,
             bound=BOUND if heal_at is not None else None)
    with open(os.path.join(a.out, 'history.json'), 'w') as f:
        json.dump(h, f)
    t_check = now()
    r = history.check(h)
    say(f'checked in {now() - t_check:.1f} s; {now() - t_setup:.0f} s in all')
    for line in r.report().splitlines():
        print(line.replace('history:', f'{tag}:', 1), flush=True)
    if not r.ok or errors or same < 2:
        say('group state of every node (for storms: elections, leader changes):')
        for i, s in stats.items():
            print(f'  n{i}: {json.dumps(s, default=str)}', flush=True)
    for i in c.nodes:
        c.group_del(i)
    if errors:
        say('FAIL: client errors')
        return 1
    return 0 if r.ok else 1


if __name__ == '__main__':
    sys.exit(main())

# SPDX-License-Identifier: GPL-2.0
"""What an unprivileged user may do with paxos, and what it may pin (see
tests/57-unprivileged.sh).

  unprivileged.py CGROUP
      as root of an own user and network namespace (an unprivileged user's
      unshare -Urn), in CGROUP/main of a cgroup subtree delegated to it:
      a group on loopback works (propose, log-get); the other namespace's
      group is neither seen nor touched; /dev/paxos is root's; at most
      64 groups per namespace; a nested namespace runs into the module's
      max_userns_groups (66); then a group created from CGROUP/box
      (memory.max 1 MiB above what the group holds) is filled with 60 KiB
      values: the worker charges them to CGROUP/box, proposals fail at its
      limit (ENOMEM when the core refuses the value, ETIMEDOUT when it took
      it but found no memory to go on), the log stops growing, nobody is
      OOM-killed, and deleting the group gives the memory back.
"""
import ctypes
import errno
import os
import socket
import subprocess
import sys
import time

from paxos_test import (check, done, expect_errno, expect_nlerr, propose,
                        NlError, SPEC, YnlFamily)

KIB = 1024
MIB = 1024 * KIB
HEADROOM = 1 * MIB          # of the box above what its group holds at first
BIG = 61440                 # PAXOS_MAX_VALUE
PER_NS = 64                 # PAXOS_MAX_GROUPS
PAXOSCTL = os.path.join(os.environ['PAXOS_TOP'], 'userspace-tool/paxosctl')


def me(port):
    return {'node-id': 1, 'addr': {'ipv4': bytes([127, 0, 0, 1]),
                                   'port': port}}


def new(gid, port):
    return {'id': gid, 'node-id': 1, 'member': [me(port)], 'insecure': True}


def cg_read(path):
    with open(path) as f:
        return f.read()


def cg_write(path, text):
    with open(path, 'w') as f:
        f.write(text)


def cg_events(cg):
    return dict(line.split() for line in cg_read(f'{cg}/memory.events')
                .splitlines())


def cg_current(cg):
    return int(cg_read(f'{cg}/memory.current'))


def phase(what, t0):
    print(f'     {what}: {time.monotonic() - t0:.1f} s', flush=True)
    return time.monotonic()


def family():
    # The spec is checked against its schema elsewhere (netlink/gen.sh, the
    # other tests): validating it again costs 15 s on the debug kernel.
    return YnlFamily(SPEC, schema='')


def own(cgroup):
    t0 = time.monotonic()
    ynl = family()
    t0 = phase('netlink family', t0)

    # --- what works: a group of one's own on loopback ---
    ynl.do('group-new', new(2, 7001))
    slot = propose(ynl, 2, b'mine')
    log = ynl.dump('log-get', {'group-id': 2})
    check([(e.get('slot'), e.get('value')) for e in log] == [(slot, b'mine')],
          f'propose and log-get in an own namespace: {log}')

    # --- what is refused ---
    expect_nlerr(lambda: ynl.do('group-get', {'id': 1}), errno.ENOENT,
                 'group-get of the initial namespace\'s group')
    expect_nlerr(lambda: ynl.do('group-del', {'id': 1}), errno.ENOENT,
                 'group-del of the initial namespace\'s group')
    expect_nlerr(lambda: ynl.do('propose', {'group-id': 1, 'value': b'x'}),
                 errno.ENOENT, 'propose to the initial namespace\'s group')
    expect_errno(lambda: open('/dev/paxos', 'rb'), errno.EACCES,
                 '/dev/paxos (root\'s device) as an unprivileged user')

    t0 = phase('own group', t0)

    # --- at most PER_NS groups per namespace ---
    made = 1
    for i in range(PER_NS - 1):
        ynl.do('group-new', new(100 + i, 7100 + i))
        made += 1
    check(made == PER_NS, f'{PER_NS} groups in one namespace')
    expect_nlerr(lambda: ynl.do('group-new', new(999, 7999)), errno.ENOSPC,
                 f'group {PER_NS + 1} of a namespace',
                 extack_has='per namespace')

    # --- a nested namespace runs into max_userns_groups (66 here) ---
    nested(ynl, 2)

    for i in range(PER_NS - 1):
        ynl.do('group-del', {'id': 100 + i})
    ynl.do('group-del', {'id': 2})
    check(ynl.dump('group-get', {}) == [], 'groups deleted')
    t0 = phase('group limits', t0)

    memcg(ynl, cgroup)


def memcg(ynl, cgroup):
    """A group whose creator is in a memory cgroup cannot pin more than its
    memory.max, even through the worker (which runs in a kworker)."""
    box = f'{cgroup}/box'
    os.mkdir(box)
    # The group is made by a process in the box, which then exits: what the
    # group holds is charged there, the rest of this test runs outside.
    r = subprocess.run(['sh', '-c', 'echo $$ > "$0/cgroup.procs" && exec "$@"',
                        box, PAXOSCTL, 'group', 'add', 'id', '3', 'node', '1',
                        'listen', '127.0.0.1:7003', 'insecure',
                        'max-value-size', str(BIG), 'proposal-timeout', '1000',
                        'heartbeat', '20', 'election-min', '100',
                        'election-max', '200',
                        'member', '1', 'addr', '127.0.0.1:7003'])
    check(r.returncode == 0, 'paxosctl group add from the box')
    if r.returncode:
        return
    check(cg_read(f'{box}/cgroup.procs') == '', 'nothing runs in the box')
    base = cg_current(box)
    check(base >= 64 * KIB, f'the group is charged to its creator: {base}')
    limit = (base + HEADROOM) // 4096 * 4096
    cg_write(f'{box}/memory.max', str(limit))

    value = bytes(range(256)) * (BIG // 256)
    learned, errs, peak = 0, [], 0
    t0 = time.monotonic()
    for i in range(100):
        try:
            propose(ynl, 3, value, timeout=20)
            learned += 1
        except NlError as e:
            errs.append(e.error)
        except OSError as e:
            errs.append(e.errno)
        peak = max(peak, cg_current(box))
        # A value the core took, but found no memory to go on with, times
        # out instead (and may still be learned when memory comes back).
        if errs and (errs[-1] != errno.ETIMEDOUT or len(errs) >= 2):
            break
    ev = cg_events(box)
    names = [errno.errorcode.get(e, e) for e in errs]
    print(f'     {learned} learned, then {names} in '
          f'{time.monotonic() - t0:.1f} s', flush=True)
    check(errs and set(errs) <= {errno.ENOMEM, errno.ETIMEDOUT},
          f'proposals fail at the limit (ENOMEM, or ETIMEDOUT): {names}')
    # Each value kept pins 64 KiB; the per-CPU charge caches blur the rest.
    check(8 <= learned <= limit // (64 * KIB),
          f'{learned} values of 60 KiB were learned within memory.max')
    now = cg_current(box)
    check(now >= learned * BIG,
          f'the box paid for the log the worker kept: {now} bytes')
    check(peak <= limit and cg_current(box) <= limit,
          f'memory.current (peak {peak}) within memory.max {limit}')
    check(int(ev['max']) > 0, f'the box hit its limit: {ev}')
    check(ev['oom'] == '0' and ev['oom_kill'] == '0',
          'no OOM killer: allocations failed instead')
    log = ynl.dump('log-get', {'group-id': 3})
    timeouts = errs.count(errno.ETIMEDOUT)
    check(learned <= len(log) <= learned + timeouts and
          all(e.get('value') == value for e in log),
          f'the log is intact: {len(log)} values')

    ynl.do('group-del', {'id': 3})
    # Freed memory goes back at once (the per-CPU charge caches hold little).
    left = cg_current(box)
    check(left < base + MIB, f'deleting the group gave it back: {left}')
    os.rmdir(box)


def nested(ynl, n):
    """In a user and network namespace nested in ours (made by a child
    process): @n groups, then ENOSPC naming max_userns_groups."""
    pid = os.fork()
    if pid == 0:
        code = 3
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.unshare(0x10000000 | 0x40000000):  # NEWUSER | NEWNET
                raise OSError(ctypes.get_errno(), 'unshare')
            cg_write('/proc/self/setgroups', 'deny')
            cg_write('/proc/self/uid_map', '0 0 1')
            cg_write('/proc/self/gid_map', '0 0 1')
            subprocess.run(['ip', 'link', 'set', 'lo', 'up'], check=True)
            # A netlink socket speaks for the namespace it was made in.
            ynl.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                     ynl.nlproto.proto_num)
            for opt in (11, 10, 12):  # CAP_ACK, EXT_ACK, GET_STRICT_CHK
                ynl.sock.setsockopt(270, opt, 1)
            for i in range(n):
                ynl.do('group-new', new(10 + i, 7010 + i))
            expect_nlerr(lambda: ynl.do('group-new', new(20, 7020)),
                         errno.ENOSPC, f'group {n + 1} of a nested namespace',
                         extack_has='max_userns_groups')
            import paxos_test
            code = 1 if paxos_test.failures else 0
        finally:
            sys.stdout.flush()
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    check(os.waitstatus_to_exitcode(status) == 0,
          f'nested namespace: {n} groups, then ENOSPC')


own(sys.argv[1])
done()

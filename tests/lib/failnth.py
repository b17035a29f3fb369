# SPDX-License-Identifier: GPL-2.0
"""Every allocation of every paxos entry point, failed in turn (see
tests/70-fail-nth.sh, which sets failslab and fail_page_alloc up).

For each operation: write N to /proc/thread-self/fail-nth right before the
one system call, so that its Nth fault-injectable allocation fails, for
N = 1, 2, ... until the call goes through without the fault being hit.
Each time the call must either fail with a clear errno (ENOMEM or the
call's own error) and leave nothing behind, or succeed for real (an
allocation whose failure is tolerated, e.g. kvmalloc falling back to
vmalloc); the group must stay consistent and usable.  Leaks and kernel
complaints are the harness's business (kmemleak runs after the script).

Netlink requests run their handler inside sendmsg(2) in the sender's
task, so the fault lands there; an ack the kernel cannot allocate shows
as ENOBUFS on the next recv(2), after whatever the handler did.

Run in a network namespace whose address is 198.18.1.2 (n1 of
tests/harness/cluster.sh), with no group yet.
"""
import errno
import fcntl
import os
import select
import struct
import sys
import time

import paxos_test
from paxos_test import (PAXOS_IOC_BIND, PAXOS_IOC_GET_GROUP,
                        PAXOS_IOC_LAST_SLOT, PAXOS_IOC_NEXT_SLOT, done,
                        family, propose, wait_propose_ntf)

from lib.ynl import NlMsgs, Netlink  # the kernel's ynl, on paxos_test's path

LIMIT = 2000        # allocation points per call, at most
BLAME = ('invalid', 'bind', 'exists', 'at most')
ENOMEM, ENOBUFS = errno.ENOMEM, errno.ENOBUFS
MY_ADDR = bytes([198, 18, 1, 2])
KEY = bytes(range(32))

ynl = family()


def check(cond, what):
    """Thousands of checks: say only what fails (each sweep sums up)."""
    if not cond:
        paxos_test.check(False, what)
fail_nth = os.open('/proc/thread-self/fail-nth', os.O_RDWR)


def arm(n):
    os.pwrite(fail_nth, str(n).encode(), 0)


def disarm():
    """Stop injecting; whether the armed fault was injected."""
    left = int(os.pread(fail_nth, 32, 0))
    os.pwrite(fail_nth, b'0', 0)
    return left == 0


def member(node, port, addr=MY_ADDR):
    return {'node-id': node, 'addr': {'ipv4': addr, 'port': port}}


def group_params(gid, port):
    return {'id': gid, 'node-id': 1, 'key': KEY,
            'member': [member(1, port), member(2, port, bytes([198, 18, 2, 2])),
                       member(3, port, bytes([198, 18, 3, 2]))]}


seq = 1000
last_extack = ''


def recv(timeout):
    """One datagram from ynl's socket, or None after @timeout seconds."""
    if not select.select([ynl.sock], [], [], timeout)[0]:
        return None
    return ynl.sock.recv(1 << 17)


def nl(op_name, vals, dump=False, fault=0):
    """One request, its handler under fault @fault (0: none).
    Returns (errno or 0, replies, fault injected, ack lost); the error's
    extended ack message is left in last_extack."""
    global seq, last_extack
    seq += 1
    last_extack = ''
    op = ynl.ops[op_name]
    msg = ynl._encode_message(op, vals, [Netlink.NLM_F_DUMP] if dump else None,
                              seq)
    if fault:
        arm(fault)
    try:
        ynl.sock.send(msg)
        err = 0
    except OSError as e:
        err = e.errno
    fired = disarm() if fault else False
    if err:
        return err, [], fired, False
    replies, lost = [], False
    while True:
        try:
            data = recv(2 if lost else 60)
        except OSError as e:
            if e.errno == ENOBUFS and not lost:
                lost = True     # the reply or the ack was not allocated
                continue
            raise
        if data is None:
            check(lost, f'{op_name}: no answer within 60 s')
            return 0, replies, fired, True
        for m in NlMsgs(data, attr_space=op.attr_set):
            if m.nl_seq != seq:
                if m.nl_type == ynl.nlproto.family_id and \
                        m.raw[0] in ynl.async_msg_ids:
                    ynl.handle_ntf(ynl.nlproto.decode(ynl, m, None))
                continue        # a propose-ntf, queued for later
            if dump and m.error == -ENOBUFS and not err:
                # netlink_dump() could not allocate its first skb: the dump
                # stays on and goes on with the next read (as the kernel's
                # netlink does for any family); read it to its end.
                err = ENOBUFS
                continue
            if m.error or m.done:
                last_extack = (m.extack or {}).get('msg', '')
                return -m.error or err, replies, fired, lost
            d = ynl.nlproto.decode(ynl, m, op)
            replies.append(ynl._decode(d.raw_attrs, op.attr_set.name))


def nl_ok(op_name, vals, dump=False):
    err, replies, _, lost = nl(op_name, vals, dump)
    check(not err and not lost, f'{op_name} {vals}: {errno.errorcode.get(err)}'
          f'{" (ack lost)" if lost else ""}')
    return replies


def exists(gid):
    err, r, _, _ = nl('group-get', {'id': gid})
    check(err in (0, errno.ENOENT), f'group-get {gid}: {errno.errorcode.get(err)}')
    return not err


results = {}


def sweep(name, prepare, call, outcome, allowed=(ENOMEM,), expect=0):
    """Fail allocation 1, 2, ... of call(n); outcome(err, result, lost)
    checks the effect.  The sweep ends when no fault was injected, and
    the call then must end with @expect."""
    errs = {}
    tolerated = 0
    for n in range(1, LIMIT + 1):
        ctx = prepare()
        t = time.monotonic()
        err, result, fired, lost = call(n, ctx)
        dt = time.monotonic() - t
        if dt >= 30:
            check(False, f'{name} fault {n}: took {dt:.1f}s')
        if fired and err and err != expect:
            errs[err] = errs.get(err, 0) + 1
            check(err in allowed, f'{name} fault {n}: '
                  f'{errno.errorcode.get(err, err)} (want one of '
                  f'{[errno.errorcode[e] for e in allowed]})')
            # No extended ack may blame the request for the kernel's lack
            # of memory.
            if err in (ENOMEM, ENOBUFS, errno.ENFILE) and last_extack:
                check(not any(w in last_extack for w in BLAME),
                      f'{name} fault {n}: {errno.errorcode[err]} with '
                      f'"{last_extack}"')
        elif fired:
            tolerated += 1
        else:
            check(err == expect and not lost, f'{name}: without a fault: '
                  f'{errno.errorcode.get(err, err)}')
        outcome(n, err, result, lost, ctx)
        if not fired:
            break
    else:
        check(False, f'{name}: still faulting after {LIMIT} allocations')
    summary = ', '.join(f'{errno.errorcode.get(e, e)} {c}'
                        for e, c in sorted(errs.items()))
    print(f'{name}: {n - 1} allocation points ({summary or "no error"}'
          f'{f", {tolerated} tolerated" if tolerated else ""})', flush=True)
    results[name] = n - 1


# --- netlink ---

def nl_call(op_name, vals_of, dump=False):
    return lambda n, ctx: nl(op_name, vals_of(ctx), dump, n)


# group-new: no half-made group after a failure; a working one after success.
def new_prepare():
    if exists(50):
        nl_ok('group-del', {'id': 50})
    return None


def new_outcome(n, err, r, lost, ctx):
    there = exists(50)
    check(there == (not err), f'group-new fault {n}: '
          f'{errno.errorcode.get(err, "ok")}, group {"" if there else "not "}there')


# ENFILE: sock_alloc()'s errno when it cannot allocate the socket's inode.
sweep('group-new', new_prepare, nl_call('group-new', lambda c: group_params(50, 7050)),
      new_outcome, (ENOMEM, ENOBUFS, errno.ENFILE))
nl_ok('group-del', {'id': 50})

# A group of one that chooses at once, with a few values.
nl_ok('group-new', {'id': 51, 'node-id': 1, 'key': KEY,
                    'member': [member(1, 7051)]})
values = {}
for i in range(3):
    v = b'value %d' % i
    values[propose(ynl, 51, v)] = v
nl_ok('group-new', dict(group_params(53, 7053), **{'proposal-timeout-ms': 100}))


def log_of(gid):
    return {e['slot']: e.get('value') for e in nl_ok('log-get', {'group-id': gid}, True)}


def same_log(where):
    log = log_of(51)
    check(log == values, f'{where}: the log holds {len(log)} values, '
          f'want {len(values)}')


def read_outcome(what, check_reply):
    def outcome(n, err, r, lost, ctx):
        # A dump that had to wait for a read (ENOBUFS) still says it all.
        if not lost and (not err or (err == ENOBUFS and r)):
            check(check_reply(r), f'{what} fault {n}: reply {r}')
    return outcome


sweep('group-get', lambda: None, nl_call('group-get', lambda c: {'id': 51}),
      read_outcome('group-get', lambda r: len(r) == 1 and r[0]['id'] == 51),
      (ENOMEM, ENOBUFS))
sweep('group-get dump', lambda: None,
      nl_call('group-get', lambda c: {}, True),
      read_outcome('group-get dump',
                   lambda r: sorted(g['id'] for g in r) == [51, 53]),
      (ENOMEM, ENOBUFS))
sweep('log-get', lambda: None,
      nl_call('log-get', lambda c: {'group-id': 51}, True),
      read_outcome('log-get',
                   lambda r: {e['slot']: e.get('value') for e in r} == values),
      (ENOMEM, ENOBUFS))


# propose: chosen exactly when it says so (or when only its ack was lost).
def propose_prepare():
    return b'proposed %d' % (len(values) + 1)


def propose_outcome(n, err, r, lost, v):
    if not err and r and r[0].get('pending'):   # a slow machine
        ntf = wait_propose_ntf(ynl, r[0]['request-id'], 60)
        check(ntf and not ntf.get('error'), f'propose fault {n}: {ntf}')
        r = [ntf] if ntf else r
    if not err and r and 'slot' in r[0]:
        values[r[0]['slot']] = v
    elif not err and lost:      # the reply itself was lost: look it up
        log = log_of(51)
        new = {s: x for s, x in log.items() if s not in values}
        check(list(new.values()) in ([], [v]), f'propose fault {n}: {new}')
        values.update(new)
    time.sleep(0.05)            # let a value still on its way land
    same_log(f'propose fault {n}')


sweep('propose', propose_prepare,
      lambda n, v: nl('propose', {'group-id': 51, 'value': v}, False, n),
      propose_outcome, (ENOMEM, ENOBUFS))


# Without a quorum (the proposal times out within the handler's wait): the
# same allocations as one answered pending.
def pending_outcome(n, err, r, lost, ctx):
    if not err and r:
        check(r[0].get('pending') or 'slot' not in r[0],
              f'propose without quorum fault {n}: {r}')


sweep('propose pending', lambda: None,
      lambda n, c: nl('propose', {'group-id': 53, 'value': b'x'}, False, n),
      pending_outcome, (ENOMEM, ENOBUFS, errno.ETIMEDOUT), errno.ETIMEDOUT)

sweep('group-set-key', lambda: None,
      nl_call('group-set-key', lambda c: {'id': 51, 'key': KEY[::-1]}),
      lambda n, err, r, lost, c: None, (ENOMEM, ENOBUFS))
values[propose(ynl, 51, b'after rekeying')] = b'after rekeying'
same_log('after group-set-key')


# group-del: gone after success; still there and working after a failure.
def del_prepare():
    if not exists(52):
        nl_ok('group-new', dict(group_params(52, 7052)))
    return None


def del_outcome(n, err, r, lost, ctx):
    there = exists(52)
    check(there == bool(err), f'group-del fault {n}: '
          f'{errno.errorcode.get(err, "ok")}, group {"" if there else "not "}there')


sweep('group-del', del_prepare, nl_call('group-del', lambda c: {'id': 52}),
      del_outcome, (ENOMEM, ENOBUFS))


# --- /dev/paxos ---

def sys_call(fn):
    """fn() under fault n: (errno or 0, result, injected, False)."""
    def call(n, ctx):
        arm(n)
        try:
            res, err = fn(ctx), 0
        except OSError as e:
            res, err = None, e.errno
        return err, res, disarm(), False
    return call


def dev_open(ctx):
    return os.open('/dev/paxos', os.O_RDWR)


def open_outcome(n, err, fd, lost, ctx):
    if not err:
        fcntl.ioctl(fd, PAXOS_IOC_BIND, struct.pack('I', 51))
        got = fcntl.ioctl(fd, PAXOS_IOC_GET_GROUP, b'\0' * 4)
        check(struct.unpack('I', got)[0] == 51, f'open fault {n}: bound')
        os.close(fd)


sweep('open', lambda: None, sys_call(dev_open), open_outcome)

fd = os.open('/dev/paxos', os.O_RDWR)
fcntl.ioctl(fd, PAXOS_IOC_BIND, struct.pack('I', 51))


def write_prepare():
    return b'written %d' % (len(values) + 1)


def write_outcome(n, err, res, lost, v):
    if not err:
        check(res == len(v), f'write fault {n}: returned {res}')
        slot = struct.unpack('Q', fcntl.ioctl(fd, PAXOS_IOC_LAST_SLOT,
                                               b'\0' * 8))[0]
        values[slot] = v
    time.sleep(0.05)
    same_log(f'write fault {n}')


sweep('write', write_prepare, sys_call(lambda v: os.write(fd, v)),
      write_outcome)

first = min(values)


def read_prepare():
    os.lseek(fd, first, os.SEEK_SET)
    return None


def read_outcome_dev(n, err, res, lost, ctx):
    pos = os.lseek(fd, 0, os.SEEK_CUR)
    if not err:
        check(res == values[first] and pos == first + 1,
              f'read fault {n}: {res} at {pos}')
    else:
        check(pos == first and os.read(fd, 65536) == values[first],
              f'read fault {n}: {errno.errorcode.get(err)} consumed nothing')


sweep('read', read_prepare, sys_call(lambda c: os.read(fd, 65536)),
      read_outcome_dev)

for name, req, size in (('ioctl bind', PAXOS_IOC_BIND, None),
                        ('ioctl get-group', PAXOS_IOC_GET_GROUP, 4),
                        ('ioctl last-slot', PAXOS_IOC_LAST_SLOT, 8),
                        ('ioctl next-slot', PAXOS_IOC_NEXT_SLOT, 8)):
    arg = struct.pack('I', 51) if size is None else b'\0' * size
    sweep(name, lambda: None,
          sys_call(lambda c, req=req, arg=arg: fcntl.ioctl(fd, req, arg)),
          lambda n, err, res, lost, c: None)


def do_poll(ctx):
    p = select.poll()
    p.register(fd, select.POLLIN | select.POLLOUT)
    return p.poll(1)        # a timeout: poll_wait() allocates its table


os.lseek(fd, 0, os.SEEK_END)
sweep('poll', lambda: None, sys_call(do_poll),
      lambda n, err, res, lost, c: check(
          err or (res and res[0][1] & select.POLLOUT and
                  not res[0][1] & select.POLLIN), f'poll fault {n}: {res}'))
os.close(fd)

# The groups still work, and go away cleanly.
values[propose(ynl, 51, b'at the end')] = b'at the end'
same_log('at the end')
for gid in (51, 53):
    nl_ok('group-del', {'id': gid})
check(nl_ok('group-get', {}, True) == [], 'every group deleted')
print('allocation points: ' + ', '.join(f'{k} {v}' for k, v in results.items()))
done()

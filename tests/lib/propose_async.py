# SPDX-License-Identifier: GPL-2.0
"""Asynchronous netlink propose (run in n1 of a three-node
tests/harness/cluster.sh network; it makes the groups):

  1: no quorum, proposal-timeout-ms 2000    2: three live nodes
  3, 4: no quorum, proposal timeout 10 min  5: n1 alone, max-value-size 60 KiB

  - without a quorum the reply says pending (with a request id) after about
    a second, not after the proposal timeout, and a propose-ntf with
    ETIMEDOUT follows on the same socket; request ids differ;
  - a signal during the wait gives pending too, not EINTR;
  - deleting the group sends ENOTCONN to the sockets that wait, and nothing
    to a new socket that took the portid of one that was closed;
  - with a quorum the reply carries the slot;
  - log-get delivers a 60 KiB value between two small ones;
  - while a proposal is pending, rmmod (which registers nothing but takes
    generic netlink's lock for writing, as any family registration does)
    and a generic netlink family lookup behind it finish at once.
"""
import ctypes
import errno
import os
import signal
import struct
import subprocess
import sys
import threading
import time

from paxos_test import (NlError, check, done, expect_nlerr, family,
                        genl_family_id, propose, sibling, wait_propose_ntf)

ynl = family()
KEY = os.urandom(32)
libc = ctypes.CDLL(None, use_errno=True)


def setns(path):
    fd = os.open(path, os.O_RDONLY)
    try:
        if libc.setns(fd, 0x40000000):      # CLONE_NEWNET
            raise OSError(ctypes.get_errno(), f'setns {path}')
    finally:
        os.close(fd)


def group_new(y, gid, node, nodes, port, **extra):
    mem = [{'node-id': i, 'addr': {'ipv4': bytes([198, 18, i, 2]), 'port': port}}
           for i in range(1, nodes + 1)]
    y.do('group-new', dict({'id': gid, 'node-id': node, 'key': KEY,
                            'member': mem, 'heartbeat-ms': 50,
                            'election-min-ms': 300, 'election-max-ms': 600},
                           **extra))


# Groups 1, 3 and 4: three voters of which only n1 exists, no quorum.
group_new(ynl, 1, 1, 3, 7000, **{'proposal-timeout-ms': 2000})
group_new(ynl, 3, 1, 3, 7200, **{'proposal-timeout-ms': 600000})
group_new(ynl, 4, 1, 3, 7400, **{'proposal-timeout-ms': 600000})
# Group 5: n1 alone (a quorum of one), values up to 60 KiB.
group_new(ynl, 5, 1, 1, 7300, **{'max-value-size': 61440})
# Group 2 on all three nodes: sockets opened in n2 and n3 for them.
home = f'/proc/self/fd/{os.open("/proc/self/ns/net", os.O_RDONLY)}'
for node in (1, 2, 3):
    setns(f'/run/netns/n{node}')
    y = sibling(ynl)
    group_new(y, 2, node, 3, 7100)
    y.sock.close()
setns(home)


def syscall_of(tid):
    try:
        return open(f'/proc/{tid}/syscall').read().split()[0]
    except OSError:
        return '?'


def wait_in_send(tid, timeout=30, asleep=False):
    """Wait until task @tid sits in sendto(2) (x86-64: 44), and sleeps
    there if @asleep (in the handler's wait)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if syscall_of(tid) == '44' and (not asleep or open(
                f'/proc/{tid}/stat').read().split()[2] == 'S'):
            return True
        time.sleep(0.002)
    return False


# --- no quorum: pending after about a second, then ETIMEDOUT ---
replies = {}


def timed_propose(name, group, value):
    y = sibling(ynl)
    t = time.monotonic()
    try:
        replies[name] = (y, y.do('propose', {'group-id': group, 'value': value}),
                         time.monotonic() - t, t)
    except NlError as e:
        replies[name] = (y, e, time.monotonic() - t, t)


th = [threading.Thread(target=timed_propose, args=(f'p{i}', 1, b'lonely %d' % i))
      for i in range(2)]
for x in th:
    x.start()
for x in th:
    x.join()
ids = set()
for name in ('p0', 'p1'):
    y, r, dt, t0 = replies[name]
    ok = isinstance(r, dict) and r.get('pending') is True and 'slot' not in r
    check(ok and isinstance(r.get('request-id'), int),
          f'{name}: no quorum: reply {r}')
    check(0.9 <= dt < 3, f'{name}: answered after {dt:.2f}s: the 1 s bound, '
          'not the 2 s proposal timeout')
    if not ok:
        continue
    ids.add(r['request-id'])
    ntf = wait_propose_ntf(y, r['request-id'], 30)
    dt = time.monotonic() - t0
    check(ntf is not None and ntf.get('error') == errno.ETIMEDOUT and
          ntf.get('group-id') == 1 and 'slot' not in ntf,
          f'{name}: propose-ntf {ntf} (want error ETIMEDOUT)')
    check(1.9 <= dt < 20, f'{name}: propose-ntf after {dt:.1f}s '
          '(proposal-timeout-ms 2000)')
check(len(ids) == 2, f'two pending proposals, two request ids {ids}')

# --- membership changes are answered the same way: pending, then their
# propose-ntf (group 1 still has no quorum) ---
y = sibling(ynl)
for op, req in (('member-add', {'group-id': 1, 'node-id': 9, 'role': 'learner',
                                'addr': {'ipv4': bytes([198, 18, 9, 2]),
                                         'port': 7000}}),
                ('member-promote', {'group-id': 1, 'node-id': 2,
                                    'incarnation': 12345})):
    t = time.monotonic()
    r = y.do(op, req)
    ok = r.get('pending') is True and isinstance(r.get('request-id'), int)
    check(ok and 'slot' not in r, f'{op} without a quorum: reply {r}')
    if ok:
        ntf = wait_propose_ntf(y, r['request-id'], 30)
        check(ntf is not None and ntf.get('error') == errno.ETIMEDOUT,
              f'{op}: propose-ntf {ntf} (want error ETIMEDOUT)')
# A rekey that keeps the old key for a grace period (group 5: n1 alone,
# which goes on choosing).
ynl.do('group-set-key', {'id': 5, 'key': KEY[::-1], 'key-grace-ms': 1000})

# --- a signal during the wait: pending, not EINTR ---
# The child speaks raw netlink: the request is encoded here, and it only
# needs a few attribute numbers to read the answers.
LOG = ynl.attr_sets['log'].attrs
numbers = [LOG[a].value for a in ('request-id', 'pending', 'error')] + \
    [ynl.msgs['propose-ntf'].rsp_value]
request = ynl._encode_message(ynl.ops['propose'], {'group-id': 3,
                                                   'value': b'interrupted'},
                              None, 77)
child = subprocess.Popen([sys.executable, '-c', '''
import select, signal, socket, struct, sys, time
signal.signal(signal.SIGUSR1, lambda *a: None)
A_REQ, A_PENDING, A_ERROR, CMD_NTF = map(int, sys.argv[2].split(","))
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)


def messages():
    data = s.recv(1 << 16)
    off = 0
    while off + 16 <= len(data):
        ln, typ = struct.unpack_from("IH", data, off)
        attrs, a = {}, off + 20
        while typ != 2 and a + 4 <= off + ln:
            alen, atype = struct.unpack_from("HH", data, a)
            attrs[atype & 0x3fff] = data[a + 4:a + alen]
            a += (alen + 3) & ~3
        yield typ, data[off + 16], attrs, data[off + 16:off + 20]
        off += (ln + 3) & ~3


print("ready", flush=True)
t = time.monotonic()
s.send(bytes.fromhex(sys.argv[1]))
rid = pending = acked = None
while not acked:
    for typ, cmd, attrs, head in messages():
        if typ == 2 and struct.unpack("i", head)[0]:
            print("error", -struct.unpack("i", head)[0], flush=True)
            sys.exit(0)
        acked = typ == 2
        if not acked:
            rid = struct.unpack("I", attrs[A_REQ])[0] if A_REQ in attrs else None
            pending = A_PENDING in attrs
print("reply %.2f %s %s" % (time.monotonic() - t, pending, rid), flush=True)
while select.select([s], [], [], 300)[0]:
    for typ, cmd, attrs, head in messages():
        if typ != 2 and cmd == CMD_NTF and \\
                struct.unpack("I", attrs[A_REQ])[0] == rid:
            print("ntf", struct.unpack("I", attrs[A_ERROR])[0], flush=True)
            sys.exit(0)
print("ntf none", flush=True)
''', request.hex(), ','.join(map(str, numbers))], stdout=subprocess.PIPE,
    text=True)
check(child.stdout.readline().strip() == 'ready', 'signalled child ready')
in_send = wait_in_send(child.pid)
child.send_signal(signal.SIGUSR1)
line = child.stdout.readline().split()
check(in_send and len(line) == 4 and line[0] == 'reply' and
      line[2] == 'True' and float(line[1]) < 0.95,
      f'signalled in the wait: {line} (want pending at once, not EINTR)')

# --- deletion: ENOTCONN to the waiters, nothing to a reused portid ---
PORTID = 0x7a7a0001
orphan = sibling(ynl)
orphan.sock.bind((PORTID, 0))
ro = orphan.do('propose', {'group-id': 3, 'value': b'orphan'})
check(ro.get('pending') is True, f'orphan proposal pending: {ro}')
orphan.sock.close()
heir = sibling(ynl)
heir.sock.bind((PORTID, 0))   # the closed socket's portid, taken again
r3 = ynl.do('propose', {'group-id': 3, 'value': b'deleted'})
check(r3.get('pending') is True and r3.get('request-id') not in
      (ro.get('request-id'), None), f'second proposal pending: {r3}')
# From another socket: the 6.12 ynl library loses track of its request
# when a notification for an earlier one comes between its reply and ack.
sibling(ynl).do('group-del', {'id': 3})
ntf = wait_propose_ntf(ynl, r3.get('request-id'), 10)
check(ntf is not None and ntf.get('error') == errno.ENOTCONN and
      ntf.get('group-id') == 3, f'group-del: propose-ntf {ntf} (want ENOTCONN)')
line = child.stdout.readline().split()
check(line == ['ntf', str(errno.ENOTCONN)],
      f'group-del: the signalled proposal ends with {line}')
child.wait(timeout=30)
wait_propose_ntf(heir, None, 1)
check(not heir.async_msg_queue,
      f'the socket that reused a closed one\'s portid got {heir.async_msg_queue}')

# --- a quorum: the reply carries the slot ---
end = time.monotonic() + 60
while True:      # the first proposal may wait for an election
    try:
        propose(ynl, 2, b'warm up', 30)
        break
    except OSError as e:
        if time.monotonic() > end:
            check(False, f'group 2 never chose a value: {e}')
            break
t = time.monotonic()
r = ynl.do('propose', {'group-id': 2, 'value': b'with quorum'})
dt = time.monotonic() - t
check('slot' in r and 'pending' not in r and 'request-id' not in r,
      f'quorum: reply {r} after {dt:.2f}s')
log = ynl.dump('log-get', {'group-id': 2, 'slot-start': r.get('slot', 1)})
check(log and log[0].get('value') == b'with quorum',
      f'quorum: slot {r.get("slot")} holds {log[:1]}')

# --- log-get of a 60 KiB value ---
big = os.urandom(61440)
values = [b'small one', big, b'small two']
slots = [propose(ynl, 5, v) for v in values]
for y, what in ((ynl, 'log-get'), (sibling(ynl), 'log-get on a new socket')):
    log = y.dump('log-get', {'group-id': 5})
    got = [(e.get('slot'), e.get('value')) for e in log]
    check(got == list(zip(slots, values)),
          f'{what}: {[(s, len(v or b"")) for s, v in got]} '
          f'(want {[(s, len(v)) for s, v in zip(slots, values)]})')
expect_nlerr(lambda: ynl.dump('log-get', {'group-id': 77}), errno.ENOENT,
             'log-get of no group', 'group')

# --- rmmod and a family lookup while a proposal is pending ---
# rmmod takes generic netlink's lock for writing (to unregister the
# family), as loading or unloading any netlink family does: it waits for
# the proposal's handler, and every generic netlink request waits behind
# it.  delete_module(2) from a thread of ours, so that it gets there
# within the handler's second (a fork and exec of rmmod may not).
res = {}


def held():
    res['tid'] = threading.get_native_id()
    y = sibling(ynl)
    t = time.monotonic()
    try:
        res['r'] = y.do('propose', {'group-id': 4, 'value': b'held'})
    except NlError as e:
        res['r'] = e
    res['dt'] = time.monotonic() - t


def unload():
    res['rm_tid'] = threading.get_native_id()
    r = libc.syscall(176, b'paxos', os.O_NONBLOCK)     # delete_module
    res['rm'] = ctypes.get_errno() if r else 0


th = threading.Thread(target=held)
th.start()
while 'tid' not in res:
    time.sleep(0.001)
wait_in_send(res['tid'], asleep=True)
rm = threading.Thread(target=unload)
rm.start()
while 'rm_tid' not in res:
    time.sleep(0.001)
blocked = False     # delete_module waits for generic netlink's lock...
while 'dt' not in res and 'rm' not in res and not blocked:
    try:
        blocked = open(f'/proc/self/task/{res["rm_tid"]}/stat'
                       ).read().split()[2] == 'D'
    except OSError:
        break
    time.sleep(0.002)
t = time.monotonic()
fid = genl_family_id('nlctrl', timeout=120)   # ...and this one behind it
dt = time.monotonic() - t
check(blocked, 'delete_module waited for the proposal\'s handler')
check(fid == 0x10 and dt < 3, f'family lookup behind it answered in {dt:.2f}s')
th.join(timeout=120)
check(isinstance(res.get('r'), dict) and res['r'].get('pending') is True and
      res['dt'] < 3, f'proposal held over rmmod: {res.get("r")} after '
      f'{res.get("dt", -1):.2f}s')
rm.join(timeout=120)
check(res.get('rm') == 0, f'rmmod with a proposal pending: {res.get("rm")}')
done()

# SPDX-License-Identifier: GPL-2.0
"""Races and overruns of /dev/paxos and the group lifecycle (run in n1 by
tests/55-races.sh).

  races.py rebind       epoll follows a file rebound to another group, and
                        deleting the group it left leaves epoll intact
  races.py overrun      a reader that falls behind the retention gets EPIPE
                        once, then the first retained slot
  races.py soak SECS    for SECS seconds at once: a group created and
                        deleted over and over, writers, readers and
                        rebinding epoll users of it, and namespaces with
                        groups coming and going
  races.py groups N PORT [NETNS...]
                        create groups 1..N on ports PORT+1.. (127.0.0.1),
                        here or in each network namespace named

Groups made here are one-node groups (values are chosen at once) on
198.18.1.2, the address of n1 in tests/harness/cluster.sh.
"""
import errno
import fcntl
import os
import random
import select
import struct
import subprocess
import sys
import threading
import time

from paxos_test import (PAXOS_IOC_BIND, PAXOS_IOC_LAST_SLOT, check, done,
                        expect_errno, family, member)

N1 = '198.18.1.2'


def group_new(ynl, gid, port, addr=N1, **extra):
    req = {'id': gid, 'node-id': 1, 'member': [member(1, addr, port)],
           'key': os.urandom(32)}
    req.update(extra)
    ynl.do('group-new', req)


def bind(fd, gid):
    fcntl.ioctl(fd, PAXOS_IOC_BIND, struct.pack('I', gid))


def last_slot(fd):
    return struct.unpack('Q', fcntl.ioctl(fd, PAXOS_IOC_LAST_SLOT,
                                          bytes(8)))[0]


def dev(gid, flags=os.O_RDWR):
    fd = os.open('/dev/paxos', flags)
    bind(fd, gid)
    return fd


def rebind():
    """Groups 11 and 12 exist (created by the caller)."""
    ynl = family()
    fd = dev(11)
    os.lseek(fd, 0, os.SEEK_END)
    ep = select.epoll()
    ep.register(fd, select.EPOLLIN)
    check(not ep.poll(0), 'epoll: nothing to read at the end of group 11')

    # Rebound to group 12: epoll must now hear group 12's log.
    bind(fd, 12)
    os.lseek(fd, 0, os.SEEK_END)
    ep.poll(0)
    wr = dev(12, os.O_WRONLY)
    os.write(wr, b'to twelve')
    ev = ep.poll(10)
    check(ev and ev[0][1] & select.EPOLLIN,
          f'epoll hears the group the file was rebound to ({ev})')
    check(os.read(fd, 100) == b'to twelve', 'and the read gets its value')

    # The group it left goes away while epoll still watches the file:
    # nothing of it may be used after it is freed (KASAN), on removal from
    # epoll or on close.
    ynl.do('group-del', {'id': 11})
    os.write(wr, b'still twelve')
    ev = ep.poll(10)
    check(ev and ev[0][1] & select.EPOLLIN,
          f'epoll still hears group 12 after group 11 is deleted ({ev})')
    ep.unregister(fd)
    ep.close()

    # Rebinding back and forth, with the group deleted under an epoll
    # that is closed after the file.
    group_new(ynl, 11, 7011)
    ep = select.epoll()
    ep.register(fd, select.EPOLLIN)
    bind(fd, 11)
    bind(fd, 12)
    bind(fd, 11)
    ynl.do('group-del', {'id': 12})
    ev = ep.poll(1)
    check(not any(e & select.EPOLLHUP for _, e in ev),
          f'no hang-up from the group it left ({ev})')
    ynl.do('group-del', {'id': 11})
    ev = ep.poll(10)
    check(ev and ev[0][1] & select.EPOLLHUP,
          f'hang-up once its own group is deleted ({ev})')
    os.close(fd)
    os.close(wr)
    ep.close()
    done()


def overrun():
    """Group 13 exists with retention 16."""
    rd = dev(13, os.O_RDONLY)
    wr = dev(13, os.O_WRONLY)
    slots = {}
    os.write(wr, b'v0')
    slots[last_slot(wr)] = b'v0'
    check(os.read(rd, 100) == b'v0', 'the reader reads the first value')

    # It stops reading; 100 values go by and the group trims all but the
    # last 16 or so.
    for i in range(1, 101):
        v = b'v%d' % i
        os.write(wr, v)
        slots[last_slot(wr)] = v
    pos = os.lseek(rd, 0, os.SEEK_CUR)
    p = select.poll()
    p.register(rd, select.POLLIN)
    check(p.poll(0), 'an overrun reader polls readable')
    expect_errno(lambda: os.read(rd, 100), errno.EPIPE,
                 'the overrun reader\'s next read')
    first = os.lseek(rd, 0, os.SEEK_CUR)
    check(first > pos + 50, f'EPIPE moved it from slot {pos} to the first '
          f'retained slot {first}')
    want = [slots[s] for s in sorted(slots) if s >= first]
    got = []
    try:
        for _ in want:
            got.append(os.read(rd, 100))
    except OSError as e:
        check(False, f'read after EPIPE: {errno.errorcode.get(e.errno)}')
    check(got == want, f'then every retained value in order '
          f'({len(got)} of {len(want)}, from {got[:1]})')
    check(0 < len(want) < 40, f'{len(want)} values retained (retention 16)')

    # A new reader starts at the first retained slot, with no EPIPE; so
    # does one that seeks to position 0.
    rd2 = dev(13, os.O_RDONLY)
    check(os.read(rd2, 100) == want[0], 'a new reader starts at the first '
          'retained slot')
    os.lseek(rd2, 0, os.SEEK_SET)
    check(os.read(rd2, 100) == want[0], 'position 0 is the first retained '
          'slot, without EPIPE')
    # Seeking back before it is an overrun too.
    os.lseek(rd2, 1, os.SEEK_SET)
    expect_errno(lambda: os.read(rd2, 100), errno.EPIPE,
                 'a read at a trimmed slot after lseek')
    check(os.read(rd2, 100) == want[0], 'and then the first retained slot')
    for f in (rd, rd2, wr):
        os.close(f)
    done()


# --- soak ---

SOAK_GROUP = 20		# created and deleted over and over
STABLE_GROUP = 21	# always there
# Short-lived: elects itself within its life, trims, times out quickly.
SOAK_PARAMS = {'retention': 16, 'heartbeat-ms': 10, 'election-min-ms': 50,
               'election-max-ms': 100, 'proposal-timeout-ms': 1000}
# EADDRINUSE: a group-new that comes while a group-del of the same group
# is still closing its socket (group-del returns once it is closed).
ALLOWED = {errno.ENOTCONN, errno.ENOENT, errno.ETIMEDOUT, errno.EAGAIN,
           errno.EINTR, errno.EPIPE, errno.EEXIST, errno.EADDRINUSE}
counts = {}
errors = []
lock = threading.Lock()


def count(what):
    with lock:
        counts[what] = counts.get(what, 0) + 1


def unexpected(what, e):
    with lock:
        errors.append(f'{what}: {e!r}')


def loop(name, end, body):
    def run():
        while time.monotonic() < end:
            try:
                body()
                count(name)
            except OSError as e:
                if e.errno in ALLOWED:
                    count(f'{name}:{errno.errorcode[e.errno]}')
                else:
                    unexpected(name, e)
            except Exception as e:  # noqa: BLE001 (netlink errors)
                err = getattr(e, 'error', None)
                if err in ALLOWED:
                    count(f'{name}:{errno.errorcode[err]}')
                else:
                    unexpected(name, e)
    t = threading.Thread(target=run, name=name, daemon=True)
    t.start()
    return t


def soak(secs):
    end = time.monotonic() + secs
    ynl_cd = family()
    ynl_del = family()
    group_new(family(), STABLE_GROUP, 7021)

    def create():
        group_new(ynl_cd, SOAK_GROUP, 7020, **SOAK_PARAMS)
        time.sleep(random.random() * 0.2)

    def delete():
        time.sleep(random.random() * 0.3)
        ynl_del.do('group-del', {'id': SOAK_GROUP})

    def write():
        fd = os.open('/dev/paxos', os.O_WRONLY |
                     (os.O_NONBLOCK if random.random() < 0.3 else 0))
        try:
            bind(fd, SOAK_GROUP)
            for i in range(random.randint(1, 20)):
                os.write(fd, b'soak %d' % i)
        finally:
            os.close(fd)

    def read():
        fd = os.open('/dev/paxos', os.O_RDONLY | os.O_NONBLOCK)
        try:
            bind(fd, SOAK_GROUP)
            p = select.poll()
            p.register(fd, select.POLLIN)
            for _ in range(random.randint(1, 50)):
                p.poll(50)
                try:
                    os.read(fd, 65536)
                except OSError as e:
                    if e.errno != errno.EAGAIN:
                        raise
        finally:
            os.close(fd)

    def epoll_rebind():
        fd = os.open('/dev/paxos', os.O_RDWR | os.O_NONBLOCK)
        ep = select.epoll()
        try:
            ep.register(fd, select.EPOLLIN | select.EPOLLOUT)
            for gid in random.sample([SOAK_GROUP, STABLE_GROUP] * 3, 4):
                try:
                    bind(fd, gid)
                except OSError as e:
                    if e.errno != errno.ENOENT:
                        raise
                ep.poll(0.02)
            if random.random() < 0.5:
                ep.unregister(fd)
        finally:
            if random.random() < 0.5:
                os.close(fd)
                ep.close()
            else:
                ep.close()
                os.close(fd)

    ynl_ns = family()

    def netns():
        # A child in a namespace of its own makes a few groups there and
        # exits: they go with the namespace's exit.  (It forks rather than
        # starts a new python: loading the netlink spec takes seconds.)
        n = random.randint(1, 8)
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                unshare_net(ynl_ns)
                groups(n, 7300, ynl_ns)
                code = 0
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        if status:
            raise RuntimeError(f'netns child exited with status {status:#x}')

    threads = [loop('create', end, create), loop('delete', end, delete),
               loop('write', end, write), loop('write', end, write),
               loop('read', end, read), loop('epoll-rebind', end,
                                             epoll_rebind),
               loop('netns', end, netns)]
    for t in threads:
        t.join(timeout=secs + 180)
        check(not t.is_alive(), f'{t.name} loop finished')
    print('counts:', ' '.join(f'{k}={v}' for k, v in sorted(counts.items())),
          flush=True)
    for e in errors[:20]:
        print('  ', e)
    check(not errors, f'{len(errors)} unexpected errors')
    for what in ('create', 'delete', 'write', 'read', 'epoll-rebind',
                 'netns'):
        check(counts.get(what, 0) > 0, f'{what} ran ({counts.get(what, 0)})')
    # Whatever was left: the stable group still works.
    fd = dev(STABLE_GROUP)
    os.write(fd, b'after the soak')
    check(last_slot(fd) > 0, 'the stable group still learns values')
    os.close(fd)
    done()


def unshare_net(ynl, path=None):
    """Move this (single-threaded) process to a new network namespace,
    with lo up, or to the one at @path, and @ynl's socket with it."""
    import ctypes
    import socket
    libc = ctypes.CDLL(None, use_errno=True)
    if path:
        with open(path) as f:
            if libc.setns(f.fileno(), 0x40000000):	# CLONE_NEWNET
                raise OSError(ctypes.get_errno(), f'setns({path})')
    else:
        if libc.unshare(0x40000000):
            raise OSError(ctypes.get_errno(), 'unshare(CLONE_NEWNET)')
        subprocess.run(['ip', 'link', 'set', 'lo', 'up'], check=True)
    old = ynl.sock
    ynl.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                             old.proto)
    for opt in (10, 11, 12):  # NETLINK_CAP_ACK, _EXT_ACK, _GET_STRICT_CHK
        ynl.sock.setsockopt(270, opt, 1)	# SOL_NETLINK
    old.close()


def groups(n, port, ynl=None):
    ynl = ynl or family()
    for gid in range(1, n + 1):
        group_new(ynl, gid, port + gid, addr='127.0.0.1')
    # A value each, so that every group has a log and a worker that ran.
    fd = os.open('/dev/paxos', os.O_WRONLY | os.O_NONBLOCK)
    for gid in range(1, n + 1):
        bind(fd, gid)
        os.write(fd, b'x')
    os.close(fd)


if __name__ == '__main__':
    cmd = sys.argv[1]
    if cmd == 'rebind':
        rebind()
    elif cmd == 'overrun':
        overrun()
    elif cmd == 'soak':
        soak(float(sys.argv[2]))
    elif cmd == 'groups':
        # groups N PORT [NETNS...]: in each named namespace (with lo up),
        # or in this one
        ynl = family()
        for ns in sys.argv[4:] or [None]:
            if ns:
                unshare_net(ynl, f'/run/netns/{ns}')
            groups(int(sys.argv[2]), int(sys.argv[3]), ynl)
    else:
        sys.exit(f'unknown command {cmd}')

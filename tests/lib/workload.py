# SPDX-License-Identifier: GPL-2.0
"""Clients of the fault tests (issue 11): closed-loop writers and log
followers on /dev/paxos, recording what they saw for tests/lib/history.py.

Each Writer and Reader is a thread that enters its node's network
namespace with setns(2) (a thread's own namespace; None stays where the
process is), so one process drives every node.

A writer owns one open file of /dev/paxos and writes unique values one at
a time: each is recorded (t0) before write(2) and its outcome after it
returns: "ack" with the slot PAXOS_IOC_LAST_SLOT gives, "indeterminate" for
ETIMEDOUT and EINTR (the value may still be learned) and for ENOTCONN from
a group deleted under a blocked write (it may have been forwarded already),
"fail" for anything else (refused before it was queued).  A file whose
group is gone is closed and opened again until a group is there.

A reader follows the log from the first retained slot, one value per
read(2), and records (slot, value), the slot being the file position after
the read minus one.  EPIPE (slots trimmed before it read them) is recorded
as a gap; a deleted group (POLLHUP, ENOTCONN) ends the log, and the reader
starts a new one when the group is there again.
"""
import ctypes
import errno
import fcntl
import os
import select
import struct
import threading
import time

CLONE_NEWNET = 0x40000000
libc = ctypes.CDLL(None, use_errno=True)


def _ioc(d, nr, size):
    return (d << 30) | (size << 16) | (0xb5 << 8) | nr


PAXOS_IOC_GET_GROUP = _ioc(2, 2, 4)
PAXOS_IOC_LAST_SLOT = _ioc(2, 3, 8)
INDETERMINATE = (errno.ETIMEDOUT, errno.EINTR, errno.ENOTCONN)


def enter(ns):
    """Move the calling thread into network namespace @ns (a name under
    /run/netns, or None for no move)."""
    if ns is None:
        return
    fd = os.open(f'/run/netns/{ns}', os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), f'setns {ns}')
    finally:
        os.close(fd)


def background():
    """Lower the calling thread's priority: the clients must not starve
    the nemesis and the checks under TCG."""
    os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)


def open_bound(flags, stop):
    """An open file of /dev/paxos bound to a group, or None once @stop is
    set: retried while there is no group (deleted, not created yet)."""
    while not stop.is_set():
        fd = os.open('/dev/paxos', flags)
        try:
            fcntl.ioctl(fd, PAXOS_IOC_GET_GROUP, b'\0' * 4)
            return fd
        except OSError as e:
            os.close(fd)
            if e.errno != errno.ENOTCONN:
                raise
        stop.wait(0.1)
    return None


class Writer(threading.Thread):
    def __init__(self, name, node, ns, stop, records, clock='vm', pause=0.0,
                 now=time.monotonic, sink=None):
        super().__init__(name=name, daemon=True)
        self.node, self.ns, self.stop = node, ns, stop
        self.records, self.clock, self.pause = records, clock, pause
        self.now = now          # the clock of t0 and t1
        self.sink = sink        # called with a record when issued and done
        self.error = None

    def run(self):
        try:
            self._run()
        except Exception as e:      # reported by the driver
            self.error = repr(e)

    def _run(self):
        enter(self.ns)
        background()
        fd, seq = None, 0
        while not self.stop.is_set():
            if fd is None:
                fd = open_bound(os.O_RDWR, self.stop)
                if fd is None:
                    break
            value = f'{self.name}-{seq:06d}'
            seq += 1
            rec = dict(writer=self.name, node=self.node, value=value,
                       clock=self.clock, t0=self.now(), t1=None,
                       outcome=None)
            self.records.append(rec)
            if self.sink:
                self.sink(rec)
            try:
                os.write(fd, value.encode())
                rec['t1'] = self.now()
                rec['outcome'] = 'ack'
                rec['slot'] = struct.unpack('Q', fcntl.ioctl(
                    fd, PAXOS_IOC_LAST_SLOT, b'\0' * 8))[0]
            except OSError as e:
                rec['t1'] = self.now()
                rec['err'] = errno.errorcode.get(e.errno, str(e.errno))
                rec['outcome'] = ('indeterminate' if e.errno in INDETERMINATE
                                  else 'fail')
                if e.errno == errno.ENOTCONN:
                    os.close(fd)
                    fd = None
                elif e.errno not in INDETERMINATE:
                    self.stop.wait(0.1)     # refused: do not spin
            if self.sink:
                self.sink(rec)
            if self.pause:
                self.stop.wait(self.pause)
        if fd is not None:
            os.close(fd)


class Reader(threading.Thread):
    """Follows the log of @node; self.logs maps a log name (node name, then
    #2, #3... for each new group) to {entries, gaps, noops: False}."""

    def __init__(self, name, node, ns, stop, sink=None):
        super().__init__(name=name, daemon=True)
        self.node, self.ns, self.stop = node, ns, stop
        self.sink = sink        # called with (log name, slot, value)
        self.logs = {}
        self.error = None
        self.last = -1          # slot of the last value read

    def run(self):
        try:
            self._run()
        except Exception as e:
            self.error = repr(e)

    def _run(self):
        enter(self.ns)
        background()
        n = 0
        while not self.stop.is_set():
            fd = open_bound(os.O_RDONLY, self.stop)
            if fd is None:
                break
            n += 1
            log = dict(entries=[], gaps=[], noops=False)
            self.logname = self.name + ('' if n == 1 else f'#{n}')
            self.logs[self.logname] = log
            self.last = -1
            self._follow(fd, log)
            os.close(fd)

    def _follow(self, fd, log):
        p = select.poll()
        p.register(fd, select.POLLIN)
        while not self.stop.is_set():
            ev = p.poll(200)
            if not ev:
                continue
            if ev[0][1] & (select.POLLHUP | select.POLLERR | select.POLLNVAL):
                return
            pos = os.lseek(fd, 0, os.SEEK_CUR)
            try:
                value = os.read(fd, 65536)
            except OSError as e:
                if e.errno == errno.EPIPE:
                    new = os.lseek(fd, 0, os.SEEK_CUR)
                    log['gaps'].extend(range(max(pos, self.last + 1), new))
                    continue
                if e.errno == errno.ENOTCONN:
                    return
                if e.errno == errno.EAGAIN:
                    continue
                raise
            slot = os.lseek(fd, 0, os.SEEK_CUR) - 1
            log['entries'].append([slot, value.decode('latin-1')])
            self.last = slot
            if self.sink:
                self.sink(self.logname, slot, log['entries'][-1][1])

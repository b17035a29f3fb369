# SPDX-License-Identifier: GPL-2.0
"""Lifecycle of a group seen from /dev/paxos (run in n1, where group 1 has
three voters of which only n1 exists: nothing can be chosen).

  - a write times out with ETIMEDOUT after the group's proposal timeout;
  - O_NONBLOCK writes queue until the queue is full, then EAGAIN;
  - a write that waits for queue space still fails within one proposal
    timeout from its call (one deadline for the whole write);
  - a write interrupted by signals and repeated (as Python does, PEP 475)
    waits for the value it queued first instead of queueing it again, and
    keeps its deadline;
  - a process killed while blocked in write or read leaves nothing stuck;
  - deleting the group wakes a blocked reader and a blocked writer with
    ENOTCONN, and poll() reports POLLHUP.
"""
import errno
import os
import select
import signal
import subprocess
import sys
import threading
import time

from paxos_test import check, done, expect_errno, family

ynl = family()


def in_flight():
    """Proposals queued or in flight at this node (group-get queued)."""
    return ynl.do('group-get', {'id': 1}).get('queued')


def wait_idle():
    """A write that timed out returns at its deadline; its proposal may
    stay in flight a little longer, until the protocol gives up on it."""
    for _ in range(100):
        if not in_flight():
            return
        time.sleep(0.05)
    check(False, f'{in_flight()} proposals still in flight')


# Proposal timeout is 1000 ms (set by the script that created the group).
fd = os.open('/dev/paxos', os.O_RDWR)
t = time.monotonic()
expect_errno(lambda: os.write(fd, b'no quorum'), errno.ETIMEDOUT,
             'write without a quorum')
check(0.8 < time.monotonic() - t < 10, f'timed out after {time.monotonic() - t:.1f}s')
wait_idle()

# The group's queue is 4 (queue-len): the 5th non-blocking write is refused.
nb = os.open('/dev/paxos', os.O_WRONLY | os.O_NONBLOCK)
queued = 0
try:
    for i in range(10):
        os.write(nb, b'queued %d' % i)
        queued += 1
except OSError as e:
    check(e.errno == errno.EAGAIN, f'full queue: {errno.errorcode[e.errno]}')
check(queued == 4, f'{queued} non-blocking writes queued (queue-len 4)')
p = select.poll()
p.register(nb, select.POLLOUT)
check(not p.poll(0), 'no POLLOUT while the queue is full')

# A blocking write waits for queue space, which frees when the queued ones
# time out (about 1 s from now): its own deadline, 1 s from its call, has
# passed by then, or nearly.  It must not get a second second.
t = time.monotonic()
expect_errno(lambda: os.write(fd, b'waits for space'), errno.ETIMEDOUT,
             'a write waiting for queue space')
el = time.monotonic() - t
check(0.8 < el < 1.6, f'... fails within one proposal timeout ({el:.2f}s)')
os.close(nb)
wait_idle()	# the queued ones time out and free the queue


# Signals while a write waits: Python repeats the interrupted write with
# the same bytes.  The repeat must wait for the value queued first (one
# proposal, not one per signal) and keep its deadline.
hits = []


def on_alarm(sig, frame):
    hits.append(time.monotonic())
    if len(hits) >= 12:
        signal.setitimer(signal.ITIMER_REAL, 0)


seen = []
probe = threading.Timer(0.7, lambda: seen.append(in_flight()))
wait_idle()
old = signal.signal(signal.SIGALRM, on_alarm)
probe.start()
signal.setitimer(signal.ITIMER_REAL, 0.1, 0.1)
t = time.monotonic()
expect_errno(lambda: os.write(fd, b'interrupted'), errno.ETIMEDOUT,
             'a write interrupted by signals and repeated')
el = time.monotonic() - t
signal.setitimer(signal.ITIMER_REAL, 0)
signal.signal(signal.SIGALRM, old)
probe.join()
check(len([h for h in hits if h < t + el]) >= 3,
      f'{len(hits)} signals interrupted it')
check(seen == [1], f'one proposal queued while it was repeated ({seen})')
check(0.8 < el < 1.6, f'the repeats kept the first deadline ({el:.2f}s)')
wait_idle()

# Killed while blocked: nothing stuck, nothing left behind.
code = 'import os,sys; fd=os.open("/dev/paxos", os.O_RDWR); ' \
       'os.lseek(fd, 0, os.SEEK_END); ' \
       '(os.write(fd, b"blocked") if sys.argv[1] == "w" else os.read(fd, 100))'
for mode in ('w', 'r'):
    pr = subprocess.Popen([sys.executable, '-c', code, mode])
    # Wait until it sits in the write(2)/read(2) on /dev/paxos (x86-64
    # syscall 1/0), then look at how it sleeps there.
    want = '1' if mode == 'w' else '0'
    state = sysno = '?'
    for _ in range(300):
        try:
            sysno = open(f'/proc/{pr.pid}/syscall').read().split()[0]
            state = open(f'/proc/{pr.pid}/stat').read().split()[2]
        except OSError:
            pass
        if sysno == want and state != 'R':
            break
        time.sleep(0.05)
    time.sleep(0.2)
    state = open(f'/proc/{pr.pid}/stat').read().split()[2]
    check(sysno == want and state == 'S',
          f'blocked {mode} sleeps interruptibly (syscall {sysno}, state {state})')
    pr.send_signal(signal.SIGKILL)
    pr.wait(timeout=10)
    check(pr.returncode == -signal.SIGKILL, f'killed {mode}er exited')

# Deletion wakes a blocked reader and a blocked writer with ENOTCONN.
results = {}


def blocked(name, fn):
    try:
        fn()
        results[name] = 0
    except OSError as e:
        results[name] = e.errno


rd = os.open('/dev/paxos', os.O_RDONLY)
os.lseek(rd, 0, os.SEEK_END)
wr = os.open('/dev/paxos', os.O_WRONLY)
th = [threading.Thread(target=blocked, args=('read', lambda: os.read(rd, 100))),
      threading.Thread(target=blocked, args=('write', lambda: os.write(wr, b'x')))]
for x in th:
    x.start()
time.sleep(0.3)
pl = select.poll()
pl.register(rd, select.POLLIN)
check(not pl.poll(0), 'no POLLIN at the end of the log')
ynl.do('group-del', {'id': 1})
for x in th:
    x.join(timeout=10)
check(results.get('read') == errno.ENOTCONN,
      f'blocked reader woken with {errno.errorcode.get(results.get("read"))}')
check(results.get('write') == errno.ENOTCONN,
      f'blocked writer woken with {errno.errorcode.get(results.get("write"))}')
ev = pl.poll(0)
check(ev and ev[0][1] & select.POLLHUP, f'POLLHUP after deletion ({ev})')
expect_errno(lambda: os.read(rd, 100), errno.ENOTCONN, 'read after deletion')
expect_errno(lambda: os.write(wr, b'x'), errno.ENOTCONN, 'write after deletion')
for f in (fd, rd, wr):
    os.close(f)
done()

# SPDX-License-Identifier: GPL-2.0
"""Measure, in one run: the raw UDP round-trip time between two namespaces,
and the commit latency of /dev/paxos writes at the leader.

  latency.py rtt-server PORT            (in the peer's namespace)
  latency.py rtt-client ADDR PORT N     (prints the median RTT in us)
  latency.py commit N [GROUP]           (prints the median write latency in us;
                                         GROUP: bind to it first)
"""
import fcntl
import os
import socket
import statistics
import struct
import sys
import time


def rtt_server(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(('0.0.0.0', port))
    while True:
        data, peer = s.recvfrom(2048)
        s.sendto(data, peer)


def rtt_client(addr, port, n):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(5)
    samples = []
    for i in range(n + 10):
        t = time.perf_counter()
        s.sendto(b'x' * 64, (addr, port))
        s.recvfrom(2048)
        if i >= 10:	# warm-up
            samples.append(time.perf_counter() - t)
    print(int(statistics.median(samples) * 1e6))


def commit(n, group=None):
    fd = os.open('/dev/paxos', os.O_WRONLY)
    if group:
        # PAXOS_IOC_BIND (tests/lib/paxos_test.py)
        fcntl.ioctl(fd, (1 << 30) | (4 << 16) | (0xb5 << 8) | 1,
                    struct.pack('I', group))
    samples = []
    for i in range(n + 10):
        v = b'latency %d' % i
        t = time.perf_counter()
        os.write(fd, v)
        if i >= 10:
            samples.append(time.perf_counter() - t)
    print(int(statistics.median(samples) * 1e6))


if __name__ == '__main__':
    cmd = sys.argv[1]
    if cmd == 'rtt-server':
        rtt_server(int(sys.argv[2]))
    elif cmd == 'rtt-client':
        rtt_client(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        commit(int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else None)

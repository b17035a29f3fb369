# SPDX-License-Identifier: GPL-2.0
"""A forger against a keyed 3-node cluster (tests/60-forger.sh).

Runs in the root namespace of the VM and moves between the cluster's
namespaces with setns(2).  Group 1 is keyed (port 7000), group 2 is the same
three nodes created insecure (port 7001): the control that shows the forger
is effective where there is no key.

  1. Captures genuine datagrams from n1 on the router while n1 writes
     values; checks the values do not travel in clear.
  2. From a non-member (n4, 198.18.4.2) sends forged Prepare (huge ballot),
     Accept (a value), Learn (a chosen value), Catchup, in clear (dropped as
     unauthenticated) and in envelopes (dropped for their source).
  3. From n1's own address and port (raw socket, spoofed) sends the same
     without the key, an envelope claiming node 3, and replays of every
     captured genuine datagram.
  4. Checks: on every node the leader, ballot and commit point are unchanged,
     no forged value is in any log, each forgery is counted under the drop
     counter it belongs to (drop-source, drop-auth, drop-replay), and the
     cluster still commits.
  5. Sends the forged Prepare to the insecure group 2 from n1's spoofed
     address: its ballot jumps (so the same forgery would have worked).
"""
import ctypes
import fcntl
import os
import socket
import struct
import time

from paxos_test import PAXOS_IOC_BIND, check, done, family

CLONE_NEWNET = 0x40000000
libc = ctypes.CDLL(None, use_errno=True)
ROOT_NS = os.open('/proc/self/ns/net', os.O_RDONLY)


def enter(ns):
    fd = ROOT_NS if ns is None else os.open(f'/run/netns/{ns}', os.O_RDONLY)
    if libc.setns(fd, CLONE_NEWNET) != 0:
        raise OSError(ctypes.get_errno(), f'setns {ns}')
    if fd != ROOT_NS:
        os.close(fd)


def addr(i):
    return f'198.18.{i}.2'


def in_ns(ns, fn, *args):
    enter(ns)
    try:
        return fn(*args)
    finally:
        enter(None)


# --- the project's wire format (kmod/paxos_wire.h) ---
MAGIC = 0x534f5850
PREPARE, ACCEPT, CATCHUP, LEARN = 1, 4, 7, 8
FORGED = b'FORGED-VALUE-' + b'x' * 40


def msg(typ, group, sender, inc, body):
    return struct.pack('<IBBHIIQI', MAGIC, 1, typ, 0, group, sender, inc,
                       len(body)) + body


def entry(slot, rnd, node, value, origin=1, inc=1, seq=1):
    return struct.pack('<QIIIIQQQII', slot, rnd, node, origin, len(value),
                       inc, seq, seq, 1, 0) + value


def forgeries(group, sender, inc):
    """Well-formed messages a member could send, with a forger's content."""
    big = 0x7ffffff0
    return {
        'prepare': msg(PREPARE, group, sender, inc,
                       struct.pack('<IIQQ', big, sender, 1, 2**64 - 1)),
        'accept': msg(ACCEPT, group, sender, inc,
                      struct.pack('<IIQQII', big, sender, 50, 0, 1, 0) +
                      entry(50, big, sender, FORGED)),
        'learn': msg(LEARN, group, sender, inc,
                     struct.pack('<QQII', 1, 60, 1, 0) +
                     entry(60, big, sender, FORGED)),
        'catchup': msg(CATCHUP, group, sender, inc,
                       struct.pack('<QQ', 1, 0)),
    }


def envelope(group, sender, inc, ctr, inner, key_bytes=os.urandom(32)):
    """An envelope of the right shape under a key the cluster lacks (the
    tag is random: without the key no forger does better)."""
    hdr = struct.pack('<IIIQQ', 0x45415850, group, sender, inc, ctr)
    return hdr + os.urandom(len(inner)) + key_bytes[:16]


FAMILIES = {}


def state(i, group=1):
    """group-get and the log of @group on node @i (one netlink socket per
    node, opened in its namespace and kept)."""
    if i not in FAMILIES:
        FAMILIES[i] = in_ns(f'n{i}', family)
    ynl = FAMILIES[i]
    g = ynl.do('group-get', {'id': group})
    log = ynl.dump('log-get', {'group-id': group})
    return g, [e.get('value', b'') for e in log]


def drops(g):
    return {k: v for k, v in g['stats'].items() if k.startswith('drop-')}


def write(i, value):
    def w():
        fd = os.open('/dev/paxos', os.O_WRONLY)
        try:
            fcntl.ioctl(fd, PAXOS_IOC_BIND, struct.pack('I', 1))
            os.write(fd, value)
        finally:
            os.close(fd)
    in_ns(f'n{i}', w)


def wait_leader(group, timeout=60):
    end = time.time() + timeout
    while time.time() < end:
        leaders = {state(i, group)[0].get('leader-id', 0) for i in (1, 2, 3)}
        if len(leaders) == 1 and 0 not in leaders:
            return leaders.pop()
        time.sleep(0.3)
    return 0


# --- capture on the router ---
def sniffer(ifname):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM,
                      socket.htons(0x0800))
    s.bind((ifname, 0))
    s.setblocking(False)
    return s


def drain(s, port):
    """IPv4/UDP datagrams to @port read from an AF_PACKET socket."""
    out = []
    while True:
        try:
            pkt = s.recv(70000)
        except BlockingIOError:
            return out
        ihl = (pkt[0] & 15) * 4
        if pkt[9] != 17:
            continue
        src = socket.inet_ntoa(pkt[12:16])
        dst = socket.inet_ntoa(pkt[16:20])
        sport, dport = struct.unpack_from('!HH', pkt, ihl)
        if dport == port:
            out.append((src, sport, dst, dport, pkt[ihl + 8:]))


# --- sending ---
def send_from(src_i, datagrams):
    """Plain UDP from node src_i's address (an ephemeral port)."""
    def s():
        sk = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        for dst, port, d in datagrams:
            sk.sendto(d, (dst, port))
        sk.close()
    in_ns(f'n{src_i}', s)


def checksum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack(f'!{len(b) // 2}H', b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def spoof(ns, datagrams):
    """Raw IPv4/UDP with any source address and port."""
    def s():
        sk = socket.socket(socket.AF_INET, socket.SOCK_RAW,
                           socket.IPPROTO_RAW)
        for src, sport, dst, dport, payload in datagrams:
            udp = struct.pack('!HHHH', sport, dport, 8 + len(payload), 0)
            ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + 8 + len(payload),
                             0, 0x4000, 64, 17, 0, socket.inet_aton(src),
                             socket.inet_aton(dst))
            ip = ip[:10] + struct.pack('!H', checksum(ip)) + ip[12:]
            sk.sendto(ip + udp + payload, (dst, 0))
        sk.close()
    in_ns(ns, s)


def settle(before_fn, want, timeout=20):
    end = time.time() + timeout
    while time.time() < end:
        if before_fn() >= want:
            return True
        time.sleep(0.2)
    return False


def main():
    leader = wait_leader(1)
    check(leader != 0, f'group 1 (keyed) elected leader {leader}')
    check(wait_leader(2) != 0, 'group 2 (insecure) elected a leader')

    # 1. Capture genuine traffic from n1 while it writes.
    snoop = in_ns('rt', sniffer, 'r1')
    for k in range(5):
        write(1, b'secret-value-%d' % k)
    time.sleep(1)
    captured = [c for c in drain(snoop, 7000) if c[0] == addr(1)]
    check(len(captured) >= 5, f'captured {len(captured)} genuine datagrams')
    check(not any(b'secret-value' in c[4] for c in captured),
          'values travel encrypted')

    before = {i: state(i) for i in (1, 2, 3)}
    inc = 1 << 62
    plain = forgeries(1, 1, inc)
    total = {'drop-source': 0, 'drop-auth': 0, 'drop-replay': 0}

    # 2. From a non-member address.
    dgrams = []
    for dst in (1, 2, 3):
        for sender in (1, 2, 3):
            for m in forgeries(1, sender, inc).values():
                dgrams.append((addr(dst), 7000, m))
                dgrams.append((addr(dst), 7000,
                               envelope(1, sender, inc, 1, m)))
    send_from(4, dgrams)
    # Clear text is no envelope at all; an envelope names a member whose
    # address it does not come from.
    total['drop-auth'] += len(dgrams) // 2
    total['drop-source'] += len(dgrams) // 2

    # 3. From n1's own address and port, spoofed, without the key.
    spoofed = []
    for dst in (2, 3):
        for m in plain.values():
            spoofed.append((addr(1), 7000, addr(dst), 7000, m))
            total['drop-auth'] += 1
            for ctr in (1, 2**40):
                spoofed.append((addr(1), 7000, addr(dst), 7000,
                                envelope(1, 1, inc, ctr, m)))
                total['drop-auth'] += 1
            # An envelope from n1's address claiming to be node 3.
            spoofed.append((addr(1), 7000, addr(dst), 7000,
                            envelope(1, 3, inc, 1, m)))
            total['drop-source'] += 1
    # Replays of everything genuine n1 sent.
    replays = [c for c in captured if c[2] != addr(1)]
    spoofed += replays
    total['drop-replay'] += len(replays)
    spoof('n1', spoofed)

    def dropped(kind):
        return sum(drops(state(i)[0])[kind] - drops(before[i][0])[kind]
                   for i in (1, 2, 3))
    for kind, want in total.items():
        settle(lambda: dropped(kind), want)
        check(dropped(kind) == want,
              f'{kind}: {dropped(kind)} counted, {want} sent')

    # 4. Nothing moved.
    for i in (1, 2, 3):
        g0, log0 = before[i]
        g1, log1 = state(i)
        check(g1.get('leader-id') == g0.get('leader-id') and
              g1['ballot'] == g0['ballot'],
              f'n{i}: leader {g1.get("leader-id")} ballot {g1["ballot"]} '
              f'unchanged')
        check(g1['commit-slot'] == g0['commit-slot'] and log1 == log0,
              f'n{i}: log unchanged at {g1["commit-slot"]}')
        check(not any(FORGED in v for v in log1), f'n{i}: no forged value')
        check(g1['stats']['drop-malformed'] == g0['stats']['drop-malformed']
              and g1['stats']['rejects-tx'] == g0['stats']['rejects-tx'],
              f'n{i}: the core never saw a forgery')
    write(2, b'after-the-forger')
    logs = [state(i)[1] for i in (1, 2, 3)]
    settle(lambda: min(len(state(i)[1]) for i in (1, 2, 3)), len(logs[1]))
    logs = [state(i)[1] for i in (1, 2, 3)]
    check(logs[0] == logs[1] == logs[2] and logs[1][-1] == b'after-the-forger',
          'the cluster still commits, one log')

    # 5. Control: the same Prepare, spoofed, to the insecure group.
    g0 = state(2, 2)[0]
    p = forgeries(2, 1, inc)['prepare']
    spoof('n1', [(addr(1), 7001, addr(2), 7001, p)])
    settle(lambda: state(2, 2)[0]['ballot']['round'], 0x7ffffff0, 10)
    g1 = state(2, 2)[0]
    # (n2 promised the forged ballot; the leader, refused, may have gone
    # above it since)
    check(g1['ballot']['round'] >= 0x7ffffff0 > g0['ballot']['round'],
          f'insecure group: the forged Prepare took effect '
          f'({g0["ballot"]} -> {g1["ballot"]})')
    done()


main()

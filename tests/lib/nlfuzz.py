# SPDX-License-Identifier: GPL-2.0
"""A seeded fuzzer for the paxos generic netlink family.

  nlfuzz.py [--seed N] [--seconds S] [--max N]

Sends random requests to the family.  Almost half are well formed (an op
in a mode it has, attributes from its own request list with values of the
right type, boundary values included), so that they get past the policies
into the handlers; the others mix every command number (the family's ops,
its notification numbers, unknown ones), random flags (do, dump, no ack,
no request flag), wrong lengths and types, nesting where there is none
and none where there is, unknown attribute numbers, huge values, truncated
messages and attributes.  Several messages go in one send at times, group
ids that exist and ones that do not; sockets are closed in the middle of a
dump or with proposals pending.  Valid group-new, group-del, propose and
log-get are interleaved, and at the end a new group must still work.  The
kernel's health is the harness's business (any complaint on the console,
any leak kmemleak finds, fails the run).

Run in a network namespace whose address is 198.18.1.2 (n1 of
tests/harness/cluster.sh) with no group yet.
"""
import argparse
import errno
import os
import random
import select
import socket
import struct
import sys
import time

from paxos_test import NlError, check, done, family, propose

ap = argparse.ArgumentParser()
ap.add_argument('--seed', type=int, default=None)
ap.add_argument('--seconds', type=float, default=55)
ap.add_argument('--max', type=int, default=100000)
args = ap.parse_args()
seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), 'little')
print(f'nlfuzz: seed {seed} (rerun with --seed {seed})', flush=True)
rng = random.Random(seed)

ynl = family()
FID = ynl.nlproto.family_id
NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP = 0x1, 0x4, 0x300
NLA_F_NESTED, NLA_F_NET_BYTEORDER = 0x8000, 0x4000
SOL_NETLINK, NETLINK_EXT_ACK, NETLINK_GET_STRICT_CHK = 270, 11, 12
MY_ADDR = bytes([198, 18, 1, 2])
MAX_BODY = 100000

# Groups the fuzzer keeps alive: one that chooses at once (a quorum of
# one), one that never does (two of its three voters do not exist, and
# proposals time out quickly).
G_ONE, G_NOQ = 101, 102
BASE_PORT = 7100


def member(node, port, addr=MY_ADDR):
    return {'node-id': node, 'addr': {'ipv4': addr, 'port': port}}


def make_group(gid, nodes, port, **extra):
    mem = [member(1, port)] + [member(i, port, bytes([198, 18, i, 2]))
                               for i in range(2, nodes + 1)]
    ynl.do('group-new', dict({'id': gid, 'node-id': 1, 'member': mem,
                              'insecure': True}, **extra))


make_group(G_ONE, 1, BASE_PORT, **{'max-value-size': 61440})
make_group(G_NOQ, 3, BASE_PORT + 1, **{'proposal-timeout-ms': 100,
                                       'queue-len': 4})
known_groups = {G_ONE, G_NOQ}

# --- random values ---


def rand_bytes(n):
    return rng.getrandbits(8 * n).to_bytes(n, 'little') if n else b''


def rand_len():
    r = rng.random()
    if r < 0.6:
        return rng.randrange(0, 24)
    if r < 0.88:
        return rng.randrange(0, 600)
    if r < 0.99:
        return rng.randrange(0, 5000)
    return rng.choice([32767, 32768, 32769, 61439, 61440, 61441, 65000])


def rand_uint(bits):
    r = rng.random()
    top = (1 << bits) - 1
    if r < 0.4:
        return rng.choice([0, 1, 2, 3, 4, 5, 7, 10, 16, 50, 100, 1000])
    if r < 0.6:
        return rng.choice([top, top - 1, top >> 1, (top >> 1) + 1])
    if r < 0.8:
        return rng.choice(list(known_groups) + [G_ONE, G_NOQ, 1, 99999])
    return rng.getrandbits(bits)


def group_id():
    return rng.choice(list(known_groups) + [rng.randrange(1, 200), 0,
                                             0xffffffff, rng.getrandbits(32)])


def attr(atype, payload, flags=0):
    """An attribute; one too long for its 16-bit length gets a wrapped one."""
    return struct.pack('HH', (4 + len(payload)) & 0xffff, atype | flags) + \
        payload + b'\0' * (-len(payload) % 4)


def value_of(spec_attr, depth, clean):
    """A payload for @spec_attr: of its type (with boundary values) when
    @clean, else mostly of its type, sometimes not."""
    t = spec_attr.type
    if not clean and rng.random() < 0.1:    # anything at all
        return rand_bytes(rand_len()), 0
    if t in ('u8', 'u16', 'u32', 'u64'):
        bits = int(t[1:])
        if spec_attr.name in ('id', 'group-id'):
            v = group_id()
        elif clean and spec_attr.name in ('node-id', 'role', 'mode',
                                          'cluster-state'):
            v = rng.choice([1, 1, 2, 3, 4])
        elif clean and spec_attr.name == 'port':
            v = rng.choice([BASE_PORT, BASE_PORT + 50, 7777, 1, 65535])
        else:
            v = rand_uint(bits)
        return struct.pack({8: 'B', 16: 'H', 32: 'I', 64: 'Q'}[bits],
                           v & ((1 << bits) - 1)), 0
    if t == 'uint':
        return (struct.pack('I', rand_uint(32)) if rng.random() < 0.5 else
                struct.pack('Q', rand_uint(64))), 0
    if t == 'flag':
        return (b'' if clean or rng.random() < 0.9 else
                rand_bytes(rng.randrange(1, 8))), 0
    if t == 'binary':
        if spec_attr.name == 'ipv4' and (clean or rng.random() < 0.7):
            return rng.choice([MY_ADDR, bytes([127, 0, 0, 1]), bytes(4),
                               bytes([198, 18, 2, 2])]), 0
        if spec_attr.name == 'ipv6' and (clean or rng.random() < 0.5):
            return bytes(15) + b'\1', 0
        if spec_attr.name == 'key' and (clean or rng.random() < 0.5):
            return rand_bytes(32), 0
        if clean:
            return rand_bytes(rng.choice([1, 2, 100, 1000, rand_len()])), 0
        return rand_bytes(rand_len()), 0
    if t == 'nest':
        inner = spec_attr.yaml.get('nested-attributes')
        flags = NLA_F_NESTED if clean or rng.random() < 0.5 else 0
        if depth > 3 or inner not in ynl.attr_sets:
            return rand_bytes(rand_len()), flags
        return attrs_of(ynl.attr_sets[inner], depth + 1, clean), flags
    return rand_bytes(rand_len()), 0


def attrs_of(attr_set, depth=0, clean=False, names=None):
    """A random attribute list built from @attr_set (from @names of it,
    when given).  Clean ones are well formed; the others may have unknown
    attribute numbers, nesting where there is none, bad lengths."""
    out = b''
    specs = [attr_set.attrs[n] for n in names] if names else \
        list(attr_set.attrs.values())
    if clean and not specs:
        return out
    count = rng.choice([1, 2, 3, 4, 5, 6, 8] if clean else
                       [0, 1, 2, 3, 4, 5, 6, 8, 12, 40])
    for _ in range(count):
        if len(out) > MAX_BODY:     # a request must fit the socket buffer
            break
        r = 0 if clean else rng.random()
        if r < 0.85 and specs:
            a = rng.choice(specs)
            payload, flags = value_of(a, depth, clean)
            atype = a.value
        elif r < 0.93:              # unknown attribute numbers
            atype = rng.choice([0, len(specs) + 1, len(specs) + 2, 100,
                                0x3fff, rng.randrange(0, 0x4000)])
            payload, flags = rand_bytes(rand_len()), 0
        else:                       # nesting where there is none
            payload = attrs_of(attr_set, depth + 1) if depth < 3 else b''
            flags = NLA_F_NESTED
            atype = rng.choice(specs).value if specs else 1
        if not clean and rng.random() < 0.03:
            flags |= NLA_F_NET_BYTEORDER
        a = attr(atype, payload, flags)
        r = 1 if clean else rng.random()
        if r < 0.02:                # attribute length past the message
            a = struct.pack('HH', (len(a) + rng.randrange(1, 64)) & 0xffff,
                            atype | flags) + a[4:]
        elif r < 0.04:              # attribute length below its header
            a = struct.pack('HH', rng.randrange(0, 4), atype | flags) + a[4:]
        out += a
    return out


CMDS = {op.req_value: op for op in ynl.ops.values()}
MAX_CMD = max(CMDS) + 1
CALLS = [(op, mode) for op in ynl.ops.values() if op.is_call
         for mode in ('do', 'dump') if mode in op.yaml]


def message(seq):
    """One random request: its bytes, whether it asks for a dump, and
    whether an answer (an error, an ack or a dump's end) must come."""
    r = rng.random()
    if r < 0.45:        # well formed: an op, its mode, its own attributes
        op, mode = rng.choice(CALLS)
        req = op.yaml[mode].get('request', {}).get('attributes', [])
        cmd, dump = op.req_value, mode == 'dump'
        body = attrs_of(op.attr_set, clean=True, names=req)
    else:
        if r < 0.85:
            op = rng.choice(list(ynl.ops.values()))
            cmd, aset = op.req_value, op.attr_set
        else:
            cmd = rng.choice([0, MAX_CMD, MAX_CMD + 1, 200, 255,
                              rng.randrange(0, 256)])
            aset = rng.choice(list(ynl.attr_sets.values()))
        dump = rng.random() < 0.15
        body = attrs_of(aset)
    flags = NLM_F_REQUEST | NLM_F_ACK
    if dump:
        flags |= NLM_F_DUMP
    if r >= 0.45 and rng.random() < 0.05:
        flags &= ~NLM_F_ACK
    if r >= 0.45 and rng.random() < 0.03:
        flags = rng.getrandbits(16)
    genl = struct.pack('BBH', cmd,
                       1 if r < 0.45 or rng.random() < 0.95 else rng.randrange(256),
                       0 if r < 0.45 or rng.random() < 0.95 else rng.getrandbits(16))
    msg = genl + body
    ln = 16 + len(msg)
    raw = struct.pack('IHHII', ln, FID, flags, seq, 0) + msg
    if r >= 0.45:
        r2 = rng.random()
        if r2 < 0.02:
            ln += rng.randrange(1, 100)         # claims more than it has
        elif r2 < 0.04:
            ln = rng.randrange(0, 20)           # less than the headers
        raw = struct.pack('IHHII', ln & 0xffffffff, FID, flags, seq, 0) + msg
        if rng.random() < 0.03:
            raw = raw[:rng.randrange(0, len(raw) + 1)]  # truncated
    answered = (flags & NLM_F_REQUEST and flags & (NLM_F_ACK | NLM_F_DUMP) and
                ln == len(raw) and len(raw) >= 20)
    return raw, bool(flags & NLM_F_DUMP) and bool(flags & NLM_F_REQUEST), answered


def new_sock():
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    if rng.random() < 0.8:
        s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
    if rng.random() < 0.5:
        s.setsockopt(SOL_NETLINK, NETLINK_GET_STRICT_CHK, 1)
    s.setblocking(False)
    return s


stats = {}


def drain(s, seq, wait):
    """Read what comes until the answer to @seq (an error, an ack or a
    dump's end) or @wait seconds without anything."""
    while True:
        if not select.select([s], [], [], wait)[0]:
            return False
        try:
            data = s.recv(1 << 17)
        except BlockingIOError:
            continue
        except OSError as e:    # ENOBUFS: a notification was dropped
            stats[f'recv {errno.errorcode.get(e.errno)}'] = \
                stats.get(f'recv {errno.errorcode.get(e.errno)}', 0) + 1
            continue
        off = 0
        while off + 16 <= len(data):
            ln, typ, fl, sq, _ = struct.unpack_from('IHHII', data, off)
            if ln < 16:
                break
            if typ in (2, 3) and sq == seq:     # NLMSG_ERROR, NLMSG_DONE
                err = -struct.unpack_from('i', data, off + 16)[0] \
                    if off + 20 <= len(data) else 0
                key = errno.errorcode.get(err, str(err)) if err else 'ok'
                stats[key] = stats.get(key, 0) + 1
                return True
            off += (ln + 3) & ~3


def nl_errno(fn):
    """Run a ynl call: (result, 0) or (None, its errno)."""
    try:
        return fn(), 0
    except NlError as e:
        return None, e.error


def ensure(gid, nodes, port, **extra):
    """The random requests may have deleted one of the fuzzer's groups, or
    made another under its id, or changed its membership: make it again
    as it was."""
    g, err = nl_errno(lambda: ynl.do('group-get', {'id': gid}))
    # A random member-* or force-new-cluster may have changed its voters.
    if not err and (len(g.get('peer', [])) != nodes - 1 or
                    g.get('voters', nodes) != nodes or
                    g['listen']['port'] != port or
                    any(g[k] != v for k, v in extra.items())):
        _, err = nl_errno(lambda: ynl.do('group-del', {'id': gid}))
        err = err or errno.ENOENT
    if err == errno.ENOENT:
        _, err = nl_errno(lambda: make_group(gid, nodes, port, **extra))
    return err


def valid_step(i):
    """A valid operation among the random ones, and what it must do."""
    r = rng.random()
    if r < 0.4:
        err = ensure(G_ONE, 1, BASE_PORT, **{'max-value-size': 61440})
        if err:     # its port taken by a random group: fine, once in a while
            stats[f'G_ONE {errno.errorcode.get(err)}'] = 1
            return
        v = rand_bytes(rng.choice([1, 10, 100, 5000, 61440]))
        try:
            slot = propose(ynl, G_ONE, v, 30)
        except (OSError, NlError) as e:
            check(False, f'step {i}: propose to a group of one: {e}')
            return
        log = ynl.dump('log-get', {'group-id': G_ONE, 'slot-start': slot,
                                   'slot-end': slot})
        check(len(log) == 1 and log[0].get('value') == v,
              f'step {i}: slot {slot} holds the value proposed')
    elif r < 0.6:
        gid = rng.randrange(1000, 1004)
        _, err = nl_errno(lambda: ynl.do('group-del', {'id': gid}))
        check(err in (0, errno.ENOENT), f'step {i}: group-del {gid}: {err}')
        _, err = nl_errno(lambda: make_group(
            gid, rng.choice([1, 3]), BASE_PORT + 10 + gid % 10,
            **{'proposal-timeout-ms': 100}))
        # The random requests may hold the port, or the namespace's room.
        check(err in (0, errno.EADDRINUSE, errno.ENOSPC),
              f'step {i}: group-new {gid}: {err}')
        if not err:
            g, err = nl_errno(lambda: ynl.do('group-get', {'id': gid}))
            check(not err and g['id'] == gid, f'step {i}: group-get {gid}: {err}')
    elif r < 0.8:
        if not ensure(G_NOQ, 3, BASE_PORT + 1, **{'proposal-timeout-ms': 100,
                                                  'queue-len': 4}):
            _, err = nl_errno(lambda: ynl.do('propose', {'group-id': G_NOQ,
                                                        'value': b'never'}))
            check(err in (errno.ETIMEDOUT, errno.EAGAIN),
                  f'step {i}: propose without a quorum: {err}')
    else:
        for g in ynl.dump('group-get', {}):
            got, err = nl_errno(lambda: ynl.do('group-get', {'id': g['id']}))
            check(err == errno.ENOENT or (not err and got['id'] == g['id'] and
                                          got['node-id'] == g['node-id']),
                  f'step {i}: group {g["id"]} of the dump: {err}')


sock = new_sock()
end = time.monotonic() + args.seconds
sent = 0
seq = 1
while time.monotonic() < end and sent < args.max:
    r = rng.random()
    if r < 0.05:
        valid_step(sent)
        continue
    if r < 0.07:              # close, maybe in a dump or with ntfs due
        sock.close()
        sock = new_sock()
        continue
    batch = b''
    dump = False
    answered = True
    for _ in range(1 if rng.random() < 0.9 else rng.randrange(2, 5)):
        seq += 1
        raw, d, a = message(seq)
        dump |= d
        answered &= bool(a)
        batch += raw
    try:
        sock.send(batch)
    except OSError as e:
        key = f'send {errno.errorcode.get(e.errno)}'
        stats[key] = stats.get(key, 0) + 1
        sent += 1
        continue
    sent += 1
    # A propose to a group without a quorum waits a second in the kernel.
    drain(sock, seq, 1.5 if answered else 0.01)
    if dump and rng.random() < 0.3:   # leave a dump unfinished
        sock.close()
        sock = new_sock()
sock.close()
print(f'nlfuzz: {sent} sends; answers: '
      + ', '.join(f'{k} {v}' for k, v in sorted(stats.items())), flush=True)

# Whatever the fuzzing did, the family still works.
for g in ynl.dump('group-get', {}):
    if g['id'] not in (G_ONE, G_NOQ):
        ynl.do('group-del', {'id': g['id']})
check(not ensure(G_ONE, 1, BASE_PORT, **{'max-value-size': 61440}) and
      not ensure(G_NOQ, 3, BASE_PORT + 1, **{'proposal-timeout-ms': 100}),
      'the fuzzer\'s groups are there')
ids = sorted(g['id'] for g in ynl.dump('group-get', {}))
check(ids == [G_ONE, G_NOQ], f'after fuzzing: groups {ids}')
make_group(7, 1, 7777)
slot = propose(ynl, 7, b'still works', 30)
log = ynl.dump('log-get', {'group-id': 7})
check([(e['slot'], e.get('value')) for e in log] == [(slot, b'still works')],
      f'a new group after fuzzing: {log}')
slot = propose(ynl, G_ONE, b'old one too', 30)
check(ynl.dump('log-get', {'group-id': G_ONE, 'slot-start': slot})[0].get('value')
      == b'old one too', 'the fuzzer\'s group still chooses')
for g in (7, G_ONE, G_NOQ):
    ynl.do('group-del', {'id': g})
check(ynl.dump('group-get', {}) == [], 'every group deleted')
done()

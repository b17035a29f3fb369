# SPDX-License-Identifier: GPL-2.0
"""Bad input to every interface gets the documented error (run in n1 with
group 1 of one node at 198.18.1.2:7000, and max-value-size 1024)."""
import errno
import fcntl
import os
import socket
import struct
import subprocess
import time

from paxos_test import (PAXOS_IOC_BIND, PAXOS_IOC_GET_GROUP,
                        PAXOS_IOC_LAST_SLOT, check, done, expect_errno,
                        expect_nlerr, family, member)

ynl = family()
base = {'id': 9, 'node-id': 1, 'insecure': True,
        'member': [member(1, '198.18.1.2', 7009)]}

# --- netlink: policy violations and semantic checks, with extack ---
# Out of a policy's range or length: ERANGE (the kernel's policy
# convention); malformed (unknown, missing, wrong size, inconsistent): EINVAL.
expect_nlerr(lambda: ynl.do('group-new', dict(base, mode=7)), errno.ERANGE,
             'group-new mode=7', 'mode')
expect_nlerr(lambda: ynl.do('group-new', dict(base, member=[
    {'node-id': 1, 'addr': {'ipv4': b'\xc6\x12\x01', 'port': 7009}}])),
    errno.ERANGE, 'group-new 3-byte ipv4 address', 'ipv4')
expect_nlerr(lambda: ynl.do('group-new', dict(base, member=[
    {'node-id': 1, 'addr': {'port': 7009}}])),
    errno.EINVAL, 'group-new address without ip', 'addr')
expect_nlerr(lambda: ynl.do('group-new', dict(base, **{'heartbeat-ms': 1})),
             errno.ERANGE, 'group-new heartbeat-ms=1', 'heartbeat')
expect_nlerr(lambda: ynl.do('group-new', dict(base, **{'max-value-size': 70000})),
             errno.ERANGE, 'group-new max-value-size=70000', 'max-value-size')
expect_nlerr(lambda: ynl.do('group-new', dict(base, **{'node-id': 5})),
             errno.EINVAL, 'group-new node-id not a member', 'node-id')
expect_nlerr(lambda: ynl.do('group-new', {'id': 9, 'node-id': 1}),
             errno.EINVAL, 'group-new without members', 'member')
expect_nlerr(lambda: ynl.do('group-new', dict(
    base, member=[member(1, '198.18.1.2', 7009), member(1, '198.18.1.3', 7009)])),
    errno.EINVAL, 'group-new duplicate node id', 'member')
expect_nlerr(lambda: ynl.do('group-new', dict(
    base, **{'election-min-ms': 500, 'election-max-ms': 400})),
    errno.EINVAL, 'group-new election min > max', 'election')
expect_nlerr(lambda: ynl.do('group-new', dict(base, id=1)), errno.EEXIST,
             'group-new existing id', 'exists')
# A group needs exactly one of a key and the insecure flag.
nokey = {k: v for k, v in base.items() if k != 'insecure'}
expect_nlerr(lambda: ynl.do('group-new', nokey), errno.EINVAL,
             'group-new without key or insecure', 'key')
expect_nlerr(lambda: ynl.do('group-new', dict(base, key=b'k' * 32)),
             errno.EINVAL, 'group-new with key and insecure', 'key')
expect_nlerr(lambda: ynl.do('group-new', dict(nokey, key=b'k' * 31)),
             errno.ERANGE, 'group-new with a 31-byte key', 'key')
expect_nlerr(lambda: ynl.do('group-set-key', {'id': 1, 'key': b'k' * 33}),
             errno.ERANGE, 'group-set-key with a 33-byte key', 'key')
expect_nlerr(lambda: ynl.do('group-set-key', {'id': 1}),
             errno.EINVAL, 'group-set-key without a key', 'key')
expect_nlerr(lambda: ynl.do('group-del', {'id': 12345}), errno.ENOENT,
             'group-del unknown id', 'group')
expect_nlerr(lambda: ynl.do('propose', {'group-id': 1, 'value': b''}),
             errno.EINVAL, 'propose empty value', 'value')
expect_nlerr(lambda: ynl.do('propose', {'group-id': 1, 'value': b'x' * 1025}),
             errno.EMSGSIZE, 'propose oversize value', 'value')

# Membership changes: what the runtime refuses before the protocol sees it.
addr4 = {'ipv4': b'\xc6\x12\x04\x02', 'port': 7000}
expect_nlerr(lambda: ynl.do('member-add', {'group-id': 77, 'node-id': 4,
                                           'addr': addr4}),
             errno.ENOENT, 'member-add to an unknown group', 'group')
expect_nlerr(lambda: ynl.do('member-add', {'group-id': 1, 'addr': addr4}),
             errno.EINVAL, 'member-add without node-id', 'node-id')
expect_nlerr(lambda: ynl.do('member-add', {'group-id': 1, 'node-id': 0,
                                           'addr': addr4}),
             errno.ERANGE, 'member-add node-id 0', 'node-id')
expect_nlerr(lambda: ynl.do('member-add', {'group-id': 1, 'node-id': 4,
                                           'role': 3, 'addr': addr4}),
             errno.ERANGE, 'member-add role 3', 'role')
expect_nlerr(lambda: ynl.do('member-add', {'group-id': 1, 'node-id': 4}),
             errno.EINVAL, 'member-add without addr', 'addr')
expect_nlerr(lambda: ynl.do('member-add', {'group-id': 1, 'node-id': 4,
                                           'addr': {'port': 7000}}),
             errno.EINVAL, 'member-add address without ip', 'addr')
expect_nlerr(lambda: ynl.do('member-add', {'group-id': 1, 'node-id': 4,
                                           'addr': {'ipv6': b'\x20' + b'\0' * 15,
                                                    'port': 7000}}),
             errno.EAFNOSUPPORT, 'member-add IPv6 to an IPv4 group', 'family')
expect_nlerr(lambda: ynl.do('member-add', {'group-id': 1, 'node-id': 1,
                                           'addr': addr4}),
             errno.EEXIST, 'member-add of a member', 'member already')
for op in ('member-del', 'member-promote', 'member-demote'):
    expect_nlerr(lambda: ynl.do(op, {'group-id': 1, 'node-id': 7}),
                 errno.ENOENT, f'{op} of a non-member', 'not a member')
    expect_nlerr(lambda: ynl.do(op, {'group-id': 1}),
                 errno.EINVAL, f'{op} without node-id', 'node-id')
expect_nlerr(lambda: ynl.do('member-set-address', {'group-id': 1,
                                                   'node-id': 1}),
             errno.EINVAL, 'member-set-address without addr', 'addr')
expect_nlerr(lambda: ynl.do('member-set-address', {'group-id': 1,
                                                   'node-id': 7,
                                                   'addr': addr4}),
             errno.ENOENT, 'member-set-address of a non-member', 'not a member')
expect_nlerr(lambda: ynl.do('force-new-cluster', {'id': 77}),
             errno.ENOENT, 'force-new-cluster of an unknown group', 'group')
# group-get shows the configuration; manual-promote is kept.
st = ynl.do('group-get', {'id': 1})
cfg = st.get('config', {})
check(cfg.get('slot') == 0 and [m['node-id'] for m in cfg.get('member', [])] == [1]
      and cfg['member'][0].get('incarnation') == 0 and st.get('voters') == 1
      and st.get('quorum') == 1 and st.get('live-voters') == 1
      and st.get('incarnation', 0) > 0 and 'manual-promote' not in st
      and 'next-config' not in st,
      f'group-get: configuration {cfg}, voters {st.get("voters")}, quorum'
      f' {st.get("quorum")}, live {st.get("live-voters")}, incarnation'
      f' {st.get("incarnation")}')
ynl.do('group-new', dict(base, **{'manual-promote': True}))
check('manual-promote' in ynl.do('group-get', {'id': 9}),
      'group-new manual-promote is shown by group-get')
ynl.do('group-del', {'id': 9})

# Hand-made requests the YNL library would never build: an unknown
# attribute type, and a u32 attribute of two bytes (strict validation).
def raw_request(cmd, attrs):
    body = b''.join(struct.pack('HH', 4 + len(v), t) + v +
                    b'\0' * (-len(v) % 4) for t, v in attrs)
    msg = ynl.nlproto.message(0x5, cmd, 1) + body  # NLM_F_REQUEST | ACK
    msg = struct.pack('I', len(msg) + 4) + msg
    ynl.sock.send(msg, 0)
    reply = ynl.sock.recv(65536)
    err = -struct.unpack_from('i', reply, 16)[0]
    return err, reply


PAXOS_CMD_GROUP_DEL = 2
err, reply = raw_request(PAXOS_CMD_GROUP_DEL, [(1, struct.pack('I', 1)),
                                               (99, b'\0' * 4)])
check(err == errno.EINVAL and b'Unknown attribute type' in reply,
      f'group-del with an unknown attribute: {errno.errorcode.get(err)}')
err, reply = raw_request(PAXOS_CMD_GROUP_DEL, [(1, b'\1\0')])
check(err == errno.EINVAL and b'invalid attribute length' in reply,
      f'group-del with a 2-byte id: {errno.errorcode.get(err)}')

# --- netlink: mutating ops need CAP_NET_ADMIN ---
r = subprocess.run(['setpriv', '--bounding-set=-net_admin',
                    '--inh-caps=-net_admin', 'python3', '-c', '''
import errno, sys
sys.path.insert(0, sys.argv[1])
from paxos_test import family, NlError
ynl = family()
try:
    ynl.do("propose", {"group-id": 1, "value": b"nope"})
except NlError as e:
    sys.exit(0 if e.error == errno.EPERM else 1)
sys.exit(2)
''', os.path.dirname(os.path.abspath(__file__))])
check(r.returncode == 0, f'propose without CAP_NET_ADMIN: EPERM (rc {r.returncode})')
r = subprocess.run(['setpriv', '--bounding-set=-net_admin',
                    '--inh-caps=-net_admin', 'python3', '-c', '''
import errno, sys
sys.path.insert(0, sys.argv[1])
from paxos_test import family, NlError
for op, req in (("member-del", {"group-id": 1, "node-id": 1}),
                ("force-new-cluster", {"id": 1})):
    try:
        family().do(op, req)
    except NlError as e:
        if e.error != errno.EPERM:
            sys.exit(1)
        continue
    sys.exit(2)
sys.exit(0)
''', os.path.dirname(os.path.abspath(__file__))])
check(r.returncode == 0,
      f'member-del and force-new-cluster without CAP_NET_ADMIN: EPERM (rc {r.returncode})')
# Reading needs it too: who may not write the log may not read it.
r = subprocess.run(['setpriv', '--bounding-set=-net_admin',
                    '--inh-caps=-net_admin', 'python3', '-c', '''
import errno, sys
sys.path.insert(0, sys.argv[1])
from paxos_test import family, NlError
for op, req in (("group-get", {"id": 1}), ("log-get", {"group-id": 1})):
    try:
        (family().dump if op == "log-get" else family().do)(op, req)
    except NlError as e:
        if e.error != errno.EPERM:
            sys.exit(1)
        continue
    sys.exit(2)
sys.exit(0)
''', os.path.dirname(os.path.abspath(__file__))])
check(r.returncode == 0,
      f'group-get and log-get without CAP_NET_ADMIN: EPERM (rc {r.returncode})')

# --- /dev/paxos ---
fd = os.open('/dev/paxos', os.O_RDWR)
expect_errno(lambda: os.write(fd, b'x' * 1025), errno.EMSGSIZE, 'oversize write')
expect_errno(lambda: os.write(fd, b''), errno.EINVAL, 'empty write')
expect_errno(lambda: fcntl.ioctl(fd, 0xb5ff), errno.ENOTTY, 'unknown ioctl')
expect_errno(lambda: fcntl.ioctl(fd, PAXOS_IOC_BIND, struct.pack('I', 0)),
             errno.EINVAL, 'bind to group 0')
expect_errno(lambda: fcntl.ioctl(fd, PAXOS_IOC_BIND, struct.pack('I', 777)),
             errno.ENOENT, 'bind to a missing group')
gid = struct.unpack('I', fcntl.ioctl(fd, PAXOS_IOC_GET_GROUP, b'\0' * 4))[0]
check(gid == 1, f'bound to the only group ({gid})')
check(os.write(fd, b'hello') == 5, 'write works')
slot = struct.unpack('Q', fcntl.ioctl(fd, PAXOS_IOC_LAST_SLOT, b'\0' * 8))[0]
check(slot >= 1, f'last slot {slot}')
rd = os.open('/dev/paxos', os.O_RDONLY | os.O_NONBLOCK)
expect_errno(lambda: os.read(rd, 2), errno.EMSGSIZE, 'read into a short buffer')
check(os.read(rd, 100) == b'hello', 'the short read consumed nothing')
expect_errno(lambda: os.read(rd, 100), errno.EAGAIN, 'read past the end, O_NONBLOCK')
os.close(rd)
os.close(fd)

# A namespace without groups: nothing is bound.
r = subprocess.run(['unshare', '--net', 'python3', '-c', '''
import errno, os
fd = os.open("/dev/paxos", os.O_RDWR)
try:
    os.write(fd, b"x")
except OSError as e:
    raise SystemExit(0 if e.errno == errno.ENOTCONN else 1)
raise SystemExit(2)
'''])
check(r.returncode == 0, f'write with no group: ENOTCONN (rc {r.returncode})')

# --- garbage datagrams to the group's port: dropped and counted ---
def drops():
    st = ynl.do('group-get', {'id': 1})['stats']
    return sum(v for k, v in st.items() if k.startswith('drop-'))

before = drops()
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
rnd = open('/dev/urandom', 'rb')
sent = 0
for n in (0, 1, 3, 27, 28, 29, 100, 1400, 9000):
    s.sendto(rnd.read(n), ('198.18.1.2', 7000))
    sent += 1
# Header: magic, version, type, flags, group, sender, incarnation, body_len.
def hdr(version=1, typ=1, group=1, sender=2, body_len=0):
    return struct.pack('<IBBHIIQI', 0x534f5850, version, typ, 0, group,
                       sender, 7, body_len)

s.sendto(hdr(body_len=1000) + b'\0' * 8, ('198.18.1.2', 7000))  # truncated
s.sendto(hdr(group=99, body_len=4) + b'\0' * 4, ('198.18.1.2', 7000))
s.sendto(hdr(version=9, body_len=4) + b'\0' * 4, ('198.18.1.2', 7000))
s.sendto(hdr(sender=77, body_len=24) + b'\0' * 24, ('198.18.1.2', 7000))
s.sendto(hdr(typ=200, body_len=4) + b'\0' * 4, ('198.18.1.2', 7000))
sent += 5
for _ in range(50):
    if drops() - before >= sent:
        break
    time.sleep(0.1)
check(drops() - before >= sent, f'{sent} bad datagrams counted as drops '
      f'({drops() - before})')
check(os.write(os.open('/dev/paxos', os.O_WRONLY), b'still fine') == 10,
      'the group still works')
done()

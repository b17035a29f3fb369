# SPDX-License-Identifier: GPL-2.0
"""Helpers for the Python parts of the VM tests: the kernel's own YNL
library driving the project's netlink spec, and /dev/paxos constants."""
import errno
import functools
import glob
import os
import sys
import threading

import yaml

KSRC = sorted(glob.glob('/var/cache/paxos/src-*/linux-source-6.12'))[-1]
sys.path.append(os.path.join(KSRC, 'tools/net/ynl'))
from lib import YnlFamily, Netlink, NlError  # noqa: E402

# YNL reads the spec with PyYAML's pure-Python parser, ten times slower
# than libyaml's: under TCG that is seconds for every family made, and the
# tests make hundreds.  (The spec is checked against the schema on the
# host, by netlink/gen.sh; the VM skips that too.)
if getattr(yaml, '__with_libyaml__', False):
    yaml.safe_load = functools.partial(yaml.load, Loader=yaml.CSafeLoader)


# --- which attributes of the spec the tests saw (spec_coverage.py) ---
#
# Every YnlFamily of every test process (ynlcli.py too) notes the name of
# each attribute it decodes from the kernel ("rx": replies, dumps,
# notifications, nests) and each one it encodes into a request ("tx"), as
# lines "<attribute-set> <attribute> rx|tx", each once per process,
# appended to $PAXOS_SPEC_SEEN, else $PAXOS_VM_OUT/spec-seen.txt, else
# /run/vmout/spec-seen.txt when that is a writable directory.

def _spec_seen_path():
    path = os.environ.get('PAXOS_SPEC_SEEN')
    if path:
        return path
    out = os.environ.get('PAXOS_VM_OUT')
    if not out and os.access('/run/vmout', os.W_OK):
        out = '/run/vmout'
    return os.path.join(out, 'spec-seen.txt') if out else None


class SpecSeen:
    """The attributes noted so far, and the file they go to (None: none,
    or it cannot be opened: the tests run on without it)."""

    def __init__(self, path):
        self.path = path
        self.seen = {}
        self.fd = None
        self.lock = threading.Lock()

    def note(self, space, names, how):
        """Note attributes @names of attribute set @space as @how (rx or
        tx); write the ones new to this process in one append."""
        done = self.seen.get((space, how))
        if done is not None and done.issuperset(names):
            return
        with self.lock:
            done = self.seen.setdefault((space, how), set())
            new = [n for n in names if n not in done]
            done.update(new)
            new = [n for n in new if not n.startswith('UnknownAttr(')]
            if not new or not self.path:
                return
            try:
                if self.fd is None:
                    self.fd = os.open(self.path, os.O_WRONLY | os.O_APPEND |
                                      os.O_CREAT | os.O_CLOEXEC, 0o666)
                os.write(self.fd, ''.join(f'{space} {n} {how}\n'
                                          for n in new).encode())
            except OSError:
                self.path = None


spec_seen = SpecSeen(_spec_seen_path())
# A child forked while another thread held the lock must not wait on it.
os.register_at_fork(after_in_child=lambda: setattr(spec_seen, 'lock',
                                                   threading.Lock()))


def _decode_noting(decode):
    @functools.wraps(decode)
    def _decode(self, attrs, space, *args, **kwargs):
        rsp = decode(self, attrs, space, *args, **kwargs)
        if space:
            spec_seen.note(space, rsp, 'rx')
        return rsp
    return _decode


def _add_attr_noting(add_attr):
    @functools.wraps(add_attr)
    def _add_attr(self, space, name, *args, **kwargs):
        raw = add_attr(self, space, name, *args, **kwargs)
        if raw:
            spec_seen.note(space, (name,), 'tx')
        return raw
    return _add_attr


YnlFamily._decode = _decode_noting(YnlFamily._decode)
YnlFamily._add_attr = _add_attr_noting(YnlFamily._add_attr)

TOP = os.environ.get('PAXOS_TOP', os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__)))))
SPEC = os.path.join(TOP, 'netlink/specs/paxos.yaml')

# uapi/linux/paxos_dev.h
def _ioc(d, nr, size):
    return (d << 30) | (size << 16) | (0xb5 << 8) | nr

PAXOS_IOC_BIND = _ioc(1, 1, 4)
PAXOS_IOC_GET_GROUP = _ioc(2, 2, 4)
PAXOS_IOC_LAST_SLOT = _ioc(2, 3, 8)
PAXOS_IOC_NEXT_SLOT = _ioc(2, 4, 8)


def family():
    return YnlFamily(SPEC, schema='')


def ipv4(a):
    return bytes(int(x) for x in a.split('.'))


def member(node, addr, port, role=1):
    return {'node-id': node, 'role': role,
            'addr': {'ipv4': ipv4(addr), 'port': port}}


failures = 0


def check(cond, what):
    global failures
    print(('ok   ' if cond else 'FAIL ') + what, flush=True)
    if not cond:
        failures += 1


def expect_errno(fn, err, what):
    try:
        fn()
    except OSError as e:
        check(e.errno == err, f'{what}: {errno.errorcode.get(e.errno)}'
              f' (want {errno.errorcode[err]})')
        return
    check(False, f'{what}: succeeded (want {errno.errorcode[err]})')


def expect_nlerr(fn, err, what, extack_has=None):
    try:
        fn()
    except NlError as e:
        ext = e.nl_msg.extack or {}
        ok = e.error == err
        text = ' '.join(str(v) for v in ext.values())
        if extack_has:
            ok = ok and extack_has in text
        check(ok, f'{what}: {errno.errorcode.get(e.error)} extack={ext}'
              f' (want {errno.errorcode[err]}'
              f'{", extack naming " + extack_has if extack_has else ""})')
        return
    check(False, f'{what}: succeeded (want {errno.errorcode[err]})')


def done():
    print(f'{failures} failure(s)')
    sys.exit(1 if failures else 0)


def sibling(ynl):
    """Another socket of @ynl's family, without parsing the spec again
    (slow under TCG): a shallow copy with a socket and a queue of its own."""
    import copy
    import socket
    y = copy.copy(ynl)
    y.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                           ynl.nlproto.proto_num)
    for opt in (Netlink.NETLINK_CAP_ACK, Netlink.NETLINK_EXT_ACK,
                Netlink.NETLINK_GET_STRICT_CHK):
        y.sock.setsockopt(Netlink.SOL_NETLINK, opt, 1)
    y.async_msg_queue = []
    return y


# --- asynchronous propose (reply with pending, then a propose-ntf) ---

def wait_propose_ntf(ynl, request_id, timeout):
    """The propose-ntf with @request_id that ynl's socket receives within
    @timeout seconds (its attributes as a dict), or None.  Other
    notifications stay queued in ynl.async_msg_queue."""
    import select
    import time
    end = time.monotonic() + timeout
    while True:
        for m in ynl.async_msg_queue:
            if (m['name'] == 'propose-ntf' and
                    m['msg'].get('request-id') == request_id):
                ynl.async_msg_queue.remove(m)
                return m['msg']
        left = end - time.monotonic()
        if left <= 0:
            return None
        if select.select([ynl.sock], [], [], left)[0]:
            ynl.check_ntf()


def propose(ynl, group, value, timeout=60):
    """Propose @value to @group and wait for its outcome, following a
    pending reply to its propose-ntf.  Returns the slot; raises OSError
    with the errno of a failed proposal (NlError for a refused request)."""
    r = ynl.do('propose', {'group-id': group, 'value': value})
    if 'slot' in r:
        return r['slot']
    if not r.get('pending'):
        raise OSError(errno.EPROTO, f'propose reply without slot or pending: {r}')
    ntf = wait_propose_ntf(ynl, r['request-id'], timeout)
    if ntf is None:
        raise OSError(errno.ETIMEDOUT, f'no propose-ntf for request {r["request-id"]}')
    if ntf.get('error'):
        raise OSError(ntf['error'], os.strerror(ntf['error']))
    return ntf['slot']


def genl_family_id(name, timeout=None):
    """CTRL_CMD_GETFAMILY for @name on a fresh socket: the family id, or
    None when there is no such family."""
    import socket
    import struct
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)  # GENERIC
    s.settimeout(timeout)
    try:
        nm = name.encode() + b'\0'
        attr = struct.pack('HH', 4 + len(nm), 2) + nm + b'\0' * (-len(nm) % 4)
        body = struct.pack('BBH', 3, 1, 0) + attr  # CTRL_CMD_GETFAMILY
        s.send(struct.pack('IHHII', 16 + len(body), 0x10, 0x5, 1, 0) + body)
        while True:
            msg = s.recv(65536)
            ln, typ = struct.unpack_from('IH', msg)
            if typ == 2:  # NLMSG_ERROR
                err = struct.unpack_from('i', msg, 16)[0]
                if err:
                    return None
                continue
            off = 20
            while off < ln:
                alen, atype = struct.unpack_from('HH', msg, off)
                if atype == 1:  # CTRL_ATTR_FAMILY_ID
                    return struct.unpack_from('H', msg, off + 4)[0]
                off += (alen + 3) & ~3
    finally:
        s.close()

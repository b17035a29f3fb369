# SPDX-License-Identifier: GPL-2.0
"""Helpers for the Python parts of the VM tests: the kernel's own YNL
library driving the project's netlink spec, and /dev/paxos constants."""
import errno
import glob
import os
import sys

KSRC = sorted(glob.glob('/var/cache/paxos/src-*/linux-source-6.12'))[-1]
sys.path.append(os.path.join(KSRC, 'tools/net/ynl'))
from lib import YnlFamily, NlError  # noqa: E402

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
    return YnlFamily(SPEC)


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

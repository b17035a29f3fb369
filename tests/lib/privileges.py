# SPDX-License-Identifier: GPL-2.0
"""Who may use the paxos family (see tests/62-netlink-privileges.sh).

  privileges.py denied   without CAP_NET_ADMIN over the namespace, where
                         root made group 1: every op, reads included, and
                         subscribing to the events fail with EPERM
  privileges.py own      as root of an own user and network namespace (an
                         unprivileged user's unshare -Urn): everything works
                         there, and the other namespace's groups are not seen
"""
import errno
import sys

from paxos_test import (check, done, expect_errno, expect_nlerr, family,
                        propose, sibling, wait_propose_ntf)

mode = sys.argv[1]
ynl = family()
me = {'node-id': 1, 'addr': {'ipv4': bytes([127, 0, 0, 1]), 'port': 7001}}
new = {'id': 2, 'node-id': 1, 'member': [me], 'insecure': True}

if mode == 'denied':
    E = errno.EPERM
    expect_nlerr(lambda: ynl.do('group-get', {'id': 1}), E, 'group-get')
    expect_nlerr(lambda: ynl.dump('group-get', {}), E, 'group-get dump')
    expect_nlerr(lambda: ynl.dump('log-get', {'group-id': 1}), E, 'log-get')
    expect_nlerr(lambda: ynl.do('propose', {'group-id': 1, 'value': b'x'}), E,
                 'propose')
    expect_nlerr(lambda: ynl.do('group-new', new), E, 'group-new')
    expect_nlerr(lambda: ynl.do('group-del', {'id': 1}), E, 'group-del')
    expect_errno(lambda: sibling(ynl).ntf_subscribe('events'), E,
                 'subscribe to events')
elif mode == 'own':
    expect_nlerr(lambda: ynl.do('group-get', {'id': 1}), errno.ENOENT,
                 'group-get of the other namespace\'s group')
    ynl.do('group-new', new)
    check(ynl.do('group-get', {'id': 2}).get('id') == 2, 'group-get')
    check([g.get('id') for g in ynl.dump('group-get', {})] == [2],
          'group-get dump shows this namespace\'s group only')
    sub = sibling(ynl)
    sub.ntf_subscribe('events')
    slot = propose(ynl, 2, b'mine')
    log = ynl.dump('log-get', {'group-id': 2})
    check([(e.get('slot'), e.get('value')) for e in log] == [(slot, b'mine')],
          f'log-get: {log}')
    wait_propose_ntf(sub, None, 2)      # collects what the events brought
    got = [m['msg'] for m in sub.async_msg_queue if m['name'] == 'learned-ntf']
    check([(m.get('slot'), m.get('value')) for m in got] == [(slot, b'mine')],
          f'learned-ntf to a subscriber: {got}')
    ynl.do('group-del', {'id': 2})
    check(ynl.dump('group-get', {}) == [], 'group-del')
done()

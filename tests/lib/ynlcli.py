# SPDX-License-Identifier: GPL-2.0
"""The kernel's generic ynl CLI (tools/net/ynl/cli.py), arguments as it
takes them, with the spec read by libyaml (see paxos_test.py): the tests'
shell parts call it hundreds of times under TCG."""
import os
import runpy

import paxos_test

runpy.run_path(os.path.join(paxos_test.KSRC, 'tools/net/ynl/cli.py'),
               run_name='__main__')

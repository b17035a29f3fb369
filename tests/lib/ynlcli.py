# SPDX-License-Identifier: GPL-2.0
"""The kernel's generic ynl CLI (tools/net/ynl/cli.py), arguments as it
takes them, with the spec read by libyaml (see paxos_test.py): the tests'
shell parts call it hundreds of times under TCG.  cli.py is imported, not
run from its source, so that its byte code comes from the cache vm.sh
compiles (a python start costs seconds in a busy TCG guest)."""
import paxos_test  # noqa: F401 (puts the kernel's tools/net/ynl on sys.path)
import cli

cli.main()

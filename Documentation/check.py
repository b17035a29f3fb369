#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check that Documentation/*.rst is well-formed reStructuredText.

Runs docutils on every file with warnings as errors.  The Sphinx and
kernel directives and roles docutils does not know (toctree, kernel-doc,
:doc:) are registered as no-ops, so only the markup itself is judged,
except that a kernel-doc directive's file must exist (paths are relative
to the repository's top) and, when the kernel's scripts/kernel-doc is
found ($KSRC, else the cached linux-source-6.12), must give kernel-doc
without warnings (with :export:, at least one exported function).
Usage: check.py [FILE.rst ...] (default: every .rst next to this file).
Prints one line per file and exits non-zero if any file fails.
"""
import glob
import io
import os
import subprocess
import sys

from docutils import nodes
from docutils.core import publish_doctree
from docutils.parsers.rst import Directive, directives, roles
from docutils.utils import SystemMessage


TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KERNEL_DOCS = []        # (argument, options) of every kernel-doc directive


def kernel_doc_script():
    trees = [os.environ.get('KSRC', '')] + sorted(glob.glob(
        os.path.join(os.environ.get('PAXOS_CACHE', '/var/cache/paxos'),
                     'src-*', 'linux-source-6.12')))[-1:]
    for tree in trees:
        script = os.path.join(tree, 'scripts', 'kernel-doc')
        if tree and os.access(script, os.X_OK):
            return script
    return None


def check_kernel_doc(arg, options):
    path = os.path.join(TOP, arg)
    if not os.path.isfile(path):
        return 'kernel-doc: no file %s' % arg
    script = kernel_doc_script()
    if not script:
        return None
    cmd = [script, '-rst', '-Wall']
    if 'export' in options:
        cmd.append('-export')
    cmd.append(path)
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=TOP)
    warnings = [w for w in r.stderr.splitlines()
                if w and 'Sphinx version' not in w]
    if r.returncode or warnings:
        return 'kernel-doc %s: %s' % (arg, '; '.join(warnings) or
                                      'exit %d' % r.returncode)
    if 'export' in options and '.. c:function::' not in r.stdout:
        return 'kernel-doc %s: no exported function documented' % arg
    if not r.stdout.strip():
        return 'kernel-doc %s: no kernel-doc comments' % arg
    return None


class NoOp(Directive):
    """A directive that accepts any argument, option and content."""
    required_arguments = 0
    optional_arguments = 1
    final_argument_whitespace = False
    has_content = True
    option_spec = None

    def run(self):
        if self.name == 'kernel-doc':
            KERNEL_DOCS.append((self.arguments[0] if self.arguments else '',
                                dict(self.options)))
        return []


class AnyOptions(dict):
    def __getitem__(self, key):
        return directives.unchanged

    def __contains__(self, key):
        return True

    def __bool__(self):
        return True


NoOp.option_spec = AnyOptions()


def literal_role(name, rawtext, text, lineno, inliner, options=None,
                 content=None):
    return [nodes.literal(rawtext, text)], []


for d in ('toctree', 'kernel-doc'):
    directives.register_directive(d, NoOp)
for r in ('doc', 'ref', 'c:func', 'c:type'):
    roles.register_local_role(r, literal_role)


def check(path):
    err = io.StringIO()
    del KERNEL_DOCS[:]
    with open(path, encoding='utf-8') as f:
        text = f.read()
    first = text.split('\n', 1)[0]
    if first != '.. SPDX-License-Identifier: GPL-2.0':
        return 'first line is not the SPDX identifier'
    try:
        publish_doctree(text, source_path=path,
                        settings_overrides={'halt_level': 2,
                                            'report_level': 2,
                                            'warning_stream': err})
    except SystemMessage as e:
        return str(e)
    if err.getvalue().strip():
        return err.getvalue().strip()
    for arg, options in KERNEL_DOCS:
        msg = check_kernel_doc(arg, options)
        if msg:
            return msg
    return None


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    files = sys.argv[1:] or sorted(glob.glob(os.path.join(here, '*.rst')))
    bad = 0
    for path in files:
        msg = check(path)
        print('%s %s%s' % ('FAIL' if msg else 'ok  ', path,
                           ': ' + msg if msg else ''))
        bad += bool(msg)
    return 1 if bad or not files else 0


if __name__ == '__main__':
    sys.exit(main())

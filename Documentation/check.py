#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check that Documentation/*.rst is well-formed reStructuredText.

Runs docutils on every file with warnings as errors.  The Sphinx and
kernel directives and roles docutils does not know (toctree, kernel-doc,
:doc:) are registered as no-ops, so only the markup itself is judged.
Usage: check.py [FILE.rst ...] (default: every .rst next to this file).
Prints one line per file and exits non-zero if any file fails.
"""
import glob
import io
import os
import sys

from docutils import nodes
from docutils.core import publish_doctree
from docutils.parsers.rst import Directive, directives, roles
from docutils.utils import SystemMessage


class NoOp(Directive):
    """A directive that accepts any argument, option and content."""
    required_arguments = 0
    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec = None

    def run(self):
        return []


class AnyOptions(dict):
    def __getitem__(self, key):
        return directives.unchanged

    def __contains__(self, key):
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
    return err.getvalue().strip() or None


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

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Name tables of the paxos netlink family for paxosctl, from its YNL spec.

    gen-names.py --spec netlink/specs/paxos.yaml --header -o names_gen.h
    gen-names.py --spec netlink/specs/paxos.yaml --source -o names_gen.c

Every name paxosctl prints or parses for an attribute, an enum entry or an
operation comes from here, so it is exactly the spec's.  The tables are
indexed by the constants of the generated uapi/linux/paxos.h (designated
initialisers: a constant that is not there does not compile), with the same
naming as the kernel's ynl-gen-c.py: PAXOS_A_<SET>_<ATTR> (or the set's
name-prefix), PAXOS_<ENUM>_<ENTRY> (or the enum's name-prefix) and
PAXOS_CMD_<OP>.  Run by netlink/gen.sh, which --check compares.
"""

import argparse
import sys

import yaml

try:
    Loader = yaml.CSafeLoader
except AttributeError:
    Loader = yaml.SafeLoader


def c_upper(name):
    return name.upper().replace('-', '_')


def c_lower(name):
    return name.lower().replace('-', '_')


# Spec attribute types and what paxosctl does with them.
TYPES = {
    'u8': 'PAXOS_AT_U8',
    'u16': 'PAXOS_AT_U16',
    'u32': 'PAXOS_AT_U32',
    'uint': 'PAXOS_AT_UINT',
    'u64': 'PAXOS_AT_UINT',
    'binary': 'PAXOS_AT_BINARY',
    'flag': 'PAXOS_AT_FLAG',
    'nest': 'PAXOS_AT_NEST',
    'string': 'PAXOS_AT_STRING',
}


class Family:
    def __init__(self, spec):
        self.spec = spec
        self.name = spec['name']
        self.prefix = c_upper(self.name) + '_'
        self.enums = [d for d in spec.get('definitions', [])
                      if d['type'] in ('enum', 'flags')]
        self.enum_by_name = {e['name']: e for e in self.enums}
        self.sets = spec['attribute-sets']
        self.ops = spec['operations']['list']
        msg_id = spec['operations'].get('enum-model', 'unified')
        if msg_id != 'unified':
            sys.exit('gen-names: only the unified enum-model is supported')

    def enum_entries(self, e):
        """(value or bit, name, C constant) of each entry."""
        prefix = e.get('name-prefix', self.prefix + c_upper(e['name']) + '_')
        prefix = c_upper(prefix)
        out = []
        v = e.get('value-start', 0)
        for entry in e['entries']:
            if isinstance(entry, str):
                entry = {'name': entry}
            v = entry.get('value', v)
            out.append((v, entry['name'], prefix + c_upper(entry['name'])))
            v += 1
        return out

    def set_prefix(self, s):
        return c_upper(s.get('name-prefix',
                             self.prefix + 'A-' + s['name'] + '-'))

    def attrs(self, s):
        out = []
        for a in s['attributes']:
            out.append((a, self.set_prefix(s) + c_upper(a['name'])))
        return out


def set_sym(s):
    return 'paxos_%s_attr_set' % c_lower(s['name'])


def enum_sym(e):
    return 'paxos_%s_names' % c_lower(e['name'])


def enum_last(fam, e):
    """The C constant of the highest entry: the table's last index."""
    entries = fam.enum_entries(e)
    return max(entries)[2]


def header(fam):
    out = []
    w = out.append
    w('/* SPDX-License-Identifier: GPL-2.0 */')
    w('/* Do not edit directly, auto-generated from: */')
    w('/*\tnetlink/specs/%s.yaml */' % fam.name)
    w('/* by netlink/gen-names.py: the names of the family\'s attributes, */')
    w('/* enum entries and operations, for paxosctl. */')
    w('')
    w('#ifndef PAXOS_NAMES_GEN_H')
    w('#define PAXOS_NAMES_GEN_H')
    w('')
    w('#include <stdbool.h>')
    w('#include <linux/paxos.h>')
    w('')
    w('enum paxos_attr_type {')
    for t in ['PAXOS_AT_U8', 'PAXOS_AT_U16', 'PAXOS_AT_U32', 'PAXOS_AT_UINT',
              'PAXOS_AT_BINARY', 'PAXOS_AT_FLAG', 'PAXOS_AT_NEST',
              'PAXOS_AT_STRING']:
        w('\t%s,' % t)
    w('};')
    w('')
    w('/* An enum\'s names, indexed by value (flags: by bit number). */')
    w('struct paxos_enum_names {')
    w('\tconst char *name;')
    w('\tconst char *const *names;')
    w('\tunsigned int len;')
    w('\tbool flags;')
    w('};')
    w('')
    w('struct paxos_attr_set;')
    w('')
    w('struct paxos_attr_desc {')
    w('\tconst char *name;')
    w('\tenum paxos_attr_type type;')
    w('\tconst struct paxos_attr_set *nest;\t/* nested-attributes */')
    w('\tbool multi;\t\t\t\t/* multi-attr */')
    w('\tconst struct paxos_enum_names *enums;\t/* enum */')
    w('\tconst char *display_hint;\t\t/* display-hint */')
    w('};')
    w('')
    w('/* attrs[type] for 1 <= type <= max; a gap has no name. */')
    w('struct paxos_attr_set {')
    w('\tconst char *name;')
    w('\tint max;')
    w('\tconst struct paxos_attr_desc *attrs;')
    w('};')
    w('')
    for e in fam.enums:
        if e['type'] == 'enum':
            size = enum_last(fam, e) + ' + 1'
        else:
            size = str(len(e['entries']))
        w('extern const char *const %s[%s];' % (enum_sym(e), size))
        w('extern const struct paxos_enum_names paxos_%s_enum;' %
          c_lower(e['name']))
    w('')
    for s in fam.sets:
        w('extern const struct paxos_attr_desc paxos_%s_attrs[%sMAX + 1];' %
          (c_lower(s['name']), fam.set_prefix(s)))
        w('extern const struct paxos_attr_set %s;' % set_sym(s))
    w('')
    w('/* Operation (and event) names and attribute sets, by PAXOS_CMD_*. */')
    w('extern const char *const paxos_op_names[%sCMD_MAX + 1];' % fam.prefix)
    w('extern const struct paxos_attr_set *const '
      'paxos_op_attr_sets[%sCMD_MAX + 1];' % fam.prefix)
    w('')
    w('#endif /* PAXOS_NAMES_GEN_H */')
    return '\n'.join(out) + '\n'


def source(fam):
    out = []
    w = out.append
    w('// SPDX-License-Identifier: GPL-2.0')
    w('/* Do not edit directly, auto-generated from: */')
    w('/*\tnetlink/specs/%s.yaml */' % fam.name)
    w('/* by netlink/gen-names.py. */')
    w('')
    w('#include "names_gen.h"')
    w('')
    for e in fam.enums:
        if e['type'] == 'enum':
            w('const char *const %s[%s + 1] = {' % (enum_sym(e),
                                                 enum_last(fam, e)))
            for v, name, const in fam.enum_entries(e):
                w('\t[%s] = "%s",' % (const, name))
        else:
            w('const char *const %s[%d] = {' % (enum_sym(e),
                                              len(e['entries'])))
            for i, entry in enumerate(e['entries']):
                name = entry['name'] if isinstance(entry, dict) else entry
                w('\t[%d] = "%s",' % (i, name))
        w('};')
        w('')
        w('const struct paxos_enum_names paxos_%s_enum = {' %
          c_lower(e['name']))
        w('\t.name = "%s",' % e['name'])
        w('\t.names = %s,' % enum_sym(e))
        w('\t.len = sizeof(%s) / sizeof(%s[0]),' % (enum_sym(e),
                                                     enum_sym(e)))
        if e['type'] == 'flags':
            w('\t.flags = true,')
        w('};')
        w('')
    for s in fam.sets:
        w('const struct paxos_attr_desc paxos_%s_attrs[%sMAX + 1] = {' %
          (c_lower(s['name']), fam.set_prefix(s)))
        for a, const in fam.attrs(s):
            if a['type'] not in TYPES:
                sys.exit('gen-names: %s.%s: type %s not supported' %
                         (s['name'], a['name'], a['type']))
            w('\t[%s] = {' % const)
            w('\t\t.name = "%s",' % a['name'])
            w('\t\t.type = %s,' % TYPES[a['type']])
            if 'nested-attributes' in a:
                nest = [x for x in fam.sets
                        if x['name'] == a['nested-attributes']][0]
                w('\t\t.nest = &%s,' % set_sym(nest))
            if a.get('multi-attr'):
                w('\t\t.multi = true,')
            if 'enum' in a:
                w('\t\t.enums = &paxos_%s_enum,' % c_lower(a['enum']))
            if 'display-hint' in a:
                w('\t\t.display_hint = "%s",' % a['display-hint'])
            w('\t},')
        w('};')
        w('')
        w('const struct paxos_attr_set %s = {' % set_sym(s))
        w('\t.name = "%s",' % s['name'])
        w('\t.max = %sMAX,' % fam.set_prefix(s))
        w('\t.attrs = paxos_%s_attrs,' % c_lower(s['name']))
        w('};')
        w('')
    w('const char *const paxos_op_names[%sCMD_MAX + 1] = {' % fam.prefix)
    for op in fam.ops:
        w('\t[%sCMD_%s] = "%s",' % (fam.prefix, c_upper(op['name']),
                                   op['name']))
    w('};')
    w('')
    w('const struct paxos_attr_set *const '
      'paxos_op_attr_sets[%sCMD_MAX + 1] = {' % fam.prefix)
    for op in fam.ops:
        s = [x for x in fam.sets if x['name'] == op['attribute-set']][0]
        w('\t[%sCMD_%s] = &%s,' % (fam.prefix, c_upper(op['name']),
                                  set_sym(s)))
    w('};')
    return '\n'.join(out) + '\n'


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--spec', required=True)
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument('--header', action='store_true')
    mode.add_argument('--source', action='store_true')
    ap.add_argument('-o', dest='out', required=True)
    args = ap.parse_args()
    with open(args.spec) as f:
        fam = Family(yaml.load(f, Loader=Loader))
    text = header(fam) if args.header else source(fam)
    with open(args.out, 'w') as f:
        f.write(text)


if __name__ == '__main__':
    main()

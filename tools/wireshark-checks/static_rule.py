#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""The rule of Wireshark's tools/check_static.py, applied to msturn's objects.

check_static.py reads the object files of Wireshark's own build layout
(epan/dissectors/CMakeFiles/dissectors.dir): a plugin built out of tree has
none.  Its rule is: a function or table a file defines (nm: T, D, R, B) that
no other object file refers to (nm: U) could be static.  This applies it to
msturn's objects, and adds the other half of dead code: a function a
header declares that no object defines or none calls.

    static_rule.py PLUGIN_DIR OBJECT_DIR...

Prints one finding per line ("file.c (symbol) is not referred to ...") and
exits 1 if there is any.  The loader's symbols (plugin_version,
plugin_want_major, plugin_want_minor, plugin_register, plugin_describe) are
referred to by Wireshark and are not findings.
"""
import os
import re
import subprocess
import sys

LOADER = {'plugin_version', 'plugin_want_major', 'plugin_want_minor',
          'plugin_register', 'plugin_describe'}


def nm(obj):
    out = subprocess.run(['nm', obj], capture_output=True, text=True, check=True).stdout
    defined, undefined = set(), set()
    for line in out.splitlines():
        m = re.match(r'^[0-9a-f]*\s+([A-Za-z])\s+(\S+)$', line)
        if not m:
            continue
        letter, sym = m.groups()
        if letter == 'U':
            undefined.add(sym)
        elif letter in 'TDRB':
            defined.add(sym)
    return defined, undefined


def main():
    plugin, objdirs = sys.argv[1], sys.argv[2:]
    objs = {}
    for d in objdirs:
        for f in sorted(os.listdir(d)):
            if f.endswith('.c.o'):
                objs.setdefault(f[:-2], os.path.join(d, f))
    if not objs:
        print('static_rule: no object files in', ' '.join(objdirs))
        return 2
    tables = {src: nm(o) for src, o in objs.items()}
    findings = []
    all_defined = set()
    for src, (defined, _) in tables.items():
        all_defined |= defined
        for sym in sorted(defined):
            if sym in LOADER:
                continue
            used = any(sym in und for other, (_, und) in tables.items() if other != src)
            if not used:
                findings.append('%s (%s) is not referred to so could be static' % (src, sym))
    # Declared in a header, defined nowhere: a prototype with no function.
    proto = re.compile(r'^[A-Za-z_][\w \t\*]*?\b(msturn_\w+)\s*\(', re.M)
    for h in sorted(os.listdir(plugin)):
        if not h.endswith('.h'):
            continue
        text = open(os.path.join(plugin, h), encoding='utf-8').read()
        text = re.sub(r'/\*.*?\*/', '', text, flags=re.S)
        text = re.sub(r'^#.*$', '', text, flags=re.M)
        for m in proto.finditer(text):
            name = m.group(1)
            if re.match(r'\s*static\b', m.group(0)):
                continue        # an inline function of the header itself
            if name not in all_defined:
                findings.append('%s (%s) is declared but no object defines it' % (h, name))
    for f in findings:
        print(f)
    return 1 if findings else 0


if __name__ == '__main__':
    sys.exit(main())

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""The STUN-aware mutator knows every attribute type msturn decodes.

usage: mutator_types.py SOURCE_DIR

stun_mutator.c draws attribute types from its own list; an attribute kind
added to msturn's tables (plugin/msturn_attr_table*.c) and missing there
would be reached only by chance.  Prints the types missing, and fails.
"""
import glob
import os
import re
import sys

ENTRY = re.compile(r'\{\s*(0x[0-9A-Fa-f]{4}),\s*"([^"]*)"')


def main(src):
    table = {}
    for path in sorted(glob.glob(os.path.join(src, "plugin", "msturn_attr_table*.c"))):
        for value, name in ENTRY.findall(open(path).read()):
            table[int(value, 16)] = name
    text = open(os.path.join(src, "tests", "fuzz", "stun_mutator.c")).read()
    block = text[text.index("attr_types[] = {"):]
    block = block[:block.index("};")]
    known = {int(v, 16) for v in re.findall(r"0x[0-9A-Fa-f]{4}", block)}
    missing = sorted(set(table) - known)
    if not table:
        print("mutator_types: no attribute table found under %s/plugin" % src)
        return 1
    if missing:
        print("mutator_types: stun_mutator.c's attr_types lacks %d of msturn's %d attribute types:"
              % (len(missing), len(table)))
        for t in missing:
            print("  0x%04X %s" % (t, table[t]))
        return 1
    print("mutator_types: all %d attribute types of msturn's tables are in the mutator's list"
          % len(table))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

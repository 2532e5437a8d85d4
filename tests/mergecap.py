#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""Merged-capture workflow: an engineer captures on the Skype Edge and on the
Expressway-E, merges the two files with mergecap, and reads one path.

The test cuts the lab capture of that path (skype_expressway_pair) into the
two captures the two servers would have written (the Skype client's TCP 443
connection to its Edge, and everything the Expressway-E saw), merges them
again with mergecap, and checks that the merged file gives exactly the
sessions truth of the path: both sessions, linked, every frame's session and
role, every expert item (tests/sessions.py).  Each half alone must show its
own session and no link.

usage: mergecap.py CAPTURE SESSIONS_TRUTH
"""
import os
import subprocess
import sys
import tempfile

import sessions
EDGE_SIDE = "tcp.port == 443"


def run(cmd):
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if proc.returncode != 0:
        sys.exit("%s failed (%d): %s" % (" ".join(cmd), proc.returncode,
                                         proc.stderr.decode(errors="replace")))


def main(argv):
    capture, truth = argv[1], argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        edge, expe, merged = (os.path.join(tmp, n + ".pcapng") for n in ("edge", "expe", "merged"))
        # cutting needs no plugin: Wireshark's own TCP fields
        run(["tshark", "-r", capture, "-Y", EDGE_SIDE, "-w", edge])
        run(["tshark", "-r", capture, "-Y", "!(%s)" % EDGE_SIDE, "-w", expe])
        run(["mergecap", "-w", merged, edge, expe])
        problems = []
        for half, kind in ((edge, "MS-TURN relay"), (expe, "RFC 6062 presentation")):
            rows = sessions.table(half, [])
            if len(rows) != 1 or [r[9] for r in rows.values()] != [kind] or \
                    any(r[10] for r in rows.values()):
                problems.append("%s alone: expected one unlinked %s session, the table shows %s" % (
                    os.path.basename(half), kind, rows))
        for p in problems:
            print(p)
        status = sessions.main(["sessions.py", merged, truth])
        return 1 if problems else status


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""Write the msturn lab captures, deterministically.

usage: gen_captures.py [OUTDIR]
       gen_captures.py --check REFDIR [--workdir DIR]

The first form writes every capture (pcapng), its truth file (.truth.tsv),
per-capture tshark options (.args), README.md and MANIFEST.sha256 into OUTDIR
(default: test-captures/ at the top of the source tree).  Running it twice
gives byte-identical files: nothing depends on the clock, the host or a
random seed that is not fixed here.  Captures recorded from real programs
(KEPT_CAPTURES) are not written: they are described in README.md and listed
in MANIFEST.sha256 as they are.

The second form generates into a fresh temporary folder (inside --workdir,
default the system's temporary folder) and compares every file byte for byte
with REFDIR; it names each file that differs, is missing or is extra, and
exits 1 if any does.

The captures are drawn by the package capgen/ (building blocks, session
models, and the scenarios by family in capgen/scenarios/); this file is its
command line.  Standard library only.  Facts come from the specifications cited next to the
code that uses them: RFC 5389 / 8489 (STUN), RFC 5766 / 8656 (TURN),
RFC 6062 (TURN TCP allocations), RFC 6156 (IPv6), RFC 4571 / RFC 6544
(framing of STUN and RTP over TCP), RFC 5245 / 8445 (ICE), RFC 3550 (RTP),
RFC 793 (TCP), RFC 791 / 8200 (IPv4 / IPv6), RFC 768 (UDP),
RFC 2246 / 5246 (TLS), [MS-TURN], [MS-TURNBWM], [MS-ICE2] and the pcapng
format (draft-ietf-opsawg-pcapng).
"""
import argparse
import os
import shutil
import sys
import tempfile

from capgen.output import compare_dirs, write_outputs
from capgen.scenarios import SCENARIOS


def main(argv=None):
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir", nargs="?", default=os.path.join(top, "test-captures"))
    ap.add_argument("--check", metavar="REFDIR",
                    help="generate into a fresh temporary folder and compare with REFDIR")
    ap.add_argument("--workdir", help="where --check makes its temporary folder")
    args = ap.parse_args(argv)
    if args.check:
        if args.workdir:
            os.makedirs(args.workdir, exist_ok=True)
        tmp = tempfile.mkdtemp(prefix="captures-", dir=args.workdir)
        names = write_outputs(tmp, SCENARIOS, [args.check])
        problems = compare_dirs(tmp, args.check, names)
        if problems:
            print("test-captures is not what tools/gen_captures.py writes "
                  "(regenerate with: python3 tools/gen_captures.py test-captures):")
            for p in problems:
                print("  " + p)
            print("generated files kept in " + tmp)
            return 1
        shutil.rmtree(tmp)
        print("%d files identical to %s" % (len(names), args.check))
        return 0
    names = write_outputs(args.outdir, SCENARIOS, [args.outdir, os.path.join(top, "test-captures")])
    print("wrote %d files to %s" % (len(names), args.outdir))
    return 0


if __name__ == "__main__":
    sys.exit(main())

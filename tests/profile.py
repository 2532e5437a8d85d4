#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""The MSTURN configuration profile (profile/MSTURN), loaded by tshark with
-C MSTURN: its columns show each frame's session, role and verdict, and its
colouring rules mark the frames of a failed session and of a valid one
differently (tshark --color writes each packet's colours into PSML).

usage: profile.py CAPTURE_DIR
"""
import os
import re
import sys

from msturn_tshark import tshark


def main(argv):
    capdir = argv[1]
    problems = []
    seed = os.path.join(capdir, "seed_session.pcapng")
    oneway = os.path.join(capdir, "fail_ice_oneway.pcapng")

    # frame 20 of the seed is the data connection's ConnectionBind Request
    out = tshark(["-C", "MSTURN", "-2", "-r", seed, "-Y", "frame.number == 20"]).decode()
    if not re.search(r"\b1 data ICE valid ConnectionBind Request", out):
        problems.append("seed frame 20 with -C MSTURN: columns session/role/verdict missing: %r"
                        % out.strip())

    def colours(capture, frame):
        psml = tshark(["-C", "MSTURN", "-2", "--color", "-T", "psml", "-r", capture,
                       "-Y", "frame.number == %d" % frame]).decode()
        m = re.search(r"<packet foreground='([^']*)' background='([^']*)'", psml)
        return m.groups() if m else None

    valid = colours(seed, 20)
    failed = colours(oneway, 20)
    # the profile's rules: a valid session's background #c4ffc4, a failed one's #ffdeb0
    if valid is None or valid[1] != "#c4ffc4":
        problems.append("seed frame 20: colours %s, expected background #c4ffc4 (ICE valid)" % (valid,))
    if failed is None or failed[1] != "#ffdeb0":
        problems.append("fail_ice_oneway frame 20: colours %s, expected background #ffdeb0 "
                        "(session failed)" % (failed,))
    if problems:
        print("MSTURN profile: %d problem(s):" % len(problems))
        for p in problems:
            print("  " + p)
        return 1
    print("MSTURN profile: columns and colouring rules as expected")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

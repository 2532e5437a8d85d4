#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""The MSTURN configuration profile (profile/MSTURN), loaded by tshark with
-C MSTURN: its columns show each frame's session, role and verdict, and its
colouring rules mark the frames of a failed session and of a valid one
differently (tshark --color writes each packet's colours into PSML); its
recent file gives every column of its preferences a width, the Verdict
column one that shows the longest session verdict of the lab captures
whole (at PX_PER_CHAR, the average advance of Wireshark's default font).

usage: profile.py CAPTURE_DIR
"""
import os
import re
import sys

from msturn_tshark import tshark


PX_PER_CHAR = 8     # the packet list's monospace font, 10 points at 96 dpi
PADDING_PX = 16


def profile_dir():
    return os.environ.get("MSTURN_PROFILE_DIR") or \
        os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "profile", "MSTURN")


def pref_list(path, key):
    """A list-valued setting of a Wireshark preferences or recent file (the
    value may continue on lines that start with white space)."""
    text, on = [], False
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith(key + ":"):
                on = True
                text.append(line[len(key) + 1:])
            elif on and line[:1] in (" ", "\t"):
                text.append(line)
            else:
                on = False
    return [x.strip().strip('"') for x in "".join(text).split(",") if x.strip()]


def check_widths(capdir, problems):
    d = profile_dir()
    cols = pref_list(os.path.join(d, "preferences"), "gui.column.format")
    formats = [f.split(":0:")[0] if f.startswith("%Cus:") else f for f in cols[1::2]]
    widths = pref_list(os.path.join(d, "recent"), "column.width")
    got = dict(zip(widths[0::2], widths[1::2]))
    if widths[0::2] != formats:
        problems.append("recent: column.width names %s, the preferences' columns are %s"
                        % (widths[0::2], formats))
    longest = ""
    for name in os.listdir(capdir):
        if name.endswith(".sessions.tsv"):
            with open(os.path.join(capdir, name), encoding="utf-8") as f:
                for line in f:
                    cols_ = line.rstrip("\n").split("\t")
                    if cols_[0] == "session" and len(cols_[6]) > len(longest):
                        longest = cols_[6]
    need = PX_PER_CHAR * len(longest) + PADDING_PX
    have = int(got.get("%Cus:msturn.session.verdict", "0"))
    if have < need:
        problems.append("recent: Verdict column %d px, the longest verdict (%d characters: %r) "
                        "needs %d" % (have, len(longest), longest, need))


def main(argv):
    capdir = argv[1]
    problems = []
    check_widths(capdir, problems)
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

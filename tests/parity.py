#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""Parity with Wireshark's built-in STUN dissector: every STUN message over
TCP that the built-in dissector decodes in a capture (msturn disabled, the
built-in TCP heuristic enabled) must be decoded by msturn in the same frame,
with the same message type and transaction ID.

usage: parity.py CAPTURE [CAPTURE...]
"""
import os
import sys

from msturn_tshark import tshark



def messages(capture, proto, extra):
    """{(frame, type, id)} of the messages `proto` decoded over TCP."""
    text = tshark(["-2", "-r", capture, "-Y", "tcp && %s" % proto, "-T", "fields",
                   "-E", "separator=\t", "-E", "occurrence=a", "-E", "aggregator=;",
                   "-e", "frame.number", "-e", proto + ".type", "-e", proto + ".id"] + extra)
    out = set()
    for line in text.decode().splitlines():
        cols = line.split("\t")
        if len(cols) < 3:
            continue
        for t, i in zip(cols[1].split(";"), cols[2].split(";")):
            if not t:       # a frame msturn only attributes to a session
                continue
            out.add((int(cols[0]), int(t, 0), i.replace(":", "").lower()))
    return out


def main(argv):
    failed = 0
    for capture in argv[1:]:
        builtin = messages(capture, "stun", ["--disable-protocol", "msturn",
                                             "--enable-heuristic", "stun_tcp"])
        ours = messages(capture, "msturn", [])
        missing = sorted(builtin - ours)
        name = os.path.basename(capture)
        if missing:
            failed += 1
            print("%s: %d message(s) the built-in STUN dissector decodes but msturn does not:" % (
                name, len(missing)))
            for f, t, i in missing[:10]:
                print("  frame %d type 0x%04x id %s" % (f, t, i))
        else:
            print("%s: built-in decodes %d, msturn %d, none missed" % (name, len(builtin), len(ours)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""msturn takes nothing from other dissectors: in every frame msturn does not
claim, TLS records and HTTP requests and responses decode the same with msturn
loaded as with msturn disabled.  On the shared ports (80, 443) msturn looks at
a connection first and hands it back; the port's owner must still reassemble
what spans segments.

usage: others.py CAPTURE [CAPTURE...]
"""
import os
import sys

from msturn_tshark import tshark

FIELDS = ["tls.record.content_type", "http.request.method", "http.response.code"]


def decoded(capture, extra):
    """{frame: (TLS records, HTTP method, HTTP code)} and the frames msturn claimed."""
    args = ["-2", "-r", capture, "-T", "fields", "-E", "separator=\t", "-E", "occurrence=a",
            "-E", "aggregator=;", "-e", "frame.number", "-e", "msturn"]
    for f in FIELDS:
        args += ["-e", f]
    out, claimed = {}, set()
    for line in tshark(args + extra).decode().splitlines():
        cols = line.split("\t")
        frame = int(cols[0])
        if cols[1]:
            claimed.add(frame)
        if any(cols[2:]):
            out[frame] = tuple(cols[2:])
    return out, claimed


def main(argv):
    failed = 0
    for capture in argv[1:]:
        name = os.path.basename(capture)
        ours, claimed = decoded(capture, [])
        theirs, _ = decoded(capture, ["--disable-protocol", "msturn"])
        diff = [f for f in sorted(set(ours) | set(theirs))
                if f not in claimed and ours.get(f) != theirs.get(f)]
        if diff:
            failed += 1
            print("%s: %d frame(s) where msturn changed what other dissectors decode (%s):" % (
                name, len(diff), ", ".join(FIELDS)))
            for f in diff[:10]:
                print("  frame %d: with msturn %s, without %s" % (f, ours.get(f), theirs.get(f)))
        else:
            n = sum(1 for f in theirs if f not in claimed)
            print("%s: %d frame(s) of TLS/HTTP decoded alike with and without msturn" % (name, n))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

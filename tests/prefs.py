#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""Preferences test: msturn's extra work switched off by its own preferences.

tools/bench.sh compares msturn with the built-in STUN dissector doing the
same work: msturn.sessions, msturn.relayed_media and msturn.sip off.  Each
one must turn off what it names and nothing else:

  msturn.sessions:FALSE       no frame carries msturn.session, the sessions
                              table has no row;
  msturn.relayed_media:FALSE  no relayed datagram reaches RTP, RTCP or DTLS
                              (their bytes are msturn.relayed);
  msturn.sip:FALSE            no msturn.sip.* field (and no SIP frame joins its
                              session);
  all three                   the same STUN messages decoded, frame for frame,
                              as with the defaults.

usage: prefs.py CAPTURE... (each with its .args file beside it, if any)

The captures must between them show each thing with the defaults (sessions,
relayed RTP or DTLS, msturn.sip fields), or the test could not fail.
"""
import os
import sys

from msturn_tshark import tshark

OFF = {
    "sessions": ["-o", "msturn.sessions:FALSE"],
    "relayed_media": ["-o", "msturn.relayed_media:FALSE"],
    "sip": ["-o", "msturn.sip:FALSE"],
}
ALL_OFF = OFF["sessions"] + OFF["relayed_media"] + OFF["sip"]


def extra_args(cap):
    args = os.path.splitext(cap)[0] + ".args"
    if not os.path.exists(args):
        return []
    with open(args) as f:
        return f.read().split()


def fields(cap, extra, names):
    """frame number -> tuple of the fields' values."""
    args = ["-r", cap, "-T", "fields", "-e", "frame.number"]
    for n in names:
        args += ["-e", n]
    out = tshark(args + extra_args(cap) + extra).decode(errors="replace")
    rows = {}
    for line in out.splitlines():
        cells = line.split("\t")
        rows[int(cells[0])] = tuple(cells[1:])
    return rows


def frames_with(rows, i):
    return sorted(n for n, r in rows.items() if r[i])


def session_rows(cap, extra):
    out = tshark(["-2", "-q", "-z", "msturn,sessions", "-r", cap] + extra_args(cap) + extra).decode()
    return [line for line in out.splitlines() if line.split("|")[0].strip().isdigit()]


def main(caps):
    if not caps:
        sys.exit(__doc__)
    problems = []
    shown = {"sessions": 0, "media": 0, "sip": 0}
    names = ["msturn.session", "rtp.version", "rtcp.version", "dtls.record.content_type",
             "msturn.sip.outcome", "msturn.type"]
    for cap in caps:
        base = fields(cap, [], names)
        rows = {k: fields(cap, v, names) for k, v in OFF.items()}
        none = fields(cap, ALL_OFF, names)
        media = sorted(set(frames_with(base, 1) + frames_with(base, 2) + frames_with(base, 3)))
        shown["sessions"] += len(frames_with(base, 0))
        shown["media"] += len(media)
        shown["sip"] += len(frames_with(base, 4))

        if frames_with(rows["sessions"], 0):
            problems.append("%s: msturn.sessions off, yet frames %s carry msturn.session" %
                            (cap, frames_with(rows["sessions"], 0)[:10]))
        if session_rows(cap, OFF["sessions"]):
            problems.append("%s: msturn.sessions off, yet the sessions table has %d rows" %
                            (cap, len(session_rows(cap, OFF["sessions"]))))
        left = sorted(set(frames_with(rows["relayed_media"], 1) + frames_with(rows["relayed_media"], 2) +
                          frames_with(rows["relayed_media"], 3)) & set(media))
        if left:
            problems.append("%s: msturn.relayed_media off, yet frames %s still reach RTP, RTCP or DTLS" %
                            (cap, left[:10]))
        if frames_with(rows["sip"], 4):
            problems.append("%s: msturn.sip off, yet frames %s carry msturn.sip.outcome" %
                            (cap, frames_with(rows["sip"], 4)[:10]))
        # each preference leaves the rest as it was
        for k, r in rows.items():
            for i, name in enumerate(names):
                if (k == "sessions" and i == 0) or (k == "relayed_media" and 1 <= i <= 3) or \
                        (k == "sip" and i == 4):
                    continue
                if k == "sip" and i == 0:
                    continue        # the SIP frames of a session are the SIP reader's to stamp
                diff = [n for n in base if base[n][i] != r.get(n, ("",) * len(names))[i]]
                if diff:
                    problems.append("%s: msturn.%s off changed %s in frames %s" % (cap, k, name, diff[:10]))
        diff = [n for n in base if base[n][5] != none.get(n, ("",) * len(names))[5]]
        if diff:
            problems.append("%s: with all three off the messages decoded differ in frames %s" %
                            (cap, diff[:10]))
    for what, n in shown.items():
        if n == 0:
            problems.append("with the defaults no frame of %s shows %s: the test could not fail" %
                            (" ".join(caps), what))
    print("prefs: %s; with the defaults: %d session frames, %d relayed media frames, %d SIP "
          "outcome frames" % (", ".join(os.path.basename(c) for c in caps), shown["sessions"],
                              shown["media"], shown["sip"]))
    if problems:
        for p in problems[:25]:
            print("prefs: " + p)
        sys.exit(1)
    print("prefs: each preference turns off what it names, and only that")


if __name__ == "__main__":
    main(sys.argv[1:])

#!/usr/bin/env python3
"""Flow graph test: one presentation session as a ladder.

Wireshark's Flow Graph (Statistics > Flow Graph, "Limit to display filter"
with `msturn.session == N`; tshark -z flow,any,network,<filter>) draws the
frames of a session's control, data and peer connections between the client,
the TURN server and the peer, labelled with msturn's Info text.  This test
reads the seed's session that way and checks that the ladder has the three
nodes of the seed's diagram and the steps of the session, in order, each
between the right ports and in the right direction.

usage: flow.py CAPTURE
"""
import os
import re
import sys

from msturn_tshark import tshark


NODES = ["10.48.54.230", "10.48.54.229", "192.168.1.252"]
# (Info text starts with, source port, destination port), in capture order
STEPS = [
    ("Allocate Request", 44338, 3478),
    ("Allocate Error Response error-code: 401", 3478, 44338),
    ("Allocate Request", 44338, 3478),
    ("Allocate Success Response XOR-RELAYED-ADDRESS: 10.48.54.229:24000", 3478, 44338),
    ("Refresh Request", 44338, 3478),
    ("Refresh Success Response", 3478, 44338),
    ("ConnectionAttempt Indication XOR-PEER-ADDRESS: 192.168.1.252:53577", 3478, 44338),
    ("ConnectionBind Request", 44342, 3478),
    ("ConnectionBind Success Response", 3478, 44342),
    ("Binding Request", 53577, 24000),        # the peer's check on the peer connection,
    ("Binding Request", 3478, 44342),         # relayed to the client on the data connection
    ("Binding Request", 44342, 3478),         # the client's check,
    ("Binding Request", 24000, 53577),        # relayed to the peer
    ("Binding Success Response", 44342, 3478),
    ("Binding Success Response", 24000, 53577),
    ("Binding Success Response", 53577, 24000),
    ("Binding Success Response", 3478, 44342),
]
ARROW = re.compile(r"\((\d+)\)\s+(<-+|-+>)\s+\((\d+)\)")


def main(argv):
    capture = argv[1]
    lines = tshark(["-2", "-q", "-r", capture, "-z",
                    "flow,any,network,msturn.session==1"]).decode().splitlines()
    problems = []
    header = " ".join(lines[:2])
    for n in NODES:
        if n not in header:
            problems.append("node %s missing from the ladder's header: %s" % (n, header.strip()))

    # Each step is two lines: the label row ending in "MSTURN: <Info>" (or
    # "TCP: ..."), then the arrow row "(port) ---> (port)".
    arrows = []
    for i in range(len(lines) - 1):
        info = lines[i].rsplit("|", 1)[-1]
        m = ARROW.search(lines[i + 1])
        if m and info.startswith("MSTURN: "):
            left, arrow, right = int(m.group(1)), m.group(2), int(m.group(3))
            src, dst = (left, right) if arrow.endswith(">") else (right, left)
            arrows.append((info[len("MSTURN: "):], src, dst))
    k = 0
    for text, src, dst in arrows:
        if k < len(STEPS) and text.startswith(STEPS[k][0]) and (src, dst) == STEPS[k][1:]:
            k += 1
    if k < len(STEPS):
        want = STEPS[k]
        problems.append("step %d of the session not found in order: '%s' %d -> %d" % (k + 1, *want))
        problems.append("msturn's arrows were:")
        problems.extend("  %s  %d -> %d" % a for a in arrows[:20])
    if problems:
        print("%s: the session's flow graph is not the seed's ladder:" % os.path.basename(capture))
        for p in problems[:25]:
            print("  " + p)
        return 1
    print("%s: ladder of %d msturn arrows between %s, every step in order" % (
        os.path.basename(capture), len(arrows), ", ".join(NODES)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

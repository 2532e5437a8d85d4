#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""Flow graph test: one presentation session, or one media path across two
TURN servers, as a ladder.

Wireshark's Flow Graph (Statistics > Flow Graph, "Limit to display filter"
with `msturn.session == N`; tshark -z flow,any,network,<filter>) draws the
frames of a session's control, data and peer connections between the client,
the TURN server and the peer, labelled with msturn's Info text.  This test
reads a capture that way and checks that the ladder has the nodes of its
diagram and the steps of the session, in order, each between the right ports
and in the right direction:

  - seed_session: the seed's three nodes (CMS, Expressway-E, Edge);
  - skype_expressway_pair: with `msturn.session == 1 || msturn.session.linked
    == 1`, all four parties of the path (Skype client, the Edge's external
    and internal addresses, Expressway-E, CMS) and a check crossing both.

usage: flow.py CAPTURE
"""
import os
import re
import sys

from msturn_tshark import tshark


SEED_STEPS = [
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
PAIR_STEPS = [
    ("Allocate Success Response XOR-RELAYED-ADDRESS: 10.48.54.229:24000", 3478, 44338),
    ("Allocate Request ms-version: 6", 51280, 443),
    ("Allocate Response MAPPED-ADDRESS: 192.168.1.252:53577", 443, 51280),
    ("Set Active Destination Request DESTINATION-ADDRESS: 10.48.54.229:24000", 51280, 443),
    ("Set Active Destination Response", 443, 51280),
    ("ConnectionAttempt Indication XOR-PEER-ADDRESS: 192.168.1.252:53577", 3478, 44338),
    ("ConnectionBind Success Response", 3478, 44342),
    ("Binding Request", 51280, 443),          # the Skype client's check to its Edge,
    ("Binding Request", 53577, 24000),        # from the Edge to the Expressway-E relayed address,
    ("Binding Request", 3478, 44342),         # relayed to CMS
    ("Binding Request", 44342, 3478),         # CMS's check, the same way back
    ("Binding Request", 24000, 53577),
    ("Binding Request", 443, 51280),
    ("Binding Success Response", 44342, 3478),
    ("Binding Success Response", 443, 51280),
    ("Binding Success Response", 51280, 443),
    ("Binding Success Response", 3478, 44342),
]
# the dialog's SIP messages among the session's steps ("SIP/SDP: ", "SIP: "
# name Wireshark's SIP rows; the others are msturn's)
SIP_STEPS = [
    ("SIP/SDP: Request: INVITE", 25002, 5060),
    ("SIP: Status: 100 Trying", 5060, 25002),
    ("Allocate Success Response XOR-RELAYED-ADDRESS: 10.48.54.229:24000", 3478, 44338),
    ("SIP/SDP: Status: 200 OK (INVITE)", 5060, 25002),
    ("SIP: Request: ACK", 25002, 5060),
    ("ConnectionAttempt Indication XOR-PEER-ADDRESS: 192.168.1.252:53577", 3478, 44338),
    ("ConnectionBind Success Response", 3478, 44342),
    ("Binding Success Response", 3478, 44342),
    ("SIP/SDP: Request: INVITE", 25002, 5060),        # the re-INVITE
    ("SIP/SDP: Status: 200 OK (INVITE)", 5060, 25002),
    ("SIP: Request: ACK", 25002, 5060),
]
# capture name -> (filter, nodes, steps in capture order: Info text starts
# with, source port, destination port)
LADDERS = {
    "seed_session": ("msturn.session==1", ["10.48.54.230", "10.48.54.229", "192.168.1.252"],
                     SEED_STEPS),
    "skype_expressway_pair": ("msturn.session==1||msturn.session.linked==1",
                              ["10.48.54.230", "10.48.54.229", "198.51.100.23", "203.0.113.10",
                               "192.168.1.252"], PAIR_STEPS),
    "sip_dialog": ("msturn.session==1", ["10.48.54.228", "10.48.54.230", "10.48.54.229",
                                         "192.168.1.252"], SIP_STEPS),
}
LABEL = re.compile(r"\|((?:MSTURN|SIP|SIP/SDP): .*)$")
ARROW = re.compile(r"\((\d+)\)\s+(<-+|-+>)\s+\((\d+)\)")


def main(argv):
    capture = argv[1]
    flt, NODES, STEPS = LADDERS[os.path.basename(capture).rsplit(".", 1)[0]]
    lines = tshark(["-2", "-q", "-r", capture, "-z",
                    "flow,any,network," + flt]).decode().splitlines()
    problems = []
    header = " ".join(lines[:2])
    for n in NODES:
        if n not in header:
            problems.append("node %s missing from the ladder's header: %s" % (n, header.strip()))

    # Each step is two lines: the label row ending in "MSTURN: <Info>" (or
    # "TCP: ..."), then the arrow row "(port) ---> (port)".
    arrows = []
    for i in range(len(lines) - 1):
        # the comment column: "<protocol>: <Info>" (SIP's Info itself holds "|")
        label = LABEL.search(lines[i])
        info = label.group(1).strip() if label else ""
        m = ARROW.search(lines[i + 1])
        if m and label:
            left, arrow, right = int(m.group(1)), m.group(2), int(m.group(3))
            src, dst = (left, right) if arrow.endswith(">") else (right, left)
            arrows.append((info[len("MSTURN: "):] if info.startswith("MSTURN: ") else info, src, dst))
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
        print("%s: the flow graph of %s is not the expected ladder:" % (os.path.basename(capture), flt))
        for p in problems[:25]:
            print("  " + p)
        return 1
    print("%s: ladder of %d msturn arrows between %s, every step in order" % (
        os.path.basename(capture), len(arrows), ", ".join(NODES)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

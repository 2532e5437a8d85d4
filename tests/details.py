#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""Decoding details that the truth files do not cover, each checked on real
bytes through tshark:

  - relayed media: the RFC 4571-framed RTP of the seed's session, relayed on
    the data and the peer connection, goes to Wireshark's RTP dissector and
    carries the session; RTP framed the same way outside any session is not
    touched by msturn (neg_rtp4571); a filter on RTP alone finds the same
    frames;
  - UDP relays: in the kept coturn capture, every session whose Allocate asked
    for REQUESTED-TRANSPORT UDP is a "TURN relay" whose verdict names no RFC
    6062 step (ConnectionBind, peer connection), and every TCP one is an
    "RFC 6062 presentation";
  - error responses: the expert item names the code and the reason phrase the
    server sent, taken from the ERROR-CODE attribute itself.

usage: details.py CAPTURE_DIR
"""
import os
import sys

from msturn_tshark import tshark


def fields(capture, display_filter, names, extra=()):
    args = ["-2", "-r", capture, "-Y", display_filter, "-T", "fields", "-E", "separator=\t",
            "-E", "occurrence=f"] + list(extra)
    for n in names:
        args += ["-e", n]
    return [line.split("\t") for line in tshark(args).decode().splitlines()]


def relayed_rtp(capdir):
    problems = []
    rows = fields(os.path.join(capdir, "seed_session.pcapng"), "rtp",
                  ["frame.number", "rtp.ssrc", "msturn.session", "msturn.session.role"])
    # four rounds, both directions, each on the peer and the data connection
    if len(rows) != 16:
        problems.append("seed_session: %d RTP frames, expected 16" % len(rows))
    if {r[1] for r in rows} != {"0x5eed0001", "0xc0ffee02"}:
        problems.append("seed_session: RTP SSRCs %s" % sorted({r[1] for r in rows}))
    for r in rows:
        if r[2] != "1" or r[3] not in ("data", "peer"):
            problems.append("seed_session frame %s: RTP without its session (%s %s)" % tuple(r[0:1] + r[2:4]))
    # a display filter on RTP alone, one pass and two, one-line summaries:
    # no msturn field is asked for, yet the RTP inside is found
    for passes in ([], ["-2"]):
        out = tshark(passes + ["-r", os.path.join(capdir, "seed_session.pcapng"), "-Y", "rtp"])
        n = len(out.decode().splitlines())
        if n != len(rows):
            problems.append("seed_session: %s-Y rtp alone shows %d frames, with msturn fields %d"
                            % (" ".join(passes) + " " if passes else "", n, len(rows)))
    if fields(os.path.join(capdir, "neg_rtp4571.pcapng"), "msturn", ["frame.number"]):
        problems.append("neg_rtp4571: msturn claimed RTP outside any session")
    return problems


def udp_verdicts(capdir):
    cap = os.path.join(capdir, "coturn_rfc6062.pcapng")
    transport = {}
    for port, t in fields(cap, "msturn.method == 0x003 && msturn.class == 0",
                          ["tcp.srcport", "msturn.att.requested_transport"]):
        transport[port] = t
    table = tshark(["-2", "-q", "-z", "msturn,sessions", "-r", cap]).decode()
    problems, seen = [], 0
    for line in table.splitlines():
        cells = [c.strip() for c in line.split("|")]
        if not (cells and cells[0].isdigit() and len(cells) >= 10):
            continue
        port = cells[1].rsplit(":", 1)[-1]
        want_udp = transport.get(port) == "17"
        seen += want_udp
        # a UDP relay has no peer connection: no RFC 6062 step can be its verdict
        rfc6062_verdict = "Connection" in cells[9] or "peer connection" in cells[9]
        if want_udp and rfc6062_verdict:
            problems.append("coturn session %s (client port %s, transport %s): verdict '%s'" % (
                cells[0], port, transport.get(port), cells[9]))
        kind = "TURN relay" if want_udp else "RFC 6062 presentation"
        if len(cells) < 11 or cells[10] != kind:
            problems.append("coturn session %s (client port %s, transport %s): kind '%s', "
                            "expected '%s'" % (cells[0], port, transport.get(port),
                                               cells[10] if len(cells) > 10 else "", kind))
    if seen == 0:
        problems.append("coturn_rfc6062: no UDP allocation found to check")
    return problems


def error_reasons(capdir):
    problems = []
    for name in ("fail_508_capacity", "fail_403_peer", "fail_bind_446", "fail_refresh_437"):
        cap = os.path.join(capdir, name + ".pcapng")
        rows = fields(cap, "msturn.error_response",
                      ["msturn.att.error", "msturn.att.error.reason", "_ws.expert.message"],
                      ["-E", "occurrence=a", "-E", "aggregator=|"])
        if not rows:
            problems.append("%s: no error-response expert item" % name)
        for code, reason, message in rows:
            if "%s %s" % (code, reason) not in message.split("|")[0]:
                problems.append("%s: expert '%s' lacks '%s %s'" % (name, message, code, reason))
    return problems


def main(argv):
    capdir = argv[1]
    problems = relayed_rtp(capdir) + udp_verdicts(capdir) + error_reasons(capdir)
    if problems:
        print("decoding details: %d problem(s):" % len(problems))
        for p in problems[:25]:
            print("  " + p)
        return 1
    print("relayed RTP, TURN relay verdicts and error reasons as expected")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

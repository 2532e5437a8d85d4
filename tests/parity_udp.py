#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""Parity over UDP: with `msturn.udp` on, msturn decodes every STUN message
(classic RFC 3489 ones included) and every TURN ChannelData (or [MS-TURN]
multiplexed packet, which the built-in dissector takes for ChannelData) that Wireshark's
built-in STUN dissectors decode in a capture (msturn disabled), in the same
frame with the same type and transaction ID or channel number; and every
frame that the RTP and RTCP dissectors decode without msturn (their UDP
heuristics enabled) they still decode with it; and msturn takes no frame
that another dissector decoded without it.

usage: parity_udp.py CAPTURE [CAPTURE...]
"""
import os
import sys

from msturn_tshark import tshark


def decode(capture, names, extra):
    """Per frame, {field: [values]} for the UDP frames of a capture."""
    args = ["-2", "-r", capture, "-Y", "udp", "-T", "fields", "-E", "separator=\t",
            "-E", "occurrence=a", "-E", "aggregator=;", "-e", "frame.number"]
    for n in names:
        args += ["-e", n]
    rows = {}
    for line in tshark(args + extra).decode().splitlines():
        cols = line.split("\t")
        rows[int(cols[0])] = {n: [v for v in c.split(";") if v] for n, c in zip(names, cols[1:])}
    return rows


def ids(v):
    return v.replace(":", "").lower()


def builtin_view(capture):
    rows = decode(capture, ["stun.type", "stun.id", "classicstun.type", "classicstun.id",
                            "stun.channel", "rtp.ssrc", "rtcp.pt", "frame.protocols"],
                  ["--disable-protocol", "msturn", "--enable-heuristic", "rtp_udp"])
    msgs, chans, media, others = set(), set(), set(), {}
    for f, r in rows.items():
        # the dissector on top of UDP, if it is not STUN's
        layers = (r["frame.protocols"] or [""])[0].split(":")
        top = layers[layers.index("udp") + 1] if "udp" in layers[:-1] else None
        if top not in (None, "stun", "classicstun", "data"):
            others[f] = top
        for p in ("stun", "classicstun"):
            for t, i in zip(r[p + ".type"], r[p + ".id"]):
                msgs.add((f, int(t, 0), ids(i)))
        for c in r["stun.channel"]:
            chans.add((f, int(c, 0)))
        if r["rtp.ssrc"] or r["rtcp.pt"]:
            media.add(f)
    return len(rows), msgs, chans, media, others


def msturn_view(capture):
    rows = decode(capture, ["msturn.type", "msturn.id", "msturn.channel", "msturn.mux.channel",
                            "rtp.ssrc", "rtcp.pt", "msturn.framing"],
                  ["-o", "msturn.udp:TRUE", "--enable-heuristic", "rtp_udp"])
    msgs, chans, media, claimed = set(), set(), set(), set()
    for f, r in rows.items():
        if r["msturn.framing"]:
            claimed.add(f)
        for t, i in zip(r["msturn.type"], r["msturn.id"]):
            msgs.add((f, int(t, 0), ids(i)))
        # the built-in dissector reads an [MS-TURN] 2.2.3 multiplexed packet
        # (Channel_ID 0xFF10) as ChannelData; msturn as what it is
        for c in r["msturn.channel"] + r["msturn.mux.channel"]:
            chans.add((f, int(c, 0)))
        if r["rtp.ssrc"] or r["rtcp.pt"]:
            media.add(f)
    return msgs, chans, media, claimed


def main(argv):
    failed = 0
    for capture in argv[1:]:
        name = os.path.basename(capture)
        n, b_msgs, b_chans, b_media, b_others = builtin_view(capture)
        if n == 0:
            continue
        m_msgs, m_chans, m_media, claimed = msturn_view(capture)
        problems = ["frame %d: %s type 0x%04x id %s decoded by the built-in dissector, not by msturn"
                    % (f, "message", t, i) for f, t, i in sorted(b_msgs - m_msgs)]
        problems += ["frame %d: ChannelData 0x%04x decoded by the built-in dissector, not by msturn"
                     % c for c in sorted(b_chans - m_chans)]
        problems += ["frame %d: RTP/RTCP without msturn, not with it" % f
                     for f in sorted(b_media - m_media)]
        problems += ["frame %d: %s without msturn, taken by msturn with it" % (f, b_others[f])
                     for f in sorted(claimed & set(b_others))]
        if problems:
            failed += 1
            print("%s: %d problem(s):" % (name, len(problems)))
            for p in problems[:12]:
                print("  " + p)
        else:
            print("%s: %d UDP frames; built-in decodes %d messages, %d ChannelData, %d RTP/RTCP; "
                  "msturn %d, %d, %d; none lost" % (name, n, len(b_msgs), len(b_chans), len(b_media),
                                                     len(m_msgs), len(m_chans), len(m_media)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

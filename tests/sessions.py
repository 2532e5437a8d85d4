#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""Sessions test: read a lab capture in two passes with the built plugin and
compare what msturn says about presentation sessions with the capture's
sessions truth (<capture>.sessions.tsv, see test-captures/README.md):

  - the rows of `tshark -2 -q -z msturn,sessions` (client, TURN server,
    relayed address, peers, verdict, kind, linked sessions, path verdict), and the same table read in one pass
    (`tshark -q -z msturn,sessions`, what most people type), which must be
    identical cell for cell; and each session's row alone when the table is
    filtered with `msturn.session == N` (no other row, not even an empty one);
  - the rows of `tshark -2 -q -z msturn,peers` (a TURN relay's peers: peer,
    permission, channel, packets and bytes each way, the four kinds of ICE
    check, verdict) against the truth's peer lines, in order, cell for cell
    (no peer line: no row), and the same table read in one pass;
  - msturn.session and msturn.session.role on every frame, and on a TURN
    relay's Send and Data indications msturn.peer, the peer they name;
  - every msturn expert item, frame by frame;
  - on the frames of a presentation's SIP dialog, the dialog's outcome and
    the values of ms-diagnostics, Reason and Warning (msturn.sip.*); no
    other frame may show those header values;
  - no Malformed mark (an expert item of the Malformed group, whoever adds
    it, or a dissector's exception) on a frame msturn claims, unless the
    truth expects one of msturn's own Malformed items on that frame: the
    bytes are malformed only where the capture says so.

usage: sessions.py CAPTURE SESSIONS_TRUTH [-- extra tshark arguments]
"""
import os
import sys
import xml.etree.ElementTree as ET

from msturn_tshark import split_args, tshark

MAX_LINES = 25


# msturn.sip.* fields read from a message's own headers: shown only where
# the truth says
SIP_HEADER_FIELDS = ("msturn.sip.diagnostics", "msturn.sip.reason", "msturn.sip.warning")


PEER_COLUMNS = ["peer", "permission", "channel", "pkts to", "bytes to", "pkts from", "bytes from",
                "checks to peer", "answers from peer", "checks from peer", "answers to peer",
                "verdict"]


def read_truth(path):
    sessions, frames, experts, sip, peers = {}, {}, set(), {}, []
    with open(path, encoding="utf-8") as f:
        f.readline()
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if cols[0] == "session":
                sessions[int(cols[1])] = (cols + [""] * 11)[2:11]
            elif cols[0] == "peer":
                peers.append((int(cols[1]), (cols + [""] * 14)[2:14]))
            elif cols[0] == "frame":
                frames[int(cols[1])] = (int(cols[2]), cols[3])
            elif cols[0] == "expert":
                experts.add((int(cols[1]), cols[2]))
            elif cols[0] == "sip":
                sip[int(cols[1])] = dict(kv.split("=", 1) for kv in cols[2].split(";") if kv)
    return sessions, frames, experts, sip, peers


PI_MALFORMED = 0x07000000    # expert group (epan/proto.h)


def malformed_marks(pkt):
    """What marks a frame Malformed: each Malformed-group expert item (by
    its name) and each exception a dissector threw (_ws.malformed)."""
    marks = []
    for el in pkt.iter():
        name = el.get("name", "")
        if name == "_ws.malformed":
            marks.append(name)
        elif name == "_ws.expert":
            group = [int(c.get("show"), 0) for c in el if c.get("name") == "_ws.expert.group"]
            if group and group[0] == PI_MALFORMED:
                marks.append(el[0].get("name", "?") if len(el) else "?")
    return marks


def decoded(capture, extra):
    """Per frame: (session, role) or None, the set of (frame, expert), and
    per frame the msturn.sip.* values shown; for the frames msturn claims,
    their Malformed marks."""
    root = ET.fromstring(tshark(["-2", "-r", capture, "-T", "pdml"] + extra))
    frames, experts, sip, malformed = {}, set(), {}, {}
    for pkt in root.iter("packet"):
        num, session, role, claimed = None, None, None, False
        for fld in pkt.iter("field"):
            name = fld.get("name")
            if name == "frame.number":
                num = int(fld.get("show"))
            elif name == "frame.protocols":
                claimed = "msturn" in fld.get("show", "").split(":")
            elif name == "msturn.sip.outcome":
                # its label: "Dialog outcome: refused (3)"
                label = fld.get("showname", "").split(": ", 1)[-1].rsplit(" (", 1)[0]
                sip.setdefault(num, {})[name] = label
            elif name.startswith(SIP_HEADER_FIELDS) and "." in name[len("msturn.sip."):]:
                sip.setdefault(num, {})[name] = fld.get("show")
            elif name == "msturn.session" and session is None:
                session = int(fld.get("show"))
            elif name == "msturn.session.role" and role is None:
                role = fld.get("show")
        for ex in pkt.iter("field"):
            if ex.get("name") != "_ws.expert":
                continue
            for item in ex:
                name = item.get("name", "")
                if name.startswith("msturn."):
                    experts.add((num, name))
        if session is not None:
            frames[num] = (session, role)
        marks = malformed_marks(pkt) if claimed else []
        if marks:
            malformed[num] = marks
    return frames, experts, sip, malformed


def table(capture, extra, two_pass=True, flt=None):
    """The rows of the sessions table, by session number, every cell."""
    z = "msturn,sessions" + ("," + flt if flt else "")
    out = tshark((["-2"] if two_pass else []) + ["-q", "-z", z, "-r", capture] + extra).decode()
    rows = {}
    for line in out.splitlines():
        cells = [c.strip() for c in line.split("|")]
        if cells and cells[0].isdigit() and len(cells) >= 14:
            # number, client, server, relayed, peers, Allocate, Attempt, Bind, duration, verdict,
            # kind, linked, path verdict, Call-ID
            rows[int(cells[0])] = cells[1:14]
    return rows


def peers_table(capture, extra, two_pass=True):
    """The rows of the peers table in the order printed: (session, the
    other twelve cells).  A tshark that refuses the table ends the test
    with the first line of its complaint (not the list of every -z)."""
    try:
        out = tshark((["-2"] if two_pass else []) + ["-q", "-z", "msturn,peers", "-r", capture] +
                     extra).decode()
    except SystemExit as e:
        sys.exit("%s: %s" % (os.path.basename(capture), str(e.code).strip().splitlines()[0]))
    rows = []
    for line in out.splitlines():
        cells = [c.strip() for c in line.split("|")]
        if cells and cells[0].isdigit():
            rows.append((int(cells[0]), (cells + [""] * 13)[1:13]))
    return rows


def peer_row_text(row):
    return "session %d: %s" % (row[0], " | ".join(row[1]))


def compare_peers(want, got):
    """Differences between the truth's peer lines and the table's rows,
    row by row in order, cell by cell."""
    problems = []
    for i in range(max(len(want), len(got))):
        w = want[i] if i < len(want) else None
        g = got[i] if i < len(got) else None
        if g is None:
            problems.append("peers row %d missing (expected %s)" % (i + 1, peer_row_text(w)))
        elif w is None:
            problems.append("peers row %d unexpected: %s" % (i + 1, peer_row_text(g)))
        elif w[0] != g[0] or w[1][0] != g[1][0]:
            problems.append("peers row %d: expected session %d peer %s, msturn shows session %d "
                            "peer %s" % (i + 1, w[0], w[1][0], g[0], g[1][0]))
        else:
            for c, a, b in zip(PEER_COLUMNS[1:], w[1][1:], g[1][1:]):
                if a != b:
                    problems.append("session %d peer %s %s: expected '%s', msturn shows '%s'" % (
                        w[0], w[1][0], c, a, b))
    return problems


def indication_peers(capture, extra, frames):
    """msturn.peer on the frames (of those given) that hold one Send or Data
    indication (RFC 8656 11) naming one XOR-PEER-ADDRESS: it must be that
    address as the peers table writes it, ip:port or [ipv6]:port."""
    out = tshark(["-2", "-r", capture, "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=,",
                  "-e", "frame.number", "-e", "msturn.type", "-e", "msturn.att.xor_peer.ip",
                  "-e", "msturn.att.xor_peer.ipv6", "-e", "msturn.att.xor_peer.port",
                  "-e", "msturn.peer", "-Y", "msturn.type == 0x0016 || msturn.type == 0x0017"]
                 + extra).decode()
    problems = []
    for line in out.splitlines():
        num, types, ip4, ip6, port, peer = (line.split("\t") + [""] * 6)[:6]
        if int(num) not in frames:
            continue
        kinds = [t for t in types.split(",") if t in ("0x0016", "0x0017")]
        ips = [a for a in (ip4 + "," + ip6).split(",") if a]
        if len(kinds) != 1 or len(ips) != 1 or "," in port:
            continue
        want = ("[%s]:%s" if ":" in ips[0] else "%s:%s") % (ips[0], port)
        if want not in peer.split(","):
            problems.append("frame %s: %s indication to %s, msturn.peer shows '%s'" % (
                num, "Send" if kinds[0] == "0x0016" else "Data", want, peer))
    return problems


MAX_FILTERED = 3    # sessions checked one by one under a filter, per capture


def main(argv):
    argv, extra = split_args(argv)
    capture, truth = argv[1], argv[2]
    want_sessions, want_frames, want_experts, want_sip, want_peers = read_truth(truth)
    got_frames, got_experts, got_sip, got_malformed = decoded(capture, extra)
    full = table(capture, extra)
    got_sessions = {n: [r[0], r[1], r[2], r[3], r[8], r[9], r[10], r[11], r[12]]
                    for n, r in full.items()}

    problems = []
    one_pass = table(capture, extra, two_pass=False)
    for n in sorted(set(full) | set(one_pass)):
        if full.get(n) != one_pass.get(n):
            problems.append("session %d: one pass shows %s, two passes %s" % (
                n, " | ".join(one_pass.get(n) or ["(no row)"]), " | ".join(full.get(n) or ["(no row)"])))
    for n in sorted(full)[:MAX_FILTERED]:
        alone = table(capture, extra, flt="msturn.session==%d" % n)
        if alone != {n: full[n]}:
            problems.append("table filtered with msturn.session==%d shows rows %s, expected only %d as "
                            "unfiltered" % (n, sorted(alone), n))
    cols = ["client", "server", "relayed", "peers", "verdict", "kind", "linked", "path verdict",
            "Call-ID"]
    for n in sorted(set(want_sessions) | set(got_sessions)):
        w, g = want_sessions.get(n), got_sessions.get(n)
        if w is None:
            problems.append("sessions table: unexpected session %d: %s" % (n, " | ".join(g)))
        elif g is None:
            problems.append("sessions table: session %d missing (expected %s)" % (n, " | ".join(w)))
        else:
            for c, a, b in zip(cols, w, g):
                if a != b:
                    problems.append("session %d %s: expected '%s', msturn shows '%s'" % (n, c, a, b))
    got_peers = peers_table(capture, extra)
    problems += compare_peers(want_peers, got_peers)
    one_pass_peers = peers_table(capture, extra, two_pass=False)
    if one_pass_peers != got_peers:
        for i in range(max(len(one_pass_peers), len(got_peers))):
            a = one_pass_peers[i] if i < len(one_pass_peers) else None
            b = got_peers[i] if i < len(got_peers) else None
            if a != b:
                problems.append("peers row %d: one pass shows %s, two passes %s" % (
                    i + 1, peer_row_text(a) if a else "(no row)",
                    peer_row_text(b) if b else "(no row)"))
    for f in sorted(set(want_frames) | set(got_frames)):
        w, g = want_frames.get(f), got_frames.get(f)
        if w != g:
            problems.append("frame %d: expected %s, msturn shows %s" % (
                f, "session %d %s" % w if w else "no session",
                "session %d %s" % g if g else "no session"))
    for f, e in sorted(want_experts - got_experts):
        problems.append("frame %d: expert %s expected, not shown" % (f, e))
    for f, e in sorted(got_experts - want_experts):
        problems.append("frame %d: unexpected expert %s" % (f, e))
    for f, marks in sorted(got_malformed.items()):
        if not any((f, m) in want_experts for m in marks):
            problems.append("frame %d: marked Malformed (%s), the truth says its bytes are well formed"
                            % (f, ", ".join(sorted(set(marks)))))
    for f in sorted(set(want_sip) | set(got_sip)):
        w = want_sip.get(f, {})
        # the outcome is checked where the truth names it; header values everywhere
        g = {k: v for k, v in got_sip.get(f, {}).items()
             if k in w or k != "msturn.sip.outcome"}
        if w != g:
            problems.append("frame %d: SIP values expected %s, msturn shows %s" % (
                f, ";".join("%s=%s" % kv for kv in sorted(w.items())) or "none",
                ";".join("%s=%s" % kv for kv in sorted(g.items())) or "none"))

    # a TURN relay's frames name their peer (msturn.peer)
    relay_sessions = {n for n, w in want_sessions.items() if w[5] == "TURN relay"}
    relay_frames = {f for f, (n, _) in want_frames.items() if n in relay_sessions}
    if relay_frames:
        problems += indication_peers(capture, extra, relay_frames)
    name = os.path.basename(capture)
    if problems:
        print("%s: %d difference(s) between %s and msturn's sessions:" % (
            name, len(problems), os.path.basename(truth)))
        for p in problems[:MAX_LINES]:
            print("  " + p)
        if len(problems) > MAX_LINES:
            print("  ... and %d more" % (len(problems) - MAX_LINES))
        return 1
    print("%s: %d sessions, %d peers, %d session frames, %d expert items as expected" % (
        name, len(want_sessions), len(want_peers), len(want_frames), len(want_experts)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

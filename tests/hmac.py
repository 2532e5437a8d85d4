#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""MESSAGE-INTEGRITY checks against the credentials preference table.

With the credentials of test-captures/README.md in the table
`msturn_credentials`, every HMAC in the lab captures verifies (status 1:
HMAC-SHA1, HMAC-SHA256 for [MS-TURN] MS-VERSION 6, RFC 3489 classic
HMACs over the text padded to 64 bytes, MESSAGE-INTEGRITY-SHA256 cut to 16
and 24 bytes) except those of requests that the server answers with 401
although they carry MESSAGE-INTEGRITY (RFC 8489 10.2.2: the HMAC did not
verify; the clients of fail_401_loop and the first of skype_edge_failures
sign with a wrong password): those have status 0 and the expert item
msturn.att.hmac.bad.  Without credentials nothing is checked
(status 2); with a wrong password for user turn, that user's requests are
bad and messages of other users or of no user are not checked.

usage: hmac.py CAPTURE_DIR
"""
import glob
import os
import sys

from msturn_tshark import tshark


# the lab credentials, and those of the kept coturn capture
LAB = [("turn", "TANDBERG", "Expressway-lab-1"),
       ("msturn", "msturn.lab", "coturn-lab-1"),
       ("AoVy", "", "cmsLabIcePassword4TcpTurn"),
       ("l0MR", "", "skypeLabIcePwd+relay/2017"),
       ("wRc7", "", "webrtcLabClientPwd/turn-relay"),    # turn_relay_*: the client's checks
       ("pE3r", "", "webrtcLabPeerPassword+relay8656"),  # ... and its peer's
       ("lab3489u", "", "rfc3489-shared-secret"),       # classic_3489: RFC 3489 11.2.8
       ("sha2", "", "ice-sha256-lab-password")]         # MESSAGE-INTEGRITY-SHA256, 16-32 bytes
WRONG = [("turn", "TANDBERG", "not-the-password")]


def statuses(capture, creds):
    """[(frame, username, status, hmac.bad expert)] per message with an HMAC."""
    args = ["-2", "-r", capture, "-o", "msturn.udp:TRUE",
            "-Y", "msturn.att.hmac || msturn.att.hmac_sha256", "-T", "fields",
            "-E", "occurrence=a", "-E", "aggregator=;",
            "-e", "frame.number", "-e", "msturn.att.hmac.status",
            "-e", "msturn.att.hmac_sha256.status", "-e", "msturn.att.hmac.bad",
            "-e", "msturn.response_in"]
    for c in creds:
        args += ["-o", 'uat:msturn_credentials:"%s","%s","%s"' % c]
    out = []
    for line in tshark(args).decode().splitlines():
        cols = (line.split("\t") + [""] * 5)[:5]
        for st in filter(None, (cols[1] + ";" + cols[2]).split(";")):
            out.append((int(cols[0]), int(st), bool(cols[3])))
    return out


def refused_by_401(capture):
    """Frames of signed requests whose response is a 401 and whose USERNAME
    names only the lab's users: their HMAC is what the server refused (a
    USERNAME naming an unknown ICE username fragment is refused for that)."""
    known = {c[0] for c in LAB}
    out = tshark(["-2", "-r", capture, "-o", "msturn.udp:TRUE", "-Y", "msturn.att.error == 401",
                  "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=;",
                  "-e", "msturn.response_to"]).decode()
    frames = {int(f) for line in out.splitlines() for f in line.split(";") if f}
    if not frames:
        return frames
    users = tshark(["-2", "-r", capture, "-o", "msturn.udp:TRUE", "-Y", "msturn.att.username",
                    "-T", "fields", "-E", "occurrence=f", "-e", "frame.number",
                    "-e", "msturn.att.username"]).decode()
    named = dict(line.split("\t", 1) for line in users.splitlines() if "\t" in line)
    return {f for f in frames if all(u in known for u in named.get(str(f), "").split(":"))}


def ice_checks(capture, creds):
    """[(frame, USERNAME, status, expert text)] of the HMACs of Binding messages."""
    args = ["-2", "-r", capture, "-Y", "msturn.method == 0x001 && msturn.att.hmac", "-T", "fields",
            "-E", "occurrence=f", "-e", "frame.number", "-e", "msturn.att.username",
            "-e", "msturn.att.hmac.status", "-e", "_ws.expert.message"]
    for c in creds:
        args += ["-o", 'uat:msturn_credentials:"%s","%s","%s"' % c]
    return [tuple((line.split("\t") + [""] * 4)[:4]) for line in tshark(args).decode().splitlines()]


def sdp_passwords(capdir):
    """With no credentials configured, the ICE passwords of the capture's
    SDP verify the checks of sip_dialog; in sip_wrong_password the Skype
    side's checks (USERNAME AoVy:l0MR, signed for CMS) fail against CMS's
    SDP password and say so; a table entry wins over the SDP."""
    problems = []
    dialog = ice_checks(os.path.join(capdir, "sip_dialog.pcapng"), [])
    if len(dialog) < 8 or any(st != "1" for _, _, st, _ in dialog):
        problems.append("sip_dialog without credentials: ICE check statuses %s, expected all 1 "
                        "(SDP passwords)" % sorted({st for _, _, st, _ in dialog}))
    wrong = ice_checks(os.path.join(capdir, "sip_wrong_password.pcapng"), [])
    skype = [r for r in wrong if r[1] == "AoVy:l0MR"]
    if not skype or any(st != "0" or "announced for AoVy by 10.48.54.230" not in text
                        for _, _, st, text in skype):
        problems.append("sip_wrong_password: the Skype side's checks %s, expected status 0 and "
                        "an expert naming CMS's SDP password" % skype[:2])
    if any(st != "1" for _, user, st, _ in wrong if user == "l0MR:AoVy"):
        problems.append("sip_wrong_password: CMS's checks do not verify against the Skype SDP")
    table = ice_checks(os.path.join(capdir, "sip_dialog.pcapng"), [("AoVy", "", "not-the-password")])
    if not any(st == "0" for _, user, st, _ in table if user == "AoVy:l0MR"):
        problems.append("sip_dialog with a table entry for AoVy: the SDP password won over the table")
    return problems


def main(argv):
    capdir = argv[1]
    problems, checked = [], 0
    for cap in sorted(glob.glob(os.path.join(capdir, "*.pcapng"))):
        name = os.path.basename(cap)
        got = statuses(cap, LAB)
        refused = refused_by_401(cap)
        # two RFC 3489 HMACs, then MESSAGE-INTEGRITY-SHA256 of 16, 24 and 32
        # bytes in three checks and their responses
        if name == "classic_3489.pcapng" and len(got) != 8:
            problems.append("%s: %d HMACs checked, expected 8" % (name, len(got)))
        for frame, st, bad in got:
            want = 0 if frame in refused else 1
            checked += 1
            if st != want:
                problems.append("%s frame %d: HMAC status %d with the lab credentials, expected %d"
                                % (name, frame, st, want))
            if bad != (want == 0):
                problems.append("%s frame %d: msturn.att.hmac.bad %s" % (
                    name, frame, "shown on a good HMAC" if bad else "missing"))
    if checked < 50:
        problems.append("only %d HMACs found in the lab captures" % checked)
    seed = os.path.join(capdir, "seed_session.pcapng")
    none = statuses(seed, [])
    if not none or any(st != 2 for _, st, _ in none):
        problems.append("seed_session without credentials: statuses %s, expected all 2 (not checked)"
                        % sorted({st for _, st, _ in none}))
    wrong = statuses(seed, WRONG)
    if not wrong or any(st == 1 for _, st, _ in wrong):
        problems.append("seed_session with a wrong password: an HMAC verified")
    # requests name USERNAME turn: checked and bad; the rest name no
    # configured user or no user at all: not checked
    if sorted({st for _, st, _ in wrong}) != [0, 2]:
        problems.append("seed_session with a wrong password: statuses %s, expected 0 (requests "
                        "of user turn) and 2 (the rest)" % sorted({st for _, st, _ in wrong}))
    problems += sdp_passwords(capdir)
    if problems:
        print("MESSAGE-INTEGRITY: %d problem(s):" % len(problems))
        for p in problems[:25]:
            print("  " + p)
        return 1
    print("MESSAGE-INTEGRITY: %d HMACs in the lab captures as expected; none checked without "
          "credentials, none verified with a wrong password" % checked)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

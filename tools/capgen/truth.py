# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""One capture being written: its frames, the truth of every STUN message, the expected sessions."""
from .common import Det, T0_US


# The IANA STUN methods registry (RFC 8489 18.2, RFC 8656 17, RFC 6062 6.1,
# GOOG-PING 0x080) with RFC 3489's SharedSecret.
REGISTERED_METHODS = {0x001, 0x002, 0x003, 0x004, 0x006, 0x007, 0x008, 0x009, 0x00A, 0x00B,
                      0x00C, 0x080}


def stun_method(mtype):
    """RFC 8489 5: the 12 method bits around the two class bits."""
    return ((mtype & 0x3E00) >> 2) | ((mtype & 0x00E0) >> 1) | (mtype & 0x000F)


# First line of a .sessions.tsv file (test-captures/README.md).
SESSIONS_HEADER = "kind\tkey\tvalues..."


class TruthEntry:
    """One STUN/TURN message as the truth file describes it."""
    counter = 0

    def __init__(self, framing, msg, length):
        TruthEntry.counter += 1
        self.order = TruthEntry.counter
        self.framing = framing
        self.msg = msg
        self.length = length
        self.covered = 0
        self.frame = 0
        self.tcp = None           # the TcpConn it travelled on (None: UDP)

    def line(self):
        m = self.msg
        values = ";".join("%s=%s" % kv for kv in m.truth_values())
        return "\t".join([str(self.frame), str(self.framing), "0x%04x" % m.mtype,
                          m.tid.hex(), ",".join("0x%04x" % t for t in m.attr_types()), values])


class Capture:
    def __init__(self, name, t0=T0_US):
        self.name = name
        self.t = t0
        self.frames = []
        self.truth = []
        self.notes = []
        self.args = []
        self.det = Det(name)
        self.conns = []           # every TcpConn and session UdpTuple, for the sessions truth
        self.sessions = []        # session models (models.py, relay.py), in order of first Allocate
        self.experts = []         # (frame, expert) the scenario expects beyond the automatic ones
        self.sip = {}             # frame -> {field: value} msturn reads in a presentation's SIP

    def wait(self, ms):
        self.t += int(round(ms * 1000))

    def add(self, frame):
        if self.frames and self.t < self.frames[-1][0]:
            raise RuntimeError("%s: time goes backwards" % self.name)
        self.frames.append((self.t, frame))
        return len(self.frames)

    def note(self, text, frame=None):
        self.notes.append((frame if frame is not None else len(self.frames), text))

    def expect(self, frame, expert):
        """The scenario expects msturn's expert item `expert` on `frame`."""
        self.experts.append((frame, expert))

    def expect_sip(self, frame, **values):
        """msturn shows these msturn.sip.* values on `frame` (names without
        the prefix, dots as double underscores: diagnostics__id=21002)."""
        self.sip.setdefault(frame, {}).update(
            ("msturn.sip." + k.replace("__", "."), str(v)) for k, v in values.items())

    def session_lines(self):
        """The sessions truth: what msturn must say about sessions, roles and
        expert items (see README_HEAD)."""
        out = [SESSIONS_HEADER]
        for s in self.sessions:
            assert s.verdict, "%s: session %d has no expected verdict" % (self.name, s.number)
            out.append("\t".join(["session", str(s.number), s.client_text(), s.server_text(),
                                  s.relayed_text(), s.peers_text(), s.verdict, s.kind,
                                  ", ".join(str(n.number) for n in s.linked), s.path(),
                                  s.call_id]))
        # a TURN relay's peers, in order of first mention
        for s in self.sessions:
            for row in getattr(s, "peer_rows", list)():
                out.append("\t".join(["peer", str(s.number)] + row))
        roles = {}
        for c in self.conns:
            if c.session is None:
                continue
            for f in c.frames:
                roles[f] = (c.session, c.role)
        for f in sorted(roles):
            out.append("\t".join(["frame", str(f), str(roles[f][0]), roles[f][1]]))
        session_experts = [e for s in self.sessions for e in getattr(s, "experts", list)()]
        for f, e in sorted(set(self.experts + self.auto_experts() + session_experts)):
            out.append("\t".join(["expert", str(f), e]))
        for f in sorted(self.sip):
            out.append("\t".join(["sip", str(f), ";".join("%s=%s" % kv for kv in
                                                          sorted(self.sip[f].items()))]))
        return out

    def auto_experts(self):
        """Experts that follow from the messages alone: a 401 is a challenge,
        any other error code an error response, and a request with no
        response of the same transaction ID in its connection is unanswered."""
        out = []
        answered = set()
        for e in self.truth:
            if e.covered == e.length and (e.msg.mtype & 0x0110) != 0:
                answered.add((e.tcp, e.msg.tid))
        for e in self.truth:
            if e.covered != e.length:
                continue
            cls = ((e.msg.mtype >> 7) & 2) | ((e.msg.mtype >> 4) & 1)
            if cls == 3 and e.msg.error_code is not None:
                # a 401 to an ICE check (Binding) is a refusal, not a challenge
                binding = (e.msg.mtype & 0x3EEF) == 0x0001
                out.append((e.frame, ("msturn.ice_rejected" if binding else "msturn.challenge")
                            if e.msg.error_code == 401 else "msturn.error_response"))
            # a method outside the IANA STUN methods registry is said
            if not e.msg.ms and stun_method(e.msg.mtype) not in REGISTERED_METHODS:
                out.append((e.frame, "msturn.method.unknown"))
            # [MS-TURN] Send requests carry data and are not answered
            ms_send = e.msg.ms and e.msg.mtype == 0x0004
            if cls == 0 and not ms_send and (e.tcp, e.msg.tid) not in answered:
                out.append((e.frame, "msturn.no_response"))
        return out

    def truth_lines(self):
        done = [e for e in self.truth if e.covered == e.length]
        done.sort(key=lambda e: (e.frame, e.order))
        return [e.line() for e in done]

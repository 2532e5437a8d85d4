# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""Scenarios: the presentation's SIP dialog and its ICE credentials."""
from ..common import A_USERNAME, BINDING_REQ, CMS_PWD, CMS_UFRAG, SKYPE_PWD, SKYPE_UFRAG
from ..net import Host
from ..stun import endpoint_text, udp_send
from ..tcpconn import TcpConn
from ..sip import Candidate, SipDialog, sdp_applicationsharing
from ..models import ICE_EXPERTS, lab_hosts, seed_like_session
from .base import scenario
from .skype import skype_expressway_start


# -- the presentation's SIP dialog -------------------------------------------------

CMS_SIP_PORT, EXPC_SIP_PORT = 5060, 25002


def skype_offer(det):
    """The Skype side's offer: its ICE credentials and [MS-ICE2] candidates
    (TCP-PASS / TCP-ACT), the relay one on the Edge, which is the peer that
    will connect to the Expressway-E relayed address."""
    cands = [Candidate("1", 1, "passive", 2120613887, "10.20.0.15", 50040, "host", ms=True),
             Candidate("2", 1, "active", 2121006079, "10.20.0.15", 50041, "host", ms=True),
             Candidate("4", 1, "passive", 6556159, "192.168.1.252", 53577, "relay",
                       "10.20.0.15", 50040, ms=True)]
    return sdp_applicationsharing("10.20.0.15", SKYPE_UFRAG, SKYPE_PWD, cands, 50040)


def cms_answer(s, relay_port=None):
    """CMS's answer (RFC 8839 / RFC 6544 form): its credentials, a host
    candidate and the relay candidate, the relayed address of its Allocate
    success (relay_port: a different port, as a CMS with a wrong TURN
    address mapping would write)."""
    cands = [Candidate("1", 1, "active", 2128609279, str(s.client.ip), 9, "host"),
             Candidate("3", 1, "passive", 16777215, str(s.relay_host.ip), relay_port or s.relay_port,
                       "relay", str(s.client.ip), s.ctl_port)]
    return sdp_applicationsharing(str(s.client.ip), CMS_UFRAG, CMS_PWD, cands, 9,
                                  session_level_ice=True)


class SipLeg:
    """The signalling between the call control (Expressway-C) and CMS, over
    TCP (one connection) or UDP; frames are remembered for the sessions
    truth (role "sip")."""

    def __init__(self, cap, expc, cms, transport="TCP"):
        self.cap, self.expc, self.cms, self.transport = cap, expc, cms, transport
        self.conn = None
        if transport == "TCP":
            self.conn = TcpConn(cap, expc, EXPC_SIP_PORT, cms, CMS_SIP_PORT, cwin=1026, swin=1026)
            self.conn.handshake(rtt_ms=0.3)
        self.frames = []          # the frames where a SIP message of the dialog is complete
        self.session, self.role = None, "sip"
        cap.conns.append(self)

    def belongs(self, session, role="sip"):
        self.session, self.role = session, role
        return self

    def send(self, frm, *messages, sizes=None):
        """Messages in one TCP segment (or datagram), sizes: cut them into
        segments of these sizes (TCP reassembly)."""
        data = b"".join(messages)
        if self.conn:
            self.conn.send(frm, data, sizes=sizes)
            f = len(self.cap.frames)
            self.frames.append(f)
            self.cap.wait(0.3)
            self.conn.ack(1 - frm)
        else:
            src, dst = (self.expc, self.cms) if frm == 0 else (self.cms, self.expc)
            sp, dp = (5060, CMS_SIP_PORT) if frm == 0 else (CMS_SIP_PORT, 5060)
            f = udp_send(self.cap, src, sp, dst, dp, data)
            self.frames.append(f)
        self.cap.wait(0.5)
        return f



class SignallingOnly:
    """The sessions truth of a presentation dialog that failed with no TURN
    session tied to it: a row of its own (kind "SIP signalling only"), its
    client the first INVITE's sender, no TURN server, relayed address or
    peers."""
    kind = "SIP signalling only"

    def __init__(self, cap, ip, port, call_id, verdict):
        cap.sessions.append(self)
        self.number = len(cap.sessions)
        self.ip, self.port, self.call_id, self.verdict = ip, port, call_id, verdict
        self.linked = []

    def client_text(self):
        return endpoint_text(self.ip, self.port)

    def server_text(self):
        return ""

    def relayed_text(self):
        return ""

    def peers_text(self):
        return ""

    def path(self):
        return ""


def expect_21002(cap, frame):
    cap.expect_sip(frame, outcome="refused", diagnostics__id=21002,
                   diagnostics__reason="Attendees cannot share in this conference",
                   diagnostics__component="ASMCU")


# [MS-OCER] 2.2.1.2: what the field report's CMS log held when the Skype
# attendee could not share.
DIAG_21002 = ('ms-diagnostics-public: 21002;reason="Attendees cannot share in this conference";'
              'component="ASMCU"')
VERDICT_21002 = "refused by signalling: 403, ms-diagnostics 21002 Attendees cannot share in this conference"


def cms_offers(cap, transport, answer):
    """CMS allocates on Expressway-E, then offers the presentation to the
    Skype side itself (an INVITE with m=applicationsharing and its relay
    candidate, which ties the dialog to the allocation); the call control
    answers 100 Trying, then answer(leg, dialog) plays the rest.  Returns
    (session, SIP leg, dialog)."""
    h = lab_hosts()
    expc = Host("10.48.54.228", "00:50:56:98:98:a0")
    s = seed_like_session(cap, h)
    leg = SipLeg(cap, expc, h["cms"], transport)
    s.allocate()
    s.refresh()
    cap.wait(1200.0)
    d = SipDialog("7a41c2d9e0f3@10.48.54.230", "meet@cms.lab.example", "skype.user@lab.example",
                  transport)
    f = leg.send(1, d.request("INVITE", "10.48.54.230", body=cms_answer(s)))
    cap.note("SIP INVITE from CMS: m=applicationsharing, relay candidate %s"
             % endpoint_text(s.relay_host.ip, s.relay_port), f)
    leg.send(0, d.response(100, "Trying", "10.48.54.230", 1, "INVITE"))
    answer(leg, d)
    leg.belongs(s.number)
    cap.wait(2000.0)
    s.refresh(lifetime=0)           # CMS gives the relay back
    s.call_id = d.call_id
    return s, leg, d


def sip_presentation(cap, transport="TCP", skype_key=None, relay_port=None, reinvite=True,
                     stranger=False, skype_ufrag=None, reinvite_answer=None, bye=None,
                     other_call=False):
    """The seed's session with its SIP dialog (RFC 3261) between the call
    control (Expressway-C 10.48.54.228) and CMS: INVITE with the Skype
    side's offer; 100 Trying and 180 Ringing in one segment; CMS allocates
    on Expressway-E; 200 OK with CMS's answer (cut over two TCP segments);
    ACK; the peer connects, ConnectionAttempt, ConnectionBind, the checks
    (signed with the SDP passwords, RFC 8445 7.2.2); the re-INVITE with the
    chosen pair, its 200 OK and ACK.  skype_key: the key the Skype side
    really signs its checks with (CMS answers them 401, RFC 8445 7.3.1.1);
    skype_ufrag: the username fragment its checks name instead of its SDP's
    (CMS answers them 401 too);
    relay_port: the relay candidate CMS writes; reinvite=False: no
    re-INVITE for the rest of the capture.  stranger: an INVITE of another
    call whose candidates name nothing of this session, earlier in the
    capture.  reinvite_answer: (code, phrase, headers) answering the
    re-INVITE instead of 200 OK.  bye: headers of a BYE the call control
    sends 3 s after the ACK (the media never starts).  other_call: an audio
    call (m=audio) refused with ms-diagnostics before the presentation, a
    dialog msturn must leave alone.  Returns (session, SIP leg)."""
    h = lab_hosts()
    expc = Host("10.48.54.228", "00:50:56:98:98:a0")
    s = seed_like_session(cap, h)
    leg = SipLeg(cap, expc, h["cms"], transport)
    if stranger:
        other = SipDialog("0c9e2f4a61d8@10.48.54.228", "alice@lab.example", "meet@cms.lab.example",
                          transport)
        cands = [Candidate("1", 1, "passive", 2120613887, "10.20.0.99", 50100, "host", ms=True)]
        f = leg.send(0, other.request("INVITE", "10.48.54.228",
                                      body=sdp_applicationsharing("10.20.0.99", "Zq8x",
                                                                  "strangerIcePwd0123456789",
                                                                  cands, 50100)))
        leg.frames.remove(f)            # another call's: no session's
        cap.wait(30.0)
    if other_call:
        audio = SipDialog("2d6b8e0a93c1@10.48.54.230", "meet@cms.lab.example",
                          "bob@lab.example", transport)
        body = ("v=0\r\no=- 0 1 IN IP4 10.48.54.230\r\ns=session\r\nc=IN IP4 10.48.54.230\r\n"
                "t=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n").encode()
        for frm, msg in ((1, audio.request("INVITE", "10.48.54.230", body=body)),
                         (0, audio.response(480, "Temporarily Unavailable", "10.48.54.230", 1,
                                            "INVITE", headers=[
                                                'ms-diagnostics: 1003;reason="User is not '
                                                'available";source="pool.lab.example"'])),
                         (1, audio.request("ACK", "10.48.54.230", cseq=1))):
            f = leg.send(frm, msg)
            leg.frames.remove(f)        # not a presentation: nobody's
        cap.note("An audio call (m=audio) refused 480 with ms-diagnostics: not a presentation, "
                 "left alone", f)
        cap.wait(30.0)
    d = SipDialog("5f3c2a1e9b7d@10.48.54.228", "skype.user@lab.example", "meet@cms.lab.example",
                  transport)
    f = leg.send(0, d.request("INVITE", "10.48.54.228", body=skype_offer(cap.det)))
    cap.note("SIP INVITE: m=applicationsharing with the Skype side's a=ice-ufrag/a=ice-pwd and "
             "[MS-ICE2] candidates (TCP-PASS relay 192.168.1.252:53577)", f)
    leg.send(1, d.response(100, "Trying", "10.48.54.228", 1, "INVITE"),
             d.response(180, "Ringing", "10.48.54.228", 1, "INVITE"))
    s.allocate()
    s.refresh()
    ok = d.response(200, "OK", "10.48.54.228", 1, "INVITE", body=cms_answer(s, relay_port))
    f = leg.send(1, ok, sizes=[len(ok) // 2, len(ok) - len(ok) // 2] if transport == "TCP" else None)
    cap.note("SIP 200 OK: CMS's answer, session-level ICE credentials, RFC 6544 relay candidate %s"
             % endpoint_text(s.relay_host.ip, relay_port or s.relay_port), f)
    leg.send(0, d.request("ACK", "10.48.54.228", cseq=1))
    leg.belongs(s.number)
    if bye is not None:                 # the call control ends it at once
        cap.wait(3000.0)
        f = leg.send(0, d.request("BYE", "10.48.54.228", headers=bye))
        cap.note("SIP BYE 3 s after the ACK, with ms-diagnostics", f)
        leg.send(1, d.response(200, "OK", "10.48.54.228", d.cseq, "BYE"))
        cap.wait(2000.0)
        s.refresh(lifetime=0)
        return s, leg
    if relay_port:                      # the Skype side tries a relay nobody allocated
        cap.wait(5000.0)
        return s, leg
    cap.wait(390.0)
    s.peer_connects()
    cap.wait(3.0)
    s.connection_attempt()
    cap.wait(50.5)
    s.connection_bind()
    cap.wait(155.0)
    if skype_key is not None:
        s.skype_key = skype_key
    if skype_ufrag is not None:
        s.skype_ufrag = skype_ufrag
    s.ice_exchange(cms_answers=skype_key is None and skype_ufrag is None)
    if reinvite:
        f = leg.send(0, d.request("INVITE", "10.48.54.228", body=skype_offer(cap.det)))
        cap.note("re-INVITE after ICE: the chosen pair", f)
        if reinvite_answer is None:
            leg.send(1, d.response(200, "OK", "10.48.54.228", d.cseq, "INVITE",
                                   body=cms_answer(s)))
        else:
            code, phrase, headers = reinvite_answer
            f = leg.send(1, d.response(code, phrase, "10.48.54.228", d.cseq, "INVITE",
                                       headers=headers))
            cap.note("re-INVITE refused: %d %s" % (code, phrase), f)
            reinvite_answer = f
        leg.send(0, d.request("ACK", "10.48.54.228", cseq=d.cseq))
    s.media(count=2)
    cap.wait(12000.0)
    s.close_all()
    return s, leg


@scenario("sip_dialog")
def sip_dialog(cap):
    """The seed's session with its SIP dialog over TCP (sip_presentation):
    the checks verify with the SDP passwords and no configured credentials,
    the session is linked to Call-ID 5f3c2a1e9b7d@10.48.54.228, ICE valid;
    an earlier INVITE of another call is linked to nothing."""
    s, leg = sip_presentation(cap, stranger=True)
    s.verdict = "ICE valid"
    s.call_id = "5f3c2a1e9b7d@10.48.54.228"


@scenario("sip_wrong_password")
def sip_wrong_password(cap):
    """The seed's session with its dialog over UDP; the Skype side signs its
    checks with a password other than the one CMS's SDP announced, so CMS
    answers each with 401 (RFC 8445 7.3.1.1) and msturn, checking against
    the SDP password, marks their MESSAGE-INTEGRITY bad; CMS's own checks
    succeed.  The likely cause of a one-way ICE failure."""
    s, leg = sip_presentation(cap, transport="UDP",
                              skype_key=b"skypeUsesAnOldPassword/2016")
    s.verdict = "ICE checks fail MESSAGE-INTEGRITY against the SDP password"
    s.call_id = "5f3c2a1e9b7d@10.48.54.228"
    cap.expect(s.bind_frames[1], ICE_EXPERTS["ICE one-way: no success from client"])
    for e in cap.truth:
        if e.msg.mtype == BINDING_REQ and e.msg.attrs and \
                dict(e.msg.attrs).get(A_USERNAME) == ("%s:%s" % (CMS_UFRAG, SKYPE_UFRAG)).encode():
            cap.expect(e.frame, "msturn.att.hmac.bad")


@scenario("sip_ufrag_mismatch")
def sip_ufrag_mismatch(cap):
    """The dialog over TCP; the Skype side's checks name the username
    fragment x9Zq, which no SDP of the dialog announced (a B2BUA rewrote the
    offer's ICE attributes): CMS answers them 401, its own checks succeed."""
    s, leg = sip_presentation(cap, skype_ufrag="x9Zq")
    s.verdict = "ICE checks use username fragments the SDP did not announce"
    s.call_id = "5f3c2a1e9b7d@10.48.54.228"
    cap.expect(s.bind_frames[1], ICE_EXPERTS["ICE one-way: no success from client"])
    for e in cap.truth:
        if e.msg.mtype == BINDING_REQ and \
                dict(e.msg.attrs).get(A_USERNAME) == ("%s:x9Zq" % CMS_UFRAG).encode():
            cap.expect(e.frame, "msturn.session.ufrag_mismatch")


@scenario("sip_relay_mismatch")
def sip_relay_mismatch(cap):
    """CMS answers with a relay candidate on port 24010 while its allocation
    relays on 24000 (a wrong TURN address mapping): the far side tries an
    address nobody allocated and never connects.  The dialog is tied to the
    session by the relay candidate's base (raddr/rport: the control
    connection's client side)."""
    s, leg = sip_presentation(cap, relay_port=24010)
    s.verdict = "SDP relay candidate is not the relayed address"
    s.call_id = "5f3c2a1e9b7d@10.48.54.228"
    cap.expect(leg.frames[2], "msturn.sip.relay_mismatch")


@scenario("sip_no_reinvite")
def sip_no_reinvite(cap):
    """The dialog over TCP; ICE succeeds both ways, but no re-INVITE follows
    in the 12 s the capture goes on."""
    s, leg = sip_presentation(cap, reinvite=False)
    s.verdict = "ICE valid, no re-INVITE within 10 s"
    s.call_id = "5f3c2a1e9b7d@10.48.54.228"
    cap.expect(s.ice_valid_frame, "msturn.session.no_reinvite")


# -- the signalling refuses or ends the presentation (issue: "User is not able to share") --

def refused_21002(cap, transport):
    """CMS allocates (ICE never starts: no peer), offers the presentation;
    the Skype side answers 403 Forbidden with the field report's
    ms-diagnostics-public 21002; CMS acknowledges (RFC 3261 17.1.1.3) and
    gives the relay back.  Without the SIP the verdict would read "no peer
    connection" and send the engineer to the firewall."""
    def answer(leg, d):
        f = leg.send(0, d.response(403, "Forbidden", "10.48.54.230", 1, "INVITE",
                                   headers=[DIAG_21002]))
        cap.note("SIP 403 Forbidden with ms-diagnostics-public 21002", f)
        cap.expect(f, "msturn.sip.refused")
        expect_21002(cap, f)
        leg.send(1, d.request("ACK", "10.48.54.230", cseq=1))
    s, leg, d = cms_offers(cap, transport, answer)
    s.verdict = VERDICT_21002


@scenario("sip_refused_21002")
def sip_refused_21002(cap):
    """The field report's case over SIP/TCP: 403 with ms-diagnostics-public
    21002 after a successful allocation (refused_21002)."""
    refused_21002(cap, "TCP")


@scenario("sip_refused_21002_udp")
def sip_refused_21002_udp(cap):
    """The field report's case over SIP/UDP (refused_21002)."""
    refused_21002(cap, "UDP")


@scenario("sip_cancelled")
def sip_cancelled(cap):
    """CMS offers the presentation; the Skype side rings and never answers;
    CMS cancels the INVITE with a Reason header (RFC 3326), the call control
    answers the CANCEL 200 and the INVITE 487 (RFC 3261 9.2), CMS
    acknowledges and gives the relay back."""
    def answer(leg, d):
        leg.send(0, d.response(180, "Ringing", "10.48.54.230", 1, "INVITE"))
        cap.wait(20000.0)
        f = leg.send(1, d.request("CANCEL", "10.48.54.230", cseq=1, headers=[
            'Reason: SIP;cause=480;text="No answer from the presenter"']))
        cap.note("SIP CANCEL before any answer, Reason SIP 480", f)
        cap.expect(f, "msturn.sip.cancelled")
        cap.expect_sip(f, outcome="cancelled", reason__protocol="SIP", reason__cause=480,
                       reason__text="No answer from the presenter")
        leg.send(0, d.response(200, "OK", "10.48.54.230", 1, "CANCEL"),
                 d.response(487, "Request Terminated", "10.48.54.230", 1, "INVITE"))
        leg.send(1, d.request("ACK", "10.48.54.230", cseq=1))
    s, leg, d = cms_offers(cap, "TCP", answer)
    s.verdict = "cancelled by signalling before the answer, Reason SIP 480 No answer from the presenter"


@scenario("sip_reinvite_488")
def sip_reinvite_488(cap):
    """The dialog over TCP, ICE valid both ways; CMS refuses the re-INVITE
    that moves the media to the chosen pair with 488 and a Warning
    (RFC 3261 20.43) saying why; the call control acknowledges."""
    s, leg = sip_presentation(cap, reinvite_answer=(
        488, "Not Acceptable Here",
        ['Warning: 399 cms.lab.example "Remote candidate not in the last offer"']))
    s.verdict = "re-INVITE refused by signalling: 488, Warning 399 Remote candidate not in the last offer"
    s.call_id = "5f3c2a1e9b7d@10.48.54.228"
    cap.expect(leg.frames[-2], "msturn.sip.refused")
    cap.expect_sip(leg.frames[-2], outcome="re-INVITE refused", warning__code=399,
                   warning__agent="cms.lab.example",
                   warning__text="Remote candidate not in the last offer")


@scenario("sip_bye_diagnostics")
def sip_bye_diagnostics(cap):
    """The dialog over TCP is answered and acknowledged; 3 s later the call
    control ends it with a BYE carrying ms-diagnostics ([MS-OCER] 2.2.1.1,
    a lab value in the A/V conferencing range); the peer never connects."""
    s, leg = sip_presentation(cap, bye=[
        'ms-diagnostics: 7008;reason="Presentation stopped by the conference";'
        'source="av.pool.lab.example";component="AVMCU"'])
    s.verdict = "ended by signalling: BYE, ms-diagnostics 7008 Presentation stopped by the conference"
    s.call_id = "5f3c2a1e9b7d@10.48.54.228"
    cap.expect(leg.frames[-2], "msturn.sip.bye_diagnostics")
    cap.expect_sip(leg.frames[-2], outcome="ended by BYE", diagnostics__id=7008,
                   diagnostics__reason="Presentation stopped by the conference",
                   diagnostics__source="av.pool.lab.example", diagnostics__component="AVMCU")


@scenario("sip_other_call_diagnostics")
def sip_other_call_diagnostics(cap):
    """The seed's session with its dialog over TCP, ICE valid; before it an
    audio call (m=audio) of CMS is refused 480 with ms-diagnostics: not a
    presentation dialog, so msturn shows nothing of it (no field, no expert
    item, no row) and the session's verdict stays "ICE valid"."""
    s, leg = sip_presentation(cap, other_call=True)
    s.verdict = "ICE valid"
    s.call_id = "5f3c2a1e9b7d@10.48.54.228"
    cap.expect_sip(leg.frames[-1], outcome="answered")


@scenario("sip_refused_no_turn")
def sip_refused_no_turn(cap):
    """No TURN at all: the call control offers the Skype side's presentation
    to CMS over SIP/UDP and CMS's conference refuses it 403 with the
    field report's ms-diagnostics-public 21002 (the Skype user is an
    attendee).  The sessions table still has a row, kind "SIP signalling
    only", with the signalling verdict."""
    h = lab_hosts()
    expc = Host("10.48.54.228", "00:50:56:98:98:a0")
    leg = SipLeg(cap, expc, h["cms"], "UDP")
    d = SipDialog("c81f5e27b04a@10.48.54.228", "skype.user@lab.example", "meet@cms.lab.example",
                  "UDP")
    leg.send(0, d.request("INVITE", "10.48.54.228", body=skype_offer(cap.det)))
    leg.send(1, d.response(100, "Trying", "10.48.54.228", 1, "INVITE"))
    f = leg.send(1, d.response(403, "Forbidden", "10.48.54.228", 1, "INVITE", headers=[DIAG_21002]))
    cap.expect(f, "msturn.sip.refused")
    expect_21002(cap, f)
    cap.note("SIP 403 Forbidden with ms-diagnostics-public 21002; no TURN session", f)
    leg.send(0, d.request("ACK", "10.48.54.228", cseq=1))
    row = SignallingOnly(cap, "10.48.54.228", 5060, d.call_id, VERDICT_21002)
    leg.belongs(row.number)


@scenario("sip_pair_refused")
def sip_pair_refused(cap):
    """Both TURN servers in one capture (as skype_expressway_path): CMS
    allocates on Expressway-E (session 1), the Skype client on its Edge
    (session 2) and makes the Expressway-E relayed address its active
    destination, which links the two; then CMS offers the presentation and
    the Skype side refuses it 403 with ms-diagnostics-public 21002.  Nobody
    connects, no check is sent: the path verdict names the refused leg
    alone, not the network verdicts the refusal caused."""
    h, s, sk, req = skype_expressway_start(cap)
    sk.sad_answer(req)
    cap.wait(800.0)
    expc = Host("10.48.54.228", "00:50:56:98:98:a0")
    leg = SipLeg(cap, expc, h["cms"], "TCP")
    d = SipDialog("7a41c2d9e0f3@10.48.54.230", "meet@cms.lab.example", "skype.user@lab.example")
    leg.send(1, d.request("INVITE", "10.48.54.230", body=cms_answer(s)))
    leg.send(0, d.response(100, "Trying", "10.48.54.230", 1, "INVITE"))
    f = leg.send(0, d.response(403, "Forbidden", "10.48.54.230", 1, "INVITE", headers=[DIAG_21002]))
    cap.note("SIP 403 Forbidden with ms-diagnostics-public 21002", f)
    cap.expect(f, "msturn.sip.refused")
    expect_21002(cap, f)
    leg.send(1, d.request("ACK", "10.48.54.230", cseq=1))
    leg.belongs(s.number)
    cap.wait(2000.0)
    sk.close()
    s.refresh(lifetime=0)
    s.call_id = d.call_id
    s.verdict = VERDICT_21002
    sk.alloc.verdict = "no ICE checks"
    sk.alloc.expect_outcome()

# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""Scenarios: the presentation's SIP dialog and its ICE credentials."""
from ..common import A_USERNAME, BINDING_REQ, CMS_PWD, CMS_UFRAG, SKYPE_PWD, SKYPE_UFRAG
from ..net import Host
from ..stun import endpoint_text, udp_send
from ..tcpconn import TcpConn
from ..sip import Candidate, SipDialog, sdp_applicationsharing
from ..models import lab_hosts, seed_like_session
from .base import scenario


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



def sip_presentation(cap, transport="TCP", skype_key=None, relay_port=None, reinvite=True,
                     stranger=False, skype_ufrag=None):
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
    capture.  Returns (session, SIP leg)."""
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
        leg.send(1, d.response(200, "OK", "10.48.54.228", d.cseq, "INVITE", body=cms_answer(s)))
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
    cap.expect(s.bind_frames[1], "msturn.session.ice_incomplete")
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
    cap.expect(s.bind_frames[1], "msturn.session.ice_incomplete")
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

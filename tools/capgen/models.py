# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""Session models: RFC 6062 TCP allocations, UDP flows, MS-TURN allocations on the wire."""
import struct

from .common import (
    ALLOCATE_ERR, ALLOCATE_OK, ALLOCATE_REQ, A_CANDIDATE_ID, A_ICE_CONTROLLED,
    A_ICE_CONTROLLING, A_MS_IMPL_VERSION, A_PRIORITY, A_REQ_FAMILY, A_USE_CANDIDATE,
    A_XOR_MAPPED, A_XOR_PEER, A_XOR_RELAYED, BINDING_ERR, BINDING_IND, BINDING_OK, BINDING_REQ,
    CMS_PWD, CMS_UFRAG, CONNATTEMPT_IND, CONNBIND_ERR, CONNBIND_OK, CONNBIND_REQ, ERROR_REASONS,
    F_4571, F_RAW, NONCE_1, NONCE_2, REFRESH_ERR, REFRESH_OK, REFRESH_REQ, SKYPE_PWD,
    SKYPE_UFRAG, TURN_PASSWORD, TURN_REALM, TURN_USER, long_term_key,
)
from .net import Host
from .stun import Msg, endpoint_text, rtp_packet, udp_send
from .tcpconn import TcpConn


# How a relay's ICE checks fell short (msturn_ice_text) and the expert item
# msturn says it with: each state its own item, whose summary is the text.
ICE_EXPERTS = {
    "no ICE checks": "msturn.session.ice.none",
    "ICE one-way: no success from peer": "msturn.session.ice.no_success_from_peer",
    "ICE one-way: no success from client": "msturn.session.ice.no_success_from_client",
    "ICE: no request from peer": "msturn.session.ice.no_request_from_peer",
    "ICE: no request from client": "msturn.session.ice.no_request_from_client",
}


def lab_hosts():
    return {
        # MAC addresses of the seed's capture for CMS and Expressway-E
        "cms": Host("10.48.54.230", "00:50:56:98:98:98"),
        "cms2": Host("10.48.54.231", "00:50:56:98:98:99"),
        "cms3": Host("10.48.54.232", "00:50:56:98:98:9a"),
        "expe": Host("10.48.54.229", "00:0c:29:48:9e:5f"),
        # far hosts arrive through the lab router
        "edge": Host("192.168.1.252", "00:0c:29:01:02:fe", ttl=62),
        "edge2": Host("192.168.1.253", "00:0c:29:01:02:fe", ttl=62),
        "edge3v6": Host("2001:db8:1::252", "00:0c:29:01:02:fe", ttl=62),
        "expe_v6": Host("2001:db8:48:54::229", "00:0c:29:48:9e:5f"),
    }


def link_sessions(a, b):
    """Two sessions of one media path on two TURN servers: an [MS-TURN]
    allocation whose peer is the RFC 6062 relayed address (or that relays
    from the address the RFC 6062 session names as its peer)."""
    a.linked.append(b)
    b.linked.append(a)


# What every signalling verdict says ("refused by signalling: 403, ...",
# "ended by signalling: BYE, ..."): it comes before the network's.
SIGNALLING_VERDICT = " by signalling"


def path_verdict(s):
    """The verdict of a session and its linked ones, [MS-TURN] leg first, as
    the sessions table gives it: 'path valid', or every leg whose verdict is
    not ICE valid (msturn.session.path.full adds each leg's verdict)."""
    if not s.linked:
        return ""
    legs = [x for x in [s] + s.linked if x.kind == MsTurnAllocation.kind] + \
        [x for x in [s] + s.linked if x.kind != MsTurnAllocation.kind]
    bad = [x for x in legs if x.verdict != "ICE valid"]
    # a leg whose SIP dialog was refused or ended explains the others: named alone
    signalled = [x for x in [s] + s.linked if SIGNALLING_VERDICT in x.verdict]
    if signalled:
        bad = signalled
    name = {MsTurnAllocation.kind: "MS-TURN leg"}
    parts = ["%s (session %d)" % (name.get(x.kind, "RFC 6062 leg"), x.number) for x in bad]
    if not bad:
        return "path valid"
    # the table's short form: the legs, each leg's verdict being its own row's
    if len(bad) == 1:
        return "%s failed" % parts[0]
    return "legs failed: " + ", ".join(parts)


class MsTurnAllocation:
    """The sessions truth of one [MS-TURN] allocation ([MS-TURN] 3.2): its
    control connection or UDP flow, the relayed address of the Allocate
    response (MAPPED-ADDRESS, with MS-ALTERNATE-MAPPED-ADDRESS after it),
    the peers of its Send Requests, Set Active Destination and Data
    Indications, and the verdict the scenario leads to."""

    kind = "MS-TURN relay"
    call_id = ""

    def __init__(self, cap, conn, client, cport, server, sport):
        self.cap, self.conn = cap, conn
        self.client, self.cport, self.server, self.sport = client, cport, server, sport
        self.number = None
        self.verdict = None
        self.relayed = ""
        self.peers = []
        self.linked = []
        self.ok_frame = None      # the Allocate success response

    def start(self):
        if self.number is None:
            self.cap.sessions.append(self)
            self.number = len(self.cap.sessions)
            self.conn.belongs(self.number, "control")

    def allocated(self, frame, ip, port, ip6=None):
        if self.ok_frame is None:
            self.ok_frame = frame
            self.relayed = endpoint_text(ip, port) + (", " + endpoint_text(ip6, port) if ip6 else "")

    def add_peer(self, ip, port):
        if endpoint_text(ip, port) not in self.peers:
            self.peers.append(endpoint_text(ip, port))

    def expect_outcome(self):
        """The expert item msturn puts on the Allocate response of an
        allocation whose relayed checks did not pass both ways."""
        if self.verdict in ICE_EXPERTS:
            self.cap.expect(self.ok_frame, ICE_EXPERTS[self.verdict])

    def client_text(self):
        return endpoint_text(self.client.ip, self.cport)

    def server_text(self):
        return endpoint_text(self.server.ip, self.sport)

    def relayed_text(self):
        return self.relayed

    def peers_text(self):
        return ", ".join(self.peers)

    def path(self):
        return path_verdict(self)


class UdpFlow:
    """A UDP 5-tuple seen as a connection for the sessions truth: the
    frames of a client's flow to its TURN server."""

    def __init__(self, cap, client, cport, server, sport):
        self.cap = cap
        self.client, self.cport, self.server, self.sport = client, cport, server, sport
        self.session, self.role = None, None
        self.frames = []
        cap.conns.append(self)

    def belongs(self, session, role):
        self.session, self.role = session, role
        return self

    def send(self, frm, m):
        src, dst = (self.client, self.server) if frm == 0 else (self.server, self.client)
        sp, dp = (self.cport, self.sport) if frm == 0 else (self.sport, self.cport)
        f = udp_send(self.cap, src, sp, dst, dp, m)
        self.frames.append(f)
        return f


class TurnTcpSession:
    """One presentation session over an RFC 6062 TCP allocation.

    The client (CMS) keeps a control connection to the TURN server
    (Expressway-E :3478); the peer (Skype Edge) connects to the relayed
    address; the server announces it with ConnectionAttempt; the client
    binds a new data connection to it with ConnectionBind; ICE checks and
    media then travel framed with RFC 4571 on both the peer and the data
    connection, the server relaying the bytes unchanged.
    """

    def __init__(self, cap, client, server, peer, ctl_port, data_port, relay_port, peer_port,
                 conn_id, relay_host=None, password=TURN_PASSWORD, nonce=NONCE_1, server_port=3478):
        self.cap = cap
        self.client, self.server, self.peer = client, server, peer
        self.relay_host = relay_host or server
        self.ctl_port, self.data_port = ctl_port, data_port
        self.relay_port, self.peer_port = relay_port, peer_port
        self.conn_id = conn_id
        self.server_port = server_port
        self.key = long_term_key(password)
        self.server_key = long_term_key()
        self.nonce = nonce
        self.ctl = None
        self.data = None
        self.peer_conn = None
        self.ice_seq = 0
        self.rtp_seq = [1000, 30000]
        # for the sessions truth
        self.number = None        # msturn.session: from 1 in order of first Allocate
        self.verdict = None       # what the scenario leads to (README's verdicts)
        self.allocated = False
        self.peers = []           # peers as the sessions table shows them
        self.bind_frames = None   # (ConnectionBind request, response) of the last bind
        self.linked = []          # sessions of the other TURN server on the same path
        self.skype_key = None     # the key the Skype side signs its checks with, if not CMS's
        self.skype_ufrag = SKYPE_UFRAG  # the username fragment its checks name
        self.call_id = ""         # the SIP dialog the session is linked to
        self.ice_valid_frame = None  # where the checks first succeeded both ways

    kind = "RFC 6062 presentation"

    def path(self):
        return path_verdict(self)

    def start(self):
        """The first Allocate opens the presentation session."""
        if self.number is None:
            self.cap.sessions.append(self)
            self.number = len(self.cap.sessions)
            self.ctl.belongs(self.number, "control")

    def add_peer(self, ip, port):
        self.peers.append(endpoint_text(ip, port))

    def client_text(self):
        return endpoint_text(self.client.ip, self.ctl_port)

    def server_text(self):
        return endpoint_text(self.server.ip, self.server_port)

    def relayed_text(self):
        return self.relay_text() if self.allocated else ""

    def peers_text(self):
        return ", ".join(self.peers)

    def tid(self):
        return self.cap.det.bytes(12)

    # -- control connection --------------------------------------------------
    def open_control(self):
        self.ctl = TcpConn(self.cap, self.client, self.ctl_port, self.server, self.server_port)
        self.ctl.handshake()
        self.cap.wait(0.3)

    def request(self, conn, req, resp, server_ms=2.0, ack_ms=0.4, framing=F_RAW):
        """Client request, server response, client ACK.  Returns the frames."""
        self.cap.wait(0.04)
        f_req = conn.send_msgs(0, [(framing, req)])
        self.cap.wait(server_ms)
        f_resp = None
        if resp is not None:
            f_resp = conn.send_msgs(1, [(framing, resp)])
            if ack_ms is not None:
                self.cap.wait(ack_ms)
                conn.ack(0)
        return f_req, f_resp

    def allocate_unauth(self, family6=False):
        self.start()
        req = Msg(ALLOCATE_REQ, self.tid()).transport(6).lifetime(600)
        if family6:
            req.attr(A_REQ_FAMILY, struct.pack("!B3x", 0x02))     # RFC 6156 4.1.1
        req.encode()
        err = Msg(ALLOCATE_ERR, req.tid).error(401).realm(TURN_REALM).nonce(self.nonce) \
            .software().encode()
        f = self.request(self.ctl, req, err, server_ms=2.268, ack_ms=None)
        self.cap.note("Allocate Request (no credentials) -> 401 Unauthorized with REALM and NONCE",
                      f[0])
        return f

    def allocate_auth(self, result="ok", family6=False, server_ms=115.9):
        self.start()
        self.allocated = self.allocated or result == "ok"
        req = Msg(ALLOCATE_REQ, self.tid()).transport(6).lifetime(600)
        if family6:
            req.attr(A_REQ_FAMILY, struct.pack("!B3x", 0x02))
        req.username(TURN_USER).realm(TURN_REALM).nonce(self.nonce).encode(self.key)
        if result == "ok":
            resp = Msg(ALLOCATE_OK, req.tid) \
                .xor_addr(A_XOR_RELAYED, self.relay_host.ip, self.relay_port) \
                .xor_addr(A_XOR_MAPPED, self.client.ip, self.ctl_port) \
                .lifetime(600).software().encode(self.server_key)
        elif result == 401:
            # wrong password: MESSAGE-INTEGRITY fails, challenge again (RFC 5389 10.2.2)
            resp = Msg(ALLOCATE_ERR, req.tid).error(401).realm(TURN_REALM).nonce(self.nonce) \
                .software().encode()
        else:
            resp = Msg(ALLOCATE_ERR, req.tid).error(result).software().encode(self.server_key)
        self.cap.wait(0.5)
        f = self.request(self.ctl, req, resp, server_ms=server_ms, ack_ms=0.5)
        self.cap.note("Allocate Request with USERNAME/REALM/NONCE/MESSAGE-INTEGRITY -> %s" %
                      ("Success (XOR-RELAYED-ADDRESS %s)" % self.relay_text() if result == "ok"
                       else "%s %s" % (result, ERROR_REASONS[result])), f[0])
        return f

    def relay_text(self):
        ip = self.relay_host.ip
        return ("[%s]:%d" if ip.version == 6 else "%s:%d") % (ip, self.relay_port)

    def allocate(self, family6=False):
        self.open_control()
        self.allocate_unauth(family6)
        return self.allocate_auth(family6=family6)

    def refresh(self, result="ok", lifetime=600, conn=None, server_ms=87.3):
        conn = conn or self.ctl
        # a Refresh on another connection speaks for this client's session
        conn.belongs(self.number, "control")
        req = Msg(REFRESH_REQ, self.tid()).lifetime(lifetime).username(TURN_USER) \
            .realm(TURN_REALM).nonce(self.nonce).encode(self.key)
        if result == "ok":
            resp = Msg(REFRESH_OK, req.tid).lifetime(lifetime).software().encode(self.server_key)
        elif result == 438:
            resp = Msg(REFRESH_ERR, req.tid).error(438).realm(TURN_REALM).nonce(NONCE_2) \
                .software().encode()
        else:
            resp = Msg(REFRESH_ERR, req.tid).error(result).software().encode(self.server_key)
        f = self.request(conn, req, resp, server_ms=server_ms)
        self.cap.note("Refresh Request -> %s" % ("Success" if result == "ok" else
                                                 "%d %s" % (result, ERROR_REASONS[result])), f[0])
        return f

    def keepalive(self):
        """Binding Indication on the control connection (RFC 5389 10.1.1 / seed frame 3209)."""
        ind = Msg(BINDING_IND, self.tid()).encode()
        return self.ctl.send_msgs(0, [(F_RAW, ind)])

    # -- peer connection -----------------------------------------------------
    def peer_connects(self):
        self.peer_conn = TcpConn(self.cap, self.peer, self.peer_port, self.relay_host,
                                 self.relay_port, cwin=513, swin=245)
        self.peer_conn.belongs(self.number, "peer")
        self.peer_conn.handshake(rtt_ms=1.2)
        self.cap.note("Peer %s:%d connects to the relayed address %s" % (
            self.peer.ip, self.peer_port, self.relay_text()))

    def connection_attempt(self):
        ind = Msg(CONNATTEMPT_IND, self.tid()).xor_addr(A_XOR_PEER, self.peer.ip, self.peer_port) \
            .connection_id(self.conn_id).software().encode(self.server_key)
        f = self.ctl.send_msgs(1, [(F_RAW, ind)])
        self.add_peer(self.peer.ip, self.peer_port)
        self.attempt_frame = f
        self.cap.note("ConnectionAttempt Indication: XOR-PEER-ADDRESS %s:%d, CONNECTION-ID %d" % (
            self.peer.ip, self.peer_port, self.conn_id), f)
        self.cap.wait(0.3)
        self.ctl.ack(0)
        return f

    def connection_bind(self, result="ok", port=None, conn_id=None, server_ms=54.1):
        self.data = TcpConn(self.cap, self.client, port or self.data_port, self.server,
                            self.server_port)
        cid = self.conn_id if conn_id is None else conn_id
        # a CONNECTION-ID nobody announced ties the connection to no session
        self.data.belongs(self.number if cid == self.conn_id else None, "data")
        self.data.handshake()
        self.cap.wait(0.2)
        req = Msg(CONNBIND_REQ, self.tid()).connection_id(cid).username(TURN_USER) \
            .realm(TURN_REALM).nonce(self.nonce).encode(self.key)
        if result == "ok":
            resp = Msg(CONNBIND_OK, req.tid).software().encode(self.server_key)
        else:
            resp = Msg(CONNBIND_ERR, req.tid).error(result).software().encode(self.server_key)
        f = self.request(self.data, req, resp, server_ms=server_ms,
                         ack_ms=0.4 if result == "ok" else None)
        self.bind_frames = f
        self.cap.note("New data connection from port %d: ConnectionBind -> %s" % (
            self.data.sides[0].port, "Success" if result == "ok" else
            "%d %s" % (result, ERROR_REASONS[result])), f[0])
        return f

    # -- ICE over the relay (RFC 6544, RFC 4571 framing both sides) ------------
    def ice_request(self, from_cms, tid=None):
        """A connectivity check: from CMS (controlled) or from the Skype side
        (controlling, nominating with USE-CANDIDATE)."""
        self.ice_seq += 1
        m = Msg(BINDING_REQ, tid or self.tid())
        if from_cms:
            # the seed's frame 2597 carries this attribute list
            m.empty(A_USE_CANDIDATE).u32(A_PRIORITY, 0x6EFFFFFF) \
                .attr(A_ICE_CONTROLLED, self.cap.det.bytes(8)) \
                .username("%s:%s" % (SKYPE_UFRAG, CMS_UFRAG)) \
                .attr(A_CANDIDATE_ID, bytes([0x33, 0, 0, 0])) \
                .u32(A_MS_IMPL_VERSION, 2).encode(SKYPE_PWD.encode())
        else:
            m.u32(A_PRIORITY, 0x6EFFFEFF).attr(A_ICE_CONTROLLING, self.cap.det.bytes(8)) \
                .empty(A_USE_CANDIDATE).username("%s:%s" % (CMS_UFRAG, self.skype_ufrag)) \
                .attr(A_CANDIDATE_ID, bytes([0x6E, 0, 0, 0])) \
                .u32(A_MS_IMPL_VERSION, 2).encode(self.skype_key or CMS_PWD.encode())
        return m

    def ice_response(self, req, from_cms):
        if from_cms:   # CMS answers the Skype side's check; it saw it come from the peer
            m = Msg(BINDING_OK, req.tid).xor_addr(A_XOR_MAPPED, self.peer.ip, self.peer_port) \
                .u32(A_MS_IMPL_VERSION, 2).encode(CMS_PWD.encode())
        else:          # Skype answers CMS's check, which reached it from the relayed address
            m = Msg(BINDING_OK, req.tid).xor_addr(A_XOR_MAPPED, self.relay_host.ip, self.relay_port) \
                .u32(A_MS_IMPL_VERSION, 2).encode(SKYPE_PWD.encode())
        return m

    def relay(self, from_peer, pdus, hop_ms=0.26):
        """The peer's bytes appear on the data connection toward CMS a moment
        later, and CMS's bytes on the peer connection (RFC 6062 5.5)."""
        if from_peer:
            f1 = self.peer_conn.send_msgs(0, pdus)
            self.cap.wait(hop_ms)
            f2 = self.data.send_msgs(1, pdus)
        else:
            f2 = self.data.send_msgs(0, pdus)
            self.cap.wait(hop_ms)
            f1 = self.peer_conn.send_msgs(1, pdus)
        return f1, f2

    def ice_exchange(self, peer_answers=True, cms_answers=True, rounds=1, tid=None):
        """Checks in both directions.  Returns the frames on the data connection."""
        frames = []
        for _ in range(rounds):
            req_p = self.ice_request(False)
            _, f = self.relay(True, [(F_4571, req_p)])
            frames.append(("Binding Request from the peer, relayed to CMS", f))
            self.cap.wait(0.26)
            req_c = self.ice_request(True, tid=tid)
            tid = None
            f, _ = self.relay(False, [(F_4571, req_c)])
            frames.append(("Binding Request from CMS, relayed to the peer", f))
            self.cap.wait(0.9)
            if cms_answers:
                f, _ = self.relay(False, [(F_4571, self.ice_response(req_p, True))])
                frames.append(("Binding Success Response from CMS", f))
            elif self.skype_key or self.skype_ufrag != SKYPE_UFRAG:
                # RFC 8445 7.3.1.1 / RFC 8489 10.1.3: integrity fails, 401
                rej = Msg(BINDING_ERR, req_p.tid).error(401).encode()
                f, _ = self.relay(False, [(F_4571, rej)])
                frames.append(("Binding Error Response 401 from CMS: the check's "
                               "MESSAGE-INTEGRITY or USERNAME is not accepted", f))
            self.cap.wait(1.7)
            if peer_answers:
                _, f = self.relay(True, [(F_4571, self.ice_response(req_c, False))])
                frames.append(("Binding Success Response from the peer", f))
                # the data connection is where the link's four checks are counted
                self.ice_valid_frame = self.ice_valid_frame or (cms_answers and f)
            self.cap.wait(38.5)
            self.data.ack(0)
            self.peer_conn.ack(0)
            self.cap.wait(0.6)
            self.data.ack(1)
            self.peer_conn.ack(1)
            self.cap.wait(60)
        for text, f in frames:
            self.cap.note(text + " (RFC 4571 framed)", f)
        return frames

    def media(self, count=4):
        """RFC 4571-framed RTP both ways over the relay."""
        det = self.cap.det
        first = None
        for i in range(count):
            for from_peer in (True, False):
                k = 0 if from_peer else 1
                self.rtp_seq[k] += 1
                pkt = rtp_packet(det, self.rtp_seq[k], 90000 + i * 3000,
                                 0x5EED0001 if from_peer else 0xC0FFEE02,
                                 160 + det.below(700), pt=127 if from_peer else 96, marker=(i == 0))
                f = self.relay(from_peer, [(F_4571, pkt)])
                first = first or f[1]
                self.cap.wait(2.1)
            self.cap.wait(18.0)
        self.data.ack(0)
        self.data.ack(1)
        self.peer_conn.ack(0)
        self.peer_conn.ack(1)
        self.cap.note("RFC 4571-framed RTP (version 2) both ways: not STUN", first)

    def close_all(self):
        self.cap.wait(250)
        if self.peer_conn:
            self.peer_conn.close(0, rtt_ms=1.2)
            self.cap.wait(0.4)
        if self.data:
            self.data.close(1)
            self.cap.wait(1.0)
        self.ctl.close(0)


def seed_like_session(cap, h, **kw):
    args = dict(client=h["cms"], server=h["expe"], peer=h["edge"], ctl_port=44338,
                data_port=44342, relay_port=24000, peer_port=53577, conn_id=0x0A8C3D51)
    args.update(kw)
    return TurnTcpSession(cap, **args)


def run_until_bind(s, refresh=True):
    """The seed's timeline up to the ConnectionAttempt."""
    s.allocate()
    if refresh:
        s.refresh()
    s.cap.wait(390.0)
    s.peer_connects()
    s.cap.wait(3.0)
    s.connection_attempt()
    s.cap.wait(50.5)

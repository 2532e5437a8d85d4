# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""Microsoft's side: pseudo-TLS on 443, MS-TURN framing and flows, Skype Edge allocations, ICE check pairs."""
import struct

from .common import (
    ALLOCATE_ERR, ALLOCATE_OK, ALLOCATE_REQ, A_BW_ACM, A_BW_RSV_AMOUNT, A_BW_RSV_ID,
    A_CANDIDATE_ID, A_DATA, A_ICE_CONTROLLED, A_ICE_CONTROLLING, A_LOCAL_RELAY_SITE_RSP,
    A_LOCAL_SITE, A_LOCAL_SITE_RSP, A_LOCATION_PROFILE, A_MAPPED, A_MS_ALT_HOST_NAME,
    A_MS_ALT_MAPPED, A_MS_APP_ID, A_MS_BANDWIDTH, A_MS_DESTINATION, A_MS_IMPL_VERSION,
    A_MS_MUX_SESSION_ID, A_MS_SECURE_TAG, A_MS_SEQUENCE_NUMBER, A_MS_SERVICE_QUALITY,
    A_MS_VERSION, A_MS_XOR_MAPPED, A_PRIORITY, A_REMOTE_RELAY_SITE, A_REMOTE_RELAY_SITE_RSP,
    A_REMOTE_SITE, A_REMOTE_SITE_RSP, A_SIP_CALL_ID, A_SIP_DIALOG_ID, A_USE_CANDIDATE,
    A_XOR_MAPPED, A_XOR_PEER, BINDING_OK, BINDING_REQ, CMS_PWD, CMS_UFRAG, EDGE_IPV6, F_MS_CTL,
    F_MS_DATA, F_RAW, MAGIC_COOKIE, MS_DATA_IND, MS_SEND_REQ, MS_SETACTIVE_ERR, MS_SETACTIVE_OK,
    MS_SETACTIVE_REQ, NONCE_1, SKYPE_PWD, SKYPE_UFRAG, TURN_PASSWORD, TURN_REALM, TURN_USER,
    long_term_key,
)
from .stun import Msg, endpoint_text, rtp_packet, xor_address
from .tcpconn import TcpConn
from .models import MsTurnAllocation


# -- Microsoft: pseudo-TLS on 443, MS-TURN framing, legacy messages ----------

def pseudo_tls_client_hello(det, t_sec):
    """[MS-TURN] 2.1.1: a TLS 1.0 record (RFC 2246 6.2) holding a ClientHello
    (7.4.1.2): version 3.1, gmt_unix_time, 28 random bytes, no session ID,
    one cipher suite, null compression."""
    body = struct.pack("!BBI", 3, 1, t_sec) + det.bytes(28) + b"\x00" + \
        struct.pack("!H", 2) + struct.pack("!H", 0x0018) + b"\x01\x00"
    hs = struct.pack("!B", 1) + struct.pack("!I", len(body))[1:] + body
    return struct.pack("!BBBH", 0x16, 3, 1, len(hs)) + hs


def pseudo_tls_server_hello(det, t_sec):
    """[MS-TURN] 2.1.1: ServerHello and ServerHelloDone (RFC 2246 7.4.1.3,
    7.4.5) in the same record."""
    body = struct.pack("!BBI", 3, 1, t_sec) + det.bytes(28) + b"\x20" + det.bytes(32) + \
        struct.pack("!H", 0x0018) + b"\x00"
    hs = struct.pack("!B", 2) + struct.pack("!I", len(body))[1:] + body
    hs += b"\x0e\x00\x00\x00"
    return struct.pack("!BBBH", 0x16, 3, 1, len(hs)) + hs


def pseudo_tls_handshake(cap, conn, wait_ms, hello_note=None,
                         done_note="Pseudo-TLS ServerHello + ServerHelloDone in one record"):
    """[MS-TURN] 2.1.3: the client's ClientHello, the server's ServerHello +
    ServerHelloDone record wait_ms later, each with its expert item."""
    t_sec = cap.t // 1000000
    f = conn.send(0, pseudo_tls_client_hello(cap.det, t_sec))
    if hello_note:
        cap.note(hello_note, f)
    cap.expect(f, "msturn.pseudo_tls.expert")
    cap.wait(wait_ms)
    f = conn.send(1, pseudo_tls_server_hello(cap.det, t_sec))
    cap.note(done_note, f)
    cap.expect(f, "msturn.pseudo_tls.expert")
    cap.wait(0.6)


def pdu_sender(cap, conn, client_gap_ms, server_gap_ms=0.7):
    """send(frm, framing, m) for the flows: one PDU on conn, then the
    sender's think time; returns the PDU's frame."""
    def send(frm, framing, m):
        f = conn.send_msgs(frm, [(framing, m)])
        cap.wait(client_gap_ms if frm == 0 else server_gap_ms)
        return f
    return send


def linger_and_close(cap, conn, rtt_ms, ack_ms, idle_ms, after_ms):
    """ack_ms later the client acknowledges what is left, the connection
    idles for idle_ms, then the client closes it (RFC 793 3.5)."""
    cap.wait(ack_ms)
    conn.ack(0)
    cap.wait(idle_ms)
    conn.close(0, rtt_ms=rtt_ms)
    cap.wait(after_ms)


def ms_seqnum(conn_id20, n):
    """[MS-TURN] 2.2.2.19 MS-Sequence Number: 20-byte connection ID, 4-byte number."""
    return conn_id20 + struct.pack("!I", n)


def bwm_amount(min_send, max_send, min_recv, max_recv):
    """[MS-TURNBWM] 2.2.3: four 32-bit bandwidth values in kbps."""
    return struct.pack("!IIII", min_send, max_send, min_recv, max_recv)


def ms_turn_flow(cap, send, alloc, client, cport, edge, relay_port, peer, framed, legacy):
    """One [MS-TURN] allocation and relay: Allocate (401, then with
    credentials), Send Request, Data Indication, Set Active Destination and
    its response, then end-to-end data.  send(frm, framing, msg_or_bytes)
    puts one PDU on the wire.  legacy: no magic cookie (MS-VERSION 1);
    otherwise the cookie form with MS-VERSION 6, HMAC-SHA256
    MESSAGE-INTEGRITY and the bandwidth-management attributes."""
    det = cap.det
    key = long_term_key()
    ctl = F_MS_CTL if framed else F_RAW
    dat = F_MS_DATA if framed else F_RAW

    def tid():
        if legacy:
            t = det.bytes(16)
            return (b"\x5a" + t[1:]) if struct.unpack("!I", t[:4])[0] == MAGIC_COOKIE else t
        return det.bytes(12)

    def mk(mtype, t=None):
        return Msg(mtype, t or tid(), legacy=legacy, ms=True)

    def sign(m):
        return m.encode(key, fingerprint=False, sha256=not legacy)

    version = 1 if legacy else 6
    alloc.start()
    req = mk(ALLOCATE_REQ).u32(A_MS_VERSION, version)
    if not legacy:
        req.attr(A_MS_SERVICE_QUALITY, struct.pack("!HH", 0x0004, 0x0001))   # data, reliable
    req.encode(fingerprint=False)
    f = send(0, ctl, req)
    cap.note("%s Allocate Request (%s)" % ("Legacy" if legacy else "Cookie-form",
                                          "MS-VERSION %d" % version), f)
    err = mk(ALLOCATE_ERR, req.tid).error(401).realm(TURN_REALM).nonce(NONCE_1)
    err.encode(fingerprint=False)
    f = send(1, ctl, err)
    cap.note("Allocate Error Response 401 with [MS-TURN] NONCE (0x0014) and REALM (0x0015)", f)

    req = mk(ALLOCATE_REQ).u32(A_MS_VERSION, version).username(TURN_USER).realm(TURN_REALM) \
        .nonce(NONCE_1)
    if not legacy:
        req.attr(A_MS_SERVICE_QUALITY, struct.pack("!HH", 0x0004, 0x0001)) \
            .attr(A_MS_APP_ID, det.bytes(8)) \
            .attr(A_BW_ACM, struct.pack("!HH", 0, 0x0000)) \
            .attr(A_BW_RSV_AMOUNT, bwm_amount(64, 2048, 64, 2048))
        req.attr(A_REMOTE_SITE, xor_address(peer.ip, 50040, req.header_id)) \
            .attr(A_REMOTE_RELAY_SITE, xor_address("192.0.2.80", 55040, req.header_id)) \
            .attr(A_LOCAL_SITE, xor_address(client.ip, cport, req.header_id)) \
            .attr(A_LOCATION_PROFILE, bytes([0x01, 0x02, 0x01, 0x00])) \
            .string(A_SIP_CALL_ID, "5e7cd1a0b7e04a8fa9f1lab443") \
            .string(A_SIP_DIALOG_ID, "5e7cd1a0b7e04a8fa9f1lab443;from-tag=9c1e;to-tag=2f7a")
    sign(req)
    f = send(0, ctl, req)
    cap.note("Allocate Request with credentials%s" % (
        "" if legacy else ", MS-Service Quality, App ID and the bandwidth reservation check"), f)
    ok = mk(ALLOCATE_OK, req.tid).address(A_MAPPED, edge.ip, relay_port) \
        .xor_addr(A_MS_XOR_MAPPED, client.ip, cport).lifetime(480) \
        .u32(A_MS_BANDWIDTH, 2048).u32(A_MS_VERSION, version)
    if not legacy:
        conn_rsv = det.bytes(16)
        ok.attr(A_BW_RSV_ID, conn_rsv).attr(A_BW_RSV_AMOUNT, bwm_amount(64, 2048, 64, 2048)) \
            .attr(A_REMOTE_SITE_RSP, struct.pack("!III", 0x80000000, 2048, 2048)) \
            .attr(A_REMOTE_RELAY_SITE_RSP, struct.pack("!III", 0x80000000, 2048, 2048)) \
            .attr(A_LOCAL_SITE_RSP, struct.pack("!III", 0x80000000, 2048, 2048)) \
            .attr(A_LOCAL_RELAY_SITE_RSP, struct.pack("!III", 0xC0000000, 1024, 1024)) \
            .string(A_MS_ALT_HOST_NAME, "av.edge.lab.example") \
            .attr(A_MS_SECURE_TAG, det.bytes(16)) \
            .address(A_MS_ALT_MAPPED, EDGE_IPV6, relay_port) \
            .attr(A_MS_MUX_SESSION_ID, det.bytes(8))
    sign(ok)
    f = send(1, ctl, ok)
    alloc.allocated(f, edge.ip, relay_port, None if legacy else EDGE_IPV6)
    cap.note("Allocate Response: MAPPED-ADDRESS %s:%d (relayed), XOR-MAPPED-ADDRESS 0x8020" % (
        edge.ip, relay_port), f)

    conn20 = det.bytes(20)
    payload = rtp_packet(det, 7000, 0, 0x51C0FFEE, 120)
    req = mk(MS_SEND_REQ).address(A_MS_DESTINATION, peer.ip, 50040).attr(A_DATA, payload) \
        .attr(A_MS_SEQUENCE_NUMBER, ms_seqnum(conn20, 1)).username(TURN_USER).realm(TURN_REALM) \
        .nonce(NONCE_1)
    sign(req)
    f = send(0, ctl, req)
    alloc.add_peer(peer.ip, 50040)
    cap.note("Send Request 0x0004 (DESTINATION-ADDRESS, DATA, MS-Sequence Number)", f)
    ind = mk(MS_DATA_IND).address(A_XOR_PEER, peer.ip, 50040) \
        .attr(A_DATA, rtp_packet(det, 8000, 0, 0x2BADF00D, 96))
    ind.encode(fingerprint=False)
    f = send(1, ctl, ind)
    cap.note("Data Indication 0x0115 (REMOTE-ADDRESS 0x0012, not XOR-encoded, DATA)", f)
    req = mk(MS_SETACTIVE_REQ).address(A_MS_DESTINATION, peer.ip, 50040) \
        .attr(A_MS_SEQUENCE_NUMBER, ms_seqnum(conn20, 2)).username(TURN_USER).realm(TURN_REALM) \
        .nonce(NONCE_1)
    sign(req)
    f = send(0, ctl, req)
    cap.note("Set Active Destination Request 0x0006", f)
    ok = mk(MS_SETACTIVE_OK, req.tid).attr(A_MS_SEQUENCE_NUMBER, ms_seqnum(conn20, 2))
    sign(ok)
    f = send(1, ctl, ok)
    cap.note("Set Active Destination Response 0x0106", f)

    # end-to-end: an MS-ICE2 check and its answer, then media
    chk = Msg(BINDING_REQ, det.bytes(12)).u32(A_PRIORITY, 0x6EFFFFFF) \
        .attr(A_ICE_CONTROLLING, det.bytes(8)).empty(A_USE_CANDIDATE) \
        .username("%s:%s" % (CMS_UFRAG, SKYPE_UFRAG)).u32(A_MS_IMPL_VERSION, 2) \
        .encode(CMS_PWD.encode())
    f = send(0, dat, chk)
    cap.note("End-to-end data: an ICE Binding Request%s" % (" in a 0x03 frame" if framed else ""), f)
    rsp = Msg(BINDING_OK, chk.tid).xor_addr(A_XOR_MAPPED, edge.ip, relay_port) \
        .u32(A_MS_IMPL_VERSION, 2).encode(CMS_PWD.encode())
    send(1, dat, rsp)
    for i in range(3):
        send(0, dat, rtp_packet(det, 7001 + i, 3000 * (i + 1), 0x51C0FFEE, 200 + 50 * i))
        send(1, dat, rtp_packet(det, 8001 + i, 3000 * (i + 1), 0x2BADF00D, 180 + 40 * i))

class SkypeEdgeAllocation:
    """A Skype for Business client's [MS-TURN] allocation on its Edge over
    TCP 443: pseudo-TLS ([MS-TURN] 2.1.3), every PDU in the 2.1.4 framing,
    the cookie form with MS-VERSION 6 and HMAC-SHA256 (3.1.11).  The Edge
    relays over TCP from the allocated address (MAPPED-ADDRESS, 3.2.5.1) to
    the peer; the client sends to the peer in Send Requests (DESTINATION-
    ADDRESS, 3.2.4.4) or, once Set Active Destination (3.2.4.6) is
    answered, in 0x03 end-to-end frames; the peer's data comes back in Data
    Indications (REMOTE-ADDRESS) or end-to-end frames.  self.alloc is its
    sessions truth."""

    def __init__(self, cap, client, cport, edge, relay_ip, relay_port, password=TURN_PASSWORD):
        self.cap, self.client, self.cport, self.edge = cap, client, cport, edge
        self.relay_ip, self.relay_port = relay_ip, relay_port
        self.conn = TcpConn(cap, client, cport, edge, 443, cwin=1026, swin=1026)
        self.alloc = MsTurnAllocation(cap, self.conn, client, cport, edge, 443)
        self.key = long_term_key(password)
        self.server_key = long_term_key()
        self.seq = 0
        self.conn20 = cap.det.bytes(20)
        self.send = pdu_sender(cap, self.conn, 6.0)

    def mk(self, mtype, tid=None):
        return Msg(mtype, tid or self.cap.det.bytes(12), ms=True)

    def seqnum(self):
        self.seq += 1
        return ms_seqnum(self.conn20, self.seq)

    def connect(self):
        self.conn.handshake(rtt_ms=24.0)
        self.cap.wait(0.5)
        pseudo_tls_handshake(self.cap, self.conn, 24.5, hello_note="Pseudo-TLS ClientHello")

    def _authed(self, m):
        return m.username(TURN_USER).realm(TURN_REALM).nonce(NONCE_1)

    def allocate(self, result="ok", tries=1):
        """Allocate (401 with REALM and NONCE), then with credentials, tries
        times; result: "ok", 401 (a wrong password) or an error code."""
        self.alloc.start()
        req = self.mk(ALLOCATE_REQ).u32(A_MS_VERSION, 6)
        req.encode(fingerprint=False)
        f = self.send(0, F_MS_CTL, req)
        self.cap.note("Skype client: Allocate Request on the Edge (MS-VERSION 6)", f)
        err = self.mk(ALLOCATE_ERR, req.tid).error(401).realm(TURN_REALM).nonce(NONCE_1)
        self.send(1, F_MS_CTL, err.encode(fingerprint=False))
        for _ in range(tries):
            req = self._authed(self.mk(ALLOCATE_REQ).u32(A_MS_VERSION, 6))
            req.encode(self.key, fingerprint=False, sha256=True)
            self.send(0, F_MS_CTL, req)
            if result == "ok":
                rsp = self.mk(ALLOCATE_OK, req.tid).address(A_MAPPED, self.relay_ip, self.relay_port) \
                    .xor_addr(A_MS_XOR_MAPPED, self.client.ip, self.cport).lifetime(480) \
                    .u32(A_MS_VERSION, 6).encode(self.server_key, fingerprint=False, sha256=True)
            elif result == 401:
                rsp = self.mk(ALLOCATE_ERR, req.tid).error(401).realm(TURN_REALM).nonce(NONCE_1) \
                    .encode(fingerprint=False)
            else:
                rsp = self.mk(ALLOCATE_ERR, req.tid).error(result) \
                    .encode(self.server_key, fingerprint=False, sha256=True)
            f = self.send(1, F_MS_CTL, rsp)
        if result == "ok":
            self.alloc.allocated(f, self.relay_ip, self.relay_port)
            self.cap.note("Allocate Response: MAPPED-ADDRESS %s (the Edge's relayed address)" %
                          endpoint_text(self.relay_ip, self.relay_port), f)
        return f

    def send_request(self, peer_ip, peer_port, inner):
        """Client -> Edge: DATA for the peer (an ICE check, or media)."""
        m = self._authed(self.mk(MS_SEND_REQ).address(A_MS_DESTINATION, peer_ip, peer_port)
                         .data(inner).attr(A_MS_SEQUENCE_NUMBER, self.seqnum()))
        self.alloc.add_peer(peer_ip, peer_port)
        return self.send(0, F_MS_CTL, m.encode(self.key, fingerprint=False, sha256=True))

    def data_indication(self, peer_ip, peer_port, inner):
        """Edge -> client: what the peer sent."""
        m = self.mk(MS_DATA_IND).address(A_XOR_PEER, peer_ip, peer_port).data(inner)
        self.alloc.add_peer(peer_ip, peer_port)
        return self.send(1, F_MS_CTL, m.encode(fingerprint=False))

    def sad_request(self, peer_ip, peer_port):
        """Set Active Destination Request; returns the message for its answer."""
        req = self._authed(self.mk(MS_SETACTIVE_REQ).address(A_MS_DESTINATION, peer_ip, peer_port)
                           .attr(A_MS_SEQUENCE_NUMBER, self.seqnum()))
        self.alloc.add_peer(peer_ip, peer_port)
        req.frame = self.send(0, F_MS_CTL, req.encode(self.key, fingerprint=False, sha256=True))
        self.cap.note("Set Active Destination Request: DESTINATION-ADDRESS %s" %
                      endpoint_text(peer_ip, peer_port), req.frame)
        return req

    def sad_answer(self, req, result="ok"):
        """The Edge's answer: success, or an error code."""
        if result == "ok":
            rsp = self.mk(MS_SETACTIVE_OK, req.tid).attr(A_MS_SEQUENCE_NUMBER,
                                                          ms_seqnum(self.conn20, self.seq))
        else:
            rsp = self.mk(MS_SETACTIVE_ERR, req.tid).error(result)
        return self.send(1, F_MS_CTL, rsp.encode(self.server_key, fingerprint=False, sha256=True))

    def set_active_destination(self, peer_ip, peer_port, result="ok"):
        """result "ok", None (never answered) or an error code.  Returns
        (request frame, response frame or None)."""
        req = self.sad_request(peer_ip, peer_port)
        return req.frame, (self.sad_answer(req, result) if result is not None else None)

    def end_to_end(self, frm, inner):
        """An [MS-TURN] 2.1.4 end-to-end data frame (0x03): the peer's or the
        client's datagram, bare."""
        return self.send(frm, F_MS_DATA, inner)

    def close(self):
        linger_and_close(self.cap, self.conn, 24.0, 40.0, 800.0, 300.0)


def skype_edge_session(cap, sk, peer_ip, peer_port, client_answers=True, peer_answers=True,
                       rounds=1, sad="ok"):
    """Checks both ways through the Edge in Send Requests and Data
    Indications, then Set Active Destination and end-to-end media."""
    det = cap.det
    for _ in range(rounds):
        chk, rsp = ice_check_pair(det, True, sk.relay_ip, sk.relay_port)
        f = sk.send_request(peer_ip, peer_port, chk)
        cap.note("Send Request: DATA holds the Skype client's Binding Request", f)
        if peer_answers:
            f = sk.data_indication(peer_ip, peer_port, rsp)
            cap.note("Data Indication: DATA holds the peer's Binding Success Response", f)
        chk, rsp = ice_check_pair(det, False, sk.client.ip, sk.cport)
        f = sk.data_indication(peer_ip, peer_port, chk)
        cap.note("Data Indication: the peer's Binding Request", f)
        if client_answers:
            f = sk.send_request(peer_ip, peer_port, rsp)
            cap.note("Send Request: the Skype client's Binding Success Response", f)
        cap.wait(400.0)
    _, f = sk.set_active_destination(peer_ip, peer_port, sad)
    if sad == "ok":
        for i in range(2):
            sk.end_to_end(0, rtp_packet(det, 3100 + i, 3000 * i, 0x5C1E0001, 180 + 11 * i))
            sk.end_to_end(1, rtp_packet(det, 6100 + i, 3000 * i, 0x0FA20002, 160 + 13 * i))


def ice_check_pair(det, controlling, relay_ip, relay_port, impl=2, foundation=b"3"):
    """An [MS-ICE2] connectivity check and its success response (RFC 5389
    messages, padded, with FINGERPRINT): controlling=True is the check of
    the side whose ufrag is CMS_UFRAG's peer; MS-IMPLEMENTATION-VERSION in
    both, CANDIDATE-IDENTIFIER (the candidate's foundation, NUL-padded) in
    the request ([MS-ICE2] 2.2.2)."""
    user, pwd = ("%s:%s" % (CMS_UFRAG, SKYPE_UFRAG), CMS_PWD) if controlling else \
        ("%s:%s" % (SKYPE_UFRAG, CMS_UFRAG), SKYPE_PWD)
    req = Msg(BINDING_REQ, det.bytes(12)).u32(A_PRIORITY, 0x6EFFFEFF if controlling else 0x6E7FFEFF) \
        .attr(A_ICE_CONTROLLING if controlling else A_ICE_CONTROLLED, det.bytes(8))
    if controlling:
        req.empty(A_USE_CANDIDATE)
    req.username(user).u32(A_MS_IMPL_VERSION, impl) \
        .attr(A_CANDIDATE_ID, foundation.ljust(4, b"\x00")).encode(pwd.encode())
    rsp = Msg(BINDING_OK, req.tid).xor_addr(A_XOR_MAPPED, relay_ip, relay_port) \
        .u32(A_MS_IMPL_VERSION, impl).encode(pwd.encode())
    return req, rsp

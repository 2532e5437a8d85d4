# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""Scenarios: Teams clients and Microsoft's relays ([MS-TURN] version 6), MS-STUN over UDP."""
import struct

from ..common import (
    ALLOCATE_ERR, ALLOCATE_OK, ALLOCATE_REQ, A_BW_ACM, A_BW_RSV_AMOUNT, A_LOCATION_PROFILE,
    A_MAPPED, A_MS_ALT_HOST_NAME, A_MS_DESTINATION, A_MS_MUX_SESSION_ID, A_MS_SEQUENCE_NUMBER,
    A_MS_SERVICE_QUALITY, A_MS_VERSION, A_MS_XOR_MAPPED, A_SIP_CALL_ID, A_XOR_PEER, F_MS_CTL,
    F_MS_DATA, F_RAW, MS_DATA_IND, MS_SEND_REQ, MS_SETACTIVE_OK, MS_SETACTIVE_REQ, NONCE_1,
    NONCE_TEAMS, REASON_TEAMS_401, REFRESH_OK, REFRESH_REQ, TURN_REALM, TURN_USER,
    long_term_key,
)
from ..net import Host
from ..stun import Msg, Mux, rtcp_receiver_report, rtp_packet
from ..tcpconn import TcpConn
from ..models import MsTurnAllocation, UdpFlow
from ..models_ms import (
    bwm_amount, ice_check_pair, linger_and_close, ms_seqnum, ms_turn_flow, pdu_sender,
    pseudo_tls_handshake,
)
from .base import scenario


def teams_flow(cap, send, alloc, client, cport, edge, relay_port, peer, ctl, dat, tcp_framed=False):
    """An allocation as Teams clients and Microsoft's relays really write it
    ([MS-TURN], MS-VERSION 6): the RFC 5389 cookie in the header AND
    MAGIC-COOKIE first, attributes not padded (an ERROR-CODE of length 61, a
    nonce of 49 bytes: odd message lengths), HMAC-SHA256 MESSAGE-INTEGRITY,
    Send Requests with an opaque USERNAME token, ICE checks (MS-ICE2) and
    RTP/RTCP inside DATA, Set Active Destination, multiplexed TURN packets
    (0xFF10) with the session ID the Allocate response gave, and the
    deallocation (Allocate with LIFETIME 0).  send(frm, framing, m) puts one
    PDU on the wire; ctl / dat: the framing of TURN messages and of
    end-to-end data."""
    det = cap.det
    key = long_term_key()

    def mk(mtype, t=None):
        return Msg(mtype, t or det.bytes(12), ms=True)

    def sign(m):
        return m.encode(key, fingerprint=False, sha256=True)

    alloc.start()
    req = mk(ALLOCATE_REQ).u32(A_MS_VERSION, 6, "msturn.att.ms_version") \
        .attr(A_MS_SERVICE_QUALITY, struct.pack("!HH", 0x0001, 0x0000))
    req.encode(fingerprint=False)
    f = send(0, ctl, req)
    cap.note("Teams Allocate Request: cookie in the header and MAGIC-COOKIE first, MS-VERSION 6", f)
    err = mk(ALLOCATE_ERR, req.tid).error(401, REASON_TEAMS_401).realm(TURN_REALM).nonce(NONCE_TEAMS)
    err.encode(fingerprint=False)
    assert len(err.wire) % 4 != 0
    f = send(1, ctl, err)
    cap.note("Allocate Error Response 401: ERROR-CODE of length %d followed directly by REALM, "
             "message length %d" % (4 + len(REASON_TEAMS_401), len(err.wire) - 20), f)

    def authed(m):
        return m.username(TURN_USER).realm(TURN_REALM).nonce(NONCE_TEAMS)

    req = authed(mk(ALLOCATE_REQ).u32(A_MS_VERSION, 6, "msturn.att.ms_version")) \
        .attr(A_MS_SERVICE_QUALITY, struct.pack("!HH", 0x0001, 0x0000)) \
        .attr(A_BW_ACM, struct.pack("!HH", 0, 0x0000), "msturn.att.bandwidth_acm.message_type",
              "0x0000") \
        .attr(A_BW_RSV_AMOUNT, bwm_amount(64, 512, 64, 512)) \
        .attr(A_LOCATION_PROFILE, bytes([0x01, 0x02, 0x00, 0x00]),
              "msturn.att.location_profile.peer_location", "1") \
        .string(A_SIP_CALL_ID, "7c3f9a1be2d04c51teamslab", "msturn.att.sip_call_id")
    req.values += [("msturn.att.location_profile.self_location", "2"),
                   ("msturn.att.location_profile.federation", "0")]
    sign(req)
    f = send(0, ctl, req)
    cap.note("Allocate Request with credentials and a 32-byte HMAC-SHA256 MESSAGE-INTEGRITY "
             "(message length %d)" % (len(req.wire) - 20), f)
    mux_id = det.bytes(8)
    conn20 = det.bytes(20)
    ok = mk(ALLOCATE_OK, req.tid).address(A_MAPPED, edge.ip, relay_port) \
        .xor_addr(A_MS_XOR_MAPPED, client.ip, cport).lifetime(480) \
        .attr(A_MS_SEQUENCE_NUMBER, ms_seqnum(conn20, 0)) \
        .attr(A_MS_MUX_SESSION_ID, mux_id).u32(A_MS_VERSION, 6, "msturn.att.ms_version") \
        .string(A_MS_ALT_HOST_NAME, "relay.teams.lab.example")
    sign(ok)
    f = send(1, ctl, ok)
    alloc.allocated(f, edge.ip, relay_port)
    cap.note("Allocate Response: MAPPED-ADDRESS %s:%d, MS-SEQUENCE-NUMBER, MS-MULTIPLEXED-TURN-SESSION-ID"
             % (edge.ip, relay_port), f)

    seq = [0]

    def send_req(inner):
        seq[0] += 1
        token = b"\x02\x00\x00\x24" + det.bytes(52)
        m = mk(MS_SEND_REQ).token(token).address(A_MS_DESTINATION, peer.ip, 50040,
                                                 "destination_address").data(inner) \
            .attr(A_MS_SEQUENCE_NUMBER, ms_seqnum(conn20, seq[0]))
        return sign(m)

    def data_ind(inner):
        m = mk(MS_DATA_IND).address(A_XOR_PEER, peer.ip, 50040, "remote_address").data(inner)
        return m.encode(fingerprint=False)

    chk, rsp = ice_check_pair(det, True, edge.ip, relay_port)
    alloc.add_peer(peer.ip, 50040)
    f = send(0, ctl, send_req(chk))
    cap.note("Send Request: opaque 56-byte USERNAME token, DESTINATION-ADDRESS, DATA holding an "
             "MS-ICE2 Binding Request", f)
    f = send(1, ctl, data_ind(rsp))
    cap.note("Data Indication: REMOTE-ADDRESS (plain), DATA holding the Binding Success Response", f)
    chk, rsp = ice_check_pair(det, False, client.ip, cport)
    f = send(1, ctl, data_ind(chk))
    cap.note("Data Indication: the peer's Binding Request", f)
    f = send(0, ctl, send_req(rsp))
    cap.note("Send Request: the client's Binding Success Response", f)
    f = send(0, ctl, send_req(rtp_packet(det, 4100, 0, 0x7EA5C0DE, 160, pt=111)))
    cap.note("Send Request with RTP in DATA", f)
    f = send(1, ctl, data_ind(rtcp_receiver_report(0x0BADCAFE, 0x7EA5C0DE)))
    cap.note("Data Indication with RTCP in DATA", f)

    sad = authed(mk(MS_SETACTIVE_REQ).address(A_MS_DESTINATION, peer.ip, 50040, "destination_address")
                 .attr(A_MS_SEQUENCE_NUMBER, ms_seqnum(conn20, seq[0] + 1)))
    sign(sad)
    f = send(0, ctl, sad)
    cap.note("Set Active Destination Request", f)
    ok = mk(MS_SETACTIVE_OK, sad.tid).attr(A_MS_SEQUENCE_NUMBER, ms_seqnum(conn20, seq[0] + 1))
    sign(ok)
    f = send(1, ctl, ok)
    cap.note("Set Active Destination Response", f)

    # [MS-TURN] 2.2.3 multiplexed packets with the allocation's session ID
    chk, rsp = ice_check_pair(det, True, edge.ip, relay_port)
    f = send(0, dat, Mux(mux_id, chk))
    cap.note("Multiplexed TURN packet (0xFF10) holding a consent check", f)
    send(1, dat, Mux(mux_id, rsp))
    for i in range(2):
        send(0, dat, Mux(mux_id, rtp_packet(det, 4101 + i, 960 * (i + 1), 0x7EA5C0DE, 150 + 7 * i, pt=111)))
        send(1, dat, Mux(mux_id, rtp_packet(det, 9201 + i, 960 * (i + 1), 0x0BADCAFE, 141 + 9 * i, pt=111)))
    if tcp_framed:
        # [MS-TURN] 2.1.4 end-to-end data (0x03): the peer's datagrams bare
        chk, rsp = ice_check_pair(det, True, edge.ip, relay_port)
        f = send(0, F_MS_DATA, chk)
        cap.note("End-to-end data frame 0x03 holding a Binding Request", f)
        send(1, F_MS_DATA, rsp)
        send(0, F_MS_DATA, rtp_packet(det, 4103, 2880, 0x7EA5C0DE, 133, pt=111))

    # deallocation: an Allocate with LIFETIME 0, and MS-SEQUENCE-NUMBER in
    # the short form Teams sends there (the number alone, length 4)
    req = authed(mk(ALLOCATE_REQ).u32(A_MS_VERSION, 6, "msturn.att.ms_version")).lifetime(0) \
        .attr(A_MS_SEQUENCE_NUMBER, struct.pack("!I", seq[0] + 2))
    sign(req)
    f = send(0, ctl, req)
    cap.expect(f, "msturn.att.ms_sequence_number.short")
    cap.note("Deallocation: Allocate Request with LIFETIME 0 and a 4-byte MS-SEQUENCE-NUMBER", f)
    ok = mk(ALLOCATE_OK, req.tid).lifetime(0).u32(A_MS_VERSION, 6, "msturn.att.ms_version")
    sign(ok)
    f = send(1, ctl, ok)
    cap.note("Allocate Response with LIFETIME 0", f)


@scenario("teams_udp")
def teams_udp(cap):
    """A Teams client's allocation on a Microsoft media relay over UDP 3478,
    as real relays write [MS-TURN] (teams_flow): unpadded attributes and odd
    message lengths, the magic cookie AND MAGIC-COOKIE first, ICE checks and
    RTP/RTCP inside DATA, multiplexed TURN packets, deallocation.  Read with
    `-o msturn.udp:TRUE`."""
    client = Host("10.20.40.50", "00:50:56:aa:40:50")
    relay = Host("52.112.0.20", "00:15:5d:0a:e0:03")
    peer = Host("52.113.9.14", "00:0c:29:01:02:fe")
    cap.args = ["-o", "msturn.udp:TRUE"]
    flow = UdpFlow(cap, client, 50030, relay, 3478)
    alloc = MsTurnAllocation(cap, flow, client, 50030, relay, 3478)
    alloc.verdict = "ICE valid"

    def send(frm, framing, m):
        f = flow.send(frm, m)
        cap.wait(9.0 if frm == 0 else 0.6)
        return f

    teams_flow(cap, send, alloc, client, 50030, relay, 52030, peer, F_RAW, F_RAW)


@scenario("teams_tcp")
def teams_tcp(cap):
    """The same Teams dialect over TCP 3478: first raw in the stream, with an
    RFC 5389 Refresh that carries MS-VERSION among the unpadded [MS-TURN]
    messages (it stays a padded IETF Refresh: the dialect is each message's
    own); then in the [MS-TURN] 2.1.4 TCP framing, where multiplexed packets
    and end-to-end data travel in 0x03 frames."""
    client = Host("10.20.40.51", "00:50:56:aa:40:51")
    relay = Host("52.112.0.21", "00:15:5d:0a:e0:04")
    peer = Host("52.113.9.14", "00:0c:29:01:02:fe")
    for framed, cport, relay_port in ((False, 50040, 52040), (True, 50042, 52042)):
        conn = TcpConn(cap, client, cport, relay, 3478, cwin=1026, swin=1026)
        conn.handshake(rtt_ms=18.0)
        cap.wait(0.4)

        send = pdu_sender(cap, conn, 9.0)
        ctl, dat = (F_MS_CTL, F_MS_DATA) if framed else (F_RAW, F_RAW)
        alloc = MsTurnAllocation(cap, conn, client, cport, relay, 3478)
        alloc.verdict = "ICE valid"
        teams_flow(cap, send, alloc, client, cport, relay, relay_port, peer, ctl, dat,
                   tcp_framed=framed)
        if not framed:
            key = long_term_key()
            ref = Msg(REFRESH_REQ, cap.det.bytes(12)).u32(A_MS_VERSION, 6, "msturn.att.ms_version") \
                .lifetime(600).username(TURN_USER).realm(TURN_REALM).nonce(NONCE_1).encode(key)
            f = send(0, F_RAW, ref)
            cap.note("RFC 5389 Refresh Request carrying MS-VERSION on the same connection: "
                     "0x0004 stays Refresh, 0x0014 stays REALM, values padded", f)
            ok = Msg(REFRESH_OK, ref.tid).lifetime(600).encode(key)
            send(1, F_RAW, ok)
        linger_and_close(cap, conn, 18.0, 30.0, 500.0, 300.0)


@scenario("teams_tls443")
def teams_tls443(cap):
    """The Teams dialect behind [MS-TURN] pseudo-TLS on TCP 443, every PDU
    in the 2.1.4 TCP framing (teams_flow), and, on a second connection to a
    high port that only the TCP heuristic can find, the same flow raw."""
    client = Host("198.51.100.61", "00:0c:29:01:03:61", ttl=116)
    relay = Host("52.112.0.22", "00:15:5d:0a:e0:05")
    peer = Host("52.113.9.14", "00:0c:29:01:02:fe")
    for tls, cport, sport, relay_port in ((True, 51300, 443, 52050), (False, 51302, 50443, 52052)):
        conn = TcpConn(cap, client, cport, relay, sport, cwin=1026, swin=1026)
        conn.handshake(rtt_ms=21.0)
        cap.wait(0.5)
        if tls:
            pseudo_tls_handshake(cap, conn, 21.5, done_note="Pseudo-TLS ServerHello + "
                                 "ServerHelloDone, then the Teams dialect framed")
        send = pdu_sender(cap, conn, 11.0)
        ctl, dat = (F_MS_CTL, F_MS_DATA) if tls else (F_RAW, F_RAW)
        alloc = MsTurnAllocation(cap, conn, client, cport, relay, sport)
        alloc.verdict = "ICE valid"
        teams_flow(cap, send, alloc, client, cport, relay, relay_port, peer, ctl, dat,
                   tcp_framed=tls)
        linger_and_close(cap, conn, 21.0, 30.0, 800.0, 300.0)


@scenario("skype_edge_443")
def skype_edge_443(cap):
    """A Skype for Business client reaches the Skype Edge's A/V relay on TCP
    443: [MS-TURN] pseudo-TLS (ClientHello; ServerHello + ServerHelloDone in
    one record), then every TURN message in the [MS-TURN] 2.1.4 TCP framing
    header (0x02 control, 0x03 end-to-end data).  First connection: legacy
    MS-TURN (MS-VERSION 1, no magic cookie, MAGIC-COOKIE attribute first,
    16-byte transaction IDs, HMAC-SHA1).  Second connection: the cookie form
    with MS-VERSION 6, HMAC-SHA256 MESSAGE-INTEGRITY, MS-Service Quality,
    MS-Sequence Number and the [MS-TURNBWM] bandwidth attributes."""
    client = Host("198.51.100.23", "00:0c:29:01:02:fe", ttl=115)
    edge = Host("203.0.113.10", "00:15:5d:0a:e0:01")
    peer = Host("192.0.2.44", "00:0c:29:01:02:fe")
    for legacy, cport, relay in ((True, 51234, 52000), (False, 51240, 52002)):
        conn = TcpConn(cap, client, cport, edge, 443, cwin=1026, swin=1026)
        conn.handshake(rtt_ms=24.0)
        cap.wait(0.5)
        pseudo_tls_handshake(cap, conn, 24.5, hello_note="Pseudo-TLS ClientHello")
        send = pdu_sender(cap, conn, 12.0)
        # one check each way, never answered back: the client's reaches the
        # peer and is answered, the peer sends none of its own
        alloc = MsTurnAllocation(cap, conn, client, cport, edge, 443)
        alloc.verdict = "ICE one-way: no success from client"
        ms_turn_flow(cap, send, alloc, client, cport, edge, relay, peer, framed=True, legacy=legacy)
        alloc.expect_outcome()
        linger_and_close(cap, conn, 24.0, 40.0, 2000.0, 500.0)


@scenario("mstun_udp")
def mstun_udp(cap):
    """The same [MS-TURN] exchanges over UDP 3478 (no framing header): a
    legacy client (MS-VERSION 1) and a cookie-form client (MS-VERSION 6,
    HMAC-SHA256), plus one multiplexed-TURN frame (0xFF10, session ID) that
    is not a STUN message."""
    client = Host("10.20.30.40", "00:50:56:aa:00:40")
    client2 = Host("10.20.30.41", "00:50:56:aa:00:41")
    edge = Host("10.20.30.1", "00:15:5d:0a:e0:02")
    peer = Host("192.0.2.44", "00:0c:29:01:02:fe")
    # STUN over UDP belongs to Wireshark's built-in dissector unless the user
    # asks msturn for it.
    cap.args = ["-o", "msturn.udp:TRUE"]
    for legacy, c, cport, relay in ((True, client, 50010, 52010), (False, client2, 50020, 52012)):
        flow = UdpFlow(cap, c, cport, edge, 3478)
        alloc = MsTurnAllocation(cap, flow, c, cport, edge, 3478)
        alloc.verdict = "ICE one-way: no success from client"

        def send(frm, framing, m, flow=flow):
            f = flow.send(frm, m)
            cap.wait(9.0 if frm == 0 else 0.6)
            return f
        ms_turn_flow(cap, send, alloc, c, cport, edge, relay, peer, framed=False, legacy=legacy)
        alloc.expect_outcome()
        cap.wait(1000.0)
    # [MS-TURN] 2.2.3 multiplexed TURN: 0xFF10, length, 8-byte session ID, data
    data = rtp_packet(cap.det, 9100, 0, 0x77AA77AA, 160)
    frame = struct.pack("!HH", 0xFF10, 8 + len(data)) + cap.det.bytes(8) + data
    f = flow.send(0, frame)
    cap.note("Multiplexed TURN frame 0xFF10 (not a STUN message)", f)

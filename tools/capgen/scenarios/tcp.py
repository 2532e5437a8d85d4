# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""Scenarios: TCP segmentation, retransmission, mid-stream starts and ICE-TCP ports."""
from ..common import (
    ALLOCATE_OK, ALLOCATE_REQ, A_ICE_CONTROLLED, A_ICE_CONTROLLING, A_MS_IMPL_VERSION,
    A_PRIORITY, A_USE_CANDIDATE, A_XOR_MAPPED, A_XOR_RELAYED, BINDING_IND, BINDING_OK,
    BINDING_REQ, CMS_PWD, CMS_UFRAG, F_4571, F_RAW, REFRESH_OK, REFRESH_REQ, SKYPE_PWD,
    SKYPE_UFRAG, TURN_REALM, TURN_USER,
)
from ..net import Host
from ..stun import Msg, frame_message, rtp_packet
from ..tcpconn import TcpConn
from ..models import TurnTcpSession, lab_hosts, seed_like_session
from .base import scenario
from .rfc6062 import stress_session


@scenario("tcp_split3")
def tcp_split3(cap):
    """One STUN message split over three TCP segments: the authenticated
    Allocate Request (148 bytes) goes out as 50 + 50 + 48 bytes."""
    h = lab_hosts()
    s = seed_like_session(cap, h)
    s.verdict = "no peer connection"
    s.allocated = True
    s.open_control()
    s.allocate_unauth()
    cap.wait(0.5)
    req = Msg(ALLOCATE_REQ, s.tid()).transport(6).lifetime(600).username(TURN_USER) \
        .realm(TURN_REALM).nonce(s.nonce).encode(s.key)
    n = len(req.wire)
    f = s.ctl.send(0, req.wire, [(0, n, F_RAW, req)], sizes=[50, 50, n - 100], gap_ms=0.08)
    cap.note("Allocate Request in three segments (50, 50, %d bytes); "
             "it completes two frames later" % (n - 100), f)
    cap.wait(110.0)
    resp = Msg(ALLOCATE_OK, req.tid).xor_addr(A_XOR_RELAYED, s.server.ip, 24000) \
        .xor_addr(A_XOR_MAPPED, s.client.ip, s.ctl_port).lifetime(600).software().encode(s.server_key)
    n = len(resp.wire)
    f = s.ctl.send(1, resp.wire, [(0, n, F_RAW, resp)], sizes=[20, 44, n - 64], gap_ms=0.05)
    cap.note("Allocate Success split 20 + 44 + %d bytes (header alone first)" % (n - 64), f)
    cap.wait(0.4)
    s.ctl.ack(0)
    cap.wait(100.0)
    s.ctl.close(0)


@scenario("tcp_five_in_one")
def tcp_five_in_one(cap):
    """Five STUN messages in one TCP segment (CMS pipelines three Binding
    Requests, a Binding Indication and a Refresh), four responses in one
    segment back, and on the RFC 6062 data connection one segment holding two
    RFC 4571-framed messages (a Binding Request and a Binding Success)."""
    h = lab_hosts()
    s = stress_session(cap, h)
    s.verdict = "ICE valid"
    reqs = [Msg(BINDING_REQ, s.tid()).software("CMS lab").encode() for _ in range(3)]
    reqs.append(Msg(BINDING_IND, s.tid()).encode())
    refresh = Msg(REFRESH_REQ, s.tid()).lifetime(600).username(TURN_USER).realm(TURN_REALM) \
        .nonce(s.nonce).encode(s.key)
    reqs.append(refresh)
    f = s.ctl.send_msgs(0, [(F_RAW, m) for m in reqs])
    cap.note("One segment, five STUN messages", f)
    cap.wait(3.0)
    resps = [Msg(BINDING_OK, m.tid).xor_addr(A_XOR_MAPPED, s.client.ip, s.ctl_port).software().encode()
             for m in reqs[:3]]
    resps.append(Msg(REFRESH_OK, refresh.tid).lifetime(600).software().encode(s.server_key))
    f = s.ctl.send_msgs(1, [(F_RAW, m) for m in resps])
    cap.note("One segment, four responses", f)
    cap.wait(0.4)
    s.ctl.ack(0)
    cap.wait(100.0)
    s.peer_connects()
    cap.wait(2.0)
    s.connection_attempt()
    cap.wait(30.0)
    s.connection_bind(server_ms=10.0)
    cap.wait(50.0)
    req_p = s.ice_request(False)
    s.peer_conn.send_msgs(0, [(F_4571, req_p)])
    cap.wait(0.3)
    req_c = s.ice_request(True)
    # CMS answers the peer's check and sends its own in one segment
    pdus = [(F_4571, s.ice_response(req_p, True)), (F_4571, req_c)]
    cap.wait(0.2)
    s.data.send_msgs(1, [(F_4571, req_p)])
    cap.wait(0.9)
    f = s.data.send_msgs(0, pdus)
    cap.note("One segment, two RFC 4571-framed messages", f)
    cap.wait(0.25)
    s.peer_conn.send_msgs(1, pdus)
    cap.wait(1.0)
    resp_p = s.ice_response(req_c, False)
    s.relay(True, [(F_4571, resp_p)])
    cap.wait(40.0)
    s.data.ack(0)
    s.peer_conn.ack(0)
    s.close_all()


@scenario("tcp_retrans_ooo")
def tcp_retrans_ooo(cap):
    """A retransmission and an out-of-order delivery on the control
    connection.  The Refresh Request is sent, not acknowledged, and sent again
    after 210 ms (the retransmitted copy is not a new message).  The Refresh
    Success arrives in two segments in the wrong order (second half first);
    the message is complete at the frame of its first half.  Decode with
    tcp.reassemble_out_of_order (see the .args file)."""
    h = lab_hosts()
    s = stress_session(cap, h)
    s.verdict = "no peer connection"
    cap.wait(2000.0)
    req = Msg(REFRESH_REQ, s.tid()).lifetime(600).username(TURN_USER).realm(TURN_REALM) \
        .nonce(s.nonce).encode(s.key)
    off = len(s.ctl.sides[0].stream)
    # the segment is lost after the capture point; the client retransmits after the RTO
    f = s.ctl.send_msgs(0, [(F_RAW, req)], lost={0})
    cap.note("Refresh Request (original, lost on the way to the server)", f)
    cap.wait(210.0)
    f = s.ctl.retransmit(0, off, len(req.wire))
    cap.note("The same Refresh Request retransmitted (no new message)", f)
    cap.wait(2.0)
    resp = Msg(REFRESH_OK, req.tid).lifetime(600).software().encode(s.server_key)
    n = len(resp.wire)
    f = s.ctl.send(1, resp.wire, [(0, n, F_RAW, resp)], sizes=[40, n - 40], order=[1, 0], gap_ms=0.03)
    cap.note("Refresh Success: second part arrives first, first part one frame later", f)
    cap.wait(0.4)
    s.ctl.ack(0)
    cap.wait(1000.0)
    f = s.keepalive()
    cap.note("A later Binding Indication, in order", f)
    cap.wait(40.0)
    s.ctl.ack(1)
    cap.wait(100.0)
    s.ctl.close(0)
    cap.args = ["-o", "tcp.reassemble_out_of_order:TRUE"]


@scenario("tcp_midstream")
def tcp_midstream(cap):
    """The capture starts in the middle of an established data connection
    (no handshake): the first segment holds the last 30 bytes of an
    RFC 4571-framed Binding Request; whole framed messages follow.  The
    control connection, also already established, then carries whole raw
    STUN messages."""
    h = lab_hosts()
    s = seed_like_session(cap, h)
    s.data = TcpConn(cap, s.client, s.data_port, s.server, 3478)
    s.data.assume_established()
    s.ctl = TcpConn(cap, s.client, s.ctl_port, s.server, 3478)
    s.ctl.assume_established()
    # bytes exchanged before the capture began
    s.data.send(0, cap.det.bytes(310), visible=False)
    s.data.send(1, cap.det.bytes(270), visible=False)
    s.ctl.send(0, cap.det.bytes(464), visible=False)
    s.ctl.send(1, cap.det.bytes(352), visible=False)
    req = s.ice_request(True)
    wire = frame_message(F_4571, req)
    f = s.data.send(0, wire, [(2, len(req.wire), F_4571, req)], sizes=[len(wire) - 30, 30],
                    hidden={0})
    cap.note("First frame: the last 30 bytes of a framed Binding Request (no truth line)", f)
    cap.wait(1.0)
    resp = s.ice_response(req, False)
    f = s.data.send_msgs(1, [(F_4571, resp)])
    cap.note("Whole framed messages from here on", f)
    cap.wait(0.5)
    req2 = s.ice_request(False)
    s.data.send_msgs(1, [(F_4571, req2)])
    cap.wait(0.8)
    s.data.send_msgs(0, [(F_4571, s.ice_response(req2, True))])
    cap.wait(20.0)
    s.data.ack(1)
    cap.wait(100.0)
    f = s.keepalive()
    cap.note("Control connection: its first captured segment is a whole Binding Indication", f)
    cap.wait(30.0)
    s.ctl.ack(1)
    cap.wait(500.0)
    s.refresh()
    cap.wait(100.0)


@scenario("ice_tcp_ports")
def ice_tcp_ports(cap):
    """STUN over TCP away from 3478, as Teams and Skype clients send it:
    ICE-TCP (RFC 6544) between two clients on high ports, the active side
    connecting to the passive one, with RFC 4571-framed Binding Requests and
    Binding Success Responses both ways and then framed RTP; a TURN client
    allocating over raw TCP on port 80 (the port HTTP owns) and on port 443
    without TLS or pseudo-TLS; and a Binding Request on TCP 5349 (the
    STUN-over-TLS port, here in clear)."""
    a = Host("10.1.2.30", "00:50:56:aa:02:30")
    b = Host("10.1.2.40", "00:50:56:aa:02:40")
    relay = Host("52.112.0.10", "00:15:5d:0a:70:10", ttl=52)
    # ICE-TCP: a (active, controlling) -> b (passive, 50040), RFC 6544 4.1
    conn = TcpConn(cap, a, 50012, b, 50040)
    conn.handshake(rtt_ms=0.6)
    det = cap.det
    req_a = Msg(BINDING_REQ, det.bytes(12)).u32(A_PRIORITY, 0x6E7F1EFF) \
        .attr(A_ICE_CONTROLLING, det.bytes(8)).empty(A_USE_CANDIDATE) \
        .username("%s:%s" % (SKYPE_UFRAG, CMS_UFRAG)).u32(A_MS_IMPL_VERSION, 2) \
        .encode(SKYPE_PWD.encode())
    f = conn.send_msgs(0, [(F_4571, req_a)])
    cap.note("ICE-TCP between two clients: framed Binding Request from the active side", f)
    cap.wait(1.1)
    req_b = Msg(BINDING_REQ, det.bytes(12)).u32(A_PRIORITY, 0x6E7F1CFF) \
        .attr(A_ICE_CONTROLLED, det.bytes(8)).username("%s:%s" % (CMS_UFRAG, SKYPE_UFRAG)) \
        .u32(A_MS_IMPL_VERSION, 2).encode(CMS_PWD.encode())
    ok_a = Msg(BINDING_OK, req_a.tid).xor_addr(A_XOR_MAPPED, a.ip, 50012) \
        .u32(A_MS_IMPL_VERSION, 2).encode(SKYPE_PWD.encode())
    # the passive side answers and checks back in one segment
    f = conn.send_msgs(1, [(F_4571, ok_a), (F_4571, req_b)])
    cap.note("Binding Success Response and the passive side's own check in one segment", f)
    cap.wait(0.9)
    ok_b = Msg(BINDING_OK, req_b.tid).xor_addr(A_XOR_MAPPED, b.ip, 50040) \
        .u32(A_MS_IMPL_VERSION, 2).encode(CMS_PWD.encode())
    conn.send_msgs(0, [(F_4571, ok_b)])
    for i in range(6):
        cap.wait(20.0)
        conn.send_msgs(i % 2, [(F_4571, rtp_packet(det, 40 + i, 960 * i, 0x7EA5000 + i % 2,
                                                   200 + det.below(600)))])
    cap.wait(5.0)
    conn.close(0)
    cap.wait(50.0)
    # TURN over raw TCP on 80 and 443
    for port, cport, relay_port in ((80, 50120, 3480), (443, 50130, 3482)):
        s = TurnTcpSession(cap, a, relay, b, cport, cport + 2, relay_port, 50040,
                           conn_id=0x00C0FFEE, server_port=port)
        s.verdict = "no peer connection"
        s.allocate()
        cap.wait(30.0)
        s.refresh()
        cap.wait(100.0)
        s.ctl.close(0)
        cap.wait(50.0)
    # a Binding Request and its response on TCP 5349, in clear
    conn = TcpConn(cap, a, 50150, relay, 5349)
    conn.handshake(rtt_ms=20.0)
    req = Msg(BINDING_REQ, det.bytes(12)).software().encode()
    f = conn.send_msgs(0, [(F_RAW, req)])
    cap.note("Binding Request over TCP 5349 without TLS", f)
    cap.wait(20.0)
    conn.send_msgs(1, [(F_RAW, Msg(BINDING_OK, req.tid).xor_addr(A_XOR_MAPPED, a.ip, 50150)
                       .software().encode())])
    cap.wait(10.0)
    conn.close(0, rtt_ms=20.0)

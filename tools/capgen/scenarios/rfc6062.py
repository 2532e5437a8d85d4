# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""Scenarios: RFC 6062 presentations through a TCP TURN server, and their failures."""
from ..common import (
    A_XOR_PEER, CONNECT_ERR, CONNECT_OK, CONNECT_REQ, CREATEPERM_ERR, CREATEPERM_OK,
    CREATEPERM_REQ, F_4571, F_RAW, NONCE_2, TURN_REALM, TURN_USER, WRONG_PASSWORD,
)
from ..stun import Msg, rtp_packet
from ..tcpconn import TcpConn
from ..models import ICE_EXPERTS, TurnTcpSession, lab_hosts, run_until_bind, seed_like_session
from .base import scenario


@scenario("seed_session")
def seed_session(cap):
    """The seed's session: CMS 10.48.54.230 allocates a TCP relay on Expressway-E
    10.48.54.229:3478 (401 challenge, then success, relayed 10.48.54.229:24000),
    refreshes it; the Skype Edge 192.168.1.252:53577 connects to the relayed
    address; ConnectionAttempt on the control connection; CMS binds a new data
    connection (port 44342) with ConnectionBind; ICE checks (RFC 4571 framed)
    pass both ways on the data and the peer connection; RFC 4571-framed RTP;
    a Binding Indication keepalive on the control connection; FIN on all."""
    h = lab_hosts()
    s = seed_like_session(cap, h)
    s.verdict = "ICE valid"
    run_until_bind(s)
    s.connection_bind()
    cap.wait(155.0)
    # CMS's first check reuses the seed's transaction ID (its frame 2597)
    s.ice_exchange(tid=bytes.fromhex("a7d42d519e4d78c593819521"))
    s.media()
    cap.wait(3900.0)
    f = s.keepalive()
    cap.note("Binding Indication keepalive on the control connection", f)
    cap.wait(40.0)
    s.ctl.ack(1)
    s.close_all()


@scenario("fail_ice_oneway")
def fail_ice_oneway(cap):
    """As seed_session, but only CMS answers connectivity checks: the peer's
    Binding Requests get Binding Success Responses from CMS, CMS's own checks
    are relayed to the peer and never answered (three rounds).  The candidate
    pair never becomes valid."""
    h = lab_hosts()
    s = seed_like_session(cap, h)
    s.verdict = "ICE one-way: no success from peer"
    run_until_bind(s)
    s.connection_bind()
    cap.expect(s.bind_frames[1], ICE_EXPERTS["ICE one-way: no success from peer"])
    cap.wait(155.0)
    s.ice_exchange(peer_answers=False, rounds=3)
    cap.wait(500.0)
    s.close_all()


@scenario("fail_no_bind")
def fail_no_bind(cap):
    """ConnectionAttempt is never followed by ConnectionBind: CMS keeps the
    control connection alive with Binding Indications, the peer's first check
    waits on the peer connection, and 30 s after the ConnectionAttempt the
    server closes the peer connection (RFC 6062 5.3)."""
    h = lab_hosts()
    s = seed_like_session(cap, h)
    s.verdict = "no ConnectionBind"
    run_until_bind(s)
    cap.expect(s.attempt_frame, "msturn.session.no_bind")
    req = s.ice_request(False)
    s.peer_conn.send_msgs(0, [(F_4571, req)])
    cap.wait(0.3)
    s.peer_conn.ack(1)
    for _ in range(6):
        cap.wait(5000.0)
        s.keepalive()
        cap.wait(40.0)
        s.ctl.ack(1)
    cap.wait(40.0)
    s.peer_conn.close(1, rtt_ms=1.2)
    cap.note("30 s after the ConnectionAttempt the server closes the peer connection")
    cap.wait(8000.0)
    s.refresh()
    cap.wait(1000.0)
    s.ctl.close(0)


@scenario("fail_bind_446")
def fail_bind_446(cap):
    """The CONNECTION-ID is bound once (ConnectionBind success on port 44342);
    a second data connection (port 44346) binds the same CONNECTION-ID and gets
    446 Connection Already Exists, after which the server closes it."""
    h = lab_hosts()
    s = seed_like_session(cap, h)
    s.verdict = "ICE valid"
    run_until_bind(s)
    s.connection_bind()
    first = s.data
    cap.wait(12.0)
    s.connection_bind(result=446, port=44346)
    cap.wait(0.5)
    s.data.close(1)
    s.data = first
    cap.wait(100.0)
    s.ice_exchange()
    s.close_all()


@scenario("fail_bind_unknown_cid")
def fail_bind_unknown_cid(cap):
    """CMS binds its data connection with a CONNECTION-ID that no
    ConnectionAttempt announced (a stale one from an earlier allocation):
    the server answers 400 Bad Request (RFC 6062 5.4) and closes the data
    connection; the announced connection is never bound."""
    h = lab_hosts()
    s = seed_like_session(cap, h)
    s.verdict = "no ConnectionBind"
    run_until_bind(s)
    cap.expect(s.attempt_frame, "msturn.session.no_bind")
    f = s.connection_bind(result=400, conn_id=0x0A8C2F10)
    cap.expect(f[0], "msturn.session.unknown_cid")
    cap.wait(0.5)
    s.data.close(1)
    s.data = None
    cap.wait(40000.0)
    s.refresh()
    cap.wait(100.0)
    s.peer_conn.close(1, rtt_ms=1.2)
    s.peer_conn = None
    s.close_all()


@scenario("fail_bind_447")
def fail_bind_447(cap):
    """The peer gives up and closes its connection to the relayed address
    right after the ConnectionAttempt; CMS's ConnectionBind then gets
    447 Connection Timeout or Failure and the server closes the data
    connection."""
    h = lab_hosts()
    s = seed_like_session(cap, h)
    s.verdict = "447 at ConnectionBind"
    run_until_bind(s)
    s.peer_conn.close(0, rtt_ms=1.2)
    cap.wait(20.0)
    s.connection_bind(result=447)
    cap.wait(0.5)
    s.data.close(1)
    s.data = None
    s.peer_conn = None
    cap.wait(300.0)
    s.close_all()


@scenario("fail_401_loop")
def fail_401_loop(cap):
    """CMS is configured with a wrong TURN password: every authenticated
    Allocate fails MESSAGE-INTEGRITY and is challenged again with 401
    (401, retry, 401, retry, 401); CMS gives up and closes."""
    h = lab_hosts()
    s = seed_like_session(cap, h, password=WRONG_PASSWORD)
    s.verdict = "401 loop at Allocate"
    s.open_control()
    s.allocate_unauth()
    s.allocate_auth(result=401, server_ms=3.1)
    cap.wait(1000.0)
    f = s.allocate_auth(result=401, server_ms=3.0)
    cap.expect(f[1], "msturn.session.allocate_failed")
    cap.wait(200.0)
    s.ctl.close(0)


@scenario("stale_nonce_438")
def stale_nonce_438(cap):
    """The allocation succeeds; later the server has expired the nonce: the
    Refresh gets 438 Stale Nonce carrying a new NONCE, and the Refresh repeated
    with the new nonce succeeds."""
    h = lab_hosts()
    s = seed_like_session(cap, h)
    s.verdict = "no peer connection"
    s.allocate()
    cap.wait(60000.0)
    s.refresh(result=438, server_ms=1.8)
    s.nonce = NONCE_2
    cap.wait(0.8)
    s.refresh()
    cap.wait(500.0)
    s.ctl.close(0)


@scenario("fail_refresh_437")
def fail_refresh_437(cap):
    """After the control connection dropped (RST), CMS sends its Refresh on a
    new TCP connection, which has no allocation: 437 Allocation Mismatch."""
    h = lab_hosts()
    s = seed_like_session(cap, h)
    s.verdict = "437 at Refresh"
    s.allocate()
    cap.wait(30000.0)
    s.ctl.reset(0)
    cap.wait(500.0)
    conn = TcpConn(cap, s.client, 44360, s.server, 3478)
    conn.handshake()
    cap.wait(0.3)
    f = s.refresh(result=437, conn=conn, server_ms=2.2)
    cap.expect(f[1], "msturn.session.refresh_failed")
    cap.wait(100.0)
    conn.close(0)


@scenario("fail_expired")
def fail_expired(cap):
    """CMS allocates (lifetime 600 s) and never refreshes; 11 minutes later it
    is still sending Binding Indications on the control connection, after the
    server has dropped the allocation (RFC 8656 7: an allocation without a
    Refresh ends when its lifetime runs out)."""
    h = lab_hosts()
    s = seed_like_session(cap, h)
    s.verdict = "allocation expired"
    s.allocate()
    for _ in range(2):
        cap.wait(330000.0)
        f = s.keepalive()
        cap.wait(40.0)
        s.ctl.ack(1)
    cap.expect(f, "msturn.session.expired")
    cap.note("Binding Indication 660 s after the allocation: its lifetime of 600 s has run out", f)
    cap.wait(200.0)
    s.ctl.close(0)


@scenario("fail_403_peer")
def fail_403_peer(cap):
    """The server's policy forbids the peer: CreatePermission for
    192.168.1.252 is answered 403 Forbidden, and so is a Connect to
    192.168.1.252:53577."""
    h = lab_hosts()
    s = seed_like_session(cap, h)
    s.verdict = "403 at Connect"
    s.allocate()
    cap.wait(20.0)
    req = Msg(CREATEPERM_REQ, s.tid()).xor_addr(A_XOR_PEER, s.peer.ip, 0).username(TURN_USER) \
        .realm(TURN_REALM).nonce(s.nonce).encode(s.key)
    resp = Msg(CREATEPERM_ERR, req.tid).error(403).software().encode(s.server_key)
    f = s.request(s.ctl, req, resp, server_ms=1.4)
    cap.note("CreatePermission 192.168.1.252 -> 403 Forbidden", f[0])
    cap.wait(30.0)
    req = Msg(CONNECT_REQ, s.tid()).xor_addr(A_XOR_PEER, s.peer.ip, s.peer_port).username(TURN_USER) \
        .realm(TURN_REALM).nonce(s.nonce).encode(s.key)
    resp = Msg(CONNECT_ERR, req.tid).error(403).software().encode(s.server_key)
    f = s.request(s.ctl, req, resp, server_ms=1.2)
    s.add_peer(s.peer.ip, s.peer_port)
    cap.note("Connect 192.168.1.252:53577 -> 403 Forbidden", f[0])
    cap.wait(200.0)
    s.ctl.close(0)


@scenario("fail_508_capacity")
def fail_508_capacity(cap):
    """The server has no relay ports left: the authenticated Allocate is
    answered 508 Insufficient Capacity."""
    h = lab_hosts()
    s = seed_like_session(cap, h)
    s.verdict = "508 at Allocate"
    s.open_control()
    s.allocate_unauth()
    f = s.allocate_auth(result=508, server_ms=4.0)
    cap.expect(f[1], "msturn.session.allocate_failed")
    cap.wait(100.0)
    s.ctl.close(0)


@scenario("multi_sessions")
def multi_sessions(cap):
    """Three presentation sessions interleaved on one Expressway-E, from three
    CMS (10.48.54.230, .231, .232), with relayed ports 24000, 24002 and
    24004 and peers 192.168.1.252, 192.168.1.253 and 2001:db8:1::252 (the
    third allocation asks for an IPv6 relayed address, RFC 6156, and gets
    [2001:db8:48:54::229]:24004; its peer connection is IPv6).  Then CMS
    10.48.54.230 runs a second session after the first one ended (relayed
    port 24006)."""
    h = lab_hosts()
    a = seed_like_session(cap, h)
    b = TurnTcpSession(cap, h["cms2"], h["expe"], h["edge2"], 51010, 51012, 24002, 61001,
                       conn_id=0x1B2C3D4E)
    c = TurnTcpSession(cap, h["cms3"], h["expe"], h["edge3v6"], 39200, 39202, 24004, 50500,
                       conn_id=0x2C3D4E5F, relay_host=h["expe_v6"])
    for s in (a, b, c):
        s.verdict = "ICE valid"
        s.open_control()
        cap.wait(3.0)
    a.allocate_unauth()
    b.allocate_unauth()
    c.allocate_unauth(family6=True)
    a.allocate_auth(server_ms=40.0)
    c.allocate_auth(family6=True, server_ms=35.0)
    b.allocate_auth(server_ms=30.0)
    cap.wait(200.0)
    for s in (b, a, c):
        s.peer_connects()
        cap.wait(2.0)
    for s in (c, b, a):
        s.connection_attempt()
        cap.wait(5.0)
    for s in (a, c, b):
        s.connection_bind(server_ms=20.0)
        cap.wait(3.0)
    for s in (b, c, a):
        s.ice_exchange()
    for s in (a, b, c):
        s.media(count=2)
    for s in (c, a, b):
        s.close_all()
    cap.wait(5000.0)
    d = seed_like_session(cap, h, ctl_port=44410, data_port=44414, relay_port=24006,
                          peer_port=53601, conn_id=0x0A8C3E02)
    d.verdict = "ICE valid"
    cap.note("Second session of CMS 10.48.54.230 starts")
    run_until_bind(d)
    d.connection_bind()
    cap.wait(100.0)
    d.ice_exchange()
    d.media(count=2)
    d.close_all()


@scenario("connect_6062")
def connect_6062(cap):
    """Client-initiated RFC 6062 connection: Allocate, CreatePermission,
    Connect to 192.168.1.252:53577 (the server opens TCP from the relayed
    address 10.48.54.229:24000 to the peer) -> Connect success with
    CONNECTION-ID, ConnectionBind on a new data connection, data both ways.
    Then a Connect to 192.168.1.253:50000, whose SYN is refused: 447."""
    h = lab_hosts()
    s = seed_like_session(cap, h, conn_id=0x44A0B001)
    s.verdict = "no ICE checks"       # only media crosses the data connection
    s.allocate()
    cap.wait(10.0)
    req = Msg(CREATEPERM_REQ, s.tid()).xor_addr(A_XOR_PEER, s.peer.ip, 0).username(TURN_USER) \
        .realm(TURN_REALM).nonce(s.nonce).encode(s.key)
    resp = Msg(CREATEPERM_OK, req.tid).software().encode(s.server_key)
    f = s.request(s.ctl, req, resp, server_ms=1.0)
    cap.note("CreatePermission 192.168.1.252 -> Success", f[0])
    cap.wait(15.0)
    # Connect (RFC 6062 4.3): the server connects to the peer, then answers.
    req = Msg(CONNECT_REQ, s.tid()).xor_addr(A_XOR_PEER, s.peer.ip, s.peer_port).username(TURN_USER) \
        .realm(TURN_REALM).nonce(s.nonce).encode(s.key)
    f_req = s.ctl.send_msgs(0, [(F_RAW, req)])
    s.add_peer(s.peer.ip, s.peer_port)
    cap.note("Connect Request to 192.168.1.252:53577", f_req)
    cap.wait(0.4)
    s.peer_conn = TcpConn(cap, s.relay_host, s.relay_port, s.peer, s.peer_port) \
        .belongs(s.number, "peer")
    s.peer_conn.handshake(rtt_ms=1.2)
    cap.wait(0.3)
    resp = Msg(CONNECT_OK, req.tid).connection_id(s.conn_id).software().encode(s.server_key)
    f = s.ctl.send_msgs(1, [(F_RAW, resp)])
    cap.note("Connect Success Response with CONNECTION-ID %d" % s.conn_id, f)
    cap.wait(0.4)
    s.ctl.ack(0)
    cap.wait(5.0)
    s.connection_bind(server_ms=1.5)
    cap.expect(s.bind_frames[1], ICE_EXPERTS["no ICE checks"])
    cap.wait(20.0)
    # data on the connection: peer conn client side is the server here
    for i in range(3):
        pkt = rtp_packet(cap.det, 500 + i, 16000 * i, 0x0A0B0C0D, 120 + 40 * i)
        s.data.send_msgs(0, [(F_4571, pkt)])
        cap.wait(0.25)
        s.peer_conn.send_msgs(0, [(F_4571, pkt)])
        cap.wait(1.5)
        back = rtp_packet(cap.det, 900 + i, 16000 * i, 0x1A2B3C4D, 100 + 30 * i)
        s.peer_conn.send_msgs(1, [(F_4571, back)])
        cap.wait(0.25)
        s.data.send_msgs(1, [(F_4571, back)])
        cap.wait(20.0)
    s.data.ack(0)
    s.peer_conn.ack(0)
    cap.wait(30.0)
    # a Connect that fails: the peer refuses the connection
    peer2 = h["edge2"]
    req = Msg(CONNECT_REQ, s.tid()).xor_addr(A_XOR_PEER, peer2.ip, 50000).username(TURN_USER) \
        .realm(TURN_REALM).nonce(s.nonce).encode(s.key)
    f_req = s.ctl.send_msgs(0, [(F_RAW, req)])
    s.add_peer(peer2.ip, 50000)
    cap.wait(0.4)
    refused = TcpConn(cap, s.relay_host, 24001, peer2, 50000)
    refused.refuse()
    cap.wait(0.3)
    resp = Msg(CONNECT_ERR, req.tid).error(447).software().encode(s.server_key)
    f = s.ctl.send_msgs(1, [(F_RAW, resp)])
    cap.note("Connect to 192.168.1.253:50000: SYN refused, 447 Connection Timeout or Failure", f)
    cap.wait(0.4)
    s.ctl.ack(0)
    cap.wait(300.0)
    s.peer_conn.close(0, rtt_ms=1.2)
    cap.wait(1.0)
    s.data.close(0)
    cap.wait(1.0)
    s.ctl.close(0)


def stress_session(cap, h):
    s = seed_like_session(cap, h)
    s.allocate()
    cap.wait(5.0)
    return s

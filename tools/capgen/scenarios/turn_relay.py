# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""Scenarios: IETF TURN relays (RFC 8656 allocations of a UDP relay) over
UDP and TCP, one capture per verdict of the TURN relay session: its
permissions, channels, data and ICE checks per peer, and how allocations
fail, expire and end."""
from ..common import PEER_PWD, PEER_UFRAG, RELAY_PWD, RELAY_UFRAG, WRONG_PASSWORD
from ..ice import IceAgent
from ..net import Host
from ..relay import TurnRelaySession
from ..stun import rtcp_receiver_report, rtp_packet
from ..tcpconn import TcpConn
from ..turn import TcpCarrier, TurnClient, UdpCarrier
from .base import scenario

CLIENT_IP, SERVER_IP, MAPPED_IP = "10.95.0.10", "10.95.0.1", "198.51.100.95"
SERVER_IP6 = "2001:db8:95::1"
PEER_A = ("192.0.2.41", 50041)              # the far end of the call
PEER_B = ("172.16.5.20", 50002)             # a private address the server's policy forbids
PEER_C = ("192.0.2.43", 50043)              # an address nobody asked a permission for
PEER_V6 = ("2001:db8:95:1::41", 50061)
CHANNEL = 0x4000
OPUS = 111                                  # the payload type WebRTC gives Opus


def relay_client(cap, tcp=False, cport=51000, relay_port=49950, **kw):
    """A WebRTC client's allocation on the lab's TURN server 10.95.0.1:3478,
    over UDP (read with `-o msturn.udp:TRUE`) or over one TCP connection;
    the sessions truth reads the 5-tuple back.  Returns the client and, over
    TCP, its connection."""
    client = Host(CLIENT_IP, "00:50:56:aa:95:10")
    server = Host(SERVER_IP, "00:15:5d:0a:95:01")
    conn = None
    if tcp:
        conn = TcpConn(cap, client, cport, server, 3478)
        conn.handshake()
        cap.wait(0.4)
        carrier = TcpCarrier(cap, conn)
    else:
        cap.args = ["-o", "msturn.udp:TRUE"]
        carrier = UdpCarrier(cap, client, cport, server, 3478)
    TurnRelaySession(cap, carrier.flow())
    return TurnClient(cap, carrier, SERVER_IP, relay_port, MAPPED_IP, cport, **kw), conn


def agents(cap):
    """The client controls (it made the offer, RFC 8445 6.1.1); the peer is
    controlled.  Both check from peer-reflexive priorities."""
    return (IceAgent(cap.det, RELAY_UFRAG, RELAY_PWD, True, 0x6E7F1EFF),
            IceAgent(cap.det, PEER_UFRAG, PEER_PWD, False, 0x6E7F00FF))


def ice_both_ways(cap, t, path, me, it, nominate=True):
    """A check each way through the relay and its answer: the client's check
    reaches the peer from the relayed address, the peer's answer names it;
    the peer's check reaches the client from the peer's own address."""
    chk = me.check(it, nominate=nominate)
    f = path.to_peer(chk)
    cap.wait(38.0)
    path.from_peer(it.answer(chk, *t.relay))
    cap.wait(1.5)
    chk = it.check(me)
    path.from_peer(chk)
    cap.wait(0.8)
    last = path.to_peer(me.answer(chk, path.ip, path.port))
    return f, last


def media(cap, path, rounds, seq, pad_back=False, back=True, step_ms=20.0):
    """Opus in RTP every 20 ms, the client's first then the peer's; sizes
    vary, so that ChannelData lengths are not all multiples of 4."""
    det = cap.det
    first = None
    for i in range(rounds):
        f = path.to_peer(rtp_packet(det, seq + i, 960 * (seq + i), 0x95950001, 61 + det.below(90),
                                    pt=OPUS))
        first = first or f
        if back:
            cap.wait(3.0)
            path.from_peer(rtp_packet(det, 7000 + seq + i, 960 * (seq + i), 0x95950002,
                                      61 + det.below(90), pt=OPUS), pad=pad_back)
        cap.wait(step_ms)
    return first


def valid_call(cap, t, tcp=False):
    """The ladder of turn_relay_valid and turn_relay_tcp."""
    f = t.allocate()
    cap.note("Allocate (401, then success): relayed %s:%d" % t.relay, f)
    a, b = t.peer(*PEER_A), t.peer(*PEER_B)
    f = t.permission(a, b, result=403)
    cap.note("CreatePermission naming two XOR-PEER-ADDRESSes, %s and %s: the server's policy "
             "forbids the second, 403 for the whole request (RFC 8656 10.2)" % (PEER_A[0], PEER_B[0]), f)
    f = t.permission(a)
    cap.note("CreatePermission for %s alone: success" % PEER_A[0], f)
    me, it = agents(cap)
    f, last = ice_both_ways(cap, t, a, me, it)
    cap.note("ICE check to the peer in a Send indication (USERNAME, ICE-CONTROLLING, "
             "USE-CANDIDATE, PRIORITY, MESSAGE-INTEGRITY, FINGERPRINT)", f)
    cap.note("The client answers the peer's check: the fourth kind of check, ICE valid through "
             "the relay", last)
    cap.wait(12.0)
    f = a.bind(CHANNEL)
    cap.note("ChannelBind 0x%04x for %s:%d: success" % ((CHANNEL,) + PEER_A), f)
    f = media(cap, a, 6, 1, pad_back=True)
    cap.note("RTP in ChannelData: " + ("padded to 4 bytes both ways (RFC 8656 12.5)" if tcp else
                                       "the client's unpadded, the server's padded to 4 bytes"), f)
    # RFC 7675: consent freshness, a check and its answer every few seconds
    chk = me.check(it)
    f = a.to_peer(chk)
    cap.note("Consent check (RFC 7675) in ChannelData", f)
    cap.wait(38.0)
    a.from_peer(it.answer(chk, *t.relay), pad=True)
    media(cap, a, 2, 7, pad_back=True)
    f = t.refresh()
    cap.note("Refresh: success, LIFETIME 600", f)
    media(cap, a, 2, 9, pad_back=True)
    cap.wait(200.0)
    f = t.refresh(lifetime=0)
    cap.note("Hang-up: Refresh with LIFETIME 0 deletes the allocation (RFC 8656 8)", f)


@scenario("turn_relay_valid")
def turn_relay_valid(cap):
    """A WebRTC client's call through TURN over UDP 3478 (read with `-o
    msturn.udp:TRUE`): an allocation (401, then success), a CreatePermission
    naming two peers refused with 403 because one of them is an address the
    server forbids, a CreatePermission for the other alone; ICE checks both
    ways in Send and Data indications, then a channel and RTP in ChannelData
    (the client's unpadded, the server's padded), a consent check, a
    Refresh, and the hang-up's Refresh with LIFETIME 0.  A TURN relay
    session: `ICE valid through the relay`; its peers 192.0.2.41:50041 (ICE
    valid) and 172.16.5.20:50002 (`403 at CreatePermission`)."""
    t, _ = relay_client(cap)
    valid_call(cap, t)


@scenario("turn_relay_tcp")
def turn_relay_tcp(cap):
    """turn_relay_valid's ladder over one TCP connection to 3478 (RFC 8656
    3.1): messages back to back, ChannelData padded to 4 bytes both ways
    (12.5), FIN at the end.  `ICE valid through the relay`; every segment of
    the connection is the session's."""
    t, conn = relay_client(cap, tcp=True, cport=51010, relay_port=49952)
    valid_call(cap, t, tcp=True)
    cap.wait(2.0)
    conn.close(0)


@scenario("turn_relay_401_loop")
def turn_relay_401_loop(cap):
    """A client configured with the wrong password (`Expressway-lab-2`):
    its Allocate is challenged with 401, and each signed retry is refused
    with 401 again, since its MESSAGE-INTEGRITY does not verify (RFC 8489
    9.2.4); it gives up after two.  `401 loop at Allocate`, no relayed
    address."""
    t, _ = relay_client(cap, cport=51020, password=WRONG_PASSWORD)
    t.allocate_challenge()
    cap.wait(30.0)
    for _ in range(2):
        f = t.allocate_auth(result=401)
        cap.wait(500.0)
    cap.note("The last 401: the client gives up", f)


@scenario("turn_relay_438_loop")
def turn_relay_438_loop(cap):
    """Two TURN servers behind one address that share no nonce secret: the
    challenge hands a nonce, and every signed Allocate lands on the server
    that did not issue it and is answered 438 Stale Nonce with a nonce of
    its own (RFC 8489 9.2.4); after three the client gives up.  `438 loop
    at Allocate`."""
    t, _ = relay_client(cap, cport=51030)
    t.allocate_challenge()
    for _ in range(3):
        cap.wait(25.0)
        f = t.allocate_auth(result=438)
    cap.note("The third 438, each with the other server's nonce", f)


@scenario("turn_relay_437")
def turn_relay_437(cap):
    """A softphone without ICE sends its RTP through the relay: a
    permission and a channel for its peer, RTP both ways in ChannelData
    (unpadded both ways), and RTCP without rtcp-mux to and from the peer's
    next port in Send and Data indications: a second peer at the same
    address, under the same permission (RFC 8656 9); then the server,
    restarted meanwhile, has lost the allocation and answers the Refresh
    437 Allocation Mismatch (RFC 8656 8).  `437 at Refresh` (both peers:
    `data both ways, no ICE checks`)."""
    t, _ = relay_client(cap, cport=51040, relay_port=49954)
    t.allocate()
    a = t.peer(*PEER_A)
    t.permission(a)
    a.bind(CHANNEL)
    media(cap, a, 8, 100)
    # RFC 3550 11: RTCP on the next port up when it is not multiplexed
    rtcp = t.peer(PEER_A[0], PEER_A[1] + 1)
    for _ in range(2):
        f = rtcp.to_peer(rtcp_receiver_report(0x95950001, 0x95950002))
        cap.wait(12.0)
        rtcp.from_peer(rtcp_receiver_report(0x95950002, 0x95950001))
        cap.wait(40.0)
    cap.note("RTCP to %s:%d in Send indications: the same address's permission" %
             (PEER_A[0], PEER_A[1] + 1), f)
    cap.wait(2000.0)
    f = t.refresh(result=437)
    cap.note("Refresh: 437 Allocation Mismatch, the allocation is gone", f)


@scenario("turn_relay_486")
def turn_relay_486(cap):
    """The user already holds as many allocations as the server allows: the
    signed Allocate is refused with 486 Allocation Quota Reached (RFC 8656
    7.2).  `486 at Allocate`."""
    t, _ = relay_client(cap, cport=51050)
    t.allocate_challenge()
    cap.wait(20.0)
    f = t.allocate_auth(result=486)
    cap.note("486 Allocation Quota Reached", f)


@scenario("turn_relay_508")
def turn_relay_508(cap):
    """The server has no relayed port left: the signed Allocate gets 508
    Insufficient Capacity (RFC 8656 7.2), and so does a retry a second
    later.  `508 at Allocate`: only 401 and 438 make a loop."""
    t, _ = relay_client(cap, cport=51060)
    t.allocate_challenge()
    cap.wait(20.0)
    t.allocate_auth(result=508)
    cap.wait(1000.0)
    f = t.allocate_auth(result=508)
    cap.note("The retry: 508 again", f)


@scenario("turn_relay_403_channel")
def turn_relay_403_channel(cap):
    """The client binds a channel to its peer straight away (a ChannelBind
    installs the permission itself, RFC 8656 12.2) and the server's policy
    refuses the peer: 403 Forbidden.  Nothing is relayed; at the end of the
    call the client deletes the allocation (Refresh LIFETIME 0).  `403 at
    ChannelBind`: a peer's failure says more than the deallocation."""
    t, _ = relay_client(cap, cport=51070, relay_port=49956)
    t.allocate()
    a = t.peer(*PEER_A)
    f = a.bind(CHANNEL, result=403)
    cap.note("ChannelBind 0x%04x for %s:%d: 403 Forbidden" % ((CHANNEL,) + PEER_A), f)
    cap.wait(3000.0)
    t.refresh(lifetime=0)


@scenario("turn_relay_expired")
def turn_relay_expired(cap):
    """An allocation of LIFETIME 600 s whose client exchanges data with its
    peer in Send and Data indications (no ICE), then sleeps for 700 s
    without a Refresh; on waking it sends a Send indication, after the
    allocation's lifetime (RFC 8656 7) and its permission's 300 s (9).
    `allocation expired`; the peer: `data without permission: dropped by
    the server`."""
    t, _ = relay_client(cap, cport=51080, relay_port=49958)
    t.allocate()
    a = t.peer(*PEER_A)
    t.permission(a)
    media(cap, a, 4, 200)
    cap.wait(700000.0)
    f = a.to_peer(rtp_packet(cap.det, 204, 960 * 204, 0x95950001, 80, pt=OPUS))
    cap.note("700 s later: a Send indication after the lifetime ran out", f)


@scenario("turn_relay_deallocated")
def turn_relay_deallocated(cap):
    """The call's media went host to host, so the relay was never used: no
    permission, no peer; a Refresh after 5 minutes keeps the allocation,
    and at the end of the call Refresh with LIFETIME 0 deletes it (RFC 8656
    8).  `deallocated (LIFETIME 0)`."""
    t, _ = relay_client(cap, cport=51090, relay_port=49960)
    t.allocate()
    cap.wait(300000.0)
    t.refresh()
    cap.wait(45000.0)
    f = t.refresh(lifetime=0)
    cap.note("Refresh LIFETIME 0: success with LIFETIME 0", f)


@scenario("turn_relay_oneway")
def turn_relay_oneway(cap):
    """The client's checks (Send indications, each with a new transaction)
    and then its RTP in ChannelData go to the peer and nothing ever comes
    back: the peer's firewall drops the relay's packets.  `one way: nothing
    back from the peer`."""
    t, _ = relay_client(cap, cport=51100, relay_port=49962)
    t.allocate()
    a = t.peer(*PEER_A)
    t.permission(a)
    me, it = agents(cap)
    for wait in (50.0, 100.0, 200.0):
        a.to_peer(me.check(it))
        cap.wait(wait)
    a.bind(CHANNEL)
    f = media(cap, a, 5, 300, back=False)
    cap.note("RTP to the peer in ChannelData; nothing comes back", f)


@scenario("turn_relay_no_permission")
def turn_relay_no_permission(cap):
    """The client asks a permission for one of the peer's candidates, then
    sends its checks and RTP in Send indications to another address of the
    peer (a candidate that trickled in late) for which it never asked a
    permission: the server drops them (RFC 8656 11.2).  `data without
    permission: dropped by the server`; the permitted address: `no data`."""
    t, _ = relay_client(cap, cport=51110, relay_port=49964)
    t.allocate()
    t.permission(t.peer(*PEER_A))
    c = t.peer(*PEER_C)
    me, it = agents(cap)
    f = c.to_peer(me.check(it))
    cap.note("Send indication to %s, which has no permission" % PEER_C[0], f)
    cap.wait(50.0)
    c.to_peer(me.check(it))
    cap.wait(100.0)
    media(cap, c, 3, 400, back=False)


@scenario("turn_relay_dual")
def turn_relay_dual(cap):
    """A dual-stack allocation (RFC 8656 7.1, 18.11): the Allocate asks for
    ADDITIONAL-ADDRESS-FAMILY IPv6 and the success carries two
    XOR-RELAYED-ADDRESSes, IPv4 then IPv6.  The peer is IPv6: permission,
    channel, ICE checks both ways in ChannelData (the peer's answer names
    the IPv6 relayed address) and RTP.  `ICE valid through the relay`."""
    t, _ = relay_client(cap, cport=51120, relay_port=49966)
    relayed = [(SERVER_IP, 49966), (SERVER_IP6, 49968)]
    f = t.allocate(family6=True, relayed=relayed)
    cap.note("Allocate success: relayed %s:%d and [%s]:%d" % (relayed[0] + relayed[1]), f)
    t.relay = relayed[1]        # the address an IPv6 peer sees the client's packets come from
    a = t.peer(*PEER_V6)
    t.permission(a)
    a.bind(CHANNEL)
    me, it = agents(cap)
    f, _last = ice_both_ways(cap, t, a, me, it)
    cap.note("ICE checks both ways in ChannelData", f)
    media(cap, a, 4, 500)


@scenario("turn_relay_ice_partial")
def turn_relay_ice_partial(cap):
    """The client's checks reach the peer and are answered, but the peer
    never checks back (an ICE-lite peer that forgot its role): RTP flows
    both ways in ChannelData all the same.  `ICE one-way: no success from
    client`: no Binding success ever goes from the client to the peer."""
    t, _ = relay_client(cap, cport=51130, relay_port=49970)
    t.allocate()
    a = t.peer(*PEER_A)
    t.permission(a)
    me, it = agents(cap)
    for _ in range(2):
        chk = me.check(it)
        a.to_peer(chk)
        cap.wait(38.0)
        a.from_peer(it.answer(chk, *t.relay))
        cap.wait(400.0)
    a.bind(CHANNEL)
    media(cap, a, 4, 600, pad_back=True)

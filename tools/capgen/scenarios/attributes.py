# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""Scenarios: every registered attribute and error code, classic STUN (RFC 3489), TURN over UDP."""
import struct

from ..common import (
    ALLOCATE_ERR, ALLOCATE_OK, ALLOCATE_REQ, A_ICE_CONTROLLING, A_MAPPED, A_PRIORITY,
    A_SOFTWARE, A_USE_CANDIDATE, A_XOR_MAPPED, A_XOR_PEER, A_XOR_RELAYED, BINDING_IND,
    BINDING_OK, BINDING_REQ, CLASSIC_PASSWORD, CLASSIC_USER, CREATEPERM_OK, CREATEPERM_REQ,
    ICE_SHA256_PASSWORD, ICE_SHA256_USER, NONCE_1, TURN_REALM, TURN_USER, long_term_key,
)
from ..net import Host, ethernet, ip_packet, udp_datagram
from ..relay import TurnRelaySession
from ..stun import Msg, channel_send, rtcp_receiver_report, rtp_packet, udp_send
from ..wire import UdpTuple
from .base import scenario


# Error codes and their names: the IANA STUN Error Codes registry (RFC 8489
# 18.3), RFC 3489 11.2.9, [MS-TURN] 2.2.2.6 and [MS-ICE2BWM].
REGISTRY_ERRORS = [
    (274, "Disable Candidate"), (275, "Disable Candidate Pair"), (300, "Try Alternate"),
    (400, "Bad Request"), (401, "Unauthenticated"), (403, "Forbidden"),
    (405, "Mobility Forbidden"), (420, "Unknown Attribute"), (430, "Stale Credentials"),
    (431, "Integrity Check Failure"), (432, "Missing Username"), (433, "Use TLS"),
    (434, "Missing Realm"), (435, "Missing Nonce"), (436, "Unknown Username"),
    (437, "Allocation Mismatch"), (438, "Stale Nonce"), (440, "Address Family not Supported"),
    (441, "Wrong Credentials"), (442, "Unsupported Transport Protocol"),
    (443, "Peer Address Family Mismatch"), (446, "Connection Already Exists"),
    (447, "Connection Timeout or Failure"), (486, "Allocation Quota Reached"),
    (487, "Role Conflict"), (500, "Server Error"), (508, "Insufficient Capacity"),
    (600, "Global Failure"),
]


@scenario("registry_values")
def registry_values(cap):
    """Attributes of the IANA STUN Attributes registry with structured
    values, over UDP 3478 (read with `-o msturn.udp:TRUE`): an RFC 5780
    Binding with CHANGE-REQUEST A and B; an Allocate with EVEN-PORT R,
    ADDITIONAL-ADDRESS-FAMILY and PASSWORD-ALGORITHMS, answered with
    ADDRESS-ERROR-CODE; a Data indication with ICMP; a WebRTC check with
    GOOG-NETWORK-INFO and the other GOOG-* attributes; a Microsoft 0x8006; an
    unregistered 0xC0FF (still unknown); and one Binding error response for
    every registered error code.  The Allocate makes the 5-tuple a TURN
    relay session, whose one peer only sent the ICMP of the Data indication:
    `one way: nothing from the client`."""
    client = Host("10.60.0.10", "00:50:56:aa:60:10")
    server = Host("10.60.0.1", "00:15:5d:0a:60:01")
    peer = Host("192.0.2.60", "00:0c:29:01:60:60")
    cap.args = ["-o", "msturn.udp:TRUE"]
    det = cap.det
    # the Allocate below asks for a UDP relay: the 5-tuple is a TURN relay
    # session, whose only peer is named by the Data indication
    TurnRelaySession(cap, UdpTuple(cap, client, 50100, server, 3478))

    def send(frm, m):
        src, dst = (client, server) if frm == 0 else (server, client)
        sp, dp = (50100, 3478) if frm == 0 else (3478, 50100)
        f = udp_send(cap, src, sp, dst, dp, m)
        cap.wait(4.0 if frm == 0 else 0.5)
        return f

    # RFC 5780 7.2: A (0x4) change IP, B (0x2) change port
    req = Msg(BINDING_REQ, det.bytes(12)) \
        .attr(0x0003, struct.pack("!I", 0x6), "msturn.att.change_request.change_ip", "1") \
        .attr(0x0027, struct.pack("!HH", 40001, 0), "msturn.att.response_port", "40001") \
        .attr(0x0026, bytes(8)).encode()
    req.values.append(("msturn.att.change_request.change_port", "1"))
    send(0, req)
    ok = Msg(BINDING_OK, req.tid).xor_addr(A_XOR_MAPPED, "198.51.100.60", 40001) \
        .address(0x802B, "10.60.0.2", 3479, "response_origin") \
        .address(0x802C, "10.60.0.2", 3479, "other_address").encode()
    send(1, ok)

    # RFC 8656 18.7 EVEN-PORT R bit; 18.11 ADDITIONAL-ADDRESS-FAMILY (IPv6);
    # RFC 8489 14.11 PASSWORD-ALGORITHMS: MD5 and SHA-256, no parameters
    algs = struct.pack("!HH", 1, 0) + struct.pack("!HH", 2, 0)
    alloc = Msg(ALLOCATE_REQ, det.bytes(12)).transport(17) \
        .attr(0x0018, b"\x80", "msturn.att.even_port.reserve_next", "1") \
        .attr(0x8000, struct.pack("!B3x", 2), "msturn.att.additional_family", "0x02") \
        .attr(0x8002, algs, "msturn.att.password_algorithms.algorithm", "0x0001").encode()
    alloc.values.append(("msturn.att.password_algorithms.algorithm", "0x0002"))
    send(0, alloc)
    # RFC 8656 18.12: IPv4 allocated, IPv6 refused with 440
    aok = Msg(ALLOCATE_OK, alloc.tid).xor_addr(A_XOR_RELAYED, "10.60.0.1", 49200) \
        .attr(0x8001, struct.pack("!BBBB", 2, 0, 4, 40) + b"Address Family not Supported",
              "msturn.att.address_error_code", "440") \
        .lifetime(600).encode()
    aok.values += [("msturn.att.address_error_code.family", "0x02"),
                   ("msturn.att.address_error_code.reason", "Address Family not Supported")]
    send(1, aok)

    # RFC 8656 18.13 in a Data indication (11.6): ICMP type 3 code 1
    ind = Msg(0x0017, det.bytes(12)).xor_addr(A_XOR_PEER, "192.0.2.60", 5004) \
        .attr(0x8004, struct.pack("!HBBI", 0, 3, 1, 0), "msturn.att.icmp.type", "3").encode()
    ind.values += [("msturn.att.icmp.code", "1"), ("msturn.att.icmp.error_data", "0x00000000")]
    send(1, ind)

    # A WebRTC connectivity check: GOOG-NETWORK-INFO (network 1, cost 10)
    chk = Msg(BINDING_REQ, det.bytes(12)).username("wRtC:aBcD") \
        .attr(0xC057, struct.pack("!HH", 1, 10), "msturn.att.goog_network_info.network_id", "1") \
        .u32(A_PRIORITY, 0x7E7F1EFF).attr(A_ICE_CONTROLLING, det.bytes(8)).empty(A_USE_CANDIDATE) \
        .attr(0xC059, struct.pack("!HH", 1, 0)).attr(0xC058, det.bytes(12)) \
        .attr(0xC05B, det.bytes(4)).attr(0xFF05, b"0123abcd").attr(0xC0FF, det.bytes(4)) \
        .attr(0x8025, struct.pack("!HBB", 0, 2, 0), "msturn.att.transaction_transmit_counter.req", "2") \
        .encode()
    chk.values += [("msturn.att.goog_network_info.network_cost", "10"),
                   ("msturn.att.transaction_transmit_counter.resp", "0")]
    f = send(0, chk)
    cap.expect(f, "msturn.att.unknown.optional")
    cap.note("WebRTC check: GOOG-NETWORK-INFO, GOOG-MISC-INFO, GOOG-LAST-ICE-CHECK-RECEIVED, "
             "GOOG-CONNECTION-ID, GOOG-LOGGING-ID; 0xC0FF nobody registered", f)
    send(1, Msg(BINDING_OK, chk.tid).xor_addr(A_XOR_MAPPED, "198.51.100.60", 40001).encode())

    # Microsoft's undocumented 0x8006 and the vendor entries of the registry
    vend = Msg(BINDING_IND, det.bytes(12)).attr(0x8006, det.bytes(4)).attr(0xC000, det.bytes(8)) \
        .attr(0xC001, det.bytes(4)).attr(0xC002, det.bytes(4)).encode()
    send(0, vend)

    # Lying lengths inside values: every decoder says so and the message goes
    # on to the SOFTWARE after them
    bad = Msg(BINDING_IND, det.bytes(12)) \
        .attr(0x8002, struct.pack("!HH", 1, 40) + bytes(4)) \
        .attr(0x001D, struct.pack("!HHHH", 2, 0, 1, 0)) \
        .attr(0x8004, bytes(4)).attr(0xC057, bytes(2)).attr(0x0018, bytes(4)) \
        .attr(0x8001, bytes(2)).attr(0x001C, bytes(12)).attr(0x0003, bytes(2)) \
        .string(A_SOFTWARE, "after the bad values", "msturn.att.software").encode()
    f = send(0, bad)
    cap.expect(f, "msturn.att.bad_length")
    cap.note("Values with lying lengths (PASSWORD-ALGORITHMS, PASSWORD-ALGORITHM, ICMP, "
             "GOOG-NETWORK-INFO, EVEN-PORT, ADDRESS-ERROR-CODE, MESSAGE-INTEGRITY-SHA256, "
             "CHANGE-REQUEST), then SOFTWARE", f)

    for code, name in REGISTRY_ERRORS:
        r = Msg(BINDING_REQ, det.bytes(12)).software("registry lab").encode()
        send(0, r)
        send(1, Msg(0x0111, r.tid).error(code, name).encode())


@scenario("classic_3489")
def classic_3489(cap):
    """RFC 3489 classic STUN over UDP 3478 (read with `-o msturn.udp:TRUE`):
    a Binding Request with USERNAME, an attribute RFC 3489 does not define
    (0x0031, shown as unknown) and MESSAGE-INTEGRITY computed as RFC 3489
    11.2.8 says (the text zero-padded to a multiple of 64 bytes); its
    response with MAPPED-, SOURCE- and CHANGED-ADDRESS.  Then RFC 8489 ICE
    checks signed with MESSAGE-INTEGRITY-SHA256 of 16, 24 and 32 bytes
    (14.6: the leading bytes of the HMAC)."""
    client = Host("10.80.0.10", "00:50:56:aa:80:10")
    server = Host("10.80.0.1", "00:15:5d:0a:80:01")
    cap.args = ["-o", "msturn.udp:TRUE"]
    det = cap.det
    secret = CLASSIC_PASSWORD.encode()

    def send(frm, m, sport=50300):
        src, dst = (client, server) if frm == 0 else (server, client)
        sp, dp = (sport, 3478) if frm == 0 else (3478, sport)
        f = udp_send(cap, src, sp, dst, dp, m)
        cap.wait(3.0 if frm == 0 else 0.4)
        return f

    req = Msg(BINDING_REQ, det.bytes(16), classic=True).username(CLASSIC_USER) \
        .attr(0x0031, det.bytes(4)).encode(secret, fingerprint=False)
    f = send(0, req)
    cap.expect(f, "msturn.att.unknown.required")
    cap.note("RFC 3489 Binding Request: USERNAME, unknown 0x0031, MESSAGE-INTEGRITY over "
             "the text padded to 64 bytes", f)
    ok = Msg(BINDING_OK, req.tid, classic=True).address(A_MAPPED, "198.51.100.80", 50300, "mapped") \
        .address(0x0004, "10.80.0.1", 3478, "source_address") \
        .address(0x0005, "10.80.0.2", 3479, "changed_address").encode(secret, fingerprint=False)
    send(1, ok)

    key = ICE_SHA256_PASSWORD.encode()
    for n in (16, 24, 32):
        chk = Msg(BINDING_REQ, det.bytes(12)).username(ICE_SHA256_USER + ":peer") \
            .u32(A_PRIORITY, 0x6E7F1EFF).encode(key, sha256_len=n)
        send(0, chk, 50310)
        rsp = Msg(BINDING_OK, chk.tid).xor_addr(A_XOR_MAPPED, "198.51.100.80", 50310) \
            .encode(key, sha256_len=n)
        f = send(1, rsp, 50310)
        cap.note("ICE check and response, MESSAGE-INTEGRITY-SHA256 of %d bytes" % n, f)


@scenario("udp_turn")
def udp_turn(cap):
    """TURN over UDP (read with `-o msturn.udp:TRUE`): on 3478 an allocation
    (401, then success), CreatePermission and ChannelBind 0x4001, then
    ChannelData both ways carrying RTP, RTCP and an ICE check with its
    response (one datagram padded to 4 bytes, 12.5); the same on a server
    port that only the heuristic finds (3479), where ChannelData counts only
    on the 5-tuple that carried TURN requests (channel 0x4002, never bound
    there, is marked so); ChannelData-shaped datagrams between two other
    hosts are not TURN.  Last,
    a WebRTC pair checks connectivity peer to peer and sends RTP and RTCP on
    the same 5-tuple.  Each allocation is a TURN relay session; the peer
    checks and the client answers, but no check goes the other way: `ICE
    one-way: no success from peer`."""
    client = Host("10.70.0.10", "00:50:56:aa:70:10")
    turn = Host("10.70.0.1", "00:15:5d:0a:70:01")
    peer = Host("192.0.2.70", "00:0c:29:01:70:70")
    cap.args = ["-o", "msturn.udp:TRUE"]
    det = cap.det
    key = long_term_key()

    for sport, cport, relay_port in ((3478, 50400, 49400), (3479, 50402, 49402)):
        def send(frm, m, sport=sport, cport=cport):
            src, dst = (client, turn) if frm == 0 else (turn, client)
            sp, dp = (cport, sport) if frm == 0 else (sport, cport)
            f = udp_send(cap, src, sp, dst, dp, m)
            cap.wait(5.0 if frm == 0 else 0.6)
            return f

        def channel(frm, m, ch=0x4001, pad=False, sport=sport, cport=cport):
            src, dst = (client, turn) if frm == 0 else (turn, client)
            sp, dp = (cport, sport) if frm == 0 else (sport, cport)
            f = channel_send(cap, src, sp, dst, dp, ch, m, pad)
            cap.wait(10.0)
            return f

        TurnRelaySession(cap, UdpTuple(cap, client, cport, turn, sport))
        a1 = Msg(ALLOCATE_REQ, det.bytes(12)).transport(17).encode()
        send(0, a1)
        send(1, Msg(ALLOCATE_ERR, a1.tid).error(401).realm(TURN_REALM).nonce(NONCE_1).encode())
        a2 = Msg(ALLOCATE_REQ, det.bytes(12)).transport(17).username(TURN_USER).realm(TURN_REALM) \
            .nonce(NONCE_1).encode(key)
        send(0, a2)
        send(1, Msg(ALLOCATE_OK, a2.tid).xor_addr(A_XOR_RELAYED, "10.70.0.1", relay_port)
             .xor_addr(A_XOR_MAPPED, "198.51.100.70", cport).lifetime(600).encode(key))
        cp = Msg(CREATEPERM_REQ, det.bytes(12)).xor_addr(A_XOR_PEER, "192.0.2.70", 0) \
            .username(TURN_USER).realm(TURN_REALM).nonce(NONCE_1).encode(key)
        send(0, cp)
        send(1, Msg(CREATEPERM_OK, cp.tid).encode(key))
        # RFC 8656 11.1: CHANNEL-NUMBER, 2 bytes then RFFU
        cb = Msg(0x0009, det.bytes(12)) \
            .attr(0x000C, struct.pack("!HH", 0x4001, 0), "msturn.att.channel", str(0x4001)) \
            .xor_addr(A_XOR_PEER, "192.0.2.70", 5004).username(TURN_USER).realm(TURN_REALM) \
            .nonce(NONCE_1).encode(key)
        send(0, cb)
        f = send(1, Msg(0x0109, cb.tid).encode(key))
        cap.note("ChannelBind success: channel 0x4001 bound on server port %d" % sport, f)

        ssrc = 0x70700000 + sport
        for i in range(3):
            channel(0, rtp_packet(det, 3000 + i, 160 * i, ssrc, 160))
            channel(1, rtp_packet(det, 7000 + i, 160 * i, ssrc + 1, 160), pad=(i == 1))
        channel(0, rtcp_receiver_report(ssrc, ssrc + 1))
        ice = Msg(BINDING_REQ, det.bytes(12)).u32(A_PRIORITY, 0x6E7F1EFF).encode()
        channel(1, ice)
        channel(0, Msg(BINDING_OK, ice.tid).xor_addr(A_XOR_MAPPED, "10.70.0.1", relay_port).encode())
        if sport == 3479:
            f = channel(0, rtp_packet(det, 3100, 0, ssrc, 160), ch=0x4002)
            cap.expect(f, "msturn.channel.unbound")
            cap.note("ChannelData on channel 0x4002, never bound: decoded on this TURN 5-tuple, "
                     "marked unbound", f)
        cap.wait(500.0)

    # ChannelData-shaped datagrams where no TURN was seen
    a = Host("10.70.2.10", "00:50:56:aa:72:10")
    b = Host("10.70.2.20", "00:50:56:aa:72:20")
    for i in range(2):
        body = det.bytes(36)
        f = cap.add(ethernet(a, b, ip_packet(a, b, 17, udp_datagram(
            a, 51000, b, 51002, struct.pack("!HH", 0x4001, len(body)) + body))))
        cap.wait(20.0)
    cap.note("Datagrams shaped like ChannelData 0x4001 on a 5-tuple with no ChannelBind: not TURN", f)

    # WebRTC peer to peer: ICE checks, then RTP and RTCP on the same 5-tuple
    x = Host("10.70.1.10", "00:50:56:aa:71:10")
    y = Host("10.70.1.20", "00:50:56:aa:71:20")
    for frm in (0, 1):
        src, dst = (x, y) if frm == 0 else (y, x)
        sp, dp = (54000, 54002) if frm == 0 else (54002, 54000)
        chk = Msg(BINDING_REQ, det.bytes(12)).username("p2p%d:p2p%d" % (1 - frm, frm)) \
            .u32(A_PRIORITY, 0x7E7F1EFF).attr(0xC057, struct.pack("!HH", 1, 10),
                                               "msturn.att.goog_network_info.network_id", "1") \
            .encode()
        udp_send(cap, src, sp, dst, dp, chk)
        cap.wait(1.0)
        udp_send(cap, dst, dp, src, sp, Msg(BINDING_OK, chk.tid).xor_addr(A_XOR_MAPPED, str(src.ip), sp)
                 .encode())
        cap.wait(5.0)
    for i in range(4):
        for frm in (0, 1):
            src, dst = (x, y) if frm == 0 else (y, x)
            sp, dp = (54000, 54002) if frm == 0 else (54002, 54000)
            data = rtp_packet(det, 100 + i, 960 * i, 0x71710000 + frm, 120, pt=111) if i < 3 else \
                rtcp_receiver_report(0x71710000 + frm, 0x71710001 - frm)
            cap.add(ethernet(src, dst, ip_packet(src, dst, 17, udp_datagram(src, sp, dst, dp, data))))
            cap.wait(20.0)
    cap.note("WebRTC pair: RTP (payload type 111) and RTCP on the checked 5-tuple")

# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""Scenarios: what real clients put through TURN and beside it -- DTLS-SRTP
media relayed over UDP and TCP, vendor messages in STUN's clothes, classic
STUN on a neighbouring port."""
import struct

from ..common import A_MAPPED, A_PRIORITY, A_SOFTWARE, A_USERNAME, BINDING_OK, BINDING_REQ, \
    A_XOR_MAPPED
from ..media import (
    dtls_app_data, dtls_ccs_finished, dtls_client_hello, dtls_server_hello, rtp_lookalike,
    srtcp_first_packet_short, srtcp_packet, srtp_packet,
)
from ..net import Host
from ..stun import Msg, rtp_packet, udp_send
from ..tcpconn import TcpConn
from ..relay import TurnRelaySession
from ..turn import TcpCarrier, TurnClient, UdpCarrier, raw_udp
from .base import scenario

PEER_IP, PEER_PORT = "192.0.2.90", 61000
CHANNEL = 0x4000


def webrtc_relay(cap, t):
    """The ladder of a browser's call through its TURN allocation: a
    permission and a channel for the peer, ICE checks in Send and Data
    indications, the DTLS-SRTP handshake, then SRTP and SRTCP in both
    indications and ChannelData, DTLS application data (a data channel),
    the ciphertext look-alikes that real calls produce, and STUN again on
    the same 5-tuple once media has flowed (a Refresh, a consent check)."""
    det = cap.det
    f = t.allocate()
    cap.note("Allocate Success: relayed %s:%d" % t.relay, f)
    t.permission(PEER_IP)
    f = t.channel_bind(CHANNEL, PEER_IP, PEER_PORT)
    cap.note("ChannelBind Success: channel 0x%04x for %s:%d" % (CHANNEL, PEER_IP, PEER_PORT), f)

    chk = Msg(BINDING_REQ, det.bytes(12)).username("peer:self").u32(A_PRIORITY, 0x6E001EFF).encode()
    f = t.send_ind(PEER_IP, PEER_PORT, chk)
    cap.note("Send indication: ICE check to the peer", f)
    rsp = Msg(BINDING_OK, chk.tid).xor_addr(A_XOR_MAPPED, t.relay[0], t.relay[1]).encode()
    t.data_ind(PEER_IP, PEER_PORT, rsp)

    f = t.send_ind(PEER_IP, PEER_PORT, dtls_client_hello(det))
    cap.note("Send indication: DTLS ClientHello offering use_srtp (RFC 5764)", f)
    f = t.data_ind(PEER_IP, PEER_PORT, dtls_server_hello(det))
    cap.note("Data indication: ServerHello choosing SRTP_AES128_CM_HMAC_SHA1_80, ServerHelloDone", f)
    t.send_ind(PEER_IP, PEER_PORT, dtls_ccs_finished(det, 1))
    t.data_ind(PEER_IP, PEER_PORT, dtls_ccs_finished(det, 2))

    ssrc = 0x5E5E0000 | (det.u32() & 0xFFFF)
    for i in range(2):
        f = t.send_ind(PEER_IP, PEER_PORT, srtp_packet(det, 100 + i, 960 * i, ssrc, 90))
        t.data_ind(PEER_IP, PEER_PORT, srtp_packet(det, 500 + i, 960 * i, ssrc + 1, 90, extension=False))
    cap.note("SRTP in Send and Data indications (RTP header in the clear, payload and tag encrypted)", f)
    f = t.send_ind(PEER_IP, PEER_PORT, srtcp_packet(det, ssrc, 1))
    cap.note("SRTCP in a Send indication: RR header in the clear, encrypted rest, index, tag", f)
    f = t.data_ind(PEER_IP, PEER_PORT, rtp_lookalike(det))
    cap.note("Data indication carrying bytes that start like RTP, six CSRCs and an extension "
             "past the end: bytes", f)

    for i in range(3):
        f = t.channel(0, CHANNEL, srtp_packet(det, 102 + i, 960 * (2 + i), ssrc, 100))
        t.channel(1, CHANNEL, srtp_packet(det, 502 + i, 960 * (2 + i), ssrc + 1, 100))
    cap.note("SRTP in ChannelData both ways", f)
    f = t.channel(1, CHANNEL, srtcp_packet(det, ssrc + 1, 1, encrypted_len=52))
    cap.note("SRTCP in ChannelData", f)
    f = t.channel(0, CHANNEL, srtcp_first_packet_short(det, ssrc, 2))
    cap.note("SRTCP whose ciphertext reads as a second RTCP header claiming 143 984 bytes: "
             "not handed to RTCP", f)
    f = t.channel(0, CHANNEL, dtls_app_data(det, 3, 120))
    cap.note("DTLS application data (a data channel) in ChannelData", f)
    t.channel(1, CHANNEL, dtls_app_data(det, 3, 80))

    f = t.refresh()
    cap.note("Refresh on the same 5-tuple after the media", f)
    chk = Msg(BINDING_REQ, det.bytes(12)).username("peer:self").u32(A_PRIORITY, 0x6E001EFF).encode()
    f = t.channel(0, CHANNEL, chk)
    cap.note("Consent check (RFC 7675) in ChannelData after the media", f)
    t.channel(1, CHANNEL, Msg(BINDING_OK, chk.tid).xor_addr(A_XOR_MAPPED, t.relay[0], t.relay[1])
              .encode())
    t.channel(0, CHANNEL, srtp_packet(det, 105, 960 * 5, ssrc, 100))


@scenario("relayed_srtp_udp")
def relayed_srtp_udp(cap):
    """A browser's call through TURN over UDP 3478 (read with `-o
    msturn.udp:TRUE`; webrtc_relay): DTLS-SRTP and its ciphertext inside
    Send and Data indications and ChannelData.  Only what passes RFC 3550
    A.1/A.2 goes to RTP or RTCP, DTLS records to DTLS; SRTCP is shown as
    such; nothing is marked Malformed.  A TURN relay session: the client's
    checks are answered but the peer never checks back, `ICE one-way: no
    success from client`."""
    client = Host("10.90.0.10", "00:50:56:aa:90:10")
    server = Host("10.90.0.1", "00:15:5d:0a:90:01")
    cap.args = ["-o", "msturn.udp:TRUE"]
    carrier = UdpCarrier(cap, client, 50900, server, 3478)
    TurnRelaySession(cap, carrier.flow())
    t = TurnClient(cap, carrier, "10.90.0.1", 49900, "198.51.100.90", 50900)
    webrtc_relay(cap, t)


@scenario("relayed_srtp_tcp")
def relayed_srtp_tcp(cap):
    """The same call through TURN over TCP 3478 (RFC 8656 3.1): messages back
    to back on one connection, ChannelData padded to 4 bytes (12.5); the
    same TURN relay session, every segment of the connection its own."""
    client = Host("10.91.0.10", "00:50:56:aa:91:10")
    server = Host("10.91.0.1", "00:15:5d:0a:91:01")
    conn = TcpConn(cap, client, 50910, server, 3478)
    conn.handshake()
    t = TurnClient(cap, TcpCarrier(cap, conn), "10.91.0.1", 49910, "198.51.100.91", 50910)
    TurnRelaySession(cap, conn)
    webrtc_relay(cap, t)
    conn.close(0)


@scenario("vendor_stun_udp")
def vendor_stun_udp(cap):
    """A messaging app's own messages on UDP 3478 (read with `-o
    msturn.udp:TRUE`): the magic cookie, methods outside the IANA registry
    (types 0x0800-0x0805), comprehension-required attributes of the
    0x4000-0x7FFF range, SOFTWARE; every other datagram holds 28 bytes more
    than the STUN length says.  Decoded, with a note for each unknown method,
    a warning for each unknown comprehension-required attribute and for the
    bytes after the message; nothing Malformed."""
    client = Host("10.92.0.10", "00:50:56:aa:92:10")
    server = Host("10.92.0.1", "00:15:5d:0a:92:01")
    cap.args = ["-o", "msturn.udp:TRUE"]
    det = cap.det
    for i, mtype in enumerate(range(0x0800, 0x0806)):
        m = Msg(mtype, det.bytes(12)) \
            .attr(0x4000 + i, det.bytes(8 + 4 * i)) \
            .attr(0x4010, struct.pack("!I", 0x00010000 + i)) \
            .attr(A_SOFTWARE, b"vendor-rtc 2.1").encode()
        trailer = det.bytes(28) if i % 2 else b""
        f = udp_send(cap, client, 50920, server, 3478, m, trailer=trailer)
        cap.expect(f, "msturn.att.unknown.required")
        if trailer:
            cap.expect(f, "msturn.udp_trailing.expert")
            cap.note("Type 0x%04x with 28 bytes after the message" % mtype, f)
        cap.wait(30.0)


@scenario("classic_3479")
def classic_3479(cap):
    """A conferencing client's RFC 3489 Binding Requests (no magic cookie)
    to UDP 3479 (read with `-o msturn.udp:TRUE`), each with USERNAME and an
    attribute RFC 3489 does not define (0x0101), and their responses:
    decoded as Wireshark's classic STUN dissector decodes them, 0x0101
    shown as unknown.  On the same port RTP, a DTLS record and random bytes
    are left alone."""
    client = Host("10.93.0.10", "00:50:56:aa:93:10")
    server = Host("10.93.0.1", "00:15:5d:0a:93:01")
    cap.args = ["-o", "msturn.udp:TRUE"]
    det = cap.det
    for i in range(3):
        req = Msg(BINDING_REQ, det.bytes(16), classic=True).string(A_USERNAME, "conf-client-%d" % i) \
            .attr(0x0101, det.bytes(6)).encode(fingerprint=False)
        f = udp_send(cap, client, 50930 + i, server, 3479, req)
        cap.expect(f, "msturn.att.unknown.required")
        cap.wait(2.0)
        ok = Msg(BINDING_OK, req.tid, classic=True) \
            .address(A_MAPPED, "198.51.100.93", 50930 + i, "mapped").encode(fingerprint=False)
        udp_send(cap, server, 3479, client, 50930 + i, ok)
        cap.wait(40.0)
    cap.note("RFC 3489 Binding Requests with attribute 0x0101 to UDP 3479, and their responses", 1)
    f = raw_udp(cap, client, 50940, server, 3479, rtp_packet(det, 1, 0, 0x93930001, 160, pt=0))
    raw_udp(cap, client, 50940, server, 3479, dtls_app_data(det, 1, 48))
    raw_udp(cap, client, 50940, server, 3479, det.bytes(40))
    cap.note("RTP, a DTLS record and random bytes on UDP 3479: not STUN", f)

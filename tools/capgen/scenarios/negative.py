# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""Scenarios: captures with no STUN at all, which msturn must leave alone."""
import struct

from ..common import F_4571, MAGIC_COOKIE, MS_MAGIC_COOKIE
from ..net import Host
from ..stun import frame_message, rtp_packet
from ..tcpconn import TcpConn
from ..tls import tls_ext, tls_handshake, tls_record
from .base import scenario


# -- negatives -----------------------------------------------------------------

@scenario("neg_rtp4571")
def neg_rtp4571(cap):
    """RTP framed with RFC 4571 over TCP between two high ports (no STUN at
    all): nothing here is STUN."""
    a = Host("10.48.60.10", "00:50:56:98:60:10")
    b = Host("10.48.60.20", "00:50:56:98:60:20")
    conn = TcpConn(cap, a, 50040, b, 50050)
    conn.handshake()
    for i in range(20):
        frm = i % 2
        pkt = rtp_packet(cap.det, 100 + i, 3000 * i, 0x0BADBEEF if frm else 0x5EED5EED,
                         100 + cap.det.below(900), pt=96 + frm)
        conn.send(frm, frame_message(F_4571, pkt))
        cap.wait(10.0)
    # two frames in one segment
    two = frame_message(F_4571, rtp_packet(cap.det, 200, 99000, 0x5EED5EED, 60)) + \
        frame_message(F_4571, rtp_packet(cap.det, 201, 99100, 0x5EED5EED, 60))
    conn.send(0, two)
    cap.wait(20.0)
    conn.ack(1)
    conn.close(0)


@scenario("neg_tls443")
def neg_tls443(cap):
    """A real TLS 1.2 exchange on 443 (RFC 5246): ClientHello with SNI and the
    usual extensions and a session ID, ServerHello resuming the session,
    ChangeCipherSpec and encrypted Finished both ways, application data (one
    record spanning three TCP segments)."""
    det = cap.det
    a = Host("10.48.54.230", "00:50:56:98:98:98")
    b = Host("10.48.54.40", "00:50:56:98:54:40")
    conn = TcpConn(cap, a, 40112, b, 443)
    conn.handshake()
    sid = det.bytes(32)
    suites = [0xC02F, 0xC030, 0xC02B, 0xC02C, 0x009E, 0xC027, 0x003C, 0x002F, 0x0035, 0x00FF]
    sni = b"cms.lab.example"
    exts = tls_ext(0x0000, struct.pack("!HBH", len(sni) + 3, 0, len(sni)) + sni) + \
        tls_ext(0x000B, b"\x01\x00") + \
        tls_ext(0x000A, struct.pack("!HHHH", 6, 0x001D, 0x0017, 0x0018)) + \
        tls_ext(0x000D, struct.pack("!H", 8) + struct.pack("!HHHH", 0x0401, 0x0501, 0x0804, 0x0201)) + \
        tls_ext(0x0017, b"") + tls_ext(0x0023, b"")
    body = b"\x03\x03" + det.bytes(32) + bytes([32]) + sid + \
        struct.pack("!H", 2 * len(suites)) + b"".join(struct.pack("!H", s) for s in suites) + \
        b"\x01\x00" + struct.pack("!H", len(exts)) + exts
    conn.send(0, tls_record(22, tls_handshake(1, body), (3, 1)))
    cap.wait(1.2)
    sexts = tls_ext(0xFF01, b"\x00") + tls_ext(0x0017, b"")
    sh = b"\x03\x03" + det.bytes(32) + bytes([32]) + sid + struct.pack("!H", 0xC02F) + b"\x00" + \
        struct.pack("!H", len(sexts)) + sexts
    conn.send(1, tls_record(22, tls_handshake(2, sh)) + tls_record(20, b"\x01") +
              tls_record(22, det.bytes(40)))
    cap.wait(1.0)
    conn.send(0, tls_record(20, b"\x01") + tls_record(22, det.bytes(40)))
    cap.wait(0.3)
    conn.send(0, tls_record(23, det.bytes(389)))
    cap.wait(4.0)
    # a record of 3000 bytes spans three segments: the TLS dissector must
    # still reassemble it when msturn looked at the port first
    conn.send(1, tls_record(23, det.bytes(3000)))
    cap.wait(0.4)
    conn.ack(0)
    cap.wait(100.0)
    conn.send(0, tls_record(21, det.bytes(26)))
    cap.wait(0.2)
    conn.close(0)


@scenario("neg_http")
def neg_http(cap):
    """HTTP/1.1 GET and response on port 80 and on port 8080."""
    a = Host("10.48.54.230", "00:50:56:98:98:98")
    b = Host("10.48.54.50", "00:50:56:98:54:50")
    for port, cport in ((80, 40200), (8080, 40202)):
        conn = TcpConn(cap, a, cport, b, port)
        conn.handshake()
        req = ("GET /api/v1/status HTTP/1.1\r\nHost: 10.48.54.50:%d\r\n"
               "User-Agent: lab-client/1.0\r\nAccept: */*\r\n\r\n" % port).encode()
        conn.send(0, req)
        cap.wait(3.0)
        body = b'{"status":"ok","port":%d,"sessions":3}\n' % port
        resp = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n"
                "Connection: close\r\n\r\n" % len(body)).encode() + body
        conn.send(1, resp)
        cap.wait(0.4)
        conn.ack(0)
        cap.wait(1.0)
        conn.close(1)
        cap.wait(50.0)


@scenario("neg_random3478")
def neg_random3478(cap):
    """Random bytes (a fixed-seed SHA-256 stream) both ways on TCP 3478,
    chosen so that no STUN, RFC 4571 or MS-TURN framing could match."""
    a = Host("10.48.54.230", "00:50:56:98:98:98")
    b = Host("10.48.54.229", "00:0c:29:48:9e:5f")
    conn = TcpConn(cap, a, 44500, b, 3478)
    conn.handshake()
    det = cap.det
    for i in range(16):
        frm = i % 2
        data = bytearray(det.bytes(60 + det.below(1200)))
        # keep every segment clearly non-STUN: first byte with a top bit set,
        # and no magic cookie anywhere
        data[0] |= 0xC0
        blob = bytes(data).replace(struct.pack("!I", MAGIC_COOKIE), b"\xff\xff\xff\xff") \
            .replace(struct.pack("!I", MS_MAGIC_COOKIE), b"\xff\xff\xff\xff")
        conn.send(frm, blob)
        cap.wait(7.0)
    conn.ack(1)
    conn.close(0)

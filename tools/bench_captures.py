#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""Write the captures of the msturn benchmark (tools/bench.sh), deterministically.

usage: bench_captures.py OUTDIR [--growth 1000,10000,100000] [--only NAME ...]

Writes into OUTDIR:

  stun_heavy.pcapng   STUN/TURN over TCP: thousands of TCP connections.  Full
                      RFC 6062 presentation sessions (Allocate, 401 challenge,
                      Allocate with credentials, Refresh, ConnectionAttempt,
                      ConnectionBind, RFC 4571-framed ICE checks and RTP on the
                      data and the peer connection), some with several
                      messages pipelined in one segment, plus direct ICE-TCP
                      connections (RFC 6544) carrying RFC 4571-framed checks,
                      two or three to a segment.
  non_stun.pcapng     TCP that is not STUN: HTTP on 80, 8080 and high ports,
                      TLS on 443 and high ports, RTP framed with RFC 4571,
                      random bytes on 3478, 443 and high ports.
  stun_small, non_stun_small   the same, smaller (200 sessions and 150 ICE-TCP
                      connections; 600 connections), for callgrind
  sessions_N.pcapng   N presentation sessions of the stun_heavy kind, without
                      the pipelining and the direct ICE-TCP connections: how
                      time and memory grow with the number of sessions.
  turn_udp.pcapng     IETF TURN over UDP as WebRTC clients use it (RFC 8656):
                      Allocate, 401, Allocate, permissions for two peers, ICE
                      checks in Send and Data indications and in ChannelData,
                      a ChannelBind, RTP in ChannelData and in indications,
                      Refresh, and the Refresh with LIFETIME 0 that ends it.
  turn_tcp.pcapng     the same allocations over TCP to port 3478 (ChannelData
                      padded, RFC 8656 12.5): STUN over TCP that msturn and
                      the built-in dissector both decode message for message.
  http_small.pcapng   short HTTP/1.1 exchanges to port 8080, one small
                      segment each: where a per-frame cost shows.

and for each capture NAME.stats (key=value lines: frames, tcp connections,
STUN messages written, sessions), which the benchmark prints next to the
message counts each dissector decoded.

The sessions of a capture run in overlapping batches (BATCH sessions at a
time, their steps interleaved) so that many allocations, CONNECTION-IDs and
relayed addresses are alive at once, as on a busy TURN server.  Every byte
follows from the session's index: the same arguments always give the same
files.  Standard library only; STUN messages (with real MESSAGE-INTEGRITY and
FINGERPRINT) come from tools/gen_captures.py.
"""
import argparse
import hashlib
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from capgen.common import (  # noqa: E402
    ALLOCATE_ERR, ALLOCATE_OK, ALLOCATE_REQ, A_CANDIDATE_ID, A_DATA, A_ICE_CONTROLLED,
    A_ICE_CONTROLLING, A_LIFETIME, A_MS_IMPL_VERSION, A_PRIORITY, A_USE_CANDIDATE, A_XOR_MAPPED,
    A_XOR_PEER, A_XOR_RELAYED, BINDING_IND, BINDING_OK, BINDING_REQ, CMS_PWD, CMS_UFRAG,
    CONNATTEMPT_IND, CONNBIND_OK, CONNBIND_REQ, CREATEPERM_OK, CREATEPERM_REQ, F_4571, F_RAW, REFRESH_OK, REFRESH_REQ,
    SKYPE_PWD, SKYPE_UFRAG, T0_US, TURN_REALM, TURN_USER, long_term_key,
)
from capgen.pcapng import _block, _option  # noqa: E402
from capgen.stun import Msg, frame_message  # noqa: E402
from capgen.tls import tls_ext, tls_handshake, tls_record  # noqa: E402

BATCH = 200                 # sessions alive at once
FRAME_GAP_US = 40           # capture clock step between two frames
MSS = 1460
FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10

TURN_KEY = long_term_key()


# ---------------------------------------------------------------------------
# Bytes
# ---------------------------------------------------------------------------

def stream(label, n):
    """n deterministic bytes named by label (SHAKE-256 as a stream)."""
    return hashlib.shake_256(label.encode()).digest(n)


def u32_of(label):
    return struct.unpack("!I", hashlib.sha256(label.encode()).digest()[:4])[0]


def csum(data):
    """RFC 1071 ones' complement sum, as the checksum field wants it.  The sum
    of 16-bit words modulo 0xFFFF is the folded ones' complement sum
    (2**16 = 1 modulo 0xFFFF), which big-integer arithmetic does fast."""
    if len(data) & 1:
        data += b"\0"
    n = int.from_bytes(data, "big")
    s = n % 0xFFFF
    if s == 0 and n:
        s = 0xFFFF
    return (~s) & 0xFFFF


# ---------------------------------------------------------------------------
# pcapng output (draft-ietf-opsawg-pcapng 4.1 SHB, 4.2 IDB, 4.3 EPB)
# ---------------------------------------------------------------------------

class Writer:
    def __init__(self, path):
        self.f = open(path, "wb")
        self.t = T0_US
        self.frames = 0
        self.stun = 0
        self.conns = 0
        self.sessions = 0
        self.f.write(_block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1) +
                               _option(4, b"msturn tools/bench_captures.py") +
                               _option(0, b"")))
        self.f.write(_block(0x00000001, struct.pack("<HHI", 1, 0, 262144)))

    def frame(self, data):
        self.t += FRAME_GAP_US
        self.frames += 1
        pad = b"\0" * (-len(data) % 4)
        total = 32 + len(data) + len(pad)
        self.f.write(struct.pack("<IIIIIII", 6, total, 0, self.t >> 32, self.t & 0xFFFFFFFF,
                                 len(data), len(data)) + data + pad + struct.pack("<I", total))

    def wait_ms(self, ms):
        self.t += int(ms * 1000)

    def close(self, stats_path, **extra):
        self.f.close()
        with open(stats_path, "w") as f:
            f.write("frames=%d\ntcp_connections=%d\nstun_messages=%d\nsessions=%d\n" %
                    (self.frames, self.conns, self.stun, self.sessions))
            for k in sorted(extra):
                f.write("%s=%s\n" % (k, extra[k]))


class Host:
    """IPv4 address and the MAC frames from it carry on the capture link."""

    def __init__(self, a, b, c, d, mac_tail):
        self.ip = bytes((a, b, c, d))
        self.mac = bytes((0x00, 0x50, 0x56)) + struct.pack("!I", mac_tail)[1:]
        self.ip_id = (c * 256 + d) & 0xFFFF

    def text(self):
        return ".".join(str(x) for x in self.ip)


# ---------------------------------------------------------------------------
# TCP (RFC 793) over IPv4 (RFC 791) over Ethernet
# ---------------------------------------------------------------------------

SYN_OPTS = struct.pack("!BBH", 2, 4, MSS) + b"\x01\x01\x04\x02" + b"\x01\x03\x03\x07"


class Conn:
    """One TCP connection; side 0 opened it.  Segments carry correct
    sequence and acknowledgment numbers and checksums."""

    def __init__(self, w, a, aport, b, bport):
        self.w = w
        self.h = (a, b)
        self.port = (aport, bport)
        seed = hashlib.sha256(b"%s:%d:%s:%d" % (a.ip, aport, b.ip, bport)).digest()
        self.nxt = list(struct.unpack("!II", seed[:8]))
        self.isn = list(self.nxt)
        self.rcv = [0, 0]           # next byte expected from the other side
        w.conns += 1

    def seg(self, side, flags, payload=b"", opts=b""):
        src, dst = self.h[side], self.h[1 - side]
        ack = self.rcv[side] if flags & ACK else 0
        hlen = 20 + len(opts)
        tcp = struct.pack("!HHIIBBHHH", self.port[side], self.port[1 - side], self.nxt[side],
                          ack, hlen << 2, flags, 502 if side else 501, 0, 0) + opts
        pseudo = src.ip + dst.ip + struct.pack("!xBH", 6, hlen + len(payload))
        c = csum(pseudo + tcp + payload)
        tcp = tcp[:16] + struct.pack("!H", c) + tcp[18:]
        src.ip_id = (src.ip_id + 1) & 0xFFFF
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + hlen + len(payload), src.ip_id, 0x4000,
                         64, 6, 0, src.ip, dst.ip)
        ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
        self.w.frame(dst.mac + src.mac + b"\x08\x00" + ip + tcp + payload)
        n = len(payload) + (1 if flags & (SYN | FIN) else 0)
        self.nxt[side] = (self.nxt[side] + n) & 0xFFFFFFFF
        self.rcv[1 - side] = self.nxt[side]

    def handshake(self):
        self.seg(0, SYN, opts=SYN_OPTS)
        self.rcv[1] = self.nxt[0]
        self.seg(1, SYN | ACK, opts=SYN_OPTS)
        self.seg(0, ACK)

    def send(self, side, data, stun=0):
        """data in MSS-sized segments; stun: how many STUN messages it holds."""
        self.w.stun += stun
        for off in range(0, len(data), MSS):
            last = off + MSS >= len(data)
            self.seg(side, ACK | (PSH if last else 0), data[off:off + MSS])

    def ack(self, side):
        self.seg(side, ACK)

    def close(self, side):
        self.seg(side, FIN | ACK)
        self.seg(1 - side, FIN | ACK)
        self.seg(side, ACK)


# ---------------------------------------------------------------------------
# STUN over TCP: presentation sessions (RFC 6062) and direct ICE-TCP (RFC 6544)
# ---------------------------------------------------------------------------

RAW, F4571 = F_RAW, F_4571


def wire(framing, m):
    return frame_message(framing, m)


def rtp(label, seq, ssrc, size):
    """RFC 3550 5.1 fixed header (version 2, payload type 96), then payload."""
    return struct.pack("!BBHII", 0x80, 96, seq & 0xFFFF, seq * 3000 & 0xFFFFFFFF, ssrc) + \
        stream(label, size)


class Session:
    """The seed's presentation session for session number i, as a list of
    steps; each step writes a few frames.  Steps of different sessions are
    interleaved by the caller."""

    def __init__(self, w, i, heavy):
        self.w, self.i, self.heavy = w, i, heavy
        self.client = Host(10, 1 + (i >> 16), (i >> 8) & 255, i & 255, 0x100000 + i)
        self.server = Host(10, 48, 54, 200 + i % 4, 0x2000 + i % 4)
        self.peer = Host(172, 16 + (i >> 16), (i >> 8) & 255, i & 255, 0x300000 + i)
        self.ctl_port = 40000 + i % 20000
        self.data_port = self.ctl_port + 1
        self.relay_port = 20000 + i // 4            # unique per (server, port)
        self.peer_port = 50000 + i % 10000
        self.cid = u32_of("cid:%d" % i) | 1
        self.n = 0
        self.nonce = "%032x:1502957031:TANDBERG" % u32_of("nonce:%d" % i)
        w.sessions += 1

    def tid(self):
        self.n += 1
        return hashlib.blake2b(b"%d:%d" % (self.i, self.n), digest_size=12).digest()

    def steps(self):
        return [self.open_control, self.allocate_401, self.allocate_ok, self.refresh,
                self.pipelined, self.peer_connects, self.connection_attempt,
                self.connection_bind, self.ice_from_peer, self.ice_from_client,
                self.ice_responses, self.media, self.close]

    # control connection
    def open_control(self):
        self.ctl = Conn(self.w, self.client, self.ctl_port, self.server, 3478)
        self.ctl.handshake()

    def request(self, conn, req, resp, framing=RAW):
        conn.send(0, wire(framing, req), 1)
        conn.send(1, wire(framing, resp), 1)

    def allocate_401(self):
        req = Msg(ALLOCATE_REQ, self.tid()).transport(6).lifetime(600).encode()
        err = Msg(ALLOCATE_ERR, req.tid).error(401).realm(TURN_REALM) \
            .nonce(self.nonce).software().encode()
        self.request(self.ctl, req, err)

    def allocate_ok(self):
        req = Msg(ALLOCATE_REQ, self.tid()).transport(6).lifetime(600) \
            .username(TURN_USER).realm(TURN_REALM).nonce(self.nonce).encode(TURN_KEY)
        ok = Msg(ALLOCATE_OK, req.tid) \
            .xor_addr(A_XOR_RELAYED, self.server.text(), self.relay_port) \
            .xor_addr(A_XOR_MAPPED, self.client.text(), self.ctl_port) \
            .lifetime(600).software().encode(TURN_KEY)
        self.request(self.ctl, req, ok)
        self.ctl.ack(0)

    def refresh(self):
        req = Msg(REFRESH_REQ, self.tid()).lifetime(600).username(TURN_USER) \
            .realm(TURN_REALM).nonce(self.nonce).encode(TURN_KEY)
        ok = Msg(REFRESH_OK, req.tid).lifetime(600).software().encode(TURN_KEY)
        self.request(self.ctl, req, ok)

    def pipelined(self):
        """Every third heavy session: three Binding Requests, a Binding
        Indication and a Refresh in one segment, four responses in one."""
        if not self.heavy or self.i % 3:
            return
        reqs = [Msg(BINDING_REQ, self.tid()).software("CMS lab").encode() for _ in range(3)]
        reqs.append(Msg(BINDING_IND, self.tid()).encode())
        ref = Msg(REFRESH_REQ, self.tid()).lifetime(600).username(TURN_USER) \
            .realm(TURN_REALM).nonce(self.nonce).encode(TURN_KEY)
        reqs.append(ref)
        self.ctl.send(0, b"".join(wire(RAW, m) for m in reqs), len(reqs))
        resps = [Msg(BINDING_OK, m.tid).xor_addr(A_XOR_MAPPED, self.client.text(),
                                                       self.ctl_port).encode() for m in reqs[:3]]
        resps.append(Msg(REFRESH_OK, ref.tid).lifetime(600).encode(TURN_KEY))
        self.ctl.send(1, b"".join(wire(RAW, m) for m in resps), len(resps))

    # peer and data connections
    def peer_connects(self):
        self.pc = Conn(self.w, self.peer, self.peer_port, self.server, self.relay_port)
        self.pc.handshake()

    def connection_attempt(self):
        ind = Msg(CONNATTEMPT_IND, self.tid()) \
            .xor_addr(A_XOR_PEER, self.peer.text(), self.peer_port) \
            .connection_id(self.cid).software().encode(TURN_KEY)
        self.ctl.send(1, wire(RAW, ind), 1)
        self.ctl.ack(0)

    def connection_bind(self):
        self.dc = Conn(self.w, self.client, self.data_port, self.server, 3478)
        self.dc.handshake()
        req = Msg(CONNBIND_REQ, self.tid()).connection_id(self.cid) \
            .username(TURN_USER).realm(TURN_REALM).nonce(self.nonce).encode(TURN_KEY)
        ok = Msg(CONNBIND_OK, req.tid).software().encode(TURN_KEY)
        self.request(self.dc, req, ok)

    def relay(self, from_peer, data, stun):
        """The peer's bytes go out on the peer connection and reach the client
        on the data connection, and the other way round (RFC 6062 5.5)."""
        if from_peer:
            self.pc.send(0, data, stun)
            self.dc.send(1, data, stun)
        else:
            self.dc.send(0, data, stun)
            self.pc.send(1, data, stun)

    def ice_req(self, from_client):
        m = Msg(BINDING_REQ, self.tid())
        if from_client:
            m.empty(A_USE_CANDIDATE).u32(A_PRIORITY, 0x6EFFFFFF) \
                .attr(A_ICE_CONTROLLED, stream("tb:%d" % self.i, 8)) \
                .username("%s:%s" % (SKYPE_UFRAG, CMS_UFRAG)) \
                .attr(A_CANDIDATE_ID, bytes([0x33, 0, 0, 0])) \
                .u32(A_MS_IMPL_VERSION, 2).encode(SKYPE_PWD.encode())
        else:
            m.u32(A_PRIORITY, 0x6EFFFEFF).attr(A_ICE_CONTROLLING, stream("tp:%d" % self.i, 8)) \
                .empty(A_USE_CANDIDATE).username("%s:%s" % (CMS_UFRAG, SKYPE_UFRAG)) \
                .attr(A_CANDIDATE_ID, bytes([0x6E, 0, 0, 0])) \
                .u32(A_MS_IMPL_VERSION, 2).encode(CMS_PWD.encode())
        return m

    def ice_resp(self, req, from_client):
        ip, port, pwd = ((self.peer.text(), self.peer_port, CMS_PWD) if from_client else
                         (self.server.text(), self.relay_port, SKYPE_PWD))
        return Msg(BINDING_OK, req.tid).xor_addr(A_XOR_MAPPED, ip, port) \
            .u32(A_MS_IMPL_VERSION, 2).encode(pwd.encode())

    def ice_from_peer(self):
        self.req_p = self.ice_req(False)
        self.relay(True, wire(F4571, self.req_p), 1)

    def ice_from_client(self):
        self.req_c = self.ice_req(True)
        resp = self.ice_resp(self.req_p, True)
        if self.heavy and self.i % 2 == 0:
            # the client answers the peer's check and sends its own in one segment
            self.relay(False, wire(F4571, resp) + wire(F4571, self.req_c), 2)
        else:
            self.relay(False, wire(F4571, resp), 1)
            self.relay(False, wire(F4571, self.req_c), 1)

    def ice_responses(self):
        self.relay(True, wire(F4571, self.ice_resp(self.req_c, False)), 1)
        self.dc.ack(0)
        self.pc.ack(1)

    def media(self):
        for k in range(2):
            for from_peer in (True, False):
                pkt = rtp("rtp:%d:%d:%d" % (self.i, k, from_peer), 1000 + k,
                          0x5EED0000 + from_peer, 160 + (self.i * 37 + k * 101) % 700)
                self.relay(from_peer, wire(F4571, pkt), 0)

    def close(self):
        self.pc.close(0)
        self.dc.close(1)
        self.ctl.close(0)


class IceTcp:
    """A direct ICE-TCP connection (RFC 6544): active candidate of the
    client to the passive one of the far end, high ports, every STUN message
    and RTP packet framed with RFC 4571; checks pipelined two and three to a
    segment ([MS-ICE2] 3.1.4.8.2 paces checks, clients send them in bursts)."""

    def __init__(self, w, i):
        self.w, self.i = w, i
        self.a = Host(10, 2, (i >> 8) & 255, i & 255, 0x400000 + i)
        self.b = Host(10, 3, (i >> 8) & 255, i & 255, 0x500000 + i)
        self.n = 0

    def tid(self):
        self.n += 1
        return hashlib.blake2b(b"ice:%d:%d" % (self.i, self.n), digest_size=12).digest()

    def steps(self):
        return [self.open, self.checks, self.answers, self.media, self.close]

    def open(self):
        # ephemeral ports (RFC 6335 6): no port-based dissector claims them
        self.c = Conn(self.w, self.a, 49152 + self.i % 8000, self.b, 57152 + self.i % 8000)
        self.c.handshake()

    def req(self, user, pwd):
        return Msg(BINDING_REQ, self.tid()).u32(A_PRIORITY, 0x6E7F1EFF) \
            .attr(A_ICE_CONTROLLING, stream("ic:%d" % self.i, 8)).username(user) \
            .encode(pwd.encode())

    def checks(self):
        self.reqs = [self.req("%s:%s" % (SKYPE_UFRAG, CMS_UFRAG), SKYPE_PWD)
                     for _ in range(3)]
        self.c.send(0, b"".join(wire(F4571, m) for m in self.reqs), 3)

    def answers(self):
        resps = [Msg(BINDING_OK, m.tid).xor_addr(A_XOR_MAPPED, self.a.text(), self.c.port[0])
                 .encode(SKYPE_PWD.encode()) for m in self.reqs]
        back = self.req("%s:%s" % (CMS_UFRAG, SKYPE_UFRAG), CMS_PWD)
        self.c.send(1, b"".join(wire(F4571, m) for m in resps[:2]), 2)
        self.c.send(1, wire(F4571, resps[2]) + wire(F4571, back), 2)
        ok = Msg(BINDING_OK, back.tid).xor_addr(A_XOR_MAPPED, self.b.text(), self.c.port[1]) \
            .encode(CMS_PWD.encode())
        self.c.send(0, wire(F4571, ok), 1)

    def media(self):
        for k in range(4):
            side = k & 1
            self.c.send(side, wire(F4571, rtp("icertp:%d:%d" % (self.i, k), k, 0xABCD0000 + side,
                                              120 + (self.i * 13 + k * 71) % 900)))

    def close(self):
        self.c.close(0)


def run_interleaved(items):
    """Run the steps of the items BATCH at a time: step 1 of each, then step
    2 of each, and so on, so their connections overlap in time."""
    for b in range(0, len(items), BATCH):
        batch = items[b:b + BATCH]
        plans = [it.steps() for it in batch]
        for k in range(max(len(p) for p in plans)):
            for p in plans:
                if k < len(p):
                    p[k]()


def write_sessions(path, n, heavy, ice=0):
    w = Writer(path + ".pcapng")
    items = []
    for i in range(n):
        items.append(Session(w, i, heavy))
        if i < ice:
            items.append(IceTcp(w, i))
    run_interleaved(items)
    w.close(path + ".stats", ice_tcp_connections=sum(isinstance(x, IceTcp) for x in items))


# ---------------------------------------------------------------------------
# TCP that is not STUN
# ---------------------------------------------------------------------------

class NotStun:
    """Connection j of the non-STUN capture: which kind follows from j."""

    KINDS = ("http", "tls", "rtp4571", "random", "http", "tls")

    def __init__(self, w, j):
        self.w, self.j = w, j
        self.kind = self.KINDS[j % len(self.KINDS)]
        self.a = Host(10, 60, (j >> 8) & 255, j & 255, 0x600000 + j)
        self.b = Host(10, 70, (j >> 10) & 63, 1 + (j & 3), 0x700000 + (j >> 2))
        r = u32_of("port:%d" % j)
        cport = 32768 + r % 28000
        high = 10000 + (r >> 16) % 22000
        ports = {"http": (80, 8080, high), "tls": (443, 443, 8443, high),
                 "rtp4571": (high,), "random": (3478, 443, high, 3478)}[self.kind]
        self.c = Conn(w, self.a, cport, self.b, ports[(j // len(self.KINDS)) % len(ports)])

    def label(self, what):
        return "%s:%d:%s" % (self.kind, self.j, what)

    def steps(self):
        return [self.c.handshake] + getattr(self, "steps_" + self.kind)() + [self.end]

    def end(self):
        self.c.close(self.j & 1)

    # HTTP/1.1 (RFC 9112): a few requests on one persistent connection
    def steps_http(self):
        def exchange(k):
            def run():
                host = "%s:%d" % (self.b.text(), self.c.port[1])
                req = ("GET /api/v1/items/%d?page=%d HTTP/1.1\r\nHost: %s\r\n"
                       "User-Agent: lab-client/1.0\r\nAccept: application/json\r\n"
                       "Accept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\n\r\n" %
                       (self.j, k, host)).encode()
                self.c.send(0, req)
                body = stream(self.label("body%d" % k), 200 + u32_of(self.label(k)) % 6000).hex()
                body = body.encode()[:len(body) // 2]
                resp = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n"
                        "Cache-Control: no-cache\r\nConnection: keep-alive\r\n\r\n" %
                        len(body)).encode() + body
                self.c.send(1, resp)
                self.c.ack(0)
            return run
        return [exchange(k) for k in range(3)]

    # TLS 1.2 (RFC 5246): full handshake shapes, then application data
    def steps_tls(self):
        def hello():
            sni = b"svc%d.lab.example" % self.j
            exts = tls_ext(0x0000, struct.pack("!HBH", len(sni) + 3, 0, len(sni)) + sni) + \
                tls_ext(0x000A, struct.pack("!HHHH", 6, 0x001D, 0x0017, 0x0018)) + \
                tls_ext(0x000D, struct.pack("!HHHHH", 8, 0x0401, 0x0501, 0x0804, 0x0201)) + \
                tls_ext(0x0017, b"")
            suites = (0xC02F, 0xC030, 0xC02B, 0xC02C, 0x009E, 0x002F)
            body = b"\x03\x03" + stream(self.label("cr"), 32) + b"\x00" + \
                struct.pack("!H", 2 * len(suites)) + b"".join(struct.pack("!H", s) for s in suites) + \
                b"\x01\x00" + struct.pack("!H", len(exts)) + exts
            self.c.send(0, tls_record(22, tls_handshake(1, body), (3, 1)))

        def server():
            sh = b"\x03\x03" + stream(self.label("sr"), 32) + b"\x00" + struct.pack("!H", 0xC02F) + \
                b"\x00" + struct.pack("!H", 5) + tls_ext(0xFF01, b"\x00")
            cert = stream(self.label("cert"), 1100 + self.j % 400)
            certs = struct.pack("!I", len(cert) + 3)[1:] + struct.pack("!I", len(cert))[1:] + cert
            ske = b"\x03\x00\x1d\x20" + stream(self.label("ske"), 32) + b"\x04\x01\x01\x00" + \
                stream(self.label("sig"), 256)
            recs = tls_handshake(2, sh) + tls_handshake(11, certs) + \
                tls_handshake(12, ske) + tls_handshake(14, b"")
            self.c.send(1, tls_record(22, recs))

        def finish():
            self.c.send(0, tls_record(22, tls_handshake(16, b"\x20" + stream(self.label("ck"), 32))) +
                        tls_record(20, b"\x01") + tls_record(22, stream(self.label("fin"), 40)))
            self.c.send(1, tls_record(20, b"\x01") + tls_record(22, stream(self.label("sfin"), 40)))

        def data(k):
            def run():
                self.c.send(0, tls_record(23, stream(self.label("a%d" % k), 300 + k * 50)))
                self.c.send(1, tls_record(23, stream(self.label("b%d" % k), 1200 + (self.j * 97) % 3000)))
                self.c.ack(0)
            return run
        return [hello, server, finish] + [data(k) for k in range(3)]

    # RTP over RFC 4571 between high ports, sometimes two frames per segment
    def steps_rtp4571(self):
        def burst(k):
            def run():
                for m in range(4):
                    side = m & 1
                    pkt = rtp(self.label("%d:%d" % (k, m)), k * 4 + m, 0x0BAD0000 + side,
                              60 + (self.j * 31 + m * 53) % 900)
                    data = wire(F4571, pkt)
                    if m == 3:
                        data += wire(F4571, rtp(self.label("x%d" % k), 999, 0x0BAD0001, 40))
                    self.c.send(side, data)
            return run
        return [burst(k) for k in range(3)]

    # random bytes both ways
    def steps_random(self):
        def chunk(k):
            def run():
                for side in (0, 1):
                    self.c.send(side, stream(self.label("%d:%d" % (k, side)),
                                             1 + u32_of(self.label(k * 2 + side)) % 2000))
            return run
        return [chunk(k) for k in range(4)]


# ---------------------------------------------------------------------------
# IETF TURN (RFC 8656) over UDP or TCP
# ---------------------------------------------------------------------------

SEND_IND, DATA_IND = 0x0016, 0x0017            # RFC 8656 17
CHANNELBIND_REQ, CHANNELBIND_OK = 0x0009, 0x0109
A_CHANNEL_NUMBER = 0x000C


def udp_frame(w, src, sport, dst, dport, payload):
    """One Ethernet/IPv4/UDP datagram (RFC 768: checksum 0, none computed)."""
    udp = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    src.ip_id = (src.ip_id + 1) & 0xFFFF
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), src.ip_id, 0x4000, 64, 17, 0,
                     src.ip, dst.ip)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    w.frame(dst.mac + src.mac + b"\x08\x00" + ip + udp)


class TurnAllocation:
    """Allocation i of a TURN capture: a WebRTC client's run through its
    server, over UDP or over one TCP connection."""

    def __init__(self, w, i, tcp):
        self.w, self.i, self.tcp = w, i, tcp
        self.client = Host(10, 80 + (i >> 16), (i >> 8) & 255, i & 255, 0x800000 + i)
        self.server = Host(10, 90, 0, 1 + i % 4, 0x900000 + i % 4)
        self.peers = [Host(172, 20 + k, (i >> 8) & 255, i & 255, 0xA00000 + 2 * i + k)
                      for k in range(2)]
        self.cport = 50000 + i % 15000
        self.relay_port = 49152 + i // 4
        self.peer_port = 40000 + i % 20000
        self.channel = 0x4000 + i % 0x3FFF
        self.nonce = "%032x" % u32_of("tnonce:%d" % i)
        self.n = 0
        w.sessions += 1

    def tid(self):
        self.n += 1
        return hashlib.blake2b(b"turn:%d:%d" % (self.i, self.n), digest_size=12).digest()

    def steps(self):
        return [self.open, self.allocate_401, self.allocate_ok, self.permissions,
                self.checks_indications, self.channel_bind, self.checks_channel,
                self.media, self.refresh, self.deallocate, self.close]

    def send(self, side, data, stun):
        """side 0: client to server; stun: STUN messages data holds."""
        if self.tcp:
            self.c.send(side, data, stun)
            return
        self.w.stun += stun
        ends = (self.client, self.cport), (self.server, 3478)
        (src, sp), (dst, dp) = ends if side == 0 else ends[::-1]
        udp_frame(self.w, src, sp, dst, dp, data)

    def exchange(self, req, resp):
        self.send(0, req.wire, 1)
        self.send(1, resp.wire, 1)

    def auth(self, m):
        return m.username(TURN_USER).realm(TURN_REALM).nonce(self.nonce)

    def open(self):
        if self.tcp:
            self.c = Conn(self.w, self.client, self.cport, self.server, 3478)
            self.c.handshake()

    def allocate_401(self):
        req = Msg(ALLOCATE_REQ, self.tid()).transport(17).encode()
        self.exchange(req, Msg(ALLOCATE_ERR, req.tid).error(401).realm(TURN_REALM)
                      .nonce(self.nonce).software().encode())

    def allocate_ok(self):
        req = self.auth(Msg(ALLOCATE_REQ, self.tid()).transport(17)).encode(TURN_KEY)
        self.exchange(req, Msg(ALLOCATE_OK, req.tid)
                      .xor_addr(A_XOR_RELAYED, self.server.text(), self.relay_port)
                      .xor_addr(A_XOR_MAPPED, self.client.text(), self.cport)
                      .lifetime(600).software().encode(TURN_KEY))

    def permissions(self):
        for p in self.peers:
            req = self.auth(Msg(CREATEPERM_REQ, self.tid())
                            .xor_addr(A_XOR_PEER, p.text(), 0)).encode(TURN_KEY)
            self.exchange(req, Msg(CREATEPERM_OK, req.tid).encode(TURN_KEY))

    def check(self, to_peer):
        """An RFC 8445 7.2.2 check, as the client or the peer sends it."""
        user = "peer%d:cli%d" % (self.i, self.i) if to_peer else "cli%d:peer%d" % (self.i, self.i)
        return Msg(BINDING_REQ, self.tid()).u32(A_PRIORITY, 0x6E7F1EFF) \
            .attr(A_ICE_CONTROLLING if to_peer else A_ICE_CONTROLLED, stream("tc:%d" % self.i, 8)) \
            .username(user).encode(CMS_PWD.encode())

    def indication(self, mtype, peer, data):
        return Msg(mtype, self.tid()).xor_addr(A_XOR_PEER, peer.text(), self.peer_port) \
            .attr(A_DATA, data).encode()

    def checks_indications(self):
        """A check to each peer in Send indications; the answers in Data
        indications (RFC 8656 11)."""
        for p in self.peers:
            req = self.check(True)
            self.send(0, self.indication(SEND_IND, p, req.wire).wire, 2)
            ok = Msg(BINDING_OK, req.tid).xor_addr(A_XOR_MAPPED, self.server.text(),
                                                   self.relay_port).encode(CMS_PWD.encode())
            self.send(1, self.indication(DATA_IND, p, ok.wire).wire, 2)

    def channel_data(self, data):
        cd = struct.pack("!HH", self.channel, len(data)) + data
        if self.tcp:                            # RFC 8656 12.5
            cd += bytes(-len(cd) % 4)
        return cd

    def channel_bind(self):
        req = self.auth(Msg(CHANNELBIND_REQ, self.tid())
                        .attr(A_CHANNEL_NUMBER, struct.pack("!HH", self.channel, 0))
                        .xor_addr(A_XOR_PEER, self.peers[0].text(), self.peer_port)).encode(TURN_KEY)
        self.exchange(req, Msg(CHANNELBIND_OK, req.tid).encode(TURN_KEY))

    def checks_channel(self):
        """The peer's check and its answer through the channel (RFC 8656 12)."""
        req = self.check(False)
        self.send(1, self.channel_data(req.wire), 1)
        ok = Msg(BINDING_OK, req.tid).xor_addr(A_XOR_MAPPED, self.peers[0].text(),
                                               self.peer_port).encode(CMS_PWD.encode())
        self.send(0, self.channel_data(ok.wire), 1)

    def media(self):
        for k in range(6):
            side = k & 1
            pkt = rtp("trtp:%d:%d" % (self.i, k), k, 0x7E570000 + side, 120 + (self.i * 29 + k * 83) % 900)
            self.send(side, self.channel_data(pkt), 0)
        for k in range(2):
            pkt = rtp("trtp2:%d:%d" % (self.i, k), k, 0x7E580000 + k, 90 + (self.i * 17) % 400)
            self.send(k, self.indication(DATA_IND if k else SEND_IND, self.peers[1], pkt).wire, 1)

    def refresh(self):
        req = self.auth(Msg(REFRESH_REQ, self.tid()).lifetime(600)).encode(TURN_KEY)
        self.exchange(req, Msg(REFRESH_OK, req.tid).lifetime(600).encode(TURN_KEY))

    def deallocate(self):
        req = self.auth(Msg(REFRESH_REQ, self.tid()).u32(A_LIFETIME, 0)).encode(TURN_KEY)
        self.exchange(req, Msg(REFRESH_OK, req.tid).u32(A_LIFETIME, 0).encode(TURN_KEY))

    def close(self):
        if self.tcp:
            self.c.close(0)


def write_turn(path, n, tcp):
    w = Writer(path + ".pcapng")
    run_interleaved([TurnAllocation(w, i, tcp) for i in range(n)])
    w.close(path + ".stats")


class HttpSmall:
    """Connection j of http_small: short requests and answers to 8080."""

    def __init__(self, w, j):
        self.w, self.j = w, j
        self.a = Host(10, 100, (j >> 8) & 255, j & 255, 0xB00000 + j)
        self.b = Host(10, 110, 0, 1 + j % 8, 0xC00000 + j % 8)
        self.c = Conn(w, self.a, 32768 + j % 28000, self.b, 8080)

    def steps(self):
        return [self.c.handshake] + [self.exchange(k) for k in range(8)] + [self.end]

    def exchange(self, k):
        def run():
            self.c.send(0, b"GET /s/%d/%d HTTP/1.1\r\nHost: %s:8080\r\n\r\n" %
                        (self.j, k, self.b.text().encode()))
            body = b"ok %d" % k
            self.c.send(1, b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
        return run

    def end(self):
        self.c.close(0)


def write_http_small(path, n):
    w = Writer(path + ".pcapng")
    run_interleaved([HttpSmall(w, j) for j in range(n)])
    w.close(path + ".stats")


def write_non_stun(path, n):
    w = Writer(path + ".pcapng")
    run_interleaved([NotStun(w, j) for j in range(n)])
    w.close(path + ".stats")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--heavy-sessions", type=int, default=2000)
    ap.add_argument("--ice-connections", type=int, default=1500)
    ap.add_argument("--non-stun-connections", type=int, default=6000)
    ap.add_argument("--growth", default="1000,10000,100000",
                    help="session counts of the growth captures, comma separated")
    ap.add_argument("--only", action="append",
                    help="write only this capture (stun_heavy, non_stun, stun_small, "
                         "non_stun_small, turn_udp, turn_tcp, http_small, sessions_N); "
                         "repeatable")
    args = ap.parse_args(argv)
    os.makedirs(args.outdir, exist_ok=True)
    jobs = [("stun_heavy", lambda p: write_sessions(p, args.heavy_sessions, True,
                                                    args.ice_connections)),
            ("non_stun", lambda p: write_non_stun(p, args.non_stun_connections))]
    # small ones for callgrind, which runs tshark some 50 times slower
    jobs.append(("stun_small", lambda p: write_sessions(p, 200, True, 150)))
    jobs.append(("non_stun_small", lambda p: write_non_stun(p, 600)))
    jobs.append(("turn_udp", lambda p: write_turn(p, 300, False)))
    jobs.append(("turn_tcp", lambda p: write_turn(p, 300, True)))
    jobs.append(("http_small", lambda p: write_http_small(p, 800)))
    for n in (int(x) for x in args.growth.split(",") if x):
        jobs.append(("sessions_%d" % n, lambda p, n=n: write_sessions(p, n, False)))
    for name, fn in jobs:
        if args.only and name not in args.only:
            continue
        fn(os.path.join(args.outdir, name))
        print("wrote %s" % os.path.join(args.outdir, name + ".pcapng"))
    return 0


if __name__ == "__main__":
    sys.exit(main())

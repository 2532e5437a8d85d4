#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""Load captures for measuring msturn's memory (tools/measure-memory.sh).

usage: gen_load.py sessions N OUT.pcap
       gen_load.py attempts N OUT.pcap [PER_CONNECTION]
       gen_load.py caps N OUT.pcap
       gen_load.py relays N OUT.pcap [PEERS]

sessions: N complete presentation sessions, one after the other, each
  - a TCP control connection to the TURN server (192.0.2.1:3478): Allocate,
    401 (REALM, NONCE), Allocate with credentials, Allocate success
    (XOR-RELAYED-ADDRESS, XOR-MAPPED-ADDRESS, LIFETIME) - RFC 8656 7;
  - the peer's TCP connection to the relayed address (SYN, SYN-ACK);
  - ConnectionAttempt (XOR-PEER-ADDRESS, CONNECTION-ID) - RFC 6062 4.3;
  - a data connection: ConnectionBind and its success - RFC 6062 4.4;
  - ICE checks on it, RFC 4571-framed: a Binding request and success
    response each way (RFC 8445 7.2, RFC 6544).
attempts: N ConnectionAttempt indications for allocations the capture never
  shows, PER_CONNECTION (default 100) on each of N / PER_CONNECTION control
  connections.
caps: one allocation (Allocate and its success) followed on its control
  connection by 40 ConnectionAttempts (more peers than msturn keeps per
  session) and N Binding requests that are never answered (more than msturn
  tracks per connection when N > 16384); then, on a second connection, an
  [MS-TURN] allocation (MAGIC-COOKIE first, MS-VERSION) whose Send Requests
  name 40 peers in DESTINATION-ADDRESS, and one whose DATA nests Send
  Requests five deep (more than msturn follows); then SIP over UDP: 8246
  m=applicationsharing offers with distinct ICE username fragments (more
  than msturn keeps per file) in 2060 dialogs, 10 of them in the last
  dialog (more than per dialog), one with 20 candidates (more than per
  offer), then INVITEs of dialogs of their own up to 4100 dialogs (more
  than msturn follows per file); and over UDP, TURN relay allocations:
  one whose Send indications go to 40 peers (more than msturn keeps per
  allocation), one whose single CreatePermission names 40 addresses (more
  than msturn follows per message), one with 40 CreatePermissions of one
  address each (more permissions than per allocation), one whose Send
  indications go to 1062 peers (more than msturn counts one by one beyond
  the bound), and one with N unanswered Binding requests (more than msturn
  tracks per UDP flow).
relays: N TURN relay allocations over UDP (RFC 8656), one after the other,
  each on its own 5-tuple to 192.0.2.1:3478: Allocate (REQUESTED-TRANSPORT
  UDP) and its success (XOR-RELAYED-ADDRESS, LIFETIME); then for each of
  PEERS peers (default 10): a CreatePermission and its success (RFC 8656
  10), a Send indication carrying an ICE Binding request and a Data
  indication carrying its success response (11, RFC 8445 7.2).
  tests/hostile.cmake checks that exactly the excess is reported.

Deterministic and stdlib only: the same arguments always give the same
bytes.  The file is pcap with LINKTYPE_RAW (IPv4 packets); checksums are
zero (Wireshark does not check them by default).  MESSAGE-INTEGRITY carries
placeholder bytes: no credentials are configured when measuring.
"""
import hashlib
import struct
import sys

COOKIE = 0x2112A442
SERVER = (192 << 24) | (0 << 16) | (2 << 8) | 1          # 192.0.2.1
TURN_PORT = 3478

ALLOCATE, CONNECTION_BIND, CONNECTION_ATTEMPT, BINDING = 0x003, 0x00B, 0x00C, 0x001
SEND, DATA, CREATE_PERMISSION = 0x006, 0x007, 0x008            # RFC 8656 17
REQUEST, INDICATION, SUCCESS, ERROR = 0, 1, 2, 3


def msg_type(method, cls):
    """RFC 8489 5: class bits interleaved into the method."""
    return ((method & 0xF80) << 2) | ((method & 0x070) << 1) | (method & 0x00F) | \
           ((cls & 2) << 7) | ((cls & 1) << 4)


def attr(t, value):
    pad = (4 - len(value) % 4) % 4
    return struct.pack("!HH", t, len(value)) + value + b"\0" * pad


def xor_addr(t, ip, port):
    return attr(t, struct.pack("!BBHI", 0, 1, port ^ (COOKIE >> 16), ip ^ COOKIE))


def stun(method, cls, tid, attrs=b""):
    return struct.pack("!HHI", msg_type(method, cls), len(attrs), COOKIE) + tid + attrs


def tid_for(*parts):
    return hashlib.sha1(repr(parts).encode()).digest()[:12]


class Pcap:
    def __init__(self, path):
        self.f = open(path, "wb")
        self.f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 101))
        self.usec = 1_700_000_000 * 1_000_000

    def packet(self, data):
        self.usec += 100
        self.f.write(struct.pack("<IIII", self.usec // 1_000_000, self.usec % 1_000_000,
                                 len(data), len(data)))
        self.f.write(data)

    def close(self):
        self.f.close()


class Tcp:
    """One TCP connection: handshake, then data segments with correct
    sequence numbers (RFC 9293 3.1)."""

    def __init__(self, cap, cli, cport, srv, sport, isn):
        self.cap = cap
        self.ends = [(cli, cport), (srv, sport)]
        self.seq = [isn & 0xFFFFFFFF, (isn * 7 + 12345) & 0xFFFFFFFF]
        self.send(0, 0x02)          # SYN
        self.send(1, 0x12)          # SYN, ACK

    def send(self, side, flags, payload=b""):
        (src, sport), (dst, dport) = self.ends[side], self.ends[1 - side]
        total = 40 + len(payload)
        ip = struct.pack("!BBHHHBBHII", 0x45, 0, total, 0, 0x4000, 64, 6, 0, src, dst)
        ack = self.seq[1 - side] if flags & 0x10 else 0
        tcp = struct.pack("!HHIIBBHHH", sport, dport, self.seq[side], ack, 5 << 4, flags,
                          65535, 0, 0)
        self.cap.packet(ip + tcp + payload)
        self.seq[side] = (self.seq[side] + len(payload) + (1 if flags & 0x03 else 0)) & 0xFFFFFFFF

    def data(self, side, payload):
        self.send(side, 0x18, payload)   # PSH, ACK


def framed(m):
    """RFC 4571 2: a 16-bit length, then the packet."""
    return struct.pack("!H", len(m)) + m


def session(cap, i):
    client = (10 << 24) + 1 + i                       # 10.0.0.1 ...
    peer = (172 << 24) | (16 << 16) | (1 + i % 65000)  # 172.16.x.y
    relay_ip = (198 << 24) | (18 << 16) | (1 + i // 50000)
    relay_port = 10000 + i % 50000
    cid = 0x10000000 + i

    ctl = Tcp(cap, client, 40000, SERVER, TURN_PORT, i * 3)
    t1, t2 = tid_for("a1", i), tid_for("a2", i)
    transport = attr(0x0019, b"\x06\0\0\0")           # REQUESTED-TRANSPORT TCP
    ctl.data(0, stun(ALLOCATE, REQUEST, t1, transport))
    ctl.data(1, stun(ALLOCATE, ERROR, t1,
                     attr(0x0009, b"\0\0\x04\x01Unauthorized") + attr(0x0014, b"lab") +
                     attr(0x0015, b"nonce%08x" % i)))
    ctl.data(0, stun(ALLOCATE, REQUEST, t2,
                     transport + attr(0x0006, b"turn") + attr(0x0014, b"lab") +
                     attr(0x0015, b"nonce%08x" % i) + attr(0x0008, b"\0" * 20)))
    ctl.data(1, stun(ALLOCATE, SUCCESS, t2,
                     xor_addr(0x0016, relay_ip, relay_port) +
                     xor_addr(0x0020, client, 40000) + attr(0x000D, struct.pack("!I", 600))))

    # The peer connects to the relayed address; the server announces it.
    Tcp(cap, peer, 50000, relay_ip, relay_port, i * 5)
    ctl.data(1, stun(CONNECTION_ATTEMPT, INDICATION, tid_for("ca", i),
                     xor_addr(0x0012, peer, 50000) + attr(0x002A, struct.pack("!I", cid))))

    data = Tcp(cap, client, 40001, SERVER, TURN_PORT, i * 11)
    t3 = tid_for("cb", i)
    data.data(0, stun(CONNECTION_BIND, REQUEST, t3, attr(0x002A, struct.pack("!I", cid))))
    data.data(1, stun(CONNECTION_BIND, SUCCESS, t3))

    # ICE connectivity checks through the relay, both ways.
    c1, c2 = tid_for("ice1", i), tid_for("ice2", i)
    user = attr(0x0006, b"AoVy:l0MR")
    data.data(0, framed(stun(BINDING, REQUEST, c1, user)))
    data.data(1, framed(stun(BINDING, SUCCESS, c1, xor_addr(0x0020, relay_ip, relay_port))))
    data.data(1, framed(stun(BINDING, REQUEST, c2, attr(0x0006, b"l0MR:AoVy"))))
    data.data(0, framed(stun(BINDING, SUCCESS, c2, xor_addr(0x0020, peer, 50000))))


def attempts(cap, n, per_conn):
    conns = (n + per_conn - 1) // per_conn
    k = 0
    for c in range(conns):
        client = (10 << 24) + 1 + c
        ctl = Tcp(cap, client, 40000, SERVER, TURN_PORT, c * 3)
        for j in range(min(per_conn, n - k)):
            peer = (172 << 24) | (16 << 16) | (1 + k % 65000)
            ctl.data(1, stun(CONNECTION_ATTEMPT, INDICATION, tid_for("u", k),
                             xor_addr(0x0012, peer, 50000) +
                             attr(0x002A, struct.pack("!I", 0x20000000 + k))))
            k += 1


SDP_DIALOGS = 2060
SIP_DIALOGS = 4100 - SDP_DIALOGS    # 4100 dialogs in all: 4 beyond the bound


def caps(cap, n):
    client, relay_ip = (10 << 24) + 1, (198 << 24) | (18 << 16) | 1
    ctl = Tcp(cap, client, 40000, SERVER, TURN_PORT, 1)
    t = tid_for("caps-allocate")
    ctl.data(0, stun(ALLOCATE, REQUEST, t, attr(0x0019, b"\x06\0\0\0")))
    ctl.data(1, stun(ALLOCATE, SUCCESS, t, xor_addr(0x0016, relay_ip, 10000) +
                     attr(0x000D, struct.pack("!I", 600))))
    for k in range(40):
        ctl.data(1, stun(CONNECTION_ATTEMPT, INDICATION, tid_for("caps-ca", k),
                         xor_addr(0x0012, (172 << 24) | (16 << 16) | (1 + k), 50000) +
                         attr(0x002A, struct.pack("!I", 0x30000000 + k))))
    requests = n
    for k in range(requests):
        ctl.data(0, stun(BINDING, REQUEST, tid_for("caps-req", k)))
    # [MS-TURN] 2.2.2.6: MAGIC-COOKIE first; 2.2.2.17 MS-VERSION; 2.2.2.10
    # DESTINATION-ADDRESS (plain, not XOR'ed) in 0x0004 Send Requests
    ms = attr(0x000F, struct.pack("!I", 0x72C64BC6))
    ctl = Tcp(cap, client, 40002, SERVER, TURN_PORT, 2)
    t = tid_for("caps-ms-allocate")
    ctl.data(0, stun(ALLOCATE, REQUEST, t, ms + attr(0x8008, struct.pack("!I", 6))))
    for k in range(40):
        dest = struct.pack("!BBHI", 0, 1, 50000, (172 << 24) | (17 << 16) | (1 + k))
        ctl.data(0, struct.pack("!HH", 0x0004, len(ms) + 12) + struct.pack("!I", COOKIE) +
                 tid_for("caps-ms-send", k) + ms + attr(0x0011, dest))
    # [MS-TURN] 2.2.2.12 DATA holding a Send Request holding ... five deep:
    # msturn follows three
    inner = stun(BINDING, REQUEST, tid_for("caps-deep"))
    for k in range(5):
        inner = struct.pack("!HH", 0x0004, len(ms) + 4 + len(inner)) + struct.pack("!I", COOKIE) + \
            tid_for("caps-deep", k) + ms + struct.pack("!HH", 0x0013, len(inner)) + inner
    ctl.data(0, inner)
    # 2060 dialogs of 4 offers each (more ICE username fragments than msturn
    # keeps per file), the last dialog with 10 offers (more than per dialog)
    # and one offer with 20 candidates (more than per offer)
    n = 0
    for k in range(SDP_DIALOGS):
        for j in range(10 if k == SDP_DIALOGS - 1 else 4):
            n += 1
            cands = "".join("a=candidate:%d 1 tcp 1 10.1.%d.%d %d typ host tcptype passive\r\n" % (
                c, c, j, 40000 + c) for c in range(20 if n == 1 else 1))
            body = ("v=0\r\no=- 0 1 IN IP4 10.0.0.1\r\ns=s\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n"
                    "m=applicationsharing 9 TCP/RTP/AVP 127\r\na=ice-ufrag:u%d\r\n"
                    "a=ice-pwd:password-of-u%d\r\n%s" % (n, n, cands)).encode()
            sip = ("INVITE sip:meet@cms.lab SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKs%d\r\n"
                   "From: <sip:s%d@lab>;tag=1\r\nTo: <sip:meet@cms.lab>\r\nCall-ID: sdp-%d@lab\r\n"
                   "CSeq: %d INVITE\r\nMax-Forwards: 70\r\nContent-Type: application/sdp\r\n"
                   "Content-Length: %d\r\n\r\n" % (n, k, k, j + 1, len(body))).encode() + body
            sip_udp(cap, client, sip)
    relay_caps(cap, requests)
    # RFC 3261 8.1.1: an INVITE per dialog, over UDP 5060
    for k in range(SIP_DIALOGS):
        sip = ("INVITE sip:meet@cms.lab SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK%d\r\n"
               "From: <sip:u%d@lab>;tag=1\r\nTo: <sip:meet@cms.lab>\r\nCall-ID: caps-%d@lab\r\n"
               "CSeq: 1 INVITE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n" % (k, k, k)).encode()
        sip_udp(cap, client, sip)


def udp(cap, src, sport, dst, dport, payload):
    d = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    cap.packet(struct.pack("!BBHHHBBHII", 0x45, 0, 20 + len(d), 0, 0x4000, 64, 17, 0,
                           src, dst) + d)


def sip_udp(cap, client, sip):
    udp(cap, client, 5060, SERVER, 5060, sip)


def relay(cap, i, peers, tag="r"):
    """One TURN relay allocation over UDP and its peers (see relays)."""
    client = (10 << 24) + 1 + i
    relay_ip, relay_port = (198 << 24) | (19 << 16) | (1 + i // 50000), 10000 + i % 50000

    def to_server(m):
        udp(cap, client, 40000, SERVER, TURN_PORT, m)

    def to_client(m):
        udp(cap, SERVER, TURN_PORT, client, 40000, m)

    t = tid_for(tag + "-alloc", i)
    to_server(stun(ALLOCATE, REQUEST, t, attr(0x0019, b"\x11\0\0\0")))
    to_client(stun(ALLOCATE, SUCCESS, t, xor_addr(0x0016, relay_ip, relay_port) +
                   attr(0x000D, struct.pack("!I", 600))))
    for k in range(peers):
        peer = (172 << 24) | (18 << 16) | (1 + k)
        t = tid_for(tag + "-perm", i, k)
        to_server(stun(CREATE_PERMISSION, REQUEST, t, xor_addr(0x0012, peer, 0)))
        to_client(stun(CREATE_PERMISSION, SUCCESS, t))
        c = tid_for(tag + "-check", i, k)
        to_server(stun(SEND, INDICATION, tid_for(tag + "-send", i, k),
                       xor_addr(0x0012, peer, 50000) + attr(0x0013, stun(BINDING, REQUEST, c))))
        to_client(stun(DATA, INDICATION, tid_for(tag + "-data", i, k),
                       xor_addr(0x0012, peer, 50000) +
                       attr(0x0013, stun(BINDING, SUCCESS, c, xor_addr(0x0020, relay_ip, relay_port)))))


def relay_caps(cap, n):
    """TURN relays over UDP past each bound (see caps)."""
    client = (10 << 24) + 2

    def allocation(port, tag):
        t = tid_for("caps-relay-alloc", tag)
        udp(cap, client, port, SERVER, TURN_PORT, stun(ALLOCATE, REQUEST, t, attr(0x0019, b"\x11\0\0\0")))
        udp(cap, SERVER, TURN_PORT, client, port,
            stun(ALLOCATE, SUCCESS, t, xor_addr(0x0016, (198 << 24) | (19 << 16) | 1, 9999 - tag) +
                 attr(0x000D, struct.pack("!I", 600))))

    def sends(port, net, n):
        for k in range(n):
            udp(cap, client, port, SERVER, TURN_PORT,
                stun(SEND, INDICATION, tid_for("caps-relay-send", net, k),
                     xor_addr(0x0012, (172 << 24) | (net << 16) | (1 + k), 50000) +
                     attr(0x0013, b"data")))

    # 40 peers named by Send indications alone: 8 beyond the bound
    allocation(40001, 0)
    sends(40001, 19, 40)
    # one CreatePermission naming 40 addresses (RFC 8656 10.1 allows any
    # number): 8 beyond what msturn follows per message
    allocation(40002, 1)
    t = tid_for("caps-relay-perm-many")
    udp(cap, client, 40002, SERVER, TURN_PORT,
        stun(CREATE_PERMISSION, REQUEST, t,
             b"".join(xor_addr(0x0012, (172 << 24) | (20 << 16) | (1 + k), 0) for k in range(40))))
    udp(cap, SERVER, TURN_PORT, client, 40002, stun(CREATE_PERMISSION, SUCCESS, t))
    # 40 CreatePermissions of one address each: 8 permissions beyond the bound
    allocation(40003, 2)
    for k in range(40):
        t = tid_for("caps-relay-perm", k)
        udp(cap, client, 40003, SERVER, TURN_PORT,
            stun(CREATE_PERMISSION, REQUEST, t, xor_addr(0x0012, (172 << 24) | (21 << 16) | (1 + k), 0)))
        udp(cap, SERVER, TURN_PORT, client, 40003, stun(CREATE_PERMISSION, SUCCESS, t))
    # 1062 peers: 32 followed, 1030 beyond, of which 1024 are counted
    allocation(40004, 3)
    sends(40004, 22, 1062)
    # n unanswered Binding requests (keepalives) on one allocation's 5-tuple:
    # beyond the requests tracked per flow, as over TCP
    allocation(40005, 4)
    for k in range(n):
        udp(cap, client, 40005, SERVER, TURN_PORT, stun(BINDING, REQUEST, tid_for("caps-relay-bind", k)))


def main():
    if len(sys.argv) < 4 or sys.argv[1] not in ("sessions", "attempts", "caps", "relays"):
        sys.exit(__doc__)
    kind, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    cap = Pcap(out)
    if kind == "sessions":
        for i in range(n):
            session(cap, i)
    elif kind == "caps":
        caps(cap, n)
    elif kind == "relays":
        peers = int(sys.argv[4]) if len(sys.argv) > 4 else 10
        for i in range(n):
            relay(cap, i, peers)
    else:
        attempts(cap, n, int(sys.argv[4]) if len(sys.argv) > 4 else 100)
    cap.close()


if __name__ == "__main__":
    main()

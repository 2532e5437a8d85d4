# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""Reading the capture back: the Ethernet, IP, UDP and TCP headers of the
frames written, and the STUN messages and ChannelData they carry, so that
session truth is computed from the bytes on the wire rather than from what
a scenario says it sent."""
import ipaddress
import struct

from .common import MAGIC_COOKIE
from .pcapng import _pad4


class Packet:
    """One frame's IP endpoints, transport, ports and payload."""

    def __init__(self, src, dst, proto, sport, dport, payload, seq=None, flags=0):
        self.src, self.dst, self.proto = src, dst, proto
        self.sport, self.dport = sport, dport
        self.payload = payload
        self.seq, self.flags = seq, flags          # TCP only


def parse_frame(frame):
    """An Ethernet frame as net.py writes it (RFC 791 IPv4 without options
    or RFC 8200 IPv6 without extension headers, then UDP or TCP); None for
    anything else."""
    ethertype = struct.unpack("!H", frame[12:14])[0]
    ip = frame[14:]
    if ethertype == 0x0800:
        ihl = (ip[0] & 0x0F) * 4
        total, proto = struct.unpack("!H", ip[2:4])[0], ip[9]
        src, dst = ipaddress.ip_address(ip[12:16]), ipaddress.ip_address(ip[16:20])
        body = ip[ihl:total]
    elif ethertype == 0x86DD:
        plen, proto = struct.unpack("!H", ip[4:6])[0], ip[6]
        src, dst = ipaddress.ip_address(ip[8:24]), ipaddress.ip_address(ip[24:40])
        body = ip[40:40 + plen]
    else:
        return None
    if proto == 17:
        sport, dport, length = struct.unpack("!HHH", body[:6])
        return Packet(src, dst, proto, sport, dport, body[8:length])
    if proto == 6:
        sport, dport, seq = struct.unpack("!HHI", body[:8])
        off, flags = body[12] >> 4, body[13]
        return Packet(src, dst, proto, sport, dport, body[off * 4:], seq, flags)
    return None


class Stun:
    """A STUN message of the RFC 5389 form (magic cookie, attributes padded
    to 4 bytes, RFC 8489 5 and 14)."""

    def __init__(self, wire):
        self.wire = wire
        self.mtype, length = struct.unpack("!HH", wire[:4])
        self.tid = wire[8:20]
        self.attrs = []
        pos = 20
        while pos + 4 <= 20 + length:
            atype, alen = struct.unpack("!HH", wire[pos:pos + 4])
            self.attrs.append((atype, wire[pos + 4:pos + 4 + alen]))
            pos += 4 + len(_pad4(bytes(alen)))

    @property
    def method(self):
        """RFC 8489 5: the 12 method bits around the two class bits."""
        t = self.mtype
        return ((t & 0x3E00) >> 2) | ((t & 0x00E0) >> 1) | (t & 0x000F)

    @property
    def cls(self):
        """0 request, 1 indication, 2 success, 3 error (RFC 8489 5)."""
        return ((self.mtype >> 7) & 2) | ((self.mtype >> 4) & 1)

    def values(self, atype):
        return [v for t, v in self.attrs if t == atype]

    def value(self, atype):
        vs = self.values(atype)
        return vs[0] if vs else None

    def u32(self, atype):
        v = self.value(atype)
        return None if v is None else struct.unpack("!I", v[:4])[0]

    @property
    def error_code(self):
        """RFC 8489 14.8: class in the hundreds, number in the units."""
        v = self.value(0x0009)
        return None if v is None else (v[2] & 7) * 100 + v[3]

    def xor_addresses(self, atype):
        """Every XOR-encoded address of type atype, in message order, as
        (ip, port) (RFC 8489 14.2: port ^ top of the cookie, the address ^
        the cookie and, for IPv6, the transaction ID)."""
        key = struct.pack("!I", MAGIC_COOKIE) + self.tid
        out = []
        for v in self.values(atype):
            family, xport = v[1], struct.unpack("!H", v[2:4])[0]
            n = 16 if family == 0x02 else 4
            raw = bytes(a ^ b for a, b in zip(v[4:4 + n], key[:n]))
            out.append((ipaddress.ip_address(raw), xport ^ (MAGIC_COOKIE >> 16)))
        return out


def parse_stun(data):
    """data as one whole STUN message of the RFC 5389 form, or None: the
    first two bits zero, the magic cookie, a length that is a multiple of 4
    and covers the rest exactly."""
    if len(data) < 20 or data[0] & 0xC0:
        return None
    length, cookie = struct.unpack("!HI", data[2:8])
    if cookie != MAGIC_COOKIE or length % 4 or 20 + length != len(data):
        return None
    return Stun(data)


def is_channel(data):
    """ChannelData (RFC 8656 12.4): channel numbers 0x4000-0x4FFF, the first
    byte in RFC 7983's range 64-79."""
    return len(data) >= 4 and 0x40 <= data[0] <= 0x4F


def channel_data(data):
    """(channel number, Length field, application data) of ChannelData."""
    ch, length = struct.unpack("!HH", data[:4])
    return ch, length, data[4:4 + length]


def pdu_length(buf, padded_channel=True):
    """Bytes the PDU at the start of a TCP stream needs, or None while its
    header is incomplete: a STUN message is 20 bytes plus its length;
    ChannelData is 4 plus its length, padded to 4 over TCP (RFC 8656 12.5)."""
    if len(buf) < 4:
        return None
    length = struct.unpack("!H", buf[2:4])[0]
    if is_channel(buf):
        n = 4 + length
        return n + (-n % 4 if padded_channel else 0)
    return 20 + length


class UdpTuple:
    """A client's UDP 5-tuple to its TURN server, read back from the
    capture: every datagram between the two ends, either way."""

    def __init__(self, cap, client, cport, server, sport):
        self.cap = cap
        self.ends = ((ipaddress.ip_address(str(client.ip)), cport),
                     (ipaddress.ip_address(str(server.ip)), sport))
        self.session, self.role = None, None

    def belongs(self, session, role):
        self.session, self.role = session, role
        return self

    def _datagrams(self):
        (c, cp), (s, sp) = self.ends
        for n, (ts, frame) in enumerate(self.cap.frames, 1):
            p = parse_frame(frame)
            if p is None or p.proto != 17:
                continue
            if (p.src, p.sport, p.dst, p.dport) == (c, cp, s, sp):
                yield n, ts, True, p.payload
            elif (p.src, p.sport, p.dst, p.dport) == (s, sp, c, cp):
                yield n, ts, False, p.payload

    @property
    def frames(self):
        return [n for n, _ts, _up, _data in self._datagrams()]

    def pdus(self):
        """(frame, time in microseconds, from the client, PDU bytes): one
        datagram, one PDU (RFC 8656 12.5: ChannelData fills its datagram)."""
        return list(self._datagrams())


class TcpStream:
    """A client's TCP connection to its TURN server read back from the
    capture: each direction's bytes in sequence order, cut into STUN
    messages and padded ChannelData (RFC 8656 12.5); each PDU is dated by
    the frame that brought its last byte."""

    def __init__(self, cap, conn):
        self.cap, self.conn = cap, conn

    def pdus(self):
        side0 = self.conn.sides[0]
        client = (ipaddress.ip_address(str(side0.host.ip)), side0.port)
        nxt, buf, out = [None, None], [b"", b""], []
        for n in self.conn.frames:
            ts, frame = self.cap.frames[n - 1]
            p = parse_frame(frame)
            d = 0 if (p.src, p.sport) == client else 1
            if p.flags & 0x02:                       # SYN: the stream starts after it
                nxt[d] = (p.seq + 1) & 0xFFFFFFFF
                continue
            if not p.payload:
                continue
            if nxt[d] is None:
                raise ValueError("%s: stream without its SYN" % self.cap.name)
            rel = (p.seq - nxt[d]) & 0xFFFFFFFF
            if rel >= 0x80000000:                    # before nxt: a retransmission
                continue
            if rel:
                raise ValueError("%s: frame %d arrives out of order" % (self.cap.name, n))
            nxt[d] = (nxt[d] + len(p.payload)) & 0xFFFFFFFF
            buf[d] += p.payload
            while True:
                need = pdu_length(buf[d])
                if need is None or len(buf[d]) < need:
                    break
                out.append((n, ts, d == 0, buf[d][:need]))
                buf[d] = buf[d][need:]
        return out

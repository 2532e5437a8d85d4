# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""STUN, TURN and MS-TURN messages and how they are framed on the wire; RTP and RTCP."""
import hashlib
import hmac
import ipaddress
import struct
import zlib

from .common import (
    A_CONNECTION_ID, A_DATA, A_ERROR_CODE, A_FINGERPRINT, A_LIFETIME, A_MESSAGE_INTEGRITY,
    A_MESSAGE_INTEGRITY_SHA256, A_MS_MAGIC_COOKIE, A_MS_NONCE, A_MS_REALM, A_MS_XOR_MAPPED,
    A_NONCE, A_REALM, A_REQ_TRANSPORT, A_SOFTWARE, A_USERNAME, A_XOR_MAPPED, A_XOR_PEER,
    A_XOR_RELAYED, ERROR_REASONS, FINGERPRINT_XOR, F_4571, F_CHANNEL, F_IN_DATA, F_MS_CTL,
    F_MS_DATA, F_MUX, F_RAW, MAGIC_COOKIE, MS_MAGIC_COOKIE, MUX_CHANNEL, SOFTWARE,
)
from .pcapng import _pad4
from .net import ethernet, ip_packet, udp_datagram
from .truth import TruthEntry


def endpoint_text(ip, port):
    ip = ipaddress.ip_address(str(ip))
    return ("[%s]:%d" if ip.version == 6 else "%s:%d") % (ip, port)


def xor_address(ip, port, cookie_and_id):
    """RFC 5389 15.2: X-Port = port ^ top 16 bits of the cookie; IPv4 address
    ^ cookie; IPv6 address ^ (cookie || transaction ID).  Legacy [MS-TURN]
    2.2.2.16 and [MS-TURNBWM] use the leading bytes of their 16-byte
    transaction ID the same way; the caller passes those 16 bytes."""
    ip = ipaddress.ip_address(ip)
    family = 0x02 if ip.version == 6 else 0x01
    xport = port ^ struct.unpack("!H", cookie_and_id[:2])[0]
    raw = ip.packed
    xip = bytes(a ^ b for a, b in zip(raw, cookie_and_id[:len(raw)]))
    return struct.pack("!BBH", 0, family, xport) + xip


def plain_address(ip, port):
    """RFC 5389 15.1 MAPPED-ADDRESS layout."""
    ip = ipaddress.ip_address(ip)
    return struct.pack("!BBH", 0, 0x02 if ip.version == 6 else 0x01, port) + ip.packed


XOR_FIELDS = {A_XOR_MAPPED: "xor_mapped", A_XOR_RELAYED: "xor_relayed", A_XOR_PEER: "xor_peer"}


class Msg:
    """A STUN message under construction (RFC 5389 6 and 15).

    legacy=True builds an [MS-TURN] message: no magic cookie, a 16-byte
    transaction ID, and the MAGIC-COOKIE attribute first ([MS-TURN] 2.2.2).
    ms=True builds one as Teams sends it: the RFC 5389 cookie in the header
    and MAGIC-COOKIE as the first attribute all the same.  Either way the
    message is in Microsoft's dialect: 0x0012 is Remote Address (plain),
    0x0014 Nonce and 0x0015 Realm.  pad: values padded to 4 bytes (RFC 5389
    15); [MS-TURN] 2.2.2 pads nothing, so the default is to pad only IETF
    messages, and an [MS-TURN] sender that pads anyway is written with
    pad=True.
    """

    def __init__(self, mtype, tid, legacy=False, ms=False, pad=None, classic=False):
        self.mtype = mtype
        self.legacy = legacy
        self.classic = classic    # RFC 3489: 16-byte ID, no cookie, values unpadded (11.2)
        self.ms = ms or legacy
        self.pad = (not self.ms and not classic) if pad is None else pad
        if legacy or classic:
            assert len(tid) == 16 and struct.unpack("!I", tid[:4])[0] != MAGIC_COOKIE
            self.tid = tid
        else:
            assert len(tid) == 12
            self.tid = tid
        self.attrs = []          # (type, value bytes)
        self.error_code = None
        self.values = []         # (truth field, value) in message order
        self.nested = []         # what its DATA attributes carry (Msg or Mux), in order
        self.wire = None
        if self.ms:
            self.attr(A_MS_MAGIC_COOKIE, struct.pack("!I", MS_MAGIC_COOKIE))

    # -- generic -------------------------------------------------------------
    @property
    def header_id(self):
        """What follows the type and length: cookie + 12-byte ID, or 16 bytes."""
        return self.tid if self.legacy or self.classic else struct.pack("!I", MAGIC_COOKIE) + self.tid

    def attr(self, atype, value, field=None, shown=None):
        self.attrs.append((atype, value))
        if field:
            self.values.append((field, shown))
        return self

    def attr_types(self):
        return [t for t, _ in self.attrs]

    def truth_values(self):
        return self.values

    # -- typed attributes ----------------------------------------------------
    def xor_addr(self, atype, ip, port):
        self.attr(atype, xor_address(ip, port, self.header_id))
        name = XOR_FIELDS.get(atype)
        if atype == A_MS_XOR_MAPPED:
            name = "xor_mapped"
        if atype == A_XOR_PEER and self.ms:
            name = None        # [MS-TURN] Remote Address, never XOR-encoded
        if name:
            v6 = ipaddress.ip_address(ip).version == 6
            self.values.append(("msturn.att.%s.%s" % (name, "ipv6" if v6 else "ip"),
                                str(ipaddress.ip_address(ip))))
            self.values.append(("msturn.att.%s.port" % name, str(port)))
        return self

    def address(self, atype, ip, port, field=None):
        """A plain address; field: its truth name (msturn.att.<field>.ip/.port)."""
        self.attr(atype, plain_address(ip, port))
        if field:
            v6 = ipaddress.ip_address(ip).version == 6
            self.values.append(("msturn.att.%s.%s" % (field, "ipv6" if v6 else "ip"),
                                str(ipaddress.ip_address(ip))))
            self.values.append(("msturn.att.%s.port" % field, str(port)))
        return self

    def data(self, inner):
        """DATA (RFC 5766 14.4, [MS-TURN] 2.2.2.12): bytes, or a message or
        multiplexed packet that msturn decodes in its own right."""
        if isinstance(inner, (Msg, Mux)):
            self.nested.append(inner)
            return self.attr(A_DATA, inner.wire)
        return self.attr(A_DATA, inner)

    def token(self, value):
        """An opaque USERNAME, as [MS-TURN] Send Requests carry it."""
        return self.attr(A_USERNAME, value, "msturn.att.username.bytes", value.hex(":"))

    def u32(self, atype, v, field=None):
        return self.attr(atype, struct.pack("!I", v), field, str(v))

    def string(self, atype, s, field=None):
        return self.attr(atype, s.encode(), field, s)

    def username(self, s):
        return self.string(A_USERNAME, s, "msturn.att.username")

    def realm(self, s):
        return self.string(A_MS_REALM if self.ms else A_REALM, s, "msturn.att.realm")

    def nonce(self, s):
        return self.string(A_MS_NONCE if self.ms else A_NONCE, s)

    def lifetime(self, v):
        return self.u32(A_LIFETIME, v, "msturn.att.lifetime")

    def transport(self, proto=6):
        # RFC 5766 14.7: protocol, then 3 bytes RFFU
        return self.attr(A_REQ_TRANSPORT, struct.pack("!B3x", proto),
                         "msturn.att.requested_transport", str(proto))

    def connection_id(self, cid):
        return self.u32(A_CONNECTION_ID, cid, "msturn.att.connection_id")

    def error(self, code, reason=None):
        # RFC 5389 15.6: 21 zero bits, class (3 bits), number (8 bits), reason
        reason = reason or ERROR_REASONS[code]
        value = struct.pack("!HBB", 0, code // 100, code % 100) + reason.encode()
        self.error_code = code
        return self.attr(A_ERROR_CODE, value, "msturn.att.error", str(code))

    def software(self, s=SOFTWARE):
        return self.string(A_SOFTWARE, s)

    def empty(self, atype):
        return self.attr(atype, b"")

    # -- encoding -----------------------------------------------------------
    def _encode_attrs(self, attrs):
        out = b""
        for t, v in attrs:
            out += struct.pack("!HH", t, len(v)) + (_pad4(v) if self.pad else v)
        return out

    def _header(self, body_len):
        return struct.pack("!HH", self.mtype, body_len) + self.header_id

    def encode(self, key=None, fingerprint=True, sha256=False, sha256_len=None):
        """Append MESSAGE-INTEGRITY (RFC 5389 15.4; a 32-byte HMAC-SHA256
        for [MS-TURN] MS-VERSION 3 and later; RFC 3489 11.2.8 for classic
        messages), or MESSAGE-INTEGRITY-SHA256 of sha256_len bytes (RFC 8489
        14.6), and FINGERPRINT (15.5)."""
        body = self._encode_attrs(self.attrs)
        if key is not None and self.classic:
            # RFC 3489 11.2.8: the text up to the attribute, zero-padded to a
            # multiple of 64 bytes; MESSAGE-INTEGRITY comes last, so the
            # header length already counts it
            covered = self._header(len(body) + 24) + body
            covered += bytes(-len(covered) % 64)
            digest = hmac.new(key, covered, hashlib.sha1).digest()
            self.attrs.append((A_MESSAGE_INTEGRITY, digest))
            body += struct.pack("!HH", A_MESSAGE_INTEGRITY, 20) + digest
        elif key is not None and sha256_len is not None:
            # RFC 8489 14.6: the HMAC truncated to its first sha256_len bytes
            covered = self._header(len(body) + 4 + sha256_len) + body
            digest = hmac.new(key, covered, hashlib.sha256).digest()[:sha256_len]
            self.attrs.append((A_MESSAGE_INTEGRITY_SHA256, digest))
            body += struct.pack("!HH", A_MESSAGE_INTEGRITY_SHA256, sha256_len) + digest
        elif key is not None:
            mi_len = 32 if sha256 else 20
            # the length field counts up to the end of MESSAGE-INTEGRITY
            covered = self._header(len(body) + 4 + mi_len) + body
            digest = hmac.new(key, covered, hashlib.sha256 if sha256 else hashlib.sha1).digest()
            self.attrs.append((A_MESSAGE_INTEGRITY, digest))
            body += struct.pack("!HH", A_MESSAGE_INTEGRITY, mi_len) + digest
        if fingerprint:
            covered = self._header(len(body) + 8) + body
            crc = (zlib.crc32(covered) & 0xFFFFFFFF) ^ FINGERPRINT_XOR
            self.attrs.append((A_FINGERPRINT, struct.pack("!I", crc)))
            body += struct.pack("!HHI", A_FINGERPRINT, 4, crc)
            self.values.append(("msturn.att.fingerprint.status", "1"))
        self.wire = self._header(len(body)) + body
        return self


class Mux:
    """[MS-TURN] 2.2.3 multiplexed TURN packet: Channel_ID 0xFF10, the length
    of what follows it, the 8-byte MTURN_Session_ID, then a message or data."""

    def __init__(self, session_id, inner):
        assert len(session_id) == 8
        self.session_id = session_id
        self.inner = inner
        body = inner.wire if isinstance(inner, Msg) else inner
        self.wire = struct.pack("!HH", MUX_CHANNEL, 8 + len(body)) + session_id + body


def truth_parts(m, framing, offset):
    """(offset, length, framing, Msg) of every message msturn must show for
    PDU content m at offset: the message itself, then what its DATA carries
    (framing F_IN_DATA) and what multiplexed packets wrap (F_MUX)."""
    if isinstance(m, Mux):
        if isinstance(m.inner, Msg):
            return truth_parts(m.inner, F_MUX, offset + 12)
        return []
    if not isinstance(m, Msg):
        return []
    out = [(offset, len(m.wire), framing, m)]
    pos = 0
    for inner in m.nested:
        pos = m.wire.index(inner.wire, pos)
        out += truth_parts(inner, F_IN_DATA, offset + pos)
        pos += len(inner.wire)
    return out


def frame_message(framing, m):
    """The bytes of one PDU on the wire with its framing."""
    payload = m.wire if isinstance(m, (Msg, Mux)) else m
    if framing == F_RAW:
        return payload
    if framing == F_4571:                      # RFC 4571 2
        return struct.pack("!H", len(payload)) + payload
    if framing in (F_MS_CTL, F_MS_DATA):       # [MS-TURN] 2.1.4
        return struct.pack("!BBH", 0x02 if framing == F_MS_CTL else 0x03, 0, len(payload)) + payload
    raise ValueError(framing)


def rtcp_receiver_report(ssrc, source, lost=0, jitter=40):
    """RFC 3550 6.4.2 RR with one report block (length 7 words)."""
    return struct.pack("!BBHI", 0x81, 201, 7, ssrc) + \
        struct.pack("!IIIIII", source, lost & 0xFFFFFF, 9000, jitter, 0, 0)


def udp_send(cap, src, sport, dst, dport, m, trailer=b""):
    """One datagram holding PDU content m (Msg, Mux or bytes) and, after it,
    trailer (bytes the message's length leaves out); its truth lines are
    written for every message msturn must show in it."""
    payload = (m.wire if isinstance(m, (Msg, Mux)) else m) + trailer
    f = cap.add(ethernet(src, dst, ip_packet(src, dst, 17, udp_datagram(src, sport, dst, dport, payload))))
    for _off, length, framing, msg in truth_parts(m, F_RAW, 0):
        e = TruthEntry(framing, msg, length)
        e.covered, e.frame = length, f
        cap.truth.append(e)
    return f


def channel_send(cap, src, sport, dst, dport, channel, m, pad=False):
    """One UDP datagram of TURN ChannelData (RFC 8656 12.4): channel number,
    data length, then PDU content m (a Msg, whose truth line says it came in
    ChannelData, or bytes); over UDP padding to 4 bytes is optional (12.5)."""
    payload = m.wire if isinstance(m, Msg) else m
    data = struct.pack("!HH", channel, len(payload)) + payload
    if pad:
        data += bytes(-len(data) % 4)
    f = cap.add(ethernet(src, dst, ip_packet(src, dst, 17, udp_datagram(src, sport, dst, dport, data))))
    for _off, length, _framing, msg in truth_parts(m, F_CHANNEL, 4):
        e = TruthEntry(F_CHANNEL if msg is m else F_IN_DATA, msg, length)
        e.covered, e.frame = length, f
        cap.truth.append(e)
    return f


def rtp_packet(det, seq, ts, ssrc, size, pt=96, marker=False):
    """RFC 3550 5.1 fixed header, version 2, then payload bytes."""
    hdr = struct.pack("!BBHII", 0x80, (0x80 if marker else 0) | pt, seq & 0xFFFF, ts & 0xFFFFFFFF, ssrc)
    return hdr + det.bytes(size)

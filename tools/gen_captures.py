#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""Write the msturn lab captures, deterministically.

usage: gen_captures.py [OUTDIR]
       gen_captures.py --check REFDIR [--workdir DIR]

The first form writes every capture (pcapng), its truth file (.truth.tsv),
per-capture tshark options (.args), README.md and MANIFEST.sha256 into OUTDIR
(default: test-captures/ at the top of the source tree).  Running it twice
gives byte-identical files: nothing depends on the clock, the host or a
random seed that is not fixed here.  Captures recorded from real programs
(KEPT_CAPTURES) are not written: they are described in README.md and listed
in MANIFEST.sha256 as they are.

The second form generates into a fresh temporary folder (inside --workdir,
default the system's temporary folder) and compares every file byte for byte
with REFDIR; it names each file that differs, is missing or is extra, and
exits 1 if any does.

Standard library only.  Facts come from the specifications cited next to the
code that uses them: RFC 5389 / 8489 (STUN), RFC 5766 / 8656 (TURN),
RFC 6062 (TURN TCP allocations), RFC 6156 (IPv6), RFC 4571 / RFC 6544
(framing of STUN and RTP over TCP), RFC 5245 / 8445 (ICE), RFC 3550 (RTP),
RFC 793 (TCP), RFC 791 / 8200 (IPv4 / IPv6), RFC 768 (UDP),
RFC 2246 / 5246 (TLS), [MS-TURN], [MS-TURNBWM], [MS-ICE2] and the pcapng
format (draft-ietf-opsawg-pcapng).
"""
import argparse
import calendar
import filecmp
import hashlib
import hmac
import ipaddress
import os
import shutil
import struct
import sys
import tempfile
import zlib

# ---------------------------------------------------------------------------
# Constants
# ---------------------------------------------------------------------------

MAGIC_COOKIE = 0x2112A442          # RFC 5389 6
MS_MAGIC_COOKIE = 0x72C64BC6       # [MS-TURN] 2.2.2.6, value of attribute 0x000F
EDGE_IPV6 = "2001:db8:113::10"     # the Edge's IPv6 relay (MS-ALTERNATE-MAPPED-ADDRESS)
FINGERPRINT_XOR = 0x5354554E       # RFC 5389 15.5

# Long-term credentials of the lab (RFC 5389 15.4: key = MD5(user:realm:pass))
TURN_USER = "turn"
CLASSIC_USER = "lab3489u"                  # RFC 3489 11.2.6: a multiple of 4 bytes
CLASSIC_PASSWORD = "rfc3489-shared-secret"
ICE_SHA256_USER = "sha2"
ICE_SHA256_PASSWORD = "ice-sha256-lab-password"
TURN_REALM = "TANDBERG"
TURN_PASSWORD = "Expressway-lab-1"
WRONG_PASSWORD = "Expressway-lab-2"
NONCE_1 = "4e9d1c0a7b3f5e2d8c6a1b9f0e7d3c5a:1502957031:TANDBERG"
# Teams relays' nonces and reason phrases have any length: [MS-TURN] pads
# nothing, so these make odd attribute and message lengths.
NONCE_TEAMS = "a1b2c3d4e5f60718293a4b5c6d7e8f9a:1502958000:teams"
REASON_TEAMS_401 = "Unauthorized: the request did not carry valid credentials"
NONCE_2 = "c7a3e1f9b5d2084e6a1c3f7b9d0e2a4c:1502957091:TANDBERG"

# ICE short-term credentials (RFC 5245 7.1.2.3, [MS-ICE2] 3.1.4.8.1)
CMS_UFRAG, CMS_PWD = "AoVy", "cmsLabIcePassword4TcpTurn"
SKYPE_UFRAG, SKYPE_PWD = "l0MR", "skypeLabIcePwd+relay/2017"

SOFTWARE = "TANDBERG/4130 (X8.9.2)"

# Capture start: 2017-08-17 08:03:51.966175 UTC (the seed's first frame).
T0_US = calendar.timegm((2017, 8, 17, 8, 3, 51)) * 1000000 + 966175

# STUN / TURN attribute types used here.
A_MAPPED = 0x0001
A_USERNAME = 0x0006
A_MESSAGE_INTEGRITY = 0x0008
A_ERROR_CODE = 0x0009
A_MESSAGE_INTEGRITY_SHA256 = 0x001C  # RFC 8489 14.6
A_LIFETIME = 0x000D
A_MS_MAGIC_COOKIE = 0x000F        # [MS-TURN] 2.2.2.6
A_MS_BANDWIDTH = 0x0010           # [MS-TURN] 2.2.2.7
A_MS_DESTINATION = 0x0011         # [MS-TURN] 2.2.2.8
A_XOR_PEER = 0x0012               # RFC 5766 14.3; [MS-TURN] 2.2.2.9 Remote Address
A_DATA = 0x0013
A_REALM = 0x0014                  # RFC 5389 15.7
A_NONCE = 0x0015                  # RFC 5389 15.8
A_MS_NONCE = 0x0014               # [MS-TURN] 2.2.2: Nonce is 0x0014 ...
A_MS_REALM = 0x0015               # ... and Realm 0x0015
A_XOR_RELAYED = 0x0016
A_REQ_FAMILY = 0x0017             # RFC 6156 4.1.1
A_REQ_TRANSPORT = 0x0019
A_XOR_MAPPED = 0x0020
A_PRIORITY = 0x0024
A_USE_CANDIDATE = 0x0025
A_CONNECTION_ID = 0x002A          # RFC 6062 6.2.1
A_MS_VERSION = 0x8008             # [MS-TURN] 2.2.2.17
A_MS_XOR_MAPPED = 0x8020          # [MS-TURN] 2.2.2.16
A_SOFTWARE = 0x8022
A_FINGERPRINT = 0x8028
A_ICE_CONTROLLED = 0x8029
A_ICE_CONTROLLING = 0x802A
A_MS_ALT_HOST_NAME = 0x8032       # [MS-TURN] 2.2.2.x
A_MS_APP_ID = 0x8037
A_MS_SECURE_TAG = 0x8039
A_MS_SEQUENCE_NUMBER = 0x8050     # [MS-TURN] 2.2.2.19
A_CANDIDATE_ID = 0x8054           # [MS-ICE2] candidate identifier
A_MS_SERVICE_QUALITY = 0x8055     # [MS-TURN] 2.2.2.22
A_BW_ACM = 0x8056                 # [MS-TURNBWM] 2.2.1
A_BW_RSV_ID = 0x8057              # [MS-TURNBWM] 2.2.2
A_BW_RSV_AMOUNT = 0x8058          # [MS-TURNBWM] 2.2.3
A_REMOTE_SITE = 0x8059            # [MS-TURNBWM] 2.2.4
A_REMOTE_RELAY_SITE = 0x805A      # [MS-TURNBWM] 2.2.5
A_LOCAL_SITE = 0x805B             # [MS-TURNBWM] 2.2.6
A_LOCAL_RELAY_SITE = 0x805C       # [MS-TURNBWM] 2.2.7
A_REMOTE_SITE_RSP = 0x805D        # [MS-TURNBWM] 2.2.8
A_REMOTE_RELAY_SITE_RSP = 0x805E  # [MS-TURNBWM] 2.2.9
A_LOCAL_SITE_RSP = 0x805F         # [MS-TURNBWM] 2.2.10
A_LOCAL_RELAY_SITE_RSP = 0x8060   # [MS-TURNBWM] 2.2.11
A_SIP_DIALOG_ID = 0x8061          # [MS-TURNBWM] 2.2.12
A_SIP_CALL_ID = 0x8062            # [MS-TURNBWM] 2.2.13
A_LOCATION_PROFILE = 0x8068       # [MS-TURNBWM] 2.2.14
A_MS_IMPL_VERSION = 0x8070        # [MS-ICE2] implementation version
A_MS_ALT_MAPPED = 0x8090          # [MS-TURN] 2.2.2.x
A_MS_MUX_SESSION_ID = 0x8095      # [MS-TURN] 2.2.2.x

# Message types (RFC 5389 6: method and class bits interleaved).
BINDING_REQ, BINDING_IND, BINDING_OK = 0x0001, 0x0011, 0x0101
BINDING_ERR = 0x0111
ALLOCATE_REQ, ALLOCATE_OK, ALLOCATE_ERR = 0x0003, 0x0103, 0x0113
REFRESH_REQ, REFRESH_OK, REFRESH_ERR = 0x0004, 0x0104, 0x0114
CREATEPERM_REQ, CREATEPERM_OK, CREATEPERM_ERR = 0x0008, 0x0108, 0x0118
CONNECT_REQ, CONNECT_OK, CONNECT_ERR = 0x000A, 0x010A, 0x011A
CONNBIND_REQ, CONNBIND_OK, CONNBIND_ERR = 0x000B, 0x010B, 0x011B
CONNATTEMPT_IND = 0x001C
# [MS-TURN] 2.2.1 whole message types
MS_SEND_REQ, MS_DATA_IND = 0x0004, 0x0115
MS_SETACTIVE_REQ, MS_SETACTIVE_OK = 0x0006, 0x0106

MS_SETACTIVE_ERR = 0x0116

# Truth file framing codes (test-captures/README.md)
F_RAW, F_4571, F_MS_CTL, F_MS_DATA, F_CHANNEL = 0, 1, 2, 3, 4
F_MUX, F_IN_DATA = 5, 6           # [MS-TURN] 2.2.3 multiplexed; inside a DATA attribute
MUX_CHANNEL = 0xFF10              # [MS-TURN] 2.2.3 Channel_ID

ERROR_REASONS = {
    400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 437: "Allocation Mismatch",
    438: "Stale Nonce", 446: "Connection Already Exists",
    447: "Connection Timeout or Failure", 508: "Insufficient Capacity",
}


def long_term_key(password=TURN_PASSWORD, user=TURN_USER, realm=TURN_REALM):
    """RFC 5389 15.4: key = MD5(username ":" realm ":" SASLprep(password))."""
    return hashlib.md5(("%s:%s:%s" % (user, realm, password)).encode()).digest()


class Det:
    """Deterministic byte source: SHA-256 of a label and a counter."""

    def __init__(self, label):
        self.label = label.encode()
        self.n = 0

    def bytes(self, n):
        out = b""
        while len(out) < n:
            self.n += 1
            out += hashlib.sha256(self.label + b":" + str(self.n).encode()).digest()
        return out[:n]

    def u32(self):
        return struct.unpack("!I", self.bytes(4))[0]

    def below(self, n):
        return self.u32() % n


# ---------------------------------------------------------------------------
# pcapng writer (draft-ietf-opsawg-pcapng 4.1 SHB, 4.2 IDB, 4.3 EPB)
# ---------------------------------------------------------------------------

def _pad4(b):
    return b + b"\0" * (-len(b) % 4)


def _option(code, value):
    return struct.pack("<HH", code, len(value)) + _pad4(value)


def _block(btype, body):
    total = 12 + len(body)
    return struct.pack("<II", btype, total) + body + struct.pack("<I", total)


def pcapng_bytes(frames):
    """frames: list of (timestamp in microseconds, Ethernet frame bytes)."""
    shb_opts = _option(4, b"msturn tools/gen_captures.py") + _option(0, b"")
    out = [_block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1) + shb_opts)]
    # Link type 1 (Ethernet); no if_tsresol option, so microseconds (default).
    out.append(_block(0x00000001, struct.pack("<HHI", 1, 0, 262144)))
    for ts, data in frames:
        body = struct.pack("<IIIII", 0, ts >> 32, ts & 0xFFFFFFFF, len(data), len(data))
        out.append(_block(0x00000006, body + _pad4(data)))
    return b"".join(out)


# ---------------------------------------------------------------------------
# Link, network and transport layers
# ---------------------------------------------------------------------------

def inet_checksum(data):
    """RFC 1071 ones' complement sum."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


class Host:
    """One IP address with the MAC address frames to or from it carry on the
    capture link and the TTL / hop limit its packets arrive with."""

    def __init__(self, ip, mac, ttl=64):
        self.ip = ipaddress.ip_address(ip)
        self.mac = bytes.fromhex(mac.replace(":", ""))
        self.ttl = ttl
        self.ip_id = int(hashlib.sha256(ip.encode()).hexdigest()[:4], 16)

    @property
    def v6(self):
        return self.ip.version == 6

    def next_id(self):
        self.ip_id = (self.ip_id + 1) & 0xFFFF
        return self.ip_id


def ip_packet(src, dst, proto, payload):
    """IPv4 (RFC 791) with DF and a checksum, or IPv6 (RFC 8200)."""
    if src.v6:
        return struct.pack("!IHBB", 0x60000000, len(payload), proto, src.ttl) + \
            src.ip.packed + dst.ip.packed + payload
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), src.next_id(), 0x4000,
                      src.ttl, proto, 0, src.ip.packed, dst.ip.packed)
    hdr = hdr[:10] + struct.pack("!H", inet_checksum(hdr)) + hdr[12:]
    return hdr + payload


def pseudo_header(src, dst, proto, length):
    if src.v6:
        return src.ip.packed + dst.ip.packed + struct.pack("!IxxxB", length, proto)
    return src.ip.packed + dst.ip.packed + struct.pack("!xBH", proto, length)


def ethernet(src, dst, packet):
    ethertype = 0x86DD if src.v6 else 0x0800
    return dst.mac + src.mac + struct.pack("!H", ethertype) + packet


def tcp_segment(src, sport, dst, dport, seq, ack, flags, window, payload=b"", options=b""):
    """RFC 793 header with the checksum over the pseudo-header."""
    options = _pad4(options)
    off = (20 + len(options)) // 4
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF,
                      off << 4, flags, window, 0, 0) + options
    csum = inet_checksum(pseudo_header(src, dst, 6, len(hdr) + len(payload)) + hdr + payload)
    return hdr[:16] + struct.pack("!H", csum) + hdr[18:] + payload


def udp_datagram(src, sport, dst, dport, payload):
    """RFC 768 (IPv4) / RFC 8200 8.1 (IPv6) with the checksum."""
    hdr = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0)
    csum = inet_checksum(pseudo_header(src, dst, 17, 8 + len(payload)) + hdr + payload) or 0xFFFF
    return hdr[:6] + struct.pack("!H", csum) + payload


FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10


# ---------------------------------------------------------------------------
# The capture: clock, frames, truth lines, notes for the README
# ---------------------------------------------------------------------------

class TruthEntry:
    """One STUN/TURN message as the truth file describes it."""
    counter = 0

    def __init__(self, framing, msg, length):
        TruthEntry.counter += 1
        self.order = TruthEntry.counter
        self.framing = framing
        self.msg = msg
        self.length = length
        self.covered = 0
        self.frame = 0
        self.tcp = None           # the TcpConn it travelled on (None: UDP)

    def line(self):
        m = self.msg
        values = ";".join("%s=%s" % kv for kv in m.truth_values())
        return "\t".join([str(self.frame), str(self.framing), "0x%04x" % m.mtype,
                          m.tid.hex(), ",".join("0x%04x" % t for t in m.attr_types()), values])


class Capture:
    def __init__(self, name, t0=T0_US):
        self.name = name
        self.t = t0
        self.frames = []
        self.truth = []
        self.notes = []
        self.args = []
        self.det = Det(name)
        self.conns = []           # every TcpConn, for the sessions truth
        self.sessions = []        # TurnTcpSession objects, in order of first Allocate
        self.experts = []         # (frame, expert) the scenario expects beyond the automatic ones

    def wait(self, ms):
        self.t += int(round(ms * 1000))

    def add(self, frame):
        if self.frames and self.t < self.frames[-1][0]:
            raise RuntimeError("%s: time goes backwards" % self.name)
        self.frames.append((self.t, frame))
        return len(self.frames)

    def note(self, text, frame=None):
        self.notes.append((frame if frame is not None else len(self.frames), text))

    def expect(self, frame, expert):
        """The scenario expects msturn's expert item `expert` on `frame`."""
        self.experts.append((frame, expert))

    def session_lines(self):
        """The sessions truth: what msturn must say about sessions, roles and
        expert items (see README_HEAD)."""
        out = [SESSIONS_HEADER]
        for s in self.sessions:
            assert s.verdict, "%s: session %d has no expected verdict" % (self.name, s.number)
            out.append("\t".join(["session", str(s.number), s.client_text(), s.server_text(),
                                  s.relayed_text(), s.peers_text(), s.verdict, s.kind,
                                  ", ".join(str(n.number) for n in s.linked), s.path(),
                                  s.call_id]))
        roles = {}
        for c in self.conns:
            if c.session is None:
                continue
            for f in c.frames:
                roles[f] = (c.session, c.role)
        for f in sorted(roles):
            out.append("\t".join(["frame", str(f), str(roles[f][0]), roles[f][1]]))
        for f, e in sorted(set(self.experts + self.auto_experts())):
            out.append("\t".join(["expert", str(f), e]))
        return out

    def auto_experts(self):
        """Experts that follow from the messages alone: a 401 is a challenge,
        any other error code an error response, and a request with no
        response of the same transaction ID in its connection is unanswered."""
        out = []
        answered = set()
        for e in self.truth:
            if e.covered == e.length and (e.msg.mtype & 0x0110) != 0:
                answered.add((e.tcp, e.msg.tid))
        for e in self.truth:
            if e.covered != e.length:
                continue
            cls = ((e.msg.mtype >> 7) & 2) | ((e.msg.mtype >> 4) & 1)
            if cls == 3 and e.msg.error_code is not None:
                # a 401 to an ICE check (Binding) is a refusal, not a challenge
                binding = (e.msg.mtype & 0x3EEF) == 0x0001
                out.append((e.frame, ("msturn.ice_rejected" if binding else "msturn.challenge")
                            if e.msg.error_code == 401 else "msturn.error_response"))
            # [MS-TURN] Send requests carry data and are not answered
            ms_send = e.msg.ms and e.msg.mtype == 0x0004
            if cls == 0 and not ms_send and (e.tcp, e.msg.tid) not in answered:
                out.append((e.frame, "msturn.no_response"))
        return out

    def truth_lines(self):
        done = [e for e in self.truth if e.covered == e.length]
        done.sort(key=lambda e: (e.frame, e.order))
        return [e.line() for e in done]


# ---------------------------------------------------------------------------
# TCP connection model
# ---------------------------------------------------------------------------

class TcpSide:
    def __init__(self, host, port, isn, window, syn_window, wscale):
        self.host, self.port = host, port
        self.isn = isn
        self.nxt = isn            # next sequence number to send
        self.window = window      # raw window field (scaled by 2**wscale after the SYN)
        self.syn_window = syn_window
        self.wscale = wscale
        self.stream = bytearray()  # every payload byte this side has sent
        self.msgs = []            # (first offset, end offset, TruthEntry) in self.stream
        self.rcv = []             # intervals of the peer's sequence space received,
        self.rcv_rel = 0          # relative to the peer's ISN, and their contiguous end
        self.last_ack = None      # last acknowledgment number sent

    @property
    def data_base(self):
        return (self.isn + 1) & 0xFFFFFFFF


class TcpConn:
    """A TCP connection (RFC 793) between a client side (0) and a server side (1).

    Segments are emitted in the order the scenario asks for them, at the
    capture's current time.  ACK numbers acknowledge what the sender has
    received in sequence.  Every STUN message put into a stream is tracked
    so that its truth line gets the frame at which its last byte arrived.
    """

    def __init__(self, cap, client, cport, server, sport, cwin=229, swin=245, mss=1460):
        self.cap = cap
        seed = hashlib.sha256(("%s:%s:%d:%s:%d" % (cap.name, client.ip, cport, server.ip,
                                                   sport)).encode()).digest()
        isn_c, isn_s = struct.unpack("!II", seed[:8])
        self.sides = [TcpSide(client, cport, isn_c, cwin, 29200, 7),
                      TcpSide(server, sport, isn_s, swin, 28960, 7)]
        self.mss = mss
        self.session = None       # number of the presentation session it belongs to
        self.role = None          # "control", "data" or "peer"
        self.frames = []          # its frames in the capture
        cap.conns.append(self)

    def belongs(self, session, role):
        self.session, self.role = session, role
        return self

    # -- low level ---------------------------------------------------------
    def _emit(self, frm, flags, payload=b"", seq=None, visible=True, lost=False,
              options=b"", fresh=True):
        """One segment.  visible: it is in the capture.  lost: it never
        reaches the receiver (dropped after the capture point).  fresh: its
        bytes are new (not a retransmission) for the truth file."""
        src, dst = self.sides[frm], self.sides[1 - frm]
        if seq is None:
            seq = src.nxt
        ack = (dst.isn + src.rcv_rel) & 0xFFFFFFFF if flags & ACK else 0
        if flags & ACK:
            src.last_ack = ack
        win = src.syn_window if flags & SYN else src.window
        seg = tcp_segment(src.host, src.port, dst.host, dst.port, seq, ack, flags, win,
                          payload, options)
        frame_no = None
        if visible:
            frame_no = self.cap.add(ethernet(src.host, dst.host,
                                             ip_packet(src.host, dst.host, 6, seg)))
            self.frames.append(frame_no)
        length = len(payload) + (1 if flags & (SYN | FIN) else 0)
        rel = (seq - src.isn) & 0xFFFFFFFF
        if rel + length > ((src.nxt - src.isn) & 0xFFFFFFFF):
            src.nxt = (src.isn + rel + length) & 0xFFFFFFFF
        if length and not lost:
            dst.rcv.append((rel, rel + length))
            grew = True
            while grew:
                grew = False
                for s, e in dst.rcv:
                    if s <= dst.rcv_rel < e:
                        dst.rcv_rel = e
                        grew = True
        if payload and visible and fresh:
            off = rel - 1
            end = off + len(payload)
            for m_start, m_end, entry in src.msgs:
                lo, hi = max(m_start, off), min(m_end, end)
                if lo < hi:
                    entry.covered += hi - lo
                    entry.frame = max(entry.frame, frame_no)
        return frame_no

    def _syn_options(self, side):
        # MSS, NOP, NOP, SACK permitted, NOP, window scale (RFC 793, 2018, 7323)
        return struct.pack("!BBH", 2, 4, self.mss) + b"\x01\x01\x04\x02" + \
            struct.pack("!BBBB", 1, 3, 3, self.sides[side].wscale)

    # -- connection life ---------------------------------------------------
    def handshake(self, rtt_ms=0.25):
        self._emit(0, SYN, options=self._syn_options(0))
        self.cap.wait(rtt_ms / 2)
        self._emit(1, SYN | ACK, options=self._syn_options(1))
        self.cap.wait(rtt_ms / 2)
        self._emit(0, ACK)

    def assume_established(self):
        """For captures that start mid-connection: the handshake happened
        before the capture began."""
        for side in self.sides:
            side.nxt = side.data_base
            side.rcv_rel = 1

    def refuse(self, rtt_ms=0.3):
        """SYN answered by RST (nobody listens, RFC 793 3.4)."""
        self._emit(0, SYN, options=self._syn_options(0))
        self.cap.wait(rtt_ms)
        self._emit(1, RST | ACK, seq=0)

    def send(self, frm, data, msgs=(), sizes=None, gap_ms=0.02, order=None,
             hidden=(), lost=(), visible=True):
        """Send data from side frm.  msgs: (offset in data, length, framing,
        Msg) to track for the truth file.  sizes: segment sizes (default:
        MSS).  order: the order the segments go out in.  hidden: indexes of
        segments sent before the capture began; lost: indexes of segments
        the receiver never gets.  Returns the frame of the first segment."""
        src = self.sides[frm]
        base = len(src.stream)
        src.stream += data
        for off, length, framing, msg in msgs:
            entry = TruthEntry(framing, msg, length)
            entry.tcp = self
            src.msgs.append((base + off, base + off + length, entry))
            self.cap.truth.append(entry)
        if sizes is None:
            sizes, left = [], len(data)
            while left > 0:
                sizes.append(min(self.mss, left))
                left -= sizes[-1]
        assert sum(sizes) == len(data), (sizes, len(data))
        segs, pos = [], 0
        for n in sizes:
            segs.append((pos, n))
            pos += n
        first = None
        for k, idx in enumerate(order if order is not None else range(len(segs))):
            if k:
                self.cap.wait(gap_ms)
            pos, n = segs[idx]
            last = pos + n == len(data)
            f = self._emit(frm, ACK | (PSH if last else 0), data[pos:pos + n],
                           seq=(src.data_base + base + pos) & 0xFFFFFFFF,
                           visible=visible and idx not in hidden, lost=idx in lost)
            first = first or f
        return first

    def send_msgs(self, frm, framed, **kw):
        """framed: list of (framing, Msg or raw bytes) in stream order."""
        data, msgs = b"", []
        for framing, m in framed:
            wire = frame_message(framing, m)
            if isinstance(m, (Msg, Mux)):
                msgs += truth_parts(m, framing, len(data) + len(wire) - len(m.wire))
            data += wire
        return self.send(frm, data, msgs, **kw)

    def retransmit(self, frm, offset, length):
        """Send again bytes [offset, offset+length) of side frm's stream."""
        src = self.sides[frm]
        return self._emit(frm, ACK | PSH, bytes(src.stream[offset:offset + length]),
                          seq=(src.data_base + offset) & 0xFFFFFFFF, fresh=False)

    def ack(self, frm):
        """A pure ACK, unless everything received was already acknowledged
        (a second one would be a duplicate ACK)."""
        src, dst = self.sides[frm], self.sides[1 - frm]
        if src.last_ack == (dst.isn + src.rcv_rel) & 0xFFFFFFFF:
            return None
        return self._emit(frm, ACK)

    def close(self, frm, rtt_ms=0.3, peer_delay_ms=0.1):
        """Orderly release started by side frm: FIN, FIN+ACK, ACK."""
        self._emit(frm, FIN | ACK)
        self.cap.wait(peer_delay_ms)
        self._emit(1 - frm, FIN | ACK)
        self.cap.wait(rtt_ms)
        self._emit(frm, ACK)

    def reset(self, frm):
        self._emit(frm, RST | ACK)


# ---------------------------------------------------------------------------
# STUN / TURN / MS-TURN messages
# ---------------------------------------------------------------------------

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


def udp_send(cap, src, sport, dst, dport, m):
    """One datagram holding PDU content m (Msg, Mux or bytes); its truth
    lines are written for every message msturn must show in it."""
    payload = m.wire if isinstance(m, (Msg, Mux)) else m
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


# ---------------------------------------------------------------------------
# SIP (RFC 3261) and SDP (RFC 8866) builder, for the presentation's dialog
# ---------------------------------------------------------------------------

class Candidate:
    """An ICE candidate line.  ms=True writes the [MS-ICE2] 2.2.1 form
    (transport TCP-PASS / TCP-ACT, no tcptype); otherwise RFC 8839 with the
    RFC 6544 4.5 tcptype extension."""

    def __init__(self, foundation, component, tcptype, priority, ip, port, typ,
                 raddr=None, rport=None, ms=False):
        self.foundation, self.component, self.tcptype = foundation, component, tcptype
        self.priority, self.ip, self.port, self.typ = priority, ip, port, typ
        self.raddr, self.rport, self.ms = raddr, rport, ms

    def line(self):
        transport = {"passive": "TCP-PASS", "active": "TCP-ACT"}[self.tcptype] if self.ms else "tcp"
        out = "a=candidate:%s %d %s %d %s %d typ %s" % (self.foundation, self.component, transport,
                                                       self.priority, self.ip, self.port, self.typ)
        if self.raddr:
            out += " raddr %s rport %d" % (self.raddr, self.rport)
        if not self.ms:
            out += " tcptype %s" % self.tcptype
        return out


def sdp_applicationsharing(origin_ip, ufrag, pwd, candidates, port, session_level_ice=False):
    """An SDP body (RFC 8866) with one m=applicationsharing stream over
    TCP/RTP/AVP as Skype for Business and CMS write it ([MS-SDPEXT]
    3.1.5.x), its ICE credentials (RFC 8839 5.4: a=ice-ufrag, a=ice-pwd, at
    media level or, session_level_ice, at session level) and candidates."""
    ice = ["a=ice-ufrag:%s" % ufrag, "a=ice-pwd:%s" % pwd]
    lines = ["v=0", "o=- 0 1 IN IP4 %s" % origin_ip, "s=session", "c=IN IP4 %s" % origin_ip,
             "b=CT:99980", "t=0 0"]
    if session_level_ice:
        lines += ice
    lines += ["m=applicationsharing %d TCP/RTP/AVP 127" % port]
    if not session_level_ice:
        lines += ice
    lines += [c.line() for c in candidates]
    lines += ["a=setup:actpass", "a=connection:new", "a=rtpmap:127 x-data/90000",
              "a=x-applicationsharing-session-id:1", "a=x-applicationsharing-role:viewer",
              "a=x-applicationsharing-media-type:rdp"]
    return ("\r\n".join(lines) + "\r\n").encode()


class SipDialog:
    """One SIP dialog (RFC 3261 12): requests and responses with their
    Call-ID, CSeq, Via and tags; bodies are SDP."""

    def __init__(self, call_id, caller_uri, callee_uri, transport="TCP"):
        self.call_id, self.caller, self.callee = call_id, caller_uri, callee_uri
        self.transport = transport
        self.cseq = 0
        self.from_tag, self.to_tag = "f7a93c", "2b71e0"

    def request(self, method, via_host, cseq=None, body=None):
        if cseq is None:
            self.cseq += 1
            cseq = self.cseq
        start = "%s sip:%s SIP/2.0" % (method, self.callee)
        return self._message(start, via_host, cseq, method, body)

    def response(self, code, reason, via_host, cseq, method, body=None):
        return self._message("SIP/2.0 %d %s" % (code, reason), via_host, cseq, method, body)

    def _message(self, start, via_host, cseq, method, body):
        hdrs = [start,
                "Via: SIP/2.0/%s %s;branch=z9hG4bK%s%d" % (self.transport, via_host, method.lower(), cseq),
                "From: <sip:%s>;tag=%s" % (self.caller, self.from_tag),
                "To: <sip:%s>%s" % (self.callee, "" if start.startswith("INVITE") and cseq == 1
                                    else ";tag=" + self.to_tag),
                "Call-ID: %s" % self.call_id,
                "CSeq: %d %s" % (cseq, method),
                "Max-Forwards: 70"]
        if body:
            hdrs += ["Content-Type: application/sdp"]
        hdrs += ["Content-Length: %d" % len(body or b"")]
        return ("\r\n".join(hdrs) + "\r\n\r\n").encode() + (body or b"")


# ---------------------------------------------------------------------------
# The lab
# ---------------------------------------------------------------------------

def lab_hosts():
    return {
        # MAC addresses of the seed's capture for CMS and Expressway-E
        "cms": Host("10.48.54.230", "00:50:56:98:98:98"),
        "cms2": Host("10.48.54.231", "00:50:56:98:98:99"),
        "cms3": Host("10.48.54.232", "00:50:56:98:98:9a"),
        "expe": Host("10.48.54.229", "00:0c:29:48:9e:5f"),
        # far hosts arrive through the lab router
        "edge": Host("192.168.1.252", "00:0c:29:01:02:fe", ttl=62),
        "edge2": Host("192.168.1.253", "00:0c:29:01:02:fe", ttl=62),
        "edge3v6": Host("2001:db8:1::252", "00:0c:29:01:02:fe", ttl=62),
        "expe_v6": Host("2001:db8:48:54::229", "00:0c:29:48:9e:5f"),
    }


def link_sessions(a, b):
    """Two sessions of one media path on two TURN servers: an [MS-TURN]
    allocation whose peer is the RFC 6062 relayed address (or that relays
    from the address the RFC 6062 session names as its peer)."""
    a.linked.append(b)
    b.linked.append(a)


def path_verdict(s):
    """The verdict of a session and its linked ones, [MS-TURN] leg first:
    'path valid', or every leg whose verdict is not ICE valid."""
    if not s.linked:
        return ""
    legs = [x for x in [s] + s.linked if x.kind == MsTurnAllocation.kind] + \
        [x for x in [s] + s.linked if x.kind != MsTurnAllocation.kind]
    bad = [x for x in legs if x.verdict != "ICE valid"]
    name = {MsTurnAllocation.kind: "MS-TURN leg"}
    parts = ["%s (session %d)" % (name.get(x.kind, "RFC 6062 leg"), x.number) for x in bad]
    if not bad:
        return "path valid"
    if len(bad) == 1:
        return "%s failed: %s" % (parts[0], bad[0].verdict)
    return "legs failed: " + "; ".join("%s: %s" % (p, x.verdict) for p, x in zip(parts, bad))


class MsTurnAllocation:
    """The sessions truth of one [MS-TURN] allocation ([MS-TURN] 3.2): its
    control connection or UDP flow, the relayed address of the Allocate
    response (MAPPED-ADDRESS, with MS-ALTERNATE-MAPPED-ADDRESS after it),
    the peers of its Send Requests, Set Active Destination and Data
    Indications, and the verdict the scenario leads to."""

    kind = "MS-TURN relay"
    call_id = ""

    def __init__(self, cap, conn, client, cport, server, sport):
        self.cap, self.conn = cap, conn
        self.client, self.cport, self.server, self.sport = client, cport, server, sport
        self.number = None
        self.verdict = None
        self.relayed = ""
        self.peers = []
        self.linked = []
        self.ok_frame = None      # the Allocate success response

    def start(self):
        if self.number is None:
            self.cap.sessions.append(self)
            self.number = len(self.cap.sessions)
            self.conn.belongs(self.number, "control")

    def allocated(self, frame, ip, port, ip6=None):
        if self.ok_frame is None:
            self.ok_frame = frame
            self.relayed = endpoint_text(ip, port) + (", " + endpoint_text(ip6, port) if ip6 else "")

    def add_peer(self, ip, port):
        if endpoint_text(ip, port) not in self.peers:
            self.peers.append(endpoint_text(ip, port))

    def expect_outcome(self):
        """The expert item msturn puts on the Allocate response of an
        allocation whose relayed checks did not pass both ways."""
        if self.verdict.startswith("ICE") and self.verdict != "ICE valid" or \
                self.verdict == "no ICE checks":
            self.cap.expect(self.ok_frame, "msturn.session.ice_incomplete")

    def client_text(self):
        return endpoint_text(self.client.ip, self.cport)

    def server_text(self):
        return endpoint_text(self.server.ip, self.sport)

    def relayed_text(self):
        return self.relayed

    def peers_text(self):
        return ", ".join(self.peers)

    def path(self):
        return path_verdict(self)


class UdpFlow:
    """A UDP 5-tuple seen as a connection for the sessions truth: the
    frames of a client's flow to its TURN server."""

    def __init__(self, cap, client, cport, server, sport):
        self.cap = cap
        self.client, self.cport, self.server, self.sport = client, cport, server, sport
        self.session, self.role = None, None
        self.frames = []
        cap.conns.append(self)

    def belongs(self, session, role):
        self.session, self.role = session, role
        return self

    def send(self, frm, m):
        src, dst = (self.client, self.server) if frm == 0 else (self.server, self.client)
        sp, dp = (self.cport, self.sport) if frm == 0 else (self.sport, self.cport)
        f = udp_send(self.cap, src, sp, dst, dp, m)
        self.frames.append(f)
        return f


class TurnTcpSession:
    """One presentation session over an RFC 6062 TCP allocation.

    The client (CMS) keeps a control connection to the TURN server
    (Expressway-E :3478); the peer (Skype Edge) connects to the relayed
    address; the server announces it with ConnectionAttempt; the client
    binds a new data connection to it with ConnectionBind; ICE checks and
    media then travel framed with RFC 4571 on both the peer and the data
    connection, the server relaying the bytes unchanged.
    """

    def __init__(self, cap, client, server, peer, ctl_port, data_port, relay_port, peer_port,
                 conn_id, relay_host=None, password=TURN_PASSWORD, nonce=NONCE_1, server_port=3478):
        self.cap = cap
        self.client, self.server, self.peer = client, server, peer
        self.relay_host = relay_host or server
        self.ctl_port, self.data_port = ctl_port, data_port
        self.relay_port, self.peer_port = relay_port, peer_port
        self.conn_id = conn_id
        self.server_port = server_port
        self.key = long_term_key(password)
        self.server_key = long_term_key()
        self.nonce = nonce
        self.ctl = None
        self.data = None
        self.peer_conn = None
        self.ice_seq = 0
        self.rtp_seq = [1000, 30000]
        # for the sessions truth
        self.number = None        # msturn.session: from 1 in order of first Allocate
        self.verdict = None       # what the scenario leads to (README's verdicts)
        self.allocated = False
        self.peers = []           # peers as the sessions table shows them
        self.bind_frames = None   # (ConnectionBind request, response) of the last bind
        self.linked = []          # sessions of the other TURN server on the same path
        self.skype_key = None     # the key the Skype side signs its checks with, if not CMS's
        self.skype_ufrag = SKYPE_UFRAG  # the username fragment its checks name
        self.call_id = ""         # the SIP dialog the session is linked to
        self.ice_valid_frame = None  # where the checks first succeeded both ways

    kind = "RFC 6062 presentation"

    def path(self):
        return path_verdict(self)

    def start(self):
        """The first Allocate opens the presentation session."""
        if self.number is None:
            self.cap.sessions.append(self)
            self.number = len(self.cap.sessions)
            self.ctl.belongs(self.number, "control")

    def add_peer(self, ip, port):
        self.peers.append(endpoint_text(ip, port))

    def client_text(self):
        return endpoint_text(self.client.ip, self.ctl_port)

    def server_text(self):
        return endpoint_text(self.server.ip, self.server_port)

    def relayed_text(self):
        return self.relay_text() if self.allocated else ""

    def peers_text(self):
        return ", ".join(self.peers)

    def tid(self):
        return self.cap.det.bytes(12)

    # -- control connection --------------------------------------------------
    def open_control(self):
        self.ctl = TcpConn(self.cap, self.client, self.ctl_port, self.server, self.server_port)
        self.ctl.handshake()
        self.cap.wait(0.3)

    def request(self, conn, req, resp, server_ms=2.0, ack_ms=0.4, framing=F_RAW):
        """Client request, server response, client ACK.  Returns the frames."""
        self.cap.wait(0.04)
        f_req = conn.send_msgs(0, [(framing, req)])
        self.cap.wait(server_ms)
        f_resp = None
        if resp is not None:
            f_resp = conn.send_msgs(1, [(framing, resp)])
            if ack_ms is not None:
                self.cap.wait(ack_ms)
                conn.ack(0)
        return f_req, f_resp

    def allocate_unauth(self, family6=False):
        self.start()
        req = Msg(ALLOCATE_REQ, self.tid()).transport(6).lifetime(600)
        if family6:
            req.attr(A_REQ_FAMILY, struct.pack("!B3x", 0x02))     # RFC 6156 4.1.1
        req.encode()
        err = Msg(ALLOCATE_ERR, req.tid).error(401).realm(TURN_REALM).nonce(self.nonce) \
            .software().encode()
        f = self.request(self.ctl, req, err, server_ms=2.268, ack_ms=None)
        self.cap.note("Allocate Request (no credentials) -> 401 Unauthorized with REALM and NONCE",
                      f[0])
        return f

    def allocate_auth(self, result="ok", family6=False, server_ms=115.9):
        self.start()
        self.allocated = self.allocated or result == "ok"
        req = Msg(ALLOCATE_REQ, self.tid()).transport(6).lifetime(600)
        if family6:
            req.attr(A_REQ_FAMILY, struct.pack("!B3x", 0x02))
        req.username(TURN_USER).realm(TURN_REALM).nonce(self.nonce).encode(self.key)
        if result == "ok":
            resp = Msg(ALLOCATE_OK, req.tid) \
                .xor_addr(A_XOR_RELAYED, self.relay_host.ip, self.relay_port) \
                .xor_addr(A_XOR_MAPPED, self.client.ip, self.ctl_port) \
                .lifetime(600).software().encode(self.server_key)
        elif result == 401:
            # wrong password: MESSAGE-INTEGRITY fails, challenge again (RFC 5389 10.2.2)
            resp = Msg(ALLOCATE_ERR, req.tid).error(401).realm(TURN_REALM).nonce(self.nonce) \
                .software().encode()
        else:
            resp = Msg(ALLOCATE_ERR, req.tid).error(result).software().encode(self.server_key)
        self.cap.wait(0.5)
        f = self.request(self.ctl, req, resp, server_ms=server_ms, ack_ms=0.5)
        self.cap.note("Allocate Request with USERNAME/REALM/NONCE/MESSAGE-INTEGRITY -> %s" %
                      ("Success (XOR-RELAYED-ADDRESS %s)" % self.relay_text() if result == "ok"
                       else "%s %s" % (result, ERROR_REASONS[result])), f[0])
        return f

    def relay_text(self):
        ip = self.relay_host.ip
        return ("[%s]:%d" if ip.version == 6 else "%s:%d") % (ip, self.relay_port)

    def allocate(self, family6=False):
        self.open_control()
        self.allocate_unauth(family6)
        return self.allocate_auth(family6=family6)

    def refresh(self, result="ok", lifetime=600, conn=None, server_ms=87.3):
        conn = conn or self.ctl
        # a Refresh on another connection speaks for this client's session
        conn.belongs(self.number, "control")
        req = Msg(REFRESH_REQ, self.tid()).lifetime(lifetime).username(TURN_USER) \
            .realm(TURN_REALM).nonce(self.nonce).encode(self.key)
        if result == "ok":
            resp = Msg(REFRESH_OK, req.tid).lifetime(lifetime).software().encode(self.server_key)
        elif result == 438:
            resp = Msg(REFRESH_ERR, req.tid).error(438).realm(TURN_REALM).nonce(NONCE_2) \
                .software().encode()
        else:
            resp = Msg(REFRESH_ERR, req.tid).error(result).software().encode(self.server_key)
        f = self.request(conn, req, resp, server_ms=server_ms)
        self.cap.note("Refresh Request -> %s" % ("Success" if result == "ok" else
                                                 "%d %s" % (result, ERROR_REASONS[result])), f[0])
        return f

    def keepalive(self):
        """Binding Indication on the control connection (RFC 5389 10.1.1 / seed frame 3209)."""
        ind = Msg(BINDING_IND, self.tid()).encode()
        return self.ctl.send_msgs(0, [(F_RAW, ind)])

    # -- peer connection -----------------------------------------------------
    def peer_connects(self):
        self.peer_conn = TcpConn(self.cap, self.peer, self.peer_port, self.relay_host,
                                 self.relay_port, cwin=513, swin=245)
        self.peer_conn.belongs(self.number, "peer")
        self.peer_conn.handshake(rtt_ms=1.2)
        self.cap.note("Peer %s:%d connects to the relayed address %s" % (
            self.peer.ip, self.peer_port, self.relay_text()))

    def connection_attempt(self):
        ind = Msg(CONNATTEMPT_IND, self.tid()).xor_addr(A_XOR_PEER, self.peer.ip, self.peer_port) \
            .connection_id(self.conn_id).software().encode(self.server_key)
        f = self.ctl.send_msgs(1, [(F_RAW, ind)])
        self.add_peer(self.peer.ip, self.peer_port)
        self.attempt_frame = f
        self.cap.note("ConnectionAttempt Indication: XOR-PEER-ADDRESS %s:%d, CONNECTION-ID %d" % (
            self.peer.ip, self.peer_port, self.conn_id), f)
        self.cap.wait(0.3)
        self.ctl.ack(0)
        return f

    def connection_bind(self, result="ok", port=None, conn_id=None, server_ms=54.1):
        self.data = TcpConn(self.cap, self.client, port or self.data_port, self.server,
                            self.server_port)
        cid = self.conn_id if conn_id is None else conn_id
        # a CONNECTION-ID nobody announced ties the connection to no session
        self.data.belongs(self.number if cid == self.conn_id else None, "data")
        self.data.handshake()
        self.cap.wait(0.2)
        req = Msg(CONNBIND_REQ, self.tid()).connection_id(cid).username(TURN_USER) \
            .realm(TURN_REALM).nonce(self.nonce).encode(self.key)
        if result == "ok":
            resp = Msg(CONNBIND_OK, req.tid).software().encode(self.server_key)
        else:
            resp = Msg(CONNBIND_ERR, req.tid).error(result).software().encode(self.server_key)
        f = self.request(self.data, req, resp, server_ms=server_ms,
                         ack_ms=0.4 if result == "ok" else None)
        self.bind_frames = f
        self.cap.note("New data connection from port %d: ConnectionBind -> %s" % (
            self.data.sides[0].port, "Success" if result == "ok" else
            "%d %s" % (result, ERROR_REASONS[result])), f[0])
        return f

    # -- ICE over the relay (RFC 6544, RFC 4571 framing both sides) ------------
    def ice_request(self, from_cms, tid=None):
        """A connectivity check: from CMS (controlled) or from the Skype side
        (controlling, nominating with USE-CANDIDATE)."""
        self.ice_seq += 1
        m = Msg(BINDING_REQ, tid or self.tid())
        if from_cms:
            # the seed's frame 2597 carries this attribute list
            m.empty(A_USE_CANDIDATE).u32(A_PRIORITY, 0x6EFFFFFF) \
                .attr(A_ICE_CONTROLLED, self.cap.det.bytes(8)) \
                .username("%s:%s" % (SKYPE_UFRAG, CMS_UFRAG)) \
                .attr(A_CANDIDATE_ID, bytes([0x33, 0, 0, 0])) \
                .u32(A_MS_IMPL_VERSION, 2).encode(SKYPE_PWD.encode())
        else:
            m.u32(A_PRIORITY, 0x6EFFFEFF).attr(A_ICE_CONTROLLING, self.cap.det.bytes(8)) \
                .empty(A_USE_CANDIDATE).username("%s:%s" % (CMS_UFRAG, self.skype_ufrag)) \
                .attr(A_CANDIDATE_ID, bytes([0x6E, 0, 0, 0])) \
                .u32(A_MS_IMPL_VERSION, 2).encode(self.skype_key or CMS_PWD.encode())
        return m

    def ice_response(self, req, from_cms):
        if from_cms:   # CMS answers the Skype side's check; it saw it come from the peer
            m = Msg(BINDING_OK, req.tid).xor_addr(A_XOR_MAPPED, self.peer.ip, self.peer_port) \
                .u32(A_MS_IMPL_VERSION, 2).encode(CMS_PWD.encode())
        else:          # Skype answers CMS's check, which reached it from the relayed address
            m = Msg(BINDING_OK, req.tid).xor_addr(A_XOR_MAPPED, self.relay_host.ip, self.relay_port) \
                .u32(A_MS_IMPL_VERSION, 2).encode(SKYPE_PWD.encode())
        return m

    def relay(self, from_peer, pdus, hop_ms=0.26):
        """The peer's bytes appear on the data connection toward CMS a moment
        later, and CMS's bytes on the peer connection (RFC 6062 5.5)."""
        if from_peer:
            f1 = self.peer_conn.send_msgs(0, pdus)
            self.cap.wait(hop_ms)
            f2 = self.data.send_msgs(1, pdus)
        else:
            f2 = self.data.send_msgs(0, pdus)
            self.cap.wait(hop_ms)
            f1 = self.peer_conn.send_msgs(1, pdus)
        return f1, f2

    def ice_exchange(self, peer_answers=True, cms_answers=True, rounds=1, tid=None):
        """Checks in both directions.  Returns the frames on the data connection."""
        frames = []
        for _ in range(rounds):
            req_p = self.ice_request(False)
            _, f = self.relay(True, [(F_4571, req_p)])
            frames.append(("Binding Request from the peer, relayed to CMS", f))
            self.cap.wait(0.26)
            req_c = self.ice_request(True, tid=tid)
            tid = None
            f, _ = self.relay(False, [(F_4571, req_c)])
            frames.append(("Binding Request from CMS, relayed to the peer", f))
            self.cap.wait(0.9)
            if cms_answers:
                f, _ = self.relay(False, [(F_4571, self.ice_response(req_p, True))])
                frames.append(("Binding Success Response from CMS", f))
            elif self.skype_key or self.skype_ufrag != SKYPE_UFRAG:
                # RFC 8445 7.3.1.1 / RFC 8489 10.1.3: integrity fails, 401
                rej = Msg(BINDING_ERR, req_p.tid).error(401).encode()
                f, _ = self.relay(False, [(F_4571, rej)])
                frames.append(("Binding Error Response 401 from CMS: the check's "
                               "MESSAGE-INTEGRITY or USERNAME is not accepted", f))
            self.cap.wait(1.7)
            if peer_answers:
                _, f = self.relay(True, [(F_4571, self.ice_response(req_c, False))])
                frames.append(("Binding Success Response from the peer", f))
                # the data connection is where the link's four checks are counted
                self.ice_valid_frame = self.ice_valid_frame or (cms_answers and f)
            self.cap.wait(38.5)
            self.data.ack(0)
            self.peer_conn.ack(0)
            self.cap.wait(0.6)
            self.data.ack(1)
            self.peer_conn.ack(1)
            self.cap.wait(60)
        for text, f in frames:
            self.cap.note(text + " (RFC 4571 framed)", f)
        return frames

    def media(self, count=4):
        """RFC 4571-framed RTP both ways over the relay."""
        det = self.cap.det
        first = None
        for i in range(count):
            for from_peer in (True, False):
                k = 0 if from_peer else 1
                self.rtp_seq[k] += 1
                pkt = rtp_packet(det, self.rtp_seq[k], 90000 + i * 3000,
                                 0x5EED0001 if from_peer else 0xC0FFEE02,
                                 160 + det.below(700), pt=127 if from_peer else 96, marker=(i == 0))
                f = self.relay(from_peer, [(F_4571, pkt)])
                first = first or f[1]
                self.cap.wait(2.1)
            self.cap.wait(18.0)
        self.data.ack(0)
        self.data.ack(1)
        self.peer_conn.ack(0)
        self.peer_conn.ack(1)
        self.cap.note("RFC 4571-framed RTP (version 2) both ways: not STUN", first)

    def close_all(self):
        self.cap.wait(250)
        if self.peer_conn:
            self.peer_conn.close(0, rtt_ms=1.2)
            self.cap.wait(0.4)
        if self.data:
            self.data.close(1)
            self.cap.wait(1.0)
        self.ctl.close(0)


def seed_like_session(cap, h, **kw):
    args = dict(client=h["cms"], server=h["expe"], peer=h["edge"], ctl_port=44338,
                data_port=44342, relay_port=24000, peer_port=53577, conn_id=0x0A8C3D51)
    args.update(kw)
    return TurnTcpSession(cap, **args)


def run_until_bind(s, refresh=True):
    """The seed's timeline up to the ConnectionAttempt."""
    s.allocate()
    if refresh:
        s.refresh()
    s.cap.wait(390.0)
    s.peer_connects()
    s.cap.wait(3.0)
    s.connection_attempt()
    s.cap.wait(50.5)


# ---------------------------------------------------------------------------
# Scenarios: one function per capture
# ---------------------------------------------------------------------------

SCENARIOS = []


def scenario(name):
    def register(fn):
        SCENARIOS.append((name, fn))
        return fn
    return register


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
    cap.expect(s.bind_frames[1], "msturn.session.ice_incomplete")
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
    cap.expect(s.bind_frames[1], "msturn.session.ice_incomplete")
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


# -- Microsoft: pseudo-TLS on 443, MS-TURN framing, legacy messages ----------

def pseudo_tls_client_hello(det, t_sec):
    """[MS-TURN] 2.1.1: a TLS 1.0 record (RFC 2246 6.2) holding a ClientHello
    (7.4.1.2): version 3.1, gmt_unix_time, 28 random bytes, no session ID,
    one cipher suite, null compression."""
    body = struct.pack("!BBI", 3, 1, t_sec) + det.bytes(28) + b"\x00" + \
        struct.pack("!H", 2) + struct.pack("!H", 0x0018) + b"\x01\x00"
    hs = struct.pack("!B", 1) + struct.pack("!I", len(body))[1:] + body
    return struct.pack("!BBBH", 0x16, 3, 1, len(hs)) + hs


def pseudo_tls_server_hello(det, t_sec):
    """[MS-TURN] 2.1.1: ServerHello and ServerHelloDone (RFC 2246 7.4.1.3,
    7.4.5) in the same record."""
    body = struct.pack("!BBI", 3, 1, t_sec) + det.bytes(28) + b"\x20" + det.bytes(32) + \
        struct.pack("!H", 0x0018) + b"\x00"
    hs = struct.pack("!B", 2) + struct.pack("!I", len(body))[1:] + body
    hs += b"\x0e\x00\x00\x00"
    return struct.pack("!BBBH", 0x16, 3, 1, len(hs)) + hs


def pseudo_tls_handshake(cap, conn, wait_ms, hello_note=None,
                         done_note="Pseudo-TLS ServerHello + ServerHelloDone in one record"):
    """[MS-TURN] 2.1.3: the client's ClientHello, the server's ServerHello +
    ServerHelloDone record wait_ms later, each with its expert item."""
    t_sec = cap.t // 1000000
    f = conn.send(0, pseudo_tls_client_hello(cap.det, t_sec))
    if hello_note:
        cap.note(hello_note, f)
    cap.expect(f, "msturn.pseudo_tls.expert")
    cap.wait(wait_ms)
    f = conn.send(1, pseudo_tls_server_hello(cap.det, t_sec))
    cap.note(done_note, f)
    cap.expect(f, "msturn.pseudo_tls.expert")
    cap.wait(0.6)


def pdu_sender(cap, conn, client_gap_ms, server_gap_ms=0.7):
    """send(frm, framing, m) for the flows: one PDU on conn, then the
    sender's think time; returns the PDU's frame."""
    def send(frm, framing, m):
        f = conn.send_msgs(frm, [(framing, m)])
        cap.wait(client_gap_ms if frm == 0 else server_gap_ms)
        return f
    return send


def linger_and_close(cap, conn, rtt_ms, ack_ms, idle_ms, after_ms):
    """ack_ms later the client acknowledges what is left, the connection
    idles for idle_ms, then the client closes it (RFC 793 3.5)."""
    cap.wait(ack_ms)
    conn.ack(0)
    cap.wait(idle_ms)
    conn.close(0, rtt_ms=rtt_ms)
    cap.wait(after_ms)


def ms_seqnum(conn_id20, n):
    """[MS-TURN] 2.2.2.19 MS-Sequence Number: 20-byte connection ID, 4-byte number."""
    return conn_id20 + struct.pack("!I", n)


def bwm_amount(min_send, max_send, min_recv, max_recv):
    """[MS-TURNBWM] 2.2.3: four 32-bit bandwidth values in kbps."""
    return struct.pack("!IIII", min_send, max_send, min_recv, max_recv)


def ms_turn_flow(cap, send, alloc, client, cport, edge, relay_port, peer, framed, legacy):
    """One [MS-TURN] allocation and relay: Allocate (401, then with
    credentials), Send Request, Data Indication, Set Active Destination and
    its response, then end-to-end data.  send(frm, framing, msg_or_bytes)
    puts one PDU on the wire.  legacy: no magic cookie (MS-VERSION 1);
    otherwise the cookie form with MS-VERSION 6, HMAC-SHA256
    MESSAGE-INTEGRITY and the bandwidth-management attributes."""
    det = cap.det
    key = long_term_key()
    ctl = F_MS_CTL if framed else F_RAW
    dat = F_MS_DATA if framed else F_RAW

    def tid():
        if legacy:
            t = det.bytes(16)
            return (b"\x5a" + t[1:]) if struct.unpack("!I", t[:4])[0] == MAGIC_COOKIE else t
        return det.bytes(12)

    def mk(mtype, t=None):
        return Msg(mtype, t or tid(), legacy=legacy, ms=True)

    def sign(m):
        return m.encode(key, fingerprint=False, sha256=not legacy)

    version = 1 if legacy else 6
    alloc.start()
    req = mk(ALLOCATE_REQ).u32(A_MS_VERSION, version)
    if not legacy:
        req.attr(A_MS_SERVICE_QUALITY, struct.pack("!HH", 0x0004, 0x0001))   # data, reliable
    req.encode(fingerprint=False)
    f = send(0, ctl, req)
    cap.note("%s Allocate Request (%s)" % ("Legacy" if legacy else "Cookie-form",
                                          "MS-VERSION %d" % version), f)
    err = mk(ALLOCATE_ERR, req.tid).error(401).realm(TURN_REALM).nonce(NONCE_1)
    err.encode(fingerprint=False)
    f = send(1, ctl, err)
    cap.note("Allocate Error Response 401 with [MS-TURN] NONCE (0x0014) and REALM (0x0015)", f)

    req = mk(ALLOCATE_REQ).u32(A_MS_VERSION, version).username(TURN_USER).realm(TURN_REALM) \
        .nonce(NONCE_1)
    if not legacy:
        req.attr(A_MS_SERVICE_QUALITY, struct.pack("!HH", 0x0004, 0x0001)) \
            .attr(A_MS_APP_ID, det.bytes(8)) \
            .attr(A_BW_ACM, struct.pack("!HH", 0, 0x0000)) \
            .attr(A_BW_RSV_AMOUNT, bwm_amount(64, 2048, 64, 2048))
        req.attr(A_REMOTE_SITE, xor_address(peer.ip, 50040, req.header_id)) \
            .attr(A_REMOTE_RELAY_SITE, xor_address("192.0.2.80", 55040, req.header_id)) \
            .attr(A_LOCAL_SITE, xor_address(client.ip, cport, req.header_id)) \
            .attr(A_LOCATION_PROFILE, bytes([0x01, 0x02, 0x01, 0x00])) \
            .string(A_SIP_CALL_ID, "5e7cd1a0b7e04a8fa9f1lab443") \
            .string(A_SIP_DIALOG_ID, "5e7cd1a0b7e04a8fa9f1lab443;from-tag=9c1e;to-tag=2f7a")
    sign(req)
    f = send(0, ctl, req)
    cap.note("Allocate Request with credentials%s" % (
        "" if legacy else ", MS-Service Quality, App ID and the bandwidth reservation check"), f)
    ok = mk(ALLOCATE_OK, req.tid).address(A_MAPPED, edge.ip, relay_port) \
        .xor_addr(A_MS_XOR_MAPPED, client.ip, cport).lifetime(480) \
        .u32(A_MS_BANDWIDTH, 2048).u32(A_MS_VERSION, version)
    if not legacy:
        conn_rsv = det.bytes(16)
        ok.attr(A_BW_RSV_ID, conn_rsv).attr(A_BW_RSV_AMOUNT, bwm_amount(64, 2048, 64, 2048)) \
            .attr(A_REMOTE_SITE_RSP, struct.pack("!III", 0x80000000, 2048, 2048)) \
            .attr(A_REMOTE_RELAY_SITE_RSP, struct.pack("!III", 0x80000000, 2048, 2048)) \
            .attr(A_LOCAL_SITE_RSP, struct.pack("!III", 0x80000000, 2048, 2048)) \
            .attr(A_LOCAL_RELAY_SITE_RSP, struct.pack("!III", 0xC0000000, 1024, 1024)) \
            .string(A_MS_ALT_HOST_NAME, "av.edge.lab.example") \
            .attr(A_MS_SECURE_TAG, det.bytes(16)) \
            .address(A_MS_ALT_MAPPED, EDGE_IPV6, relay_port) \
            .attr(A_MS_MUX_SESSION_ID, det.bytes(8))
    sign(ok)
    f = send(1, ctl, ok)
    alloc.allocated(f, edge.ip, relay_port, None if legacy else EDGE_IPV6)
    cap.note("Allocate Response: MAPPED-ADDRESS %s:%d (relayed), XOR-MAPPED-ADDRESS 0x8020" % (
        edge.ip, relay_port), f)

    conn20 = det.bytes(20)
    payload = rtp_packet(det, 7000, 0, 0x51C0FFEE, 120)
    req = mk(MS_SEND_REQ).address(A_MS_DESTINATION, peer.ip, 50040).attr(A_DATA, payload) \
        .attr(A_MS_SEQUENCE_NUMBER, ms_seqnum(conn20, 1)).username(TURN_USER).realm(TURN_REALM) \
        .nonce(NONCE_1)
    sign(req)
    f = send(0, ctl, req)
    alloc.add_peer(peer.ip, 50040)
    cap.note("Send Request 0x0004 (DESTINATION-ADDRESS, DATA, MS-Sequence Number)", f)
    ind = mk(MS_DATA_IND).address(A_XOR_PEER, peer.ip, 50040) \
        .attr(A_DATA, rtp_packet(det, 8000, 0, 0x2BADF00D, 96))
    ind.encode(fingerprint=False)
    f = send(1, ctl, ind)
    cap.note("Data Indication 0x0115 (REMOTE-ADDRESS 0x0012, not XOR-encoded, DATA)", f)
    req = mk(MS_SETACTIVE_REQ).address(A_MS_DESTINATION, peer.ip, 50040) \
        .attr(A_MS_SEQUENCE_NUMBER, ms_seqnum(conn20, 2)).username(TURN_USER).realm(TURN_REALM) \
        .nonce(NONCE_1)
    sign(req)
    f = send(0, ctl, req)
    cap.note("Set Active Destination Request 0x0006", f)
    ok = mk(MS_SETACTIVE_OK, req.tid).attr(A_MS_SEQUENCE_NUMBER, ms_seqnum(conn20, 2))
    sign(ok)
    f = send(1, ctl, ok)
    cap.note("Set Active Destination Response 0x0106", f)

    # end-to-end: an MS-ICE2 check and its answer, then media
    chk = Msg(BINDING_REQ, det.bytes(12)).u32(A_PRIORITY, 0x6EFFFFFF) \
        .attr(A_ICE_CONTROLLING, det.bytes(8)).empty(A_USE_CANDIDATE) \
        .username("%s:%s" % (CMS_UFRAG, SKYPE_UFRAG)).u32(A_MS_IMPL_VERSION, 2) \
        .encode(CMS_PWD.encode())
    f = send(0, dat, chk)
    cap.note("End-to-end data: an ICE Binding Request%s" % (" in a 0x03 frame" if framed else ""), f)
    rsp = Msg(BINDING_OK, chk.tid).xor_addr(A_XOR_MAPPED, edge.ip, relay_port) \
        .u32(A_MS_IMPL_VERSION, 2).encode(CMS_PWD.encode())
    send(1, dat, rsp)
    for i in range(3):
        send(0, dat, rtp_packet(det, 7001 + i, 3000 * (i + 1), 0x51C0FFEE, 200 + 50 * i))
        send(1, dat, rtp_packet(det, 8001 + i, 3000 * (i + 1), 0x2BADF00D, 180 + 40 * i))

class SkypeEdgeAllocation:
    """A Skype for Business client's [MS-TURN] allocation on its Edge over
    TCP 443: pseudo-TLS ([MS-TURN] 2.1.3), every PDU in the 2.1.4 framing,
    the cookie form with MS-VERSION 6 and HMAC-SHA256 (3.1.11).  The Edge
    relays over TCP from the allocated address (MAPPED-ADDRESS, 3.2.5.1) to
    the peer; the client sends to the peer in Send Requests (DESTINATION-
    ADDRESS, 3.2.4.4) or, once Set Active Destination (3.2.4.6) is
    answered, in 0x03 end-to-end frames; the peer's data comes back in Data
    Indications (REMOTE-ADDRESS) or end-to-end frames.  self.alloc is its
    sessions truth."""

    def __init__(self, cap, client, cport, edge, relay_ip, relay_port, password=TURN_PASSWORD):
        self.cap, self.client, self.cport, self.edge = cap, client, cport, edge
        self.relay_ip, self.relay_port = relay_ip, relay_port
        self.conn = TcpConn(cap, client, cport, edge, 443, cwin=1026, swin=1026)
        self.alloc = MsTurnAllocation(cap, self.conn, client, cport, edge, 443)
        self.key = long_term_key(password)
        self.server_key = long_term_key()
        self.seq = 0
        self.conn20 = cap.det.bytes(20)
        self.send = pdu_sender(cap, self.conn, 6.0)

    def mk(self, mtype, tid=None):
        return Msg(mtype, tid or self.cap.det.bytes(12), ms=True)

    def seqnum(self):
        self.seq += 1
        return ms_seqnum(self.conn20, self.seq)

    def connect(self):
        self.conn.handshake(rtt_ms=24.0)
        self.cap.wait(0.5)
        pseudo_tls_handshake(self.cap, self.conn, 24.5, hello_note="Pseudo-TLS ClientHello")

    def _authed(self, m):
        return m.username(TURN_USER).realm(TURN_REALM).nonce(NONCE_1)

    def allocate(self, result="ok", tries=1):
        """Allocate (401 with REALM and NONCE), then with credentials, tries
        times; result: "ok", 401 (a wrong password) or an error code."""
        self.alloc.start()
        req = self.mk(ALLOCATE_REQ).u32(A_MS_VERSION, 6)
        req.encode(fingerprint=False)
        f = self.send(0, F_MS_CTL, req)
        self.cap.note("Skype client: Allocate Request on the Edge (MS-VERSION 6)", f)
        err = self.mk(ALLOCATE_ERR, req.tid).error(401).realm(TURN_REALM).nonce(NONCE_1)
        self.send(1, F_MS_CTL, err.encode(fingerprint=False))
        for _ in range(tries):
            req = self._authed(self.mk(ALLOCATE_REQ).u32(A_MS_VERSION, 6))
            req.encode(self.key, fingerprint=False, sha256=True)
            self.send(0, F_MS_CTL, req)
            if result == "ok":
                rsp = self.mk(ALLOCATE_OK, req.tid).address(A_MAPPED, self.relay_ip, self.relay_port) \
                    .xor_addr(A_MS_XOR_MAPPED, self.client.ip, self.cport).lifetime(480) \
                    .u32(A_MS_VERSION, 6).encode(self.server_key, fingerprint=False, sha256=True)
            elif result == 401:
                rsp = self.mk(ALLOCATE_ERR, req.tid).error(401).realm(TURN_REALM).nonce(NONCE_1) \
                    .encode(fingerprint=False)
            else:
                rsp = self.mk(ALLOCATE_ERR, req.tid).error(result) \
                    .encode(self.server_key, fingerprint=False, sha256=True)
            f = self.send(1, F_MS_CTL, rsp)
        if result == "ok":
            self.alloc.allocated(f, self.relay_ip, self.relay_port)
            self.cap.note("Allocate Response: MAPPED-ADDRESS %s (the Edge's relayed address)" %
                          endpoint_text(self.relay_ip, self.relay_port), f)
        return f

    def send_request(self, peer_ip, peer_port, inner):
        """Client -> Edge: DATA for the peer (an ICE check, or media)."""
        m = self._authed(self.mk(MS_SEND_REQ).address(A_MS_DESTINATION, peer_ip, peer_port)
                         .data(inner).attr(A_MS_SEQUENCE_NUMBER, self.seqnum()))
        self.alloc.add_peer(peer_ip, peer_port)
        return self.send(0, F_MS_CTL, m.encode(self.key, fingerprint=False, sha256=True))

    def data_indication(self, peer_ip, peer_port, inner):
        """Edge -> client: what the peer sent."""
        m = self.mk(MS_DATA_IND).address(A_XOR_PEER, peer_ip, peer_port).data(inner)
        self.alloc.add_peer(peer_ip, peer_port)
        return self.send(1, F_MS_CTL, m.encode(fingerprint=False))

    def sad_request(self, peer_ip, peer_port):
        """Set Active Destination Request; returns the message for its answer."""
        req = self._authed(self.mk(MS_SETACTIVE_REQ).address(A_MS_DESTINATION, peer_ip, peer_port)
                           .attr(A_MS_SEQUENCE_NUMBER, self.seqnum()))
        self.alloc.add_peer(peer_ip, peer_port)
        req.frame = self.send(0, F_MS_CTL, req.encode(self.key, fingerprint=False, sha256=True))
        self.cap.note("Set Active Destination Request: DESTINATION-ADDRESS %s" %
                      endpoint_text(peer_ip, peer_port), req.frame)
        return req

    def sad_answer(self, req, result="ok"):
        """The Edge's answer: success, or an error code."""
        if result == "ok":
            rsp = self.mk(MS_SETACTIVE_OK, req.tid).attr(A_MS_SEQUENCE_NUMBER,
                                                          ms_seqnum(self.conn20, self.seq))
        else:
            rsp = self.mk(MS_SETACTIVE_ERR, req.tid).error(result)
        return self.send(1, F_MS_CTL, rsp.encode(self.server_key, fingerprint=False, sha256=True))

    def set_active_destination(self, peer_ip, peer_port, result="ok"):
        """result "ok", None (never answered) or an error code.  Returns
        (request frame, response frame or None)."""
        req = self.sad_request(peer_ip, peer_port)
        return req.frame, (self.sad_answer(req, result) if result is not None else None)

    def end_to_end(self, frm, inner):
        """An [MS-TURN] 2.1.4 end-to-end data frame (0x03): the peer's or the
        client's datagram, bare."""
        return self.send(frm, F_MS_DATA, inner)

    def close(self):
        linger_and_close(self.cap, self.conn, 24.0, 40.0, 800.0, 300.0)


def skype_edge_session(cap, sk, peer_ip, peer_port, client_answers=True, peer_answers=True,
                       rounds=1, sad="ok"):
    """Checks both ways through the Edge in Send Requests and Data
    Indications, then Set Active Destination and end-to-end media."""
    det = cap.det
    for _ in range(rounds):
        chk, rsp = ice_check_pair(det, True, sk.relay_ip, sk.relay_port)
        f = sk.send_request(peer_ip, peer_port, chk)
        cap.note("Send Request: DATA holds the Skype client's Binding Request", f)
        if peer_answers:
            f = sk.data_indication(peer_ip, peer_port, rsp)
            cap.note("Data Indication: DATA holds the peer's Binding Success Response", f)
        chk, rsp = ice_check_pair(det, False, sk.client.ip, sk.cport)
        f = sk.data_indication(peer_ip, peer_port, chk)
        cap.note("Data Indication: the peer's Binding Request", f)
        if client_answers:
            f = sk.send_request(peer_ip, peer_port, rsp)
            cap.note("Send Request: the Skype client's Binding Success Response", f)
        cap.wait(400.0)
    _, f = sk.set_active_destination(peer_ip, peer_port, sad)
    if sad == "ok":
        for i in range(2):
            sk.end_to_end(0, rtp_packet(det, 3100 + i, 3000 * i, 0x5C1E0001, 180 + 11 * i))
            sk.end_to_end(1, rtp_packet(det, 6100 + i, 3000 * i, 0x0FA20002, 160 + 13 * i))


def ice_check_pair(det, controlling, relay_ip, relay_port, impl=2, foundation=b"3"):
    """An [MS-ICE2] connectivity check and its success response (RFC 5389
    messages, padded, with FINGERPRINT): controlling=True is the check of
    the side whose ufrag is CMS_UFRAG's peer; MS-IMPLEMENTATION-VERSION in
    both, CANDIDATE-IDENTIFIER (the candidate's foundation, NUL-padded) in
    the request ([MS-ICE2] 2.2.2)."""
    user, pwd = ("%s:%s" % (CMS_UFRAG, SKYPE_UFRAG), CMS_PWD) if controlling else \
        ("%s:%s" % (SKYPE_UFRAG, CMS_UFRAG), SKYPE_PWD)
    req = Msg(BINDING_REQ, det.bytes(12)).u32(A_PRIORITY, 0x6EFFFEFF if controlling else 0x6E7FFEFF) \
        .attr(A_ICE_CONTROLLING if controlling else A_ICE_CONTROLLED, det.bytes(8))
    if controlling:
        req.empty(A_USE_CANDIDATE)
    req.username(user).u32(A_MS_IMPL_VERSION, impl) \
        .attr(A_CANDIDATE_ID, foundation.ljust(4, b"\x00")).encode(pwd.encode())
    rsp = Msg(BINDING_OK, req.tid).xor_addr(A_XOR_MAPPED, relay_ip, relay_port) \
        .u32(A_MS_IMPL_VERSION, impl).encode(pwd.encode())
    return req, rsp


def teams_flow(cap, send, alloc, client, cport, edge, relay_port, peer, ctl, dat, tcp_framed=False):
    """An allocation as Teams clients and Microsoft's relays really write it
    ([MS-TURN], MS-VERSION 6): the RFC 5389 cookie in the header AND
    MAGIC-COOKIE first, attributes not padded (an ERROR-CODE of length 61, a
    nonce of 49 bytes: odd message lengths), HMAC-SHA256 MESSAGE-INTEGRITY,
    Send Requests with an opaque USERNAME token, ICE checks (MS-ICE2) and
    RTP/RTCP inside DATA, Set Active Destination, multiplexed TURN packets
    (0xFF10) with the session ID the Allocate response gave, and the
    deallocation (Allocate with LIFETIME 0).  send(frm, framing, m) puts one
    PDU on the wire; ctl / dat: the framing of TURN messages and of
    end-to-end data."""
    det = cap.det
    key = long_term_key()

    def mk(mtype, t=None):
        return Msg(mtype, t or det.bytes(12), ms=True)

    def sign(m):
        return m.encode(key, fingerprint=False, sha256=True)

    alloc.start()
    req = mk(ALLOCATE_REQ).u32(A_MS_VERSION, 6, "msturn.att.ms_version") \
        .attr(A_MS_SERVICE_QUALITY, struct.pack("!HH", 0x0001, 0x0000))
    req.encode(fingerprint=False)
    f = send(0, ctl, req)
    cap.note("Teams Allocate Request: cookie in the header and MAGIC-COOKIE first, MS-VERSION 6", f)
    err = mk(ALLOCATE_ERR, req.tid).error(401, REASON_TEAMS_401).realm(TURN_REALM).nonce(NONCE_TEAMS)
    err.encode(fingerprint=False)
    assert len(err.wire) % 4 != 0
    f = send(1, ctl, err)
    cap.note("Allocate Error Response 401: ERROR-CODE of length %d followed directly by REALM, "
             "message length %d" % (4 + len(REASON_TEAMS_401), len(err.wire) - 20), f)

    def authed(m):
        return m.username(TURN_USER).realm(TURN_REALM).nonce(NONCE_TEAMS)

    req = authed(mk(ALLOCATE_REQ).u32(A_MS_VERSION, 6, "msturn.att.ms_version")) \
        .attr(A_MS_SERVICE_QUALITY, struct.pack("!HH", 0x0001, 0x0000)) \
        .attr(A_BW_ACM, struct.pack("!HH", 0, 0x0000), "msturn.att.bandwidth_acm.message_type",
              "0x0000") \
        .attr(A_BW_RSV_AMOUNT, bwm_amount(64, 512, 64, 512)) \
        .attr(A_LOCATION_PROFILE, bytes([0x01, 0x02, 0x00, 0x00]),
              "msturn.att.location_profile.peer_location", "1") \
        .string(A_SIP_CALL_ID, "7c3f9a1be2d04c51teamslab", "msturn.att.sip_call_id")
    req.values += [("msturn.att.location_profile.self_location", "2"),
                   ("msturn.att.location_profile.federation", "0")]
    sign(req)
    f = send(0, ctl, req)
    cap.note("Allocate Request with credentials and a 32-byte HMAC-SHA256 MESSAGE-INTEGRITY "
             "(message length %d)" % (len(req.wire) - 20), f)
    mux_id = det.bytes(8)
    conn20 = det.bytes(20)
    ok = mk(ALLOCATE_OK, req.tid).address(A_MAPPED, edge.ip, relay_port) \
        .xor_addr(A_MS_XOR_MAPPED, client.ip, cport).lifetime(480) \
        .attr(A_MS_SEQUENCE_NUMBER, ms_seqnum(conn20, 0)) \
        .attr(A_MS_MUX_SESSION_ID, mux_id).u32(A_MS_VERSION, 6, "msturn.att.ms_version") \
        .string(A_MS_ALT_HOST_NAME, "relay.teams.lab.example")
    sign(ok)
    f = send(1, ctl, ok)
    alloc.allocated(f, edge.ip, relay_port)
    cap.note("Allocate Response: MAPPED-ADDRESS %s:%d, MS-SEQUENCE-NUMBER, MS-MULTIPLEXED-TURN-SESSION-ID"
             % (edge.ip, relay_port), f)

    seq = [0]

    def send_req(inner):
        seq[0] += 1
        token = b"\x02\x00\x00\x24" + det.bytes(52)
        m = mk(MS_SEND_REQ).token(token).address(A_MS_DESTINATION, peer.ip, 50040,
                                                 "destination_address").data(inner) \
            .attr(A_MS_SEQUENCE_NUMBER, ms_seqnum(conn20, seq[0]))
        return sign(m)

    def data_ind(inner):
        m = mk(MS_DATA_IND).address(A_XOR_PEER, peer.ip, 50040, "remote_address").data(inner)
        return m.encode(fingerprint=False)

    chk, rsp = ice_check_pair(det, True, edge.ip, relay_port)
    alloc.add_peer(peer.ip, 50040)
    f = send(0, ctl, send_req(chk))
    cap.note("Send Request: opaque 56-byte USERNAME token, DESTINATION-ADDRESS, DATA holding an "
             "MS-ICE2 Binding Request", f)
    f = send(1, ctl, data_ind(rsp))
    cap.note("Data Indication: REMOTE-ADDRESS (plain), DATA holding the Binding Success Response", f)
    chk, rsp = ice_check_pair(det, False, client.ip, cport)
    f = send(1, ctl, data_ind(chk))
    cap.note("Data Indication: the peer's Binding Request", f)
    f = send(0, ctl, send_req(rsp))
    cap.note("Send Request: the client's Binding Success Response", f)
    f = send(0, ctl, send_req(rtp_packet(det, 4100, 0, 0x7EA5C0DE, 160, pt=111)))
    cap.note("Send Request with RTP in DATA", f)
    f = send(1, ctl, data_ind(rtcp_receiver_report(0x0BADCAFE, 0x7EA5C0DE)))
    cap.note("Data Indication with RTCP in DATA", f)

    sad = authed(mk(MS_SETACTIVE_REQ).address(A_MS_DESTINATION, peer.ip, 50040, "destination_address")
                 .attr(A_MS_SEQUENCE_NUMBER, ms_seqnum(conn20, seq[0] + 1)))
    sign(sad)
    f = send(0, ctl, sad)
    cap.note("Set Active Destination Request", f)
    ok = mk(MS_SETACTIVE_OK, sad.tid).attr(A_MS_SEQUENCE_NUMBER, ms_seqnum(conn20, seq[0] + 1))
    sign(ok)
    f = send(1, ctl, ok)
    cap.note("Set Active Destination Response", f)

    # [MS-TURN] 2.2.3 multiplexed packets with the allocation's session ID
    chk, rsp = ice_check_pair(det, True, edge.ip, relay_port)
    f = send(0, dat, Mux(mux_id, chk))
    cap.note("Multiplexed TURN packet (0xFF10) holding a consent check", f)
    send(1, dat, Mux(mux_id, rsp))
    for i in range(2):
        send(0, dat, Mux(mux_id, rtp_packet(det, 4101 + i, 960 * (i + 1), 0x7EA5C0DE, 150 + 7 * i, pt=111)))
        send(1, dat, Mux(mux_id, rtp_packet(det, 9201 + i, 960 * (i + 1), 0x0BADCAFE, 141 + 9 * i, pt=111)))
    if tcp_framed:
        # [MS-TURN] 2.1.4 end-to-end data (0x03): the peer's datagrams bare
        chk, rsp = ice_check_pair(det, True, edge.ip, relay_port)
        f = send(0, F_MS_DATA, chk)
        cap.note("End-to-end data frame 0x03 holding a Binding Request", f)
        send(1, F_MS_DATA, rsp)
        send(0, F_MS_DATA, rtp_packet(det, 4103, 2880, 0x7EA5C0DE, 133, pt=111))

    # deallocation: an Allocate with LIFETIME 0
    req = authed(mk(ALLOCATE_REQ).u32(A_MS_VERSION, 6, "msturn.att.ms_version")).lifetime(0)
    sign(req)
    f = send(0, ctl, req)
    cap.note("Deallocation: Allocate Request with LIFETIME 0", f)
    ok = mk(ALLOCATE_OK, req.tid).lifetime(0).u32(A_MS_VERSION, 6, "msturn.att.ms_version")
    sign(ok)
    f = send(1, ctl, ok)
    cap.note("Allocate Response with LIFETIME 0", f)


@scenario("teams_udp")
def teams_udp(cap):
    """A Teams client's allocation on a Microsoft media relay over UDP 3478,
    as real relays write [MS-TURN] (teams_flow): unpadded attributes and odd
    message lengths, the magic cookie AND MAGIC-COOKIE first, ICE checks and
    RTP/RTCP inside DATA, multiplexed TURN packets, deallocation.  Read with
    `-o msturn.udp:TRUE`."""
    client = Host("10.20.40.50", "00:50:56:aa:40:50")
    relay = Host("52.112.0.20", "00:15:5d:0a:e0:03")
    peer = Host("52.113.9.14", "00:0c:29:01:02:fe")
    cap.args = ["-o", "msturn.udp:TRUE"]
    flow = UdpFlow(cap, client, 50030, relay, 3478)
    alloc = MsTurnAllocation(cap, flow, client, 50030, relay, 3478)
    alloc.verdict = "ICE valid"

    def send(frm, framing, m):
        f = flow.send(frm, m)
        cap.wait(9.0 if frm == 0 else 0.6)
        return f

    teams_flow(cap, send, alloc, client, 50030, relay, 52030, peer, F_RAW, F_RAW)


@scenario("teams_tcp")
def teams_tcp(cap):
    """The same Teams dialect over TCP 3478: first raw in the stream, with an
    RFC 5389 Refresh that carries MS-VERSION among the unpadded [MS-TURN]
    messages (it stays a padded IETF Refresh: the dialect is each message's
    own); then in the [MS-TURN] 2.1.4 TCP framing, where multiplexed packets
    and end-to-end data travel in 0x03 frames."""
    client = Host("10.20.40.51", "00:50:56:aa:40:51")
    relay = Host("52.112.0.21", "00:15:5d:0a:e0:04")
    peer = Host("52.113.9.14", "00:0c:29:01:02:fe")
    for framed, cport, relay_port in ((False, 50040, 52040), (True, 50042, 52042)):
        conn = TcpConn(cap, client, cport, relay, 3478, cwin=1026, swin=1026)
        conn.handshake(rtt_ms=18.0)
        cap.wait(0.4)

        send = pdu_sender(cap, conn, 9.0)
        ctl, dat = (F_MS_CTL, F_MS_DATA) if framed else (F_RAW, F_RAW)
        alloc = MsTurnAllocation(cap, conn, client, cport, relay, 3478)
        alloc.verdict = "ICE valid"
        teams_flow(cap, send, alloc, client, cport, relay, relay_port, peer, ctl, dat,
                   tcp_framed=framed)
        if not framed:
            key = long_term_key()
            ref = Msg(REFRESH_REQ, cap.det.bytes(12)).u32(A_MS_VERSION, 6, "msturn.att.ms_version") \
                .lifetime(600).username(TURN_USER).realm(TURN_REALM).nonce(NONCE_1).encode(key)
            f = send(0, F_RAW, ref)
            cap.note("RFC 5389 Refresh Request carrying MS-VERSION on the same connection: "
                     "0x0004 stays Refresh, 0x0014 stays REALM, values padded", f)
            ok = Msg(REFRESH_OK, ref.tid).lifetime(600).encode(key)
            send(1, F_RAW, ok)
        linger_and_close(cap, conn, 18.0, 30.0, 500.0, 300.0)


@scenario("teams_tls443")
def teams_tls443(cap):
    """The Teams dialect behind [MS-TURN] pseudo-TLS on TCP 443, every PDU
    in the 2.1.4 TCP framing (teams_flow), and, on a second connection to a
    high port that only the TCP heuristic can find, the same flow raw."""
    client = Host("198.51.100.61", "00:0c:29:01:03:61", ttl=116)
    relay = Host("52.112.0.22", "00:15:5d:0a:e0:05")
    peer = Host("52.113.9.14", "00:0c:29:01:02:fe")
    for tls, cport, sport, relay_port in ((True, 51300, 443, 52050), (False, 51302, 50443, 52052)):
        conn = TcpConn(cap, client, cport, relay, sport, cwin=1026, swin=1026)
        conn.handshake(rtt_ms=21.0)
        cap.wait(0.5)
        if tls:
            pseudo_tls_handshake(cap, conn, 21.5, done_note="Pseudo-TLS ServerHello + "
                                 "ServerHelloDone, then the Teams dialect framed")
        send = pdu_sender(cap, conn, 11.0)
        ctl, dat = (F_MS_CTL, F_MS_DATA) if tls else (F_RAW, F_RAW)
        alloc = MsTurnAllocation(cap, conn, client, cport, relay, sport)
        alloc.verdict = "ICE valid"
        teams_flow(cap, send, alloc, client, cport, relay, relay_port, peer, ctl, dat,
                   tcp_framed=tls)
        linger_and_close(cap, conn, 21.0, 30.0, 800.0, 300.0)


@scenario("skype_edge_443")
def skype_edge_443(cap):
    """A Skype for Business client reaches the Skype Edge's A/V relay on TCP
    443: [MS-TURN] pseudo-TLS (ClientHello; ServerHello + ServerHelloDone in
    one record), then every TURN message in the [MS-TURN] 2.1.4 TCP framing
    header (0x02 control, 0x03 end-to-end data).  First connection: legacy
    MS-TURN (MS-VERSION 1, no magic cookie, MAGIC-COOKIE attribute first,
    16-byte transaction IDs, HMAC-SHA1).  Second connection: the cookie form
    with MS-VERSION 6, HMAC-SHA256 MESSAGE-INTEGRITY, MS-Service Quality,
    MS-Sequence Number and the [MS-TURNBWM] bandwidth attributes."""
    client = Host("198.51.100.23", "00:0c:29:01:02:fe", ttl=115)
    edge = Host("203.0.113.10", "00:15:5d:0a:e0:01")
    peer = Host("192.0.2.44", "00:0c:29:01:02:fe")
    for legacy, cport, relay in ((True, 51234, 52000), (False, 51240, 52002)):
        conn = TcpConn(cap, client, cport, edge, 443, cwin=1026, swin=1026)
        conn.handshake(rtt_ms=24.0)
        cap.wait(0.5)
        pseudo_tls_handshake(cap, conn, 24.5, hello_note="Pseudo-TLS ClientHello")
        send = pdu_sender(cap, conn, 12.0)
        # one check each way, never answered back: the client's reaches the
        # peer and is answered, the peer sends none of its own
        alloc = MsTurnAllocation(cap, conn, client, cport, edge, 443)
        alloc.verdict = "ICE one-way: no success from client"
        ms_turn_flow(cap, send, alloc, client, cport, edge, relay, peer, framed=True, legacy=legacy)
        alloc.expect_outcome()
        linger_and_close(cap, conn, 24.0, 40.0, 2000.0, 500.0)


@scenario("mstun_udp")
def mstun_udp(cap):
    """The same [MS-TURN] exchanges over UDP 3478 (no framing header): a
    legacy client (MS-VERSION 1) and a cookie-form client (MS-VERSION 6,
    HMAC-SHA256), plus one multiplexed-TURN frame (0xFF10, session ID) that
    is not a STUN message."""
    client = Host("10.20.30.40", "00:50:56:aa:00:40")
    client2 = Host("10.20.30.41", "00:50:56:aa:00:41")
    edge = Host("10.20.30.1", "00:15:5d:0a:e0:02")
    peer = Host("192.0.2.44", "00:0c:29:01:02:fe")
    # STUN over UDP belongs to Wireshark's built-in dissector unless the user
    # asks msturn for it.
    cap.args = ["-o", "msturn.udp:TRUE"]
    for legacy, c, cport, relay in ((True, client, 50010, 52010), (False, client2, 50020, 52012)):
        flow = UdpFlow(cap, c, cport, edge, 3478)
        alloc = MsTurnAllocation(cap, flow, c, cport, edge, 3478)
        alloc.verdict = "ICE one-way: no success from client"

        def send(frm, framing, m, flow=flow):
            f = flow.send(frm, m)
            cap.wait(9.0 if frm == 0 else 0.6)
            return f
        ms_turn_flow(cap, send, alloc, c, cport, edge, relay, peer, framed=False, legacy=legacy)
        alloc.expect_outcome()
        cap.wait(1000.0)
    # [MS-TURN] 2.2.3 multiplexed TURN: 0xFF10, length, 8-byte session ID, data
    data = rtp_packet(cap.det, 9100, 0, 0x77AA77AA, 160)
    frame = struct.pack("!HH", 0xFF10, 8 + len(data)) + cap.det.bytes(8) + data
    f = flow.send(0, frame)
    cap.note("Multiplexed TURN frame 0xFF10 (not a STUN message)", f)


# -- the Skype side: [MS-TURN] allocations on the Edge --------------------------

def skype_hosts():
    return {
        "client": Host("198.51.100.23", "00:0c:29:01:02:fe", ttl=115),
        "edge": Host("203.0.113.10", "00:15:5d:0a:e0:01"),        # the Edge's external side
        "far": Host("192.0.2.44", "00:0c:29:01:02:fe"),
    }


@scenario("skype_edge_valid")
def skype_edge_valid(cap):
    """A Skype client's [MS-TURN] allocation on its Edge over TCP 443
    (pseudo-TLS, 2.1.4 framing, MS-VERSION 6): checks both ways in Send
    Requests and Data Indications, Set Active Destination, end-to-end
    media.  One MS-TURN relay session, ICE valid."""
    h = skype_hosts()
    sk = SkypeEdgeAllocation(cap, h["client"], 51250, h["edge"], h["edge"].ip, 52100)
    sk.alloc.verdict = "ICE valid"
    sk.connect()
    sk.allocate()
    skype_edge_session(cap, sk, h["far"].ip, 50060)
    sk.close()


@scenario("skype_edge_oneway")
def skype_edge_oneway(cap):
    """As skype_edge_valid, but the far side never answers: the Skype
    client's checks go out in Send Requests three times, the far side's own
    checks arrive and are answered.  ICE one-way: no success from peer; the
    Allocate response carries msturn.session.ice_incomplete."""
    h = skype_hosts()
    sk = SkypeEdgeAllocation(cap, h["client"], 51252, h["edge"], h["edge"].ip, 52102)
    sk.alloc.verdict = "ICE one-way: no success from peer"
    sk.connect()
    sk.allocate()
    skype_edge_session(cap, sk, h["far"].ip, 50062, peer_answers=False, rounds=3)
    sk.alloc.expect_outcome()
    sk.close()


@scenario("skype_edge_failures")
def skype_edge_failures(cap):
    """Four Skype client allocations on one Edge, each failing its own
    way: a wrong password (401 after 401: 401 loop at Allocate), an Edge
    out of relay ports (508 at Allocate), an allocation that relays only
    media and never an ICE check (no ICE checks), and a Set Active
    Destination refused with 403 (403 at Set Active Destination)."""
    h = skype_hosts()
    det = cap.det
    sk = SkypeEdgeAllocation(cap, h["client"], 51260, h["edge"], h["edge"].ip, 52110,
                             password=WRONG_PASSWORD)
    sk.alloc.verdict = "401 loop at Allocate"
    sk.connect()
    f = sk.allocate(result=401, tries=2)
    cap.expect(f, "msturn.session.allocate_failed")
    sk.close()

    sk = SkypeEdgeAllocation(cap, h["client"], 51262, h["edge"], h["edge"].ip, 52112)
    sk.alloc.verdict = "508 at Allocate"
    sk.connect()
    f = sk.allocate(result=508)
    cap.expect(f, "msturn.session.allocate_failed")
    sk.close()

    sk = SkypeEdgeAllocation(cap, h["client"], 51264, h["edge"], h["edge"].ip, 52114)
    sk.alloc.verdict = "no ICE checks"
    sk.connect()
    sk.allocate()
    for i in range(3):
        sk.send_request(h["far"].ip, 50064, rtp_packet(det, 700 + i, 3000 * i, 0x5C1E0003, 170))
    sk.alloc.expect_outcome()
    sk.close()

    sk = SkypeEdgeAllocation(cap, h["client"], 51266, h["edge"], h["edge"].ip, 52116)
    sk.alloc.verdict = "403 at Set Active Destination"
    sk.connect()
    sk.allocate()
    _, f = sk.set_active_destination(h["far"].ip, 50066, result=403)
    cap.expect(f, "msturn.session.sad_failed")
    sk.close()


def pair_ice_exchange(cap, s, sk, cms_answers=True, skype_answers=True, end_to_end=True):
    """The checks of one media path across two TURN servers: the Skype
    client's check leaves in an end-to-end frame (or a Send Request) to its
    Edge, which relays it over its TCP connection to the Expressway-E
    relayed address (RFC 4571 framed, as ICE-TCP is, RFC 6544), and the
    Expressway-E relays it to CMS on the data connection; CMS's check and
    the answers travel back the same way."""
    relay_ip, relay_port = s.relay_host.ip, s.relay_port

    def from_skype(m):
        if end_to_end:
            sk.end_to_end(0, m)
        else:
            sk.send_request(relay_ip, relay_port, m)
        cap.wait(0.4)
        return s.relay(True, [(F_4571, m)])[1]

    def from_cms(m):
        f = s.relay(False, [(F_4571, m)])[0]
        cap.wait(0.4)
        if end_to_end:
            sk.end_to_end(1, m)
        else:
            sk.data_indication(relay_ip, relay_port, m)
        return f

    req_p = s.ice_request(False)
    f = from_skype(req_p)
    cap.note("The Skype client's Binding Request: Edge, then the peer connection, then CMS", f)
    req_c = s.ice_request(True)
    f = from_cms(req_c)
    cap.note("CMS's Binding Request, relayed to the Skype client through both servers", f)
    cap.wait(0.9)
    if cms_answers:
        from_cms(s.ice_response(req_p, True))
    cap.wait(1.7)
    if skype_answers:
        from_skype(s.ice_response(req_c, False))
    cap.wait(40.0)
    s.data.ack(0)
    s.peer_conn.ack(0)
    s.data.ack(1)
    s.peer_conn.ack(1)


def skype_expressway_path(cap, sad_answered=True, cms_answers=True):
    """The seed's presentation seen from both TURN servers and merged
    (mergecap): CMS allocates on Expressway-E over RFC 6062 (session 1),
    the Skype client allocates on its Edge over [MS-TURN] (session 2), whose
    relayed address is the seed's peer 192.168.1.252:53577.  The client
    makes the Expressway-E relayed address its active destination, the Edge
    connects to it from its relayed address, the Expressway-E announces the
    connection to CMS, CMS binds it, and the checks cross both servers: in
    end-to-end frames once Set Active Destination is answered, in Send
    Requests and Data Indications when it is not.  Returns both sessions."""
    h = lab_hosts()
    sh = skype_hosts()
    s = seed_like_session(cap, h)
    s.allocate()
    s.refresh()
    cap.wait(120.0)
    sk = SkypeEdgeAllocation(cap, sh["client"], 51280, sh["edge"], h["edge"].ip, s.peer_port)
    sk.connect()
    sk.allocate()
    link_sessions(s, sk.alloc)
    req = sk.sad_request(s.relay_host.ip, s.relay_port)
    cap.wait(1.0)
    s.peer_connects()
    cap.wait(2.0)
    if sad_answered:        # the Edge answers once its connection is up
        sk.sad_answer(req)
    else:
        cap.expect(req.frame, "msturn.session.sad_failed")
    s.connection_attempt()
    cap.wait(50.5)
    s.connection_bind()
    cap.wait(155.0)
    pair_ice_exchange(cap, s, sk, cms_answers=cms_answers, end_to_end=sad_answered)
    s.media(count=2)
    cap.wait(400.0)
    sk.close()
    s.close_all()
    return s, sk


@scenario("skype_expressway_pair")
def skype_expressway_pair(cap):
    """The merged pair (skype_expressway_path): both legs valid, path
    valid; msturn.session == 1 || msturn.session.linked == 1 shows the
    whole path, Skype client -> Edge -> Expressway-E -> CMS."""
    s, sk = skype_expressway_path(cap)
    s.verdict = sk.alloc.verdict = "ICE valid"


@scenario("skype_pair_no_sad")
def skype_pair_no_sad(cap):
    """The merged pair, but the Edge never answers Set Active Destination:
    the checks still cross both servers in Send Requests and Data
    Indications, so the RFC 6062 leg is valid; the path fails at the
    MS-TURN leg."""
    s, sk = skype_expressway_path(cap, sad_answered=False)
    s.verdict = "ICE valid"
    sk.alloc.verdict = "no Set Active Destination response"


@scenario("skype_pair_oneway")
def skype_pair_oneway(cap):
    """The merged pair, but CMS never answers the Skype client's checks:
    both legs see the checks one way, and the path verdict names both."""
    s, sk = skype_expressway_path(cap, cms_answers=False)
    # each leg from its own client's side: for the Expressway-E, CMS is the
    # client that does not answer; for the Edge, CMS is the peer
    s.verdict = "ICE one-way: no success from client"
    sk.alloc.verdict = "ICE one-way: no success from peer"
    cap.expect(s.bind_frames[1], "msturn.session.ice_incomplete")
    sk.alloc.expect_outcome()

# -- the presentation's SIP dialog -------------------------------------------------

CMS_SIP_PORT, EXPC_SIP_PORT = 5060, 25002


def skype_offer(det):
    """The Skype side's offer: its ICE credentials and [MS-ICE2] candidates
    (TCP-PASS / TCP-ACT), the relay one on the Edge, which is the peer that
    will connect to the Expressway-E relayed address."""
    cands = [Candidate("1", 1, "passive", 2120613887, "10.20.0.15", 50040, "host", ms=True),
             Candidate("2", 1, "active", 2121006079, "10.20.0.15", 50041, "host", ms=True),
             Candidate("4", 1, "passive", 6556159, "192.168.1.252", 53577, "relay",
                       "10.20.0.15", 50040, ms=True)]
    return sdp_applicationsharing("10.20.0.15", SKYPE_UFRAG, SKYPE_PWD, cands, 50040)


def cms_answer(s, relay_port=None):
    """CMS's answer (RFC 8839 / RFC 6544 form): its credentials, a host
    candidate and the relay candidate, the relayed address of its Allocate
    success (relay_port: a different port, as a CMS with a wrong TURN
    address mapping would write)."""
    cands = [Candidate("1", 1, "active", 2128609279, str(s.client.ip), 9, "host"),
             Candidate("3", 1, "passive", 16777215, str(s.relay_host.ip), relay_port or s.relay_port,
                       "relay", str(s.client.ip), s.ctl_port)]
    return sdp_applicationsharing(str(s.client.ip), CMS_UFRAG, CMS_PWD, cands, 9,
                                  session_level_ice=True)


class SipLeg:
    """The signalling between the call control (Expressway-C) and CMS, over
    TCP (one connection) or UDP; frames are remembered for the sessions
    truth (role "sip")."""

    def __init__(self, cap, expc, cms, transport="TCP"):
        self.cap, self.expc, self.cms, self.transport = cap, expc, cms, transport
        self.conn = None
        if transport == "TCP":
            self.conn = TcpConn(cap, expc, EXPC_SIP_PORT, cms, CMS_SIP_PORT, cwin=1026, swin=1026)
            self.conn.handshake(rtt_ms=0.3)
        self.frames = []          # the frames where a SIP message of the dialog is complete
        self.session, self.role = None, "sip"
        cap.conns.append(self)

    def belongs(self, session, role="sip"):
        self.session, self.role = session, role
        return self

    def send(self, frm, *messages, sizes=None):
        """Messages in one TCP segment (or datagram), sizes: cut them into
        segments of these sizes (TCP reassembly)."""
        data = b"".join(messages)
        if self.conn:
            self.conn.send(frm, data, sizes=sizes)
            f = len(self.cap.frames)
            self.frames.append(f)
            self.cap.wait(0.3)
            self.conn.ack(1 - frm)
        else:
            src, dst = (self.expc, self.cms) if frm == 0 else (self.cms, self.expc)
            sp, dp = (5060, CMS_SIP_PORT) if frm == 0 else (CMS_SIP_PORT, 5060)
            f = udp_send(self.cap, src, sp, dst, dp, data)
            self.frames.append(f)
        self.cap.wait(0.5)
        return f



def sip_presentation(cap, transport="TCP", skype_key=None, relay_port=None, reinvite=True,
                     stranger=False, skype_ufrag=None):
    """The seed's session with its SIP dialog (RFC 3261) between the call
    control (Expressway-C 10.48.54.228) and CMS: INVITE with the Skype
    side's offer; 100 Trying and 180 Ringing in one segment; CMS allocates
    on Expressway-E; 200 OK with CMS's answer (cut over two TCP segments);
    ACK; the peer connects, ConnectionAttempt, ConnectionBind, the checks
    (signed with the SDP passwords, RFC 8445 7.2.2); the re-INVITE with the
    chosen pair, its 200 OK and ACK.  skype_key: the key the Skype side
    really signs its checks with (CMS answers them 401, RFC 8445 7.3.1.1);
    skype_ufrag: the username fragment its checks name instead of its SDP's
    (CMS answers them 401 too);
    relay_port: the relay candidate CMS writes; reinvite=False: no
    re-INVITE for the rest of the capture.  stranger: an INVITE of another
    call whose candidates name nothing of this session, earlier in the
    capture.  Returns (session, SIP leg)."""
    h = lab_hosts()
    expc = Host("10.48.54.228", "00:50:56:98:98:a0")
    s = seed_like_session(cap, h)
    leg = SipLeg(cap, expc, h["cms"], transport)
    if stranger:
        other = SipDialog("0c9e2f4a61d8@10.48.54.228", "alice@lab.example", "meet@cms.lab.example",
                          transport)
        cands = [Candidate("1", 1, "passive", 2120613887, "10.20.0.99", 50100, "host", ms=True)]
        f = leg.send(0, other.request("INVITE", "10.48.54.228",
                                      body=sdp_applicationsharing("10.20.0.99", "Zq8x",
                                                                  "strangerIcePwd0123456789",
                                                                  cands, 50100)))
        leg.frames.remove(f)            # another call's: no session's
        cap.wait(30.0)
    d = SipDialog("5f3c2a1e9b7d@10.48.54.228", "skype.user@lab.example", "meet@cms.lab.example",
                  transport)
    f = leg.send(0, d.request("INVITE", "10.48.54.228", body=skype_offer(cap.det)))
    cap.note("SIP INVITE: m=applicationsharing with the Skype side's a=ice-ufrag/a=ice-pwd and "
             "[MS-ICE2] candidates (TCP-PASS relay 192.168.1.252:53577)", f)
    leg.send(1, d.response(100, "Trying", "10.48.54.228", 1, "INVITE"),
             d.response(180, "Ringing", "10.48.54.228", 1, "INVITE"))
    s.allocate()
    s.refresh()
    ok = d.response(200, "OK", "10.48.54.228", 1, "INVITE", body=cms_answer(s, relay_port))
    f = leg.send(1, ok, sizes=[len(ok) // 2, len(ok) - len(ok) // 2] if transport == "TCP" else None)
    cap.note("SIP 200 OK: CMS's answer, session-level ICE credentials, RFC 6544 relay candidate %s"
             % endpoint_text(s.relay_host.ip, relay_port or s.relay_port), f)
    leg.send(0, d.request("ACK", "10.48.54.228", cseq=1))
    leg.belongs(s.number)
    if relay_port:                      # the Skype side tries a relay nobody allocated
        cap.wait(5000.0)
        return s, leg
    cap.wait(390.0)
    s.peer_connects()
    cap.wait(3.0)
    s.connection_attempt()
    cap.wait(50.5)
    s.connection_bind()
    cap.wait(155.0)
    if skype_key is not None:
        s.skype_key = skype_key
    if skype_ufrag is not None:
        s.skype_ufrag = skype_ufrag
    s.ice_exchange(cms_answers=skype_key is None and skype_ufrag is None)
    if reinvite:
        f = leg.send(0, d.request("INVITE", "10.48.54.228", body=skype_offer(cap.det)))
        cap.note("re-INVITE after ICE: the chosen pair", f)
        leg.send(1, d.response(200, "OK", "10.48.54.228", d.cseq, "INVITE", body=cms_answer(s)))
        leg.send(0, d.request("ACK", "10.48.54.228", cseq=d.cseq))
    s.media(count=2)
    cap.wait(12000.0)
    s.close_all()
    return s, leg


@scenario("sip_dialog")
def sip_dialog(cap):
    """The seed's session with its SIP dialog over TCP (sip_presentation):
    the checks verify with the SDP passwords and no configured credentials,
    the session is linked to Call-ID 5f3c2a1e9b7d@10.48.54.228, ICE valid;
    an earlier INVITE of another call is linked to nothing."""
    s, leg = sip_presentation(cap, stranger=True)
    s.verdict = "ICE valid"
    s.call_id = "5f3c2a1e9b7d@10.48.54.228"


@scenario("sip_wrong_password")
def sip_wrong_password(cap):
    """The seed's session with its dialog over UDP; the Skype side signs its
    checks with a password other than the one CMS's SDP announced, so CMS
    answers each with 401 (RFC 8445 7.3.1.1) and msturn, checking against
    the SDP password, marks their MESSAGE-INTEGRITY bad; CMS's own checks
    succeed.  The likely cause of a one-way ICE failure."""
    s, leg = sip_presentation(cap, transport="UDP",
                              skype_key=b"skypeUsesAnOldPassword/2016")
    s.verdict = "ICE checks fail MESSAGE-INTEGRITY against the SDP password"
    s.call_id = "5f3c2a1e9b7d@10.48.54.228"
    cap.expect(s.bind_frames[1], "msturn.session.ice_incomplete")
    for e in cap.truth:
        if e.msg.mtype == BINDING_REQ and e.msg.attrs and \
                dict(e.msg.attrs).get(A_USERNAME) == ("%s:%s" % (CMS_UFRAG, SKYPE_UFRAG)).encode():
            cap.expect(e.frame, "msturn.att.hmac.bad")


@scenario("sip_ufrag_mismatch")
def sip_ufrag_mismatch(cap):
    """The dialog over TCP; the Skype side's checks name the username
    fragment x9Zq, which no SDP of the dialog announced (a B2BUA rewrote the
    offer's ICE attributes): CMS answers them 401, its own checks succeed."""
    s, leg = sip_presentation(cap, skype_ufrag="x9Zq")
    s.verdict = "ICE checks use username fragments the SDP did not announce"
    s.call_id = "5f3c2a1e9b7d@10.48.54.228"
    cap.expect(s.bind_frames[1], "msturn.session.ice_incomplete")
    for e in cap.truth:
        if e.msg.mtype == BINDING_REQ and \
                dict(e.msg.attrs).get(A_USERNAME) == ("%s:x9Zq" % CMS_UFRAG).encode():
            cap.expect(e.frame, "msturn.session.ufrag_mismatch")


@scenario("sip_relay_mismatch")
def sip_relay_mismatch(cap):
    """CMS answers with a relay candidate on port 24010 while its allocation
    relays on 24000 (a wrong TURN address mapping): the far side tries an
    address nobody allocated and never connects.  The dialog is tied to the
    session by the relay candidate's base (raddr/rport: the control
    connection's client side)."""
    s, leg = sip_presentation(cap, relay_port=24010)
    s.verdict = "SDP relay candidate is not the relayed address"
    s.call_id = "5f3c2a1e9b7d@10.48.54.228"
    cap.expect(leg.frames[2], "msturn.sip.relay_mismatch")


@scenario("sip_no_reinvite")
def sip_no_reinvite(cap):
    """The dialog over TCP; ICE succeeds both ways, but no re-INVITE follows
    in the 12 s the capture goes on."""
    s, leg = sip_presentation(cap, reinvite=False)
    s.verdict = "ICE valid, no re-INVITE within 10 s"
    s.call_id = "5f3c2a1e9b7d@10.48.54.228"
    cap.expect(s.ice_valid_frame, "msturn.session.no_reinvite")


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
    every registered error code."""
    client = Host("10.60.0.10", "00:50:56:aa:60:10")
    server = Host("10.60.0.1", "00:15:5d:0a:60:01")
    peer = Host("192.0.2.60", "00:0c:29:01:60:60")
    cap.args = ["-o", "msturn.udp:TRUE"]
    det = cap.det

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
    the same 5-tuple."""
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


def tls_record(ctype, body, version=(3, 3)):
    return struct.pack("!BBBH", ctype, version[0], version[1], len(body)) + body


def tls_handshake(htype, body):
    return struct.pack("!B", htype) + struct.pack("!I", len(body))[1:] + body


def tls_ext(etype, body):
    return struct.pack("!HH", etype, len(body)) + body


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


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------

TRUTH_HEADER = "frame\tframing\ttype\tid\tattrs\tvalues"

README_HEAD = """\
# Lab captures

Every file in this folder, except the kept captures listed at the end
(recorded from real programs), is written by `tools/gen_captures.py`, a
deterministic generator (standard library Python): running it twice gives
byte-identical files.  Regenerate with

    python3 tools/gen_captures.py test-captures

and check that the committed files match the generator with the ctest test
`captures.deterministic` (or `python3 tools/gen_captures.py --check test-captures`).
Do not edit the files by hand: change the generator and regenerate.

All captures are pcapng with one Ethernet interface (microsecond timestamps)
and start at 2017-08-17 08:03:51.966175 UTC, the time of the seed capture's
first Allocate Request.  IPv4 and TCP/UDP checksums are correct.

## Addressing

| Role | Address |
| --- | --- |
| CMS (TURN client) | 10.48.54.230 (control port 44338, data port 44342) |
| Expressway-E (TURN server) | 10.48.54.229:3478, relayed 10.48.54.229:24000 |
| Skype Edge (peer) | 192.168.1.252:53577 |
| Further CMS / peers (multi_sessions) | 10.48.54.231, 10.48.54.232, 192.168.1.253, 2001:db8:1::252 |
| IPv6 relayed address (multi_sessions) | [2001:db8:48:54::229]:24004 |
| Skype client / Skype Edge (skype_edge_443) | 198.51.100.23 -> 203.0.113.10:443 |
| MS-TURN over UDP (mstun_udp) | 10.20.30.40 / .41 -> 10.20.30.1:3478 |

## Credentials

* TURN long-term credentials (RFC 5389 10.2): username `turn`, realm
  `TANDBERG`, password `Expressway-lab-1`; key = MD5("turn:TANDBERG:Expressway-lab-1").
  `fail_401_loop` uses the wrong password `Expressway-lab-2`.
  Nonces: `%(n1)s` and, after the 438 in
  `stale_nonce_438`, `%(n2)s`.
  The [MS-TURN] captures use the same username, realm, password and key
  (HMAC-SHA1 for the legacy form, HMAC-SHA256 for MS-VERSION 6).
* ICE short-term credentials (RFC 5245 7.1.2.3): CMS ufrag `%(cu)s`, password
  `%(cp)s`; Skype side ufrag `%(su)s`, password `%(sp)s`.  A check from CMS
  carries USERNAME `%(su)s:%(cu)s` and is signed with the Skype password; a
  check from the Skype side carries `%(cu)s:%(su)s`, signed with the CMS
  password; each response uses the key of its request.

Every message of the RFC 5389 form carries FINGERPRINT; every authenticated
request and its response carries MESSAGE-INTEGRITY (real HMACs).

## Truth files

`<capture>.truth.tsv` lists, one line per STUN/TURN message, what the
generator put on the wire (tab separated; header line first):

* `frame`: pcapng frame number (from 1) of the segment that holds the
  message's last byte; for segments delivered out of order, the frame at
  which all its bytes have arrived; retransmitted copies get no line, nor do
  messages only partly in the capture;
* `framing`: 0 raw STUN, 1 RFC 4571 length prefix, 2 [MS-TURN] TCP framing
  control (0x02), 3 [MS-TURN] TCP framing end-to-end data (0x03), 4 ChannelData,
  5 inside an [MS-TURN] 2.2.3 multiplexed TURN packet (0xFF10), 6 inside the
  DATA attribute of the message listed before it (an ICE check an [MS-TURN]
  Send Request or Data Indication carries);
* `type`: message type, `0x%%04x`;
* `id`: transaction ID in lower-case hex (12 bytes for RFC 5389 messages, 16
  bytes including the cookie position for messages without the magic cookie);
* `attrs`: attribute types in message order;
* `values`: `field=value` pairs, separated by `;`, for the msturn fields
  `msturn.att.xor_mapped.ip|ipv6|port`, `msturn.att.xor_relayed.*`,
  `msturn.att.xor_peer.*`, `msturn.att.connection_id`, `msturn.att.lifetime`,
  `msturn.att.error`, `msturn.att.username`, `msturn.att.realm`,
  `msturn.att.requested_transport`, `msturn.att.fingerprint.status`
  (1: the FINGERPRINT is correct), and for [MS-TURN] messages
  `msturn.att.ms_version`, `msturn.att.username.bytes` (an opaque token),
  `msturn.att.destination_address.*` and `msturn.att.remote_address.*`.
  A message is in Microsoft's dialect when its first attribute is
  MAGIC-COOKIE, with or without the RFC 5389 cookie in its header; such
  messages pad nothing, so their lengths need not be multiples of 4.

`<capture>.sessions.tsv` says what msturn must show about presentation
sessions when the capture is read in two passes (tab separated, first column
the kind of line):

* `session  N  client  server  relayed  peers  verdict  kind  linked  path`:
  one line per row of `tshark -2 -q -z msturn,sessions` (relayed empty when
  no allocation succeeded; peers as announced by ConnectionAttempt or asked
  for by Connect, or for an [MS-TURN] allocation the DESTINATION-ADDRESS and
  REMOTE-ADDRESS of its Send Requests, Set Active Destination and Data
  Indications; kind `RFC 6062 presentation`, `MS-TURN relay` or `UDP relay`;
  linked: the sessions of the other TURN server on the same media path;
  path: their verdict together, empty when nothing is linked);
* `frame  F  N  role`: frame F carries `msturn.session == N` and
  `msturn.session.role == role`; every frame of a connection that belongs to a
  session is listed, handshake and FIN included, and no other frame may carry
  a session;
* `expert  F  name`: frame F carries msturn's expert item `name`; these are
  all of msturn's expert items in the capture.  A 401 is `msturn.challenge`,
  any other error code `msturn.error_response`, a request whose transaction
  gets no response in its connection `msturn.no_response` (except [MS-TURN]
  Send requests, which are not answered); the scenario adds the session-level
  ones (`msturn.session.*`).

Negative captures have a truth file with only the header: nothing in them
may be decoded as STUN.  `<capture>.args` holds extra tshark options, one per
line, that the golden test passes when decoding that capture.
`MANIFEST.sha256` lists the SHA-256 of every other file (`sha256sum -c`).

## Captures
"""


SESSIONS_HEADER = "kind\tkey\tvalues..."


# Captures recorded from real programs, kept byte for byte as recorded.  The
# generator does not write them: it reads each from the first of its folders
# that has it, describes it in README.md and lists its SHA-256 in
# MANIFEST.sha256, so --check fails when one is missing or was replaced
# without the manifest.  Each is checked by a test of its own (named below).
KEPT_CAPTURES = [
    ("coturn_rfc6062.pcapng", """\
A real coturn TURN server on loopback, recorded by
`python3 tests/live_coturn.py live --keep test-captures/coturn_rfc6062.pcapng`
(as root on Debian 12: coturn 4.6.1-1, whose responses carry SOFTWARE
`Coturn-4.6.1 'Gorst'`; dumpcap 4.0.17).  The script started

    turnserver -n --listening-ip 127.0.0.1 --relay-ip 127.0.0.1 --listening-port 23185 --min-port 23189 --max-port 23208 --no-tls --no-dtls --no-udp --no-rfc5780 --no-cli --lt-cred-mech --user msturn:coturn-lab-1 --realm msturn.lab --fingerprint --allow-loopback-peers --log-file stdout --simple-log --pidfile TMP/turnserver.pid --userdb TMP/turndb
    turnutils_peer -L 127.0.0.1 -p 23187
    dumpcap -i lo -f 'tcp port 23185 or tcp portrange 23189-23208 or udp port 23186' -w TMP/coturn.pcapng

(ports chosen free at random for each run), then ran one after the other

    turnutils_uclient -T -n 3 -u msturn -w coturn-lab-1 -p 23185 127.0.0.1
    turnutils_uclient -P -n 3 -u msturn -w coturn-lab-1 -p 23185 127.0.0.1
    turnutils_uclient -t -c -e 127.0.0.1 -r 23187 -n 3 -u msturn -w coturn-lab-1 -p 23185 127.0.0.1

`-T`: two clients allocate TCP relays; one sends Connect to the other's
relayed address (Connect success with CONNECTION-ID), the other gets a
ConnectionAttempt, and both bind a data connection (RFC 6062 4.3, 4.4).
`-P`: the client's own peer socket connects to its relayed address
(ConnectionAttempt, ConnectionBind, then the peer's bytes on the data
connection) -- the presentation-sharing scenario.  `-t -c`: a UDP relay
over the TCP control connection towards `turnutils_peer`, with ChannelBind
and ChannelData padded to 4 bytes (RFC 5766 11.5).  The UDP datagrams to
the probe port (payload `msturn live capture probe`) show that the capture
was running before the first and after the last client.  Long-term
credentials: username `msturn`, realm `msturn.lab`, password `coturn-lab-1`
(`-o 'uat:msturn_credentials:"msturn","msturn.lab","coturn-lab-1"'`).
Checked by the ctest test `live.coturn_kept` (`tests/live_coturn.py check`):
every message on the wire decoded by msturn, CONNECTION-IDs and sessions
tied together, MESSAGE-INTEGRITY and FINGERPRINT verified, every relayed
address in `-z msturn,sessions`, and at least what the built-in STUN
dissector decodes."""),
]


def pcapng_frame_count(data):
    """Packet blocks (Enhanced 6, Simple 3) in a pcapng file."""
    pos, endian, count = 0, "<", 0
    while pos + 12 <= len(data):
        if data[pos:pos + 4] == b"\x0a\x0d\x0d\x0a":  # Section Header Block
            endian = "<" if data[pos + 8:pos + 12] == b"\x4d\x3c\x2b\x1a" else ">"
        btype, blen = struct.unpack_from(endian + "II", data, pos)
        if blen < 12:
            break
        count += btype in (3, 6)
        pos += blen
    return count


def read_kept_capture(name, dirs):
    for d in dirs:
        path = os.path.join(d, name)
        if os.path.isfile(path):
            with open(path, "rb") as f:
                return f.read()
    sys.exit("%s: kept capture not found in %s" % (name, ", ".join(dirs)))


def write_outputs(outdir, kept_dirs=()):
    os.makedirs(outdir, exist_ok=True)
    written = {}
    readme = [README_HEAD % {"n1": NONCE_1, "n2": NONCE_2, "cu": CMS_UFRAG, "cp": CMS_PWD,
                             "su": SKYPE_UFRAG, "sp": SKYPE_PWD}]
    for name, fn in SCENARIOS:
        TruthEntry.counter = 0
        cap = Capture(name)
        fn(cap)
        written[name + ".pcapng"] = pcapng_bytes(cap.frames)
        lines = cap.truth_lines()
        written[name + ".truth.tsv"] = ("\n".join([TRUTH_HEADER] + lines) + "\n").encode()
        written[name + ".sessions.tsv"] = ("\n".join(cap.session_lines()) + "\n").encode()
        if cap.args:
            written[name + ".args"] = ("\n".join(cap.args) + "\n").encode()
        doc = " ".join(fn.__doc__.split())
        readme.append("### %s.pcapng\n\n%s\n\n%d frames, %d STUN/TURN messages in the truth file.\n"
                      % (name, doc, len(cap.frames), len(lines)))
        if cap.notes:
            readme.append("| Frame | What |\n| --- | --- |")
            for frame, text in cap.notes:
                readme.append("| %s | %s |" % (frame, text))
            readme.append("")
        if cap.args:
            readme.append("tshark options for this capture (%s.args): `%s`\n" % (name, " ".join(cap.args)))
    readme.append("## Kept captures\n")
    kept = set()
    for name, doc in KEPT_CAPTURES:
        data = read_kept_capture(name, list(kept_dirs) + [outdir])
        written[name] = data
        kept.add(name)
        readme.append("### %s\n\n%s\n\n%d frames; not written by the generator, kept as recorded.\n"
                      % (name, doc, pcapng_frame_count(data)))
    written["README.md"] = ("\n".join(readme).rstrip("\n") + "\n").encode()
    manifest = "".join("%s  %s\n" % (hashlib.sha256(data).hexdigest(), fname)
                       for fname, data in sorted(written.items()))
    written["MANIFEST.sha256"] = manifest.encode()
    for fname, data in written.items():
        if fname in kept and os.path.isfile(os.path.join(outdir, fname)):
            continue        # never rewrite a kept capture
        with open(os.path.join(outdir, fname), "wb") as f:
            f.write(data)
    return sorted(written)


def compare_dirs(generated, reference, names):
    problems = []
    for name in names:
        ref = os.path.join(reference, name)
        if not os.path.exists(ref):
            problems.append("%s: missing from %s" % (name, reference))
        elif not filecmp.cmp(os.path.join(generated, name), ref, shallow=False):
            problems.append("%s: differs from the generator's output" % name)
    generated_set = set(names)
    for name in sorted(os.listdir(reference)):
        if name not in generated_set and os.path.isfile(os.path.join(reference, name)):
            problems.append("%s: in %s but not written by the generator" % (name, reference))
    return problems


def main(argv=None):
    top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir", nargs="?", default=os.path.join(top, "test-captures"))
    ap.add_argument("--check", metavar="REFDIR",
                    help="generate into a fresh temporary folder and compare with REFDIR")
    ap.add_argument("--workdir", help="where --check makes its temporary folder")
    args = ap.parse_args(argv)
    if args.check:
        if args.workdir:
            os.makedirs(args.workdir, exist_ok=True)
        tmp = tempfile.mkdtemp(prefix="captures-", dir=args.workdir)
        names = write_outputs(tmp, [args.check])
        problems = compare_dirs(tmp, args.check, names)
        if problems:
            print("test-captures is not what tools/gen_captures.py writes "
                  "(regenerate with: python3 tools/gen_captures.py test-captures):")
            for p in problems:
                print("  " + p)
            print("generated files kept in " + tmp)
            return 1
        shutil.rmtree(tmp)
        print("%d files identical to %s" % (len(names), args.check))
        return 0
    names = write_outputs(args.outdir, [args.outdir, os.path.join(top, "test-captures")])
    print("wrote %d files to %s" % (len(names), args.outdir))
    return 0


if __name__ == "__main__":
    sys.exit(main())

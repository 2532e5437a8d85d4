# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""The TCP connection model: sequence numbers, segments, retransmissions, FIN."""
import hashlib
import struct

from .net import ACK, FIN, PSH, RST, SYN, ethernet, ip_packet, tcp_segment
from .truth import TruthEntry
from .stun import Msg, Mux, frame_message, truth_parts


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

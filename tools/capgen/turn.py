# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""An IETF TURN client and its server (RFC 8656) over UDP or TCP: the
messages of an allocation, its permissions and channels, and the peer's
data in Send and Data indications and ChannelData."""
import struct

from .common import (
    ALLOCATE_ERR, ALLOCATE_OK, ALLOCATE_REQ, A_XOR_MAPPED, A_XOR_PEER, A_XOR_RELAYED,
    CREATEPERM_OK, CREATEPERM_REQ, F_CHANNEL, NONCE_1, REFRESH_OK, REFRESH_REQ, TURN_REALM,
    TURN_USER, long_term_key,
)
from .net import ethernet, ip_packet, udp_datagram
from .stun import Msg, channel_send, endpoint_text, truth_parts, udp_send

SEND_IND, DATA_IND = 0x0016, 0x0017              # RFC 8656 17
CHANNELBIND_REQ, CHANNELBIND_OK = 0x0009, 0x0109


class UdpCarrier:
    """The client's 5-tuple to the TURN server over UDP."""

    def __init__(self, cap, client, cport, server, sport, gap_ms=(4.0, 0.6)):
        self.cap, self.ends, self.gap = cap, ((client, cport), (server, sport)), gap_ms

    def _ends(self, frm):
        return self.ends if frm == 0 else self.ends[::-1]

    def send(self, frm, m):
        (src, sp), (dst, dp) = self._ends(frm)
        f = udp_send(self.cap, src, sp, dst, dp, m)
        self.cap.wait(self.gap[frm])
        return f

    def channel(self, frm, ch, m):
        (src, sp), (dst, dp) = self._ends(frm)
        f = channel_send(self.cap, src, sp, dst, dp, ch, m)
        self.cap.wait(self.gap[frm])
        return f


class TcpCarrier:
    """The client's TCP connection to the TURN server (RFC 8656 3.1):
    messages back to back, ChannelData padded to 4 bytes (12.5)."""

    def __init__(self, cap, conn, gap_ms=(4.0, 0.6)):
        self.cap, self.conn, self.gap = cap, conn, gap_ms

    def send(self, frm, m):
        payload = m.wire if isinstance(m, Msg) else m
        f = self.conn.send(frm, payload, truth_parts(m, 0, 0))
        self.cap.wait(self.gap[frm])
        return f

    def channel(self, frm, ch, m):
        payload = m.wire if isinstance(m, Msg) else m
        data = struct.pack("!HH", ch, len(payload)) + payload
        data += bytes(-len(data) % 4)
        f = self.conn.send(frm, data, truth_parts(m, F_CHANNEL, 4))
        self.cap.wait(self.gap[frm])
        return f


class TurnClient:
    """One allocation with long-term credentials (RFC 8656 7, 9, 11, 12)."""

    def __init__(self, cap, carrier, relay_ip, relay_port, mapped_ip, mapped_port):
        self.cap, self.c = cap, carrier
        self.relay = (relay_ip, relay_port)
        self.mapped = (mapped_ip, mapped_port)
        self.key = long_term_key()

    def _auth(self, m):
        return m.username(TURN_USER).realm(TURN_REALM).nonce(NONCE_1)

    def allocate(self):
        det = self.cap.det
        a1 = Msg(ALLOCATE_REQ, det.bytes(12)).transport(17).encode()
        self.c.send(0, a1)
        self.c.send(1, Msg(ALLOCATE_ERR, a1.tid).error(401).realm(TURN_REALM).nonce(NONCE_1).encode())
        a2 = self._auth(Msg(ALLOCATE_REQ, det.bytes(12)).transport(17)).encode(self.key)
        self.c.send(0, a2)
        return self.c.send(1, Msg(ALLOCATE_OK, a2.tid).xor_addr(A_XOR_RELAYED, *self.relay)
                           .xor_addr(A_XOR_MAPPED, *self.mapped).lifetime(600).encode(self.key))

    def permission(self, peer_ip):
        cp = self._auth(Msg(CREATEPERM_REQ, self.cap.det.bytes(12)).xor_addr(A_XOR_PEER, peer_ip, 0)) \
            .encode(self.key)
        self.c.send(0, cp)
        return self.c.send(1, Msg(CREATEPERM_OK, cp.tid).encode(self.key))

    def channel_bind(self, ch, peer_ip, peer_port):
        # RFC 8656 18.1: CHANNEL-NUMBER, 2 bytes then RFFU
        cb = self._auth(Msg(CHANNELBIND_REQ, self.cap.det.bytes(12))
                        .attr(0x000C, struct.pack("!HH", ch, 0), "msturn.att.channel", str(ch))
                        .xor_addr(A_XOR_PEER, peer_ip, peer_port)).encode(self.key)
        self.c.send(0, cb)
        return self.c.send(1, Msg(CHANNELBIND_OK, cb.tid).encode(self.key))

    def refresh(self, lifetime=600):
        r = self._auth(Msg(REFRESH_REQ, self.cap.det.bytes(12)).lifetime(lifetime)).encode(self.key)
        self.c.send(0, r)
        return self.c.send(1, Msg(REFRESH_OK, r.tid).lifetime(lifetime).encode(self.key))

    def send_ind(self, peer_ip, peer_port, data):
        """RFC 8656 11.1: Send indication, XOR-PEER-ADDRESS and DATA."""
        m = Msg(SEND_IND, self.cap.det.bytes(12)).xor_addr(A_XOR_PEER, peer_ip, peer_port).data(data)
        return self.c.send(0, m.encode())

    def data_ind(self, peer_ip, peer_port, data):
        """RFC 8656 11.4: Data indication, what the peer sent."""
        m = Msg(DATA_IND, self.cap.det.bytes(12)).xor_addr(A_XOR_PEER, peer_ip, peer_port).data(data)
        return self.c.send(1, m.encode())

    def channel(self, frm, ch, data):
        return self.c.channel(frm, ch, data)


def raw_udp(cap, src, sport, dst, dport, data, gap_ms=10.0):
    """A datagram that is no STUN message of the truth (media, noise)."""
    f = cap.add(ethernet(src, dst, ip_packet(src, dst, 17, udp_datagram(src, sport, dst, dport, data))))
    cap.wait(gap_ms)
    return f


class UdpRelaySession:
    """The sessions truth of an allocation with a UDP relay made over a TCP
    connection (kind `UDP relay`): its control connection and relayed
    address; no peer connection to wait for."""

    kind = "UDP relay"
    call_id = ""
    verdict = "UDP relay allocated"

    def __init__(self, cap, conn, relay_ip, relay_port):
        self.cap, self.conn = cap, conn
        self.relayed = endpoint_text(relay_ip, relay_port)
        self.linked = []
        cap.sessions.append(self)
        self.number = len(cap.sessions)
        conn.belongs(self.number, "control")

    def client_text(self):
        return endpoint_text(self.conn.sides[0].host.ip, self.conn.sides[0].port)

    def server_text(self):
        return endpoint_text(self.conn.sides[1].host.ip, self.conn.sides[1].port)

    def relayed_text(self):
        return self.relayed

    def peers_text(self):
        return ""

    def path(self):
        return ""

# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""An IETF TURN client and its server (RFC 8656) over UDP or TCP: the
messages of an allocation, its permissions and channels, and the peer's
data in Send and Data indications and ChannelData."""
import struct

from .common import (
    ALLOCATE_ERR, ALLOCATE_OK, ALLOCATE_REQ, A_XOR_MAPPED, A_XOR_PEER, A_XOR_RELAYED,
    CREATEPERM_ERR, CREATEPERM_OK, CREATEPERM_REQ, F_CHANNEL, NONCE_1, NONCE_2, REFRESH_ERR,
    REFRESH_OK, REFRESH_REQ, TURN_PASSWORD, TURN_REALM, TURN_USER, long_term_key,
)
from .net import ethernet, ip_packet, udp_datagram
from .stun import Msg, channel_send, truth_parts, udp_send
from .wire import UdpTuple

SEND_IND, DATA_IND = 0x0016, 0x0017              # RFC 8656 17
CHANNELBIND_REQ, CHANNELBIND_OK, CHANNELBIND_ERR = 0x0009, 0x0109, 0x0119
A_CHANNEL_NUMBER = 0x000C                        # RFC 8656 18.1
A_ADDITIONAL_FAMILY = 0x8000                     # RFC 8656 18.11


class UdpCarrier:
    """The client's 5-tuple to the TURN server over UDP."""

    def __init__(self, cap, client, cport, server, sport, gap_ms=(4.0, 0.6)):
        self.cap, self.ends, self.gap = cap, ((client, cport), (server, sport)), gap_ms

    def _ends(self, frm):
        return self.ends if frm == 0 else self.ends[::-1]

    def flow(self):
        """The 5-tuple as the sessions truth reads it back."""
        (c, cp), (s, sp) = self.ends
        return UdpTuple(self.cap, c, cp, s, sp)

    def send(self, frm, m):
        (src, sp), (dst, dp) = self._ends(frm)
        f = udp_send(self.cap, src, sp, dst, dp, m)
        self.cap.wait(self.gap[frm])
        return f

    def channel(self, frm, ch, m, pad=False):
        """ChannelData; over UDP padding to 4 bytes is up to the sender (RFC 8656 12.5)."""
        (src, sp), (dst, dp) = self._ends(frm)
        f = channel_send(self.cap, src, sp, dst, dp, ch, m, pad)
        self.cap.wait(self.gap[frm])
        return f


class TcpCarrier:
    """The client's TCP connection to the TURN server (RFC 8656 3.1):
    messages back to back, ChannelData padded to 4 bytes (12.5)."""

    def __init__(self, cap, conn, gap_ms=(4.0, 0.6)):
        self.cap, self.conn, self.gap = cap, conn, gap_ms

    def flow(self):
        return self.conn

    def send(self, frm, m):
        payload = m.wire if isinstance(m, Msg) else m
        f = self.conn.send(frm, payload, truth_parts(m, 0, 0))
        self.cap.wait(self.gap[frm])
        return f

    def channel(self, frm, ch, m, pad=True):
        """ChannelData, padded to 4 bytes whatever pad says: over TCP the
        padding is required (RFC 8656 12.5)."""
        payload = m.wire if isinstance(m, Msg) else m
        data = struct.pack("!HH", ch, len(payload)) + payload
        data += bytes(-len(data) % 4)
        f = self.conn.send(frm, data, truth_parts(m, F_CHANNEL, 4))
        self.cap.wait(self.gap[frm])
        return f


def _peer(p):
    """A peer given as an address (port 0, as CreatePermission may name it:
    RFC 8656 10.1, permissions ignore the port), as (address, port) or as
    its PeerPath."""
    if isinstance(p, PeerPath):
        return p.ip, p.port
    return (p, 0) if isinstance(p, str) else p


class PeerPath:
    """The way to one peer through the allocation: Send and Data
    indications (RFC 8656 11), then ChannelData once a channel is bound
    (12).  Over UDP the sender chooses whether to pad ChannelData (12.5)."""

    def __init__(self, client, ip, port):
        self.t, self.ip, self.port = client, ip, port
        self.channel = None

    def bind(self, ch, result="ok"):
        f = self.t.channel_bind(ch, self.ip, self.port, result)
        if result == "ok":
            self.channel = ch
        return f

    def to_peer(self, data, pad=False):
        """What the client sends the peer."""
        if self.channel is None:
            return self.t.send_ind(self.ip, self.port, data)
        return self.t.channel(0, self.channel, data, pad=pad)

    def from_peer(self, data, pad=False):
        """What the peer sent, as the server hands it to the client."""
        if self.channel is None:
            return self.t.data_ind(self.ip, self.port, data)
        return self.t.channel(1, self.channel, data, pad=pad)


class TurnClient:
    """One allocation with long-term credentials (RFC 8656 7, 9, 11, 12).

    Each request method sends the request and the server's answer: result
    "ok", an error code, or None (no answer).  The server signs what it
    can: with the user's key, except challenges (401) and stale nonces
    (438), which it cannot sign (RFC 8489 9.2.4)."""

    def __init__(self, cap, carrier, relay_ip, relay_port, mapped_ip, mapped_port,
                 password=TURN_PASSWORD):
        self.cap, self.c = cap, carrier
        self.relay = (relay_ip, relay_port)
        self.mapped = (mapped_ip, mapped_port)
        self.key = long_term_key(password)
        self.server_key = long_term_key()
        self.nonce = NONCE_1

    def _auth(self, m):
        return m.username(TURN_USER).realm(TURN_REALM).nonce(self.nonce)

    def _tid(self):
        return self.cap.det.bytes(12)

    def _answer(self, req, ok, err, result, build_ok):
        """Send req, then the server's answer; the frame of the answer (of
        the request when there is none)."""
        f = self.c.send(0, req)
        if result is None:
            return f
        if result == "ok":
            return self.c.send(1, build_ok(Msg(ok, req.tid)).encode(self.server_key))
        r = Msg(err, req.tid).error(result)
        if result == 401:
            # RFC 8489 9.2.4: a challenge, a new REALM and NONCE, unsigned
            return self.c.send(1, r.realm(TURN_REALM).nonce(self.nonce).encode())
        if result == 438:
            # a stale nonce: the server hands a new one (RFC 8489 9.2.4);
            # behind a load balancer whose servers share no nonce secret
            # each answers the other's nonce so
            self.nonce = NONCE_2 if self.nonce == NONCE_1 else NONCE_1
            return self.c.send(1, r.realm(TURN_REALM).nonce(self.nonce).encode())
        return self.c.send(1, r.encode(self.server_key))

    def _allocate_req(self, family6):
        m = Msg(ALLOCATE_REQ, self._tid()).transport(17)
        if family6:
            # RFC 8656 7.1, 18.11: an IPv6 relayed address besides the IPv4 one
            m.attr(A_ADDITIONAL_FAMILY, struct.pack("!B3x", 2), "msturn.att.additional_family",
                   "0x02")
        return m

    def allocate_challenge(self, family6=False):
        """The first Allocate, without credentials: 401 with REALM and NONCE (RFC 8656 7.2)."""
        return self._answer(self._allocate_req(family6).encode(), ALLOCATE_OK, ALLOCATE_ERR, 401,
                            None)

    def allocate_auth(self, result="ok", relayed=None, lifetime=600, family6=False):
        """The Allocate with credentials; its success gives every relayed
        address (IPv4 and IPv6 with ADDITIONAL-ADDRESS-FAMILY, RFC 8656 7.3)."""
        def ok(m):
            for ip, port in relayed or [self.relay]:
                m.xor_addr(A_XOR_RELAYED, ip, port)
            return m.xor_addr(A_XOR_MAPPED, *self.mapped).lifetime(lifetime)
        req = self._auth(self._allocate_req(family6)).encode(self.key)
        return self._answer(req, ALLOCATE_OK, ALLOCATE_ERR, result, ok)

    def allocate(self, **kw):
        self.allocate_challenge(kw.get("family6", False))
        return self.allocate_auth(**kw)

    def permission(self, *peers, result="ok"):
        """CreatePermission naming every peer given (RFC 8656 10.1)."""
        m = Msg(CREATEPERM_REQ, self._tid())
        for p in peers:
            m.xor_addr(A_XOR_PEER, *_peer(p))
        return self._answer(self._auth(m).encode(self.key), CREATEPERM_OK, CREATEPERM_ERR, result,
                            lambda ok: ok)

    def channel_bind(self, ch, peer_ip, peer_port, result="ok"):
        # RFC 8656 18.1: CHANNEL-NUMBER, 2 bytes then RFFU
        cb = self._auth(Msg(CHANNELBIND_REQ, self._tid())
                        .attr(A_CHANNEL_NUMBER, struct.pack("!HH", ch, 0), "msturn.att.channel",
                              str(ch))
                        .xor_addr(A_XOR_PEER, peer_ip, peer_port)).encode(self.key)
        return self._answer(cb, CHANNELBIND_OK, CHANNELBIND_ERR, result, lambda ok: ok)

    def refresh(self, lifetime=600, result="ok"):
        """Refresh (RFC 8656 8); LIFETIME 0 deletes the allocation."""
        r = self._auth(Msg(REFRESH_REQ, self._tid()).lifetime(lifetime)).encode(self.key)
        return self._answer(r, REFRESH_OK, REFRESH_ERR, result, lambda ok: ok.lifetime(lifetime))

    def send_ind(self, peer_ip, peer_port, data):
        """RFC 8656 11.1: Send indication, XOR-PEER-ADDRESS and DATA."""
        m = Msg(SEND_IND, self._tid()).xor_addr(A_XOR_PEER, peer_ip, peer_port).data(data)
        return self.c.send(0, m.encode())

    def data_ind(self, peer_ip, peer_port, data):
        """RFC 8656 11.4: Data indication, what the peer sent."""
        m = Msg(DATA_IND, self._tid()).xor_addr(A_XOR_PEER, peer_ip, peer_port).data(data)
        return self.c.send(1, m.encode())

    def channel(self, frm, ch, data, **kw):
        return self.c.channel(frm, ch, data, **kw)

    def peer(self, ip, port):
        return PeerPath(self, ip, port)


def raw_udp(cap, src, sport, dst, dport, data, gap_ms=10.0):
    """A datagram that is no STUN message of the truth (media, noise)."""
    f = cap.add(ethernet(src, dst, ip_packet(src, dst, 17, udp_datagram(src, sport, dst, dport, data))))
    cap.wait(gap_ms)
    return f


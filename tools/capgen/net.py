# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""IPv4/IPv6, TCP and UDP packets and Ethernet frames (RFC 791, 8200, 793, 768)."""
import hashlib
import ipaddress
import struct

from .pcapng import _pad4


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

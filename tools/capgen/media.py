# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""What a WebRTC client relays through TURN once DTLS-SRTP is up (RFC 5764):
DTLS records, SRTP and SRTCP packets whose encrypted parts are random bytes
behind a valid header, and the look-alikes that such ciphertext makes."""
import struct

SRTP_TAG_LEN = 10           # HMAC-SHA1-80, RFC 3711 4.2 / 5.2


def srtp_packet(det, seq, ts, ssrc, size, pt=111, extension=True):
    """RFC 3711 3.1: the RTP header in the clear (with, as browsers send it,
    an RFC 8285 one-byte header extension), an encrypted payload, then the
    authentication tag."""
    first = 0x90 if extension else 0x80
    hdr = struct.pack("!BBHII", first, pt, seq & 0xFFFF, ts & 0xFFFFFFFF, ssrc)
    if extension:
        # 0xBEDE, one word: element id 1 (abs-send-time, 3 bytes), padding
        hdr += struct.pack("!HH", 0xBEDE, 1) + bytes([0x12]) + det.bytes(3)
    return hdr + det.bytes(size) + det.bytes(SRTP_TAG_LEN)


def srtcp_packet(det, ssrc, index, encrypted_len=40, first_type=201):
    """RFC 3711 3.4: the first RTCP header and the sender SSRC in the clear
    (an RR or SR whose length covers the compound: browsers send compound
    RR + SDES), the encrypted rest, the E flag and SRTCP index, the tag."""
    words = (4 + encrypted_len) // 4          # length of the whole compound, in words - 1
    hdr = struct.pack("!BBHI", 0x80, first_type, words, ssrc)
    enc = det.bytes(encrypted_len)
    return hdr + enc + struct.pack("!I", 0x80000000 | index) + det.bytes(SRTP_TAG_LEN)


def srtcp_first_packet_short(det, ssrc, index):
    """SRTCP whose first header covers only its own 8 bytes (an RR with no
    report block): the encrypted bytes after it read, by chance, as a second
    RTCP header of a type in 192-223 and a length far past the datagram."""
    hdr = struct.pack("!BBHI", 0x80, 201, 1, ssrc)
    fake = struct.pack("!BBH", 0x8F, 0xCA, 0x8C9B) + det.bytes(20)
    return hdr + fake + struct.pack("!I", 0x80000000 | index) + det.bytes(SRTP_TAG_LEN)


def rtp_lookalike(det):
    """Ciphertext that starts like RTP: six CSRCs and a header extension
    whose length runs past the datagram (RFC 3550 A.1 rejects it)."""
    return struct.pack("!BBHII", 0x96, 0x6F, 0x1234, 0x9A0B0C0D, 0x0E0F1011) + det.bytes(24) + \
        struct.pack("!HH", 0xBEDE, 0x4000) + det.bytes(12)


def dtls_record(det, content_type, epoch, seq, body):
    """RFC 6347 4.1: type, version {254, 253} (DTLS 1.2), epoch, 48-bit
    sequence number, length, fragment."""
    return struct.pack("!BBBH", content_type, 254, 253, epoch) + seq.to_bytes(6, "big") + \
        struct.pack("!H", len(body)) + body


def dtls_app_data(det, seq, size):
    """An encrypted application_data record (type 23) of epoch 1."""
    return dtls_record(det, 23, 1, seq, det.bytes(size))


def dtls_ccs_finished(det, seq):
    """change_cipher_spec (type 20, the byte 1) and the encrypted Finished
    (handshake, epoch 1) in one datagram, as a DTLS server ends its flight."""
    return dtls_record(det, 20, 0, seq, b"\x01") + dtls_record(det, 22, 1, 0, det.bytes(64))


def dtls_handshake(msg_type, seq, body):
    """RFC 6347 4.2.2: handshake header (type, length, message_seq,
    fragment_offset 0, fragment_length = length), then the body whole."""
    n = len(body)
    return struct.pack("!B", msg_type) + n.to_bytes(3, "big") + struct.pack("!H", seq) + \
        (0).to_bytes(3, "big") + n.to_bytes(3, "big") + body


def _use_srtp(profile):
    """RFC 5764 4.1.1 use_srtp extension: one profile, no MKI."""
    return struct.pack("!HHHHB", 0x000E, 5, 2, profile, 0)


def dtls_client_hello(det):
    """A DTLS 1.2 ClientHello as a WebRTC client sends it: no cookie, two
    ECDHE suites, use_srtp offering SRTP_AES128_CM_HMAC_SHA1_80 (0x0001)."""
    body = struct.pack("!BB", 254, 253) + det.bytes(32) + b"\x00" + b"\x00" + \
        struct.pack("!HHH", 4, 0xC02B, 0xC02F) + b"\x01\x00"
    ext = _use_srtp(0x0001)
    body += struct.pack("!H", len(ext)) + ext
    return dtls_record(det, 22, 0, 0, dtls_handshake(1, 0, body))


def dtls_server_hello(det):
    """ServerHello choosing ECDHE-ECDSA-AES128-GCM and SRTP_AES128_CM_HMAC_SHA1_80,
    then ServerHelloDone, in one datagram of two records."""
    body = struct.pack("!BB", 254, 253) + det.bytes(32) + b"\x00" + struct.pack("!HB", 0xC02B, 0)
    ext = _use_srtp(0x0001)
    body += struct.pack("!H", len(ext)) + ext
    return dtls_record(det, 22, 0, 0, dtls_handshake(2, 0, body)) + \
        dtls_record(det, 22, 0, 1, dtls_handshake(14, 1, b""))

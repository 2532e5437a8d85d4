# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""TLS records, handshake messages and extensions (RFC 5246 6.2, 7.4), for
captures that carry TLS beside or instead of STUN."""
import struct


def tls_record(ctype, body, version=(3, 3)):
    return struct.pack("!BBBH", ctype, version[0], version[1], len(body)) + body


def tls_handshake(htype, body):
    return struct.pack("!B", htype) + struct.pack("!I", len(body))[1:] + body


def tls_ext(etype, body):
    return struct.pack("!HH", etype, len(body)) + body

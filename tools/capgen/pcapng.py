# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""The pcapng writer (draft-ietf-opsawg-pcapng 4.1 SHB, 4.2 IDB, 4.3 EPB)."""
import struct


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

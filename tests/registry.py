#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""Registered attributes and error codes, checked through tshark:

  - every attribute type: a capture made here holds one Binding Request per
    attribute type 0x0000-0xFFFF over UDP 3478; every type that Wireshark's
    built-in STUN dissector names (it leaves out stun.att.type for types it
    does not know) must be known to msturn (no "Unknown" attribute expert
    for it) with `msturn.udp` on;
  - error codes: in registry_values, whose error responses carry the
    registry's name of their code as reason phrase, the Info column must
    name every code as the packet does; ADDRESS-ERROR-CODE is shown as
    address-error-code, never as the message's error-code.

usage: registry.py CAPTURE_DIR
"""
import os
import re
import struct
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from capgen.common import BINDING_REQ, MAGIC_COOKIE, T0_US  # noqa: E402
from capgen.pcapng import pcapng_bytes  # noqa: E402
from capgen.net import Host, ethernet, ip_packet, udp_datagram  # noqa: E402
from msturn_tshark import tshark                           # noqa: E402


def every_type_capture(path):
    a = Host("10.99.0.1", "00:50:56:99:00:01")
    b = Host("10.99.0.2", "00:50:56:99:00:02")
    frames = []
    for t in range(0x10000):
        attr = struct.pack("!HH", t, 4) + bytes(4)
        msg = struct.pack("!HHI", BINDING_REQ, len(attr), MAGIC_COOKIE) + \
            struct.pack("!I8x", t) + attr
        frames.append((T0_US + t, ethernet(a, b, ip_packet(a, b, 17, udp_datagram(
            a, 40000, b, 3478, msg)))))
    with open(path, "wb") as f:
        f.write(pcapng_bytes(frames))


def every_type(tmp):
    cap = os.path.join(tmp, "every_type.pcapng")
    every_type_capture(cap)
    named = set()
    for line in tshark(["-r", cap, "--disable-protocol", "msturn", "-T", "fields",
                        "-e", "stun.att.type"]).decode().split():
        named.add(int(line, 0))
    unknown = set()
    for line in tshark(["-r", cap, "-o", "msturn.udp:TRUE", "-T", "fields", "-E", "separator=\t",
                        "-e", "msturn.att.type", "-e", "_ws.expert.message"]).decode().splitlines():
        cols = line.split("\t")
        if len(cols) == 2 and cols[0] and "Unknown comprehension" in cols[1]:
            unknown.add(int(cols[0], 0))
    problems = ["attribute 0x%04x: named by the built-in dissector, unknown to msturn" % t
                for t in sorted(named & unknown)]
    if len(named) < 90:
        problems.append("the built-in dissector named only %d types: capture not read as STUN" % len(named))
    return problems, len(named), len(unknown)


def error_names(capdir):
    cap = os.path.join(capdir, "registry_values.pcapng")
    rows = [line.split("\t") for line in tshark([
        "-r", cap, "-o", "msturn.udp:TRUE", "-Y", "msturn.att.error || msturn.att.address_error_code",
        "-T", "fields", "-E", "separator=\t", "-e", "msturn.att.error", "-e", "msturn.att.error.reason",
        "-e", "msturn.att.address_error_code", "-e", "_ws.col.Info"]).decode().splitlines()]
    problems, seen = [], 0
    for code, reason, addr_code, info in rows:
        if code:
            seen += 1
            if "error-code: %s (%s)" % (code, reason) not in info:
                problems.append("error %s: Info '%s' does not name it '%s'" % (code, info, reason))
        if addr_code:
            if re.search(r"(?<!address-)error-code", info) or \
                    "address-error-code: IPv6 %s (Address Family not Supported)" % addr_code not in info:
                problems.append("ADDRESS-ERROR-CODE %s: Info '%s'" % (addr_code, info))
    if seen < 28:
        problems.append("registry_values: %d error responses, expected 28" % seen)
    return problems


def main(argv):
    with tempfile.TemporaryDirectory() as tmp:
        problems, named, unknown = every_type(tmp)
    problems += error_names(argv[1])
    if problems:
        print("registry: %d problem(s):" % len(problems))
        for p in problems[:40]:
            print("  " + p)
        return 1
    print("the built-in dissector names %d attribute types, all known to msturn (%d types unknown "
          "to it); every error code named" % (named, unknown))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""Containment: a damaged frame costs only itself.

The test reads a capture in two passes, then damages one frame at a time and
reads it again, comparing msturn's decode of every other frame with the
undamaged run.  Damages, each applied to a few STUN-bearing frames chosen
deterministically: bytes of the TCP/UDP payload flipped, the payload cut
short (captured length below the frame's length), a STUN length field
lying (0xFFFC), the frame sent twice, the frame dropped.

Compared per frame: msturn.type, msturn.id, the attribute types and values
(msturn.att.type, the CONNECTION-ID, error codes, peer and relayed
addresses, USERNAME), msturn.session and msturn.session.role.

The rule checked, for every frame G other than the damaged frame F:

  1. G on another connection (another TCP or UDP 5-tuple) decodes exactly as
     before: message fields, session and role;
     except that when F carried a message the session model reads (an
     Allocate, Refresh, Connect, ConnectionAttempt, ConnectionBind or
     CreatePermission, or an [MS-TURN] Send, Data or Set Active
     Destination), session and role of other connections may change: the
     damaged frame was the evidence that tied them;
  2. G on F's connection before F decodes exactly as before (same
     exception for session and role);
  3. G on F's connection after F may change: TCP reassembly hands the
     bytes after a damaged segment to whatever they now start (counted and
     reported, not a failure);
  4. the sessions table (tshark -2 -z msturn,sessions) keeps every row of a
     session that has no frame on F's connection and is not linked to one
     that has, cell for cell but the duration (frame numbers read through
     the renumbering a duplicated or dropped frame causes), unless F carried
     a message the session model reads.

TURN relays (RFC 8656), whose peers are followed one by one:

  5. G on F's UDP 5-tuple after F decodes exactly as before too (a datagram
     stands alone: no reassembly), unless F carried a message the session
     model reads (a ChannelBind, say, tells what later ChannelData is);
  6. G's peer and peer verdict (msturn.peer, msturn.peer.verdict) stay the
     same unless G is on F's 5-tuple and either names a peer address F names
     (F's own peers, and those of the request F answers) or F is an Allocate
     or Refresh, which every peer of the allocation lives by, or F is TCP,
     after which the rest of the connection may be read anew (rule 3) and a
     verdict, made of the whole allocation, with it;
  7. the peers table (-z msturn,peers) keeps every row of another
     allocation, and every row of F's allocation for a peer address F does
     not name unless F is an Allocate or Refresh or the allocation is made
     over TCP (rule 3), cell for cell (the
     Permission cell's frame read through the renumbering); rows are keyed
     by the allocation's client and server and the peer, not the session
     number, which a lost Allocate moves; and the sessions table keeps the
     rows of every other allocation so keyed, whatever F carried, but the
     cells that hold session numbers (Linked) or read them (Path verdict).

usage: containment.py CAPTURE [-- extra tshark arguments]
"""
import hashlib
import ipaddress
import os
import struct
import subprocess
import sys
import tempfile

import sessions
from msturn_tshark import tshark

FIELDS = ["frame.number", "msturn.type", "msturn.id", "msturn.att.type",
          "msturn.att.connection_id", "msturn.att.error", "msturn.att.xor_peer.ip",
          "msturn.att.xor_peer.port", "msturn.att.xor_relayed.ip", "msturn.att.xor_relayed.port",
          "msturn.att.username", "msturn.session", "msturn.session.role",
          "msturn.peer", "msturn.peer.verdict"]
MESSAGE_FIELDS = FIELDS[1:11]
SESSION_FIELDS = FIELDS[11:13]
PEER_FIELDS = FIELDS[13:]
FRAMES_PER_CAPTURE = 3
# RFC 8656 / RFC 6062 methods the session model follows, and [MS-TURN] 2.2.1 types
SESSION_METHODS = {0x003, 0x004, 0x008, 0x009, 0x00a, 0x00b, 0x00c}
ALLOCATION_METHODS = {0x003, 0x004}     # Allocate, Refresh: every peer lives by them
MS_TYPES = {0x0004, 0x0006, 0x0106, 0x0115, 0x0116}


# -- capture files (pcapng as the lab writes it, and classic pcap) -------------

def read_capture(path):
    """(header bytes, [packet record]) where a record is a dict with the
    raw block and its frame bytes; frames stay in order."""
    data = open(path, "rb").read()
    if data[:4] == b"\x0a\x0d\x0d\x0a":
        return "pcapng", read_pcapng(data)
    magic = struct.unpack("<I", data[:4])[0]
    if magic in (0xA1B2C3D4, 0xA1B23C4D):
        return "pcap", read_pcap(data)
    sys.exit("%s: not a pcap or pcapng file" % path)


def read_pcapng(data):
    head, packets, pos = b"", [], 0
    endian = "<"
    while pos + 12 <= len(data):
        btype, blen = struct.unpack(endian + "II", data[pos:pos + 8])
        if btype == 0x0A0D0D0A:
            endian = "<" if data[pos + 8:pos + 12] == b"\x4d\x3c\x2b\x1a" else ">"
            btype, blen = struct.unpack(endian + "II", data[pos:pos + 8])
        block = data[pos:pos + blen]
        if btype == 6:                         # Enhanced Packet Block
            iface, th, tl, caplen, origlen = struct.unpack(endian + "IIIII", block[8:28])
            packets.append({"kind": 6, "endian": endian, "iface": iface, "ts": (th, tl),
                            "orig": origlen, "bytes": block[28:28 + caplen],
                            "options": block[28 + ((caplen + 3) & ~3):-4]})
        else:
            packets.append({"kind": "raw", "block": block})
        pos += blen
    return packets


def write_pcapng(packets):
    out = b""
    for p in packets:
        if p["kind"] == "raw":
            out += p["block"]
            continue
        e = p["endian"]
        body = struct.pack(e + "IIIII", p["iface"], p["ts"][0], p["ts"][1], len(p["bytes"]),
                           p["orig"]) + p["bytes"] + b"\0" * ((4 - len(p["bytes"]) % 4) % 4) + \
            p["options"]
        out += struct.pack(e + "II", 6, 12 + len(body)) + body + struct.pack(e + "I", 12 + len(body))
    return out


def read_pcap(data):
    packets = [{"kind": "raw", "block": data[:24]}]
    pos = 24
    while pos + 16 <= len(data):
        ts, tu, caplen, origlen = struct.unpack("<IIII", data[pos:pos + 16])
        packets.append({"kind": "pcap", "ts": (ts, tu), "orig": origlen,
                        "bytes": data[pos + 16:pos + 16 + caplen]})
        pos += 16 + caplen
    return packets


def write_pcap(packets):
    out = b""
    for p in packets:
        if p["kind"] == "raw":
            out += p["block"]
        else:
            out += struct.pack("<IIII", p["ts"][0], p["ts"][1], len(p["bytes"]), p["orig"]) + p["bytes"]
    return out


# -- where a frame's transport payload is ---------------------------------------

def transport(frame, linktype_ethernet=True):
    """(5-tuple key, payload offset) of an Ethernet/IPv4/IPv6 TCP or UDP
    frame, or (None, None)."""
    off = 14 if linktype_ethernet else 0
    if linktype_ethernet:
        if len(frame) < 14:
            return None, None
        ethertype = struct.unpack("!H", frame[12:14])[0]
    else:
        ethertype = 0x0800 if frame and frame[0] >> 4 == 4 else 0x86DD
    if ethertype == 0x0800 and len(frame) >= off + 20:
        ihl = (frame[off] & 0x0F) * 4
        proto = frame[off + 9]
        src, dst = frame[off + 12:off + 16], frame[off + 16:off + 20]
        off += ihl
    elif ethertype == 0x86DD and len(frame) >= off + 40:
        proto = frame[off + 6]
        src, dst = frame[off + 8:off + 24], frame[off + 24:off + 40]
        off += 40
    else:
        return None, None
    if proto not in (6, 17) or len(frame) < off + 8:
        return None, None
    sport, dport = struct.unpack("!HH", frame[off:off + 4])
    key = (proto,) + tuple(sorted([(src, sport), (dst, dport)]))
    if proto == 6:
        if len(frame) < off + 20:
            return None, None
        off += (frame[off + 12] >> 4) * 4
    else:
        off += 8
    return key, off


# -- decoding --------------------------------------------------------------------

def decode(path, extra):
    """frame number -> {field: value} for every frame."""
    args = ["-2", "-r", path, "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=,"]
    for f in FIELDS:
        args += ["-e", f]
    out = {}
    for line in tshark(args + extra).decode(errors="replace").splitlines():
        cols = (line.split("\t") + [""] * len(FIELDS))[:len(FIELDS)]
        out[int(cols[0])] = dict(zip(FIELDS[1:], cols[1:]))
    return out


def renumber(cell, mapping):
    """Frame numbers in a table cell ("26, 31") as the damaged file numbers them."""
    return ", ".join(str(mapping.get(int(f), f)) for f in filter(None, cell.replace(" ", "").split(",")))


def methods(row):
    """(method, type) of every message of a frame."""
    for t in filter(None, row.get("msturn.type", "").split(",")):
        v = int(t, 16) if t.startswith("0x") else int(t)
        yield (v & 0x000F) | ((v & 0x00E0) >> 1) | ((v & 0x3E00) >> 2), v


def session_bearing(row):
    """Did this frame carry a message the session model reads?"""
    return any(m in SESSION_METHODS or v in MS_TYPES for m, v in methods(row))


def allocation_wide(row):
    """An Allocate or Refresh: what every peer of the allocation lives by."""
    return any(m in ALLOCATION_METHODS for m, _ in methods(row))


def peer_ips(row):
    """The peer addresses a frame names or shows ("ip:port" or "[ip6]:port")."""
    ips = set(filter(None, row.get("msturn.att.xor_peer.ip", "").split(",")))
    return ips | {peer_ip(p) for p in filter(None, row.get("msturn.peer", "").split(","))}


def peer_ip(cell):
    """The address of "ip:port" or "[ip6]:port"."""
    return cell.rsplit(":", 1)[0].strip("[]")


def keyed_sessions(rows):
    """Sessions table rows by (client, TURN server) rather than number."""
    return {(row[0], row[1]): row for row in rows.values()}


def keyed_peers(peer_rows, sessions_rows):
    """Peers table rows by (client, TURN server, peer)."""
    out = {}
    for n, cells in peer_rows:
        row = sessions_rows.get(n, ["?", "?"])
        out[(row[0], row[1], cells[0])] = cells
    return out


def endpoints(key):
    """The two "ip:port" ends of a 5-tuple key as the tables print them."""
    return {"%s:%d" % (ipaddress.ip_address(ip), port) if len(ip) == 4 else
            "[%s]:%d" % (ipaddress.ip_address(ip), port) for ip, port in key[1:]}


# -- damages -----------------------------------------------------------------------

def flip(p, off):
    b = bytearray(p["bytes"])
    for k in range(off, len(b), 7):
        b[k] ^= 0x5A
    return [dict(p, bytes=bytes(b))]


def cut(p, off):
    keep = off + (len(p["bytes"]) - off) // 2
    return [dict(p, bytes=p["bytes"][:keep])]


def lie(p, off):
    """The STUN length field (RFC 8489 5) of the PDU at the payload start,
    after an RFC 4571 or [MS-TURN] 2.1.4 prefix when there is one."""
    b = bytearray(p["bytes"])
    for at in (off + 2, off + 4 + 2, off + 2 + 2):
        if at + 2 <= len(b):
            b[at:at + 2] = b"\xff\xfc"
            break
    return [dict(p, bytes=bytes(b))]


def twice(p, off):
    return [p, dict(p)]


def drop(p, off):
    return []


DAMAGES = [("flipped", flip), ("cut short", cut), ("length lying", lie), ("duplicated", twice),
           ("dropped", drop)]


def relay_tables(path, extra, idx, dname, key, base_table, table, base_peers, mapping, wide, named):
    """Rule 7: the TURN relay rows of other allocations, and of the peers F
    does not name, in the tables of the damaged copy (table: its sessions)."""
    if not base_peers:
        return []
    problems = []
    own = endpoints(key) if key is not None else set()

    def mine(k):        # a row of F's allocation
        return {k[0], k[1]} <= own

    got_sessions = keyed_sessions(table)
    for k, row in keyed_sessions(base_table).items():
        if row[9] != "TURN relay" or mine(k):
            continue
        # cells but the frame lists (renumbered), the duration, Linked and Path verdict
        want = [renumber(c, mapping) if i in (4, 5, 6) else c
                for i, c in enumerate(row) if i not in (7, 10, 11)]
        have = [c for i, c in enumerate(got_sessions.get(k, [""] * len(row))) if i not in (7, 10, 11)]
        if want != have:
            problems.append("frame %d %s: row of the TURN relay allocation %s changed: %s -> %s" % (
                idx + 1, dname, k[0], " | ".join(row), " | ".join(got_sessions.get(k, ["(no row)"]))))
    got_peers = keyed_peers(sessions.peers_table(path, extra), table)
    for k, cells in keyed_peers(base_peers, base_table).items():
        # over TCP, what follows F on its connection may be read anew (rule 3)
        if mine(k) and (wide or peer_ip(k[2]) in named or key[0] == 6):
            continue
        want = [renumber(c, mapping) if i == 1 and c.isdigit() else c for i, c in enumerate(cells)]
        if want != got_peers.get(k):
            problems.append("frame %d %s: peer row %s of allocation %s changed: %s -> %s" % (
                idx + 1, dname, k[2], k[0], " | ".join(cells),
                " | ".join(got_peers.get(k, ["(no row)"]))))
    return problems


def main(argv):
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    capture = argv[1]
    name = os.path.basename(capture)
    fmt, packets = read_capture(capture)
    frames = [p for p in packets if p["kind"] != "raw"]
    base = decode(capture, extra)
    base_table = sessions.table(capture, extra)
    info = []
    for i, p in enumerate(frames):
        key, off = transport(p["bytes"])
        info.append((key, off))
    base_peers = sessions.peers_table(capture, extra)
    # frames with a message, and ChannelData of a TURN relay (it shows a peer)
    candidates = [i for i, p in enumerate(frames)
                  if (base.get(i + 1, {}).get("msturn.type") or base.get(i + 1, {}).get("msturn.peer"))
                  and info[i][1] is not None and info[i][1] < len(p["bytes"])]
    if not candidates:
        print("%s: no STUN-bearing frame to damage" % name)
        return 0
    # spread over the capture: a quarter, half and three quarters through the
    # STUN-bearing frames, moved by a per-capture amount so that the frames
    # differ from capture to capture
    seed = int(hashlib.sha256(name.encode()).hexdigest()[:8], 16)
    picks = [candidates[min(len(candidates) - 1,
                            (k + 1) * len(candidates) // (FRAMES_PER_CAPTURE + 1) + seed % 3)]
             for k in range(FRAMES_PER_CAPTURE)]
    problems, figures = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for k, idx in enumerate(sorted(set(picks))):
            # two damages per frame, rotating through all five
            for dname, damage in (DAMAGES[2 * k % len(DAMAGES)], DAMAGES[(2 * k + 1) % len(DAMAGES)]):
                p = frames[idx]
                key, off = info[idx]
                replaced = damage(p, off)
                out_packets, mapping, n = [], {}, 0
                for q in packets:
                    if q is p:
                        out_packets += replaced
                        n += len(replaced)
                        continue
                    out_packets.append(q)
                    if q["kind"] != "raw":
                        n += 1
                        mapping[frames.index(q) + 1] = n
                path = os.path.join(tmp, "damaged." + fmt)
                with open(path, "wb") as f:
                    f.write(write_pcapng(out_packets) if fmt == "pcapng" else write_pcap(out_packets))
                got = decode(path, extra)
                bearing = session_bearing(base.get(idx + 1, {}))
                wide = allocation_wide(base.get(idx + 1, {}))
                udp = key is not None and key[0] == 17
                # the peers F names, and those of the request it answers
                ids = set(filter(None, base.get(idx + 1, {}).get("msturn.id", "").split(",")))
                named = set()
                for g in range(len(frames)):
                    row = base.get(g + 1, {})
                    if g == idx or (info[g][0] == key and
                                    ids & set(filter(None, row.get("msturn.id", "").split(",")))):
                        named |= peer_ips(row)
                # the damaged copy's sessions table, read once for rules 4 and 7
                table = sessions.table(path, extra) if base_peers or not bearing else {}
                problems += relay_tables(path, extra, idx, dname, key, base_table, table, base_peers,
                                         mapping, wide, named)
                if not bearing:
                    touched = {base[g + 1].get("msturn.session") for g in range(len(frames))
                               if info[g][0] == key and base.get(g + 1, {}).get("msturn.session")}
                    # the path verdict of a linked session reads the touched one
                    touched |= {str(n) for n, row in base_table.items()
                                if set(filter(None, row[10].replace(" ", "").split(","))) & touched}
                    for n, row in base_table.items():
                        # cells but the duration (index 7), which any lost frame moves
                        want = [renumber(c, mapping) if i in (4, 5, 6) else c
                                for i, c in enumerate(row) if i != 7]
                        if str(n) not in touched and \
                                want != [c for i, c in enumerate(table.get(n, [""] * len(row))) if i != 7]:
                            problems.append("frame %d %s: row of session %d changed: %s -> %s" % (
                                idx + 1, dname, n, " | ".join(row),
                                " | ".join(table.get(n, ["(no row)"]))))
                after = 0
                for g in range(len(frames)):
                    if g == idx:
                        continue
                    want, have = base.get(g + 1, {}), got.get(mapping.get(g + 1, -1), {})
                    same_conn = info[g][0] is not None and info[g][0] == key
                    if same_conn and g > idx and (not udp or bearing):
                        after += want != have
                        continue
                    fields = MESSAGE_FIELDS + ([] if bearing else SESSION_FIELDS)
                    if not (same_conn and (wide or not udp or (peer_ips(want) | peer_ips(have)) & named)):
                        fields = fields + PEER_FIELDS
                    diff = [f for f in fields if want.get(f, "") != have.get(f, "")]
                    if diff:
                        problems.append("frame %d %s: frame %d (%s) changed %s: %s -> %s" % (
                            idx + 1, dname, g + 1, ("same connection, after" if g > idx else
                                                    "same connection, before") if same_conn
                            else "another connection", ",".join(diff),
                            [want.get(f, "") for f in diff], [have.get(f, "") for f in diff]))
                figures.append("frame %d %s: %d later frame(s) of its connection changed" % (
                    idx + 1, dname, after))
    print("%s: %d damaged copies; %s" % (name, len(figures), "; ".join(figures)))
    if problems:
        print("%s: %d frame(s) beyond the rule (containment.py docstring):" % (name, len(problems)))
        for line in problems[:20]:
            print("  " + line)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

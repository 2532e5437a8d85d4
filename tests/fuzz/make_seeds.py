#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""Seed corpora for the fuzz targets, from the lab captures.

usage: make_seeds.py OUTDIR CAPTURE...

tshark (without msturn: only TCP/UDP are needed) prints every segment's
payload; from them this writes
  OUTDIR/framing/   one file per TCP payload and per direction of each TCP
                    connection, behind the context byte fuzz_framing reads;
  OUTDIR/dissector/ one file per TCP/UDP payload (read whole as one segment)
                    and one per capture in fuzz_dissector's record format:
                    [control][length][payload], UDP datagrams as UDP records
                    (a flow to the TURN port 3478 onto connection 0 or 1 in
                    turn, any other onto connection 3, the harness's
                    heuristic port; the client's datagrams direction 0),
                    the capture's TCP connections
                    mapped in order of appearance onto the harness's four,
                    SIP (port 5060) onto its SIP connection (control bit 7),
                    payloads cut into records of at most 255 bytes.
File names are content hashes, so reruns do not grow the corpora.
"""
import hashlib
import os
import subprocess
import sys

MAX_SEED = 16384
SIP_PORT = "5060"
TURN_PORT = "3478"
SIP = 0x80          # fuzz_dissector's control bit 7: the SIP connection


def write(d, data):
    if not data:
        return
    data = data[:MAX_SEED]
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def segments(capture):
    cmd = ["tshark", "-n", "-r", capture, "-o", "tcp.desegment_tcp_streams:FALSE",
           "-T", "fields", "-E", "separator=\t",
           "-e", "tcp.stream", "-e", "tcp.srcport", "-e", "tcp.payload", "-e", "udp.payload",
           "-e", "tcp.dstport", "-e", "udp.srcport", "-e", "udp.dstport"]
    out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         check=True).stdout.decode()
    for line in out.splitlines():
        cols = (line.split("\t") + [""] * 7)[:7]
        sip = SIP_PORT in (cols[1], cols[4], cols[5], cols[6])
        yield cols[0], cols[1], bytes.fromhex(cols[2]), bytes.fromhex(cols[3]), sip, \
            (cols[5], cols[6])


def udp_record(flows, ports, sip):
    """The control byte of a UDP datagram between ports (source,
    destination): its flow's connection and direction (see the docstring)."""
    if sip:
        return 0x40 | SIP
    key = tuple(sorted(ports))
    if key not in flows:
        server = TURN_PORT if TURN_PORT in ports else max(ports, key=int)
        turn = sum(1 for v in flows.values() if v[0] < 2)
        flows[key] = (turn % 2 if server == TURN_PORT else 3, server)
    conn, server = flows[key]
    return 0x40 | conn << 1 | (1 if ports[0] == server else 0)


def main():
    outdir, captures = sys.argv[1], sys.argv[2:]
    fdir = os.path.join(outdir, "framing")
    ddir = os.path.join(outdir, "dissector")
    os.makedirs(fdir, exist_ok=True)
    os.makedirs(ddir, exist_ok=True)
    for cap in captures:
        conns = {}        # tcp.stream -> (harness connection, client port)
        streams = {}      # (stream, direction) -> bytes
        flows = {}        # UDP flow -> (harness connection, server port)
        records = bytearray()
        for stream, srcport, tcp, udp, sip, ports in segments(cap):
            if udp:
                write(ddir, udp)
                write(fdir, b"\x00" + udp)
                if len(udp) < 256:      # a UDP record (control bit 6)
                    records += bytes([udp_record(flows, ports, sip), len(udp)]) + udp
            if not stream:
                continue
            if stream not in conns:
                conns[stream] = (len(conns) % 4, srcport)
            conn, client_port = conns[stream]
            direction = 0 if srcport == client_port else 1
            if not tcp:
                continue
            write(ddir, tcp)
            write(fdir, b"\x01" + tcp)
            streams[(stream, direction)] = streams.get((stream, direction), b"") + tcp
            for i in range(0, len(tcp), 255):
                chunk = tcp[i:i + 255]
                records += bytes([direction | (SIP if sip else conn << 1), len(chunk)]) + chunk
        for data in streams.values():
            write(fdir, b"\x00" + data)
        write(ddir, bytes(records))
    print("seeds: %d framing, %d dissector" % (len(os.listdir(fdir)), len(os.listdir(ddir))))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""Live test: coturn's own log against msturn's TURN relay sessions and peers.

usage: live_uclient.py live [--workdir DIR] [--keep DIR]
       live_uclient.py check CAPTURE LOG

"live" starts a coturn TURN server (turnserver) on 127.0.0.1 with long-term
credentials, UDP and TCP listeners and verbose logging to a file, a UDP echo
peer (turnutils_peer) and dumpcap on loopback, and runs turnutils_uclient
(UDP relays, RFC 8656) over UDP and over TCP:

  default   ChannelBind and ChannelData (over UDP also the RTCP allocation
            that EVEN-PORT's RESERVATION-TOKEN gives, -c left out);
  -s        Send and Data indications, CreatePermission;
  -G        extra CreatePermission (several XOR-PEER-ADDRESS) and ChannelBind
            requests towards addresses nobody listens on;
  -s -I     (over UDP) Send indications with no CreatePermission before:
            coturn drops them (RFC 8656 9), its peer usage stays 0;
  wrong -w  a wrong password: 401 after 401, no allocation.

The runs are delimited in the capture by UDP datagrams to a probe port
("msturn live uclient run N begin" / "end") and in coturn's log by lines
this script inserts at the same moments ("#msturn-live-uclient# {json}").
Allocations get coturn's --max-allocate-lifetime so that every one of them,
also those turnutils_uclient never deallocates, is closed (and logged with
its client address) before the capture stops.  --keep DIR copies the capture
and the marked log to DIR/coturn_uclient.pcapng and DIR/coturn_uclient.log.

"check" compares the two.  The expected side is coturn's log; where coturn
does not log a fact (channel numbers -- not even with -V --, which frame
installed a permission, the ports of its peers, what each peer carried) it
is read from the capture's own bytes (pcapng, IPv4, UDP, TCP, STUN parsed
here), tied to coturn's session by the client address coturn logged:

  * every allocation coturn logged (`session N: new`, its `Local relay
    addr`, the client address of its `closed` line) is one row of
    `tshark -2 -q -z msturn,sessions` of kind `TURN relay` with that client,
    TURN server and relayed address, its Allocate frame inside the run; no
    other TURN relay row;
  * a run with a wrong password: coturn logs 401s with the user name and
    `credentials are incorrect`, no allocation; msturn has one row for it
    with the verdict `401 loop at Allocate`;
  * every peer IP coturn installed a permission for (`peer A lifetime
    updated`) has a peer in `-z msturn,peers` with a frame as Permission;
    the wire has as many ChannelBind successes, and the same CreatePermission
    and ChannelBind error codes, as coturn logs;
  * the peers table's rows for the session, and its Peers cell, are those
    the wire gives under docs/sessions.md ("TURN relay peers": transport
    addresses in order of mention, CreatePermission's peers, at most 32),
    every column: Permission, Channel, packets, bytes, relayed checks,
    verdict;
  * the packets and bytes relayed to and from peers (coturn's `peer usage`)
    are the sums of the session's peer rows; the session's verdict is what
    coturn's facts give under the verdict order of docs/sessions.md.

Environment: MSTURN_PLUGIN, MSTURN_WS_MAJOR_MINOR (see tests/tshark-msturn.sh).
Every process it starts runs in its own process group under `timeout` and is
killed on every exit path (tests/live_coturn.py's process helpers).
"""
import argparse
import atexit
import contextlib
import io
import ipaddress
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

import live_coturn as lc

TURN_USER = "msturn"
TURN_REALM = "msturn.lab"
TURN_PASSWORD = "coturn-lab-1"
WRONG_PASSWORD = "not-" + TURN_PASSWORD

# Short enough that the allocations turnutils_uclient leaves behind expire
# (and coturn logs their client address) within the test, long enough that
# none expires while its run is still going (a run takes at most about 16 s).
ALLOCATION_LIFETIME = 30

# Bounds (seconds): a run takes under 8 s, the one whose data coturn
# drops about 16 s (turnutils_uclient waits for echoes that never come); all
# together stay within the ctest timeout (tests/live.cmake), under 5 minutes.
UCLIENT_LIMIT = 25
PROCESS_LIMIT = 230

MARK = "#msturn-live-uclient# "
PROBE_PREFIX = b"msturn live uclient "
KEPT_NAME = "coturn_uclient"

# STUN/TURN attributes (RFC 8489 14, RFC 8656 18)
A_CHANNEL_NUMBER, A_ERROR_CODE, A_XOR_PEER, A_DATA, A_XOR_RELAYED = 0x000C, 0x0009, 0x0012, 0x0013, 0x0016


def uclient_runs(peer_port):
    """(label, transport, right password?, arguments before -p/server)."""
    base = ["-n", "2", "-m", "1", "-u", TURN_USER, "-e", "127.0.0.1", "-r", str(peer_port)]
    good = ["-w", TURN_PASSWORD]
    runs = []
    for transport, t in (("udp", []), ("tcp", ["-t"])):
        name = transport.upper()
        runs += [
            ("%s channels" % name, transport, True, t + base + ([] if transport == "udp" else ["-c"]) + good),
            ("%s -s indications" % name, transport, True, t + ["-s", "-c"] + base + good),
            ("%s -G extra requests" % name, transport, True, t + ["-G", "-c"] + base + good),
        ]
        if transport == "udp":
            runs.append(("UDP -s -I no permission", transport, True, ["-s", "-I", "-c"] + base + good))
        runs += [
            ("%s wrong password" % name, transport, False, t + ["-c"] + base + ["-w", WRONG_PASSWORD]),
        ]
    return runs


class Failure(lc.Failure):
    pass


# ---------------------------------------------------------------------------
# Addresses
# ---------------------------------------------------------------------------

def split_addr(text):
    """'1.2.3.4:5', '1.2.3.4', '[::1]:5' or '::1' -> (ip, port or None)."""
    text = text.strip().rstrip(",")
    m = re.match(r"^\[([0-9A-Fa-f:.]+)\](?::(\d+))?$", text)
    if m:
        return str(ipaddress.ip_address(m.group(1))), int(m.group(2)) if m.group(2) else None
    m = re.match(r"^(\d+\.\d+\.\d+\.\d+)(?::(\d+))?$", text)
    if m:
        return str(ipaddress.ip_address(m.group(1))), int(m.group(2)) if m.group(2) else None
    try:
        return str(ipaddress.ip_address(text)), None
    except ValueError:
        raise Failure("cannot read address %r" % text)


def short_id(sid):
    """coturn's 18-digit session id (server * 10^15 + counter) as "1.3"."""
    return "%d.%d" % (int(sid[:-15] or "0"), int(sid[-15:]))


def fmt_addr(ip, port):
    """msturn's text: ip:port, [ip]:port for IPv6, the address alone
    (without brackets) when there is no port."""
    ip = str(ip).strip("[]")
    if not port:
        return ip
    return "[%s]:%d" % (ip, port) if ":" in ip else "%s:%d" % (ip, port)


# ---------------------------------------------------------------------------
# coturn's log
# ---------------------------------------------------------------------------

# The lines of coturn 4.6's verbose log (-v) this test relies on; each is
# matched on its stable words only, so that punctuation and extra fields
# may change.  What each gives is named after the expression.
LOG_RE = {
    # "IPv4. Local relay addr: 127.0.0.1:23502" (also "(RTCP)"), printed
    # just before the "new" line of the allocation it was chosen for; "Local
    # reserved relay addr" (EVEN-PORT's reservation) is not an allocation.
    "relay": re.compile(r"\bLocal relay addr(?:ess)?\b[^:]*:\s*(\S+)"),
    # "session 001000000000000003: new, realm=<lab>, username=<u1>, lifetime=777"
    "new": re.compile(r"\bsession (\d+):\s*new\b(.*)$"),
    # "session N: refreshed, realm=<lab>, username=<u1>, lifetime=0"
    "refreshed": re.compile(r"\bsession (\d+):\s*refreshed\b.*?\blifetime\s*=\s*(\d+)"),
    # "session N: peer 127.0.0.1:23481 lifetime updated: 600": a permission
    # installed or refreshed (300: CreatePermission, 600: ChannelBind).  The
    # address is the permission's (one per IP, RFC 8656 9), with the port
    # of whatever installed it first or none.
    "permission": re.compile(r"\bsession (\d+):\s*peer (\S+) lifetime updated\b"),
    # "session N: realm <lab> user <u1>: incoming packet CHANNEL_BIND processed, success"
    # "... incoming packet message processed, error 401: Unauthorized"
    "processed": re.compile(r"\bsession (\d+):.*?\buser <([^>]*)>.*?\bincoming packet (\S+) processed,\s*"
                            r"(success|error (\d+))"),
    # "ERROR: check_stun_auth: user u1 credentials are incorrect"
    "badcred": re.compile(r"\buser (\S+) credentials are incorrect"),
    # "session N: peer usage: realm=<lab>, username=<u1>, rp=2, rb=200, sp=2, sb=200"
    "peer_usage": re.compile(r"\bsession (\d+):\s*peer usage\b.*?\brp=(\d+),\s*rb=(\d+),\s*sp=(\d+),\s*sb=(\d+)"),
    # "session N: closed (2nd stage), user <u1> realm <lab> origin <>,
    #  local 127.0.0.1:23478, remote 127.0.0.1:45238, reason: allocation timeout"
    "closed": re.compile(r"\bsession (\d+):\s*closed\b.*?\blocal (\S+?),?\s+remote (\S+?),?\s+reason:\s*(.*)$"),
    # "IPv4. UDP listener opened on: 127.0.0.1:23478" (also TCP)
    "listener": re.compile(r"\b(UDP|TCP) listener opened on\s*:\s*(\S+)"),
}


class CoturnSession:
    def __init__(self, sid):
        self.sid = sid
        self.run = None             # the run whose lines first name it
        self.allocated = False
        self.user = None
        self.lifetime = None
        self.relay = None           # (ip, port) from "Local relay addr"
        self.refresh_lifetimes = []
        self.permissions = []       # peer IPs in order of first "lifetime updated"
        self.permission_ports = {}  # IP -> the port coturn printed, or None
        self.results = []           # (method, code or None, user)
        self.bad_credentials = 0
        self.peer_usage = None      # (rp, rb, sp, sb)
        self.closed = None          # (local, remote, reason)

    def count(self, method, code="success"):
        return sum(1 for m, c, _ in self.results if m == method and
                   (c is None if code == "success" else c == code))

    def errors(self, method):
        return [c for m, c, _ in self.results if m == method and c is not None]


def read_marked_log(path):
    """Splits the marked log into runs: returns (runs, lines) with runs a
    list of the begin markers' objects (with "lines": the coturn lines
    between begin and end) and lines every coturn line with its run."""
    try:
        with open(path, errors="replace") as f:
            raw = f.read().splitlines()
    except OSError as e:
        raise Failure("cannot read coturn log %s: %s" % (path, e))
    runs, lines, current = [], [], None
    for text in raw:
        if text.startswith(MARK):
            try:
                obj = json.loads(text[len(MARK):])
            except ValueError:
                raise Failure("%s: unreadable marker line %r" % (path, text[:120]))
            if obj.get("event") == "begin":
                obj["lines"] = []
                runs.append(obj)
                current = obj
            elif obj.get("event") == "end":
                current = None
            continue
        lines.append((current["run"] if current else None, text))
        if current:
            current["lines"].append(text)
    if not runs:
        raise Failure("%s has no run markers (%s...): not a log written by live_uclient.py live"
                      % (path, MARK.strip()))
    return runs, lines


def parse_coturn_log(path):
    """coturn's sessions, the runs, and the server's listening addresses."""
    runs, lines = read_marked_log(path)
    sessions, listeners = {}, set()
    pending_relay = []
    pending_badcred = 0
    hits = {k: 0 for k in LOG_RE}

    def sess(sid, run):
        s = sessions.get(sid)
        if s is None:
            s = sessions[sid] = CoturnSession(sid)
            s.run = run
        return s

    for run, text in lines:
        m = LOG_RE["listener"].search(text)
        if m:
            hits["listener"] += 1
            listeners.add((m.group(1).lower(), split_addr(m.group(2))))
            continue
        m = LOG_RE["relay"].search(text)
        if m:
            hits["relay"] += 1
            pending_relay.append(split_addr(m.group(1)))
            continue
        m = LOG_RE["new"].search(text)
        if m:
            hits["new"] += 1
            s = sess(m.group(1), run)
            s.allocated = True
            u = re.search(r"username=<([^>]*)>", m.group(2))
            lt = re.search(r"lifetime=(\d+)", m.group(2))
            s.user = u.group(1) if u else None
            s.lifetime = int(lt.group(1)) if lt else None
            # the relay address is logged just before, by the same thread;
            # anything but exactly one waiting means two allocations interleaved
            if len(pending_relay) != 1:
                raise Failure("coturn log: allocation of session %s follows %d \"Local relay addr\" "
                              "lines, not one: cannot tell its relayed address (%r)"
                              % (s.sid, len(pending_relay), text[:120]))
            s.relay = pending_relay.pop()
            continue
        m = LOG_RE["refreshed"].search(text)
        if m:
            hits["refreshed"] += 1
            sess(m.group(1), run).refresh_lifetimes.append(int(m.group(2)))
            continue
        m = LOG_RE["permission"].search(text)
        if m:
            hits["permission"] += 1
            s = sess(m.group(1), run)
            ip, port = split_addr(m.group(2))
            if ip not in s.permission_ports:
                s.permissions.append(ip)
                s.permission_ports[ip] = port
            continue
        m = LOG_RE["badcred"].search(text)
        if m:
            hits["badcred"] += 1
            pending_badcred += 1
            continue
        m = LOG_RE["processed"].search(text)
        if m:
            hits["processed"] += 1
            s = sess(m.group(1), run)
            code = int(m.group(5)) if m.group(5) else None
            s.results.append((m.group(3).upper(), code, m.group(2)))
            if code == 401 and pending_badcred:
                # coturn prints "credentials are incorrect" just before the
                # 401 it answers with, without the session
                s.bad_credentials += pending_badcred
                pending_badcred = 0
            continue
        m = LOG_RE["peer_usage"].search(text)
        if m:
            hits["peer_usage"] += 1
            sess(m.group(1), run).peer_usage = tuple(int(g) for g in m.groups()[1:])
            continue
        m = LOG_RE["closed"].search(text)
        if m:
            hits["closed"] += 1
            sess(m.group(1), run).closed = (split_addr(m.group(2)), split_addr(m.group(3)), m.group(4).strip())
            continue
    for key in ("listener", "relay", "new", "processed", "closed", "peer_usage"):
        if hits[key] == 0:
            raise Failure("coturn log %s: no line matches %s (%s): coturn's log format changed?"
                          % (path, key, LOG_RE[key].pattern))
    if pending_relay:
        raise Failure("coturn log: \"Local relay addr\" %s with no allocation after it"
                      % ", ".join(fmt_addr(*a) for a in pending_relay))
    return runs, sessions, listeners, hits


def log_problems(runs, sessions):
    """What the log must show of each run before anything is compared."""
    problems = []
    for r in runs:
        mine = [s for s in sessions.values() if s.run == r["run"]]
        allocs = [s for s in mine if s.allocated]
        if r["right_password"]:
            if not allocs:
                problems.append("r%d (%s): coturn logs no allocation" % (r["run"], r["label"]))
        else:
            if allocs:
                problems.append("r%d (%s): coturn logs allocation(s) %s with a wrong password"
                                % (r["run"], r["label"], ", ".join(short_id(s.sid) for s in allocs)))
            if not any(s.bad_credentials for s in mine):
                problems.append("r%d (%s): coturn logs no \"credentials are incorrect\""
                                % (r["run"], r["label"]))
        user = r["args"][r["args"].index("-u") + 1] if "-u" in r["args"] else None
        for s in allocs:
            if s.user != user:
                problems.append("r%d: coturn session %s allocated for user %r, the run's user is %r"
                                % (r["run"], short_id(s.sid), s.user, user))
            if s.closed is None:
                problems.append("r%d: coturn session %s (relay %s) never closed in the log: its client "
                                "address is unknown" % (r["run"], short_id(s.sid), fmt_addr(*s.relay)))
    return problems


# ---------------------------------------------------------------------------
# The capture's own bytes: pcapng, IPv4, UDP, TCP, STUN, ChannelData
# ---------------------------------------------------------------------------

def ipv4(linktype, pkt):
    """(src, dst, protocol, transport bytes) of an IPv4 packet, or None."""
    if linktype == 1:
        if len(pkt) < 14 or pkt[12:14] != b"\x08\x00":
            return None
        ip = pkt[14:]
    elif linktype in (101, 228):
        ip = pkt
    elif linktype == 113:
        if len(pkt) < 16 or pkt[14:16] != b"\x08\x00":
            return None
        ip = pkt[16:]
    else:
        raise Failure("link type %d not handled by the capture reader" % linktype)
    if len(ip) < 20 or ip[0] >> 4 != 4:
        return None
    ihl = (ip[0] & 15) * 4
    total = struct.unpack_from("!H", ip, 2)[0]
    return (str(ipaddress.IPv4Address(ip[12:16])), str(ipaddress.IPv4Address(ip[16:20])),
            ip[9], ip[ihl:total])


def stun_type_parts(t):
    method = (t & 0x000F) | ((t & 0x00E0) >> 1) | ((t & 0x3E00) >> 2)
    cls = ((t >> 4) & 1) | ((t >> 7) & 2)
    return method, cls


def error_code(attrs):
    for a, v in attrs:
        if a == A_ERROR_CODE and len(v) >= 4:
            return (v[2] & 7) * 100 + v[3]
    return None


class Flow:
    """One client's 5-tuple with the TURN server (UDP, or a TCP connection)."""
    def __init__(self, transport, client, server):
        self.transport, self.client, self.server = transport, client, server
        self.msgs = []              # dicts in wire order
        self.first_frame = None
        # TCP reassembly, per direction (0 client to server)
        self.next_seq, self.buf, self.gap = {}, {0: b"", 1: b""}, None


def parse_turn_stream(flow, d, frame):
    """Whole messages at the front of a TCP direction's bytes (ChannelData
    padded to 4 bytes, RFC 8656 12.5)."""
    buf = flow.buf[d]
    while len(buf) >= 4:
        if 0x40 <= buf[0] <= 0x7F:
            ln = struct.unpack_from("!H", buf, 2)[0]
            size = 4 + ((ln + 3) & ~3)
            if len(buf) < size:
                break
            add_msg(flow, d, frame, buf[:4 + ln])
            buf = buf[size:]
            continue
        if len(buf) < 20:
            break
        if not lc.is_stun_header(buf):
            flow.gap = flow.gap or frame
            buf = b""
            break
        size = 20 + struct.unpack_from("!H", buf, 2)[0]
        if len(buf) < size:
            break
        add_msg(flow, d, frame, buf[:size])
        buf = buf[size:]
    flow.buf[d] = buf


def add_msg(flow, d, frame, data):
    m = {"frame": frame, "from_client": d == 0}
    if 0x40 <= data[0] <= 0x7F:
        chan, ln = struct.unpack_from("!HH", data, 0)
        m.update(kind="chan", chan=chan, length=ln, data=data[4:4 + ln])
    else:
        t = struct.unpack_from("!H", data, 0)[0]
        method, cls = stun_type_parts(t)
        m.update(kind="stun", type=t, method=method, cls=cls, tid=data[8:20], attrs=lc.stun_attrs(data))
    flow.msgs.append(m)


def parse_capture(path, servers):
    """The TURN flows with the server addresses `servers` ({(transport,
    (ip, port))}), and the run markers: (flows by (transport, client),
    {run: (begin frame, end frame)}, number of frames)."""
    flows, marks, nframes = {}, {}, 0
    for frame, link, pkt in lc.read_pcapng(path):
        nframes = frame
        p = ipv4(link, pkt)
        if p is None:
            continue
        src, dst, proto, seg = p
        if proto == 17 and len(seg) >= 8:
            sport, dport, ulen = struct.unpack_from("!HHH", seg, 0)
            payload = seg[8:ulen]
            if payload.startswith(PROBE_PREFIX):
                m = re.match(rb"run (\d+) (begin|end)", payload[len(PROBE_PREFIX):])
                if m:
                    marks.setdefault(int(m.group(1)), {}).setdefault(m.group(2).decode(), frame)
                continue
            a, b = (src, sport), (dst, dport)
            if ("udp", b) in servers:
                d, client, server = 0, a, b
            elif ("udp", a) in servers:
                d, client, server = 1, b, a
            else:
                continue
            f = flows.setdefault(("udp", client), Flow("udp", client, server))
            if f.first_frame is None:
                f.first_frame = frame
            if len(payload) >= 4 and 0x40 <= payload[0] <= 0x7F:
                ln = struct.unpack_from("!H", payload, 2)[0]
                if 4 + ln <= len(payload):
                    add_msg(f, d, frame, payload[:4 + ln])
            elif lc.is_stun_header(payload) and 20 + struct.unpack_from("!H", payload, 2)[0] <= len(payload):
                add_msg(f, d, frame, payload[:20 + struct.unpack_from("!H", payload, 2)[0]])
        elif proto == 6 and len(seg) >= 20:
            sport, dport, seq = struct.unpack_from("!HHI", seg, 0)
            flags, off = seg[13], (seg[12] >> 4) * 4
            payload = seg[off:]
            a, b = (src, sport), (dst, dport)
            if ("tcp", b) in servers:
                d, client, server = 0, a, b
            elif ("tcp", a) in servers:
                d, client, server = 1, b, a
            else:
                continue
            key = ("tcp", client)
            if flags & 0x02 and d == 0 and not flags & 0x10 and key in flows and flows[key].msgs:
                # a new connection from a client port used before
                raise Failure("frame %d: client port %s used for two TCP connections" % (frame, fmt_addr(*client)))
            f = flows.setdefault(key, Flow("tcp", client, server))
            if f.first_frame is None:
                f.first_frame = frame
            if flags & 0x02:
                f.next_seq[d] = (seq + 1) & 0xFFFFFFFF
                continue
            if not payload:
                continue
            exp = f.next_seq.get(d)
            if exp is not None and seq != exp:
                if (seq - exp) & 0xFFFFFFFF >= 0x80000000:
                    continue      # bytes already read
                f.gap = f.gap or frame
            f.next_seq[d] = (seq + len(payload)) & 0xFFFFFFFF
            if f.gap:
                continue
            f.buf[d] += payload
            parse_turn_stream(f, d, frame)
    windows = {}
    for run, m in marks.items():
        if "begin" in m and "end" in m:
            windows[run] = (m["begin"], m["end"])
    return flows, windows, nframes


def peer_of(m):
    for a, v in m["attrs"]:
        if a == A_XOR_PEER:
            ip, port = lc.xor_address(v, m["tid"])
            return ip.strip("[]"), port
    return None


MAX_PEERS = 32                     # msturn's bound per allocation (docs/sessions.md)
NOT_COUNTED = (401, 438)           # challenges: answered again with credentials


def inner_check(data):
    """'req' or 'ok' when the relayed bytes are a STUN Binding request or
    success response (an ICE check and its answer), else None."""
    if len(data) >= 20 and lc.is_stun_header(data):
        t = struct.unpack_from("!H", data, 0)[0]
        return {0x0001: "req", 0x0101: "ok"}.get(t)
    return None


class ModelPeer:
    def __init__(self, ip, port):
        self.ip, self.port = ip, port
        self.binds = []             # [channel, result]: "ok", an error code or None (no answer)
        self.to = [0, 0]
        self.frm = [0, 0]
        self.checks = {"to_req": 0, "from_ok": 0, "from_req": 0, "to_ok": 0}
        self.without_permission = False
        self.dropped = [0, 0]       # Send indications the server drops: no permission yet

    def text(self):
        return fmt_addr(self.ip, self.port)


def flow_facts(flow):
    """The flow's bytes read as docs/sessions.md reads them: the allocation's
    relayed address, and its peers (transport addresses, created in order
    of mention; a CreatePermission for an IP no peer has yet makes a peer at
    the port it named, and where that is 0 the first ChannelBind/Send/Data
    to the IP gives it its port),
    permissions per IP, channels, data and relayed checks per peer.  The
    300 s permission lifetime is not modelled: the runs last seconds."""
    f = {"relayed": [], "binds_ok": 0, "peers": [], "dropped": [],
         "perm_ok": {}, "perm_err": {}, "cp_pending": {}, "cb_errors": [], "cp_errors": []}
    requests, bound = {}, {}

    def find(ip, port, create=True):
        for p in f["peers"]:
            if p.ip == ip and p.port == port:
                return p
        for p in f["peers"]:
            if p.ip == ip and p.port == 0 and port:
                p.port = port
                return p
        if not create:
            return None
        if len(f["peers"]) >= MAX_PEERS:
            key = (ip, port)
            if (ip, 0) in f["dropped"] and port:
                f["dropped"][f["dropped"].index((ip, 0))] = key
            elif key not in f["dropped"]:
                f["dropped"].append(key)
            return None
        p = ModelPeer(ip, port)
        f["peers"].append(p)
        return p

    def relayed(p, to, data):
        if p is None:
            return
        side = p.to if to else p.frm
        side[0] += 1
        side[1] += len(data)
        kind = inner_check(data)
        if kind:
            p.checks[{("req", True): "to_req", ("ok", True): "to_ok",
                      ("req", False): "from_req", ("ok", False): "from_ok"}[(kind, to)]] += 1

    for m in flow.msgs:
        if m["kind"] == "chan":
            relayed(bound.get(m["chan"]), m["from_client"], m["data"])
            continue
        method, cls, tid = m["method"], m["cls"], m["tid"]
        peers = [lc.xor_address(v, tid) for a, v in m["attrs"] if a == A_XOR_PEER]
        peers = [(ip.strip("[]"), port) for ip, port in peers]
        if cls == 0 and m["from_client"]:
            requests[tid] = m
            if method == 0x008:
                for ip, port in peers:
                    if not any(p.ip == ip for p in f["peers"]) and not any(d[0] == ip for d in f["dropped"]):
                        find(ip, port)
                    f["cp_pending"].setdefault(ip, set()).add(tid)
            elif method == 0x009 and peers:
                p = find(*peers[0])
                chan = [struct.unpack_from("!H", v, 0)[0] for a, v in m["attrs"] if a == A_CHANNEL_NUMBER and len(v) >= 2]
                if p is not None and chan:
                    p.binds.append([chan[0], None, tid])
            continue
        if cls == 1 and method in (0x006, 0x007) and peers:
            to = method == 0x006
            p = find(*peers[0])
            data = b"".join(v for a, v in m["attrs"] if a == A_DATA)
            if to and p is not None and p.ip not in f["perm_ok"]:
                p.without_permission = True
                p.dropped[0] += 1
                p.dropped[1] += len(data)
            relayed(p, to, data)
            continue
        req = requests.get(tid)
        if req is None or m["from_client"] or cls not in (2, 3):
            continue
        code = error_code(m["attrs"]) if cls == 3 else None
        rpeers = [lc.xor_address(v, tid) for a, v in req["attrs"] if a == A_XOR_PEER]
        rpeers = [(ip.strip("[]"), port) for ip, port in rpeers]
        if method == 0x003 and cls == 2 and not f["relayed"]:
            f["relayed"] = [lc.xor_address(v, tid) for a, v in m["attrs"] if a == A_XOR_RELAYED]
        elif method == 0x008:
            for ip, _port in rpeers:
                f["cp_pending"].get(ip, set()).discard(tid)
                if cls == 2:
                    f["perm_ok"].setdefault(ip, m["frame"])
                elif code not in NOT_COUNTED:
                    f["perm_err"][ip] = code
            if cls == 3 and code not in NOT_COUNTED:
                f["cp_errors"].append((code, rpeers))
        elif method == 0x009 and rpeers:
            if cls == 2:
                f["binds_ok"] += 1
                f["perm_ok"].setdefault(rpeers[0][0], m["frame"])
            elif code not in NOT_COUNTED:
                f["cb_errors"].append((code, rpeers))
            p = find(*rpeers[0], create=False)
            for b in (p.binds if p else []):
                if b[2] == tid:
                    b[1] = "ok" if cls == 2 else code
                    if cls == 2:
                        bound[b[0]] = p
    return f


def model_rows(f):
    """The peers table rows docs/sessions.md gives for the model: lists of
    cells in the table's column order (PEER_COLUMNS)."""
    rows = []
    for p in f["peers"]:
        if p.ip in f["perm_ok"]:
            perm = str(f["perm_ok"][p.ip])
        elif p.ip in f["perm_err"]:
            perm = str(f["perm_err"][p.ip])
        elif f["cp_pending"].get(p.ip):
            perm = "no answer"
        else:
            perm = ""
        ok = [b for b in p.binds if b[1] == "ok"]
        answered = [b for b in p.binds if b[1] is not None]
        if ok:
            chan = "0x%04x" % ok[0][0]
        elif p.binds:
            last = p.binds[-1]
            chan = "0x%04x: %s" % (last[0], "no answer" if last[1] is None else last[1])
        else:
            chan = ""
        c = p.checks
        cb_err = [b[1] for b in answered if b[1] != "ok" and b[1] not in NOT_COUNTED]
        if all(c.values()):
            verdict = "ICE valid through the relay"
        elif p.ip in f["perm_err"] and p.ip not in f["perm_ok"]:
            verdict = "%d at CreatePermission" % f["perm_err"][p.ip]
        elif cb_err and not ok:
            verdict = "%d at ChannelBind" % cb_err[-1]
        elif p.without_permission:
            verdict = "data without permission: dropped by the server"
        elif p.to[0] and not p.frm[0]:
            verdict = "one way: nothing back from the peer"
        elif p.frm[0] and not p.to[0]:
            verdict = "one way: nothing from the client"
        elif any(c.values()):
            verdict = ("ICE one-way: no success from peer" if not c["from_ok"] else
                       "ICE one-way: no success from client" if not c["to_ok"] else
                       "ICE: no request from peer" if not c["from_req"] else "ICE: no request from client")
        elif p.to[0] and p.frm[0]:
            verdict = "data both ways, no ICE checks"
        else:
            verdict = "no data"
        rows.append([p.text(), perm, chan, str(p.to[0]), str(p.to[1]), str(p.frm[0]), str(p.frm[1]),
                     str(c["to_req"]), str(c["from_ok"]), str(c["from_req"]), str(c["to_ok"]), verdict])
    return rows


# ---------------------------------------------------------------------------
# What msturn shows
# ---------------------------------------------------------------------------

def msturn_table(cap, name, needed):
    try:
        out = lc.tshark(["-2", "-r", cap, "-o", "msturn.udp:TRUE", "-q", "-z", "msturn,%s" % name],
                        "msturn,%s" % name).decode(errors="replace")
    except lc.Failure as e:
        # tshark lists every -z it knows after an unknown one: the head says why
        raise Failure("\n".join(str(e).splitlines()[:4]))
    header, rows = None, []
    for line in out.splitlines():
        cells = [c.strip() for c in line.split("|")]
        if header is None and len(cells) > 2 and cells[0] == "Session":
            header = cells
            continue
        if header and re.match(r"^\s*\d+\s*\|", line):
            rows.append(dict(zip(header, cells)))
    if header is None:
        raise Failure("tshark -z msturn,%s printed no table header:\n%s" % (name, out[-800:]))
    missing = [c for c in needed if c not in header]
    if missing:
        raise Failure("-z msturn,%s has no column(s) %s (header: %s)" % (name, ", ".join(missing), " | ".join(header)))
    return rows


SESSION_COLUMNS = ["Session", "Client", "TURN server", "Relayed", "Peers", "Allocate", "Verdict", "Kind"]
PEER_COLUMNS = ["Session", "Peer", "Permission", "Channel", "Packets to peer", "Bytes to peer",
                "Packets from peer", "Bytes from peer", "Checks to peer", "Answers from peer",
                "Checks from peer", "Answers to peer", "Verdict"]


def peer_ip(text):
    try:
        return split_addr(text)[0]
    except Failure:
        return text


def intval(text):
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


# ---------------------------------------------------------------------------
# The comparison
# ---------------------------------------------------------------------------

def expected_verdict(s, facts=None):
    """The session verdict coturn's facts give under docs/sessions.md's order
    (not allocated, ICE, Refresh failed, expired, best peer, deallocated, no
    peer / no data); None where coturn's log does not say enough (an error
    at CreatePermission or ChannelBind and no data relayed).  turnutils_uclient
    relays no ICE checks and sends nothing once its allocation is gone, so
    the ICE and expiry verdicts cannot apply."""
    if not s.allocated:
        codes = [c for _m, c, _u in s.results if c is not None]
        if codes and codes[-1] == 401 and codes.count(401) >= 2:
            return "401 loop at Allocate"
        return None
    refresh_errors = [c for c in s.errors("REFRESH") if c not in (401, 438)]
    if refresh_errors:
        return "%d at Refresh" % refresh_errors[-1]
    rp, _rb, sp, _sb = s.peer_usage or (0, 0, 0, 0)
    if sp and rp:
        return "data both ways, no ICE checks"
    if sp:
        return "one way: nothing back from the peer"
    if rp:
        return "one way: nothing from the client"
    if facts and any(p.without_permission for p in facts["peers"]):
        # the wire has Send indications with no permission installed before,
        # and coturn relayed nothing: it dropped them
        return "data without permission: dropped by the server"
    if [c for c in s.errors("CHANNEL_BIND") + s.errors("CREATE_PERMISSION") if c not in (401, 438)]:
        return None
    if 0 in s.refresh_lifetimes:
        return "deallocated (LIFETIME 0)"
    return "no data" if s.permissions else "relay allocated, no peer"


def compare(runs, sessions, flows, windows, srows, prows):
    """(problems, one report line per coturn session of a run)."""
    problems, report = [], []
    relay_rows = [r for r in srows if r.get("Kind") == "TURN relay"]
    used = set()
    peers_by_session = {}
    for p in prows:
        peers_by_session.setdefault(p["Session"], []).append(p)

    def in_run(row, run):
        w = windows.get(run)
        f = intval(row.get("Allocate"))
        return w is None or (f is not None and w[0] < f < w[1])

    for r in runs:
        tag = "r%d" % r["run"]
        if r["run"] not in windows:
            problems.append("%s: no begin/end probe datagrams in the capture" % tag)
        mine = sorted((s for s in sessions.values() if s.run == r["run"]), key=lambda s: s.sid)
        for s in mine:
            what = "%s coturn %s" % (tag, short_id(s.sid))
            if not s.allocated:
                if not s.bad_credentials:
                    continue       # e.g. a challenge the client never answered
                client = fmt_addr(*s.closed[1]) if s.closed else None
                n401 = sum(1 for _m, c, _u in s.results if c == 401)
                cands = [row for row in relay_rows if row["Session"] not in used and in_run(row, r["run"])
                         and not row.get("Relayed") and (client is None or row["Client"] == client)]
                if len(cands) != 1:
                    problems.append("%s refused %s (%d x 401, no allocation): msturn rows with no relayed "
                                    "address in the run: %s" % (what, client or "a client", n401,
                                    ", ".join(row["Session"] for row in cands) or "none"))
                    continue
                row = cands[0]
                used.add(row["Session"])
                want = expected_verdict(s)
                if want and row["Verdict"] != want:
                    problems.append("%s (%d x 401, no allocation): msturn %s verdict %r, expected %r"
                                    % (what, n401, row["Session"], row["Verdict"], want))
                report.append("%-4s %-7s %-21s refused, %d x 401%s| msturn %s: %s"
                              % (tag, short_id(s.sid), client or "(UDP: never closed)", n401, " " * 27,
                                 row["Session"], row["Verdict"]))
                continue
            if s.closed is None:
                continue           # reported by log_problems
            local, remote, reason = s.closed
            client, server, relay = fmt_addr(*remote), fmt_addr(*local), fmt_addr(*s.relay)
            what = "%s (%s)" % (what, client)
            flow = flows.get((r["transport"], remote))
            facts = flow_facts(flow) if flow else None
            if flow is None:
                problems.append("%s: no %s flow from that client in the capture" % (what, r["transport"].upper()))
            elif flow.gap:
                problems.append("%s: TCP bytes missing from the capture at frame %d" % (what, flow.gap))
            elif [fmt_addr(*a) for a in facts["relayed"][:1]] != [relay]:
                problems.append("%s: relay %s in coturn's log, %s in the capture's Allocate success" % (what,
                                relay, ", ".join(fmt_addr(*a) for a in facts["relayed"]) or "none"))
            cands = [row for row in relay_rows if row["Client"] == client and row["TURN server"] == server]
            if len(cands) != 1:
                problems.append("%s: %d TURN relay rows with that client and server %s, want 1"
                                % (what, len(cands), server))
                continue
            row = cands[0]
            used.add(row["Session"])
            if row["Relayed"] != relay:
                problems.append("%s: msturn %s Relayed %r, coturn's relay %s"
                                % (what, row["Session"], row["Relayed"], relay))
            if not in_run(row, r["run"]):
                problems.append("%s: msturn %s Allocate frame %s outside the run (frames %d-%d)"
                                % ((what, row["Session"], row["Allocate"]) + windows[r["run"]]))
            problems += compare_peers(what, s, row, peers_by_session.get(row["Session"], []), facts)
            want = expected_verdict(s, facts)
            if want and row["Verdict"] != want:
                problems.append("%s: msturn %s verdict %r, coturn's facts give %r"
                                % (what, row["Session"], row["Verdict"], want))
            rp, _rb, sp, _sb = s.peer_usage or (0, 0, 0, 0)
            report.append("%-4s %-7s %-21s relay :%-5d peers %-2d binds %-2d data %d/%d %-4s| msturn %s: %s"
                          % (tag, short_id(s.sid), client, s.relay[1], len(s.permissions),
                             s.count("CHANNEL_BIND"), sp, rp,
                             "TCP" if reason.startswith("TCP") else "exp" if "timeout" in reason else "?",
                             row["Session"], row["Verdict"]))
    for row in relay_rows:
        if row["Session"] not in used:
            problems.append("msturn %s (client %s, relayed %s, %r): no such allocation or refusal in coturn's log"
                            % (row["Session"], row["Client"], row["Relayed"] or "-", row["Verdict"]))
    return problems, report


def compare_peers(what, s, row, peers, facts):
    problems = []
    cell = row.get("Peers", "")
    more = re.search(r"\(\+(\d+) more\)\s*$", cell)
    listed = [x.strip() for x in re.sub(r"\s*\(\+\d+ more\)\s*$", "", cell).split(",") if x.strip()]
    shown_ips = {peer_ip(p["Peer"]) for p in peers}
    # coturn's side: every IP it installed a permission for is a peer
    dropped_ips = {ip for ip, _port in facts["dropped"]} if facts else set()
    missing = [ip for ip in s.permissions if ip not in shown_ips and ip not in dropped_ips]
    if missing:
        problems.append("%s: coturn permitted %s; not among msturn %s's %d peers%s"
                        % (what, ", ".join(missing[:3]) + (" ..." if len(missing) > 3 else ""),
                           row["Session"], len(peers), " (%s)" % more.group(0) if more else ""))
    for p in peers:
        ip = peer_ip(p["Peer"])
        if ip in s.permission_ports and intval(p["Permission"]) is None:
            problems.append("%s: peer %s Permission %r, coturn installed a permission for %s"
                            % (what, p["Peer"], p["Permission"], ip))
    if facts is None:
        return problems
    # coturn's counts and codes are the wire's (else the capture is not
    # what coturn saw, and nothing below would mean anything)
    if facts["binds_ok"] != s.count("CHANNEL_BIND"):
        problems.append("%s: %d ChannelBind successes on the wire, coturn logs %d"
                        % (what, facts["binds_ok"], s.count("CHANNEL_BIND")))
    for method, key in (("CREATE_PERMISSION", "cp_errors"), ("CHANNEL_BIND", "cb_errors")):
        logged = sorted(c for c in s.errors(method) if c not in NOT_COUNTED)
        wire = sorted(c for c, _peers in facts[key])
        if logged != wire:
            problems.append("%s: coturn answered %s with %s, the wire has %s"
                            % (what, method, logged or "no error", wire or "no error"))
    unknown = [ip for ip in s.permissions if ip not in facts["perm_ok"]]
    if unknown:
        problems.append("%s: coturn permitted %s, no success on the wire names it" % (what, ", ".join(unknown[:3])))
    # the peer rows against docs/sessions.md read on the wire
    want = model_rows(facts)
    want_more = len(facts["dropped"])
    w, g = [r[0] for r in want], [p["Peer"] for p in peers]
    got_more = int(more.group(1)) if more else 0
    if w != g:
        i = next((k for k in range(min(len(w), len(g))) if w[k] != g[k]), min(len(w), len(g)))
        problems.append("%s: msturn %s has %d peers, the wire %d%s; first difference at #%d: msturn %s, wire %s"
                        % (what, row["Session"], len(g), len(w), " (+%d more)" % want_more if want_more else "",
                           i + 1, g[i] if i < len(g) else "-", w[i] if i < len(w) else "-"))
    elif got_more != want_more:
        problems.append("%s: msturn %s Peers cell ends %r, the wire names %d peers beyond the %d shown"
                        % (what, row["Session"], more.group(0) if more else cell[-24:], want_more, len(g)))
    if listed != g:
        problems.append("%s: msturn %s Peers cell %r, msturn,peers lists %s"
                        % (what, row["Session"], cell[:50], ", ".join(g)[:50] or "none"))
    by_text = {p["Peer"]: p for p in peers}
    cols = PEER_COLUMNS[2:]
    bad = []
    for r in want:
        p = by_text.get(r[0])
        if p is None:
            continue
        got = [p[c] for c in cols]
        diff = [(c, g, w) for c, g, w in zip(cols, got, r[1:]) if g != w]
        if diff:
            bad.append("peer %s %s" % (r[0], "; ".join("%s %r, wire %r" % d for d in diff[:3])))
    for b in bad[:3]:
        problems.append("%s: %s" % (what, b))
    if len(bad) > 3:
        problems.append("%s: %d more peers differ from the wire" % (what, len(bad) - 3))
    # data relayed to and from peers: coturn's counters are the sums of the
    # peer rows, less what the client sent with no permission (coturn
    # drops it unrelayed, msturn counts what the client sent)
    if s.peer_usage is not None:
        rp, rb, sp, sb = s.peer_usage
        dp = sum(p.dropped[0] for p in facts["peers"])
        db = sum(p.dropped[1] for p in facts["peers"])
        sums = [sum(intval(p[c]) or 0 for p in peers)
                for c in ("Packets to peer", "Bytes to peer", "Packets from peer", "Bytes from peer")]
        if sums != [sp + dp, sb + db, rp, rb]:
            problems.append("%s: msturn peers to %d pkt %d B, from %d pkt %d B; coturn's peer usage %d pkt %d B "
                            "(+%d pkt %d B dropped on the wire), %d pkt %d B"
                            % tuple([what] + sums + [sp, sb, dp, db, rp, rb]))
        elif sp and rp and not any(intval(p["Packets to peer"]) and intval(p["Packets from peer"]) for p in peers):
            problems.append("%s: coturn relayed data both ways, no msturn peer has packets both ways" % what)
    return problems


def check(cap, log, runs_listed=False):
    runs, sessions, listeners, hits = parse_coturn_log(log)
    problems = log_problems(runs, sessions)
    flows, windows, nframes = parse_capture(cap, listeners)
    if not flows:
        raise Failure("no STUN/TURN flow with the server's listeners (%s) in %s"
                      % (", ".join("%s %s" % (t, fmt_addr(*a)) for t, a in sorted(listeners)), cap))
    srows = msturn_table(cap, "sessions", SESSION_COLUMNS)
    prows = msturn_table(cap, "peers", PEER_COLUMNS)
    more, report = compare(runs, sessions, flows, windows, srows, prows)
    problems += more

    allocs = [s for s in sessions.values() if s.allocated]
    print("coturn log: %d allocations, %d refusals (bad credentials), %d permission lines, %d closes; "
          "capture: %d frames, %d TURN flows, runs marked %d/%d"
          % (len(allocs), sum(1 for s in sessions.values() if s.bad_credentials and not s.allocated),
             hits["permission"], hits["closed"], nframes, len(flows), len(windows), len(runs)))
    if not runs_listed:
        print("runs: " + ", ".join("r%d %s" % (r["run"], r["label"]) for r in runs))
    print("run  coturn  client                coturn: relay, permitted IPs, ChannelBind ok, peer pkts "
          "to/from, closed | msturn")
    print("\n".join(report))
    return problems


# ---------------------------------------------------------------------------
# Live run
# ---------------------------------------------------------------------------

def start(cmd, log, limit):
    """lc.start without its echo of the command: the runs are listed
    once each, short, so that a failure's output fits one screen."""
    with contextlib.redirect_stdout(io.StringIO()):
        return lc.start(cmd, log, limit)


def send_marker(probe_port, text, dumpcap, log, limit=10.0):
    """Sends the marker datagram until dumpcap has written one more packet."""
    before = lc.captured_count(log)
    end = time.monotonic() + limit
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        while time.monotonic() < end:
            if dumpcap.poll() is not None:
                raise Failure("dumpcap exited (%s):\n%s" % (dumpcap.returncode, lc.tail(log)))
            s.sendto(PROBE_PREFIX + text.encode(), ("127.0.0.1", probe_port))
            t = time.monotonic() + 0.3
            while time.monotonic() < t:
                if lc.captured_count(log) > before:
                    return
                time.sleep(0.02)
    finally:
        s.close()
    raise Failure("dumpcap captured no marker %r within %.0f s:\n%s" % (text, limit, lc.tail(log)))


def settled_size(path, limit=5.0):
    """The size of coturn's log once it has stopped growing and ends a line."""
    end = time.monotonic() + limit
    last, since = -1, time.monotonic()
    while time.monotonic() < end:
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError:
            data = b""
        if len(data) != last:
            last, since = len(data), time.monotonic()
        elif time.monotonic() - since >= 0.4 and (not data or data.endswith(b"\n")):
            return len(data)
        time.sleep(0.05)
    raise Failure("coturn's log %s kept growing or ends inside a line" % path)


def check_help(options):
    """Every long option used here is one this turnserver lists."""
    helptext = subprocess.run(["turnserver", "--help"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=20).stdout.decode(errors="replace")
    unknown = [o for o in options if o.startswith("--") and
               not re.search(r"(^|[\s,])%s([\s=]|$)" % re.escape(o.split("=")[0]), helptext, re.M)]
    if unknown:
        raise Failure("turnserver --help does not list %s" % " ".join(unknown))


def wait_closed(log, limit):
    """Waits until every allocation in coturn's log has its close line."""
    end = time.monotonic() + limit
    while True:
        with open(log, errors="replace") as f:
            text = f.read()
        new = set(re.findall(r"\bsession (\d+):\s*new\b", text))
        closed = set(re.findall(r"\bsession (\d+):\s*closed\b", text))
        if new <= closed or time.monotonic() > end:
            return sorted(new - closed)
        time.sleep(0.5)


def run_live(workdir, keep):
    tools = ["turnserver", "turnutils_uclient", "turnutils_peer", "dumpcap", "timeout"]
    missing = [t for t in tools if not shutil.which(t)]
    if missing:
        raise Failure("missing programs: %s (tools/deps.sh installs coturn and tshark)" % " ".join(missing))
    listen, (rmin, rmax), peer_port, probe_port = lc.pick_ports()
    cap = os.path.join(workdir, "coturn.pcapng")
    tlog = os.path.join(workdir, "turnserver.log")
    logs = {n: os.path.join(workdir, n + ".out") for n in ("turnserver", "peer", "dumpcap")}
    version = lc.coturn_version()
    options = (["--listening-ip", "127.0.0.1", "--relay-ip", "127.0.0.1", "--listening-port", str(listen),
                "--min-port", str(rmin), "--max-port", str(rmax), "--no-tls", "--no-cli"]
               + lc.coturn_options(version)
               + ["--lt-cred-mech", "--user", "%s:%s" % (TURN_USER, TURN_PASSWORD), "--realm", TURN_REALM,
                  "--fingerprint", "--allow-loopback-peers",
                  "--max-allocate-lifetime=%d" % ALLOCATION_LIFETIME,
                  "--log-file", tlog, "--simple-log", "--no-stdout-log", "--verbose",
                  "--pidfile", os.path.join(workdir, "turnserver.pid"),
                  "--userdb", os.path.join(workdir, "turndb")])
    check_help(options)
    print("coturn %s on 127.0.0.1:%d (UDP and TCP), relay ports %d-%d, UDP peer %d, probe %d, workdir %s"
          % (".".join(map(str, version)), listen, rmin, rmax, peer_port, probe_port, workdir))
    turnserver = start(["turnserver", "-n"] + options, logs["turnserver"], PROCESS_LIMIT)
    lc.wait_tcp_listening(listen, turnserver, logs["turnserver"])
    end = time.monotonic() + 10
    while lc.port_free(listen, socket.SOCK_DGRAM):
        if turnserver.poll() is not None or time.monotonic() > end:
            raise Failure("turnserver not listening on UDP 127.0.0.1:%d:\n%s" % (listen, lc.tail(logs["turnserver"])))
        time.sleep(0.1)
    peer = start(["turnutils_peer", "-L", "127.0.0.1", "-p", str(peer_port)], logs["peer"], PROCESS_LIMIT)
    lc.wait_udp_bound(peer_port, peer, logs["peer"])

    # the relay ports carry the peer's side; peer_port + 1 is where
    # turnutils_uclient's second channel points (nobody listens there)
    filt = ("port %d or udp portrange %d-%d or udp portrange %d-%d"
            % (listen, rmin, rmax, peer_port - 1, peer_port + 1))
    dumpcap = start(["dumpcap", "-i", "lo", "-f", filt, "-w", cap], logs["dumpcap"], PROCESS_LIMIT)
    send_marker(probe_port, "start", dumpcap, logs["dumpcap"])

    offsets = []
    for i, (label, transport, right, args) in enumerate(uclient_runs(peer_port)):
        n = i + 1
        cmd = ["turnutils_uclient"] + args + ["-p", str(listen), "127.0.0.1"]
        begin = {"run": n, "event": "begin", "label": label, "transport": transport,
                 "right_password": right, "args": args + ["-p", str(listen), "127.0.0.1"]}
        offsets.append((settled_size(tlog), begin))
        send_marker(probe_port, "run %d begin" % n, dumpcap, logs["dumpcap"])
        t0 = time.monotonic()
        ulog = os.path.join(workdir, "uclient%d.out" % n)
        p = start(cmd, ulog, UCLIENT_LIMIT)
        rc = p.wait()
        lc.stop(p)
        if rc == 124:
            raise Failure("run %d (%s) timed out:\n%s" % (n, label, lc.tail(ulog)))
        if right and rc != 0:
            raise Failure("run %d (%s): turnutils_uclient exited %d:\n%s" % (n, label, rc, lc.tail(ulog)))
        if not right and rc == 0:
            raise Failure("run %d (%s): turnutils_uclient succeeded with a wrong password" % (n, label))
        offsets.append((settled_size(tlog), {"run": n, "event": "end"}))
        send_marker(probe_port, "run %d end" % n, dumpcap, logs["dumpcap"])
        print("r%d %s: turnutils_uclient %s: exit %d, %.1f s"
              % (n, label, " ".join({TURN_PASSWORD: "PASSWORD", WRONG_PASSWORD: "WRONG"}.get(a, a) for a in args), rc,
                 time.monotonic() - t0))

    open_ones = wait_closed(tlog, ALLOCATION_LIFETIME + 20)
    if open_ones:
        raise Failure("coturn did not close allocation(s) %s within %d s of the last run"
                      % (", ".join(open_ones), ALLOCATION_LIFETIME + 20))
    send_marker(probe_port, "stop", dumpcap, logs["dumpcap"])
    lc.stop(dumpcap, signal.SIGINT, 10.0)
    stats = re.search(r"received/dropped on interface .*: (\d+)/(\d+)", lc.tail(logs["dumpcap"], 5))
    if not stats:
        raise Failure("dumpcap did not stop cleanly:\n%s" % lc.tail(logs["dumpcap"]))
    if int(stats.group(2)):
        raise Failure("dumpcap dropped %s of %s packets" % (stats.group(2), stats.group(1)))
    lc.stop(peer)
    lc.stop(turnserver)
    print("capture: %s packets, none dropped (filter %s)" % (stats.group(1), filt))

    # coturn's log with the run markers at the offsets recorded; the
    # temporary folder's name (in coturn's own lines) shown as TMP
    with open(tlog, "rb") as f:
        data = f.read()
    out, pos = [], 0
    for off, obj in offsets:
        out.append(data[pos:off])
        out.append((MARK + json.dumps(obj, sort_keys=True) + "\n").encode())
        pos = off
    out.append(data[pos:])
    marked = b"".join(out).replace(workdir.encode(), b"TMP")
    mlog = os.path.join(workdir, "coturn_marked.log")
    with open(mlog, "wb") as f:
        f.write(marked)
    if keep:
        os.makedirs(keep, exist_ok=True)
        shutil.copyfile(cap, os.path.join(keep, KEPT_NAME + ".pcapng"))
        shutil.copyfile(mlog, os.path.join(keep, KEPT_NAME + ".log"))
        print("kept as %s.pcapng and .log" % os.path.join(keep, KEPT_NAME))
    return cap, mlog


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="mode", required=True)
    live = sub.add_parser("live", help="run coturn and turnutils_uclient, capture, check")
    live.add_argument("--workdir", help="where to make the temporary folder")
    live.add_argument("--keep", metavar="DIR", help="copy the capture and the marked log into DIR")
    chk = sub.add_parser("check", help="check a kept capture against its kept coturn log")
    chk.add_argument("capture")
    chk.add_argument("log")
    args = ap.parse_args(argv)
    for var in ("MSTURN_PLUGIN", "MSTURN_WS_MAJOR_MINOR"):
        if not os.environ.get(var):
            print("live_uclient: %s is not set (see tests/tshark-msturn.sh)" % var)
            return 2

    atexit.register(lc.stop_all)
    signal.signal(signal.SIGINT, lc.on_signal)
    signal.signal(signal.SIGTERM, lc.on_signal)
    workdir = None
    what = "live.uclient" if args.mode == "live" else "live.uclient_kept"
    try:
        if args.mode == "live":
            if args.workdir:
                os.makedirs(args.workdir, exist_ok=True)
            workdir = tempfile.mkdtemp(prefix="uclient-", dir=args.workdir)
            cap, log = run_live(workdir, args.keep)
        else:
            cap, log = args.capture, args.log
            for f in (cap, log):
                if not os.path.isfile(f):
                    raise Failure("no file %s" % f)
        problems = check(cap, log, runs_listed=args.mode == "live")
    except (lc.Failure, subprocess.TimeoutExpired) as e:
        problems = [str(e)]
    except SystemExit:
        print("%s: interrupted; stopping every process it started" % what)
        raise
    finally:
        lc.stop_all()
    return lc.report(what, problems, workdir, 15)


if __name__ == "__main__":
    sys.exit(main())

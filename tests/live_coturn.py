#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""Live test: real coturn, real RFC 6062 traffic, decoded by the built plugin.

usage: live_coturn.py live [--workdir DIR] [--keep FILE]
       live_coturn.py check CAPTURE

"live" starts a coturn TURN server (turnserver) on 127.0.0.1 with long-term
credentials and TCP relaying, captures loopback with dumpcap, and runs
turnutils_uclient three times:

  -T      TCP relay, client to client: Connect, Connect success with
          CONNECTION-ID, ConnectionAttempt on the other allocation, and a
          ConnectionBind on a new data connection for each (RFC 6062 4.3, 4.4);
  -P      passive TCP relay with an active peer: the peer connects to the
          relayed address, the server sends ConnectionAttempt and the client
          binds a data connection (RFC 6062 4.4, 5.2) -- the presentation
          scenario msturn is built for;
  -t -c   UDP relay over a TCP control connection towards turnutils_peer
          (a UDP echo peer): ChannelBind and ChannelData over TCP
          (RFC 5766 11, 11.5: ChannelData padded to 4 bytes on TCP).

It then stops the capture and checks it like "check" does.  --keep copies
the capture to FILE (this is how test-captures/coturn_rfc6062.pcapng is made).

"check" decodes an existing capture only.  The checks compare what msturn
shows (tshark -2 through tests/tshark-msturn.sh, as user nobody) with what
this script reads from the capture's own bytes (an independent parse of the
pcapng, IPv4, TCP and STUN headers), and with Wireshark's built-in STUN
dissector on the same capture:

  * every STUN message and ChannelData on the TURN connections is decoded by
    msturn at the frame where its last byte arrives, with its type and
    transaction ID, and nothing else is;
  * Allocate requests and success responses (method 0x003), Connect (0x00a),
    ConnectionAttempt (0x00c) and ConnectionBind (0x00b) are there;
  * every ConnectionBind's CONNECTION-ID was announced earlier by a
    ConnectionAttempt indication or a Connect success response, and the bind
    is in the same msturn.session as that announcement;
  * every frame with TCP payload on a data connection (whose first message is
    ConnectionBind) and on a peer connection (to a relayed address) carries
    msturn.session;
  * MESSAGE-INTEGRITY verifies with the credentials below, FINGERPRINT too;
  * `tshark -2 -q -z msturn,sessions` lists every relayed address;
  * in every frame msturn decodes at least as many messages as the built-in
    STUN dissector (tshark --disable-protocol msturn).

Environment: MSTURN_PLUGIN, MSTURN_WS_MAJOR_MINOR (see tests/tshark-msturn.sh).
Every process it starts runs in its own process group under `timeout` and is
killed on every exit path.
"""
import argparse
import atexit
import ipaddress
import os
import random
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
RUNNER = os.path.join(HERE, "tshark-msturn.sh")

# Long-term credentials of the live server (RFC 5389 10.2, coturn --user/--realm).
TURN_USER = "msturn"
TURN_REALM = "msturn.lab"
TURN_PASSWORD = "coturn-lab-1"
CREDENTIALS_UAT = 'uat:msturn_credentials:"%s","%s","%s"' % (TURN_USER, TURN_REALM, TURN_PASSWORD)

RELAY_PORTS = 20               # size of coturn's relay port range
PROBE_PAYLOAD = b"msturn live capture probe"
MAGIC_COOKIE = 0x2112A442      # RFC 5389 6

# Message types (RFC 5389 6: method and class bits interleaved).
ALLOCATE_REQ, ALLOCATE_OK = 0x0003, 0x0103
CONNECT_OK = 0x010A            # RFC 6062 6.1
CONNBIND_REQ = 0x000B
CONNATTEMPT_IND = 0x001C
A_MESSAGE_INTEGRITY = 0x0008
A_XOR_RELAYED = 0x0016         # RFC 5766 14.5
A_SOFTWARE = 0x8022
A_FINGERPRINT = 0x8028
A_CONNECTION_ID = 0x002A       # RFC 6062 6.2.1

# turnutils_uclient runs: (label, arguments before the server address).
def uclient_runs(peer_port):
    common = ["-n", "3", "-u", TURN_USER, "-w", TURN_PASSWORD]
    return [
        ("TCP relay, Connect (-T)", ["-T"] + common),
        ("TCP relay, active peer (-P)", ["-P"] + common),
        ("UDP relay, ChannelData over TCP (-t -c)",
         ["-t", "-c", "-e", "127.0.0.1", "-r", str(peer_port)] + common),
    ]


class Failure(Exception):
    pass


# coturn's command line changed between releases; these options depend on
# the version of the turnserver found at run time:
# (first version, first version without it, options).
#   --no-dtls: DTLS listeners start by default up to 4.6 (Debian 12 and 13
#     ship 4.6.1) and must be turned off; 4.18 starts DTLS only with --dtls
#     and rejects --no-dtls.
#   --no-rfc5780: RFC 5780 NAT discovery is on by default up to 4.6; 4.18
#     made it opt-in (--rfc5780) and keeps the old option only as deprecated.
COTURN_VERSION_OPTIONS = [
    ((0,), (4, 7), ["--no-dtls"]),
    ((0,), (4, 7), ["--no-rfc5780"]),
]


def coturn_version():
    """The version of the turnserver on PATH, as a tuple of integers."""
    try:
        out = subprocess.run(["turnserver", "--version"], stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, timeout=20).stdout.decode(errors="replace")
    except (OSError, subprocess.TimeoutExpired) as e:
        raise Failure("turnserver --version failed: %s" % e)
    m = re.search(r"\b(\d+)\.(\d+)(?:\.(\d+))?", out)
    if not m:
        raise Failure("cannot read coturn's version from `turnserver --version`: %r" % out[-300:])
    return tuple(int(g) for g in m.groups() if g is not None)


def coturn_options(version):
    """The version-dependent options for this coturn; each one checked
    against the server's own --help, so a release between the versions named
    above that does not match the table fails here, saying so."""
    opts = [o for lo, hi, group in COTURN_VERSION_OPTIONS if lo <= version < hi for o in group]
    helptext = subprocess.run(["turnserver", "--help"], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=20).stdout.decode(errors="replace")
    unknown = [o for o in opts if not re.search(r"(^|\s)%s\s" % re.escape(o), helptext)]
    if unknown:
        raise Failure("coturn %s does not list %s in --help: update COTURN_VERSION_OPTIONS in %s"
                      % (".".join(map(str, version)), " ".join(unknown), os.path.basename(__file__)))
    return opts


# ---------------------------------------------------------------------------
# Processes: own process group, bounded by timeout, killed on every exit
# ---------------------------------------------------------------------------

PROCS = []


def start(cmd, log, limit):
    """Starts cmd in a new process group under `timeout limit`."""
    print("$ " + " ".join("'%s'" % a if " " in a or not a else a for a in cmd))
    f = open(log, "wb")
    p = subprocess.Popen(["timeout", "-s", "TERM", "-k", "5", str(limit)] + cmd,
                         stdin=subprocess.DEVNULL, stdout=f, stderr=subprocess.STDOUT,
                         start_new_session=True)
    f.close()
    PROCS.append(p)
    return p


def stop(p, sig=signal.SIGTERM, wait=5.0):
    if p.poll() is None:
        try:
            os.killpg(p.pid, sig)
        except ProcessLookupError:
            pass
        try:
            p.wait(wait)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.wait()
    # the process group may outlive its leader
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    if p in PROCS:
        PROCS.remove(p)


def stop_all():
    for p in list(PROCS):
        stop(p, wait=2.0)


def on_signal(signum, _frame):
    # Unwind first: main's finally stops every process.  Stopping them here
    # could wait on a process the interrupted code is already waiting on.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise SystemExit(128 + signum)


def tail(path, n=12):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-n:])
    except OSError:
        return "(no log)"


# ---------------------------------------------------------------------------
# Ports
# ---------------------------------------------------------------------------

def port_free(port, kind):
    s = socket.socket(socket.AF_INET, kind)
    try:
        s.bind(("127.0.0.1", port))
        return True
    except OSError:
        return False
    finally:
        s.close()


def pick_ports():
    """A listening port, a relay range and two UDP ports (peer, probe), all
    free and below the kernel's ephemeral range, so that no other program's
    connection can fall into the capture filter."""
    lo = 32768
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            lo = int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        pass
    top = min(lo, 32768) - 1
    rnd = random.Random()
    for _ in range(200):
        base = rnd.randrange(20000, top - RELAY_PORTS - 8)
        ports = list(range(base, base + RELAY_PORTS + 4))
        if all(port_free(p, socket.SOCK_STREAM) and port_free(p, socket.SOCK_DGRAM) for p in ports):
            listen, probe, peer = ports[0], ports[1], ports[2]
            return listen, (ports[4], ports[4 + RELAY_PORTS - 1]), peer, probe
    raise Failure("no free block of %d ports on 127.0.0.1 below %d" % (RELAY_PORTS + 4, top))


def wait_tcp_listening(port, proc, log, limit=10.0):
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise Failure("turnserver exited (%s) before listening:\n%s" % (proc.returncode, tail(log)))
        s = socket.socket()
        s.settimeout(0.5)
        try:
            s.connect(("127.0.0.1", port))
            return
        except OSError:
            time.sleep(0.1)
        finally:
            s.close()
    raise Failure("turnserver not listening on 127.0.0.1:%d after %.0f s:\n%s" % (port, limit, tail(log)))


def wait_udp_bound(port, proc, log, limit=10.0):
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise Failure("turnutils_peer exited (%s):\n%s" % (proc.returncode, tail(log)))
        if not port_free(port, socket.SOCK_DGRAM):
            return
        time.sleep(0.1)
    raise Failure("turnutils_peer not bound to UDP 127.0.0.1:%d:\n%s" % (port, tail(log)))


# ---------------------------------------------------------------------------
# Capture with dumpcap; "running" means a probe datagram has been captured
# ---------------------------------------------------------------------------

def captured_count(log):
    # dumpcap reports "Packets: N" on stderr as it writes them
    try:
        with open(log, errors="replace") as f:
            counts = re.findall(r"Packets: (\d+)", f.read())
    except OSError:
        return 0
    return int(counts[-1]) if counts else 0


def probe_until_captured(probe_port, proc, log, before, limit=10.0):
    end = time.monotonic() + limit
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        while time.monotonic() < end:
            if proc.poll() is not None:
                raise Failure("dumpcap exited (%s):\n%s" % (proc.returncode, tail(log)))
            s.sendto(PROBE_PAYLOAD, ("127.0.0.1", probe_port))
            t = time.monotonic() + 0.3
            while time.monotonic() < t:
                if captured_count(log) > before:
                    return captured_count(log)
                time.sleep(0.02)
    finally:
        s.close()
    raise Failure("dumpcap captured no probe datagram within %.0f s:\n%s" % (limit, tail(log)))


def run_live(workdir, keep):
    tools = ["turnserver", "turnutils_uclient", "turnutils_peer", "dumpcap", "timeout"]
    missing = [t for t in tools if not shutil.which(t)]
    if missing:
        raise Failure("missing programs: %s (tools/deps.sh installs coturn and tshark)" % " ".join(missing))
    listen, (rmin, rmax), peer_port, probe_port = pick_ports()
    cap = os.path.join(workdir, "coturn.pcapng")
    logs = {n: os.path.join(workdir, n + ".log") for n in ("turnserver", "peer", "dumpcap")}
    version = coturn_version()
    vopts = coturn_options(version)
    print("coturn %s on 127.0.0.1:%d, relay ports %d-%d, UDP peer %d, workdir %s"
          % (".".join(map(str, version)), listen, rmin, rmax, peer_port, workdir))
    print("options for this version: %s" % (" ".join(vopts) or "(none)"))

    turnserver = start(["turnserver", "-n", "--listening-ip", "127.0.0.1", "--relay-ip", "127.0.0.1",
                        "--listening-port", str(listen), "--min-port", str(rmin), "--max-port", str(rmax),
                        "--no-tls", "--no-udp", "--no-cli"] + vopts + [
                        "--lt-cred-mech", "--user", "%s:%s" % (TURN_USER, TURN_PASSWORD),
                        "--realm", TURN_REALM, "--fingerprint", "--allow-loopback-peers",
                        "--log-file", "stdout", "--simple-log",
                        "--pidfile", os.path.join(workdir, "turnserver.pid"),
                        "--userdb", os.path.join(workdir, "turndb")],
                       logs["turnserver"], 120)
    wait_tcp_listening(listen, turnserver, logs["turnserver"])
    peer = start(["turnutils_peer", "-L", "127.0.0.1", "-p", str(peer_port)], logs["peer"], 120)
    wait_udp_bound(peer_port, peer, logs["peer"])

    filt = "tcp port %d or tcp portrange %d-%d or udp port %d" % (listen, rmin, rmax, probe_port)
    dumpcap = start(["dumpcap", "-i", "lo", "-f", filt, "-w", cap], logs["dumpcap"], 110)
    n = probe_until_captured(probe_port, dumpcap, logs["dumpcap"], 0)
    print("capture running (%s)" % filt)

    for i, (label, args) in enumerate(uclient_runs(peer_port)):
        log = os.path.join(workdir, "uclient%d.log" % (i + 1))
        cmd = ["turnutils_uclient"] + args + ["-p", str(listen), "127.0.0.1"]
        t0 = time.monotonic()
        p = start(cmd, log, 40)
        rc = p.wait()
        PROCS.remove(p)
        stop(p)
        if rc != 0:
            raise Failure("%s: %s exited %d%s:\n%s" % (label, " ".join(cmd), rc,
                          " (timed out)" if rc == 124 else "", tail(log)))
        print("  %s: exit 0 after %.1f s" % (label, time.monotonic() - t0))

    # a last probe proves that everything sent before it has been written
    probe_until_captured(probe_port, dumpcap, logs["dumpcap"], captured_count(logs["dumpcap"]))
    stop(dumpcap, signal.SIGINT, 10.0)
    stats = re.search(r"received/dropped on interface .*: (\d+)/(\d+)", tail(logs["dumpcap"], 5))
    if not stats:
        raise Failure("dumpcap did not stop cleanly:\n%s" % tail(logs["dumpcap"]))
    if int(stats.group(2)):
        raise Failure("dumpcap dropped %s of %s packets" % (stats.group(2), stats.group(1)))
    stop(peer)
    stop(turnserver)
    print("capture stopped: %s packets, none dropped; %s" % (stats.group(1), cap))
    if keep:
        shutil.copyfile(cap, keep)
        print("kept as %s" % keep)
    return cap


# ---------------------------------------------------------------------------
# Independent reading of the capture: pcapng, Ethernet, IPv4, TCP, STUN
# ---------------------------------------------------------------------------

def read_pcapng(path):
    """Yields (frame number, linktype, packet bytes) for every packet block."""
    with open(path, "rb") as f:
        data = f.read()
    pos, endian, links, frame = 0, "<", [], 0
    while pos + 12 <= len(data):
        btype = struct.unpack_from(endian + "I", data, pos)[0]
        if btype == 0x0A0D0D0A:  # Section Header Block: byte order from its magic
            endian = "<" if data[pos + 8:pos + 12] == b"\x4d\x3c\x2b\x1a" else ">"
            links = []
        blen = struct.unpack_from(endian + "I", data, pos + 4)[0]
        if blen < 12 or pos + blen > len(data):
            raise Failure("%s: truncated pcapng block at offset %d" % (path, pos))
        body = data[pos + 8:pos + blen - 4]
        if btype == 1:  # Interface Description Block
            links.append(struct.unpack_from(endian + "H", body, 0)[0])
        elif btype == 6:  # Enhanced Packet Block
            iface, _th, _tl, caplen, _olen = struct.unpack_from(endian + "IIIII", body, 0)
            frame += 1
            yield frame, links[iface], body[20:20 + caplen]
        elif btype == 3:  # Simple Packet Block
            frame += 1
            yield frame, links[0], body[4:]
        pos += blen


def ipv4_tcp(linktype, pkt):
    """(src, sport, dst, dport, seq, flags, payload) or None."""
    if linktype == 1:        # Ethernet
        if len(pkt) < 14 or pkt[12:14] != b"\x08\x00":
            return None
        ip = pkt[14:]
    elif linktype in (101, 228):  # raw IPv4
        ip = pkt
    elif linktype == 113:    # Linux cooked
        if len(pkt) < 16 or pkt[14:16] != b"\x08\x00":
            return None
        ip = pkt[16:]
    else:
        raise Failure("link type %d not handled by the capture reader" % linktype)
    if len(ip) < 20 or ip[0] >> 4 != 4 or ip[9] != 6:
        return None
    ihl = (ip[0] & 15) * 4
    total = struct.unpack_from("!H", ip, 2)[0]
    tcp = ip[ihl:total]
    if len(tcp) < 20:
        return None
    sport, dport, seq = struct.unpack_from("!HHI", tcp, 0)
    off = (tcp[12] >> 4) * 4
    src, dst = str(ipaddress.IPv4Address(ip[12:16])), str(ipaddress.IPv4Address(ip[16:20]))
    return src, sport, dst, dport, seq, tcp[13], tcp[off:]


def is_stun_header(b):
    # RFC 5389 6: two zero bits, length a multiple of 4, the magic cookie
    return (len(b) >= 20 and b[0] & 0xC0 == 0 and struct.unpack_from("!H", b, 2)[0] % 4 == 0
            and struct.unpack_from("!I", b, 4)[0] == MAGIC_COOKIE)


def stun_attrs(msg):
    attrs, pos = [], 20
    while pos + 4 <= len(msg):
        atype, alen = struct.unpack_from("!HH", msg, pos)
        attrs.append((atype, msg[pos + 4:pos + 4 + alen]))
        pos += 4 + ((alen + 3) & ~3)
    return attrs


def xor_address(value, tid):
    # RFC 5389 15.2: port XOR the cookie's top 16 bits, IPv4 XOR the cookie
    family, xport = value[1], struct.unpack_from("!H", value, 2)[0]
    port = xport ^ (MAGIC_COOKIE >> 16)
    if family == 1:
        ip = struct.unpack_from("!I", value, 4)[0] ^ MAGIC_COOKIE
        return str(ipaddress.IPv4Address(ip)), port
    key = struct.pack("!I", MAGIC_COOKIE) + tid
    return "[%s]" % ipaddress.IPv6Address(bytes(a ^ b for a, b in zip(value[4:20], key))), port


class Conn:
    def __init__(self, key):
        self.key = key                 # ((ip, port), (ip, port)) as first seen
        self.next_seq = {}             # direction -> next expected sequence number
        self.buf = {0: b"", 1: b""}    # bytes not yet parsed, per direction
        self.relayed = {0: False, 1: False}
        self.kind = None               # "turn" (STUN on it) or "other"
        self.first_type = None
        self.payload_frames = []
        self.messages = []
        self.gap = None


def parse_capture(path):
    """Reads the capture's bytes: every TCP connection, its payload frames,
    and on connections that start with STUN every message until the
    connection turns into relayed data (RFC 6062 5.2, 5.3: after ConnectionBind
    and its success response)."""
    conns, order, probes = {}, [], 0
    frames = 0
    for frame, link, pkt in read_pcapng(path):
        frames = frame
        t = ipv4_tcp(link, pkt)
        if t is None:
            if PROBE_PAYLOAD in pkt:
                probes += 1
            continue
        src, sport, dst, dport, seq, flags, payload = t
        a, b = (src, sport), (dst, dport)
        key = (b, a) if (b, a) in conns else (a, b)
        if key not in conns:
            conns[key] = Conn(key)
            order.append(key)
        c = conns[key]
        d = 0 if (src, sport) == key[0] else 1
        if flags & 0x02:  # SYN takes one sequence number
            c.next_seq[d] = (seq + 1) & 0xFFFFFFFF
            continue
        if not payload:
            continue
        c.payload_frames.append(frame)
        exp = c.next_seq.get(d)
        if exp is not None and seq != exp:
            ahead = (seq - exp) & 0xFFFFFFFF
            if ahead >= 0x80000000:
                continue          # a retransmission of bytes already read
            c.gap = c.gap or frame
        c.next_seq[d] = (seq + len(payload)) & 0xFFFFFFFF
        if c.kind is None:
            c.kind = "turn" if is_stun_header(payload) else "other"
        if c.kind != "turn" or c.relayed[d] or c.gap:
            continue
        c.buf[d] += payload
        parse_stream(c, d, frame)
    return frames, probes, [conns[k] for k in order]


def parse_stream(c, d, frame):
    buf = c.buf[d]
    while buf and not c.relayed[d]:
        if len(buf) < 4:
            break
        if 0x40 <= buf[0] <= 0x7F:
            # ChannelData (RFC 5766 11.4), padded to 4 bytes over TCP (11.5)
            chan, ln = struct.unpack_from("!HH", buf, 0)
            size = 4 + ((ln + 3) & ~3)
            if len(buf) < size:
                break
            c.messages.append({"frame": frame, "dir": d, "key": ("chan", chan), "attrs": []})
            buf = buf[size:]
            continue
        if len(buf) < 20:
            break
        if not is_stun_header(buf):
            c.messages.append({"frame": frame, "dir": d, "key": ("junk", buf[:8].hex()), "attrs": []})
            buf = b""
            c.relayed[d] = True
            break
        size = 20 + struct.unpack_from("!H", buf, 2)[0]
        if len(buf) < size:
            break
        msg = buf[:size]
        mtype = struct.unpack_from("!H", msg, 0)[0]
        tid = msg[8:20]
        attrs = stun_attrs(msg)
        c.messages.append({"frame": frame, "dir": d, "key": (mtype, tid.hex()), "type": mtype,
                           "tid": tid, "attrs": attrs})
        if c.first_type is None:
            c.first_type = mtype
        buf = buf[size:]
        if mtype & 0x3EEF == CONNBIND_REQ:
            # after ConnectionBind (request one way, response the other) the
            # connection carries the peer's bytes (RFC 6062 5.2, 5.3)
            c.relayed[d] = True
    c.buf[d] = b"" if c.relayed[d] else buf


# ---------------------------------------------------------------------------
# What msturn and the built-in dissector show
# ---------------------------------------------------------------------------

def tshark(args, what):
    env = dict(os.environ)
    env.pop("MSTURN_READ_IN_PLACE", None)   # the runner copies the capture for nobody
    proc = subprocess.run(["sh", RUNNER] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=180, env=env)
    if proc.returncode != 0:
        raise Failure("tshark (%s) failed with %d:\n%s" % (what, proc.returncode,
                      proc.stderr.decode(errors="replace")[-1500:]))
    return proc.stdout


def field_values(elem, name):
    return [f.get("show") for f in elem.iter("field") if f.get("name") == name]


def msturn_view(cap):
    xml = tshark(["-2", "-r", cap, "-o", CREDENTIALS_UAT, "-T", "pdml"], "msturn, PDML")
    frames = {}
    for pkt in ET.fromstring(xml).iter("packet"):
        number = int(field_values(pkt, "frame.number")[0])
        info = {"msgs": [], "session": None, "role": None}
        for proto in pkt.findall("proto"):
            if proto.get("name") != "msturn":
                continue
            sess = field_values(proto, "msturn.session")
            if sess and info["session"] is None:
                info["session"] = int(sess[0])
                roles = field_values(proto, "msturn.session.role")
                info["role"] = roles[0] if roles else None
            types = field_values(proto, "msturn.type")
            chans = field_values(proto, "msturn.channel")
            if types:
                tid = [f.get("value") for f in proto.iter("field") if f.get("name") == "msturn.id"]
                info["msgs"].append({
                    "key": (int(types[0], 16), (tid[0] or "").lower() if tid else ""),
                    "method": field_values(proto, "msturn.method"),
                    "connection_id": field_values(proto, "msturn.att.connection_id"),
                    "relayed_ip": field_values(proto, "msturn.att.xor_relayed.ip"),
                    "relayed_port": field_values(proto, "msturn.att.xor_relayed.port"),
                    "hmac": field_values(proto, "msturn.att.hmac.status"),
                    "fingerprint": field_values(proto, "msturn.att.fingerprint.status"),
                    "software": field_values(proto, "msturn.att.software"),
                })
            elif chans:
                info["msgs"].append({"key": ("chan", int(chans[0], 16))})
        frames[number] = info
    return frames


def builtin_counts(cap):
    out = tshark(["-2", "-r", cap, "--disable-protocol", "msturn", "-T", "fields",
                  "-E", "occurrence=a", "-E", "aggregator=,",
                  "-e", "frame.number", "-e", "stun.type", "-e", "stun.channel"], "built-in STUN")
    counts = {}
    for line in out.decode().splitlines():
        cols = line.split("\t")
        n = sum(len(list(filter(None, c.split(",")))) for c in cols[1:])
        counts[int(cols[0])] = n
    return counts


def sessions_table(cap):
    out = tshark(["-2", "-r", cap, "-q", "-z", "msturn,sessions"], "msturn,sessions").decode()
    rows = [line for line in out.splitlines() if re.match(r"\s*\d+\s*\|", line)]
    return out, rows


# ---------------------------------------------------------------------------
# The checks
# ---------------------------------------------------------------------------

def check(cap):
    problems = []
    nframes, probes, conns = parse_capture(cap)
    turn = [c for c in conns if c.kind == "turn"]
    wire = [m for c in turn for m in c.messages]
    for c in conns:
        if c.gap:
            problems.append("TCP bytes missing from the capture at frame %d (%s:%d -> %s:%d)"
                            % ((c.gap,) + c.key[0] + c.key[1]))
    for m in wire:
        if m["key"][0] == "junk":
            problems.append("frame %d: bytes that are neither STUN nor ChannelData on a TURN "
                            "connection (%s)" % (m["frame"], m["key"][1]))
    view = msturn_view(cap)
    builtin = builtin_counts(cap)

    def mtype(m):
        return m["key"][0]

    def count(t):
        return sum(1 for m in wire if mtype(m) == t)

    # 1. every message on the wire decoded by msturn at its frame, nothing more
    expected = {}
    for m in wire:
        expected.setdefault(m["frame"], []).append(m["key"])
    def name(key):
        if key[0] == "chan":
            return "ChannelData 0x%04x" % key[1]
        if key[0] == "junk":
            return "bytes %s" % key[1]
        return "0x%04x id %s" % key
    for frame in sorted(set(expected) | {f for f, i in view.items() if i["msgs"]}):
        want = sorted(map(name, expected.get(frame, [])))
        got = sorted(name(m["key"]) for m in view.get(frame, {"msgs": []})["msgs"])
        if want != got:
            problems.append("frame %d: on the wire %s, msturn decoded %s"
                            % (frame, ", ".join(want) or "nothing", ", ".join(got) or "nothing"))

    # index msturn's messages by (type, transaction ID)
    decoded = {}
    for frame, info in view.items():
        for m in info["msgs"]:
            decoded[(frame, m["key"])] = (m, info)

    def seen(m):
        return decoded.get((m["frame"], m["key"]), (None, None))

    # 2. Allocate requests and success responses are method 0x003
    for m in wire:
        if mtype(m) in (ALLOCATE_REQ, ALLOCATE_OK):
            dm, _ = seen(m)
            if dm is not None and [int(v, 16) for v in dm["method"]] != [0x003]:
                problems.append("frame %d: Allocate with msturn.method %s" % (m["frame"], dm["method"]))
    for t, name in ((ALLOCATE_REQ, "Allocate request"), (ALLOCATE_OK, "Allocate success response"),
                    (CONNECT_OK, "Connect success response"), (CONNATTEMPT_IND, "ConnectionAttempt indication"),
                    (CONNBIND_REQ, "ConnectionBind request"), (0x010B, "ConnectionBind success response")):
        if count(t) == 0:
            problems.append("no %s (0x%04x) in the capture" % (name, t))

    # 3. CONNECTION-IDs: announced (Connect success, ConnectionAttempt), then bound
    announced = {}
    for m in sorted(wire, key=lambda m: m["frame"]):
        if mtype(m) not in (CONNECT_OK, CONNATTEMPT_IND, CONNBIND_REQ):
            continue
        raw = [struct.unpack("!I", v)[0] for a, v in m["attrs"] if a == A_CONNECTION_ID and len(v) == 4]
        dm, info = seen(m)
        if dm is None:
            continue
        shown = [int(v, 0) for v in dm["connection_id"]]
        if shown != raw:
            problems.append("frame %d: CONNECTION-ID on the wire %s, msturn.att.connection_id %s"
                            % (m["frame"], raw, shown))
            continue
        if mtype(m) != CONNBIND_REQ:
            for cid in raw:
                announced.setdefault(cid, (m["frame"], info["session"]))
            continue
        if not raw:
            problems.append("frame %d: ConnectionBind without CONNECTION-ID" % m["frame"])
            continue
        ann = announced.get(raw[0])
        if ann is None:
            problems.append("frame %d: ConnectionBind CONNECTION-ID %d was not announced before"
                            % (m["frame"], raw[0]))
        elif info["session"] is None or info["session"] != ann[1]:
            problems.append("frame %d: ConnectionBind in msturn.session %s, its announcement "
                            "(frame %d) in %s" % (m["frame"], info["session"], ann[0], ann[1]))

    # 4. sessions on data connections and on peer connections
    relayed = []
    for m in wire:
        if mtype(m) == ALLOCATE_OK:
            for a, v in m["attrs"]:
                if a == A_XOR_RELAYED:
                    relayed.append(xor_address(v, m["tid"]))
            dm, _ = seen(m)
            if dm is not None and list(zip(dm["relayed_ip"], map(int, dm["relayed_port"]))) != relayed[-1:]:
                problems.append("frame %d: XOR-RELAYED-ADDRESS on the wire %s, msturn shows %s:%s"
                                % (m["frame"], relayed[-1:], dm["relayed_ip"], dm["relayed_port"]))
    data_conns = [c for c in turn if c.first_type == CONNBIND_REQ]
    peer_conns = [c for c in conns if c.kind == "other" and (c.key[0] in relayed or c.key[1] in relayed)]
    for label, group, role in (("data", data_conns, "data"), ("peer", peer_conns, "peer")):
        for c in group:
            for f in c.payload_frames:
                info = view.get(f, {})
                if info.get("session") is None:
                    problems.append("frame %d: %s connection %s:%d-%s:%d without msturn.session"
                                    % ((f, label) + c.key[0] + c.key[1]))
                elif info.get("role") != role:
                    problems.append("frame %d: %s connection shown with msturn.session.role %s"
                                    % (f, label, info.get("role")))
    for c in data_conns:
        sessions = {view.get(f, {}).get("session") for f in c.payload_frames}
        if len(sessions) > 1:
            problems.append("data connection %s:%d-%s:%d spread over sessions %s"
                            % (c.key[0] + c.key[1] + (sorted(map(str, sessions)),)))

    # 5. MESSAGE-INTEGRITY and FINGERPRINT
    n_mi = n_fp = 0
    for m in wire:
        dm, _ = seen(m)
        if dm is None or m["key"][0] == "chan":
            continue
        types = [a for a, _ in m["attrs"]]
        if A_MESSAGE_INTEGRITY in types:
            n_mi += 1
            if dm["hmac"] != ["1"]:
                problems.append("frame %d: MESSAGE-INTEGRITY not verified (msturn.att.hmac.status %s)"
                                % (m["frame"], dm["hmac"]))
        if A_FINGERPRINT in types:
            n_fp += 1
            if dm["fingerprint"] != ["1"]:
                problems.append("frame %d: FINGERPRINT status %s" % (m["frame"], dm["fingerprint"]))

    # 6. the sessions table lists every relayed address
    table, rows = sessions_table(cap)
    for ip, port in relayed:
        addr = "%s:%d" % (ip, port)
        if not any(re.search(r"(^|[|\s,])%s([|\s,]|$)" % re.escape(addr), r) for r in rows):
            problems.append("msturn,sessions has no row with relayed address %s" % addr)

    # 7. at least what the built-in STUN dissector decodes, frame by frame
    fewer = [(f, n, len(view.get(f, {"msgs": []})["msgs"])) for f, n in sorted(builtin.items())
             if n > len(view.get(f, {"msgs": []})["msgs"])]
    for f, n, got in fewer:
        problems.append("frame %d: built-in STUN decodes %d message(s), msturn %d" % (f, n, got))

    software = sorted({s for (dm, _) in decoded.values() for s in dm.get("software", [])})
    n_msturn = sum(len(i["msgs"]) for i in view.values())
    n_builtin = sum(builtin.values())
    print("capture: %s, %d frames (%d probe datagrams), %d TCP connections: %d TURN (%d data), %d peer"
          % (cap, nframes, probes, len(conns), len(turn), len(data_conns), len(peer_conns)))
    print("server SOFTWARE: %s" % (", ".join(software) or "none"))
    print("on the wire: %d STUN messages and %d ChannelData; Allocate %d requests / %d success, "
          "Connect success %d, ConnectionAttempt %d, ConnectionBind %d requests / %d success"
          % (sum(1 for m in wire if m["key"][0] != "chan"), sum(1 for m in wire if m["key"][0] == "chan"),
             count(ALLOCATE_REQ), count(ALLOCATE_OK), count(CONNECT_OK), count(CONNATTEMPT_IND),
             count(CONNBIND_REQ), count(0x010B)))
    print("CONNECTION-IDs announced %d; MESSAGE-INTEGRITY checked %d, FINGERPRINT checked %d"
          % (len(announced), n_mi, n_fp))
    print("relayed addresses: %s" % ", ".join("%s:%d" % r for r in relayed))
    print("messages decoded: msturn %d, built-in STUN %d" % (n_msturn, n_builtin))
    print("msturn,sessions:\n" + "\n".join("  " + r.strip() for r in rows))
    return problems



def report(what, problems, workdir, limit=15):
    """The end of a live test: its problems (the first limit of them) and
    where the capture and logs were kept, or a pass and the work folder
    removed; the exit status."""
    if problems:
        print("\n%s FAILED: %d problem(s)" % (what, len(problems)))
        for p in problems[:limit]:
            print("  " + p)
        if len(problems) > limit:
            print("  ... and %d more" % (len(problems) - limit))
        if workdir:
            print("capture and logs kept in %s" % workdir)
        return 1
    if workdir:
        shutil.rmtree(workdir, ignore_errors=True)
    print("%s: all checks passed" % what)
    return 0

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="mode", required=True)
    live = sub.add_parser("live", help="run coturn, capture, check")
    live.add_argument("--workdir", help="where to make the temporary folder")
    live.add_argument("--keep", help="copy the capture to this file")
    chk = sub.add_parser("check", help="check an existing capture")
    chk.add_argument("capture")
    args = ap.parse_args(argv)
    for var in ("MSTURN_PLUGIN", "MSTURN_WS_MAJOR_MINOR"):
        if not os.environ.get(var):
            print("live_coturn: %s is not set (see tests/tshark-msturn.sh)" % var)
            return 2

    atexit.register(stop_all)
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    workdir = None
    what = "live.coturn" if args.mode == "live" else "live.coturn_kept"
    try:
        if args.mode == "live":
            if args.workdir:
                os.makedirs(args.workdir, exist_ok=True)
            workdir = tempfile.mkdtemp(prefix="coturn-", dir=args.workdir)
            cap = run_live(workdir, args.keep)
        else:
            cap = args.capture
            if not os.path.isfile(cap):
                raise Failure("no capture %s" % cap)
        problems = check(cap)
    except (Failure, subprocess.TimeoutExpired) as e:
        problems = [str(e)]
    except SystemExit:
        print("%s: interrupted; stopping every process it started" % what)
        raise
    finally:
        stop_all()
    return report(what, problems, workdir, 15)


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""Live test: TURN over real TLS and DTLS (RFC 8656 3.1), decrypted with a
key log, decoded by the built plugin; HTTPS beside it is left alone.

usage: live_tls.py live [--workdir DIR] [--keep PREFIX]
       live_tls.py check CAPTURE

"live" makes a self-signed certificate with openssl, starts two coturn TURN
servers on 127.0.0.1 with long-term credentials and only TLS and DTLS
listeners -- one on the TURNS port 5349 (RFC 8656 3.1, RFC 7350 4), one on
443 (another port when 443 cannot be bound) -- an HTTPS server (Python's
http.server over TLS) on 127.0.0.2 at that same second port, and a UDP peer
that echoes what it receives.  While dumpcap captures loopback it runs:

  * TURN over TLS to 5349 (Python's ssl module, the highest version both
    sides speak): Allocate (REQUESTED-TRANSPORT UDP), the 401 with REALM and
    NONCE, the Allocate again with long-term credentials (MESSAGE-INTEGRITY
    with the key MD5(user:realm:password), RFC 8489 9.2), CreatePermission
    and ChannelBind written as one TLS record, a Send indication to the
    peer (whose echo comes back as ChannelData: the channel is bound),
    ChannelData split across two records, and Refresh with LIFETIME 0;
  * the same over DTLS 1.2 to 5349, through `openssl s_client -dtls1_2`
    (one message per record), and again to the second port;
  * the same over TLS 1.2 to the second port, the first Allocate split
    across two records (what the heuristic sees first is its start only);
  * an HTTPS GET to the server on the second port.

Every client writes its secrets to one key log (SSLContext.keylog_filename,
s_client -keylogfile), and every client writes down what it sent and
received, read from its own socket with this script's own STUN reader (the
journal).  --keep PREFIX copies the capture, the key log and the journal to
PREFIX.pcapng, PREFIX.keys and PREFIX.client.tsv (this is how
test-captures/turn_tls.* are made).

"check" reads CAPTURE and, beside it, the key log (.keys) and journal
(.client.tsv) of the same name, and decodes it with tshark through
tests/tshark-msturn.sh (as user nobody) with `-o tls.keylog_file:<keys>`:

  * on every TLS connection and DTLS flow of the journal, msturn decodes, in
    each direction and in order, exactly the STUN messages (type and
    transaction ID) and ChannelData (channel) the client wrote and received,
    in two passes and in one;
  * every request with MESSAGE-INTEGRITY, and every response to one, verifies
    with the credentials (msturn.att.hmac.status 1); every FINGERPRINT too;
  * the frames with those messages carry msturn.session, and
    `-z msturn,sessions` lists each relayed address the journal holds;
  * with the heuristics msturn_tls and msturn_dtls disabled, what went to
    5349 is still decoded (msturn.tls.port, msturn.dtls.port) and what went
    to the second port not at all (only the heuristics take it);
  * no frame with a message msturn decoded is marked Malformed;
  * the HTTPS exchange is decoded as HTTP (the GET and its status), and no
    frame of it carries msturn;
  * without the key log, no frame carries msturn.

Environment: MSTURN_PLUGIN, MSTURN_WS_MAJOR_MINOR (see tests/tshark-msturn.sh).
Every process it starts runs in its own process group under `timeout` and is
killed on every exit path.
"""
import argparse
import atexit
import fcntl
import hashlib
import http.client
import http.server
import ipaddress
import os
import re
import select
import shutil
import signal
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
import zlib

import live_coturn as lc
from live_coturn import Failure

TURN_USER, TURN_REALM, TURN_PASSWORD = lc.TURN_USER, lc.TURN_REALM, lc.TURN_PASSWORD
TURNS_PORT = 5349              # RFC 8656 3.1: TURN over TLS and DTLS
HTTPS_IP = "127.0.0.2"         # the HTTPS server: loopback, beside coturn's 127.0.0.1
CERT_NAME = "turn.msturn.lab"
CHANNEL = 0x4000               # RFC 8656 12: the first channel number
PEER_DATA = b"msturn tls peer data"
MAGIC_COOKIE = 0x2112A442      # RFC 8489 5

# Methods and attributes (RFC 8489 18.2, 18.3; RFC 8656 17, 18)
ALLOCATE, REFRESH, SEND, CREATE_PERMISSION, CHANNEL_BIND = 0x003, 0x004, 0x006, 0x008, 0x009
A_USERNAME, A_MESSAGE_INTEGRITY, A_ERROR_CODE = 0x0006, 0x0008, 0x0009
A_CHANNEL_NUMBER, A_LIFETIME, A_XOR_PEER, A_DATA = 0x000C, 0x000D, 0x0012, 0x0013
A_REALM, A_NONCE, A_XOR_RELAYED, A_REQUESTED_TRANSPORT = 0x0014, 0x0015, 0x0016, 0x0019
A_XOR_MAPPED, A_FINGERPRINT = 0x0020, 0x8028

# coturn's options for TLS and DTLS by version: (first version, first
# version without it, options).  Up to 4.6 (Debian 12 and 13 ship 4.6.1)
# DTLS starts by default and RFC 5780 must be turned off; 4.18 starts DTLS
# only with --dtls and made RFC 5780 opt-in (see live_coturn.py).
COTURN_TLS_OPTIONS = [
    ((0,), (4, 7), ["--no-rfc5780"]),
    ((4, 7), (999,), ["--dtls"]),
]


def coturn_tls_options(version):
    opts = [o for lo, hi, group in COTURN_TLS_OPTIONS if lo <= version < hi for o in group]
    helptext = subprocess.run(["turnserver", "--help"], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=20).stdout.decode(errors="replace")
    unknown = [o for o in opts if not re.search(r"(^|\s)%s\s" % re.escape(o), helptext)]
    if unknown:
        raise Failure("coturn %s does not list %s in --help: update COTURN_TLS_OPTIONS in %s"
                      % (".".join(map(str, version)), " ".join(unknown), os.path.basename(__file__)))
    return opts


# ---------------------------------------------------------------------------
# STUN, written and read here without Wireshark (RFC 8489, RFC 8656)
# ---------------------------------------------------------------------------

def stun_type(method, cls):
    # RFC 8489 5: the class bits C1 C0 sit at bits 8 and 4 of the method
    return ((method & 0xF80) << 2) | ((method & 0x070) << 1) | (method & 0x00F) | \
           ((cls & 2) << 7) | ((cls & 1) << 4)


def hmac_sha1(key, text):
    """RFC 2104 with SHA-1 (the tests folder's hmac.py hides the module)."""
    key = key + b"\0" * (64 - len(key))
    inner = hashlib.sha1(bytes(k ^ 0x36 for k in key) + text).digest()
    return hashlib.sha1(bytes(k ^ 0x5C for k in key) + inner).digest()


def type_method(t):
    return ((t & 0x3E00) >> 2) | ((t & 0x00E0) >> 1) | (t & 0x000F)


def type_class(t):
    # 0 request, 1 indication, 2 success response, 3 error response
    return ((t & 0x0100) >> 7) | ((t & 0x0010) >> 4)


def attr(atype, value):
    return struct.pack("!HH", atype, len(value)) + value + b"\0" * (-len(value) % 4)


def stun_message(mtype, tid, attrs, key=None):
    """A message with attrs, then MESSAGE-INTEGRITY with key (RFC 8489 14.5:
    HMAC-SHA1 over the message up to it, the header's length already
    counting it), then FINGERPRINT (14.7: CRC-32 XOR 0x5354554E)."""
    body = b"".join(attr(t, v) for t, v in attrs)
    if key is not None:
        head = struct.pack("!HHI", mtype, len(body) + 24, MAGIC_COOKIE) + tid
        body += attr(A_MESSAGE_INTEGRITY, hmac_sha1(key, head + body))
    head = struct.pack("!HHI", mtype, len(body) + 8, MAGIC_COOKIE) + tid
    body += attr(A_FINGERPRINT, struct.pack("!I", (zlib.crc32(head + body) ^ 0x5354554E) & 0xFFFFFFFF))
    return struct.pack("!HHI", mtype, len(body), MAGIC_COOKIE) + tid + body


def stun_attrs(msg):
    out, pos = [], 20
    while pos + 4 <= len(msg):
        atype, alen = struct.unpack_from("!HH", msg, pos)
        out.append((atype, msg[pos + 4:pos + 4 + alen]))
        pos += 4 + ((alen + 3) & ~3)
    return out


def xor_address(ip, port):
    # RFC 8489 14.2: port XOR the cookie's top 16 bits, IPv4 XOR the cookie
    return struct.pack("!BBHI", 0, 1, port ^ (MAGIC_COOKIE >> 16),
                       int(ipaddress.IPv4Address(ip)) ^ MAGIC_COOKIE)


def unxor_address(value):
    port = struct.unpack_from("!H", value, 2)[0] ^ (MAGIC_COOKIE >> 16)
    ip = struct.unpack_from("!I", value, 4)[0] ^ MAGIC_COOKIE
    return "%s:%d" % (ipaddress.IPv4Address(ip), port)


def channel_data(channel, data, padded):
    # RFC 8656 12.4; over TLS padded to 4 bytes (12.5), over DTLS need not be
    pad = b"\0" * (-len(data) % 4) if padded else b""
    return struct.pack("!HH", channel, len(data)) + data + pad


def split_items(buf, padded):
    """The whole items at the start of a byte stream: (items, rest).  An item
    is ("stun", type, transaction ID hex, message) or ("chan", channel)."""
    items = []
    while len(buf) >= 4:
        if 0x40 <= buf[0] <= 0x7F:
            n = struct.unpack_from("!H", buf, 2)[0]
            size = 4 + n + ((-n % 4) if padded else 0)
            if len(buf) < size:
                break
            if not padded and 0 < len(buf) - size < 4 and not buf[size:size + 4].strip(b"\0"):
                size = len(buf)     # DTLS: a sender that pads anyway
            items.append(("chan", struct.unpack_from("!H", buf, 0)[0]))
            buf = buf[size:]
            continue
        if len(buf) < 20:
            break
        if buf[0] & 0xC0 or struct.unpack_from("!I", buf, 4)[0] != MAGIC_COOKIE:
            raise Failure("the server sent bytes that are neither STUN nor ChannelData: %s"
                          % buf[:16].hex())
        size = 20 + struct.unpack_from("!H", buf, 2)[0]
        if len(buf) < size:
            break
        msg = buf[:size]
        items.append(("stun", struct.unpack_from("!H", msg, 0)[0], msg[8:20].hex(), msg))
        buf = buf[size:]
    return items, buf


# ---------------------------------------------------------------------------
# The clients
# ---------------------------------------------------------------------------

class Journal:
    """What the clients wrote and read, one line per item (the .client.tsv)."""
    HEAD = "# transport\tclient\tserver\tdir\twhat\tvalue"

    def __init__(self):
        self.lines = []

    def add(self, transport, client, server, direction, what, value):
        self.lines.append((transport, client, server, direction, what, value))

    def item(self, conn, direction, it):
        value = ("0x%04x %s" % (it[1], it[2])) if it[0] == "stun" else "0x%04x" % it[1]
        self.add(conn[0], conn[1], conn[2], direction, it[0], value)

    def write(self, path):
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.HEAD + "\n")
            for line in self.lines:
                f.write("\t".join(line) + "\n")


def read_journal(path):
    conns = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            transport, client, server, direction, what, value = line.rstrip("\n").split("\t")
            c = conns.setdefault((transport, client, server),
                                 {"c2s": [], "s2c": [], "relayed": [], "http": []})
            if what in ("stun", "chan"):
                c[direction].append((what, value))
            elif what == "relayed":
                c["relayed"].append(value)
            elif what == "http":
                c["http"].append((direction, value))
    return conns


class TlsStream:
    """TURN over a TLS connection: each write() is one SSL_write, which
    OpenSSL sends as a record of its own (RFC 8446 5.1 would let a sender
    merge them; OpenSSL does not)."""
    padded = True

    def __init__(self, port, tls_max, keys, cafile):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.load_verify_locations(cafile)
        ctx.keylog_filename = keys
        if tls_max:
            ctx.maximum_version = tls_max
        raw = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.sock = ctx.wrap_socket(raw, server_hostname=CERT_NAME)
        self.buf = b""
        self.local = "%s:%d" % self.sock.getsockname()[:2]
        self.version = self.sock.version()

    def write(self, data):
        self.sock.sendall(data)

    def read_items(self, count, limit=10.0):
        items, end = [], time.monotonic() + limit
        while len(items) < count:
            got, self.buf = split_items(self.buf, True)
            items += got
            if len(items) >= count:
                break
            if time.monotonic() > end:
                raise Failure("TLS: %d of %d items from the server within %.0f s"
                              % (len(items), count, limit))
            self.sock.settimeout(max(0.1, end - time.monotonic()))
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                continue
            if not data:
                raise Failure("TLS: the server closed the connection")
            self.buf += data
        return items

    def close(self):
        # close_notify first (RFC 8446 6.1), as a client that is done does
        try:
            self.sock.settimeout(2)
            self.sock.unwrap().close()
        except (OSError, ValueError):
            self.sock.close()


class DtlsStream:
    """TURN over DTLS 1.2 through `openssl s_client -dtls1_2`: what is written
    to its standard input at once goes out as one record, what it decrypts
    comes out on its standard output.  One write, then a pause: each record
    holds one message (RFC 8656 3.1: one datagram)."""
    padded = False

    def __init__(self, port, keys, log):
        before = key_lines(keys)
        cmd = ["openssl", "s_client", "-dtls1_2", "-connect", "127.0.0.1:%d" % port,
               "-keylogfile", keys, "-quiet", "-no_ign_eof", "-nocommands", "-noservername"]
        print("$ " + " ".join(cmd))
        self.err = open(log, "wb")
        self.proc = subprocess.Popen(["timeout", "-s", "TERM", "-k", "5", "60"] + cmd,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.err, start_new_session=True)
        lc.PROCS.append(self.proc)
        self.buf = b""
        self.local = None
        self.version = "DTLSv1.2"
        end = time.monotonic() + 10
        # the handshake is done once the client has logged its secrets
        while key_lines(keys) <= before:
            if self.proc.poll() is not None or time.monotonic() > end:
                raise Failure("openssl s_client -dtls1_2: no DTLS handshake:\n%s" % lc.tail(log))
            time.sleep(0.05)
        time.sleep(0.2)

    def write(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()
        time.sleep(0.3)

    def read_items(self, count, limit=10.0):
        items, end = [], time.monotonic() + limit
        fd = self.proc.stdout.fileno()
        while len(items) < count:
            got, self.buf = split_items(self.buf, False)
            items += got
            if len(items) >= count:
                break
            left = end - time.monotonic()
            if left <= 0:
                raise Failure("DTLS: %d of %d items from the server within %.0f s"
                              % (len(items), count, limit))
            r, _, _ = select.select([fd], [], [], min(left, 0.2))
            if r:
                data = os.read(fd, 65536)
                if not data:
                    raise Failure("DTLS: openssl s_client ended")
                self.buf += data
        return items

    def close(self):
        # the end of its input makes s_client send close_notify and exit
        self.proc.stdin.close()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            pass
        lc.stop(self.proc)
        self.err.close()


def key_lines(path):
    try:
        with open(path, encoding="ascii", errors="replace") as f:
            return sum(1 for line in f if line.strip() and not line.startswith("#"))
    except OSError:
        return 0


def turn_exchange(label, stream, transport, server, peer, journal, split_first=False):
    """A whole TURN allocation over stream (RFC 8656): Allocate, 401,
    authenticated Allocate, CreatePermission and ChannelBind, a Send
    indication and ChannelData to the peer (each echoed back), Refresh with
    LIFETIME 0.  Writes every item to the journal."""
    conn = None
    key = hashlib.md5(("%s:%s:%s" % (TURN_USER, TURN_REALM, TURN_PASSWORD)).encode()).digest()

    def tid():
        return os.urandom(12)

    def write(*parts):
        """parts: (bytes, item) in the order written; one write of them all."""
        for _, it in parts:
            journal.item(conn, "c2s", it)
        stream.write(b"".join(p[0] for p in parts))

    def item(msg):
        return ("stun", struct.unpack_from("!H", msg, 0)[0], msg[8:20].hex(), msg)

    def expect(count):
        items = stream.read_items(count)
        for it in items:
            journal.item(conn, "s2c", it)
        return items

    def response(items, method):
        for it in items:
            if it[0] == "stun" and type_method(it[1]) == method and type_class(it[1]) >= 2:
                return it
        raise Failure("%s: no response to method 0x%03x in %s" % (label, method, items))

    transport_udp = struct.pack("!B3x", 17)
    first = stun_message(stun_type(ALLOCATE, 0), tid(), [(A_REQUESTED_TRANSPORT, transport_udp)])
    pending = [("c2s", item(first))]
    if split_first:
        # the first record holds the message's first 12 bytes only
        stream.write(first[:12])
        time.sleep(0.2)
        stream.write(first[12:])
    else:
        stream.write(first)
    items = stream.read_items(1)
    pending += [("s2c", it) for it in items]
    challenge = response(items, ALLOCATE)
    attrs = dict(stun_attrs(challenge[3]))
    err = attrs.get(A_ERROR_CODE, b"\0\0\0\0")
    if challenge[1] != stun_type(ALLOCATE, 3) or err[2] * 100 + err[3] != 401:
        raise Failure("%s: the first Allocate was answered 0x%04x, not 401" % (label, challenge[1]))
    realm, nonce = attrs[A_REALM], attrs[A_NONCE]
    auth = [(A_USERNAME, TURN_USER.encode()), (A_REALM, realm), (A_NONCE, nonce)]

    alloc = stun_message(stun_type(ALLOCATE, 0), tid(), [(A_REQUESTED_TRANSPORT, transport_udp)] + auth, key)
    stream.write(alloc)
    pending.append(("c2s", item(alloc)))
    items = stream.read_items(1)
    pending += [("s2c", it) for it in items]
    ok = response(items, ALLOCATE)
    if ok[1] != stun_type(ALLOCATE, 2):
        raise Failure("%s: authenticated Allocate answered 0x%04x" % (label, ok[1]))
    attrs = dict(stun_attrs(ok[3]))
    relayed = unxor_address(attrs[A_XOR_RELAYED])
    mapped = unxor_address(attrs[A_XOR_MAPPED])
    # the client's own address, as the server saw it (s_client does not say)
    client = stream.local or mapped
    conn = (transport, client, server)
    for direction, it in pending:
        journal.item(conn, direction, it)
    journal.add(transport, client, server, "s2c", "relayed", relayed)

    peer_attr = (A_XOR_PEER, xor_address(*peer))
    perm = stun_message(stun_type(CREATE_PERMISSION, 0), tid(), [peer_attr] + auth, key)
    bind = stun_message(stun_type(CHANNEL_BIND, 0), tid(),
                        [(A_CHANNEL_NUMBER, struct.pack("!H2x", CHANNEL)), peer_attr] + auth, key)
    if stream.padded:
        # both requests in one TLS record
        write((perm, item(perm)), (bind, item(bind)))
        responses = expect(2)
    else:
        write((perm, item(perm)))
        responses = expect(1)
        write((bind, item(bind)))
        responses += expect(1)
    for method in (CREATE_PERMISSION, CHANNEL_BIND):
        if response(responses, method)[1] != stun_type(method, 2):
            raise Failure("%s: method 0x%03x refused: %s" % (label, method, responses))

    # Send indications carry no credentials (RFC 8656 11); the peer's echo
    # comes back as ChannelData, the channel being bound to it (12.7)
    ind = stun_message(stun_type(SEND, 1), tid(), [peer_attr, (A_DATA, PEER_DATA)])
    write((ind, item(ind)))
    echo = expect(1)
    cd = channel_data(CHANNEL, PEER_DATA + b"!", stream.padded)
    if stream.padded:
        # ChannelData across two TLS records
        journal.item(conn, "c2s", ("chan", CHANNEL))
        stream.write(cd[:6])
        time.sleep(0.2)
        stream.write(cd[6:])
    else:
        write((cd, ("chan", CHANNEL)))
    echo += expect(1)

    refresh = stun_message(stun_type(REFRESH, 0), tid(), [(A_LIFETIME, struct.pack("!I", 0))] + auth, key)
    write((refresh, item(refresh)))
    gone = response(expect(1), REFRESH)
    if gone[1] != stun_type(REFRESH, 2):
        raise Failure("%s: Refresh with LIFETIME 0 answered 0x%04x" % (label, gone[1]))
    print("  %s: %s %s -> %s, relayed %s, peer echoes %s"
          % (label, stream.version, client, server, relayed,
             ", ".join("ChannelData" if e[0] == "chan" else "0x%04x" % e[1] for e in echo)))


# ---------------------------------------------------------------------------
# The servers: coturn, the echoing peer, HTTPS
# ---------------------------------------------------------------------------

class EchoPeer(threading.Thread):
    """A UDP peer of the allocations: sends back what it receives (RFC 8656
    2.1: the relayed address forwards it to the client)."""

    def __init__(self, port):
        super().__init__(daemon=True)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", port))
        self.sock.settimeout(0.2)
        self.done = False

    def run(self):
        while not self.done:
            try:
                data, addr = self.sock.recvfrom(65536)
            except socket.timeout:
                continue
            except OSError:
                return
            self.sock.sendto(data, addr)

    def stop(self):
        self.done = True
        self.join(2)
        self.sock.close()


class HttpsServer(threading.Thread):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = b"not TURN\n"
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    def __init__(self, port, cert, key):
        super().__init__(daemon=True)
        self.httpd = http.server.HTTPServer((HTTPS_IP, port), self.Handler)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        self.httpd.socket = ctx.wrap_socket(self.httpd.socket, server_side=True)

    def run(self):
        self.httpd.serve_forever(poll_interval=0.1)

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.join(2)


def https_get(port, keys, cafile, journal):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.load_verify_locations(cafile)
    ctx.keylog_filename = keys
    conn = http.client.HTTPSConnection(HTTPS_IP, port, context=ctx, timeout=10)
    conn.request("GET", "/turn-or-not")
    client = "%s:%d" % conn.sock.getsockname()[:2]
    version = conn.sock.version()
    resp = conn.getresponse()
    resp.read()
    server = "%s:%d" % (HTTPS_IP, port)
    journal.add("https", client, server, "c2s", "http", "GET")
    journal.add("https", client, server, "s2c", "http", str(resp.status))
    print("  HTTPS: %s %s -> %s, GET answered %d" % (version, client, server, resp.status))
    conn.close()


def bindable(ip, port, kind):
    s = socket.socket(socket.AF_INET, kind)
    try:
        if kind == socket.SOCK_STREAM:
            # a connection of an earlier run in TIME_WAIT does not hold it
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((ip, port))
        return True
    except OSError:
        return False
    finally:
        s.close()


def make_cert(workdir):
    cert, key = os.path.join(workdir, "cert.pem"), os.path.join(workdir, "key.pem")
    cmd = ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
           "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=" + CERT_NAME,
           "-addext", "subjectAltName=DNS:%s,IP:127.0.0.1,IP:%s" % (CERT_NAME, HTTPS_IP)]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=30)
    if proc.returncode != 0:
        raise Failure("openssl req failed:\n%s" % proc.stdout.decode(errors="replace")[-800:])
    return cert, key


def start_coturn(name, tls_port, relay, cert, key, vopts, workdir):
    log = os.path.join(workdir, name + ".log")
    proc = lc.start(["turnserver", "-n", "--listening-ip", "127.0.0.1", "--relay-ip", "127.0.0.1",
                     "--tls-listening-port", str(tls_port), "--no-tcp", "--no-udp", "--no-cli",
                     "--min-port", str(relay[0]), "--max-port", str(relay[1])] + vopts + [
                     "--cert", cert, "--pkey", key,
                     "--lt-cred-mech", "--user", "%s:%s" % (TURN_USER, TURN_PASSWORD),
                     "--realm", TURN_REALM, "--fingerprint", "--allow-loopback-peers",
                     "--log-file", "stdout", "--simple-log",
                     "--pidfile", os.path.join(workdir, name + ".pid"),
                     "--userdb", os.path.join(workdir, name + ".db")], log, 150)
    return proc, log


def bound(port, kind):
    """Does a socket listen on 127.0.0.1:port (TCP, state LISTEN) or is one
    bound there (UDP)?  Read from /proc/net: coturn's DTLS sockets share
    their port with SO_REUSEPORT, so a test bind would succeed, and a test
    connection would leave its end in the capture."""
    want = "0100007F:%04X" % port
    with open("/proc/net/" + kind) as f:
        rows = [line.split() for line in list(f)[1:]]
    return any(r[1] == want and (kind == "udp" or r[3] == "0A") for r in rows)


def wait_listening(port, kind, proc, log, limit=10.0):
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise Failure("turnserver exited (%s):\n%s" % (proc.returncode, lc.tail(log)))
        if bound(port, kind):
            return
        time.sleep(0.1)
    raise Failure("turnserver has no %s listener on 127.0.0.1:%d:\n%s"
                  % ("TLS" if kind == "tcp" else "DTLS", port, lc.tail(log)))


def port_lock(limit=180.0):
    """One live run at a time on this machine: the ports 5349 and 443 are
    fixed, and the capture filter would take in another run's traffic."""
    f = open(os.path.join(tempfile.gettempdir(), "msturn-live-tls.lock"), "w")
    end = time.monotonic() + limit
    while True:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return f
        except OSError:
            if time.monotonic() > end:
                f.close()
                raise Failure("another live TLS run held %s for %.0f s"
                              % (f.name, limit))
            time.sleep(0.5)


def run_live(workdir, keep):
    lock = port_lock()
    try:
        return record(workdir, keep)
    finally:
        lock.close()


def record(workdir, keep):
    tools = ["turnserver", "dumpcap", "openssl", "timeout"]
    missing = [t for t in tools if not shutil.which(t)]
    if missing:
        raise Failure("missing programs: %s (tools/deps.sh installs coturn, openssl and tshark)"
                      % " ".join(missing))
    for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM):
        if not bindable("127.0.0.1", TURNS_PORT, kind) or bound(TURNS_PORT, "udp"):
            raise Failure("port %d on 127.0.0.1 is taken: the TURNS server needs it" % TURNS_PORT)
    _listen, (rmin, rmax), peer_port, probe_port = lc.pick_ports()
    second = 443
    if not (bindable("127.0.0.1", 443, socket.SOCK_STREAM) and bindable(HTTPS_IP, 443, socket.SOCK_STREAM)):
        second = _listen            # free, below the ephemeral range
        print("port 443 cannot be bound here: the second server listens on %d" % second)
    half = (rmin + rmax) // 2
    cap = os.path.join(workdir, "turn_tls.pcapng")
    keys = os.path.join(workdir, "turn_tls.keys")
    jpath = os.path.join(workdir, "turn_tls.client.tsv")
    dlog = os.path.join(workdir, "dumpcap.log")
    version = lc.coturn_version()
    vopts = coturn_tls_options(version)
    print("coturn %s; TLS/DTLS on %d and %d, relay ports %d-%d, UDP peer %d, HTTPS %s:%d; workdir %s"
          % (".".join(map(str, version)), TURNS_PORT, second, rmin, rmax, peer_port, HTTPS_IP,
             second, workdir))
    print("options for this version: %s" % (" ".join(vopts) or "(none)"))
    cert, key = make_cert(workdir)

    a, alog = start_coturn("turnserver-%d" % TURNS_PORT, TURNS_PORT, (rmin, half), cert, key, vopts, workdir)
    b, blog = start_coturn("turnserver-%d" % second, second, (half + 1, rmax), cert, key, vopts, workdir)
    for port, proc, log in ((TURNS_PORT, a, alog), (second, b, blog)):
        wait_listening(port, "tcp", proc, log)
        wait_listening(port, "udp", proc, log)
    peer = EchoPeer(peer_port)
    peer.start()
    web = HttpsServer(second, cert, key)
    web.start()

    filt = ("port %d or port %d or udp portrange %d-%d or udp port %d or udp port %d"
            % (TURNS_PORT, second, rmin, rmax, peer_port, probe_port))
    dumpcap = lc.start(["dumpcap", "-i", "lo", "-f", filt, "-w", cap], dlog, 110)
    try:
        lc.probe_until_captured(probe_port, dumpcap, dlog, 0)
        print("capture running (%s)" % filt)
        journal = Journal()
        peer_addr = ("127.0.0.1", peer_port)
        turns = "127.0.0.1:%d" % TURNS_PORT
        s = TlsStream(TURNS_PORT, None, keys, cert)
        turn_exchange("TURN over TLS", s, "tls", turns, peer_addr, journal)
        s.close()
        d = DtlsStream(TURNS_PORT, keys, os.path.join(workdir, "s_client.log"))
        turn_exchange("TURN over DTLS", d, "dtls", turns, peer_addr, journal)
        d.close()
        d = DtlsStream(second, keys, os.path.join(workdir, "s_client2.log"))
        turn_exchange("TURN over DTLS (heuristic)", d, "dtls", "127.0.0.1:%d" % second, peer_addr,
                      journal)
        d.close()
        s = TlsStream(second, ssl.TLSVersion.TLSv1_2, keys, cert)
        turn_exchange("TURN over TLS (heuristic)", s, "tls", "127.0.0.1:%d" % second, peer_addr,
                      journal, split_first=True)
        s.close()
        https_get(second, keys, cert, journal)
        # a last probe proves that everything sent before it has been written
        lc.probe_until_captured(probe_port, dumpcap, dlog, lc.captured_count(dlog))
    finally:
        lc.stop(dumpcap, signal.SIGINT, 10.0)
        peer.stop()
        web.stop()
        lc.stop(a)
        lc.stop(b)
    stats = re.search(r"received/dropped on interface .*: (\d+)/(\d+)", lc.tail(dlog, 5))
    if not stats:
        raise Failure("dumpcap did not stop cleanly:\n%s" % lc.tail(dlog))
    if int(stats.group(2)):
        raise Failure("dumpcap dropped %s of %s packets" % (stats.group(2), stats.group(1)))
    journal.write(jpath)
    print("capture stopped: %s packets, none dropped; %s, key log %s, journal %s"
          % (stats.group(1), cap, keys, jpath))
    if keep:
        for src, ext in ((cap, ".pcapng"), (keys, ".keys"), (jpath, ".client.tsv")):
            shutil.copyfile(src, keep + ext)
        print("kept as %s.{pcapng,keys,client.tsv}" % keep)
    return cap


# ---------------------------------------------------------------------------
# What tshark shows
# ---------------------------------------------------------------------------

class Shown:
    """msturn's messages in a capture as tshark decodes it, per connection
    and direction, and what else the checks read."""

    def __init__(self, frames):
        self.frames = frames            # frame number -> dict

    def by_conn(self, servers):
        """(transport, client, server) -> {"c2s": [...], "s2c": [...]}."""
        out = {}
        for n in sorted(self.frames):
            f = self.frames[n]
            if f["endpoints"] is None or not f["msgs"]:
                continue
            transport, src, dst = f["endpoints"]
            if dst in servers:
                key, d = (transport, src, dst), "c2s"
            else:
                key, d = (transport, dst, src), "s2c"
            c = out.setdefault(key, {"c2s": [], "s2c": []})
            c[d] += [(n, m) for m in f["msgs"]]
        return out


PI_MALFORMED = 0x07000000    # expert group (epan/proto.h)


def malformed(pkt):
    """A dissector's exception, or an expert item of the Malformed group."""
    return any(x.get("name") == "_ws.malformed" or
               (x.get("name") == "_ws.expert.group" and int(x.get("show", "0"), 0) == PI_MALFORMED)
               for x in pkt.iter())


def shown(cap, extra, two_pass=True):
    args = (["-2"] if two_pass else []) + ["-r", cap, "-T", "pdml"] + extra
    xml = lc.tshark(args, "PDML " + " ".join(extra))
    frames = {}
    for pkt in ET.fromstring(xml).iter("packet"):
        number = int(lc.field_values(pkt, "frame.number")[0])
        f = {"msgs": [], "session": False, "http": [], "endpoints": None, "tls": False,
             "malformed": malformed(pkt)}
        for proto in pkt.findall("proto"):
            name = proto.get("name")
            if name in ("tcp", "udp"):
                ip = [p for p in pkt.findall("proto") if p.get("name") == "ip"]
                if ip:
                    src = lc.field_values(ip[0], "ip.src")[0]
                    dst = lc.field_values(ip[0], "ip.dst")[0]
                    sp = lc.field_values(proto, name + ".srcport")[0]
                    dp = lc.field_values(proto, name + ".dstport")[0]
                    f["endpoints"] = [name, "%s:%s" % (src, sp), "%s:%s" % (dst, dp)]
            elif name in ("tls", "dtls"):
                f["tls"] = True
            elif name == "http":
                f["http"] += lc.field_values(proto, "http.request.method")
                f["http"] += lc.field_values(proto, "http.response.code")
            elif name == "msturn":
                if lc.field_values(proto, "msturn.session"):
                    f["session"] = True
                types = lc.field_values(proto, "msturn.type")
                chans = lc.field_values(proto, "msturn.channel")
                if types:
                    tid = [x.get("value") for x in proto.iter("field") if x.get("name") == "msturn.id"]
                    f["msgs"].append({
                        "item": ("stun", "0x%04x %s" % (int(types[0], 16), (tid[0] or "").lower())),
                        "hmac": lc.field_values(proto, "msturn.att.hmac.status"),
                        "fingerprint": lc.field_values(proto, "msturn.att.fingerprint.status"),
                        "mi": bool([x for x in proto.iter("field")
                                    if x.get("name") == "msturn.att.type" and x.get("show") == "0x0008"]),
                        "relayed": ["%s:%s" % rp for rp in zip(
                            lc.field_values(proto, "msturn.att.xor_relayed.ip"),
                            lc.field_values(proto, "msturn.att.xor_relayed.port"))],
                    })
                elif chans:
                    f["msgs"].append({"item": ("chan", "0x%04x" % int(chans[0], 16))})
        if f["endpoints"] and f["endpoints"][0] == "tcp":
            f["endpoints"][0] = "tls"
        elif f["endpoints"]:
            f["endpoints"][0] = "dtls"
        f["endpoints"] = tuple(f["endpoints"]) if f["endpoints"] else None
        frames[number] = f
    return Shown(frames)


def readable_copy(path, tmp):
    """tshark runs as nobody (tests/tshark-msturn.sh): a copy it can read."""
    dst = os.path.join(tmp, os.path.basename(path))
    shutil.copyfile(path, dst)
    os.chmod(dst, 0o644)
    return dst


# ---------------------------------------------------------------------------
# The checks
# ---------------------------------------------------------------------------

def compare(label, journal, view, problems):
    """Every journal connection decoded item for item, nothing else."""
    turn = {k: v for k, v in journal.items() if k[0] in ("tls", "dtls")}
    servers = {k[2] for k in turn}
    got = view.by_conn(servers)
    for key, want in sorted(turn.items()):
        have = got.get(key, {"c2s": [], "s2c": []})
        for d in ("c2s", "s2c"):
            shown_items = [m["item"] for _, m in have[d]]
            if shown_items != want[d]:
                problems.append("%s: %s %s -> %s %s: the client %s %s, msturn decoded %s"
                                % (label, key[0], key[1], key[2], d,
                                   "wrote" if d == "c2s" else "read",
                                   " ".join(v for _, v in want[d]) or "nothing",
                                   " ".join(v for _, v in shown_items) or "nothing"))
    for key in sorted(set(got) - set(turn)):
        n = sum(len(v) for v in got[key].values())
        problems.append("%s: msturn decoded %d item(s) on %s %s -> %s, which no client "
                        "exchanged TURN on" % (label, n, key[0], key[1], key[2]))
    return got


def check(cap):
    base = cap[:-len(".pcapng")] if cap.endswith(".pcapng") else cap
    keys_path, jpath = base + ".keys", base + ".client.tsv"
    for p in (cap, keys_path, jpath):
        if not os.path.isfile(p):
            raise Failure("no %s" % p)
    journal = read_journal(jpath)
    problems = []
    tmp = tempfile.mkdtemp(prefix="msturn-tls-")
    try:
        os.chmod(tmp, 0o755)
        keys = readable_copy(keys_path, tmp)
        keylog = ["-o", "tls.keylog_file:" + keys]
        creds = ["-o", lc.CREDENTIALS_UAT]

        # 1. with the key log: every message the clients exchanged, nothing else
        view = shown(cap, keylog + creds)
        got = compare("two passes", journal, view, problems)
        compare("one pass", journal, shown(cap, keylog + creds, two_pass=False), problems)

        # 2. MESSAGE-INTEGRITY, FINGERPRINT, sessions, relayed addresses
        n_mi = n_fp = 0
        relayed_shown = set()
        for key, dirs in got.items():
            for d in dirs.values():
                for frame, m in d:
                    if m["item"][0] != "stun":
                        continue
                    if not view.frames[frame]["session"]:
                        problems.append("frame %d: a message of %s %s without msturn.session"
                                        % (frame, key[0], key[1]))
                    relayed_shown.update(m["relayed"])
                    if m["mi"]:
                        n_mi += 1
                        if m["hmac"] != ["1"]:
                            problems.append("frame %d: MESSAGE-INTEGRITY status %s, not verified"
                                            % (frame, m["hmac"]))
                    if m["fingerprint"]:
                        n_fp += 1
                        if m["fingerprint"] != ["1"]:
                            problems.append("frame %d: FINGERPRINT status %s" % (frame, m["fingerprint"]))
        relayed = [r for c in journal.values() for r in c["relayed"]]
        _, rows = sessions_rows(cap, keylog)
        for addr in relayed:
            if addr not in relayed_shown:
                problems.append("XOR-RELAYED-ADDRESS %s not shown by msturn" % addr)
            if not any(re.search(r"(^|[|\s,])%s([|\s,]|$)" % re.escape(addr), r) for r in rows):
                problems.append("msturn,sessions has no row with relayed address %s" % addr)
        if n_mi < 6 * len([k for k in journal if k[0] in ("tls", "dtls")]):
            problems.append("only %d messages with MESSAGE-INTEGRITY decoded" % n_mi)

        # 3. the heuristics off: 5349 by its port alone (msturn.tls.port,
        # msturn.dtls.port), the other port not at all
        noheur = shown(cap, keylog + ["--disable-heuristic", "msturn_tls",
                                      "--disable-heuristic", "msturn_dtls"])
        by = noheur.by_conn({k[2] for k in journal})
        for key, c in journal.items():
            if key[0] not in ("tls", "dtls"):
                continue
            n = sum(len(v) for v in by.get(key, {}).values())
            want = len(c["c2s"]) + len(c["s2c"]) if key[2].endswith(":%d" % TURNS_PORT) else 0
            if n != want:
                problems.append("heuristics msturn_tls and msturn_dtls disabled: %d item(s) decoded "
                                "on %s %s -> %s, expected %d (%s)"
                                % (n, key[0], key[1], key[2], want,
                                   "by its port" if want else "the heuristic's alone"))
        heuristic = [k for k in journal if k[0] in ("tls", "dtls") and
                     not k[2].endswith(":%d" % TURNS_PORT)]
        if not heuristic:
            problems.append("no TURN exchange on a port other than %d: the heuristics are "
                            "not tested" % TURNS_PORT)

        # no frame msturn decoded is marked Malformed, by msturn or another
        bad = sorted(n for n, f in view.frames.items() if f["msgs"] and f["malformed"])
        if bad:
            problems.append("Malformed on frame(s) %s" % ", ".join(map(str, bad[:10])))

        # 4. HTTPS is HTTP's; no frame of it is msturn's
        https = [k for k in journal if k[0] == "https"]
        if not https:
            problems.append("the journal has no HTTPS exchange")
        for key in https:
            ends = {("tls", key[1], key[2]), ("tls", key[2], key[1])}
            frames = [n for n, f in view.frames.items() if f["endpoints"] in ends]
            http = sorted(v for n in frames for v in view.frames[n]["http"])
            want = sorted(v for _, v in journal[key]["http"])
            if http != want:
                problems.append("HTTPS %s -> %s: HTTP shows %s, the client exchanged %s"
                                % (key[1], key[2], http, want))
            taken = [n for n in frames if view.frames[n]["msgs"] or view.frames[n]["session"]]
            if taken:
                problems.append("HTTPS %s -> %s: msturn on frame(s) %s" % (key[1], key[2], taken))

        # 5. without the key log: nothing is msturn's, the records are TLS's
        out = lc.tshark(["-r", cap, "-T", "fields", "-e", "frame.number", "-e", "msturn",
                         "-e", "tls.record.content_type", "-e", "dtls.record.content_type"],
                        "no key log").decode()
        plain = [line.split("\t") for line in out.splitlines()]
        taken = [c[0] for c in plain if c[1]]
        if taken:
            problems.append("without the key log msturn decodes frame(s) %s" % ", ".join(taken[:10]))
        if not any(c[2] or c[3] for c in plain):
            problems.append("without the key log no TLS or DTLS record at all")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    n_items = {t: sum(len(c["c2s"]) + len(c["s2c"]) for k, c in journal.items() if k[0] == t)
               for t in ("tls", "dtls")}
    print("capture: %s, %d frames; journal: %d TLS connection(s), %d DTLS flow(s), %d HTTPS"
          % (cap, len(view.frames), sum(1 for k in journal if k[0] == "tls"),
             sum(1 for k in journal if k[0] == "dtls"), sum(1 for k in journal if k[0] == "https")))
    print("items exchanged and decoded: %d over TLS, %d over DTLS; MESSAGE-INTEGRITY verified %d, "
          "FINGERPRINT %d" % (n_items["tls"], n_items["dtls"], n_mi, n_fp))
    print("relayed addresses: %s" % ", ".join(relayed))
    print("msturn,sessions:\n" + "\n".join("  " + r.strip() for r in rows))
    return problems


def sessions_rows(cap, extra):
    out = lc.tshark(["-2", "-r", cap, "-q", "-z", "msturn,sessions"] + extra, "msturn,sessions").decode()
    return out, [line for line in out.splitlines() if re.match(r"\s*\d+\s*\|", line)]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="mode", required=True)
    live = sub.add_parser("live", help="run coturn over TLS and DTLS, capture, check")
    live.add_argument("--workdir", help="where to make the temporary folder")
    live.add_argument("--keep", help="copy capture, key log and journal to PREFIX.*")
    chk = sub.add_parser("check", help="check a kept capture (its .keys and .client.tsv beside it)")
    chk.add_argument("capture")
    args = ap.parse_args(argv)
    for var in ("MSTURN_PLUGIN", "MSTURN_WS_MAJOR_MINOR"):
        if not os.environ.get(var):
            print("live_tls: %s is not set (see tests/tshark-msturn.sh)" % var)
            return 2

    atexit.register(lc.stop_all)
    signal.signal(signal.SIGINT, lc.on_signal)
    signal.signal(signal.SIGTERM, lc.on_signal)
    workdir = None
    what = "live.tls" if args.mode == "live" else "live.tls_kept"
    try:
        if args.mode == "live":
            if args.workdir:
                os.makedirs(args.workdir, exist_ok=True)
            workdir = tempfile.mkdtemp(prefix="tls-", dir=args.workdir)
            cap = run_live(workdir, args.keep)
        else:
            cap = args.capture
        problems = check(cap)
    except (Failure, subprocess.TimeoutExpired, OSError, ssl.SSLError) as e:
        problems = ["%s: %s" % (type(e).__name__, e)]
    except SystemExit:
        print("%s: interrupted; stopping every process it started" % what)
        raise
    finally:
        lc.stop_all()
    return lc.report(what, problems, workdir, 20)


if __name__ == "__main__":
    sys.exit(main())

# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""Writing a capture set: the pcapng files, truth files, README.md and MANIFEST.sha256; comparing with a folder."""
import filecmp
import hashlib
import os
import struct
import sys

from .common import (
    CMS_PWD, CMS_UFRAG, NONCE_1, NONCE_2, PEER_PWD, PEER_UFRAG, RELAY_PWD, RELAY_UFRAG, SKYPE_PWD,
    SKYPE_UFRAG,
)
from .pcapng import pcapng_bytes
from .truth import Capture, TruthEntry


TRUTH_HEADER = "frame\tframing\ttype\tid\tattrs\tvalues"

README_HEAD = """\
# Lab captures

Every file in this folder, except the kept captures listed at the end
(recorded from real programs), is written by `tools/gen_captures.py`, a
deterministic generator (standard library Python): running it twice gives
byte-identical files.  Regenerate with

    python3 tools/gen_captures.py test-captures

and check that the committed files match the generator with the ctest test
`captures.deterministic` (or `python3 tools/gen_captures.py --check test-captures`).
Do not edit the files by hand: change the generator and regenerate.

All captures are pcapng with one Ethernet interface (microsecond timestamps)
and start at 2017-08-17 08:03:51.966175 UTC, the time of the seed capture's
first Allocate Request.  IPv4 and TCP/UDP checksums are correct.

## Addressing

| Role | Address |
| --- | --- |
| CMS (TURN client) | 10.48.54.230 (control port 44338, data port 44342) |
| Expressway-E (TURN server) | 10.48.54.229:3478, relayed 10.48.54.229:24000 |
| Skype Edge (peer) | 192.168.1.252:53577 |
| Further CMS / peers (multi_sessions) | 10.48.54.231, 10.48.54.232, 192.168.1.253, 2001:db8:1::252 |
| IPv6 relayed address (multi_sessions) | [2001:db8:48:54::229]:24004 |
| Skype client / Skype Edge (skype_edge_443) | 198.51.100.23 -> 203.0.113.10:443 |
| MS-TURN over UDP (mstun_udp) | 10.20.30.40 / .41 -> 10.20.30.1:3478 |
| WebRTC client / TURN server (turn_relay_*) | 10.95.0.10 -> 10.95.0.1:3478 (mapped 198.51.100.95), relayed 10.95.0.1:499xx, [2001:db8:95::1]:49968 |
| Peers (turn_relay_*) | 192.0.2.41:50041 (its RTCP :50042), 172.16.5.20:50002 (forbidden by the server), 192.0.2.43:50043, [2001:db8:95:1::41]:50061 |

## Credentials

* TURN long-term credentials (RFC 5389 10.2): username `turn`, realm
  `TANDBERG`, password `Expressway-lab-1`; key = MD5("turn:TANDBERG:Expressway-lab-1").
  `fail_401_loop` and `turn_relay_401_loop` use the wrong password
  `Expressway-lab-2`.  Nonces: `%(n1)s` and, after the 438 in
  `stale_nonce_438`, `%(n2)s` (`turn_relay_438_loop`'s 438s hand the two
  in turn).
  The [MS-TURN] captures use the same username, realm, password and key
  (HMAC-SHA1 for the legacy form, HMAC-SHA256 for MS-VERSION 6).
* ICE short-term credentials (RFC 5245 7.1.2.3): CMS ufrag `%(cu)s`, password
  `%(cp)s`; Skype side ufrag `%(su)s`, password `%(sp)s`.  A check from CMS
  carries USERNAME `%(su)s:%(cu)s` and is signed with the Skype password; a
  check from the Skype side carries `%(cu)s:%(su)s`, signed with the CMS
  password; each response uses the key of its request.
* ICE short-term credentials of the TURN relay captures (`turn_relay_*`,
  RFC 8445 7.2.2): the WebRTC client's ufrag `%(ru)s`, password `%(rp)s`;
  its peer's ufrag `%(pu)s`, password `%(pp)s`, the same way round.

Every message of the RFC 5389 form carries FINGERPRINT; every authenticated
request and its response carries MESSAGE-INTEGRITY (real HMACs).

## Truth files

`<capture>.truth.tsv` lists, one line per STUN/TURN message, what the
generator put on the wire (tab separated; header line first):

* `frame`: pcapng frame number (from 1) of the segment that holds the
  message's last byte; for segments delivered out of order, the frame at
  which all its bytes have arrived; retransmitted copies get no line, nor do
  messages only partly in the capture;
* `framing`: 0 raw STUN, 1 RFC 4571 length prefix, 2 [MS-TURN] TCP framing
  control (0x02), 3 [MS-TURN] TCP framing end-to-end data (0x03), 4 ChannelData,
  5 inside an [MS-TURN] 2.2.3 multiplexed TURN packet (0xFF10), 6 inside the
  DATA attribute of the message listed before it (an ICE check an [MS-TURN]
  Send Request or Data Indication carries);
* `type`: message type, `0x%%04x`;
* `id`: transaction ID in lower-case hex (12 bytes for RFC 5389 messages, 16
  bytes including the cookie position for messages without the magic cookie);
* `attrs`: attribute types in message order;
* `values`: `field=value` pairs, separated by `;`, for the msturn fields
  `msturn.att.xor_mapped.ip|ipv6|port`, `msturn.att.xor_relayed.*`,
  `msturn.att.xor_peer.*`, `msturn.att.connection_id`, `msturn.att.lifetime`,
  `msturn.att.error`, `msturn.att.username`, `msturn.att.realm`,
  `msturn.att.requested_transport`, `msturn.att.fingerprint.status`
  (1: the FINGERPRINT is correct), and for [MS-TURN] messages
  `msturn.att.ms_version`, `msturn.att.username.bytes` (an opaque token),
  `msturn.att.destination_address.*` and `msturn.att.remote_address.*`.
  A message is in Microsoft's dialect when its first attribute is
  MAGIC-COOKIE, with or without the RFC 5389 cookie in its header; such
  messages pad nothing, so their lengths need not be multiples of 4.

`<capture>.sessions.tsv` says what msturn must show about presentation
sessions when the capture is read in two passes (tab separated, first column
the kind of line):

* `session  N  client  server  relayed  peers  verdict  kind  linked  path`:
  one line per row of `tshark -2 -q -z msturn,sessions` (relayed empty when
  no allocation succeeded; peers as announced by ConnectionAttempt or asked
  for by Connect, or for an [MS-TURN] allocation the DESTINATION-ADDRESS and
  REMOTE-ADDRESS of its Send Requests, Set Active Destination and Data
  Indications, or for a TURN relay the peers named by XOR-PEER-ADDRESS in
  its CreatePermission and ChannelBind requests and Send and Data
  indications, in order of first mention; kind `RFC 6062 presentation`,
  `MS-TURN relay`, `TURN relay` (an RFC 8656 allocation of a UDP relay,
  REQUESTED-TRANSPORT 17, over UDP or TCP) or `SIP signalling only` (a
  refused presentation dialog with no TURN session: client the INVITE's
  sender, no server, relayed address or peers);
  linked: the sessions of the other TURN server on the same media path;
  path: their verdict together, empty when nothing is linked);
* `peer  N  peer  permission  channel  pkts-to  bytes-to  pkts-from
  bytes-from  checks-to-peer  answers-from-peer  checks-from-peer
  answers-to-peer  verdict`: one line per row of `tshark -2 -q -z
  msturn,peers`, the peers of TURN relay session N in order of creation (a
  peer is a transport address named by a ChannelBind request or a Send or
  Data indication, `ip:port`; a CreatePermission naming an address no peer
  has makes one at the port it named, shown `ip` alone while that port is
  0, and the first ChannelBind, Send or Data to the address gives it its
  port).  permission (per IP address, RFC 8656 9, shared by every peer at
  the address): the frame of the first CreatePermission or ChannelBind
  success that installed it, else the error code of the last
  CreatePermission error for the address, else `no answer` when a
  CreatePermission named it, else empty; channel: `0x4000` once a
  ChannelBind for it succeeded, `0x4000: 403` or `0x4000: no answer` when
  none did, empty without ChannelBind;
  packets and bytes to the peer (Send indications and ChannelData from the
  client: DATA's length, ChannelData's Length field) and from it (Data
  indications and ChannelData from the server); the Binding requests and
  Binding success responses those carry, each way; the peer's verdict.  A
  capture without peer lines shows no row.  The generator computes these
  lines, the TURN relay's session line and its `msturn.relay.*` and
  `msturn.session.*` expert items by reading the allocation's frames back
  from the capture (`tools/capgen/relay.py`);
* `frame  F  N  role`: frame F carries `msturn.session == N` and
  `msturn.session.role == role`; every frame of a connection that belongs to a
  session is listed, handshake and FIN included, and for a TURN relay over
  UDP every datagram of the client's 5-tuple; no other frame may carry
  a session;
* `expert  F  name`: frame F carries msturn's expert item `name`; these are
  all of msturn's expert items in the capture.  A 401 is `msturn.challenge`,
  any other error code `msturn.error_response`, a request whose transaction
  gets no response in its connection `msturn.no_response` (except [MS-TURN]
  Send requests, which are not answered); the scenario adds the session-level
  ones (`msturn.session.*`, and for a TURN relay `msturn.relay.*`);
* `sip  F  name=value;...`: what msturn read on frame F of a presentation's
  SIP dialog: `msturn.sip.outcome` (its label) and the values of the
  headers that say why (`msturn.sip.diagnostics.*`, `msturn.sip.reason.*`,
  `msturn.sip.warning.*`).  No other frame may show those header fields:
  the diagnostics of a dialog that is not a presentation stay unread.

Negative captures have a truth file with only the header: nothing in them
may be decoded as STUN.  `<capture>.args` holds extra tshark options, one per
line, that the golden test passes when decoding that capture.
`MANIFEST.sha256` lists the SHA-256 of every other file (`sha256sum -c`).

## Captures
"""



# Captures recorded from real programs, kept byte for byte as recorded.  The
# generator does not write them: it reads each from the first of its folders
# that has it, describes it in README.md and lists its SHA-256 in
# MANIFEST.sha256, so --check fails when one is missing or was replaced
# without the manifest.  Each is checked by a test of its own (named below).
# A third member names the files kept beside it (a key log, what the clients
# exchanged), read, kept and listed the same way.
KEPT_CAPTURES = [
    ("coturn_rfc6062.pcapng", """\
A real coturn TURN server on loopback, recorded by
`python3 tests/live_coturn.py live --keep test-captures/coturn_rfc6062.pcapng`
(as root on Debian 12: coturn 4.6.1-1, whose responses carry SOFTWARE
`Coturn-4.6.1 'Gorst'`; dumpcap 4.0.17).  The script started

    turnserver -n --listening-ip 127.0.0.1 --relay-ip 127.0.0.1 --listening-port 23185 --min-port 23189 --max-port 23208 --no-tls --no-dtls --no-udp --no-rfc5780 --no-cli --lt-cred-mech --user msturn:coturn-lab-1 --realm msturn.lab --fingerprint --allow-loopback-peers --log-file stdout --simple-log --pidfile TMP/turnserver.pid --userdb TMP/turndb
    turnutils_peer -L 127.0.0.1 -p 23187
    dumpcap -i lo -f 'tcp port 23185 or tcp portrange 23189-23208 or udp port 23186' -w TMP/coturn.pcapng

(ports chosen free at random for each run), then ran one after the other

    turnutils_uclient -T -n 3 -u msturn -w coturn-lab-1 -p 23185 127.0.0.1
    turnutils_uclient -P -n 3 -u msturn -w coturn-lab-1 -p 23185 127.0.0.1
    turnutils_uclient -t -c -e 127.0.0.1 -r 23187 -n 3 -u msturn -w coturn-lab-1 -p 23185 127.0.0.1

`-T`: two clients allocate TCP relays; one sends Connect to the other's
relayed address (Connect success with CONNECTION-ID), the other gets a
ConnectionAttempt, and both bind a data connection (RFC 6062 4.3, 4.4).
`-P`: the client's own peer socket connects to its relayed address
(ConnectionAttempt, ConnectionBind, then the peer's bytes on the data
connection) -- the presentation-sharing scenario.  `-t -c`: a UDP relay
over the TCP control connection towards `turnutils_peer`, with ChannelBind
and ChannelData padded to 4 bytes (RFC 5766 11.5).  The UDP datagrams to
the probe port (payload `msturn live capture probe`) show that the capture
was running before the first and after the last client.  Long-term
credentials: username `msturn`, realm `msturn.lab`, password `coturn-lab-1`
(`-o 'uat:msturn_credentials:"msturn","msturn.lab","coturn-lab-1"'`).
Checked by the ctest test `live.coturn_kept` (`tests/live_coturn.py check`):
every message on the wire decoded by msturn, CONNECTION-IDs and sessions
tied together, MESSAGE-INTEGRITY and FINGERPRINT verified, every relayed
address in `-z msturn,sessions`, and at least what the built-in STUN
dissector decodes."""),
    ("turn_tls.pcapng", """\
TURN over real TLS and DTLS, with its key log `turn_tls.keys` and the
clients' journal `turn_tls.client.tsv` kept beside it, recorded by
`python3 tests/live_tls.py live --keep test-captures/turn_tls` (as root on
Debian 12: coturn 4.6.1-1, OpenSSL 3.0, Python 3.11's ssl module, dumpcap
4.0.17).  The script made a self-signed certificate for `turn.msturn.lab`
with `openssl req -x509`, then started two coturn servers with only their
TLS and DTLS listeners, an HTTPS server (Python's http.server over TLS) on
127.0.0.2:443 and a UDP peer on 127.0.0.1:25750 that echoes what it
receives:

    turnserver -n --listening-ip 127.0.0.1 --relay-ip 127.0.0.1 --tls-listening-port 5349 --no-tcp --no-udp --no-cli --min-port 25752 --max-port 25761 --no-rfc5780 --cert TMP/cert.pem --pkey TMP/key.pem --lt-cred-mech --user msturn:coturn-lab-1 --realm msturn.lab --fingerprint --allow-loopback-peers --log-file stdout --simple-log --pidfile TMP/turnserver-5349.pid --userdb TMP/turnserver-5349.db
    turnserver (the same) --tls-listening-port 443 --min-port 25762 --max-port 25771 ...
    dumpcap -i lo -f 'port 5349 or port 443 or udp portrange 25752-25771 or udp port 25750 or udp port 25749' -w TMP/turn_tls.pcapng

Each client does a whole TURN allocation (RFC 8656): Allocate with
REQUESTED-TRANSPORT UDP, its 401 with REALM and NONCE, Allocate again with
long-term credentials (MESSAGE-INTEGRITY with the key
MD5("msturn:msturn.lab:coturn-lab-1")), CreatePermission and ChannelBind
(channel 0x4000) for the peer, a Send indication whose echo comes back as
ChannelData, ChannelData whose echo comes back too, and Refresh with
LIFETIME 0.  In order: TLS 1.3 to 127.0.0.1:5349 (CreatePermission and
ChannelBind in one TLS record, the ChannelData split across two); DTLS 1.2
to UDP 5349 through `openssl s_client -dtls1_2 -keylogfile` (one message
per record); DTLS 1.2 to UDP 443; TLS 1.2 to 127.0.0.1:443 (the first
Allocate split across two records, the rest as over 5349); then an HTTPS
GET to 127.0.0.2:443.  5349 reaches msturn through `msturn.tls.port` and
`msturn.dtls.port`, 443 through the heuristics `msturn_tls` and
`msturn_dtls`.  The journal lists, per connection and direction, every STUN
message (type, transaction ID) and ChannelData the clients wrote and read on
their own sockets, the relayed addresses and the HTTP exchange.  Checked by
the ctest test `live.tls_kept` (`tests/live_tls.py check`), decoding with
`-o tls.keylog_file:test-captures/turn_tls.keys`: every item of the journal
decoded by msturn in order, in one pass and in two, nothing else;
MESSAGE-INTEGRITY and FINGERPRINT verified; every relayed address in
`-z msturn,sessions`; with the heuristics disabled only 5349 decoded; the
HTTPS exchange decoded as HTTP and untouched by msturn; without the key log
nothing decoded by msturn.""", ("turn_tls.keys", "turn_tls.client.tsv")),
    ("coturn_uclient.pcapng", """\
A real coturn TURN server on loopback relaying UDP (RFC 8656) for
`turnutils_uclient` over UDP and over TCP, with coturn's own verbose log
`coturn_uclient.log` kept beside it, recorded by
`python3 tests/live_uclient.py live --keep test-captures` (as root on Debian
12: coturn 4.6.1-1, dumpcap 4.0.17).  The script started

    turnserver -n --listening-ip 127.0.0.1 --relay-ip 127.0.0.1 --listening-port 27104 --min-port 27108 --max-port 27127 --no-tls --no-cli --no-dtls --no-rfc5780 --lt-cred-mech --user msturn:coturn-lab-1 --realm msturn.lab --fingerprint --allow-loopback-peers --max-allocate-lifetime=30 --log-file TMP/turnserver.log --simple-log --no-stdout-log --verbose --pidfile TMP/turnserver.pid --userdb TMP/turndb
    turnutils_peer -L 127.0.0.1 -p 27106
    dumpcap -i lo -f 'port 27104 or udp portrange 27108-27127 or udp portrange 27105-27107' -w TMP/coturn.pcapng

(ports chosen free at random for each run), then ran one after the other

    turnutils_uclient ARGS -n 2 -m 1 -u msturn -e 127.0.0.1 -r 27106 -w coturn-lab-1 -p 27104 127.0.0.1

with ARGS: nothing (ChannelBind and ChannelData, and the RTCP allocation
that EVEN-PORT's RESERVATION-TOKEN gives); `-s -c` (CreatePermission, Send
and Data indications); `-G -c` (a CreatePermission with twenty
XOR-PEER-ADDRESS over TCP, ChannelBinds to addresses nobody answers);
`-s -I -c` (Send indications with no permission, which
coturn drops); `-c` with the wrong password `not-coturn-lab-1` (401 after
401, no allocation); then over TCP (`-t`) the same but `-s -I`.  Each
client also makes an allocation it never uses or deallocates.
`--max-allocate-lifetime=30` has coturn close every allocation, and log its
client address, before the capture ends.  The log is coturn's, its folder
shown as TMP, with a line `#msturn-live-uclient# {...}` (the run, its
arguments) the script inserted where each run began and ended; the capture
has UDP datagrams `msturn live uclient run N begin` and `... end` to port
27105 at the same moments.  Checked by the ctest test `live.uclient_kept`
(`tests/live_uclient.py check`): each allocation of the log is one TURN
relay row of `-z msturn,sessions` with coturn's client, server and relayed
address and the verdict coturn's facts give, each refused run a row
`401 loop at Allocate`, each IP coturn permitted a peer of `-z
msturn,peers`, coturn's ChannelBind count, error codes and peer traffic
those of the wire and of the peer rows, and the peer rows those the wire
gives under docs/sessions.md.""", ("coturn_uclient.log",)),
]


def pcapng_frame_count(data):
    """Packet blocks (Enhanced 6, Simple 3) in a pcapng file."""
    pos, endian, count = 0, "<", 0
    while pos + 12 <= len(data):
        if data[pos:pos + 4] == b"\x0a\x0d\x0d\x0a":  # Section Header Block
            endian = "<" if data[pos + 8:pos + 12] == b"\x4d\x3c\x2b\x1a" else ">"
        btype, blen = struct.unpack_from(endian + "II", data, pos)
        if blen < 12:
            break
        count += btype in (3, 6)
        pos += blen
    return count


def read_kept_capture(name, dirs):
    for d in dirs:
        path = os.path.join(d, name)
        if os.path.isfile(path):
            with open(path, "rb") as f:
                return f.read()
    sys.exit("%s: kept capture not found in %s" % (name, ", ".join(dirs)))


def write_outputs(outdir, scenarios, kept_dirs=()):
    """Writes every capture of scenarios ((name, function) pairs) and the
    files that describe them into outdir; returns the names written."""
    os.makedirs(outdir, exist_ok=True)
    written = {}
    readme = [README_HEAD % {"n1": NONCE_1, "n2": NONCE_2, "cu": CMS_UFRAG, "cp": CMS_PWD,
                             "su": SKYPE_UFRAG, "sp": SKYPE_PWD, "ru": RELAY_UFRAG,
                             "rp": RELAY_PWD, "pu": PEER_UFRAG, "pp": PEER_PWD}]
    for name, fn in scenarios:
        TruthEntry.counter = 0
        cap = Capture(name)
        fn(cap)
        written[name + ".pcapng"] = pcapng_bytes(cap.frames)
        lines = cap.truth_lines()
        written[name + ".truth.tsv"] = ("\n".join([TRUTH_HEADER] + lines) + "\n").encode()
        written[name + ".sessions.tsv"] = ("\n".join(cap.session_lines()) + "\n").encode()
        if cap.args:
            written[name + ".args"] = ("\n".join(cap.args) + "\n").encode()
        doc = " ".join(fn.__doc__.split())
        readme.append("### %s.pcapng\n\n%s\n\n%d frames, %d STUN/TURN messages in the truth file.\n"
                      % (name, doc, len(cap.frames), len(lines)))
        if cap.notes:
            readme.append("| Frame | What |\n| --- | --- |")
            for frame, text in cap.notes:
                readme.append("| %s | %s |" % (frame, text))
            readme.append("")
        if cap.args:
            readme.append("tshark options for this capture (%s.args): `%s`\n" % (name, " ".join(cap.args)))
    readme.append("## Kept captures\n")
    kept = set()
    for name, doc, *beside in KEPT_CAPTURES:
        data = read_kept_capture(name, list(kept_dirs) + [outdir])
        written[name] = data
        kept.add(name)
        for other in (beside[0] if beside else ()):
            written[other] = read_kept_capture(other, list(kept_dirs) + [outdir])
            kept.add(other)
        readme.append("### %s\n\n%s\n\n%d frames; not written by the generator, kept as recorded.\n"
                      % (name, doc, pcapng_frame_count(data)))
    written["README.md"] = ("\n".join(readme).rstrip("\n") + "\n").encode()
    manifest = "".join("%s  %s\n" % (hashlib.sha256(data).hexdigest(), fname)
                       for fname, data in sorted(written.items()))
    written["MANIFEST.sha256"] = manifest.encode()
    for fname, data in written.items():
        if fname in kept and os.path.isfile(os.path.join(outdir, fname)):
            continue        # never rewrite a kept capture
        with open(os.path.join(outdir, fname), "wb") as f:
            f.write(data)
    return sorted(written)


def compare_dirs(generated, reference, names):
    problems = []
    for name in names:
        ref = os.path.join(reference, name)
        if not os.path.exists(ref):
            problems.append("%s: missing from %s" % (name, reference))
        elif not filecmp.cmp(os.path.join(generated, name), ref, shallow=False):
            problems.append("%s: differs from the generator's output" % name)
    generated_set = set(names)
    for name in sorted(os.listdir(reference)):
        if name not in generated_set and os.path.isfile(os.path.join(reference, name)):
            problems.append("%s: in %s but not written by the generator" % (name, reference))
    return problems

# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""The sessions truth of a TURN relay: an RFC 8656 allocation of a UDP
relay (REQUESTED-TRANSPORT 17) made over UDP or TCP.  Its sessions-table
row, its peers rows and the expert items msturn puts on its frames are
computed by reading the allocation's frames back from the capture
(wire.py): what the scenario really sent, message by message."""
from .stun import endpoint_text
from .tcpconn import TcpConn
from .wire import TcpStream, channel_data, is_channel, parse_stun

# STUN methods (RFC 8656 17) and classes (RFC 8489 5)
ALLOCATE, REFRESH, SEND, DATA, CREATE_PERMISSION, CHANNEL_BIND = 0x003, 0x004, 0x006, 0x007, \
    0x008, 0x009
REQUEST, INDICATION, SUCCESS, ERROR = 0, 1, 2, 3
A_CHANNEL_NUMBER, A_LIFETIME, A_XOR_PEER, A_DATA, A_XOR_RELAYED, A_REQ_TRANSPORT = \
    0x000C, 0x000D, 0x0012, 0x0013, 0x0016, 0x0019

# The errors of authentication's normal course, not failures: a challenge
# and a stale nonce (RFC 8489 9.2.4)
TRANSIENT = (401, 438)
PERMISSION_US = 300 * 1000000     # RFC 8656 9: a permission lasts 300 s
MAX_PEERS = 32                    # peers followed per allocation

ICE_VALID = "ICE valid through the relay"
ICE_PARTIAL = ("ICE one-way: no success from peer", "ICE one-way: no success from client",
               "ICE: no request from peer", "ICE: no request from client")
NOTHING_BACK = "one way: nothing back from the peer"
NOTHING_FROM_CLIENT = "one way: nothing from the client"
NO_PERMISSION = "data without permission: dropped by the server"
BOTH_WAYS = "data both ways, no ICE checks"
NO_DATA = "no data"


def _rank(verdict):
    """How far a peer got, for the session's verdict: higher is better."""
    if verdict == BOTH_WAYS:
        return 6
    if verdict in ICE_PARTIAL:
        return 5
    order = {NOTHING_FROM_CLIENT: 4, NOTHING_BACK: 3, NO_PERMISSION: 2}
    if verdict in order:
        return order[verdict]
    if verdict.endswith(" at ChannelBind"):
        return 1
    if verdict.endswith(" at CreatePermission"):
        return 0
    return None                   # no data: does not count


def ice_kind(data):
    """What a relayed datagram is for ICE: a Binding request (a check), a
    Binding success response (its answer), or neither."""
    m = parse_stun(data)
    if m is None:
        return None
    return {0x0001: "check", 0x0101: "answer"}.get(m.mtype)


class Permission:
    """The permission of one peer IP address (RFC 8656 9: permissions are
    per IP address, ports ignored), which every peer at that address shares."""

    def __init__(self, ip):
        self.ip = ip
        self.installed = []       # times of the successes that installed it
        self.frame = None         # the first of them
        self.cp_named = False     # a CreatePermission named the address
        self.cp_error = None      # code of the last CreatePermission error naming it
        self.cp_failed = None     # ... of those that are no authentication step

    def at(self, ts):
        """Installed at time ts: a success before, less than 300 s before."""
        before = [t for t in self.installed if t <= ts]
        return bool(before) and ts - before[-1] <= PERMISSION_US

    def cell(self):
        if self.frame:
            return str(self.frame)
        if self.cp_error is not None:
            return str(self.cp_error)
        return "no answer" if self.cp_named else ""


class Peer:
    """One peer transport address of the allocation (what XOR-PEER-ADDRESS
    names) and what went to and came from it; perm: its IP's permission."""

    def __init__(self, ip, port, perm):
        self.ip, self.port, self.perm = ip, port, perm
        self.channel = None       # the channel a ChannelBind asked for it
        self.channel_ok = False
        self.channel_error = None
        self.cb_failed = None
        self.to = [0, 0]          # packets, bytes the client sent it
        self.frm = [0, 0]         # packets, bytes it sent the client
        # checks to peer, answers from peer, checks from peer, answers to peer
        self.ice = [0, 0, 0, 0]
        self.unpermitted = None   # the first Send indication while it had no permission
        self.first_to = self.first_from = self.first_check = self.ice_valid = None

    def text(self):
        if self.port:
            return endpoint_text(self.ip, self.port)
        return str(self.ip)

    def channel_cell(self):
        if self.channel is None:
            return ""
        ch = "0x%04x" % self.channel
        if self.channel_ok:
            return ch
        return "%s: %s" % (ch, self.channel_error if self.channel_error is not None else "no answer")

    def verdict(self):
        if all(self.ice):
            return ICE_VALID
        if self.perm.cp_failed and not self.perm.installed:
            return "%d at CreatePermission" % self.perm.cp_failed
        if self.cb_failed and not self.perm.installed:
            return "%d at ChannelBind" % self.cb_failed
        if self.unpermitted:
            return NO_PERMISSION
        if self.to[0] and not self.frm[0]:
            return NOTHING_BACK
        if self.frm[0] and not self.to[0]:
            return NOTHING_FROM_CLIENT
        if any(self.ice):
            # the first missing kind names the state, as for the other relays
            for kind, text in zip((1, 3, 2, 0), ICE_PARTIAL):
                if not self.ice[kind]:
                    return text
        if self.to[0] and self.frm[0]:
            return BOTH_WAYS
        return NO_DATA

    def row(self):
        return [self.text(), self.perm.cell(), self.channel_cell()] + \
            [str(n) for n in self.to + self.frm + self.ice] + [self.verdict()]


class TurnRelaySession:
    """The sessions truth of one TURN relay allocation.  flow: the client's
    UdpTuple (every datagram of its 5-tuple is the session's) or TcpConn
    (every segment of the connection, handshake and FIN included)."""

    kind = "TURN relay"
    call_id = ""

    def __init__(self, cap, flow):
        self.cap, self.flow = cap, flow
        self.linked = []
        cap.sessions.append(self)
        self.number = len(cap.sessions)
        if not isinstance(flow, TcpConn):
            cap.conns.append(flow)
        flow.belongs(self.number, "control")
        self._done = None

    # -- the table's row -----------------------------------------------------
    def client_text(self):
        return endpoint_text(*self._ends()[0])

    def server_text(self):
        return endpoint_text(*self._ends()[1])

    def _ends(self):
        if isinstance(self.flow, TcpConn):
            return [(s.host.ip, s.port) for s in self.flow.sides]
        return self.flow.ends

    def relayed_text(self):
        return ", ".join(endpoint_text(ip, port) for ip, port in self._state().relayed)

    def peers_text(self):
        return ", ".join(p.text() for p in self._state().peers)

    def path(self):
        return ""

    @property
    def verdict(self):
        return self._state().verdict()

    def peer_rows(self):
        return [p.row() for p in self._state().peers]

    def experts(self):
        return self._state().experts()

    # -- reading the allocation back ---------------------------------------
    def _state(self):
        """The allocation's state once the whole capture is written (as
        msturn knows it after the first pass)."""
        if self._done is None or self._done[0] != len(self.cap.frames):
            pdus = TcpStream(self.cap, self.flow).pdus() if isinstance(self.flow, TcpConn) \
                else self.flow.pdus()
            self._done = (len(self.cap.frames), _Allocation(self.cap.name, pdus))
        return self._done[1]


class _Allocation:
    """One pass over the allocation's PDUs, in capture order."""

    def __init__(self, name, pdus):
        self.name = name
        self.alloc_requested = False
        self.ok_frame = None
        self.relayed = []
        self.alloc_error = None
        self.n_error = {401: 0, 438: 0}
        self.last_alloc_error = None
        self.lifetime = self.lifetime_from = None
        self.deallocated = None
        self.expired = None
        self.refresh_error = None
        self.refresh_failed = []
        self.refused = []         # (frame, expert) of CreatePermission / ChannelBind errors
        self.pending = {}         # transaction ID -> (method, [peer IPs] or the Peer, channel)
        self.perms = {}           # IP -> Permission
        self.peers = []           # Peer, in order of creation
        self.channels = {}        # channel -> Peer, once a ChannelBind succeeded
        late_channel = None       # ChannelData after the lifetime, before any message said so
        for frame, ts, up, data in pdus:
            m = parse_stun(data)
            if m is None:
                if is_channel(data):
                    if self._lapsed(ts) and late_channel is None and self.expired is None:
                        late_channel = frame
                    self._channel(frame, up, data)
                continue
            if self._lapsed(ts) and self.expired is None:
                if late_channel is not None:
                    raise ValueError("%s: ChannelData (frame %d) is the first PDU after the "
                                     "lifetime: whether it counts is not said" % (name, late_channel))
                self.expired = frame
            self._message(frame, ts, up, m)
        if not self.alloc_requested:
            raise ValueError("%s: no Allocate request for a UDP relay (REQUESTED-TRANSPORT 17)" % name)
        if len(self.peers) > MAX_PEERS or len(self.perms) > MAX_PEERS:
            raise NotImplementedError("%s: more than %d peers" % (name, MAX_PEERS))

    def _lapsed(self, ts):
        """RFC 8656 7: the allocation lasts LIFETIME seconds after the
        success that granted it; msturn counts whole seconds of the
        timestamps, so a scenario stays clear of the boundary."""
        if self.lifetime is None or self.deallocated:
            return False
        exact = ts - self.lifetime_from > self.lifetime * 1000000
        whole = ts // 1000000 - self.lifetime_from // 1000000 > self.lifetime
        if exact != whole:
            raise ValueError("%s: a message within a second of the lifetime's end" % self.name)
        return exact

    def _perm(self, ip):
        if ip not in self.perms:
            self.perms[ip] = Permission(ip)
        return self.perms[ip]

    def _peer(self, ip, port):
        """The peer a Send or Data indication or a ChannelBind names: the
        same transport address, or the peer a CreatePermission made of the
        address alone (port 0), which takes this port; else a new peer."""
        for p in self.peers:
            if p.ip == ip and p.port == port:
                return p
        for p in self.peers:
            if p.ip == ip and p.port == 0:
                p.port = port
                return p
        return self._new_peer(ip, port)

    def _new_peer(self, ip, port):
        p = Peer(ip, port, self._perm(ip))
        self.peers.append(p)
        return p

    def _install(self, ip, frame, ts):
        perm = self.perms[ip]
        perm.installed.append(ts)
        perm.frame = perm.frame or frame

    def _message(self, frame, ts, up, m):
        meth, cls = m.method, m.cls
        code = m.error_code
        if meth == ALLOCATE:
            if cls == REQUEST:
                t = m.value(A_REQ_TRANSPORT)
                self.alloc_requested |= t is not None and t[0] == 17
            elif cls == SUCCESS and self.ok_frame is None:
                self.ok_frame = frame
                self.relayed = m.xor_addresses(A_XOR_RELAYED)
                self._grant(m, ts)
            elif cls == ERROR and self.ok_frame is None:
                self.alloc_error = code
                self.last_alloc_error = frame
                if code in self.n_error:
                    self.n_error[code] += 1
        elif meth == REFRESH:
            if cls == SUCCESS:
                if self._grant(m, ts) == 0:
                    self.deallocated = frame
            elif cls == ERROR and code not in TRANSIENT:
                self.refresh_error = code
                self.refresh_failed.append(frame)
        elif meth == CREATE_PERMISSION and cls == REQUEST:
            # a permission per address named; an address no peer has yet
            # makes a peer of its own, at the port named (0: none yet)
            peers = m.xor_addresses(A_XOR_PEER)
            for ip, port in peers:
                self._perm(ip).cp_named = True
                if not any(p.ip == ip for p in self.peers):
                    self._new_peer(ip, port)
            self.pending[m.tid] = (meth, [ip for ip, _ in peers], None)
        elif meth == CHANNEL_BIND and cls == REQUEST:
            (ip, port), = m.xor_addresses(A_XOR_PEER)
            p = self._peer(ip, port)
            ch = int.from_bytes(m.value(A_CHANNEL_NUMBER)[:2], "big")
            p.channel = ch
            self.pending[m.tid] = (meth, p, ch)
        elif meth in (CREATE_PERMISSION, CHANNEL_BIND) and cls in (SUCCESS, ERROR):
            self._answered(frame, ts, m)
        elif meth in (SEND, DATA) and cls == INDICATION:
            (ip, port), = m.xor_addresses(A_XOR_PEER)
            p = self._peer(ip, port)
            if meth == SEND and up and not p.perm.at(ts):
                p.unpermitted = p.unpermitted or frame
            # every indication counts, its bytes those of DATA: a Data
            # indication may carry only ICMP (RFC 8656 11.6), and no bytes
            data = m.value(A_DATA) or b""
            self._carried(p, frame, up, len(data), data)

    def _grant(self, m, ts):
        life = m.u32(A_LIFETIME)
        if life is not None:
            self.lifetime, self.lifetime_from = life, ts
        return life

    def _answered(self, frame, ts, m):
        meth, named, ch = self.pending.pop(m.tid, (None, None, None))
        if meth != m.method:
            raise ValueError("%s: frame %d answers no request of its method" % (self.name, frame))
        code = m.error_code
        if m.cls == ERROR and code not in TRANSIENT:
            self.refused.append((frame, "msturn.relay.permission_refused" if meth == CREATE_PERMISSION
                                 else "msturn.relay.channel_refused"))
        if meth == CREATE_PERMISSION:
            for ip in named:
                if m.cls == SUCCESS:
                    self._install(ip, frame, ts)
                else:
                    perm = self.perms[ip]
                    perm.cp_error = code
                    if code not in TRANSIENT:
                        perm.cp_failed = code
        elif m.cls == SUCCESS:
            # RFC 8656 12.2: a channel binding installs its address's permission too
            self._install(named.ip, frame, ts)
            named.channel_ok = True
            self.channels[ch] = named
        else:
            named.channel_error = code
            if code not in TRANSIENT:
                named.cb_failed = code

    def _channel(self, frame, up, data):
        ch, length, payload = channel_data(data)
        p = self.channels.get(ch)
        if p is not None:
            self._carried(p, frame, up, length, payload)

    def _carried(self, p, frame, up, length, payload):
        """Data to the peer (from the client) or from it; an ICE check or
        answer in it counts in its own column."""
        count = p.to if up else p.frm
        count[0] += 1
        count[1] += length
        if up:
            p.first_to = p.first_to or frame
        else:
            p.first_from = p.first_from or frame
        kind = ice_kind(payload)
        if kind:
            # checks to peer, answers from peer, checks from peer, answers to peer
            p.ice[{("check", True): 0, ("answer", False): 1, ("check", False): 2,
                   ("answer", True): 3}[(kind, up)]] += 1
            p.first_check = p.first_check or frame
            if all(p.ice) and p.ice_valid is None:
                p.ice_valid = frame

    # -- what msturn concludes ---------------------------------------------
    def verdict(self):
        if self.ok_frame is None:
            code = self.alloc_error
            if code in self.n_error and self.n_error[code] >= 2:
                return "%d loop at Allocate" % code
            if code:
                return "%d at Allocate" % code
            return "no Allocate response"
        verdicts = [p.verdict() for p in self.peers]
        if ICE_VALID in verdicts:
            return ICE_VALID
        if self.refresh_error:
            return "%d at Refresh" % self.refresh_error
        if self.expired:
            return "allocation expired"
        ranked = [(_rank(v), v) for v in verdicts if _rank(v) is not None]
        if ranked:
            best = max(r for r, _ in ranked)
            texts = sorted({v for r, v in ranked if r == best})
            if len(texts) > 1:
                raise ValueError("%s: peers tie at %s" % (self.name, texts))
            return texts[0]
        if self.deallocated:
            return "deallocated (LIFETIME 0)"
        return "relay allocated, no peer" if not self.peers else NO_DATA

    def experts(self):
        out = list(self.refused)
        if self.ok_frame is None and self.last_alloc_error:
            out.append((self.last_alloc_error, "msturn.session.allocate_failed"))
        out += [(f, "msturn.session.refresh_failed") for f in self.refresh_failed]
        if self.expired:
            out.append((self.expired, "msturn.session.expired"))
        if self.deallocated:
            out.append((self.deallocated, "msturn.relay.deallocated"))
        for p in self.peers:
            v = p.verdict()
            if v == ICE_VALID:
                out.append((p.ice_valid, "msturn.relay.ice_valid"))
            if p.unpermitted:
                out.append((p.unpermitted, "msturn.relay.no_permission"))
            if v == NOTHING_BACK:
                out.append((p.first_to, "msturn.relay.one_way"))
            if v == NOTHING_FROM_CLIENT:
                out.append((p.first_from, "msturn.relay.one_way"))
            if v in ICE_PARTIAL:
                out.append((p.first_check, "msturn.relay.ice_incomplete"))
        return out

# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""ICE connectivity checks as WebRTC agents send them (RFC 8445 7.2.2,
7.3.1.4): a Binding request with USERNAME, ICE-CONTROLLING or
ICE-CONTROLLED, USE-CANDIDATE when nominating, PRIORITY, a short-term
MESSAGE-INTEGRITY and FINGERPRINT; its Binding success response with the
check's source address in XOR-MAPPED-ADDRESS."""
from .common import (
    A_ICE_CONTROLLED, A_ICE_CONTROLLING, A_PRIORITY, A_USE_CANDIDATE, A_XOR_MAPPED, BINDING_OK,
    BINDING_REQ,
)
from .stun import Msg


class IceAgent:
    """One side of a call: its username fragment and password, its role and
    the tie-breaker it keeps for the whole session (RFC 8445 7.1.1)."""

    def __init__(self, det, ufrag, pwd, controlling, priority):
        self.det = det
        self.ufrag, self.pwd = ufrag, pwd
        self.controlling = controlling
        self.priority = priority     # of a peer-reflexive candidate (RFC 8445 7.1.1)
        self.tie = det.bytes(8)

    def check(self, remote, nominate=False):
        """A check to remote: USERNAME "remote:local", signed with remote's
        password (RFC 8445 7.2.2; RFC 8489 9.1 short-term credentials)."""
        m = Msg(BINDING_REQ, self.det.bytes(12)).username("%s:%s" % (remote.ufrag, self.ufrag))
        m.attr(A_ICE_CONTROLLING if self.controlling else A_ICE_CONTROLLED, self.tie)
        if nominate:
            m.empty(A_USE_CANDIDATE)
        return m.u32(A_PRIORITY, self.priority).encode(remote.pwd.encode())

    def answer(self, req, ip, port):
        """The success response to req, which came from ip:port; signed with
        this agent's own password, the one req was signed with."""
        return Msg(BINDING_OK, req.tid).xor_addr(A_XOR_MAPPED, ip, port).encode(self.pwd.encode())

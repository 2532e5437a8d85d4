# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""Scenarios: the Skype side, [MS-TURN] allocations on the Edge, and the path across two TURN servers."""
from ..common import F_4571, WRONG_PASSWORD
from ..net import Host
from ..stun import rtp_packet
from ..models import ICE_EXPERTS, lab_hosts, link_sessions, seed_like_session
from ..models_ms import SkypeEdgeAllocation, skype_edge_session
from .base import scenario


# -- the Skype side: [MS-TURN] allocations on the Edge --------------------------

def skype_hosts():
    return {
        "client": Host("198.51.100.23", "00:0c:29:01:02:fe", ttl=115),
        "edge": Host("203.0.113.10", "00:15:5d:0a:e0:01"),        # the Edge's external side
        "far": Host("192.0.2.44", "00:0c:29:01:02:fe"),
    }


@scenario("skype_edge_valid")
def skype_edge_valid(cap):
    """A Skype client's [MS-TURN] allocation on its Edge over TCP 443
    (pseudo-TLS, 2.1.4 framing, MS-VERSION 6): checks both ways in Send
    Requests and Data Indications, Set Active Destination, end-to-end
    media.  One MS-TURN relay session, ICE valid."""
    h = skype_hosts()
    sk = SkypeEdgeAllocation(cap, h["client"], 51250, h["edge"], h["edge"].ip, 52100)
    sk.alloc.verdict = "ICE valid"
    sk.connect()
    sk.allocate()
    skype_edge_session(cap, sk, h["far"].ip, 50060)
    sk.close()


@scenario("skype_edge_oneway")
def skype_edge_oneway(cap):
    """As skype_edge_valid, but the far side never answers: the Skype
    client's checks go out in Send Requests three times, the far side's own
    checks arrive and are answered.  ICE one-way: no success from peer; the
    Allocate response carries msturn.session.ice_incomplete and the
    expert item of its ICE state."""
    h = skype_hosts()
    sk = SkypeEdgeAllocation(cap, h["client"], 51252, h["edge"], h["edge"].ip, 52102)
    sk.alloc.verdict = "ICE one-way: no success from peer"
    sk.connect()
    sk.allocate()
    skype_edge_session(cap, sk, h["far"].ip, 50062, peer_answers=False, rounds=3)
    sk.alloc.expect_outcome()
    sk.close()


@scenario("skype_edge_failures")
def skype_edge_failures(cap):
    """Four Skype client allocations on one Edge, each failing its own
    way: a wrong password (401 after 401: 401 loop at Allocate), an Edge
    out of relay ports (508 at Allocate), an allocation that relays only
    media and never an ICE check (no ICE checks), and a Set Active
    Destination refused with 403 (403 at Set Active Destination)."""
    h = skype_hosts()
    det = cap.det
    sk = SkypeEdgeAllocation(cap, h["client"], 51260, h["edge"], h["edge"].ip, 52110,
                             password=WRONG_PASSWORD)
    sk.alloc.verdict = "401 loop at Allocate"
    sk.connect()
    f = sk.allocate(result=401, tries=2)
    cap.expect(f, "msturn.session.allocate_failed")
    sk.close()

    sk = SkypeEdgeAllocation(cap, h["client"], 51262, h["edge"], h["edge"].ip, 52112)
    sk.alloc.verdict = "508 at Allocate"
    sk.connect()
    f = sk.allocate(result=508)
    cap.expect(f, "msturn.session.allocate_failed")
    sk.close()

    sk = SkypeEdgeAllocation(cap, h["client"], 51264, h["edge"], h["edge"].ip, 52114)
    sk.alloc.verdict = "no ICE checks"
    sk.connect()
    sk.allocate()
    for i in range(3):
        sk.send_request(h["far"].ip, 50064, rtp_packet(det, 700 + i, 3000 * i, 0x5C1E0003, 170))
    sk.alloc.expect_outcome()
    sk.close()

    sk = SkypeEdgeAllocation(cap, h["client"], 51266, h["edge"], h["edge"].ip, 52116)
    sk.alloc.verdict = "403 at Set Active Destination"
    sk.connect()
    sk.allocate()
    _, f = sk.set_active_destination(h["far"].ip, 50066, result=403)
    cap.expect(f, "msturn.session.sad_failed")
    sk.close()


def pair_ice_exchange(cap, s, sk, cms_answers=True, skype_answers=True, end_to_end=True):
    """The checks of one media path across two TURN servers: the Skype
    client's check leaves in an end-to-end frame (or a Send Request) to its
    Edge, which relays it over its TCP connection to the Expressway-E
    relayed address (RFC 4571 framed, as ICE-TCP is, RFC 6544), and the
    Expressway-E relays it to CMS on the data connection; CMS's check and
    the answers travel back the same way."""
    relay_ip, relay_port = s.relay_host.ip, s.relay_port

    def from_skype(m):
        if end_to_end:
            sk.end_to_end(0, m)
        else:
            sk.send_request(relay_ip, relay_port, m)
        cap.wait(0.4)
        return s.relay(True, [(F_4571, m)])[1]

    def from_cms(m):
        f = s.relay(False, [(F_4571, m)])[0]
        cap.wait(0.4)
        if end_to_end:
            sk.end_to_end(1, m)
        else:
            sk.data_indication(relay_ip, relay_port, m)
        return f

    req_p = s.ice_request(False)
    f = from_skype(req_p)
    cap.note("The Skype client's Binding Request: Edge, then the peer connection, then CMS", f)
    req_c = s.ice_request(True)
    f = from_cms(req_c)
    cap.note("CMS's Binding Request, relayed to the Skype client through both servers", f)
    cap.wait(0.9)
    if cms_answers:
        from_cms(s.ice_response(req_p, True))
    cap.wait(1.7)
    if skype_answers:
        from_skype(s.ice_response(req_c, False))
    cap.wait(40.0)
    s.data.ack(0)
    s.peer_conn.ack(0)
    s.data.ack(1)
    s.peer_conn.ack(1)


def skype_expressway_start(cap):
    """The opening both two-server ladders share: CMS allocates on
    Expressway-E and refreshes (session 1); the Skype client allocates on
    its Edge (session 2), the two are linked, and the client asks for the
    Expressway-E relayed address as its active destination.  Returns the
    lab hosts, both sessions' models and the Set Active Destination
    request."""
    h = lab_hosts()
    sh = skype_hosts()
    s = seed_like_session(cap, h)
    s.allocate()
    s.refresh()
    cap.wait(120.0)
    sk = SkypeEdgeAllocation(cap, sh["client"], 51280, sh["edge"], h["edge"].ip, s.peer_port)
    sk.connect()
    sk.allocate()
    link_sessions(s, sk.alloc)
    req = sk.sad_request(s.relay_host.ip, s.relay_port)
    cap.wait(1.0)
    return h, s, sk, req


def skype_expressway_path(cap, sad_answered=True, cms_answers=True):
    """The seed's presentation seen from both TURN servers and merged
    (mergecap): CMS allocates on Expressway-E over RFC 6062 (session 1),
    the Skype client allocates on its Edge over [MS-TURN] (session 2), whose
    relayed address is the seed's peer 192.168.1.252:53577.  The client
    makes the Expressway-E relayed address its active destination, the Edge
    connects to it from its relayed address, the Expressway-E announces the
    connection to CMS, CMS binds it, and the checks cross both servers: in
    end-to-end frames once Set Active Destination is answered, in Send
    Requests and Data Indications when it is not.  Returns both sessions."""
    h, s, sk, req = skype_expressway_start(cap)
    s.peer_connects()
    cap.wait(2.0)
    if sad_answered:        # the Edge answers once its connection is up
        sk.sad_answer(req)
    else:
        cap.expect(req.frame, "msturn.session.sad_failed")
    s.connection_attempt()
    cap.wait(50.5)
    s.connection_bind()
    cap.wait(155.0)
    pair_ice_exchange(cap, s, sk, cms_answers=cms_answers, end_to_end=sad_answered)
    s.media(count=2)
    cap.wait(400.0)
    sk.close()
    s.close_all()
    return s, sk


@scenario("skype_expressway_pair")
def skype_expressway_pair(cap):
    """The merged pair (skype_expressway_path): both legs valid, path
    valid; msturn.session == 1 || msturn.session.linked == 1 shows the
    whole path, Skype client -> Edge -> Expressway-E -> CMS."""
    s, sk = skype_expressway_path(cap)
    s.verdict = sk.alloc.verdict = "ICE valid"


@scenario("skype_pair_no_sad")
def skype_pair_no_sad(cap):
    """The merged pair, but the Edge never answers Set Active Destination:
    the checks still cross both servers in Send Requests and Data
    Indications, so the RFC 6062 leg is valid; the path fails at the
    MS-TURN leg."""
    s, sk = skype_expressway_path(cap, sad_answered=False)
    s.verdict = "ICE valid"
    sk.alloc.verdict = "no Set Active Destination response"


@scenario("skype_pair_oneway")
def skype_pair_oneway(cap):
    """The merged pair, but CMS never answers the Skype client's checks:
    both legs see the checks one way, and the path verdict names both."""
    s, sk = skype_expressway_path(cap, cms_answers=False)
    # each leg from its own client's side: for the Expressway-E, CMS is the
    # client that does not answer; for the Edge, CMS is the peer
    s.verdict = "ICE one-way: no success from client"
    sk.alloc.verdict = "ICE one-way: no success from peer"
    cap.expect(s.bind_frames[1], ICE_EXPERTS["ICE one-way: no success from client"])
    sk.alloc.expect_outcome()

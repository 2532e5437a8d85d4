# SPDX-License-Identifier: GPL-2.0-or-later
# Copyright (C) 2026 The msturn authors
"""SIP dialogs and SDP offers with ICE candidates."""

class Candidate:
    """An ICE candidate line.  ms=True writes the [MS-ICE2] 2.2.1 form
    (transport TCP-PASS / TCP-ACT, no tcptype); otherwise RFC 8839 with the
    RFC 6544 4.5 tcptype extension."""

    def __init__(self, foundation, component, tcptype, priority, ip, port, typ,
                 raddr=None, rport=None, ms=False):
        self.foundation, self.component, self.tcptype = foundation, component, tcptype
        self.priority, self.ip, self.port, self.typ = priority, ip, port, typ
        self.raddr, self.rport, self.ms = raddr, rport, ms

    def line(self):
        transport = {"passive": "TCP-PASS", "active": "TCP-ACT"}[self.tcptype] if self.ms else "tcp"
        out = "a=candidate:%s %d %s %d %s %d typ %s" % (self.foundation, self.component, transport,
                                                       self.priority, self.ip, self.port, self.typ)
        if self.raddr:
            out += " raddr %s rport %d" % (self.raddr, self.rport)
        if not self.ms:
            out += " tcptype %s" % self.tcptype
        return out


def sdp_applicationsharing(origin_ip, ufrag, pwd, candidates, port, session_level_ice=False):
    """An SDP body (RFC 8866) with one m=applicationsharing stream over
    TCP/RTP/AVP as Skype for Business and CMS write it ([MS-SDPEXT]
    3.1.5.x), its ICE credentials (RFC 8839 5.4: a=ice-ufrag, a=ice-pwd, at
    media level or, session_level_ice, at session level) and candidates."""
    ice = ["a=ice-ufrag:%s" % ufrag, "a=ice-pwd:%s" % pwd]
    lines = ["v=0", "o=- 0 1 IN IP4 %s" % origin_ip, "s=session", "c=IN IP4 %s" % origin_ip,
             "b=CT:99980", "t=0 0"]
    if session_level_ice:
        lines += ice
    lines += ["m=applicationsharing %d TCP/RTP/AVP 127" % port]
    if not session_level_ice:
        lines += ice
    lines += [c.line() for c in candidates]
    lines += ["a=setup:actpass", "a=connection:new", "a=rtpmap:127 x-data/90000",
              "a=x-applicationsharing-session-id:1", "a=x-applicationsharing-role:viewer",
              "a=x-applicationsharing-media-type:rdp"]
    return ("\r\n".join(lines) + "\r\n").encode()


class SipDialog:
    """One SIP dialog (RFC 3261 12): requests and responses with their
    Call-ID, CSeq, Via and tags; bodies are SDP."""

    def __init__(self, call_id, caller_uri, callee_uri, transport="TCP"):
        self.call_id, self.caller, self.callee = call_id, caller_uri, callee_uri
        self.transport = transport
        self.cseq = 0
        self.from_tag, self.to_tag = "f7a93c", "2b71e0"

    def request(self, method, via_host, cseq=None, body=None, headers=()):
        """headers: extra header lines, e.g. the Reason (RFC 3326) of a CANCEL
        or BYE, or ms-diagnostics ([MS-OCER] 2.2.1.1)."""
        if cseq is None:
            self.cseq += 1
            cseq = self.cseq
        start = "%s sip:%s SIP/2.0" % (method, self.callee)
        return self._message(start, via_host, cseq, method, body, headers)

    def response(self, code, reason, via_host, cseq, method, body=None, headers=()):
        return self._message("SIP/2.0 %d %s" % (code, reason), via_host, cseq, method, body,
                             headers)

    def _message(self, start, via_host, cseq, method, body, headers=()):
        hdrs = [start,
                "Via: SIP/2.0/%s %s;branch=z9hG4bK%s%d" % (self.transport, via_host, method.lower(), cseq),
                "From: <sip:%s>;tag=%s" % (self.caller, self.from_tag),
                "To: <sip:%s>%s" % (self.callee, "" if start.startswith("INVITE") and cseq == 1
                                    else ";tag=" + self.to_tag),
                "Call-ID: %s" % self.call_id,
                "CSeq: %d %s" % (cseq, method),
                "Max-Forwards: 70"] + list(headers)
        if body:
            hdrs += ["Content-Type: application/sdp"]
        hdrs += ["Content-Length: %d" % len(body or b"")]
        return ("\r\n".join(hdrs) + "\r\n\r\n").encode() + (body or b"")

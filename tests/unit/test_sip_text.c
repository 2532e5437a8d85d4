/* Unit tests of the SIP message reader (RFC 3261 7) on the bytes it meets:
 * a frame whose TCP header ends in letters, messages back to back, one cut
 * short, compact and odd-cased header names, folding, multipart SDP; and of
 * the readers of ms-diagnostics ([MS-OCER] 2.2.1.1, 2.2.1.2), Reason
 * (RFC 3326) and Warning (RFC 3261 20.43).
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "check.h"
#include "msturn_sip_text.h"
#include "msturn_sip_diag.h"

#define BYTES(s) ((const uint8_t *)(s)), (sizeof(s) - 1)

int
main(void)
{
    msturn_sip_msg m;
    size_t pos = 0, n, body_end;
    char type;
    const char *v;
    int lines = 0, attrs = 0, media = 0;

    /* an INVITE right after header bytes that end in capital letters */
    static const char frame[] =
        "\x45\x00\x10\x0bXYZQINVITE sip:meet@cms.lab SIP/2.0\r\n"
        "Via: SIP/2.0/TCP 10.48.54.228;branch=z9hG4bK1\r\n"
        "Call-ID: 5f3c@10.48.54.228\r\n"
        "CSeq: 7 INVITE\r\n"
        "Content-Type: application/sdp\r\n"
        "Content-Length: 29\r\n"
        "\r\n"
        "v=0\r\nm=applicationsharing 9\r\n";
    CHECK(msturn_sip_next(BYTES(frame), &pos, &m) == 1, "INVITE found");
    CHECK(m.is_request && strcmp(m.method, "INVITE") == 0, "method '%s'", m.method);
    CHECK(m.start == 8, "starts at the method, not at the letters before it: %zu", m.start);
    CHECK(strcmp(m.call_id, "5f3c@10.48.54.228") == 0, "Call-ID '%s'", m.call_id);
    CHECK(m.has_cseq && m.cseq == 7, "CSeq %u", m.cseq);
    CHECK(m.sdp && m.body_len == 29 && m.end == sizeof frame - 1, "body %zu", m.body_len);
    CHECK(msturn_sip_next(BYTES(frame), &pos, &m) == 0, "nothing after it");

    /* 100 Trying and 180 Ringing in one segment; compact forms, odd case */
    static const char two[] =
        "SIP/2.0 100 Trying\r\ni: abc\r\ncseq: 1 INVITE\r\nl: 0\r\n\r\n"
        "SIP/2.0 180 Ringing\r\nCALL-ID : def\r\nCSeq:2 INVITE\r\nContent-Length:0\r\n\r\n";
    pos = 0;
    CHECK(msturn_sip_next(BYTES(two), &pos, &m) && m.status == 100 && !m.is_request &&
          strcmp(m.call_id, "abc") == 0 && m.cseq == 1 && m.body_len == 0, "100 Trying");
    CHECK(msturn_sip_next(BYTES(two), &pos, &m) && m.status == 180 &&
          strcmp(m.call_id, "def") == 0 && m.cseq == 2, "180 Ringing: '%s' %u", m.call_id, m.cseq);
    CHECK(!msturn_sip_next(BYTES(two), &pos, &m), "two messages only");

    /* body cut short (the rest comes in a later TCP PDU), headers cut short */
    static const char cut[] = "SIP/2.0 200 OK\r\nCall-ID: x\r\nContent-Length: 400\r\n\r\nv=0\r\n";
    pos = 0;
    CHECK(!msturn_sip_next(BYTES(cut), &pos, &m), "incomplete body");
    static const char cut2[] = "SIP/2.0 200 OK\r\nCall-ID: x\r\nContent-Len";
    pos = 0;
    CHECK(!msturn_sip_next(BYTES(cut2), &pos, &m), "incomplete headers");
    static const char huge[] = "SIP/2.0 200 OK\r\nContent-Length: 99999999999\r\n\r\n";
    pos = 0;
    CHECK(!msturn_sip_next(BYTES(huge), &pos, &m), "Content-Length beyond 32 bits");

    /* not messages: a Via alone, an unknown method after binary, HTTP */
    static const char none[] = "\x01\x02Via: SIP/2.0/UDP h\r\n\x7fXQZZ sip:a SIP/2.0\r\n"
                               "GET / HTTP/1.1\r\n\r\n";
    pos = 0;
    CHECK(!msturn_sip_next(BYTES(none), &pos, &m), "no message in %zu bytes", sizeof none);

    /* an unknown method at a line start is a request; folding is skipped;
     * no Content-Length (a datagram): the body is the rest */
    static const char dgram[] = "FOO-BAR sip:x SIP/2.0\n Call-ID: folded\nCall-ID: real\n\nrest";
    pos = 0;
    CHECK(msturn_sip_next(BYTES(dgram), &pos, &m) && strcmp(m.method, "FOO-BAR") == 0 &&
          strcmp(m.call_id, "real") == 0 && m.body_len == 4, "datagram '%s' '%s' %zu",
          m.method, m.call_id, m.body_len);

    /* SDP lines of a multipart body: boundaries and part headers are type 0 */
    static const char body[] = "--b\r\nContent-Type: application/sdp\r\n\r\nv=0\r\n"
                               "a=ice-ufrag:AoVy\r\nm=applicationsharing 9 TCP/RTP/AVP 127\r\n"
                               "a=candidate:1 1 TCP-PASS 1 10.0.0.1 9 typ host\r\n--b--";
    pos = 0;
    body_end = sizeof body - 1;
    while (msturn_sdp_line(body, body_end, &pos, &type, &v, &n)) {
        lines++;
        if (type == 'a')
            attrs++;
        if (type == 'm' && n > 18 && memcmp(v, "applicationsharing", 18) == 0)
            media++;
        if (type == 'a' && attrs == 1)
            CHECK(n == 14 && memcmp(v, "ice-ufrag:AoVy", 14) == 0, "value without a= and CR LF");
    }
    CHECK(lines == 8 && attrs == 2 && media == 1, "lines %d attrs %d media %d", lines, attrs, media);

    /* the field report's refusal: status phrase, CSeq method and the
     * explaining headers kept as written */
    static const char refusal[] =
        "SIP/2.0 403 Forbidden\r\nCall-ID: r1\r\nCSeq: 1 INVITE\r\n"
        "ms-diagnostics-public: 21002;reason=\"Attendees cannot share in this conference\";"
        "component=\"ASMCU\"\r\nMS-Diagnostics: 21002;reason=\"Attendees cannot share\";"
        "source=\"pool.lab.example\"\r\nWarning: 399 cms.lab \"Not a presenter\"\r\n"
        "reason: SIP ;cause=403 ;text=\"Forbidden\"\r\nContent-Length: 0\r\n\r\n";
    pos = 0;
    CHECK(msturn_sip_next(BYTES(refusal), &pos, &m) && m.status == 403, "403");
    CHECK(strcmp(m.phrase, "Forbidden") == 0, "phrase '%s'", m.phrase);
    CHECK(strcmp(m.cseq_method, "INVITE") == 0 && m.cseq == 1, "CSeq '%s'", m.cseq_method);
    CHECK(strncmp(m.diag_public, "21002;reason=", 13) == 0, "public '%s'", m.diag_public);
    CHECK(strncmp(m.diag, "21002;reason=\"Attendees cannot share\"", 37) == 0, "private '%s'", m.diag);
    CHECK(strncmp(m.warning, "399 cms.lab", 11) == 0, "warning '%s'", m.warning);
    CHECK(strncmp(m.reason, "SIP ;cause=403", 14) == 0, "reason '%s'", m.reason);

    msturn_sip_diag dg;
    CHECK(msturn_sip_diag_read(m.diag_public, &dg) && dg.id == 21002, "id %u", dg.id);
    CHECK(strcmp(dg.reason, "Attendees cannot share in this conference") == 0, "reason '%s'", dg.reason);
    CHECK(strcmp(dg.component, "ASMCU") == 0 && !dg.source[0] && !dg.params[0], "component '%s'",
          dg.component);
    CHECK(msturn_sip_diag_read(m.diag, &dg) && strcmp(dg.source, "pool.lab.example") == 0,
          "source '%s'", dg.source);
    /* escapes, a comma inside quotes, unquoted and valueless generic
     * parameters, a second list value that is not read */
    CHECK(msturn_sip_diag_read(" 7008 ; reason=\"a \\\"b\\\", c\";CallId=x1;Flag, 9;reason=\"no\"",
                               &dg) && dg.id == 7008, "id %u", dg.id);
    CHECK(strcmp(dg.reason, "a \"b\", c") == 0, "unescaped '%s'", dg.reason);
    CHECK(strcmp(dg.params, "CallId=x1; Flag") == 0, "params '%s'", dg.params);
    CHECK(!msturn_sip_diag_read("reason=\"no id\"", &dg), "no ErrorId");
    CHECK(msturn_sip_diag_read("1034.2;reason=\"sub\"", &dg) && dg.id == 1034 &&
          strcmp(dg.reason, "sub") == 0, "ErrorId.SubErrorCode: %u '%s'", dg.id, dg.reason);
    CHECK(!msturn_sip_diag_read("99999999999", &dg), "ErrorId beyond 32 bits");
    CHECK(msturn_sip_diag_read("1;reason=\"never closed", &dg) &&
          strcmp(dg.reason, "never closed") == 0, "open quote '%s'", dg.reason);

    msturn_sip_reason r;
    CHECK(msturn_sip_reason_read(m.reason, &r) && strcmp(r.protocol, "SIP") == 0 && r.has_cause &&
          r.cause == 403 && strcmp(r.text, "Forbidden") == 0, "Reason '%s' %u '%s'", r.protocol,
          r.cause, r.text);
    CHECK(msturn_sip_reason_read("Q.850;cause=16, SIP;cause=200", &r) &&
          strcmp(r.protocol, "Q.850") == 0 && r.cause == 16 && !r.text[0], "Q.850 first");
    CHECK(msturn_sip_reason_read("SIP;text=\"x\"", &r) && !r.has_cause, "no cause");
    CHECK(!msturn_sip_reason_read(" ;cause=1", &r), "no protocol");

    msturn_sip_warning w;
    CHECK(msturn_sip_warning_read(m.warning, &w) && w.code == 399 &&
          strcmp(w.agent, "cms.lab") == 0 && strcmp(w.text, "Not a presenter") == 0,
          "Warning %u '%s' '%s'", w.code, w.agent, w.text);
    CHECK(!msturn_sip_warning_read("3990 a \"b\"", &w), "four digits");
    CHECK(!msturn_sip_warning_read("399", &w), "no agent");

    /* a long header value is cut, and bytes outside ASCII are not copied */
    static const char odd[] = "BYE sip:x SIP/2.0\r\nCall-ID: b\r\nCSeq: 2 BYE\r\n"
                              "ms-diagnostics: 52001;reason=\"\xc3\xa9t\xc3\xa9\"\r\n\r\n";
    pos = 0;
    CHECK(msturn_sip_next(BYTES(odd), &pos, &m) && m.is_request && strcmp(m.cseq_method, "BYE") == 0,
          "BYE");
    CHECK(strcmp(m.diag, "52001;reason=\"??t??\"") == 0, "diag '%s'", m.diag);
    return CHECK_DONE();
}

/* Unit tests of the SDP attribute readers on the forms RFC 8839 5.1 / 5.4,
 * RFC 6544 4.5, [MS-ICE2] 2.2.1 and [MS-ICE] give, and on text that is not
 * one of them.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "check.h"
#include "msturn_sdp.h"

int
main(void)
{
    msturn_candidate c;
    char v[16];

    /* RFC 8839 relay candidate with RFC 6544 tcptype */
    CHECK(msturn_sdp_candidate("candidate:3 1 tcp 16777215 10.48.54.229 24000 typ relay "
                               "raddr 10.48.54.230 rport 44338 tcptype passive", &c), "RFC 6544");
    CHECK(strcmp(c.address, "10.48.54.229") == 0 && c.port == 24000, "address %s:%u", c.address, c.port);
    CHECK(c.type == MSTURN_CAND_RELAY && c.tcp && c.tcptype == MSTURN_TCPTYPE_PASSIVE, "relay tcp passive");
    CHECK(strcmp(c.raddr, "10.48.54.230") == 0 && c.rport == 44338, "raddr %s:%u", c.raddr, c.rport);
    CHECK(msturn_sdp_candidate("candidate:1 1 TCP 2128609279 10.0.1.1 9 typ host tcptype active", &c) &&
          c.tcptype == MSTURN_TCPTYPE_ACTIVE && c.type == MSTURN_CAND_HOST && c.raddr[0] == '\0',
          "host active");
    CHECK(msturn_sdp_candidate("candidate:1 1 tcp 1 10.0.1.1 9 typ host tcptype so", &c) &&
          c.tcptype == MSTURN_TCPTYPE_SO, "simultaneous open");
    /* [MS-ICE2]: TCP-PASS / TCP-ACT name the TCP type themselves */
    CHECK(msturn_sdp_candidate("candidate:4 1 TCP-PASS 6556159 192.168.1.252 53577 typ relay "
                               "raddr 10.20.0.15 rport 50040", &c), "MS-ICE2");
    CHECK(c.tcp && c.tcptype == MSTURN_TCPTYPE_PASSIVE && c.type == MSTURN_CAND_RELAY &&
          c.port == 53577, "TCP-PASS relay");
    CHECK(msturn_sdp_candidate("candidate:2 1 TCP-ACT 2121006079 10.20.0.15 50041 typ host", &c) &&
          c.tcptype == MSTURN_TCPTYPE_ACTIVE, "TCP-ACT");
    /* IPv6 and UDP */
    CHECK(msturn_sdp_candidate("candidate:5 2 UDP 2130706430 2001:db8::5 50000 typ srflx "
                               "raddr 2001:db8::1 rport 1", &c) &&
          !c.tcp && c.type == MSTURN_CAND_SRFLX && strcmp(c.address, "2001:db8::5") == 0,
          "IPv6 UDP srflx");
    /* [MS-ICE] version 1: credentials in the candidate, q-value */
    CHECK(msturn_sdp_candidate("candidate:qkEaTYV1eBsfbd9Eun+mjDDhcqo3U5jC 1 HIGXtWshISMd4mjWodtUAw "
                               "UDP 0.830 10.1.1.1 12345", &c), "MS-ICE v1");
    CHECK(strcmp(c.ufrag, "qkEaTYV1eBsfbd9Eun+mjDDhcqo3U5jC") == 0 &&
          strcmp(c.pwd, "HIGXtWshISMd4mjWodtUAw") == 0 && c.port == 12345, "v1 credentials");
    CHECK(msturn_sdp_candidate("candidate:u 1 p TCP 1.000 10.1.1.1 443", &c) && c.tcp,
          "v1 q-value 1.000");
    /* A q-value is at most 1.0 and read the same in every locale; a dotted
     * address in its place is an RFC 5245 candidate, not [MS-ICE] v1. */
    CHECK(!msturn_sdp_candidate("candidate:u 1 p UDP 1.5 10.1.1.1 12345", &c), "q-value 1.5");
    CHECK(!msturn_sdp_candidate("candidate:u 1 p UDP 0.0.0.0 10.1.1.1 12345", &c), "q-value 0.0.0.0");
    CHECK(!msturn_sdp_candidate("candidate:u 1 p UDP 0,5 10.1.1.1 12345", &c), "q-value 0,5");
    /* not candidates */
    CHECK(!msturn_sdp_candidate("rtpmap:127 x-data/90000", &c), "rtpmap");
    CHECK(!msturn_sdp_candidate("candidate:1 1 tcp 1 10.0.1.1", &c), "cut short");
    CHECK(!msturn_sdp_candidate("candidate:1 1 tcp 1 10.0.1.1 70000 typ host", &c), "port > 65535");
    CHECK(!msturn_sdp_candidate("candidate:1 1 sctp 1 10.0.1.1 9 typ host", &c), "unknown transport");
    CHECK(!msturn_sdp_candidate("candidate:1 1 tcp 1 10.0.1.1 9 type host", &c), "no typ");
    /* credentials */
    CHECK(msturn_sdp_ice_ufrag("ice-ufrag:AoVy", v, sizeof v) && strcmp(v, "AoVy") == 0, "ufrag");
    CHECK(msturn_sdp_ice_pwd("ice-pwd:cmsLabIcePassword4TcpTurn", v, sizeof v) &&
          strlen(v) == sizeof v - 1, "password cut to the buffer: %s", v);
    CHECK(msturn_sdp_ice_ufrag("x-ice-ufrag:l0MR", v, sizeof v) && strcmp(v, "l0MR") == 0, "x- form");
    CHECK(!msturn_sdp_ice_ufrag("ice-ufragment:x", v, sizeof v), "other name");
    CHECK(!msturn_sdp_ice_pwd("ice-ufrag:AoVy", v, sizeof v), "ufrag is not pwd");
    return CHECK_DONE();
}

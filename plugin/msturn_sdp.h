/* msturn_sdp.h - pure readers of the SDP attribute values msturn needs
 * (RFC 8839 ICE attributes, RFC 6544 tcptype, [MS-ICE2] and [MS-ICE]
 * forms), given as Wireshark's SDP dissector shows them (sdp.media_attr,
 * sdp.session_attr: "name:value").  No epan dependency.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MSTURN_SDP_H
#define MSTURN_SDP_H

#include <stddef.h>
#include <stdint.h>

#define MSTURN_SDP_TEXT_MAX 128     /* longest ufrag, password or address kept */

typedef enum {
    MSTURN_CAND_HOST = 1, MSTURN_CAND_SRFLX, MSTURN_CAND_PRFLX, MSTURN_CAND_RELAY, MSTURN_CAND_OTHER
} msturn_cand_type;

typedef enum {
    MSTURN_TCPTYPE_NONE = 0, MSTURN_TCPTYPE_ACTIVE, MSTURN_TCPTYPE_PASSIVE, MSTURN_TCPTYPE_SO
} msturn_tcptype;

typedef struct {
    char             address[MSTURN_SDP_TEXT_MAX];
    uint16_t         port;
    int              tcp;          /* TCP, TCP-ACT, TCP-PASS (RFC 6544, [MS-ICE2] 2.2.1) */
    msturn_tcptype   tcptype;      /* RFC 6544 4.5, or implied by TCP-ACT / TCP-PASS */
    msturn_cand_type type;
    char             raddr[MSTURN_SDP_TEXT_MAX];   /* related address, "" if none */
    uint16_t         rport;
    /* [MS-ICE] (version 1) puts the credentials in the candidate itself */
    char             ufrag[MSTURN_SDP_TEXT_MAX];
    char             pwd[MSTURN_SDP_TEXT_MAX];
} msturn_candidate;

/* "candidate:..." (RFC 8839 5.1, [MS-ICE2] 2.2.1, [MS-ICE] 2.2.1); 1 if it
 * is one, 0 otherwise (*c then undefined). */
int msturn_sdp_candidate(const char *attr, msturn_candidate *c);

/* "ice-ufrag:X" / "ice-pwd:X" (RFC 8839 5.4; [MS-ICE2] and [MS-SDPEXT] use
 * the same names, some clients with an "x-" prefix): 1 and the value
 * copied into out (at most out_len - 1 bytes), 0 if attr is not that one. */
int msturn_sdp_ice_ufrag(const char *attr, char *out, size_t out_len);
int msturn_sdp_ice_pwd(const char *attr, char *out, size_t out_len);

#endif

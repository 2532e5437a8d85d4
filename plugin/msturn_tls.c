/* msturn_tls.c - STUN and TURN inside the TLS and DTLS that Wireshark
 * decrypts (a key log, tls.keylog_file).
 *
 * RFC 8656 3.1 carries TURN over TLS-over-TCP and DTLS-over-UDP (RFC 7350
 * 4), on port 5349 by default; clients behind firewalls use 443 as well.  TLS and DTLS hand their decrypted application
 * data to the dissector registered for the server's port (tls.port,
 * dtls.port) or, first, to their heuristic lists.  What msturn takes there
 * is decided by the same framing detection as on TCP and UDP, and then
 * dissected by the TCP and UDP layer (msturn_tcp.c) on the TCP connection's
 * or UDP flow's own state, so messages, transactions and sessions are the
 * same as without TLS.  No record that does not start with STUN is taken:
 * HTTPS stays HTTP.  The [MS-TURN] 2.1.3 pseudo-TLS on 443 is not TLS and
 * never reaches here; msturn_tcp.c shows it.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define MSTURN_COMPAT_TLS 1     /* msturn_tls_app_handle */
#include "msturn_tls.h"
#include "msturn_tcp.h"

/* RFC 8656 3.1: the default port of TURN over TLS and DTLS. */
#define TURNS_PORT 5349

static dissector_handle_t tls_app_handle;
static dissector_handle_t dtls_app_handle;

/* Decrypted TLS application data of a session msturn took (by the port, or
 * by the heuristic below, which makes it the session's dissector): the
 * connection's byte stream, as on TCP.  RFC 8656 12.5 frames ChannelData
 * over TLS as over TCP, padded to 4 bytes. */
static int
dissect_tls_app(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    return msturn_tcp_dissect_decrypted(tvb, pinfo, tree);
}

/* One decrypted DTLS record: a datagram of the UDP flow, as on UDP
 * (RFC 8656 12.5: ChannelData over DTLS needs no padding). */
static int
dissect_dtls_app(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    return msturn_udp_dissect_decrypted(tvb, pinfo, tree);
}

/* The first application data of a TLS session that names no dissector yet:
 * msturn's when it starts with a STUN message, whole or only its start (a
 * message may continue in the next records), as the TCP heuristic reads a
 * connection's first bytes.  ChannelData cannot come first (RFC 8656 12:
 * only after a ChannelBind).  TLS passes where it keeps the session's
 * dissector (msturn_compat.h): naming msturn's there sends the session's
 * later records to it, ChannelData and the rest of a split message
 * included. */
static msturn_heur_result
heur_tls(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    msturn_frame fr;
    unsigned avail = tvb_captured_length(tvb);
    dissector_handle_t *app_handle;

    if (avail < 8 ||
        msturn_frame_detect(tvb_get_ptr(tvb, 0, avail), avail, 0, &fr, NULL) != MSTURN_FRAME_OK ||
        fr.flavor == MSTURN_FLAVOR_NONE)
        return false;
    app_handle = msturn_tls_app_handle(data);
    if (app_handle != NULL)
        *app_handle = tls_app_handle;
    msturn_tcp_dissect_decrypted(tvb, pinfo, tree);
    return true;
}

/* A DTLS record holds one datagram: a whole STUN message, or ChannelData on
 * a flow that carried TURN requests (the UDP layer decides, as its own
 * heuristic does).  DTLS keeps no dissector from its heuristics: every
 * record on a port that names none (msturn.dtls.port) comes here. */
static msturn_heur_result
heur_dtls(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    return msturn_udp_dissect_decrypted(tvb, pinfo, tree) > 0;
}

void
msturn_tls_register(int proto)
{
    /* TLS and DTLS ask for registered names (their Export PDU) */
    tls_app_handle = register_dissector("msturn.tls", dissect_tls_app, proto);
    dtls_app_handle = register_dissector("msturn.dtls", dissect_dtls_app, proto);
}

void
msturn_tls_handoff(void)
{
    /* Only the application data of 5349 is msturn's (preferences
     * msturn.tls.port and msturn.dtls.port, and Decode As); TCP 5349 itself
     * is left to the TLS dissector's own heuristic, so that plain STUN on
     * that port (servers accept it there too) stays msturn's on TCP. */
    dissector_add_uint_with_preference("tls.port", TURNS_PORT, tls_app_handle);
    dissector_add_uint_with_preference("dtls.port", TURNS_PORT, dtls_app_handle);
    heur_dissector_add("tls", heur_tls, "MS-TURN/STUN over TLS", "msturn_tls", proto_msturn,
                       HEURISTIC_ENABLE);
    heur_dissector_add("dtls", heur_dtls, "MS-TURN/STUN over DTLS", "msturn_dtls", proto_msturn,
                       HEURISTIC_ENABLE);
}

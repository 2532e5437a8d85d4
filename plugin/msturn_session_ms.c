/* msturn_session_ms.c - an [MS-TURN] allocation as a session: the client's
 * Allocate on the Edge ([MS-TURN] 3.2.4.1), the relayed address of its
 * response (3.2.5.1: MAPPED-ADDRESS, and MS-ALTERNATE-MAPPED-ADDRESS for
 * IPv6; XOR-MAPPED-ADDRESS there is the client's reflexive address, not the
 * relay), the peers it sends to (Send Request and Set Active Destination:
 * DESTINATION-ADDRESS) or hears from (Data Indication: REMOTE-ADDRESS), and
 * the ICE checks relayed inside them, in [MS-TURN] 2.2.3 multiplexed packets
 * and in 2.1.4 end-to-end data frames.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "msturn_session_ms.h"
#include "msturn_session_store.h"

/* [MS-TURN] 2.2.1 message types this model follows. */
#define MS_SEND_REQUEST 0x0004
#define MS_SAD_REQUEST  0x0006
#define MS_SAD_RESPONSE 0x0106
#define MS_DATA_IND     0x0115
#define MS_SAD_ERROR    0x0116

static void
note_peer(msturn_session *s, packet_info *pinfo, const msturn_msg_info *m)
{
    /* every Send and Data names the peer again: index it the first time */
    if (!m->has_peer || msturn_store_link_to(s, &m->peer, m->peer_port) != NULL)
        return;
    msturn_store_add_link(s, pinfo, &m->peer, m->peer_port);
    msturn_store_note_peer(s, &m->peer, m->peer_port);
}

/* A Binding Request or Success Response inside the relayed data: the
 * client's when the client sent the message around it, else its peer's. */
static void
relayed_check(msturn_session *s, int from_client, const msturn_msg_info *m)
{
    if (m->method != MSTURN_METHOD_BINDING)
        return;
    if (m->cls == MSTURN_CLASS_REQUEST)
        s->ice |= from_client ? MSTURN_ICE_REQ_FROM_CLIENT : MSTURN_ICE_REQ_FROM_PEER;
    else if (m->cls == MSTURN_CLASS_SUCCESS)
        s->ice |= from_client ? MSTURN_ICE_OK_FROM_CLIENT : MSTURN_ICE_OK_FROM_PEER;
}

static void
allocate(packet_info *pinfo, msturn_session *s, const msturn_msg_info *m)
{
    int first = m->cls == MSTURN_CLASS_SUCCESS && !s->allocate_ok_frame;

    msturn_store_allocate_answer(s, pinfo, m);
    if (first) {
        if (m->has_ms_relay)
            msturn_store_set_relayed(s, &m->ms_relay, m->ms_relay_port);
        else if (m->has_ms_relay6)
            msturn_store_set_relayed(s, &m->ms_relay6, m->ms_relay6_port);
        else if (m->has_relayed)        /* an IETF-style response */
            msturn_store_set_relayed(s, &m->relayed, m->relayed_port);
        if (m->has_ms_relay && m->has_ms_relay6 && !s->has_relayed6) {
            msturn_store_set_endpoint(&s->relayed6, &m->ms_relay6, m->ms_relay6_port);
            s->has_relayed6 = 1;
        }
    }
    /* [MS-TURN] 3.2.4.1: an Allocate with LIFETIME 0 deallocates */
    if (m->cls == MSTURN_CLASS_SUCCESS && m->has_lifetime && m->lifetime == 0)
        s->deallocated = 1;
}

void
msturn_ms_update(packet_info *pinfo, msturn_session *s, int from_client, const msturn_msg_info *m)
{
    /* Once Set Active Destination is answered, the client's plain data on
     * this flow goes to the peer ([MS-TURN] 3.2.4.6, 3.2.5.6): a Binding
     * message then is an ICE check, not a request to the Edge. */
    if (m->nested || (m->method == MSTURN_METHOD_BINDING && s->sad_ok_frame &&
                      s->sad_ok_frame < pinfo->num)) {
        relayed_check(s, from_client, m);
        return;
    }
    if (m->method == MSTURN_METHOD_ALLOCATE) {
        allocate(pinfo, s, m);
        return;
    }
    if (m->method == MSTURN_METHOD_REFRESH && m->cls == MSTURN_CLASS_SUCCESS && m->has_lifetime) {
        s->lifetime = m->lifetime;      /* an RFC 5389 Refresh on the same connection */
        s->lifetime_from = pinfo->abs_ts;
        if (m->lifetime == 0)
            s->deallocated = 1;
        return;
    }
    if (m->ms_type == NULL)
        return;
    switch (m->type) {
    case MS_SEND_REQUEST:
    case MS_DATA_IND:
        note_peer(s, pinfo, m);
        break;
    case MS_SAD_REQUEST:
        if (!s->sad_frame)
            s->sad_frame = pinfo->num;
        note_peer(s, pinfo, m);
        break;
    case MS_SAD_RESPONSE:
        if (!s->sad_ok_frame)
            s->sad_ok_frame = pinfo->num;
        s->sad_error = 0;
        break;
    case MS_SAD_ERROR:
        /* 401 and 438 are the digest handshake, not a failure */
        if (m->has_error && m->error_code != 401 && m->error_code != 438 && !s->sad_ok_frame)
            s->sad_error = m->error_code;
        break;
    default:
        break;
    }
}

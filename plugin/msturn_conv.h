/* msturn_conv.h - the state msturn keeps per TCP connection or UDP flow,
 * attached to Wireshark's conversation.  The bottom of the per-frame path:
 * the TCP/UDP loop finds it once per frame and hands it down to the
 * message and session layers; it calls nothing of the plugin.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MSTURN_CONV_H
#define MSTURN_CONV_H

#include "msturn.h"

/* Per-TCP/UDP-conversation state, in file scope.  Each "since" member is the
 * first frame from which a property holds (0: never), so that a frame is
 * dissected the same way in every pass. */
struct msturn_session;

typedef struct {
    uint32_t    known_since;
    uint32_t    ms_framing_since;
    uint32_t    relay4571_since;
    uint32_t    channels_since;
    uint32_t    turn_since;          /* a TURN method (RFC 8656 13) seen on this 5-tuple */
    /* channel number -> first frame it is bound from (ChannelBind success,
     * RFC 8656 11); the number asked for by the last ChannelBind request */
    wmem_map_t *bound_channels;
    uint16_t    requested_channel;
    uint32_t    relay_since;         /* after ConnectionBind success: peer bytes */
    int         pseudo_tls;          /* [MS-TURN] 2.1.3 pseudo-TLS before the framing */
    int         flow_claimed;        /* the UDP 5-tuple's conversation names msturn */
    wmem_map_t *transactions;
    /* the side that sent the first request: tells direction */
    address     client_addr;
    uint16_t    client_port;
    int         has_client;
    /* the presentation session this connection belongs to */
    struct msturn_session *session;
    int         role;                /* msturn_role */
    int         link;                /* index of its link in the session, or -1 */
    /* first pass: the TURN relay peer whose data this frame's last Send or
     * Data indication or ChannelData carried (index + 1), for the ICE check
     * inside it */
    unsigned    relay_peer;
    uint32_t    relay_peer_frame;
    uint32_t    unknown_cid_frame;   /* ConnectionBind with an unknown CONNECTION-ID */
} msturn_conv;

/* The state of the frame's conversation, NULL if msturn has none. */
msturn_conv *msturn_conv_find(packet_info *pinfo);
/* The state of a conversation found already: as it is (NULL if none), or
 * made if it has none. */
msturn_conv *msturn_conv_peek(conversation_t *c);
msturn_conv *msturn_conv_of(conversation_t *c);
/* The state of the frame's conversation, conversation and state made if
 * needed. */
msturn_conv *msturn_conv_find_or_create(packet_info *pinfo);

/* The framing context (MSTURN_CTX_*) that holds on the connection at frame. */
unsigned msturn_conv_ctx(const msturn_conv *c, uint32_t frame);

/* Has the property that holds from frame s on ("since" members) started? */
static inline int
msturn_since(uint32_t s, uint32_t frame)
{
    return s != 0 && frame >= s;
}

/* First pass: the property holds from this frame on, unless it did before. */
void msturn_mark_since(uint32_t *s, const packet_info *pinfo);

/* Per-frame data of msturn (p_add_proto_data keys in pinfo->pool). */
#define MSTURN_PDATA_SESSION 0   /* the session the frame was attributed to */
#define MSTURN_PDATA_SEEN    1   /* msturn's TCP or UDP dissector took the frame */

#endif

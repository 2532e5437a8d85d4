/* msturn_session_relay.h - IETF TURN relays (RFC 8656) in the session
 * model: an allocation's peers, their permissions and channels, what went
 * through the relay each way and the ICE checks inside it.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MSTURN_SESSION_RELAY_H
#define MSTURN_SESSION_RELAY_H

#include "msturn_session_model.h"
#include "msturn_conv.h"

void msturn_relay_register(int proto);

/* First pass: a message of the allocation's 5-tuple, or (m->nested) one
 * relayed inside the DATA or ChannelData just read; from_client: sent by the
 * allocation's client. */
void msturn_relay_update(packet_info *pinfo, msturn_session *s, msturn_conv *conv, int from_client,
                         const msturn_msg_info *m);

/* Every pass: the peer items and expert items of a message of s. */
void msturn_relay_items(tvbuff_t *tvb, packet_info *pinfo, proto_item *top, proto_tree *tree,
                        const msturn_session *s, const msturn_msg_info *m);

/* Every pass: ChannelData (RFC 8656 12.4) of len bytes on channel, on the
 * 5-tuple of s: counted for its peer in the first pass, its items in tree. */
void msturn_relay_channel_data(tvbuff_t *tvb, packet_info *pinfo, proto_item *top, proto_tree *tree,
                               msturn_session *s, msturn_conv *conv, int from_client,
                               uint16_t channel, unsigned len);

#endif

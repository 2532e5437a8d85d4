/* msturn_session.h - the session model as the dissection drives it: per
 * decoded message, per frame of a connection msturn follows, per SIP
 * message of a session's dialog.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MSTURN_SESSION_H
#define MSTURN_SESSION_H

#include "msturn_session_model.h"
#include "msturn_conv.h"

void msturn_session_register(int proto, module_t *module);

/* The msturn.sessions preference: with it off, no session is made, no frame
 * stamped and the sessions table stays empty (the same work as the built-in
 * STUN dissector, for tools/bench.sh). */
bool msturn_sessions_enabled(void);

/* Called for every decoded message on a TCP conversation. */
void msturn_session_message(tvbuff_t *tvb, packet_info *pinfo, proto_item *top, proto_tree *tree,
                            msturn_conv *conv, const msturn_msg_info *m);
/* ChannelData (RFC 8656 12.4) of len bytes on the frame's 5-tuple: counted
 * for its TURN relay peer, items under tree. */
void msturn_session_channel_data(tvbuff_t *tvb, packet_info *pinfo, proto_item *top, proto_tree *tree,
                                 msturn_conv *conv, uint16_t channel, unsigned len);
/* Called once per TCP frame that msturn dissected: binds the conversation to
 * a session (peer connections) and adds msturn.session / .role. */
void msturn_session_frame(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, msturn_conv *conv);

/* Post-dissection of every frame (msturn_post.c): a frame msturn's dissector
 * did not take (SYN, ACK, FIN, another dissector's) on a session's
 * connection gets its session too. */
void msturn_session_stamp_frame(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree);

/* A SIP frame of the dialog linked to s (msturn_sip.c): msturn.session,
 * role "sip" and the Call-ID. */
void msturn_session_signalling(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, msturn_session *s);

#endif

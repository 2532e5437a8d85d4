/* msturn_sip.h - the presentation's SIP dialog, read from the SIP messages
 * of the frames Wireshark's SIP dissector decoded.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MSTURN_SIP_H
#define MSTURN_SIP_H

#include "msturn.h"

void msturn_sip_register(int proto, module_t *module);
void msturn_sip_handoff(void);
/* Post-dissection of every frame (msturn_post.c): the SIP messages of a frame
 * Wireshark decoded as SIP. */
void msturn_sip_frame(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree);

#endif

/* msturn_post.c - msturn's post-dissector: once per frame, after every
 * dissector, the session of a frame msturn's dissector did not take
 * (msturn_session.c), then the SIP messages the frame carries
 * (msturn_sip.c).  One post-dissector for both: each one Wireshark calls
 * costs every frame of every capture a dissector call.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "msturn_post.h"
#include "msturn_session.h"
#include "msturn_sip.h"

static int
post_frame(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    msturn_session_stamp_frame(tvb, pinfo, tree);
    msturn_sip_frame(tvb, pinfo, tree);
    return 0;
}

void
msturn_post_register(int proto)
{
    register_postdissector(create_dissector_handle(post_frame, proto));
}

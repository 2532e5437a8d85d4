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

static protocol_t *msturn_protocol;

/* The handle names no protocol: Wireshark then calls it without entering a
 * protocol layer for it (enabled check, layer added and removed, current
 * protocol saved and restored), some 550 instructions a frame on Wireshark
 * 4.0, 1.5 % of the dissection of short TCP segments that are not STUN.
 * The check and the name that expert items and exceptions carry are set
 * here instead.  Nothing is left in the frame's protocol list either way:
 * a post-dissector returns 0, which removes its layer. */
static int
post_frame(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    const char *saved = pinfo->current_proto;

    if (!proto_is_protocol_enabled(msturn_protocol))
        return 0;
    pinfo->current_proto = "MSTURN";
    msturn_session_stamp_frame(tvb, pinfo, tree);
    msturn_sip_frame(tvb, pinfo, tree);
    pinfo->current_proto = saved;
    return 0;
}

void
msturn_post_register(int proto)
{
    msturn_protocol = find_protocol_by_id(proto);
    register_postdissector(create_dissector_handle(post_frame, -1));
}

/* msturn_conv.c - msturn's state per TCP connection or UDP flow, kept as the
 * conversation's protocol data (README.request_response_tracking), and the
 * protocol's id, which every layer needs to add items and per-frame data.
 *
 * Both live here, at the bottom, so that no layer calls up for them: the
 * TCP/UDP loop looks the conversation up once per frame and passes it down.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "msturn_conv.h"

int proto_msturn = -1;          /* set by proto_register_msturn() */

msturn_conv *
msturn_conv_peek(conversation_t *c)
{
    return c ? (msturn_conv *)conversation_get_proto_data(c, proto_msturn) : NULL;
}

msturn_conv *
msturn_conv_of(conversation_t *c)
{
    msturn_conv *mc;

    if (c == NULL)
        return NULL;
    mc = (msturn_conv *)conversation_get_proto_data(c, proto_msturn);
    if (mc == NULL) {
        mc = wmem_new0(wmem_file_scope(), msturn_conv);
        conversation_add_proto_data(c, proto_msturn, mc);
    }
    return mc;
}

msturn_conv *
msturn_conv_find(packet_info *pinfo)
{
    return msturn_conv_peek(find_conversation_pinfo(pinfo, 0));
}

msturn_conv *
msturn_conv_find_or_create(packet_info *pinfo)
{
    return msturn_conv_of(find_or_create_conversation(pinfo));
}

unsigned
msturn_conv_ctx(const msturn_conv *c, uint32_t frame)
{
    unsigned ctx = 0;
    if (c == NULL)
        return 0;
    if (msturn_since(c->known_since, frame))
        ctx |= MSTURN_CTX_KNOWN;
    if (msturn_since(c->ms_framing_since, frame))
        ctx |= MSTURN_CTX_MS_FRAMING;
    if (msturn_since(c->relay4571_since, frame))
        ctx |= MSTURN_CTX_RELAY4571;
    if (msturn_since(c->channels_since, frame))
        ctx |= MSTURN_CTX_CHANNELS;
    return ctx;
}

void
msturn_mark_since(uint32_t *s, const packet_info *pinfo)
{
    if (*s == 0 && !PINFO_FD_VISITED(pinfo))
        *s = pinfo->num;
}

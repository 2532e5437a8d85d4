/* msturn_message.h - one STUN message, tvb holding exactly that message:
 * header, transaction, attributes, Info text (msturn_message.c).
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MSTURN_MESSAGE_H
#define MSTURN_MESSAGE_H

#include "msturn_conv.h"

void msturn_message_register(int proto);
/* Fills *info; info->header_only: only the header was read (a later pass
 * with nothing to show: no tree, no columns, no expert listener). */
int  msturn_dissect_message(tvbuff_t *tvb, packet_info *pinfo, proto_item *top, proto_tree *tree,
                            msturn_conv *conv, msturn_flavor flavor, int nested,
                            msturn_msg_info *info);

#endif

/* msturn_attrs.h - the attributes of one message (msturn_attrs.c).
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MSTURN_ATTRS_H
#define MSTURN_ATTRS_H

#include "msturn.h"

void msturn_attrs_register(int proto);
void msturn_dissect_attributes(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                               proto_item *msg_item, msturn_msg_info *info, wmem_strbuf_t *summary);
int  msturn_first_attr_is_ms_cookie(tvbuff_t *tvb);

#endif

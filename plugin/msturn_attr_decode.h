/* msturn_attr_decode.h - the value decoders of the attributes, one per value
 * kind (msturn_attr_decode.c), called by the attribute loop (msturn_attrs.c).
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MSTURN_ATTR_DECODE_H
#define MSTURN_ATTR_DECODE_H

#include "msturn.h"
#include "msturn_attr_fields.h"

/* One attribute being decoded. */
typedef struct {
    tvbuff_t        *msg;       /* the whole STUN message */
    packet_info     *pinfo;
    proto_tree      *tree;      /* the attribute's subtree */
    proto_item      *item;      /* the attribute's item */
    const msturn_attr_def *def; /* its row of the attribute table */
    const msturn_attr_hf  *f;   /* its fields */
    int              off;       /* value offset within msg */
    int              len;       /* value length */
    msturn_msg_info *info;
    wmem_strbuf_t   *summary;   /* Info column text, in pinfo->pool */
} msturn_att;

/* An item of the attribute's subtree.  With no tree (nothing shows msturn's
 * items) it would only check its bounds, which lie inside the attribute's,
 * checked once by the attribute loop. */
static inline proto_item *
msturn_att_item(const msturn_att *a, int hf, tvbuff_t *tvb, int off, int len, unsigned enc)
{
    return a->tree ? proto_tree_add_item(a->tree, hf, tvb, off, len, enc) : NULL;
}

/* Decodes the value of a known attribute (a->def and a->f set). */
void msturn_attr_decode(msturn_att *a);
/* Shows len bytes at off as the raw value msturn.att.value. */
void msturn_attr_raw(const msturn_att *a, int off, int len);

void msturn_attr_decode_register(int proto);

#endif

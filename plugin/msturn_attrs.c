/* msturn_attrs.c - the attributes of one message: the loop that walks them,
 * their common fields (type, length, padding) and the expert items of the
 * attribute layout.
 *
 * Each attribute's value goes to the decoder of its value kind
 * (msturn_attr_decode.c), shown in the fields the attribute table gives it
 * (msturn_attr_fields.c).
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "msturn_attrs.h"
#include "msturn_attr_decode.h"
#include "msturn_framing.h"

#include <string.h>

static int hf_att = -1;
static int hf_att_type = -1;
static int hf_att_type_ms = -1;     /* the same field, labelled in [MS-TURN]'s numbering */
static int hf_att_length = -1;
static int hf_att_padding = -1;

static int ett_att = -1;

static expert_field ei_att_overrun = EI_INIT;
static expert_field ei_att_unknown_required = EI_INIT;
static expert_field ei_att_unknown_optional = EI_INIT;
static expert_field ei_att_after_fingerprint = EI_INIT;
static expert_field ei_att_trailing = EI_INIT;
static expert_field ei_att_truncated_header = EI_INIT;

/* The fields of a row: its table's row of the same index. */
static const msturn_attr_hf *
fields_of(const msturn_attr_def *d)
{
    if (d >= msturn_attr_ietf && d < msturn_attr_ietf + msturn_attr_ietf_count)
        return &msturn_attr_hf_ietf[d - msturn_attr_ietf];
    if (d >= msturn_attr_microsoft && d < msturn_attr_microsoft + msturn_attr_microsoft_count)
        return &msturn_attr_hf_microsoft[d - msturn_attr_microsoft];
    return &msturn_attr_hf_legacy[d - msturn_attr_legacy];
}

void
msturn_attrs_register(int proto)
{
    static hf_register_info hf[] = {
        { &hf_att,
          { "Attribute", "msturn.att", FT_NONE, BASE_NONE, NULL, 0x0,
            "One STUN/TURN attribute", HFILL } },
        { &hf_att_type,
          { "Attribute Type", "msturn.att.type", FT_UINT16, BASE_HEX,
            VALS(msturn_att_type_vals), 0x0, NULL, HFILL } },
        { &hf_att_type_ms,
          { "Attribute Type", "msturn.att.type", FT_UINT16, BASE_HEX,
            VALS(msturn_att_type_vals_ms), 0x0,
            "Attribute type of a message in Microsoft's dialect ([MS-TURN] 2.2.2 numbering)", HFILL } },
        { &hf_att_length,
          { "Attribute Length", "msturn.att.length", FT_UINT16, BASE_DEC, NULL, 0x0,
            NULL, HFILL } },
        { &hf_att_padding,
          { "Padding", "msturn.att.padding_bytes", FT_BYTES, BASE_NONE, NULL, 0x0,
            "Bytes that align the attribute to 4 bytes (RFC 8489 14)", HFILL } },
    };
    static int *ett[] = { &ett_att };
    static ei_register_info ei[] = {
        { &ei_att_overrun, { "msturn.att.overrun", PI_MALFORMED, PI_ERROR,
            "Attribute runs past the end of the message", EXPFILL } },
        /* RFC 8489 14: an agent answers an unknown comprehension-required
         * attribute with 420; the message itself is well formed */
        { &ei_att_unknown_required, { "msturn.att.unknown.required", PI_PROTOCOL, PI_WARN,
            "Unknown comprehension-required attribute", EXPFILL } },
        { &ei_att_unknown_optional, { "msturn.att.unknown.optional", PI_UNDECODED, PI_NOTE,
            "Unknown comprehension-optional attribute", EXPFILL } },
        { &ei_att_after_fingerprint, { "msturn.att.after_fingerprint", PI_PROTOCOL, PI_WARN,
            "Attribute after FINGERPRINT (RFC 8489 14.7)", EXPFILL } },
        { &ei_att_trailing, { "msturn.att.trailing", PI_MALFORMED, PI_ERROR,
            "Bytes left over after the last attribute", EXPFILL } },
        { &ei_att_truncated_header, { "msturn.att.truncated", PI_MALFORMED, PI_ERROR,
            "Attribute header cut short by the end of the message", EXPFILL } },
    };
    expert_module_t *em;

    proto_register_field_array(proto, hf, array_length(hf));
    msturn_attr_fields_register(proto);
    msturn_attr_decode_register(proto);
    proto_register_subtree_array(ett, array_length(ett));
    em = expert_register_protocol(proto);
    expert_register_field_array(em, ei, array_length(ei));
}

int
msturn_first_attr_is_ms_cookie(tvbuff_t *tvb)
{
    unsigned n = MIN(tvb_captured_length(tvb), 28u);
    return msturn_has_ms_cookie_attr(tvb_get_ptr(tvb, 0, n), n);
}

/* Padded (RFC 8489 14) or not ([MS-TURN] 2.2.2, RFC 3489 11.2)?  Decided once
 * per message: the reading under which the attributes end exactly where the
 * header says, trying first the one the message's dialect uses; when neither
 * fits (a lying length), the dialect's. */
static int
message_padded(tvbuff_t *tvb, int end, const msturn_msg_info *info)
{
    int unpadded_first = info->microsoft || info->flavor != MSTURN_FLAVOR_RFC5389;
    int have = (int)tvb_captured_length(tvb);
    int n = MIN(have, end) - MSTURN_HEADER_LEN;
    msturn_attr_layout l;

    if (n <= 0)
        return !unpadded_first;
    l = msturn_attr_layout_of(tvb_get_ptr(tvb, MSTURN_HEADER_LEN, n), (size_t)n, unpadded_first);
    if (l == MSTURN_LAYOUT_BROKEN)
        return !unpadded_first;
    return l == MSTURN_LAYOUT_PADDED;
}

void
msturn_dissect_attributes(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                          proto_item *msg_item, msturn_msg_info *info, wmem_strbuf_t *summary)
{
    int end = MSTURN_HEADER_LEN + tvb_get_ntohs(tvb, 2);
    int off = MSTURN_HEADER_LEN;
    int seen_fingerprint = 0;
    int padded = message_padded(tvb, end, info);

    while (off < end) {
        msturn_att a;
        proto_item *ti;
        uint16_t type, len;
        int next, pad;

        if (end - off < 4) {
            proto_tree_add_expert(tree, pinfo, &ei_att_truncated_header, tvb, off, end - off);
            return;
        }
        type = tvb_get_ntohs(tvb, off);
        len = tvb_get_ntohs(tvb, off + 2);
        pad = padded ? (4 - (len & 3)) & 3 : 0;
        next = off + 4 + len + pad;

        memset(&a, 0, sizeof a);
        a.msg = tvb;
        a.pinfo = pinfo;
        a.info = info;
        a.summary = summary;
        a.def = msturn_attr_lookup(type, info->microsoft);
        a.off = off + 4;
        a.len = len;

        if (tree != NULL) {
            ti = proto_tree_add_item(tree, hf_att, tvb, off, (next <= end ? next : end) - off, ENC_NA);
        } else {
            /* the bounds check the item would make, and no item */
            tvb_ensure_bytes_exist(tvb, off, (next <= end ? next : end) - off);
            ti = NULL;
        }
        a.item = ti;
        a.tree = proto_item_add_subtree(ti, ett_att);
        if (a.def)
            proto_item_set_text(ti, "%s", a.def->name);
        else
            proto_item_set_text(ti, "Unknown attribute 0x%04x (comprehension-%s)", type,
                                type < 0x8000 ? "required" : "optional");
        msturn_att_item(&a, info->microsoft ? hf_att_type_ms : hf_att_type, tvb, off, 2, ENC_BIG_ENDIAN);
        msturn_att_item(&a, hf_att_length, tvb, off + 2, 2, ENC_BIG_ENDIAN);

        if (seen_fingerprint)
            expert_add_info(pinfo, ti, &ei_att_after_fingerprint);

        if (off + 4 + len > end) {
            expert_add_info_format(pinfo, ti, &ei_att_overrun,
                                   "Attribute length %u runs %d bytes past the end of the message",
                                   len, off + 4 + len - end);
            msturn_attr_raw(&a, off + 4, end - off - 4);
            return;
        }

        if (a.def == NULL) {
            expert_add_info(pinfo, ti, type < 0x8000 ? &ei_att_unknown_required
                                                     : &ei_att_unknown_optional);
            if (len)
                msturn_attr_raw(&a, off + 4, len);
        } else {
            a.f = fields_of(a.def);
            msturn_attr_decode(&a);
            if (a.def->kind == MSTURN_VK_FINGERPRINT)
                seen_fingerprint = 1;
        }
        if (pad && next <= end)
            msturn_att_item(&a, hf_att_padding, tvb, off + 4 + len, pad, ENC_NA);
        off = next;
    }
    if (off > end)
        expert_add_info(pinfo, msg_item, &ei_att_trailing);
}

/* msturn_tcp.c - STUN inside TCP (and, optionally, UDP): framing, reassembly,
 * heuristics and relayed data.
 *
 * One TCP segment may hold several PDUs and one PDU may span segments; the
 * loop below asks the pure framing code what starts at each offset and asks
 * TCP for more bytes when a PDU is incomplete (README.dissector 2.7.2).
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "msturn_tcp.h"
#include "msturn_conv.h"
#include "msturn_message.h"
#include "msturn_session.h"
#include "msturn_methods.h"
#include "msturn_media.h"
#include "msturn_view.h"

#include <epan/dissectors/packet-tcp.h>
#include <epan/proto_data.h>
#include <epan/exceptions.h>
#include <epan/show_exception.h>
#include <string.h>

static dissector_handle_t msturn_tcp_handle;
static dissector_handle_t msturn_udp_handle;

static heur_dissector_list_t relay_heur_list;
static heur_dissector_list_t stun_heur_list;    /* the built-in STUN dissector's, for ChannelData */
static dissector_handle_t rtp_handle;
static dissector_handle_t rtcp_handle;
static dissector_handle_t dtls_handle;

static int hf_framing = -1;
static int hf_framing_length = -1;
static int hf_framing_reserved = -1;
static int hf_channel = -1;
static int hf_channel_length = -1;
static int hf_relayed = -1;
static int hf_padding = -1;
static int hf_garbage = -1;
static int hf_udp_trailing = -1;
static int hf_srtcp = -1;
static int hf_srtcp_type = -1;
static int hf_srtcp_ssrc = -1;
static int hf_pseudo_tls = -1;
static int hf_mux_channel = -1;
static int hf_mux_length = -1;
static int hf_mux_session = -1;

static int ett_framing = -1;
static int ett_relayed = -1;

static expert_field ei_garbage = EI_INIT;
static expert_field ei_truncated = EI_INIT;
static expert_field ei_too_deep = EI_INIT;
static expert_field ei_pseudo_tls = EI_INIT;
static expert_field ei_udp_length = EI_INIT;
static expert_field ei_udp_trailing = EI_INIT;
static expert_field ei_channel_unbound = EI_INIT;

static const value_string framing_vals[] = {
    { MSTURN_FRAMING_RAW,         "None (raw STUN)" },
    { MSTURN_FRAMING_RFC4571,     "RFC 4571 length prefix" },
    { MSTURN_FRAMING_MS_CONTROL,  "MS-TURN TCP framing, control message" },
    { MSTURN_FRAMING_MS_DATA,     "MS-TURN TCP framing, end-to-end data" },
    { MSTURN_FRAMING_CHANNELDATA, "TURN ChannelData" },
    { MSTURN_FRAMING_MS_MULTIPLEXED, "MS-TURN multiplexed TURN" },
    { MSTURN_FRAMING_DATA_ATTR,   "Inside a DATA attribute" },
    { 0, NULL }
};

/* RFC 3550 12.1 and RFC 4585 6.1: the types an SRTCP packet may start with. */
static const value_string srtcp_type_vals[] = {
    { 200, "Sender Report" },
    { 201, "Receiver Report" },
    { 205, "Generic RTP Feedback" },
    { 206, "Payload-specific Feedback" },
    { 0, NULL }
};

/* ---- one PDU ------------------------------------------------------------ */

/* The peer's datagram, whole in hand, as msturn_media_classify reads it. */
static msturn_media_kind
media_kind(tvbuff_t *tvb)
{
    unsigned len = tvb_captured_length(tvb);

    if (len == 0 || len != tvb_reported_length(tvb))
        return MSTURN_MEDIA_NONE;
    return msturn_media_classify(tvb_get_ptr(tvb, 0, len), len);
}

/* msturn.relayed_media: relayed datagrams handed to the RTP, RTCP and DTLS
 * dissectors and the built-in STUN dissector's heuristics (on by default). */
static msturn_pref_bool pref_relayed_media = true;

/* RFC 3711 3.4: of an SRTCP packet only the first RTCP header and sender
 * SSRC are in the clear; the rest (encrypted portion, E flag and index,
 * authentication tag) has no boundary a reader without the keys can find. */
static void
add_srtcp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree)
{
    proto_item *ti = proto_tree_add_item(tree, hf_srtcp, tvb, 0, -1, ENC_NA);
    proto_tree *st = proto_item_add_subtree(ti, ett_relayed);

    proto_tree_add_item(st, hf_srtcp_type, tvb, 1, 1, ENC_BIG_ENDIAN);
    proto_tree_add_item(st, hf_srtcp_ssrc, tvb, 4, 4, ENC_BIG_ENDIAN);
    col_append_sep_fstr(pinfo->cinfo, COL_INFO, ", ", "SRTCP (%u bytes)", tvb_reported_length(tvb));
}

/* Relayed bytes: the peer's, on a data or peer connection.  framed: they
 * are one datagram of the peer's (an RFC 4571 frame, which on an ICE-TCP
 * path, RFC 6544 3, holds one RTP or RTCP packet once the checks are done;
 * a DATA attribute; ChannelData).  Only what passes the strict checks of
 * msturn_media.c goes to the RTP, RTCP and DTLS dissectors. */
static void
dissect_relayed(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, proto_tree *root, int framed)
{
    heur_dtbl_entry_t *hdtbl_entry;
    unsigned len = tvb_reported_length(tvb);
    msturn_media_kind kind = MSTURN_MEDIA_NONE;

    if (len == 0)
        return;
    /* RTP and RTCP are handed over only to be shown: with nothing to show
     * them (no tree, no columns, no tap of theirs), the bytes are all; the
     * same when the user turned the hand-off off */
    if (!pref_relayed_media || !msturn_media_wanted(pinfo, root)) {
        proto_tree_add_item(tree, hf_relayed, tvb, 0, -1, ENC_NA);
        return;
    }
    if (dissector_try_heuristic(relay_heur_list, tvb, pinfo, root, &hdtbl_entry, NULL))
        return;
    if (framed)
        kind = media_kind(tvb);
    if (kind == MSTURN_MEDIA_RTP && rtp_handle)
        call_dissector(rtp_handle, tvb, pinfo, root);
    else if (kind == MSTURN_MEDIA_RTCP && rtcp_handle)
        call_dissector(rtcp_handle, tvb, pinfo, root);
    else if (kind == MSTURN_MEDIA_DTLS && dtls_handle)
        call_dissector(dtls_handle, tvb, pinfo, root);
    else if (kind == MSTURN_MEDIA_SRTCP)
        add_srtcp(tvb, pinfo, tree);
    else {
        proto_tree_add_item(tree, hf_relayed, tvb, 0, -1, ENC_NA);
        col_append_sep_fstr(pinfo->cinfo, COL_INFO, ", ", "Relayed data (%u bytes)", len);
    }
}

/* [MS-TURN] 2.2.3 header of a multiplexed TURN packet at offset 0. */
static void
add_mux_header(tvbuff_t *tvb, proto_tree *tree)
{
    proto_tree_add_item(tree, hf_mux_channel, tvb, 0, 2, ENC_BIG_ENDIAN);
    proto_tree_add_item(tree, hf_mux_length, tvb, 2, 2, ENC_BIG_ENDIAN);
    proto_tree_add_item(tree, hf_mux_session, tvb, 4, MSTURN_MUX_SESSION_ID_LEN, ENC_BIG_ENDIAN);
}

/* RFC 8656 11: a ChannelBind request names the channel (CHANNEL-NUMBER),
 * its success response binds it on this 5-tuple.  Learned in the first pass
 * only, as the frame from which it holds. */
static void
note_channel_bind(msturn_conv *conv, packet_info *pinfo, const msturn_msg_info *info)
{
    if (PINFO_FD_VISITED(pinfo))
        return;
    if (info->cls == MSTURN_CLASS_REQUEST && info->has_channel) {
        conv->requested_channel = info->channel;
    } else if (info->cls == MSTURN_CLASS_SUCCESS) {
        msturn_mark_since(&conv->channels_since, pinfo);
        if (conv->requested_channel) {
            if (conv->bound_channels == NULL)
                conv->bound_channels = wmem_map_new(wmem_file_scope(), g_direct_hash, g_direct_equal);
            if (!wmem_map_contains(conv->bound_channels, GUINT_TO_POINTER(conv->requested_channel)))
                wmem_map_insert(conv->bound_channels, GUINT_TO_POINTER(conv->requested_channel),
                                GUINT_TO_POINTER(pinfo->num));
        }
    }
}

/* RFC 8656 13: the methods only a TURN client and server exchange. */
static int
is_turn_method(unsigned method)
{
    switch (method) {
    case MSTURN_METHOD_ALLOCATE:
    case MSTURN_METHOD_REFRESH:
    case MSTURN_METHOD_SEND:
    case MSTURN_METHOD_DATA:
    case MSTURN_METHOD_CREATE_PERMISSION:
    case MSTURN_METHOD_CHANNEL_BIND:
        return 1;
    default:
        return 0;
    }
}

/* Was channel bound on this 5-tuple by the time of this frame? */
static int
channel_bound(const msturn_conv *conv, const packet_info *pinfo, uint16_t channel)
{
    unsigned from;
    if (conv == NULL || conv->bound_channels == NULL)
        return 0;
    from = GPOINTER_TO_UINT(wmem_map_lookup(conv->bound_channels, GUINT_TO_POINTER(channel)));
    return from != 0 && pinfo->num >= from;
}

/* Nesting allowed for what one message carries: a DATA attribute holding
 * a multiplexed packet holding a message is as deep as real clients go. */
#define MAX_CONTENTS_DEPTH 3

static void dissect_contents(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, proto_tree *root,
                             msturn_conv *conv, int depth, msturn_framing_kind raw_as);

/* One STUN message in place, with the framing it sat in; then what its DATA
 * attribute carries. */
static void
dissect_one_message(tvbuff_t *tvb, packet_info *pinfo, proto_item *ti, proto_tree *mt,
                    proto_tree *root, msturn_conv *conv, msturn_flavor flavor, int depth)
{
    msturn_msg_info info;

    msturn_dissect_message(tvb, pinfo, ti, mt, conv, flavor, depth > 0, &info);
    /* a message inside another's DATA is the peer's (an ICE check relayed
     * by an [MS-TURN] server): the session counts it as relayed */
    if (!info.header_only)
        msturn_session_message(tvb, pinfo, ti, mt, conv, &info);
    /* RFC 8656 12: after a ChannelBind success, ChannelData may follow. */
    if (info.method == MSTURN_METHOD_CHANNEL_BIND && depth == 0 && conv)
        note_channel_bind(conv, pinfo, &info);
    if (depth == 0 && conv && is_turn_method(info.method))
        msturn_mark_since(&conv->turn_since, pinfo);
    /* [MS-TURN] Send Requests and Data Indications, TURN Send and Data
     * indications: the DATA value is what the peer sent or receives. */
    if (info.has_data && info.data_len > 0)
        dissect_contents(tvb_new_subset_length(tvb, info.data_off, info.data_len), pinfo,
                         info.data_tree, root, conv, depth + 1, MSTURN_FRAMING_DATA_ATTR);
}

/* What a DATA attribute, a multiplexed packet or an [MS-TURN] end-to-end
 * frame carries: a STUN message of its own (an ICE check: every msturn
 * field, its FINGERPRINT and MESSAGE-INTEGRITY checked), a multiplexed
 * packet, RTP or RTCP for their dissectors, or bytes.  raw_as: the framing
 * a message found there is shown with (inside a DATA attribute, or the
 * ChannelData it came in). */
static void
dissect_contents(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, proto_tree *root,
                 msturn_conv *conv, int depth, msturn_framing_kind raw_as)
{
    unsigned avail = tvb_captured_length(tvb);
    msturn_frame fr;
    int stun = avail == tvb_reported_length(tvb) &&
               msturn_datagram_detect(tvb_get_ptr(tvb, 0, avail), avail, 1, &fr) == MSTURN_FRAME_OK &&
               fr.pdu_len == avail;

    /* a message inside a message inside ... : beyond the bound, bytes */
    if (stun && depth > MAX_CONTENTS_DEPTH)
        proto_tree_add_expert(tree, pinfo, &ei_too_deep, tvb, 0, -1);
    if (stun && depth <= MAX_CONTENTS_DEPTH) {
        proto_item *ti = proto_tree_add_item(tree, proto_msturn, tvb, 0, -1, ENC_NA);
        proto_tree *mt = proto_item_add_subtree(ti, ett_framing);
        proto_item *fi = proto_tree_add_uint(mt, hf_framing, tvb, 0, fr.prefix_len,
                                             fr.framing == MSTURN_FRAMING_RAW ? raw_as : fr.framing);
        tvbuff_t *inner = tvb_new_subset_length(tvb, fr.prefix_len, fr.payload_len);
        if (fr.prefix_len == 0)
            proto_item_set_generated(fi);
        if (fr.framing == MSTURN_FRAMING_MS_MULTIPLEXED) {
            proto_item_append_text(ti, ", %s", val_to_str_const(fr.framing, framing_vals, "?"));
            add_mux_header(tvb, mt);
        }
        if (fr.flavor != MSTURN_FLAVOR_NONE)
            dissect_one_message(inner, pinfo, ti, mt, root, conv, fr.flavor, depth);
        else
            dissect_contents(inner, pinfo, mt, root, conv, depth + 1, MSTURN_FRAMING_DATA_ATTR);
        return;
    }
    dissect_relayed(tvb, pinfo, tree, root, true);
}

/* RFC 8656 12.4: ChannelData carries one datagram of the peer's: an ICE
 * check (decoded as such), or what the dissectors that read the built-in
 * STUN dissector's ChannelData payloads recognise (its "stun" heuristics:
 * RTCP, SIP, DTLS when enabled...), else RTP or RTCP by their headers. */
static void
dissect_channel_data(tvbuff_t *payload, packet_info *pinfo, proto_item *ti, proto_tree *mt,
                     proto_tree *root, msturn_conv *conv, uint16_t channel)
{
    heur_dtbl_entry_t *hdtbl_entry;
    unsigned n = tvb_captured_length(payload);
    msturn_frame inner;

    proto_item_append_text(ti, ", Channel 0x%04x", channel);
    col_append_sep_fstr(pinfo->cinfo, COL_INFO, ", ", "ChannelData 0x%04x", channel);
    /* counted for its peer before what it carries is read: an ICE check in
     * it is that peer's */
    msturn_session_channel_data(payload, pinfo, ti, mt, conv, channel, tvb_reported_length(payload));
    /* RFC 8656 12: only a bound channel carries data.  Over TCP ChannelData
     * is only looked for after a ChannelBind; over UDP the TURN port and
     * 5-tuples with TURN requests take it, bound or not. */
    if (pinfo->ptype == PT_UDP && !channel_bound(conv, pinfo, channel))
        expert_add_info_format(pinfo, ti, &ei_channel_unbound,
                               "Channel 0x%04x was not bound by a ChannelBind seen on this 5-tuple",
                               channel);
    /* Only what is neither STUN nor in RFC 7983's DTLS and RTP/RTCP ranges
     * goes to those heuristics: theirs are looser than msturn_media.c's
     * checks, and would hand SRTCP to the RTCP dissector. */
    if (n > 0 && n == tvb_reported_length(payload) && stun_heur_list && pref_relayed_media &&
        msturn_datagram_detect(tvb_get_ptr(payload, 0, n), n, 1, &inner) != MSTURN_FRAME_OK &&
        !msturn_media_range(tvb_get_uint8(payload, 0)) &&
        dissector_try_heuristic(stun_heur_list, payload, pinfo, root, &hdtbl_entry, NULL))
        return;
    dissect_contents(payload, pinfo, mt, root, conv, 1, MSTURN_FRAMING_CHANNELDATA);
}

/* tree: where msturn's items go (NULL when nothing of msturn's is looked
 * at); root: the frame's tree, for the dissectors msturn hands bytes to, whose
 * fields a filter may ask for. */
static void
dissect_pdu(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, proto_tree *root,
            msturn_conv *conv, const msturn_frame *fr)
{
    proto_item *ti, *fi;
    proto_tree *mt;
    tvbuff_t *payload;

    ti = proto_tree_add_item(tree, proto_msturn, tvb, 0, -1, ENC_NA);
    mt = proto_item_add_subtree(ti, ett_framing);
    fi = proto_tree_add_uint(mt, hf_framing, tvb, 0, fr->prefix_len, fr->framing);
    if (fr->prefix_len == 0)
        proto_item_set_generated(fi);
    if (fr->framing != MSTURN_FRAMING_RAW)
        proto_item_append_text(ti, ", %s", val_to_str_const(fr->framing, framing_vals, "?"));

    switch (fr->framing) {
    case MSTURN_FRAMING_RFC4571:
        proto_tree_add_item(mt, hf_framing_length, tvb, 0, 2, ENC_BIG_ENDIAN);
        break;
    case MSTURN_FRAMING_MS_CONTROL:
    case MSTURN_FRAMING_MS_DATA:
        proto_tree_add_item(mt, hf_framing_reserved, tvb, 1, 1, ENC_BIG_ENDIAN);
        proto_tree_add_item(mt, hf_framing_length, tvb, 2, 2, ENC_BIG_ENDIAN);
        break;
    case MSTURN_FRAMING_CHANNELDATA:
        proto_tree_add_item(mt, hf_channel, tvb, 0, 2, ENC_BIG_ENDIAN);
        proto_tree_add_item(mt, hf_channel_length, tvb, 2, 2, ENC_BIG_ENDIAN);
        break;
    case MSTURN_FRAMING_MS_MULTIPLEXED:
        add_mux_header(tvb, mt);
        break;
    default:
        break;
    }

    /* raw STUN fills its PDU: the PDU's tvb is the payload's */
    payload = fr->prefix_len == 0 && fr->payload_len == tvb_reported_length(tvb) &&
                      fr->payload_len == tvb_captured_length(tvb)
                  ? tvb : tvb_new_subset_length(tvb, fr->prefix_len, fr->payload_len);
    if (fr->flavor != MSTURN_FLAVOR_NONE) {
        /* a message in a 2.1.4 end-to-end data frame is the peer's, relayed
         * as one inside a DATA attribute is */
        dissect_one_message(payload, pinfo, ti, mt, root, conv, fr->flavor,
                            fr->framing == MSTURN_FRAMING_MS_DATA);
    } else if (fr->framing == MSTURN_FRAMING_CHANNELDATA) {
        dissect_channel_data(payload, pinfo, ti, mt, root, conv, tvb_get_ntohs(tvb, 0));
    } else if (fr->framing == MSTURN_FRAMING_MS_DATA ||
               fr->framing == MSTURN_FRAMING_MS_MULTIPLEXED) {
        /* [MS-TURN] 2.1.4 end-to-end data and 2.2.3 multiplexed packets carry
         * the peer's datagrams whole: a multiplexed packet, RTP, RTCP. */
        proto_item_append_text(ti, ", Relayed data");
        dissect_contents(payload, pinfo, mt, root, conv, 1, MSTURN_FRAMING_DATA_ATTR);
    } else {
        proto_item_append_text(ti, ", Relayed data");
        dissect_relayed(payload, pinfo, mt, root, fr->framing == MSTURN_FRAMING_RFC4571);
    }
    if (fr->pdu_len > fr->prefix_len + fr->payload_len)
        proto_tree_add_item(mt, hf_padding, tvb, fr->prefix_len + fr->payload_len,
                            fr->pdu_len - fr->prefix_len - fr->payload_len, ENC_NA);
}

/* ---- pseudo-TLS ----------------------------------------------------------- */

static const value_string tls_handshake_vals[] = {
    { 0x01, "ClientHello" },
    { 0x02, "ServerHello" },
    { 0x0E, "ServerHelloDone" },
    { 0, NULL }
};

/* One pseudo-TLS handshake record ([MS-TURN] 2.1.3): shown, not decrypted;
 * there is nothing to decrypt. */
static void
dissect_pseudo_tls(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree)
{
    proto_item *ti = proto_tree_add_item(tree, proto_msturn, tvb, 0, -1, ENC_NA);
    proto_tree *pt = proto_item_add_subtree(ti, ett_framing);
    const char *what = "handshake";

    if (tvb_captured_length(tvb) > 5)
        what = val_to_str_const(tvb_get_uint8(tvb, 5), tls_handshake_vals, "handshake");
    proto_item_append_text(ti, ", Pseudo-TLS %s", what);
    proto_tree_add_item(pt, hf_pseudo_tls, tvb, 0, -1, ENC_NA);
    expert_add_info(pinfo, ti, &ei_pseudo_tls);
    col_append_sep_fstr(pinfo->cinfo, COL_INFO, ", ", "Pseudo-TLS %s", what);
}

/* A Lync/Skype pseudo-TLS ServerHello ([MS-TURN] 2.1.3) on a connection
 * msturn did not know: the connection is msturn's from its first frame (the
 * client's ClientHello came before). */
static void
claim_pseudo_tls(packet_info *pinfo, msturn_conv *conv)
{
    conv->pseudo_tls = 1;
    msturn_mark_since(&conv->known_since, pinfo);
    if (!PINFO_FD_VISITED(pinfo))
        conv->known_since = 1;
}

/* ---- TCP ---------------------------------------------------------------- */

static void
note_framing(msturn_conv *conv, packet_info *pinfo, const msturn_frame *fr)
{
    if (fr->framing == MSTURN_FRAMING_MS_CONTROL || fr->framing == MSTURN_FRAMING_MS_DATA)
        msturn_mark_since(&conv->ms_framing_since, pinfo);
    /* ICE-TCP (RFC 6544): once STUN came in an RFC 4571 frame, every frame on
     * this connection is length-prefixed, media included. */
    if (fr->framing == MSTURN_FRAMING_RFC4571 && fr->flavor != MSTURN_FLAVOR_NONE)
        msturn_mark_since(&conv->relay4571_since, pinfo);
}

/* A malformed PDU must not hide the ones after it (as tcp_dissect_pdus).
 * TRY is a setjmp, and C leaves a non-volatile local that changes between a
 * setjmp and its longjmp indeterminate after it; inlined into the loop, the
 * loop's state (ctx, offset, pdus) would live across the setjmp of every
 * iteration.  In a function of its own, never inlined into that loop, only
 * these arguments do, and nothing changes them. */
static G_GNUC_NO_INLINE void
dissect_pdu_guarded(tvbuff_t *tvb, unsigned offset, packet_info *pinfo, proto_tree *tree,
                    proto_tree *root, msturn_conv *conv, const msturn_frame *fr)
{
    /* a PDU that is the whole segment is the segment's tvb itself */
    tvbuff_t *pdu = offset == 0 && fr->pdu_len == tvb_reported_length(tvb) &&
                            fr->pdu_len == tvb_captured_length(tvb)
                        ? tvb : tvb_new_subset_length(tvb, offset, fr->pdu_len);
    TRY {
        dissect_pdu(pdu, pinfo, tree, root, conv, fr);
    }
    CATCH_NONFATAL_ERRORS {
        show_exception(tvb, pinfo, tree, EXCEPT_CODE, GET_MESSAGE);
    }
    ENDTRY;
}

/* The frame was msturn's: the post-dissector has nothing left to attribute. */
static void
mark_seen(packet_info *pinfo, msturn_conv *conv)
{
    /* TCP may call msturn more than once for a frame: the first entry is
     * the one found, later ones cost less than a lookup before each */
    p_add_proto_data(pinfo->pool, pinfo, proto_msturn, MSTURN_PDATA_SEEN, conv);
}

/* Every PDU of a segment of one of msturn's connections; conv: its state,
 * found once for the frame by the caller. */
static int
dissect_tcp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *root, msturn_conv *conv)
{
    proto_tree *tree = msturn_tree(root);
    unsigned ctx = msturn_conv_ctx(conv, pinfo->num);
    unsigned total = tvb_captured_length(tvb);
    unsigned offset = 0;
    int pdus = 0;

    while (offset < total) {
        msturn_frame fr;
        size_t need = 0;
        unsigned avail = total - offset;
        const uint8_t *p = tvb_get_ptr(tvb, offset, avail);
        msturn_frame_status st;
        uint32_t rec;

        if (conv->pseudo_tls && msturn_is_tls_handshake(p, avail, &rec)) {
            if (rec > avail && pinfo->can_desegment) {
                pinfo->desegment_offset = offset;
                pinfo->desegment_len = rec - avail;
                break;
            }
            if (rec > avail) {  /* cut short and no reassembly: mark it, go no further */
                proto_tree_add_expert(tree, pinfo, &ei_truncated, tvb, offset, -1);
                break;
            }
            if (pdus == 0) {
                col_set_str(pinfo->cinfo, COL_PROTOCOL, "MSTURN");
                col_clear(pinfo->cinfo, COL_INFO);
            }
            dissect_pseudo_tls(tvb_new_subset_length(tvb, offset, rec), pinfo, tree);
            col_set_fence(pinfo->cinfo, COL_INFO);
            pdus++;
            offset += rec;
            continue;
        }
        st = msturn_frame_detect(p, avail, ctx | (pdus ? MSTURN_CTX_KNOWN : 0), &fr, &need);

        if (st == MSTURN_FRAME_NOT_OURS) {
            if (pdus == 0 && !(ctx & MSTURN_CTX_KNOWN))
                return 0;       /* not ours: let TCP try other dissectors */
            if (pdus == 0) {
                col_set_str(pinfo->cinfo, COL_PROTOCOL, "MSTURN");
                col_clear(pinfo->cinfo, COL_INFO);
            }
            if (msturn_since(conv->relay_since, pinfo->num)) {
                /* After ConnectionBind the connection carries the peer's
                 * bytes (RFC 6062 4.4): unframed relayed data. */
                proto_item *ti = proto_tree_add_item(tree, proto_msturn, tvb, offset, -1, ENC_NA);
                proto_tree *rt = proto_item_add_subtree(ti, ett_relayed);
                proto_item_append_text(ti, ", Relayed data");
                dissect_relayed(tvb_new_subset_remaining(tvb, offset), pinfo, rt, root, false);
            } else {
                proto_tree_add_expert(tree, pinfo, &ei_garbage, tvb, offset, -1);
                proto_tree_add_item(tree, hf_garbage, tvb, offset, -1, ENC_NA);
                col_append_sep_str(pinfo->cinfo, COL_INFO, ", ", "[bytes that are not STUN]");
            }
            break;
        }
        if (st == MSTURN_FRAME_NEED_MORE ||
            (st == MSTURN_FRAME_OK && fr.pdu_len > avail)) {
            if (pinfo->can_desegment) {
                pinfo->desegment_offset = offset;
                pinfo->desegment_len = st == MSTURN_FRAME_OK ? fr.pdu_len - avail
                                                             : DESEGMENT_ONE_MORE_SEGMENT;
                if (st == MSTURN_FRAME_OK && !(ctx & MSTURN_CTX_KNOWN))
                    msturn_mark_since(&conv->known_since, pinfo);
                break;
            }
            if (st == MSTURN_FRAME_NEED_MORE) {
                proto_tree_add_expert(tree, pinfo, &ei_truncated, tvb, offset, -1);
                break;
            }
            /* No reassembly: dissect what is here; tvb bounds mark it malformed. */
        }

        if (pdus == 0) {
            col_set_str(pinfo->cinfo, COL_PROTOCOL, "MSTURN");
            col_clear(pinfo->cinfo, COL_INFO);
        }
        msturn_mark_since(&conv->known_since, pinfo);
        note_framing(conv, pinfo, &fr);
        ctx = msturn_conv_ctx(conv, pinfo->num);

        dissect_pdu_guarded(tvb, offset, pinfo, tree, root, conv, &fr);
        col_set_fence(pinfo->cinfo, COL_INFO);
        pdus++;
        offset += fr.pdu_len;
    }
    msturn_session_frame(tvb, pinfo, tree, conv);
    mark_seen(pinfo, conv);
    return (int)total;
}

/* Port -> the dissector that owned a shared port before msturn. */
static wmem_map_t *shared_prev;

/* The dissector of the connections msturn claimed (conversation_set_dissector):
 * TCP calls it before its port tables. */
static dissector_handle_t tcp_claimed_handle;

/* What is not msturn's on a shared port goes to the port's previous owner;
 * elsewhere it is refused so TCP tries other dissectors. */
static int
hand_back(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    dissector_handle_t prev = (dissector_handle_t)wmem_map_lookup(shared_prev,
                GUINT_TO_POINTER(MIN(pinfo->srcport, pinfo->destport)));
    if (prev == NULL)
        prev = (dissector_handle_t)wmem_map_lookup(shared_prev,
                GUINT_TO_POINTER(MAX(pinfo->srcport, pinfo->destport)));
    if (prev == NULL)
        return 0;
    /* Each dissector call spends one level of can_desegment; give the port's
     * owner the level TCP gave msturn, or TLS on 443 could not reassemble a
     * record that spans segments. */
    pinfo->can_desegment = pinfo->saved_can_desegment;
    return call_dissector_only(prev, tvb, pinfo, tree, data);
}

/* A connection that starts with STUN or a Lync/Skype pseudo-TLS ServerHello
 * is claimed (c: its conversation if found already). */
static int
claim(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, conversation_t *c)
{
    msturn_frame fr;
    msturn_conv *conv;
    unsigned avail = tvb_captured_length(tvb);
    const uint8_t *p = tvb_get_ptr(tvb, 0, avail);
    int stun = avail >= 4 && msturn_frame_detect(p, avail, 0, &fr, NULL) == MSTURN_FRAME_OK &&
               fr.flavor != MSTURN_FLAVOR_NONE;

    if (!stun && !msturn_is_pseudo_tls_server_hello(p, avail))
        return 0;
    if (c == NULL)
        c = find_or_create_conversation(pinfo);
    conv = msturn_conv_of(c);
    if (!stun)
        claim_pseudo_tls(pinfo, conv);
    conversation_set_dissector(c, tcp_claimed_handle);
    return dissect_tcp(tvb, pinfo, tree, conv);
}

/* The ports msturn is registered on (3478, the shared ports, Decode As): a
 * connection msturn claimed comes through tcp_claimed_handle first, so here
 * only a new one is looked for, with no conversation lookup for the bytes of
 * other protocols. */
static int
dissect_tcp_port(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    int n = claim(tvb, pinfo, tree, NULL);
    return n ? n : hand_back(tvb, pinfo, tree, data);
}

/* A connection msturn claimed: its state, found once for the frame. */
static int
dissect_tcp_claimed(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    conversation_t *c = find_conversation_pinfo(pinfo, 0);
    msturn_conv *conv = msturn_conv_peek(c);
    int n;

    if (conv != NULL && (msturn_conv_ctx(conv, pinfo->num) & MSTURN_CTX_KNOWN))
        return dissect_tcp(tvb, pinfo, tree, conv);
    n = claim(tvb, pinfo, tree, c);      /* bytes before the first message */
    return n ? n : hand_back(tvb, pinfo, tree, data);
}

/* The TCP heuristic: claim the connection on a strong signature at the start
 * of the segment, then let the conversation route the rest to us. */
static msturn_heur_result
heur_tcp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    msturn_frame fr;
    unsigned avail = tvb_captured_length(tvb);
    const uint8_t *p;
    conversation_t *c;

    if (avail < 8)
        return false;
    p = tvb_get_ptr(tvb, 0, avail);
    if (msturn_frame_detect(p, avail, 0, &fr, NULL) != MSTURN_FRAME_OK ||
        fr.flavor == MSTURN_FLAVOR_NONE)
        return false;

    c = find_or_create_conversation(pinfo);
    conversation_set_dissector(c, tcp_claimed_handle);
    dissect_tcp(tvb, pinfo, tree, msturn_conv_of(c));
    return true;
}

/* ---- UDP (optional) ----------------------------------------------------- */

/* A UDP 5-tuple that carried TURN requests is the client's flow to its
 * server: every datagram on it is STUN or ChannelData (RFC 8656 12).  The
 * DTLS-SRTP handshake relayed over it makes Wireshark's DTLS dissector set
 * up SRTP for the addresses it arrived on (RFC 5764 4.1.2, use_srtp), and a
 * Wireshark whose RTP dissector demultiplexes RFC 7983 would then hand the
 * flow's STUN to the built-in STUN dissector; the flow's own conversation,
 * matched before any wildcard one, keeps it msturn's. */
static void
claim_turn_flow(packet_info *pinfo, msturn_conv *conv)
{
    conversation_t *c;

    /* once per 5-tuple: the dissector holds for every frame after */
    if (conv->flow_claimed || PINFO_FD_VISITED(pinfo) || !msturn_since(conv->turn_since, pinfo->num))
        return;
    c = find_or_create_conversation(pinfo);
    if (conversation_get_dissector(c, pinfo->num) != msturn_udp_handle)
        conversation_set_dissector(c, msturn_udp_handle);
    conv->flow_claimed = 1;
}

/* One datagram msturn takes, fr saying what it holds. */
static int
dissect_datagram(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree_in, msturn_conv *conv,
                 msturn_frame *fr)
{
    proto_tree *tree = msturn_tree(tree_in);
    msturn_mark_since(&conv->known_since, pinfo);
    col_set_str(pinfo->cinfo, COL_PROTOCOL, "MSTURN");
    col_clear(pinfo->cinfo, COL_INFO);
    if (fr->pdu_len > tvb_reported_length(tvb)) {
        /* the message runs past its datagram: truly cut short */
        proto_item *ti = proto_tree_add_item(tree, proto_msturn, tvb, 0, -1, ENC_NA);
        proto_tree_add_expert_format(proto_item_add_subtree(ti, ett_framing), pinfo, &ei_udp_length,
            tvb, 0, -1, "%s says %u bytes, the datagram holds %u",
            fr->framing == MSTURN_FRAMING_MS_MULTIPLEXED ? "Multiplexed TURN length" : "STUN length",
            fr->pdu_len, tvb_reported_length(tvb));
        fr->pdu_len = tvb_reported_length(tvb);
        if (fr->prefix_len + fr->payload_len > fr->pdu_len)
            fr->payload_len = fr->pdu_len > fr->prefix_len ? fr->pdu_len - fr->prefix_len : 0;
    }
    dissect_pdu(tvb_new_subset_length(tvb, 0, fr->pdu_len), pinfo, tree, tree_in, conv, fr);
    if (fr->pdu_len < tvb_reported_length(tvb)) {
        /* A whole message and more: the message stands as its length says
         * (RFC 8489 6), what follows it is shown apart, not a fault of it. */
        proto_item *ti = proto_tree_add_item(tree, hf_udp_trailing, tvb, fr->pdu_len, -1, ENC_NA);
        expert_add_info_format(pinfo, ti, &ei_udp_trailing, "%u bytes follow the %u-byte %s in this datagram",
            tvb_reported_length(tvb) - fr->pdu_len, fr->pdu_len,
            fr->framing == MSTURN_FRAMING_MS_MULTIPLEXED ? "multiplexed TURN packet" : "message");
    }
    claim_turn_flow(pinfo, conv);
    /* [MS-TURN] over UDP: the 5-tuple is the allocation's control flow */
    msturn_session_frame(tvb, pinfo, tree, conv);
    mark_seen(pinfo, conv);
    return (int)tvb_captured_length(tvb);
}

/* TURN ChannelData (RFC 8656 12.4) filling the datagram? */
static int
channeldata_datagram(tvbuff_t *tvb, msturn_frame *fr)
{
    unsigned avail = tvb_captured_length(tvb);
    return avail >= 4 && avail == tvb_reported_length(tvb) &&
           msturn_channeldata_datagram(tvb_get_ptr(tvb, 0, avail), avail, fr);
}

/* The TURN port, or a port the user decoded as msturn: STUN and multiplexed
 * TURN, and ChannelData as the built-in STUN dissector takes it there, bound
 * or not (a capture may start after the ChannelBind). */
static int
dissect_udp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    unsigned avail = tvb_captured_length(tvb);
    msturn_frame fr;

    /* On the port the user gave msturn, a multiplexed packet of data is
     * msturn's too; the heuristic asked for STUN inside already. */
    if (msturn_datagram_detect(tvb_get_ptr(tvb, 0, avail), avail, 1, &fr) != MSTURN_FRAME_OK &&
        !channeldata_datagram(tvb, &fr))
        return 0;
    return dissect_datagram(tvb, pinfo, tree, msturn_conv_find_or_create(pinfo), &fr);
}

/* Any other port: a whole STUN message, or ChannelData on a 5-tuple that
 * carried TURN requests before (as the built-in STUN dissector takes it;
 * elsewhere its first byte, 0x40-0x7F, is as likely QUIC or anything else).
 * A channel no ChannelBind seen on the 5-tuple bound is marked. */
static msturn_pref_bool pref_udp = false;

/* Off the TURN port, what a datagram must be for msturn to take it: a whole
 * STUN message, or ChannelData on a 5-tuple that carried TURN requests.
 * Its flow's state, NULL if msturn does not take it. */
static msturn_conv *
datagram_conv(tvbuff_t *tvb, packet_info *pinfo, msturn_frame *fr)
{
    unsigned avail = tvb_captured_length(tvb);
    msturn_conv *conv;

    if (channeldata_datagram(tvb, fr)) {
        conv = msturn_conv_find(pinfo);
        return conv != NULL && msturn_since(conv->turn_since, pinfo->num) ? conv : NULL;
    }
    if (avail < MSTURN_HEADER_LEN ||
        msturn_datagram_detect(tvb_get_ptr(tvb, 0, avail), avail, 0, fr) != MSTURN_FRAME_OK ||
        fr->pdu_len != tvb_reported_length(tvb))
        return NULL;
    return msturn_conv_find_or_create(pinfo);
}

static msturn_heur_result
heur_udp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    msturn_frame fr;
    msturn_conv *conv;

    /* registered always, so that it can be listed and toggled in Enabled
     * Protocols, but it claims nothing unless msturn.udp asks */
    if (!pref_udp || (conv = datagram_conv(tvb, pinfo, &fr)) == NULL)
        return false;
    return dissect_datagram(tvb, pinfo, tree, conv, &fr) > 0;
}

/* ---- registration ------------------------------------------------------- */

#define TURN_PORT_RANGE "3478"
#define SHARED_PORT_RANGE "80,443"
#define TURN_UDP_PORT 3478

static range_t *pref_shared_ports;
static range_t *shared_ports_active;
static dissector_handle_t udp_prev;

void
msturn_tcp_register(int proto, module_t *module)
{
    static hf_register_info hf[] = {
        { &hf_framing, { "Framing", "msturn.framing", FT_UINT8, BASE_DEC, VALS(framing_vals), 0,
                         "How the message sat in the byte stream", HFILL } },
        { &hf_framing_length, { "Framing Length", "msturn.framing.length", FT_UINT16, BASE_DEC,
                                NULL, 0, "Length given by the framing header", HFILL } },
        { &hf_framing_reserved, { "Framing Reserved", "msturn.framing.reserved", FT_UINT8,
                                  BASE_HEX, NULL, 0, "[MS-TURN] 2.1.4: zero", HFILL } },
        { &hf_channel, { "Channel Number", "msturn.channel", FT_UINT16, BASE_HEX, NULL, 0,
                         "ChannelData channel (RFC 8656 12.4)", HFILL } },
        { &hf_channel_length, { "Channel Data Length", "msturn.channel.length", FT_UINT16,
                                BASE_DEC, NULL, 0, NULL, HFILL } },
        { &hf_relayed, { "Relayed data", "msturn.relayed", FT_BYTES, BASE_NONE, NULL, 0,
                         "Application bytes relayed between client and peer", HFILL } },
        { &hf_padding, { "Framing padding", "msturn.framing.padding", FT_BYTES, BASE_NONE, NULL, 0,
                         "ChannelData over TCP is padded to 4 bytes (RFC 8656 12.5)", HFILL } },
        { &hf_garbage, { "Undecoded bytes", "msturn.undecoded", FT_BYTES, BASE_NONE, NULL, 0,
                         "Bytes that follow valid messages but are not STUN framing", HFILL } },
        { &hf_srtcp, { "SRTCP packet", "msturn.srtcp", FT_BYTES, BASE_NONE, NULL, 0,
                       "Relayed SRTCP: an RTCP header in the clear, then the encrypted portion, "
                       "SRTCP index and authentication tag (RFC 3711 3.4)", HFILL } },
        { &hf_srtcp_type, { "Packet type", "msturn.srtcp.type", FT_UINT8, BASE_DEC,
                            VALS(srtcp_type_vals), 0, "Type of the first RTCP packet (RFC 3550 12.1)",
                            HFILL } },
        { &hf_srtcp_ssrc, { "Sender SSRC", "msturn.srtcp.ssrc", FT_UINT32, BASE_HEX, NULL, 0,
                            "SSRC of the sender, in the clear (RFC 3711 3.4)", HFILL } },
        { &hf_udp_trailing, { "Bytes after the message", "msturn.udp_trailing", FT_BYTES, BASE_NONE,
                              NULL, 0, "Datagram bytes after the length the message header gives", HFILL } },
        { &hf_mux_channel, { "Multiplexed TURN Channel", "msturn.mux.channel", FT_UINT16, BASE_HEX,
                             NULL, 0, "[MS-TURN] 2.2.3 Channel_ID, 0xFF10", HFILL } },
        { &hf_mux_length, { "Multiplexed TURN Length", "msturn.mux.length", FT_UINT16, BASE_DEC,
                            NULL, 0, "Bytes after the length: session ID and data", HFILL } },
        { &hf_mux_session, { "Multiplexed TURN Session ID", "msturn.mux.session_id", FT_UINT64,
                             BASE_HEX, NULL, 0, "[MS-TURN] 2.2.3 MTURN_Session_ID: one stream on "
                             "the TURN server", HFILL } },
        { &hf_pseudo_tls, { "Pseudo-TLS handshake", "msturn.pseudo_tls", FT_BYTES, BASE_NONE,
                            NULL, 0, "Lync/Skype pseudo-TLS handshake record ([MS-TURN] 2.1.3)",
                            HFILL } },
    };
    static int *ett[] = { &ett_framing, &ett_relayed };
    static ei_register_info ei[] = {
        { &ei_garbage, { "msturn.undecoded.expert", PI_MALFORMED, PI_WARN,
            "Bytes after the last message are not STUN framing",
            EXPFILL } },
        { &ei_truncated, { "msturn.truncated", PI_MALFORMED, PI_ERROR,
            "Message cut short and TCP reassembly is off", EXPFILL } },
        { &ei_too_deep, { "msturn.nested_too_deep", PI_PROTOCOL, PI_NOTE,
            "Message nested more than 3 levels deep: shown as bytes", EXPFILL } },
        { &ei_pseudo_tls, { "msturn.pseudo_tls.expert", PI_SEQUENCE, PI_CHAT,
            "Lync/Skype pseudo-TLS handshake (not real TLS)", EXPFILL } },
        { &ei_udp_length, { "msturn.udp_length", PI_MALFORMED, PI_ERROR,
            "Message length runs past the end of the datagram", EXPFILL } },
        { &ei_udp_trailing, { "msturn.udp_trailing.expert", PI_PROTOCOL, PI_WARN,
            "Bytes follow the message in its datagram", EXPFILL } },
        { &ei_channel_unbound, { "msturn.channel.unbound", PI_SEQUENCE, PI_NOTE,
            "ChannelData on a channel no ChannelBind bound here", EXPFILL } },
    };
    expert_module_t *em;

    proto_register_field_array(proto, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    em = expert_register_protocol(proto);
    expert_register_field_array(em, ei, array_length(ei));

    msturn_tcp_handle = register_dissector("msturn.tcp", dissect_tcp_port, proto);
    tcp_claimed_handle = create_dissector_handle(dissect_tcp_claimed, proto);
    msturn_udp_handle = register_dissector("msturn.udp", dissect_udp, proto);
    relay_heur_list = register_heur_dissector_list("msturn.relay", proto);

    pref_shared_ports = range_empty(wmem_epan_scope());
    range_convert_str(wmem_epan_scope(), &pref_shared_ports, SHARED_PORT_RANGE, 65535);
    prefs_register_range_preference(module, "tcp.shared_ports", "Shared TCP ports",
        "TCP ports owned by other protocols (HTTP, TLS) on which msturn takes only the "
        "connections that carry STUN or Lync/Skype pseudo-TLS",
        &pref_shared_ports, 65535);
    prefs_register_bool_preference(module, "udp", "Decode STUN over UDP too",
        "Also decode STUN/TURN over UDP (port 3478 and by heuristic) with msturn's fields, "
        "instead of Wireshark's built-in STUN dissector", &pref_udp);
    prefs_register_bool_preference(module, "relayed_media", "Hand relayed media to its dissectors",
        "Give the datagrams relayed in DATA attributes, ChannelData and RFC 4571 frames to the "
        "RTP, RTCP and DTLS dissectors (after msturn's strict checks) and to the heuristics that "
        "read the built-in STUN dissector's ChannelData; off, they are shown as relayed bytes",
        &pref_relayed_media);
    shared_prev = wmem_map_new(wmem_epan_scope(), g_direct_hash, g_direct_equal);
}

void
msturn_tcp_handoff(void)
{
    dissector_add_uint_range_with_preference("tcp.port", TURN_PORT_RANGE, msturn_tcp_handle);
    heur_dissector_add("tcp", heur_tcp, "MS-TURN/STUN over TCP", "msturn_tcp", proto_msturn,
                       HEURISTIC_ENABLE);
    heur_dissector_add("udp", heur_udp, "MS-TURN/STUN over UDP", "msturn_udp", proto_msturn,
                       HEURISTIC_ENABLE);
    rtp_handle = find_dissector("rtp");
    rtcp_handle = find_dissector("rtcp");
    dtls_handle = find_dissector("dtls");
    stun_heur_list = find_heur_dissector_list("stun");
}

static void
take_shared_port(uint32_t port, void *user _U_)
{
    dissector_table_t tcp_port = find_dissector_table("tcp.port");
    dissector_handle_t cur = dissector_get_uint_handle(tcp_port, port);

    if (cur != msturn_tcp_handle && cur != NULL)
        wmem_map_insert(shared_prev, GUINT_TO_POINTER(port), cur);
    dissector_add_uint("tcp.port", port, msturn_tcp_handle);
}

static void
give_back_shared_port(uint32_t port, void *user _U_)
{
    dissector_handle_t prev = (dissector_handle_t)wmem_map_lookup(shared_prev,
                                                                  GUINT_TO_POINTER(port));
    if (prev)
        dissector_add_uint("tcp.port", port, prev);
    else
        dissector_delete_uint("tcp.port", port, msturn_tcp_handle);
}

void
msturn_tcp_apply_prefs(void)
{
    static bool udp_active = false;

    if (shared_ports_active) {
        range_foreach(shared_ports_active, give_back_shared_port, NULL);
        wmem_free(wmem_epan_scope(), shared_ports_active);
    }
    shared_ports_active = range_copy(wmem_epan_scope(), pref_shared_ports);
    range_foreach(shared_ports_active, take_shared_port, NULL);

    /* UDP is the built-in STUN dissector's unless the user asks. */
    if (pref_udp && !udp_active) {
        udp_prev = dissector_get_uint_handle(find_dissector_table("udp.port"), TURN_UDP_PORT);
        dissector_add_uint("udp.port", TURN_UDP_PORT, msturn_udp_handle);
        udp_active = true;
    } else if (!pref_udp && udp_active) {
        if (udp_prev)
            dissector_add_uint("udp.port", TURN_UDP_PORT, udp_prev);
        else
            dissector_delete_uint("udp.port", TURN_UDP_PORT, msturn_udp_handle);
        udp_active = false;
    }
}

/* ---- inside TLS and DTLS (msturn_tls.c) ---------------------------------- */

/* Decrypted TLS application data: the connection's byte stream once TLS is
 * taken off (RFC 8656 3.1), dissected as a connection of msturn's on the TCP
 * conversation's own state, so that its transactions and sessions are those
 * of TCP.  The connection stays TLS's: nothing here names msturn its
 * dissector.  TLS reassembles what spans records from desegment_offset and
 * desegment_len, as TCP does.  A connection msturn does not know yet is
 * taken only from a STUN message on. */
int
msturn_tcp_dissect_decrypted(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree)
{
    msturn_conv *conv = msturn_conv_find(pinfo);
    unsigned avail = tvb_captured_length(tvb);
    msturn_frame fr;

    if (conv == NULL || !(msturn_conv_ctx(conv, pinfo->num) & MSTURN_CTX_KNOWN)) {
        if (avail < 8 ||
            msturn_frame_detect(tvb_get_ptr(tvb, 0, avail), avail, 0, &fr, NULL) != MSTURN_FRAME_OK ||
            fr.flavor == MSTURN_FLAVOR_NONE)
            return 0;
        if (conv == NULL)
            conv = msturn_conv_find_or_create(pinfo);
    }
    return dissect_tcp(tvb, pinfo, tree, conv);
}

/* One decrypted DTLS record: a datagram of the UDP flow, taken as
 * heur_udp takes one (a whole message, or ChannelData on a flow that carried
 * TURN requests), whatever msturn.udp says: the user gave msturn the
 * decrypted bytes.  The flow stays DTLS's: marked claimed already, so that
 * claim_turn_flow never names msturn the dissector of its datagrams. */
int
msturn_udp_dissect_decrypted(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree)
{
    msturn_frame fr;
    msturn_conv *conv = datagram_conv(tvb, pinfo, &fr);

    if (conv == NULL)
        return 0;
    conv->flow_claimed = 1;
    return dissect_datagram(tvb, pinfo, tree, conv, &fr);
}

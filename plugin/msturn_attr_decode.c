/* msturn_attr_decode.c - the attribute value decoders, one per value kind.
 *
 * No attribute has code of its own: the attribute table (msturn_attr_table.h)
 * gives each attribute a value kind, the kind's decoder below shows the value
 * in the attribute's fields (msturn_attr_fields.c) and records, in the
 * message's msturn_msg_info, what the sessions follow.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "msturn_attr_decode.h"

#include <epan/to_str.h>
#include <epan/crc32-tvb.h>
#include <wsutil/str_util.h>
#include <inttypes.h>
#include <string.h>

#include "msturn_hmac.h"
#include "msturn_error_table.h"
#include "msturn_view.h"

static int hf_att_value = -1;

static expert_field ei_att_bad_length = EI_INIT;
static expert_field ei_ms_sequence_short = EI_INIT;
static expert_field ei_fingerprint_bad = EI_INIT;
static expert_field ei_hmac_bad = EI_INIT;
static expert_field ei_too_many_peers = EI_INIT;

/* The meaning of a value, or the text given for an unknown one. */
static const char *
name_of(const msturn_value_name *names, uint32_t v, const char *unknown)
{
    const char *s = msturn_value_name_of(names, v);
    return s ? s : unknown;
}

static void
append_info(msturn_att *a, const char *value)
{
    const char *label = a->def->info;
    if (label == NULL || a->summary == NULL)
        return;
    /* plain appends: this runs for most messages of a capture */
    wmem_strbuf_append_c(a->summary, ' ');
    if (label[0] == '=') {
        wmem_strbuf_append(a->summary, label + 1);
        return;
    }
    if (label[0] != '\0') {
        wmem_strbuf_append(a->summary, label);
        wmem_strbuf_append(a->summary, ": ");
    }
    wmem_strbuf_append(a->summary, value ? value : "");
}

/* Is a value's text shown anywhere: in a tree shown whole, or in the Info
 * column?  Formatting costs more than decoding, and most reads show neither
 * (a display filter's tree holds values, not labels). */
static int
text_wanted(const msturn_att *a)
{
    return (a->item != NULL && msturn_tree_visible(a->tree)) ||
           (a->summary != NULL && a->def->info != NULL && a->def->info[0] != '=');
}

/* A decimal number as text, without the cost of printf (this runs for
 * most attributes of a capture when the Info column is shown). */
static char *
number_text(wmem_allocator_t *pool, uint64_t v)
{
    char buf[24], *p = buf + sizeof buf - 1;

    *p = '\0';
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return wmem_strdup(pool, p);
}

static int
bad_length(msturn_att *a)
{
    expert_add_info_format(a->pinfo, a->item, &ei_att_bad_length,
                           "%s: length %d is wrong for this attribute", a->def->name, a->len);
    msturn_attr_raw(a, a->off, a->len);
    return 0;
}

/* Address kinds: RFC 8489 14.1 (plain) and 14.2 (XOR with the 32 bits after
 * the message length and, for IPv6, the 96 bits after them; for cookie-less
 * messages those bytes are the start of the 128-bit transaction ID, as in
 * draft-ietf-behave-rfc3489bis-02 that [MS-TURN] follows). */
/* The first value of a kind wins, as the sessions read it. */
static void
keep_address(msturn_att *a, int *has, address *to, uint16_t *to_port, const address *addr, uint16_t port)
{
    if (*has)
        return;
    *has = 1;
    copy_address_wmem(a->pinfo->pool, to, addr);
    *to_port = port;
}

/* Every IP address the XOR-PEER-ADDRESS values name, the first port each,
 * up to MSTURN_MSG_PEERS: a CreatePermission may name any number (RFC 8656
 * 10.1), an allocation follows no more than that many anyway. */
static void
keep_peer(msturn_att *a, const address *addr, uint16_t port)
{
    msturn_msg_info *i = a->info;
    unsigned k;

    for (k = 0; k < i->n_peers; k++)
        if (addresses_equal(&i->peers[k], addr))
            return;
    if (i->n_peers == MSTURN_MSG_PEERS) {
        expert_add_info_format(a->pinfo, a->item, &ei_too_many_peers,
            "Peer %s is beyond the %d addresses msturn follows per message: decoded, not "
            "followed", address_to_str(a->pinfo->pool, addr), MSTURN_MSG_PEERS);
        return;
    }
    copy_address_wmem(a->pinfo->pool, &i->peers[i->n_peers], addr);
    i->peer_ports[i->n_peers++] = port;
}

/* Values that sessions follow: the peer (RFC 8656 18.3 XOR-PEER-ADDRESS;
 * [MS-TURN] 2.2.2.10 DESTINATION-ADDRESS and 2.2.2.11 REMOTE-ADDRESS, which
 * reuse 0x0011 and 0x0012), the relayed address (RFC 8656 18.5; [MS-TURN]
 * 2.2.2.1 MAPPED-ADDRESS and 2.2.2.23 MS-ALTERNATE-MAPPED-ADDRESS of an
 * Allocate response). */
static void
follow_address(msturn_att *a, const address *addr, uint16_t port)
{
    msturn_msg_info *i = a->info;
    uint16_t t = a->def->type;

    if (t == 0x0012)
        keep_peer(a, addr, port);
    if (t == 0x0012 || (i->microsoft && t == 0x0011))
        keep_address(a, &i->has_peer, &i->peer, &i->peer_port, addr, port);
    else if (t == 0x0016 && i->has_relayed)
        keep_address(a, &i->has_relayed2, &i->relayed2, &i->relayed2_port, addr, port);
    else if (t == 0x0016)
        keep_address(a, &i->has_relayed, &i->relayed, &i->relayed_port, addr, port);
    else if (i->microsoft && t == 0x0001)
        keep_address(a, &i->has_ms_relay, &i->ms_relay, &i->ms_relay_port, addr, port);
    else if (t == 0x8090)
        keep_address(a, &i->has_ms_relay6, &i->ms_relay6, &i->ms_relay6_port, addr, port);
}

static void
dec_address(msturn_att *a, int xored)
{
    uint8_t family;
    uint16_t port;
    uint8_t mask[16];
    char *text = NULL;
    address addr;

    if (a->len < 8)
        return (void)bad_length(a);
    family = tvb_get_uint8(a->msg, a->off + 1);
    msturn_att_item(a, *a->f->hf[0], a->msg, a->off + 1, 1, ENC_BIG_ENDIAN);
    tvb_memcpy(a->msg, mask, 4, 16);
    port = tvb_get_ntohs(a->msg, a->off + 2);
    if (xored)
        port ^= (uint16_t)((mask[0] << 8) | mask[1]);
    proto_tree_add_uint(a->tree, *a->f->hf[1], a->msg, a->off + 2, 2, port);

    if (family == 0x01 && a->len == 8) {
        uint32_t ip = tvb_get_ipv4(a->msg, a->off + 4);   /* network order */
        uint32_t m;
        memcpy(&m, mask, 4);
        if (xored)
            ip ^= m;
        proto_tree_add_ipv4(a->tree, *a->f->hf[2], a->msg, a->off + 4, 4, ip);
        alloc_address_wmem(a->pinfo->pool, &addr, AT_IPv4, 4, &ip);
    } else if (family == 0x02 && a->len == 20) {
        ws_in6_addr ip6;
        int i;
        tvb_get_ipv6(a->msg, a->off + 4, &ip6);
        if (xored)
            for (i = 0; i < 16; i++)
                ip6.bytes[i] ^= mask[i];
        proto_tree_add_ipv6(a->tree, *a->f->hf[3], a->msg, a->off + 4, 16, &ip6);
        alloc_address_wmem(a->pinfo->pool, &addr, AT_IPv6, 16, &ip6);
    } else {
        bad_length(a);
        return;
    }
    if (text_wanted(a)) {
        const char *ip = address_to_str(a->pinfo->pool, &addr);
        const char *num = number_text(a->pinfo->pool, port);
        text = addr.type == AT_IPv6 ? wmem_strconcat(a->pinfo->pool, "[", ip, "]:", num, NULL)
                                    : wmem_strconcat(a->pinfo->pool, ip, ":", num, NULL);
        proto_item_append_text(a->item, ": %s", text);
    }
    append_info(a, text);
    follow_address(a, &addr, port);
}

/* ERROR-CODE (RFC 8489 14.8) and ADDRESS-ERROR-CODE (RFC 8656 18.12): the
 * same class and number, the latter with the address family first. */
static void
dec_error(msturn_att *a, int with_family)
{
    unsigned cls, num, code;
    const char *reason = "", *name;
    proto_item *ci;

    if (a->len < 4)
        return (void)bad_length(a);
    cls = tvb_get_uint8(a->msg, a->off + 2) & 0x07;
    num = tvb_get_uint8(a->msg, a->off + 3);
    code = cls * 100 + num;
    name = msturn_error_name(code, a->info->microsoft);
    if (with_family)
        msturn_att_item(a, *a->f->hf[2], a->msg, a->off, 1, ENC_BIG_ENDIAN);
    ci = proto_tree_add_uint(a->tree, *a->f->hf[0], a->msg, a->off + 2, 2, code);
    if (a->info->microsoft && name)     /* the dialect's own meaning */
        proto_item_set_text(ci, "%s code: %u (%s)", a->def->name, code, name);
    if (a->len > 4)
        proto_tree_add_item_ret_string(a->tree, *a->f->hf[1], a->msg, a->off + 4, a->len - 4,
                                       ENC_UTF_8, a->pinfo->pool, (const uint8_t **)&reason);
    if (text_wanted(a)) {
        const char *fam = with_family
            ? name_of(msturn_family_names, tvb_get_uint8(a->msg, a->off), "unknown family") : NULL;
        char *text = wmem_strdup_printf(a->pinfo->pool, "%s%s%u (%s)", fam ? fam : "", fam ? " " : "",
                                        code, name ? name : "Unknown");
        if (a->item)
            proto_item_append_text(a->item, ": %s%s%u (%s)", fam ? fam : "", fam ? " " : "", code,
                                   reason[0] ? reason : (name ? name : "Unknown"));
        append_info(a, text);
    }
    if (a->def->type == 0x0009) {
        a->info->has_error = 1;
        a->info->error_code = code;
        a->info->error_reason = reason;
    }
}

/* Does a check's result show: in a tree shown whole, to the expert tap, or
 * to a display filter on its status, its expert item or expert items at
 * all (_ws.expert)?  A filter's tree holds only what it references. */
static int
check_shown(const msturn_att *a, int status_hf, const expert_field *ei)
{
    static int expert_proto = -1;

    if (msturn_tree_visible(a->tree) || msturn_expert_listened())
        return 1;
    if (a->tree == NULL)
        return 0;
    if (expert_proto == -1)
        expert_proto = proto_get_id_by_filter_name("_ws.expert");
    return proto_field_is_referenced(a->tree, status_hf) ||
           proto_field_is_referenced(a->tree, ei->hf) ||
           (expert_proto > 0 && proto_field_is_referenced(a->tree, expert_proto));
}

static void
dec_fingerprint(msturn_att *a)
{
    uint32_t computed;

    if (a->len != 4)
        return (void)bad_length(a);
    /* RFC 8489 14.7: CRC-32 of the message up to this attribute, XOR
     * 0x5354554e.  The length in the header already counts the FINGERPRINT. */
    if (!check_shown(a, *a->f->hf[1], &ei_fingerprint_bad)) {
        /* the check shows only as its status and its expert item; the
         * value, for a filter that asks for it */
        msturn_att_item(a, *a->f->hf[0], a->msg, a->off, 4, ENC_BIG_ENDIAN);
        return;
    }
    computed = crc32_ccitt_tvb_offset(a->msg, 0, (unsigned)(a->off - 4)) ^ 0x5354554eU;
    proto_tree_add_checksum(a->tree, a->msg, a->off, *a->f->hf[0], *a->f->hf[1],
                            &ei_fingerprint_bad, a->pinfo, computed, ENC_BIG_ENDIAN,
                            PROTO_CHECKSUM_VERIFY);
}

static void
dec_integrity(msturn_att *a)
{
    proto_item *st;
    int status, sdp_status, sha256;
    msturn_ice_password used;

    /* MESSAGE-INTEGRITY-SHA256 (RFC 8489 14.6): 16 to 32 bytes, a multiple
     * of 4, the leading bytes of the HMAC.  MESSAGE-INTEGRITY (14.5):
     * 20 bytes of HMAC-SHA1, or 32 of HMAC-SHA256 from [MS-TURN] clients
     * with MS-VERSION 3 or later. */
    if (a->def->type == 0x001C) {
        if (a->len < 16 || a->len > 32 || (a->len & 3))
            return (void)bad_length(a);
        sha256 = 1;
    } else {
        if (a->len != 20 && a->len != 32)
            return (void)bad_length(a);
        sha256 = a->len == 32;
    }
    msturn_att_item(a, *a->f->hf[0], a->msg, a->off, a->len, ENC_NA);
    if (!sha256)
        proto_item_append_text(a->item, " (HMAC-SHA1)");
    else if (a->len == 32)
        proto_item_append_text(a->item, " (HMAC-SHA256)");
    else
        proto_item_append_text(a->item, " (HMAC-SHA256, first %d bytes)", a->len);
    sdp_status = PROTO_CHECKSUM_E_UNVERIFIED;
    status = msturn_hmac_check(a->msg, a->pinfo, a->off - 4, a->len, sha256, a->info);
    /* the credentials table wins; else the ICE passwords the SDP announced */
    if (status == PROTO_CHECKSUM_E_UNVERIFIED)
        status = sdp_status = msturn_hmac_check_sdp(a->msg, a->pinfo, a->off - 4, a->len, sha256,
                                                    a->info, &used);
    st = proto_tree_add_uint(a->tree, *a->f->hf[1], a->msg, a->off, a->len, (uint32_t)status);
    proto_item_set_generated(st);
    if (sdp_status == PROTO_CHECKSUM_E_BAD) {
        const char *colon = strchr(a->info->username, ':');
        int ufrag_len = colon ? (int)(colon - a->info->username) : (int)strlen(a->info->username);
        a->info->hmac_sdp_bad = 1;
        expert_add_info_format(a->pinfo, st, &ei_hmac_bad,
            "MESSAGE-INTEGRITY does not match the ICE password announced for %.*s by %s in the "
            "SDP of frame %u (Call-ID %s): the sender signs with another password",
            ufrag_len, a->info->username, address_to_str(a->pinfo->pool, &used.sdp->sender),
            used.sdp->frame, used.dialog->call_id);
    } else if (status == PROTO_CHECKSUM_E_BAD) {
        expert_add_info(a->pinfo, st, &ei_hmac_bad);
    }
}

static void
dec_number(msturn_att *a, int size)
{
    uint64_t v = 0;
    char *text;

    if (a->len < size || (size >= 4 && a->len != size))
        return (void)bad_length(a);
    switch (size) {
    case 1: v = tvb_get_uint8(a->msg, a->off); break;
    case 2: v = tvb_get_ntohs(a->msg, a->off); break;
    case 4: v = tvb_get_ntohl(a->msg, a->off); break;
    default: v = tvb_get_ntoh64(a->msg, a->off); break;
    }
    msturn_att_item(a, *a->f->hf[0], a->msg, a->off, size, ENC_BIG_ENDIAN);
    text = NULL;
    if (text_wanted(a)) {
        const char *meaning = msturn_value_name_of(a->def->names, (uint32_t)v);
        text = size == 8 ? wmem_strdup_printf(a->pinfo->pool, "0x%016" PRIx64, v)
                         : number_text(a->pinfo->pool, v);
        if (meaning)
            proto_item_append_text(a->item, ": %s (%s)", text, meaning);
        else
            proto_item_append_text(a->item, ": %s", text);
    }
    append_info(a, text);
    if (a->def->type == 0x002A && size == 4) {          /* RFC 6062 6.2.1 */
        a->info->has_connection_id = 1;
        a->info->connection_id = (uint32_t)v;
    } else if (a->def->type == 0x000D && size == 4) {   /* RFC 8656 18.2 */
        a->info->has_lifetime = 1;
        a->info->lifetime = (uint32_t)v;
    } else if (a->def->type == 0x000C && size == 2) {   /* RFC 8656 18.1 */
        a->info->has_channel = 1;
        a->info->channel = (uint16_t)v;
    } else if (a->def->type == 0x8008) {                /* [MS-TURN] 2.2.2.17 */
        a->info->has_ms_version = 1;
    }
}

/* PASSWORD-ALGORITHMS (RFC 8489 14.11) is a list of what PASSWORD-ALGORITHM
 * (14.12) holds once: algorithm, parameters length, parameters padded to 4. */
static void
dec_password_algorithms(msturn_att *a)
{
    int off = 0;
    wmem_strbuf_t *names = text_wanted(a) ? wmem_strbuf_new(a->pinfo->pool, "") : NULL;

    if (a->len < 4)
        return (void)bad_length(a);
    while (off < a->len) {
        uint16_t alg, plen;
        int step;

        if (a->len - off < 4) {
            expert_add_info_format(a->pinfo, a->item, &ei_att_bad_length,
                                   "%s: %d bytes left over after the last algorithm", a->def->name,
                                   a->len - off);
            msturn_attr_raw(a, a->off + off, a->len - off);
            break;
        }
        alg = tvb_get_ntohs(a->msg, a->off + off);
        plen = tvb_get_ntohs(a->msg, a->off + off + 2);
        msturn_att_item(a, *a->f->hf[0], a->msg, a->off + off, 2, ENC_BIG_ENDIAN);
        msturn_att_item(a, *a->f->hf[1], a->msg, a->off + off + 2, 2, ENC_BIG_ENDIAN);
        step = 4 + plen + ((4 - (plen & 3)) & 3);
        if (4 + plen > a->len - off) {
            expert_add_info_format(a->pinfo, a->item, &ei_att_bad_length,
                                   "%s: parameters of length %u run past the attribute",
                                   a->def->name, plen);
            msturn_attr_raw(a, a->off + off + 4, a->len - off - 4);
            break;
        }
        if (plen)
            msturn_att_item(a, *a->f->hf[2], a->msg, a->off + off + 4, plen, ENC_NA);
        if (names)
            wmem_strbuf_append_printf(names, "%s%s", off ? ", " : "",
                                      name_of(msturn_password_algorithm_names, alg, "Unknown"));
        off += step;
        /* 14.12 holds exactly one */
        if (a->def->type == 0x001D && off < a->len) {
            expert_add_info_format(a->pinfo, a->item, &ei_att_bad_length,
                                   "%s holds one algorithm; %d bytes follow it", a->def->name,
                                   a->len - off);
            break;
        }
    }
    if (names && a->item && wmem_strbuf_get_len(names) > 0)
        proto_item_append_text(a->item, ": %s", wmem_strbuf_get_str(names));
}

/* ---- one decoder per value kind ----------------------------------------- */

static void dec_plain_address(msturn_att *a) { dec_address(a, 0); }
static void dec_xor_address(msturn_att *a) { dec_address(a, 1); }
static void dec_error_code(msturn_att *a) { dec_error(a, 0); }
static void dec_address_error(msturn_att *a) { dec_error(a, 1); }
static void dec_uint8(msturn_att *a) { dec_number(a, 1); }
static void dec_uint16(msturn_att *a) { dec_number(a, 2); }
static void dec_uint32(msturn_att *a) { dec_number(a, 4); }
static void dec_uint64(msturn_att *a) { dec_number(a, 8); }

/* A 32-bit word shown in hex: flags, [MS-TURN] 2.2.2.8 MAGIC-COOKIE. */
static void
dec_word(msturn_att *a)
{
    if (a->len != 4)
        return (void)bad_length(a);
    msturn_att_item(a, *a->f->hf[0], a->msg, a->off, 4, ENC_BIG_ENDIAN);
    proto_item_append_text(a->item, ": 0x%08x", tvb_get_ntohl(a->msg, a->off));
}

/* A flag with no value (RFC 8445 16.1 USE-CANDIDATE, RFC 8656 18.9). */
static void
dec_empty(msturn_att *a)
{
    if (a->len != 0)
        return (void)bad_length(a);
    msturn_att_item(a, *a->f->hf[0], a->msg, a->off, 0, ENC_NA);
    append_info(a, NULL);
}

/* A UTF-8 value as text, without a tree to add it to: ASCII (the common
 * case, and UTF-8 as it stands) copied, anything else converted as
 * proto_tree_add_item_ret_string would. */
static const char *
value_text(const msturn_att *a)
{
    const uint8_t *p = tvb_get_ptr(a->msg, a->off, a->len);
    int i;

    for (i = 0; i < a->len; i++)
        if (p[i] < 0x20 || p[i] >= 0x7F)
            return (const char *)tvb_get_string_enc(a->pinfo->pool, a->msg, a->off, a->len, ENC_UTF_8);
    return wmem_strndup(a->pinfo->pool, (const char *)p, (size_t)a->len);
}

/* REALM, NONCE, SOFTWARE and their kind.  The realm is kept for the
 * credentials of MESSAGE-INTEGRITY; the others' text is only shown. */
static void
dec_string(msturn_att *a)
{
    const char *s;
    bool realm = strcmp(a->def->field, "realm") == 0;

    if (a->tree != NULL) {
        const uint8_t *v;
        proto_tree_add_item_ret_string(a->tree, *a->f->hf[0], a->msg, a->off, a->len,
                                       ENC_UTF_8, a->pinfo->pool, &v);
        s = (const char *)v;
        proto_item_append_text(a->item, ": %s", s);
    } else if (realm || text_wanted(a)) {
        s = value_text(a);
    } else {
        append_info(a, NULL);       /* a fixed word ("with nonce"), if any */
        return;
    }
    append_info(a, s);
    if (realm)
        a->info->realm = s;
}

/* RFC 8489 14.3 USERNAME is UTF-8; [MS-TURN] clients put an opaque token
 * there (a Send Request's starts 02 00 00 24): bytes, not text with stray
 * characters. */
static void
dec_username(msturn_att *a)
{
    const uint8_t *s;

    if (!msturn_is_printable_text(tvb_get_ptr(a->msg, a->off, a->len), (size_t)a->len)) {
        msturn_att_item(a, *a->f->hf[1], a->msg, a->off, a->len, ENC_NA);
        proto_item_append_text(a->item, ": %d-byte token", a->len);
        return;
    }
    if (a->tree != NULL) {
        proto_tree_add_item_ret_string(a->tree, *a->f->hf[0], a->msg, a->off, a->len,
                                       ENC_UTF_8, a->pinfo->pool, &s);
        proto_item_append_text(a->item, ": %s", s);
    } else {
        s = (const uint8_t *)value_text(a);     /* for MESSAGE-INTEGRITY and ICE */
    }
    append_info(a, (const char *)s);
    a->info->username = (const char *)s;
}

/* [MS-TURNBWM] 2.2.14 LOCATION-PROFILE: peer, self, federation, reserved. */
static void
dec_ms_location(msturn_att *a)
{
    int i;

    if (a->len != 4)
        return (void)bad_length(a);
    for (i = 0; i < 3; i++)
        msturn_att_item(a, *a->f->hf[i], a->msg, a->off + i, 1, ENC_BIG_ENDIAN);
    proto_item_append_text(a->item, ": peer %s, self %s, %s",
        name_of(msturn_ms_location_names, tvb_get_uint8(a->msg, a->off), "Unknown value"),
        name_of(msturn_ms_location_names, tvb_get_uint8(a->msg, a->off + 1), "Unknown value"),
        name_of(msturn_ms_federation_names, tvb_get_uint8(a->msg, a->off + 2), "Unknown federation"));
}

/* [MS-TURNBWM] 2.2.1: 16 reserved bits, then the message type. */
static void
dec_ms_bw_acm(msturn_att *a)
{
    const char *s;

    if (a->len != 4)
        return (void)bad_length(a);
    msturn_att_item(a, *a->f->hf[0], a->msg, a->off + 2, 2, ENC_BIG_ENDIAN);
    s = name_of(msturn_ms_bw_acm_names, tvb_get_ntohs(a->msg, a->off + 2), "Unknown message type");
    proto_item_append_text(a->item, ": %s", s);
    append_info(a, s);
}

/* A number in the first byte, then 3 reserved bytes: RFC 8656 18.8
 * REQUESTED-TRANSPORT (protocol) and 18.6, 18.11 (address family). */
static void
dec_byte_code(msturn_att *a, const msturn_value_name *names)
{
    const char *s;

    if (a->len != 4)
        return (void)bad_length(a);
    msturn_att_item(a, *a->f->hf[0], a->msg, a->off, 1, ENC_BIG_ENDIAN);
    s = name_of(names, tvb_get_uint8(a->msg, a->off), "Unknown");
    proto_item_append_text(a->item, ": %s", s);
    append_info(a, s);
    if (a->def->type == 0x0019) {                   /* RFC 8656 18.8 */
        a->info->has_transport = 1;
        a->info->transport = tvb_get_uint8(a->msg, a->off);
    }
}

static void dec_protocol(msturn_att *a) { dec_byte_code(a, msturn_protocol_names); }
static void dec_family(msturn_att *a) { dec_byte_code(a, msturn_family_names); }

/* RFC 8489 14.13 UNKNOWN-ATTRIBUTES: 16-bit attribute types. */
static void
dec_attr_list(msturn_att *a)
{
    int i;

    if (a->len % 2)
        return (void)bad_length(a);
    for (i = 0; i < a->len; i += 2) {
        uint16_t t = tvb_get_ntohs(a->msg, a->off + i);
        proto_item *ti = msturn_att_item(a, *a->f->hf[0], a->msg, a->off + i, 2, ENC_BIG_ENDIAN);
        const msturn_attr_def *d = msturn_attr_lookup(t, a->info->microsoft);
        if (d)
            proto_item_append_text(ti, " (%s)", d->name);
    }
}

/* [MS-TURN] 2.2.2.21 MS-SEQUENCE-NUMBER: 20-byte connection ID, number.
 * Teams sends the short form, the number alone (length 4), on the Allocate
 * that releases an allocation (LIFETIME 0): read as the number, and said. */
static void
dec_ms_sequence(msturn_att *a)
{
    int num_off = a->off + 20;

    if (a->len == 4) {
        num_off = a->off;
        expert_add_info(a->pinfo, a->item, &ei_ms_sequence_short);
    } else if (a->len != 24) {
        return (void)bad_length(a);
    } else {
        msturn_att_item(a, *a->f->hf[0], a->msg, a->off, 20, ENC_NA);
    }
    msturn_att_item(a, *a->f->hf[1], a->msg, num_off, 4, ENC_BIG_ENDIAN);
    proto_item_append_text(a->item, ": %u", tvb_get_ntohl(a->msg, num_off));
}

/* [MS-TURN] 2.2.2.22 MS-SERVICE-QUALITY: stream type, service quality. */
static void
dec_ms_quality(msturn_att *a)
{
    if (a->len != 4)
        return (void)bad_length(a);
    msturn_att_item(a, *a->f->hf[0], a->msg, a->off, 2, ENC_BIG_ENDIAN);
    msturn_att_item(a, *a->f->hf[1], a->msg, a->off + 2, 2, ENC_BIG_ENDIAN);
    proto_item_append_text(a->item, ": %s, %s",
        name_of(msturn_ms_stream_type_names, tvb_get_ntohs(a->msg, a->off), "Unknown stream"),
        name_of(msturn_ms_service_quality_names, tvb_get_ntohs(a->msg, a->off + 2), "Unknown quality"));
}

/* [MS-TURNBWM] 2.2.8-2.2.11: flags (valid, PSTN failover), max send, max receive. */
static void
dec_ms_site_response(msturn_att *a)
{
    if (a->len != 12)
        return (void)bad_length(a);
    msturn_att_item(a, *a->f->hf[0], a->msg, a->off, 4, ENC_BIG_ENDIAN);
    msturn_att_item(a, *a->f->hf[1], a->msg, a->off, 4, ENC_BIG_ENDIAN);
    msturn_att_item(a, *a->f->hf[2], a->msg, a->off + 4, 4, ENC_BIG_ENDIAN);
    msturn_att_item(a, *a->f->hf[3], a->msg, a->off + 8, 4, ENC_BIG_ENDIAN);
}

/* [MS-TURNBWM] 2.2.3 bandwidth reservation amount: four 32-bit kbps. */
static void
dec_ms_bandwidth(msturn_att *a)
{
    int i;

    if (a->len != 16)
        return (void)bad_length(a);
    for (i = 0; i < 4; i++)
        msturn_att_item(a, *a->f->hf[i], a->msg, a->off + 4 * i, 4, ENC_BIG_ENDIAN);
}

/* RFC 5780 7.2 CHANGE-REQUEST: flags A (change IP) and B (change port). */
static void
dec_change_request(msturn_att *a)
{
    uint32_t v;

    if (a->len != 4)
        return (void)bad_length(a);
    msturn_att_item(a, *a->f->hf[0], a->msg, a->off, 4, ENC_BIG_ENDIAN);
    msturn_att_item(a, *a->f->hf[1], a->msg, a->off, 4, ENC_BIG_ENDIAN);
    msturn_att_item(a, *a->f->hf[2], a->msg, a->off, 4, ENC_BIG_ENDIAN);
    v = tvb_get_ntohl(a->msg, a->off);
    proto_item_append_text(a->item, ": %s", (v & 6) == 6 ? "change IP and port" :
                           (v & 4) ? "change IP" : (v & 2) ? "change port" : "no change");
}

/* RFC 8656 18.7 EVEN-PORT: one byte (R bit, 7 reserved), then padding. */
static void
dec_even_port(msturn_att *a)
{
    if (a->len != 1)
        return (void)bad_length(a);
    msturn_att_item(a, *a->f->hf[0], a->msg, a->off, 1, ENC_BIG_ENDIAN);
    msturn_att_item(a, *a->f->hf[1], a->msg, a->off, 1, ENC_BIG_ENDIAN);
    proto_item_append_text(a->item, ": %s", (tvb_get_uint8(a->msg, a->off) & 0x80)
                           ? "reserve the next port" : "no reservation");
}

/* RFC 8656 18.13 ICMP: 16 reserved bits, type, code, error data. */
static void
dec_icmp(msturn_att *a)
{
    if (a->len != 8)
        return (void)bad_length(a);
    msturn_att_item(a, *a->f->hf[0], a->msg, a->off + 2, 1, ENC_BIG_ENDIAN);
    msturn_att_item(a, *a->f->hf[1], a->msg, a->off + 3, 1, ENC_BIG_ENDIAN);
    msturn_att_item(a, *a->f->hf[2], a->msg, a->off + 4, 4, ENC_BIG_ENDIAN);
    proto_item_append_text(a->item, ": type %u, code %u", tvb_get_uint8(a->msg, a->off + 2),
                           tvb_get_uint8(a->msg, a->off + 3));
}

/* RFC 7982 3.1 TRANSACTION-TRANSMIT-COUNTER: 16 reserved bits, Req, Resp. */
static void
dec_transmit_counter(msturn_att *a)
{
    if (a->len != 4)
        return (void)bad_length(a);
    msturn_att_item(a, *a->f->hf[0], a->msg, a->off + 2, 1, ENC_BIG_ENDIAN);
    msturn_att_item(a, *a->f->hf[1], a->msg, a->off + 3, 1, ENC_BIG_ENDIAN);
    proto_item_append_text(a->item, ": request %u, response %u", tvb_get_uint8(a->msg, a->off + 2),
                           tvb_get_uint8(a->msg, a->off + 3));
}

/* GOOG-NETWORK-INFO: 16-bit network ID, 16-bit network cost. */
static void
dec_goog_network(msturn_att *a)
{
    if (a->len != 4)
        return (void)bad_length(a);
    msturn_att_item(a, *a->f->hf[0], a->msg, a->off, 2, ENC_BIG_ENDIAN);
    msturn_att_item(a, *a->f->hf[1], a->msg, a->off + 2, 2, ENC_BIG_ENDIAN);
    proto_item_append_text(a->item, ": network %u, cost %u (%s)", tvb_get_ntohs(a->msg, a->off),
                           tvb_get_ntohs(a->msg, a->off + 2),
                           name_of(msturn_goog_network_cost_names, tvb_get_ntohs(a->msg, a->off + 2),
                                   "Unknown"));
}

static void
dec_opaque(msturn_att *a)
{
    msturn_att_item(a, *a->f->hf[0], a->msg, a->off, a->len, ENC_NA);
    if (a->len > 0)
        proto_item_append_text(a->item, ": %d bytes", a->len);
}

/* RFC 8656 18.4 DATA: what the peer sent.  The layer that framed this
 * message decides what it is (STUN, RTP, RTCP) once the message is done. */
static void
dec_data(msturn_att *a)
{
    dec_opaque(a);
    if (!a->info->has_data) {
        a->info->has_data = 1;
        a->info->data_off = a->off;
        a->info->data_len = a->len;
        a->info->data_tree = a->tree;
    }
}

/* The decoder of each value kind (msturn_attr_table.h). */
static void (*const decoders[])(msturn_att *) = {
    [MSTURN_VK_OPAQUE]           = dec_opaque,
    [MSTURN_VK_EMPTY]            = dec_empty,
    [MSTURN_VK_STRING]           = dec_string,
    [MSTURN_VK_UINT8]            = dec_uint8,
    [MSTURN_VK_UINT16]           = dec_uint16,
    [MSTURN_VK_UINT32]           = dec_uint32,
    [MSTURN_VK_UINT64]           = dec_uint64,
    [MSTURN_VK_ADDRESS]          = dec_plain_address,
    [MSTURN_VK_XOR_ADDRESS]      = dec_xor_address,
    [MSTURN_VK_ERROR_CODE]       = dec_error_code,
    [MSTURN_VK_ATTR_LIST]        = dec_attr_list,
    [MSTURN_VK_INTEGRITY]        = dec_integrity,
    [MSTURN_VK_FINGERPRINT]      = dec_fingerprint,
    [MSTURN_VK_PROTOCOL]         = dec_protocol,
    [MSTURN_VK_FAMILY]           = dec_family,
    [MSTURN_VK_FLAGS32]          = dec_word,
    [MSTURN_VK_MS_SEQUENCE]      = dec_ms_sequence,
    [MSTURN_VK_MS_QUALITY]       = dec_ms_quality,
    [MSTURN_VK_MS_SITE_RESPONSE] = dec_ms_site_response,
    [MSTURN_VK_MS_BANDWIDTH]     = dec_ms_bandwidth,
    [MSTURN_VK_MAGIC_COOKIE]     = dec_word,
    [MSTURN_VK_USERNAME]         = dec_username,
    [MSTURN_VK_MS_LOCATION]      = dec_ms_location,
    [MSTURN_VK_MS_BW_ACM]        = dec_ms_bw_acm,
    [MSTURN_VK_DATA]             = dec_data,
    [MSTURN_VK_CHANGE_REQUEST]   = dec_change_request,
    [MSTURN_VK_EVEN_PORT]        = dec_even_port,
    [MSTURN_VK_ADDRESS_ERROR]    = dec_address_error,
    [MSTURN_VK_ICMP]             = dec_icmp,
    [MSTURN_VK_PASSWORD_ALGS]    = dec_password_algorithms,
    [MSTURN_VK_GOOG_NETWORK]     = dec_goog_network,
    [MSTURN_VK_TRANSMIT_COUNTER] = dec_transmit_counter,
};

void
msturn_attr_decode(msturn_att *a)
{
    if ((size_t)a->def->kind < array_length(decoders) && decoders[a->def->kind] != NULL)
        decoders[a->def->kind](a);
    else
        dec_opaque(a);
}

void
msturn_attr_raw(const msturn_att *a, int off, int len)
{
    msturn_att_item(a, hf_att_value, a->msg, off, len, ENC_NA);
}

void
msturn_attr_decode_register(int proto)
{
    static hf_register_info hf[] = {
        { &hf_att_value,
          { "Value", "msturn.att.value", FT_BYTES, BASE_NONE, NULL, 0x0,
            "Raw value of an attribute msturn does not know or could not decode", HFILL } },
    };
    static ei_register_info ei[] = {
        { &ei_att_bad_length, { "msturn.att.bad_length", PI_MALFORMED, PI_ERROR,
            "Attribute length is wrong for its type", EXPFILL } },
        { &ei_ms_sequence_short, { "msturn.att.ms_sequence_number.short", PI_PROTOCOL, PI_NOTE,
            "MS-SEQUENCE-NUMBER in its short form (number only)",
            EXPFILL } },
        { &ei_fingerprint_bad, { "msturn.att.fingerprint.bad", PI_CHECKSUM, PI_ERROR,
            "Bad FINGERPRINT", EXPFILL } },
        { &ei_hmac_bad, { "msturn.att.hmac.bad", PI_CHECKSUM, PI_WARN,
            "MESSAGE-INTEGRITY does not match the credentials", EXPFILL } },
        { &ei_too_many_peers, { "msturn.att.too_many_peers", PI_SEQUENCE, PI_NOTE,
            "Peer address beyond those msturn follows per message", EXPFILL } },
    };
    expert_module_t *em;

    proto_register_field_array(proto, hf, array_length(hf));
    em = expert_register_protocol(proto);
    expert_register_field_array(em, ei, array_length(ei));
}

/* msturn_message.c - one STUN/TURN/MS-TURN message: header, names,
 * request/response matching (README.request_response_tracking).
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "msturn_message.h"
#include "msturn_attrs.h"
#include "msturn_methods.h"
#include "msturn_view.h"

#include <epan/tap.h>
#include <string.h>

static int hf_type = -1;
static int hf_method = -1;
static int hf_class = -1;
static int hf_length = -1;
static int hf_cookie = -1;
static int hf_id = -1;
static int hf_response_in = -1;
static int hf_response_to = -1;
static int hf_time = -1;
static int hf_retransmission = -1;
static int hf_dialect = -1;
static int hf_ms_type = -1;

static int ett_type = -1;

static expert_field ei_error_response = EI_INIT;
static expert_field ei_challenge = EI_INIT;
static expert_field ei_ice_rejected = EI_INIT;
static expert_field ei_retransmission = EI_INIT;
static expert_field ei_length_not_mult4 = EI_INIT;
static expert_field ei_no_response = EI_INIT;
static expert_field ei_transactions_dropped = EI_INIT;
static expert_field ei_method_unknown = EI_INIT;

/* Requests tracked per connection: memory stays bounded on a hostile or
 * endless connection.  16384 is 11 hours of ICE consent checks from both
 * ends of a data connection (RFC 7675 5.1: one every 5 s on average). */
#define MSTURN_MAX_TRANSACTIONS 16384u

static value_string *method_vals;
static GHashTable *name_cache;      /* "<Method> <Class>" of known methods */
static value_string *class_vals;
static value_string *ms_type_vals;

/* msturn.dialect: the header form, and [MS-TURN] messages that keep the
 * RFC 5389 cookie (Teams) told apart from IETF ones. */
#define MSTURN_DIALECT_MS_COOKIE 4

static const value_string dialect_vals[] = {
    { MSTURN_FLAVOR_RFC5389, "RFC 5389/8489 (magic cookie)" },
    { MSTURN_FLAVOR_LEGACY,  "Microsoft legacy MS-TURN (MAGIC-COOKIE attribute)" },
    { MSTURN_FLAVOR_CLASSIC, "RFC 3489 classic STUN" },
    { MSTURN_DIALECT_MS_COOKIE, "MS-TURN with the magic cookie (MAGIC-COOKIE attribute first)" },
    { 0, NULL }
};

/* Transactions are keyed by their ID within one conversation. */
typedef struct {
    uint8_t  id[16];
    unsigned len;
} trans_key;

typedef struct {
    uint32_t req_frame;
    uint32_t rsp_frame;
    nstime_t req_time;
} transaction;

static unsigned
trans_hash(gconstpointer k)
{
    const trans_key *t = (const trans_key *)k;
    unsigned h = 2166136261u;      /* FNV-1a */
    unsigned i;
    for (i = 0; i < t->len; i++)
        h = (h ^ t->id[i]) * 16777619u;
    return h;
}

static gboolean
trans_equal(gconstpointer a, gconstpointer b)
{
    const trans_key *x = (const trans_key *)a, *y = (const trans_key *)b;
    return x->len == y->len && memcmp(x->id, y->id, x->len) == 0;
}

static value_string *
vals_from(const msturn_name_def *rows, size_t n)
{
    value_string *v = g_new0(value_string, n + 1);
    size_t i;
    for (i = 0; i < n; i++) {
        v[i].value = rows[i].code;
        v[i].strptr = rows[i].name;
    }
    return v;
}

void
msturn_message_register(int proto)
{
    static hf_register_info hf[] = {
        { &hf_type, { "Message Type", "msturn.type", FT_UINT16, BASE_HEX, NULL, 0,
                      NULL, HFILL } },
        { &hf_method, { "Message Method", "msturn.method", FT_UINT16, BASE_HEX, NULL, 0,
                        "Method, from the interleaved bits of the message type (RFC 8489 5)", HFILL } },
        { &hf_class, { "Message Class", "msturn.class", FT_UINT8, BASE_DEC, NULL, 0,
                       "Class, from bits 4 and 8 of the message type (RFC 8489 5)", HFILL } },
        { &hf_length, { "Message Length", "msturn.length", FT_UINT16, BASE_DEC, NULL, 0,
                        "Length of the attributes, header excluded", HFILL } },
        { &hf_cookie, { "Message Cookie", "msturn.cookie", FT_UINT32, BASE_HEX, NULL, 0,
                        NULL, HFILL } },
        { &hf_id, { "Message Transaction ID", "msturn.id", FT_BYTES, BASE_NONE, NULL, 0,
                    NULL, HFILL } },
        { &hf_ms_type, { "Microsoft Message Type", "msturn.ms_type", FT_UINT16, BASE_HEX, NULL, 0,
                         "[MS-TURN] 2.2.1 message type of a message in Microsoft's dialect "
                         "(MAGIC-COOKIE first), e.g. msturn.ms_type == \"Data Indication\"", HFILL } },
        { &hf_dialect, { "Dialect", "msturn.dialect", FT_UINT8, BASE_DEC, VALS(dialect_vals), 0,
                         "Which STUN header this message uses", HFILL } },
        { &hf_response_in, { "Response In", "msturn.response_in", FT_FRAMENUM, BASE_NONE,
                             FRAMENUM_TYPE(FT_FRAMENUM_RESPONSE), 0,
                             "The response to this request is in this frame", HFILL } },
        { &hf_response_to, { "Request In", "msturn.response_to", FT_FRAMENUM, BASE_NONE,
                             FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0,
                             "This is a response to the request in this frame", HFILL } },
        { &hf_time, { "Time", "msturn.time", FT_RELATIVE_TIME, BASE_NONE, NULL, 0,
                      "Time between the request and this response", HFILL } },
        { &hf_retransmission, { "Retransmission of the message in", "msturn.retransmission",
                                FT_FRAMENUM, BASE_NONE, NULL, 0,
                                "Same transaction ID as an earlier message of this class", HFILL } },
    };
    static int *ett[] = { &ett_type };
    static ei_register_info ei[] = {
        { &ei_error_response, { "msturn.error_response", PI_RESPONSE_CODE, PI_NOTE,
            "Error response", EXPFILL } },
        { &ei_challenge, { "msturn.challenge", PI_RESPONSE_CODE, PI_CHAT,
            "401 challenge: the server asks for credentials", EXPFILL } },
        { &ei_ice_rejected, { "msturn.ice_rejected", PI_RESPONSE_CODE, PI_WARN,
            "ICE check refused with 401 (short-term credentials)",
            EXPFILL } },
        { &ei_retransmission, { "msturn.retransmission.expert", PI_SEQUENCE, PI_NOTE,
            "Retransmitted message", EXPFILL } },
        { &ei_transactions_dropped, { "msturn.transactions_dropped", PI_SEQUENCE, PI_NOTE,
            "Too many open requests: not matched with a response", EXPFILL } },
        { &ei_method_unknown, { "msturn.method.unknown", PI_PROTOCOL, PI_NOTE,
            "Method not in the STUN methods registry", EXPFILL } },
        { &ei_length_not_mult4, { "msturn.length.bad", PI_MALFORMED, PI_ERROR,
            "Message length is not a multiple of 4 (RFC 8489 6)", EXPFILL } },
        { &ei_no_response, { "msturn.no_response", PI_SEQUENCE, PI_WARN,
            "Request never answered in this capture", EXPFILL } },
    };
    expert_module_t *em;

    method_vals = vals_from(msturn_methods, msturn_methods_count);
    name_cache = g_hash_table_new(g_direct_hash, g_direct_equal);
    class_vals = vals_from(msturn_classes, msturn_classes_count);
    ms_type_vals = g_new0(value_string, msturn_ms_types_count + 1);
    {
        size_t i;
        for (i = 0; i < msturn_ms_types_count; i++) {
            ms_type_vals[i].value = msturn_ms_types[i].type;
            ms_type_vals[i].strptr = msturn_ms_types[i].name;
        }
    }
    hf[1].hfinfo.strings = VALS(method_vals);
    hf[2].hfinfo.strings = VALS(class_vals);
    hf[6].hfinfo.strings = VALS(ms_type_vals);

    proto_register_field_array(proto, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    em = expert_register_protocol(proto);
    expert_register_field_array(em, ei, array_length(ei));
}

/* The name users know: Microsoft's for [MS-TURN] messages, otherwise
 * "<Method> <Class>" (RFC 8489 5). */
static const char *
message_name(wmem_allocator_t *pool, const msturn_msg_info *m)
{
    const char *method, *cls;

    if (m->ms_type)
        return m->ms_type->name;
    method = msturn_name_lookup(msturn_methods, msturn_methods_count, (uint16_t)m->method);
    cls = msturn_name_lookup(msturn_classes, msturn_classes_count, (uint16_t)m->cls);
    if (method) {
        /* Formatted once per known method and class (a bounded set), not
         * once per message: printf is the costliest step of a message. */
        void *key = GUINT_TO_POINTER(((m->method << 2) | m->cls) + 1);
        char *n = (char *)g_hash_table_lookup(name_cache, key);
        if (n == NULL) {
            n = g_strdup_printf("%s %s", method, cls);
            g_hash_table_insert(name_cache, key, n);
        }
        return n;
    }
    return wmem_strdup_printf(pool, "Method 0x%03x %s", m->method, cls);
}

static void
track_transaction(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                  msturn_conv *conv, msturn_msg_info *m, proto_item *msg_item)
{
    trans_key key;
    transaction *t;
    proto_item *it;
    int full;

    if (conv == NULL || m->cls == MSTURN_CLASS_INDICATION)
        return;
    memset(&key, 0, sizeof key);
    memcpy(key.id, m->id, m->id_len);
    key.len = m->id_len;

    if (conv->transactions == NULL)
        conv->transactions = wmem_map_new(wmem_file_scope(), trans_hash, trans_equal);
    t = (transaction *)wmem_map_lookup(conv->transactions, &key);
    full = wmem_map_size(conv->transactions) >= MSTURN_MAX_TRANSACTIONS;
    if (!PINFO_FD_VISITED(pinfo)) {
        if (t == NULL && m->cls == MSTURN_CLASS_REQUEST && !full) {
            trans_key *k = wmem_new(wmem_file_scope(), trans_key);
            *k = key;
            t = wmem_new0(wmem_file_scope(), transaction);
            t->req_frame = pinfo->num;
            t->req_time = pinfo->abs_ts;
            wmem_map_insert(conv->transactions, k, t);
        } else if (t != NULL && m->cls != MSTURN_CLASS_REQUEST && t->rsp_frame == 0) {
            t->rsp_frame = pinfo->num;
        }
    }
    if (t == NULL) {
        if (m->cls == MSTURN_CLASS_REQUEST && full)
            expert_add_info(pinfo, msg_item, &ei_transactions_dropped);
        return;
    }

    if (m->cls == MSTURN_CLASS_REQUEST) {
        if (t->rsp_frame) {
            it = proto_tree_add_uint(tree, hf_response_in, tvb, 0, 0, t->rsp_frame);
            proto_item_set_generated(it);
        } else if (PINFO_FD_VISITED(pinfo) && !(m->ms_type && m->type == 0x0004)) {
            /* Only once the whole capture has been read can "no response"
             * be told apart from "response not seen yet" (two passes).
             * [MS-TURN] Send requests carry data toward the peer and are
             * not answered by the server. */
            expert_add_info(pinfo, msg_item, &ei_no_response);
        }
        if (t->req_frame != pinfo->num) {
            it = proto_tree_add_uint(tree, hf_retransmission, tvb, 0, 0, t->req_frame);
            proto_item_set_generated(it);
            expert_add_info(pinfo, msg_item, &ei_retransmission);
        }
    } else if (t->req_frame) {
        nstime_t d;
        it = proto_tree_add_uint(tree, hf_response_to, tvb, 0, 0, t->req_frame);
        proto_item_set_generated(it);
        nstime_delta(&d, &pinfo->abs_ts, &t->req_time);
        it = proto_tree_add_time(tree, hf_time, tvb, 0, 0, &d);
        proto_item_set_generated(it);
        if (t->rsp_frame && t->rsp_frame != pinfo->num) {
            it = proto_tree_add_uint(tree, hf_retransmission, tvb, 0, 0, t->rsp_frame);
            proto_item_set_generated(it);
            expert_add_info(pinfo, msg_item, &ei_retransmission);
        }
    }
}

int
msturn_dissect_message(tvbuff_t *tvb, packet_info *pinfo, proto_item *ti, proto_tree *mt,
                       msturn_conv *conv, msturn_flavor flavor, int nested, msturn_msg_info *m)
{
    proto_item *ty;
    proto_tree *tt;
    wmem_strbuf_t *summary;
    const char *name;
    uint16_t len;

    memset(m, 0, sizeof *m);
    m->flavor = flavor;
    m->nested = nested;
    m->type = tvb_get_ntohs(tvb, 0);
    m->method = msturn_type_method(m->type);
    m->cls = msturn_type_class(m->type);
    len = tvb_get_ntohs(tvb, 2);
    /* The dialect is the message's own: [MS-TURN] 2.2.2 puts MAGIC-COOKIE
     * first in every message, with or without the RFC 5389 cookie (Teams
     * sends both).  An IETF message on the same connection, even one that
     * carries MS-VERSION, stays IETF. */
    m->microsoft = flavor == MSTURN_FLAVOR_LEGACY || msturn_first_attr_is_ms_cookie(tvb);
    if (m->microsoft && (m->ms_type = msturn_ms_type_lookup(m->type)) != NULL) {
        m->method = m->ms_type->method;
        m->cls = m->ms_type->cls;
    }
    if (flavor == MSTURN_FLAVOR_RFC5389) {
        m->id_len = 12;
        tvb_memcpy(tvb, m->id, 8, 12);
    } else {
        m->id_len = 16;
        tvb_memcpy(tvb, m->id, 4, 16);
    }

    /* A later pass with no tree, no columns and no expert listener (e.g.
     * tshark -2 -q -z msturn,sessions) shows nothing of a message, and the
     * session state was settled in the first pass: the header is enough. */
    if (PINFO_FD_VISITED(pinfo) && mt == NULL && pinfo->cinfo == NULL && !msturn_expert_listened()) {
        m->header_only = 1;
        return (int)tvb_reported_length(tvb);
    }

    name = message_name(pinfo->pool, m);
    proto_item_append_text(ti, ", %s", name);
    /* A method outside the IANA registry (RFC 8489 18.2) is a vendor's or
     * an unknown extension's, not a broken message: said, and decoded on. */
    if (m->ms_type == NULL && msturn_name_lookup(msturn_methods, msturn_methods_count,
                                                 (uint16_t)m->method) == NULL)
        expert_add_info_format(pinfo, ti, &ei_method_unknown,
                               "Method 0x%03x is not in the STUN methods registry", m->method);

    /* the header's items lie in the 20 bytes read above: with no tree to
     * show them, there is nothing for them to check either */
    ty = NULL;
    if (mt != NULL) {
        ty = proto_tree_add_item(mt, hf_type, tvb, 0, 2, ENC_BIG_ENDIAN);
        proto_item_append_text(ty, " (%s)", name);
        tt = proto_item_add_subtree(ty, ett_type);
        if (m->ms_type) {
            /* Class and method as [MS-TURN] 2.2.1 defines the type, not as
             * its bits would read in RFC 8489 5; no method where IETF has none. */
            proto_tree_add_uint(tt, hf_ms_type, tvb, 0, 2, m->type);
            if (m->method != MSTURN_METHOD_NONE)
                proto_item_set_generated(proto_tree_add_uint(tt, hf_method, tvb, 0, 2, m->method));
            proto_item_set_generated(proto_tree_add_uint(tt, hf_class, tvb, 0, 2, m->cls));
        } else {
            proto_tree_add_uint(tt, hf_method, tvb, 0, 2, m->method);
            proto_tree_add_uint(tt, hf_class, tvb, 0, 2, m->cls);
        }
        ty = proto_tree_add_item(mt, hf_length, tvb, 2, 2, ENC_BIG_ENDIAN);
        proto_item_set_generated(proto_tree_add_uint(mt, hf_dialect, tvb, 4, 4,
                                     m->microsoft && flavor == MSTURN_FLAVOR_RFC5389
                                         ? MSTURN_DIALECT_MS_COOKIE : (unsigned)flavor));
        if (flavor == MSTURN_FLAVOR_RFC5389) {
            proto_tree_add_item(mt, hf_cookie, tvb, 4, 4, ENC_BIG_ENDIAN);
            proto_tree_add_item(mt, hf_id, tvb, 8, 12, ENC_NA);
        } else {
            proto_tree_add_item(mt, hf_id, tvb, 4, 16, ENC_NA);
        }
    }
    if ((len & 3) && !m->microsoft && flavor == MSTURN_FLAVOR_RFC5389)
        expert_add_info(pinfo, ty, &ei_length_not_mult4);

    track_transaction(tvb, pinfo, mt, conv, m, ti);

    /* In the packet pool: an exception thrown by a malformed attribute
     * unwinds past this function without leaking the text. */
    summary = pinfo->cinfo ? wmem_strbuf_new(pinfo->pool, name) : NULL;  /* no columns: no Info */
    msturn_dissect_attributes(tvb, pinfo, mt, ti, m, summary);

    if (m->cls == MSTURN_CLASS_ERROR && m->has_error) {
        if (m->error_code == 401 && m->method == MSTURN_METHOD_BINDING)
            /* a Binding check uses short-term credentials (RFC 8489 9.1): a
             * 401 is a refusal, not the first step of a digest exchange */
            expert_add_info_format(pinfo, ti, &ei_ice_rejected,
                                   "401 to an ICE check: the agent did not accept the check's "
                                   "USERNAME or MESSAGE-INTEGRITY (RFC 8445 7.3.1.1; short-term "
                                   "credentials are not challenged)");
        else if (m->error_code == 401)
            expert_add_info_format(pinfo, ti, &ei_challenge,
                                   "401 challenge: the server asks for credentials (the normal "
                                   "first step of RFC 8489 9.2)");
        else
            expert_add_info_format(pinfo, ti, &ei_error_response, "%s: %u %s", name,
                                   m->error_code, m->error_reason ? m->error_reason : "");
    }

    if (summary)
        col_append_sep_str(pinfo->cinfo, COL_INFO, ", ", wmem_strbuf_get_str(summary));
    return (int)tvb_reported_length(tvb);
}

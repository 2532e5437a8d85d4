/* msturn_attrs.c - attribute fields and their value decoders.
 *
 * The fields are made from the attribute table at registration: one set of
 * fields per row, shaped by the row's value kind (msturn_attr_table.h).  The
 * decoders below are per kind; no attribute has code of its own.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "msturn_attrs.h"
#include "msturn_attr_table.h"
#include "msturn_methods.h"

#include <epan/to_str.h>
#include <epan/crc32-tvb.h>
#include <wsutil/str_util.h>
#include <string.h>

#include "msturn_hmac.h"
#include "msturn_error_table.h"
#include "msturn_view.h"

#define MAX_SUBFIELDS 4

typedef struct {
    int hf[MAX_SUBFIELDS];
} attr_fields;

static attr_fields *fields_ietf;
static attr_fields *fields_ms;
static attr_fields *fields_legacy;

static int hf_att = -1;
static int hf_att_type = -1;
static int hf_att_type_ms = -1;     /* the same field, labelled in [MS-TURN]'s numbering */
static int hf_att_length = -1;
static int hf_att_value = -1;
static int hf_att_padding = -1;

static gint ett_att = -1;

static expert_field ei_att_overrun = EI_INIT;
static expert_field ei_att_bad_length = EI_INIT;
static expert_field ei_att_unknown_required = EI_INIT;
static expert_field ei_att_unknown_optional = EI_INIT;
static expert_field ei_att_after_fingerprint = EI_INIT;
static expert_field ei_fingerprint_bad = EI_INIT;
static expert_field ei_hmac_bad = EI_INIT;
static expert_field ei_att_trailing = EI_INIT;
static expert_field ei_att_truncated_header = EI_INIT;

static const value_string family_vals[] = {
    { 0x01, "IPv4" },
    { 0x02, "IPv6" },
    { 0, NULL }
};

static const value_string protocol_vals[] = {
    { 6,  "TCP" },
    { 17, "UDP" },
    { 0, NULL }
};

/* Error code names for the code fields: the IETF meanings
 * (msturn_error_table.c); a message in Microsoft's dialect shows its own
 * meaning in the item text. */
static value_string *error_vals;

/* [MS-TURN] 2.2.2.22 MS-SERVICE-QUALITY. */
static const value_string ms_stream_type_vals[] = {
    { 0x0001, "Audio" },
    { 0x0002, "Video" },
    { 0x0003, "Supplemental video" },
    { 0x0004, "Data" },
    { 0, NULL }
};
static const value_string ms_service_quality_vals[] = {
    { 0x0000, "Best effort delivery" },
    { 0x0001, "Reliable delivery" },
    { 0, NULL }
};

static value_string *att_type_vals;
static value_string *att_type_vals_ms;

/* A row's value names as a value_string, made once at registration. */
static value_string *
vals_of(const msturn_value_name *names)
{
    size_t n = 0, i;
    value_string *v;
    if (names == NULL)
        return NULL;
    while (names[n].name)
        n++;
    v = g_new0(value_string, n + 1);
    for (i = 0; i < n; i++) {
        v[i].value = names[i].value;
        v[i].strptr = names[i].name;
    }
    return v;
}

static value_string *ms_location_vals;
static value_string *ms_federation_vals;
static value_string *ms_bw_acm_vals;
static value_string *password_algorithm_vals;
static value_string *goog_network_cost_vals;

static attr_fields *
fields_of(const msturn_attr_def *d)
{
    if (d >= msturn_attr_ietf && d < msturn_attr_ietf + msturn_attr_ietf_count)
        return &fields_ietf[d - msturn_attr_ietf];
    if (d >= msturn_attr_microsoft && d < msturn_attr_microsoft + msturn_attr_microsoft_count)
        return &fields_ms[d - msturn_attr_microsoft];
    return &fields_legacy[d - msturn_attr_legacy];
}

const char *
msturn_attr_name(uint16_t type, int microsoft)
{
    const msturn_attr_def *d = msturn_attr_lookup(type, microsoft);
    return d ? d->name : NULL;
}

/* ---- registration ------------------------------------------------------ */

static void
add_field(GArray *hfs, int *id, const char *name, const char *abbrev, enum ftenum type, int display, const void *strings,
          guint64 mask, const char *blurb)
{
    hf_register_info hf;

    *id = -1;
    memset(&hf, 0, sizeof hf);
    hf.p_id = id;
    hf.hfinfo.name = g_strdup(name);
    hf.hfinfo.abbrev = g_strdup(abbrev);
    hf.hfinfo.type = type;
    hf.hfinfo.display = display;
    hf.hfinfo.strings = strings;
    hf.hfinfo.bitmask = mask;
    hf.hfinfo.blurb = blurb ? g_strdup(blurb) : NULL;
    hf.hfinfo.id = -1;
    hf.hfinfo.parent = 0;
    hf.hfinfo.ref_type = HF_REF_TYPE_NONE;
    hf.hfinfo.same_name_prev_id = -1;
    hf.hfinfo.same_name_next = NULL;
    g_array_append_val(hfs, hf);
}

static void
register_row(GArray *hfs, const msturn_attr_def *d, attr_fields *f)
{
    char *n = g_strdup(d->name);
    const char *blurb = d->spec;
    const char *fld = d->field;
    char label[160], abbrev[160];
    int i;

    for (i = 0; i < MAX_SUBFIELDS; i++)
        f->hf[i] = -1;

#define SUB(idx, suffix, lbl, ft, disp, strs, mask) do {                         \
        g_snprintf(label, sizeof label, "%s%s", n, lbl);                          \
        g_snprintf(abbrev, sizeof abbrev, "msturn.att.%s%s", fld, suffix);        \
        add_field(hfs, &f->hf[idx], label, abbrev, ft, disp, strs, mask, blurb);  \
    } while (0)

    switch (d->kind) {
    case MSTURN_VK_ADDRESS:
    case MSTURN_VK_XOR_ADDRESS:
        SUB(0, ".family", " family", FT_UINT8, BASE_HEX, VALS(family_vals), 0);
        SUB(1, ".port", " port", FT_UINT16, BASE_DEC, NULL, 0);
        SUB(2, ".ip", " IPv4", FT_IPv4, BASE_NONE, NULL, 0);
        SUB(3, ".ipv6", " IPv6", FT_IPv6, BASE_NONE, NULL, 0);
        break;
    case MSTURN_VK_ERROR_CODE:
        SUB(0, "", " code", FT_UINT16, BASE_DEC, VALS(error_vals), 0);
        SUB(1, ".reason", " reason phrase", FT_STRING, BASE_NONE, NULL, 0);
        break;
    case MSTURN_VK_FINGERPRINT:
        SUB(0, "", "", FT_UINT32, BASE_HEX, NULL, 0);
        SUB(1, ".status", " status", FT_UINT8, BASE_NONE, VALS(proto_checksum_vals), 0);
        break;
    case MSTURN_VK_INTEGRITY:
        SUB(0, "", "", FT_BYTES, BASE_NONE, NULL, 0);
        SUB(1, ".status", " status", FT_UINT8, BASE_NONE, VALS(proto_checksum_vals), 0);
        break;
    case MSTURN_VK_MS_SEQUENCE:
        SUB(0, ".connection", " connection ID", FT_BYTES, BASE_NONE, NULL, 0);
        SUB(1, ".number", " sequence number", FT_UINT32, BASE_DEC, NULL, 0);
        break;
    case MSTURN_VK_MS_QUALITY:
        SUB(0, ".stream_type", " stream type", FT_UINT16, BASE_HEX, VALS(ms_stream_type_vals), 0);
        SUB(1, ".service_quality", " service quality", FT_UINT16, BASE_HEX, VALS(ms_service_quality_vals), 0);
        break;
    case MSTURN_VK_MS_SITE_RESPONSE:
        SUB(0, ".valid", " valid", FT_BOOLEAN, 32, NULL, 0x80000000);
        SUB(1, ".pstn_failover", " PSTN failover", FT_BOOLEAN, 32, NULL, 0x40000000);
        SUB(2, ".max_send", " maximum send bandwidth (kbps)", FT_UINT32, BASE_DEC, NULL, 0);
        SUB(3, ".max_receive", " maximum receive bandwidth (kbps)", FT_UINT32, BASE_DEC, NULL, 0);
        break;
    case MSTURN_VK_MS_BANDWIDTH:
        SUB(0, ".min_send", " minimum send bandwidth (kbps)", FT_UINT32, BASE_DEC, NULL, 0);
        SUB(1, ".max_send", " maximum send bandwidth (kbps)", FT_UINT32, BASE_DEC, NULL, 0);
        SUB(2, ".min_receive", " minimum receive bandwidth (kbps)", FT_UINT32, BASE_DEC, NULL, 0);
        SUB(3, ".max_receive", " maximum receive bandwidth (kbps)", FT_UINT32, BASE_DEC, NULL, 0);
        break;
    case MSTURN_VK_EMPTY:
        SUB(0, "", "", FT_NONE, BASE_NONE, NULL, 0);
        break;
    case MSTURN_VK_STRING:
        SUB(0, "", "", FT_STRING, BASE_NONE, NULL, 0);
        break;
    case MSTURN_VK_UINT8:
        SUB(0, "", "", FT_UINT8, BASE_DEC, NULL, 0);
        break;
    case MSTURN_VK_UINT16:
        SUB(0, "", "", FT_UINT16, BASE_DEC, NULL, 0);
        break;
    case MSTURN_VK_UINT32:
        SUB(0, "", "", FT_UINT32, BASE_DEC, d->names ? VALS(vals_of(d->names)) : NULL, 0);
        break;
    case MSTURN_VK_USERNAME:
        SUB(0, "", "", FT_STRING, BASE_NONE, NULL, 0);
        SUB(1, ".bytes", " (opaque token)", FT_BYTES, BASE_NONE, NULL, 0);
        break;
    case MSTURN_VK_MS_LOCATION:
        SUB(0, ".peer_location", " peer location", FT_UINT8, BASE_DEC, VALS(ms_location_vals), 0);
        SUB(1, ".self_location", " self location", FT_UINT8, BASE_DEC, VALS(ms_location_vals), 0);
        SUB(2, ".federation", " federation", FT_UINT8, BASE_DEC, VALS(ms_federation_vals), 0);
        break;
    case MSTURN_VK_MS_BW_ACM:
        SUB(0, ".message_type", " message type", FT_UINT16, BASE_HEX, VALS(ms_bw_acm_vals), 0);
        break;
    case MSTURN_VK_UINT64:
        SUB(0, "", "", FT_UINT64, BASE_HEX, NULL, 0);
        break;
    case MSTURN_VK_ATTR_LIST:
        SUB(0, "", "", FT_UINT16, BASE_HEX, NULL, 0);
        break;
    case MSTURN_VK_PROTOCOL:
        SUB(0, "", "", FT_UINT8, BASE_DEC, VALS(protocol_vals), 0);
        break;
    case MSTURN_VK_FAMILY:
        SUB(0, "", "", FT_UINT8, BASE_HEX, VALS(family_vals), 0);
        break;
    case MSTURN_VK_FLAGS32:
    case MSTURN_VK_MAGIC_COOKIE:
        SUB(0, "", "", FT_UINT32, BASE_HEX, NULL, 0);
        break;
    case MSTURN_VK_CHANGE_REQUEST:     /* RFC 5780 7.2 */
        SUB(0, "", " flags", FT_UINT32, BASE_HEX, NULL, 0);
        SUB(1, ".change_ip", " change IP (A)", FT_BOOLEAN, 32, NULL, 0x00000004);
        SUB(2, ".change_port", " change port (B)", FT_BOOLEAN, 32, NULL, 0x00000002);
        break;
    case MSTURN_VK_EVEN_PORT:          /* RFC 8656 18.7 */
        SUB(0, "", " flags", FT_UINT8, BASE_HEX, NULL, 0);
        SUB(1, ".reserve_next", " reserve next port (R)", FT_BOOLEAN, 8, NULL, 0x80);
        break;
    case MSTURN_VK_ADDRESS_ERROR:      /* RFC 8656 18.12 */
        SUB(0, "", " code", FT_UINT16, BASE_DEC, VALS(error_vals), 0);
        SUB(1, ".reason", " reason phrase", FT_STRING, BASE_NONE, NULL, 0);
        SUB(2, ".family", " family", FT_UINT8, BASE_HEX, VALS(family_vals), 0);
        break;
    case MSTURN_VK_ICMP:               /* RFC 8656 18.13 */
        SUB(0, ".type", " type", FT_UINT8, BASE_DEC, NULL, 0);
        SUB(1, ".code", " code", FT_UINT8, BASE_DEC, NULL, 0);
        SUB(2, ".error_data", " error data", FT_UINT32, BASE_HEX, NULL, 0);
        break;
    case MSTURN_VK_PASSWORD_ALGS:      /* RFC 8489 14.11, 14.12 */
        SUB(0, ".algorithm", " algorithm", FT_UINT16, BASE_HEX, VALS(password_algorithm_vals), 0);
        SUB(1, ".parameters_length", " parameters length", FT_UINT16, BASE_DEC, NULL, 0);
        SUB(2, ".parameters", " parameters", FT_BYTES, BASE_NONE, NULL, 0);
        break;
    case MSTURN_VK_TRANSMIT_COUNTER:   /* RFC 7982 3.1 */
        SUB(0, ".req", " request transmissions", FT_UINT8, BASE_DEC, NULL, 0);
        SUB(1, ".resp", " response transmissions", FT_UINT8, BASE_DEC, NULL, 0);
        break;
    case MSTURN_VK_GOOG_NETWORK:
        SUB(0, ".network_id", " network ID", FT_UINT16, BASE_DEC, NULL, 0);
        SUB(1, ".network_cost", " network cost", FT_UINT16, BASE_DEC, VALS(goog_network_cost_vals), 0);
        break;
    case MSTURN_VK_OPAQUE:
    case MSTURN_VK_DATA:
        SUB(0, "", "", FT_BYTES, BASE_NONE, NULL, 0);
        break;
    }
#undef SUB
    g_free(n);
}

static attr_fields *
register_table(GArray *hfs, const msturn_attr_def *rows, size_t n)
{
    attr_fields *f = g_new0(attr_fields, n ? n : 1);
    size_t i;
    for (i = 0; i < n; i++)
        register_row(hfs, &rows[i], &f[i]);
    return f;
}

/* Attribute type names for msturn.att.type: IETF messages use the IETF
 * rows, then Microsoft's 0x80xx ones; messages in Microsoft's dialect the
 * [MS-TURN] 2.2.2 meanings of the low code points first (0x0015 REALM). */
static value_string *
type_vals(int legacy)
{
    const msturn_attr_def *tables[3] = { msturn_attr_legacy, msturn_attr_ietf, msturn_attr_microsoft };
    size_t counts[3] = { msturn_attr_legacy_count, msturn_attr_ietf_count, msturn_attr_microsoft_count };
    size_t total = msturn_attr_legacy_count + msturn_attr_ietf_count + msturn_attr_microsoft_count;
    value_string *v = g_new0(value_string, total + 1);
    size_t t, i, k = 0;

    for (t = 0; t < 3; t++)
        for (i = 0; i < counts[t]; i++) {
            const msturn_attr_def *d = &tables[t][i];
            if (msturn_attr_lookup(d->type, legacy) != d)
                continue;       /* shadowed by the dialect's other meaning */
            v[k].value = d->type;
            v[k].strptr = d->name;
            k++;
        }
    return v;
}

static void
build_type_vals(void)
{
    att_type_vals = type_vals(0);
    att_type_vals_ms = type_vals(1);
}

void
msturn_attrs_register(int proto)
{
    static hf_register_info hf[] = {
        { &hf_att, { "Attribute", "msturn.att", FT_NONE, BASE_NONE, NULL, 0,
                     "One STUN/TURN attribute", HFILL } },
        { &hf_att_type, { "Attribute Type", "msturn.att.type", FT_UINT16, BASE_HEX,
                          NULL, 0, NULL, HFILL } },
        { &hf_att_type_ms, { "Attribute Type", "msturn.att.type", FT_UINT16, BASE_HEX,
                             NULL, 0, "Attribute type of a message in Microsoft's dialect "
                             "([MS-TURN] 2.2.2 numbering)", HFILL } },
        { &hf_att_length, { "Attribute Length", "msturn.att.length", FT_UINT16, BASE_DEC,
                            NULL, 0, NULL, HFILL } },
        { &hf_att_value, { "Value", "msturn.att.value", FT_BYTES, BASE_NONE, NULL, 0,
                           "Raw value of an attribute msturn does not know or could not decode", HFILL } },
        { &hf_att_padding, { "Padding", "msturn.att.padding_bytes", FT_BYTES, BASE_NONE, NULL, 0,
                             "Bytes that align the attribute to 4 bytes (RFC 8489 14)", HFILL } },
    };
    static gint *ett[] = { &ett_att };
    static ei_register_info ei[] = {
        { &ei_att_overrun, { "msturn.att.overrun", PI_MALFORMED, PI_ERROR,
            "Attribute runs past the end of the message", EXPFILL } },
        { &ei_att_bad_length, { "msturn.att.bad_length", PI_MALFORMED, PI_ERROR,
            "Attribute length is wrong for its type", EXPFILL } },
        { &ei_att_unknown_required, { "msturn.att.unknown.required", PI_UNDECODED, PI_WARN,
            "Unknown comprehension-required attribute", EXPFILL } },
        { &ei_att_unknown_optional, { "msturn.att.unknown.optional", PI_UNDECODED, PI_NOTE,
            "Unknown comprehension-optional attribute", EXPFILL } },
        { &ei_att_after_fingerprint, { "msturn.att.after_fingerprint", PI_PROTOCOL, PI_WARN,
            "Attribute after FINGERPRINT (RFC 8489 14.7 requires FINGERPRINT last)", EXPFILL } },
        { &ei_fingerprint_bad, { "msturn.att.fingerprint.bad", PI_CHECKSUM, PI_ERROR,
            "Bad FINGERPRINT", EXPFILL } },
        { &ei_hmac_bad, { "msturn.att.hmac.bad", PI_CHECKSUM, PI_WARN,
            "MESSAGE-INTEGRITY does not match the configured credentials", EXPFILL } },
        { &ei_att_trailing, { "msturn.att.trailing", PI_MALFORMED, PI_ERROR,
            "Bytes left over after the last attribute", EXPFILL } },
        { &ei_att_truncated_header, { "msturn.att.truncated", PI_MALFORMED, PI_ERROR,
            "Attribute header cut short by the end of the message", EXPFILL } },
    };
    GArray *hfs = g_array_new(FALSE, TRUE, sizeof(hf_register_info));
    expert_module_t *em;

    build_type_vals();
    hf[1].hfinfo.strings = VALS(att_type_vals);
    hf[2].hfinfo.strings = VALS(att_type_vals_ms);
    ms_location_vals = vals_of(msturn_ms_location_names);
    ms_federation_vals = vals_of(msturn_ms_federation_names);
    ms_bw_acm_vals = vals_of(msturn_ms_bw_acm_names);
    password_algorithm_vals = vals_of(msturn_password_algorithm_names);
    goog_network_cost_vals = vals_of(msturn_goog_network_cost_names);
    error_vals = vals_of(msturn_error_names);

    fields_ietf = register_table(hfs, msturn_attr_ietf, msturn_attr_ietf_count);
    fields_ms = register_table(hfs, msturn_attr_microsoft, msturn_attr_microsoft_count);
    fields_legacy = register_table(hfs, msturn_attr_legacy, msturn_attr_legacy_count);

    proto_register_field_array(proto, hf, array_length(hf));
    /* The array's storage must live as long as the fields: keep it. */
    proto_register_field_array(proto, (hf_register_info *)(void *)hfs->data, (int)hfs->len);
    g_array_free(hfs, FALSE);
    proto_register_subtree_array(ett, array_length(ett));
    em = expert_register_protocol(proto);
    expert_register_field_array(em, ei, array_length(ei));
}

/* ---- dissection -------------------------------------------------------- */

typedef struct {
    tvbuff_t        *msg;       /* the whole STUN message */
    packet_info     *pinfo;
    proto_tree      *tree;      /* the attribute's subtree */
    proto_item      *item;      /* the attribute's item */
    const msturn_attr_def *def;
    const attr_fields *f;
    int              off;       /* value offset within msg */
    int              len;       /* value length */
    msturn_msg_info *info;
    wmem_strbuf_t   *summary;   /* Info column text, in pinfo->pool */
    int              stun_len;  /* 20 + header length */
} att_ctx;

static void
append_info(att_ctx *a, const char *value)
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

/* Is a value's text shown anywhere: in a tree, or in the Info column?
 * Formatting costs more than decoding, and most reads show neither. */
static int
text_wanted(const att_ctx *a)
{
    return a->item != NULL ||
           (a->summary != NULL && a->def->info != NULL && a->def->info[0] != '=');
}

/* A decimal number as text, without the cost of printf (this runs for
 * most attributes of a capture when the Info column is shown). */
static char *
number_text(wmem_allocator_t *pool, guint64 v)
{
    char buf[24], *p = buf + sizeof buf - 1;

    *p = '\0';
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return wmem_strdup(pool, p);
}

/* An item of the attribute's subtree.  With no tree (nothing shows msturn's
 * items) it would only check its bounds, which lie inside the attribute's,
 * checked once by the attribute loop. */
static inline proto_item *
att_item(const att_ctx *a, int hf, tvbuff_t *tvb, int off, int len, unsigned enc)
{
    return a->tree ? proto_tree_add_item(a->tree, hf, tvb, off, len, enc) : NULL;
}

static int
bad_length(att_ctx *a)
{
    expert_add_info_format(a->pinfo, a->item, &ei_att_bad_length,
                           "%s: length %d is wrong for this attribute", a->def->name, a->len);
    att_item(a, hf_att_value, a->msg, a->off, a->len, ENC_NA);
    return 0;
}

/* Address kinds: RFC 8489 14.1 (plain) and 14.2 (XOR with the 32 bits after
 * the message length and, for IPv6, the 96 bits after them; for cookie-less
 * messages those bytes are the start of the 128-bit transaction ID, as in
 * draft-ietf-behave-rfc3489bis-02 that [MS-TURN] follows). */
/* The first value of a kind wins, as the sessions read it. */
static void
keep_address(att_ctx *a, int *has, address *to, uint16_t *to_port, const address *addr, uint16_t port)
{
    if (*has)
        return;
    *has = 1;
    copy_address_wmem(a->pinfo->pool, to, addr);
    *to_port = port;
}

static void
dec_address(att_ctx *a, int xored)
{
    uint8_t family;
    uint16_t port;
    uint8_t mask[16];
    char *text = NULL;
    address addr;

    if (a->len < 8)
        return (void)bad_length(a);
    family = tvb_get_uint8(a->msg, a->off + 1);
    att_item(a, a->f->hf[0], a->msg, a->off + 1, 1, ENC_BIG_ENDIAN);
    tvb_memcpy(a->msg, mask, 4, 16);
    port = tvb_get_ntohs(a->msg, a->off + 2);
    if (xored)
        port ^= (uint16_t)((mask[0] << 8) | mask[1]);
    proto_tree_add_uint(a->tree, a->f->hf[1], a->msg, a->off + 2, 2, port);

    if (family == 0x01 && a->len == 8) {
        uint32_t ip = tvb_get_ipv4(a->msg, a->off + 4);   /* network order */
        uint32_t m;
        memcpy(&m, mask, 4);
        if (xored)
            ip ^= m;
        proto_tree_add_ipv4(a->tree, a->f->hf[2], a->msg, a->off + 4, 4, ip);
        alloc_address_wmem(a->pinfo->pool, &addr, AT_IPv4, 4, &ip);
    } else if (family == 0x02 && a->len == 20) {
        ws_in6_addr ip6;
        int i;
        tvb_get_ipv6(a->msg, a->off + 4, &ip6);
        if (xored)
            for (i = 0; i < 16; i++)
                ip6.bytes[i] ^= mask[i];
        proto_tree_add_ipv6(a->tree, a->f->hf[3], a->msg, a->off + 4, 16, &ip6);
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

    /* Values that sessions follow: the peer (RFC 8656 18.3 XOR-PEER-ADDRESS;
     * [MS-TURN] 2.2.2.10 DESTINATION-ADDRESS and 2.2.2.11 REMOTE-ADDRESS,
     * which reuse 0x0011 and 0x0012), the relayed address (RFC 8656 18.5;
     * [MS-TURN] 2.2.2.1 MAPPED-ADDRESS and 2.2.2.23 MS-ALTERNATE-MAPPED-ADDRESS
     * of an Allocate response). */
    if (a->def->type == 0x0012 || (a->info->microsoft && a->def->type == 0x0011))
        keep_address(a, &a->info->has_peer, &a->info->peer, &a->info->peer_port, &addr, port);
    else if (a->def->type == 0x0016)
        keep_address(a, &a->info->has_relayed, &a->info->relayed, &a->info->relayed_port, &addr, port);
    else if (a->info->microsoft && a->def->type == 0x0001)
        keep_address(a, &a->info->has_ms_relay, &a->info->ms_relay, &a->info->ms_relay_port, &addr, port);
    else if (a->def->type == 0x8090)
        keep_address(a, &a->info->has_ms_relay6, &a->info->ms_relay6, &a->info->ms_relay6_port, &addr,
                     port);
}

/* ERROR-CODE (RFC 8489 14.8) and ADDRESS-ERROR-CODE (RFC 8656 18.12): the
 * same class and number, the latter with the address family first. */
static void
dec_error(att_ctx *a, int with_family)
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
        att_item(a, a->f->hf[2], a->msg, a->off, 1, ENC_BIG_ENDIAN);
    ci = proto_tree_add_uint(a->tree, a->f->hf[0], a->msg, a->off + 2, 2, code);
    if (a->info->microsoft && name)     /* the dialect's own meaning */
        proto_item_set_text(ci, "%s code: %u (%s)", a->def->name, code, name);
    if (a->len > 4)
        proto_tree_add_item_ret_string(a->tree, a->f->hf[1], a->msg, a->off + 4, a->len - 4,
                                       ENC_UTF_8, a->pinfo->pool, (const guint8 **)&reason);
    if (text_wanted(a)) {
        const char *fam = with_family
            ? val_to_str_const(tvb_get_uint8(a->msg, a->off), family_vals, "unknown family") : NULL;
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

static void
dec_fingerprint(att_ctx *a)
{
    guint32 computed;

    if (a->len != 4)
        return (void)bad_length(a);
    /* RFC 8489 14.7: CRC-32 of the message up to this attribute, XOR
     * 0x5354554e.  The length in the header already counts the FINGERPRINT. */
    if (a->tree == NULL && !msturn_expert_listened())
        return;     /* the check shows only as its status and its expert item */
    computed = crc32_ccitt_tvb_offset(a->msg, 0, (guint)(a->off - 4)) ^ 0x5354554eU;
    proto_tree_add_checksum(a->tree, a->msg, a->off, a->f->hf[0], a->f->hf[1],
                            &ei_fingerprint_bad, a->pinfo, computed, ENC_BIG_ENDIAN,
                            PROTO_CHECKSUM_VERIFY);
}

static void
dec_integrity(att_ctx *a)
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
    att_item(a, a->f->hf[0], a->msg, a->off, a->len, ENC_NA);
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
    st = proto_tree_add_uint(a->tree, a->f->hf[1], a->msg, a->off, a->len, (guint32)status);
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
dec_number(att_ctx *a, int size)
{
    guint64 v = 0;
    char *text;

    if (a->len < size || (size >= 4 && a->len != size))
        return (void)bad_length(a);
    switch (size) {
    case 1: v = tvb_get_uint8(a->msg, a->off); break;
    case 2: v = tvb_get_ntohs(a->msg, a->off); break;
    case 4: v = tvb_get_ntohl(a->msg, a->off); break;
    default: v = tvb_get_ntoh64(a->msg, a->off); break;
    }
    att_item(a, a->f->hf[0], a->msg, a->off, size, ENC_BIG_ENDIAN);
    text = NULL;
    if (text_wanted(a)) {
        const char *meaning = NULL;
        size_t i;
        for (i = 0; a->def->names && a->def->names[i].name; i++)
            if (a->def->names[i].value == v)
                meaning = a->def->names[i].name;
        text = size == 8 ? wmem_strdup_printf(a->pinfo->pool, "0x%016" G_GINT64_MODIFIER "x", v)
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
dec_password_algorithms(att_ctx *a)
{
    int off = 0;
    wmem_strbuf_t *names = text_wanted(a) ? wmem_strbuf_new(a->pinfo->pool, "") : NULL;

    if (a->len < 4)
        return (void)bad_length(a);
    while (off < a->len) {
        guint16 alg, plen;
        int step;

        if (a->len - off < 4) {
            expert_add_info_format(a->pinfo, a->item, &ei_att_bad_length,
                                   "%s: %d bytes left over after the last algorithm", a->def->name,
                                   a->len - off);
            att_item(a, hf_att_value, a->msg, a->off + off, a->len - off, ENC_NA);
            break;
        }
        alg = tvb_get_ntohs(a->msg, a->off + off);
        plen = tvb_get_ntohs(a->msg, a->off + off + 2);
        att_item(a, a->f->hf[0], a->msg, a->off + off, 2, ENC_BIG_ENDIAN);
        att_item(a, a->f->hf[1], a->msg, a->off + off + 2, 2, ENC_BIG_ENDIAN);
        step = 4 + plen + ((4 - (plen & 3)) & 3);
        if (4 + plen > a->len - off) {
            expert_add_info_format(a->pinfo, a->item, &ei_att_bad_length,
                                   "%s: parameters of length %u run past the attribute",
                                   a->def->name, plen);
            att_item(a, hf_att_value, a->msg, a->off + off + 4, a->len - off - 4, ENC_NA);
            break;
        }
        if (plen)
            att_item(a, a->f->hf[2], a->msg, a->off + off + 4, plen, ENC_NA);
        if (names)
            wmem_strbuf_append_printf(names, "%s%s", off ? ", " : "",
                                      val_to_str_const(alg, password_algorithm_vals, "Unknown"));
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

static void
decode_value(att_ctx *a)
{
    const char *s;
    int i;

    switch (a->def->kind) {
    case MSTURN_VK_ADDRESS:     dec_address(a, 0); break;
    case MSTURN_VK_XOR_ADDRESS: dec_address(a, 1); break;
    case MSTURN_VK_ERROR_CODE:  dec_error(a, 0); break;
    case MSTURN_VK_ADDRESS_ERROR: dec_error(a, 1); break;
    case MSTURN_VK_FINGERPRINT: dec_fingerprint(a); break;
    case MSTURN_VK_INTEGRITY:   dec_integrity(a); break;
    case MSTURN_VK_UINT8:       dec_number(a, 1); break;
    case MSTURN_VK_UINT16:      dec_number(a, 2); break;
    case MSTURN_VK_UINT32:      dec_number(a, 4); break;
    case MSTURN_VK_UINT64:      dec_number(a, 8); break;
    case MSTURN_VK_FLAGS32:
    case MSTURN_VK_MAGIC_COOKIE:
        if (a->len != 4)
            return (void)bad_length(a);
        att_item(a, a->f->hf[0], a->msg, a->off, 4, ENC_BIG_ENDIAN);
        proto_item_append_text(a->item, ": 0x%08x", tvb_get_ntohl(a->msg, a->off));
        break;
    case MSTURN_VK_EMPTY:
        if (a->len != 0)
            return (void)bad_length(a);
        att_item(a, a->f->hf[0], a->msg, a->off, 0, ENC_NA);
        append_info(a, NULL);
        break;
    case MSTURN_VK_STRING:
        proto_tree_add_item_ret_string(a->tree, a->f->hf[0], a->msg, a->off, a->len,
                                       ENC_UTF_8, a->pinfo->pool, (const guint8 **)&s);
        proto_item_append_text(a->item, ": %s", s);
        append_info(a, s);
        if (strcmp(a->def->field, "realm") == 0)
            a->info->realm = s;
        break;
    case MSTURN_VK_USERNAME:
        /* RFC 8489 14.3 USERNAME is UTF-8; [MS-TURN] clients put an opaque
         * token there (a Send Request's starts 02 00 00 24): bytes, not
         * text with stray characters. */
        if (!msturn_is_printable_text(tvb_get_ptr(a->msg, a->off, a->len), (size_t)a->len)) {
            att_item(a, a->f->hf[1], a->msg, a->off, a->len, ENC_NA);
            proto_item_append_text(a->item, ": %d-byte token", a->len);
            break;
        }
        proto_tree_add_item_ret_string(a->tree, a->f->hf[0], a->msg, a->off, a->len,
                                       ENC_UTF_8, a->pinfo->pool, (const guint8 **)&s);
        proto_item_append_text(a->item, ": %s", s);
        append_info(a, s);
        a->info->username = s;
        break;
    case MSTURN_VK_MS_LOCATION:        /* [MS-TURNBWM] 2.2.14 */
        if (a->len != 4)
            return (void)bad_length(a);
        for (i = 0; i < 3; i++)
            att_item(a, a->f->hf[i], a->msg, a->off + i, 1, ENC_BIG_ENDIAN);
        proto_item_append_text(a->item, ": peer %s, self %s, %s",
            val_to_str_const(tvb_get_uint8(a->msg, a->off), ms_location_vals, "Unknown value"),
            val_to_str_const(tvb_get_uint8(a->msg, a->off + 1), ms_location_vals, "Unknown value"),
            val_to_str_const(tvb_get_uint8(a->msg, a->off + 2), ms_federation_vals, "Unknown federation"));
        break;
    case MSTURN_VK_MS_BW_ACM:          /* [MS-TURNBWM] 2.2.1 */
        if (a->len != 4)
            return (void)bad_length(a);
        att_item(a, a->f->hf[0], a->msg, a->off + 2, 2, ENC_BIG_ENDIAN);
        s = val_to_str_const(tvb_get_ntohs(a->msg, a->off + 2), ms_bw_acm_vals, "Unknown message type");
        proto_item_append_text(a->item, ": %s", s);
        append_info(a, s);
        break;
    case MSTURN_VK_PROTOCOL:
    case MSTURN_VK_FAMILY:
        if (a->len != 4)
            return (void)bad_length(a);
        att_item(a, a->f->hf[0], a->msg, a->off, 1, ENC_BIG_ENDIAN);
        s = val_to_str_const(tvb_get_uint8(a->msg, a->off),
                             a->def->kind == MSTURN_VK_PROTOCOL ? protocol_vals : family_vals,
                             "Unknown");
        proto_item_append_text(a->item, ": %s", s);
        append_info(a, s);
        if (a->def->type == 0x0019) {                   /* RFC 8656 18.8 */
            a->info->has_transport = 1;
            a->info->transport = tvb_get_uint8(a->msg, a->off);
        }
        break;
    case MSTURN_VK_ATTR_LIST:
        if (a->len % 2)
            return (void)bad_length(a);
        for (i = 0; i < a->len; i += 2) {
            guint16 t = tvb_get_ntohs(a->msg, a->off + i);
            proto_item *ti = att_item(a, a->f->hf[0], a->msg, a->off + i, 2,
                                                 ENC_BIG_ENDIAN);
            const char *name = msturn_attr_name(t, a->info->microsoft);
            if (name)
                proto_item_append_text(ti, " (%s)", name);
        }
        break;
    case MSTURN_VK_MS_SEQUENCE:        /* [MS-TURN] 2.2.2.21 */
        if (a->len != 24)
            return (void)bad_length(a);
        att_item(a, a->f->hf[0], a->msg, a->off, 20, ENC_NA);
        att_item(a, a->f->hf[1], a->msg, a->off + 20, 4, ENC_BIG_ENDIAN);
        proto_item_append_text(a->item, ": %u", tvb_get_ntohl(a->msg, a->off + 20));
        break;
    case MSTURN_VK_MS_QUALITY:         /* [MS-TURN] 2.2.2.22 */
        if (a->len != 4)
            return (void)bad_length(a);
        att_item(a, a->f->hf[0], a->msg, a->off, 2, ENC_BIG_ENDIAN);
        att_item(a, a->f->hf[1], a->msg, a->off + 2, 2, ENC_BIG_ENDIAN);
        proto_item_append_text(a->item, ": %s, %s",
            val_to_str_const(tvb_get_ntohs(a->msg, a->off), ms_stream_type_vals, "Unknown stream"),
            val_to_str_const(tvb_get_ntohs(a->msg, a->off + 2), ms_service_quality_vals, "Unknown quality"));
        break;
    case MSTURN_VK_MS_SITE_RESPONSE:   /* [MS-TURNBWM] 2.2.8-2.2.11 */
        if (a->len != 12)
            return (void)bad_length(a);
        att_item(a, a->f->hf[0], a->msg, a->off, 4, ENC_BIG_ENDIAN);
        att_item(a, a->f->hf[1], a->msg, a->off, 4, ENC_BIG_ENDIAN);
        att_item(a, a->f->hf[2], a->msg, a->off + 4, 4, ENC_BIG_ENDIAN);
        att_item(a, a->f->hf[3], a->msg, a->off + 8, 4, ENC_BIG_ENDIAN);
        break;
    case MSTURN_VK_MS_BANDWIDTH:       /* [MS-TURNBWM] bandwidth reservation amount */
        if (a->len != 16)
            return (void)bad_length(a);
        for (i = 0; i < 4; i++)
            att_item(a, a->f->hf[i], a->msg, a->off + 4 * i, 4, ENC_BIG_ENDIAN);
        break;
    case MSTURN_VK_CHANGE_REQUEST:     /* RFC 5780 7.2 */
        if (a->len != 4)
            return (void)bad_length(a);
        att_item(a, a->f->hf[0], a->msg, a->off, 4, ENC_BIG_ENDIAN);
        att_item(a, a->f->hf[1], a->msg, a->off, 4, ENC_BIG_ENDIAN);
        att_item(a, a->f->hf[2], a->msg, a->off, 4, ENC_BIG_ENDIAN);
        i = (int)tvb_get_ntohl(a->msg, a->off);
        proto_item_append_text(a->item, ": %s", (i & 6) == 6 ? "change IP and port" :
                               (i & 4) ? "change IP" : (i & 2) ? "change port" : "no change");
        break;
    case MSTURN_VK_EVEN_PORT:          /* RFC 8656 18.7: one byte, then padding */
        if (a->len != 1)
            return (void)bad_length(a);
        att_item(a, a->f->hf[0], a->msg, a->off, 1, ENC_BIG_ENDIAN);
        att_item(a, a->f->hf[1], a->msg, a->off, 1, ENC_BIG_ENDIAN);
        proto_item_append_text(a->item, ": %s", (tvb_get_uint8(a->msg, a->off) & 0x80)
                               ? "reserve the next port" : "no reservation");
        break;
    case MSTURN_VK_ICMP:               /* RFC 8656 18.13 */
        if (a->len != 8)
            return (void)bad_length(a);
        att_item(a, a->f->hf[0], a->msg, a->off + 2, 1, ENC_BIG_ENDIAN);
        att_item(a, a->f->hf[1], a->msg, a->off + 3, 1, ENC_BIG_ENDIAN);
        att_item(a, a->f->hf[2], a->msg, a->off + 4, 4, ENC_BIG_ENDIAN);
        proto_item_append_text(a->item, ": type %u, code %u", tvb_get_uint8(a->msg, a->off + 2),
                               tvb_get_uint8(a->msg, a->off + 3));
        break;
    case MSTURN_VK_PASSWORD_ALGS:
        dec_password_algorithms(a);
        break;
    case MSTURN_VK_TRANSMIT_COUNTER:   /* RFC 7982 3.1: 16 reserved bits, Req, Resp */
        if (a->len != 4)
            return (void)bad_length(a);
        att_item(a, a->f->hf[0], a->msg, a->off + 2, 1, ENC_BIG_ENDIAN);
        att_item(a, a->f->hf[1], a->msg, a->off + 3, 1, ENC_BIG_ENDIAN);
        proto_item_append_text(a->item, ": request %u, response %u", tvb_get_uint8(a->msg, a->off + 2),
                               tvb_get_uint8(a->msg, a->off + 3));
        break;
    case MSTURN_VK_GOOG_NETWORK:
        if (a->len != 4)
            return (void)bad_length(a);
        att_item(a, a->f->hf[0], a->msg, a->off, 2, ENC_BIG_ENDIAN);
        att_item(a, a->f->hf[1], a->msg, a->off + 2, 2, ENC_BIG_ENDIAN);
        proto_item_append_text(a->item, ": network %u, cost %u", tvb_get_ntohs(a->msg, a->off),
                               tvb_get_ntohs(a->msg, a->off + 2));
        break;
    case MSTURN_VK_OPAQUE:
        att_item(a, a->f->hf[0], a->msg, a->off, a->len, ENC_NA);
        if (a->len > 0)
            proto_item_append_text(a->item, ": %d bytes", a->len);
        break;
    case MSTURN_VK_DATA:
        att_item(a, a->f->hf[0], a->msg, a->off, a->len, ENC_NA);
        if (a->len > 0)
            proto_item_append_text(a->item, ": %d bytes", a->len);
        /* What the peer sent: the layer that framed this message decides
         * what it is (STUN, RTP, RTCP) once the message is done. */
        if (!a->info->has_data) {
            a->info->has_data = 1;
            a->info->data_off = a->off;
            a->info->data_len = a->len;
            a->info->data_tree = a->tree;
        }
        break;
    }
}

int
msturn_first_attr_is_ms_cookie(tvbuff_t *tvb)
{
    guint n = MIN(tvb_captured_length(tvb), 28u);
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
        att_ctx a;
        proto_item *ti;
        guint16 type, len;
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
        att_item(&a, info->microsoft ? hf_att_type_ms : hf_att_type, tvb, off, 2, ENC_BIG_ENDIAN);
        att_item(&a, hf_att_length, tvb, off + 2, 2, ENC_BIG_ENDIAN);

        if (seen_fingerprint)
            expert_add_info(pinfo, ti, &ei_att_after_fingerprint);

        if (off + 4 + len > end) {
            expert_add_info_format(pinfo, ti, &ei_att_overrun,
                                   "Attribute length %u runs %d bytes past the end of the message",
                                   len, off + 4 + len - end);
            att_item(&a, hf_att_value, tvb, off + 4, end - off - 4, ENC_NA);
            return;
        }

        if (a.def == NULL) {
            expert_add_info(pinfo, ti, type < 0x8000 ? &ei_att_unknown_required
                                                     : &ei_att_unknown_optional);
            if (len)
                att_item(&a, hf_att_value, tvb, off + 4, len, ENC_NA);
        } else {
            a.f = fields_of(a.def);
            decode_value(&a);
            if (a.def->kind == MSTURN_VK_FINGERPRINT)
                seen_fingerprint = 1;
        }
        if (pad && next <= end)
            att_item(&a, hf_att_padding, tvb, off + 4 + len, pad, ENC_NA);
        off = next;
    }
    if (off > end)
        expert_add_info(pinfo, msg_item, &ei_att_trailing);
}

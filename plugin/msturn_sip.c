/* msturn_sip.c - SIP dialogs of presentations, as a postdissector.
 *
 * On a frame Wireshark's SIP dissector decoded, msturn reads the SIP
 * messages themselves from the frame's data sources (the frame, a
 * reassembled TCP PDU, decrypted TLS; msturn_sip_text.c): Call-ID, CSeq,
 * the request method or status, and in an SDP body each
 * m=applicationsharing description's ICE credentials and candidates
 * (msturn_sdp.c reads the attribute values).  Reading the bytes instead of
 * the SIP and SDP fields keeps Wireshark from building a protocol tree for
 * every frame of the first pass, which asking for fields would.  An offer
 * or answer whose candidate is a session's relayed address, its peer, or
 * (for a relay candidate) the base the allocation was made from, ties the
 * dialog to that session (msturn_session_store.c).
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "msturn_sip.h"
#include "msturn_dialog.h"
#include "msturn_sdp.h"
#include "msturn_sip_text.h"
#include "msturn_sip_outcome.h"
#include "msturn_session.h"
#include "msturn_session_store.h"
#include "msturn_verdict.h"

#include <epan/proto_data.h>
#include <epan/to_str.h>
#include <string.h>

#define PDATA_DIALOG 2      /* p_add_proto_data key: the frame's dialog */
#define MAX_MESSAGES 16     /* SIP messages read per frame */
#define MAX_LINE    512     /* longest SDP attribute read (a candidate is far shorter) */

static msturn_pref_bool pref_sip = true;
static int proto_sip = -1;
static int proto_tcp = -1, proto_udp = -1, proto_sctp = -1;

static expert_field ei_dialogs_dropped = EI_INIT;
static expert_field ei_sdp_dropped = EI_INIT;

/* What a bound dropped in a frame (frame_sip.dropped). */
#define DROP_DIALOG 0x1u    /* a dialog beyond MSTURN_MAX_DIALOGS */
#define DROP_SDP    0x2u    /* an offer or answer beyond MSTURN_MAX_SDPS */
#define DROP_CANDS  0x4u    /* candidates beyond MSTURN_MAX_CANDIDATES */
#define DROP_CREDS  0x8u    /* a username fragment beyond MSTURN_MAX_CREDENTIALS */
static expert_field ei_relay_mismatch = EI_INIT;

static int
to_address(wmem_allocator_t *pool, const char *text, address *a)
{
    ws_in4_addr v4;
    ws_in6_addr v6;
    if (ws_inet_pton4(text, &v4)) {
        alloc_address_wmem(pool, a, AT_IPv4, 4, &v4);
        return 1;
    }
    if (ws_inet_pton6(text, &v6)) {
        alloc_address_wmem(pool, a, AT_IPv6, 16, &v6);
        return 1;
    }
    return 0;
}

/* One SDP description being read. */
typedef struct {
    msturn_sdp sdp;
    char       ufrag[MSTURN_SDP_TEXT_MAX], pwd[MSTURN_SDP_TEXT_MAX];
    char       s_ufrag[MSTURN_SDP_TEXT_MAX], s_pwd[MSTURN_SDP_TEXT_MAX];  /* session level */
    int        sharing;     /* inside m=applicationsharing */
    int        seen;
} reading;

static void
add_candidate(packet_info *pinfo, reading *r, const char *attr)
{
    msturn_candidate c;
    msturn_sdp_candidate_t *out;

    if (!msturn_sdp_candidate(attr, &c))
        return;
    if (c.ufrag[0] && !r->ufrag[0]) {   /* [MS-ICE] version 1 */
        g_strlcpy(r->ufrag, c.ufrag, sizeof r->ufrag);
        g_strlcpy(r->pwd, c.pwd, sizeof r->pwd);
    }
    if (r->sdp.n_cands >= MSTURN_MAX_CANDIDATES) {
        r->sdp.cands_dropped++;
        return;
    }
    out = &r->sdp.cands[r->sdp.n_cands];
    memset(out, 0, sizeof *out);
    if (!to_address(pinfo->pool, c.address, &out->addr))
        return;
    out->port = c.port;
    out->type = c.type;
    if (c.raddr[0] && to_address(pinfo->pool, c.raddr, &out->raddr)) {
        out->has_related = 1;
        out->rport = c.rport;
    }
    r->sdp.n_cands++;
}

/* The session this description names, if any. */
static msturn_session *
named_session(const msturn_sdp *sdp)
{
    unsigned i;
    msturn_session *s;

    for (i = 0; i < sdp->n_cands; i++) {
        const msturn_sdp_candidate_t *c = &sdp->cands[i];
        if (c->type == MSTURN_CAND_RELAY && (s = msturn_store_find_relayed(&c->addr, c->port)) != NULL)
            return s;
        if ((s = msturn_store_find_peer(&c->addr, c->port)) != NULL)
            return s;
        if (c->type == MSTURN_CAND_RELAY && c->has_related &&
            (s = msturn_store_find_client(&c->raddr, c->rport)) != NULL)
            return s;
    }
    return NULL;
}

static msturn_dialog *
finish(msturn_dialog *d, reading *r, unsigned *dropped)
{
    msturn_sdp *kept;
    msturn_session *s;
    unsigned creds = msturn_dialog_credentials_dropped();

    if (d == NULL || !r->seen)
        return d;
    if (r->sdp.cands_dropped)
        *dropped |= DROP_CANDS;
    if (!r->ufrag[0] && r->s_ufrag[0]) {    /* RFC 8839 5.4: session level applies */
        g_strlcpy(r->ufrag, r->s_ufrag, sizeof r->ufrag);
        g_strlcpy(r->pwd, r->s_pwd, sizeof r->pwd);
    }
    r->sdp.ufrag = r->ufrag[0] ? r->ufrag : NULL;
    r->sdp.pwd = r->pwd[0] ? r->pwd : NULL;
    kept = msturn_dialog_add_sdp(d, &r->sdp);
    r->seen = 0;
    if (msturn_dialog_credentials_dropped() != creds)
        *dropped |= DROP_CREDS;
    if (kept == NULL) {
        *dropped |= DROP_SDP;
        return d;
    }
    s = d->session ? NULL : named_session(kept);
    if (s != NULL)
        msturn_store_link_dialog(s, d);
    if (d->session)
        d->session->version++;
    return d;
}

/* RFC 3261 14: a re-INVITE is an INVITE of the dialog with a higher CSeq. */
static void
note_invite(packet_info *pinfo, msturn_dialog *d, const msturn_sip_msg *m)
{
    if (d == NULL || !m->is_request || !m->has_cseq || strcmp(m->method, "INVITE") != 0)
        return;
    if (!d->invite_frame) {
        d->invite_frame = pinfo->num;
        d->invite_cseq = m->cseq;
    } else if (m->cseq > d->invite_cseq && !d->reinvite_frame) {
        d->reinvite_frame = pinfo->num;
        if (d->session)
            d->session->version++;
    }
}

/* The SDP body of one message (RFC 8866 5): session-level attributes come
 * before the first m= line; each description starts with v= (a multipart
 * body may hold several). */
static msturn_dialog *
read_sdp(packet_info *pinfo, msturn_dialog *d, const char *body, size_t len, unsigned *dropped)
{
    reading r;
    size_t pos = 0, n;
    const char *v;
    char type, line[MAX_LINE];
    int in_media = 0;

    memset(&r, 0, sizeof r);
    while (msturn_sdp_line(body, len, &pos, &type, &v, &n)) {
        if (type != 'v' && type != 'm' && type != 'a')
            continue;
        n = MIN(n, sizeof line - 1);
        memcpy(line, v, n);
        line[n] = '\0';
        if (type == 'v') {
            d = finish(d, &r, dropped);
            memset(&r, 0, sizeof r);
            in_media = 0;
        } else if (type == 'm') {
            d = finish(d, &r, dropped);
            memset(&r.sdp, 0, sizeof r.sdp);
            r.ufrag[0] = r.pwd[0] = '\0';
            in_media = 1;
            r.sharing = strncmp(line, "applicationsharing", 18) == 0 &&
                        (line[18] == ' ' || line[18] == '\0');
            if (r.sharing && d != NULL)
                d->presentation = true;
            if (r.sharing) {
                r.seen = 1;
                copy_address_shallow(&r.sdp.sender, &pinfo->src);
                r.sdp.frame = pinfo->num;
            }
        } else if (!in_media) {
            (void)(msturn_sdp_ice_ufrag(line, r.s_ufrag, sizeof r.s_ufrag) ||
                   msturn_sdp_ice_pwd(line, r.s_pwd, sizeof r.s_pwd));
        } else if (r.sharing &&
                   !msturn_sdp_ice_ufrag(line, r.ufrag, sizeof r.ufrag) &&
                   !msturn_sdp_ice_pwd(line, r.pwd, sizeof r.pwd)) {
            add_candidate(pinfo, &r, line);
        }
    }
    return finish(d, &r, dropped);
}

/* Is SIP among the protocols of this frame?  SIP runs above a transport
 * (RFC 3261 18), so the walk goes from the last protocol down to the
 * innermost TCP, UDP or SCTP: two or three steps on most frames, which all
 * come here. */
static int
frame_has_sip(const packet_info *pinfo)
{
    wmem_list_frame_t *f;

    if (proto_sip <= 0 || pinfo->layers == NULL)
        return 0;
    for (f = wmem_list_tail(pinfo->layers); f != NULL; f = wmem_list_frame_prev(f)) {
        int id = GPOINTER_TO_INT(wmem_list_frame_data(f));
        if (id == proto_sip)
            return 1;
        if (id == proto_tcp || id == proto_udp || id == proto_sctp)
            return 0;
    }
    return 0;
}

/* Every SIP message in the frame's data sources, at most MAX_MESSAGES, to
 * fn with its source's bytes. */
typedef void (*sip_message_fn)(packet_info *pinfo, const uint8_t *bytes, const msturn_sip_msg *m,
                               void *ctx);

static void
each_message(packet_info *pinfo, sip_message_fn fn, void *ctx)
{
    GSList *l;
    unsigned messages = 0;

    for (l = pinfo->data_src; l != NULL; l = l->next) {
        tvbuff_t *ds = get_data_source_tvb((struct data_source *)l->data);
        unsigned len = ds ? tvb_captured_length(ds) : 0;
        const uint8_t *bytes = len ? tvb_get_ptr(ds, 0, len) : NULL;
        size_t pos = 0;
        msturn_sip_msg m;

        while (bytes && msturn_sip_next(bytes, len, &pos, &m)) {
            if (++messages > MAX_MESSAGES)
                return;
            fn(pinfo, bytes, &m, ctx);
        }
    }
}

/* What the first pass learns from a frame's messages. */
typedef struct {
    msturn_dialog *first;      /* the first dialog a message belongs to */
    unsigned *dropped;
    bool *outcome;             /* set: a message of a presentation dialog */
} frame_read;

static void
read_message(packet_info *pinfo, const uint8_t *bytes, const msturn_sip_msg *m, void *ctx)
{
    frame_read *r = (frame_read *)ctx;
    msturn_dialog *d = NULL;

    if (m->call_id[0]) {
        d = msturn_dialog_get(m->call_id, 1);
        if (d == NULL)
            *r->dropped |= DROP_DIALOG;
    }
    if (r->first == NULL)
        r->first = d;
    note_invite(pinfo, d, m);
    if (d != NULL && m->sdp && m->body_len > 0)
        read_sdp(pinfo, d, (const char *)bytes + m->body, m->body_len, r->dropped);
    msturn_sip_outcome_note(pinfo, d, m);
    if (d != NULL && d->presentation)
        *r->outcome = true;
}

/* First pass: every complete SIP message in the frame's data sources, in
 * their order; the frame's first dialog.  *outcome: a message belongs to a
 * presentation dialog, whose outcome the frame shows. */
static msturn_dialog *
read_frame(packet_info *pinfo, unsigned *dropped, bool *outcome)
{
    frame_read r = { NULL, dropped, outcome };

    each_message(pinfo, read_message, &r);
    return r.first;
}

/* Every pass: the outcome of each presentation dialog a message of the
 * frame belongs to, read again from the bytes (nothing per message is
 * kept: only frames of presentation dialogs come here). */
typedef struct {
    tvbuff_t *tvb;
    proto_tree *tree;
} outcome_view;

static void
show_message_outcome(packet_info *pinfo, const uint8_t *bytes _U_, const msturn_sip_msg *m, void *ctx)
{
    outcome_view *v = (outcome_view *)ctx;

    if (m->call_id[0])
        msturn_sip_outcome_show(v->tvb, pinfo, v->tree, msturn_dialog_get(m->call_id, 0), m);
}

static void
show_outcomes(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree)
{
    outcome_view v = { tvb, tree };

    each_message(pinfo, show_message_outcome, &v);
}

/* The relayed address the session's own side should have announced. */
static void
check_relay(packet_info *pinfo, proto_tree *tree, tvbuff_t *tvb, const msturn_dialog *d)
{
    const msturn_session *s = d->session;
    unsigned i;

    if (s == NULL)
        return;
    for (i = 0; i < d->n_sdps; i++) {
        int allocated = 0;
        if (d->sdps[i].frame == pinfo->num &&
            msturn_sdp_relay_candidates(s, &d->sdps[i], &allocated) && !allocated)
            proto_tree_add_expert_format(tree, pinfo, &ei_relay_mismatch, tvb, 0, 0,
                "The relay candidate of this SDP is not the relayed address %s of session %u "
                "(XOR-RELAYED-ADDRESS of its Allocate success): the far side will try an address "
                "nobody allocated", address_to_str(pinfo->pool, &s->relayed.addr), s->number);
    }
}

/* What the first pass found in a frame, for every later pass. */
typedef struct {
    msturn_dialog *dialog;      /* its first dialog, or NULL */
    unsigned       dropped;     /* DROP_* */
    bool           outcome;     /* it carries a message of a presentation dialog */
} frame_sip;

void
msturn_sip_frame(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree)
{
    frame_sip *f;
    msturn_dialog *d;

    /* SIP is decoded again in every pass: frames without it need nothing */
    if (!pref_sip || !frame_has_sip(pinfo))
        return;
    f = (frame_sip *)p_get_proto_data(wmem_file_scope(), pinfo, proto_msturn, PDATA_DIALOG);
    if (f == NULL && !PINFO_FD_VISITED(pinfo)) {
        unsigned dropped = 0;
        bool outcome = false;
        d = read_frame(pinfo, &dropped, &outcome);
        if (d != NULL || dropped) {
            f = wmem_new(wmem_file_scope(), frame_sip);
            f->dialog = d;
            f->dropped = dropped;
            f->outcome = outcome;
            p_add_proto_data(wmem_file_scope(), pinfo, proto_msturn, PDATA_DIALOG, f);
        }
    }
    if (f == NULL)
        return;
    tree = msturn_tree(tree);
    if (f->dropped & DROP_DIALOG)
        proto_tree_add_expert(tree, pinfo, &ei_dialogs_dropped, tvb, 0, 0);
    if (f->dropped & ~DROP_DIALOG) {
        wmem_strbuf_t *what = wmem_strbuf_new(pinfo->pool, "");
        if (f->dropped & DROP_SDP)
            wmem_strbuf_append_printf(what, ", offers and answers beyond %d in its dialog",
                                      MSTURN_MAX_SDPS);
        if (f->dropped & DROP_CANDS)
            wmem_strbuf_append_printf(what, ", candidates beyond %d", MSTURN_MAX_CANDIDATES);
        if (f->dropped & DROP_CREDS)
            wmem_strbuf_append_printf(what, ", ICE credentials beyond %d in this file",
                                      MSTURN_MAX_CREDENTIALS);
        proto_tree_add_expert_format(tree, pinfo, &ei_sdp_dropped, tvb, 0, 0,
            "msturn keeps no more of this SDP: %s", wmem_strbuf_get_str(what) + 2);
    }
    if (f->outcome)
        show_outcomes(tvb, pinfo, tree);
    d = f->dialog;
    if (d == NULL || d->session == NULL)
        return;
    check_relay(pinfo, tree, tvb, d);
    msturn_session_signalling(tvb, pinfo, tree, d->session);
}

void
msturn_sip_register(int proto, module_t *module)
{
    static ei_register_info ei[] = {
        { &ei_dialogs_dropped, { "msturn.sip.too_many_dialogs", PI_SEQUENCE, PI_NOTE,
            "More SIP dialogs than msturn follows per file", EXPFILL } },
        { &ei_sdp_dropped, { "msturn.sip.sdp_dropped", PI_SEQUENCE, PI_NOTE,
            "Too many offers or candidates: the rest not followed", EXPFILL } },
        { &ei_relay_mismatch, { "msturn.sip.relay_mismatch", PI_SEQUENCE, PI_WARN,
            "SDP relay candidate is not the allocated address", EXPFILL } },
    };
    expert_module_t *em = expert_register_protocol(proto);

    expert_register_field_array(em, ei, array_length(ei));
    msturn_sip_outcome_register(proto);
    prefs_register_bool_preference(module, "sip", "Follow the presentation's SIP dialog",
        "Read the SIP messages and SDP that Wireshark decodes as SIP in the same capture: tie "
        "each m=applicationsharing offer and answer to its session, verify the ICE checks with "
        "the SDP's passwords and judge the signalling", &pref_sip);
}

void
msturn_sip_handoff(void)
{
    proto_sip = proto_get_id_by_filter_name("sip");
    proto_tcp = proto_get_id_by_filter_name("tcp");
    proto_udp = proto_get_id_by_filter_name("udp");
    proto_sctp = proto_get_id_by_filter_name("sctp");
}

/* msturn_sip.c - SIP dialogs of presentations, as a postdissector.
 *
 * msturn has no SIP or SDP parser: it asks Wireshark for the fields of the
 * SIP dissector (Call-ID, CSeq, method, status) and of the SDP dissector
 * (m= media, a= attributes), in tree order, and reads each
 * m=applicationsharing description's ICE credentials and candidates
 * (msturn_sdp.c reads the attribute values).  Several SIP messages in one
 * frame are told apart by where their fields lie in the data.  An offer or
 * answer whose candidate is a session's relayed address, its peer, or (for
 * a relay candidate) the base the allocation was made from, ties the
 * dialog to that session (msturn_session_store.c).
 *
 * Asking for fields makes Wireshark build a protocol tree for every frame
 * in the first pass; preference msturn.sip turns the reading off.
 */
#include "msturn_sip.h"
#include "msturn_dialog.h"
#include "msturn_sdp.h"
#include "msturn_session_store.h"

#include <epan/proto_data.h>
#include <epan/to_str.h>
#include <string.h>

#define PDATA_DIALOG 2      /* p_add_proto_data key: the frame's dialog */
#define MAX_MESSAGES 16     /* SIP messages read per frame */

static msturn_pref_bool pref_sip = TRUE;
static dissector_handle_t sip_handle;

/* Wireshark's own fields, looked up at handoff. */
enum { F_CALL_ID, F_CSEQ_SEQ, F_METHOD, F_STATUS, F_MEDIA, F_MEDIA_ATTR, F_SESSION_ATTR, N_FIELDS };
static const char *const field_names[N_FIELDS] = {
    "sip.Call-ID", "sip.CSeq.seq", "sip.Method", "sip.Status-Code",
    "sdp.media.media", "sdp.media_attr", "sdp.session_attr",
};
static int fields[N_FIELDS];

static expert_field ei_dialogs_dropped = EI_INIT;
static expert_field ei_sdp_dropped = EI_INIT;

/* What a bound dropped in a frame (frame_sip.dropped). */
#define DROP_DIALOG 0x1u    /* a dialog beyond MSTURN_MAX_DIALOGS */
#define DROP_SDP    0x2u    /* an offer or answer beyond MSTURN_MAX_SDPS */
#define DROP_CANDS  0x4u    /* candidates beyond MSTURN_MAX_CANDIDATES */
#define DROP_CREDS  0x8u    /* a username fragment beyond MSTURN_MAX_CREDENTIALS */
static expert_field ei_relay_mismatch = EI_INIT;

/* One field occurrence, where it lies. */
typedef struct {
    int         field;
    tvbuff_t   *ds;
    int         start;
    field_info *fi;
} occurrence;

static int
by_position(const void *a, const void *b)
{
    const occurrence *x = (const occurrence *)a, *y = (const occurrence *)b;
    if (x->ds != y->ds)
        return x->ds < y->ds ? -1 : 1;
    return x->start - y->start;
}

static const char *
text_of(const occurrence *o)
{
    const char *s = fvalue_get_string(MSTURN_FI_VALUE(o->fi));
    return s ? s : "";
}

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

/* First pass: every SIP message of the frame, in the order its fields lie. */
static msturn_dialog *
read_frame(packet_info *pinfo, proto_tree *tree, unsigned *dropped)
{
    occurrence *occ;
    unsigned n = 0, total = 0, i, k, messages = 0;
    GPtrArray *arrays[N_FIELDS];
    msturn_dialog *d = NULL, *first = NULL;
    reading r;
    int is_request = 0;
    uint32_t cseq = 0;
    const char *method = NULL;

    /* most frames carry no SIP: one lookup decides */
    arrays[F_CALL_ID] = fields[F_CALL_ID] > 0 ? proto_get_finfo_ptr_array(tree, fields[F_CALL_ID])
                                               : NULL;
    if (arrays[F_CALL_ID] == NULL || arrays[F_CALL_ID]->len == 0)
        return NULL;
    for (k = 0; k < N_FIELDS; k++) {
        if (k != F_CALL_ID)
            arrays[k] = fields[k] > 0 ? proto_get_finfo_ptr_array(tree, fields[k]) : NULL;
        total += arrays[k] ? arrays[k]->len : 0;
    }
    occ = wmem_alloc_array(pinfo->pool, occurrence, total);
    for (k = 0; k < N_FIELDS; k++)
        for (i = 0; arrays[k] && i < arrays[k]->len; i++) {
            field_info *fi = (field_info *)g_ptr_array_index(arrays[k], i);
            occ[n].field = (int)k;
            occ[n].ds = fi->ds_tvb;
            occ[n].start = fi->start;
            occ[n].fi = fi;
            n++;
        }
    qsort(occ, n, sizeof *occ, by_position);

    memset(&r, 0, sizeof r);
    for (i = 0; i < n; i++) {
        const occurrence *o = &occ[i];
        const char *t;
        switch (o->field) {
        case F_METHOD:          /* a request line: a new message */
        case F_STATUS:
            d = finish(d, &r, dropped);
            memset(&r, 0, sizeof r);
            d = NULL;
            if (++messages > MAX_MESSAGES)
                return first;
            is_request = o->field == F_METHOD;
            method = is_request ? text_of(o) : NULL;
            cseq = 0;
            break;
        case F_CALL_ID:
            d = msturn_dialog_get(text_of(o), 1);
            if (d == NULL) {
                *dropped |= DROP_DIALOG;
                break;
            }
            if (first == NULL)
                first = d;
            break;
        case F_CSEQ_SEQ:
            cseq = fvalue_get_uinteger(MSTURN_FI_VALUE(o->fi));
            if (d == NULL)
                break;
            /* RFC 3261 14: a re-INVITE is an INVITE with a higher CSeq */
            if (is_request && method && strcmp(method, "INVITE") == 0) {
                if (!d->invite_frame) {
                    d->invite_frame = pinfo->num;
                    d->invite_cseq = cseq;
                } else if (cseq > d->invite_cseq && !d->reinvite_frame) {
                    d->reinvite_frame = pinfo->num;
                    if (d->session)
                        d->session->version++;
                }
            }
            break;
        case F_MEDIA:
            d = finish(d, &r, dropped);
            r.sharing = strcmp(text_of(o), "applicationsharing") == 0;
            if (r.sharing) {
                r.seen = 1;
                copy_address_shallow(&r.sdp.sender, &pinfo->src);
                r.sdp.frame = pinfo->num;
            }
            break;
        case F_SESSION_ATTR:
            t = text_of(o);
            (void)(msturn_sdp_ice_ufrag(t, r.s_ufrag, sizeof r.s_ufrag) ||
                   msturn_sdp_ice_pwd(t, r.s_pwd, sizeof r.s_pwd));
            break;
        case F_MEDIA_ATTR:
            if (!r.sharing)
                break;
            t = text_of(o);
            if (!msturn_sdp_ice_ufrag(t, r.ufrag, sizeof r.ufrag) &&
                !msturn_sdp_ice_pwd(t, r.pwd, sizeof r.pwd))
                add_candidate(pinfo, &r, t);
            break;
        default:
            break;
        }
    }
    finish(d, &r, dropped);
    return first;
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
} frame_sip;

static int
sip_frame(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    frame_sip *f;
    msturn_dialog *d;

    if (!pref_sip)
        return 0;
    f = (frame_sip *)p_get_proto_data(wmem_file_scope(), pinfo, proto_msturn, PDATA_DIALOG);
    if (f == NULL && !PINFO_FD_VISITED(pinfo) && tree != NULL) {
        unsigned dropped = 0;
        d = read_frame(pinfo, tree, &dropped);
        if (d != NULL || dropped) {
            f = wmem_new(wmem_file_scope(), frame_sip);
            f->dialog = d;
            f->dropped = dropped;
            p_add_proto_data(wmem_file_scope(), pinfo, proto_msturn, PDATA_DIALOG, f);
        }
    }
    if (f == NULL)
        return 0;
    tree = msturn_tree(tree);       /* the fields were read; now msturn's own items */
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
    d = f->dialog;
    if (d == NULL || d->session == NULL)
        return 0;
    check_relay(pinfo, tree, tvb, d);
    msturn_session_signalling(tvb, pinfo, tree, d->session);
    return 0;
}

static void
want_fields(void)
{
    GArray *wanted = NULL;
    int k;

    if (pref_sip) {
        wanted = g_array_new(FALSE, FALSE, (guint)sizeof(int));
        for (k = 0; k < N_FIELDS; k++)
            if (fields[k] > 0)
                g_array_append_val(wanted, fields[k]);
    }
    set_postdissector_wanted_hfids(sip_handle, wanted);
}

void
msturn_sip_register(int proto, module_t *module)
{
    static ei_register_info ei[] = {
        { &ei_dialogs_dropped, { "msturn.sip.too_many_dialogs", PI_SEQUENCE, PI_NOTE,
            "More SIP dialogs than msturn follows per file; this one is not followed", EXPFILL } },
        { &ei_sdp_dropped, { "msturn.sip.sdp_dropped", PI_SEQUENCE, PI_NOTE,
            "More offers, candidates or ICE credentials than msturn keeps; the rest is not "
            "followed", EXPFILL } },
        { &ei_relay_mismatch, { "msturn.sip.relay_mismatch", PI_SEQUENCE, PI_WARN,
            "The SDP's relay candidate is not the allocated relayed address", EXPFILL } },
    };
    expert_module_t *em = expert_register_protocol(proto);

    expert_register_field_array(em, ei, array_length(ei));
    prefs_register_bool_preference(module, "sip", "Follow the presentation's SIP dialog",
        "Read the SIP and SDP that Wireshark decodes in the same capture: tie each "
        "m=applicationsharing offer and answer to its session, verify the ICE checks with the "
        "SDP's passwords and judge the signalling.  Wireshark then builds a protocol tree for "
        "every frame of the first pass.", &pref_sip);
    sip_handle = create_dissector_handle(sip_frame, proto);
    register_postdissector(sip_handle);
}

void
msturn_sip_handoff(void)
{
    int k;
    for (k = 0; k < N_FIELDS; k++)
        fields[k] = proto_registrar_get_id_byname(field_names[k]);
    want_fields();
}

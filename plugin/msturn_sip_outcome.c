/* msturn_sip_outcome.c - the outcome of a presentation's SIP dialog.
 *
 * The first INVITE's first final response says whether the dialog was
 * answered (2xx, RFC 3261 13.2.2.4) or refused (3xx-6xx, 17.1.1.3); a
 * CANCEL before it (9.1) cancels it, and its 487 only confirms that; a
 * re-INVITE (14) may be refused while the dialog goes on; a BYE (15.1) ends
 * it.  Servers say why on those very messages: ms-diagnostics and
 * ms-diagnostics-public ([MS-OCER] 2.2.1.1, 2.2.1.2) on responses, BYE and
 * CANCEL, Reason (RFC 3326) on BYE and CANCEL, Warning (RFC 3261 20.43) on
 * responses.  Only dialogs with an m=applicationsharing offer or answer are
 * shown: the diagnostics of other calls in the capture are left alone.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "msturn_sip_outcome.h"
#include "msturn_sip_diag.h"
#include "msturn_session_store.h"
#include "msturn_session.h"

#include <string.h>

static int hf_outcome = -1;
static int hf_answer = -1;
static int hf_reinvite_answer = -1;
static int hf_diag = -1;
static int hf_diag_public = -1;
static int hf_diag_id = -1;
static int hf_diag_reason = -1;
static int hf_diag_source = -1;
static int hf_diag_component = -1;
static int hf_diag_params = -1;
static int hf_reason = -1;
static int hf_reason_protocol = -1;
static int hf_reason_cause = -1;
static int hf_reason_text = -1;
static int hf_warning = -1;
static int hf_warning_code = -1;
static int hf_warning_agent = -1;
static int hf_warning_text = -1;

static int ett_outcome = -1;
static int ett_header = -1;

static expert_field ei_refused = EI_INIT;
static expert_field ei_cancelled = EI_INIT;
static expert_field ei_bye_diag = EI_INIT;
static expert_field ei_diag = EI_INIT;

static const value_string outcome_names[] = {
    { MSTURN_OUTCOME_NO_ANSWER,        "no final answer" },
    { MSTURN_OUTCOME_ANSWERED,         "answered" },
    { MSTURN_OUTCOME_NO_ACK,           "answered, never acknowledged" },
    { MSTURN_OUTCOME_REFUSED,          "refused" },
    { MSTURN_OUTCOME_CANCELLED,        "cancelled" },
    { MSTURN_OUTCOME_REINVITE_REFUSED, "re-INVITE refused" },
    { MSTURN_OUTCOME_BYE,              "ended by BYE" },
    { 0, NULL }
};

/* The diagnostics a message carries: the private form first, which servers
 * address to their own side and which has more ([MS-OCER] 2.2.1.1). */
static bool
message_diag(const msturn_sip_msg *m, msturn_sip_diag *dg)
{
    return (m->diag[0] && msturn_sip_diag_read(m->diag, dg)) ||
           (m->diag_public[0] && msturn_sip_diag_read(m->diag_public, dg));
}

/* What one message says about why, for verdicts and expert texts:
 * "ms-diagnostics 21002 Attendees cannot share in this conference",
 * "Reason SIP 480 No answer" or "Warning 399 ..."; NULL if it says
 * nothing.  *diag: the text came from ms-diagnostics. */
static char *
why_text(wmem_allocator_t *pool, const msturn_sip_msg *m, bool *diag)
{
    msturn_sip_diag dg;
    msturn_sip_reason r;
    msturn_sip_warning w;
    wmem_strbuf_t *b;

    *diag = false;
    if (message_diag(m, &dg)) {
        *diag = true;
        return dg.reason[0] ? wmem_strdup_printf(pool, "ms-diagnostics %u %s", dg.id, dg.reason)
                            : wmem_strdup_printf(pool, "ms-diagnostics %u", dg.id);
    }
    if (m->reason[0] && msturn_sip_reason_read(m->reason, &r)) {
        b = wmem_strbuf_new(pool, "Reason ");
        wmem_strbuf_append(b, r.protocol);
        if (r.has_cause)
            wmem_strbuf_append_printf(b, " %u", r.cause);
        if (r.text[0])
            wmem_strbuf_append_printf(b, " %s", r.text);
        return wmem_strbuf_finalize(b);
    }
    if (m->warning[0] && msturn_sip_warning_read(m->warning, &w))
        return w.text[0] ? wmem_strdup_printf(pool, "Warning %u %s", w.code, w.text)
                         : wmem_strdup_printf(pool, "Warning %u", w.code);
    return NULL;
}

static bool
is_method(const char *method, const char *want)
{
    return strcmp(method, want) == 0;   /* RFC 3261 7.1: methods are case-sensitive */
}

/* Returns whether the message changed what the dialog's row shows. */
static bool
note_request(packet_info *pinfo, msturn_dialog *d, const msturn_sip_msg *m)
{
    bool diag;

    if (is_method(m->method, "INVITE")) {
        if (m->cseq == d->invite_cseq && d->caller.type == AT_NONE) {
            copy_address_wmem(wmem_file_scope(), &d->caller, &pinfo->src);
            d->caller_port = (uint16_t)pinfo->srcport;
            d->invite_ts = pinfo->abs_ts;
        } else if (m->cseq > d->invite_cseq && m->cseq != d->reinvite_cseq) {
            d->reinvite_cseq = m->cseq;     /* a new re-INVITE: its answer is to come */
            d->reinvite_status = 0;
            d->reinvite_phrase = NULL;
            d->reinvite_why = NULL;
            return true;
        }
    } else if (is_method(m->method, "ACK")) {
        if (m->cseq == d->invite_cseq && d->answer_status >= 200 && d->answer_status < 300 &&
            !d->ack_frame) {
            d->ack_frame = pinfo->num;
            return true;
        }
    } else if (is_method(m->method, "CANCEL")) {
        /* RFC 3261 9.1: a CANCEL names the INVITE's CSeq number; it has an
         * effect only while the INVITE has no final response */
        if (m->cseq == d->invite_cseq && d->answer_status < 200 && !d->cancel_frame) {
            d->cancel_frame = pinfo->num;
            d->why = why_text(wmem_file_scope(), m, &diag);
            return true;
        }
    } else if (is_method(m->method, "BYE")) {
        if (!d->bye_frame) {
            d->bye_frame = pinfo->num;
            d->bye_why = why_text(wmem_file_scope(), m, &d->bye_diag);
            return true;
        }
    }
    return false;
}

static bool
note_response(packet_info *pinfo, msturn_dialog *d, const msturn_sip_msg *m)
{
    bool diag;

    if (m->status < 200 || !m->has_cseq || !is_method(m->cseq_method, "INVITE"))
        return false;
    if (m->cseq == d->invite_cseq && d->invite_frame && !d->answer_status) {
        d->answer_status = m->status;
        d->answer_frame = pinfo->num;
        d->answer_phrase = wmem_strdup(wmem_file_scope(), m->phrase);
        /* a 487 may say what its CANCEL did not */
        if (m->status >= 300 && d->why == NULL)
            d->why = why_text(wmem_file_scope(), m, &diag);
        return true;
    }
    if (m->cseq == d->reinvite_cseq && d->reinvite_cseq && !d->reinvite_status) {
        d->reinvite_status = m->status;
        d->reinvite_phrase = wmem_strdup(wmem_file_scope(), m->phrase);
        if (m->status >= 300)
            d->reinvite_why = why_text(wmem_file_scope(), m, &diag);
        return true;
    }
    return false;
}

void
msturn_sip_outcome_note(packet_info *pinfo, msturn_dialog *d, const msturn_sip_msg *m)
{
    bool changed;

    if (d == NULL || !m->has_cseq)
        return;
    changed = m->is_request ? note_request(pinfo, d, m) : note_response(pinfo, d, m);
    if (changed && d->session)
        d->session->version++;
    /* the table answers "why did sharing fail" even when TURN never started */
    if (d->presentation && d->session == NULL && msturn_dialog_failed(d) &&
        msturn_sessions_enabled())
        msturn_store_new_signalling(pinfo, d);
}

/* A header's value as its own item, with its parts below it. */
static void
show_diag(tvbuff_t *tvb, proto_tree *tree, const char *value, int hf)
{
    msturn_sip_diag dg;
    proto_item *ti;
    proto_tree *t;

    if (!value[0])
        return;
    ti = proto_tree_add_string(tree, hf, tvb, 0, 0, value);
    proto_item_set_generated(ti);
    if (!msturn_sip_diag_read(value, &dg))
        return;
    t = proto_item_add_subtree(ti, ett_header);
    proto_item_set_generated(proto_tree_add_uint(t, hf_diag_id, tvb, 0, 0, dg.id));
    if (dg.reason[0])
        proto_item_set_generated(proto_tree_add_string(t, hf_diag_reason, tvb, 0, 0, dg.reason));
    if (dg.source[0])
        proto_item_set_generated(proto_tree_add_string(t, hf_diag_source, tvb, 0, 0, dg.source));
    if (dg.component[0])
        proto_item_set_generated(proto_tree_add_string(t, hf_diag_component, tvb, 0, 0,
                                                       dg.component));
    if (dg.params[0])
        proto_item_set_generated(proto_tree_add_string(t, hf_diag_params, tvb, 0, 0, dg.params));
}

static void
show_reason_warning(tvbuff_t *tvb, proto_tree *tree, const msturn_sip_msg *m)
{
    msturn_sip_reason r;
    msturn_sip_warning w;
    proto_item *ti;
    proto_tree *t;

    if (m->reason[0]) {
        ti = proto_tree_add_string(tree, hf_reason, tvb, 0, 0, m->reason);
        proto_item_set_generated(ti);
        if (msturn_sip_reason_read(m->reason, &r)) {
            t = proto_item_add_subtree(ti, ett_header);
            proto_item_set_generated(proto_tree_add_string(t, hf_reason_protocol, tvb, 0, 0,
                                                           r.protocol));
            if (r.has_cause)
                proto_item_set_generated(proto_tree_add_uint(t, hf_reason_cause, tvb, 0, 0,
                                                             r.cause));
            if (r.text[0])
                proto_item_set_generated(proto_tree_add_string(t, hf_reason_text, tvb, 0, 0,
                                                               r.text));
        }
    }
    if (m->warning[0]) {
        ti = proto_tree_add_string(tree, hf_warning, tvb, 0, 0, m->warning);
        proto_item_set_generated(ti);
        if (msturn_sip_warning_read(m->warning, &w)) {
            t = proto_item_add_subtree(ti, ett_header);
            proto_item_set_generated(proto_tree_add_uint(t, hf_warning_code, tvb, 0, 0, w.code));
            proto_item_set_generated(proto_tree_add_string(t, hf_warning_agent, tvb, 0, 0,
                                                           w.agent));
            if (w.text[0])
                proto_item_set_generated(proto_tree_add_string(t, hf_warning_text, tvb, 0, 0,
                                                               w.text));
        }
    }
}

/* The one expert item a message gets: the refusal, the CANCEL, the BYE that
 * carried diagnostics, or else the diagnostics it carries. */
static void
show_expert(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const msturn_dialog *d,
            const msturn_sip_msg *m)
{
    bool diag;
    const char *why = why_text(pinfo->pool, m, &diag);
    const char *sep = why ? ", " : "";

    if (why == NULL)
        why = "";
    if (!m->is_request && m->status >= 300 && is_method(m->cseq_method, "INVITE") &&
        ((m->cseq == d->invite_cseq && d->answer_frame == pinfo->num && !d->cancel_frame) ||
         (m->cseq == d->reinvite_cseq && m->cseq != d->invite_cseq))) {
        proto_tree_add_expert_format(tree, pinfo, &ei_refused, tvb, 0, 0,
            "Presentation %s refused by signalling: %u %s%s%s (Call-ID %s)",
            m->cseq == d->invite_cseq ? "INVITE" : "re-INVITE", m->status, m->phrase, sep, why,
            d->call_id);
    } else if (m->is_request && d->cancel_frame == pinfo->num && is_method(m->method, "CANCEL")) {
        proto_tree_add_expert_format(tree, pinfo, &ei_cancelled, tvb, 0, 0,
            "Presentation INVITE cancelled before its answer%s%s (Call-ID %s)", sep, why,
            d->call_id);
    } else if (m->is_request && diag && d->bye_frame == pinfo->num && is_method(m->method, "BYE")) {
        proto_tree_add_expert_format(tree, pinfo, &ei_bye_diag, tvb, 0, 0,
            "Presentation ended by BYE, %s (Call-ID %s)", why, d->call_id);
    } else if (diag) {
        proto_tree_add_expert_format(tree, pinfo, &ei_diag, tvb, 0, 0,
            "Server diagnostics in the presentation's dialog: %s (Call-ID %s)", why, d->call_id);
    }
}

void
msturn_sip_outcome_show(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                        const msturn_dialog *d, const msturn_sip_msg *m)
{
    msturn_dialog_outcome o;
    proto_item *ti;
    proto_tree *st = NULL;

    if (d == NULL || !d->presentation)
        return;
    o = msturn_dialog_outcome_of(d);
    if (tree != NULL) {
        ti = proto_tree_add_item(tree, proto_msturn, tvb, 0, 0, ENC_NA);
        proto_item_set_generated(ti);
        proto_item_set_text(ti, "MSTURN presentation dialog %s: %s", d->call_id,
                            val_to_str_const(o, outcome_names, "?"));
        st = proto_item_add_subtree(ti, ett_outcome);
        proto_item_set_generated(proto_tree_add_uint(st, hf_outcome, tvb, 0, 0, o));
        if (d->answer_status)
            proto_item_set_generated(proto_tree_add_uint(st, hf_answer, tvb, 0, 0,
                                                         d->answer_status));
        if (d->reinvite_status)
            proto_item_set_generated(proto_tree_add_uint(st, hf_reinvite_answer, tvb, 0, 0,
                                                         d->reinvite_status));
        show_diag(tvb, st, m->diag, hf_diag);
        show_diag(tvb, st, m->diag_public, hf_diag_public);
        show_reason_warning(tvb, st, m);
    }
    show_expert(tvb, pinfo, st, d, m);
}

void
msturn_sip_outcome_register(int proto)
{
    static hf_register_info hf[] = {
        { &hf_outcome, { "Dialog outcome", "msturn.sip.outcome", FT_UINT8, BASE_DEC,
            VALS(outcome_names), 0, "How the presentation's SIP dialog went: answered, refused, "
            "cancelled, no final answer, re-INVITE refused or ended by BYE", HFILL } },
        { &hf_answer, { "Final answer to the INVITE", "msturn.sip.answer", FT_UINT16, BASE_DEC,
            NULL, 0, "Status code of the first final response to the dialog's first INVITE",
            HFILL } },
        { &hf_reinvite_answer, { "Final answer to the re-INVITE", "msturn.sip.reinvite_answer",
            FT_UINT16, BASE_DEC, NULL, 0, "Status code of the final response to the dialog's "
            "latest re-INVITE", HFILL } },
        { &hf_diag, { "ms-diagnostics", "msturn.sip.diagnostics", FT_STRING, BASE_NONE, NULL, 0,
            "The ms-diagnostics header of this message ([MS-OCER] 2.2.1.1)", HFILL } },
        { &hf_diag_public, { "ms-diagnostics-public", "msturn.sip.diagnostics_public", FT_STRING,
            BASE_NONE, NULL, 0, "The ms-diagnostics-public header of this message "
            "([MS-OCER] 2.2.1.2)", HFILL } },
        { &hf_diag_id, { "Error ID", "msturn.sip.diagnostics.id", FT_UINT32, BASE_DEC, NULL, 0,
            "ErrorId of ms-diagnostics or ms-diagnostics-public ([MS-OCER] Appendix A lists "
            "them)", HFILL } },
        { &hf_diag_reason, { "Reason", "msturn.sip.diagnostics.reason", FT_STRING, BASE_NONE,
            NULL, 0, "The reason parameter of ms-diagnostics or ms-diagnostics-public", HFILL } },
        { &hf_diag_source, { "Source", "msturn.sip.diagnostics.source", FT_STRING, BASE_NONE,
            NULL, 0, "The server that reported it (source parameter, ms-diagnostics only)",
            HFILL } },
        { &hf_diag_component, { "Component", "msturn.sip.diagnostics.component", FT_STRING,
            BASE_NONE, NULL, 0, "The component parameter of ms-diagnostics", HFILL } },
        { &hf_diag_params, { "Other parameters", "msturn.sip.diagnostics.params", FT_STRING,
            BASE_NONE, NULL, 0, "The generic parameters of ms-diagnostics besides reason, "
            "source and component", HFILL } },
        { &hf_reason, { "Reason header", "msturn.sip.reason", FT_STRING, BASE_NONE, NULL, 0,
            "The Reason header of this message (RFC 3326)", HFILL } },
        { &hf_reason_protocol, { "Protocol", "msturn.sip.reason.protocol", FT_STRING, BASE_NONE,
            NULL, 0, "The protocol of the Reason header's cause: SIP or Q.850", HFILL } },
        { &hf_reason_cause, { "Cause", "msturn.sip.reason.cause", FT_UINT32, BASE_DEC, NULL, 0,
            "A SIP status code or a Q.850 cause value", HFILL } },
        { &hf_reason_text, { "Text", "msturn.sip.reason.text", FT_STRING, BASE_NONE, NULL, 0,
            "The text parameter of the Reason header", HFILL } },
        { &hf_warning, { "Warning header", "msturn.sip.warning", FT_STRING, BASE_NONE, NULL, 0,
            "The Warning header of this message (RFC 3261 20.43)", HFILL } },
        { &hf_warning_code, { "Warn code", "msturn.sip.warning.code", FT_UINT32, BASE_DEC, NULL,
            0, "The warn-code (RFC 3261 20.43: 3xx)", HFILL } },
        { &hf_warning_agent, { "Warn agent", "msturn.sip.warning.agent", FT_STRING, BASE_NONE,
            NULL, 0, "The host that added the Warning", HFILL } },
        { &hf_warning_text, { "Warn text", "msturn.sip.warning.text", FT_STRING, BASE_NONE, NULL,
            0, "The warn-text of the Warning header", HFILL } },
    };
    static int *ett[] = { &ett_outcome, &ett_header };
    static ei_register_info ei[] = {
        { &ei_refused, { "msturn.sip.refused", PI_SEQUENCE, PI_WARN,
            "The presentation's INVITE or re-INVITE was refused", EXPFILL } },
        { &ei_cancelled, { "msturn.sip.cancelled", PI_SEQUENCE, PI_WARN,
            "Presentation INVITE cancelled before its answer", EXPFILL } },
        { &ei_bye_diag, { "msturn.sip.bye_diagnostics", PI_SEQUENCE, PI_WARN,
            "Presentation ended by a BYE with ms-diagnostics", EXPFILL } },
        { &ei_diag, { "msturn.sip.server_diagnostics", PI_SEQUENCE, PI_NOTE,
            "Presentation dialog message carries ms-diagnostics", EXPFILL } },
    };
    expert_module_t *em = expert_register_protocol(proto);

    proto_register_field_array(proto, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    expert_register_field_array(em, ei, array_length(ei));
}

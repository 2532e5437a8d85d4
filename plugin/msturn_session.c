/* msturn_session.c - the presentation-session model.
 *
 * A session starts with the first Allocate on a TCP control connection
 * (RFC 8656 7) and gathers its Refresh, CreatePermission, Connect (RFC 6062
 * 4.2), ConnectionAttempt (4.3) and ConnectionBind (4.4).  The ConnectionBind
 * names a CONNECTION-ID the server announced; its TCP connection becomes the
 * session's data connection.  The peer's TCP connection to the relayed
 * address, visible when capturing on the TURN server, is the peer connection.
 *
 * State changes only in the first pass; later passes read it, so every pass
 * shows the same thing for a frame, and frames seen before the event that
 * identified their connection are attributed from the second pass on.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "msturn_session.h"
#include "msturn_verdict.h"
#include "msturn_session_ms.h"
#include "msturn_session_relay.h"
#include "msturn_session_store.h"
#include "msturn_dialog.h"
#include "msturn_methods.h"

#include <epan/to_str.h>
#include <epan/proto_data.h>
#include <epan/tap.h>
#include <string.h>

/* msturn.sessions (on by default) */
static msturn_pref_bool pref_sessions = true;

bool
msturn_sessions_enabled(void)
{
    return pref_sessions;
}

static int hf_session = -1;
static int hf_role = -1;
static int hf_verdict = -1;
static int hf_attempt_in = -1;
static int hf_bind_in = -1;
static int hf_peer_conn = -1;

static int ett_session = -1;

static expert_field ei_bind_unknown_cid = EI_INIT;
static expert_field ei_no_bind = EI_INIT;
static expert_field ei_refresh_failed = EI_INIT;
/* One item per way ICE falls short, its summary the verdict itself: the
 * Expert Information dialog groups by item and shows that summary. */
static expert_field ei_ice_none = EI_INIT;
static expert_field ei_ice_no_ok_from_peer = EI_INIT;
static expert_field ei_ice_no_ok_from_client = EI_INIT;
static expert_field ei_ice_no_req_from_peer = EI_INIT;
static expert_field ei_ice_no_req_from_client = EI_INIT;
static expert_field *const ei_ice[MSTURN_ICE_STATES] = {
    [MSTURN_ICE_STATE_NONE]               = &ei_ice_none,
    [MSTURN_ICE_STATE_NO_OK_FROM_PEER]    = &ei_ice_no_ok_from_peer,
    [MSTURN_ICE_STATE_NO_OK_FROM_CLIENT]  = &ei_ice_no_ok_from_client,
    [MSTURN_ICE_STATE_NO_REQ_FROM_PEER]   = &ei_ice_no_req_from_peer,
    [MSTURN_ICE_STATE_NO_REQ_FROM_CLIENT] = &ei_ice_no_req_from_client,
};
static int hf_ice_incomplete = -1;
static expert_field ei_links_dropped = EI_INIT;
static expert_field ei_expired = EI_INIT;

static int msturn_tap = -1;

static expert_field ei_allocate_failed = EI_INIT;
static expert_field ei_sad_failed = EI_INIT;

static int hf_kind = -1;
static int hf_call_id = -1;
static expert_field ei_ufrag_mismatch = EI_INIT;
static expert_field ei_no_reinvite = EI_INIT;
static int hf_linked = -1;
static int hf_path = -1;
static int hf_path_full = -1;

static const char *
msturn_role_name(msturn_role r)
{
    switch (r) {
    case MSTURN_ROLE_CONTROL: return "control";
    case MSTURN_ROLE_DATA:    return "data";
    case MSTURN_ROLE_PEER:    return "peer";
    case MSTURN_ROLE_SIP:     return "sip";
    default:                  return "";
    }
}

/* ---- state changes (first pass) ---------------------------------------- */

/* Tie a TCP connection to a session, in one of its roles; link: the index of
 * its peer link, or -1. */
static void
join_session(msturn_conv *conv, msturn_session *s, msturn_role role, int link)
{
    conv->session = s;
    conv->role = role;
    conv->link = link;
}

static int
from_client(const msturn_conv *conv, const packet_info *pinfo)
{
    return conv->has_client && pinfo->srcport == conv->client_port &&
           addresses_equal(&pinfo->src, &conv->client_addr);
}

/* The 5-tuple of a TURN relay (RFC 8656), whose messages and ChannelData
 * msturn_session_relay.c follows. */
static bool
relay_flow(const msturn_conv *conv)
{
    const msturn_session *s = conv->session;
    return s != NULL && s->udp_relay && !s->ms && conv->role == MSTURN_ROLE_CONTROL;
}

/* Errors that are part of normal authentication, not failures. */
static int
transient_error(unsigned code)
{
    return code == 401 || code == 438;
}

/* A peer connection announced (ConnectionAttempt) or asked for (Connect);
 * the peer may be the relayed address of another TURN server's session. */
static msturn_link *
add_peer_link(msturn_session *s, const msturn_msg_info *m, packet_info *pinfo)
{
    if (!m->has_peer)
        return msturn_store_add_link(s, pinfo, NULL, 0);
    msturn_store_note_peer(s, &m->peer, m->peer_port);
    return msturn_store_add_link(s, pinfo, &m->peer, m->peer_port);
}

static void
update_control(packet_info *pinfo, msturn_conv *conv, msturn_session *s, const msturn_msg_info *m)
{
    unsigned i;

    switch (m->method) {
    case MSTURN_METHOD_ALLOCATE:
        /* RFC 8656 7.1: REQUESTED-TRANSPORT UDP; over UDP nothing else
         * can be relayed (RFC 6062 4.1 asks for TCP control connections) */
        if (m->cls == MSTURN_CLASS_REQUEST)
            s->udp_relay = m->has_transport ? m->transport == 17
                                            : s->udp_relay || pinfo->ptype == PT_UDP;
        if (m->cls == MSTURN_CLASS_SUCCESS && !s->allocate_ok_frame && m->has_relayed) {
            msturn_store_set_relayed(s, &m->relayed, m->relayed_port);
            /* the other family's, asked for with ADDITIONAL-ADDRESS-FAMILY */
            if (m->has_relayed2 && !s->has_relayed6) {
                msturn_store_set_endpoint(&s->relayed6, &m->relayed2, m->relayed2_port);
                s->has_relayed6 = 1;
            }
        }
        msturn_store_allocate_answer(s, pinfo, m);
        break;
    case MSTURN_METHOD_REFRESH:
        if (m->cls == MSTURN_CLASS_SUCCESS) {
            if (m->has_lifetime) {
                s->lifetime = m->lifetime;
                s->lifetime_from = pinfo->abs_ts;
                if (m->lifetime == 0 && !s->deallocated) {
                    s->deallocated = 1;
                    s->dealloc_frame = pinfo->num;
                }
            }
        } else if (m->cls == MSTURN_CLASS_ERROR && m->has_error && !transient_error(m->error_code)) {
            s->refresh_error = m->error_code;
        }
        break;
    case MSTURN_METHOD_CREATE_PERMISSION:
        if (m->cls == MSTURN_CLASS_ERROR && m->has_error && !transient_error(m->error_code))
            s->permission_error = m->error_code;
        break;
    case MSTURN_METHOD_CONNECT:                 /* RFC 6062 4.2 */
        if (m->cls == MSTURN_CLASS_REQUEST && from_client(conv, pinfo)) {
            for (i = 0; i < s->n_links; i++)    /* a retry names the same peer */
                if (s->links[i].connect_frame && !s->links[i].connection_id && m->has_peer &&
                    s->links[i].peer.port == m->peer_port &&
                    addresses_equal(&s->links[i].peer.addr, &m->peer))
                    return;
            msturn_link *l = add_peer_link(s, m, pinfo);
            if (l)
                l->connect_frame = pinfo->num;
        } else if (m->cls == MSTURN_CLASS_SUCCESS || m->cls == MSTURN_CLASS_ERROR) {
            for (i = 0; i < s->n_links; i++) {
                msturn_link *l = &s->links[i];
                if (!l->connect_frame || l->connection_id || l->connect_error)
                    continue;
                if (m->cls == MSTURN_CLASS_SUCCESS && m->has_connection_id) {
                    l->connection_id = m->connection_id;
                    msturn_store_index_cid(s, l);
                } else if (m->cls == MSTURN_CLASS_ERROR && m->has_error &&
                           !transient_error(m->error_code)) {
                    l->connect_error = m->error_code;
                }
                break;
            }
        }
        break;
    case MSTURN_METHOD_CONNECTION_ATTEMPT:      /* RFC 6062 4.3 */
        if (m->cls == MSTURN_CLASS_INDICATION && m->has_connection_id) {
            msturn_link *l = add_peer_link(s, m, pinfo);
            if (l) {
                l->connection_id = m->connection_id;
                l->attempt_frame = pinfo->num;
                msturn_store_index_cid(s, l);
            }
        }
        break;
    default:
        break;
    }
}

/* RFC 8445 7.2.2: the USERNAME of a check is "<receiver's ufrag>:<sender's
 * ufrag>", both as the SDP of the dialog announced them. */
static int
ufrags_announced(const msturn_session *s, const char *username)
{
    const char *colon = strchr(username, ':');
    if (colon == NULL)
        return 0;
    return msturn_dialog_announced(s->dialog, username, (size_t)(colon - username)) &&
           msturn_dialog_announced(s->dialog, colon + 1, strlen(colon + 1));
}

static void
update_data(packet_info *pinfo, msturn_conv *conv, const msturn_msg_info *m)
{
    msturn_session *s = conv->session;
    msturn_link *l = (s && conv->link >= 0) ? &s->links[conv->link] : NULL;

    if (m->method == MSTURN_METHOD_CONNECTION_BIND) {   /* RFC 6062 4.4 */
        if (m->cls == MSTURN_CLASS_REQUEST && s == NULL && m->has_connection_id) {
            msturn_link_ref *r = msturn_store_find_cid(&pinfo->dst, m->connection_id);
            if (r == NULL) {
                if (!conv->unknown_cid_frame)
                    conv->unknown_cid_frame = pinfo->num;
                return;
            }
            join_session(conv, r->session, MSTURN_ROLE_DATA, (int)r->link);
            l = &r->session->links[r->link];
            if (!l->bind_frame) {
                l->bind_frame = pinfo->num;
                l->bind_ts = pinfo->abs_ts;
            }
        } else if (l && m->cls == MSTURN_CLASS_SUCCESS) {
            if (!l->bind_ok_frame)
                l->bind_ok_frame = pinfo->num;
            l->bind_error = 0;
            if (!conv->relay_since)
                conv->relay_since = pinfo->num;
        } else if (l && m->cls == MSTURN_CLASS_ERROR && m->has_error &&
                   !transient_error(m->error_code) && !l->bind_ok_frame) {
            l->bind_error = m->error_code;
        }
        return;
    }

    /* ICE connectivity checks on the data or peer connection. */
    if (m->method == MSTURN_METHOD_BINDING && s != NULL &&
        (m->cls == MSTURN_CLASS_REQUEST || m->cls == MSTURN_CLASS_SUCCESS)) {
        int client_side;
        unsigned bit;
        if (conv->role == MSTURN_ROLE_DATA)
            client_side = from_client(conv, pinfo);
        else    /* peer connection: the relayed side speaks for the client */
            client_side = pinfo->srcport == s->relayed.port &&
                          addresses_equal(&pinfo->src, &s->relayed.addr);
        if (m->cls == MSTURN_CLASS_REQUEST)
            bit = client_side ? MSTURN_ICE_REQ_FROM_CLIENT : MSTURN_ICE_REQ_FROM_PEER;
        else
            bit = client_side ? MSTURN_ICE_OK_FROM_CLIENT : MSTURN_ICE_OK_FROM_PEER;
        if (l) {
            l->ice |= bit;
            if (l->ice == MSTURN_ICE_ALL && !s->ice_valid_frame) {
                s->ice_valid_frame = pinfo->num;
                s->ice_valid_ts = pinfo->abs_ts;
            }
        } else {
            s->ice_unlinked |= bit;
        }
        if (s->dialog && m->cls == MSTURN_CLASS_REQUEST && m->username &&
            !ufrags_announced(s, m->username))
            s->ufrag_mismatch++;
        if (m->hmac_sdp_bad)
            s->sdp_hmac_bad++;
    }
}

static void
learn_client(msturn_conv *conv, packet_info *pinfo, const msturn_msg_info *m)
{
    if (conv->has_client || m->cls != MSTURN_CLASS_REQUEST)
        return;
    switch (m->method) {
    case MSTURN_METHOD_ALLOCATE:
    case MSTURN_METHOD_REFRESH:
    case MSTURN_METHOD_CREATE_PERMISSION:
    case MSTURN_METHOD_CHANNEL_BIND:
    case MSTURN_METHOD_CONNECT:
    case MSTURN_METHOD_CONNECTION_BIND:
        copy_address_wmem(wmem_file_scope(), &conv->client_addr, &pinfo->src);
        conv->client_port = (uint16_t)pinfo->srcport;
        conv->has_client = 1;
        break;
    default:
        break;
    }
}

/* Requests that only make sense inside an existing allocation. */
static int
needs_allocation(const msturn_msg_info *m)
{
    return m->cls == MSTURN_CLASS_REQUEST &&
           (m->method == MSTURN_METHOD_REFRESH || m->method == MSTURN_METHOD_CREATE_PERMISSION ||
            m->method == MSTURN_METHOD_CONNECT);
}

static void
start_session(packet_info *pinfo, msturn_conv *conv, int ms)
{
    join_session(conv, msturn_store_new(pinfo, ms), MSTURN_ROLE_CONTROL, -1);
}

static void
first_pass(packet_info *pinfo, msturn_conv *conv, const msturn_msg_info *m)
{
    msturn_session *s;

    /* A message inside another's DATA is the peer's (an ICE check relayed
     * by an [MS-TURN] server), not a step of the allocation around it. */
    if (m->nested) {
        s = conv->session;
        if (s != NULL && conv->role == MSTURN_ROLE_CONTROL && (s->ms || s->udp_relay)) {
            if (relay_flow(conv))
                msturn_relay_update(pinfo, s, conv, from_client(conv, pinfo), m);
            else
                msturn_ms_update(pinfo, s, from_client(conv, pinfo), m);
            s->last_ts = pinfo->abs_ts;
            s->version++;
        }
        return;
    }
    learn_client(conv, pinfo, m);
    /* Microsoft's own allocations ([MS-TURN] 3.2: MAGIC-COOKIE, MS-VERSION)
     * relay over the control connection itself: a session of their own kind.
     * Every other allocation is keyed by its 5-tuple (RFC 8656 2.2), over
     * UDP as over TCP. */
    if (conv->session == NULL && m->method == MSTURN_METHOD_ALLOCATE &&
        m->cls == MSTURN_CLASS_REQUEST)
        start_session(pinfo, conv, m->microsoft || m->has_ms_version);
    /* RFC 6062 4.1 ties an allocation to its control connection and deletes
     * it when that connection closes.  A client that carries on with Refresh
     * (or CreatePermission, Connect) on a new connection is still talking
     * about its last session, and the server's 437 belongs to that session's
     * story, so the new connection joins it as a control connection. */
    if (conv->session == NULL && needs_allocation(m)) {
        s = msturn_store_latest(&pinfo->src, &pinfo->dst, (uint16_t)pinfo->destport);
        if (s != NULL)
            join_session(conv, s, MSTURN_ROLE_CONTROL, -1);
    }
    if (conv->session && conv->role == MSTURN_ROLE_CONTROL) {
        s = conv->session;
        /* RFC 8656 7: without a Refresh the allocation ends after LIFETIME. */
        if (s->lifetime && !s->deallocated && !s->expired_frame &&
            pinfo->abs_ts.secs - s->lifetime_from.secs > (time_t)s->lifetime)
            s->expired_frame = pinfo->num;
        if (s->ms) {
            msturn_ms_update(pinfo, s, from_client(conv, pinfo), m);
        } else {
            update_control(pinfo, conv, s, m);
            if (relay_flow(conv))
                msturn_relay_update(pinfo, s, conv, from_client(conv, pinfo), m);
        }
    }
    else
        update_data(pinfo, conv, m);
    if (conv->session) {
        conv->session->last_ts = pinfo->abs_ts;
        conv->session->version++;      /* this message may have changed the row */
    }
}

/* ---- display ------------------------------------------------------------ */

static const msturn_link *
link_by_cid(const msturn_session *s, uint32_t cid)
{
    unsigned i;
    for (i = 0; i < s->n_links; i++)
        if (s->links[i].connection_id == cid)
            return &s->links[i];
    return NULL;
}

/* Where a session ended up, said once on the frame where it showed:
 * known only once the whole capture was read (second pass). */

/* The verdict of a relay whose ICE checks fell short (ice: MSTURN_ICE_*
 * bits), on item top: the expert item of its state, whose message (the
 * state's text between before and after) is the sentence shown in the
 * packet details; and msturn.session.ice_incomplete, whatever the state,
 * for filters. */
static void
ice_expert(packet_info *pinfo, proto_item *top, unsigned ice, const char *before, const char *after)
{
    msturn_ice_state st = msturn_ice_state_of(ice);
    proto_item *it;

    if (st == MSTURN_ICE_STATE_VALID)
        return;
    it = proto_tree_add_none_format(proto_item_get_subtree(top), hf_ice_incomplete, NULL, 0, 0,
                                    "ICE checks incomplete: %s", msturn_ice_text(ice));
    proto_item_set_generated(it);
    expert_add_info_format(pinfo, top, ei_ice[st], "%s%s%s", before, msturn_ice_text(ice), after);
}

static void
outcome_experts(packet_info *pinfo, proto_item *top, const msturn_session *s,
                const msturn_msg_info *m)
{
    unsigned ice;

    if (s->reinvite_overdue && s->ice_valid_frame == pinfo->num)
        expert_add_info_format(pinfo, top, &ei_no_reinvite,
            "ICE checks valid both ways, but no re-INVITE in Call-ID %s within %d s: the "
            "controlling side never moved the media to the chosen pair", s->dialog->call_id,
            MSTURN_REINVITE_S);
    if (!s->allocate_ok_frame && s->last_alloc_error_frame == pinfo->num)
        expert_add_info_format(pinfo, top, &ei_allocate_failed,
            "Allocation failed: %s", msturn_session_verdict(s, pinfo->pool));
    if (!s->ms)
        return;
    /* a peer beyond MSTURN_MAX_LINKS is relayed but not followed */
    if (m->has_peer && s->links_dropped && s->n_links == MSTURN_MAX_LINKS &&
        msturn_store_link_to((msturn_session *)s, &m->peer, m->peer_port) == NULL)
        expert_add_info(pinfo, top, &ei_links_dropped);
    /* [MS-TURN] 3.2.4.6: until Set Active Destination is answered, the
     * relay does not send the client's plain data to the peer. */
    if (s->sad_frame == pinfo->num && !s->sad_ok_frame && !s->sad_error)
        expert_add_info_format(pinfo, top, &ei_sad_failed,
            "Set Active Destination never answered: the Edge did not make the peer the "
            "active destination");
    if (m->ms_type && m->type == 0x0116 && s->sad_error && m->has_error &&
        m->error_code == s->sad_error)
        expert_add_info_format(pinfo, top, &ei_sad_failed,
            "Set Active Destination failed with %u: the Edge refused the peer", s->sad_error);
    /* where Set Active Destination failed, that is the verdict and its item */
    ice = msturn_session_ms_ice(s);
    if (s->allocate_ok_frame == pinfo->num && ice != MSTURN_ICE_ALL && !s->sad_error &&
        (!s->sad_frame || s->sad_ok_frame))
        ice_expert(pinfo, top, ice, "Relayed path not valid: ", " through this allocation");
}

void
msturn_session_message(tvbuff_t *tvb, packet_info *pinfo, proto_item *top, proto_tree *tree,
                       msturn_conv *conv, const msturn_msg_info *m)
{
    const msturn_session *s;
    const msturn_link *l;
    proto_item *it;

    if (conv == NULL || !pref_sessions)
        return;
    if (!PINFO_FD_VISITED(pinfo))
        first_pass(pinfo, conv, m);
    s = conv->session;
    if (m->nested) {
        if (relay_flow(conv))
            msturn_relay_items(tvb, pinfo, top, tree, s, m);
        return;
    }

    if (m->method == MSTURN_METHOD_CONNECTION_BIND && m->cls == MSTURN_CLASS_REQUEST &&
        conv->unknown_cid_frame == pinfo->num) {
        expert_add_info_format(pinfo, top, &ei_bind_unknown_cid,
            "ConnectionBind names CONNECTION-ID %u, which no ConnectionAttempt or Connect "
            "response in this capture announced", m->connection_id);
        return;
    }
    if (s == NULL)
        return;
    if (relay_flow(conv))
        msturn_relay_items(tvb, pinfo, top, tree, s, m);

    /* A ConnectionBind response names no CONNECTION-ID: its link is the one
     * its data connection was bound to. */
    l = NULL;
    if (m->has_connection_id)
        l = link_by_cid(s, m->connection_id);
    else if (m->method == MSTURN_METHOD_CONNECTION_BIND && conv->role == MSTURN_ROLE_DATA &&
             conv->link >= 0)
        l = &s->links[conv->link];
    if (l != NULL) {
        if (m->method == MSTURN_METHOD_CONNECTION_BIND && (l->attempt_frame || l->connect_frame)) {
            it = proto_tree_add_uint(tree, hf_attempt_in, tvb, 0, 0,
                                     l->attempt_frame ? l->attempt_frame : l->connect_frame);
            proto_item_set_generated(it);
        }
        if ((m->method == MSTURN_METHOD_CONNECTION_ATTEMPT || m->method == MSTURN_METHOD_CONNECT) &&
            l->bind_frame) {
            it = proto_tree_add_uint(tree, hf_bind_in, tvb, 0, 0, l->bind_frame);
            proto_item_set_generated(it);
        }
        /* RFC 6062 5.3: the server waits 30 s for the ConnectionBind.  Known
         * only once the whole capture was read: from the second pass on. */
        if (m->method == MSTURN_METHOD_CONNECTION_ATTEMPT && PINFO_FD_VISITED(pinfo)) {
            nstime_t d;
            if (l->bind_frame)
                nstime_delta(&d, &l->bind_ts, &l->announced_ts);
            if (!l->bind_frame || d.secs >= 30)
                expert_add_info_format(pinfo, top, &ei_no_bind,
                    "No ConnectionBind for CONNECTION-ID %u within 30 s (RFC 6062 5.3): "
                    "the client did not open the data connection", m->connection_id);
        }
        if (m->method == MSTURN_METHOD_CONNECTION_BIND && m->cls == MSTURN_CLASS_SUCCESS &&
            PINFO_FD_VISITED(pinfo) && l->ice != MSTURN_ICE_ALL)
            ice_expert(pinfo, top, l->ice, "Presentation path not valid: ", "");
    }
    if (PINFO_FD_VISITED(pinfo))
        outcome_experts(pinfo, top, s, m);
    if (s->dialog && m->method == MSTURN_METHOD_BINDING && m->cls == MSTURN_CLASS_REQUEST &&
        m->username && conv->role != MSTURN_ROLE_CONTROL && !ufrags_announced(s, m->username))
        expert_add_info_format(pinfo, top, &ei_ufrag_mismatch,
            "USERNAME %s is not made of the ICE username fragments the SDP of Call-ID %s "
            "announced", m->username, s->dialog->call_id);
    if (m->method == MSTURN_METHOD_REFRESH && m->cls == MSTURN_CLASS_ERROR && m->has_error &&
        !transient_error(m->error_code))
        expert_add_info_format(pinfo, top, &ei_refresh_failed,
            "Refresh failed with %u: the allocation and its relayed address are lost",
            m->error_code);
    if (s->expired_frame == pinfo->num)
        expert_add_info_format(pinfo, top, &ei_expired,
            "Allocation lifetime of %u s elapsed without a Refresh (RFC 8656 7)", s->lifetime);
    /* Only on the ConnectionAttempts that were dropped, not on every one of
     * a session that dropped some. */
    if (m->method == MSTURN_METHOD_CONNECTION_ATTEMPT && s->links_dropped &&
        s->n_links == MSTURN_MAX_LINKS && m->has_connection_id &&
        link_by_cid(s, m->connection_id) == NULL)
        expert_add_info(pinfo, top, &ei_links_dropped);
}

/* The TCP session that owns an endpoint as its relayed address. */
static msturn_session *
tcp_relayed(const address *a, uint32_t port)
{
    msturn_session *s = msturn_store_find_relayed(a, (uint16_t)port);
    return s != NULL && s->tcp ? s : NULL;
}

/* Peers connect to an RFC 6062 relayed address; an [MS-TURN] Edge connects
 * from its relayed address to the peer.  Where a connection joins both (one
 * Edge relaying to another server's relayed address), it is the RFC 6062
 * session's peer connection, and the two sessions are linked. */
static void
join_relayed(packet_info *pinfo, msturn_conv *conv)
{
    msturn_session *to_dst = tcp_relayed(&pinfo->dst, pinfo->destport);
    msturn_session *to_src = tcp_relayed(&pinfo->src, pinfo->srcport);
    msturn_session *s;
    const address *peer;
    uint16_t peer_port;
    msturn_link *l;

    if (to_dst == NULL && to_src == NULL)
        return;
    if (to_dst != NULL && to_src != NULL && to_dst->ms && !to_src->ms)
        to_dst = NULL;
    s = to_dst != NULL ? to_dst : to_src;
    peer = to_dst != NULL ? &pinfo->src : &pinfo->dst;
    peer_port = (uint16_t)(to_dst != NULL ? pinfo->srcport : pinfo->destport);
    join_session(conv, s, MSTURN_ROLE_PEER, -1);
    s->version++;
    l = msturn_store_link_to(s, peer, peer_port);
    if (l != NULL)
        conv->link = (int)(l - s->links);
    msturn_store_note_peer(s, peer, peer_port);
}

/* First pass, every frame of a session: a re-INVITE that has not come
 * MSTURN_REINVITE_S after the checks succeeded is overdue. */
static void
note_time(msturn_session *s, const packet_info *pinfo)
{
    if (s->dialog && s->ice_valid_frame && !s->reinvite_overdue &&
        (!s->dialog->reinvite_frame || s->dialog->reinvite_frame > pinfo->num) &&
        pinfo->abs_ts.secs - s->ice_valid_ts.secs >= MSTURN_REINVITE_S) {
        s->reinvite_overdue = 1;
        s->version++;
    }
}

/* One session item per frame (TCP may call msturn more than once for a
 * frame); in the first pass a frame that carries data moves the session's
 * clock (the table's Duration ends at the last one: SYN, ACK and FIN do not
 * count, which lets the first pass skip them, msturn_session_stamp_frame). */
static void
claim_frame(packet_info *pinfo, msturn_session *s, bool data)
{
    p_add_proto_data(pinfo->pool, pinfo, proto_msturn, MSTURN_PDATA_SESSION, s);
    if (!PINFO_FD_VISITED(pinfo)) {
        if (data)
            s->last_ts = pinfo->abs_ts;
        note_time(s, pinfo);
    }
}

/* msturn.session and msturn.session.role under the session item. */
static proto_tree *
session_items(tvbuff_t *tvb, proto_item *ti, const msturn_session *s, msturn_role role)
{
    proto_tree *st;

    proto_item_set_generated(ti);
    st = proto_item_add_subtree(ti, ett_session);
    proto_item_set_generated(proto_tree_add_uint(st, hf_session, tvb, 0, 0, s->number));
    proto_item_set_generated(proto_tree_add_string(st, hf_role, tvb, 0, 0, msturn_role_name(role)));
    return st;
}

/* The session items of a frame: where a tree shows them, a filter or a
 * column asks for one, or the filter names msturn itself and the frame has
 * nothing else of msturn's (own: msturn's dissector took it).  Under
 * -Y msturn.type they would be made for every frame and read by nothing. */
static bool
session_items_wanted(proto_tree *tree, bool own)
{
    static int *const fields[] = { &hf_session, &hf_role, &hf_verdict, &hf_kind, &hf_call_id,
                                   &hf_linked, &hf_path, &hf_path_full, &hf_peer_conn };
    unsigned i;

    if (tree == NULL)
        return false;
    if (!own || msturn_tree_visible(tree))
        return true;
    for (i = 0; i < array_length(fields); i++)
        if (proto_field_is_referenced(tree, *fields[i]))
            return true;
    return false;
}

static void
session_frame(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, msturn_conv *conv, bool data,
              bool own)
{
    msturn_session *s;
    proto_item *ti, *it;
    proto_tree *st;
    unsigned i;

    if (conv == NULL || !pref_sessions)
        return;
    /* One session item per frame, however many times TCP calls msturn. */
    if (p_get_proto_data(pinfo->pool, pinfo, proto_msturn, MSTURN_PDATA_SESSION) != NULL)
        return;
    /* A connection to a relayed address is that session's peer connection. */
    if (conv->session == NULL && msturn_store_count() && !PINFO_FD_VISITED(pinfo) &&
        pinfo->ptype == PT_TCP)
        join_relayed(pinfo, conv);
    s = conv->session;
    if (s == NULL)
        return;
    claim_frame(pinfo, s, data);
    /* the items: only where a tree will show them (they are 0 bytes long:
     * nothing for a bounds check to find) */
    if (session_items_wanted(tree, own)) {
        ti = proto_tree_add_item(tree, proto_msturn, tvb, 0, 0, ENC_NA);
        proto_item_set_text(ti, "MSTURN %s session %u, %s connection",
                            s->ms ? "MS-TURN relay" : s->udp_relay ? "TURN relay" : "presentation",
                            s->number, msturn_role_name((msturn_role)conv->role));
        st = session_items(tvb, ti, s, (msturn_role)conv->role);
        /* every frame of a linked session names the others: one filter,
         * msturn.session == N || msturn.session.linked == N, shows the path */
        for (i = 0; i < s->n_linked; i++)
            proto_item_set_generated(proto_tree_add_uint(st, hf_linked, tvb, 0, 0, s->linked[i]->number));
        proto_item_set_generated(proto_tree_add_string(st, hf_kind, tvb, 0, 0,
            msturn_session_kind_name(msturn_session_kind_of(s))));
        /* the verdicts are written only where they are read: a tree shown
         * whole, or a filter or -T fields that asks for them */
        if (s->n_linked && (proto_field_is_referenced(st, hf_path) ||
                            proto_field_is_referenced(st, hf_path_full))) {
            /* the short form for columns, the sentence in the details */
            it = proto_tree_add_string(st, hf_path, tvb, 0, 0,
                                       msturn_session_path_verdict(s, pinfo->pool, false));
            proto_item_set_generated(it);
            proto_item_set_generated(proto_tree_add_string(proto_item_add_subtree(it, ett_session),
                hf_path_full, tvb, 0, 0, msturn_session_path_verdict(s, pinfo->pool, true)));
        }
        if (s->dialog)
            proto_item_set_generated(proto_tree_add_string(st, hf_call_id, tvb, 0, 0, s->dialog->call_id));
        if (proto_field_is_referenced(st, hf_verdict)) {
            it = proto_tree_add_string(st, hf_verdict, tvb, 0, 0, msturn_session_verdict(s, pinfo->pool));
            proto_item_set_generated(it);
        }
        if (conv->role == MSTURN_ROLE_PEER && conv->link >= 0 && s->links[conv->link].bind_frame) {
            it = proto_tree_add_uint(st, hf_peer_conn, tvb, 0, 0, s->links[conv->link].bind_frame);
            proto_item_set_generated(it);
        }
    }
    tap_queue_packet(msturn_tap, pinfo, s);
}

void
msturn_session_frame(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, msturn_conv *conv)
{
    session_frame(tvb, pinfo, tree, conv, true, true);
}

void
msturn_session_channel_data(tvbuff_t *tvb, packet_info *pinfo, proto_item *top, proto_tree *tree,
                            msturn_conv *conv, uint16_t channel, unsigned len)
{
    if (conv == NULL || !pref_sessions || !relay_flow(conv))
        return;
    msturn_relay_channel_data(tvb, pinfo, top, tree, conv->session, conv, from_client(conv, pinfo),
                              channel, len);
}

void
msturn_session_signalling(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, msturn_session *s)
{
    proto_item *ti;
    proto_tree *st;

    if (p_get_proto_data(pinfo->pool, pinfo, proto_msturn, MSTURN_PDATA_SESSION) != NULL)
        return;
    claim_frame(pinfo, s, true);
    ti = proto_tree_add_item(tree, proto_msturn, tvb, 0, 0, ENC_NA);
    proto_item_set_text(ti, "MSTURN presentation session %u, its SIP dialog %s", s->number,
                        s->dialog->call_id);
    st = session_items(tvb, ti, s, MSTURN_ROLE_SIP);
    /* a refusal no TURN session followed is found by its kind on its frames */
    proto_item_set_generated(proto_tree_add_string(st, hf_kind, tvb, 0, 0,
        msturn_session_kind_name(msturn_session_kind_of(s))));
    proto_item_set_generated(proto_tree_add_string(st, hf_call_id, tvb, 0, 0, s->dialog->call_id));
    if (tree)
        proto_item_set_generated(proto_tree_add_string(st, hf_verdict, tvb, 0, 0,
                                                       msturn_session_verdict(s, pinfo->pool)));
    tap_queue_packet(msturn_tap, pinfo, s);
}

/* Does the frame end at its transport header: no protocol above TCP or UDP
 * (SYN, ACK, FIN, a segment held for reassembly)? */
static bool
frame_is_bare(const packet_info *pinfo)
{
    static int proto_tcp = -1, proto_udp = -1;
    wmem_list_frame_t *last;
    int id;

    if (proto_tcp == -1) {
        proto_tcp = proto_get_id_by_filter_name("tcp");
        proto_udp = proto_get_id_by_filter_name("udp");
    }
    last = pinfo->layers ? wmem_list_tail(pinfo->layers) : NULL;
    if (last == NULL)
        return false;
    id = GPOINTER_TO_INT(wmem_list_frame_data(last));
    return id == proto_tcp || id == proto_udp;
}

/* Frames msturn's dissector never sees (SYN, pure ACK, FIN, frames claimed
 * by another dissector) still belong to their connection's session. */
void
msturn_session_stamp_frame(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree_in)
{
    proto_tree *tree = msturn_tree(tree_in);
    msturn_conv *conv;
    bool bare;

    if (msturn_store_count() == 0 || (pinfo->ptype != PT_TCP && pinfo->ptype != PT_UDP))
        return;
    bare = frame_is_bare(pinfo);
    /* A frame without data, in the first pass, that nothing looks at (no
     * msturn tree, no msturn tap): of all a session's frame does, only two
     * things could come of it, and neither can here.  It could join a
     * connection to a relayed address (so those are looked up), or end the
     * re-INVITE's wait of a session with a SIP dialog (so not once one has
     * a dialog).  The clock moves with data only (claim_frame).  Saves a
     * conversation lookup for every ACK of a capture's sessions. */
    if (bare && !PINFO_FD_VISITED(pinfo) && tree == NULL && !have_tap_listener(msturn_tap) &&
        msturn_store_count_with_dialog() == 0 && pinfo->ptype == PT_TCP &&
        tcp_relayed(&pinfo->dst, pinfo->destport) == NULL &&
        tcp_relayed(&pinfo->src, pinfo->srcport) == NULL)
        return;
    /* A later pass moves no session state: such a frame (SYN, ACK, FIN) only
     * shows its session, in a tree, or to a tap that filters frames (every
     * session has frames of its own messages for an unfiltered table). */
    if (PINFO_FD_VISITED(pinfo) && tree == NULL && !have_filtering_tap_listeners())
        return;
    /* msturn's own dissector attributed the frames it took already (a frame
     * a SIP message claimed is not taken again: msturn_session_frame) */
    if (p_get_proto_data(pinfo->pool, pinfo, proto_msturn, MSTURN_PDATA_SEEN) != NULL)
        return;
    conv = msturn_conv_find(pinfo);
    if (conv == NULL) {
        /* a TCP connection msturn never saw may be a relayed address's */
        if (PINFO_FD_VISITED(pinfo) || pinfo->ptype != PT_TCP ||
            (tcp_relayed(&pinfo->dst, pinfo->destport) == NULL &&
             tcp_relayed(&pinfo->src, pinfo->srcport) == NULL))
            return;
        conv = msturn_conv_find_or_create(pinfo);
    }
    session_frame(tvb, pinfo, tree, conv, !bare, false);
}

void
msturn_session_register(int proto, module_t *module)
{
    static hf_register_info hf[] = {
        { &hf_session, { "Session", "msturn.session", FT_UINT32, BASE_DEC, NULL, 0,
            "Presentation session: one TURN allocation and its control, data and peer "
            "connections", HFILL } },
        { &hf_role, { "Connection role", "msturn.session.role", FT_STRING, BASE_NONE, NULL, 0,
            "control (Allocate), data (ConnectionBind), peer (to the relayed address) or sip "
            "(a message of the session's SIP dialog)", HFILL } },
        { &hf_verdict, { "Session verdict", "msturn.session.verdict", FT_STRING, BASE_NONE, NULL, 0,
            "How far the session got, or where it failed", HFILL } },
        { &hf_attempt_in, { "Announced in", "msturn.session.attempt_in", FT_FRAMENUM, BASE_NONE,
            NULL, 0, "The ConnectionAttempt or Connect response that announced this "
            "CONNECTION-ID", HFILL } },
        { &hf_bind_in, { "ConnectionBind in", "msturn.session.bind_in", FT_FRAMENUM, BASE_NONE,
            NULL, 0, "The ConnectionBind that claimed this CONNECTION-ID", HFILL } },
        { &hf_peer_conn, { "Bound by ConnectionBind in", "msturn.session.bound_in", FT_FRAMENUM,
            BASE_NONE, NULL, 0, "The ConnectionBind that joined this peer connection to a "
            "data connection", HFILL } },
        { &hf_call_id, { "SIP Call-ID", "msturn.session.call_id", FT_STRING, BASE_NONE, NULL, 0,
            "The SIP dialog whose m=applicationsharing offer or answer names this session's "
            "relayed address or peer", HFILL } },
        { &hf_kind, { "Session kind", "msturn.session.kind", FT_STRING, BASE_NONE, NULL, 0,
            "RFC 6062 presentation, MS-TURN relay, TURN relay or SIP signalling only (a "
            "refused presentation dialog no TURN session followed)", HFILL } },
        { &hf_linked, { "Linked session", "msturn.session.linked", FT_UINT32, BASE_DEC, NULL, 0,
            "A session on the other TURN server of the same media path: an MS-TURN allocation "
            "whose peer is this RFC 6062 relayed address, or the reverse", HFILL } },
        { &hf_ice_incomplete, { "ICE checks incomplete", "msturn.session.ice_incomplete", FT_NONE,
            BASE_NONE, NULL, 0, "The ICE checks through this relay did not succeed in both "
            "directions (RFC 8445 7.2); the expert item beside it says which step is missing",
            HFILL } },
        { &hf_path, { "Path verdict", "msturn.session.path", FT_STRING, BASE_NONE, NULL, 0,
            "The verdict of the linked sessions together: path valid, or which legs failed "
            "(each leg's own verdict is its session's)", HFILL } },
        { &hf_path_full, { "Path verdict, in full", "msturn.session.path.full", FT_STRING,
            BASE_NONE, NULL, 0, "The path verdict with the verdict of every leg that failed",
            HFILL } },
    };
    static int *ett[] = { &ett_session };
    static ei_register_info ei[] = {
        { &ei_bind_unknown_cid, { "msturn.session.unknown_cid", PI_SEQUENCE, PI_WARN,
            "ConnectionBind with an unannounced CONNECTION-ID", EXPFILL } },
        { &ei_no_bind, { "msturn.session.no_bind", PI_SEQUENCE, PI_WARN,
            "ConnectionAttempt without ConnectionBind within 30 s", EXPFILL } },
        { &ei_refresh_failed, { "msturn.session.refresh_failed", PI_SEQUENCE, PI_WARN,
            "Refresh failed: the allocation is lost", EXPFILL } },
        { &ei_ice_none, { "msturn.session.ice.none", PI_SEQUENCE, PI_WARN,
            "no ICE checks", EXPFILL } },
        { &ei_ice_no_ok_from_peer, { "msturn.session.ice.no_success_from_peer",
            PI_SEQUENCE, PI_WARN, "ICE one-way: no success from peer", EXPFILL } },
        { &ei_ice_no_ok_from_client, { "msturn.session.ice.no_success_from_client",
            PI_SEQUENCE, PI_WARN, "ICE one-way: no success from client", EXPFILL } },
        { &ei_ice_no_req_from_peer, { "msturn.session.ice.no_request_from_peer",
            PI_SEQUENCE, PI_WARN, "ICE: no request from peer", EXPFILL } },
        { &ei_ice_no_req_from_client, { "msturn.session.ice.no_request_from_client",
            PI_SEQUENCE, PI_WARN, "ICE: no request from client", EXPFILL } },
        { &ei_links_dropped, { "msturn.session.too_many_peers", PI_SEQUENCE, PI_NOTE,
            "More peer connections than msturn keeps per session",
            EXPFILL } },
        { &ei_expired, { "msturn.session.expired", PI_SEQUENCE, PI_WARN,
            "Allocation lifetime elapsed without a Refresh", EXPFILL } },
        { &ei_allocate_failed, { "msturn.session.allocate_failed", PI_SEQUENCE, PI_WARN,
            "The allocation never succeeded", EXPFILL } },
        { &ei_sad_failed, { "msturn.session.sad_failed", PI_SEQUENCE, PI_WARN,
            "Set Active Destination not answered or refused", EXPFILL } },
        { &ei_ufrag_mismatch, { "msturn.session.ufrag_mismatch", PI_SEQUENCE, PI_WARN,
            "ICE check with username fragments not in the SDP", EXPFILL } },
        { &ei_no_reinvite, { "msturn.session.no_reinvite", PI_SEQUENCE, PI_WARN,
            "ICE valid, but no re-INVITE followed", EXPFILL } },
    };
    expert_module_t *em;

    proto_register_field_array(proto, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    em = expert_register_protocol(proto);
    expert_register_field_array(em, ei, array_length(ei));
    msturn_relay_register(proto);
    register_init_routine(msturn_store_init);
    msturn_tap = register_tap("msturn");
    prefs_register_bool_preference(module, "sessions", "Group into sessions",
        "Tie each TURN allocation to its connections, peers and SIP dialog, stamp their "
        "frames with msturn.session and judge each session (the sessions table)", &pref_sessions);
}

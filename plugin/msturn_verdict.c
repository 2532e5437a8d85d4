/* msturn_verdict.c - what a session's state means for the engineer: the
 * verdict of one session, by kind, and of a media path that crosses two
 * TURN servers.  Reads session state, changes nothing.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "msturn_verdict.h"
#include "msturn_dialog.h"

#include <epan/to_str.h>
#include <string.h>

static const char *const kind_names[] = {
    [MSTURN_KIND_RFC6062] = "RFC 6062 presentation",
    [MSTURN_KIND_MSTURN]  = "MS-TURN relay",
    [MSTURN_KIND_TURN]    = "TURN relay",
    [MSTURN_KIND_SIP]     = "SIP signalling only",
};

const char *
msturn_session_kind_name(msturn_session_kind k)
{
    return (unsigned)k < array_length(kind_names) ? kind_names[k] : kind_names[0];
}

msturn_session_kind
msturn_session_kind_of(const msturn_session *s)
{
    if (s->sip_only)
        return MSTURN_KIND_SIP;
    if (s->ms)
        return MSTURN_KIND_MSTURN;
    return s->udp_relay ? MSTURN_KIND_TURN : MSTURN_KIND_RFC6062;
}

/* The seed's rule (RFC 8445 7.2): a Binding Request and a Binding Success
 * Response in each direction.  The first thing missing names the state. */
static const char *const ice_texts[MSTURN_ICE_STATES] = {
    [MSTURN_ICE_STATE_NONE]              = "no ICE checks",
    [MSTURN_ICE_STATE_NO_OK_FROM_PEER]   = "ICE one-way: no success from peer",
    [MSTURN_ICE_STATE_NO_OK_FROM_CLIENT] = "ICE one-way: no success from client",
    [MSTURN_ICE_STATE_NO_REQ_FROM_PEER]  = "ICE: no request from peer",
    [MSTURN_ICE_STATE_NO_REQ_FROM_CLIENT] = "ICE: no request from client",
    [MSTURN_ICE_STATE_VALID]             = "ICE valid",
};

msturn_ice_state
msturn_ice_state_of(unsigned ice)
{
    if (ice == 0)
        return MSTURN_ICE_STATE_NONE;
    if (!(ice & MSTURN_ICE_OK_FROM_PEER))
        return MSTURN_ICE_STATE_NO_OK_FROM_PEER;
    if (!(ice & MSTURN_ICE_OK_FROM_CLIENT))
        return MSTURN_ICE_STATE_NO_OK_FROM_CLIENT;
    if (!(ice & MSTURN_ICE_REQ_FROM_PEER))
        return MSTURN_ICE_STATE_NO_REQ_FROM_PEER;
    if (!(ice & MSTURN_ICE_REQ_FROM_CLIENT))
        return MSTURN_ICE_STATE_NO_REQ_FROM_CLIENT;
    return MSTURN_ICE_STATE_VALID;
}

const char *
msturn_ice_text(unsigned ice)
{
    return ice_texts[msturn_ice_state_of(ice)];
}

/* How far a link got: higher is further. */
static int
link_rank(const msturn_link *l)
{
    if (l->bind_ok_frame)
        return 4 + (l->ice == MSTURN_ICE_ALL ? 2 : l->ice ? 1 : 0);
    if (l->bind_error || l->connect_error)
        return 3;
    if (l->bind_frame)
        return 2;
    return 1;
}

/* Before anything was allocated, every kind fails the same way. */
static const char *
allocate_verdict(const msturn_session *s, wmem_allocator_t *pool)
{
    if (s->allocate_error == 401 && s->n_401 >= 2)
        return "401 loop at Allocate";
    /* RFC 8656 7.2: a client answers 438 with the new NONCE once; a server
     * that keeps calling it stale is refusing the client in a loop */
    if (s->allocate_error == 438 && s->n_438 >= 2)
        return "438 loop at Allocate";
    if (s->allocate_error)
        return wmem_strdup_printf(pool, "%u at Allocate", s->allocate_error);
    return "no Allocate response";
}

unsigned
msturn_session_ms_ice(const msturn_session *s)
{
    unsigned ice = s->ice | s->ice_unlinked, i;
    for (i = 0; i < s->n_links; i++)
        ice |= s->links[i].ice;
    return ice;
}

/* [MS-TURN] 3.2: the client sends to its peer in Send Requests and, once
 * Set Active Destination is answered, in plain data; the peer's data comes
 * back in Data Indications.  The ICE checks travel the same way. */
static const char *
ms_verdict(const msturn_session *s, wmem_allocator_t *pool)
{
    if (s->sad_error)
        return wmem_strdup_printf(pool, "%u at Set Active Destination", s->sad_error);
    if (s->sad_frame && !s->sad_ok_frame)
        return "no Set Active Destination response";
    return msturn_ice_text(msturn_session_ms_ice(s));
}

unsigned
msturn_sdp_relay_candidates(const msturn_session *s, const msturn_sdp *sdp, int *allocated)
{
    unsigned j, relays = 0;

    if (!s->has_relayed || !addresses_equal(&sdp->sender, &s->client.addr))
        return 0;
    for (j = 0; j < sdp->n_cands; j++) {
        const msturn_sdp_candidate_t *c = &sdp->cands[j];
        if (c->type != MSTURN_CAND_RELAY)
            continue;
        relays++;
        if (c->port == s->relayed.port && addresses_equal(&c->addr, &s->relayed.addr))
            *allocated = 1;
    }
    return relays;
}

/* The session's own side (its client's address) announced relay
 * candidates in the dialog, none of them the relayed address. */
static int
msturn_session_relay_mismatch(const msturn_session *s)
{
    unsigned i, relays = 0;
    int allocated = 0;

    if (s->dialog == NULL)
        return 0;
    for (i = 0; i < s->dialog->n_sdps; i++)
        relays += msturn_sdp_relay_candidates(s, &s->dialog->sdps[i], &allocated);
    return relays > 0 && !allocated;
}

/* What the signalling says about a session that is not valid. */
static const char *
signalling_verdict(const msturn_session *s)
{
    if (s->dialog == NULL)
        return NULL;
    if (msturn_session_relay_mismatch(s))
        return "SDP relay candidate is not the relayed address";
    if (s->sdp_hmac_bad)
        return "ICE checks fail MESSAGE-INTEGRITY against the SDP password";
    if (s->ufrag_mismatch)
        return "ICE checks use username fragments the SDP did not announce";
    return NULL;
}

/* "<code>, <why>" or "<code> <Reason-Phrase>". */
static const char *
refusal(wmem_allocator_t *pool, unsigned code, const char *phrase, const char *why)
{
    if (why != NULL)
        return wmem_strdup_printf(pool, "%u, %s", code, why);
    return phrase && phrase[0] ? wmem_strdup_printf(pool, "%u %s", code, phrase)
                               : wmem_strdup_printf(pool, "%u", code);
}

/* What the signalling says of a presentation dialog that was refused,
 * cancelled or ended with diagnostics ("refused by signalling: 403,
 * ms-diagnostics 21002 ..."); NULL when it explains no failure. */
static const char *
msturn_dialog_verdict(const msturn_dialog *d, wmem_allocator_t *pool)
{
    if (d == NULL || !msturn_dialog_failed(d))
        return NULL;
    switch (msturn_dialog_outcome_of(d)) {
    case MSTURN_OUTCOME_REFUSED:
        return wmem_strdup_printf(pool, "refused by signalling: %s",
                                  refusal(pool, d->answer_status, d->answer_phrase, d->why));
    case MSTURN_OUTCOME_CANCELLED:
        return d->why ? wmem_strdup_printf(pool, "cancelled by signalling before the answer, %s",
                                           d->why)
                      : "cancelled by signalling before the answer";
    case MSTURN_OUTCOME_BYE:
        if (d->bye_diag)
            return wmem_strdup_printf(pool, "ended by signalling: BYE, %s", d->bye_why);
        break;
    default:
        break;
    }
    return wmem_strdup_printf(pool, "re-INVITE refused by signalling: %s",
                              refusal(pool, d->reinvite_status, d->reinvite_phrase, d->reinvite_why));
}

/* ---- TURN relays (RFC 8656): per peer, then the allocation ------------- */

char *
msturn_peer_text(const msturn_peer *p, wmem_allocator_t *pool)
{
    char *a = address_to_str(pool, &p->ip), *t;
    if (!p->port)
        return a;
    t = p->ip.type == AT_IPv6 ? wmem_strdup_printf(pool, "[%s]:%u", a, p->port)
                              : wmem_strdup_printf(pool, "%s:%u", a, p->port);
    wmem_free(pool, a);
    return t;
}

unsigned
msturn_peer_ice(const msturn_peer *p)
{
    return (p->checks[MSTURN_CHECK_REQ_TO_PEER] ? MSTURN_ICE_REQ_FROM_CLIENT : 0) |
           (p->checks[MSTURN_CHECK_OK_FROM_PEER] ? MSTURN_ICE_OK_FROM_PEER : 0) |
           (p->checks[MSTURN_CHECK_REQ_FROM_PEER] ? MSTURN_ICE_REQ_FROM_PEER : 0) |
           (p->checks[MSTURN_CHECK_OK_TO_PEER] ? MSTURN_ICE_OK_FROM_CLIENT : 0);
}

const msturn_permission *
msturn_peer_permission(const msturn_session *s, const msturn_peer *p)
{
    unsigned i;
    for (i = 0; i < s->n_perms; i++)
        if (addresses_equal(&s->perms[i].ip, &p->ip))
            return &s->perms[i];
    return NULL;
}

msturn_peer_state
msturn_peer_state_of(const msturn_session *s, const msturn_peer *p)
{
    const msturn_permission *perm = msturn_peer_permission(s, p);
    unsigned ice = msturn_peer_ice(p);

    if (ice == MSTURN_ICE_ALL)
        return MSTURN_PEER_ICE_VALID;
    if (perm && perm->error && !perm->ok_frame)
        return MSTURN_PEER_PERMISSION_REFUSED;
    if (p->chan_error && !p->chan_ok_frame)
        return MSTURN_PEER_CHANNEL_REFUSED;
    /* RFC 8656 9: the server drops what it has no permission for, silently:
     * that explains whatever did not come back */
    if (p->unpermitted_frame)
        return MSTURN_PEER_NO_PERMISSION;
    if (p->pkts[MSTURN_TO_PEER] && !p->pkts[MSTURN_FROM_PEER])
        return MSTURN_PEER_NOTHING_BACK;
    if (p->pkts[MSTURN_FROM_PEER] && !p->pkts[MSTURN_TO_PEER])
        return MSTURN_PEER_NOTHING_SENT;
    if (ice)
        return MSTURN_PEER_ICE_PARTIAL;
    if (p->pkts[MSTURN_TO_PEER])
        return MSTURN_PEER_DATA;
    return MSTURN_PEER_NO_DATA;
}

const char *
msturn_peer_verdict(const msturn_session *s, const msturn_peer *p, wmem_allocator_t *pool)
{
    switch (msturn_peer_state_of(s, p)) {
    case MSTURN_PEER_ICE_VALID:
        return "ICE valid through the relay";
    case MSTURN_PEER_PERMISSION_REFUSED:
        return wmem_strdup_printf(pool, "%u at CreatePermission", msturn_peer_permission(s, p)->error);
    case MSTURN_PEER_CHANNEL_REFUSED:
        return wmem_strdup_printf(pool, "%u at ChannelBind", p->chan_error);
    case MSTURN_PEER_NO_PERMISSION:
        return "data without permission: dropped by the server";
    case MSTURN_PEER_NOTHING_BACK:
        return "one way: nothing back from the peer";
    case MSTURN_PEER_NOTHING_SENT:
        return "one way: nothing from the client";
    case MSTURN_PEER_ICE_PARTIAL:
        return msturn_ice_text(msturn_peer_ice(p));
    case MSTURN_PEER_DATA:
        return "data both ways, no ICE checks";
    default:
        return "no data";
    }
}

/* How far a peer got, for the allocation's verdict: higher is further. */
static const int peer_rank[MSTURN_PEER_STATES] = {
    [MSTURN_PEER_NO_DATA]             = 0,
    [MSTURN_PEER_PERMISSION_REFUSED]  = 1,
    [MSTURN_PEER_CHANNEL_REFUSED]     = 2,
    [MSTURN_PEER_NO_PERMISSION]       = 3,
    [MSTURN_PEER_NOTHING_BACK]        = 4,
    [MSTURN_PEER_NOTHING_SENT]        = 5,
    [MSTURN_PEER_ICE_PARTIAL]         = 6,
    [MSTURN_PEER_DATA]                = 7,
    [MSTURN_PEER_ICE_VALID]           = 8,
};

/* An allocated TURN relay: valid ICE through it is what a call needs; else
 * what ended the allocation, else how far its best peer got. */
static const char *
relay_verdict(const msturn_session *s, wmem_allocator_t *pool)
{
    const msturn_peer *best = NULL;
    msturn_peer_state best_state = MSTURN_PEER_NO_DATA;
    unsigned i;

    for (i = 0; i < s->n_peers; i++) {
        msturn_peer_state st = msturn_peer_state_of(s, &s->peers[i]);
        if (best == NULL || peer_rank[st] > peer_rank[best_state]) {
            best = &s->peers[i];
            best_state = st;
        }
    }
    if (best && best_state == MSTURN_PEER_ICE_VALID)
        return msturn_peer_verdict(s, best, pool);
    if (s->refresh_error)
        return wmem_strdup_printf(pool, "%u at Refresh", s->refresh_error);
    if (s->expired_frame)
        return "allocation expired";
    if (best && best_state != MSTURN_PEER_NO_DATA)
        return msturn_peer_verdict(s, best, pool);
    if (s->deallocated)
        return "deallocated (LIFETIME 0)";
    return best ? "no data" : "relay allocated, no peer";
}

const char *
msturn_session_verdict(const msturn_session *s, wmem_allocator_t *pool)
{
    const char *sig;
    const msturn_link *best = NULL;
    unsigned i;

    /* A dialog refused or ended with diagnostics explains whatever the
     * network then did (no peer connection, no checks): said first. */
    if ((sig = msturn_dialog_verdict(s->dialog, pool)) != NULL)
        return sig;
    if (s->sip_only)
        return "signalling only";
    if (!s->allocate_ok_frame)
        return allocate_verdict(s, pool);
    if (s->ms)
        return ms_verdict(s, pool);
    if (s->udp_relay)
        return relay_verdict(s, pool);
    for (i = 0; i < s->n_links; i++)
        if (best == NULL || link_rank(&s->links[i]) > link_rank(best))
            best = &s->links[i];
    if (best && best->bind_ok_frame && best->ice == MSTURN_ICE_ALL)
        return s->reinvite_overdue ? wmem_strdup_printf(pool, "ICE valid, no re-INVITE within %d s",
                                                        MSTURN_REINVITE_S)
                                   : "ICE valid";
    if (s->refresh_error)
        return wmem_strdup_printf(pool, "%u at Refresh", s->refresh_error);
    if (s->expired_frame)
        return "allocation expired";
    if ((sig = signalling_verdict(s)) != NULL)
        return sig;
    if (best == NULL) {
        if (s->permission_error)
            return wmem_strdup_printf(pool, "%u at CreatePermission", s->permission_error);
        return "no peer connection";
    }
    if (best->bind_ok_frame)
        return msturn_ice_text(best->ice);
    if (best->bind_error)
        return wmem_strdup_printf(pool, "%u at ConnectionBind", best->bind_error);
    if (best->connect_error)
        return wmem_strdup_printf(pool, "%u at Connect", best->connect_error);
    if (s->permission_error)
        return wmem_strdup_printf(pool, "%u at CreatePermission", s->permission_error);
    if (best->bind_frame)
        return "no ConnectionBind response";
    return "no ConnectionBind";
}

static const char *
leg_name(const msturn_session *s)
{
    return s->ms ? "MS-TURN leg" : "RFC 6062 leg";
}

/* The path runs client -> its TURN server -> the other TURN server -> the
 * far client: the [MS-TURN] leg first.  Every leg whose own verdict is not
 * "ICE valid" is named, in that order: "path valid", "MS-TURN leg (session
 * 2) failed: ...", or "legs failed: ...; ...".  Without full, the legs are
 * named without their verdicts (each is its own row's, and its own
 * column's): a form that fits a column. */
const char *
msturn_session_path_verdict(const msturn_session *s, wmem_allocator_t *pool, bool full)
{
    const msturn_session *legs[1 + MSTURN_MAX_LINKED], *bad[1 + MSTURN_MAX_LINKED];
    const char *why[1 + MSTURN_MAX_LINKED];
    wmem_strbuf_t *out;
    unsigned n = 0, i, failed = 0, signalled;
    int pass;

    if (s->n_linked == 0)
        return NULL;
    legs[n++] = s;
    for (i = 0; i < s->n_linked; i++)
        legs[n++] = s->linked[i];
    /* A leg whose dialog the signalling refused or ended explains the
     * others: it alone is named, before any network verdict. */
    for (i = 0; i < n; i++)
        if (msturn_dialog_verdict(legs[i]->dialog, pool) != NULL) {
            bad[failed] = legs[i];
            why[failed++] = msturn_session_verdict(legs[i], pool);
        }
    signalled = failed;
    for (pass = 0; pass < 2 && !signalled; pass++)    /* [MS-TURN] legs, then the others */
        for (i = 0; i < n; i++) {
            const char *v;
            if ((legs[i]->ms != 0) != (pass == 0))
                continue;
            v = msturn_session_verdict(legs[i], pool);
            if (strcmp(v, "ICE valid") != 0) {
                bad[failed] = legs[i];
                why[failed++] = v;
            }
        }
    if (failed == 0)
        return "path valid";
    if (failed == 1)
        return wmem_strdup_printf(pool, "%s (session %u) failed%s%s", leg_name(bad[0]),
                                  bad[0]->number, full ? ": " : "", full ? why[0] : "");
    out = wmem_strbuf_new(pool, "legs failed: ");
    for (i = 0; i < failed; i++)
        wmem_strbuf_append_printf(out, "%s%s (session %u)%s%s", i ? (full ? "; " : ", ") : "",
                                  leg_name(bad[i]), bad[i]->number, full ? ": " : "",
                                  full ? why[i] : "");
    return wmem_strbuf_get_str(out);
}

uint32_t
msturn_session_stamp(const msturn_session *s)
{
    uint32_t v = s->version;
    unsigned i;
    for (i = 0; i < s->n_linked; i++)
        v += s->linked[i]->version * (i + 2);
    return v;
}

/* msturn_session_relay.c - IETF TURN relays (RFC 8656) in the session model.
 *
 * An allocation with a UDP relay, made over UDP, TCP or TLS, keyed by the
 * client's 5-tuple (RFC 8656 2.2).  Its peers are IP addresses, as its
 * permissions are (9); each gathers its CreatePermission and ChannelBind
 * (12) answers, what the client sent it (Send indications, ChannelData) and
 * what came back (Data indications, ChannelData), and the ICE checks inside
 * those (RFC 8445 7.2).  State changes in the first pass only; every pass
 * reads it the same way.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "msturn_session_relay.h"
#include "msturn_session_store.h"
#include "msturn_verdict.h"
#include "msturn_methods.h"

#include <epan/expert.h>
#include <epan/to_str.h>
#include <string.h>

/* RFC 8656 9: a permission lasts 300 s unless refreshed. */
#define PERMISSION_LIFETIME_S 300

static int hf_peer = -1;
static int hf_peer_verdict = -1;
static int ett_peer = -1;

static expert_field ei_ice_valid = EI_INIT;
static expert_field ei_ice_incomplete = EI_INIT;
static expert_field ei_permission_refused = EI_INIT;
static expert_field ei_channel_refused = EI_INIT;
static expert_field ei_no_permission = EI_INIT;
static expert_field ei_one_way = EI_INIT;
static expert_field ei_deallocated = EI_INIT;
static expert_field ei_too_many_peers = EI_INIT;

/* 401 and 438 are the digest handshake (RFC 8656 9.2), not a refusal. */
static bool
refusal(const msturn_msg_info *m)
{
    return m->has_error && m->error_code != 401 && m->error_code != 438;
}

static bool
same_tid(const uint8_t *kept, const msturn_msg_info *m)
{
    return memcmp(kept, m->id, MIN(m->id_len, sizeof m->id)) == 0;
}

static void
keep_tid(uint8_t *to, const msturn_msg_info *m)
{
    memset(to, 0, sizeof m->id);
    memcpy(to, m->id, MIN(m->id_len, sizeof m->id));
}

static bool
permitted(const msturn_permission *perm, const packet_info *pinfo)
{
    return perm && perm->ok_frame && perm->ok_frame < pinfo->num &&
           pinfo->abs_ts.secs - perm->ts.secs <= PERMISSION_LIFETIME_S;
}

/* Every peer at a permission's address shows it. */
static void
permission_changed(msturn_session *s, const msturn_permission *perm)
{
    unsigned i;
    for (i = 0; i < s->n_peers; i++)
        if (addresses_equal(&s->peers[i].ip, &perm->ip))
            s->peers[i].version++;
}

static void
install_permission(msturn_session *s, const address *ip, const packet_info *pinfo)
{
    msturn_permission *perm = msturn_store_permission(s, ip, 0, true);
    if (perm == NULL)
        return;
    if (!perm->ok_frame)
        perm->ok_frame = pinfo->num;
    perm->ts = pinfo->abs_ts;
    permission_changed(s, perm);
}

/* A Send or Data indication, or ChannelData, through the relay. */
static void
count(msturn_peer *p, msturn_session *s, msturn_conv *conv, const packet_info *pinfo, int way,
      unsigned len)
{
    p->pkts[way]++;
    p->bytes[way] += len;
    if (!p->first_frame[way])
        p->first_frame[way] = pinfo->num;
    p->version++;
    s->version++;       /* ChannelData is no message: its row moves here */
    conv->relay_peer = (unsigned)(p - s->peers) + 1;
    conv->relay_peer_frame = pinfo->num;
}

/* An ICE check inside what count() just counted. */
static void
relayed_check(packet_info *pinfo, msturn_session *s, msturn_conv *conv, int from_client,
              const msturn_msg_info *m)
{
    msturn_peer *p;
    unsigned kind;

    if (m->method != MSTURN_METHOD_BINDING || conv->relay_peer_frame != pinfo->num ||
        conv->relay_peer == 0 || conv->relay_peer > s->n_peers)
        return;
    if (m->cls == MSTURN_CLASS_REQUEST)
        kind = from_client ? MSTURN_CHECK_REQ_TO_PEER : MSTURN_CHECK_REQ_FROM_PEER;
    else if (m->cls == MSTURN_CLASS_SUCCESS)
        kind = from_client ? MSTURN_CHECK_OK_TO_PEER : MSTURN_CHECK_OK_FROM_PEER;
    else
        return;
    p = &s->peers[conv->relay_peer - 1];
    p->checks[kind]++;
    if (!p->first_check_frame)
        p->first_check_frame = pinfo->num;
    if (!p->ice_valid_frame && msturn_peer_ice(p) == MSTURN_ICE_ALL)
        p->ice_valid_frame = pinfo->num;
    p->version++;
}

static void
permission(packet_info *pinfo, msturn_session *s, const msturn_msg_info *m)
{
    msturn_permission *perm;
    unsigned i;

    if (m->cls == MSTURN_CLASS_REQUEST) {
        for (i = 0; i < m->n_peers; i++) {
            perm = msturn_store_permission(s, &m->peers[i], m->peer_ports[i], true);
            if (perm == NULL)
                continue;
            if (!perm->frame)
                perm->frame = pinfo->num;
            keep_tid(perm->tid, m);
            permission_changed(s, perm);
        }
        return;
    }
    for (i = 0; i < s->n_perms; i++) {
        perm = &s->perms[i];
        if (!perm->frame || !same_tid(perm->tid, m))
            continue;
        if (m->cls == MSTURN_CLASS_SUCCESS) {
            install_permission(s, &perm->ip, pinfo);
            perm->error = 0;
        } else if (m->cls == MSTURN_CLASS_ERROR && refusal(m)) {
            perm->error = m->error_code;
            perm->error_frame = pinfo->num;
        }
        permission_changed(s, perm);
    }
}

static void
channel_bind(packet_info *pinfo, msturn_session *s, const msturn_msg_info *m)
{
    unsigned i;

    if (m->cls == MSTURN_CLASS_REQUEST) {
        msturn_peer *p;
        if (!m->has_peer || !m->has_channel)
            return;
        p = msturn_store_peer(s, &m->peer, m->peer_port, true);
        if (p == NULL)
            return;
        if (!p->chan_ok_frame)      /* RFC 8656 12: a bound channel stays the peer's */
            p->channel = m->channel;
        if (!p->chan_frame)
            p->chan_frame = pinfo->num;
        keep_tid(p->chan_tid, m);
        p->version++;
        return;
    }
    for (i = 0; i < s->n_peers; i++) {
        msturn_peer *p = &s->peers[i];
        if (!p->chan_frame || !same_tid(p->chan_tid, m))
            continue;
        if (m->cls == MSTURN_CLASS_SUCCESS) {
            if (!p->chan_ok_frame)
                p->chan_ok_frame = pinfo->num;
            p->chan_error = 0;
            install_permission(s, &p->ip, pinfo);       /* RFC 8656 12.2 */
        } else if (m->cls == MSTURN_CLASS_ERROR && refusal(m)) {
            p->chan_error = m->error_code;
            p->chan_error_frame = pinfo->num;
        }
        p->version++;
    }
}

void
msturn_relay_update(packet_info *pinfo, msturn_session *s, msturn_conv *conv, int from_client,
                    const msturn_msg_info *m)
{
    msturn_peer *p;

    if (m->nested) {
        relayed_check(pinfo, s, conv, from_client, m);
        return;
    }
    switch (m->method) {
    case MSTURN_METHOD_CREATE_PERMISSION:
        permission(pinfo, s, m);
        break;
    case MSTURN_METHOD_CHANNEL_BIND:
        channel_bind(pinfo, s, m);
        break;
    case MSTURN_METHOD_SEND:        /* RFC 8656 11.1, 11.2 */
    case MSTURN_METHOD_DATA:        /* 11.4 */
        conv->relay_peer_frame = 0;
        if (m->cls != MSTURN_CLASS_INDICATION || !m->has_peer)
            break;
        p = msturn_store_peer(s, &m->peer, m->peer_port, true);
        if (p == NULL)
            break;
        if (m->method == MSTURN_METHOD_SEND && !p->unpermitted_frame &&
            !permitted(msturn_store_permission(s, &p->ip, 0, false), pinfo))
            p->unpermitted_frame = pinfo->num;
        count(p, s, conv, pinfo, m->method == MSTURN_METHOD_SEND ? MSTURN_TO_PEER : MSTURN_FROM_PEER,
              m->has_data ? (unsigned)m->data_len : 0);
        break;
    default:
        break;
    }
}

/* ---- display ------------------------------------------------------------ */

/* msturn.peer (and its verdict beneath) on what names or carries p. */
static void
peer_item(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const msturn_session *s,
          const msturn_peer *p)
{
    proto_item *it;

    /* formatted only where it is read: a tree shown, or a filter on it */
    if (tree == NULL || (!proto_field_is_referenced(tree, hf_peer) &&
                         !proto_field_is_referenced(tree, hf_peer_verdict)))
        return;
    it = proto_tree_add_string(tree, hf_peer, tvb, 0, 0, msturn_peer_text(p, pinfo->pool));
    proto_item_set_generated(it);
    if (msturn_tree_visible(tree) || proto_field_is_referenced(tree, hf_peer_verdict))
        proto_item_set_generated(proto_tree_add_string(proto_item_add_subtree(it, ett_peer),
            hf_peer_verdict, tvb, 0, 0, msturn_peer_verdict(s, p, pinfo->pool)));
}

/* Said once a whole capture was read (second pass), on the first data of a
 * peer that went one way only, and on a peer's first check when they fell
 * short. */
static void
outcome_items(packet_info *pinfo, proto_item *top, const msturn_session *s, const msturn_peer *p,
              int way)
{
    msturn_peer_state st;

    if (!PINFO_FD_VISITED(pinfo))
        return;
    st = msturn_peer_state_of(s, p);
    if (way >= 0 && p->first_frame[way] == pinfo->num &&
        ((st == MSTURN_PEER_NOTHING_BACK && way == MSTURN_TO_PEER) ||
         (st == MSTURN_PEER_NOTHING_SENT && way == MSTURN_FROM_PEER)))
        expert_add_info_format(pinfo, top, &ei_one_way,
            st == MSTURN_PEER_NOTHING_BACK
                ? "One way: the client sent to %s through the relay and nothing came back "
                  "(the peer's firewall, a wrong peer address, or a permission the server lacks)"
                : "One way: %s sent to the client through the relay and the client never "
                  "answered", msturn_peer_text(p, pinfo->pool));
}

static void
check_items(packet_info *pinfo, proto_item *top, const msturn_session *s)
{
    unsigned i;

    for (i = 0; i < s->n_peers; i++) {
        const msturn_peer *p = &s->peers[i];
        if (p->ice_valid_frame == pinfo->num)
            expert_add_info_format(pinfo, top, &ei_ice_valid,
                "ICE valid through the relay with %s: checks answered both ways (RFC 8445 7.2)",
                msturn_peer_text(p, pinfo->pool));
        if (PINFO_FD_VISITED(pinfo) && p->first_check_frame == pinfo->num &&
            msturn_peer_state_of(s, p) == MSTURN_PEER_ICE_PARTIAL)
            expert_add_info_format(pinfo, top, &ei_ice_incomplete,
                "ICE checks through the relay with %s incomplete: %s",
                msturn_peer_text(p, pinfo->pool), msturn_ice_text(msturn_peer_ice(p)));
    }
}

/* The answer to a CreatePermission or ChannelBind that refused peers. */
static void
refusal_items(packet_info *pinfo, proto_item *top, const msturn_session *s, const msturn_msg_info *m)
{
    unsigned i;

    for (i = 0; i < s->n_perms; i++) {
        const msturn_permission *perm = &s->perms[i];
        if (m->method == MSTURN_METHOD_CREATE_PERMISSION && perm->error_frame == pinfo->num)
            expert_add_info_format(pinfo, top, &ei_permission_refused,
                "CreatePermission for %s refused with %u (RFC 8656 10): the server will not "
                "relay to or from it", address_to_str(pinfo->pool, &perm->ip), perm->error);
    }
    for (i = 0; i < s->n_peers; i++) {
        const msturn_peer *p = &s->peers[i];
        if (m->method == MSTURN_METHOD_CHANNEL_BIND && p->chan_error_frame == pinfo->num)
            expert_add_info_format(pinfo, top, &ei_channel_refused,
                "ChannelBind of 0x%04x to %s refused with %u (RFC 8656 12)", p->channel,
                msturn_peer_text(p, pinfo->pool), p->chan_error);
    }
}

/* A peer the message names that is beyond the bound: relayed, not followed. */
static void
dropped_item(packet_info *pinfo, proto_item *top, const msturn_session *s, const address *ip,
             uint16_t port)
{
    if (s->peers_dropped && s->n_peers == MSTURN_MAX_PEERS)
        expert_add_info_format(pinfo, top, &ei_too_many_peers,
            "Peer %s:%u is beyond the %d peers msturn follows per allocation: relayed, not "
            "counted", address_to_str(pinfo->pool, ip), port, MSTURN_MAX_PEERS);
}

/* A ChannelBind request, a Send or a Data indication: the peer it names. */
static void
named_peer_items(tvbuff_t *tvb, packet_info *pinfo, proto_item *top, proto_tree *tree,
                 const msturn_session *s, const msturn_msg_info *m)
{
    const msturn_peer *p;

    if (!m->has_peer)
        return;
    p = msturn_store_peer((msturn_session *)s, &m->peer, m->peer_port, false);
    if (p == NULL) {
        dropped_item(pinfo, top, s, &m->peer, m->peer_port);
        return;
    }
    peer_item(tvb, pinfo, tree, s, p);
    if (m->method == MSTURN_METHOD_SEND && p->unpermitted_frame == pinfo->num)
        expert_add_info_format(pinfo, top, &ei_no_permission,
            "Send indication to %s, which has no permission installed: the server drops "
            "it silently (RFC 8656 9, 11.2)", msturn_peer_text(p, pinfo->pool));
    if (m->cls == MSTURN_CLASS_INDICATION && m->method != MSTURN_METHOD_CHANNEL_BIND)
        outcome_items(pinfo, top, s, p, m->method == MSTURN_METHOD_SEND ? MSTURN_TO_PEER : MSTURN_FROM_PEER);
}

void
msturn_relay_items(tvbuff_t *tvb, packet_info *pinfo, proto_item *top, proto_tree *tree,
                   const msturn_session *s, const msturn_msg_info *m)
{
    unsigned i;

    if (m->nested) {
        check_items(pinfo, top, s);
        return;
    }
    switch (m->method) {
    case MSTURN_METHOD_CREATE_PERMISSION:
        /* a permission is for an address: every peer at it */
        for (i = 0; i < m->n_peers; i++) {
            unsigned j, shown = 0;
            for (j = 0; j < s->n_peers; j++)
                if (addresses_equal(&s->peers[j].ip, &m->peers[i])) {
                    peer_item(tvb, pinfo, tree, s, &s->peers[j]);
                    shown++;
                }
            if (!shown)
                dropped_item(pinfo, top, s, &m->peers[i], 0);
        }
        refusal_items(pinfo, top, s, m);
        break;
    case MSTURN_METHOD_CHANNEL_BIND:
        refusal_items(pinfo, top, s, m);
        named_peer_items(tvb, pinfo, top, tree, s, m);
        break;
    case MSTURN_METHOD_SEND:
    case MSTURN_METHOD_DATA:
        named_peer_items(tvb, pinfo, top, tree, s, m);
        break;
    case MSTURN_METHOD_REFRESH:
        if (s->dealloc_frame == pinfo->num)
            expert_add_info_format(pinfo, top, &ei_deallocated,
                "Allocation deleted: the client refreshed it with LIFETIME 0 (RFC 8656 8)");
        break;
    default:
        break;
    }
}

/* The peer whose bound channel this is at this frame (RFC 8656 12: a
 * channel stays bound to one peer for its lifetime). */
static msturn_peer *
channel_peer(const msturn_session *s, uint16_t channel, uint32_t frame)
{
    unsigned i;

    for (i = 0; i < s->n_peers; i++)
        if (s->peers[i].channel == channel && s->peers[i].chan_ok_frame &&
            s->peers[i].chan_ok_frame <= frame)
            return &s->peers[i];
    return NULL;
}

void
msturn_relay_channel_data(tvbuff_t *tvb, packet_info *pinfo, proto_item *top, proto_tree *tree,
                          msturn_session *s, msturn_conv *conv, int from_client, uint16_t channel,
                          unsigned len)
{
    msturn_peer *p = channel_peer(s, channel, pinfo->num);
    int way = from_client ? MSTURN_TO_PEER : MSTURN_FROM_PEER;

    if (!PINFO_FD_VISITED(pinfo)) {
        conv->relay_peer_frame = 0;
        if (p != NULL)
            count(p, s, conv, pinfo, way, len);
    }
    if (p == NULL)
        return;
    peer_item(tvb, pinfo, tree, s, p);
    outcome_items(pinfo, top, s, p, way);
}

void
msturn_relay_register(int proto)
{
    static hf_register_info hf[] = {
        { &hf_peer, { "Peer", "msturn.peer", FT_STRING, BASE_NONE, NULL, 0,
            "The TURN relay peer this message names or carries data of: its IP address "
            "(permissions are per address, RFC 8656 9) and the first port named for it",
            HFILL } },
        { &hf_peer_verdict, { "Peer verdict", "msturn.peer.verdict", FT_STRING, BASE_NONE, NULL, 0,
            "How far this peer got through the relay: ICE valid, a refusal, one way, or no data",
            HFILL } },
    };
    static int *ett[] = { &ett_peer };
    static ei_register_info ei[] = {
        { &ei_ice_valid, { "msturn.relay.ice_valid", PI_SEQUENCE, PI_CHAT,
            "ICE valid through the relay", EXPFILL } },
        { &ei_ice_incomplete, { "msturn.relay.ice_incomplete", PI_SEQUENCE, PI_WARN,
            "ICE checks through the relay incomplete", EXPFILL } },
        { &ei_permission_refused, { "msturn.relay.permission_refused", PI_SEQUENCE, PI_WARN,
            "CreatePermission refused", EXPFILL } },
        { &ei_channel_refused, { "msturn.relay.channel_refused", PI_SEQUENCE, PI_WARN,
            "ChannelBind refused", EXPFILL } },
        { &ei_no_permission, { "msturn.relay.no_permission", PI_SEQUENCE, PI_WARN,
            "Send indication to a peer without permission", EXPFILL } },
        { &ei_one_way, { "msturn.relay.one_way", PI_SEQUENCE, PI_WARN,
            "Relayed data one way only", EXPFILL } },
        { &ei_deallocated, { "msturn.relay.deallocated", PI_SEQUENCE, PI_CHAT,
            "Allocation deleted with LIFETIME 0", EXPFILL } },
        { &ei_too_many_peers, { "msturn.relay.too_many_peers", PI_SEQUENCE, PI_NOTE,
            "More peers than msturn keeps per allocation", EXPFILL } },
    };
    expert_module_t *em;

    proto_register_field_array(proto, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    em = expert_register_protocol(proto);
    expert_register_field_array(em, ei, array_length(ei));
}

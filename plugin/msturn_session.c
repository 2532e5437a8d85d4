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
 */
#include "msturn_session.h"
#include "msturn_methods.h"

#include <epan/to_str.h>
#include <epan/proto_data.h>
#include <epan/tap.h>
#include <string.h>

static int hf_session = -1;
static int hf_role = -1;
static int hf_verdict = -1;
static int hf_attempt_in = -1;
static int hf_bind_in = -1;
static int hf_peer_conn = -1;

static gint ett_session = -1;

static expert_field ei_bind_unknown_cid = EI_INIT;
static expert_field ei_no_bind = EI_INIT;
static expert_field ei_refresh_failed = EI_INIT;
static expert_field ei_ice_incomplete = EI_INIT;
static expert_field ei_links_dropped = EI_INIT;
static expert_field ei_expired = EI_INIT;

static int msturn_tap = -1;

/* File-scoped registry. */
static unsigned n_sessions;
static wmem_map_t *by_cid;        /* (server IP, CONNECTION-ID) -> link_ref */
static wmem_map_t *by_relayed;    /* relayed endpoint -> session */
static wmem_map_t *by_client;     /* (client IP, server endpoint) -> latest session */

typedef struct {
    address  server;
    uint32_t cid;
} cid_key;

typedef struct {
    msturn_session *session;
    unsigned        link;
} link_ref;

static guint
cid_hash(gconstpointer k)
{
    const cid_key *c = (const cid_key *)k;
    return add_address_to_hash(c->cid * 2654435761u, &c->server);
}

static gboolean
cid_equal(gconstpointer a, gconstpointer b)
{
    const cid_key *x = (const cid_key *)a, *y = (const cid_key *)b;
    return x->cid == y->cid && addresses_equal(&x->server, &y->server);
}

static guint
endpoint_hash(gconstpointer k)
{
    const msturn_endpoint *e = (const msturn_endpoint *)k;
    return add_address_to_hash(e->port, &e->addr);
}

static gboolean
endpoint_equal(gconstpointer a, gconstpointer b)
{
    const msturn_endpoint *x = (const msturn_endpoint *)a, *y = (const msturn_endpoint *)b;
    return x->port == y->port && addresses_equal(&x->addr, &y->addr);
}

typedef struct {
    address         client;
    msturn_endpoint server;
} client_key;

static guint
client_hash(gconstpointer k)
{
    const client_key *c = (const client_key *)k;
    return add_address_to_hash(endpoint_hash(&c->server), &c->client);
}

static gboolean
client_equal(gconstpointer a, gconstpointer b)
{
    const client_key *x = (const client_key *)a, *y = (const client_key *)b;
    return endpoint_equal(&x->server, &y->server) && addresses_equal(&x->client, &y->client);
}

static void
session_init(void)
{
    n_sessions = 0;
    by_cid = wmem_map_new(wmem_file_scope(), cid_hash, cid_equal);
    by_relayed = wmem_map_new(wmem_file_scope(), endpoint_hash, endpoint_equal);
    by_client = wmem_map_new(wmem_file_scope(), client_hash, client_equal);
}

unsigned
msturn_session_count(void)
{
    return n_sessions;
}

const char *
msturn_role_name(msturn_role r)
{
    switch (r) {
    case MSTURN_ROLE_CONTROL: return "control";
    case MSTURN_ROLE_DATA:    return "data";
    case MSTURN_ROLE_PEER:    return "peer";
    default:                  return "";
    }
}

/* ---- verdict ------------------------------------------------------------ */

static const char *
ice_text(unsigned ice)
{
    if (ice == 0)
        return "no ICE checks";
    if (!(ice & MSTURN_ICE_OK_FROM_PEER))
        return "ICE one-way: no success from peer";
    if (!(ice & MSTURN_ICE_OK_FROM_CLIENT))
        return "ICE one-way: no success from client";
    if (!(ice & MSTURN_ICE_REQ_FROM_PEER))
        return "ICE: no request from peer";
    if (!(ice & MSTURN_ICE_REQ_FROM_CLIENT))
        return "ICE: no request from client";
    return "ICE valid";
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

const char *
msturn_session_verdict(const msturn_session *s, wmem_allocator_t *pool)
{
    const msturn_link *best = NULL;
    unsigned i;

    if (!s->allocate_ok_frame) {
        if (s->allocate_error == 401 && s->n_401 >= 2)
            return "401 loop at Allocate";
        if (s->allocate_error)
            return wmem_strdup_printf(pool, "%u at Allocate", s->allocate_error);
        return "no Allocate response";
    }
    for (i = 0; i < s->n_links; i++)
        if (best == NULL || link_rank(&s->links[i]) > link_rank(best))
            best = &s->links[i];
    if (best && best->bind_ok_frame && best->ice == MSTURN_ICE_ALL)
        return "ICE valid";
    if (s->refresh_error)
        return wmem_strdup_printf(pool, "%u at Refresh", s->refresh_error);
    if (s->expired_frame)
        return "allocation expired";
    if (best == NULL) {
        if (s->permission_error)
            return wmem_strdup_printf(pool, "%u at CreatePermission", s->permission_error);
        /* RFC 8656: a UDP relay has no peer connections to wait for. */
        return s->udp_relay ? "UDP relay allocated" : "no peer connection";
    }
    if (best->bind_ok_frame)
        return ice_text(best->ice);
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

static void
set_endpoint(msturn_endpoint *e, const address *a, uint16_t port)
{
    copy_address_wmem(wmem_file_scope(), &e->addr, a);
    e->port = port;
}

static int
from_client(const msturn_conv *conv, const packet_info *pinfo)
{
    return conv->has_client && pinfo->srcport == conv->client_port &&
           addresses_equal(&pinfo->src, &conv->client_addr);
}

static msturn_link *
add_link(msturn_session *s, const msturn_msg_info *m, packet_info *pinfo)
{
    msturn_link *l;

    if (s->n_links >= MSTURN_MAX_LINKS) {
        s->links_dropped++;
        return NULL;
    }
    /* Grown by doubling rather than MSTURN_MAX_LINKS for every session: the
     * array was most of a session's memory.  Links are always reached by
     * index, so moving them is safe. */
    if (s->n_links == s->links_alloc) {
        s->links_alloc = s->links_alloc ? MIN(2 * s->links_alloc, MSTURN_MAX_LINKS) : 2;
        s->links = (msturn_link *)wmem_realloc(wmem_file_scope(), s->links,
                                               s->links_alloc * sizeof *s->links);
    }
    l = &s->links[s->n_links++];
    memset(l, 0, sizeof *l);
    l->announced_ts = pinfo->abs_ts;
    if (m->has_peer) {
        set_endpoint(&l->peer, &m->peer, m->peer_port);
        l->has_peer = 1;
    }
    return l;
}

static void
index_cid(msturn_session *s, msturn_link *l)
{
    cid_key *k = wmem_new0(wmem_file_scope(), cid_key);
    link_ref *r = wmem_new(wmem_file_scope(), link_ref);

    copy_address_wmem(wmem_file_scope(), &k->server, &s->server.addr);
    k->cid = l->connection_id;
    r->session = s;
    r->link = (unsigned)(l - s->links);
    wmem_map_insert(by_cid, k, r);
}

/* Errors that are part of normal authentication, not failures. */
static int
transient_error(unsigned code)
{
    return code == 401 || code == 438;
}

static void
update_control(packet_info *pinfo, msturn_conv *conv, msturn_session *s, const msturn_msg_info *m)
{
    unsigned i;

    switch (m->method) {
    case MSTURN_METHOD_ALLOCATE:
        if (m->cls == MSTURN_CLASS_REQUEST && m->has_transport)
            s->udp_relay = m->transport == 17;
        if (m->cls == MSTURN_CLASS_SUCCESS && !s->allocate_ok_frame) {
            s->allocate_ok_frame = pinfo->num;
            s->allocate_error = 0;
            if (m->has_relayed && !s->has_relayed) {
                msturn_endpoint *k = wmem_new0(wmem_file_scope(), msturn_endpoint);
                set_endpoint(&s->relayed, &m->relayed, m->relayed_port);
                s->has_relayed = 1;
                set_endpoint(k, &m->relayed, m->relayed_port);
                wmem_map_insert(by_relayed, k, s);
            }
        } else if (m->cls == MSTURN_CLASS_ERROR && !s->allocate_ok_frame) {
            s->allocate_error = m->has_error ? m->error_code : 0;
            if (m->has_error && m->error_code == 401)
                s->n_401++;
        }
        if (m->cls == MSTURN_CLASS_SUCCESS && m->has_lifetime) {
            s->lifetime = m->lifetime;
            s->lifetime_from = pinfo->abs_ts;
        }
        break;
    case MSTURN_METHOD_REFRESH:
        if (m->cls == MSTURN_CLASS_SUCCESS) {
            if (m->has_lifetime) {
                s->lifetime = m->lifetime;
                s->lifetime_from = pinfo->abs_ts;
                if (m->lifetime == 0)
                    s->deallocated = 1;
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
            msturn_link *l = add_link(s, m, pinfo);
            if (l)
                l->connect_frame = pinfo->num;
        } else if (m->cls == MSTURN_CLASS_SUCCESS || m->cls == MSTURN_CLASS_ERROR) {
            for (i = 0; i < s->n_links; i++) {
                msturn_link *l = &s->links[i];
                if (!l->connect_frame || l->connection_id || l->connect_error)
                    continue;
                if (m->cls == MSTURN_CLASS_SUCCESS && m->has_connection_id) {
                    l->connection_id = m->connection_id;
                    index_cid(s, l);
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
            msturn_link *l = add_link(s, m, pinfo);
            if (l) {
                l->connection_id = m->connection_id;
                l->attempt_frame = pinfo->num;
                index_cid(s, l);
            }
        }
        break;
    default:
        break;
    }
}

static void
update_data(packet_info *pinfo, msturn_conv *conv, const msturn_msg_info *m)
{
    msturn_session *s = conv->session;
    msturn_link *l = (s && conv->link >= 0) ? &s->links[conv->link] : NULL;

    if (m->method == MSTURN_METHOD_CONNECTION_BIND) {   /* RFC 6062 4.4 */
        if (m->cls == MSTURN_CLASS_REQUEST && s == NULL && m->has_connection_id) {
            cid_key k;
            link_ref *r;
            k.server = pinfo->dst;
            k.cid = m->connection_id;
            r = (link_ref *)wmem_map_lookup(by_cid, &k);
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
        if (l)
            l->ice |= bit;
        else
            s->ice_unlinked |= bit;
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
start_session(packet_info *pinfo, msturn_conv *conv)
{
    msturn_session *s = wmem_new0(wmem_file_scope(), msturn_session);
    client_key *k = wmem_new0(wmem_file_scope(), client_key);

    s->number = ++n_sessions;
    set_endpoint(&s->client, &pinfo->src, (uint16_t)pinfo->srcport);
    set_endpoint(&s->server, &pinfo->dst, (uint16_t)pinfo->destport);
    s->allocate_frame = pinfo->num;
    s->first_ts = pinfo->abs_ts;
    join_session(conv, s, MSTURN_ROLE_CONTROL, -1);
    /* The latest session of this client on this server, for requests that
     * arrive later on another connection (below). */
    copy_address_wmem(wmem_file_scope(), &k->client, &pinfo->src);
    set_endpoint(&k->server, &pinfo->dst, (uint16_t)pinfo->destport);
    wmem_map_insert(by_client, k, s);
}

static void
first_pass(packet_info *pinfo, msturn_conv *conv, const msturn_msg_info *m)
{
    msturn_session *s;

    learn_client(conv, pinfo, m);
    /* Microsoft's own allocations ([MS-TURN] 3.2: MS-VERSION, Send and Data
     * indications) relay over the control connection itself and have no
     * RFC 6062 data connections: they are not presentation sessions. */
    if (conv->session == NULL && m->method == MSTURN_METHOD_ALLOCATE &&
        m->cls == MSTURN_CLASS_REQUEST && !m->microsoft && !m->has_ms_version)
        start_session(pinfo, conv);
    /* RFC 6062 4.1 ties an allocation to its control connection and deletes
     * it when that connection closes.  A client that carries on with Refresh
     * (or CreatePermission, Connect) on a new connection is still talking
     * about its last session, and the server's 437 belongs to that session's
     * story, so the new connection joins it as a control connection. */
    if (conv->session == NULL && needs_allocation(m)) {
        client_key k;
        k.client = pinfo->src;
        k.server.addr = pinfo->dst;
        k.server.port = (uint16_t)pinfo->destport;
        s = (msturn_session *)wmem_map_lookup(by_client, &k);
        if (s != NULL)
            join_session(conv, s, MSTURN_ROLE_CONTROL, -1);
    }
    if (conv->session && conv->role == MSTURN_ROLE_CONTROL) {
        s = conv->session;
        /* RFC 8656 7: without a Refresh the allocation ends after LIFETIME. */
        if (s->lifetime && !s->deallocated && !s->expired_frame &&
            pinfo->abs_ts.secs - s->lifetime_from.secs > (time_t)s->lifetime)
            s->expired_frame = pinfo->num;
        update_control(pinfo, conv, s, m);
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

void
msturn_session_message(tvbuff_t *tvb, packet_info *pinfo, proto_item *top, proto_tree *tree,
                       msturn_conv *conv, const msturn_msg_info *m)
{
    const msturn_session *s;
    const msturn_link *l;
    proto_item *it;

    if (conv == NULL)
        return;
    if (!PINFO_FD_VISITED(pinfo))
        first_pass(pinfo, conv, m);
    s = conv->session;

    if (m->method == MSTURN_METHOD_CONNECTION_BIND && m->cls == MSTURN_CLASS_REQUEST &&
        conv->unknown_cid_frame == pinfo->num) {
        expert_add_info_format(pinfo, top, &ei_bind_unknown_cid,
            "ConnectionBind names CONNECTION-ID %u, which no ConnectionAttempt or Connect "
            "response in this capture announced", m->connection_id);
        return;
    }
    if (s == NULL)
        return;

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
            expert_add_info_format(pinfo, top, &ei_ice_incomplete,
                "Presentation path not valid: %s", ice_text(l->ice));
    }
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

void
msturn_session_frame(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, msturn_conv *conv)
{
    msturn_session *s;
    proto_item *ti, *it;
    proto_tree *st;

    if (conv == NULL)
        return;
    /* One session item per frame, however many times TCP calls msturn. */
    if (p_get_proto_data(pinfo->pool, pinfo, proto_msturn, 0) != NULL)
        return;
    /* A connection to a relayed address is that session's peer connection. */
    if (conv->session == NULL && n_sessions && !PINFO_FD_VISITED(pinfo)) {
        msturn_endpoint e;
        unsigned i;
        int dst_relayed;
        e.addr = pinfo->dst;
        e.port = (uint16_t)pinfo->destport;
        s = (msturn_session *)wmem_map_lookup(by_relayed, &e);
        dst_relayed = s != NULL;
        if (s == NULL) {
            e.addr = pinfo->src;
            e.port = (uint16_t)pinfo->srcport;
            s = (msturn_session *)wmem_map_lookup(by_relayed, &e);
        }
        if (s != NULL) {
            const address *peer = dst_relayed ? &pinfo->src : &pinfo->dst;
            uint16_t peer_port = (uint16_t)(dst_relayed ? pinfo->srcport : pinfo->destport);
            join_session(conv, s, MSTURN_ROLE_PEER, -1);
            s->version++;
            for (i = 0; i < s->n_links; i++)
                if (s->links[i].has_peer && s->links[i].peer.port == peer_port &&
                    addresses_equal(&s->links[i].peer.addr, peer)) {
                    conv->link = (int)i;
                    break;
                }
        }
    }
    s = conv->session;
    if (s == NULL)
        return;
    p_add_proto_data(pinfo->pool, pinfo, proto_msturn, 0, s);
    if (!PINFO_FD_VISITED(pinfo))
        s->last_ts = pinfo->abs_ts;

    ti = proto_tree_add_item(tree, proto_msturn, tvb, 0, 0, ENC_NA);
    proto_item_set_text(ti, "MSTURN presentation session %u, %s connection", s->number,
                        msturn_role_name((msturn_role)conv->role));
    proto_item_set_generated(ti);
    st = proto_item_add_subtree(ti, ett_session);
    it = proto_tree_add_uint(st, hf_session, tvb, 0, 0, s->number);
    proto_item_set_generated(it);
    it = proto_tree_add_string(st, hf_role, tvb, 0, 0, msturn_role_name((msturn_role)conv->role));
    proto_item_set_generated(it);
    if (tree) {
        it = proto_tree_add_string(st, hf_verdict, tvb, 0, 0, msturn_session_verdict(s, pinfo->pool));
        proto_item_set_generated(it);
        if (conv->role == MSTURN_ROLE_PEER && conv->link >= 0 && s->links[conv->link].bind_frame) {
            it = proto_tree_add_uint(st, hf_peer_conn, tvb, 0, 0, s->links[conv->link].bind_frame);
            proto_item_set_generated(it);
        }
    }
    tap_queue_packet(msturn_tap, pinfo, s);
}

/* Frames msturn's dissector never sees (SYN, pure ACK, FIN, frames claimed
 * by another dissector) still belong to their connection's session. */
static int
stamp_frame(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    msturn_conv *conv;
    msturn_endpoint e;

    if (n_sessions == 0 || pinfo->ptype != PT_TCP)
        return 0;
    if (p_get_proto_data(pinfo->pool, pinfo, proto_msturn, 0) != NULL)
        return 0;
    conv = msturn_conv_get(pinfo, FALSE);
    if (conv == NULL) {
        if (PINFO_FD_VISITED(pinfo))
            return 0;
        e.addr = pinfo->dst;
        e.port = (uint16_t)pinfo->destport;
        if (wmem_map_lookup(by_relayed, &e) == NULL) {
            e.addr = pinfo->src;
            e.port = (uint16_t)pinfo->srcport;
            if (wmem_map_lookup(by_relayed, &e) == NULL)
                return 0;
        }
        conv = msturn_conv_get(pinfo, TRUE);
    }
    msturn_session_frame(tvb, pinfo, tree, conv);
    return 0;
}

void
msturn_session_register(int proto)
{
    static hf_register_info hf[] = {
        { &hf_session, { "Session", "msturn.session", FT_UINT32, BASE_DEC, NULL, 0,
            "Presentation session: one TURN allocation and its control, data and peer "
            "connections", HFILL } },
        { &hf_role, { "Connection role", "msturn.session.role", FT_STRING, BASE_NONE, NULL, 0,
            "control (Allocate), data (ConnectionBind) or peer (to the relayed address)", HFILL } },
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
    };
    static gint *ett[] = { &ett_session };
    static ei_register_info ei[] = {
        { &ei_bind_unknown_cid, { "msturn.session.unknown_cid", PI_SEQUENCE, PI_WARN,
            "ConnectionBind with a CONNECTION-ID no ConnectionAttempt announced", EXPFILL } },
        { &ei_no_bind, { "msturn.session.no_bind", PI_SEQUENCE, PI_WARN,
            "ConnectionAttempt not followed by a ConnectionBind within 30 s", EXPFILL } },
        { &ei_refresh_failed, { "msturn.session.refresh_failed", PI_SEQUENCE, PI_WARN,
            "Refresh failed: the allocation is lost", EXPFILL } },
        { &ei_ice_incomplete, { "msturn.session.ice_incomplete", PI_SEQUENCE, PI_WARN,
            "ICE checks did not succeed in both directions on this data connection", EXPFILL } },
        { &ei_links_dropped, { "msturn.session.too_many_peers", PI_SEQUENCE, PI_NOTE,
            "More peer connections than msturn keeps per session; later ones are not tracked",
            EXPFILL } },
        { &ei_expired, { "msturn.session.expired", PI_SEQUENCE, PI_WARN,
            "Allocation lifetime elapsed without a Refresh", EXPFILL } },
    };
    expert_module_t *em;

    proto_register_field_array(proto, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    em = expert_register_protocol(proto);
    expert_register_field_array(em, ei, array_length(ei));
    register_init_routine(session_init);
    msturn_tap = register_tap("msturn");
    register_postdissector(create_dissector_handle(stamp_frame, proto));
}

/* msturn_session_store.c - the registry of sessions in file scope and its
 * indexes.  Everything here lives as long as the capture file.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "msturn_session_store.h"
#include "msturn_dialog.h"

#include <string.h>

static unsigned n_sessions;
static unsigned n_with_dialog;    /* sessions linked to a SIP dialog */
static wmem_map_t *by_cid;        /* (server IP, CONNECTION-ID) -> msturn_link_ref */
static wmem_map_t *by_relayed;    /* relayed endpoint -> session */
static wmem_map_t *by_client;     /* (client IP, server endpoint) -> latest session */
static wmem_map_t *by_peer;       /* peer endpoint -> first session that talks to it */
static wmem_map_t *by_client_ep;  /* client endpoint -> latest session */

typedef struct {
    address  server;
    uint32_t cid;
} cid_key;

typedef struct {
    address         client;
    msturn_endpoint server;
} client_key;

static unsigned
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

static unsigned
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

static unsigned
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

void
msturn_store_init(void)
{
    n_sessions = 0;
    n_with_dialog = 0;
    by_cid = wmem_map_new(wmem_file_scope(), cid_hash, cid_equal);
    by_relayed = wmem_map_new(wmem_file_scope(), endpoint_hash, endpoint_equal);
    by_client = wmem_map_new(wmem_file_scope(), client_hash, client_equal);
    by_peer = wmem_map_new(wmem_file_scope(), endpoint_hash, endpoint_equal);
    by_client_ep = wmem_map_new(wmem_file_scope(), endpoint_hash, endpoint_equal);
    msturn_dialog_init();
}

unsigned
msturn_store_count(void)
{
    return n_sessions;
}

void
msturn_store_set_endpoint(msturn_endpoint *e, const address *a, uint16_t port)
{
    copy_address_wmem(wmem_file_scope(), &e->addr, a);
    e->port = port;
}

static msturn_endpoint *
new_key(const address *a, uint16_t port)
{
    msturn_endpoint *k = wmem_new0(wmem_file_scope(), msturn_endpoint);
    msturn_store_set_endpoint(k, a, port);
    return k;
}

msturn_session *
msturn_store_new(packet_info *pinfo, int ms)
{
    msturn_session *s = wmem_new0(wmem_file_scope(), msturn_session);
    client_key *k = wmem_new0(wmem_file_scope(), client_key);

    s->number = ++n_sessions;
    s->ms = ms;
    s->tcp = pinfo->ptype == PT_TCP;
    msturn_store_set_endpoint(&s->client, &pinfo->src, (uint16_t)pinfo->srcport);
    msturn_store_set_endpoint(&s->server, &pinfo->dst, (uint16_t)pinfo->destport);
    s->allocate_frame = pinfo->num;
    s->first_ts = pinfo->abs_ts;
    /* The latest session of this client on this server, for requests that
     * arrive later on another connection. */
    copy_address_wmem(wmem_file_scope(), &k->client, &pinfo->src);
    msturn_store_set_endpoint(&k->server, &pinfo->dst, (uint16_t)pinfo->destport);
    wmem_map_insert(by_client, k, s);
    wmem_map_insert(by_client_ep, new_key(&pinfo->src, (uint16_t)pinfo->srcport), s);
    return s;
}

msturn_session *
msturn_store_new_signalling(packet_info *pinfo, struct msturn_dialog *d)
{
    msturn_session *s = wmem_new0(wmem_file_scope(), msturn_session);

    s->number = ++n_sessions;
    s->sip_only = true;
    if (d->invite_frame) {
        msturn_store_set_endpoint(&s->client, &d->caller, d->caller_port);
        s->first_ts = d->invite_ts;
    } else {                        /* the INVITE is not in the capture */
        s->first_ts = pinfo->abs_ts;
    }
    s->last_ts = pinfo->abs_ts;
    msturn_store_link_dialog(s, d);
    return s;
}

msturn_session *
msturn_store_latest(const address *client, const address *server, uint16_t port)
{
    client_key k;
    k.client = *client;
    k.server.addr = *server;
    k.server.port = port;
    return (msturn_session *)wmem_map_lookup(by_client, &k);
}

msturn_link *
msturn_store_add_link(msturn_session *s, packet_info *pinfo, const address *peer, uint16_t peer_port)
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
    if (peer != NULL) {
        msturn_store_set_endpoint(&l->peer, peer, peer_port);
        l->has_peer = 1;
    }
    return l;
}

/* Grown by doubling up to MSTURN_MAX_PEERS, as the links: an array of n of
 * size bytes each, reached by index only. */
static void *
grow(void *array, unsigned n, unsigned *alloc, size_t size)
{
    if (n < *alloc)
        return array;
    *alloc = *alloc ? MIN(2 * *alloc, MSTURN_MAX_PEERS) : 2;
    return wmem_realloc(wmem_file_scope(), array, *alloc * size);
}

/* A peer beyond MSTURN_MAX_PEERS: counted once per address (a Send
 * indication to it every 20 ms is one peer), as far as a bounded set can. */
static void
drop_peer(msturn_session *s, const address *ip, uint16_t port)
{
    msturn_endpoint key;

    if (s->dropped_peers == NULL)
        s->dropped_peers = wmem_map_new(wmem_file_scope(), endpoint_hash, endpoint_equal);
    key.addr = *ip;                 /* looked up as is, copied if kept */
    key.port = port;
    if (wmem_map_contains(s->dropped_peers, &key) || s->peers_dropped >= MSTURN_MAX_DROPPED_PEERS)
        return;
    wmem_map_insert(s->dropped_peers, new_key(ip, port), GUINT_TO_POINTER(1));
    s->peers_dropped++;
}

msturn_peer *
msturn_store_peer(msturn_session *s, const address *ip, uint16_t port, bool create)
{
    msturn_peer *p, *permitted_only = NULL;
    unsigned i;

    for (i = 0; i < s->n_peers; i++) {
        p = &s->peers[i];
        if (!addresses_equal(&p->ip, ip))
            continue;
        if (p->port == port)
            return p;
        if (p->port == 0)
            permitted_only = p;
    }
    if (!create)
        return NULL;
    /* an address a CreatePermission named alone gets the first port used */
    if (permitted_only != NULL) {
        permitted_only->port = port;
        permitted_only->version++;
        return permitted_only;
    }
    if (s->n_peers >= MSTURN_MAX_PEERS) {
        drop_peer(s, ip, port);
        return NULL;
    }
    s->peers = (msturn_peer *)grow(s->peers, s->n_peers, &s->peers_alloc, sizeof *s->peers);
    p = &s->peers[s->n_peers++];
    memset(p, 0, sizeof *p);
    copy_address_wmem(wmem_file_scope(), &p->ip, ip);
    p->port = port;
    return p;
}

msturn_permission *
msturn_store_permission(msturn_session *s, const address *ip, uint16_t port, bool create)
{
    msturn_permission *perm;
    unsigned i;

    for (i = 0; i < s->n_perms; i++)
        if (addresses_equal(&s->perms[i].ip, ip))
            return &s->perms[i];
    if (!create)
        return NULL;
    if (s->n_perms >= MSTURN_MAX_PEERS) {
        /* as many permissions as peers: an address without one has no peer
         * either, and is counted as a peer beyond the bound */
        for (i = 0; i < s->n_peers; i++)
            if (addresses_equal(&s->peers[i].ip, ip))
                return NULL;
        drop_peer(s, ip, port);
        return NULL;
    }
    s->perms = (msturn_permission *)grow(s->perms, s->n_perms, &s->perms_alloc, sizeof *s->perms);
    perm = &s->perms[s->n_perms++];
    memset(perm, 0, sizeof *perm);
    copy_address_wmem(wmem_file_scope(), &perm->ip, ip);
    /* a permission alone is a peer too, at the port it named (if it named
     * none, until a port is used with it) */
    for (i = 0; i < s->n_peers; i++)
        if (addresses_equal(&s->peers[i].ip, ip))
            return perm;
    if (s->n_peers < MSTURN_MAX_PEERS) {
        msturn_peer *p;
        s->peers = (msturn_peer *)grow(s->peers, s->n_peers, &s->peers_alloc, sizeof *s->peers);
        p = &s->peers[s->n_peers++];
        memset(p, 0, sizeof *p);
        copy_address_wmem(wmem_file_scope(), &p->ip, ip);
        p->port = port;
    } else {
        drop_peer(s, ip, port);
    }
    return perm;
}

msturn_link *
msturn_store_link_to(msturn_session *s, const address *peer, uint16_t peer_port)
{
    unsigned i;
    for (i = 0; i < s->n_links; i++)
        if (s->links[i].has_peer && s->links[i].peer.port == peer_port &&
            addresses_equal(&s->links[i].peer.addr, peer))
            return &s->links[i];
    return NULL;
}

void
msturn_store_index_cid(msturn_session *s, const msturn_link *l)
{
    cid_key *k = wmem_new0(wmem_file_scope(), cid_key);
    msturn_link_ref *r = wmem_new(wmem_file_scope(), msturn_link_ref);

    copy_address_wmem(wmem_file_scope(), &k->server, &s->server.addr);
    k->cid = l->connection_id;
    r->session = s;
    r->link = (unsigned)(l - s->links);
    wmem_map_insert(by_cid, k, r);
}

msturn_link_ref *
msturn_store_find_cid(const address *server, uint32_t cid)
{
    cid_key k;
    k.server = *server;
    k.cid = cid;
    return (msturn_link_ref *)wmem_map_lookup(by_cid, &k);
}

static msturn_session *
lookup(wmem_map_t *map, const address *a, uint16_t port)
{
    msturn_endpoint e;
    e.addr = *a;
    e.port = port;
    return (msturn_session *)wmem_map_lookup(map, &e);
}

msturn_session *
msturn_store_find_client(const address *a, uint16_t port)
{
    return lookup(by_client_ep, a, port);
}

msturn_session *
msturn_store_find_peer(const address *a, uint16_t port)
{
    return lookup(by_peer, a, port);
}

void
msturn_store_link_dialog(msturn_session *s, struct msturn_dialog *d)
{
    if (s->dialog != NULL || d->session != NULL)
        return;
    s->dialog = d;
    d->session = s;
    s->version++;
    n_with_dialog++;
}

unsigned
msturn_store_count_with_dialog(void)
{
    return n_with_dialog;
}

/* A dialog announced this endpoint before the session learnt it. */
static void
dialog_names(msturn_session *s, const address *a, uint16_t port)
{
    msturn_dialog *d = msturn_dialog_by_candidate(a, port);
    if (d != NULL)
        msturn_store_link_dialog(s, d);
}

msturn_session *
msturn_store_find_relayed(const address *a, uint16_t port)
{
    return lookup(by_relayed, a, port);
}

/* Two sessions of different kinds on one media path: the Skype side's
 * [MS-TURN] allocation on its Edge and the RFC 6062 allocation on the
 * other side's TURN server. */
static void
link_sessions(msturn_session *a, msturn_session *b)
{
    unsigned i;

    if (a == b || a->ms == b->ms)
        return;
    for (i = 0; i < a->n_linked; i++)
        if (a->linked[i] == b)
            return;
    if (a->n_linked >= MSTURN_MAX_LINKED || b->n_linked >= MSTURN_MAX_LINKED)
        return;
    a->linked[a->n_linked++] = b;
    b->linked[b->n_linked++] = a;
    a->version++;
    b->version++;
}

void
msturn_store_allocate_answer(msturn_session *s, const packet_info *pinfo, const msturn_msg_info *m)
{
    if (m->cls == MSTURN_CLASS_SUCCESS && !s->allocate_ok_frame) {
        s->allocate_ok_frame = pinfo->num;
        s->allocate_error = 0;
    } else if (m->cls == MSTURN_CLASS_ERROR && !s->allocate_ok_frame) {
        s->allocate_error = m->has_error ? m->error_code : 0;
        s->last_alloc_error_frame = pinfo->num;
        if (m->has_error && m->error_code == 401)
            s->n_401++;
        if (m->has_error && m->error_code == 438)
            s->n_438++;
    }
    if (m->cls == MSTURN_CLASS_SUCCESS && m->has_lifetime) {
        s->lifetime = m->lifetime;
        s->lifetime_from = pinfo->abs_ts;
    }
}

void
msturn_store_set_relayed(msturn_session *s, const address *a, uint16_t port)
{
    msturn_session *other;

    if (s->has_relayed)
        return;
    msturn_store_set_endpoint(&s->relayed, a, port);
    s->has_relayed = 1;
    if (msturn_store_find_relayed(a, port) == NULL)
        wmem_map_insert(by_relayed, new_key(a, port), s);
    /* a session that already talks to this address is on the same path */
    other = (msturn_session *)wmem_map_lookup(by_peer, &s->relayed);
    if (other != NULL)
        link_sessions(s, other);
    dialog_names(s, a, port);
}

void
msturn_store_note_peer(msturn_session *s, const address *a, uint16_t port)
{
    msturn_endpoint e;
    msturn_session *other;

    e.addr = *a;
    e.port = port;
    if (wmem_map_lookup(by_peer, &e) == NULL)
        wmem_map_insert(by_peer, new_key(a, port), s);
    other = (msturn_session *)wmem_map_lookup(by_relayed, &e);
    if (other != NULL)
        link_sessions(s, other);
    dialog_names(s, a, port);
}

/* msturn_dialog.c - the registry of SIP dialogs, their SDP descriptions,
 * the candidates that name endpoints, and the ICE passwords they announce.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "msturn_dialog.h"

#include <string.h>

static wmem_map_t *by_call_id;     /* Call-ID -> dialog */
static wmem_map_t *by_endpoint;    /* candidate endpoint -> dialog (first) */
static wmem_map_t *passwords;      /* ufrag -> msturn_ice_password */
static wmem_array_t *password_list; /* the same, in order announced */
static unsigned n_dialogs, n_creds, creds_dropped;

typedef struct {
    address  addr;
    uint16_t port;
} ep_key;

static unsigned
ep_hash(gconstpointer k)
{
    const ep_key *e = (const ep_key *)k;
    return add_address_to_hash(e->port, &e->addr);
}

static gboolean
ep_equal(gconstpointer a, gconstpointer b)
{
    const ep_key *x = (const ep_key *)a, *y = (const ep_key *)b;
    return x->port == y->port && addresses_equal(&x->addr, &y->addr);
}

void
msturn_dialog_init(void)
{
    by_call_id = wmem_map_new(wmem_file_scope(), g_str_hash, g_str_equal);
    by_endpoint = wmem_map_new(wmem_file_scope(), ep_hash, ep_equal);
    passwords = wmem_map_new(wmem_file_scope(), g_str_hash, g_str_equal);
    password_list = wmem_array_new(wmem_file_scope(), sizeof(msturn_ice_password *));
    n_dialogs = n_creds = creds_dropped = 0;
}

msturn_dialog *
msturn_dialog_get(const char *call_id, int create)
{
    msturn_dialog *d = (msturn_dialog *)wmem_map_lookup(by_call_id, call_id);

    if (d != NULL || !create)
        return d;
    if (n_dialogs >= MSTURN_MAX_DIALOGS)
        return NULL;
    d = wmem_new0(wmem_file_scope(), msturn_dialog);
    d->call_id = wmem_strdup(wmem_file_scope(), call_id);
    wmem_map_insert(by_call_id, d->call_id, d);
    n_dialogs++;
    return d;
}

static void
index_endpoint(msturn_dialog *d, const address *a, uint16_t port)
{
    ep_key k, *nk;
    k.addr = *a;
    k.port = port;
    if (a->type == AT_NONE || wmem_map_lookup(by_endpoint, &k) != NULL)
        return;
    nk = wmem_new0(wmem_file_scope(), ep_key);
    copy_address_wmem(wmem_file_scope(), &nk->addr, a);
    nk->port = port;
    wmem_map_insert(by_endpoint, nk, d);
}

static void
keep_password(msturn_dialog *d, msturn_sdp *sdp)
{
    msturn_ice_password *p;

    if (sdp->ufrag == NULL || sdp->pwd == NULL || wmem_map_lookup(passwords, sdp->ufrag) != NULL)
        return;
    if (n_creds >= MSTURN_MAX_CREDENTIALS) {
        creds_dropped++;
        return;
    }
    p = wmem_new0(wmem_file_scope(), msturn_ice_password);
    p->password = sdp->pwd;
    p->dialog = d;
    p->sdp = sdp;
    wmem_map_insert(passwords, sdp->ufrag, p);
    wmem_array_append_one(password_list, p);
    n_creds++;
}

msturn_sdp *
msturn_dialog_add_sdp(msturn_dialog *d, const msturn_sdp *in)
{
    msturn_sdp *sdp;
    unsigned i;

    if (d->n_sdps >= MSTURN_MAX_SDPS)
        return NULL;
    sdp = &d->sdps[d->n_sdps++];
    *sdp = *in;
    copy_address_wmem(wmem_file_scope(), &sdp->sender, &in->sender);
    sdp->ufrag = in->ufrag ? wmem_strdup(wmem_file_scope(), in->ufrag) : NULL;
    sdp->pwd = in->pwd ? wmem_strdup(wmem_file_scope(), in->pwd) : NULL;
    for (i = 0; i < sdp->n_cands; i++) {
        msturn_sdp_candidate_t *c = &sdp->cands[i];
        copy_address_wmem(wmem_file_scope(), &c->addr, &in->cands[i].addr);
        index_endpoint(d, &c->addr, c->port);
        if (c->has_related) {
            copy_address_wmem(wmem_file_scope(), &c->raddr, &in->cands[i].raddr);
            if (c->type == MSTURN_CAND_RELAY)   /* its base: the allocation's client */
                index_endpoint(d, &c->raddr, c->rport);
        }
    }
    keep_password(d, sdp);
    return sdp;
}

msturn_dialog *
msturn_dialog_by_candidate(const address *a, uint16_t port)
{
    ep_key k;
    if (by_endpoint == NULL)
        return NULL;
    k.addr = *a;
    k.port = port;
    return (msturn_dialog *)wmem_map_lookup(by_endpoint, &k);
}

int
msturn_dialog_password(const char *ufrag, msturn_ice_password *out)
{
    const msturn_ice_password *p;
    if (passwords == NULL || (p = (const msturn_ice_password *)wmem_map_lookup(passwords, ufrag)) == NULL)
        return 0;
    *out = *p;
    return 1;
}

int
msturn_dialog_each_password(int (*fn)(const msturn_ice_password *p, void *data), void *data)
{
    unsigned i;
    int r;
    if (password_list == NULL)
        return 0;
    for (i = 0; i < wmem_array_get_count(password_list); i++)
        if ((r = fn(*(const msturn_ice_password **)wmem_array_index(password_list, i), data)) != 0)
            return r;
    return 0;
}

unsigned
msturn_dialog_credentials_dropped(void)
{
    return creds_dropped;
}

int
msturn_dialog_announced(const msturn_dialog *d, const char *ufrag, size_t len)
{
    unsigned i;
    for (i = 0; i < d->n_sdps; i++) {
        const char *u = d->sdps[i].ufrag;
        if (u && strlen(u) == len && strncmp(u, ufrag, len) == 0)
            return 1;
    }
    return 0;
}

msturn_dialog_outcome
msturn_dialog_outcome_of(const msturn_dialog *d)
{
    bool answered = d->answer_status >= 200 && d->answer_status < 300;

    if (answered && d->bye_frame)
        return MSTURN_OUTCOME_BYE;
    if (answered && d->reinvite_status >= 300)
        return MSTURN_OUTCOME_REINVITE_REFUSED;
    if (answered)
        return d->ack_frame ? MSTURN_OUTCOME_ANSWERED : MSTURN_OUTCOME_NO_ACK;
    /* RFC 3261 9.2: a cancelled INVITE is answered 487; a CANCEL that
     * crossed a 2xx changes nothing (handled above) */
    if (d->cancel_frame)
        return MSTURN_OUTCOME_CANCELLED;
    if (d->answer_status >= 300)
        return MSTURN_OUTCOME_REFUSED;
    return MSTURN_OUTCOME_NO_ANSWER;
}

bool
msturn_dialog_failed(const msturn_dialog *d)
{
    msturn_dialog_outcome o = msturn_dialog_outcome_of(d);

    /* a BYE alone is how a dialog ends; with diagnostics, a server says why */
    return o == MSTURN_OUTCOME_REFUSED || o == MSTURN_OUTCOME_CANCELLED ||
           o == MSTURN_OUTCOME_REINVITE_REFUSED ||
           (o == MSTURN_OUTCOME_BYE && (d->bye_diag || d->reinvite_status >= 300));
}

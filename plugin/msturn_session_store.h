/* msturn_session_store.h - where sessions live: the file-scoped registry of
 * sessions and the indexes that find one from what a frame or a message
 * names (CONNECTION-ID, relayed address, client, peer).  The bottom of the
 * session model: it calls nothing above it.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MSTURN_SESSION_STORE_H
#define MSTURN_SESSION_STORE_H

#include "msturn_session_model.h"

/* A CONNECTION-ID's link in its session. */
typedef struct {
    msturn_session *session;
    unsigned        link;
} msturn_link_ref;

void     msturn_store_init(void);
unsigned msturn_store_count(void);
/* How many of them a SIP dialog is linked to. */
unsigned msturn_store_count_with_dialog(void);

/* A new session for the Allocate request in pinfo, numbered from 1. */
msturn_session *msturn_store_new(packet_info *pinfo, int ms);

void msturn_store_set_endpoint(msturn_endpoint *e, const address *a, uint16_t port);

/* A new link of s (NULL beyond MSTURN_MAX_LINKS, counted as dropped). */
msturn_link *msturn_store_add_link(msturn_session *s, packet_info *pinfo, const address *peer,
                                   uint16_t peer_port);
/* The link of s whose peer is that endpoint, or NULL. */
msturn_link *msturn_store_link_to(msturn_session *s, const address *peer, uint16_t peer_port);

/* The peer of a TURN relay s at that transport address, made if create
 * and there is room (NULL beyond MSTURN_MAX_PEERS, counted as dropped).  A
 * peer a CreatePermission made (port 0) takes the first port used. */
msturn_peer *msturn_store_peer(msturn_session *s, const address *ip, uint16_t port, bool create);
/* The permission of s for that IP address (RFC 8656 9), made if create:
 * with a peer at ip and port (as the CreatePermission named it) if no peer
 * has that address yet. */
msturn_permission *msturn_store_permission(msturn_session *s, const address *ip, uint16_t port,
                                           bool create);

void             msturn_store_index_cid(msturn_session *s, const msturn_link *l);
msturn_link_ref *msturn_store_find_cid(const address *server, uint32_t cid);

/* What an Allocate response says of the allocation, in every kind: the
 * first success, the last error while not allocated (RFC 8656 7.3), the
 * granted LIFETIME. */
void msturn_store_allocate_answer(msturn_session *s, const packet_info *pinfo,
                                  const msturn_msg_info *m);

/* The relayed address of s (first one wins), and the session that owns an
 * endpoint as its relayed address. */
void            msturn_store_set_relayed(msturn_session *s, const address *a, uint16_t port);
msturn_session *msturn_store_find_relayed(const address *a, uint16_t port);

/* The latest session of a client on a TURN server. */
msturn_session *msturn_store_latest(const address *client, const address *server, uint16_t port);

/* The session whose control connection's client is that endpoint (the
 * base of its relay candidate), and the first that talks to that peer. */
msturn_session *msturn_store_find_client(const address *a, uint16_t port);
msturn_session *msturn_store_find_peer(const address *a, uint16_t port);

/* A session of kind "SIP signalling only" for a presentation dialog that
 * failed with no TURN session tied to it: numbered as the others, its
 * client the first INVITE's sender, its dialog d. */
msturn_session *msturn_store_new_signalling(packet_info *pinfo, struct msturn_dialog *d);

/* Tie a session and a SIP dialog (each has at most one). */
void msturn_store_link_dialog(msturn_session *s, struct msturn_dialog *d);

/* s talks to that peer: an RFC 6062 session whose relayed address it is, or
 * an [MS-TURN] session that relays from it, is on the same media path. */
void msturn_store_note_peer(msturn_session *s, const address *a, uint16_t port);

#endif

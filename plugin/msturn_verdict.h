/* msturn_verdict.h - what a session's state means: its verdict, kind and
 * path verdict, read only (msturn_verdict.c).
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MSTURN_VERDICT_H
#define MSTURN_VERDICT_H

#include "msturn_session_model.h"

/* Verdict text for the sessions table and expert info. */
const char *msturn_session_verdict(const msturn_session *s, wmem_allocator_t *pool);
/* Where a link's ICE checks (MSTURN_ICE_* bits) fall short, first missing
 * step first; MSTURN_ICE_STATE_VALID when nothing is missing. */
typedef enum {
    MSTURN_ICE_STATE_NONE = 0,
    MSTURN_ICE_STATE_NO_OK_FROM_PEER,
    MSTURN_ICE_STATE_NO_OK_FROM_CLIENT,
    MSTURN_ICE_STATE_NO_REQ_FROM_PEER,
    MSTURN_ICE_STATE_NO_REQ_FROM_CLIENT,
    MSTURN_ICE_STATE_VALID,
    MSTURN_ICE_STATES
} msturn_ice_state;

msturn_ice_state msturn_ice_state_of(unsigned ice);
const char *msturn_ice_text(unsigned ice);
/* The relay candidates of one offer or answer sent by the session's client
 * (0 for the other side's); *allocated set if one is the relayed address. */
struct msturn_sdp_t;
unsigned    msturn_sdp_relay_candidates(const msturn_session *s, const struct msturn_sdp_t *sdp,
                                        int *allocated);
/* The ICE bits of an [MS-TURN] session, wherever its checks were seen. */
unsigned    msturn_session_ms_ice(const msturn_session *s);

/* A TURN relay's peer (RFC 8656): how far it got, first that applies. */
typedef enum {
    MSTURN_PEER_ICE_VALID = 0,        /* the four kinds of check relayed */
    MSTURN_PEER_PERMISSION_REFUSED,   /* CreatePermission failed, never installed */
    MSTURN_PEER_CHANNEL_REFUSED,      /* ChannelBind failed, never bound */
    MSTURN_PEER_NO_PERMISSION,        /* a Send indication without a permission */
    MSTURN_PEER_NOTHING_BACK,         /* sent to, nothing relayed back */
    MSTURN_PEER_NOTHING_SENT,         /* heard from, nothing sent to */
    MSTURN_PEER_ICE_PARTIAL,          /* checks, not all four kinds */
    MSTURN_PEER_DATA,                 /* data both ways, no checks */
    MSTURN_PEER_NO_DATA,
    MSTURN_PEER_STATES
} msturn_peer_state;

msturn_peer_state msturn_peer_state_of(const msturn_session *s, const msturn_peer *p);
const char *msturn_peer_verdict(const msturn_session *s, const msturn_peer *p, wmem_allocator_t *pool);
/* The permission of its address, NULL if none was asked for or installed. */
const msturn_permission *msturn_peer_permission(const msturn_session *s, const msturn_peer *p);
/* Its MSTURN_ICE_* bits, from the checks counted. */
unsigned    msturn_peer_ice(const msturn_peer *p);
/* "ip:port" (the first non-zero port named), "[ip]:port", or "ip". */
char       *msturn_peer_text(const msturn_peer *p, wmem_allocator_t *pool);

/* The kind of a session, for the table and msturn.session.kind. */
msturn_session_kind msturn_session_kind_of(const msturn_session *s);
const char *msturn_session_kind_name(msturn_session_kind k);

/* Verdict of a session and the sessions linked to it, leg by leg ("path
 * valid", or which leg failed); NULL when it has no linked session. */
const char *msturn_session_path_verdict(const msturn_session *s, wmem_allocator_t *pool, bool full);

/* A number that changes whenever the session's row (with its links) may. */
uint32_t msturn_session_stamp(const msturn_session *s);

#endif

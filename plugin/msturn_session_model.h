/* msturn_session_model.h - what msturn knows of a presentation session: one
 * TURN allocation and every TCP connection that belongs to it (control,
 * data, peer), with the ICE checks seen on them.  Types only: the files of
 * the session model (msturn_session*.c, msturn_verdict.c) and the SIP
 * dialog share them.  State lives in file scope and is bounded per session.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MSTURN_SESSION_MODEL_H
#define MSTURN_SESSION_MODEL_H

#include "msturn.h"

/* Bounds on what one session keeps (memory bounded by design). */
#define MSTURN_MAX_LINKS 32   /* CONNECTION-IDs (RFC 6062) or peers ([MS-TURN]) per session */
#define MSTURN_MAX_LINKED 4   /* sessions of another TURN server on the same path */
#define MSTURN_MAX_PEERS 32   /* peers, and permissions, per TURN relay allocation */
#define MSTURN_MAX_DROPPED_PEERS 1024 /* peers beyond it counted one by one */

/* What kind of allocation a session is. */
typedef enum {
    MSTURN_KIND_RFC6062 = 0,  /* TCP relay, RFC 6062: control, data and peer connections */
    MSTURN_KIND_MSTURN,       /* [MS-TURN] allocation: data relayed over the control connection */
    MSTURN_KIND_TURN,         /* RFC 8656 UDP relay, allocated over UDP, TCP or TLS */
    MSTURN_KIND_SIP           /* a presentation dialog that failed with no TURN session of its own */
} msturn_session_kind;

typedef enum {
    MSTURN_ROLE_NONE = 0,
    MSTURN_ROLE_CONTROL,
    MSTURN_ROLE_DATA,
    MSTURN_ROLE_PEER,
    MSTURN_ROLE_SIP           /* a SIP message of the session's dialog */
} msturn_role;

/* ICE connectivity checks seen on a link (RFC 8445 7.2; the seed's rule:
 * a Binding Request and a Binding Success Response in each direction). */
#define MSTURN_ICE_REQ_FROM_CLIENT 0x1u
#define MSTURN_ICE_OK_FROM_CLIENT  0x2u
#define MSTURN_ICE_REQ_FROM_PEER   0x4u
#define MSTURN_ICE_OK_FROM_PEER    0x8u
#define MSTURN_ICE_ALL             0xFu

typedef struct {
    address  addr;
    uint16_t port;
} msturn_endpoint;

/* One peer connection of an allocation, named by its CONNECTION-ID
 * (RFC 6062 4.3 ConnectionAttempt, 4.2 Connect). */
typedef struct {
    uint32_t        connection_id;
    msturn_endpoint peer;
    int             has_peer;
    uint32_t        attempt_frame;    /* ConnectionAttempt indication */
    uint32_t        connect_frame;    /* or client's Connect request */
    nstime_t        announced_ts;
    uint32_t        bind_frame;       /* ConnectionBind request */
    nstime_t        bind_ts;
    uint32_t        bind_ok_frame;
    unsigned        bind_error;       /* error code of the ConnectionBind, 0 if none */
    unsigned        connect_error;
    unsigned        ice;              /* MSTURN_ICE_* bits */
} msturn_link;

/* Which way relayed data went, as counted per peer. */
#define MSTURN_TO_PEER   0    /* Send indications, the client's ChannelData */
#define MSTURN_FROM_PEER 1    /* Data indications, the server's ChannelData */

/* ICE checks relayed for a peer, counted by kind (RFC 8445 7.2): */
enum {
    MSTURN_CHECK_REQ_TO_PEER = 0,   /* Binding requests the client sent */
    MSTURN_CHECK_OK_FROM_PEER,      /* success responses the peer sent back */
    MSTURN_CHECK_REQ_FROM_PEER,     /* Binding requests of the peer */
    MSTURN_CHECK_OK_TO_PEER,        /* the client's success responses */
    MSTURN_CHECKS
};

/* A permission of a TURN relay allocation: per IP address, whatever the
 * port (RFC 8656 9).  A ChannelBind success installs one too (12.2).  A
 * request's transaction ID finds the answer meant for it. */
typedef struct {
    address         ip;
    uint32_t        frame;            /* first CreatePermission request naming it */
    uint32_t        ok_frame;         /* first success that installed it */
    nstime_t        ts;               /* the last one, which it lasts 300 s from */
    unsigned        error;            /* last CreatePermission error, not 401/438 */
    uint32_t        error_frame;
    uint8_t         tid[16];
} msturn_permission;

/* One peer of a TURN relay allocation: a transport address the client
 * sends to or hears from, binds a channel to, or (port 0) only permits. */
typedef struct {
    address         ip;
    uint16_t        port;             /* 0: named by a CreatePermission alone so far */
    uint32_t        version;          /* bumped by every change the peers table shows */
    /* ChannelBind (RFC 8656 12) */
    uint16_t        channel;
    uint32_t        chan_frame;
    uint32_t        chan_ok_frame;
    unsigned        chan_error;
    uint32_t        chan_error_frame;
    uint8_t         chan_tid[16];
    /* what went through the relay, each way (MSTURN_TO_PEER, _FROM_PEER) */
    uint32_t        pkts[2];
    uint64_t        bytes[2];
    uint32_t        first_frame[2];
    uint32_t        checks[MSTURN_CHECKS];
    uint32_t        first_check_frame;
    uint32_t        ice_valid_frame;  /* the check that completed the four kinds */
    uint32_t        unpermitted_frame; /* first Send indication without a permission */
} msturn_peer;

typedef struct msturn_session {
    uint32_t        number;           /* from 1, in order of first Allocate */
    uint32_t        version;          /* bumped by every change the table shows */
    int             ms;               /* an [MS-TURN] allocation */
    bool            sip_only;         /* no allocation: a failed presentation dialog alone */
    int             tcp;              /* its control connection is TCP */
    msturn_endpoint client;
    msturn_endpoint server;
    msturn_endpoint relayed;
    int             has_relayed;
    uint32_t        allocate_frame;   /* first Allocate request */
    int             udp_relay;        /* REQUESTED-TRANSPORT UDP: no RFC 6062 connections */
    uint32_t        allocate_ok_frame;
    unsigned        allocate_error;   /* last Allocate error code while not allocated */
    unsigned        n_401;
    unsigned        n_438;
    unsigned        refresh_error;
    unsigned        permission_error; /* CreatePermission error code */
    uint32_t        lifetime;         /* last granted lifetime (s) */
    nstime_t        lifetime_from;
    int             deallocated;
    uint32_t        dealloc_frame;    /* the success that granted LIFETIME 0 */
    uint32_t        expired_frame;    /* first message after the lifetime ran out */
    nstime_t        first_ts;
    nstime_t        last_ts;
    unsigned        n_links;
    unsigned        links_dropped;    /* CONNECTION-IDs beyond the bound */
    unsigned        links_alloc;      /* room in links, grown on demand up to the bound */
    msturn_link    *links;            /* file scope; most sessions have one or two */
    unsigned        ice_unlinked;     /* checks seen before any link existed */
    /* [MS-TURN] allocations ([MS-TURN] 3.2): peers are links without a
     * CONNECTION-ID; the ICE checks travel inside Send Requests, Data
     * Indications and 2.1.4 end-to-end data on the control connection. */
    msturn_endpoint relayed6;         /* MS-ALTERNATE-MAPPED-ADDRESS, or a TURN relay's
                                       * second XOR-RELAYED-ADDRESS (RFC 8656 7.1) */
    int             has_relayed6;
    unsigned        ice;              /* MSTURN_ICE_* bits of the relayed checks */
    uint32_t        sad_frame;        /* first Set Active Destination request */
    uint32_t        sad_ok_frame;
    unsigned        sad_error;
    uint32_t        last_alloc_error_frame; /* last Allocate error while not allocated */
    /* A TURN relay's peers (RFC 8656 9, 11, 12), grown on demand. */
    unsigned        n_peers;
    unsigned        peers_alloc;
    unsigned        peers_dropped;    /* distinct peers beyond MSTURN_MAX_PEERS (up to
                                       * MSTURN_MAX_DROPPED_PEERS of them) */
    wmem_map_t     *dropped_peers;    /* their addresses, to count each once */
    msturn_peer    *peers;
    unsigned        n_perms;          /* and its permissions, as many at most */
    unsigned        perms_alloc;
    msturn_permission *perms;
    /* Sessions of the other TURN server on the same media path: an
     * [MS-TURN] peer that is an RFC 6062 relayed address, or the reverse. */
    unsigned        n_linked;
    struct msturn_session *linked[MSTURN_MAX_LINKED];
    /* The SIP dialog whose SDP names this allocation (msturn_dialog.h), and
     * what its signalling lets msturn judge. */
    struct msturn_dialog *dialog;
    uint32_t        ice_valid_frame;  /* the check that made a link's ICE valid */
    nstime_t        ice_valid_ts;
    int             reinvite_overdue; /* ICE valid, no re-INVITE within MSTURN_REINVITE_S */
    unsigned        sdp_hmac_bad;     /* checks failing MESSAGE-INTEGRITY against an SDP password */
    unsigned        ufrag_mismatch;   /* checks whose USERNAME the SDP did not announce */
} msturn_session;

/* The controlling agent updates the offer once ICE completes (RFC 8445
 * 8.1.2, [MS-ICE2] 3.1.4.8.3): msturn waits this long for the re-INVITE. */
#define MSTURN_REINVITE_S 10

#endif

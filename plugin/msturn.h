/* msturn.h - what every epan-facing file of the plugin shares: the
 * protocol's id, the tree test and what one decoded message said.  No
 * functions: each file's own header declares what it offers.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MSTURN_H
#define MSTURN_H

#include "msturn_compat.h"
#include <epan/conversation.h>
#include <epan/expert.h>
#include <epan/packet.h>
#include <epan/prefs.h>
#include <wsutil/nstime.h>

#include "msturn_framing.h"
#include "msturn_methods.h"

extern int proto_msturn;      /* msturn_conv.c */

/* The tree msturn should fill: none when the tree is there only for fields
 * of other protocols (a display filter, a postdissector's wanted fields)
 * and no msturn field is referenced; proto_field_is_referenced() is true
 * for a visible tree and for a protocol one of whose fields is primed. */
static inline proto_tree *
msturn_tree(proto_tree *tree)
{
    return tree && proto_field_is_referenced(tree, proto_msturn) ? tree : NULL;
}

/* Will anything read the labels of items added to tree: a tree shown whole
 * (-V, the packet details), not one that only holds the fields a display
 * filter or -T fields asks for, whose items are faked. */
static inline bool
msturn_tree_visible(const proto_tree *tree)
{
    return tree != NULL && PTREE_DATA(tree)->visible;
}

/* What one dissected message said, for Info, transactions and sessions. */
/* Distinct peer addresses a message's XOR-PEER-ADDRESS attributes name that
 * msturn reads: as many as a TURN relay keeps (MSTURN_MAX_PEERS). */
#define MSTURN_MSG_PEERS 32

typedef struct {
    uint16_t      type;
    unsigned      method;
    unsigned      cls;
    msturn_flavor flavor;
    int           microsoft;        /* [MS-TURN] dialect: MAGIC-COOKIE is the first attribute */
    const msturn_ms_type_def *ms_type; /* its [MS-TURN] 2.2.1 type, if the dialect has it */
    int           nested;           /* carried in the DATA attribute of another message */
    int           header_only;      /* only the header was read: nothing will show the rest */
    uint8_t       id[16];           /* transaction ID (12 or 16 bytes) */
    unsigned      id_len;
    /* attribute values of interest, with has_* flags */
    int           has_connection_id;
    uint32_t      connection_id;
    int           has_error;
    unsigned      error_code;
    const char   *error_reason;     /* reason phrase as sent, in pinfo->pool */
    int           has_peer;
    address       peer;             /* XOR-PEER-ADDRESS, XOR undone; in [MS-TURN] */
    uint16_t      peer_port;        /* DESTINATION-ADDRESS or REMOTE-ADDRESS */
    int           has_relayed;
    address       relayed;
    uint16_t      relayed_port;
    int           has_relayed2;     /* a second XOR-RELAYED-ADDRESS (RFC 8656 7.1: */
    address       relayed2;         /* the other family, ADDITIONAL-ADDRESS-FAMILY) */
    uint16_t      relayed2_port;
    /* the XOR-PEER-ADDRESS values of the message, one per IP address, up to
     * MSTURN_MSG_PEERS: a CreatePermission may name several (RFC 8656 10.1) */
    unsigned      n_peers;
    address       peers[MSTURN_MSG_PEERS];
    uint16_t      peer_ports[MSTURN_MSG_PEERS];
    int           has_ms_relay;     /* [MS-TURN] 3.2.5.1: MAPPED-ADDRESS of an Allocate */
    address       ms_relay;         /* response is the allocated address, */
    uint16_t      ms_relay_port;
    int           has_ms_relay6;    /* MS-ALTERNATE-MAPPED-ADDRESS its IPv6 twin */
    address       ms_relay6;
    uint16_t      ms_relay6_port;
    int           has_lifetime;
    uint32_t      lifetime;
    int           has_ms_version;   /* MS-VERSION 0x8008: a Microsoft allocation */
    int           has_channel;      /* CHANNEL-NUMBER (RFC 8656 18.1) */
    uint16_t      channel;
    int           has_transport;    /* REQUESTED-TRANSPORT: 6 TCP (RFC 6062), 17 UDP */
    uint8_t       transport;
    int           hmac_sdp_bad;     /* MESSAGE-INTEGRITY fails against an SDP's ICE password */
    const char   *username;         /* USERNAME and REALM values, in pinfo->pool, */
    const char   *realm;            /* to pick the credentials for MESSAGE-INTEGRITY */
    int           has_data;         /* a DATA attribute (RFC 8656 18.4, [MS-TURN] 2.2.2.12): */
    int           data_off;         /* its value's offset and length in the message, */
    int           data_len;
    proto_tree   *data_tree;        /* and its subtree, where its contents are shown */
} msturn_msg_info;

#endif

/* msturn.h - declarations shared by the plugin's epan-facing files. */
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

extern int proto_msturn;

/* The tree msturn should fill: none when the tree is there only for fields
 * of other protocols (a display filter, a postdissector's wanted fields)
 * and no msturn field is referenced; proto_field_is_referenced() is true
 * for a visible tree and for a protocol one of whose fields is primed. */
static inline proto_tree *
msturn_tree(proto_tree *tree)
{
    return tree && proto_field_is_referenced(tree, proto_msturn) ? tree : NULL;
}

/* Preferences (packet-msturn.c). */

/* What one dissected message said, for Info, transactions and sessions. */
typedef struct {
    uint16_t      type;
    unsigned      method;
    unsigned      cls;
    msturn_flavor flavor;
    int           microsoft;        /* [MS-TURN] dialect: MAGIC-COOKIE is the first attribute */
    const msturn_ms_type_def *ms_type; /* its [MS-TURN] 2.2.1 type, if the dialect has it */
    int           nested;           /* carried in the DATA attribute of another message */
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

/* Per-TCP/UDP-conversation state, in file scope.  Each "since" member is the
 * first frame from which a property holds (0: never), so that a frame is
 * dissected the same way in every pass. */
struct msturn_session;

typedef struct {
    uint32_t    known_since;
    uint32_t    ms_framing_since;
    uint32_t    relay4571_since;
    uint32_t    channels_since;
    uint32_t    turn_since;          /* a TURN method (RFC 8656 13) seen on this 5-tuple */
    /* channel number -> first frame it is bound from (ChannelBind success,
     * RFC 8656 11); the number asked for by the last ChannelBind request */
    wmem_map_t *bound_channels;
    uint16_t    requested_channel;
    uint32_t    relay_since;         /* after ConnectionBind success: peer bytes */
    int         pseudo_tls;          /* [MS-TURN] 2.1.3 pseudo-TLS before the framing */
    wmem_map_t *transactions;
    /* the side that sent the first request: tells direction */
    address     client_addr;
    uint16_t    client_port;
    int         has_client;
    /* the presentation session this connection belongs to */
    struct msturn_session *session;
    int         role;                /* msturn_role */
    int         link;                /* index of its link in the session, or -1 */
    uint32_t    unknown_cid_frame;   /* ConnectionBind with an unknown CONNECTION-ID */
} msturn_conv;

msturn_conv *msturn_conv_get(packet_info *pinfo, int create);
unsigned     msturn_conv_ctx(const msturn_conv *c, uint32_t frame);

/* msturn_message.c: one STUN message, tvb holding exactly that message. */
void msturn_message_register(int proto);
int  msturn_dissect_message(tvbuff_t *tvb, packet_info *pinfo, proto_item *top, proto_tree *tree,
                            msturn_conv *conv, msturn_flavor flavor, int nested,
                            msturn_msg_info *info);

/* msturn_attrs.c: the attributes of one message. */
void msturn_attrs_register(int proto);
void msturn_dissect_attributes(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                               proto_item *msg_item, msturn_msg_info *info, wmem_strbuf_t *summary);
int  msturn_first_attr_is_ms_cookie(tvbuff_t *tvb);
const char *msturn_attr_name(uint16_t type, int microsoft);

/* msturn_tcp.c: framing, reassembly and the heuristics. */
void msturn_tcp_register(int proto);
void msturn_tcp_handoff(void);
int  msturn_looks_like_pseudo_tls(tvbuff_t *tvb, packet_info *pinfo);
int  msturn_dissect_tcp_port(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data);
int  msturn_dissect_tcp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data);
int  msturn_dissect_udp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data);
msturn_heur_result msturn_heur_tcp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data);
msturn_heur_result msturn_heur_udp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data);

/* packet-msturn.c */
void proto_register_msturn(void);
void proto_reg_handoff_msturn(void);
int  msturn_udp_wanted(void);

extern dissector_handle_t msturn_tcp_handle;
extern dissector_handle_t msturn_udp_handle;

#endif

/* msturn_attr_table.h - the one table of STUN/TURN/MS-TURN attributes.
 *
 * Every attribute msturn knows is one row: its type, its display name, the
 * suffix of its filter field (msturn.att.<field>), the specification that
 * defines it and the kind of value it carries.  Decoders exist per value kind,
 * not per attribute, so adding an attribute is adding a row.
 *
 * This header is pure data: no epan dependency.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MSTURN_ATTR_TABLE_H
#define MSTURN_ATTR_TABLE_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    MSTURN_VK_OPAQUE,        /* raw bytes */
    MSTURN_VK_EMPTY,         /* no value (a flag such as USE-CANDIDATE) */
    MSTURN_VK_STRING,        /* UTF-8 text */
    MSTURN_VK_UINT8,         /* 1 byte, then 3 reserved bytes */
    MSTURN_VK_UINT16,        /* 2 bytes, then 2 reserved bytes */
    MSTURN_VK_UINT32,        /* 4 bytes */
    MSTURN_VK_UINT64,        /* 8 bytes (ICE tie-breakers) */
    MSTURN_VK_ADDRESS,       /* reserved, family, port, IPv4/IPv6 */
    MSTURN_VK_XOR_ADDRESS,   /* as ADDRESS, XORed with cookie/transaction ID */
    MSTURN_VK_ERROR_CODE,    /* class, number, reason phrase */
    MSTURN_VK_ATTR_LIST,     /* list of 16-bit attribute types */
    MSTURN_VK_INTEGRITY,     /* HMAC over the message */
    MSTURN_VK_FINGERPRINT,   /* CRC-32 of the message xor 0x5354554e */
    MSTURN_VK_PROTOCOL,      /* protocol number, then 3 reserved bytes */
    MSTURN_VK_FAMILY,        /* address family, then 3 reserved bytes */
    MSTURN_VK_FLAGS32,       /* 32-bit flag word (CHANGE-REQUEST, EVEN-PORT...) */
    MSTURN_VK_MS_SEQUENCE,   /* MS-SEQUENCE-NUMBER: 20-byte connection ID, 32-bit number */
    MSTURN_VK_MS_QUALITY,    /* MS-SERVICE-QUALITY: stream type, service quality */
    MSTURN_VK_MS_SITE_RESPONSE, /* flags, max send, max receive bandwidth */
    MSTURN_VK_MS_BANDWIDTH,  /* bandwidth reservation amount: 4 x 32-bit kbps */
    MSTURN_VK_MAGIC_COOKIE,  /* MS-TURN MAGIC-COOKIE (0x72C64BC6) */
    MSTURN_VK_USERNAME,      /* text, or an opaque token ([MS-TURN] Send Request) */
    MSTURN_VK_MS_LOCATION,   /* [MS-TURNBWM] 2.2.14: peer, self location, federation */
    MSTURN_VK_MS_BW_ACM,     /* [MS-TURNBWM] 2.2.1: reserved, message type */
    MSTURN_VK_DATA,          /* relayed application data, offered to subdissectors */
    MSTURN_VK_CHANGE_REQUEST, /* RFC 5780 7.2: flags A (change IP), B (change port) */
    MSTURN_VK_EVEN_PORT,     /* RFC 8656 18.7: R bit, 7 reserved bits */
    MSTURN_VK_ADDRESS_ERROR, /* RFC 8656 18.12: family, class, number, reason */
    MSTURN_VK_ICMP,          /* RFC 8656 18.13: reserved, ICMP type, code, error data */
    MSTURN_VK_PASSWORD_ALGS, /* RFC 8489 14.11/14.12: algorithm, parameter length, parameters */
    MSTURN_VK_GOOG_NETWORK,  /* GOOG-NETWORK-INFO: 16-bit network ID, 16-bit network cost */
    MSTURN_VK_TRANSMIT_COUNTER /* RFC 7982 3.1: reserved, request and response counts */
} msturn_value_kind;

/* Names of the values of a number attribute, ended by a NULL name. */
typedef struct {
    uint32_t    value;
    const char *name;
} msturn_value_name;

typedef struct {
    uint16_t          type;
    const char       *name;   /* as users know it: "XOR-PEER-ADDRESS" */
    const char       *field;  /* filter suffix: "xor_peer" -> msturn.att.xor_peer */
    const char       *spec;   /* where it is defined: "RFC 8656 18.3" */
    msturn_value_kind kind;
    /* Summary in the Info column: NULL for none; "label" appends
     * " label: value"; "" appends the value alone; "=text" appends text. */
    const char       *info;
    const msturn_value_name *names;   /* number kinds: what each value means, or NULL */
} msturn_attr_def;

/* Value names of the fields of some value kinds: RFC 8489 14.1 address
 * family, RFC 8656 18.8 protocol, [MS-TURN] 2.2.2.22 stream type and service
 * quality. */
extern const msturn_value_name msturn_family_names[];
extern const msturn_value_name msturn_protocol_names[];
extern const msturn_value_name msturn_ms_stream_type_names[];
extern const msturn_value_name msturn_ms_service_quality_names[];
/* [MS-TURNBWM] 2.2.14 LOCATION-PROFILE and 2.2.1 BANDWIDTH-ADMISSION-CONTROL-MESSAGE. */
extern const msturn_value_name msturn_ms_location_names[];
extern const msturn_value_name msturn_ms_federation_names[];
extern const msturn_value_name msturn_ms_bw_acm_names[];
/* RFC 8489 18.5 STUN Password Algorithms registry. */
extern const msturn_value_name msturn_password_algorithm_names[];
/* The network costs WebRTC agents put in GOOG-NETWORK-INFO. */
extern const msturn_value_name msturn_goog_network_cost_names[];

/* The name of a value in a list of value names, or NULL. */
const char *msturn_value_name_of(const msturn_value_name *names, uint32_t value);

/* Is a USERNAME value text a user can read (UTF-8 without control
 * characters), or a binary token to be shown as bytes? */
int msturn_is_printable_text(const uint8_t *p, size_t len);

/* Rows for IETF attributes and, separately, Microsoft's.  Microsoft's legacy
 * MS-TURN reuses a few IETF code points with other meanings; those rows are in
 * msturn_attr_legacy and take precedence only inside legacy messages. */
extern const msturn_attr_def msturn_attr_ietf[];
extern const size_t msturn_attr_ietf_count;
extern const msturn_attr_def msturn_attr_microsoft[];
extern const size_t msturn_attr_microsoft_count;
extern const msturn_attr_def msturn_attr_legacy[];
extern const size_t msturn_attr_legacy_count;

/* Look an attribute up; legacy selects Microsoft's legacy meanings first.
 * Outside legacy messages, a code point only Microsoft's legacy TURN
 * defines (0x000E..0x0011) keeps that meaning, since nobody else registered
 * it.  Returns NULL for types nobody registered. */
const msturn_attr_def *msturn_attr_lookup(uint16_t type, int legacy);

#endif

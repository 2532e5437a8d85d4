/* SPDX-License-Identifier: GPL-2.0-or-later
 * Copyright (C) 2026 The msturn authors
 */
/* msturn_attr_table_ms.c - Microsoft attribute rows.
 *
 * Two tables, both kept sorted by type (the lookup does a binary search):
 *
 *  - msturn_attr_microsoft: the comprehension-optional (0x80xx) attributes
 *    that [MS-TURN], [MS-TURNBWM] and [MS-ICE2] add.  They are looked up
 *    after the IETF table, so a code point both define keeps its IETF row.
 *
 *  - msturn_attr_legacy: the low code points that legacy MS-TURN (messages
 *    whose first attribute is MAGIC-COOKIE 0x000F = 0x72C64BC6, [MS-TURN]
 *    2.2.2 and 2.2.2.8) uses with meanings other than RFC 5389/8656.  These
 *    take precedence only inside legacy messages.  Code points whose legacy
 *    meaning equals the IETF one (0x0001, 0x0006, 0x0008, 0x0009, 0x000A,
 *    0x000D, 0x0013 DATA, 0x0017 REQUESTED-ADDRESS-FAMILY) have no row here
 *    and fall through to the IETF table.
 *
 * Value layouts, as the specifications give them:
 *  - [MS-TURN] 2.2.2.16 XOR Mapped Address (0x8020) and [MS-TURNBWM] 2.2.4
 *    to 2.2.7 site addresses: reserved, family, X-Port, X-Address, XORed
 *    with the most significant bits of the 128-bit transaction ID, which are
 *    the bytes that hold the magic cookie in an RFC 5389 header.
 *  - [MS-TURN] 2.2.2.10 Destination Address, 2.2.2.11 Remote Address,
 *    2.2.2.23 MS-Alternate Mapped Address: plain (not XORed) addresses.
 *  - [MS-TURN] 2.2.2.21 MS-Sequence Number: 20-byte connection ID, then a
 *    32-bit sequence number.
 *  - [MS-TURN] 2.2.2.22 MS-Service Quality: 16-bit stream type (1 audio,
 *    2 video, 3 supplemental video, 4 data), 16-bit service quality
 *    (0 best effort, 1 reliable delivery).
 *  - [MS-TURNBWM] 2.2.3 Bandwidth Reservation Amount: four 32-bit values in
 *    kbps (minimum/maximum send, minimum/maximum receive).
 *  - [MS-TURNBWM] 2.2.8 to 2.2.11 site address responses: a flag word
 *    (V valid, and F PSTN failover on the non-relay ones), then 32-bit
 *    maximum send and maximum receive bandwidth.
 */
#include "msturn_attr_table.h"

/* [MS-TURN] 2.2.2.17: which protocol versions the sender implements. */
static const msturn_value_name msturn_ms_version_names[] = {
    { 1, "ICE ([MS-ICE])" },
    { 2, "ICE ([MS-ICE2])" },
    { 3, "[MS-ICE2] with HMAC-SHA256 MESSAGE-INTEGRITY" },
    { 4, "[MS-ICE2], HMAC-SHA256 and IPv6" },
    { 5, "as 4, with multiplexed TURN over UDP" },
    { 6, "as 5, with multiplexed TURN over UDP and TCP" },
    { 0, NULL }
};

/* [MS-TURNBWM] 2.2.14 Location Profile: where each end is. */
const msturn_value_name msturn_ms_location_names[] = {
    { 0, "Unknown" },
    { 1, "Internet" },
    { 2, "Intranet" },
    { 0, NULL }
};
const msturn_value_name msturn_ms_federation_names[] = {
    { 0, "No Federation" },
    { 1, "Enterprise Federation" },
    { 2, "Public Cloud Federation" },
    { 0, NULL }
};

/* [MS-TURNBWM] 2.2.1 Bandwidth Admission Control Message: which step of the
 * reservation (3.2.5.1 check, 3.3.5.2 commit, 3.3.5.3 update). */
const msturn_value_name msturn_ms_bw_acm_names[] = {
    { 0, "Reservation Check" },
    { 1, "Reservation Commit" },
    { 2, "Reservation Update" },
    { 0, NULL }
};

/* [MS-TURN] 2.2.2.22 MS-SERVICE-QUALITY. */
const msturn_value_name msturn_ms_stream_type_names[] = {
    { 0x0001, "Audio" },
    { 0x0002, "Video" },
    { 0x0003, "Supplemental video" },
    { 0x0004, "Data" },
    { 0, NULL }
};
const msturn_value_name msturn_ms_service_quality_names[] = {
    { 0x0000, "Best effort delivery" },
    { 0x0001, "Reliable delivery" },
    { 0, NULL }
};

const msturn_attr_def msturn_attr_microsoft[] = {
    /* Sent by Microsoft clients and servers, with no published definition */
    { 0x8006, "MS-UNDOCUMENTED-8006",        "ms_undocumented_8006",   "Microsoft, undocumented", MSTURN_VK_OPAQUE, NULL, NULL },
    /* [MS-TURN] 2.2.2 optional attributes */
    { 0x8008, "MS-VERSION",                  "ms_version",             "MS-TURN 2.2.2.17", MSTURN_VK_UINT32,       "ms-version", msturn_ms_version_names },
    { 0x8020, "MS-XOR-MAPPED-ADDRESS",       "xor_mapped",             "MS-TURN 2.2.2.16", MSTURN_VK_XOR_ADDRESS,  "XOR-MAPPED-ADDRESS", NULL },
    { 0x8032, "MS-ALTERNATE-HOST-NAME",      "ms_alternate_host_name", "MS-TURN 2.2.2",    MSTURN_VK_STRING,       NULL, NULL },
    { 0x8037, "APP-ID",                      "app_id",                 "MS-TURN 2.2.2",    MSTURN_VK_OPAQUE,       NULL, NULL },
    { 0x8039, "SECURE-TAG",                  "secure_tag",             "MS-TURN 2.2.2",    MSTURN_VK_OPAQUE,       NULL, NULL },
    { 0x8050, "MS-SEQUENCE-NUMBER",          "ms_sequence_number",     "MS-TURN 2.2.2.21", MSTURN_VK_MS_SEQUENCE,  NULL, NULL },
    /* [MS-ICE2] 2.2.2 STUN messages: CANDIDATE-IDENTIFIER (Binding requests) */
    { 0x8054, "CANDIDATE-IDENTIFIER",        "candidate_id",           "MS-ICE2 2.2.2",    MSTURN_VK_STRING,       NULL, NULL },
    { 0x8055, "MS-SERVICE-QUALITY",          "ms_service_quality",     "MS-TURN 2.2.2.22", MSTURN_VK_MS_QUALITY,   NULL, NULL },
    /* [MS-TURNBWM] 2.2 bandwidth management, carried in Allocate messages */
    { 0x8056, "BANDWIDTH-ADMISSION-CONTROL-MESSAGE", "bandwidth_acm",  "MS-TURNBWM 2.2.1", MSTURN_VK_MS_BW_ACM,    "bandwidth-acm", NULL },
    { 0x8057, "BANDWIDTH-RESERVATION-IDENTIFIER", "bandwidth_reservation_id", "MS-TURNBWM 2.2.2", MSTURN_VK_OPAQUE, NULL, NULL },
    { 0x8058, "BANDWIDTH-RESERVATION-AMOUNT", "bandwidth_reservation_amount", "MS-TURNBWM 2.2.3", MSTURN_VK_MS_BANDWIDTH, NULL, NULL },
    { 0x8059, "REMOTE-SITE-ADDRESS",         "remote_site_address",    "MS-TURNBWM 2.2.4", MSTURN_VK_XOR_ADDRESS,  NULL, NULL },
    { 0x805A, "REMOTE-RELAY-SITE-ADDRESS",   "remote_relay_site_address", "MS-TURNBWM 2.2.5", MSTURN_VK_XOR_ADDRESS, NULL, NULL },
    { 0x805B, "LOCAL-SITE-ADDRESS",          "local_site_address",     "MS-TURNBWM 2.2.6", MSTURN_VK_XOR_ADDRESS,  NULL, NULL },
    { 0x805C, "LOCAL-RELAY-SITE-ADDRESS",    "local_relay_site_address", "MS-TURNBWM 2.2.7", MSTURN_VK_XOR_ADDRESS, NULL, NULL },
    { 0x805D, "REMOTE-SITE-ADDRESS-RESPONSE", "remote_site_address_response", "MS-TURNBWM 2.2.8", MSTURN_VK_MS_SITE_RESPONSE, NULL, NULL },
    { 0x805E, "REMOTE-RELAY-SITE-ADDRESS-RESPONSE", "remote_relay_site_address_response", "MS-TURNBWM 2.2.9", MSTURN_VK_MS_SITE_RESPONSE, NULL, NULL },
    { 0x805F, "LOCAL-SITE-ADDRESS-RESPONSE", "local_site_address_response", "MS-TURNBWM 2.2.10", MSTURN_VK_MS_SITE_RESPONSE, NULL, NULL },
    { 0x8060, "LOCAL-RELAY-SITE-ADDRESS-RESPONSE", "local_relay_site_address_response", "MS-TURNBWM 2.2.11", MSTURN_VK_MS_SITE_RESPONSE, NULL, NULL },
    { 0x8061, "SIP-DIALOG-IDENTIFIER",       "sip_dialog_id",          "MS-TURNBWM 2.2.12", MSTURN_VK_STRING,      NULL, NULL },
    { 0x8062, "SIP-CALL-IDENTIFIER",         "sip_call_id",            "MS-TURNBWM 2.2.13", MSTURN_VK_STRING,      NULL, NULL },
    { 0x8068, "LOCATION-PROFILE",            "location_profile",       "MS-TURNBWM 2.2.14", MSTURN_VK_MS_LOCATION, NULL, NULL },
    /* [MS-ICE2] 2.2.2: IMPLEMENTATION-VERSION, in every Binding request and response */
    { 0x8070, "MS-IMPLEMENTATION-VERSION",   "ms_impl_version",        "MS-ICE2 2.2.2",    MSTURN_VK_UINT32,       NULL, NULL },
    /* [MS-TURN] 2.2.2: IPv6 and multiplexed TURN */
    { 0x8090, "MS-ALTERNATE-MAPPED-ADDRESS", "ms_alternate_mapped_address", "MS-TURN 2.2.2.23", MSTURN_VK_ADDRESS, "MS-ALTERNATE-MAPPED-ADDRESS", NULL },
    { 0x8095, "MS-MULTIPLEXED-TURN-SESSION-ID", "ms_multiplexed_turn_session_id", "MS-TURN 2.2.2", MSTURN_VK_UINT64, NULL, NULL },
};
const size_t msturn_attr_microsoft_count = sizeof msturn_attr_microsoft / sizeof msturn_attr_microsoft[0];

const msturn_attr_def msturn_attr_legacy[] = {
    /* [MS-TURN] 2.2.2 mandatory attributes whose legacy meaning differs
     * from RFC 5389/8656 (or that RFC 5389/8656 do not define at all). */
    { 0x000E, "ALTERNATE-SERVER",            "legacy_alternate_server", "MS-TURN 2.2.2.7", MSTURN_VK_ADDRESS,      "ALTERNATE-SERVER", NULL },
    { 0x000F, "MAGIC-COOKIE",                "magic_cookie",           "MS-TURN 2.2.2.8",  MSTURN_VK_MAGIC_COOKIE, NULL, NULL },
    { 0x0010, "BANDWIDTH",                   "bandwidth",              "MS-TURN 2.2.2.9",  MSTURN_VK_UINT32,       "bandwidth", NULL },
    { 0x0011, "DESTINATION-ADDRESS",         "destination_address",    "MS-TURN 2.2.2.10", MSTURN_VK_ADDRESS,      "DESTINATION-ADDRESS", NULL },
    { 0x0012, "REMOTE-ADDRESS",              "remote_address",         "MS-TURN 2.2.2.11", MSTURN_VK_ADDRESS,      "REMOTE-ADDRESS", NULL },
    /* Swapped relative to RFC 5389: legacy 0x0014 is NONCE, 0x0015 REALM. */
    { 0x0014, "NONCE",                       "nonce",                  "MS-TURN 2.2.2.13", MSTURN_VK_STRING,       "=with nonce", NULL },
    { 0x0015, "REALM",                       "realm",                  "MS-TURN 2.2.2.14", MSTURN_VK_STRING,       "realm", NULL },
};
const size_t msturn_attr_legacy_count = sizeof msturn_attr_legacy / sizeof msturn_attr_legacy[0];

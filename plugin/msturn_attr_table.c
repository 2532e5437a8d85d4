/* msturn_attr_table.c - IETF attribute rows and the attribute lookup.
 *
 * Sections cited are those of the RFC that defines the attribute today;
 * RFC 3489 rows are the classic attributes that RFC 5389 retired but that
 * old clients still send.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "msturn_attr_table.h"

#include <stdbool.h>

const msturn_attr_def msturn_attr_ietf[] = {
    /* RFC 8489 / 5389 STUN, 18.2 registry */
    { 0x0001, "MAPPED-ADDRESS",          "mapped",               "RFC 8489 14.1",  MSTURN_VK_ADDRESS, "MAPPED-ADDRESS", NULL },
    { 0x0002, "RESPONSE-ADDRESS",        "response_address",     "RFC 3489 11.2.2", MSTURN_VK_ADDRESS, NULL, NULL },
    { 0x0003, "CHANGE-REQUEST",          "change_request",       "RFC 5780 7.2",   MSTURN_VK_CHANGE_REQUEST, NULL, NULL },
    { 0x0004, "SOURCE-ADDRESS",          "source_address",       "RFC 3489 11.2.5", MSTURN_VK_ADDRESS, NULL, NULL },
    { 0x0005, "CHANGED-ADDRESS",         "changed_address",      "RFC 3489 11.2.3", MSTURN_VK_ADDRESS, NULL, NULL },
    { 0x0006, "USERNAME",                "username",             "RFC 8489 14.3",  MSTURN_VK_USERNAME, "user", NULL },
    { 0x0007, "PASSWORD",                "password",             "RFC 3489 11.2.7", MSTURN_VK_OPAQUE, NULL, NULL },
    { 0x0008, "MESSAGE-INTEGRITY",       "hmac",                 "RFC 8489 14.5",  MSTURN_VK_INTEGRITY, NULL, NULL },
    { 0x0009, "ERROR-CODE",              "error",                "RFC 8489 14.8",  MSTURN_VK_ERROR_CODE, "error-code", NULL },
    { 0x000A, "UNKNOWN-ATTRIBUTES",      "unknown_attributes",   "RFC 8489 14.13",  MSTURN_VK_ATTR_LIST, NULL, NULL },
    { 0x000B, "REFLECTED-FROM",          "reflected_from",       "RFC 3489 11.2.11", MSTURN_VK_ADDRESS, NULL, NULL },
    /* RFC 8656 / 5766 TURN, 18 */
    { 0x000C, "CHANNEL-NUMBER",          "channel",              "RFC 8656 18.1",  MSTURN_VK_UINT16, "channel", NULL },
    { 0x000D, "LIFETIME",                "lifetime",             "RFC 8656 18.2",  MSTURN_VK_UINT32, "lifetime", NULL },
    { 0x0012, "XOR-PEER-ADDRESS",        "xor_peer",             "RFC 8656 18.3",  MSTURN_VK_XOR_ADDRESS, "XOR-PEER-ADDRESS", NULL },
    { 0x0013, "DATA",                    "data",                 "RFC 8656 18.4",  MSTURN_VK_DATA, NULL, NULL },
    { 0x0014, "REALM",                   "realm",                "RFC 8489 14.9",  MSTURN_VK_STRING, "realm", NULL },
    { 0x0015, "NONCE",                   "nonce",                "RFC 8489 14.10", MSTURN_VK_STRING, "=with nonce", NULL },
    { 0x0016, "XOR-RELAYED-ADDRESS",     "xor_relayed",          "RFC 8656 18.5",  MSTURN_VK_XOR_ADDRESS, "XOR-RELAYED-ADDRESS", NULL },
    { 0x0017, "REQUESTED-ADDRESS-FAMILY","requested_family",     "RFC 8656 18.6",  MSTURN_VK_FAMILY, NULL, NULL },
    { 0x0018, "EVEN-PORT",               "even_port",            "RFC 8656 18.7",  MSTURN_VK_EVEN_PORT, NULL, NULL },
    { 0x0019, "REQUESTED-TRANSPORT",     "requested_transport",  "RFC 8656 18.8",  MSTURN_VK_PROTOCOL, "", NULL },
    { 0x001A, "DONT-FRAGMENT",           "dont_fragment",        "RFC 8656 18.9",  MSTURN_VK_EMPTY, NULL, NULL },
    { 0x001B, "ACCESS-TOKEN",            "access_token",         "RFC 7635 6.2",   MSTURN_VK_OPAQUE, NULL, NULL },
    { 0x001C, "MESSAGE-INTEGRITY-SHA256","hmac_sha256",          "RFC 8489 14.6",  MSTURN_VK_INTEGRITY, NULL, NULL },
    { 0x001D, "PASSWORD-ALGORITHM",      "password_algorithm",   "RFC 8489 14.12", MSTURN_VK_PASSWORD_ALGS, NULL, NULL },
    { 0x001E, "USERHASH",                "userhash",             "RFC 8489 14.4",  MSTURN_VK_OPAQUE, NULL, NULL },
    { 0x0020, "XOR-MAPPED-ADDRESS",      "xor_mapped",           "RFC 8489 14.2",  MSTURN_VK_XOR_ADDRESS, "XOR-MAPPED-ADDRESS", NULL },
    /* RFC 8656 19: 0x0021 is reserved, it was TIMER-VAL in RFC 3489bis drafts */
    { 0x0021, "TIMER-VAL (reserved)",    "timer_val",            "RFC 8656 19",    MSTURN_VK_OPAQUE, NULL, NULL },
    { 0x0022, "RESERVATION-TOKEN",       "reservation_token",    "RFC 8656 18.10", MSTURN_VK_OPAQUE, NULL, NULL },
    { 0x0024, "PRIORITY",                "priority",             "RFC 8445 16.1",  MSTURN_VK_UINT32, NULL, NULL },
    { 0x0025, "USE-CANDIDATE",           "use_candidate",        "RFC 8445 16.1",  MSTURN_VK_EMPTY, "=use-candidate", NULL },
    { 0x0026, "PADDING",                 "padding",              "RFC 5780 7.6",   MSTURN_VK_OPAQUE, NULL, NULL },
    { 0x0027, "RESPONSE-PORT",           "response_port",        "RFC 5780 7.5",   MSTURN_VK_UINT16, NULL, NULL },
    /* draft-ietf-behave-nat-behavior-discovery-03 5.4: XOR form of
     * REFLECTED-FROM, dropped before RFC 5780 but sent by clients of that era */
    { 0x0028, "XOR-REFLECTED-FROM",      "xor_reflected_from",   "draft-ietf-behave-nat-behavior-discovery-03 5.4", MSTURN_VK_XOR_ADDRESS, NULL, NULL },
    /* RFC 6062 TURN TCP allocations, 6.2 */
    { 0x002A, "CONNECTION-ID",           "connection_id",        "RFC 6062 6.2.1", MSTURN_VK_UINT32, "connection-id", NULL },
    /* draft-ietf-behave-turn-07..16 ICMP at 0x0030, before RFC 8656 moved
     * it to 0x8004; same layout */
    { 0x0030, "LEGACY-ICMP",             "legacy_icmp",          "draft-ietf-behave-turn-16", MSTURN_VK_ICMP, NULL, NULL },
    /* comprehension-optional range */
    { 0x8000, "ADDITIONAL-ADDRESS-FAMILY","additional_family",   "RFC 8656 18.11", MSTURN_VK_FAMILY, NULL, NULL },
    { 0x8001, "ADDRESS-ERROR-CODE",      "address_error_code",   "RFC 8656 18.12", MSTURN_VK_ADDRESS_ERROR, "address-error-code", NULL },
    { 0x8002, "PASSWORD-ALGORITHMS",     "password_algorithms",  "RFC 8489 14.11", MSTURN_VK_PASSWORD_ALGS, NULL, NULL },
    { 0x8003, "ALTERNATE-DOMAIN",        "alternate_domain",     "RFC 8489 14.16", MSTURN_VK_STRING, NULL, NULL },
    { 0x8004, "ICMP",                    "icmp",                 "RFC 8656 18.13", MSTURN_VK_ICMP, NULL, NULL },
    { 0x8022, "SOFTWARE",                "software",             "RFC 8489 14.14", MSTURN_VK_STRING, NULL, NULL },
    { 0x8023, "ALTERNATE-SERVER",        "alternate_server",     "RFC 8489 14.15", MSTURN_VK_ADDRESS, NULL, NULL },
    { 0x8025, "TRANSACTION-TRANSMIT-COUNTER", "transaction_transmit_counter", "RFC 7982 3.1", MSTURN_VK_TRANSMIT_COUNTER, NULL, NULL },
    { 0x8027, "CACHE-TIMEOUT",           "cache_timeout",        "RFC 5780 7.7",   MSTURN_VK_UINT32, NULL, NULL },
    { 0x8028, "FINGERPRINT",             "fingerprint",          "RFC 8489 14.7",  MSTURN_VK_FINGERPRINT, NULL, NULL },
    { 0x8029, "ICE-CONTROLLED",          "ice_controlled",       "RFC 8445 16.1",  MSTURN_VK_UINT64, NULL, NULL },
    { 0x802A, "ICE-CONTROLLING",         "ice_controlling",      "RFC 8445 16.1",  MSTURN_VK_UINT64, NULL, NULL },
    { 0x802B, "RESPONSE-ORIGIN",         "response_origin",      "RFC 5780 7.3",   MSTURN_VK_ADDRESS, NULL, NULL },
    { 0x802C, "OTHER-ADDRESS",           "other_address",        "RFC 5780 7.4",   MSTURN_VK_ADDRESS, NULL, NULL },
    { 0x802D, "ECN-CHECK",               "ecn_check",            "RFC 6679 7.2.2", MSTURN_VK_UINT32, NULL, NULL },
    { 0x802E, "THIRD-PARTY-AUTHORIZATION","third_party_auth",    "RFC 7635 6.1",   MSTURN_VK_STRING, NULL, NULL },
    { 0x8030, "MOBILITY-TICKET",         "mobility_ticket",      "RFC 8016 3.1",   MSTURN_VK_OPAQUE, NULL, NULL },
    /* IANA STUN Attributes, expert-review range 0xC000-0xFFFF: vendor
     * entries, registered by name with no published value format; shown as
     * bytes unless the layout is known. */
    { 0xC000, "CISCO-STUN-FLOWDATA",     "cisco_stun_flowdata",  "IANA STUN Attributes (Cisco)", MSTURN_VK_OPAQUE, NULL, NULL },
    { 0xC001, "ENF-FLOW-DESCRIPTION",    "enf_flow_description", "IANA STUN Attributes (Cisco ENF)", MSTURN_VK_OPAQUE, NULL, NULL },
    { 0xC002, "ENF-NETWORK-STATUS",      "enf_network_status",   "IANA STUN Attributes (Cisco ENF)", MSTURN_VK_OPAQUE, NULL, NULL },
    { 0xC003, "CISCO-WEBEX-FLOW-INFO",   "cisco_webex_flow_info", "IANA STUN Attributes (Cisco)", MSTURN_VK_OPAQUE, NULL, NULL },
    { 0xC056, "CITRIX-TRANSACTION-ID",   "citrix_transaction_id", "IANA STUN Attributes (Citrix)", MSTURN_VK_OPAQUE, NULL, NULL },
    /* WebRTC: network ID and cost of the interface the check left on */
    { 0xC057, "GOOG-NETWORK-INFO",       "goog_network_info",    "IANA STUN Attributes (Google)", MSTURN_VK_GOOG_NETWORK, NULL, NULL },
    { 0xC058, "GOOG-LAST-ICE-CHECK-RECEIVED", "goog_last_ice_check_received", "IANA STUN Attributes (Google)", MSTURN_VK_OPAQUE, NULL, NULL },
    { 0xC059, "GOOG-MISC-INFO",          "goog_misc_info",       "IANA STUN Attributes (Google)", MSTURN_VK_OPAQUE, NULL, NULL },
    { 0xC05A, "GOOG-OBSOLETE-1",         "goog_obsolete_1",      "IANA STUN Attributes (Google)", MSTURN_VK_OPAQUE, NULL, NULL },
    { 0xC05B, "GOOG-CONNECTION-ID",      "goog_connection_id",   "IANA STUN Attributes (Google)", MSTURN_VK_OPAQUE, NULL, NULL },
    { 0xC05C, "GOOG-DELTA",              "goog_delta",           "IANA STUN Attributes (Google)", MSTURN_VK_OPAQUE, NULL, NULL },
    { 0xC05D, "GOOG-DELTA-ACK",          "goog_delta_ack",       "IANA STUN Attributes (Google)", MSTURN_VK_OPAQUE, NULL, NULL },
    { 0xC05E, "GOOG-DELTA-SYNC-REQ",     "goog_delta_sync_req",  "IANA STUN Attributes (Google)", MSTURN_VK_OPAQUE, NULL, NULL },
    { 0xC060, "GOOG-MESSAGE-INTEGRITY-32", "goog_message_integrity_32", "IANA STUN Attributes (Google)", MSTURN_VK_OPAQUE, NULL, NULL },
    /* Sent by WebRTC agents, outside the registry */
    { 0xFF04, "GOOG-MULTI-MAPPING",      "goog_multi_mapping",   "WebRTC (not registered)", MSTURN_VK_OPAQUE, NULL, NULL },
    { 0xFF05, "GOOG-LOGGING-ID",         "goog_logging_id",      "WebRTC (not registered)", MSTURN_VK_OPAQUE, NULL, NULL },
};

/* RFC 8489 14.1: the address family of the address attributes. */
const msturn_value_name msturn_family_names[] = {
    { 0x01, "IPv4" },
    { 0x02, "IPv6" },
    { 0, NULL }
};

/* RFC 8656 18.8: REQUESTED-TRANSPORT's IANA protocol number. */
const msturn_value_name msturn_protocol_names[] = {
    { 6,  "TCP" },
    { 17, "UDP" },
    { 0, NULL }
};

/* RFC 8489 18.5. */
const msturn_value_name msturn_password_algorithm_names[] = {
    { 0x0000, "Reserved" },
    { 0x0001, "MD5" },
    { 0x0002, "SHA-256" },
    { 0, NULL }
};

/* WebRTC's network costs (lower is preferred). */
const msturn_value_name msturn_goog_network_cost_names[] = {
    { 0,   "Minimum" },
    { 10,  "Low (wired or Wi-Fi)" },
    { 50,  "Unknown network type" },
    { 250, "Cellular 5G" },
    { 500, "Cellular 4G" },
    { 900, "Cellular" },
    { 910, "Cellular 3G" },
    { 980, "Cellular 2G" },
    { 999, "Maximum" },
    { 0, NULL }
};
const size_t msturn_attr_ietf_count = sizeof msturn_attr_ietf / sizeof msturn_attr_ietf[0];

static const msturn_attr_def *
find_in(const msturn_attr_def *rows, size_t n, uint16_t type)
{
    /* Rows are kept sorted by type; binary search keeps lookups cheap on
     * captures with many attributes. */
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (rows[mid].type == type)
            return &rows[mid];
        if (rows[mid].type < type)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

int
msturn_is_printable_text(const uint8_t *p, size_t len)
{
    size_t i = 0;
    /* UTF-8 (RFC 3629 3) without C0 controls or DEL: an [MS-TURN] Send
     * Request's token (02 00 00 24 ...) fails at its first byte. */
    while (i < len) {
        uint8_t c = p[i];
        size_t n, k;
        if (c < 0x80) {
            if (c < 0x20 || c == 0x7F)
                return 0;
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) n = 1;
        else if (c >= 0xE0 && c <= 0xEF) n = 2;
        else if (c >= 0xF0 && c <= 0xF4) n = 3;
        else return 0;
        if (i + n >= len)       /* the sequence runs past the value */
            return 0;
        for (k = 1; k <= n; k++)
            if ((p[i + k] & 0xC0) != 0x80)
                return 0;
        i += n + 1;
    }
    return 1;
}

const char *
msturn_value_name_of(const msturn_value_name *names, uint32_t value)
{
    for (; names != NULL && names->name != NULL; names++)
        if (names->value == value)
            return names->name;
    return NULL;
}

static const msturn_attr_def *
search(uint16_t type, int legacy)
{
    const msturn_attr_def *d;

    if (legacy && (d = find_in(msturn_attr_legacy, msturn_attr_legacy_count, type)) != NULL)
        return d;
    if ((d = find_in(msturn_attr_ietf, msturn_attr_ietf_count, type)) != NULL)
        return d;
    if ((d = find_in(msturn_attr_microsoft, msturn_attr_microsoft_count, type)) != NULL)
        return d;
    /* 0x000E-0x0011 are reserved or unassigned in RFC 8656 19; their only
     * meaning is [MS-TURN]'s, and Teams sends them in cookie messages too. */
    return legacy ? NULL : find_in(msturn_attr_legacy, msturn_attr_legacy_count, type);
}

/* Every attribute of the registries but two has the type 0bXX000000 then one
 * byte (comprehension bits, 0x00 in the middle, RFC 8489 18.3): those are
 * looked up by index in a table made from the rows the first time, the rest
 * (0xFF04, 0xFF05) searched.  Lookups run for every attribute of every
 * message. */
#define DIRECT_MASK 0x3F00

static const msturn_attr_def *direct[2][4][256];

const msturn_attr_def *
msturn_attr_lookup(uint16_t type, int legacy)
{
    static bool ready;

    if ((type & DIRECT_MASK) != 0)
        return search(type, legacy);
    if (!ready) {
        unsigned d, q, lo;
        for (d = 0; d < 2; d++)
            for (q = 0; q < 4; q++)
                for (lo = 0; lo < 256; lo++)
                    direct[d][q][lo] = search((uint16_t)(q << 14 | lo), (int)d);
        ready = true;
    }
    return direct[legacy != 0][type >> 14][type & 0xFF];
}

/* msturn_error_table.c - STUN error codes (IANA "STUN Error Codes" registry,
 * RFC 8489 18.3, with the codes of the documents that define them).
 *
 * Codes the registry does not hold but that real agents send are here too:
 * RFC 3489 11.2.9 (430-433, 600), draft-era TURN as [MS-TURN] 2.2.2.6 keeps
 * it (434-436), and [MS-ICE2BWM]'s 274/275.  Names follow the defining
 * document's reason phrase; where RFC 8489 renamed a code (401), the current
 * name is used.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "msturn_error_table.h"

const msturn_value_name msturn_error_names[] = {
    { 274, "Disable Candidate" },               /* [MS-ICE2BWM] 2.2 */
    { 275, "Disable Candidate Pair" },          /* [MS-ICE2BWM] 2.2 */
    { 300, "Try Alternate" },                   /* RFC 8489 14.8 */
    { 400, "Bad Request" },                     /* RFC 8489 14.8 */
    { 401, "Unauthenticated" },                 /* RFC 8489 14.8 (RFC 5389: Unauthorized) */
    { 403, "Forbidden" },                       /* RFC 8656 19 */
    { 405, "Mobility Forbidden" },              /* RFC 8016 3.4 */
    { 420, "Unknown Attribute" },               /* RFC 8489 14.8 */
    { 430, "Stale Credentials" },               /* RFC 3489 11.2.9 */
    { 431, "Integrity Check Failure" },         /* RFC 3489 11.2.9 */
    { 432, "Missing Username" },                /* RFC 3489 11.2.9 */
    { 433, "Use TLS" },                         /* RFC 3489 11.2.9 */
    { 434, "Missing Realm" },                   /* [MS-TURN] 2.2.2.6 */
    { 435, "Missing Nonce" },                   /* [MS-TURN] 2.2.2.6 */
    { 436, "Unknown Username" },                /* [MS-TURN] 2.2.2.6 */
    { 437, "Allocation Mismatch" },             /* RFC 8656 19 */
    { 438, "Stale Nonce" },                     /* RFC 8489 14.8 */
    { 440, "Address Family not Supported" },    /* RFC 8656 19 */
    { 441, "Wrong Credentials" },               /* RFC 8656 19 */
    { 442, "Unsupported Transport Protocol" },  /* RFC 8656 19 */
    { 443, "Peer Address Family Mismatch" },    /* RFC 8656 19 */
    { 446, "Connection Already Exists" },       /* RFC 6062 6.3 */
    { 447, "Connection Timeout or Failure" },   /* RFC 6062 6.3 */
    { 486, "Allocation Quota Reached" },        /* RFC 8656 19 */
    { 487, "Role Conflict" },                   /* RFC 8445 7.3.1.1 */
    { 500, "Server Error" },                    /* RFC 8489 14.8 */
    { 508, "Insufficient Capacity" },           /* RFC 8656 19 */
    { 600, "Global Failure" },                  /* RFC 3489 11.2.9 */
    { 0, NULL }
};
static const size_t msturn_error_names_count = sizeof msturn_error_names / sizeof msturn_error_names[0] - 1;

/* Where Microsoft's legacy TURN gives a code another meaning. */
static const msturn_value_name msturn_error_names_ms[] = {
    { 401, "Unauthorized" },                    /* [MS-TURN] 2.2.2.6 */
    { 437, "No Binding" },                      /* [MS-TURN] 2.2.2.6 */
    { 0, NULL }
};
static const size_t msturn_error_names_ms_count = sizeof msturn_error_names_ms / sizeof msturn_error_names_ms[0] - 1;

static const char *
find_name(const msturn_value_name *v, size_t n, unsigned code)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid].value == code)
            return v[mid].name;
        if (v[mid].value < code)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const char *
msturn_error_name(unsigned code, int microsoft)
{
    const char *s;
    if (microsoft && (s = find_name(msturn_error_names_ms, msturn_error_names_ms_count, code)) != NULL)
        return s;
    return find_name(msturn_error_names, msturn_error_names_count, code);
}

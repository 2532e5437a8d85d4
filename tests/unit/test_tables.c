/* The attribute and method tables: sorted, unique, and complete enough that
 * the contract's fields exist.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "check.h"
#include "msturn_attr_table.h"
#include "msturn_error_table.h"
#include "msturn_framing.h"
#include "msturn_methods.h"

static void
check_sorted_unique(const char *name, const msturn_attr_def *rows, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        CHECK(rows[i].name && rows[i].field && rows[i].spec, "%s row %zu incomplete", name, i);
        if (i > 0)
            CHECK(rows[i - 1].type < rows[i].type, "%s: 0x%04x before 0x%04x (must be sorted)",
                  name, rows[i - 1].type, rows[i].type);
    }
}

/* One filter name may serve several code points (legacy REALM 0x0015 and
 * IETF REALM 0x0014 are both msturn.att.realm, so one filter finds the realm
 * in either form), but Wireshark only lets fields share a name when they have
 * the same type: rows sharing a field must share a value kind. */
static void
check_fields_consistent(void)
{
    const msturn_attr_def *all[3] = { msturn_attr_ietf, msturn_attr_microsoft, msturn_attr_legacy };
    size_t cnt[3] = { msturn_attr_ietf_count, msturn_attr_microsoft_count, msturn_attr_legacy_count };
    size_t a, i, b, j;

    for (a = 0; a < 3; a++)
        for (i = 0; i < cnt[a]; i++)
            for (b = a; b < 3; b++)
                for (j = (b == a ? i + 1 : 0); j < cnt[b]; j++) {
                    if (strcmp(all[a][i].field, all[b][j].field) != 0)
                        continue;
                    CHECK(a != b, "field msturn.att.%s used twice in one table (0x%04x, 0x%04x)",
                          all[a][i].field, all[a][i].type, all[b][j].type);
                    CHECK(all[a][i].kind == all[b][j].kind,
                          "field msturn.att.%s has different value kinds for 0x%04x and 0x%04x",
                          all[a][i].field, all[a][i].type, all[b][j].type);
                }
}

static void
check_contract(void)
{
    static const struct { uint16_t type; const char *field; } want[] = {
        { 0x0006, "username" }, { 0x0014, "realm" }, { 0x0015, "nonce" },
        { 0x000D, "lifetime" }, { 0x0009, "error" }, { 0x002A, "connection_id" },
        { 0x0019, "requested_transport" }, { 0x8054, "candidate_id" },
        { 0x8070, "ms_impl_version" }, { 0x8008, "ms_version" }, { 0x8028, "fingerprint" },
        { 0x0012, "xor_peer" }, { 0x0016, "xor_relayed" }, { 0x0020, "xor_mapped" },
        { 0x0008, "hmac" },
    };
    size_t i;
    for (i = 0; i < sizeof want / sizeof want[0]; i++) {
        const msturn_attr_def *d = msturn_attr_lookup(want[i].type, 0);
        CHECK(d != NULL && strcmp(d->field, want[i].field) == 0, "0x%04x should be msturn.att.%s",
              want[i].type, want[i].field);
    }
    /* legacy messages give 0x000F its [MS-TURN] meaning */
    CHECK(msturn_attr_lookup(0x000F, 1) != NULL, "MAGIC-COOKIE missing from the legacy rows");
    CHECK(msturn_attr_lookup(0xFFFE, 0) == NULL, "0xFFFE should be unknown");
}

static void
check_methods(void)
{
    CHECK(strcmp(msturn_name_lookup(msturn_methods, msturn_methods_count, 0x00b),
                 "ConnectionBind") == 0, "0x00b is ConnectionBind (RFC 6062 6.1)");
    const msturn_ms_type_def *t = msturn_ms_type_lookup(0x0115);
    CHECK(t && strcmp(t->name, "Data Indication") == 0 && t->cls == MSTURN_CLASS_INDICATION &&
          t->method == MSTURN_METHOD_NONE,
          "0x0115 is Data Indication in [MS-TURN], an indication, not an error response");
    t = msturn_ms_type_lookup(0x0004);
    CHECK(t && strcmp(t->name, "Send Request") == 0 && t->method != MSTURN_METHOD_REFRESH &&
          t->cls == MSTURN_CLASS_REQUEST, "0x0004 is Send Request in [MS-TURN], not Refresh");
    t = msturn_ms_type_lookup(0x0116);
    CHECK(t && t->cls == MSTURN_CLASS_ERROR, "0x0116 is the Set Active Destination error");
    t = msturn_ms_type_lookup(0x0103);
    CHECK(t && t->method == MSTURN_METHOD_ALLOCATE && t->cls == MSTURN_CLASS_SUCCESS,
          "0x0103 is the Allocate response");
    CHECK(msturn_type_method(0x011c) == 0x00c && msturn_type_class(0x011c) == 3,
          "0x011c is ConnectionAttempt Error Response");
    CHECK(msturn_type_method(0x001c) == 0x00c && msturn_type_class(0x001c) == 1,
          "0x001c is ConnectionAttempt Indication");
}

static void
check_text(void)
{
    static const uint8_t token[] = { 0x02, 0x00, 0x00, 0x24, 0x9a, 0x9e };
    static const uint8_t utf8[] = { 'u', 0xC3, 0xA9 };      /* "ué" */
    static const uint8_t cut[] = { 'u', 0xC3 };
    CHECK(!msturn_is_printable_text(token, sizeof token), "an [MS-TURN] token taken for text");
    CHECK(msturn_is_printable_text((const uint8_t *)"AoVy:l0MR", 9), "ICE username not text");
    CHECK(msturn_is_printable_text(utf8, sizeof utf8), "UTF-8 not text");
    CHECK(!msturn_is_printable_text(cut, sizeof cut), "cut UTF-8 sequence taken for text");
    {
        const msturn_attr_def *d = msturn_attr_lookup(0x8008, 0);
        size_t i, named = 0;
        for (i = 0; d && d->names && d->names[i].name; i++)
            named |= 1u << d->names[i].value;
        CHECK(named == 0x7E, "MS-VERSION names 1..6 ([MS-TURN] 2.2.2.17), got mask 0x%zx", named);
        d = msturn_attr_lookup(0x0006, 1);
        CHECK(d && d->kind == MSTURN_VK_USERNAME, "USERNAME decodes text or a token");
    }
}

/* Registry entries and the code points only Microsoft's legacy TURN gives a
 * meaning keep their names in every message; unregistered ones stay unknown. */
static void
check_registry(void)
{
    static const struct { uint16_t type; const char *name; msturn_value_kind kind; } want[] = {
        { 0x0003, "CHANGE-REQUEST", MSTURN_VK_CHANGE_REQUEST },     /* RFC 5780 7.2 */
        { 0x0018, "EVEN-PORT", MSTURN_VK_EVEN_PORT },               /* RFC 8656 18.7 */
        { 0x001D, "PASSWORD-ALGORITHM", MSTURN_VK_PASSWORD_ALGS },  /* RFC 8489 14.12 */
        { 0x8001, "ADDRESS-ERROR-CODE", MSTURN_VK_ADDRESS_ERROR },  /* RFC 8656 18.12 */
        { 0x8002, "PASSWORD-ALGORITHMS", MSTURN_VK_PASSWORD_ALGS }, /* RFC 8489 14.11 */
        { 0x8004, "ICMP", MSTURN_VK_ICMP },                         /* RFC 8656 18.13 */
        { 0xC057, "GOOG-NETWORK-INFO", MSTURN_VK_GOOG_NETWORK },
        { 0xC000, "CISCO-STUN-FLOWDATA", MSTURN_VK_OPAQUE },
        { 0xC060, "GOOG-MESSAGE-INTEGRITY-32", MSTURN_VK_OPAQUE },
        { 0xFF05, "GOOG-LOGGING-ID", MSTURN_VK_OPAQUE },
        { 0x0010, "BANDWIDTH", MSTURN_VK_UINT32 },                  /* [MS-TURN] 2.2.2.9 */
        { 0x0011, "DESTINATION-ADDRESS", MSTURN_VK_ADDRESS },       /* [MS-TURN] 2.2.2.10 */
    };
    size_t i;
    for (i = 0; i < sizeof want / sizeof want[0]; i++) {
        const msturn_attr_def *d = msturn_attr_lookup(want[i].type, 0);
        CHECK(d && strcmp(d->name, want[i].name) == 0 && d->kind == want[i].kind,
              "0x%04x should be %s with its own value kind", want[i].type, want[i].name);
    }
    CHECK(msturn_attr_lookup(0x8006, 0) && msturn_attr_lookup(0x8006, 1),
          "Microsoft's 0x8006 should be known in both dialects");
    CHECK(msturn_attr_lookup(0x0012, 0)->kind == MSTURN_VK_XOR_ADDRESS &&
          msturn_attr_lookup(0x0012, 1)->kind == MSTURN_VK_ADDRESS,
          "0x0012: XOR-PEER-ADDRESS in IETF messages, plain Remote Address in [MS-TURN]");
    CHECK(msturn_attr_lookup(0xC0FF, 0) == NULL && msturn_attr_lookup(0x001F, 0) == NULL,
          "0xC0FF and 0x001F were never registered");
}

static void
check_errors(void)
{
    size_t i;
    for (i = 1; msturn_error_names[i].name != NULL; i++)
        CHECK(msturn_error_names[i - 1].value < msturn_error_names[i].value,
              "error codes must be sorted: %u before %u", msturn_error_names[i - 1].value,
              msturn_error_names[i].value);
    CHECK(strcmp(msturn_error_name(437, 0), "Allocation Mismatch") == 0, "437 (RFC 8656 19)");
    CHECK(strcmp(msturn_error_name(437, 1), "No Binding") == 0, "437 in [MS-TURN] 2.2.2.6");
    CHECK(strcmp(msturn_error_name(405, 1), "Mobility Forbidden") == 0,
          "codes Microsoft does not redefine keep the IETF name");
    CHECK(strcmp(msturn_error_name(433, 0), "Use TLS") == 0, "433 (RFC 3489 11.2.9)");
    CHECK(strcmp(msturn_error_name(600, 0), "Global Failure") == 0, "600 (RFC 3489 11.2.9)");
    CHECK(strcmp(msturn_error_name(508, 0), "Insufficient Capacity") == 0, "508 (RFC 8656 19)");
    CHECK(msturn_error_name(299, 0) == NULL && msturn_error_name(699, 1) == NULL,
          "unregistered codes have no name");
}

int
main(void)
{
    check_sorted_unique("ietf", msturn_attr_ietf, msturn_attr_ietf_count);
    check_sorted_unique("microsoft", msturn_attr_microsoft, msturn_attr_microsoft_count);
    check_sorted_unique("legacy", msturn_attr_legacy, msturn_attr_legacy_count);
    check_fields_consistent();
    check_contract();
    check_methods();
    check_text();
    check_registry();
    check_errors();
    return CHECK_DONE();
}

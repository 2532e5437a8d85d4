/* Unit tests of msturn_frame_detect / msturn_stun_header on byte strings
 * built here from the specifications' layouts.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "msturn_framing.h"

static size_t
put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
    return 2;
}

static size_t
put32(uint8_t *p, uint32_t v)
{
    put16(p, (uint16_t)(v >> 16));
    put16(p + 2, (uint16_t)v);
    return 4;
}

/* A STUN message with the cookie: type, one LIFETIME attribute. */
static size_t
stun_msg(uint8_t *p, uint16_t type, int cookie)
{
    size_t n = 0;
    n += put16(p + n, type);
    n += put16(p + n, 8);
    if (cookie)
        n += put32(p + n, MSTURN_MAGIC_COOKIE);
    else
        n += put32(p + n, 0x01020304);
    memset(p + n, 0xab, 12);
    n += 12;
    n += put16(p + n, 0x000D);
    n += put16(p + n, 4);
    n += put32(p + n, 600);
    return n;
}

/* [MS-TURN] legacy: 16-byte transaction ID, MAGIC-COOKIE attribute first. */
static size_t
legacy_msg(uint8_t *p, uint16_t type)
{
    size_t n = 0;
    n += put16(p + n, type);
    n += put16(p + n, 8);
    memset(p + n, 0x5a, 16);
    n += 16;
    n += put16(p + n, 0x000F);
    n += put16(p + n, 4);
    n += put32(p + n, MSTURN_MS_MAGIC_COOKIE);
    return n;
}

/* A message as Teams writes it ([MS-TURN] 2.2.2): the RFC 5389 cookie (or
 * none), MAGIC-COOKIE first, then an ERROR-CODE of length 61 followed
 * directly, unpadded, by a REALM of length 8: message length 8+65+12 = 85. */
static size_t
teams_msg(uint8_t *p, uint16_t type, int cookie)
{
    static const char reason[] = "Unauthorized: the request did not carry valid credentials";
    size_t n = 0, i;
    n += put16(p + n, type);
    n += put16(p + n, 8 + 4 + 61 + 4 + 8);
    if (cookie) {
        n += put32(p + n, MSTURN_MAGIC_COOKIE);
        memset(p + n, 0xcd, 12);
        n += 12;
    } else {
        memset(p + n, 0x5a, 16);
        n += 16;
    }
    n += put16(p + n, 0x000F);
    n += put16(p + n, 4);
    n += put32(p + n, MSTURN_MS_MAGIC_COOKIE);
    n += put16(p + n, 0x0009);
    n += put16(p + n, 61);
    n += put32(p + n, 0x00000401);
    for (i = 0; i < 57; i++)
        p[n++] = (uint8_t)reason[i];
    n += put16(p + n, 0x0015);
    n += put16(p + n, 8);
    memcpy(p + n, "TANDBERG", 8);
    n += 8;
    return n;
}

static void
test_ms_dialect_lengths(void)
{
    uint8_t b[256];
    msturn_frame f;
    size_t need = 0;
    uint32_t len = 0;
    size_t n = teams_msg(b, 0x0113, 1);

    CHECK(n == 20 + 85, "teams message is %zu bytes", n);
    CHECK(msturn_frame_detect(b, n, 0, &f, NULL) == MSTURN_FRAME_OK && f.pdu_len == n &&
          f.flavor == MSTURN_FLAVOR_RFC5389, "odd-length Teams message (cookie + MAGIC-COOKIE) refused");
    CHECK(msturn_has_ms_cookie_attr(b, n), "MAGIC-COOKIE first not seen");
    CHECK(msturn_attr_layout_of(b + 20, n - 20, 1) == MSTURN_LAYOUT_UNPADDED,
          "ERROR-CODE of 61 followed by REALM is the unpadded reading");
    CHECK(msturn_attr_layout_of(b + 20, n - 20, 0) == MSTURN_LAYOUT_UNPADDED,
          "only the unpadded reading fits, whichever is tried first");
    /* On a known connection, fewer than 28 bytes of an odd-length message:
     * wait for the first attribute rather than refuse. */
    CHECK(msturn_frame_detect(b, 20, MSTURN_CTX_KNOWN, &f, &need) == MSTURN_FRAME_NEED_MORE &&
          need == 28, "odd length with 20 bytes known: need %zu", need);
    CHECK(msturn_frame_detect(b, 20, 0, &f, &need) == MSTURN_FRAME_NOT_OURS,
          "odd length claimed on a new connection without MAGIC-COOKIE in view");
    /* without MAGIC-COOKIE first an odd length is not STUN (RFC 8489 6) */
    b[21] = 0x0E;
    CHECK(msturn_frame_detect(b, n, 0, &f, NULL) == MSTURN_FRAME_NOT_OURS,
          "odd-length RFC 5389 message without MAGIC-COOKIE accepted");
    CHECK(msturn_stun_header(b, n, 0, &len) == MSTURN_FLAVOR_NONE, "stun_header took it too");
    b[21] = 0x0F;

    /* the same in RFC 4571 and in the [MS-TURN] 2.1.4 framing */
    memmove(b + 4, b, n);
    put16(b + 2, (uint16_t)n);
    CHECK(msturn_frame_detect(b + 2, n + 2, 0, &f, NULL) == MSTURN_FRAME_OK &&
          f.framing == MSTURN_FRAMING_RFC4571 && f.pdu_len == n + 2, "RFC 4571 odd length refused");
    b[0] = 0x02;
    b[1] = 0;
    CHECK(msturn_frame_detect(b, n + 4, 0, &f, NULL) == MSTURN_FRAME_OK &&
          f.framing == MSTURN_FRAMING_MS_CONTROL && f.payload_len == n,
          "MS-TURN framing odd length refused");

    /* legacy (no cookie) with an odd length */
    n = teams_msg(b, 0x0113, 0);
    CHECK(msturn_stun_header(b, n, 0, &len) == MSTURN_FLAVOR_LEGACY && len == n,
          "odd-length legacy message refused");
    /* a padded [MS-TURN] message still reads padded */
    n = legacy_msg(b, 0x0003);
    CHECK(msturn_attr_layout_of(b + 20, n - 20, 1) == MSTURN_LAYOUT_UNPADDED ||
          msturn_attr_layout_of(b + 20, n - 20, 1) == MSTURN_LAYOUT_PADDED, "legacy layout broken");
}

static void
test_layout(void)
{
    /* USERNAME of 5 bytes padded to 8, then LIFETIME: only the padded
     * reading ends at 20; unpadded would read a bogus header at 9. */
    static const uint8_t padded[] = { 0x00, 0x06, 0x00, 0x05, 'a', 'b', 'c', 'd', 'e', 0, 0, 0,
                                      0x00, 0x0D, 0x00, 0x04, 0, 0, 2, 0x58 };
    CHECK(msturn_attr_layout_of(padded, sizeof padded, 1) == MSTURN_LAYOUT_PADDED,
          "padded USERNAME not read padded");
    CHECK(msturn_attr_layout_of(padded, sizeof padded - 1, 1) == MSTURN_LAYOUT_BROKEN,
          "a length that fits no reading");
    CHECK(msturn_attr_layout_of(padded, 0, 0) == MSTURN_LAYOUT_PADDED, "no attributes");
}

static void
test_multiplexed(void)
{
    uint8_t b[128];
    msturn_frame f;
    size_t n;

    /* [MS-TURN] 2.2.3: 0xFF10, length, 8-byte session ID, then a message */
    n = stun_msg(b + 12, 0x0001, 1);
    put16(b, 0xFF10);
    put16(b + 2, (uint16_t)(8 + n));
    memset(b + 4, 0x77, 8);
    CHECK(msturn_frame_detect(b, n + 12, 0, &f, NULL) == MSTURN_FRAME_OK &&
          f.framing == MSTURN_FRAMING_MS_MULTIPLEXED && f.flavor == MSTURN_FLAVOR_RFC5389 &&
          f.prefix_len == 12 && f.payload_len == n && f.pdu_len == n + 12,
          "multiplexed STUN over TCP not found");
    CHECK(msturn_datagram_detect(b, n + 12, 0, &f) == MSTURN_FRAME_OK &&
          f.framing == MSTURN_FRAMING_MS_MULTIPLEXED && f.flavor == MSTURN_FLAVOR_RFC5389,
          "multiplexed STUN datagram not found");
    /* wrapped RTP: only where the connection or port is known */
    b[12] = 0x80;
    CHECK(msturn_frame_detect(b, n + 12, 0, &f, NULL) == MSTURN_FRAME_NOT_OURS,
          "multiplexed data claimed on a new connection");
    CHECK(msturn_frame_detect(b, n + 12, MSTURN_CTX_KNOWN, &f, NULL) == MSTURN_FRAME_OK &&
          f.flavor == MSTURN_FLAVOR_NONE && f.pdu_len == n + 12, "multiplexed data refused");
    CHECK(msturn_frame_detect(b, n + 12, MSTURN_CTX_KNOWN | MSTURN_CTX_RELAY4571, &f, NULL) !=
              MSTURN_FRAME_OK || f.framing != MSTURN_FRAMING_MS_MULTIPLEXED,
          "0xFF10 on relayed ICE-TCP is an RFC 4571 length");
    CHECK(msturn_datagram_detect(b, n + 12, 0, &f) == MSTURN_FRAME_NOT_OURS,
          "multiplexed data datagram claimed by the heuristic");
    CHECK(msturn_datagram_detect(b, n + 12, 1, &f) == MSTURN_FRAME_OK &&
          f.flavor == MSTURN_FLAVOR_NONE, "multiplexed data refused on the TURN port");
    put16(b + 2, 7);
    CHECK(msturn_datagram_detect(b, n + 12, 1, &f) == MSTURN_FRAME_NOT_OURS,
          "length shorter than the session ID accepted");
}

static void
test_raw(void)
{
    uint8_t b[256];
    msturn_frame f;
    size_t need;
    size_t n = stun_msg(b, 0x0003, 1);

    CHECK(msturn_frame_detect(b, n, 0, &f, &need) == MSTURN_FRAME_OK, "raw STUN not found");
    CHECK(f.framing == MSTURN_FRAMING_RAW && f.flavor == MSTURN_FLAVOR_RFC5389,
          "framing %d flavor %d", f.framing, f.flavor);
    CHECK(f.pdu_len == 28 && f.prefix_len == 0, "pdu_len %u", f.pdu_len);
    /* only 8 bytes present: still recognised, PDU longer than what is here */
    CHECK(msturn_frame_detect(b, 8, 0, &f, &need) == MSTURN_FRAME_OK && f.pdu_len == 28,
          "short raw header: pdu_len %u", f.pdu_len);
    /* length not a multiple of 4 is not STUN */
    b[3] = 9;
    CHECK(msturn_frame_detect(b, n, 0, &f, &need) == MSTURN_FRAME_NOT_OURS, "length 9 accepted");
    b[3] = 8;
    /* the two top bits must be zero */
    b[0] = 0x40;
    CHECK(msturn_frame_detect(b, n, 0, &f, &need) == MSTURN_FRAME_NOT_OURS, "type 0x4003 accepted");
}

static void
test_rfc4571(void)
{
    uint8_t b[256];
    msturn_frame f;
    size_t n = stun_msg(b + 2, 0x0001, 1);

    put16(b, (uint16_t)n);
    CHECK(msturn_frame_detect(b, n + 2, 0, &f, NULL) == MSTURN_FRAME_OK, "RFC 4571 STUN not found");
    CHECK(f.framing == MSTURN_FRAMING_RFC4571 && f.prefix_len == 2 && f.payload_len == n &&
          f.pdu_len == n + 2, "framing %d prefix %u payload %u", f.framing, f.prefix_len,
          f.payload_len);
    /* a prefix that disagrees with the STUN length is refused */
    put16(b, (uint16_t)(n + 4));
    CHECK(msturn_frame_detect(b, n + 2, 0, &f, NULL) == MSTURN_FRAME_NOT_OURS,
          "lying RFC 4571 length accepted");
}

static void
test_rfc4571_rtp(void)
{
    /* RTP framed with RFC 4571 (RFC 3550 5.1 header, version 2): never STUN
     * unless the connection is a known relay. */
    uint8_t b[64] = { 0x00, 0x2c, 0x80, 0x60, 0x12, 0x34, 0x00, 0x00, 0x10, 0x00,
                      0xde, 0xad, 0xbe, 0xef };
    msturn_frame f;

    CHECK(msturn_frame_detect(b, sizeof b, 0, &f, NULL) == MSTURN_FRAME_NOT_OURS,
          "RTP in RFC 4571 claimed on an unknown connection");
    CHECK(msturn_frame_detect(b, sizeof b, MSTURN_CTX_KNOWN | MSTURN_CTX_RELAY4571, &f, NULL) ==
              MSTURN_FRAME_OK && f.flavor == MSTURN_FLAVOR_NONE && f.pdu_len == 46,
          "relayed RTP frame: flavor %d pdu %u", f.flavor, f.pdu_len);
}

static void
test_ms_framing(void)
{
    uint8_t b[256];
    msturn_frame f;
    size_t n = stun_msg(b + 4, 0x0003, 1);

    b[0] = 0x02;
    b[1] = 0x00;
    put16(b + 2, (uint16_t)n);
    CHECK(msturn_frame_detect(b, n + 4, 0, &f, NULL) == MSTURN_FRAME_OK &&
          f.framing == MSTURN_FRAMING_MS_CONTROL && f.prefix_len == 4 && f.pdu_len == n + 4,
          "MS-TURN control framing: framing %d", f.framing);

    n = legacy_msg(b + 4, 0x0003);
    put16(b + 2, (uint16_t)n);
    CHECK(msturn_frame_detect(b, n + 4, 0, &f, NULL) == MSTURN_FRAME_OK &&
          f.framing == MSTURN_FRAMING_MS_CONTROL && f.flavor == MSTURN_FLAVOR_LEGACY,
          "legacy MS-TURN in control framing: framing %d flavor %d", f.framing, f.flavor);

    /* end-to-end data frame: only on a connection already using the framing */
    b[0] = 0x03;
    put16(b + 2, 5);
    memcpy(b + 4, "hello", 5);
    CHECK(msturn_frame_detect(b, 9, 0, &f, NULL) == MSTURN_FRAME_NOT_OURS,
          "data frame claimed on unknown connection");
    CHECK(msturn_frame_detect(b, 9, MSTURN_CTX_KNOWN | MSTURN_CTX_MS_FRAMING, &f, NULL) ==
              MSTURN_FRAME_OK && f.framing == MSTURN_FRAMING_MS_DATA && f.pdu_len == 9,
          "data frame on MS connection: framing %d", f.framing);
}

static void
test_legacy_and_classic(void)
{
    uint8_t b[256];
    msturn_frame f;
    uint32_t len;
    size_t n = legacy_msg(b, 0x0115);

    CHECK(msturn_stun_header(b, n, 0, &len) == MSTURN_FLAVOR_LEGACY && len == n,
          "legacy Data Indication not found");
    CHECK(msturn_frame_detect(b, n, 0, &f, NULL) == MSTURN_FRAME_OK &&
          f.flavor == MSTURN_FLAVOR_LEGACY, "legacy raw: flavor %d", f.flavor);

    /* RFC 3489 Binding Request with a MAPPED-ADDRESS-shaped attribute. */
    n = 0;
    n += put16(b + n, 0x0001);
    n += put16(b + n, 12);
    memset(b + n, 0x77, 16);
    n += 16;
    n += put16(b + n, 0x0001);
    n += put16(b + n, 8);
    n += put32(b + n, 0x00010d96);
    n += put32(b + n, 0x0a3036e5);
    CHECK(msturn_stun_header(b, n, 0, &len) == MSTURN_FLAVOR_CLASSIC, "classic STUN not found");
    /* without the whole message, classic is not claimed */
    CHECK(msturn_stun_header(b, n - 4, 0, &len) == MSTURN_FLAVOR_NONE, "partial classic claimed");
    /* an attribute that RFC 3489 does not have makes it not classic */
    b[20] = 0x00;
    b[21] = 0x20;
    CHECK(msturn_stun_header(b, n, 0, &len) == MSTURN_FLAVOR_NONE, "classic with attr 0x0020");
    /* where STUN is expected (the TURN port), the message is decoded and the
     * attribute shown as unknown */
    CHECK(msturn_stun_header(b, n, MSTURN_CTX_KNOWN, &len) == MSTURN_FLAVOR_CLASSIC,
          "classic with attr 0x0020 refused on the TURN port");
    /* a datagram that holds the message exactly, on any port (a conferencing
     * client's Binding Request to 3479 with attribute 0x0101): taken, as
     * Wireshark's classic STUN heuristic takes it */
    b[21] = 0x01;
    b[20] = 0x01;
    CHECK(msturn_datagram_detect(b, n, 0, &f) == MSTURN_FRAME_OK &&
          f.flavor == MSTURN_FLAVOR_CLASSIC, "classic with attr 0x0101 in a datagram refused");
    /* ... but not bytes that merely start with one in a longer datagram */
    CHECK(msturn_stun_header(b, n + 4, MSTURN_CTX_DATAGRAM, &len) == MSTURN_FLAVOR_NONE,
          "classic with attr 0x0101 taken from a longer datagram");
}

/* RFC 8656 12.4/12.5 ChannelData as one UDP datagram: padding optional. */
static void
test_channeldata_datagram(void)
{
    uint8_t b[16] = { 0x40, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5, 0, 0, 0 };
    msturn_frame f;

    CHECK(msturn_channeldata_datagram(b, 9, &f) && f.framing == MSTURN_FRAMING_CHANNELDATA &&
          f.prefix_len == 4 && f.payload_len == 5 && f.pdu_len == 9, "unpadded ChannelData");
    CHECK(msturn_channeldata_datagram(b, 12, &f) && f.payload_len == 5 && f.pdu_len == 12,
          "ChannelData padded to 4 bytes");
    CHECK(!msturn_channeldata_datagram(b, 10, &f), "ChannelData with a stray byte");
    CHECK(!msturn_channeldata_datagram(b, 8, &f), "ChannelData cut short");
    b[0] = 0x80;                            /* RTP version 2 */
    CHECK(!msturn_channeldata_datagram(b, 9, &f), "RTP taken for ChannelData");
    b[0] = 0x3F;
    CHECK(!msturn_channeldata_datagram(b, 9, &f), "channel below 0x4000");
    CHECK(!msturn_channeldata_datagram(b, 3, &f), "3 bytes");
}

static void
test_channeldata(void)
{
    uint8_t b[16] = { 0x40, 0x01, 0x00, 0x05, 'a', 'b', 'c', 'd', 'e', 0, 0, 0 };
    msturn_frame f;

    CHECK(msturn_frame_detect(b, 12, 0, &f, NULL) == MSTURN_FRAME_NOT_OURS,
          "ChannelData claimed without a channel");
    CHECK(msturn_frame_detect(b, 12, MSTURN_CTX_KNOWN | MSTURN_CTX_CHANNELS, &f, NULL) ==
              MSTURN_FRAME_OK && f.framing == MSTURN_FRAMING_CHANNELDATA && f.payload_len == 5 &&
              f.pdu_len == 12, "ChannelData padded to 4: pdu %u", f.pdu_len);
}

static void
test_text_and_tls(void)
{
    static const char http[] = "GET / HTTP/1.1\r\nHost: example\r\n\r\n";
    static const uint8_t tls[] = { 0x16, 0x03, 0x01, 0x00, 0x2f, 0x01, 0x00, 0x00, 0x2b, 0x03,
                                   0x03, 0x21, 0x12, 0xa4, 0x42, 0, 0, 0, 0, 0, 0 };
    msturn_frame f;
    size_t need;

    CHECK(msturn_frame_detect((const uint8_t *)http, sizeof http - 1, 0, &f, &need) ==
              MSTURN_FRAME_NOT_OURS, "HTTP claimed");
    CHECK(msturn_frame_detect(tls, sizeof tls, 0, &f, &need) == MSTURN_FRAME_NOT_OURS,
          "TLS record claimed");
    CHECK(msturn_frame_detect(tls, 3, 0, &f, &need) == MSTURN_FRAME_NOT_OURS,
          "3 bytes claimed on an unknown connection");
}

static void
test_pseudo_tls(void)
{
    /* ServerHello (38 bytes of body) + ServerHelloDone in one record. */
    uint8_t b[64];
    size_t n = 0;
    uint32_t rec;

    memset(b, 0, sizeof b);
    b[n++] = 0x16; b[n++] = 0x03; b[n++] = 0x01;
    n += put16(b + n, 4 + 38 + 4);
    b[n++] = 0x02; b[n++] = 0; b[n++] = 0; b[n++] = 38;
    b[n++] = 0x03; b[n++] = 0x01;
    n += 36;                       /* random, session id length, suite, compression */
    b[n++] = 0x0E; b[n++] = 0; b[n++] = 0; b[n++] = 0;
    CHECK(msturn_is_tls_handshake(b, n, &rec) && rec == n, "record length %u", rec);
    CHECK(msturn_is_pseudo_tls_server_hello(b, n), "pseudo-TLS ServerHello+Done not recognised");
    /* real TLS: a Certificate follows the ServerHello instead */
    b[5 + 4 + 38] = 0x0B;
    CHECK(!msturn_is_pseudo_tls_server_hello(b, n), "ServerHello+Certificate taken for pseudo-TLS");
    CHECK(!msturn_is_pseudo_tls_server_hello(b, n - 1), "short record accepted");
}

static void
test_known_needs_more(void)
{
    uint8_t b[64];
    msturn_frame f;
    size_t need = 0;
    size_t n = stun_msg(b, 0x0101, 1);

    (void)n;
    CHECK(msturn_frame_detect(b, 3, MSTURN_CTX_KNOWN, &f, &need) == MSTURN_FRAME_NEED_MORE &&
          need >= 4, "3 bytes on a known connection: need %zu", need);
}

int
main(void)
{
    test_raw();
    test_rfc4571();
    test_rfc4571_rtp();
    test_ms_framing();
    test_legacy_and_classic();
    test_channeldata_datagram();
    test_channeldata();
    test_text_and_tls();
    test_known_needs_more();
    test_pseudo_tls();
    test_ms_dialect_lengths();
    test_layout();
    test_multiplexed();
    /* A whole [MS-TURN] legacy message whose bytes 0-9 also read as an RFC
     * 4571 frame of an odd-length RFC 5389 message: decided with its own 28
     * bytes as with more (waiting would stall a stream that ends there). */
    {
        static const uint8_t both[28] = {
            0x00, 0x7e, 0x00, 0x08, 0x00, 0x6a, 0x21, 0x12, 0xa4, 0x42, 0x00, 0x00, 0x00, 0x02,
            0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x0f, 0x00, 0x04, 0x72, 0xc6, 0x4b, 0xc6 };
        msturn_frame fb;
        size_t nb = 0;
        unsigned cx = MSTURN_CTX_KNOWN | MSTURN_CTX_MS_FRAMING | MSTURN_CTX_CHANNELS;
        CHECK(msturn_frame_detect(both, sizeof both, cx, &fb, &nb) == MSTURN_FRAME_OK &&
              fb.framing == MSTURN_FRAMING_RAW && fb.flavor == MSTURN_FLAVOR_LEGACY &&
              fb.pdu_len == 28, "legacy message in exactly its bytes: status, framing %d flavor %d pdu %u",
              (int)fb.framing, (int)fb.flavor, (unsigned)fb.pdu_len);
    }
    return CHECK_DONE();
}

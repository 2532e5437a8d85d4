/* Unit tests of msturn_media_classify: RTP and RTCP headers laid out as in
 * RFC 3550 (A.1 and A.2 validity), demultiplexed as in RFC 5761 4 and RFC
 * 7983 7, SRTCP as RFC 3711 3.4 lays it out, DTLS records as RFC 6347 4.1;
 * and the payloads of real DTLS-SRTP calls that must stay bytes.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "check.h"
#include "msturn_media.h"

/* An RTCP packet header at p: version 2, count, type, length in words - 1. */
static void
rtcp(uint8_t *p, uint8_t count, uint8_t type, uint16_t words_minus_1)
{
    p[0] = (uint8_t)(0x80 | count);
    p[1] = type;
    p[2] = (uint8_t)(words_minus_1 >> 8);
    p[3] = (uint8_t)words_minus_1;
}

static void
test_rtp(void)
{
    uint8_t b[64];

    memset(b, 0xA5, sizeof b);
    b[0] = 0x80; b[1] = 96;                     /* V=2, PT 96 */
    CHECK(msturn_media_classify(b, 12) == MSTURN_MEDIA_RTP, "RTP PT 96");
    CHECK(msturn_media_classify(b, 64) == MSTURN_MEDIA_RTP, "RTP with payload");
    b[1] = 0x80 | 111;                          /* marker, PT 111 */
    CHECK(msturn_media_classify(b, 16) == MSTURN_MEDIA_RTP, "RTP with marker");
    CHECK(msturn_media_classify(b, 11) == MSTURN_MEDIA_OTHER, "11 bytes cannot be RTP");
    b[1] = 224;
    CHECK(msturn_media_classify(b, 12) == MSTURN_MEDIA_RTP, "224 is RTP marker + PT 96");
    b[1] = 72;
    CHECK(msturn_media_classify(b, 20) == MSTURN_MEDIA_OTHER, "PT 72 collides with SR (RFC 5761 4)");

    /* header extension (RFC 3550 5.3.1, one-byte form of RFC 8285) */
    b[0] = 0x90; b[1] = 111;
    b[12] = 0xBE; b[13] = 0xDE; b[14] = 0; b[15] = 1;
    CHECK(msturn_media_classify(b, 24) == MSTURN_MEDIA_RTP, "extension of one word");
    CHECK(msturn_media_classify(b, 19) == MSTURN_MEDIA_OTHER, "extension past the end");
    /* a Data Indication's payload: 6 CSRCs and an extension that overrun */
    b[0] = 0x96; b[36] = 0x10; b[37] = 0x00; b[38] = 0x00; b[39] = 0x40;
    CHECK(msturn_media_classify(b, 60) == MSTURN_MEDIA_OTHER, "6 CSRCs, extension past the end");
    /* padding: its count is the last byte (RFC 3550 5.1) */
    b[0] = 0xA0; b[63] = 4;
    CHECK(msturn_media_classify(b, 64) == MSTURN_MEDIA_RTP, "padding of 4");
    b[63] = 60;
    CHECK(msturn_media_classify(b, 64) == MSTURN_MEDIA_OTHER, "padding into the header");
    b[63] = 0;
    CHECK(msturn_media_classify(b, 64) == MSTURN_MEDIA_OTHER, "padding count 0");
}

static void
test_rtcp(void)
{
    uint8_t b[64];

    memset(b, 0x5A, sizeof b);
    rtcp(b, 0, 200, 6);                         /* SR without report blocks: 28 bytes */
    CHECK(msturn_media_classify(b, 28) == MSTURN_MEDIA_RTCP, "SR alone");
    rtcp(b + 28, 1, 202, 2);                    /* SDES, 12 bytes */
    CHECK(msturn_media_classify(b, 40) == MSTURN_MEDIA_RTCP, "SR + SDES compound");
    CHECK(msturn_media_classify(b, 44) == MSTURN_MEDIA_SRTCP,
          "4 bytes after the compound: SRTCP index");
    CHECK(msturn_media_classify(b, 54) == MSTURN_MEDIA_SRTCP,
          "index and 80-bit tag after the compound: SRTCP");
    CHECK(msturn_media_classify(b, 38) == MSTURN_MEDIA_SRTCP,
          "second packet past the end: first stands, rest encrypted");

    /* an RR whose second 'packet' (ciphertext) claims 143 984 bytes in a
     * 50-byte ChannelData payload */
    memset(b, 0x33, sizeof b);
    rtcp(b, 0, 201, 1);
    b[8] = 0x8F; b[9] = 0xCA; b[10] = 0x8C; b[11] = 0x9B;
    CHECK(msturn_media_classify(b, 50) == MSTURN_MEDIA_SRTCP, "SRTCP receiver report");
    rtcp(b, 0, 201, 20);
    CHECK(msturn_media_classify(b, 50) == MSTURN_MEDIA_OTHER, "RR longer than the datagram");

    /* first packet neither SR nor RR nor feedback (RFC 3550 A.2, RFC 5506) */
    rtcp(b, 0, 204, 2);
    CHECK(msturn_media_classify(b, 12) == MSTURN_MEDIA_OTHER, "APP cannot come first");
    rtcp(b, 1, 205, 3);                         /* Generic NACK, reduced size */
    CHECK(msturn_media_classify(b, 16) == MSTURN_MEDIA_RTCP, "reduced-size RTPFB");
    CHECK(msturn_media_classify(b, 14) == MSTURN_MEDIA_OTHER, "RTPFB read past its end");
    /* a version 1 packet inside the compound breaks the walk */
    rtcp(b, 0, 201, 1);
    rtcp(b + 8, 0, 204, 3);
    b[8] = 0x40;
    CHECK(msturn_media_classify(b, 24) == MSTURN_MEDIA_SRTCP, "second packet of version 1");
    CHECK(msturn_media_classify(b, 7) == MSTURN_MEDIA_OTHER, "7 bytes cannot be RTCP");
}

static void
test_demux(void)
{
    uint8_t b[64];

    memset(b, 0, sizeof b);
    b[0] = 0x00; b[1] = 0x01;                   /* a STUN Binding Request */
    CHECK(msturn_media_classify(b, 20) == MSTURN_MEDIA_NONE, "STUN range");
    b[0] = 0x40;                                /* TURN channel range */
    CHECK(msturn_media_classify(b, 16) == MSTURN_MEDIA_NONE, "channel range");
    b[0] = 0x10;                                /* ZRTP */
    CHECK(msturn_media_classify(b, 16) == MSTURN_MEDIA_NONE, "ZRTP range");
    b[0] = 0xC0;
    CHECK(msturn_media_classify(b, 16) == MSTURN_MEDIA_NONE, "above RFC 7983's RTP range");
    CHECK(msturn_media_classify(b, 0) == MSTURN_MEDIA_NONE, "empty");

    /* DTLS 1.2 application data: 13-byte header + 35 bytes of ciphertext */
    memset(b, 0x77, sizeof b);
    b[0] = 23; b[1] = 254; b[2] = 253; b[11] = 0; b[12] = 35;
    CHECK(msturn_media_classify(b, 48) == MSTURN_MEDIA_DTLS, "DTLS application data");
    CHECK(msturn_media_classify(b, 47) == MSTURN_MEDIA_OTHER, "DTLS record cut short");
    /* two records in one datagram: change_cipher_spec, then a handshake */
    b[0] = 20; b[12] = 1; b[13] = 1;
    b[14] = 22; b[15] = 254; b[16] = 253; b[25] = 0; b[26] = 21;
    CHECK(msturn_media_classify(b, 48) == MSTURN_MEDIA_DTLS, "two DTLS records");
    b[15] = 3;
    CHECK(msturn_media_classify(b, 48) == MSTURN_MEDIA_OTHER, "TLS version inside DTLS");
}

int
main(void)
{
    test_rtp();
    test_rtcp();
    test_demux();
    return CHECK_DONE();
}

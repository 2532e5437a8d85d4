/* Unit tests of msturn_media_classify on RTP and RTCP headers laid out as in
 * RFC 3550 and demultiplexed as in RFC 5761 4.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "check.h"
#include "msturn_media.h"

int
main(void)
{
    uint8_t b[16];

    memset(b, 0, sizeof b);
    b[0] = 0x80; b[1] = 96;                     /* V=2, PT 96 */
    CHECK(msturn_media_classify(b, 12) == MSTURN_MEDIA_RTP, "RTP PT 96");
    b[1] = 0x80 | 111;                          /* marker, PT 111 */
    CHECK(msturn_media_classify(b, 16) == MSTURN_MEDIA_RTP, "RTP with marker");
    CHECK(msturn_media_classify(b, 11) == MSTURN_MEDIA_NONE, "11 bytes cannot be RTP");
    b[1] = 200;                                 /* RTCP SR */
    CHECK(msturn_media_classify(b, 8) == MSTURN_MEDIA_RTCP, "RTCP SR");
    b[1] = 223;
    CHECK(msturn_media_classify(b, 8) == MSTURN_MEDIA_RTCP, "upper end of RTCP range");
    b[1] = 224;
    CHECK(msturn_media_classify(b, 12) == MSTURN_MEDIA_RTP, "224 is RTP marker + PT 96");
    b[0] = 0x00; b[1] = 0x01;                   /* a STUN Binding Request */
    CHECK(msturn_media_classify(b, 16) == MSTURN_MEDIA_NONE, "version 0 is not RTP");
    b[0] = 0x40;
    CHECK(msturn_media_classify(b, 16) == MSTURN_MEDIA_NONE, "version 1 is not RTP");
    b[0] = 0x80; b[1] = 200;
    CHECK(msturn_media_classify(b, 7) == MSTURN_MEDIA_NONE, "7 bytes cannot be RTCP");
    return CHECK_DONE();
}

/* msturn_media.c - RTP or RTCP inside an RFC 4571 frame.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "msturn_media.h"

msturn_media_kind
msturn_media_classify(const uint8_t *p, size_t len)
{
    /* RFC 3550 5.1: a 12-byte fixed header whose first two bits are the
     * version, 2.  RTCP (RFC 3550 6.4) packets are at least 8 bytes. */
    if (len < 8 || (p[0] & 0xC0) != 0x80)
        return MSTURN_MEDIA_NONE;
    /* RFC 5761 4: on a shared path, a second byte of 192 to 223 is an RTCP
     * packet type (SR 200, RR 201, ... ); anything else is RTP's marker bit
     * and payload type. */
    if (p[1] >= 192 && p[1] <= 223)
        return MSTURN_MEDIA_RTCP;
    return len >= 12 ? MSTURN_MEDIA_RTP : MSTURN_MEDIA_NONE;
}

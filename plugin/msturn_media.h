/* msturn_media.h - what an RFC 4571 frame that is not STUN carries.
 *
 * On an ICE-TCP path (RFC 6544), once the checks are done, each RFC 4571
 * frame holds one RTP or RTCP packet.  Pure code: no epan dependency.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MSTURN_MEDIA_H
#define MSTURN_MEDIA_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    MSTURN_MEDIA_NONE = 0,   /* not RTP/RTCP (or too short to tell) */
    MSTURN_MEDIA_RTP,
    MSTURN_MEDIA_RTCP
} msturn_media_kind;

/* Classify the start of one frame's payload; len is the payload's length. */
msturn_media_kind msturn_media_classify(const uint8_t *p, size_t len);

#endif

/* msturn_media.h - what the peer's datagram relayed by TURN carries.
 *
 * On an ICE-TCP path (RFC 6544), once the checks are done, each RFC 4571
 * frame holds one RTP or RTCP packet; inside Send and Data indications and
 * ChannelData, WebRTC clients relay DTLS and SRTP/SRTCP (RFC 5764).  The
 * checks are strict, as RFC 3550 A.1 and A.2 give them: what fails them is
 * shown as bytes, never handed to a dissector that would mark it Malformed.
 * Pure code: no epan dependency.
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
    MSTURN_MEDIA_NONE = 0,   /* none of the below (or too short to tell) */
    MSTURN_MEDIA_RTP,        /* RTP or SRTP: a whole, consistent RTP header */
    MSTURN_MEDIA_RTCP,       /* a compound RTCP packet filling the datagram */
    MSTURN_MEDIA_SRTCP,      /* RTCP header, then an encrypted portion (RFC 3711 3.4) */
    MSTURN_MEDIA_DTLS,       /* DTLS records filling the datagram (RFC 6347 4.1) */
    MSTURN_MEDIA_OTHER       /* first byte in RFC 7983's DTLS or RTP/RTCP range, checks failed */
} msturn_media_kind;

/* RFC 7983 7: does a datagram starting with byte b fall in the DTLS
 * (20-63) or RTP/RTCP (128-191) range, the ones msturn_media_classify
 * decides? */
static inline int msturn_media_range(uint8_t b)
{
    return (b >= 20 && b <= 63) || (b >= 128 && b <= 191);
}

/* Classify one whole datagram of the peer's (len bytes at p). */
msturn_media_kind msturn_media_classify(const uint8_t *p, size_t len);

#endif

/* msturn_media.c - RTP, RTCP, SRTCP or DTLS inside relayed data.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "msturn_media.h"

#include <stdbool.h>

static inline uint16_t rd16(const uint8_t *p) { return (uint16_t)((p[0] << 8) | p[1]); }

/* RFC 5761 4: on a shared path, a second byte of 192 to 223 is an RTCP
 * packet type (SR 200, RR 201, ...); anything else is RTP's marker bit and
 * payload type. */
static inline bool rtcp_type(uint8_t b) { return b >= 192 && b <= 223; }

/* RFC 3550 A.2: the first packet of a compound is an SR or an RR; RFC 5506
 * 3.4.2 lets a reduced-size packet start with feedback (RTPFB 205, PSFB 206). */
static inline bool rtcp_first(uint8_t b) { return b == 200 || b == 201 || b == 205 || b == 206; }

/* RFC 3550 A.1: version 2, the payload type not one that collides with SR
 * or RR (72-76: RFC 5761 4 sets them apart), the CSRC list and the header
 * extension inside the packet, and padding (its count in the last byte)
 * no longer than what follows the header. */
static bool
rtp_valid(const uint8_t *p, size_t len)
{
    size_t hdr = 12u + 4u * (p[0] & 0x0Fu);
    uint8_t pt = p[1] & 0x7Fu;

    if (len < 12 || (pt >= 72 && pt <= 76) || hdr > len)
        return false;
    if (p[0] & 0x10u) {                       /* RFC 3550 5.3.1 */
        if (hdr + 4 > len)
            return false;
        hdr += 4u + 4u * rd16(p + hdr + 2);
        if (hdr > len)
            return false;
    }
    if (p[0] & 0x20u) {                       /* RFC 3550 5.1, P */
        uint8_t pad = p[len - 1];
        if (pad == 0 || hdr + pad > len)
            return false;
    }
    return true;
}

/* Walk the packets of a compound RTCP packet (RFC 3550 6.1, A.2): each of
 * version 2 with an RTCP type, the lengths adding up exactly to len.
 * Returns the bytes that the valid packets cover. */
static size_t
rtcp_walk(const uint8_t *p, size_t len)
{
    size_t off = 0;

    while (off + 4 <= len) {
        size_t plen = 4u * ((size_t)rd16(p + off + 2) + 1u);
        if ((p[off] & 0xC0u) != 0x80u || !rtcp_type(p[off + 1]) || off + plen > len)
            break;
        off += plen;
    }
    return off;
}

/* DTLS 1.0/1.2 records (RFC 6347 4.1): content type 20-25, version
 * {254, 255} or {254, 253}, 13-byte header, the records filling len. */
static bool
dtls_valid(const uint8_t *p, size_t len)
{
    size_t off = 0;

    while (off + 13 <= len) {
        const uint8_t *r = p + off;
        if (r[0] < 20 || r[0] > 25 || r[1] != 254 || (r[2] != 255 && r[2] != 253))
            return false;
        off += 13u + rd16(r + 11);
    }
    return off == len && len > 0;
}

msturn_media_kind
msturn_media_classify(const uint8_t *p, size_t len)
{
    if (len == 0)
        return MSTURN_MEDIA_NONE;
    /* RFC 7983 7: the first byte tells DTLS (20-63) and RTP/RTCP (128-191)
     * from STUN, ZRTP and TURN channels */
    if (!msturn_media_range(p[0]))
        return MSTURN_MEDIA_NONE;
    if (p[0] <= 63)
        return dtls_valid(p, len) ? MSTURN_MEDIA_DTLS : MSTURN_MEDIA_OTHER;
    if (len >= 8 && rtcp_type(p[1])) {
        size_t first = 4u * ((size_t)rd16(p + 2) + 1u);
        if (!rtcp_first(p[1]) || first > len)
            return MSTURN_MEDIA_OTHER;
        if (rtcp_walk(p, len) == len)
            return MSTURN_MEDIA_RTCP;
        /* RFC 3711 3.4: SRTCP encrypts all but the first 8 bytes and
         * appends the E flag and SRTCP index (4 bytes, mandatory) and the
         * authentication tag: the first header stands, the rest does not
         * parse as RTCP */
        return first + 4 <= len ? MSTURN_MEDIA_SRTCP : MSTURN_MEDIA_OTHER;
    }
    return rtp_valid(p, len) ? MSTURN_MEDIA_RTP : MSTURN_MEDIA_OTHER;
}

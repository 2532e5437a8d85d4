/* msturn_framing.c - STUN framing detection in TCP payloads (pure code).
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "msturn_framing.h"

static inline uint16_t rd16(const uint8_t *p) { return (uint16_t)((p[0] << 8) | p[1]); }
static inline uint32_t rd32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

/* RFC 3489 11.1 message types, the only ones a classic message may carry. */
static int classic_type(uint16_t t)
{
    switch (t) {
    case 0x0001: case 0x0101: case 0x0111:   /* Binding */
    case 0x0002: case 0x0102: case 0x0112:   /* Shared Secret */
        return 1;
    default:
        return 0;
    }
}

/* Do the attributes of a message, laid out with or without padding, end
 * exactly where its header says?  p points at the first attribute, len is the
 * header's message length.  RFC 8489 14 pads every value to 4 bytes;
 * [MS-TURN] 2.2.2 and RFC 3489 11.2 do not pad at all (an ERROR-CODE of length
 * 61 is followed directly by the next attribute). */
static int
attrs_fit(const uint8_t *p, uint32_t len, int padded)
{
    uint32_t off = 0;
    while (off + 4 <= len) {
        uint32_t al = rd16(p + off + 2);
        off += 4u + (padded ? ((al + 3u) & ~3u) : al);
    }
    return off == len;
}

msturn_attr_layout
msturn_attr_layout_of(const uint8_t *attrs, size_t len, int unpadded_first)
{
    uint32_t n = len > 0xFFFFu ? 0xFFFFu : (uint32_t)len;
    int first = unpadded_first ? 0 : 1;
    if (attrs_fit(attrs, n, first))
        return first ? MSTURN_LAYOUT_PADDED : MSTURN_LAYOUT_UNPADDED;
    if (attrs_fit(attrs, n, !first))
        return first ? MSTURN_LAYOUT_UNPADDED : MSTURN_LAYOUT_PADDED;
    return MSTURN_LAYOUT_BROKEN;
}

int
msturn_has_ms_cookie_attr(const uint8_t *p, size_t avail)
{
    /* [MS-TURN] 2.2.2 and 3.1.10: MAGIC-COOKIE (0x000F, length 4, value
     * 0x72C64BC6) is the first attribute of every MS-TURN message. */
    return avail >= 28 && rd16(p + 20) == MSTURN_ATTR_MAGIC_COOKIE && rd16(p + 22) == 4 &&
           rd32(p + 24) == MSTURN_MS_MAGIC_COOKIE;
}

/* Without a cookie the only evidence is structure: every attribute must be a
 * classic one (RFC 3489 11.2, 0x0001-0x000B, or the comprehension-optional
 * range) and the attribute lengths must add up exactly to the message, with
 * or without padding. */
static int
classic_attrs_consistent(const uint8_t *p, uint32_t msg_len, unsigned ctx)
{
    uint32_t off = MSTURN_HEADER_LEN;
    if (msg_len == MSTURN_HEADER_LEN)
        return 0;               /* an empty message proves nothing */
    while (off + 4 <= msg_len) {
        uint16_t at = rd16(p + off);
        /* Without a cookie, only the attributes vouch for the message: on
         * bytes nobody said are STUN, each must be one of RFC 3489 11.2 (or
         * comprehension-optional); where STUN is expected (the TURN port, a
         * known connection) or where a datagram holds the message exactly
         * (the evidence Wireshark's classic STUN heuristic rests on), an
         * attribute RFC 3489 lacks is shown as such rather than the message
         * refused. */
        if (!(ctx & (MSTURN_CTX_KNOWN | MSTURN_CTX_DATAGRAM)) &&
            !((at >= 0x0001 && at <= 0x000B) || at >= 0x8000))
            return 0;
        off += 4u + rd16(p + off + 2);
    }
    return msturn_attr_layout_of(p + MSTURN_HEADER_LEN, msg_len - MSTURN_HEADER_LEN, 1) !=
           MSTURN_LAYOUT_BROKEN;
}

/* A header's length field is a multiple of 4 (RFC 8489 6), except in
 * [MS-TURN] messages, which pad nothing ([MS-TURN] 2.2.2): those are known by
 * their first attribute, so an odd length needs its first 28 bytes in hand. */
static int
length_ok(const uint8_t *p, size_t avail)
{
    /* the MAGIC-COOKIE attribute must lie inside the message itself */
    return (rd16(p + 2) & 3u) == 0 || (rd16(p + 2) >= 8 && msturn_has_ms_cookie_attr(p, avail));
}

/* An odd length that only the first attribute, not yet in view, can tell. */
static int
odd_length_undecided(const uint8_t *p, size_t avail)
{
    return (rd16(p + 2) & 3u) != 0 && rd16(p + 2) >= 8 && avail < 28;
}

static int cookieless_complete(const uint8_t *p, size_t avail, unsigned ctx);

msturn_flavor
msturn_stun_header(const uint8_t *p, size_t avail, unsigned ctx, uint32_t *msg_len)
{
    uint16_t type, len;

    if (avail < 8)
        return MSTURN_FLAVOR_NONE;
    type = rd16(p);
    len = rd16(p + 2);
    if ((type & 0xC000u) != 0)                       /* RFC 8489 5 */
        return MSTURN_FLAVOR_NONE;
    *msg_len = MSTURN_HEADER_LEN + len;

    if (rd32(p + 4) == MSTURN_MAGIC_COOKIE)
        return length_ok(p, avail) ? MSTURN_FLAVOR_RFC5389 : MSTURN_FLAVOR_NONE;

    /* [MS-TURN] 2.2.2: the MAGIC-COOKIE attribute comes first. */
    if (len >= 8 && msturn_has_ms_cookie_attr(p, avail))
        return MSTURN_FLAVOR_LEGACY;

    /* RFC 3489 classic STUN: only with the whole message in hand; its
     * attributes are not padded (RFC 3489 11.2), so any length may do. */
    if (classic_type(type)) {
        if ((ctx & MSTURN_CTX_DATAGRAM) && avail != *msg_len)
            ctx &= ~MSTURN_CTX_DATAGRAM;
        if (avail >= *msg_len && classic_attrs_consistent(p, *msg_len, ctx))
            return MSTURN_FLAVOR_CLASSIC;
    }
    return MSTURN_FLAVOR_NONE;
}

/* A cookie-less message (step 4) that the bytes at p already hold whole:
 * waiting for the 28 bytes that would tell an odd-length RFC 5389 reading
 * must not hold it back, or a stream that ends with it would stall, and the
 * message would be decided one way with its own bytes and another with more. */
static int
cookieless_complete(const uint8_t *p, size_t avail, unsigned ctx)
{
    uint32_t m = 0;
    return (p[0] & 0xC0) == 0 && msturn_stun_header(p, avail, ctx, &m) != MSTURN_FLAVOR_NONE &&
           m <= avail;
}

static void
set_frame(msturn_frame *out, msturn_framing_kind k, msturn_flavor f,
          uint32_t prefix, uint32_t payload, uint32_t pdu)
{
    out->framing = k;
    out->flavor = f;
    out->prefix_len = prefix;
    out->payload_len = payload;
    out->pdu_len = pdu;
}

/* Bytes needed before msturn_stun_header can tell a cookie-less message. */
static size_t legacy_probe_len(const uint8_t *p, size_t avail)
{
    uint32_t len;
    if (avail < 4)
        return 28;
    len = MSTURN_HEADER_LEN + rd16(p + 2);
    /* the legacy cookie attribute is at 20..27; classic needs the whole */
    return classic_type(rd16(p)) ? (len > 28 ? len : 28) : 28;
}

/* An [MS-TURN] 2.2.3 multiplexed TURN packet at p (0xFF10, the length of
 * what follows it, an 8-byte session ID, then the wrapped message or data)?
 * Sets *out, with the flavor of the STUN message it wraps or NONE for data;
 * the callers decide whether they claim wrapped data. */
static int
mux_packet(const uint8_t *p, size_t avail, msturn_frame *out)
{
    uint32_t xlen, inner, mlen = 0;
    msturn_flavor fl = MSTURN_FLAVOR_NONE;

    if (avail < 4 || p[0] != 0xFF || p[1] != 0x10 || rd16(p + 2) < MSTURN_MUX_SESSION_ID_LEN)
        return 0;
    xlen = rd16(p + 2);
    inner = xlen - MSTURN_MUX_SESSION_ID_LEN;
    /* STUN inside only if its own length fills the packet exactly */
    if (avail >= MSTURN_MUX_HEADER_LEN + 8) {
        msturn_flavor in = msturn_stun_header(p + MSTURN_MUX_HEADER_LEN, avail - MSTURN_MUX_HEADER_LEN,
                                              MSTURN_CTX_KNOWN, &mlen);
        if (mlen == inner)
            fl = in;
    }
    set_frame(out, MSTURN_FRAMING_MS_MULTIPLEXED, fl, MSTURN_MUX_HEADER_LEN, inner, 4u + xlen);
    return 1;
}

/* Could a later step claim these bytes as something else (a relayed RFC 4571
 * frame, an [MS-TURN] 2.1.4 data frame, ChannelData, a multiplexed packet)?
 * Then waiting for the 28 bytes that tell an odd-length [MS-TURN] message
 * would make the decision depend on where a segment ends. */
static int
other_framing_possible(const uint8_t *p, unsigned ctx)
{
    return (ctx & MSTURN_CTX_RELAY4571) ||
           ((ctx & MSTURN_CTX_MS_FRAMING) && (p[0] == 0x02 || p[0] == 0x03) && p[1] == 0) ||
           ((ctx & MSTURN_CTX_CHANNELS) && p[0] >= 0x40 && p[0] <= 0x7F) ||
           (p[0] == 0xFF && p[1] == 0x10);
}

msturn_frame_status
msturn_frame_detect(const uint8_t *p, size_t avail, unsigned ctx,
                    msturn_frame *out, size_t *need_len)
{
    uint32_t mlen = 0;
    msturn_flavor fl;
    size_t dummy;

    if (need_len == NULL)
        need_len = &dummy;
    *need_len = 0;

    if (avail < 4) {
        /* A whole RFC 4571 frame of 0 or 1 bytes on relayed ICE-TCP: decide
         * now, as step 6 does with more bytes, or the stream would stall. */
        if ((ctx & MSTURN_CTX_KNOWN) && (ctx & MSTURN_CTX_RELAY4571) && avail >= 2 &&
            2u + rd16(p) <= avail) {
            set_frame(out, MSTURN_FRAMING_RFC4571, MSTURN_FLAVOR_NONE, 2, rd16(p), 2u + rd16(p));
            return MSTURN_FRAME_OK;
        }
        *need_len = 4;
        return (ctx & MSTURN_CTX_KNOWN) ? MSTURN_FRAME_NEED_MORE : MSTURN_FRAME_NOT_OURS;
    }

    /* 1. Raw STUN with the magic cookie: the strongest signature. */
    if (avail >= 8 && (p[0] & 0xC0) == 0 && rd32(p + 4) == MSTURN_MAGIC_COOKIE) {
        if (length_ok(p, avail)) {
            mlen = MSTURN_HEADER_LEN + rd16(p + 2);
            set_frame(out, MSTURN_FRAMING_RAW, MSTURN_FLAVOR_RFC5389, 0, mlen, mlen);
            return MSTURN_FRAME_OK;
        }
        if (odd_length_undecided(p, avail) && (ctx & MSTURN_CTX_KNOWN) &&
            !other_framing_possible(p, ctx) && !cookieless_complete(p, avail, ctx)) {
            *need_len = 28;     /* an odd length: is MAGIC-COOKIE the first attribute? */
            return MSTURN_FRAME_NEED_MORE;
        }
    }

    /* 2. RFC 4571: length, then a STUN message exactly that long. */
    if (avail >= 10 && rd32(p + 6) == MSTURN_MAGIC_COOKIE && (p[2] & 0xC0) == 0 &&
        rd16(p) == MSTURN_HEADER_LEN + rd16(p + 4)) {
        if (length_ok(p + 2, avail - 2)) {
            mlen = rd16(p);
            set_frame(out, MSTURN_FRAMING_RFC4571, MSTURN_FLAVOR_RFC5389, 2, mlen, 2 + mlen);
            return MSTURN_FRAME_OK;
        }
        if (odd_length_undecided(p + 2, avail - 2) && (ctx & MSTURN_CTX_KNOWN) &&
            !other_framing_possible(p, ctx) && !cookieless_complete(p, avail, ctx)) {
            *need_len = 2 + 28;
            return MSTURN_FRAME_NEED_MORE;
        }
    }

    /* 3. [MS-TURN] 2.1.4 TCP framing: type 0x02/0x03, reserved 0, length. */
    if ((p[0] == 0x02 || p[0] == 0x03) && p[1] == 0) {
        msturn_framing_kind k = p[0] == 0x02 ? MSTURN_FRAMING_MS_CONTROL : MSTURN_FRAMING_MS_DATA;
        uint32_t flen = rd16(p + 2);
        if (avail >= 12 && rd32(p + 8) == MSTURN_MAGIC_COOKIE && (p[4] & 0xC0) == 0 &&
            flen == MSTURN_HEADER_LEN + rd16(p + 6)) {
            if (length_ok(p + 4, avail - 4)) {
                set_frame(out, k, MSTURN_FLAVOR_RFC5389, 4, flen, 4 + flen);
                return MSTURN_FRAME_OK;
            }
            if (odd_length_undecided(p + 4, avail - 4) && (ctx & MSTURN_CTX_KNOWN) &&
                !other_framing_possible(p, ctx) && !cookieless_complete(p, avail, ctx)) {
                *need_len = 4 + 28;
                return MSTURN_FRAME_NEED_MORE;
            }
        }
        if (avail >= 4 + 28) {
            fl = msturn_stun_header(p + 4, avail - 4, ctx, &mlen);
            if (fl == MSTURN_FLAVOR_LEGACY && flen == mlen) {
                set_frame(out, k, fl, 4, flen, 4 + flen);
                return MSTURN_FRAME_OK;
            }
        }
        if (ctx & MSTURN_CTX_MS_FRAMING) {
            /* End-to-end data, or a control frame we could not parse yet
             * (a whole frame shorter than 28 bytes cannot be legacy STUN). */
            if (p[0] == 0x02 && avail < 4 + 28 && avail < 4 + flen && flen >= MSTURN_HEADER_LEN) {
                *need_len = 4 + 28 < 4 + flen ? 4 + 28 : 4 + flen;
                return MSTURN_FRAME_NEED_MORE;
            }
            set_frame(out, k, MSTURN_FLAVOR_NONE, 4, flen, 4 + flen);
            return MSTURN_FRAME_OK;
        }
    }

    /* 3a. [MS-TURN] 2.2.3 multiplexed TURN.  A new connection is claimed
     *     only for a wrapped STUN message, and on relayed ICE-TCP 0xFF10 is
     *     more likely an RFC 4571 length: there wrapped data is not taken. */
    if (mux_packet(p, avail, out) &&
        (out->flavor != MSTURN_FLAVOR_NONE ||
         ((ctx & MSTURN_CTX_KNOWN) && !(ctx & MSTURN_CTX_RELAY4571))))
        return MSTURN_FRAME_OK;

    /* 4. Cookie-less STUN: [MS-TURN] legacy or RFC 3489 classic, raw or in
     *    an RFC 4571 frame. */
    if ((p[0] & 0xC0) == 0) {
        fl = msturn_stun_header(p, avail, ctx, &mlen);
        if (fl != MSTURN_FLAVOR_NONE) {
            set_frame(out, MSTURN_FRAMING_RAW, fl, 0, mlen, mlen);
            return MSTURN_FRAME_OK;
        }
    }
    if (avail >= 6 && (p[2] & 0xC0) == 0) {
        fl = msturn_stun_header(p + 2, avail - 2, ctx, &mlen);
        if (fl != MSTURN_FLAVOR_NONE && rd16(p) == mlen) {
            set_frame(out, MSTURN_FRAMING_RFC4571, fl, 2, mlen, 2 + mlen);
            return MSTURN_FRAME_OK;
        }
    }

    /* 5. ChannelData, RFC 8656 12.5: channel 0x4000-0x4FFF (RFC 5766 allowed
     *    up to 0x7FFF); over TCP padded to a multiple of 4 (12.5). */
    if ((ctx & MSTURN_CTX_KNOWN) && (ctx & MSTURN_CTX_CHANNELS) && p[0] >= 0x40 && p[0] <= 0x7F) {
        uint32_t dlen = rd16(p + 2);
        set_frame(out, MSTURN_FRAMING_CHANNELDATA, MSTURN_FLAVOR_NONE, 4, dlen,
                  4 + ((dlen + 3u) & ~3u));
        return MSTURN_FRAME_OK;
    }

    /* 6. Relayed ICE-TCP: any RFC 4571 frame. */
    if ((ctx & MSTURN_CTX_KNOWN) && (ctx & MSTURN_CTX_RELAY4571)) {
        uint32_t flen = rd16(p);
        set_frame(out, MSTURN_FRAMING_RFC4571, MSTURN_FLAVOR_NONE, 2, flen, 2 + flen);
        return MSTURN_FRAME_OK;
    }

    /* Not decided yet: on a known connection, a short read of something that
     * could still become a cookie-less message is worth waiting for. */
    if ((ctx & MSTURN_CTX_KNOWN) && avail < 10) {
        *need_len = 10;
        return MSTURN_FRAME_NEED_MORE;
    }
    if ((ctx & MSTURN_CTX_KNOWN) && (p[0] & 0xC0) == 0) {
        size_t want = legacy_probe_len(p, avail);
        if (avail < want && want <= MSTURN_HEADER_LEN + 0xFFFFu) {
            *need_len = want;
            return MSTURN_FRAME_NEED_MORE;
        }
    }
    return MSTURN_FRAME_NOT_OURS;
}

msturn_frame_status
msturn_datagram_detect(const uint8_t *p, size_t avail, int known, msturn_frame *out)
{
    uint32_t mlen = 0;
    msturn_flavor fl;

    if (mux_packet(p, avail, out))
        return (out->flavor != MSTURN_FLAVOR_NONE || known) ? MSTURN_FRAME_OK
                                                            : MSTURN_FRAME_NOT_OURS;
    fl = msturn_stun_header(p, avail, (known ? MSTURN_CTX_KNOWN : 0) | MSTURN_CTX_DATAGRAM, &mlen);
    if (fl == MSTURN_FLAVOR_NONE)
        return MSTURN_FRAME_NOT_OURS;
    set_frame(out, MSTURN_FRAMING_RAW, fl, 0, mlen, mlen);
    return MSTURN_FRAME_OK;
}

int
msturn_channeldata_datagram(const uint8_t *p, size_t avail, msturn_frame *out)
{
    uint32_t dlen;

    if (avail < 4 || p[0] < 0x40 || p[0] > 0x7F)
        return 0;
    dlen = rd16(p + 2);
    if (avail != 4u + dlen && avail != 4u + ((dlen + 3u) & ~3u))
        return 0;
    set_frame(out, MSTURN_FRAMING_CHANNELDATA, MSTURN_FLAVOR_NONE, 4, dlen, (uint32_t)avail);
    return 1;
}

int
msturn_is_tls_handshake(const uint8_t *p, size_t avail, uint32_t *record_len)
{
    if (avail < 5 || p[0] != 0x16 || p[1] != 0x03 || p[2] > 0x03)
        return 0;
    *record_len = 5u + rd16(p + 3);
    return 1;
}

int
msturn_is_pseudo_tls_server_hello(const uint8_t *p, size_t avail)
{
    uint32_t rec, hello_len;

    if (!msturn_is_tls_handshake(p, avail, &rec) || avail < rec || rec < 5 + 4 + 4)
        return 0;
    if (p[5] != 0x02)                               /* ServerHello (RFC 2246 7.4) */
        return 0;
    hello_len = ((uint32_t)p[6] << 16) | ((uint32_t)p[7] << 8) | p[8];
    if (5 + 4 + hello_len + 4 != rec)               /* exactly one more message */
        return 0;
    p += 5 + 4 + hello_len;
    return p[0] == 0x0E && p[1] == 0 && p[2] == 0 && p[3] == 0;   /* ServerHelloDone */
}

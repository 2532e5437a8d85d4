/* msturn_framing.h - where STUN messages sit inside a TCP byte stream.
 *
 * Pure code with no epan dependency: given the bytes available at the start
 * of a PDU, say which framing they use, how long the PDU is, or that more
 * bytes are needed, or that they are not ours.  Unit tests and the fuzzer
 * call it directly; the dissector calls it once per PDU.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef MSTURN_FRAMING_H
#define MSTURN_FRAMING_H

#include <stddef.h>
#include <stdint.h>

#define MSTURN_MAGIC_COOKIE     0x2112A442u  /* RFC 5389 6 */
#define MSTURN_MS_MAGIC_COOKIE  0x72C64BC6u  /* [MS-TURN] 2.2.2.6 MAGIC-COOKIE value */
#define MSTURN_ATTR_MAGIC_COOKIE 0x000Fu
#define MSTURN_HEADER_LEN       20u

/* How a message sat in TCP (msturn.framing). */
typedef enum {
    MSTURN_FRAMING_RAW          = 0, /* STUN header straight in the stream */
    MSTURN_FRAMING_RFC4571      = 1, /* 2-byte length prefix, RFC 4571 2 / RFC 6544 */
    MSTURN_FRAMING_MS_CONTROL   = 2, /* [MS-TURN] 2.1.4 TCP framing, type 0x02 */
    MSTURN_FRAMING_MS_DATA      = 3, /* [MS-TURN] 2.1.4 TCP framing, type 0x03 */
    MSTURN_FRAMING_CHANNELDATA  = 4, /* RFC 8656 12.5 ChannelData, padded over TCP */
    MSTURN_FRAMING_MS_MULTIPLEXED = 5, /* [MS-TURN] 2.2.3 multiplexed TURN, 0xFF10 */
    MSTURN_FRAMING_DATA_ATTR    = 6  /* inside the DATA attribute of another message */
} msturn_framing_kind;

/* [MS-TURN] 2.2.3: Channel_ID 0xFF10, Length, MTURN_Session_ID (8 bytes). */
#define MSTURN_MUX_CHANNEL        0xFF10u
#define MSTURN_MUX_SESSION_ID_LEN 8u
#define MSTURN_MUX_HEADER_LEN     12u

/* Which STUN dialect a message header belongs to. */
typedef enum {
    MSTURN_FLAVOR_NONE    = 0, /* the PDU holds no STUN message */
    MSTURN_FLAVOR_RFC5389 = 1, /* magic cookie present (RFC 5389 / 8489) */
    MSTURN_FLAVOR_LEGACY  = 2, /* [MS-TURN] legacy: 16-byte ID, MAGIC-COOKIE attribute */
    MSTURN_FLAVOR_CLASSIC = 3  /* RFC 3489: 16-byte ID, no cookie anywhere */
} msturn_flavor;

typedef enum {
    MSTURN_FRAME_OK,        /* a PDU of pdu_len bytes starts here */
    MSTURN_FRAME_NEED_MORE, /* plausible start; need_len bytes are needed to decide */
    MSTURN_FRAME_NOT_OURS   /* not STUN framing */
} msturn_frame_status;

/* What the caller already knows about the connection (bit set). */
#define MSTURN_CTX_KNOWN      0x01u /* connection already carries STUN */
#define MSTURN_CTX_RELAY4571  0x02u /* relayed ICE-TCP: non-STUN RFC 4571 frames allowed */
#define MSTURN_CTX_MS_FRAMING 0x04u /* MS-TURN TCP framing header in use */
#define MSTURN_CTX_CHANNELS   0x08u /* ChannelData may follow (a channel was bound) */
#define MSTURN_CTX_DATAGRAM   0x10u /* the bytes are one whole datagram */

typedef struct {
    msturn_framing_kind framing;
    msturn_flavor       flavor;     /* NONE for non-STUN payload frames */
    uint32_t            prefix_len; /* bytes of framing before the payload */
    uint32_t            payload_len;/* bytes of STUN message or data */
    uint32_t            pdu_len;    /* whole PDU including padding */
} msturn_frame;

/* Classify the bytes at the start of a PDU.  avail is how many bytes are
 * present (possibly fewer than the PDU).  On NEED_MORE, *need_len (if not NULL)
 * is the number of bytes needed before a decision or the PDU's end can be
 * known. */
msturn_frame_status msturn_frame_detect(const uint8_t *p, size_t avail, unsigned ctx,
                                        msturn_frame *out, size_t *need_len);

/* A TURN ChannelData message filling one UDP datagram of avail bytes (RFC
 * 8656 12.4): channel number 0x4000-0x7FFF (RFC 5766 11.4; RFC 8656 12
 * narrows it to 0x4FFF and reserves the rest), the length of the data, the
 * data, and over UDP optionally padding to 4 bytes (12.5).  Sets *out and
 * returns 1 when the lengths agree; callers decide whether the 5-tuple may
 * carry ChannelData at all. */
int msturn_channeldata_datagram(const uint8_t *p, size_t avail, msturn_frame *out);

/* The same for one UDP datagram: a STUN message, or an [MS-TURN] 2.2.3
 * multiplexed TURN packet holding one (or, when known is set because the
 * user asked msturn for this port, holding data).  pdu_len may differ from
 * avail: the caller reports a datagram whose length disagrees. */
msturn_frame_status msturn_datagram_detect(const uint8_t *p, size_t avail, int known,
                                           msturn_frame *out);

/* How the attributes of one message are laid out: RFC 8489 14 pads each
 * value to 4 bytes; [MS-TURN] 2.2.2 and RFC 3489 11.2 do not pad. */
typedef enum {
    MSTURN_LAYOUT_PADDED,
    MSTURN_LAYOUT_UNPADDED,
    MSTURN_LAYOUT_BROKEN      /* neither reading ends where the header says */
} msturn_attr_layout;

/* Which reading makes the attributes at attrs (len bytes, the header's
 * message length, all present) end exactly at len; unpadded_first picks the
 * reading tried first, the one the message's dialect uses, so that a message
 * both readings fit is read the way its sender wrote it. */
msturn_attr_layout msturn_attr_layout_of(const uint8_t *attrs, size_t len, int unpadded_first);

/* Is the first attribute of the message at p [MS-TURN]'s MAGIC-COOKIE
 * (0x000F, 0x72C64BC6)?  That, per message, makes it Microsoft's dialect
 * ([MS-TURN] 2.2.2, 3.1.10), with or without the RFC 5389 cookie. */
int msturn_has_ms_cookie_attr(const uint8_t *p, size_t avail);

/* Does a STUN message header start at p?  Checks the two leading zero bits,
 * the length (a multiple of 4 unless MAGIC-COOKIE is the first attribute:
 * [MS-TURN] pads nothing) and the cookie, or, without the cookie, the
 * [MS-TURN] MAGIC-COOKIE attribute or a known RFC 3489 type with consistent
 * attributes.  *msg_len receives 20 + the header's length. */
msturn_flavor msturn_stun_header(const uint8_t *p, size_t avail, unsigned ctx, uint32_t *msg_len);

/* Message type helpers, RFC 8489 5: method and class bits are interleaved. */
static inline unsigned msturn_type_method(uint16_t t)
{
    return ((t & 0x3E00u) >> 2) | ((t & 0x00E0u) >> 1) | (t & 0x000Fu);
}
static inline unsigned msturn_type_class(uint16_t t)
{
    return ((t & 0x0100u) >> 7) | ((t & 0x0010u) >> 4);
}

/* A TLS handshake record header (0x16, version 3.x, length)?  *record_len
 * receives the whole record's length.  [MS-TURN] 2.1.3 pseudo-TLS uses such
 * records on TCP 443 without any real TLS session behind them. */
int msturn_is_tls_handshake(const uint8_t *p, size_t avail, uint32_t *record_len);

/* The server's half of [MS-TURN] pseudo-TLS: ONE handshake record holding a
 * ServerHello immediately followed by an empty ServerHelloDone.  Real TLS
 * always sends a Certificate (or key exchange) between them, so this shape
 * tells pseudo-TLS from TLS. */
int msturn_is_pseudo_tls_server_hello(const uint8_t *p, size_t avail);

#endif

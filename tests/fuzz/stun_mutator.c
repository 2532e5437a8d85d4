/* stun_mutator.c - STUN-aware mutations for the fuzz targets (see the
 * header).  Layouts: RFC 8489 5 (header) and 14 (attributes, padded to 4),
 * [MS-TURN] 2.2.2 (MAGIC-COOKIE first, unpadded), RFC 4571 2 and [MS-TURN]
 * 2.1.4 framing, RFC 8656 12.4 ChannelData and 11 Send/Data indications.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "stun_mutator.h"

#include <string.h>

#define MAX_ATTRS 32
#define MAX_VALUE 128
/* the longest message build() can write: header, attributes with padding */
#define MAX_BUILT (20 + MAX_ATTRS * (4 + MAX_VALUE + 3))

typedef struct {
    uint16_t type;
    uint16_t len;
    uint8_t  value[MAX_VALUE];
} attr_t;

typedef struct {
    uint16_t type;
    uint8_t  id[16];        /* cookie + 12-byte ID, or a legacy 16-byte ID */
    int      unpadded;
    unsigned n;
    attr_t   a[MAX_ATTRS];
} msg_t;

static uint32_t rng;

static uint32_t
next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

static unsigned
below(unsigned n)
{
    return n ? next() % n : 0;
}

/* Types the dissector gives meaning to, IETF and [MS-TURN]. */
static const uint16_t msg_types[] = {
    0x0001, 0x0101, 0x0111, 0x0011, 0x0003, 0x0103, 0x0113, 0x0004, 0x0104, 0x0114,
    0x0006, 0x0106, 0x0116, 0x0008, 0x0108, 0x0118, 0x0009, 0x0109, 0x0119, 0x000A,
    0x010A, 0x011A, 0x000B, 0x010B, 0x011B, 0x001C, 0x0016, 0x0017, 0x0115, 0x0002,
};
/* Every type of msturn's attribute tables, IETF and Microsoft (the test
 * fuzz.mutator_types keeps this list complete). */
static const uint16_t attr_types[] = {
    0x0000, 0x0001, 0x0002, 0x0003, 0x0004, 0x0005, 0x0006, 0x0007, 0x0008, 0x0009,
    0x000A, 0x000B, 0x000C, 0x000D, 0x000E, 0x000F, 0x0010, 0x0011, 0x0012, 0x0013,
    0x0014, 0x0015, 0x0016, 0x0017, 0x0018, 0x0019, 0x001A, 0x001B, 0x001C, 0x001D,
    0x001E, 0x0020, 0x0021, 0x0022, 0x0024, 0x0025, 0x0026, 0x0027, 0x0028, 0x002A,
    0x0030, 0x8000, 0x8001, 0x8002, 0x8003, 0x8004, 0x8006, 0x8008, 0x8020, 0x8022,
    0x8023, 0x8025, 0x8027, 0x8028, 0x8029, 0x802A, 0x802B, 0x802C, 0x802D, 0x802E,
    0x8030, 0x8032, 0x8037, 0x8039, 0x8050, 0x8054, 0x8055, 0x8056, 0x8057, 0x8058,
    0x8059, 0x805A, 0x805B, 0x805C, 0x805D, 0x805E, 0x805F, 0x8060, 0x8061, 0x8062,
    0x8068, 0x8070, 0x8090, 0x8095, 0xC000, 0xC001, 0xC002, 0xC003, 0xC056, 0xC057,
    0xC058, 0xC059, 0xC05A, 0xC05B, 0xC05C, 0xC05D, 0xC05E, 0xC060, 0xFF04, 0xFF05,
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static unsigned
get16(const uint8_t *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static void
put16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

/* Attributes of body[0, len): padded if that reading ends exactly, else
 * unpadded (as msturn_attr_layout_of decides). */
static int
parse(const uint8_t *m, size_t len, msg_t *out)
{
    int pass;
    memset(out, 0, sizeof *out);
    out->type = (uint16_t)get16(m);
    memcpy(out->id, m + 4, 16);
    for (pass = 0; pass < 2; pass++) {
        size_t off = 20;
        out->n = 0;
        out->unpadded = pass;
        while (off + 4 <= len && out->n < MAX_ATTRS) {
            attr_t *a = &out->a[out->n++];
            unsigned l = get16(m + off + 2), step = pass ? l : (l + 3) & ~3u;
            a->type = (uint16_t)get16(m + off);
            a->len = (uint16_t)(l > sizeof a->value ? sizeof a->value : l);
            if (off + 4 + l > len)
                break;
            memcpy(a->value, m + off + 4, a->len);
            off += 4 + step;
        }
        if (off == len)
            return 1;
    }
    return 1;       /* the unpadded reading of whatever was there */
}

static size_t
build(const msg_t *m, uint8_t *out)
{
    size_t off = 20;
    unsigned i;
    for (i = 0; i < m->n; i++) {
        const attr_t *a = &m->a[i];
        put16(out + off, a->type);
        put16(out + off + 2, a->len);
        memcpy(out + off + 4, a->value, a->len);
        off += 4 + a->len;
        if (!m->unpadded)
            while (off & 3)
                out[off++] = 0;
    }
    put16(out, m->type);
    put16(out + 2, (unsigned)(off - 20));
    memcpy(out + 4, m->id, 16);
    return off;
}

/* A peer address (RFC 8656 18.3 XOR-PEER-ADDRESS) drawn from a small space,
 * 172.16.0.1 to .40 or one IPv6 host, ports 0, 50000 and 50001, so that
 * permissions, channels, Send and Data indications of one input meet on
 * the same peers, and more than an allocation follows (32) get named. */
static void
peer_value(attr_t *a)
{
    static const uint16_t ports[] = { 0, 50000, 50001 };
    unsigned port = ports[below(N_OF(ports))] ^ 0x2112u, i;

    a->value[0] = 0;
    a->value[2] = (uint8_t)(port >> 8);
    a->value[3] = (uint8_t)port;
    if (below(8)) {             /* IPv4, XOR the magic cookie */
        a->value[1] = 1;
        a->value[4] = 172 ^ 0x21;
        a->value[5] = 16 ^ 0x12;
        a->value[6] = 0 ^ 0xA4;
        a->value[7] = (uint8_t)((1 + below(40)) ^ 0x42);
        a->len = 8;
    } else {                    /* IPv6 (the XOR makes it some address) */
        a->value[1] = 2;
        for (i = 4; i < 20; i++)
            a->value[i] = (uint8_t)(i == 19 ? below(4) : 0x20 + i);
        a->len = 20;
    }
}

/* What a relay carries in DATA or ChannelData besides STUN: RTP and RTCP
 * (RFC 3550; the first byte 128-191, RFC 7983), a DTLS record (20-63). */
static unsigned
media_value(uint8_t *v, unsigned room)
{
    unsigned i, len = 12 + below(room - 12);
    for (i = 0; i < len; i++)
        v[i] = (uint8_t)next();
    switch (below(3)) {
    case 0:  v[0] = 0x80; v[1] = (uint8_t)(below(2) ? 0x60 : 0x00); break;   /* RTP */
    case 1:  v[0] = 0x81; v[1] = (uint8_t)(200 + below(5)); break;         /* RTCP */
    default: v[0] = 0x16; v[1] = 0xFE; v[2] = 0xFD; break;                 /* DTLS 1.2 */
    }
    return len;
}

static void
random_value(attr_t *a)
{
    unsigned i, len;
    switch (below(6)) {
    case 4:
        peer_value(a);
        return;
    case 5:
        a->len = (uint16_t)media_value(a->value, sizeof a->value);
        return;
    case 0:         /* an address: family 1, a port, IPv4 */
        len = 8;
        a->value[0] = 0;
        a->value[1] = 1;
        for (i = 2; i < len; i++)
            a->value[i] = (uint8_t)next();
        break;
    case 1:         /* a 32-bit number */
        len = 4;
        for (i = 0; i < len; i++)
            a->value[i] = (uint8_t)(below(3) ? 0 : next());
        break;
    case 2:         /* text */
        len = below(40);
        for (i = 0; i < len; i++)
            a->value[i] = (uint8_t)('a' + below(26));
        break;
    default:
        len = below(sizeof a->value);
        for (i = 0; i < len; i++)
            a->value[i] = (uint8_t)next();
        break;
    }
    a->len = (uint16_t)len;
}

/* The message becomes a CreatePermission, ChannelBind or Send indication
 * naming many peers (RFC 8656 10, 11, 12): up to all 32 attributes. */
static void
many_peers(msg_t *m)
{
    static const uint16_t types[] = { 0x0008, 0x0009, 0x0016, 0x0017, 0x0108, 0x0109 };
    unsigned i, n = 1 + below(MAX_ATTRS);

    m->type = types[below(N_OF(types))];
    m->n = 0;
    if (m->type == 0x0009 || m->type == 0x0109) {     /* CHANNEL-NUMBER 0x4000-0x4003 */
        attr_t *a = &m->a[m->n++];
        a->type = 0x000C;
        a->len = 4;
        memset(a->value, 0, 4);
        a->value[0] = 0x40;
        a->value[1] = (uint8_t)below(4);
    }
    for (i = m->n; i < n; i++) {
        m->a[i].type = 0x0012;
        peer_value(&m->a[i]);
    }
    if (n > m->n)
        m->n = n;
}

/* The message goes inside the DATA of a Send or Data indication to a peer
 * (RFC 8656 11): a relayed ICE check, as far as MAX_VALUE holds it. */
static void
nest(msg_t *m)
{
    uint8_t inner[MAX_BUILT];
    size_t len = build(m, inner);
    attr_t *a;

    m->type = below(2) ? 0x0016 : 0x0017;
    m->id[0] = 0x21; m->id[1] = 0x12; m->id[2] = 0xA4; m->id[3] = 0x42;
    m->id[15] ^= 0x5A;
    m->n = 2;
    m->unpadded = 0;
    m->a[0].type = 0x0012;
    peer_value(&m->a[0]);
    a = &m->a[1];
    a->type = 0x0013;
    if (below(4)) {
        a->len = (uint16_t)(len < sizeof a->value ? len : sizeof a->value);
        memcpy(a->value, inner, a->len);
    } else {
        a->len = (uint16_t)media_value(a->value, sizeof a->value);
    }
}

static void
mutate_msg(msg_t *m)
{
    unsigned i;
    attr_t *a;

    switch (below(11)) {
    case 9:
        many_peers(m);
        break;
    case 10:
        nest(m);
        break;
    case 0:
        m->type = msg_types[below(N_OF(msg_types))];
        break;
    case 1:
        if (m->n)
            m->a[below(m->n)].type = attr_types[below(N_OF(attr_types))];
        break;
    case 2:
        if (m->n)
            random_value(&m->a[below(m->n)]);
        break;
    case 3:
        if (m->n < MAX_ATTRS) {
            i = below(m->n + 1);
            memmove(&m->a[i + 1], &m->a[i], (m->n - i) * sizeof m->a[0]);
            m->n++;
            m->a[i].type = attr_types[below(N_OF(attr_types))];
            random_value(&m->a[i]);
        }
        break;
    case 4:
        if (m->n) {
            i = below(m->n);
            memmove(&m->a[i], &m->a[i + 1], (m->n - i - 1) * sizeof m->a[0]);
            m->n--;
        }
        break;
    case 5:         /* [MS-TURN] 2.2.2.6: MAGIC-COOKIE first, or not */
        if (m->n && m->a[0].type == 0x000F) {
            memmove(&m->a[0], &m->a[1], (m->n - 1) * sizeof m->a[0]);
            m->n--;
        } else if (m->n < MAX_ATTRS) {
            memmove(&m->a[1], &m->a[0], m->n * sizeof m->a[0]);
            m->n++;
            a = &m->a[0];
            a->type = 0x000F;
            a->len = 4;
            a->value[0] = 0x72; a->value[1] = 0xC6; a->value[2] = 0x4B; a->value[3] = 0xC6;
            m->unpadded = 1;
        }
        break;
    case 6:
        m->unpadded = !m->unpadded;
        break;
    case 7:         /* the RFC 5389 cookie in the header, or a legacy ID */
        if (m->id[0] == 0x21 && m->id[1] == 0x12 && m->id[2] == 0xA4 && m->id[3] == 0x42)
            m->id[0] = (uint8_t)next();
        else {
            m->id[0] = 0x21; m->id[1] = 0x12; m->id[2] = 0xA4; m->id[3] = 0x42;
        }
        break;
    default:        /* two attributes swap places */
        if (m->n > 1) {
            attr_t t;
            unsigned x = below(m->n), y = below(m->n);
            t = m->a[x];
            m->a[x] = m->a[y];
            m->a[y] = t;
        }
        break;
    }
}

/* Where a message starts in p[0, n): raw, after an RFC 4571 length, or
 * after an [MS-TURN] 2.1.4 header; -1 if none looks like one. */
static int
message_start(const uint8_t *p, size_t n)
{
    static const int offs[] = { 0, 2, 4 };
    unsigned i;
    if (n >= 24 && (p[0] & 0xC0) == 0x40 && (p[4] & 0xC0) == 0)
        return 4;           /* ChannelData (RFC 8656 12.4) carrying STUN */
    for (i = 0; i < N_OF(offs); i++)
        if ((size_t)offs[i] + 20 <= n && (p[offs[i]] & 0xC0) == 0)
            return offs[i];
    return -1;
}

/* Edit the first message of p (n bytes, room for max) and its framing;
 * returns the new length, or 0 to fall back. */
static size_t
mutate_payload(uint8_t *p, size_t n, size_t max)
{
    uint8_t buf[MAX_BUILT], out[MAX_BUILT + 4];
    int start = message_start(p, n);
    size_t mlen, newlen, prefix, total;
    msg_t m;

    if (start < 0)
        return 0;
    mlen = 20 + get16(p + start + 2);
    if (mlen > n - (size_t)start)
        mlen = n - (size_t)start;
    parse(p + start, mlen, &m);
    mutate_msg(&m);
    newlen = build(&m, buf);
    /* the framing: keep it, or choose another (raw, RFC 4571, 2.1.4, or
     * ChannelData on channel 0x4000-0x4003, RFC 8656 12.4) */
    prefix = below(4) ? (size_t)start : (size_t)(below(3) * 2);
    if (prefix == 2)
        put16(out, (unsigned)newlen);
    else if (prefix == 4 && below(3) == 0) {
        out[0] = 0x40;
        out[1] = (uint8_t)below(4);
        put16(out + 2, (unsigned)newlen);
    } else if (prefix == 4) {
        out[0] = below(2) ? 0x02 : 0x03;
        out[1] = 0;
        put16(out + 2, (unsigned)newlen);
    }
    memcpy(out + prefix, buf, newlen);
    total = prefix + newlen + (n - (size_t)start - mlen);
    if (total > max)
        return 0;
    memmove(p + prefix + newlen, p + start + mlen, n - (size_t)start - mlen);
    memcpy(p, out, prefix + newlen);
    return total;
}

size_t
msturn_stun_mutate(uint8_t *data, size_t size, size_t max_size, unsigned int seed, int chunked,
                   msturn_default_mutate fallback)
{
    size_t offs[128], n = 0, off = 0, pick, len, room, got;

    rng = seed * 2654435761u + 1u;
    if (size == 0 || below(2))
        return fallback(data, size, max_size);
    if (!chunked) {
        got = mutate_payload(data, size, max_size);
        return got ? got : fallback(data, size, max_size);
    }
    /* fuzz_dissector's chunks: control byte, length byte, payload */
    while (off + 2 <= size && n < 128) {
        offs[n++] = off;
        off += 2 + data[off + 1];
    }
    if (n == 0)
        return fallback(data, size, max_size);
    pick = offs[below((unsigned)n)];
    len = data[pick + 1];
    if (pick + 2 + len > size)
        len = size - pick - 2;
    {
        uint8_t payload[255];
        size_t rest = size - (pick + 2 + len);
        memcpy(payload, data + pick + 2, len);
        got = mutate_payload(payload, len, 255);
        if (got == 0)
            return fallback(data, size, max_size);
        room = pick + 2 + got + rest;
        if (room > max_size)
            return fallback(data, size, max_size);
        memmove(data + pick + 2 + got, data + pick + 2 + len, rest);
        memcpy(data + pick + 2, payload, got);
        data[pick + 1] = (uint8_t)got;
        return room;
    }
}

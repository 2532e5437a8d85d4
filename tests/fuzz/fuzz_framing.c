/* fuzz_framing.c - libFuzzer target for the pure framing code
 * (plugin/msturn_framing.h) on arbitrary bytes.
 *
 * The first input byte chooses the connection context bits the dissector
 * would pass; the rest is a TCP byte stream.  Every answer is checked against
 * the contract in msturn_framing.h, and the stream is walked PDU by PDU the
 * way the TCP loop of msturn_tcp.c does, so a PDU length that does not
 * advance, or a decision that changes once the whole PDU is present, aborts
 * the run.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "msturn_framing.h"

#define FAIL(...) do {                                   \
        fprintf(stderr, "fuzz_framing: " __VA_ARGS__);   \
        fputc('\n', stderr);                             \
        abort();                                         \
    } while (0)

/* The longest PDU any framing can announce: a 4-byte MS-TURN header, or
 * ChannelData's 4 bytes plus 0xFFFF padded to 4, or raw STUN 20 + 0xFFFF. */
#define MAX_PDU (4u + MSTURN_HEADER_LEN + 0xFFFFu + 3u)

static uint16_t rd16(const uint8_t *p) { return (uint16_t)((p[0] << 8) | p[1]); }

/* Copy into a buffer of exactly n bytes, so that ASan catches a read past
 * what the caller said is available. */
static uint8_t *
exact_copy(const uint8_t *p, size_t n)
{
    uint8_t *c = malloc(n ? n : 1);
    if (c == NULL)
        abort();
    if (n)
        memcpy(c, p, n);
    return c;
}

static void
check_frame(const uint8_t *p, size_t avail, unsigned ctx, const msturn_frame *f)
{
    if (f->pdu_len == 0)
        FAIL("OK with an empty PDU (the TCP loop would not advance)");
    if (f->pdu_len > MAX_PDU)
        FAIL("pdu_len %u beyond any framing", f->pdu_len);
    if ((uint64_t)f->prefix_len + f->payload_len > f->pdu_len)
        FAIL("prefix %u + payload %u > pdu %u", f->prefix_len, f->payload_len, f->pdu_len);
    if (f->pdu_len - f->prefix_len - f->payload_len > 3)
        FAIL("more than 3 bytes of padding");
    switch (f->framing) {
    case MSTURN_FRAMING_RAW:
        if (f->prefix_len != 0) FAIL("raw framing with a prefix");
        break;
    case MSTURN_FRAMING_RFC4571:
        if (f->prefix_len != 2 || f->payload_len != rd16(p))
            FAIL("RFC 4571 frame length does not match its prefix");
        break;
    case MSTURN_FRAMING_MS_CONTROL:
    case MSTURN_FRAMING_MS_DATA:
        if (f->prefix_len != 4 || f->payload_len != rd16(p + 2) || p[1] != 0 ||
            p[0] != (f->framing == MSTURN_FRAMING_MS_CONTROL ? 0x02 : 0x03))
            FAIL("MS-TURN framing header does not match");
        break;
    case MSTURN_FRAMING_MS_MULTIPLEXED:
        /* [MS-TURN] 2.2.3: 0xFF10, length, 8-byte session ID */
        if (p[0] != 0xFF || p[1] != 0x10 || f->prefix_len != MSTURN_MUX_HEADER_LEN ||
            rd16(p + 2) < MSTURN_MUX_SESSION_ID_LEN ||
            f->payload_len != rd16(p + 2) - MSTURN_MUX_SESSION_ID_LEN ||
            f->pdu_len != 4u + rd16(p + 2))
            FAIL("multiplexed TURN header does not match");
        if (f->flavor == MSTURN_FLAVOR_NONE && (ctx & MSTURN_CTX_RELAY4571))
            FAIL("multiplexed data taken on relayed ICE-TCP");
        break;
    case MSTURN_FRAMING_CHANNELDATA:
        if (!(ctx & MSTURN_CTX_CHANNELS) || f->flavor != MSTURN_FLAVOR_NONE)
            FAIL("ChannelData without a bound channel, or holding STUN");
        if (f->prefix_len != 4 || f->payload_len != rd16(p + 2) || (f->pdu_len & 3u))
            FAIL("ChannelData length or padding wrong");
        break;
    default:
        FAIL("unknown framing %d", (int)f->framing);
    }
    if (f->flavor != MSTURN_FLAVOR_NONE) {
        /* The framing must hold exactly one STUN message whose header we can
         * check when its first 4 bytes are here. */
        if (f->payload_len < MSTURN_HEADER_LEN)
            FAIL("STUN payload of %u bytes", f->payload_len);
        if (avail >= f->prefix_len + 4u) {
            const uint8_t *h = p + f->prefix_len;
            if ((h[0] & 0xC0) || MSTURN_HEADER_LEN + rd16(h + 2) != f->payload_len)
                FAIL("STUN header length disagrees with the framing");
            /* any length only for [MS-TURN] (MAGIC-COOKIE first) and RFC 3489 */
            if ((f->payload_len & 3u) && f->flavor == MSTURN_FLAVOR_RFC5389 &&
                !msturn_has_ms_cookie_attr(h, avail - f->prefix_len))
                FAIL("RFC 5389 message of %u bytes without MAGIC-COOKIE first", f->payload_len);
        }
    } else if (!(ctx & MSTURN_CTX_KNOWN) && f->framing != MSTURN_FRAMING_MS_DATA &&
               f->framing != MSTURN_FRAMING_MS_CONTROL) {
        FAIL("non-STUN PDU claimed on a connection not known to carry STUN");
    }
}

static msturn_frame_status
detect_checked(const uint8_t *p, size_t avail, unsigned ctx, msturn_frame *f)
{
    size_t need = 0;
    uint8_t *c = exact_copy(p, avail);
    msturn_frame_status st;

    memset(f, 0xA5, sizeof *f);
    st = msturn_frame_detect(c, avail, ctx, f, &need);
    free(c);
    switch (st) {
    case MSTURN_FRAME_OK:
        check_frame(p, avail, ctx, f);
        break;
    case MSTURN_FRAME_NEED_MORE:
        if (!(ctx & MSTURN_CTX_KNOWN) && avail >= 4)
            FAIL("NEED_MORE on an unknown connection with %zu bytes", avail);
        if (need <= avail)
            FAIL("NEED_MORE asks for %zu bytes with %zu present", need, avail);
        if (need > MAX_PDU)
            FAIL("NEED_MORE asks for %zu bytes", need);
        break;
    case MSTURN_FRAME_NOT_OURS:
        break;
    default:
        FAIL("unknown status %d", (int)st);
    }
    return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned ctx;
    size_t off = 0;
    unsigned pdus = 0;

    if (size < 1)
        return 0;
    ctx = data[0] & 0x0Fu;
    /* As in msturn_tcp.c, every other context bit is set only on a
     * connection already known to carry STUN. */
    if (ctx)
        ctx |= MSTURN_CTX_KNOWN;
    data++;
    size--;

    /* Each helper on its own, with exact-size buffers. */
    {
        uint8_t *c = exact_copy(data, size);
        uint32_t mlen = 0xFFFFFFFFu, rec = 0;
        msturn_flavor fl = msturn_stun_header(c, size, ctx, &mlen);
        msturn_frame df;
        if (fl != MSTURN_FLAVOR_NONE && (mlen < MSTURN_HEADER_LEN ||
                                         mlen > MSTURN_HEADER_LEN + 0xFFFFu))
            FAIL("msturn_stun_header length %u", mlen);
        if (fl == MSTURN_FLAVOR_RFC5389 && (mlen & 3u) && !msturn_has_ms_cookie_attr(c, size))
            FAIL("odd-length RFC 5389 message accepted without MAGIC-COOKIE first");
        if (fl == MSTURN_FLAVOR_LEGACY && !msturn_has_ms_cookie_attr(c, size))
            FAIL("legacy MS-TURN without MAGIC-COOKIE first");
        /* A datagram: the heuristic (not known) claims only STUN. */
        if (msturn_datagram_detect(c, size, 0, &df) == MSTURN_FRAME_OK &&
            (df.flavor == MSTURN_FLAVOR_NONE || df.pdu_len < df.prefix_len + df.payload_len))
            FAIL("datagram claimed without STUN, or with a payload past its PDU");
        (void)msturn_datagram_detect(c, size, 1, &df);
        if (size >= MSTURN_HEADER_LEN) {
            size_t n = size - MSTURN_HEADER_LEN;
            if (n > 0xFFFFu)
                n = 0xFFFFu;
            (void)msturn_attr_layout_of(c + MSTURN_HEADER_LEN, n, data[-1] & 0x10);
        }
        if (fl == MSTURN_FLAVOR_CLASSIC && mlen > size)
            FAIL("classic STUN accepted without the whole message");
        if (msturn_is_tls_handshake(c, size, &rec) && (rec < 5 || rec > 5 + 0xFFFFu))
            FAIL("TLS record length %u", rec);
        (void)msturn_is_pseudo_tls_server_hello(c, size);
        if (size >= 2) {
            uint16_t t = rd16(c);
            if (msturn_type_method(t) > 0xFFFu || msturn_type_class(t) > 3u)
                FAIL("method/class out of range");
        }
        free(c);
    }

    /* The stream, PDU by PDU, as the TCP loop walks it. */
    while (off < size) {
        msturn_frame f, g;
        msturn_frame_status st = detect_checked(data + off, size - off,
                                                ctx | (pdus ? MSTURN_CTX_KNOWN : 0), &f);
        if (st != MSTURN_FRAME_OK)
            break;
        if (f.pdu_len <= size - off) {
            /* Reassembly hands exactly the PDU back: same decision. */
            if (detect_checked(data + off, f.pdu_len, ctx | (pdus ? MSTURN_CTX_KNOWN : 0), &g) !=
                    MSTURN_FRAME_OK ||
                memcmp(&f, &g, sizeof f) != 0)
                FAIL("decision at offset %zu changes when given exactly its %u bytes",
                     off, f.pdu_len);
        } else {
            break;
        }
        off += f.pdu_len;
        pdus++;
    }
    return 0;
}

/* Half of the mutations edit one STUN message and keep its lengths true
 * (stun_mutator.c), so that inputs get past the framing check. */
#include "stun_mutator.h"

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);

size_t
LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
    return msturn_stun_mutate(data, size, max_size, seed, 0, LLVMFuzzerMutate);
}

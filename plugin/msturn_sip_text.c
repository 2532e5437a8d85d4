/* msturn_sip_text.c - SIP messages and SDP lines found in raw bytes.
 *
 * The bytes are any data source of a frame that Wireshark's SIP dissector
 * decoded: the frame itself (headers of the link and network layers come
 * first, so a message is looked for at the start of every line), a
 * reassembled TCP PDU, decrypted TLS.  Only what RFC 3261 7 fixes is read:
 * the start line, header names case-insensitively with their compact forms
 * (7.3.3), and the body of Content-Length bytes (20.14).
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "msturn_sip_text.h"

#include <stddef.h>
#include <string.h>

static int
lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Do the bytes [v, v + len) start with prefix (lower case), ignoring case? */
static int
prefix_ci(const uint8_t *v, size_t len, const char *prefix)
{
    size_t i, n = strlen(prefix);
    if (len < n)
        return 0;
    for (i = 0; i < n; i++)
        if (lower(v[i]) != prefix[i])
            return 0;
    return 1;
}

/* Is the header name [n, n + len) name (lower case), ignoring case? */
static int
name_is(const uint8_t *n, size_t len, const char *name)
{
    return strlen(name) == len && prefix_ci(n, len, name);
}

/* Line [p, *end) of buf, without its CR LF; *next: the following line.
 * 0 when the line has no end in the buffer. */
static int
line_at(const uint8_t *buf, size_t len, size_t p, size_t *end, size_t *next)
{
    const uint8_t *nl = p < len ? (const uint8_t *)memchr(buf + p, '\n', len - p) : NULL;
    size_t e;
    if (nl == NULL)
        return 0;
    e = (size_t)(nl - buf);
    *next = e + 1;
    if (e > p && buf[e - 1] == '\r')
        e--;
    *end = e;
    return 1;
}

/* Status-Line (RFC 3261 7.2) at l: SIP/2.0 SP 3DIGIT SP Reason-Phrase. */
static int
status_line(const uint8_t *l, size_t n, unsigned *status)
{
    if (n < 11 || memcmp(l, "SIP/2.0 ", 8) != 0)
        return 0;
    if (l[8] < '1' || l[8] > '6' || l[9] < '0' || l[9] > '9' || l[10] < '0' || l[10] > '9')
        return 0;
    if (n > 11 && l[11] != ' ' && l[11] != '\r' && l[11] != '\n')
        return 0;
    *status = (unsigned)((l[8] - '0') * 100 + (l[9] - '0') * 10 + (l[10] - '0'));
    return 1;
}

/* [v, v + n) into a NUL-terminated buffer of size max, cut if longer;
 * bytes outside printable ASCII become '?' (the text goes into columns and
 * expert texts; UTF-8 reason phrases lose their accents, not their words). */
static void
keep_text(char *out, size_t max, const uint8_t *v, size_t n)
{
    size_t i, k = n < max - 1 ? n : max - 1;
    for (i = 0; i < k; i++)
        out[i] = v[i] >= 0x20 && v[i] < 0x7F ? (char)v[i] : '?';
    out[k] = '\0';
}

/* Methods of RFC 3261 and its extensions, and [MS-SIPRE]'s: in the frame
 * itself a request line follows the TCP or UDP header, whose last bytes may
 * be letters too, so the method is the longest of these that ends there. */
static const char *const methods[] = {
    "INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER", "PRACK", "SUBSCRIBE", "NOTIFY",
    "PUBLISH", "INFO", "REFER", "MESSAGE", "UPDATE", "SERVICE", "BENOTIFY", NULL
};

static int
is_method_char(uint8_t c)
{
    return (c >= 'A' && c <= 'Z') || c == '-';
}

/* Request-Line (RFC 3261 7.1) ending with the " SIP/2.0" at sip: Method SP
 * Request-URI SP SIP/2.0.  Its start, at or after from, in *start. */
static int
request_line(const uint8_t *buf, size_t from, size_t sip, char *method, size_t *start)
{
    size_t u = sip, m, run, i;

    while (u > from && buf[u - 1] != ' ' && buf[u - 1] > ' ' && buf[u - 1] < 0x7F)
        u--;                                    /* the Request-URI */
    if (u == sip || u == from || buf[u - 1] != ' ')
        return 0;
    m = u - 1;
    while (m > from && is_method_char(buf[m - 1]) && u - 1 - m < 64)
        m--;
    run = u - 1 - m;
    if (run == 0)
        return 0;
    if (m > from && buf[m - 1] != '\n') {      /* not at a line start: a known method */
        size_t best = 0;
        for (i = 0; methods[i]; i++) {
            size_t k = strlen(methods[i]);
            if (k <= run && k > best && memcmp(buf + u - 1 - k, methods[i], k) == 0)
                best = k;
        }
        if (best == 0)
            return 0;
        m = u - 1 - best;
        run = best;
    }
    if (run >= MSTURN_SIP_METHOD_MAX)
        return 0;
    memcpy(method, buf + m, run);
    method[run] = '\0';
    *start = m;
    return 1;
}

static int
number(const uint8_t *v, size_t len, uint32_t *out)
{
    size_t i = 0;
    uint64_t x = 0;
    while (i < len && v[i] >= '0' && v[i] <= '9') {
        x = x * 10 + (uint64_t)(v[i] - '0');
        if (x > 0xFFFFFFFFu)
            return 0;
        i++;
    }
    if (i == 0)
        return 0;
    *out = (uint32_t)x;
    return 1;
}

/* The headers whose first value is kept as text: [MS-OCER] 2.2.1.1 and
 * 2.2.1.2, RFC 3326, RFC 3261 20.43. */
static const struct {
    const char *name;
    size_t off;                 /* of its char[MSTURN_SIP_VALUE_MAX] in msturn_sip_msg */
} kept_headers[] = {
    { "ms-diagnostics",        offsetof(msturn_sip_msg, diag) },
    { "ms-diagnostics-public", offsetof(msturn_sip_msg, diag_public) },
    { "reason",                offsetof(msturn_sip_msg, reason) },
    { "warning",               offsetof(msturn_sip_msg, warning) },
};

/* Where m keeps the header named l[0..name_end), or NULL. */
static char *
kept_header(msturn_sip_msg *m, const uint8_t *l, size_t name_end)
{
    size_t i;

    for (i = 0; i < sizeof kept_headers / sizeof kept_headers[0]; i++)
        if (name_is(l, name_end, kept_headers[i].name))
            return (char *)m + kept_headers[i].off;
    return NULL;
}

/* One header line into m; *clen set from Content-Length. */
static void
header(const uint8_t *l, size_t n, msturn_sip_msg *m, int *has_clen, uint32_t *clen)
{
    size_t name_end = 0, v;
    char *kept;

    while (name_end < n && l[name_end] != ':' && l[name_end] != ' ' && l[name_end] != '\t')
        name_end++;
    v = name_end;
    while (v < n && (l[v] == ' ' || l[v] == '\t'))      /* HCOLON */
        v++;
    if (v >= n || l[v] != ':' || name_end == 0)
        return;
    v++;
    while (v < n && (l[v] == ' ' || l[v] == '\t'))
        v++;
    while (n > v && (l[n - 1] == ' ' || l[n - 1] == '\t'))
        n--;
    if (name_is(l, name_end, "call-id") || name_is(l, name_end, "i")) {
        size_t k = n - v < MSTURN_SIP_CALL_ID_MAX - 1 ? n - v : MSTURN_SIP_CALL_ID_MAX - 1;
        memcpy(m->call_id, l + v, k);
        m->call_id[k] = '\0';
    } else if (name_is(l, name_end, "cseq")) {
        size_t k = v;
        m->has_cseq = number(l + v, n - v, &m->cseq);
        while (k < n && l[k] >= '0' && l[k] <= '9')     /* CSeq: 1*DIGIT LWS Method */
            k++;
        while (k < n && (l[k] == ' ' || l[k] == '\t'))
            k++;
        keep_text(m->cseq_method, sizeof m->cseq_method, l + k, n - k);
    } else if ((kept = kept_header(m, l, name_end)) != NULL) {
        if (!kept[0])                                   /* the first value only */
            keep_text(kept, MSTURN_SIP_VALUE_MAX, l + v, n - v);
    } else if (name_is(l, name_end, "content-length") || name_is(l, name_end, "l")) {
        *has_clen = number(l + v, n - v, clen) ? 1 : -1;   /* -1: not a number */
    } else if (name_is(l, name_end, "content-type") || name_is(l, name_end, "c")) {
        m->sdp = prefix_ci(l + v, n - v, "application/sdp") || prefix_ci(l + v, n - v, "multipart/");
    }
}

/* The message whose start line is [p, le); 0 if it is not complete. */
static int
message_at(const uint8_t *buf, size_t len, size_t p, size_t next, msturn_sip_msg *m)
{
    size_t le, q = next;
    int has_clen = 0;
    uint32_t clen = 0;

    m->start = p;
    for (;;) {
        if (!line_at(buf, len, q, &le, &next))
            return 0;                   /* headers cut short */
        if (le == q)
            break;                      /* the empty line: the body follows */
        if (buf[q] != ' ' && buf[q] != '\t')   /* folded lines continue a header */
            header(buf + q, le - q, m, &has_clen, &clen);
        q = next;
    }
    m->body = next;
    if (has_clen < 0)
        return 0;                       /* a length nobody can read: not taken */
    if (has_clen) {
        if (clen > len - next)
            return 0;                   /* the rest comes in a later PDU */
        m->body_len = clen;
    } else {
        m->body_len = len - next;
    }
    m->end = m->body + m->body_len;
    return 1;
}

int
msturn_sip_next(const uint8_t *buf, size_t len, size_t *pos, msturn_sip_msg *m)
{
    size_t k = *pos, le, next, start;

    /* every "SIP/2.0" opens a Status-Line or ends a Request-Line, or is the
     * protocol of a Via header ("SIP/2.0/TCP"), which is neither */
    while (k + 7 <= len) {
        const uint8_t *hit = (const uint8_t *)memchr(buf + k, 'S', len - k - 6);
        if (hit == NULL)
            return 0;
        k = (size_t)(hit - buf);
        if (memcmp(hit, "SIP/2.0", 7) != 0) {
            k++;
            continue;
        }
        memset(m, 0, sizeof *m);
        start = k;
        if (!status_line(hit, len - k, &m->status)) {
            if (k + 7 < len && buf[k + 7] != '\r' && buf[k + 7] != '\n') {
                k++;
                continue;
            }
            if (k == *pos || buf[k - 1] != ' ' ||
                !request_line(buf, *pos, k - 1, m->method, &start)) {
                k++;
                continue;
            }
            m->is_request = 1;
        }
        if (!line_at(buf, len, k, &le, &next) || !message_at(buf, len, start, next, m))
            return 0;
        if (!m->is_request && le > k + 12)
            keep_text(m->phrase, sizeof m->phrase, buf + k + 12, le - k - 12);
        *pos = m->end;
        return 1;
    }
    return 0;
}

int
msturn_sdp_line(const char *body, size_t len, size_t *pos, char *type, const char **value,
                size_t *value_len)
{
    size_t p = *pos, e;
    const char *nl;

    if (p >= len)
        return 0;
    nl = (const char *)memchr(body + p, '\n', len - p);
    e = nl ? (size_t)(nl - body) : len;
    *pos = nl ? e + 1 : len;
    if (e > p && body[e - 1] == '\r')
        e--;
    if (e - p >= 2 && body[p + 1] == '=' && body[p] >= 'a' && body[p] <= 'z') {
        *type = body[p];
        *value = body + p + 2;
        *value_len = e - p - 2;
    } else {
        *type = 0;
        *value = body + p;
        *value_len = e - p;
    }
    return 1;
}

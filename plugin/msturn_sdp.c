/* msturn_sdp.c - the ICE attribute values of an SDP media description, read
 * from the text Wireshark's SDP dissector gives for each "a=" line.
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "msturn_sdp.h"

#include <stdlib.h>
#include <string.h>

#define MAX_TOKENS 24

static int
lower_eq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = (*a >= 'A' && *a <= 'Z') ? (char)(*a + 32) : *a;
        char y = (*b >= 'A' && *b <= 'Z') ? (char)(*b + 32) : *b;
        if (x != y)
            return 0;
    }
    return *a == *b;
}

/* Split on spaces into at most MAX_TOKENS tokens of buf (modified). */
/* RFC 3261 25.1 qvalue, the priority of an [MS-ICE] version 1 candidate:
 * "0" or "1", then "." and digits, at most 1.0.  Read by hand: strtod
 * follows the locale's decimal point. */
static int
is_qvalue(const char *s)
{
    const char *p;

    if (s[0] != '0' && s[0] != '1')
        return 0;
    if (s[1] == '\0')
        return 1;
    if (s[1] != '.')
        return 0;
    for (p = s + 2; *p; p++)
        if (*p < '0' || *p > '9' || (s[0] == '1' && *p != '0'))
            return 0;
    return 1;
}

static int
tokens(char *buf, char **tok)
{
    int n = 0;
    char *p = buf;
    while (*p && n < MAX_TOKENS) {
        while (*p == ' ' || *p == '\t')
            *p++ = '\0';
        if (!*p)
            break;
        tok[n++] = p;
        while (*p && *p != ' ' && *p != '\t')
            p++;
    }
    return n;
}

static int
port_of(const char *s, uint16_t *port)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (end == s || *end || v > 65535)
        return 0;
    *port = (uint16_t)v;
    return 1;
}

static void
copy(char *dst, const char *src)
{
    size_t n = strlen(src);
    if (n >= MSTURN_SDP_TEXT_MAX)
        n = MSTURN_SDP_TEXT_MAX - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

static msturn_cand_type
type_of(const char *t)
{
    if (lower_eq(t, "host"))  return MSTURN_CAND_HOST;
    if (lower_eq(t, "srflx")) return MSTURN_CAND_SRFLX;
    if (lower_eq(t, "prflx")) return MSTURN_CAND_PRFLX;
    if (lower_eq(t, "relay")) return MSTURN_CAND_RELAY;
    return MSTURN_CAND_OTHER;
}

/* RFC 8839 5.1:
 *   candidate:<foundation> <component> <transport> <priority> <address>
 *             <port> typ <type> [raddr <a>] [rport <p>] *(<ext> <value>)
 * with transport UDP or TCP (RFC 6544 4.5 adds "tcptype active|passive|so")
 * or, in [MS-ICE2] 2.2.1, TCP-ACT / TCP-PASS.  [MS-ICE] (version 1):
 *   candidate:<username> <component> <password> <transport> <q-value>
 *             <address> <port>  (q-value like 0.830) */
int
msturn_sdp_candidate(const char *attr, msturn_candidate *c)
{
    char buf[512];
    char *tok[MAX_TOKENS];
    int n, i;
    size_t len;

    if (strncmp(attr, "candidate:", 10) != 0 && strncmp(attr, "x-candidate:", 12) != 0)
        return 0;
    attr = strchr(attr, ':') + 1;
    len = strlen(attr);
    if (len >= sizeof buf)
        return 0;
    memcpy(buf, attr, len + 1);
    n = tokens(buf, tok);
    memset(c, 0, sizeof *c);
    if (n >= 7 && strchr(tok[4], '.') != NULL && strchr(tok[4], ':') == NULL &&
        is_qvalue(tok[4]) && (lower_eq(tok[3], "udp") || lower_eq(tok[3], "tcp"))) {
        /* [MS-ICE] version 1: the q-value stands where the address would */
        copy(c->ufrag, tok[0]);
        copy(c->pwd, tok[2]);
        c->tcp = lower_eq(tok[3], "tcp");
        copy(c->address, tok[5]);
        if (!port_of(tok[6], &c->port))
            return 0;
        c->type = MSTURN_CAND_HOST;
        return 1;
    }
    if (n < 8 || !lower_eq(tok[6], "typ"))
        return 0;
    if (lower_eq(tok[2], "tcp-act")) {
        c->tcp = 1;
        c->tcptype = MSTURN_TCPTYPE_ACTIVE;
    } else if (lower_eq(tok[2], "tcp-pass")) {
        c->tcp = 1;
        c->tcptype = MSTURN_TCPTYPE_PASSIVE;
    } else if (lower_eq(tok[2], "tcp")) {
        c->tcp = 1;
    } else if (!lower_eq(tok[2], "udp")) {
        return 0;
    }
    copy(c->address, tok[4]);
    if (!port_of(tok[5], &c->port))
        return 0;
    c->type = type_of(tok[7]);
    for (i = 8; i + 1 < n; i += 2) {
        if (lower_eq(tok[i], "raddr"))
            copy(c->raddr, tok[i + 1]);
        else if (lower_eq(tok[i], "rport"))
            (void)port_of(tok[i + 1], &c->rport);
        else if (lower_eq(tok[i], "tcptype")) {
            if (lower_eq(tok[i + 1], "active"))
                c->tcptype = MSTURN_TCPTYPE_ACTIVE;
            else if (lower_eq(tok[i + 1], "passive"))
                c->tcptype = MSTURN_TCPTYPE_PASSIVE;
            else if (lower_eq(tok[i + 1], "so"))
                c->tcptype = MSTURN_TCPTYPE_SO;
        }
    }
    return 1;
}

static int
named_value(const char *attr, const char *name, char *out, size_t out_len)
{
    size_t n = strlen(name), v;
    if (strncmp(attr, "x-", 2) == 0)
        attr += 2;
    if (strncmp(attr, name, n) != 0 || attr[n] != ':' || out_len == 0)
        return 0;
    attr += n + 1;
    while (*attr == ' ')
        attr++;
    v = strlen(attr);
    while (v && (attr[v - 1] == ' ' || attr[v - 1] == '\r' || attr[v - 1] == '\n'))
        v--;
    if (v >= out_len)
        v = out_len - 1;
    memcpy(out, attr, v);
    out[v] = '\0';
    return 1;
}

int
msturn_sdp_ice_ufrag(const char *attr, char *out, size_t out_len)
{
    return named_value(attr, "ice-ufrag", out, out_len);
}

int
msturn_sdp_ice_pwd(const char *attr, char *out, size_t out_len)
{
    return named_value(attr, "ice-pwd", out, out_len);
}

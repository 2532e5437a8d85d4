/* msturn_sip_diag.c - the values of ms-diagnostics, ms-diagnostics-public,
 * Reason and Warning, read from their text.
 *
 * [MS-OCER] 2.2.1.1 gives ms-diagnostics as
 *     ErrorId *(SEMI diag-param), diag-param = reason / source / generic-param
 * with reason a quoted string; 2.2.1.2 gives ms-diagnostics-public the same
 * form without source.  Servers add generic parameters of their own
 * (component=, CallId=, ...), kept here as written.  RFC 3326 2 gives
 * Reason as protocol *(SEMI reason-params), with cause= and text=; RFC 3261
 * 20.43 gives Warning as warn-code SP warn-agent SP warn-text.  Each header
 * may hold a comma-separated list: the first value is the one read (a
 * comma inside a quoted string does not end it).
 *
 * Copyright (C) 2026 The msturn authors
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "msturn_sip_diag.h"

#include <string.h>

static bool
is_space(char c)
{
    return c == ' ' || c == '\t';
}

static const char *
skip_space(const char *p)
{
    while (is_space(*p))
        p++;
    return p;
}

/* Copy [v, v + n) into out (size max), cut if longer. */
static void
copy_text(char *out, size_t max, const char *v, size_t n)
{
    size_t k = n < max - 1 ? n : max - 1;
    memcpy(out, v, k);
    out[k] = '\0';
}

/* A quoted-string (RFC 3261 25.1) at p, '"' first: its text without the
 * quotes and with quoted-pairs undone into out; returns where it ends (past
 * the closing quote, or at the end of the text when it has none). */
static const char *
quoted(const char *p, char *out, size_t max)
{
    size_t k = 0;
    p++;
    while (*p && *p != '"') {
        if (*p == '\\' && p[1])
            p++;
        if (k + 1 < max)
            out[k++] = *p;
        p++;
    }
    out[k] = '\0';
    return *p == '"' ? p + 1 : p;
}

/* One parameter at p (after its ';'): name into name, its value (token or
 * quoted string) into value; returns where it ends (at ';', ',' or the
 * end). */
static const char *
param(const char *p, char *name, size_t name_max, char *value, size_t value_max)
{
    const char *n = p = skip_space(p);
    while (*p && *p != '=' && *p != ';' && *p != ',' && !is_space(*p))
        p++;
    copy_text(name, name_max, n, (size_t)(p - n));
    value[0] = '\0';
    p = skip_space(p);
    if (*p != '=')
        return p;
    p = skip_space(p + 1);
    if (*p == '"') {
        p = quoted(p, value, value_max);
    } else {
        const char *v = p;
        while (*p && *p != ';' && *p != ',' && !is_space(*p))
            p++;
        copy_text(value, value_max, v, (size_t)(p - v));
    }
    while (*p && *p != ';' && *p != ',')  /* whatever follows up to the next one */
        p++;
    return p;
}

static bool
name_is(const char *name, const char *want)
{
    size_t i;
    for (i = 0; name[i] && want[i]; i++) {
        char c = name[i] >= 'A' && name[i] <= 'Z' ? (char)(name[i] + 32) : name[i];
        if (c != want[i])
            return false;
    }
    return name[i] == '\0' && want[i] == '\0';
}

/* Digits at p into *out (at most 10, no overflow past 32 bits); returns
 * past them, or NULL when there are none. */
static const char *
digits(const char *p, uint32_t *out, unsigned max_digits)
{
    uint64_t x = 0;
    unsigned n = 0;
    while (*p >= '0' && *p <= '9' && n < max_digits) {
        x = x * 10 + (uint64_t)(*p - '0');
        p++;
        n++;
    }
    if (n == 0 || x > 0xFFFFFFFFu)
        return NULL;
    *out = (uint32_t)x;
    return p;
}

static void
append_param(char *params, size_t max, const char *name, const char *value)
{
    size_t used = strlen(params);
    if (used + 1 >= max)
        return;
    copy_text(params + used, max - used, used ? "; " : "", used ? 2 : 0);
    used = strlen(params);
    copy_text(params + used, max - used, name, strlen(name));
    used = strlen(params);
    if (value[0]) {
        copy_text(params + used, max - used, "=", 1);
        used = strlen(params);
        copy_text(params + used, max - used, value, strlen(value));
    }
}

bool
msturn_sip_diag_read(const char *value, msturn_sip_diag *out)
{
    const char *p = skip_space(value);
    char name[32], v[MSTURN_SIP_DIAG_TEXT];

    memset(out, 0, sizeof *out);
    if ((p = digits(p, &out->id, 10)) == NULL)
        return false;
    if (*p == '.') {                /* ErrorId.SubErrorCode, as servers write it */
        p++;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    p = skip_space(p);
    while (*p == ';') {
        p = param(p + 1, name, sizeof name, v, sizeof v);
        if (name_is(name, "reason"))
            copy_text(out->reason, sizeof out->reason, v, strlen(v));
        else if (name_is(name, "source"))
            copy_text(out->source, sizeof out->source, v, strlen(v));
        else if (name_is(name, "component"))
            copy_text(out->component, sizeof out->component, v, strlen(v));
        else if (name[0])
            append_param(out->params, sizeof out->params, name, v);
    }
    return true;
}

bool
msturn_sip_reason_read(const char *value, msturn_sip_reason *out)
{
    const char *p = skip_space(value), *proto = p;
    char name[32], v[MSTURN_SIP_DIAG_TEXT];

    memset(out, 0, sizeof *out);
    while (*p && *p != ';' && *p != ',' && !is_space(*p))
        p++;
    if (p == proto)
        return false;
    copy_text(out->protocol, sizeof out->protocol, proto, (size_t)(p - proto));
    p = skip_space(p);
    while (*p == ';') {
        p = param(p + 1, name, sizeof name, v, sizeof v);
        if (name_is(name, "cause"))
            out->has_cause = digits(v, &out->cause, 10) != NULL;
        else if (name_is(name, "text"))
            copy_text(out->text, sizeof out->text, v, strlen(v));
    }
    return true;
}

bool
msturn_sip_warning_read(const char *value, msturn_sip_warning *out)
{
    const char *p = skip_space(value), *agent, *end;

    memset(out, 0, sizeof *out);
    end = digits(p, &out->code, 3);
    if (end == NULL || end - p != 3 || !is_space(*end))
        return false;
    agent = p = skip_space(end);
    while (*p && !is_space(*p))
        p++;
    copy_text(out->agent, sizeof out->agent, agent, (size_t)(p - agent));
    p = skip_space(p);
    if (*p == '"')
        quoted(p, out->text, sizeof out->text);
    return out->agent[0] != '\0';
}
